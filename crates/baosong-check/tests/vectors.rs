//! Published test vectors (tests/check-vectors, sources in its README): the
//! checksums and the detectors agree with established validators.

use std::path::PathBuf;

use baosong_check::detect::checksums::{luhn_valid, resident_id_valid, uscc_valid};
use baosong_check::{BodyFormat, CheckInput, Checker};
use serde_json::Value;

fn vectors() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/check-vectors/vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn list<'a>(v: &'a Value, group: &str, key: &str) -> Vec<&'a str> {
    v[group][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

fn rules_in(text: &str) -> Vec<String> {
    Checker::new()
        .check(&CheckInput::body(text, BodyFormat::Plain))
        .findings
        .into_iter()
        .map(|f| format!("{}={}", f.rule, f.matched))
        .collect()
}

#[test]
fn resident_ids() {
    let v = vectors();
    for id in list(&v, "resident_id", "valid") {
        assert!(resident_id_valid(id.as_bytes()), "{id}");
        let rules = rules_in(&format!("申请人身份证号：{id}，已登记。"));
        assert!(
            rules.contains(&format!("pii.resident_id={id}")),
            "{id}: {rules:?}"
        );
    }
    for id in list(&v, "resident_id", "valid_checksum_only") {
        assert!(resident_id_valid(id.as_bytes()), "{id}");
    }
    for id in list(&v, "resident_id", "invalid") {
        let rules = rules_in(&format!("申请人身份证号：{id}，已登记。"));
        assert!(
            !rules.iter().any(|r| r.starts_with("pii.resident_id")),
            "{id}: {rules:?}"
        );
    }
    for id in list(&v, "resident_id_15", "valid") {
        let rules = rules_in(&format!("旧身份证号：{id}。"));
        assert!(
            rules.contains(&format!("pii.resident_id_15={id}")),
            "{id}: {rules:?}"
        );
    }
    for id in list(&v, "resident_id_15", "invalid") {
        let rules = rules_in(&format!("旧身份证号：{id}。"));
        assert!(
            !rules.iter().any(|r| r.starts_with("pii.resident_id")),
            "{id}: {rules:?}"
        );
    }
}

#[test]
fn unified_social_credit_codes() {
    let v = vectors();
    for code in list(&v, "uscc", "valid") {
        assert!(uscc_valid(code.as_bytes()), "{code}");
        let rules = rules_in(&format!("统一社会信用代码：{code}。"));
        assert!(
            rules.contains(&format!("org.uscc={code}")),
            "{code}: {rules:?}"
        );
    }
    for code in list(&v, "uscc", "invalid") {
        assert!(!uscc_valid(code.as_bytes()), "{code}");
    }
}

#[test]
fn luhn_and_bank_cards() {
    let v = vectors();
    for n in list(&v, "luhn", "valid") {
        assert!(luhn_valid(n.as_bytes()), "{n}");
    }
    for n in list(&v, "luhn", "invalid") {
        assert!(!luhn_valid(n.as_bytes()), "{n}");
    }
    let brands = v["bank_card_brands"].as_object().unwrap();
    for (number, brand) in brands {
        let brand = brand.as_str().unwrap();
        let luhn = luhn_valid(number.as_bytes());
        if !(16..=19).contains(&number.len()) || brand.contains("incorrect") {
            continue;
        }
        let rules = rules_in(&format!("请汇入银行卡号：{number}。"));
        let found = rules.contains(&format!("pii.bank_card={number}"));
        // Luhn-valid cards, and UnionPay ones that need not pass Luhn.
        if luhn || number.starts_with("62") {
            assert!(found, "{number} ({brand}): {rules:?}");
        }
    }
}
