//! Attachments of items: adding files (images stripped of their metadata by
//! default), cleaning them (一键清理), alt text, removing; and the scans the
//! check reads, cached by file hash.
//!
//! The files are in the blob store (`crate::blobs`); which files an item has
//! is part of its content, so every change here is an ordinary save: a new
//! revision, an audit entry, and any sign-off on the old content voided.

use std::io::Read;
use std::path::Path;

use baosong_check::{DocumentScan, Fact, FactKind};
use baosong_files::image::WebSize;
use baosong_files::{FileKind, Limits, SCANNER_VERSION};
use chrono::Utc;
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError};
use crate::model::{AttachmentEntry, Item, ItemContent, ItemId};

/// At most this many files per item.
pub const MAX_ATTACHMENTS: usize = 100;
/// Longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 120;
/// Files larger than this are streamed into the store without being read
/// whole; they are not scanned (a person is told).
const MAX_SCANNED_BYTES: u64 = 64 * 1024 * 1024;

/// What adding a file did.
#[derive(Debug, Clone)]
pub struct AttachmentAdded {
    pub item: Item,
    pub entry: AttachmentEntry,
    /// Metadata removed on the way in (`GPS 位置`, `相机序列号` …).
    pub removed: Vec<String>,
    /// False when the item already had this file: nothing changed.
    pub added: bool,
}

/// What cleaning a file did.
#[derive(Debug, Clone)]
pub struct AttachmentCleaned {
    pub item: Item,
    pub entry: AttachmentEntry,
    pub removed: Vec<String>,
}

/// What making a picture's web copy did.
#[derive(Debug, Clone)]
pub struct AttachmentDownscaled {
    pub item: Item,
    pub entry: AttachmentEntry,
    /// Width × height as shown, before and after; equal when the picture
    /// already fitted and nothing changed.
    pub from: (u32, u32),
    pub to: (u32, u32),
}

impl Store {
    /// Adds the file at `path` to an item. Images lose their EXIF/XMP
    /// metadata unless `keep_image_metadata`; the original stays in the local
    /// store (`original_sha256`), never sent.
    pub fn add_attachment_file(
        &self,
        id: ItemId,
        path: &Path,
        keep_image_metadata: bool,
    ) -> Result<AttachmentAdded> {
        let io = |source| StoreError::DataDir {
            path: path.to_path_buf(),
            source,
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let limits = Limits::default();
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > limits.max_file_bytes {
            return Err(baosong_files::FileError::TooLarge {
                limit_mb: limits.max_file_bytes >> 20,
            }
            .into());
        }
        let mut file = std::fs::File::open(path).map_err(io)?;
        if size > MAX_SCANNED_BYTES {
            // Streamed: never held whole in memory.
            let stored = self.blobs().put_reader(&mut file, limits.max_file_bytes)?;
            let kind = FileKind::detect(&name, &head_of(path));
            let entry = AttachmentEntry {
                sha256: stored.sha256,
                name: clean_name(&name)?,
                size: stored.size,
                media_type: kind.media_type().to_owned(),
                ..AttachmentEntry::default()
            };
            return self.attach_entry(id, entry, Vec::new());
        }
        let mut bytes = Vec::with_capacity(size as usize);
        file.read_to_end(&mut bytes).map_err(io)?;
        self.add_attachment_bytes(id, &name, &bytes, keep_image_metadata)
    }

    /// Adds a file already in memory (an image from an imported document, a
    /// file dropped on the window).
    pub fn add_attachment_bytes(
        &self,
        id: ItemId,
        name: &str,
        bytes: &[u8],
        keep_image_metadata: bool,
    ) -> Result<AttachmentAdded> {
        let name = clean_name(name)?;
        let kind = FileKind::detect(&name, bytes);
        let blobs = self.blobs();
        let original = blobs.put_bytes(bytes)?;
        let mut entry = AttachmentEntry {
            sha256: original.sha256.clone(),
            name,
            size: original.size,
            media_type: kind.media_type().to_owned(),
            ..AttachmentEntry::default()
        };
        let mut removed = Vec::new();
        if kind.is_image() && !keep_image_metadata {
            // A file the stripper cannot read is attached as it is; its scan
            // then says it could not be read.
            if let Ok(Some(stripped)) = baosong_files::clean(kind, bytes, &Limits::default())
                && !stripped.removed.is_empty()
            {
                let s = blobs.put_bytes(&stripped.bytes)?;
                entry.original_sha256 = Some(entry.sha256.clone());
                entry.sha256 = s.sha256;
                entry.size = s.size;
                entry.note = format!("已清除：{}", stripped.removed.join("、"));
                removed = stripped.removed;
            }
        }
        self.attach_entry(id, entry, removed)
    }

    fn attach_entry(
        &self,
        id: ItemId,
        entry: AttachmentEntry,
        removed: Vec<String>,
    ) -> Result<AttachmentAdded> {
        let item = self.get_item(id)?;
        if let Some(existing) = item
            .content
            .attachments
            .iter()
            .find(|a| a.sha256 == entry.sha256)
        {
            return Ok(AttachmentAdded {
                entry: existing.clone(),
                item,
                removed,
                added: false,
            });
        }
        // Scanned now, outside any transaction, so checks find it cached.
        self.attachment_scan(&entry);
        let mut content = item.content.clone();
        content.attachments.push(entry.clone());
        let note = format!("添加附件：{}", entry.name);
        let item = self.save_with_note(id, content, Some(item.revision), Some(note))?;
        Ok(AttachmentAdded {
            item,
            entry,
            removed,
            added: true,
        })
    }

    /// 一键清理: replaces the attachment with a cleaned copy (documents:
    /// comments, revisions, hidden text, personal properties; images:
    /// metadata). References to it in the body follow the new file.
    pub fn clean_attachment(&self, id: ItemId, sha256: &str) -> Result<AttachmentCleaned> {
        let item = self.get_item(id)?;
        let (index, old) = find(&item.content, sha256)?;
        let bytes = self.blobs().read(&old.sha256)?;
        let kind = FileKind::detect(&old.name, &bytes);
        let cleaned = baosong_files::clean(kind, &bytes, &Limits::default())?;
        let Some(cleaned) = cleaned.filter(|c| !c.removed.is_empty()) else {
            return Ok(AttachmentCleaned {
                entry: old.clone(),
                item,
                removed: Vec::new(),
            });
        };
        let stored = self.blobs().put_bytes(&cleaned.bytes)?;
        let entry = AttachmentEntry {
            sha256: stored.sha256.clone(),
            size: stored.size,
            original_sha256: Some(old.original_sha256.clone().unwrap_or(old.sha256.clone())),
            note: format!("已清除：{}", cleaned.removed.join("、")),
            ..old.clone()
        };
        let mut content = item.content.clone();
        content.attachments[index] = entry.clone();
        content.body = content.body.replace(&old.body_ref(), &entry.body_ref());
        let note = format!("清理附件 {}：{}", entry.name, cleaned.removed.join("、"));
        let item = self.save_with_note(id, content, Some(item.revision), Some(note))?;
        Ok(AttachmentCleaned {
            item,
            entry,
            removed: cleaned.removed,
        })
    }

    /// 缩小用于网页: replaces a picture with a smaller copy (longest side,
    /// quality) for the portal. The full-size file stays in the local store
    /// as the original; earlier revisions keep pointing at it, so restoring
    /// one brings it back. References in the body follow the new file.
    pub fn downscale_attachment(
        &self,
        id: ItemId,
        sha256: &str,
        size: WebSize,
    ) -> Result<AttachmentDownscaled> {
        let item = self.get_item(id)?;
        let (index, old) = find(&item.content, sha256)?;
        if !old.is_image() {
            return Err(StoreError::BadAttachment(format!(
                "“{}”不是图片，不能缩小",
                old.name
            )));
        }
        let bytes = self.blobs().read(&old.sha256)?;
        let Some(small) = baosong_files::image::downscale(&bytes, size)? else {
            let shown = baosong_files::image::dimensions(&bytes)?;
            return Ok(AttachmentDownscaled {
                entry: old.clone(),
                item,
                from: shown,
                to: shown,
            });
        };
        let stored = self.blobs().put_bytes(&small.bytes)?;
        let what = format!(
            "已缩小：{}×{} → {}×{}",
            small.from.0, small.from.1, small.to.0, small.to.1
        );
        let entry = AttachmentEntry {
            sha256: stored.sha256.clone(),
            size: stored.size,
            media_type: small.kind.media_type().to_owned(),
            name: with_extension(&old.name, small.kind),
            original_sha256: Some(old.original_sha256.clone().unwrap_or(old.sha256.clone())),
            note: [old.note.as_str(), what.as_str()]
                .iter()
                .filter(|n| !n.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("；"),
            ..old.clone()
        };
        self.attachment_scan(&entry);
        let mut content = item.content.clone();
        content.attachments[index] = entry.clone();
        content.body = content.body.replace(&old.body_ref(), &entry.body_ref());
        let note = format!("缩小图片 {}：{what}（质量 {}）", entry.name, size.quality);
        let item = self.save_with_note(id, content, Some(item.revision), Some(note))?;
        Ok(AttachmentDownscaled {
            item,
            entry,
            from: small.from,
            to: small.to,
        })
    }

    /// Sets an image's alternative text (图片说明).
    pub fn set_attachment_alt(&self, id: ItemId, sha256: &str, alt: &str) -> Result<Item> {
        let item = self.get_item(id)?;
        let (index, old) = find(&item.content, sha256)?;
        let mut content = item.content.clone();
        content.attachments[index].alt = alt.trim().to_owned();
        let note = format!("附件 {} 的说明", old.name);
        self.save_with_note(id, content, Some(item.revision), Some(note))
    }

    /// Removes an attachment from the item (the file stays in the local
    /// store: earlier revisions still refer to it).
    pub fn remove_attachment(&self, id: ItemId, sha256: &str) -> Result<Item> {
        let item = self.get_item(id)?;
        let (index, old) = find(&item.content, sha256)?;
        let mut content = item.content.clone();
        content.attachments.remove(index);
        let note = format!("删除附件：{}", old.name);
        self.save_with_note(id, content, Some(item.revision), Some(note))
    }

    /// The scans of an item's attachments, in order (see [`Store::attachment_scan`]).
    pub fn attachment_scans(&self, content: &ItemContent) -> Vec<DocumentScan> {
        content
            .attachments
            .iter()
            .map(|a| self.attachment_scan(a))
            .collect()
    }

    /// What an attachment holds, from the cache or by reading it. Never
    /// fails: a file that cannot be read gives a scan saying so, which the
    /// check turns into an error a person must look at.
    pub fn attachment_scan(&self, entry: &AttachmentEntry) -> DocumentScan {
        let unreadable = |why: String| DocumentScan {
            parts: Vec::new(),
            facts: vec![Fact {
                kind: FactKind::Unreadable,
                label: "整个文件".into(),
                value: why,
            }],
        };
        // Cheap on every check: the file is there and has its size. The full
        // hash is verified before sign-off and by the upload.
        match self.blobs().size(&entry.sha256) {
            Ok(size) if size == entry.size => {}
            Ok(_) => {
                let damaged = crate::blobs::BlobError::Damaged {
                    sha256: entry.sha256.clone(),
                };
                return unreadable(damaged.message_zh());
            }
            Err(e) => return unreadable(e.message_zh()),
        }
        if let Some(scan) = self.cached_scan(&entry.sha256) {
            return scan;
        }
        if entry.size > MAX_SCANNED_BYTES {
            return unreadable(format!(
                "文件超过 {} MB，未自动检查",
                MAX_SCANNED_BYTES >> 20
            ));
        }
        let bytes = match self.blobs().read(&entry.sha256) {
            Ok(b) => b,
            // Not cached: the file may come back (restored from a backup).
            Err(e) => return unreadable(e.message_zh()),
        };
        let kind = FileKind::detect(&entry.name, &bytes);
        let scan = baosong_files::scan(kind, &bytes, &Limits::default())
            .unwrap_or_else(|e| unreadable(e.message_zh()));
        self.cache_scan(&entry.sha256, &scan);
        scan
    }

    fn cached_scan(&self, sha256: &str) -> Option<DocumentScan> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT scan FROM attachment_scans WHERE sha256 = ?1 AND scanner = ?2",
                params![sha256, SCANNER_VERSION],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten();
        json.and_then(|j| serde_json::from_str(&j).ok())
    }

    /// Best effort: a busy database only means the next check scans again.
    fn cache_scan(&self, sha256: &str, scan: &DocumentScan) {
        if let Ok(json) = serde_json::to_string(scan) {
            let _ = self.conn.execute(
                "INSERT OR REPLACE INTO attachment_scans (sha256, scanner, scan, at) VALUES (?1, ?2, ?3, ?4)",
                params![sha256, SCANNER_VERSION, json, Utc::now().to_rfc3339()],
            );
        }
    }
}

fn find<'c>(content: &'c ItemContent, sha256: &str) -> Result<(usize, &'c AttachmentEntry)> {
    let matches: Vec<(usize, &AttachmentEntry)> = content
        .attachments
        .iter()
        .enumerate()
        .filter(|(_, a)| a.sha256.starts_with(sha256) || a.name == sha256)
        .collect();
    match matches.as_slice() {
        [one] if !sha256.is_empty() => Ok(*one),
        _ => Err(StoreError::NoSuchAttachment(sha256.to_owned())),
    }
}

/// `照片.webp` written as JPEG becomes `照片.jpg`; a name whose extension
/// already fits stays as it is.
fn with_extension(name: &str, kind: FileKind) -> String {
    let ext = match kind {
        FileKind::Png => "png",
        _ => "jpg",
    };
    let (stem, old) = name.rsplit_once('.').unwrap_or((name, ""));
    let fits = match kind {
        FileKind::Png => old.eq_ignore_ascii_case("png"),
        _ => ["jpg", "jpeg"].iter().any(|e| old.eq_ignore_ascii_case(e)),
    };
    if fits {
        name.to_owned()
    } else {
        format!("{stem}.{ext}")
    }
}

/// The name readers see: no folders, no control characters, not too long.
fn clean_name(name: &str) -> Result<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        return Err(StoreError::BadAttachment(format!("文件名“{name}”无效")));
    }
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return Ok(cleaned);
    }
    // Keep the extension when shortening.
    let (stem, ext) = cleaned.rsplit_once('.').unwrap_or((&cleaned, ""));
    let keep = MAX_NAME_CHARS.saturating_sub(ext.chars().count() + 1);
    let stem: String = stem.chars().take(keep).collect();
    Ok(if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    })
}

/// The first bytes of a file, for sniffing its kind.
fn head_of(path: &Path) -> Vec<u8> {
    let mut head = vec![0u8; 512];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head.truncate(n);
    head
}

/// Re-hashes every attachment of `content` (streamed): sign-off must not
/// cover a file that changed on disk.
pub(super) fn verify_all(store: &Store, content: &ItemContent) -> Result<()> {
    let blobs = store.blobs();
    for a in &content.attachments {
        blobs.verify(&a.sha256)?;
    }
    Ok(())
}

/// Checks an item's attachment list before it is saved: well-formed hashes,
/// names, no duplicates, not too many, and every file present in the store.
pub(super) fn validate(store: &Store, content: &ItemContent) -> Result<()> {
    let list = &content.attachments;
    if list.len() > MAX_ATTACHMENTS {
        return Err(StoreError::BadAttachment(format!(
            "附件超过 {MAX_ATTACHMENTS} 个"
        )));
    }
    let blobs = store.blobs();
    for (i, a) in list.iter().enumerate() {
        if !crate::blobs::is_sha256(&a.sha256) {
            return Err(StoreError::BadAttachment(format!(
                "第 {} 个附件的校验值无效",
                i + 1
            )));
        }
        if a.name.trim().is_empty() || a.name.chars().count() > MAX_NAME_CHARS {
            return Err(StoreError::BadAttachment(format!(
                "第 {} 个附件的文件名无效",
                i + 1
            )));
        }
        if list[..i].iter().any(|b| b.sha256 == a.sha256) {
            return Err(StoreError::BadAttachment(format!("附件“{}”重复", a.name)));
        }
        if !blobs.contains(&a.sha256) {
            return Err(StoreError::Blob(crate::blobs::BlobError::Missing(
                a.sha256.clone(),
            )));
        }
    }
    Ok(())
}
