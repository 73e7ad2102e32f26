//! Checks on request bodies that need no database.

use baosong_api::decision::{MAX_COMMENT_CHARS, MAX_URL_CHARS};
use baosong_api::reviews::MAX_REVIEW_COMMENTS;
use baosong_api::submission::{
    MAX_FIELD_CHARS, MAX_FINDINGS, MAX_KEYWORDS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS,
};
use baosong_api::{
    CheckSummary, DecisionAction, DecisionRequest, DisclosureKind, FieldError, FindingDecisionKind,
    Problem, ProblemCode, ReviewAction, ReviewDecisionRequest, ReviewRequest, Severity,
    SubmissionRequest,
};

use crate::error::{Error, Result};

struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            detail: zh.into(),
            detail_en: en.into(),
        });
    }

    fn too_long(&mut self, field: &str, value: &str, max: usize) {
        let n = value.chars().count();
        if n > max {
            self.add(
                field,
                format!("{field} 过长：{n} 字，最多 {max} 字。"),
                format!("{field} is too long: {n} characters, at most {max}."),
            );
        }
    }

    fn finish(self) -> Result<()> {
        let mut errors = self.0;
        match errors.len() {
            0 => Ok(()),
            1 => {
                let e = errors.remove(0);
                Err(Error::problem(
                    Problem::new(ProblemCode::ValidationFailed)
                        .with_detail(e.detail, e.detail_en)
                        .with_field(e.field),
                ))
            }
            n => Err(Error::problem(
                Problem::new(ProblemCode::ValidationFailed)
                    .with_detail(
                        format!("请求中有 {n} 处不符合要求，见 errors。"),
                        format!("{n} values are not acceptable; see errors."),
                    )
                    .with_errors(errors),
            )),
        }
    }
}

/// A submission's content, before it touches the database.
pub fn submission(req: &SubmissionRequest) -> Result<()> {
    let mut e = Errors(Vec::new());
    let item = &req.item;
    if item.title.trim().is_empty() {
        e.add(
            "item.title",
            "标题不能为空。",
            "The title must not be empty.",
        );
    }
    e.too_long("item.title", &item.title, MAX_TITLE_CHARS);
    if item.column_id.trim().is_empty() {
        e.add("item.column_id", "必须选择栏目。", "A column is required.");
    }
    e.too_long("item.column_id", &item.column_id, MAX_FIELD_CHARS);
    e.too_long("item.summary", &item.summary, MAX_SUMMARY_CHARS);
    for (field, value) in [
        ("item.author", &item.author),
        ("item.author_phone", &item.author_phone),
        ("item.source_unit", &item.source_unit),
        (
            "item.disclosure.withheld_reason",
            &item.disclosure.withheld_reason,
        ),
        ("item.disclosure.doc_number", &item.disclosure.doc_number),
        (
            "item.disclosure.topic_category",
            &item.disclosure.topic_category,
        ),
        (
            "item.disclosure.genre_category",
            &item.disclosure.genre_category,
        ),
    ] {
        e.too_long(field, value, MAX_FIELD_CHARS);
    }
    if item.keywords.len() > MAX_KEYWORDS {
        e.add(
            "item.keywords",
            format!("主题词最多 {MAX_KEYWORDS} 个。"),
            format!("At most {MAX_KEYWORDS} keywords."),
        );
    }
    for (i, k) in item.keywords.iter().enumerate() {
        e.too_long(&format!("item.keywords[{i}]"), k, MAX_FIELD_CHARS);
    }
    if item.disclosure.kind == DisclosureKind::Withheld
        && item.disclosure.withheld_reason.trim().is_empty()
    {
        e.add(
            "item.disclosure.withheld_reason",
            "不予公开必须写明理由。",
            "Withheld items need a reason.",
        );
    }
    let hash_ok = req.content_hash.len() == 64
        && req
            .content_hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !hash_ok {
        e.add(
            "content_hash",
            "content_hash 必须是 64 位小写十六进制 SHA-256 值。",
            "content_hash must be 64 lowercase hex digits (SHA-256).",
        );
    }
    let check = &req.check;
    if check.findings.len() > MAX_FINDINGS {
        e.add(
            "check.findings",
            format!("自查发现最多 {MAX_FINDINGS} 条。"),
            format!("At most {MAX_FINDINGS} findings."),
        );
    }
    if check.summary != CheckSummary::of(&check.findings) {
        e.add(
            "check.summary",
            "自查统计数与发现的问题条数不一致。",
            "check.summary does not match the findings.",
        );
    }
    for (i, f) in check.findings.iter().enumerate() {
        e.too_long(&format!("check.findings[{i}].rule_id"), &f.rule_id, 200);
        e.too_long(
            &format!("check.findings[{i}].excerpt"),
            &f.excerpt,
            MAX_FIELD_CHARS,
        );
        if let Some(d) = &f.decision {
            e.too_long(
                &format!("check.findings[{i}].decision.reason"),
                &d.reason,
                MAX_COMMENT_CHARS,
            );
            if d.kind == FindingDecisionKind::Waived && d.reason.trim().is_empty() {
                e.add(
                    format!("check.findings[{i}].decision.reason"),
                    "保留不改的问题必须写明理由。",
                    "A waived finding needs a reason.",
                );
            }
        }
    }
    e.finish()?;
    // The content must be what was hashed (and, later, signed).
    if req.content_hash != req.computed_content_hash() {
        return Err(Error::problem(
            Problem::new(ProblemCode::ContentHashMismatch).with_field("content_hash"),
        ));
    }
    // 涉密不上网: a blocker must be fixed; an error fixed or waived in writing.
    for (i, f) in req.check.findings.iter().enumerate() {
        let resolved = match (f.severity, f.decision.as_ref().map(|d| d.kind)) {
            (Severity::Blocker, Some(FindingDecisionKind::Fixed)) => true,
            (Severity::Blocker, _) => false,
            (Severity::Error, Some(_)) => true,
            (Severity::Error, None) => false,
            (Severity::Warning | Severity::Info, _) => true,
        };
        if !resolved {
            return Err(Error::problem(
                Problem::new(ProblemCode::UnresolvedFinding)
                    .with_field(format!("check.findings[{i}]"))
                    .with_detail(
                        format!(
                            "自查问题“{}”（{}）尚未处理：阻断项必须修改，错误项必须修改或书面说明理由。",
                            f.rule_id,
                            severity_zh(f.severity)
                        ),
                        format!(
                            "Finding {} ({}) is unresolved: blockers must be fixed, errors fixed or waived with a reason.",
                            f.rule_id,
                            f.severity.code()
                        ),
                    ),
            ));
        }
    }
    Ok(())
}

fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "阻断",
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// A comment given with a withdrawal.
pub fn comment(text: &str) -> Result<()> {
    let mut e = Errors(Vec::new());
    e.too_long("comment", text, MAX_COMMENT_CHARS);
    e.finish()
}

/// An editor's decision: `return` needs a reason, `publish` an http(s) URL.
pub fn decision(d: &DecisionRequest) -> Result<()> {
    let mut e = Errors(Vec::new());
    e.too_long("comment", &d.comment, MAX_COMMENT_CHARS);
    if let Some(r) = &d.reason {
        e.too_long("reason", r, MAX_COMMENT_CHARS);
    }
    match d.action {
        DecisionAction::Return if d.reason.as_deref().is_none_or(|r| r.trim().is_empty()) => {
            e.add("reason", "退回必须写明理由。", "Returning needs a reason.");
        }
        DecisionAction::Publish => match d.public_url.as_deref() {
            Some(url) if is_http_url(url) && url.len() <= MAX_URL_CHARS => {}
            _ => e.add(
                "public_url",
                "发布必须给出以 http:// 或 https:// 开头的网址。",
                "Publishing needs the public http(s) URL.",
            ),
        },
        _ => {}
    }
    e.finish()
}

/// A review request: the submission as for 报送 (minus the sign-off, which
/// it must not carry yet), and a note of reasonable length.
pub fn review_request(req: &ReviewRequest) -> Result<()> {
    let mut e = Errors(Vec::new());
    e.too_long("note", &req.note, MAX_COMMENT_CHARS);
    if req.submission.signoff.is_some() {
        e.add(
            "submission.signoff",
            "送审的稿件尚未签发，不能附带签发信息。",
            "An item sent for review carries no sign-off yet.",
        );
    }
    if let Some(p) = &req.previous {
        e.too_long("previous.title", &p.title, MAX_TITLE_CHARS);
    }
    e.finish()?;
    submission(&req.submission)
}

/// A head's decision on a review: 签发 needs the signature and the same
/// opinion as signed; 退回 needs a reason or a comment.
pub fn review_decision(d: &ReviewDecisionRequest) -> Result<()> {
    let mut e = Errors(Vec::new());
    e.too_long("opinion", &d.opinion, MAX_COMMENT_CHARS);
    if d.comments.len() > MAX_REVIEW_COMMENTS {
        e.add(
            "comments",
            format!("批注最多 {MAX_REVIEW_COMMENTS} 条。"),
            format!("At most {MAX_REVIEW_COMMENTS} comments."),
        );
    }
    for (i, c) in d.comments.iter().enumerate() {
        e.too_long(&format!("comments[{i}].text"), &c.text, MAX_COMMENT_CHARS);
        if c.text.trim().is_empty() {
            e.add(
                format!("comments[{i}].text"),
                "批注不能为空。",
                "A comment needs text.",
            );
        }
        if let Some(a) = &c.anchor {
            if !matches!(a.field.as_str(), "title" | "summary" | "body") || a.start > a.end {
                e.add(
                    format!("comments[{i}].anchor"),
                    "批注位置无效：字段应为 title、summary 或 body，且起点不大于终点。",
                    "Invalid anchor: field must be title, summary or body, and start <= end.",
                );
            }
            e.too_long(
                &format!("comments[{i}].anchor.quote"),
                &a.quote,
                MAX_COMMENT_CHARS,
            );
        }
    }
    match d.action {
        ReviewAction::SignOff => {
            if let Some(s) = &d.signoff
                && s.opinion != d.opinion
            {
                e.add(
                    "opinion",
                    "签发意见必须与签名中的意见一致。",
                    "opinion must equal signoff.opinion.",
                );
            }
        }
        ReviewAction::Return => {
            if d.opinion.trim().is_empty() && d.comments.is_empty() {
                e.add(
                    "opinion",
                    "退回修改必须写明意见或至少一条批注。",
                    "Returning needs an opinion or at least one comment.",
                );
            }
        }
    }
    e.finish()?;
    if d.action == ReviewAction::SignOff && d.signoff.is_none() {
        return Err(Error::problem(
            Problem::new(ProblemCode::SignoffMissing).with_field("signoff"),
        ));
    }
    Ok(())
}

fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// Whether `s` is a SHA-256 in lowercase hex (64 characters).
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(is_http_url("https://www.example.gov.cn/a/b.html"));
        assert!(is_http_url("http://10.1.2.3:8080/x"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("https://a b/"));
        assert!(!is_http_url("ftp://x/"));
    }
}
