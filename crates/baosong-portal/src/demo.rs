//! The demo portal's data: three units, users for every role, and columns with
//! the cadences inspections use (news every 2 weeks, notices and policies every
//! 6 months). Seeding is idempotent: running the demo again keeps everything
//! submitted so far and resets the demo users' passwords to the ones printed.

use std::path::PathBuf;

use baosong_api::{AttachmentPolicy, ColumnKind, Role};

use crate::config::PasswordParams;
use crate::db::Db;
use crate::db::columns::{self, NewColumn};
use crate::db::users::{self, NewUser};
use crate::error::Result;
use crate::secrets;

/// (id, full name)
pub const UNITS: &[(&str, &str)] = &[
    ("sjyj", "市教育局"),
    ("swjw", "市卫生健康委员会"),
    ("szjj", "市住房和城乡建设局"),
];

/// (id, name, path, kind, cadence in days, responsible units; empty = all)
#[allow(clippy::type_complexity)]
pub const COLUMNS: &[(&str, &str, &str, ColumnKind, Option<u32>, &[&str])] = &[
    (
        "bmdt",
        "部门动态",
        "/xxgk/bmdt/",
        ColumnKind::News,
        Some(14),
        &[],
    ),
    (
        "gzdt",
        "工作动态",
        "/xwzx/gzdt/",
        ColumnKind::News,
        Some(14),
        &[],
    ),
    (
        "tzgg",
        "通知公告",
        "/xxgk/tzgg/",
        ColumnKind::Notice,
        Some(180),
        &[],
    ),
    (
        "zcwj",
        "政策文件",
        "/xxgk/zcwj/",
        ColumnKind::Policy,
        Some(180),
        &[],
    ),
    (
        "zcjd",
        "政策解读",
        "/xxgk/zcjd/",
        ColumnKind::Interpretation,
        Some(180),
        &["sjyj", "swjw"],
    ),
    (
        "rsxx",
        "人事信息",
        "/xxgk/rsxx/",
        ColumnKind::Personnel,
        Some(180),
        &[],
    ),
    (
        "ghjh",
        "规划计划",
        "/xxgk/ghjh/",
        ColumnKind::Planning,
        Some(365),
        &[],
    ),
    (
        "tjxx",
        "统计信息",
        "/xxgk/tjxx/",
        ColumnKind::Statistics,
        Some(90),
        &["swjw", "szjj"],
    ),
    (
        "czzj",
        "财政资金",
        "/xxgk/czzj/",
        ColumnKind::Finance,
        Some(365),
        &[],
    ),
    (
        "hygq",
        "回应关切",
        "/hdjl/hygq/",
        ColumnKind::Other,
        None,
        &[],
    ),
];

/// Demo attachment policies, by column id (the rest keep the defaults:
/// JPEG, PNG and WebP images, PDF, docx and xlsx up to 200 MiB). News columns
/// carry photos of the event, so images only and 20 MiB; statistics carry
/// tables and reports, so documents only.
pub fn attachment_policy(column_id: &str) -> AttachmentPolicy {
    const IMAGES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];
    const DOCUMENTS: [&str; 3] = [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ];
    let types = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
    match column_id {
        "bmdt" | "gzdt" => AttachmentPolicy {
            allowed_media_types: types(&IMAGES),
            max_bytes: 20 * 1024 * 1024,
        },
        "tjxx" => AttachmentPolicy {
            allowed_media_types: types(&DOCUMENTS),
            max_bytes: 100 * 1024 * 1024,
        },
        _ => AttachmentPolicy::default(),
    }
}

/// (username, display name, role, unit)
pub const USERS: &[(&str, &str, Role, Option<&str>)] = &[
    ("jyj.xxy", "张敏", Role::LiaisonOfficer, Some("sjyj")),
    ("jyj.fzr", "李建国", Role::UnitHead, Some("sjyj")),
    ("wjw.xxy", "王芳", Role::LiaisonOfficer, Some("swjw")),
    ("wjw.fzr", "陈志强", Role::UnitHead, Some("swjw")),
    ("zjj.xxy", "刘洋", Role::LiaisonOfficer, Some("szjj")),
    ("zjj.fzr", "赵丽", Role::UnitHead, Some("szjj")),
    ("editor", "周静", Role::PortalEditor, None),
    ("admin", "系统管理员", Role::Admin, None),
];

/// A demo user and the password just set.
#[derive(Debug, Clone)]
pub struct DemoUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: Option<String>,
    pub password: String,
}

/// Seeds (or refreshes) the demo data. Every user gets `password`, or a fresh
/// random one each.
pub fn seed(db: &Db, password: Option<&str>, params: PasswordParams) -> Result<Vec<DemoUser>> {
    let mut out = Vec::new();
    for (username, display_name, role, unit) in USERS {
        let password = match password {
            Some(p) => p.to_string(),
            None => secrets::random_password()?,
        };
        out.push((
            DemoUser {
                username: (*username).to_string(),
                display_name: (*display_name).to_string(),
                role: *role,
                unit: unit.map(|u| {
                    UNITS
                        .iter()
                        .find(|(id, _)| *id == u)
                        .map_or(u, |(_, name)| *name)
                        .to_string()
                }),
                password: password.clone(),
            },
            secrets::hash_password(&password, params)?,
        ));
    }
    let accounts: Vec<(String, String, Role, Option<&'static str>, String)> = USERS
        .iter()
        .zip(&out)
        .map(|((_, _, role, unit), (user, hash))| {
            (
                user.username.clone(),
                user.display_name.clone(),
                *role,
                *unit,
                hash.clone(),
            )
        })
        .collect();
    db.write(move |w| {
        for (id, name) in UNITS {
            users::ensure_unit(w, id, name)?;
        }
        let all: Vec<&str> = UNITS.iter().map(|(id, _)| *id).collect();
        for (id, name, path, kind, cadence_days, units) in COLUMNS {
            let units = if units.is_empty() { &all[..] } else { units };
            columns::ensure_column(
                w,
                &NewColumn {
                    id,
                    name,
                    path,
                    kind: *kind,
                    cadence_days: *cadence_days,
                    units,
                },
            )?;
            columns::set_attachment_policy(w, id, &attachment_policy(id))?;
        }
        for (username, display_name, role, unit, hash) in &accounts {
            users::upsert_user(
                w,
                &NewUser {
                    username,
                    display_name,
                    role: *role,
                    unit_id: *unit,
                    password_hash: hash,
                },
            )?;
        }
        Ok(())
    })?;
    Ok(out.into_iter().map(|(u, _)| u).collect())
}

/// Where the demo keeps its database unless `--db` says otherwise:
/// `$XDG_DATA_HOME/baosong-portal/demo.sqlite3` (`~/.local/share/…` on
/// Linux), or the temporary directory when there is no home directory.
pub fn default_db_path() -> PathBuf {
    directories::BaseDirs::new()
        .map(|d| d.data_dir().join("baosong-portal"))
        .unwrap_or_else(|| std::env::temp_dir().join("baosong-portal"))
        .join("demo.sqlite3")
}
