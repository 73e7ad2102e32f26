//! attachment add / list / clean / alt / remove / get: an item's files
//! (附件), checked like the body.

use std::path::{Path, PathBuf};

use baosong_core::model::AttachmentEntry;
use baosong_core::{Lang, Store, WebSize};
use serde::Serialize;

use crate::error::CliError;
use crate::output::Out;

/// `baosong attachment add ID FILE...`
pub fn add(
    store: &Store,
    out: &mut Out,
    id: &str,
    files: &[PathBuf],
    keep_metadata: bool,
    web: Option<WebSize>,
) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    if let Some(web) = web {
        // Refused before anything is attached.
        web.validate().map_err(baosong_core::StoreError::from)?;
    }
    let mut added = Vec::new();
    for file in files {
        let a = store.add_attachment_file(id, file, keep_metadata)?;
        let mut entry = a.entry;
        let mut resized = None;
        if let Some(web) = web.filter(|_| entry.is_image()) {
            let d = store.downscale_attachment(id, &entry.sha256, web)?;
            if d.from != d.to {
                resized = Some((d.from, d.to));
            }
            entry = d.entry;
        }
        added.push(Added {
            file: file.display().to_string(),
            entry,
            removed: a.removed,
            already_attached: !a.added,
            resized,
        });
    }
    out.emit(&added, |lang| {
        added
            .iter()
            .map(|a| {
                let mut line = match (lang, a.already_attached) {
                    (Lang::Zh, false) => {
                        format!("已添加附件：{}（{}）", a.entry.name, size(a.entry.size))
                    }
                    (Lang::Zh, true) => format!("该文件已是附件：{}", a.entry.name),
                    (Lang::En, false) => {
                        format!("attached: {} ({})", a.entry.name, size(a.entry.size))
                    }
                    (Lang::En, true) => format!("already attached: {}", a.entry.name),
                };
                if let Some((from, to)) = a.resized {
                    line.push_str(&format!("\n  {}", resized_text(lang, from, to)));
                }
                if !a.removed.is_empty() {
                    line.push_str(&match lang {
                        Lang::Zh => format!("\n  已清除图片元数据：{}", a.removed.join("、")),
                        Lang::En => format!("\n  image metadata removed: {}", a.removed.join(", ")),
                    });
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

#[derive(Serialize)]
struct Added {
    file: String,
    entry: AttachmentEntry,
    removed: Vec<String>,
    already_attached: bool,
    /// Width × height before and after the web copy, when one was made.
    resized: Option<((u32, u32), (u32, u32))>,
}

fn resized_text(lang: Lang, from: (u32, u32), to: (u32, u32)) -> String {
    match lang {
        Lang::Zh => format!(
            "已缩小用于网页：{}×{} → {}×{}（原图保留在本机）",
            from.0, from.1, to.0, to.1
        ),
        Lang::En => format!(
            "web copy: {}×{} → {}×{} (the original stays on this computer)",
            from.0, from.1, to.0, to.1
        ),
    }
}

/// One attachment with what the check found in it.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    entry: AttachmentEntry,
    findings: Vec<ListedFinding>,
}

#[derive(Serialize)]
struct ListedFinding {
    rule: String,
    severity: baosong_check::Severity,
    location: String,
    message: String,
}

/// `baosong attachment list ID`: the files, each with its findings.
pub fn list(store: &Store, out: &mut Out, id: &str) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let item = store.get_item(id)?;
    let check = store.check_item(id)?;
    let listed: Vec<Listed> = item
        .content
        .attachments
        .iter()
        .enumerate()
        .map(|(i, entry)| Listed {
            entry: entry.clone(),
            findings: check
                .report
                .findings
                .iter()
                .filter(|f| f.attachment.as_ref().is_some_and(|a| a.index as usize == i))
                .map(|f| ListedFinding {
                    rule: f.rule.clone(),
                    severity: f.severity,
                    location: f
                        .attachment
                        .as_ref()
                        .map(|a| a.location.clone())
                        .unwrap_or_default(),
                    message: f.message.zh.clone(),
                })
                .collect(),
        })
        .collect();
    out.emit(&listed, |lang| human_list(&listed, lang))
}

fn human_list(listed: &[Listed], lang: Lang) -> String {
    if listed.is_empty() {
        return lang.pick("（没有附件）", "(no attachments)").to_owned();
    }
    let mut lines = Vec::new();
    for (i, l) in listed.iter().enumerate() {
        let e = &l.entry;
        lines.push(format!(
            "{}. {}  {}  {}  {}",
            i + 1,
            e.name,
            size(e.size),
            e.media_type,
            &e.sha256[..12.min(e.sha256.len())]
        ));
        if !e.alt.is_empty() {
            lines.push(format!("   {}{}", lang.pick("说明：", "alt: "), e.alt));
        }
        if !e.note.is_empty() {
            lines.push(format!("   {}", e.note));
        }
        for f in &l.findings {
            let sev = match lang {
                Lang::Zh => f.severity.label_zh(),
                Lang::En => f.severity.code(),
            };
            let at = if f.location.is_empty() {
                String::new()
            } else {
                format!("[{}] ", f.location)
            };
            lines.push(format!("   {sev} {} {at}{}", f.rule, f.message));
        }
    }
    lines.join("\n")
}

/// `baosong attachment clean ID ATTACHMENT`: 一键清理.
pub fn clean(store: &Store, out: &mut Out, id: &str, which: &str) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let c = store.clean_attachment(id, which)?;
    out.emit(
        &serde_json::json!({ "entry": c.entry, "removed": c.removed, "revision": c.item.revision }),
        |lang| match (lang, c.removed.is_empty()) {
            (Lang::Zh, true) => format!("{}：没有需要清理的内容", c.entry.name),
            (Lang::En, true) => format!("{}: nothing to clean", c.entry.name),
            (Lang::Zh, false) => format!("已清理 {}：{}", c.entry.name, c.removed.join("、")),
            (Lang::En, false) => format!("cleaned {}: {}", c.entry.name, c.removed.join(", ")),
        },
    )
}

/// `baosong attachment resize ID ATTACHMENT [--max-side N] [--quality Q]`
pub fn resize(
    store: &Store,
    out: &mut Out,
    id: &str,
    which: &str,
    web: WebSize,
) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let d = store.downscale_attachment(id, which, web)?;
    let changed = d.from != d.to;
    out.emit(
        &serde_json::json!({
            "entry": d.entry,
            "from": [d.from.0, d.from.1],
            "to": [d.to.0, d.to.1],
            "changed": changed,
            "revision": d.item.revision,
        }),
        |lang| {
            if changed {
                format!("{}：{}", d.entry.name, resized_text(lang, d.from, d.to))
            } else {
                match lang {
                    Lang::Zh => format!(
                        "{}：{}×{}，已不超过 {} 像素，未改动",
                        d.entry.name, d.from.0, d.from.1, web.max_side
                    ),
                    Lang::En => format!(
                        "{}: {}×{} already fits {} pixels; unchanged",
                        d.entry.name, d.from.0, d.from.1, web.max_side
                    ),
                }
            }
        },
    )
}

/// `baosong attachment alt ID ATTACHMENT TEXT`
pub fn alt(
    store: &Store,
    out: &mut Out,
    id: &str,
    which: &str,
    text: &str,
) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let item = store.set_attachment_alt(id, which, text)?;
    out.emit(&serde_json::json!({ "revision": item.revision }), |lang| {
        lang.pick("已保存图片说明", "alt text saved").to_owned()
    })
}

/// `baosong attachment remove ID ATTACHMENT`
pub fn remove(store: &Store, out: &mut Out, id: &str, which: &str) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let item = store.remove_attachment(id, which)?;
    out.emit(&serde_json::json!({ "revision": item.revision }), |lang| {
        lang.pick("已删除附件", "attachment removed").to_owned()
    })
}

/// `baosong attachment get ID ATTACHMENT --out FILE`: the stored file,
/// verified against its hash, written whole or not at all.
pub fn get(
    store: &Store,
    out: &mut Out,
    id: &str,
    which: &str,
    file: &Path,
) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let item = store.get_item(id)?;
    let entry = item
        .content
        .attachments
        .iter()
        .find(|a| a.name == which || (!which.is_empty() && a.sha256.starts_with(which)))
        .ok_or_else(|| baosong_core::StoreError::NoSuchAttachment(which.to_owned()))?;
    let bytes = store
        .blobs()
        .read(&entry.sha256)
        .map_err(baosong_core::StoreError::from)?;
    crate::input::write_atomically(file, &bytes)?;
    let shown = file.display().to_string();
    out.emit(
        &serde_json::json!({ "file": shown, "sha256": entry.sha256 }),
        |lang| match lang {
            Lang::Zh => format!("已保存：{shown}"),
            Lang::En => format!("written: {shown}"),
        },
    )
}

/// `1.2 MB`, `340 KB`, `12 B`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{} KB", b >> 10),
        b => format!("{b} B"),
    }
}

/// `baosong import FILE.docx`: prints the new item's id on the first line
/// (for scripts), then what the user should know: images, metadata
/// removed, what did not come across.
pub fn import(
    store: &Store,
    out: &mut Out,
    file: &Path,
    column: &str,
    attach_original: bool,
) -> Result<(), CliError> {
    let bytes = crate::input::read_bytes_up_to(file, baosong_files_limit())?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let column = super::column_from_arg(store, column);
    let report = store.import_docx(&name, &bytes, column, attach_original)?;
    out.emit(&report, |lang| {
        let mut lines = vec![report.item.id.to_string()];
        if report.images > 0 {
            lines.push(match lang {
                Lang::Zh => format!("图片 {} 张已作为附件", report.images),
                Lang::En => format!("{} image(s) attached", report.images),
            });
        }
        if !report.removed.is_empty() {
            lines.push(match lang {
                Lang::Zh => format!("已清除图片元数据：{}", report.removed.join("、")),
                Lang::En => format!("image metadata removed: {}", report.removed.join(", ")),
            });
        }
        lines.extend(report.notes.iter().map(|n| format!("注意：{n}")));
        lines.join("\n")
    })
}

/// The largest document `import` reads (baosong-files' own limit).
fn baosong_files_limit() -> u64 {
    baosong_core::store::IMPORT_MAX_BYTES
}
