//! Resumable attachment uploads in progress (`attachment_uploads`, schema
//! v6): per portal and file, the portal's upload id and the last offset it
//! acknowledged. `baosong-sync` records each acknowledged chunk here, so after
//! a dropped connection or a restart it asks the portal about that upload
//! (the portal's answer wins) instead of sending the file from the start.

use chrono::Utc;
use rusqlite::{OptionalExtension, params};

use super::items::timestamp;
use super::{Result, Store};

/// An upload the portal has started for a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadProgressRecord {
    pub portal: String,
    pub sha256: String,
    /// The portal's upload id.
    pub upload_id: String,
    /// Bytes the portal acknowledged.
    pub acked: u64,
    pub size: u64,
}

impl Store {
    /// The upload in progress of `sha256` to `portal`, if any.
    pub fn attachment_upload(
        &self,
        portal: &str,
        sha256: &str,
    ) -> Result<Option<UploadProgressRecord>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT upload_id, acked, size FROM attachment_uploads
                 WHERE portal = ?1 AND sha256 = ?2",
            )?
            .query_row(params![portal, sha256], |r| {
                Ok(UploadProgressRecord {
                    portal: portal.to_string(),
                    sha256: sha256.to_string(),
                    upload_id: r.get(0)?,
                    acked: r.get::<_, i64>(1)?.max(0) as u64,
                    size: r.get::<_, i64>(2)?.max(0) as u64,
                })
            })
            .optional()?)
    }

    /// Records (or moves on) an upload in progress.
    pub fn save_attachment_upload(&self, record: &UploadProgressRecord) -> Result<()> {
        let acked = i64::try_from(record.acked).unwrap_or(i64::MAX);
        let size = i64::try_from(record.size).unwrap_or(i64::MAX);
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO attachment_uploads (portal, sha256, upload_id, acked, size, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (portal, sha256) DO UPDATE SET upload_id = excluded.upload_id,
                     acked = excluded.acked, size = excluded.size, updated_at = excluded.updated_at",
            )?
            .execute(params![
                record.portal,
                record.sha256,
                record.upload_id,
                acked,
                size,
                timestamp(Utc::now())
            ])?;
            Ok(())
        })
    }

    /// Forgets the upload of `sha256` to `portal` (finished, or gone at the
    /// portal).
    pub fn forget_attachment_upload(&self, portal: &str, sha256: &str) -> Result<()> {
        self.write(|tx| {
            tx.prepare_cached("DELETE FROM attachment_uploads WHERE portal = ?1 AND sha256 = ?2")?
                .execute(params![portal, sha256])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_recorded_moved_on_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let portal = "https://portal.example";
        let sha = "a".repeat(64);
        assert_eq!(store.attachment_upload(portal, &sha).unwrap(), None);
        let mut rec = UploadProgressRecord {
            portal: portal.into(),
            sha256: sha.clone(),
            upload_id: "u1".into(),
            acked: 0,
            size: 100,
        };
        store.save_attachment_upload(&rec).unwrap();
        rec.acked = 64;
        store.save_attachment_upload(&rec).unwrap();
        assert_eq!(store.attachment_upload(portal, &sha).unwrap(), Some(rec));
        assert_eq!(store.attachment_upload("other", &sha).unwrap(), None);
        store.forget_attachment_upload(portal, &sha).unwrap();
        assert_eq!(store.attachment_upload(portal, &sha).unwrap(), None);
    }
}
