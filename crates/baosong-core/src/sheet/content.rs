//! What the approval sheet says, row by row: the registration record's
//! facts under the headings of the paper form. A step that did not happen
//! prints as "（无）", never as a made-up value.

use baosong_check::{DecisionKind, Severity};
use chrono::{DateTime, Local, Utc};

use super::SHEET_TITLE;
use super::font::Metrics;
use super::layout::{Layout, Op};
use crate::i18n::Lang;
use crate::model::{CheckSummary, PortalStep, RegistrationRecord};

const NONE: &str = "（无）";

/// Lays out the whole sheet of `record`.
pub fn lay_out(
    record: &RegistrationRecord,
    metrics: &Metrics<'_>,
    generated_at: DateTime<Utc>,
) -> Vec<Vec<Op>> {
    let mut l = Layout::new(metrics, &format!("{SHEET_TITLE}（续）"));
    l.heading(SHEET_TITLE, 18.0);
    l.note(&format!(
        "稿件编号：{}　修订：第 {} 版　当前状态：{}",
        record.item_id,
        record.revision,
        record.state.label(Lang::Zh)
    ));
    item_rows(&mut l, record);
    secrecy_rows(&mut l, record);
    review_rows(&mut l, record);
    signoff_rows(&mut l, record);
    portal_rows(&mut l, record);
    l.section("经办签字（手写）");
    l.blank_pair("执笔人", "保密审查人", 2);
    l.blank_pair("签发人", "日期", 2);
    let hash = record
        .signoff
        .as_ref()
        .map(|s| s.content_hash.clone())
        .or_else(|| {
            record
                .secrecy_review
                .as_ref()
                .map(|r| r.content_hash.clone())
        })
        .unwrap_or_else(|| NONE.to_string());
    let key = record
        .signoff
        .as_ref()
        .map(|s| s.key_fingerprint.clone())
        .unwrap_or_else(|| NONE.to_string());
    let generated = time(generated_at);
    l.finish(|page, pages| {
        vec![
            format!("内容摘要（SHA-256）：{hash}"),
            format!("签名密钥指纹：{key}"),
            format!("生成时间：{generated}　　第 {page} 页 / 共 {pages} 页"),
        ]
    })
}

fn item_rows(l: &mut Layout<'_, '_>, r: &RegistrationRecord) {
    l.section("一、稿件信息");
    l.row("标题", &r.title);
    l.pair(
        ("栏目", or_none(&r.column)),
        ("来源单位", or_none(&r.source_unit)),
    );
    l.pair(
        ("执笔人", or_none(&r.author)),
        ("联系电话", or_none(&r.author_phone)),
    );
}

fn secrecy_rows(l: &mut Layout<'_, '_>, r: &RegistrationRecord) {
    l.section("二、保密审查（自查）");
    let Some(s) = &r.secrecy_review else {
        l.row("保密审查", "未审查（本版本未送审）");
        return;
    };
    l.pair(("保密审查人", &s.by), ("审查时间", &time(s.at)));
    l.row("检查结果", &counts(&s.summary));
    l.row("检查内容摘要", &s.content_hash);
    if s.summary.decided.is_empty() {
        l.row("须决定的问题", NONE);
    }
    for (i, f) in s.summary.decided.iter().enumerate() {
        let decision = match (f.decision, &f.reason) {
            (Some(DecisionKind::Fixed), _) => "已修改".to_string(),
            (Some(DecisionKind::Waived), Some(reason)) => format!("确认无误，理由：{reason}"),
            (Some(DecisionKind::Waived), None) => "确认无误".to_string(),
            (None, _) => "未决定".to_string(),
        };
        let who = match (&f.decided_by, &f.decided_at) {
            (Some(by), Some(at)) => format!("（{by}，{}）", time_str(at)),
            (Some(by), None) => format!("（{by}）"),
            _ => String::new(),
        };
        l.row(
            &format!("问题 {}（{}）", i + 1, severity(f.severity)),
            &format!(
                "〔{}〕“{}”：{}\n处理：{decision}{who}",
                field(&f.field),
                f.matched,
                f.message
            ),
        );
    }
}

fn review_rows(l: &mut Layout<'_, '_>, r: &RegistrationRecord) {
    l.section("三、送审");
    let Some(s) = &r.sent_for_review else {
        l.row("送审", "未送审");
        return;
    };
    let from = person(&s.by_name, &s.by);
    let to = match (&s.to_name, &s.to_user) {
        (Some(name), Some(user)) => person(name, user),
        (None, Some(user)) => user.clone(),
        _ => "本单位任一负责人".to_string(),
    };
    l.pair(("送审人", &from), ("送审对象", &to));
    l.pair(("送审时间", &time(s.at)), ("送审说明", or_none(&s.note)));
}

fn signoff_rows(l: &mut Layout<'_, '_>, r: &RegistrationRecord) {
    l.section("四、审核签发");
    let Some(s) = &r.signoff else {
        l.row("签发", "未签发");
        return;
    };
    l.pair(
        ("签发人", &person(&s.signer_name, &s.signer)),
        ("签发时间", &time(s.signed_at)),
    );
    l.row("签发意见", or_none(&s.opinion));
    l.row("签名密钥指纹", &s.key_fingerprint);
    l.row("签发内容摘要", &s.content_hash);
    l.row("电子签名（摘录）", &s.signature_excerpt);
    if let Some(at) = s.invalidated_at {
        let reason = s.invalidated_reason.as_deref().unwrap_or("");
        l.row("签发已失效", &format!("{}　{reason}", time(at)));
    }
}

fn portal_rows(l: &mut Layout<'_, '_>, r: &RegistrationRecord) {
    l.section("五、报送与门户处理");
    let submitted = r.submitted_at.map(time).unwrap_or_else(|| "未报送".into());
    let [
        received,
        in_review,
        adopted,
        published,
        returned,
        not_adopted,
        withdrawn,
    ] = r
        .portal
        .labelled()
        .map(|(label, step)| (label, step_text(step)));
    l.pair(("报送时间", &submitted), (received.0, &received.1));
    l.pair((in_review.0, &in_review.1), (adopted.0, &adopted.1));
    l.row(published.0, &published.1);
    l.pair((returned.0, &returned.1), (not_adopted.0, &not_adopted.1));
    l.row(withdrawn.0, &withdrawn.1);
}

/// A portal step: when and by whom, with the reason or address it came with.
fn step_text(step: Option<&PortalStep>) -> String {
    let Some(s) = step else {
        return NONE.to_string();
    };
    let mut t = format!("{}　{}", time(s.at), s.by);
    if let Some(reason) = &s.reason {
        t.push_str(&format!("\n原因：{reason}"));
    }
    if let Some(url) = &s.url {
        t.push_str(&format!("\n网址：{url}"));
    }
    t
}

fn counts(s: &CheckSummary) -> String {
    format!(
        "阻断 {}，错误 {}，警告 {}，提示 {}",
        s.blockers, s.errors, s.warnings, s.infos
    )
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "阻断",
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

fn field(code: &str) -> &str {
    match code {
        "title" => "标题",
        "summary" => "概述",
        "keywords" => "主题词",
        "body" => "正文",
        other => other,
    }
}

fn person(name: &str, user: &str) -> String {
    if name.is_empty() || name == user {
        user.to_string()
    } else {
        format!("{name}（{user}）")
    }
}

fn or_none(s: &str) -> &str {
    if s.trim().is_empty() { NONE } else { s }
}

/// Local time with its offset: the office reads its own clock, and the
/// offset keeps the printed time unambiguous.
fn time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M UTC%:z")
        .to_string()
}

/// A stored RFC 3339 time (decisions keep theirs as text), shown like [`time`].
fn time_str(s: &str) -> String {
    DateTime::parse_from_rfc3339(s)
        .map(|t| time(t.with_timezone(&Utc)))
        .unwrap_or_else(|_| s.to_string())
}
