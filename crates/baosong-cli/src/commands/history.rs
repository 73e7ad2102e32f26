//! history, restore.

use baosong_core::{ItemView, Store};

use crate::error::CliError;
use crate::output::{Out, short_time, truncate};

pub fn list(store: &Store, out: &mut Out, id: &str) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let revs = store.list_revisions(id)?;
    out.emit(&revs, |lang| {
        revs.iter()
            .map(|r| {
                let note = r
                    .note
                    .as_deref()
                    .map(|n| format!("  [{n}]"))
                    .unwrap_or_default();
                format!(
                    "r{:<4} {}  {:<10} {:>7} {}  {}{note}",
                    r.revision,
                    short_time(&r.saved_at),
                    r.saved_by,
                    r.body_chars,
                    lang.pick("字", "chars"),
                    truncate(&r.title, 40),
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

pub fn diff(store: &Store, out: &mut Out, id: &str, from: u32, to: u32) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let d = store.diff_revisions(id, from, to)?;
    out.emit(&d, |lang| {
        let mut text: Vec<String> = d
            .fields
            .iter()
            .map(|f| format!("{}: {} → {}", f.field, f.old, f.new))
            .collect();
        if d.body_unified.is_empty() {
            text.push(lang.pick("正文无变化", "body unchanged").to_string());
        } else {
            text.push(d.body_unified.clone());
        }
        text.join("\n")
    })
}

pub fn restore(store: &Store, out: &mut Out, id: &str, revision: u32) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let item = store.restore_revision(id, revision)?;
    out.emit(&ItemView::from(item.clone()), |lang| {
        format!(
            "{} {}（{} {}）",
            lang.pick("已恢复", "restored"),
            super::items::revision_label(revision, lang),
            lang.pick("现为", "now"),
            super::items::revision_label(item.revision, lang)
        )
    })
}
