//! `baosong record` and `baosong export sheet`: the real binary on a real
//! data directory, with an item signed by a real Ed25519 key (HeadSigner).

use std::path::Path;
use std::process::{Command, Output};

use baosong_api::signing;
use baosong_core::Store;
use baosong_core::model::{ColumnRef, ItemContent};
use baosong_test_harness::HeadSigner;

fn baosong(data: &Path, args: &[&str], font_env: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baosong"));
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .env("BAOSONG_LANG", "zh-CN");
    match font_env {
        Some(v) => cmd.env("BAOSONG_CJK_FONT", v),
        None => cmd.env_remove("BAOSONG_CJK_FONT"),
    };
    cmd.output().expect("run baosong")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A signed-off item: its id and the head who signed it.
fn signed_item(data: &Path) -> (String, HeadSigner) {
    let store = Store::open(data).unwrap();
    let item = store
        .create_item(ItemContent {
            title: "市教育局召开秋季学期校园安全工作会议".into(),
            column: ColumnRef {
                id: "bmdt".into(),
                name: "部门动态".into(),
            },
            body: "会议部署了秋季学期校园安全工作。".into(),
            author: "张敏".into(),
            author_phone: "027-85551234".into(),
            source_unit: "武汉市教育局".into(),
            ..Default::default()
        })
        .unwrap();
    let signer = HeadSigner::demo();
    signer.sign_items(&store, &[item.id]);
    (item.id.to_string(), signer)
}

#[test]
fn record_json_carries_the_signature_facts_and_the_api_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let (id, signer) = signed_item(dir.path());
    let o = baosong(dir.path(), &["record", &id[..8], "--json"], None);
    assert!(o.status.success(), "{}", text(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["item_id"], id.as_str());
    assert_eq!(r["author"], "张敏");
    assert_eq!(r["state"], "signed_off");
    let so = &r["signoff"];
    assert_eq!(so["signer_name"], "李建国");
    assert_eq!(so["signer"], "jyj.fzr");
    assert_eq!(so["opinion"], signing::DEFAULT_OPINION);
    assert_eq!(so["key_id"], signer.key_id().as_str());
    // Core formats the fingerprint itself; it must match the API's.
    assert_eq!(
        so["key_fingerprint"],
        signing::fingerprint(&signer.key_id()).as_str()
    );
    // What was signed and what was checked, each as SHA-256 hex.
    for hash in [&so["content_hash"], &r["secrecy_review"]["content_hash"]] {
        let hash = hash.as_str().unwrap_or_default();
        assert_eq!(hash.len(), 64, "{hash}");
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{hash}");
    }
    assert_eq!(
        r["secrecy_review"]["by"].as_str().map(str::is_empty),
        Some(false)
    );
    assert!(r["sent_for_review"].is_object());
    // Not submitted: no portal step is made up.
    assert!(r["submitted_at"].is_null());
    for step in ["received", "in_review", "adopted", "published", "returned"] {
        assert!(r["portal"][step].is_null(), "{step}");
    }

    let o = baosong(dir.path(), &["record", &id], None);
    assert!(o.status.success(), "{}", text(&o));
    let human = String::from_utf8(o.stdout).unwrap();
    assert!(human.contains("签发: 李建国 (jyj.fzr)"), "{human}");
    assert!(human.contains("报送: （无）"), "{human}");
}

#[test]
fn export_sheet_writes_a_pdf_with_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = signed_item(dir.path());
    let pdf = dir.path().join("审批单.pdf");
    let pdf_arg = pdf.display().to_string();
    let o = baosong(
        dir.path(),
        &["export", "sheet", &id, "--out", &pdf_arg],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("审批单已保存"));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let out = Command::new("pdftotext")
        .args([pdf_arg.as_str(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, see packaging/install-deps.sh)");
    assert!(out.status.success());
    let flat: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for needle in [
        "信息报送审批单（保密审查单）",
        "市教育局召开秋季学期校园安全工作会议",
        "李建国（jyj.fzr）",
        "张敏",
    ] {
        assert!(flat.contains(needle), "{needle} not in {flat}");
    }
}

#[test]
fn export_sheet_without_a_usable_font_fails_in_one_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = signed_item(dir.path());
    let pdf = dir.path().join("sheet.pdf");
    let pdf_arg = pdf.display().to_string();
    let o = baosong(
        dir.path(),
        &["export", "sheet", &id, "--out", &pdf_arg],
        Some("/nonexistent/NotoSansCJK-Regular.ttc"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("无法读取字体文件"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!pdf.exists());
}
