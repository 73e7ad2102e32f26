//! The submission request for a signed-off item: its metadata, Markdown, the
//! rendered HTML as previewed, the content hash over them, and the check
//! report with the decisions in force when it was sent for sign-off.
//!
//! Built once, when 报送 is clicked, and stored in the outbox: every retry,
//! even after an upgrade that renders differently, sends the same bytes.

use baosong_api as api;
use baosong_check::{CheckReport, Decision, DecisionKind, Detector};
use baosong_core::model::{DisclosureKind, Item, Urgency, Validity};
use baosong_core::render::render_markdown;

/// The request for `item`, with `check` as stored at 送审.
pub fn submission_request(
    item: &Item,
    check: Option<&(CheckReport, Vec<Decision>)>,
) -> api::SubmissionRequest {
    let metadata = metadata(item);
    let body_markdown = item.content.body.clone();
    let body_html = render_markdown(&body_markdown);
    let content_hash = api::content_hash(&metadata, &body_markdown, &body_html);
    api::SubmissionRequest {
        client_item_id: item.id.0,
        client_revision: Some(item.revision),
        item: metadata,
        body_markdown,
        body_html,
        content_hash,
        check: check.map(|(r, d)| report(r, d)).unwrap_or_default(),
        attachments: attachments(item),
        signoff: None,
    }
}

/// The item's attachments as the API names them, in the item's order (the
/// sign-off covers each one's hash, name and size).
fn attachments(item: &Item) -> Vec<api::AttachmentRef> {
    item.content
        .attachments
        .iter()
        .map(|a| api::AttachmentRef {
            sha256: a.sha256.clone(),
            name: a.name.clone(),
            size: a.size,
            media_type: a.media_type.clone(),
        })
        .collect()
}

fn metadata(item: &Item) -> api::ItemMetadata {
    let c = &item.content;
    let d = &c.disclosure;
    api::ItemMetadata {
        title: c.title.clone(),
        column_id: c.column.id.clone(),
        summary: c.summary.clone(),
        author: c.author.clone(),
        author_phone: c.author_phone.clone(),
        source_unit: c.source_unit.clone(),
        keywords: c.keywords.clone(),
        urgency: match c.urgency {
            Urgency::Normal => api::Urgency::Normal,
            Urgency::Urgent => api::Urgency::Urgent,
        },
        disclosure: api::Disclosure {
            kind: match d.kind {
                DisclosureKind::Proactive => api::DisclosureKind::Proactive,
                DisclosureKind::OnRequest => api::DisclosureKind::OnRequest,
                DisclosureKind::Withheld => api::DisclosureKind::Withheld,
            },
            withheld_reason: d.withheld_reason.clone(),
            doc_number: d.doc_number.clone(),
            written_date: d.written_date,
            topic_category: d.topic_category.clone(),
            genre_category: d.genre_category.clone(),
            validity: match d.validity {
                Validity::Valid => api::Validity::Valid,
                Validity::Amended => api::Validity::Amended,
                Validity::Repealed => api::Validity::Repealed,
            },
        },
    }
}

/// The engine's report as the API carries it. Excerpts leave the computer, so
/// every piece of personal data the check found is masked in all of them.
fn report(report: &CheckReport, decisions: &[Decision]) -> api::CheckReport {
    let masks: Vec<(&str, &str)> = report
        .findings
        .iter()
        .filter(|f| f.detector == Detector::Pii)
        .filter_map(|f| Some((f.matched.as_str(), f.suggestion.as_deref()?)))
        .filter(|(m, _)| !m.is_empty())
        .collect();
    let findings: Vec<api::Finding> = report
        .findings
        .iter()
        .take(api::submission::MAX_FINDINGS)
        .map(|f| {
            let mut excerpt = f.excerpt.clone();
            for (matched, masked) in &masks {
                excerpt = excerpt.replace(matched, masked);
            }
            api::Finding {
                rule_id: f.rule.clone(),
                severity: severity(f.severity),
                excerpt: excerpt
                    .chars()
                    .take(api::submission::MAX_FIELD_CHARS)
                    .collect(),
                field: f.field.code().to_string(),
                decision: decisions
                    .iter()
                    .rev()
                    .find(|d| d.fingerprint == f.fingerprint)
                    .map(decision),
            }
        })
        .collect();
    api::CheckReport {
        engine: format!("baosong-check {}", report.engine_version),
        checked_at: None,
        summary: api::CheckSummary::of(&findings),
        findings,
    }
}

fn severity(s: baosong_check::Severity) -> api::Severity {
    use baosong_check::Severity as S;
    match s {
        S::Blocker => api::Severity::Blocker,
        S::Error => api::Severity::Error,
        S::Warning => api::Severity::Warning,
        S::Info => api::Severity::Info,
    }
}

fn decision(d: &Decision) -> api::FindingDecision {
    api::FindingDecision {
        kind: match d.kind {
            DecisionKind::Fixed => api::FindingDecisionKind::Fixed,
            DecisionKind::Waived => api::FindingDecisionKind::Waived,
        },
        reason: d.reason.clone().unwrap_or_default(),
        by: d.by.clone(),
        at: chrono::DateTime::parse_from_rfc3339(&d.at)
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_else(|_| chrono::Utc::now()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baosong_core::model::{ColumnRef, ItemContent, ItemId, ItemState};

    fn item(body: &str) -> Item {
        Item {
            id: ItemId::new(),
            content: ItemContent {
                title: "市教育局召开安全工作会议".into(),
                column: ColumnRef {
                    id: "bmdt".into(),
                    name: "部门动态".into(),
                },
                body: body.into(),
                keywords: vec!["安全".into()],
                ..Default::default()
            },
            state: ItemState::SignedOff,
            returned_reason: None,
            published_url: None,
            revision: 3,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn the_hash_covers_what_is_sent() {
        let req = submission_request(&item("会议**强调**安全。"), None);
        assert_eq!(req.content_hash, req.computed_content_hash());
        assert!(req.body_html.contains("<strong>强调</strong>"));
        assert_eq!(req.client_revision, Some(3));
        assert_eq!(req.item.column_id, "bmdt");
    }

    #[test]
    fn excerpts_leave_masked() {
        let body = "联系人张三，电话13812345678，地址见附件。";
        let checker = baosong_check::Checker::new();
        let report_in = checker.check(&baosong_check::CheckInput::body(
            body,
            baosong_check::BodyFormat::Markdown,
        ));
        assert!(
            report_in
                .findings
                .iter()
                .any(|f| f.matched == "13812345678")
        );
        let req = submission_request(&item(body), Some(&(report_in, Vec::new())));
        let json = serde_json::to_string(&req.check).unwrap();
        assert!(!json.contains("13812345678"), "{json}");
        assert!(json.contains("138****5678"), "{json}");
        assert_eq!(
            req.check.summary,
            api::CheckSummary::of(&req.check.findings)
        );
    }
}
