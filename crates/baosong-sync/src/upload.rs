//! Uploading a submission's attachments before the submission itself, with
//! the Baosong upload protocol (tus-like; see docs/api/README.md).
//!
//! Each file comes from the local blob store, read one chunk at a time (the
//! memory used does not grow with the file), and every chunk carries its
//! SHA-256. The last offset the portal acknowledged is recorded in the store
//! after each chunk, so after a dropped connection or a restart the upload
//! asks the portal where it stands (`HEAD`) and continues from there; if the
//! portal no longer knows the upload, it starts again. A file the portal
//! already has is not sent at all.

use std::collections::VecDeque;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use baosong_api::{AttachmentRef, CreateUploadRequest, ProblemCode, UploadStatus, uploads};
use baosong_core::store::UploadProgressRecord;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::client::ChunkAck;
use crate::error::SyncError;
use crate::session::Session;
use crate::shared::SharedStore;

/// The most sent in one chunk, whatever the portal recommends.
pub const MAX_CHUNK: u64 = 8 * 1024 * 1024;
/// The transfer rate is measured over this window.
const RATE_WINDOW: Duration = Duration::from_secs(5);
/// A chunk damaged on the way is sent again this many times.
const CHUNK_RETRIES: u32 = 3;

/// How an attachment upload is going, for the progress bar (发件箱 in the
/// app): bytes the portal has acknowledged out of the file's size, the rate
/// over the last few seconds and the time left at that rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UploadProgress {
    /// The outbox entry whose submission needs the file (empty when
    /// uploading outside the outbox).
    pub outbox_id: String,
    pub sha256: String,
    pub name: String,
    /// Bytes the portal has acknowledged.
    #[ts(type = "number")]
    pub sent: u64,
    /// The file's size.
    #[ts(type = "number")]
    pub total: u64,
    /// Bytes per second over the last few seconds (0 until measured).
    #[ts(type = "number")]
    pub bytes_per_sec: u64,
    /// Seconds left at that rate; absent until there is a rate.
    #[ts(type = "number | null")]
    pub eta_secs: Option<u64>,
    /// The portal already had the file: nothing was sent.
    pub deduplicated: bool,
}

/// What uploading one file took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadStats {
    /// Bytes the portal acknowledged in this call (not counting what it had
    /// before).
    pub bytes_sent: u64,
    /// Where this call started: the offset the portal already had.
    pub started_at: u64,
    /// The portal already stored the file.
    pub deduplicated: bool,
}

/// Uploads every attachment of a submission to `column_id`, in order.
pub async fn upload_all(
    store: &SharedStore,
    session: &Session,
    column_id: &str,
    attachments: &[AttachmentRef],
    on_progress: &mut (dyn FnMut(UploadProgress) + Send),
) -> Result<(), SyncError> {
    for a in attachments {
        upload_attachment(store, session, column_id, a, on_progress).await?;
    }
    Ok(())
}

/// Uploads one attachment (or learns that the portal has it), resuming an
/// upload recorded in the store.
pub async fn upload_attachment(
    store: &SharedStore,
    session: &Session,
    column_id: &str,
    a: &AttachmentRef,
    on_progress: &mut (dyn FnMut(UploadProgress) + Send),
) -> Result<UploadStats, SyncError> {
    let path = blob_path(store, a).await?;
    let portal = session.profile().portal_url.clone();
    let mut meter = Meter::new(a);
    // The recorded upload, if the portal still has it.
    let mut current = match resume(store, session, &portal, a).await? {
        Some(rec) => rec,
        None => match start(store, session, &portal, column_id, a).await? {
            Some(rec) => rec,
            None => {
                on_progress(meter.report(a.size, true));
                return Ok(UploadStats {
                    bytes_sent: 0,
                    started_at: a.size,
                    deduplicated: true,
                });
            }
        },
    };
    let started_at = current.acked;
    on_progress(meter.report(current.acked, false));
    let mut damaged = 0;
    loop {
        let len = (a.size - current.acked).min(MAX_CHUNK);
        let (chunk, checksum) = read_chunk(path.clone(), current.acked, len).await?;
        let (id, offset) = (current.upload_id.clone(), current.acked);
        let ack = session
            .call(|c, t| {
                let (id, chunk, checksum) = (id.clone(), chunk.clone(), checksum.clone());
                async move { c.upload_chunk(&t, &id, offset, chunk, &checksum).await }
            })
            .await;
        match ack {
            Ok(ChunkAck::Complete) => {
                forget(store, &portal, &a.sha256).await?;
                on_progress(meter.report(a.size, false));
                return Ok(UploadStats {
                    bytes_sent: a.size - started_at,
                    started_at,
                    deduplicated: false,
                });
            }
            Ok(ChunkAck::Offset(n)) => current.acked = n,
            Err(SyncError::Refused(p)) => match p.code {
                // Another offset than ours (a chunk whose answer was lost):
                // continue from the portal's.
                ProblemCode::UploadOffsetMismatch => {
                    current.acked = p.upload_offset.unwrap_or(0).min(a.size);
                }
                ProblemCode::ChunkChecksumMismatch if damaged < CHUNK_RETRIES => damaged += 1,
                // The upload expired meanwhile: start over.
                ProblemCode::NotFound => {
                    forget(store, &portal, &a.sha256).await?;
                    match start(store, session, &portal, column_id, a).await? {
                        Some(rec) => current = rec,
                        None => return Ok(UploadStats::default()),
                    }
                }
                _ => return Err(SyncError::Refused(p)),
            },
            Err(e) => return Err(e),
        }
        save(store, &current).await?;
        on_progress(meter.report(current.acked, false));
    }
}

/// Where the file is in the local blob store; it must be there whole.
async fn blob_path(store: &SharedStore, a: &AttachmentRef) -> Result<PathBuf, SyncError> {
    let blobs = store.run(|s| Ok(s.blobs())).await?;
    let missing = |detail: String| SyncError::AttachmentUnavailable {
        name: a.name.clone(),
        detail,
    };
    let path = blobs.path(&a.sha256).map_err(|e| missing(e.message_zh()))?;
    match blobs.size(&a.sha256) {
        Ok(size) if size == a.size => Ok(path),
        Ok(size) => Err(missing(format!(
            "本机文件 {size} 字节，稿件记载 {} 字节",
            a.size
        ))),
        Err(e) => Err(missing(e.message_zh())),
    }
}

/// The recorded upload, with the portal's offset; `None` if nothing is
/// recorded or the portal no longer knows it.
async fn resume(
    store: &SharedStore,
    session: &Session,
    portal: &str,
    a: &AttachmentRef,
) -> Result<Option<UploadProgressRecord>, SyncError> {
    let (p, sha) = (portal.to_string(), a.sha256.clone());
    let Some(mut rec) = store.run(move |s| s.attachment_upload(&p, &sha)).await? else {
        return Ok(None);
    };
    let id = rec.upload_id.clone();
    let offset = session
        .call(|c, t| {
            let id = id.clone();
            async move { c.upload_offset(&t, &id).await }
        })
        .await?;
    match offset {
        // The portal's word wins over what was recorded.
        Some(n) if rec.size == a.size => {
            rec.acked = n.min(a.size);
            Ok(Some(rec))
        }
        _ => {
            forget(store, portal, &a.sha256).await?;
            Ok(None)
        }
    }
}

/// Declares the file; `None` when the portal already has it.
async fn start(
    store: &SharedStore,
    session: &Session,
    portal: &str,
    column_id: &str,
    a: &AttachmentRef,
) -> Result<Option<UploadProgressRecord>, SyncError> {
    let req = CreateUploadRequest {
        sha256: a.sha256.clone(),
        size: a.size,
        name: a.name.clone(),
        media_type: a.media_type.clone(),
        column_id: column_id.to_string(),
    };
    let upload = session
        .call(|c, t| {
            let req = req.clone();
            async move { c.create_upload(&t, &req).await }
        })
        .await?;
    if upload.status == UploadStatus::Complete {
        return Ok(None);
    }
    let id = upload
        .id
        .ok_or_else(|| SyncError::BadResponse("an upload without an id".into()))?;
    let rec = UploadProgressRecord {
        portal: portal.to_string(),
        sha256: a.sha256.clone(),
        upload_id: id.to_string(),
        acked: upload.offset.min(a.size),
        size: a.size,
    };
    save(store, &rec).await?;
    Ok(Some(rec))
}

async fn save(store: &SharedStore, rec: &UploadProgressRecord) -> Result<(), SyncError> {
    let rec = rec.clone();
    store.run(move |s| s.save_attachment_upload(&rec)).await
}

async fn forget(store: &SharedStore, portal: &str, sha256: &str) -> Result<(), SyncError> {
    let (p, sha) = (portal.to_string(), sha256.to_string());
    store
        .run(move |s| s.forget_attachment_upload(&p, &sha))
        .await
}

/// Reads `len` bytes at `offset` of the file and their `Upload-Checksum`,
/// on a blocking thread.
async fn read_chunk(
    path: PathBuf,
    offset: u64,
    len: u64,
) -> Result<(bytes::Bytes, String), SyncError> {
    let read = move || -> std::io::Result<(bytes::Bytes, String)> {
        let mut file = std::fs::File::open(&path)?;
        file.seek(SeekFrom::Start(offset))?;
        let mut buf = vec![0u8; usize::try_from(len).unwrap_or(usize::MAX)];
        file.read_exact(&mut buf)?;
        let checksum = uploads::checksum_header(&Sha256::digest(&buf));
        Ok((bytes::Bytes::from(buf), checksum))
    };
    tokio::task::spawn_blocking(read)
        .await
        .map_err(|e| SyncError::Internal(format!("reading an attachment: {e}")))?
        .map_err(|e| SyncError::AttachmentUnavailable {
            name: String::new(),
            detail: e.to_string(),
        })
}

/// Rate over the last [`RATE_WINDOW`] and time left.
struct Meter {
    outbox_id: String,
    sha256: String,
    name: String,
    total: u64,
    samples: VecDeque<(Instant, u64)>,
}

impl Meter {
    fn new(a: &AttachmentRef) -> Meter {
        Meter {
            outbox_id: String::new(),
            sha256: a.sha256.clone(),
            name: a.name.clone(),
            total: a.size,
            samples: VecDeque::new(),
        }
    }

    fn report(&mut self, sent: u64, deduplicated: bool) -> UploadProgress {
        let now = Instant::now();
        self.samples.push_back((now, sent));
        // Keep one sample older than the window, so the rate spans it.
        while self.samples.len() > 2
            && self
                .samples
                .get(1)
                .is_some_and(|(t, _)| now.duration_since(*t) > RATE_WINDOW)
        {
            self.samples.pop_front();
        }
        let rate = match self.samples.front() {
            Some((t, first)) if sent > *first => {
                let secs = now.duration_since(*t).as_secs_f64();
                if secs > 0.0 {
                    ((sent - first) as f64 / secs) as u64
                } else {
                    0
                }
            }
            _ => 0,
        };
        UploadProgress {
            outbox_id: self.outbox_id.clone(),
            sha256: self.sha256.clone(),
            name: self.name.clone(),
            sent,
            total: self.total,
            bytes_per_sec: rate,
            eta_secs: (rate > 0).then(|| (self.total.saturating_sub(sent)).div_ceil(rate)),
            deduplicated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_measures_rate_and_time_left() {
        let a = AttachmentRef {
            sha256: "a".repeat(64),
            name: "a.jpg".into(),
            size: 1000,
            media_type: "image/jpeg".into(),
        };
        let mut m = Meter::new(&a);
        let first = m.report(0, false);
        assert_eq!((first.bytes_per_sec, first.eta_secs), (0, None));
        std::thread::sleep(Duration::from_millis(100));
        let p = m.report(500, false);
        assert!(p.bytes_per_sec > 1000 && p.bytes_per_sec < 6000, "{p:?}");
        assert!(p.eta_secs.is_some_and(|s| s <= 1), "{p:?}");
    }
}
