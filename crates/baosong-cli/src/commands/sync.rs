//! login, logout, submit, sync, status, outbox: the portal side.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use baosong_core::model::{OutboxEntry, OutboxStatus};
use baosong_core::{Lang, Store};
use baosong_sync::worker::{SyncEvent, sync_once};
use baosong_sync::{Profile, SharedStore, SyncError, account, outbox};

use crate::error::CliError;
use crate::output::{Out, pad, short_time, truncate};

pub struct LoginArgs {
    pub portal: String,
    pub user: String,
    pub password_stdin: bool,
    pub ca_cert: Option<PathBuf>,
    pub proxy: Option<String>,
}

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| SyncError::Internal(format!("runtime: {e}")).into())
}

fn read_password(from_stdin: bool, lang: Lang) -> Result<String, CliError> {
    let password = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::Io("stdin".into(), e))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        rpassword::prompt_password(lang.pick("密码：", "Password: "))
            .map_err(|e| CliError::Io("terminal".into(), e))?
    };
    if password.is_empty() {
        return Err(CliError::Usage(
            lang.pick("密码为空。", "The password is empty.").into(),
        ));
    }
    Ok(password)
}

pub fn login(store: Store, out: &mut Out, args: LoginArgs) -> Result<(), CliError> {
    let profile = Profile::new(&args.portal, &args.user, args.ca_cert, args.proxy)?;
    let password = read_password(args.password_stdin, out.lang)?;
    let store = SharedStore::new(store);
    let (_, me) = runtime()?.block_on(account::login(&store, profile.clone(), &password))?;
    let unit = me
        .as_ref()
        .and_then(|m| m.unit.as_ref())
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let name = me
        .as_ref()
        .map(|m| m.user.display_name.clone())
        .unwrap_or_else(|| profile.username.clone());
    out.emit(
        &serde_json::json!({ "profile": profile, "me": me }),
        |lang| match lang {
            Lang::Zh => format!("已登录 {}：{name}（{unit}）。", profile.portal_url),
            Lang::En => format!("Signed in to {} as {name} ({unit}).", profile.portal_url),
        },
    )
}

pub fn logout(store: Store, out: &mut Out) -> Result<(), CliError> {
    let store = SharedStore::new(store);
    runtime()?.block_on(account::logout(&store))?;
    out.emit(&serde_json::json!({ "signed_out": true }), |lang| {
        lang.pick("已退出登录。", "Signed out.").into()
    })
}

/// 报送. Exit status 0 when delivered or (with --no-send) queued; 1 when it
/// stays queued because the portal could not be reached.
pub fn submit(store: Store, out: &mut Out, id: &str, no_send: bool) -> Result<u8, CliError> {
    let id = store.resolve_id(id)?;
    let (_, entry) = outbox::enqueue(&store, id)?;
    let store = SharedStore::new(store);
    if no_send {
        return emit_entry(out, &entry).map(|()| 0);
    }
    let session = account::resume(&store)?;
    let error = match session {
        None => Some(SyncError::NoProfile),
        Some(session) => {
            let (_, result) = runtime()?.block_on(sync_once(&store, &session, false, |_| {}));
            result.err()
        }
    };
    let entry = store.with(|s| s.outbox_entry(&entry.id))?;
    emit_entry(out, &entry)?;
    match (entry.status, error) {
        (OutboxStatus::Delivered, _) => Ok(0),
        (_, Some(e)) => {
            eprintln!("baosong: {}", e.message(out.lang));
            Ok(1)
        }
        (_, None) => Ok(1),
    }
}

fn emit_entry(out: &mut Out, entry: &OutboxEntry) -> Result<(), CliError> {
    out.emit(entry, |lang| match (entry.status, lang) {
        (OutboxStatus::Delivered, Lang::Zh) => format!("已报送：{}", entry.item_title),
        (OutboxStatus::Delivered, Lang::En) => format!("Delivered: {}", entry.item_title),
        (OutboxStatus::Pending, Lang::Zh) => format!(
            "已放入发件箱，待联网后报送（baosong sync）：{}",
            entry.item_title
        ),
        (OutboxStatus::Pending, Lang::En) => format!(
            "Queued; it goes when the portal can be reached (baosong sync): {}",
            entry.item_title
        ),
        (OutboxStatus::Failed, _) => format!(
            "{}{}",
            lang.pick("门户网站拒收：", "Refused by the portal: "),
            entry
                .last_error
                .as_ref()
                .map(|e| e.message(lang).to_string())
                .unwrap_or_default()
        ),
    })
}

fn describe_event(event: &SyncEvent, lang: Lang) -> Option<String> {
    match event {
        SyncEvent::Delivered { entry } => Some(format!(
            "{}{}",
            lang.pick("已报送：", "delivered: "),
            entry.item_title
        )),
        SyncEvent::Refused { entry, error } => Some(format!(
            "{}{}：{}",
            lang.pick("被拒收：", "refused: "),
            entry.item_title,
            error.message(lang)
        )),
        SyncEvent::Changed { change } => {
            let mut line = format!("{}  →  {}", change.title, change.state.label(lang));
            if let Some(reason) = &change.event.reason {
                line.push_str(&format!("（{}{reason}）", lang.pick("原因：", "reason: ")));
            }
            if let Some(url) = &change.event.public_url {
                line.push_str(&format!("  {url}"));
            }
            Some(line)
        }
        SyncEvent::Review { review } => Some(format!(
            "{}{}  →  {}",
            lang.pick("送审：", "review: "),
            review.title,
            match lang {
                Lang::Zh => review.status.label_zh(),
                Lang::En => review.status.code(),
            }
        )),
        // Progress of attachment uploads is for the app's progress bar.
        SyncEvent::Status { .. } | SyncEvent::Upload { .. } => None,
    }
}

/// One pass (`--once`), or the worker until Ctrl+C.
pub fn sync(store: Store, out: &mut Out, once: bool) -> Result<u8, CliError> {
    let store = SharedStore::new(store);
    let session = account::resume(&store)?.ok_or(SyncError::NoProfile)?;
    let rt = runtime()?;
    let lang = out.lang;
    let json = out.json;
    let print = move |e: &SyncEvent| {
        if json {
            if !matches!(e, SyncEvent::Status { .. })
                && let Ok(line) = serde_json::to_string(e)
            {
                println!("{line}");
            }
        } else if let Some(line) = describe_event(e, lang) {
            println!("{line}");
        }
    };
    if once {
        let (report, result) = rt.block_on(sync_once(&store, &session, true, |e| print(&e)));
        let (pending, failed) = store.with(|s| s.outbox_counts())?;
        if !json {
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "本次报送 {} 篇，拒收 {} 篇，状态更新 {} 条；发件箱待报送 {pending} 篇，拒收待处理 {failed} 篇。",
                        report.outbox.delivered.len(),
                        report.outbox.refused.len(),
                        report.changes.len()
                    ),
                    Lang::En => format!(
                        "Delivered {}, refused {}, {} status changes; {pending} waiting and {failed} refused in the outbox.",
                        report.outbox.delivered.len(),
                        report.outbox.refused.len(),
                        report.changes.len()
                    ),
                }
            );
        }
        return match result {
            Ok(()) if pending == 0 && failed == 0 => Ok(0),
            Ok(()) => Ok(1),
            Err(e) => Err(e.into()),
        };
    }
    rt.block_on(async {
        let worker = baosong_sync::SyncWorker::start(
            &tokio::runtime::Handle::current(),
            store.clone(),
            Some(session),
            move |e| print(&e),
        );
        eprintln!(
            "{}",
            lang.pick(
                "正在同步，按 Ctrl+C 停止。",
                "Syncing; press Ctrl+C to stop."
            )
        );
        let _ = tokio::signal::ctrl_c().await;
        drop(worker);
    });
    Ok(0)
}

pub fn status(store: Store, out: &mut Out, id: Option<&str>) -> Result<(), CliError> {
    match id {
        Some(id) => item_status(&store, out, id),
        None => overall_status(store, out),
    }
}

fn overall_status(store: Store, out: &mut Out) -> Result<(), CliError> {
    let profile = Profile::load(&store)?;
    let (pending, failed) = store.outbox_counts()?;
    let store = SharedStore::new(store);
    let signed_in = runtime()?.block_on(account::has_stored_sign_in(&store))?;
    let value = serde_json::json!({
        "profile": profile,
        "signed_in": signed_in,
        "pending": pending,
        "failed": failed,
    });
    out.emit(&value, |lang| {
        let who = match &profile {
            Some(p) => format!("{} @ {}", p.username, p.portal_url),
            None => lang.pick("（未设置门户）", "(no portal set)").into(),
        };
        let signed = if signed_in {
            lang.pick("已登录", "signed in")
        } else {
            lang.pick("未登录", "signed out")
        };
        match lang {
            Lang::Zh => format!(
                "门户：{who}（{signed}）\n发件箱：待报送 {pending} 篇，拒收待处理 {failed} 篇"
            ),
            Lang::En => {
                format!("Portal: {who} ({signed})\nOutbox: {pending} waiting, {failed} refused")
            }
        }
    })
}

fn item_status(store: &Store, out: &mut Out, id: &str) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let item = store.get_item(id)?;
    let link = store.portal_link(id)?;
    let timeline = store.status_timeline(id)?;
    let entries = store.item_outbox(id)?;
    let value = serde_json::json!({
        "id": item.id,
        "state": item.state,
        "returned_reason": item.returned_reason,
        "published_url": item.published_url,
        "portal": link,
        "timeline": timeline,
        "outbox": entries,
    });
    out.emit(&value, |lang| {
        let mut lines = vec![format!(
            "{}  {}  {}",
            &item.id.to_string()[..13],
            item.state.label(lang),
            item.content.title
        )];
        if let Some(reason) = &item.returned_reason {
            lines.push(format!("{}{reason}", lang.pick("退回原因：", "Returned: ")));
        }
        if let Some(url) = &item.published_url {
            lines.push(format!(
                "{}{url}",
                lang.pick("发布地址：", "Published at: ")
            ));
        }
        for ev in &timeline {
            let mut line = format!(
                "  {}  {}  {}",
                short_time(&ev.at),
                pad(&ev.status, 12),
                ev.by
            );
            if !ev.comment.is_empty() {
                line.push_str(&format!("  {}", ev.comment));
            }
            if let Some(r) = &ev.reason {
                line.push_str(&format!("  {r}"));
            }
            lines.push(line);
        }
        for e in entries
            .iter()
            .filter(|e| e.status != OutboxStatus::Delivered)
        {
            lines.push(entry_line(e, lang));
        }
        lines.join("\n")
    })
}

fn entry_line(e: &OutboxEntry, lang: Lang) -> String {
    let status = match (e.status, lang) {
        (OutboxStatus::Pending, Lang::Zh) => "待报送",
        (OutboxStatus::Failed, Lang::Zh) => "拒收",
        (OutboxStatus::Delivered, Lang::Zh) => "已报送",
        (OutboxStatus::Pending, Lang::En) => "waiting",
        (OutboxStatus::Failed, Lang::En) => "refused",
        (OutboxStatus::Delivered, Lang::En) => "delivered",
    };
    let mut line = format!(
        "{}  {}  {}  {}",
        &e.id[..13.min(e.id.len())],
        pad(status, 8),
        short_time(&e.created_at),
        truncate(&e.item_title, 40)
    );
    if let Some(err) = &e.last_error
        && e.status != OutboxStatus::Delivered
    {
        line.push_str(&format!(
            "\n    {}{}（{}）",
            lang.pick("上次失败：", "last error: "),
            err.message(lang),
            e.attempts
        ));
    }
    line
}

pub fn outbox(
    store: &Store,
    out: &mut Out,
    all: bool,
    retry: Option<&str>,
) -> Result<(), CliError> {
    if let Some(prefix) = retry {
        let entries = store.list_outbox(true, u32::MAX)?;
        let matching: Vec<&OutboxEntry> = entries
            .iter()
            .filter(|e| e.id.starts_with(prefix.trim()))
            .collect();
        let entry = match matching.as_slice() {
            [one] => store.retry_outbox_entry(&one.id)?,
            [] => return Err(baosong_core::StoreError::NoSuchOutboxEntry(prefix.into()).into()),
            _ => {
                return Err(baosong_core::StoreError::Ambiguous {
                    prefix: prefix.into(),
                    count: matching.len(),
                }
                .into());
            }
        };
        return out.emit(&entry, |lang| {
            format!(
                "{}{}",
                lang.pick("已重新放入发件箱：", "Back in the queue: "),
                entry.item_title
            )
        });
    }
    let entries = store.list_outbox(all, 500)?;
    out.emit(&entries, |lang| {
        if entries.is_empty() {
            return lang.pick("（发件箱为空）", "(the outbox is empty)").into();
        }
        entries
            .iter()
            .map(|e| entry_line(e, lang))
            .collect::<Vec<_>>()
            .join("\n")
    })
}
