//! A zip package (docx, xlsx) opened with hard limits.
//!
//! The declared sizes in a zip's directory can lie, so limits are enforced
//! twice: on the declared sizes when the package is opened (cheap refusal of
//! an honest-looking bomb) and on the bytes actually inflated while a part is
//! read (the lying kind).

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use crate::kind::OLE_MAGIC;
use crate::limits::{Deadline, mb};
use crate::{FileError, Limits};

/// An open package. Reading parts counts against the expanded-size budget.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    /// Bytes inflated so far.
    expanded: u64,
    pub deadline: Deadline,
    /// `docx` or `xlsx`, for messages.
    expected: &'static str,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as an OOXML package. `expected` names the format for
    /// messages (`docx`, `xlsx`).
    pub fn open(
        bytes: &'a [u8],
        expected: &'static str,
        limits: &Limits,
    ) -> Result<Package<'a>, FileError> {
        if bytes.len() as u64 > limits.max_file_bytes {
            return Err(FileError::TooLarge {
                limit_mb: mb(limits.max_file_bytes),
            });
        }
        if bytes.starts_with(&OLE_MAGIC) {
            return Err(if is_encrypted_ooxml(bytes) {
                FileError::Encrypted
            } else {
                FileError::LegacyOffice
            });
        }
        if !bytes.starts_with(b"PK") {
            return Err(FileError::NotAZip { expected });
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
            ZipError::InvalidArchive(_) | ZipError::Io(_) => FileError::NotAZip { expected },
            other => FileError::Malformed {
                part: "(zip)".into(),
                detail: other.to_string(),
            },
        })?;
        if archive.len() > limits.max_parts {
            return Err(FileError::TooManyParts {
                limit: limits.max_parts,
            });
        }
        let mut pkg = Package {
            archive,
            limits: *limits,
            expanded: 0,
            deadline: Deadline::start(limits),
            expected,
        };
        let declared = pkg.declared_size()?;
        if declared > limits.max_expanded_bytes {
            return Err(FileError::ExpandsTooMuch {
                limit_mb: mb(limits.max_expanded_bytes),
            });
        }
        Ok(pkg)
    }

    fn declared_size(&mut self) -> Result<u64, FileError> {
        let mut total: u64 = 0;
        for i in 0..self.archive.len() {
            let f = self
                .archive
                .by_index_raw(i)
                .map_err(|e| malformed("(zip)", e))?;
            if f.encrypted() {
                return Err(FileError::Encrypted);
            }
            total = total.saturating_add(f.size());
        }
        Ok(total)
    }

    /// The names of all parts, in package order.
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// The part's bytes, or `None` when the package has no such part.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, FileError> {
        self.deadline.check()?;
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let budget = self.limits.max_expanded_bytes.saturating_sub(self.expanded);
        let limit_mb = mb(self.limits.max_expanded_bytes);
        let mut file = match self.archive.by_index(index) {
            Ok(f) => f,
            Err(ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
                return Err(FileError::Encrypted);
            }
            Err(e) => {
                return Err(FileError::Malformed {
                    part: name.to_owned(),
                    detail: e.to_string(),
                });
            }
        };
        let mut out = Vec::with_capacity(file.size().min(budget).min(64 << 20) as usize);
        (&mut file)
            .take(budget.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| FileError::Malformed {
                part: name.to_owned(),
                detail: e.to_string(),
            })?;
        if out.len() as u64 > budget {
            return Err(FileError::ExpandsTooMuch { limit_mb });
        }
        self.expanded += out.len() as u64;
        Ok(Some(out))
    }

    /// The part's bytes; a missing part is an error.
    pub fn require(&mut self, name: &str) -> Result<Vec<u8>, FileError> {
        self.read(name)?.ok_or_else(|| FileError::MissingPart {
            part: name.to_owned(),
            expected: self.expected,
        })
    }

    /// The part as UTF-8 text (XML parts are UTF-8 in practice; a BOM is
    /// dropped).
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, FileError> {
        let Some(bytes) = self.read(name)? else {
            return Ok(None);
        };
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&bytes)
            .to_vec();
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| FileError::Malformed {
                part: name.to_owned(),
                detail: "not UTF-8 text".into(),
            })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The underlying archive, for writers that copy parts unchanged.
    pub fn archive(&mut self) -> &mut ZipArchive<Cursor<&'a [u8]>> {
        &mut self.archive
    }
}

fn malformed(part: &str, e: ZipError) -> FileError {
    FileError::Malformed {
        part: part.to_owned(),
        detail: e.to_string(),
    }
}

/// An encrypted OOXML document is an OLE compound file with an
/// `EncryptionInfo` stream; its name is in the directory as UTF-16LE.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn refuses_what_is_not_a_package() {
        let l = Limits::default();
        let err = |b: &[u8]| Package::open(b, "docx", &l).err().map(|e| e.code());
        assert_eq!(err(b"plain text"), Some("not_a_zip"));
        assert_eq!(err(b"PK\x03\x04 truncated"), Some("not_a_zip"));
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 64]);
        assert_eq!(err(&ole), Some("legacy_office"));
        ole.extend(
            "EncryptionInfo"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert_eq!(err(&ole), Some("encrypted"));
    }

    #[test]
    fn a_bomb_is_refused_while_inflating() {
        // 4 MiB of zeros compresses to a few KiB.
        let zeros = vec![0u8; 4 << 20];
        let bytes = zip_of(&[("word/document.xml", &zeros)]);
        assert!(bytes.len() < 64 << 10);
        let limits = Limits {
            max_expanded_bytes: 1 << 20,
            ..Limits::default()
        };
        // The honest directory gives it away at open.
        assert_eq!(
            Package::open(&bytes, "docx", &limits)
                .err()
                .map(|e| e.code()),
            Some("expands_too_much")
        );
        // Under a budget that allows the declared size, reading still counts.
        let limits = Limits {
            max_expanded_bytes: 5 << 20,
            ..Limits::default()
        };
        let mut p = Package::open(&bytes, "docx", &limits).unwrap();
        assert_eq!(
            p.read("word/document.xml").unwrap().map(|v| v.len()),
            Some(4 << 20)
        );
        assert!(p.read("missing.xml").unwrap().is_none());
        assert_eq!(
            p.require("missing.xml").err().map(|e| e.code()),
            Some("missing_part")
        );
    }

    #[test]
    fn too_many_parts() {
        let names: Vec<String> = (0..20).map(|i| format!("p{i}.xml")).collect();
        let parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"<a/>"[..])).collect();
        let limits = Limits {
            max_parts: 10,
            ..Limits::default()
        };
        assert_eq!(
            Package::open(&zip_of(&parts), "xlsx", &limits)
                .err()
                .map(|e| e.code()),
            Some("too_many_parts")
        );
    }
}
