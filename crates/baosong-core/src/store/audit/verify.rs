//! Walking the chain and saying which entry does not hold up, and how.
//!
//! One pass in seq order. For each entry the walk knows the hash the chain
//! has reached (`chain_hash`) and the number the entry should have. An entry
//! is sound when its hash recomputes and its `prev_hash` is `chain_hash`.
//! Otherwise the pattern tells what happened to it (see
//! [`AuditProblemKind`]): a number skipped is a deletion; a hash that
//! recomputes only with another number is a genuine entry moved; an entry
//! the chain goes around (the next one links to the one before it) was
//! inserted; anything else was edited. Entries only renumbered by an
//! insertion or deletion already reported are not reported again.

use std::collections::{HashMap, HashSet};

use super::{TEXT_COLUMNS, TextRow, chain};
use crate::store::{Result, Store};
use crate::view::{AuditProblem, AuditProblemKind, AuditReport};

/// How far from its position a moved entry is looked for (beyond the
/// position the previous entry implies).
const MOVE_WINDOW: i64 = 4;

impl Store {
    /// Checks the whole audit log against its hash chain. Reads only.
    ///
    /// Entries removed from the end cannot be noticed this way (nothing
    /// follows them): compare [`AuditReport::head_seq`] and
    /// [`AuditReport::head_hash`] with a copy kept elsewhere for that.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        let rows: Vec<TextRow> = self
            .conn
            .prepare(&format!(
                "SELECT {TEXT_COLUMNS} FROM audit_log ORDER BY seq"
            ))?
            .query_map([], TextRow::read)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(verify_rows(&rows))
    }
}

/// Verifies entries given in seq order.
pub(super) fn verify_rows(rows: &[TextRow]) -> AuditReport {
    let mut walk = Walk {
        chain_hash: chain::GENESIS.to_string(),
        prev_seq: 0,
        written_at: HashMap::new(),
        renumbering_explained: false,
        moved: HashSet::new(),
        problems: Vec::new(),
    };
    for (i, row) in rows.iter().enumerate() {
        walk.step(row, rows.get(i + 1));
    }
    let head = rows.last();
    AuditReport {
        entries: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        head_seq: head.map(|r| r.seq),
        head_hash: head.and_then(|r| r.hash.clone()),
        problems: walk.problems,
    }
}

struct Walk {
    /// The hash of the last entry on the chain so far.
    chain_hash: String,
    /// The number of the previous row (0 before the first).
    prev_seq: i64,
    /// Hash → the number the entry was written with, for entries seen.
    written_at: HashMap<String, i64>,
    /// An insertion or deletion was reported: later entries may be
    /// renumbered because of it.
    renumbering_explained: bool,
    /// Hashes of entries reported as moved.
    moved: HashSet<String>,
    problems: Vec<AuditProblem>,
}

impl Walk {
    fn step(&mut self, row: &TextRow, next: Option<&TextRow>) {
        let gap = row.seq > self.prev_seq + 1;
        if gap {
            self.report(
                self.prev_seq + 1,
                AuditProblemKind::Missing,
                Some(row.seq - 1),
            );
            self.renumbering_explained = true;
        }
        self.prev_seq = row.seq;
        let Some(hash) = row.hash.as_deref() else {
            self.report(row.seq, AuditProblemKind::Unchained, None);
            return;
        };
        let prev_hash = row.prev_hash.as_deref().unwrap_or("");
        let linked = prev_hash == self.chain_hash;
        if chain::hash(&row.fields(row.seq, prev_hash)) == hash {
            self.written_at.insert(hash.to_string(), row.seq);
            // A link broken right after a gap is the gap's doing, and one to
            // an entry reported moved is the move's.
            if !linked && !gap && !self.moved.contains(prev_hash) {
                self.report(row.seq, AuditProblemKind::BrokenLink, None);
            }
            self.chain_hash = hash.to_string();
        } else if let Some(original) = self.original_seq(row, prev_hash, hash) {
            self.written_at.insert(hash.to_string(), original);
            if !(linked && self.renumbering_explained) {
                self.report(row.seq, AuditProblemKind::Moved, Some(original));
                self.moved.insert(hash.to_string());
            }
            self.chain_hash = hash.to_string();
        } else if next.and_then(|n| n.prev_hash.as_deref()) == Some(self.chain_hash.as_str()) {
            // The chain goes around this entry: it was slipped in.
            self.report(row.seq, AuditProblemKind::Inserted, None);
            self.renumbering_explained = true;
        } else {
            self.report(row.seq, AuditProblemKind::Edited, None);
            self.chain_hash = hash.to_string();
        }
    }

    /// The number a genuine entry was written with, when it sits elsewhere
    /// now: right after the entry its `prev_hash` names, or nearby.
    fn original_seq(&self, row: &TextRow, prev_hash: &str, hash: &str) -> Option<i64> {
        let after_prev = if prev_hash == chain::GENESIS {
            Some(1)
        } else {
            self.written_at.get(prev_hash).map(|s| s + 1)
        };
        let nearby = row.seq - MOVE_WINDOW..=row.seq + MOVE_WINDOW;
        after_prev
            .into_iter()
            .chain(nearby)
            .filter(|s| *s > 0 && *s != row.seq)
            .find(|s| chain::hash(&row.fields(*s, prev_hash)) == hash)
    }

    fn report(&mut self, seq: i64, kind: AuditProblemKind, other: Option<i64>) {
        let (message_zh, message_en) = messages(seq, kind, other);
        self.problems.push(AuditProblem {
            seq,
            kind,
            message_zh,
            message_en,
        });
    }
}

/// The problem in both languages. `other` is the last missing number for
/// `Missing` and the original number for `Moved`.
fn messages(seq: i64, kind: AuditProblemKind, other: Option<i64>) -> (String, String) {
    match kind {
        AuditProblemKind::Edited => (
            format!("第 {seq} 条记录与其哈希不符：写入后被修改过（或系伪造）。"),
            format!(
                "entry {seq} does not match its hash: changed after it was written (or forged)"
            ),
        ),
        AuditProblemKind::Missing => match other.filter(|last| *last > seq) {
            Some(last) => (
                format!("第 {seq}–{last} 条记录缺失：已被删除。"),
                format!("entries {seq}–{last} are missing: deleted"),
            ),
            None => (
                format!("第 {seq} 条记录缺失：已被删除。"),
                format!("entry {seq} is missing: deleted"),
            ),
        },
        AuditProblemKind::Moved => {
            let from = other.unwrap_or(seq);
            (
                format!("第 {seq} 条记录原为第 {from} 条：记录顺序被调换过。"),
                format!("entry {seq} was written as entry {from}: entries were reordered"),
            )
        }
        AuditProblemKind::Inserted => (
            format!("第 {seq} 条记录不在哈希链上（前后记录直接相连）：系事后插入。"),
            format!(
                "entry {seq} is not part of the chain (the entries around it link to each other): it was inserted"
            ),
        ),
        AuditProblemKind::BrokenLink => (
            format!(
                "第 {seq} 条记录与前一条不相连：前一条记录被替换过，或从那里起的链被重新计算过。"
            ),
            format!(
                "entry {seq} does not link to the entry before it: that entry was replaced, or the chain re-hashed from there"
            ),
        ),
        AuditProblemKind::Unchained => (
            format!("第 {seq} 条记录没有哈希：系在报送程序之外添加。"),
            format!("entry {seq} has no hash: it was added outside Baosong"),
        ),
    }
}
