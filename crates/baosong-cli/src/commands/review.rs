//! review, sign, keys: 送审, 签发, 退回修改 and the head's signing key.

use baosong_api::Role;
use baosong_core::model::{Review, ReviewComment};
use baosong_core::{Lang, Store};
use baosong_sync::review::{self, Person};
use baosong_sync::worker::sync_once;
use baosong_sync::{Profile, SharedStore, SyncError, account, keys};

use super::sync::runtime;
use crate::error::CliError;
use crate::output::{Out, pad, short_time, truncate};

/// Who is signed in, with their role.
fn me(store: &Store) -> Result<(Person, Option<Role>), CliError> {
    Ok(review::current_person(store)?)
}

/// One sync pass to deliver what was just queued, if the portal is there.
/// Returns the problem, if any, for a note; the work is kept either way.
fn try_deliver(store: SharedStore) -> Option<SyncError> {
    let session = match account::resume(&store) {
        Ok(Some(s)) => s,
        Ok(None) => return None,
        Err(e) => return Some(e),
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(_) => return None,
    };
    rt.block_on(sync_once(&store, &session, false, |_| {}))
        .1
        .err()
}

fn note_undelivered(out: &Out, error: Option<SyncError>) {
    if let Some(e) = error {
        eprintln!(
            "baosong: {}{}",
            out.lang.pick(
                "已保存，待联网后发往门户网站：",
                "Saved; it goes to the portal when it can be reached: "
            ),
            e.message(out.lang)
        );
    }
}

fn describe(r: &Review, lang: Lang) -> String {
    let to = r
        .to_name
        .clone()
        .unwrap_or_else(|| lang.pick("任一负责人", "any head").into());
    format!(
        "{}  {}  {}  {} → {}  {}",
        pad(&r.id[..r.id.len().min(13)], 13),
        pad(
            match lang {
                Lang::Zh => r.status.label_zh(),
                Lang::En => r.status.code(),
            },
            10
        ),
        short_time(&r.updated_at),
        r.from_name,
        to,
        truncate(&r.title, 40)
    )
}

/// `baosong review list`: 待我签发, or with --sent what I sent.
pub fn list(store: &Store, out: &mut Out, sent: bool) -> Result<(), CliError> {
    let (person, _) = me(store)?;
    let reviews = if sent {
        store.reviews_from(&person.username)?
    } else {
        store.pending_reviews_for(&person.username)?
    };
    out.emit(&reviews, |lang| {
        if reviews.is_empty() {
            return if sent {
                lang.pick("没有送审记录。", "Nothing sent for review.")
                    .into()
            } else {
                lang.pick("没有待我签发的稿件。", "Nothing waits for your sign-off.")
                    .into()
            };
        }
        reviews
            .iter()
            .map(|r| describe(r, lang))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// `baosong review send ID [--to USER] [--note T] [--local]`.
pub fn send(
    store: Store,
    out: &mut Out,
    id: &str,
    to: Option<String>,
    note: &str,
    local_only: bool,
) -> Result<u8, CliError> {
    let id = store.resolve_id(id)?;
    let (person, _) = me(&store)?;
    let via_portal = !local_only && Profile::load(&store)?.is_some();
    let to = to.map(|u| (u.clone(), u));
    let (_, r) = review::send(&store, id, &person, to, note, via_portal)?;
    out.emit(&r, |lang| match lang {
        Lang::Zh => format!("已送审：{}（送审编号 {}）", r.title, r.id),
        Lang::En => format!("Sent for sign-off: {} (review {})", r.title, r.id),
    })?;
    if via_portal {
        note_undelivered(out, try_deliver(SharedStore::new(store)));
    }
    Ok(0)
}

/// `baosong sign ID [--opinion T]`: the head signs with their key.
pub fn sign(store: Store, out: &mut Out, arg: &str, opinion: &str) -> Result<u8, CliError> {
    let (person, role) = me(&store)?;
    if role != Some(Role::UnitHead) {
        return Err(SyncError::NotAHead.into());
    }
    let target = review::resolve(&store, arg)?;
    let profile = Profile::load(&store)?.ok_or(SyncError::NoProfile)?;
    let shared = SharedStore::new(store);
    let session = account::resume(&shared)?;
    let key = runtime()?.block_on(keys::ensure(session.as_deref(), &profile))?;
    let signed = shared.with_mut(|s| review::sign(s, &target.id, &person, &key, opinion))??;
    out.emit(&signed, |lang| match lang {
        Lang::Zh => format!(
            "已签发：{}（签发意见：{}；密钥指纹 {}）",
            signed.title,
            signed.opinion.clone().unwrap_or_default(),
            key.fingerprint()
        ),
        Lang::En => format!(
            "Signed off: {} (opinion: {}; key fingerprint {})",
            signed.title,
            signed.opinion.clone().unwrap_or_default(),
            key.fingerprint()
        ),
    })?;
    if signed.via_portal {
        note_undelivered(out, try_deliver(shared));
    }
    Ok(0)
}

/// `baosong review return ID --comment T… [--opinion T]`.
pub fn return_for_revision(
    store: Store,
    out: &mut Out,
    arg: &str,
    opinion: &str,
    comments: Vec<String>,
) -> Result<u8, CliError> {
    let (person, role) = me(&store)?;
    if role != Some(Role::UnitHead) {
        return Err(SyncError::NotAHead.into());
    }
    let target = review::resolve(&store, arg)?;
    let now = chrono::Utc::now();
    let comments = comments
        .into_iter()
        .filter(|c| !c.trim().is_empty())
        .map(|text| ReviewComment {
            anchor: None,
            text,
            author: person.username.clone(),
            at: now,
        })
        .collect();
    let r = review::return_for_revision(&store, &target.id, &person, opinion, comments)?;
    out.emit(&r, |lang| match lang {
        Lang::Zh => format!("已退回修改：{}", r.title),
        Lang::En => format!("Returned for revision: {}", r.title),
    })?;
    if r.via_portal {
        note_undelivered(out, try_deliver(SharedStore::new(store)));
    }
    Ok(0)
}

/// `baosong keys show`.
pub fn keys_show(store: Store, out: &mut Out) -> Result<(), CliError> {
    let profile = Profile::load(&store)?.ok_or(SyncError::NoProfile)?;
    let local = keys::load(&profile)?;
    let shared = SharedStore::new(store);
    let portal = match account::resume(&shared)? {
        Some(session) => runtime()?.block_on(keys::registered(&session)).ok(),
        None => None,
    };
    let value = serde_json::json!({
        "local": local.as_ref().map(|k| serde_json::json!({
            "key_id": k.key_id,
            "fingerprint": k.fingerprint(),
            "public_key": k.public_key_hex(),
            "created_at": k.created_at,
            "registered": k.registered,
        })),
        "portal": portal,
    });
    out.emit(&value, |lang| {
        let mut lines = Vec::new();
        match &local {
            Some(k) => lines.push(format!(
                "{}{}  ({} {})",
                lang.pick("本机签发密钥指纹：", "This computer's signing key: "),
                k.fingerprint(),
                lang.pick("生成于", "made"),
                short_time(&k.created_at)
            )),
            None => lines.push(
                lang.pick(
                    "本机还没有签发密钥（第一次签发时生成并登记）。",
                    "No signing key on this computer yet (made and registered at the first sign-off).",
                )
                .into(),
            ),
        }
        for k in portal.iter().flatten() {
            let state = if k.revoked_at.is_some() {
                lang.pick("已吊销", "revoked")
            } else if k.superseded_at.is_some() {
                lang.pick("已轮换", "superseded")
            } else {
                lang.pick("当前", "current")
            };
            lines.push(format!("  {}  {}  {}", k.fingerprint, state, short_time(&k.created_at)));
        }
        lines.join("\n")
    })
}

/// `baosong keys rotate`.
pub fn keys_rotate(store: Store, out: &mut Out) -> Result<(), CliError> {
    let (_, role) = me(&store)?;
    if role != Some(Role::UnitHead) {
        return Err(SyncError::NotAHead.into());
    }
    let shared = SharedStore::new(store);
    let session = account::resume(&shared)?.ok_or(SyncError::NoProfile)?;
    let key = runtime()?.block_on(keys::rotate(&session))?;
    out.emit(
        &serde_json::json!({ "key_id": key.key_id, "fingerprint": key.fingerprint() }),
        |lang| {
            format!(
                "{}{}",
                lang.pick(
                    "已生成并登记新的签发密钥，指纹：",
                    "New signing key made and registered, fingerprint: "
                ),
                key.fingerprint()
            )
        },
    )
}
