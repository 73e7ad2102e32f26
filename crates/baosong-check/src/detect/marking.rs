//! Classification and handling markings (密级标志, 内部资料, 不得外传 …).
//!
//! A marking on a public site is the worst thing that can happen to the user,
//! so matching tolerates spaces, full-width forms and line breaks inside a
//! mark (`机 密 ★`, `机\n密★１０年`). Prose *about* secrecy ("保守国家秘密",
//! "做好保密工作") is everywhere in government rules, so a mention is a blocker
//! only when it reads as a mark: it has ★ or 级, it stands on a line of its
//! own, or it sits in the document header; otherwise it is a warning.

use std::sync::OnceLock;

use regex::Regex;

use super::{FieldText, Hit};
use crate::finding::{Detector, Field, Message, Severity};
use crate::text::is_han;

/// The folded text without whitespace, with a map back.
struct Compact {
    text: String,
    /// Folded byte offset of each compact byte, plus one for the end.
    map: Vec<usize>,
}

impl Compact {
    fn new(folded: &str) -> Compact {
        let mut text = String::with_capacity(folded.len());
        let mut map = Vec::with_capacity(folded.len() + 1);
        for (i, c) in folded.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            let before = text.len();
            text.push(c);
            map.extend(std::iter::repeat_n(i, text.len() - before));
        }
        map.push(folded.len());
        Compact { text, map }
    }

    /// Folded offset just after the compact char ending at `e`.
    fn end(&self, e: usize, folded: &str) -> usize {
        if e == 0 {
            return self.map[0];
        }
        let last = self.map[e - 1];
        last + folded[last..].chars().next().map_or(0, char::len_utf8)
    }
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?P<work>工作秘密)",
            r"|(?P<level>(?:绝密|机密|秘密)(?:级)?(?:[★☆*](?:长期|\d+(?:个月|年(?:\d+月(?:\d+日)?)?))?)?)",
            r"|(?P<internal>内部(?:文件|资料|材料|刊物))",
            r"|(?P<handling>注意(?:保密|保存|保管)|(?:不得|请勿|严禁|禁止)(?:外传|扩散))",
        ))
        .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
    })
}

/// Words before a mention that make it prose: 保守国家秘密, 涉及工作秘密.
const PROSE_BEFORE: &[&str] = &[
    "保守",
    "国家",
    "商业",
    "个人",
    "涉及",
    "涉密",
    "泄露",
    "泄漏",
    "属于",
    "定为",
    "知悉",
    "保护",
    "窃取",
    "刺探",
    "非法",
    "不属于",
    "确定",
    "标注",
    "标明",
    "变更",
    "解除",
    "定密",
    "含",
];

pub fn detect(t: &FieldText, body_header_lines: usize, out: &mut Vec<Hit>) {
    let folded = &t.folded.text;
    let header_end = header_end(folded, body_header_lines);
    let compact = Compact::new(folded);
    for caps in pattern().captures_iter(&compact.text) {
        let Some(m) = caps.get(0) else { continue };
        let (cs, ce) = (m.start(), m.end());
        let (fs, fe) = (compact.map[cs], compact.end(ce, folded));
        let marked = m.as_str().contains(['★', '☆', '*', '级']);
        let prose_before = PROSE_BEFORE.iter().any(|w| compact.text[..cs].ends_with(w));
        // 机密文件 is prose; a mark is followed by the end of the line, a
        // space, punctuation or another mark (内部资料 注意保存).
        let han_after = folded[fe..].chars().next().is_some_and(is_han)
            && !folded[fe..].starts_with(['注', '不', '请', '严', '禁', '内']);
        let as_mark = marked
            || (!prose_before
                && !han_after
                && (standalone(folded, fs, fe) || in_header(t, fs, header_end)));
        let (rule, zh, en) = if !as_mark {
            (
                "marking.prose",
                "涉及保密的表述，请确认不是密级或内部标志、内容可以公开",
                "Mentions secrecy: confirm it is not a classification mark and the content may be published",
            )
        } else if caps.name("work").is_some() {
            (
                "marking.work_secret",
                "“工作秘密”标志：内容不得公开发布",
                "\"Work secret\" marking: the content must not be published",
            )
        } else if caps.name("level").is_some() {
            (
                "marking.level",
                "密级标志：涉密内容严禁在互联网发布",
                "Classification marking: classified content must never be published",
            )
        } else if caps.name("internal").is_some() {
            (
                "marking.internal",
                "“内部”标志：内部文件/资料不得公开发布",
                "\"Internal\" marking: internal documents must not be published",
            )
        } else {
            (
                "marking.handling",
                "保密管理标志（注意保密/不得外传等）：内容不得公开发布",
                "Handling marking (keep confidential / do not circulate): must not be published",
            )
        };
        out.push(Hit {
            detector: Detector::Marking,
            rule,
            severity: if as_mark {
                Severity::Blocker
            } else {
                Severity::Warning
            },
            start: t.unfold(fs),
            end: t.unfold(fe),
            message: Message::new(zh, en),
            suggestion: None,
        });
    }
}

/// The lines the mention touches hold little else: other marks, numbers,
/// punctuation and at most a few characters (此件, 编号).
fn standalone(folded: &str, fs: usize, fe: usize) -> bool {
    let (ls, le) = super::line_bounds(folded, fs, fe);
    // A mark line is short; a long one is prose (and checking it per mention
    // would make a long line of mentions quadratic).
    if le - ls > 240 {
        return false;
    }
    let rest = format!("{}{}", &folded[ls..fs], &folded[fe..le]);
    let rest = pattern().replace_all(&rest, "");
    rest.chars().filter(|&c| is_han(c)).count() <= 4
}

/// Byte offset where the first `lines` non-empty lines of the body end.
fn header_end(folded: &str, lines: usize) -> usize {
    let mut seen = 0;
    let mut offset = 0;
    for line in folded.split_inclusive('\n') {
        offset += line.len();
        if !line.trim().is_empty() {
            seen += 1;
            if seen == lines {
                return offset;
            }
        }
    }
    offset
}

/// In the title, or on one of the first lines of the body, on a short line.
fn in_header(t: &FieldText, fs: usize, header_end: usize) -> bool {
    if t.field == Field::Body && fs >= header_end {
        return false;
    }
    let line = t.line_of(fs);
    if line.len() > 240 || line.chars().filter(|&c| is_han(c)).count() > 20 {
        return false;
    }
    match t.field {
        Field::Title => true,
        Field::Body => fs < header_end,
        _ => false,
    }
}
