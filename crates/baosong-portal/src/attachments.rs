//! Attachment files on disk, next to the database:
//!
//! - `attachments/ab/cdef…`: stored files, named by their SHA-256, written
//!   once (renamed into place after verification);
//! - `attachments/uploads/<upload id>`: partial files of uploads in progress.
//!
//! Chunks are streamed to disk and hashed on the way, never held whole; the
//! file only counts up to the offset the database records, so a chunk cut off
//! half-way (a dropped connection, a crash) is simply cut off again.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};
use uuid::Uuid;

/// How long a chunk's body may stall before the portal gives up on it.
const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Write buffer: few, large writes to the file.
const WRITE_BUFFER: usize = 1024 * 1024;

/// The attachment folders of one portal.
#[derive(Debug, Clone)]
pub struct Storage {
    root: PathBuf,
}

/// How receiving a chunk ended.
#[derive(Debug)]
pub enum Chunk {
    /// Stored and verified: this many bytes.
    Stored(u64),
    /// More bytes than allowed; discarded.
    TooLarge,
    /// The bytes do not match the checksum; discarded.
    ChecksumMismatch,
    /// The body broke off or stalled; discarded.
    Interrupted(String),
}

impl Storage {
    pub fn new(root: PathBuf) -> Storage {
        Storage { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The stored file with this (already validated) hash.
    pub fn blob_path(&self, sha256: &str) -> PathBuf {
        let (dir, rest) = sha256.split_at(2.min(sha256.len()));
        self.root.join(dir).join(rest)
    }

    fn uploads_dir(&self) -> PathBuf {
        self.root.join("uploads")
    }

    /// The partial file of an upload.
    pub fn upload_path(&self, id: Uuid) -> PathBuf {
        self.uploads_dir().join(id.to_string())
    }

    /// Writes `body` at `offset` of the upload's partial file, hashing it,
    /// taking at most `max` bytes. Anything but a whole chunk whose SHA-256
    /// equals `expected` is cut off again, leaving the file at `offset`.
    pub async fn receive_chunk(
        &self,
        id: Uuid,
        offset: u64,
        body: Body,
        max: u64,
        expected: &[u8; 32],
        durable: bool,
    ) -> io::Result<Chunk> {
        tokio::fs::create_dir_all(self.uploads_dir()).await?;
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.upload_path(id))
            .await?;
        // Bytes beyond the acknowledged offset are from a chunk that never
        // completed.
        file.set_len(offset).await?;
        file.seek(io::SeekFrom::Start(offset)).await?;
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
        let outcome = copy_hashed(body, &mut out, max, expected).await;
        out.flush().await?;
        let file = out.into_inner();
        match outcome? {
            Chunk::Stored(n) => {
                if durable {
                    file.sync_data().await?;
                }
                Ok(Chunk::Stored(n))
            }
            other => {
                file.set_len(offset).await?;
                Ok(other)
            }
        }
    }

    /// The length of an upload's partial file (0 if there is none).
    pub async fn partial_len(&self, id: Uuid) -> io::Result<u64> {
        match tokio::fs::metadata(self.upload_path(id)).await {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// Cuts an upload's partial file back to nothing (after a whole-file
    /// hash mismatch).
    pub async fn reset(&self, id: Uuid) -> io::Result<()> {
        match tokio::fs::OpenOptions::new()
            .write(true)
            .open(self.upload_path(id))
            .await
        {
            Ok(f) => f.set_len(0).await,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Whether the upload's whole file hashes to `sha256` (hex); read in
    /// blocks on a blocking thread.
    pub async fn verify_upload(&self, id: Uuid, sha256: &str) -> io::Result<bool> {
        let path = self.upload_path(id);
        let want = sha256.to_string();
        tokio::task::spawn_blocking(move || Ok(hash_file(&path)? == want))
            .await
            .map_err(io::Error::other)?
    }

    /// Moves a verified upload into the content-addressed store.
    pub async fn promote(&self, id: Uuid, sha256: &str) -> io::Result<()> {
        let target = self.blob_path(sha256);
        if let Some(dir) = target.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        if tokio::fs::try_exists(&target).await? {
            // Same bytes (same hash) already stored by another upload.
            return self.remove_upload(id).await;
        }
        tokio::fs::rename(self.upload_path(id), target).await
    }

    /// Deletes an upload's partial file, if any.
    pub async fn remove_upload(&self, id: Uuid) -> io::Result<()> {
        match tokio::fs::remove_file(self.upload_path(id)).await {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Partial files whose upload the database no longer knows (a crash
    /// between deleting the row and the file), untouched for `idle` (so a
    /// file of an upload created a moment ago is never taken for one).
    pub async fn orphans(&self, known: &[Uuid], idle: Duration) -> io::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        let mut dir = match tokio::fs::read_dir(self.uploads_dir()).await {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        while let Some(entry) = dir.next_entry().await? {
            let name = entry.file_name();
            let id = name.to_str().and_then(|n| Uuid::parse_str(n).ok());
            let stale = entry
                .metadata()
                .await?
                .modified()?
                .elapsed()
                .is_ok_and(|age| age >= idle);
            if stale && id.is_none_or(|id| !known.contains(&id)) {
                out.push(entry.path());
            }
        }
        Ok(out)
    }
}

/// Copies `body` into `out`, at most `max` bytes, and says whether it all
/// arrived and matches `expected`.
async fn copy_hashed(
    body: Body,
    out: &mut (impl AsyncWriteExt + Unpin),
    max: u64,
    expected: &[u8; 32],
) -> io::Result<Chunk> {
    let mut stream = body.into_data_stream();
    let mut hasher = Sha256::new();
    let mut n: u64 = 0;
    loop {
        let frame = match tokio::time::timeout(BODY_IDLE_TIMEOUT, stream.next()).await {
            Err(_) => return Ok(Chunk::Interrupted("the body stalled".into())),
            Ok(None) => break,
            Ok(Some(Err(e))) => return Ok(Chunk::Interrupted(e.to_string())),
            Ok(Some(Ok(bytes))) => bytes,
        };
        n += frame.len() as u64;
        if n > max {
            return Ok(Chunk::TooLarge);
        }
        hasher.update(&frame);
        out.write_all(&frame).await?;
    }
    if hasher.finalize().as_slice() != expected.as_slice() {
        return Ok(Chunk::ChecksumMismatch);
    }
    Ok(Chunk::Stored(n))
}

/// Lowercase hex SHA-256 of a file, read in 1 MiB blocks.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1024 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(crate::secrets::hex(&hasher.finalize()))
}

/// One request at a time per upload: two `PATCH`es racing on one file would
/// corrupt it. A second request waits (an earlier connection may be dead but
/// not yet noticed), and gives up after a while.
#[derive(Debug, Default)]
pub struct UploadLocks {
    busy: std::sync::Mutex<std::collections::HashSet<Uuid>>,
}

/// Holds an upload's lock; releases it when dropped.
pub struct UploadLock<'a> {
    locks: &'a UploadLocks,
    id: Uuid,
}

impl UploadLocks {
    /// Takes upload `id`'s lock, waiting up to `wait`; `None` if it stayed
    /// taken.
    pub async fn acquire(&self, id: Uuid, wait: Duration) -> Option<UploadLock<'_>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if self.busy().insert(id) {
                return Some(UploadLock { locks: self, id });
            }
            if tokio::time::Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn busy(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<Uuid>> {
        // The set stays consistent whatever panicked while holding it.
        self.busy.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for UploadLock<'_> {
    fn drop(&mut self) {
        self.locks.busy().remove(&self.id);
    }
}
