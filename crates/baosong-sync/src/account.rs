//! Signing in and out, and picking up the stored sign-in at start.

use std::sync::Arc;

use baosong_api::Me;

use crate::directory;
use crate::error::SyncError;
use crate::profile::Profile;
use crate::secrets;
use crate::session::Session;
use crate::shared::SharedStore;

/// Signs in and remembers the profile. Switching to another portal or user
/// forgets what was cached about the previous one (cursor, unit, columns);
/// the outbox stays. The unit and columns are fetched when the portal
/// answers; `None` if that part failed (they are fetched again on sync).
pub async fn login(
    store: &SharedStore,
    profile: Profile,
    password: &str,
) -> Result<(Arc<Session>, Option<Me>), SyncError> {
    let session = Arc::new(Session::sign_in(profile.clone(), password).await?);
    let previous = store.run(|s| Ok(Profile::load(s))).await??;
    let switched = previous
        .as_ref()
        .is_none_or(|p| p.portal_url != profile.portal_url || p.username != profile.username);
    let saved = profile.clone();
    store
        .run(move |s| {
            let result = (|| {
                if switched {
                    directory::forget(s)?;
                }
                saved.save(s)
            })();
            Ok(result)
        })
        .await??;
    store.with_mut(|s| s.set_actor(profile.username.clone()))?;
    let me = directory::refresh(store, &session).await.ok();
    Ok((session, me))
}

/// The session of the stored profile, if there is one (no network: whether
/// the sign-in still holds shows on the first request).
pub fn resume(store: &SharedStore) -> Result<Option<Arc<Session>>, SyncError> {
    let Some(profile) = store.with(|s| Ok(Profile::load(s)))?? else {
        return Ok(None);
    };
    store.with_mut(|s| s.set_actor(profile.username.clone()))?;
    Ok(Some(Arc::new(Session::resume(profile)?)))
}

/// Signs out: the portal revokes the sign-in when reachable, the keyring
/// forgets the refresh token. The profile (address, username) and the outbox
/// stay, so signing in again continues where it stopped.
pub async fn logout(store: &SharedStore) -> Result<(), SyncError> {
    match resume(store)? {
        Some(session) => session.sign_out().await,
        None => Ok(()),
    }
}

/// Whether a refresh token is stored for the stored profile.
pub async fn has_stored_sign_in(store: &SharedStore) -> Result<bool, SyncError> {
    let Some(profile) = store.run(|s| Ok(Profile::load(s))).await?? else {
        return Ok(false);
    };
    Ok(secrets::refresh_token_async(profile.account())
        .await?
        .is_some())
}
