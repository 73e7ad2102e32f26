//! attachment add / list / clean / alt / remove / get: an item's files
//! (附件), checked like the body.

use std::path::{Path, PathBuf};

use baosong_core::model::AttachmentEntry;
use baosong_core::{Lang, Store};
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
) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let mut added = Vec::new();
    for file in files {
        let a = store.add_attachment_file(id, file, keep_metadata)?;
        added.push(Added {
            file: file.display().to_string(),
            entry: a.entry,
            removed: a.removed,
            already_attached: !a.added,
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
    write_atomic(file, &bytes)?;
    let shown = file.display().to_string();
    out.emit(
        &serde_json::json!({ "file": shown, "sha256": entry.sha256 }),
        |lang| match lang {
            Lang::Zh => format!("已保存：{shown}"),
            Lang::En => format!("written: {shown}"),
        },
    )
}

fn write_atomic(file: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let werr = |e| CliError::Write(file.display().to_string(), e);
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(werr)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(werr)?;
    tmp.persist(file).map_err(|e| werr(e.error))?;
    Ok(())
}

/// `1.2 MB`, `340 KB`, `12 B`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{} KB", b >> 10),
        b => format!("{b} B"),
    }
}
