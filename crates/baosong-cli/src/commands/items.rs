//! new, list, show, edit, search.

use std::path::PathBuf;

use baosong_core::model::{ItemContent, ItemState, ItemSummary};
use baosong_core::{ItemView, Lang, ListQuery, Store};

use super::column_from_arg;
use crate::error::CliError;
use crate::input::read_text;
use crate::output::{Out, pad, short_time, truncate};

pub fn new(
    store: &Store,
    out: &mut Out,
    title: String,
    column: &str,
    body_file: Option<PathBuf>,
    summary: Option<String>,
    author: Option<String>,
) -> Result<(), CliError> {
    // Read the body before touching the store: a bad file creates nothing.
    let body = body_file
        .as_deref()
        .map(read_text)
        .transpose()?
        .unwrap_or_default();
    let item = store.create_item(ItemContent {
        title,
        column: column_from_arg(store, column),
        body,
        summary: summary.unwrap_or_default(),
        author: author.unwrap_or_default(),
        ..Default::default()
    })?;
    out.emit(
        &serde_json::json!({ "id": item.id, "revision": item.revision }),
        |_| item.id.to_string(),
    )
}

pub fn list(
    store: &Store,
    out: &mut Out,
    state: Option<&str>,
    limit: u32,
    offset: u32,
) -> Result<(), CliError> {
    let state = state
        .map(|s| ItemState::parse(s).ok_or_else(|| CliError::BadState(s.to_string())))
        .transpose()?;
    let rows = store.list_items(&ListQuery {
        state,
        search: None,
        offset,
        limit,
    })?;
    out.emit(&rows, |lang| table(&rows, lang))
}

pub fn search(store: &Store, out: &mut Out, query: &str, limit: u32) -> Result<(), CliError> {
    let rows = store.list_items(&ListQuery {
        search: Some(query.to_string()),
        limit,
        ..Default::default()
    })?;
    out.emit(&rows, |lang| table(&rows, lang))
}

fn table(rows: &[ItemSummary], lang: Lang) -> String {
    if rows.is_empty() {
        return lang.pick("（没有稿件）", "(no items)").to_string();
    }
    rows.iter()
        .map(|r| {
            let title = if r.title.is_empty() {
                lang.pick("（未命名稿件）", "(untitled)").to_string()
            } else {
                r.title.clone()
            };
            format!(
                "{}  {}  {}  {}  {}",
                &r.id.to_string()[..13],
                pad(r.state.label(lang), 12),
                short_time(&r.updated_at),
                pad(&truncate(&r.column_name, 12), 12),
                truncate(&title, 60)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn show(store: &Store, out: &mut Out, id: &str) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let view = ItemView::from(store.get_item(id)?);
    out.emit(&view, |lang| describe(&view, lang))
}

fn describe(view: &ItemView, lang: Lang) -> String {
    let item = &view.item;
    let c = &item.content;
    let mut lines = vec![
        format!("{}  {}", lang.pick("编号", "Id"), item.id),
        format!("{}  {}", lang.pick("标题", "Title"), c.title),
        format!("{}  {}", lang.pick("栏目", "Column"), c.column.name),
        format!(
            "{}  {}（{}）",
            lang.pick("状态", "State"),
            item.state.label(lang),
            revision_label(item.revision, lang)
        ),
    ];
    let optional = [
        (lang.pick("执笔人", "Author"), c.author.as_str()),
        (lang.pick("联系电话", "Phone"), c.author_phone.as_str()),
        (lang.pick("来源单位", "Source unit"), c.source_unit.as_str()),
        (
            lang.pick("文号", "Document no."),
            c.disclosure.doc_number.as_str(),
        ),
        (lang.pick("内容概述", "Summary"), c.summary.as_str()),
        (
            lang.pick("退回原因", "Returned because"),
            item.returned_reason.as_deref().unwrap_or(""),
        ),
        (
            lang.pick("发布地址", "Published at"),
            item.published_url.as_deref().unwrap_or(""),
        ),
    ];
    lines.extend(
        optional
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}  {v}")),
    );
    if !c.keywords.is_empty() {
        lines.push(format!(
            "{}  {}",
            lang.pick("主题词", "Keywords"),
            c.keywords.join("、")
        ));
    }
    lines.push(format!(
        "{}  {}",
        lang.pick("更新时间", "Updated"),
        short_time(&item.updated_at)
    ));
    lines.push(String::new());
    lines.push(c.body.clone());
    lines.join("\n")
}

/// What `baosong edit` may change; `None` keeps the stored value.
pub struct Changes {
    pub title: Option<String>,
    pub column: Option<String>,
    pub body_file: Option<PathBuf>,
    pub summary: Option<String>,
    pub author: Option<String>,
}

pub fn edit(store: &Store, out: &mut Out, id: &str, changes: Changes) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let body = changes.body_file.as_deref().map(read_text).transpose()?;
    let current = store.get_item(id)?;
    let mut content = current.content.clone();
    if let Some(t) = changes.title {
        content.title = t;
    }
    if let Some(c) = changes.column {
        content.column = column_from_arg(store, &c);
    }
    if let Some(b) = body {
        content.body = b;
    }
    if let Some(s) = changes.summary {
        content.summary = s;
    }
    if let Some(a) = changes.author {
        content.author = a;
    }
    let saved = store.save_content(id, content, Some(current.revision))?;
    let changed = saved.revision != current.revision;
    out.emit(&ItemView::from(saved.clone()), |lang| {
        if changed {
            format!(
                "{} {}（{}，{}）",
                lang.pick("已保存", "saved"),
                saved.id,
                revision_label(saved.revision, lang),
                saved.state.label(lang)
            )
        } else {
            lang.pick("内容未变，未产生新版本", "nothing changed; no new revision")
                .to_string()
        }
    })
}

pub fn revision_label(revision: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {revision} 版"),
        Lang::En => format!("revision {revision}"),
    }
}
