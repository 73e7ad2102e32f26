//! The attachment blob store: files named by their SHA-256 under the data
//! directory (`attachments/ab/cdef…`), written once and never changed.
//!
//! Content addressing makes a file stored twice take the space once, lets a
//! revision refer to a file by a name that cannot drift from its bytes, and
//! lets the upload skip what the portal already has. Files are written to a
//! temporary name and renamed into place after an fsync, so a crash leaves
//! either the whole file or nothing; every read can be verified against the
//! name.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

/// The folder inside the data directory.
pub const BLOB_DIR: &str = "attachments";

#[derive(Debug, Error)]
pub enum BlobError {
    #[error("attachment store {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("attachment {0} is not in the store")]
    Missing(String),
    #[error("attachment {sha256} is damaged: its content no longer matches its hash")]
    Damaged { sha256: String },
    #[error("not a SHA-256 hash: {0}")]
    BadHash(String),
    #[error("the file is larger than the {limit_mb} MB limit")]
    TooLarge { limit_mb: u64 },
}

impl BlobError {
    pub fn message_zh(&self) -> String {
        match self {
            BlobError::Io { path, source } => {
                format!("附件存储 {} 读写失败：{source}", path.display())
            }
            BlobError::Missing(h) => format!("附件 {} 不在本机附件库中", short(h)),
            BlobError::Damaged { sha256 } => {
                format!("附件 {} 已损坏（内容与校验值不符）", short(sha256))
            }
            BlobError::BadHash(h) => format!("不是有效的附件校验值：{h}"),
            BlobError::TooLarge { limit_mb } => format!("文件超过 {limit_mb} MB 的上限"),
        }
    }
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

/// What storing a file produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    pub sha256: String,
    pub size: u64,
    /// False when the store already had it.
    pub new: bool,
}

/// The store in one data directory.
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    pub fn new(data_dir: &Path) -> BlobStore {
        BlobStore {
            root: data_dir.join(BLOB_DIR),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the blob with this hash lives (whether or not it exists).
    pub fn path(&self, sha256: &str) -> Result<PathBuf, BlobError> {
        if !is_sha256(sha256) {
            return Err(BlobError::BadHash(sha256.to_owned()));
        }
        Ok(self.root.join(&sha256[..2]).join(&sha256[2..]))
    }

    pub fn contains(&self, sha256: &str) -> bool {
        self.path(sha256).map(|p| p.is_file()).unwrap_or(false)
    }

    /// Size of a stored blob.
    pub fn size(&self, sha256: &str) -> Result<u64, BlobError> {
        let path = self.path(sha256)?;
        match fs::metadata(&path) {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(BlobError::Missing(sha256.to_owned()))
            }
            Err(source) => Err(BlobError::Io { path, source }),
        }
    }

    /// Stores bytes already in memory.
    pub fn put_bytes(&self, bytes: &[u8]) -> Result<StoredBlob, BlobError> {
        self.put_reader(bytes, u64::MAX)
    }

    /// Streams `reader` into the store (never holding it whole in memory),
    /// refusing more than `max_bytes`.
    pub fn put_reader(
        &self,
        mut reader: impl Read,
        max_bytes: u64,
    ) -> Result<StoredBlob, BlobError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| BlobError::Io { path, source }
        };
        fs::create_dir_all(&self.root).map_err(io(&self.root))?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.root).map_err(io(&self.root))?;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(BlobError::Io {
                        path: self.root.clone(),
                        source,
                    });
                }
            };
            size += n as u64;
            if size > max_bytes {
                return Err(BlobError::TooLarge {
                    limit_mb: max_bytes / (1024 * 1024),
                });
            }
            hasher.update(&buf[..n]);
            tmp.write_all(&buf[..n]).map_err(io(tmp.path()))?;
        }
        let sha256 = hex(&hasher.finalize());
        let path = self.path(&sha256)?;
        if path.is_file() {
            return Ok(StoredBlob {
                sha256,
                size,
                new: false,
            });
        }
        tmp.as_file().sync_all().map_err(io(tmp.path()))?;
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(io(dir))?;
        tmp.persist(&path).map_err(|e| BlobError::Io {
            path: path.clone(),
            source: e.error,
        })?;
        Ok(StoredBlob {
            sha256,
            size,
            new: true,
        })
    }

    /// Opens a blob for streaming.
    pub fn open(&self, sha256: &str) -> Result<File, BlobError> {
        let path = self.path(sha256)?;
        File::open(&path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => BlobError::Missing(sha256.to_owned()),
            _ => BlobError::Io { path, source },
        })
    }

    /// Reads a blob whole, verifying it against its hash.
    pub fn read(&self, sha256: &str) -> Result<Vec<u8>, BlobError> {
        let mut bytes = Vec::new();
        let path = self.path(sha256)?;
        self.open(sha256)?
            .read_to_end(&mut bytes)
            .map_err(|source| BlobError::Io { path, source })?;
        if hex(&Sha256::digest(&bytes)) != sha256 {
            return Err(BlobError::Damaged {
                sha256: sha256.to_owned(),
            });
        }
        Ok(bytes)
    }

    /// A stored picture for showing (the app's preview): its bytes, verified,
    /// and its media type, judged from the bytes. `None` for anything that
    /// is not a JPEG, PNG or WebP picture, so a document is never handed to
    /// the web view as an image.
    pub fn read_image(&self, sha256: &str) -> Result<Option<(Vec<u8>, &'static str)>, BlobError> {
        let bytes = self.read(sha256)?;
        let kind = baosong_files::FileKind::detect("", &bytes);
        Ok(kind.is_image().then(|| (bytes, kind.media_type())))
    }

    /// Re-hashes a stored blob by streaming it.
    pub fn verify(&self, sha256: &str) -> Result<(), BlobError> {
        let path = self.path(sha256)?;
        let mut file = self.open(sha256)?;
        let mut hasher = Sha256::new();
        io::copy(&mut file, &mut hasher).map_err(|source| BlobError::Io { path, source })?;
        if hex(&hasher.finalize()) == sha256 {
            Ok(())
        } else {
            Err(BlobError::Damaged {
                sha256: sha256.to_owned(),
            })
        }
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_once_and_reads_back_verified() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let a = store.put_bytes(b"hello").unwrap();
        assert_eq!(a.sha256, sha256_hex(b"hello"));
        assert!(a.new);
        assert!(!store.put_bytes(b"hello").unwrap().new);
        assert_eq!(store.read(&a.sha256).unwrap(), b"hello");
        assert_eq!(store.size(&a.sha256).unwrap(), 5);
        // Damage on disk is caught on read and on verify.
        fs::write(store.path(&a.sha256).unwrap(), b"hellO").unwrap();
        assert!(matches!(
            store.read(&a.sha256),
            Err(BlobError::Damaged { .. })
        ));
        assert!(matches!(
            store.verify(&a.sha256),
            Err(BlobError::Damaged { .. })
        ));
        assert!(matches!(
            store.read(&"0".repeat(64)),
            Err(BlobError::Missing(_))
        ));
        assert!(matches!(
            store.path("../etc/passwd"),
            Err(BlobError::BadHash(_))
        ));
    }

    #[test]
    fn only_pictures_are_read_as_images() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let png = store.put_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
        let html = store.put_bytes(b"<svg onload=alert(1)>").unwrap();
        let (bytes, media) = store.read_image(&png.sha256).unwrap().unwrap();
        assert_eq!(media, "image/png");
        assert!(bytes.starts_with(b"\x89PNG"));
        assert_eq!(store.read_image(&html.sha256).unwrap(), None);
    }

    #[test]
    fn a_limit_stops_the_stream_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let big = vec![7u8; 3 * 1024 * 1024];
        assert!(matches!(
            store.put_reader(&big[..], 1024 * 1024),
            Err(BlobError::TooLarge { limit_mb: 1 })
        ));
        let left: Vec<_> = fs::read_dir(store.root()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
