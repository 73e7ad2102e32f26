//! Writing norms (GB/T 15834 标点符号用法, GB/T 15835 数字用法): warnings only.

use std::sync::OnceLock;

use regex::Regex;

use super::{FieldText, Hit, links};
use crate::finding::{Detector, Message, Severity};
use crate::text::{is_cjk_punct, is_han};

pub fn detect(t: &FieldText, out: &mut Vec<Hit>) {
    let text = t.text();
    let urls = links::find(text);
    let in_url = |i: usize| urls.iter().any(|&(s, e)| s <= i && i < e);
    halfwidth(text, &in_url, out);
    unbalanced(text, out);
    repeated(text, out);
    dates(text, &in_url, out);
}

fn hit(
    rule: &'static str,
    s: usize,
    e: usize,
    zh: &str,
    en: &str,
    suggestion: Option<String>,
) -> Hit {
    Hit {
        detector: Detector::Norms,
        rule,
        severity: Severity::Warning,
        start: s,
        end: e,
        message: Message::new(zh, en),
        suggestion,
    }
}

/// Half-width `,;:!?()."` next to Chinese characters.
fn halfwidth(text: &str, in_url: &dyn Fn(usize) -> bool, out: &mut Vec<Hit>) {
    // Only the few ASCII marks matter: find them by byte, then look at the
    // characters either side.
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if !matches!(
            b,
            b',' | b';' | b':' | b'!' | b'?' | b'(' | b')' | b'.' | b'"'
        ) || in_url(i)
        {
            continue;
        }
        let c = b as char;
        let prev = text[..i].chars().next_back();
        let next = text[i + 1..].chars().next();
        let han_prev = prev.is_some_and(|p| is_han(p) || is_cjk_punct(p));
        let han_next = next.is_some_and(is_han);
        let flagged = match c {
            '.' => prev.is_some_and(is_han) && next.is_none_or(|n| n == '\n' || is_han(n)),
            ':' | ',' => {
                (han_prev || han_next)
                    && !(prev.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|n| n.is_ascii_digit()))
            }
            _ => han_prev || han_next,
        };
        if !flagged {
            continue;
        }
        let full = match c {
            ',' => "，",
            ';' => "；",
            ':' => "：",
            '!' => "！",
            '?' => "？",
            '(' => "（",
            ')' => "）",
            '.' => "。",
            _ if han_next && !han_prev => "“",
            _ => "”",
        };
        out.push(hit(
            "norms.halfwidth_punct",
            i,
            i + 1,
            &format!("中文句子中使用了半角标点“{c}”，应为“{full}”"),
            &format!("Half-width '{c}' in a Chinese sentence; use '{full}'"),
            Some(full.to_owned()),
        ));
    }
}

const PAIRS: [(char, char); 7] = [
    ('《', '》'),
    ('“', '”'),
    ('‘', '’'),
    ('（', '）'),
    ('【', '】'),
    ('〈', '〉'),
    ('「', '」'),
];

/// Unmatched book-title marks, quotes and brackets, per paragraph.
fn unbalanced(text: &str, out: &mut Vec<Hit>) {
    let mut offset = 0;
    for para in text.split('\n') {
        let mut stack: Vec<(usize, char)> = Vec::new();
        for (i, c) in para.char_indices() {
            if PAIRS.iter().any(|&(o, _)| o == c) {
                stack.push((offset + i, c));
            } else if let Some(&(open, _)) = PAIRS.iter().find(|&&(_, cl)| cl == c) {
                // Only the innermost few are searched: a long run of openers must
                // not make every closer walk the whole stack.
                let depth = stack.len().saturating_sub(64);
                match stack[depth..]
                    .iter()
                    .rposition(|&(_, o)| o == open)
                    .map(|p| p + depth)
                {
                    Some(pos) => {
                        for (at, o) in stack.drain(pos..).skip(1) {
                            out.push(unclosed(at, o));
                        }
                    }
                    None => out.push(hit(
                        "norms.unbalanced",
                        offset + i,
                        offset + i + c.len_utf8(),
                        &format!("“{c}”没有对应的前半部分"),
                        &format!("'{c}' has no opening counterpart"),
                        None,
                    )),
                }
            }
        }
        for (at, o) in stack {
            out.push(unclosed(at, o));
        }
        offset += para.len() + 1;
    }
    out.sort_by_key(|h| h.start);
}

fn unclosed(at: usize, o: char) -> Hit {
    hit(
        "norms.unbalanced",
        at,
        at + o.len_utf8(),
        &format!("“{o}”没有对应的后半部分"),
        &format!("'{o}' is never closed"),
        None,
    )
}

/// `。。`, `，，`, `！！`: repeated sentence punctuation (not …… or ——).
fn repeated(text: &str, out: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"[。，、；：]{2,}|！{2,}|？{2,}")
            .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
    });
    for m in re.find_iter(text) {
        let first: String = m.as_str().chars().take(1).collect();
        out.push(hit(
            "norms.repeated_punct",
            m.start(),
            m.end(),
            &format!("标点重复：“{}”", m.as_str()),
            &format!("Repeated punctuation: '{}'", m.as_str()),
            Some(first),
        ));
    }
}

/// Numeric dates (`2016-8-30`, `2016/08/30`, `2016.8.30`) in Chinese text:
/// GB/T 15835 wants 2016年8月30日 in running text, and one form throughout.
fn dates(text: &str, in_url: &dyn Fn(usize) -> bool, out: &mut Vec<Hit>) {
    static NUMERIC: OnceLock<Regex> = OnceLock::new();
    static CHINESE: OnceLock<Regex> = OnceLock::new();
    let numeric = NUMERIC.get_or_init(|| {
        Regex::new(r"(\d{4})([-/.])(\d{1,2})[-/.](\d{1,2})")
            .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
    });
    let chinese = CHINESE.get_or_init(|| {
        Regex::new(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
            .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
    });
    let has_chinese_dates = chinese.is_match(text);
    let b = text.as_bytes();
    for c in numeric.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let (s, e) = (m.start(), m.end());
        let glued = (s > 0
            && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b'/' | b'-' | b'.')))
            || b.get(e).is_some_and(|&x| {
                x.is_ascii_alphanumeric()
                    || ((x == b'.' || x == b'-' || x == b'/')
                        && b.get(e + 1).is_some_and(u8::is_ascii_digit))
            });
        let sep_ok = m.as_str().matches(&c[2]).count() == 2;
        let (y, mo, d) = (num(&c[1]), num(&c[3]), num(&c[4]));
        if glued || !sep_ok || in_url(s) || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
            continue;
        }
        let padded = c[3].len() == 2 && c[4].len() == 2 && &c[2] == "-";
        if padded && !has_chinese_dates {
            continue;
        }
        let why = if has_chinese_dates {
            "与文中“××××年×月×日”格式不一致"
        } else {
            "格式不规范"
        };
        out.push(hit(
            "norms.date_format",
            s,
            e,
            &format!("日期“{}”{why}，建议写作“{y}年{mo}月{d}日”", m.as_str()),
            &format!(
                "Date '{}' is not in the document's form; write {y}年{mo}月{d}日",
                m.as_str()
            ),
            Some(format!("{y}年{mo}月{d}日")),
        ));
    }
    for c in chinese.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let (y, mo, d) = (num(&c[1]), num(&c[2]), num(&c[3]));
        if !super::valid_date(y, mo, d) {
            out.push(hit(
                "norms.date_format",
                m.start(),
                m.end(),
                &format!("日期“{}”不存在", m.as_str()),
                &format!("Date '{}' does not exist", m.as_str()),
                None,
            ));
        }
    }
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}
