//! `baosong check` and `baosong mask`.

use std::path::{Path, PathBuf};

use baosong_check::{BodyFormat, CheckInput, CheckReport, Checker, Finding, Severity};
use baosong_core::{Lang, Store};
use serde::Serialize;

use super::links::{LinkStatus, verify_links};
use crate::error::CliError;
use crate::input::read_text;
use crate::output::Out;

/// Exit statuses of `check` (documented in its help).
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_ERRORS: u8 = 1;
pub const EXIT_BLOCKERS: u8 = 2;

#[derive(Serialize)]
struct Checked {
    /// A file path, `-`, or `item:<id>`.
    source: String,
    report: CheckReport,
    /// For items: the decisions in force and the gate.
    #[serde(skip_serializing_if = "Option::is_none")]
    gate: Option<baosong_check::GateStatus>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<LinkStatus>,
}

#[derive(Serialize)]
struct CheckOutput {
    results: Vec<Checked>,
    exit_code: u8,
}

fn format_of(path: &Path) -> BodyFormat {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("txt") => BodyFormat::Plain,
        _ => BodyFormat::Markdown,
    }
}

/// Built-in lexicons, the data directory's `lexicons/`, then `--lexicon` files.
fn checker_with(
    data_dir: Option<&Path>,
    lexicons: &[PathBuf],
    lang: Lang,
) -> Result<Checker, CliError> {
    let mut checker = Checker::builtin().map_err(CliError::Lexicon)?;
    if let Ok(dir) = baosong_core::store::resolve_data_dir(data_dir) {
        let (loaded, problems) = baosong_core::store::load_checker(&dir);
        checker = loaded;
        for p in problems {
            eprintln!("baosong: {}", p.message(lang));
        }
    }
    for path in lexicons {
        let bytes = crate::input::read_bytes(path)?;
        let name = path.file_stem().map_or_else(
            || path.display().to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        checker
            .add_lexicon_bytes(&name, &bytes)
            .map_err(CliError::Lexicon)?;
    }
    Ok(checker)
}

pub fn check(
    open: impl Fn() -> Result<Store, CliError>,
    out: &mut Out,
    data_dir: Option<&Path>,
    files: &[PathBuf],
    item: Option<&str>,
    lexicons: &[PathBuf],
    online: bool,
) -> Result<u8, CliError> {
    if files.is_empty() && item.is_none() {
        return Err(CliError::Usage(
            "给出要检查的文件，或用 --item 指定稿件 / give files to check, or --item ID".into(),
        ));
    }
    let checker = checker_with(data_dir, lexicons, out.lang)?;
    let mut results = Vec::new();
    if let Some(id) = item {
        let mut store = open()?;
        store.set_checker(checker.clone());
        let id = store.resolve_id(id)?;
        let check = store.check_item(id)?;
        results.push(Checked {
            source: format!("item:{id}"),
            report: check.report,
            gate: Some(check.gate),
            links: Vec::new(),
        });
    }
    for path in files {
        let text = read_text(path)?;
        let report = checker.check(&CheckInput::body(&text, format_of(path)));
        results.push(Checked {
            source: path.display().to_string(),
            report,
            gate: None,
            links: Vec::new(),
        });
    }
    if online {
        for r in &mut results {
            let urls: Vec<String> = r
                .report
                .findings
                .iter()
                .filter(|f| f.rule == "links.external")
                .map(|f| f.matched.clone())
                .collect();
            r.links = verify_links(&urls);
        }
    }
    let exit_code = results.iter().map(exit_for).max().unwrap_or(EXIT_CLEAN);
    let output = CheckOutput { results, exit_code };
    out.emit(&output, |lang| human(&output, lang))?;
    Ok(exit_code)
}

/// Blockers → 2; errors (for items: errors nobody decided on) → 1.
fn exit_for(c: &Checked) -> u8 {
    if let Some(gate) = &c.gate {
        return if gate.blockers > 0 {
            EXIT_BLOCKERS
        } else if gate.undecided_errors > 0 {
            EXIT_ERRORS
        } else {
            EXIT_CLEAN
        };
    }
    match c.report.worst() {
        Some(Severity::Blocker) => EXIT_BLOCKERS,
        Some(Severity::Error) => EXIT_ERRORS,
        _ => EXIT_CLEAN,
    }
}

fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.code(),
    }
}

fn human(output: &CheckOutput, lang: Lang) -> String {
    let mut text = String::new();
    for r in &output.results {
        for f in &r.report.findings {
            text.push_str(&finding_line(&r.source, f, lang));
            text.push('\n');
        }
        for l in r.links.iter().filter(|l| !l.ok) {
            text.push_str(&format!(
                "{}: {} {} — {}\n",
                r.source,
                lang.pick("链接不可访问", "link broken"),
                l.url,
                l.detail
            ));
        }
        let count = |s| r.report.count(s);
        text.push_str(&match lang {
            Lang::Zh => format!(
                "{}：阻断 {}，错误 {}，警告 {}，提示 {}\n",
                r.source,
                count(Severity::Blocker),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info)
            ),
            Lang::En => format!(
                "{}: {} blocker(s), {} error(s), {} warning(s), {} note(s)\n",
                r.source,
                count(Severity::Blocker),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info)
            ),
        });
        if let Some(g) = &r.gate {
            text.push_str(&match (lang, g.ready) {
                (Lang::Zh, true) => "可以送审。\n".to_owned(),
                (Lang::Zh, false) => format!(
                    "还不能送审：阻断 {}，未处理的错误 {}。\n",
                    g.blockers, g.undecided_errors
                ),
                (Lang::En, true) => "Ready to send for sign-off.\n".to_owned(),
                (Lang::En, false) => format!(
                    "Not ready for sign-off: {} blocker(s), {} undecided error(s).\n",
                    g.blockers, g.undecided_errors
                ),
            });
        }
    }
    text
}

/// `file.md:3:5: 阻断 pii.resident_id 居民身份证号码… 「…」 → 建议`
fn finding_line(source: &str, f: &Finding, lang: Lang) -> String {
    let field = match f.field {
        baosong_check::Field::Body => String::new(),
        other => format!(
            "[{}] ",
            lang.pick(other.label_zh(), &format!("{other:?}").to_lowercase())
        ),
    };
    let message = match lang {
        Lang::Zh => &f.message.zh,
        Lang::En => &f.message.en,
    };
    let suggestion = f
        .suggestion
        .as_ref()
        .map(|s| format!(" → {s}"))
        .unwrap_or_default();
    format!(
        "{source}:{}:{}: {field}{} {} {message}  「{}」{suggestion}",
        f.span.line,
        f.span.column,
        severity_label(f.severity, lang),
        f.rule,
        f.excerpt
    )
}

pub fn mask(out: &mut Out, file: &Path, output: Option<&Path>) -> Result<(), CliError> {
    let text = read_text(file)?;
    let (masked, count) = baosong_check::masking::mask_text(&text, format_of(file));
    match output {
        Some(path) => {
            crate::input::write_atomically(path, masked.as_bytes())?;
            let msg = |lang: Lang| match lang {
                Lang::Zh => format!("已打码 {count} 处，写入 {}", path.display()),
                Lang::En => format!("masked {count} place(s), wrote {}", path.display()),
            };
            out.emit(&serde_json::json!({"masked": count, "output": path}), msg)
        }
        None => {
            // The masked text is the output; the count goes to stderr.
            out.raw(&masked)?;
            eprintln!(
                "{}",
                match out.lang {
                    Lang::Zh => format!("已打码 {count} 处"),
                    Lang::En => format!("masked {count} place(s)"),
                }
            );
            Ok(())
        }
    }
}
