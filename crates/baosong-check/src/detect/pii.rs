//! Personal data (blocker until masked) and organisation identifiers (info).
//!
//! Works on the folded text, so full-width digits and capitals are seen as
//! ASCII. Identifiers are found as whole alphanumeric runs: a run that is part
//! of a longer number, an 索引号 (`000014349/2016-00123`), a decimal or a date
//! never yields a hit, and checksums (GB 11643, Luhn, GB 32100) plus birth
//! dates and region codes keep statistics from looking like people.

use std::sync::OnceLock;

use regex::Regex;

use super::checksums::{luhn_valid, resident_id_valid, uscc_valid};
use super::{FieldText, Hit, mask, regions, valid_date};
use crate::finding::{Detector, Message, Severity};

pub fn detect(t: &FieldText, out: &mut Vec<Hit>) {
    let start = out.len();
    for (s, e) in alnum_runs(&t.folded.text) {
        classify_run(t, s, e, out);
    }
    grouped_bank_cards(t, out);
    mobiles(t, out);
    emails(t, out);
    addresses(t, out);
    // Overlaps between the passes (a grouped card also seen as runs): keep the first.
    let mut kept: Vec<Hit> = Vec::new();
    for h in out.drain(start..) {
        if !kept.iter().any(|k| k.start < h.end && h.start < k.end) {
            kept.push(h);
        }
    }
    out.extend(kept);
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| panic!("built-in pattern: {e}")))
}

/// Maximal runs of ASCII letters and digits (byte ranges in the folded text).
fn alnum_runs(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        Some((s, i))
    })
}

/// True when the run at `s..e` continues a longer token: `123/456`, `1.5`,
/// `2016-00123`, `a_b`, `x@y`.
fn glued(text: &str, s: usize, e: usize) -> bool {
    let b = text.as_bytes();
    let joins = |c: u8| matches!(c, b'/' | b'.' | b'-' | b'_' | b'@' | b'\\' | b':');
    let before = s >= 2 && joins(b[s - 1]) && b[s - 2].is_ascii_alphanumeric();
    let after = e + 1 < b.len() && joins(b[e]) && b[e + 1].is_ascii_alphanumeric();
    before || after
}

fn context_has(t: &FieldText, at: usize, words: &[&str]) -> bool {
    let (line_start, _) = super::line_bounds(&t.folded.text, at, at);
    let before = t.before(at, 24);
    let before = &before[before.len().saturating_sub(at - line_start)..];
    words.iter().any(|w| before.contains(w))
}

/// In a GFM table row? Returns the header row's text when so.
fn table_header<'a>(t: &'a FieldText, at: usize) -> Option<&'a str> {
    let line = t.line_of(at).trim_start();
    if !line.starts_with('|') {
        return None;
    }
    let text = &t.folded.text[..at];
    let mut header = line;
    // Bounded: a huge table costs no more per number than a small one.
    for l in text.lines().rev().take(200) {
        if l.trim_start().starts_with('|') {
            header = l;
        } else {
            break;
        }
    }
    Some(header)
}

/// A number in a table counts as personal data only when its table is about
/// people's contact or identity details.
fn table_allows(t: &FieldText, at: usize, words: &[&str]) -> bool {
    match table_header(t, at) {
        None => true,
        Some(h) => words.iter().any(|w| h.contains(w)),
    }
}

const INDEX_WORDS: &[&str] = &[
    "索引号",
    "注册号",
    "编号",
    "流水号",
    "批准号",
    "登记号",
    "订单号",
];
const CARD_WORDS: &[&str] = &[
    "卡号",
    "银行卡",
    "账号",
    "帐号",
    "账户",
    "帐户",
    "开户",
    "储蓄卡",
    "信用卡",
    "借记卡",
    "银行",
    "收款",
    "汇款",
    "转账",
];
const ID_WORDS: &[&str] = &["身份证", "公民身份", "证件", "身份号"];

fn classify_run(t: &FieldText, s: usize, e: usize, out: &mut Vec<Hit>) {
    let text = &t.folded.text;
    let run = &text.as_bytes()[s..e];
    if glued(text, s, e) || context_has(t, s, INDEX_WORDS) {
        return;
    }
    let digits = run.iter().all(u8::is_ascii_digit);
    let len = run.len();
    if len == 18
        && run[..17].iter().all(u8::is_ascii_digit)
        && let Some(h) = resident_id(t, s, e)
    {
        out.push(h);
        return;
    }
    if len == 18 && uscc_valid(run) {
        out.push(hit(t, "org.uscc", Severity::Info, s, e,
            Message::new("统一社会信用代码（机构标识，可公开，请确认属于单位而非个人）",
                "Unified social credit code (an organisation's identifier, public; confirm it is not a person's)"),
            None));
        return;
    }
    if len == 15 && digits {
        if let Some(h) = old_resident_id(t, s, e) {
            out.push(h);
        }
        return;
    }
    if (16..=19).contains(&len) && digits {
        bank_card(t, s, e, out);
        return;
    }
    travel_document(t, s, e, out);
}

fn num(b: &[u8]) -> u32 {
    b.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'))
}

fn resident_id(t: &FieldText, s: usize, e: usize) -> Option<Hit> {
    let run = &t.folded.text.as_bytes()[s..e];
    if !resident_id_valid(run) {
        return None;
    }
    let region = num(&run[..6]);
    let (y, m, d) = (num(&run[6..10]), num(&run[10..12]), num(&run[12..14]));
    if !regions::is_province(region) || !(1900..=2099).contains(&y) || !valid_date(y, m, d) {
        return None;
    }
    let (zh, en) = if regions::is_known(region) {
        (
            "居民身份证号码（校验位、出生日期、地区码均有效），发布前必须打码",
            "Resident ID number (valid check digit, birth date and region code): mask it before publishing",
        )
    } else {
        (
            "疑似居民身份证号码（校验位、出生日期有效，地区码不在代码表中），发布前必须打码",
            "Probable resident ID number (valid check digit and birth date; region code not in the table): mask it",
        )
    };
    let orig = &t.text()[t.unfold(s)..t.unfold(e)];
    Some(hit(
        t,
        "pii.resident_id",
        Severity::Blocker,
        s,
        e,
        Message::new(zh, en),
        Some(mask::keep_ends(orig, 2, 3)),
    ))
}

fn old_resident_id(t: &FieldText, s: usize, e: usize) -> Option<Hit> {
    let run = &t.folded.text.as_bytes()[s..e];
    let region = num(&run[..6]);
    let (y, m, d) = (1900 + num(&run[6..8]), num(&run[8..10]), num(&run[10..12]));
    if !regions::is_known(region) || !valid_date(y, m, d) || !table_allows(t, s, ID_WORDS) {
        return None;
    }
    let orig = &t.text()[t.unfold(s)..t.unfold(e)];
    Some(hit(
        t,
        "pii.resident_id_15",
        Severity::Blocker,
        s,
        e,
        Message::new(
            "15位（旧版）居民身份证号码，发布前必须打码",
            "Old 15-digit resident ID number: mask it before publishing",
        ),
        Some(mask::keep_ends(orig, 2, 3)),
    ))
}

/// Issuer prefixes of cards issued in China: UnionPay 62, Visa 4, Mastercard
/// 51–55 and 2221–2720, JCB 35, and the banks' own 9-series cards.
fn card_prefix(run: &[u8]) -> bool {
    let p2 = num(&run[..2]);
    let p4 = num(&run[..4]);
    matches!(p2, 62 | 40..=49 | 51..=55 | 35 | 60 | 65 | 90..=99) || (2221..=2720).contains(&p4)
}

fn bank_card(t: &FieldText, s: usize, e: usize, out: &mut Vec<Hit>) {
    let run = &t.folded.text.as_bytes()[s..e];
    let context = context_has(t, s, CARD_WORDS);
    let luhn = luhn_valid(run);
    let prefix = card_prefix(run);
    // Not every domestic card passes Luhn, so with a clear context word the
    // UnionPay/bank prefix is enough; without one, all three must agree.
    let severity = if context && prefix && (luhn || run[0] == b'6' || run[0] == b'9') {
        Severity::Blocker
    } else if !context && luhn && prefix && table_header(t, s).is_none() {
        Severity::Warning
    } else {
        return;
    };
    let orig = &t.text()[t.unfold(s)..t.unfold(e)];
    out.push(hit(
        t,
        "pii.bank_card",
        severity,
        s,
        e,
        Message::new(
            "银行卡号，发布前必须打码",
            "Bank card number: mask it before publishing",
        ),
        Some(mask::keep_ends(orig, 4, 4)),
    ));
}

/// `6222 0212 3456 7890 123`: a card written in groups of four.
fn grouped_bank_cards(t: &FieldText, out: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(&RE, r"\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?");
    let text = &t.folded.text;
    for m in re.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        let b = text.as_bytes();
        if (s > 0 && b[s - 1].is_ascii_alphanumeric())
            || b.get(e).is_some_and(u8::is_ascii_alphanumeric)
        {
            continue;
        }
        let digits: Vec<u8> = m.as_str().bytes().filter(u8::is_ascii_digit).collect();
        if !(16..=19).contains(&digits.len()) || !card_prefix(&digits) {
            continue;
        }
        let context = context_has(t, s, CARD_WORDS);
        if !(context || luhn_valid(&digits)) || glued(text, s, e) {
            continue;
        }
        let severity = if context {
            Severity::Blocker
        } else {
            Severity::Warning
        };
        let orig = &t.text()[t.unfold(s)..t.unfold(e)];
        out.push(hit(
            t,
            "pii.bank_card",
            severity,
            s,
            e,
            Message::new(
                "银行卡号，发布前必须打码",
                "Bank card number: mask it before publishing",
            ),
            Some(mask::keep_ends(orig, 4, 4)),
        ));
    }
}

/// Passports and the travel permits for Hong Kong, Macao and Taiwan. Their
/// numbers look like any serial number, so a context word is required.
fn travel_document(t: &FieldText, s: usize, e: usize, out: &mut Vec<Hit>) {
    static PASSPORT: OnceLock<Regex> = OnceLock::new();
    static PERMIT: OnceLock<Regex> = OnceLock::new();
    let run = &t.folded.text[s..e];
    let passport = re(&PASSPORT, r"^(?:[egdsp][a-z]?\d{7,8}|\d{9})$");
    let permit = re(&PERMIT, r"^(?:[ckwhmlt][a-z]?\d{7,10}|\d{8}|\d{10})$");
    let orig = &t.text()[t.unfold(s)..t.unfold(e)];
    if passport.is_match(run) && context_has(t, s, &["护照"]) {
        out.push(hit(
            t,
            "pii.passport",
            Severity::Blocker,
            s,
            e,
            Message::new(
                "护照号码，发布前必须打码",
                "Passport number: mask it before publishing",
            ),
            Some(mask::keep_ends(orig, 1, 3)),
        ));
    } else if permit.is_match(run) && context_has(t, s, &["通行证", "台胞证", "回乡证", "旅行证"])
    {
        out.push(hit(
            t,
            "pii.travel_permit",
            Severity::Blocker,
            s,
            e,
            Message::new(
                "港澳台通行证号码，发布前必须打码",
                "Hong Kong/Macao/Taiwan travel permit number: mask it before publishing",
            ),
            Some(mask::keep_ends(orig, 1, 3)),
        ));
    }
}

/// Mainland mobile prefixes (13x, 145–149, 15x but 154, 162/165–167, 17x but
/// 174/179, 18x, 19x but 194) — keeps 11-digit amounts from looking like phones.
fn mobile_prefix(d: &[u8]) -> bool {
    let (a, b) = (d[1], d[2]);
    match a {
        b'3' | b'8' => true,
        b'4' => matches!(b, b'5'..=b'9'),
        b'5' => b != b'4',
        b'6' => matches!(b, b'2' | b'5' | b'6' | b'7'),
        b'7' => !matches!(b, b'4' | b'9'),
        b'9' => b != b'4',
        _ => false,
    }
}

const UNIT_CHARS: &str = "元万亿人次个件%吨亩台辆套户家所名位项份册本千米克";

fn mobiles(t: &FieldText, out: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"(?:(?:\+|00)86[ -]?|\(\+?86\) ?|\+86)?1[3-9]\d(?:[ -]?\d{4}){2}",
    );
    let text = &t.folded.text;
    let b = text.as_bytes();
    for m in re.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        let prev_glue = s > 0
            && (b[s - 1].is_ascii_alphanumeric()
                || matches!(b[s - 1], b'-' | b'.' | b'/' | b'_' | b'+'));
        let next_glue = b
            .get(e)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'@')
            || (matches!(b.get(e), Some(b'.' | b'-' | b'/'))
                && b.get(e + 1).is_some_and(u8::is_ascii_digit));
        if prev_glue || next_glue {
            continue;
        }
        let digits: Vec<u8> = m.as_str().bytes().filter(u8::is_ascii_digit).collect();
        let local = &digits[digits.len() - 11..];
        if !mobile_prefix(local)
            || t.after(e, 1)
                .chars()
                .next()
                .is_some_and(|c| UNIT_CHARS.contains(c))
            || context_has(t, s, INDEX_WORDS)
            || !table_allows(t, s, &["电话", "手机", "联系", "号码"])
        {
            continue;
        }
        let orig = &t.text()[t.unfold(s)..t.unfold(e)];
        out.push(hit(
            t,
            "pii.mobile",
            Severity::Blocker,
            s,
            e,
            Message::new(
                "手机号码，发布前必须打码（如 138****1234）",
                "Mobile number: mask it before publishing (e.g. 138****1234)",
            ),
            Some(mask::mobile(orig)),
        ));
    }
}

/// Mailboxes on free providers belong to people; a .gov.cn address is a
/// department's published contact.
fn emails(t: &FieldText, out: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}",
    );
    const PERSONAL: &[&str] = &[
        "qq.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "foxmail.com",
        "aliyun.com",
        "139.com",
        "189.cn",
        "wo.cn",
        "icloud.com",
        "me.com",
    ];
    for m in re.find_iter(&t.folded.text) {
        let domain = m.as_str().rsplit('@').next().unwrap_or_default();
        let official = [".gov.cn", ".gov", ".edu.cn", ".org.cn", ".ac.cn"]
            .iter()
            .any(|d| domain.ends_with(d) || domain == &d[1..]);
        let (severity, zh, en) = if official {
            (
                Severity::Info,
                "机构电子邮箱（可公开，请确认不是个人邮箱）",
                "Institutional email address (may be published; confirm it is not personal)",
            )
        } else if PERSONAL
            .iter()
            .any(|p| domain == *p || domain.ends_with(&format!(".{p}")))
        {
            (
                Severity::Blocker,
                "个人电子邮箱，发布前必须删除或打码",
                "Personal email address: remove or mask it before publishing",
            )
        } else {
            (
                Severity::Warning,
                "电子邮箱地址，请确认可以公开",
                "Email address: confirm it may be published",
            )
        };
        let (s, e) = (m.start(), m.end());
        let orig = &t.text()[t.unfold(s)..t.unfold(e)];
        let suggestion = (severity != Severity::Info).then(|| mask::email(orig));
        out.push(hit(
            t,
            "pii.email",
            severity,
            s,
            e,
            Message::new(zh, en),
            suggestion,
        ));
    }
}

/// Home addresses below street level: building, unit and room numbers.
fn addresses(t: &FieldText, out: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = re(
        &RE,
        concat!(
            r"(?:(?:小区|花园|公寓|家园|新村|苑|号院)?(?:\d+|[一二三四五六七八九十]+)(?:号楼|栋|幢|座))(?:\d+单元)?(?:\d+(?:层|楼))?(?:\d+(?:室|号|户))?",
            r"|\d+单元\d+(?:室|号|户)?",
            // Rural addresses: 村民小组 and house number (…村3组15号).
            r"|(?:村|社区)\d+组(?:\d+号)?",
            r"|(?:小区|花园|公寓|家园|新村|苑|号院)\d+号\d*(?:室|户)?",
        ),
    );
    let text = &t.folded.text;
    for m in re.find_iter(text) {
        let (mut s, e) = (m.start(), m.end());
        // Extend back over the rest of the address (…市…区…街道…小区).
        for (i, c) in text[..s].char_indices().rev().take(25) {
            if c.is_alphanumeric() && !"住址于在为".contains(c) {
                s = i;
            } else {
                break;
            }
        }
        if context_has(
            t,
            s,
            &["办公地址", "办公地点", "会议地点", "办事大厅", "服务中心"],
        ) {
            continue;
        }
        let orig = &t.text()[t.unfold(m.start())..t.unfold(e)];
        let kept = &t.text()[t.unfold(s)..t.unfold(m.start())];
        out.push(hit(t, "pii.address", Severity::Warning, s, e,
            Message::new("住址具体到楼栋门牌（公开信息只宜到乡镇/街道），请确认",
                "Address down to building/room (public information should stop at township/street level)"),
            Some(format!("{kept}{}", mask::digits(orig)))));
    }
}

/// Builds a hit from folded offsets.
fn hit(
    t: &FieldText,
    rule: &'static str,
    severity: Severity,
    s: usize,
    e: usize,
    message: Message,
    suggestion: Option<String>,
) -> Hit {
    Hit {
        detector: Detector::Pii,
        rule,
        severity,
        start: t.unfold(s),
        end: t.unfold(e),
        message,
        suggestion,
    }
}
