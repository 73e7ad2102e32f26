//! Precision and recall of every detector on the labelled corpus
//! (tests/check-corpus: real government prose from ../shared/seeds with planted
//! personal data, markings and misstatements, plus negative controls).
//!
//! `cargo test -p baosong-check --test corpus -- --nocapture` prints the
//! table that docs/benchmarks.md records.

use std::collections::BTreeMap;
use std::path::PathBuf;

use baosong_check::{BodyFormat, CheckInput, Checker, Finding, Severity};
use serde::Deserialize;

#[derive(Deserialize)]
struct Labels {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    file: String,
    findings: Vec<Label>,
}

#[derive(Deserialize)]
struct Label {
    rule: String,
    text: String,
}

#[derive(Default, Clone, Copy)]
struct Score {
    expected: u32,
    tp: u32,
    fp: u32,
}

impl Score {
    fn precision(&self) -> f64 {
        let found = self.tp + self.fp;
        if found == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(found)
        }
    }
    fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.expected)
        }
    }
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/check-corpus")
}

fn matches(f: &Finding, l: &Label) -> bool {
    f.rule == l.rule
        && (f.matched == l.text || f.matched.contains(&l.text) || l.text.contains(&f.matched))
}

#[test]
fn precision_and_recall_per_rule() {
    let dir = corpus_dir();
    let labels: Labels =
        serde_json::from_str(&std::fs::read_to_string(dir.join("labels.json")).unwrap()).unwrap();
    let checker = Checker::builtin().unwrap();
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut negatives_with_blockers = Vec::new();
    for case in &labels.cases {
        let text = std::fs::read_to_string(dir.join(&case.file)).unwrap();
        let report = checker.check(&CheckInput::body(&text, BodyFormat::Markdown));
        let mut used = vec![false; report.findings.len()];
        for l in &case.findings {
            let s = scores.entry(l.rule.clone()).or_default();
            s.expected += 1;
            match report
                .findings
                .iter()
                .enumerate()
                .find(|(i, f)| !used[*i] && matches(f, l))
            {
                Some((i, _)) => {
                    used[i] = true;
                    s.tp += 1;
                }
                None => misses.push(format!("FN {} {} {:?}", case.file, l.rule, l.text)),
            }
        }
        for (f, used) in report.findings.iter().zip(&used) {
            // A second finding on a labelled span (e.g. two rules) is not a false positive.
            if *used
                || case
                    .findings
                    .iter()
                    .any(|l| l.rule == f.rule && matches(f, l))
            {
                continue;
            }
            scores.entry(f.rule.clone()).or_default().fp += 1;
            misses.push(format!(
                "FP {} {} {:?} ({:?})",
                case.file, f.rule, f.matched, f.severity
            ));
            if case.findings.is_empty() && f.severity == Severity::Blocker {
                negatives_with_blockers.push(format!("{} {} {:?}", case.file, f.rule, f.matched));
            }
        }
    }
    println!("| rule | labelled | found | false pos. | precision | recall |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (rule, s) in &scores {
        println!(
            "| {rule} | {} | {} | {} | {:.2} | {:.2} |",
            s.expected,
            s.tp,
            s.fp,
            s.precision(),
            s.recall()
        );
    }
    for m in &misses {
        println!("{m}");
    }
    assert!(
        negatives_with_blockers.is_empty(),
        "negative controls hit: {negatives_with_blockers:#?}"
    );
    // Personal data and markings are what end careers: hold them to a high bar.
    for (rule, s) in &scores {
        if rule.starts_with("pii.") || rule.starts_with("marking.") && rule != "marking.prose" {
            assert!(s.recall() >= 0.9, "{rule}: recall {:.2}", s.recall());
            assert!(
                s.precision() >= 0.9,
                "{rule}: precision {:.2}",
                s.precision()
            );
        }
    }
}
