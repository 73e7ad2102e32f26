//! Characters to dense codes, so that the root of the trie and the pair
//! bitmap can be plain arrays indexed by code.
//!
//! Codes are given in order of frequency in the terms (the most frequent
//! character is 1), which keeps the frequent rows of those arrays together
//! in cache. 0 means "in no term": most characters of a text are rejected by
//! one lookup in a 64K-entry table (128 KiB, of which Chinese text touches the
//! CJK block).
//!
//! Folding happens here too: an *alias* is a character that is in no term but
//! gets the code of one that is ('Ａ' and 'A' get the code of 'a'), so the
//! text is matched as written, at no cost per character, and matches come
//! out in its own byte offsets.

use std::collections::HashMap;

/// The code of a character that occurs in no term.
pub const ABSENT: u32 = 0;

pub struct Codes {
    /// Code of every BMP character (BMP characters get the low codes, so
    /// they fit in 16 bits).
    bmp: Box<[u16]>,
    /// Codes of characters beyond the BMP (rare: CJK extension B and up).
    astral: HashMap<u32, u32>,
    /// The characters in code order (code `k` is `chars[k - 1]`).
    chars: Vec<char>,
    /// Characters that share another's code, with that code (kept for the
    /// stored form).
    aliases: Vec<(char, u32)>,
}

impl Codes {
    /// Codes for the characters of `keys`, most frequent first.
    pub fn build<'a>(keys: impl Iterator<Item = &'a str>) -> Codes {
        let mut bmp_count = vec![0u32; 0x10000];
        let mut astral_count: HashMap<char, u32> = HashMap::new();
        for key in keys {
            for c in key.chars() {
                match bmp_count.get_mut(c as usize) {
                    Some(n) => *n += 1,
                    None => *astral_count.entry(c).or_default() += 1,
                }
            }
        }
        let mut bmp: Vec<(u32, char)> = bmp_count
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .filter_map(|(c, &n)| Some((n, char::from_u32(c as u32)?)))
            .collect();
        bmp.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let mut astral: Vec<(u32, char)> = astral_count.into_iter().map(|(c, n)| (n, c)).collect();
        astral.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let chars = bmp.into_iter().chain(astral).map(|(_, c)| c).collect();
        // Cannot fail: BMP characters come first and number fewer than 2^16.
        Codes::from_chars(chars).unwrap_or_default()
    }

    /// Rebuilds the map from the characters in code order (from a cache).
    /// Refuses a BMP character whose code would not fit 16 bits, and repeats.
    pub fn from_chars(chars: Vec<char>) -> Result<Codes, ()> {
        let mut bmp = vec![0u16; 0x10000].into_boxed_slice();
        let mut astral = HashMap::new();
        for (k, &c) in chars.iter().enumerate() {
            let code = k as u32 + 1;
            match bmp.get_mut(c as usize) {
                Some(slot) => {
                    if *slot != 0 {
                        return Err(());
                    }
                    *slot = u16::try_from(code).map_err(|_| ())?;
                }
                None => {
                    if astral.insert(c as u32, code).is_some() {
                        return Err(());
                    }
                }
            }
        }
        Ok(Codes {
            bmp,
            astral,
            chars,
            aliases: Vec::new(),
        })
    }

    /// Gives each `from` the code of its `to`, where `to` has a code and
    /// `from` has none (a character of some term keeps its own code).
    pub fn alias(&mut self, pairs: impl Iterator<Item = (char, char)>) {
        for (from, to) in pairs {
            let code = self.of(to);
            if code != ABSENT && self.of(from) == ABSENT {
                // Cannot fail: `code` is a code and `from` has none.
                let _ = self.set_alias(from, code);
            }
        }
    }

    /// Restores aliases from a cache: refuses a code that is not one, or a
    /// character that already has a code.
    pub fn with_aliases(mut self, aliases: &[(char, u32)]) -> Result<Codes, ()> {
        for &(c, code) in aliases {
            self.set_alias(c, code)?;
        }
        Ok(self)
    }

    fn set_alias(&mut self, c: char, code: u32) -> Result<(), ()> {
        if code == ABSENT || code as usize >= self.len() || self.of(c) != ABSENT {
            return Err(());
        }
        match self.bmp.get_mut(c as usize) {
            Some(slot) => *slot = u16::try_from(code).map_err(|_| ())?,
            None => {
                self.astral.insert(c as u32, code);
            }
        }
        self.aliases.push((c, code));
        Ok(())
    }

    /// The aliases, in the order they were given.
    pub fn aliases(&self) -> &[(char, u32)] {
        &self.aliases
    }

    /// The code of the character with scalar value `c`.
    #[inline(always)]
    pub fn get(&self, c: u32) -> u32 {
        match self.bmp.get(c as usize) {
            Some(&code) => u32::from(code),
            None => self.astral.get(&c).copied().unwrap_or(ABSENT),
        }
    }

    /// The code of `c`.
    pub fn of(&self, c: char) -> u32 {
        self.get(c as u32)
    }

    /// Number of codes including [`ABSENT`]: every code is below it.
    pub fn len(&self) -> usize {
        self.chars.len() + 1
    }

    /// The characters in code order.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    pub fn heap_bytes(&self) -> usize {
        self.bmp.len() * 2
            + self.astral.len() * 16
            + self.chars.len() * 4
            + self.aliases.capacity() * 8
    }
}

impl Default for Codes {
    fn default() -> Codes {
        Codes {
            bmp: vec![0u16; 0x10000].into_boxed_slice(),
            astral: HashMap::new(),
            chars: Vec::new(),
            aliases: Vec::new(),
        }
    }
}

/// The character starting at byte `i` of valid UTF-8 (a char boundary) as
/// (scalar value, length in bytes). Hand-written because the scan decodes
/// every character of the text and needs no validation.
#[inline(always)]
pub fn decode(bytes: &[u8], i: usize) -> (u32, usize) {
    let b0 = u32::from(bytes[i]);
    if b0 < 0x80 {
        return (b0, 1);
    }
    let cont = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0) & 0x3F);
    if b0 < 0xE0 {
        ((b0 & 0x1F) << 6 | cont(1), 2)
    } else if b0 < 0xF0 {
        ((b0 & 0x0F) << 12 | cont(1) << 6 | cont(2), 3)
    } else {
        (
            (b0 & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3),
            4,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_characters_get_low_codes() {
        let codes = Codes::build(["政府", "政务", "𠀀政"].into_iter());
        assert_eq!(codes.of('政'), 1);
        assert_eq!(codes.of('x'), ABSENT);
        assert_ne!(codes.of('𠀀'), ABSENT);
        assert_eq!(codes.len(), 5);
        let again = Codes::from_chars(codes.chars().to_vec()).unwrap();
        assert_eq!(again.of('𠀀'), codes.of('𠀀'));
        assert!(Codes::from_chars(vec!['a', 'a']).is_err());
    }

    #[test]
    fn aliases_share_a_code() {
        let mut codes = Codes::build(["ab", "政"].into_iter());
        codes.alias([('A', 'a'), ('Ｂ', 'b'), ('C', 'c'), ('a', 'b')].into_iter());
        assert_eq!(codes.of('A'), codes.of('a'));
        assert_eq!(codes.of('Ｂ'), codes.of('b'));
        assert_eq!(codes.of('C'), ABSENT, "c is in no term");
        assert_ne!(
            codes.of('a'),
            codes.of('b'),
            "a term's character keeps its code"
        );
        let back = Codes::from_chars(codes.chars().to_vec())
            .and_then(|c| c.with_aliases(codes.aliases()))
            .unwrap();
        assert_eq!(back.of('A'), codes.of('a'));
        let chars = codes.chars().to_vec();
        let bad = |a: &[(char, u32)]| Codes::from_chars(chars.clone()).unwrap().with_aliases(a);
        assert!(bad(&[('A', 0)]).is_err());
        assert!(bad(&[('A', 4)]).is_err());
        assert!(bad(&[('a', 1)]).is_err());
    }

    #[test]
    fn decodes_every_width() {
        let s = "a¢政𠀀";
        let mut i = 0;
        for c in s.chars() {
            let (v, n) = decode(s.as_bytes(), i);
            assert_eq!((v, n), (c as u32, c.len_utf8()));
            i += n;
        }
    }
}
