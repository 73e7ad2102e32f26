//! The IPC commands: thin, typed wrappers over `baosong-core`. No business rules
//! live here. Each command runs its store work on a blocking worker thread so
//! the window never waits on SQLite, and answers with a [`UserError`] (code plus
//! Chinese and English message) instead of ever panicking.
//!
//! JavaScript calls them with camelCase argument names, e.g.
//! `invoke('save_item', { id, content, baseRevision })`.
//!
//! Adding a command: write it here, add it to `generate_handler!` in `lib.rs`,
//! to `command_names.rs`, and grant `allow-<name>` in `capabilities/main.json`.

use std::sync::Arc;

use baosong_core::model::Review;
use baosong_core::model::{ColumnRef, ItemContent, OutboxEntry};
use baosong_core::view::{ItemCheck, RevisionDiff, RevisionSummary};
use baosong_core::{Action, AppInfo, ItemSummary, ItemView, ListQuery, StoreError, UserError};
use baosong_core::{Store, columns, render};
use baosong_sync::review_view::{ItemReviews, ReviewDetail, SigningKeyStatus};
use tauri::State;

use crate::record;
use crate::review;
use crate::state::{AppState, worker_failed};
use crate::sync::{self, ItemPortal, LoginForm, SyncOverview};

type Shared<'a> = State<'a, Arc<AppState>>;

/// Runs `f` with the store on a blocking worker thread.
pub async fn run_blocking<T, F>(state: Arc<AppState>, f: F) -> Result<T, UserError>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || state.with_store_blocking(f))
        .await
        .map_err(|e| worker_failed(&e.to_string()))?
}

#[tauri::command]
pub async fn app_info(state: Shared<'_>) -> Result<AppInfo, UserError> {
    Ok(state.app_info())
}

#[tauri::command]
pub async fn list_items(
    state: Shared<'_>,
    query: ListQuery,
) -> Result<Vec<ItemSummary>, UserError> {
    run_blocking(state.inner().clone(), move |s| s.list_items(&query)).await
}

#[tauri::command]
pub async fn get_item(state: Shared<'_>, id: String) -> Result<ItemView, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        let id = s.resolve_id(&id)?;
        s.get_item(id).map(ItemView::from)
    })
    .await
}

#[tauri::command]
pub async fn create_item(state: Shared<'_>, content: ItemContent) -> Result<ItemView, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        s.create_item(content).map(ItemView::from)
    })
    .await
}

#[tauri::command]
pub async fn save_item(
    state: Shared<'_>,
    id: String,
    content: ItemContent,
    base_revision: u32,
) -> Result<ItemView, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        let id = s.resolve_id(&id)?;
        s.save_content(id, content, Some(base_revision))
            .map(ItemView::from)
    })
    .await
}

#[tauri::command]
pub async fn apply_action(
    state: Shared<'_>,
    id: String,
    action: Action,
) -> Result<ItemView, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        let id = s.resolve_id(&id)?;
        s.apply_action(id, action).map(ItemView::from)
    })
    .await
}

/// Renders Markdown to sanitised HTML for the preview pane. Needs no store, so
/// it works even when the store could not be opened.
/// The preview of a body. With the item's `id`, its image attachments show
/// where the body places them (as `data:` URLs: the web view loads nothing
/// from outside, and the CSP allows `data:` images).
#[tauri::command]
pub async fn render_preview(
    state: Shared<'_>,
    markdown: String,
    id: Option<String>,
) -> Result<String, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        let html = render::render_markdown(&markdown);
        let Some(id) = id else { return Ok(html) };
        let item = s.get_item(s.resolve_id(&id)?)?;
        Ok(crate::attachments::place_images(
            &item.content.attachments,
            &html,
        ))
    })
    .await
}

#[tauri::command]
pub async fn list_revisions(
    state: Shared<'_>,
    id: String,
) -> Result<Vec<RevisionSummary>, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        let id = s.resolve_id(&id)?;
        s.list_revisions(id)
    })
    .await
}

#[tauri::command]
pub async fn diff_revisions(
    state: Shared<'_>,
    id: String,
    from: u32,
    to: u32,
) -> Result<RevisionDiff, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        let id = s.resolve_id(&id)?;
        s.diff_revisions(id, from, to)
    })
    .await
}

#[tauri::command]
pub async fn restore_revision(
    state: Shared<'_>,
    id: String,
    revision: u32,
) -> Result<ItemView, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        let id = s.resolve_id(&id)?;
        s.restore_revision(id, revision).map(ItemView::from)
    })
    .await
}

/// Checks the editor's visible text while the user types (plain text, so the
/// UTF-16 offsets map straight onto the editor's text), with the same
/// lexicons as the sign-off gate.
#[tauri::command]
pub async fn check_text(
    state: Shared<'_>,
    title: String,
    body: String,
) -> Result<baosong_check::CheckReport, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        report_lexicon_problems(s);
        Ok(s.checker().check(&baosong_check::CheckInput {
            title: &title,
            summary: "",
            keywords: "",
            body: &body,
            body_format: baosong_check::BodyFormat::Plain,
        }))
    })
    .await
}

/// Lexicon files that could not be loaded, logged once (the checker, and so
/// this list, is built on the first check).
fn report_lexicon_problems(s: &Store) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for p in s.lexicon_problems() {
            eprintln!("baosong: {}", p.en);
        }
    });
}

/// The stored item's check, decisions and whether it may go to sign-off.
#[tauri::command]
pub async fn check_item(state: Shared<'_>, id: String) -> Result<ItemCheck, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        let id = s.resolve_id(&id)?;
        s.check_item(id)
    })
    .await
}

/// Records a decision on a finding: fixed, or (errors only) confirmed with a reason.
#[tauri::command]
pub async fn decide_finding(
    state: Shared<'_>,
    id: String,
    fingerprint: String,
    kind: baosong_check::DecisionKind,
    reason: Option<String>,
) -> Result<ItemCheck, UserError> {
    run_blocking(state.inner().clone(), move |s| {
        let id = s.resolve_id(&id)?;
        s.decide(id, &fingerprint, kind, reason)
    })
    .await
}

/// The portal's columns as last fetched (for drafting offline), else the
/// built-in list.
#[tauri::command]
pub async fn list_columns(state: Shared<'_>) -> Result<Vec<ColumnRef>, UserError> {
    let state = state.inner().clone();
    Ok(
        tauri::async_runtime::spawn_blocking(move || sync::columns_blocking(&state))
            .await
            .unwrap_or_else(|_| columns::default_columns()),
    )
}

/// Called once by the UI when its first screen is on show; the cold-start
/// benchmark reads the line this prints.
#[tauri::command]
pub async fn app_ready(state: Shared<'_>) -> Result<(), UserError> {
    let (elapsed, first) = state.mark_ready();
    if first {
        eprintln!("baosong: ready after {} ms", elapsed.as_millis());
    }
    Ok(())
}

// ---- the portal (sync); the work is in `sync.rs` and `baosong-sync` --------

/// Signed in as whom, online or not, what waits in the outbox, the keyring.
#[tauri::command]
pub async fn sync_status(state: Shared<'_>) -> Result<SyncOverview, UserError> {
    sync::overview(state.inner().clone()).await
}

/// Signs in to the portal. The password is used for the token request only:
/// never stored, logged or returned.
#[tauri::command]
pub async fn login(
    state: Shared<'_>,
    portal_url: String,
    username: String,
    password: String,
    ca_cert: Option<String>,
    proxy: Option<String>,
) -> Result<SyncOverview, UserError> {
    let form = LoginForm {
        portal_url,
        username,
        password,
        ca_cert,
        proxy,
    };
    sync::login(state.inner().clone(), form).await
}

#[tauri::command]
pub async fn logout(state: Shared<'_>) -> Result<SyncOverview, UserError> {
    sync::logout(state.inner().clone()).await
}

/// 报送: the signed-off item goes into the outbox (sent as soon as the portal
/// can be reached). `apply_action(queue)` is refused; this is the way.
#[tauri::command]
pub async fn submit_item(state: Shared<'_>, id: String) -> Result<ItemView, UserError> {
    sync::submit_item(state.inner().clone(), id).await
}

/// 立即同步
#[tauri::command]
pub async fn sync_now(state: Shared<'_>) -> Result<SyncOverview, UserError> {
    sync::sync_now(state.inner().clone()).await
}

/// The outbox, newest first; delivered entries only when asked for.
#[tauri::command]
pub async fn list_outbox(
    state: Shared<'_>,
    include_delivered: bool,
) -> Result<Vec<OutboxEntry>, UserError> {
    sync::list_outbox(state.inner().clone(), include_delivered).await
}

/// 立即重试 on an entry the portal refused.
#[tauri::command]
pub async fn retry_outbox_entry(state: Shared<'_>, id: String) -> Result<OutboxEntry, UserError> {
    sync::retry_outbox_entry(state.inner().clone(), id).await
}

/// One item at the portal: submission, status timeline, outbox entries.
#[tauri::command]
pub async fn item_portal(state: Shared<'_>, id: String) -> Result<ItemPortal, UserError> {
    sync::item_portal(state.inner().clone(), id).await
}

/// 切换用户: locks the window and signs the current person out; the next
/// person signs in with their own portal password.
#[tauri::command]
pub async fn switch_user(state: Shared<'_>) -> Result<SyncOverview, UserError> {
    sync::switch_user(state.inner().clone()).await
}

// ---- review and sign-off; the work is in `review.rs` and `baosong-sync` ----

/// 送审: to a head (or any head), with a note, on this computer or also
/// through the portal's review queue.
#[tauri::command]
pub async fn send_for_review(
    state: Shared<'_>,
    id: String,
    form: review::SendForReview,
) -> Result<ItemView, UserError> {
    review::send_for_review(state.inner().clone(), id, form).await
}

/// 待我签发
#[tauri::command]
pub async fn pending_reviews(state: Shared<'_>) -> Result<Vec<Review>, UserError> {
    review::pending_reviews(state.inner().clone()).await
}

/// An item's reviews (comments of 退回修改) and latest sign-off (签发已失效).
#[tauri::command]
pub async fn item_reviews(state: Shared<'_>, id: String) -> Result<ItemReviews, UserError> {
    review::item_reviews(state.inner().clone(), id).await
}

/// The review screen: the item as it will be signed, its check, the diff.
#[tauri::command]
pub async fn review_detail(
    state: Shared<'_>,
    review_id: String,
) -> Result<ReviewDetail, UserError> {
    review::review_detail(state.inner().clone(), review_id).await
}

/// 签发 (the opinion defaults to 同意报送).
#[tauri::command]
pub async fn sign_review(
    state: Shared<'_>,
    review_id: String,
    opinion: String,
) -> Result<Review, UserError> {
    review::sign_review(state.inner().clone(), review_id, opinion).await
}

/// 退回修改 with the opinion and comments anchored to the text.
#[tauri::command]
pub async fn return_review(
    state: Shared<'_>,
    review_id: String,
    opinion: String,
    comments: Vec<review::NewComment>,
) -> Result<Review, UserError> {
    review::return_review(state.inner().clone(), review_id, opinion, comments).await
}

/// The signing key's fingerprint and whether the portal has it.
#[tauri::command]
pub async fn signing_key(state: Shared<'_>) -> Result<SigningKeyStatus, UserError> {
    review::signing_key(state.inner().clone()).await
}

#[tauri::command]
pub async fn rotate_signing_key(state: Shared<'_>) -> Result<SigningKeyStatus, UserError> {
    review::rotate_signing_key(state.inner().clone()).await
}

/// The item's registration record (登记): who wrote, checked, sent, signed, and when.
#[tauri::command]
pub async fn registration_record(
    state: Shared<'_>,
    id: String,
) -> Result<baosong_core::model::RegistrationRecord, UserError> {
    record::registration_record(state.inner().clone(), id).await
}

/// 导出审批单: the approval sheet as a PDF in the documents folder
/// (`~/文档/报送审批单` or the XDG equivalent; the home folder if there is none).
#[tauri::command]
pub async fn export_sheet(
    app: tauri::AppHandle,
    state: Shared<'_>,
    id: String,
) -> Result<record::ExportedSheet, UserError> {
    use tauri::Manager;
    let base = app
        .path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| worker_failed(&e.to_string()))?;
    record::export_sheet(state.inner().clone(), id, base.join("报送审批单")).await
}

/// Attaches a file sent as the raw request body (see `attachments`).
#[tauri::command]
pub async fn attach_file(
    state: Shared<'_>,
    request: tauri::ipc::Request<'_>,
) -> Result<crate::attachments::AttachmentChange, UserError> {
    crate::attachments::attach_file(state.inner().clone(), request).await
}

/// 一键清理 of one attachment.
#[tauri::command]
pub async fn clean_attachment(
    state: Shared<'_>,
    id: String,
    sha256: String,
) -> Result<crate::attachments::AttachmentChange, UserError> {
    crate::attachments::clean_attachment(state.inner().clone(), id, sha256).await
}

/// 缩小用于网页: a smaller copy of a picture replaces it; the full-size one
/// stays in the local store.
#[tauri::command]
pub async fn downscale_attachment(
    state: Shared<'_>,
    id: String,
    sha256: String,
    size: baosong_core::WebSize,
) -> Result<crate::attachments::AttachmentResized, UserError> {
    crate::attachments::downscale_attachment(state.inner().clone(), id, sha256, size).await
}

#[tauri::command]
pub async fn set_attachment_alt(
    state: Shared<'_>,
    id: String,
    sha256: String,
    alt: String,
) -> Result<ItemView, UserError> {
    crate::attachments::set_attachment_alt(state.inner().clone(), id, sha256, alt).await
}

#[tauri::command]
pub async fn remove_attachment(
    state: Shared<'_>,
    id: String,
    sha256: String,
) -> Result<ItemView, UserError> {
    crate::attachments::remove_attachment(state.inner().clone(), id, sha256).await
}

/// 导入 Word: a .docx sent as the raw request body becomes a new draft.
#[tauri::command]
pub async fn import_docx(
    state: Shared<'_>,
    request: tauri::ipc::Request<'_>,
) -> Result<baosong_core::store::ImportReport, UserError> {
    crate::attachments::import_docx(state.inner().clone(), request).await
}
