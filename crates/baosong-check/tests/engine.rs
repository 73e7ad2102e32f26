//! Engine behaviour on whole texts: positions, Markdown, markings in context,
//! negative controls, and hostile input.

use baosong_check::{BodyFormat, CheckInput, Checker, Severity};

fn check(text: &str) -> Vec<(String, Severity, String)> {
    Checker::builtin()
        .unwrap()
        .check(&CheckInput::body(text, BodyFormat::Markdown))
        .findings
        .into_iter()
        .map(|f| (f.rule, f.severity, f.matched))
        .collect()
}

fn has(text: &str, rule: &str, matched: &str) -> bool {
    check(text)
        .iter()
        .any(|(r, _, m)| r == rule && m == matched)
}

#[test]
fn markings_tolerate_spaces_width_and_line_breaks() {
    assert!(has(
        "机\n密★１０年\n\n正文",
        "marking.level",
        "机\n密★１０年"
    ));
    assert!(has("秘 密 ★ 1 年\n正文", "marking.level", "秘 密 ★ 1 年"));
    assert!(has("秘密级\n正文", "marking.level", "秘密级"));
    assert!(has(
        "内部资料 注意保存\n\n通知正文",
        "marking.handling",
        "注意保存"
    ));
    assert!(has("**机**密\n\n正文", "marking.level", "机**密"));
}

#[test]
fn prose_about_secrecy_is_a_warning_not_a_blocker() {
    let text = "第一条 为了保守国家秘密，维护国家安全和利益，制定本法。\n第二条 机关、单位应当加强保密管理，涉及工作秘密的事项不得公开，做好保密工作。";
    let findings = check(text);
    assert!(
        !findings.iter().any(|(_, s, _)| *s == Severity::Blocker),
        "{findings:?}"
    );
    assert!(findings.iter().any(|(r, _, _)| r == "marking.prose"));
}

#[test]
fn document_numbers_dates_and_statistics_are_not_personal_data() {
    let text = "根据《国务院办公厅关于印发政府网站发展指引的通知》（国办发〔2017〕47号），\
        索引号：11000000000013336X/2024-00015，2016年8月30日印发。\
        全市生产总值123456789012万元，同比增长6.5%，投资15000000000元。\
        咨询电话：010-12345678，12345政务服务便民热线，邮编100000。\
        订单号20161234567890123456。";
    let findings = check(text);
    assert!(
        !findings.iter().any(|(r, _, _)| r.starts_with("pii.")),
        "{findings:?}"
    );
}

#[test]
fn spans_point_into_the_markdown_source() {
    let text = "# 标题\n\n联系人**王某**，电话：１３８１２３４５６７８。";
    let report = Checker::builtin()
        .unwrap()
        .check(&CheckInput::body(text, BodyFormat::Markdown));
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == "pii.mobile")
        .expect("mobile found");
    assert_eq!(
        &text[f.span.start as usize..f.span.end as usize],
        "１３８１２３４５６７８"
    );
    assert_eq!(f.span.line, 3);
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let s =
        String::from_utf16(&utf16[f.span.utf16_start as usize..f.span.utf16_end as usize]).unwrap();
    assert_eq!(s, "１３８１２３４５６７８");
    assert_eq!(f.suggestion.as_deref(), Some("１３８****５６７８"));
}

#[test]
fn fingerprints_agree_between_markdown_and_plain_text() {
    let checker = Checker::builtin().unwrap();
    let md = checker.check(&CheckInput::body(
        "深入开展扫黑&#x9669;恶专项斗争",
        BodyFormat::Markdown,
    ));
    let plain = checker.check(&CheckInput::body(
        "深入开展扫黑险恶专项斗争",
        BodyFormat::Plain,
    ));
    assert_eq!(md.findings[0].fingerprint, plain.findings[0].fingerprint);
}

#[test]
fn content_hash_covers_every_field() {
    let base = CheckInput::body("正文", BodyFormat::Markdown);
    let h = baosong_check::content_hash(&base);
    for changed in [
        CheckInput {
            title: "标题",
            ..base
        },
        CheckInput {
            summary: "概述",
            ..base
        },
        CheckInput {
            keywords: "主题词",
            ..base
        },
        CheckInput {
            body: "正文。",
            ..base
        },
    ] {
        assert_ne!(baosong_check::content_hash(&changed), h);
    }
}

/// Long lines and runs that would make a careless scanner quadratic. These
/// finish in well under a second; a quadratic scan would take minutes, which
/// a test run shows as a hang (`cargo test --release --test engine hostile`
/// times them: ~0.2–1.7 s each for 50,000–400,000 findings).
#[test]
fn hostile_input_is_handled_in_linear_time() {
    let checker = Checker::builtin().unwrap();
    let n = 50_000;
    let inputs = [
        "1".repeat(n),
        "《".repeat(n) + &"）".repeat(n),
        "机密 ".repeat(n / 3),
        "a@".repeat(n),
        "| 13812345678 ".repeat(n / 14),
        "小区1号楼".repeat(n / 5),
        "**".repeat(n),
        "&#x4E60;".repeat(n / 8),
        "1.".repeat(n),
        "http://a".repeat(n / 8),
    ];
    for text in &inputs {
        for format in [BodyFormat::Markdown, BodyFormat::Plain] {
            let report = checker.check(&CheckInput::body(text, format));
            for f in &report.findings {
                assert!(f.span.end as usize <= text.len());
            }
        }
    }
}
