//! Check results kept with items: decisions on findings and the gate that
//! keeps an item from sign-off while a blocker remains or an error is
//! undecided. The check itself is baosong-check's; this file stores what
//! people decided about it.

use baosong_check::decision::{self, Decision, DecisionKind};
use baosong_check::{AttachmentInput, BodyFormat, CheckInput, CheckReport, Checker, DocumentScan};
use chrono::Utc;
use rusqlite::{OptionalExtension, Transaction, params};

use super::items::{Loaded, load, timestamp};
use super::{Result, Store, StoreError, audit};
use crate::model::{ItemContent, ItemId};
use crate::view::ItemCheck;

/// Checks an item's content (title, summary, keywords, Markdown body) and
/// its attachments, whose scans are given in the same order as
/// `content.attachments` (see [`Store::attachment_scans`]).
pub fn check_content(
    checker: &Checker,
    content: &ItemContent,
    scans: &[DocumentScan],
) -> CheckReport {
    let keywords = content.keywords.join("；");
    let attachments: Vec<AttachmentInput> = content
        .attachments
        .iter()
        .zip(scans)
        .map(|(a, scan)| AttachmentInput {
            sha256: &a.sha256,
            name: &a.name,
            media_type: &a.media_type,
            alt: &a.alt,
            scan,
        })
        .collect();
    checker.check_with_attachments(
        &CheckInput {
            title: &content.title,
            summary: &content.summary,
            keywords: &keywords,
            body: &content.body,
            body_format: BodyFormat::Markdown,
        },
        &attachments,
    )
}

/// The decisions in force for an item: the newest per fingerprint.
fn decisions(conn: &rusqlite::Connection, item_seq: i64) -> Result<Vec<Decision>> {
    let mut stmt = conn.prepare_cached(
        "SELECT fingerprint, kind, reason, actor, at FROM check_decisions
         WHERE seq IN (SELECT max(seq) FROM check_decisions WHERE item_seq = ?1 GROUP BY fingerprint)
         ORDER BY seq",
    )?;
    let rows = stmt.query_map([item_seq], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (fingerprint, kind, reason, by, at) = row?;
        let kind = match kind.as_str() {
            "fixed" => DecisionKind::Fixed,
            "waived" => DecisionKind::Waived,
            other => return Err(StoreError::BadRecord(format!("decision kind '{other}'"))),
        };
        out.push(Decision {
            fingerprint,
            kind,
            reason,
            by,
            at,
        });
    }
    Ok(out)
}

fn kind_code(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::Fixed => "fixed",
        DecisionKind::Waived => "waived",
    }
}

/// Check, decisions and gate for a loaded item.
fn item_check(conn: &rusqlite::Connection, store: &Store, loaded: &Loaded) -> Result<ItemCheck> {
    let scans = store.attachment_scans(&loaded.item.content);
    let report = check_content(store.checker(), &loaded.item.content, &scans);
    let decisions = decisions(conn, loaded.seq)?;
    let gate = decision::gate(&report, &decisions);
    Ok(ItemCheck {
        report,
        decisions,
        gate,
    })
}

/// The audit entry for a check run, unless the item's last one says the same.
fn record_check_run(
    tx: &Transaction<'_>,
    actor: &str,
    loaded: &Loaded,
    check: &ItemCheck,
) -> Result<()> {
    let detail = serde_json::json!({
        "content_hash": check.report.content_hash,
        "lexicons": check.report.lexicons,
        "findings": check.report.findings.len(),
        "gate": check.gate,
    });
    let last: Option<(Option<u32>, String)> = tx
        .prepare_cached(
            "SELECT revision, detail FROM audit_log WHERE item_id = ?1 AND action = 'check'
             ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([loaded.item.id.as_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if last == Some((Some(loaded.item.revision), detail.to_string())) {
        return Ok(());
    }
    audit::append(tx, actor, "check", Some(&loaded.item), detail)
}

/// The gate for `SendForSignoff`, inside the transaction that moves the item:
/// refuses while anything blocks, else keeps the report with the revision.
/// Returns what goes into the audit entry.
pub(super) fn gate_for_signoff(
    tx: &Transaction<'_>,
    store: &Store,
    loaded: &Loaded,
) -> Result<serde_json::Value> {
    super::attachments::verify_all(store, &loaded.item.content)?;
    let check = item_check(tx, store, loaded)?;
    if !check.gate.ready {
        return Err(StoreError::NotReady {
            blockers: check.gate.blockers,
            undecided: check.gate.undecided_errors,
        });
    }
    tx.execute(
        "INSERT OR REPLACE INTO check_reports (item_seq, revision, content_hash, report, decisions, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            loaded.seq,
            loaded.item.revision,
            check.report.content_hash,
            serde_json::to_string(&check.report)?,
            serde_json::to_string(&check.decisions)?,
            timestamp(Utc::now()),
        ],
    )?;
    Ok(serde_json::json!({
        "content_hash": check.report.content_hash,
        "lexicons": check.report.lexicons,
        "gate": check.gate,
        "waived": check.decisions.iter()
            .filter(|d| d.kind == DecisionKind::Waived)
            .map(|d| serde_json::json!({"fingerprint": d.fingerprint, "reason": d.reason, "by": d.by}))
            .collect::<Vec<_>>(),
    }))
}

/// Where users and units put their own lexicon files (`*.tsv`, `*.txt`).
pub const LEXICON_DIR: &str = "lexicons";

/// The built-in lexicons plus every lexicon file in `<data_dir>/lexicons`, in
/// name order. A file that cannot be used is reported, not skipped silently;
/// the others still load.
pub fn load_checker(data_dir: &std::path::Path) -> (Checker, Vec<crate::view::UserError>) {
    let mut checker = Checker::builtin().unwrap_or_default();
    let mut problems = Vec::new();
    let dir = data_dir.join(LEXICON_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (checker, problems);
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("txt"))
        })
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let result = std::fs::read(&path)
            .map_err(|e| crate::view::UserError {
                code: "lexicon".into(),
                zh: format!("无法读取词库 {}：{e}", path.display()),
                en: format!("cannot read lexicon {}: {e}", path.display()),
            })
            .and_then(|bytes| {
                cached_lexicon(&dir, &name, &bytes).map_err(|e| {
                    let m = e.message();
                    crate::view::UserError {
                        code: "lexicon".into(),
                        zh: m.zh,
                        en: m.en,
                    }
                })
            })
            .map(|lex| checker.add_lexicon(std::sync::Arc::new(lex)));
        if let Err(e) = result {
            problems.push(e);
        }
    }
    (checker, problems)
}

/// A lexicon file compiled, or loaded from `lexicons/.cache/` when this exact
/// file was compiled before (a 100,000-term unit lexicon takes most of a
/// second to compile and a few milliseconds to load). A damaged or stale cache
/// entry is ignored and rewritten; failing to write one costs only time.
fn cached_lexicon(
    dir: &std::path::Path,
    name: &str,
    bytes: &[u8],
) -> std::result::Result<baosong_check::CompiledLexicon, baosong_check::LexiconError> {
    use baosong_check::lexicon::cache::cache_key;
    let cache_dir = dir.join(".cache");
    let cached = cache_dir.join(format!("{}.bslx", cache_key(bytes)));
    if let Ok(data) = std::fs::read(&cached)
        && let Ok(lex) = baosong_check::CompiledLexicon::from_bytes(&data)
    {
        return Ok(lex);
    }
    let src = baosong_check::lexicon::format::parse(name, bytes)?;
    let lex = baosong_check::CompiledLexicon::compile(src)?;
    if std::fs::create_dir_all(&cache_dir).is_ok() {
        let tmp = cached.with_extension("tmp");
        if std::fs::write(&tmp, lex.to_bytes()).is_ok() {
            let _ = std::fs::rename(&tmp, &cached);
        }
    }
    Ok(lex)
}

impl Store {
    /// Lexicon files in the data directory that could not be loaded.
    pub fn lexicon_problems(&self) -> &[crate::view::UserError] {
        &self.loaded_checker().1
    }

    /// Built-in lexicons plus the data directory's, loaded on first use.
    fn loaded_checker(&self) -> &(Checker, Vec<crate::view::UserError>) {
        self.checker.get_or_init(|| {
            let data_dir = self.path.parent().unwrap_or(std::path::Path::new("."));
            load_checker(data_dir)
        })
    }

    /// Replaces the checker (e.g. with the user's and unit's lexicons added).
    pub fn set_checker(&mut self, checker: Checker) {
        self.checker = std::cell::OnceCell::from((checker, Vec::new()));
    }

    pub fn checker(&self) -> &Checker {
        &self.loaded_checker().0
    }

    /// Checks an item as stored now, with the decisions in force. The run
    /// goes into the audit log unless it found what the last recorded run
    /// of this revision found (opening the check panel twice is one run).
    pub fn check_item(&self, id: ItemId) -> Result<ItemCheck> {
        self.write(|tx| {
            let loaded = load(tx, id)?;
            let check = item_check(tx, self, &loaded)?;
            record_check_run(tx, &self.actor, &loaded, &check)?;
            Ok(check)
        })
    }

    /// Records a decision on one current finding (by fingerprint) and
    /// returns the updated check. Blockers cannot be waived; a waiver needs
    /// a reason. The decision goes into the audit log.
    pub fn decide(
        &self,
        id: ItemId,
        fingerprint: &str,
        kind: DecisionKind,
        reason: Option<String>,
    ) -> Result<ItemCheck> {
        let reason = reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        self.write(|tx| {
            let loaded = load(tx, id)?;
            let scans = self.attachment_scans(&loaded.item.content);
            let report = check_content(self.checker(), &loaded.item.content, &scans);
            let finding = report
                .findings
                .iter()
                .find(|f| f.fingerprint == fingerprint)
                .ok_or_else(|| StoreError::NoSuchFinding(fingerprint.to_owned()))?;
            decision::validate(finding, kind, reason.as_deref())?;
            tx.execute(
                "INSERT INTO check_decisions (item_seq, revision, fingerprint, kind, reason, actor, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    loaded.seq,
                    loaded.item.revision,
                    fingerprint,
                    kind_code(kind),
                    reason,
                    self.actor,
                    timestamp(Utc::now()),
                ],
            )?;
            audit::append(
                tx,
                &self.actor,
                "check_decision",
                Some(&loaded.item),
                serde_json::json!({
                    "fingerprint": fingerprint,
                    "rule": finding.rule,
                    "severity": finding.severity,
                    "decision": kind_code(kind),
                    "reason": reason,
                }),
            )?;
            item_check(tx, self, &loaded)
        })
    }

    /// The report and decisions kept when `revision` was sent for sign-off.
    pub fn stored_report(
        &self,
        id: ItemId,
        revision: u32,
    ) -> Result<Option<(CheckReport, Vec<Decision>)>> {
        self.stored_report_in(&self.conn, id, revision)
    }

    pub(super) fn stored_report_in(
        &self,
        conn: &rusqlite::Connection,
        id: ItemId,
        revision: u32,
    ) -> Result<Option<(CheckReport, Vec<Decision>)>> {
        let loaded = load(conn, id)?;
        let row: Option<(String, String)> = conn
            .query_row(
                "SELECT report, decisions FROM check_reports WHERE item_seq = ?1 AND revision = ?2",
                params![loaded.seq, revision],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        match row {
            None => Ok(None),
            Some((report, decisions)) => Ok(Some((
                serde_json::from_str(&report)?,
                serde_json::from_str(&decisions)?,
            ))),
        }
    }
}
