//! The window's side of syncing with the portal (`baosong-sync` does the
//! work): starting the worker with the app, forwarding its events to the
//! window, desktop notifications, and what the sync commands do.
//!
//! - At start: the worker starts (on Tauri's tokio runtime, sharing the
//!   store), the stored sign-in is resumed (no network), and the keyring
//!   self-test runs; its outcome goes to the window as [`KEYRING_EVENT`] and
//!   into [`SyncOverview::keyring`].
//! - Every [`SyncEvent`] goes to the window as [`SYNC_EVENT`]. A portal change
//!   that adopts, returns or publishes an item also becomes a desktop
//!   notification, sent from here, so the web view needs no notification
//!   permission.
//! - Nothing here logs or returns a password or a token.

use std::path::PathBuf;
use std::sync::Arc;

use baosong_core::model::{AppliedChange, OutboxEntry, PortalLink, StatusEvent};
use baosong_core::{ItemState, ItemView, Store, UserError};
use baosong_sync::worker::SyncStatus;
use baosong_sync::{
    Profile, SyncError, SyncEvent, SyncWorker, account, directory, outbox, secrets,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;
use ts_rs::TS;

use crate::state::{AppState, worker_failed};

/// The Tauri event every [`SyncEvent`] is forwarded as.
pub const SYNC_EVENT: &str = "sync-event";
/// The Tauri event the keyring self-test's outcome is sent as ([`KeyringCheck`]).
pub const KEYRING_EVENT: &str = "keyring-check";

/// Outbox entries the outbox view lists at most.
pub const OUTBOX_LIMIT: u32 = 500;

/// The keyring self-test at start: write, read back and delete a probe secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum KeyringCheck {
    /// Not run yet.
    Pending,
    Ok,
    /// Missing, locked or refused: signing in cannot keep the sign-in.
    Failed {
        error: UserError,
    },
}

/// Where syncing stands, for the header: the worker's status plus what the
/// window needs around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncOverview {
    pub status: SyncStatus,
    pub keyring: KeyringCheck,
    /// The stored portal profile (address, username; no secret), to fill in
    /// the sign-in dialog.
    pub profile: Option<Profile>,
    /// The signed-in person's name and unit, as the portal last said.
    pub display_name: Option<String>,
    pub unit_name: Option<String>,
    /// The signed-in person's role, as the portal last said.
    pub role: Option<UserRole>,
    /// 切换用户 locked the window until the next person signs in.
    pub locked: bool,
}

/// What the signed-in person does: 信息员 drafts and sends for sign-off,
/// 单位负责人 signs off (签发).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum UserRole {
    LiaisonOfficer,
    UnitHead,
    PortalEditor,
    Admin,
}

impl From<baosong_api::Role> for UserRole {
    fn from(r: baosong_api::Role) -> Self {
        match r {
            baosong_api::Role::LiaisonOfficer => UserRole::LiaisonOfficer,
            baosong_api::Role::UnitHead => UserRole::UnitHead,
            baosong_api::Role::PortalEditor => UserRole::PortalEditor,
            baosong_api::Role::Admin => UserRole::Admin,
        }
    }
}

/// One item at the portal: its submission, the status timeline (状态记录)
/// and its outbox entries (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemPortal {
    pub link: Option<PortalLink>,
    pub timeline: Vec<StatusEvent>,
    pub outbox: Vec<OutboxEntry>,
}

/// A desktop notification's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesktopNotice {
    pub title: String,
    pub body: String,
}

/// The desktop notification a portal change deserves: when the item moved to
/// adopted, returned (with the reason) or published (with the address).
/// Chinese first, then English, as everywhere in the app.
pub fn notice_for(change: &AppliedChange) -> Option<DesktopNotice> {
    if !change.moved {
        return None;
    }
    let title = change.title.trim();
    let title = if title.is_empty() {
        "（无标题 untitled）"
    } else {
        title
    };
    match change.state {
        ItemState::Returned => {
            let reason = change
                .event
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| change.event.comment.trim());
            Some(DesktopNotice {
                title: format!("稿件被退回 Returned：{title}"),
                body: format!("退回原因 Reason：{reason}\n请修改后重新送审、签发并报送。"),
            })
        }
        ItemState::Adopted => Some(DesktopNotice {
            title: format!("稿件已采用 Adopted：{title}"),
            body: "门户网站已采用此稿件。The portal adopted this item.".into(),
        }),
        ItemState::Published => {
            let url = change.event.public_url.as_deref().unwrap_or_default();
            Some(DesktopNotice {
                title: format!("稿件已发布 Published：{title}"),
                body: format!("发布地址 Address：{url}"),
            })
        }
        _ => None,
    }
}

/// Forwards a worker event to the window, and notifies the desktop when it
/// is worth it. Called on the worker's threads; never blocks.
fn forward<R: Runtime>(app: &AppHandle<R>, event: &SyncEvent) {
    if let Err(e) = app.emit(SYNC_EVENT, event) {
        eprintln!("baosong: sync: cannot tell the window: {e}");
    }
    if let SyncEvent::Changed { change } = event
        && let Some(notice) = notice_for(change)
    {
        eprintln!(
            "baosong: notification: item {} is now {}",
            change.item_id,
            change.state.code()
        );
        // Shown on a background thread of the plugin. Without a notification
        // server on the session bus (or without a bus) nothing is shown and
        // nothing fails; the window shows the same in its notice area.
        if let Err(e) = app
            .notification()
            .builder()
            .title(notice.title)
            .body(notice.body)
            .show()
        {
            eprintln!("baosong: the desktop notification could not be shown: {e}");
        }
    }
}

/// Starts the sync worker with the app: no session first, then the stored
/// sign-in (if any) and the keyring self-test, off the main thread.
pub fn start<R: Runtime>(app: &AppHandle<R>, state: Arc<AppState>) {
    let Ok(store) = state.shared_store().cloned() else {
        // The store could not be opened: every sync command says so.
        return;
    };
    let events = app.clone();
    let worker = SyncWorker::start(
        tauri::async_runtime::handle().inner(),
        store.clone(),
        None,
        move |event| forward(&events, &event),
    );
    state.set_sync(worker);

    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // The stored sign-in: reads the profile, touches neither the keyring
        // nor the network (the worker's first request does).
        let resumed = tauri::async_runtime::spawn_blocking(move || account::resume(&store)).await;
        match resumed {
            Ok(Ok(Some(session))) => {
                if let Ok(worker) = state.sync() {
                    worker.set_session(Some(session));
                }
            }
            Ok(Ok(None)) => {}
            Ok(Err(e)) => eprintln!("baosong: sync: the stored sign-in cannot be used: {e}"),
            Err(e) => eprintln!("baosong: sync: start-up task failed: {e}"),
        }
        let check = keyring_self_test().await;
        if let KeyringCheck::Failed { error } = &check {
            eprintln!("baosong: {}", error.en);
        }
        state.set_keyring(check.clone());
        if let Err(e) = app.emit(KEYRING_EVENT, &check) {
            eprintln!("baosong: sync: cannot tell the window: {e}");
        }
    });
}

async fn keyring_self_test() -> KeyringCheck {
    match tauri::async_runtime::spawn_blocking(secrets::self_test).await {
        Ok(Ok(())) => KeyringCheck::Ok,
        Ok(Err(e)) => KeyringCheck::Failed { error: e.to_user() },
        Err(e) => KeyringCheck::Failed {
            error: worker_failed(&e.to_string()),
        },
    }
}

fn not_signed_in() -> UserError {
    UserError {
        code: "not_signed_in".into(),
        zh: "尚未登录门户网站，请先登录。发件箱中的稿件会保留，登录后自动报送。".into(),
        en: "Not signed in to the portal: sign in first. Queued items stay in the outbox and go once you are signed in.".into(),
    }
}

fn empty_password() -> UserError {
    UserError {
        code: "config".into(),
        zh: "请输入密码。".into(),
        en: "The password is empty.".into(),
    }
}

fn to_user(e: SyncError) -> UserError {
    e.to_user()
}

/// Runs `f` with the store on a blocking thread.
async fn blocking<T, F>(state: Arc<AppState>, f: F) -> Result<T, UserError>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> Result<T, SyncError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || state.with_store_sync(f))
        .await
        .map_err(|e| worker_failed(&e.to_string()))?
}

/// The overview, from the worker and the store. Blocking (reads the store).
pub fn overview_blocking(state: &AppState) -> Result<SyncOverview, UserError> {
    let worker = state.sync()?;
    let mut status = worker.status();
    let (profile, me) = state.with_store_unguarded(|s| {
        // A damaged profile or cache shows as "not signed in", not as an error.
        Ok((
            Profile::load(s).ok().flatten(),
            directory::cached_me(s).ok().flatten(),
        ))
    })?;
    // Between resuming (or signing in) and the worker's first pass, the
    // status does not know about the session yet.
    if !status.signed_in
        && status.last_error.is_none()
        && let Some(session) = worker.session()
    {
        status.signed_in = true;
        status.username = Some(session.profile().username.clone());
        status.portal_url = Some(session.profile().portal_url.clone());
    }
    let locked = state.is_locked();
    let (display_name, unit_name, role) = match me {
        // Nobody is signed in while locked: show no one's name.
        Some(me)
            if !locked
                && profile
                    .as_ref()
                    .is_some_and(|p| p.username == me.user.username) =>
        {
            (
                Some(me.user.display_name).filter(|n| !n.trim().is_empty()),
                me.unit.map(|u| u.name),
                Some(UserRole::from(me.user.role)),
            )
        }
        _ => (None, None, None),
    };
    Ok(SyncOverview {
        status,
        keyring: state.keyring(),
        profile,
        display_name,
        unit_name,
        role,
        locked,
    })
}

pub async fn overview(state: Arc<AppState>) -> Result<SyncOverview, UserError> {
    tauri::async_runtime::spawn_blocking(move || overview_blocking(&state))
        .await
        .map_err(|e| worker_failed(&e.to_string()))?
}

/// What the sign-in dialog sends. The password is used once, for the token
/// request, and kept nowhere.
pub struct LoginForm {
    pub portal_url: String,
    pub username: String,
    pub password: String,
    pub ca_cert: Option<String>,
    pub proxy: Option<String>,
}

impl std::fmt::Debug for LoginForm {
    /// Never prints the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("portal_url", &self.portal_url)
            .field("username", &self.username)
            .field("ca_cert", &self.ca_cert)
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

/// Checks the form, signs in (the keyring is tested first, the refresh token
/// goes into it) and hands the session to the worker.
pub async fn login(state: Arc<AppState>, form: LoginForm) -> Result<SyncOverview, UserError> {
    if form.password.is_empty() {
        return Err(empty_password());
    }
    let ca_cert = form
        .ca_cert
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    let profile =
        Profile::new(&form.portal_url, &form.username, ca_cert, form.proxy).map_err(to_user)?;
    let store = state.shared_store()?.clone();
    let worker = state.sync()?;
    let (session, _me) = account::login(&store, profile, &form.password)
        .await
        .map_err(to_user)?;
    // Signing in ran the keyring self-test, and it passed.
    state.set_keyring(KeyringCheck::Ok);
    worker.set_session(Some(session));
    state.set_locked(false)?;
    overview(state).await
}

/// Signs out: the worker stops using the session, the portal revokes it
/// (when reachable) and the keyring forgets the refresh token. The outbox
/// and the profile stay.
pub async fn logout(state: Arc<AppState>) -> Result<SyncOverview, UserError> {
    let store = state.shared_store()?.clone();
    state.sync()?.set_session(None);
    account::logout(&store).await.map_err(to_user)?;
    overview(state).await
}

/// 切换用户: locks the window (no command shows data until someone signs in
/// again), then signs the current person out, so the next one signs in
/// with their own portal password. Nothing is deleted.
pub async fn switch_user(state: Arc<AppState>) -> Result<SyncOverview, UserError> {
    let store = state.shared_store()?.clone();
    state.set_locked(true)?;
    state.sync()?.set_session(None);
    if let Err(e) = account::logout(&store).await {
        // Locked regardless; the portal forgets the sign-in when it expires.
        eprintln!("baosong: sync: signing out on 切换用户: {e}");
    }
    overview(state).await
}

/// 报送: queues the signed-off item (state change and outbox entry in one
/// transaction) and wakes the worker. Works offline and signed out: the
/// entry waits in the outbox.
pub async fn submit_item(state: Arc<AppState>, id: String) -> Result<ItemView, UserError> {
    let view = blocking(state.clone(), move |s| {
        let id = s.resolve_id(&id)?;
        let (item, _entry) = outbox::enqueue(s, id)?;
        Ok(ItemView::from(item))
    })
    .await?;
    state.sync()?.wake();
    Ok(view)
}

/// 立即同步: a pass now.
pub async fn sync_now(state: Arc<AppState>) -> Result<SyncOverview, UserError> {
    let worker = state.sync()?;
    if worker.session().is_none() {
        return Err(not_signed_in());
    }
    worker.wake();
    overview(state).await
}

pub async fn list_outbox(
    state: Arc<AppState>,
    include_delivered: bool,
) -> Result<Vec<OutboxEntry>, UserError> {
    blocking(state, move |s| {
        Ok(s.list_outbox(include_delivered, OUTBOX_LIMIT)?)
    })
    .await
}

/// 立即重试 on an entry the portal refused: back to the queue, and a pass now.
pub async fn retry_outbox_entry(
    state: Arc<AppState>,
    id: String,
) -> Result<OutboxEntry, UserError> {
    let entry = blocking(state.clone(), move |s| Ok(s.retry_outbox_entry(&id)?)).await?;
    state.sync()?.wake();
    Ok(entry)
}

pub async fn item_portal(state: Arc<AppState>, id: String) -> Result<ItemPortal, UserError> {
    blocking(state, move |s| {
        let id = s.resolve_id(&id)?;
        Ok(ItemPortal {
            link: s.portal_link(id)?,
            timeline: s.status_timeline(id)?,
            outbox: s.item_outbox(id)?,
        })
    })
    .await
}

/// The columns to draft with: the portal's, as last fetched, else the
/// built-in list (never signed in, or the store is unavailable).
pub fn columns_blocking(state: &AppState) -> Vec<baosong_core::model::ColumnRef> {
    let cached = state
        .with_store_sync(directory::cached_columns)
        .ok()
        .flatten()
        .map(|list| {
            list.columns
                .into_iter()
                .map(|c| baosong_core::model::ColumnRef {
                    id: c.id,
                    name: c.name,
                })
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty());
    cached.unwrap_or_else(baosong_core::columns::default_columns)
}
