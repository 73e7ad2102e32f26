//! A compiled lexicon as bytes, so a large unit lexicon loads from a cache
//! instead of being compiled at every start. The caller (the store) keys the
//! cache by the source file's hash; [`from_bytes`] checks everything it reads
//! and answers [`LexiconError::BadCache`] rather than trusting the file.

use super::compiled::CompiledLexicon;
use super::format::{Category, Entry, LexiconError};
use crate::finding::Severity;

const MAGIC: &[u8; 4] = b"BSLX";
/// Bumped whenever the layout or the matching rules change (3: the matcher
/// stores the folding aliases of its code table).
const FORMAT: u32 = 3;

const CATEGORIES: [Category; 6] = [
    Category::Misstatement,
    Category::Outdated,
    Category::Sensitive,
    Category::Classification,
    Category::Allow,
    Category::Custom,
];
const SEVERITIES: [Severity; 4] = [
    Severity::Info,
    Severity::Warning,
    Severity::Error,
    Severity::Blocker,
];

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
        None => out.push(0),
    }
}

/// The name of the cache entry for a lexicon file's bytes: its SHA-256 plus
/// the engine and format versions, so any change to either makes a new entry.
pub fn cache_key(source: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(source);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{hex}-v{}-f{FORMAT}", env!("CARGO_PKG_VERSION"))
}

pub fn to_bytes(lex: &CompiledLexicon) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    put_str(&mut out, &lex.name);
    put_str(&mut out, &lex.version);
    let entries = lex.entries();
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for e in entries {
        put_str(&mut out, &e.term);
        out.push(
            CATEGORIES
                .iter()
                .position(|&c| c == e.category)
                .unwrap_or(5) as u8,
        );
        out.push(
            SEVERITIES
                .iter()
                .position(|&s| s == e.severity)
                .unwrap_or(1) as u8,
        );
        put_opt(&mut out, e.suggestion.as_deref());
        put_opt(&mut out, e.note.as_deref());
    }
    match lex.matcher() {
        Some(m) => {
            out.push(1);
            super::matcher::write(m, &mut out);
        }
        None => out.push(0),
    }
    out
}

/// Reads what [`to_bytes`] wrote; every read is checked against the length.
pub(crate) struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader(bytes)
    }
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], LexiconError> {
        if self.0.len() < n {
            return Err(LexiconError::BadCache);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    pub(crate) fn u8(&mut self) -> Result<u8, LexiconError> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u32(&mut self) -> Result<u32, LexiconError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// A count, then that many u32 values.
    pub(crate) fn u32s(&mut self) -> Result<Vec<u32>, LexiconError> {
        let n = self.u32()? as usize;
        let bytes = self.take(n.checked_mul(4).ok_or(LexiconError::BadCache)?)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }
    fn str(&mut self) -> Result<String, LexiconError> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| LexiconError::BadCache)
    }
    fn opt(&mut self) -> Result<Option<String>, LexiconError> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.str().map(Some),
            _ => Err(LexiconError::BadCache),
        }
    }
}

pub fn from_bytes(bytes: &[u8]) -> Result<CompiledLexicon, LexiconError> {
    let mut r = Reader::new(bytes);
    if r.take(4)? != MAGIC || r.u32()? != FORMAT {
        return Err(LexiconError::BadCache);
    }
    let name = r.str()?;
    let version = r.str()?;
    let n = r.u32()? as usize;
    // Each entry takes at least 8 bytes: refuse absurd counts before allocating.
    if n > r.0.len() / 8 {
        return Err(LexiconError::BadCache);
    }
    let mut entries = Vec::with_capacity(n);
    for _ in 0..n {
        let term = r.str()?;
        let category = *CATEGORIES
            .get(r.u8()? as usize)
            .ok_or(LexiconError::BadCache)?;
        let severity = *SEVERITIES
            .get(r.u8()? as usize)
            .ok_or(LexiconError::BadCache)?;
        entries.push(Entry {
            term,
            category,
            severity,
            suggestion: r.opt()?,
            note: r.opt()?,
        });
    }
    let pma = match r.u8()? {
        0 => None,
        1 => {
            let m = super::matcher::read(&mut r).map_err(|_| LexiconError::BadCache)?;
            if !r.0.is_empty() {
                return Err(LexiconError::BadCache);
            }
            // A value that names no entry is skipped by `find` (entries.get),
            // so a tampered automaton can hide a term but not crash the check.
            Some(m)
        }
        _ => return Err(LexiconError::BadCache),
    };
    Ok(CompiledLexicon::from_parts(name, version, entries, pma))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::format::parse;

    #[test]
    fn round_trip_matches_the_same() {
        let src = parse(
            "t",
            "#! version: 3\n攻府\tmisstatement\terror\t政府\tnote\n(讨论稿)\n".as_bytes(),
        )
        .unwrap();
        let lex = CompiledLexicon::compile(src).unwrap();
        let back = from_bytes(&to_bytes(&lex)).unwrap();
        assert_eq!(back.version().version, "3");
        let text = "攻府的预案（讨论稿）";
        let (mut a, mut b) = (Vec::new(), Vec::new());
        lex.find(text, |s, e, en| a.push((s, e, en.clone())));
        back.find(text, |s, e, en| b.push((s, e, en.clone())));
        assert_eq!(a, b);
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn damaged_caches_are_refused() {
        let lex = CompiledLexicon::compile(parse("t", "攻府\n".as_bytes()).unwrap()).unwrap();
        let bytes = to_bytes(&lex);
        for cut in [0, 3, 8, bytes.len() / 2, bytes.len() - 1] {
            assert!(from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[4] ^= 0xFF;
        assert!(from_bytes(&flipped).is_err());
    }

    /// Any byte of the matcher changed: refused, or loaded and still safe to
    /// run (it may find other things, but must not panic or hang).
    #[test]
    fn tampered_matchers_never_panic() {
        let src = parse(
            "t",
            "攻府	misstatement
政府办
办公
公
"
            .as_bytes(),
        )
        .unwrap();
        let bytes = to_bytes(&CompiledLexicon::compile(src).unwrap());
        for at in (20..bytes.len()).step_by(7) {
            for flip in [0x01, 0x80, 0xFF] {
                let mut b = bytes.clone();
                b[at] ^= flip;
                if let Ok(lex) = from_bytes(&b) {
                    lex.find("攻府与政府办公室的办公", |s, e, _| {
                        assert!(s < e)
                    });
                }
            }
        }
    }
}
