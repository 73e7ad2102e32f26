//! The text a reader sees in a Markdown draft, mapped back to the source.
//!
//! The editor writes emphasis markers and character references into the
//! Markdown (`学&#x4E60;**《条例》**`), and a marking split by emphasis
//! (`机**密**`) is still a marking. So detectors run on a light rendering:
//! emphasis markers and heading/quote prefixes dropped, backslash escapes and
//! character references resolved. Everything else (links, table pipes) stays,
//! so offsets stay close to what the user wrote.

/// A detector-ready text with a map back to its source.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub text: String,
    /// Source byte offset where the character at each prepared byte starts.
    starts: Option<Vec<u32>>,
    /// Source byte offset where the character ending at each prepared byte ends.
    ends: Option<Vec<u32>>,
}

impl Prepared {
    /// Plain text: checked as it is.
    pub fn plain(text: &str) -> Prepared {
        Prepared {
            text: text.to_owned(),
            starts: None,
            ends: None,
        }
    }

    /// Markdown: see the module documentation.
    pub fn markdown(source: &str) -> Prepared {
        let mut b = Builder::new(source.len());
        let bytes = source.as_bytes();
        let mut i = 0;
        let mut line_start = true;
        while i < source.len() {
            if line_start {
                i = skip_block_prefix(source, i);
                line_start = false;
                if i >= source.len() {
                    break;
                }
            }
            let rest = &source[i..];
            let c = rest.chars().next().unwrap_or('\0');
            match c {
                '\\' if rest[1..].starts_with(|n: char| n.is_ascii_punctuation()) => {
                    b.push(source, i, &rest[1..2], i + 2);
                    i += 2;
                }
                '&' => match decode_entity(rest) {
                    Some((ch, len)) => {
                        let mut buf = [0u8; 4];
                        b.push(source, i, ch.encode_utf8(&mut buf), i + len);
                        i += len;
                    }
                    None => {
                        b.push(source, i, "&", i + 1);
                        i += 1;
                    }
                },
                '*' => i += 1,
                '~' if bytes.get(i + 1) == Some(&b'~') => i += 2,
                _ => {
                    let len = c.len_utf8();
                    b.push(source, i, &rest[..len], i + len);
                    if c == '\n' {
                        line_start = true;
                    }
                    i += len;
                }
            }
        }
        b.finish(source.len())
    }

    /// Source offset of the character starting at prepared byte `i`.
    pub fn source_start(&self, i: usize) -> usize {
        match &self.starts {
            None => i,
            Some(m) => m.get(i).map_or(i, |&o| o as usize),
        }
    }

    /// Source offset just after the character ending at prepared byte `i`.
    pub fn source_end(&self, i: usize) -> usize {
        match &self.ends {
            None => i,
            Some(m) => m.get(i).map_or(i, |&o| o as usize),
        }
    }
}

struct Builder {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Builder {
    fn new(cap: usize) -> Builder {
        Builder {
            text: String::with_capacity(cap),
            starts: Vec::with_capacity(cap + 1),
            ends: vec![0],
        }
    }

    /// Appends `out`, which stands for `source[from..to]`.
    fn push(&mut self, _source: &str, from: usize, out: &str, to: usize) {
        self.text.push_str(out);
        for k in 0..out.len() {
            self.starts.push(from as u32);
            // Only the last byte of the piece ends a character.
            self.ends
                .push(if k + 1 == out.len() { to } else { from } as u32);
        }
    }

    fn finish(mut self, source_len: usize) -> Prepared {
        self.starts.push(source_len as u32);
        Prepared {
            text: self.text,
            starts: Some(self.starts),
            ends: Some(self.ends),
        }
    }
}

/// Skips `# `…`###### ` and `> ` at the start of a line.
fn skip_block_prefix(source: &str, mut i: usize) -> usize {
    let bytes = source.as_bytes();
    loop {
        let rest = &bytes[i..];
        let hashes = rest.iter().take_while(|&&b| b == b'#').count();
        if (1..=6).contains(&hashes) && rest.get(hashes) == Some(&b' ') {
            i += hashes + 1;
        } else if rest.starts_with(b"> ") {
            i += 2;
        } else if rest.starts_with(b">") {
            i += 1;
        } else {
            return i;
        }
    }
}

/// Decodes a character reference at the start of `s`: `&#x4E60;`, `&#20064;`
/// or one of the few named ones editors write. Returns the char and its length.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let body = &s[1..end];
    let c = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
    } else if let Some(dec) = body.strip_prefix('#') {
        char::from_u32(dec.parse().ok()?)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_references_emphasis_and_escapes() {
        let src = "## 学&#x4E60;**《条例》**，机**密**；138\\*\\*\\*\\*1234";
        let p = Prepared::markdown(src);
        assert_eq!(p.text, "学习《条例》，机密；138****1234");
        let ji = p.text.find("机密").unwrap();
        let end = ji + "机密".len();
        assert_eq!(&src[p.source_start(ji)..p.source_end(end)], "机**密");
        let xi = p.text.find('习').unwrap();
        assert_eq!(&src[p.source_start(xi)..p.source_end(xi + 3)], "&#x4E60;");
    }

    #[test]
    fn unknown_entities_and_lone_marks_stay() {
        let p = Prepared::markdown("a & b &foo; c\n> 引用");
        assert_eq!(p.text, "a & b &foo; c\n引用");
    }
}
