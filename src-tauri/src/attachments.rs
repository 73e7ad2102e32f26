//! The attachment commands: thin wrappers over `baosong-core`'s attachment
//! store. A file comes from the web view as the raw body of the IPC request
//! (the page reads what the user picked or dropped), with the item id and the
//! file name in headers; it never goes through JSON.

use std::sync::Arc;

use baosong_core::model::AttachmentEntry;
use baosong_core::{ItemView, UserError};
use tauri::ipc::{InvokeBody, Request};

use crate::commands::run_blocking;
use crate::state::AppState;

/// What an attachment command did: the item as now stored (the editor
/// reopens it: it is a new revision), the file, and what was removed from it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AttachmentChange {
    pub view: ItemView,
    pub entry: AttachmentEntry,
    /// Metadata or hidden content removed (`GPS 位置`, `批注 2 条` …).
    pub removed: Vec<String>,
    /// False when nothing changed (the file was already attached, or had
    /// nothing to clean).
    pub changed: bool,
}

/// The largest file the window hands over (the CLI streams bigger ones).
const MAX_IPC_BYTES: usize = 200 * 1024 * 1024;

fn bad(code: &str, zh: &str, en: &str) -> UserError {
    UserError {
        code: code.into(),
        zh: zh.into(),
        en: en.into(),
    }
}

/// A header's value, percent-decoded (the page encodes names with
/// `encodeURIComponent`, as headers carry ASCII only).
fn header(request: &Request<'_>, name: &str) -> Result<String, UserError> {
    let raw = request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            bad(
                "bad_request",
                "请求缺少必要信息",
                "the request lacks a header",
            )
        })?;
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| {
            bad(
                "bad_request",
                "文件名不是有效的文字",
                "the file name is not valid UTF-8",
            )
        })
}

/// The file sent as the request's raw body, within the size the window
/// hands over.
fn file_bytes(request: &Request<'_>) -> Result<Vec<u8>, UserError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(bad(
            "bad_request",
            "没有收到文件内容",
            "no file content received",
        ));
    };
    if bytes.len() > MAX_IPC_BYTES {
        return Err(bad(
            "too_large",
            "文件超过 200 MB，请用命令行 baosong attachment add / baosong import",
            "the file is over 200 MB; use `baosong attachment add` / `baosong import`",
        ));
    }
    Ok(bytes.clone())
}

/// `attach_file`: body = the file's bytes; headers `x-item-id`,
/// `x-file-name`, and `x-keep-metadata: 1` to keep an image's metadata.
pub async fn attach_file(
    state: Arc<AppState>,
    request: Request<'_>,
) -> Result<AttachmentChange, UserError> {
    let id = header(&request, "x-item-id")?;
    let name = header(&request, "x-file-name")?;
    let keep = header(&request, "x-keep-metadata").is_ok_and(|v| v == "1");
    let bytes = file_bytes(&request)?;
    run_blocking(state, move |s| {
        let id = s.resolve_id(&id)?;
        let a = s.add_attachment_bytes(id, &name, &bytes, keep)?;
        Ok(AttachmentChange {
            view: ItemView::from(a.item),
            entry: a.entry,
            removed: a.removed,
            changed: a.added,
        })
    })
    .await
}

pub async fn clean_attachment(
    state: Arc<AppState>,
    id: String,
    sha256: String,
) -> Result<AttachmentChange, UserError> {
    run_blocking(state, move |s| {
        let id = s.resolve_id(&id)?;
        let c = s.clean_attachment(id, &sha256)?;
        Ok(AttachmentChange {
            changed: !c.removed.is_empty(),
            view: ItemView::from(c.item),
            entry: c.entry,
            removed: c.removed,
        })
    })
    .await
}

/// What 缩小用于网页 did: the change, and the picture's size as shown before
/// and after (equal when it already fitted and nothing changed).
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AttachmentResized {
    pub change: AttachmentChange,
    pub from: [u32; 2],
    pub to: [u32; 2],
}

pub async fn downscale_attachment(
    state: Arc<AppState>,
    id: String,
    sha256: String,
    size: baosong_core::WebSize,
) -> Result<AttachmentResized, UserError> {
    run_blocking(state, move |s| {
        let id = s.resolve_id(&id)?;
        let d = s.downscale_attachment(id, &sha256, size)?;
        Ok(AttachmentResized {
            from: [d.from.0, d.from.1],
            to: [d.to.0, d.to.1],
            change: AttachmentChange {
                changed: d.from != d.to,
                view: ItemView::from(d.item),
                entry: d.entry,
                removed: Vec::new(),
            },
        })
    })
    .await
}

pub async fn set_attachment_alt(
    state: Arc<AppState>,
    id: String,
    sha256: String,
    alt: String,
) -> Result<ItemView, UserError> {
    run_blocking(state, move |s| {
        let id = s.resolve_id(&id)?;
        s.set_attachment_alt(id, &sha256, &alt).map(ItemView::from)
    })
    .await
}

pub async fn remove_attachment(
    state: Arc<AppState>,
    id: String,
    sha256: String,
) -> Result<ItemView, UserError> {
    run_blocking(state, move |s| {
        let id = s.resolve_id(&id)?;
        s.remove_attachment(id, &sha256).map(ItemView::from)
    })
    .await
}

/// `import_docx`: body = the .docx; headers `x-file-name`, `x-column-id`,
/// `x-column-name`, `x-attach-original: 1`. Creates the draft and says what
/// the user should know.
pub async fn import_docx(
    state: Arc<AppState>,
    request: Request<'_>,
) -> Result<baosong_core::store::ImportReport, UserError> {
    let name = header(&request, "x-file-name")?;
    let column = baosong_core::model::ColumnRef {
        id: header(&request, "x-column-id")?,
        name: header(&request, "x-column-name")?,
    };
    let attach_original = header(&request, "x-attach-original").is_ok_and(|v| v == "1");
    let bytes = file_bytes(&request)?;
    run_blocking(state, move |s| {
        s.import_docx(&name, &bytes, column, attach_original)
    })
    .await
}

/// The preview HTML with the item's pictures placed as `picture://`
/// addresses (see `crate::pictures`); other files keep their reference.
pub fn place_images(attachments: &[AttachmentEntry], html: &str) -> String {
    baosong_core::render::place_attachments(html, |sha| {
        let a = attachments.iter().find(|a| a.sha256 == sha)?;
        a.is_image().then(|| crate::pictures::url(sha))
    })
}
