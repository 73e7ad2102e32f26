//! A signed-in session: the access token in memory only, the refresh token
//! in the OS keyring only. Requests that find the access token expired get a
//! new one (rotating the refresh token, which goes straight back to the
//! keyring) and are tried once more.

use std::time::{Duration, Instant};

use baosong_api::{Me, TokenResponse};
use tokio::sync::Mutex;

use crate::client::{PortalClient, is_auth_failure};
use crate::error::SyncError;
use crate::profile::Profile;
use crate::secrets;

/// An access token is renewed this long before the portal would refuse it.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

struct Access {
    token: String,
    expires: Instant,
}

pub struct Session {
    profile: Profile,
    client: PortalClient,
    access: Mutex<Option<Access>>,
}

impl std::fmt::Debug for Session {
    /// Never prints a token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session for a stored profile; the first request refreshes from the
    /// keyring (so it fails with [`SyncError::SignInRequired`] if there is no
    /// refresh token).
    pub fn resume(profile: Profile) -> Result<Session, SyncError> {
        Ok(Session {
            client: PortalClient::new(&profile)?,
            profile,
            access: Mutex::new(None),
        })
    }

    /// Signs in with a password: checks the keyring works first (so a typed
    /// password is not wasted), exchanges the password for tokens, and keeps
    /// the refresh token in the keyring.
    pub async fn sign_in(profile: Profile, password: &str) -> Result<Session, SyncError> {
        secrets::self_test_async().await?;
        let session = Session::resume(profile)?;
        let tokens = session
            .client
            .token(&session.profile.username, password)
            .await?;
        session.keep(tokens).await?;
        Ok(session)
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn client(&self) -> &PortalClient {
        &self.client
    }

    /// Stores the refresh token (keyring) and the access token (memory).
    async fn keep(&self, tokens: TokenResponse) -> Result<(), SyncError> {
        secrets::store_refresh_token_async(self.profile.account(), tokens.refresh_token).await?;
        *self.access.lock().await = Some(Access {
            token: tokens.access_token,
            expires: Instant::now() + Duration::from_secs(tokens.expires_in),
        });
        Ok(())
    }

    /// A usable access token, refreshing when needed.
    pub async fn access_token(&self) -> Result<String, SyncError> {
        let mut access = self.access.lock().await;
        if let Some(a) = access.as_ref()
            && a.expires > Instant::now() + EXPIRY_MARGIN
        {
            return Ok(a.token.clone());
        }
        *access = None;
        // Read the keyring each time: another Baosong program (the CLI, a
        // second window) may have rotated the token since.
        let Some(refresh) = secrets::refresh_token_async(self.profile.account()).await? else {
            return Err(SyncError::SignInRequired);
        };
        let tokens = match self.client.refresh(&refresh).await {
            Ok(t) => t,
            Err(SyncError::SignInRequired) => {
                // The sign-in expired or was revoked: the dead token goes.
                secrets::delete_refresh_token_async(self.profile.account()).await?;
                return Err(SyncError::SignInRequired);
            }
            Err(e) => return Err(e),
        };
        let token = tokens.access_token.clone();
        secrets::store_refresh_token_async(self.profile.account(), tokens.refresh_token).await?;
        *access = Some(Access {
            token: token.clone(),
            expires: Instant::now() + Duration::from_secs(tokens.expires_in),
        });
        Ok(token)
    }

    /// Runs an authenticated request; if the portal says the access token is
    /// no good, gets a new one and tries once more.
    pub async fn call<T, F, Fut>(&self, f: F) -> Result<T, SyncError>
    where
        F: Fn(PortalClient, String) -> Fut,
        Fut: std::future::Future<Output = Result<T, SyncError>>,
    {
        let token = self.access_token().await?;
        match f(self.client.clone(), token).await {
            Err(e) if is_auth_failure(&e) => {
                *self.access.lock().await = None;
                let token = self.access_token().await?;
                match f(self.client.clone(), token).await {
                    Err(e) if is_auth_failure(&e) => Err(SyncError::SignInRequired),
                    other => other,
                }
            }
            other => other,
        }
    }

    pub async fn me(&self) -> Result<Me, SyncError> {
        self.call(|c, t| async move { c.me(&t).await }).await
    }

    /// Signs out: the portal revokes the sign-in (best effort: offline, the
    /// local secret still goes) and the keyring forgets the refresh token.
    pub async fn sign_out(&self) -> Result<(), SyncError> {
        *self.access.lock().await = None;
        let account = self.profile.account();
        if let Some(refresh) = secrets::refresh_token_async(account.clone()).await? {
            let _ = self.client.logout(&refresh).await;
        }
        secrets::delete_refresh_token_async(account).await
    }
}
