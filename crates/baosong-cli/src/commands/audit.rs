//! audit verify, audit log: the local audit log and its hash chain
//! (docs/audit.md).

use std::io::Write;

use baosong_core::view::{AuditEntry, AuditReport};
use baosong_core::{Lang, Store};
use clap::Subcommand;

use crate::error::CliError;
use crate::output::{Out, pad, short_time, truncate};

/// How many entries the one-line summary names before "…".
const NAMED_IN_SUMMARY: usize = 10;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain: exit 0 when intact, 1 when an entry
    /// was changed, deleted, reordered or inserted (the entries are named).
    Verify,
    /// The audit log, oldest first; only one item's entries with ID.
    Log {
        /// Item id (or a unique prefix).
        id: Option<String>,
    },
}

pub fn run(store: &Store, out: &mut Out, command: AuditCommand) -> Result<u8, CliError> {
    match command {
        AuditCommand::Verify => verify(store, out),
        AuditCommand::Log { id } => log(store, out, id.as_deref()).map(|()| 0),
    }
}

/// Prints the report; exit status 1 and one line on stderr naming the
/// entries when something does not hold up.
fn verify(store: &Store, out: &mut Out) -> Result<u8, CliError> {
    let report = store.verify_audit()?;
    out.emit(&report, |lang| report_text(&report, lang))?;
    if report.is_clean() {
        return Ok(0);
    }
    // If even stderr is gone there is nobody left to tell; the status says it.
    let _ = writeln!(
        std::io::stderr().lock(),
        "baosong: {}",
        summary_line(&report, out.lang)
    );
    Ok(1)
}

fn report_text(report: &AuditReport, lang: Lang) -> String {
    let head = match (report.head_seq, report.head_hash.as_deref()) {
        (Some(seq), Some(hash)) => match lang {
            Lang::Zh => format!("链头：第 {seq} 条，{hash}"),
            Lang::En => format!("head: entry {seq}, {hash}"),
        },
        _ => lang.pick("链头：（空）", "head: (empty)").to_string(),
    };
    let mut lines = Vec::new();
    if report.is_clean() {
        lines.push(match lang {
            Lang::Zh => format!(
                "审计日志完整：{} 条记录的哈希链均核验无误。",
                report.entries
            ),
            Lang::En => format!(
                "audit log intact: the hash chain of {} entries verifies",
                report.entries
            ),
        });
    } else {
        lines.push(match lang {
            Lang::Zh => format!(
                "审计日志有 {} 处问题（共 {} 条记录）：",
                report.problems.len(),
                report.entries
            ),
            Lang::En => format!(
                "the audit log has {} problem(s) ({} entries):",
                report.problems.len(),
                report.entries
            ),
        });
        for p in &report.problems {
            let msg = lang.pick(&p.message_zh, &p.message_en);
            lines.push(format!("  - [{}] {msg}", p.kind.code()));
        }
    }
    lines.push(head);
    lines.push(
        lang.pick(
            "注意：删除末尾的记录无法由哈希链本身发现，请将链头与另行保存的记录核对。",
            "note: entries removed from the end cannot be detected by the chain itself; compare the head with a copy kept elsewhere",
        )
        .to_string(),
    );
    lines.join("\n")
}

/// One line naming the entries with problems.
fn summary_line(report: &AuditReport, lang: Lang) -> String {
    let mut seqs: Vec<i64> = report.problems.iter().map(|p| p.seq).collect();
    seqs.dedup();
    let mut named: Vec<String> = seqs
        .iter()
        .take(NAMED_IN_SUMMARY)
        .map(i64::to_string)
        .collect();
    if seqs.len() > NAMED_IN_SUMMARY {
        named.push("…".to_string());
    }
    match lang {
        Lang::Zh => format!(
            "审计日志核验未通过：第 {} 条记录有问题（共 {} 处）。",
            named.join("、"),
            report.problems.len()
        ),
        Lang::En => format!(
            "audit log verification failed: entries {} ({} problem(s))",
            named.join(", "),
            report.problems.len()
        ),
    }
}

fn log(store: &Store, out: &mut Out, id: Option<&str>) -> Result<(), CliError> {
    let id = id.map(|p| store.resolve_id(p)).transpose()?;
    let entries = store.audit_log(id)?;
    out.emit(&entries, |lang| {
        if entries.is_empty() {
            return lang.pick("（没有记录）", "(no entries)").to_string();
        }
        entries
            .iter()
            .map(entry_line)
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// `seq  time  actor  action  item  revision  detail`, one line.
fn entry_line(e: &AuditEntry) -> String {
    let item: String = e
        .item_id
        .as_deref()
        .map(|i| i.chars().take(8).collect())
        .unwrap_or_else(|| "-".to_string());
    let revision = e.revision.map(|r| format!("r{r}")).unwrap_or_default();
    format!(
        "{:>6}  {}  {}  {}  {:<8}  {:<4}  {}",
        e.seq,
        short_time(&e.at),
        pad(&truncate(&e.actor, 12), 12),
        pad(&e.action, 20),
        item,
        revision,
        truncate(&e.detail, 60),
    )
}
