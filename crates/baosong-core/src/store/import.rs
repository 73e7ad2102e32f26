//! 导入 Word/WPS: a .docx becomes a new draft in one revision — title, body
//! as Markdown, the document's images as attachments placed where they stood
//! (stripped of their metadata), and by default the original file attached
//! too, so its hidden content (comments, tracked changes, author) is checked
//! and cleaned like any attachment. A file that cannot be read creates
//! nothing.

use baosong_files::docx::import::import_docx;
use baosong_files::{FileKind, Limits};

use super::{Result, Store};
use crate::model::{AttachmentEntry, ColumnRef, Item, ItemContent};

/// The largest document imported: the file reader's own limit.
pub const IMPORT_MAX_BYTES: u64 = 200 * 1024 * 1024;

/// What an import made, and what the user should know about it.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportReport {
    pub item: Item,
    /// Images taken from the document.
    pub images: u32,
    /// What did not come across as it was (comments not imported, merged
    /// cells split, …), for people.
    pub notes: Vec<String>,
    /// Metadata removed from the images (`GPS 位置` …).
    pub removed: Vec<String>,
}

impl Store {
    /// Imports a .docx as a new draft in `column`. With `attach_original`
    /// the file itself becomes the last attachment.
    pub fn import_docx(
        &self,
        file_name: &str,
        bytes: &[u8],
        column: ColumnRef,
        attach_original: bool,
    ) -> Result<ImportReport> {
        let limits = Limits::default();
        let doc = import_docx(bytes, &limits)?;
        let blobs = self.blobs();
        let mut body = doc.markdown;
        let mut attachments = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        for image in &doc.images {
            let kind = FileKind::detect(&image.name, &image.bytes);
            let original = blobs.put_bytes(&image.bytes)?;
            let mut entry = AttachmentEntry {
                sha256: original.sha256.clone(),
                name: image.name.clone(),
                size: original.size,
                media_type: image.media_type.clone(),
                alt: image.alt.clone(),
                ..AttachmentEntry::default()
            };
            if let Ok(Some(stripped)) = baosong_files::clean(kind, &image.bytes, &limits)
                && !stripped.removed.is_empty()
            {
                let s = blobs.put_bytes(&stripped.bytes)?;
                body = body.replace(&entry.body_ref(), &format!("attachment:{}", s.sha256));
                entry.original_sha256 = Some(entry.sha256.clone());
                entry.sha256 = s.sha256;
                entry.size = s.size;
                entry.note = format!("已清除：{}", stripped.removed.join("、"));
                for r in stripped.removed {
                    if !removed.contains(&r) {
                        removed.push(r);
                    }
                }
            }
            if !attachments
                .iter()
                .any(|a: &AttachmentEntry| a.sha256 == entry.sha256)
            {
                attachments.push(entry);
            }
        }
        if attach_original {
            let stored = blobs.put_bytes(bytes)?;
            if !attachments.iter().any(|a| a.sha256 == stored.sha256) {
                attachments.push(AttachmentEntry {
                    sha256: stored.sha256,
                    name: file_name_only(file_name),
                    size: stored.size,
                    media_type: FileKind::Docx.media_type().to_owned(),
                    ..AttachmentEntry::default()
                });
            }
        }
        let title = if doc.title.trim().is_empty() {
            file_name_only(file_name)
                .trim_end_matches(".docx")
                .to_owned()
        } else {
            doc.title
        };
        let content = ItemContent {
            title,
            column,
            body,
            attachments,
            ..ItemContent::default()
        };
        // Scanned before the item exists, so its first check is quick.
        for a in &content.attachments {
            self.attachment_scan(a);
        }
        let item = self.create_item(content)?;
        Ok(ImportReport {
            item,
            images: doc.images.len() as u32,
            notes: doc.notes,
            removed,
        })
    }
}

fn file_name_only(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    if base.is_empty() {
        "导入的文档.docx".to_owned()
    } else {
        base.to_owned()
    }
}
