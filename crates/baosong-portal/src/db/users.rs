//! Units and users.

use baosong_api::{Actor, Problem, ProblemCode, Role, Unit, User};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Write, now, ts};
use crate::error::{Error, Result};

/// Someone signed in, as the bearer token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: Option<Unit>,
    /// The sign-in (token family) the request came with.
    pub family_id: i64,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
        }
    }

    pub fn user(&self) -> User {
        User {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
        }
    }

    /// The unit whose submissions this user is limited to; `None` for
    /// editors and administrators, who see every unit.
    pub fn unit_filter(&self) -> Option<&str> {
        if self.role.sees_all_units() {
            None
        } else {
            // A unit role always has a unit (the schema insists); without one
            // it sees nothing.
            Some(self.unit.as_ref().map(|u| u.id.as_str()).unwrap_or(""))
        }
    }

    pub fn can_see_unit(&self, unit_id: &str) -> bool {
        self.unit_filter().is_none_or(|u| u == unit_id)
    }

    /// The unit a submitting user submits for, or 403 for portal roles.
    pub fn submitting_unit(&self) -> Result<&Unit> {
        match (&self.unit, self.role.belongs_to_unit()) {
            (Some(unit), true) => Ok(unit),
            _ => Err(Error::problem(
                Problem::new(ProblemCode::Forbidden).with_detail(
                    "只有单位的信息员或负责人可以报送、重新报送或撤回稿件。",
                    "Only a unit's liaison officers and heads submit, resubmit or withdraw items.",
                ),
            )),
        }
    }
}

/// A user as stored, for signing in.
#[derive(Debug, Clone)]
pub struct StoredUser {
    pub id: i64,
    pub password_hash: String,
    pub disabled: bool,
}

pub fn find_for_login(conn: &Connection, username: &str) -> Result<Option<StoredUser>> {
    Ok(conn
        .prepare_cached("SELECT id, password_hash, disabled FROM users WHERE username = ?1")?
        .query_row([username], |r| {
            Ok(StoredUser {
                id: r.get(0)?,
                password_hash: r.get(1)?,
                disabled: r.get(2)?,
            })
        })
        .optional()?)
}

/// Ids are short and safe in URLs and file names: 1–32 of `a-z 0-9 _ -`.
pub fn check_id(what: &str, id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            what,
            format!("编号“{id}”无效：只能使用 1 至 32 个小写字母、数字、下划线或连字符。"),
            format!("Invalid id {id:?}: use 1 to 32 of a-z, 0-9, '_' and '-'."),
        ))
    }
}

fn check_name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid(
            what,
            "名称不能为空，且不超过 200 个字。",
            "The name must not be empty and at most 200 characters.",
        ));
    }
    Ok(())
}

pub fn add_unit(w: &mut Write<'_>, id: &str, name: &str) -> Result<()> {
    check_id("id", id)?;
    check_name("name", name)?;
    let exists: bool = w
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM units WHERE id = ?1 OR name = ?2)")?
        .query_row(params![id, name], |r| r.get(0))?;
    if exists {
        return Err(Error::invalid(
            "id",
            format!("单位“{name}”（{id}）已存在。"),
            format!("Unit {id} ({name}) already exists."),
        ));
    }
    w.prepare_cached("INSERT INTO units (id, name, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![id, name, ts(now())])?;
    Ok(())
}

pub fn unit(conn: &Connection, id: &str) -> Result<Option<Unit>> {
    Ok(conn
        .prepare_cached("SELECT id, name FROM units WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Unit {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .optional()?)
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub unit_id: Option<&'a str>,
    /// Argon2id PHC string.
    pub password_hash: &'a str,
}

fn check_new_user(conn: &Connection, u: &NewUser<'_>) -> Result<()> {
    let ok = !u.username.is_empty()
        && u.username.len() <= 64
        && u.username.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if !ok {
        return Err(Error::invalid(
            "username",
            format!(
                "用户名“{}”无效：只能使用 1 至 64 个小写字母、数字和 . _ -。",
                u.username
            ),
            format!(
                "Invalid username {:?}: use 1 to 64 of a-z, 0-9, '.', '_' and '-'.",
                u.username
            ),
        ));
    }
    check_name("display_name", u.display_name)?;
    match (u.role.belongs_to_unit(), u.unit_id) {
        (true, None) => {
            return Err(Error::invalid(
                "unit",
                format!("{}必须属于一个单位。", u.role.label_zh()),
                format!("A {} must belong to a unit.", u.role.code()),
            ));
        }
        (false, Some(_)) => {
            return Err(Error::invalid(
                "unit",
                format!("{}不属于任何单位。", u.role.label_zh()),
                format!("A {} belongs to no unit.", u.role.code()),
            ));
        }
        (true, Some(unit_id)) if unit(conn, unit_id)?.is_none() => {
            return Err(Error::invalid(
                "unit",
                format!("没有编号为“{unit_id}”的单位。"),
                format!("No unit with id {unit_id:?}."),
            ));
        }
        _ => {}
    }
    Ok(())
}

/// Creates a user; refuses an existing username.
pub fn add_user(w: &mut Write<'_>, u: &NewUser<'_>) -> Result<i64> {
    check_new_user(w, u)?;
    let exists: bool = w
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE username = ?1)")?
        .query_row([u.username], |r| r.get(0))?;
    if exists {
        return Err(Error::invalid(
            "username",
            format!("用户名“{}”已存在。", u.username),
            format!("Username {:?} already exists.", u.username),
        ));
    }
    w.prepare_cached(
        "INSERT INTO users (username, display_name, role, unit_id, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        u.username,
        u.display_name,
        u.role.code(),
        u.unit_id,
        u.password_hash,
        ts(now())
    ])?;
    Ok(w.last_insert_rowid())
}

/// Creates the user, or brings an existing one with that username up to
/// date (name, role, unit, password). For the demo.
pub fn upsert_user(w: &mut Write<'_>, u: &NewUser<'_>) -> Result<()> {
    check_new_user(w, u)?;
    // An existing user's role, unit or `disabled` flag may change.
    w.tokens_changed();
    w.prepare_cached(
        "INSERT INTO users (username, display_name, role, unit_id, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name,
             role = excluded.role, unit_id = excluded.unit_id,
             password_hash = excluded.password_hash, disabled = 0",
    )?
    .execute(params![
        u.username,
        u.display_name,
        u.role.code(),
        u.unit_id,
        u.password_hash,
        ts(now())
    ])?;
    Ok(())
}

/// Creates the unit unless one with that id exists. For the demo.
pub fn ensure_unit(w: &mut Write<'_>, id: &str, name: &str) -> Result<()> {
    check_id("id", id)?;
    check_name("name", name)?;
    w.prepare_cached("INSERT OR IGNORE INTO units (id, name, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![id, name, ts(now())])?;
    Ok(())
}

pub fn parse_role(code: &str) -> Result<Role> {
    Role::from_code(code).ok_or_else(|| Error::BadRecord(format!("unknown role {code:?}")))
}

/// A user as others see them: for naming signers, senders and heads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: i64,
    pub actor: Actor,
    pub unit_id: Option<String>,
    pub disabled: bool,
}

impl Member {
    /// Whether this user is a head (负责人) of `unit_id`.
    pub fn is_head_of(&self, unit_id: &str) -> bool {
        self.actor.role == Role::UnitHead && self.unit_id.as_deref() == Some(unit_id)
    }
}

fn member_from_row(r: &rusqlite::Row<'_>) -> Result<Member> {
    Ok(Member {
        user_id: r.get(0)?,
        actor: Actor {
            username: r.get(1)?,
            display_name: r.get(2)?,
            role: parse_role(&r.get::<_, String>(3)?)?,
        },
        unit_id: r.get(4)?,
        disabled: r.get(5)?,
    })
}

/// The user with this username.
pub fn member(conn: &Connection, username: &str) -> Result<Option<Member>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, username, display_name, role, unit_id, disabled FROM users WHERE username = ?1",
    )?;
    let mut rows = stmt.query([username])?;
    rows.next()?.map(member_from_row).transpose()
}

/// The user with this id.
pub fn member_by_id(conn: &Connection, user_id: i64) -> Result<Option<Member>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, username, display_name, role, unit_id, disabled FROM users WHERE id = ?1",
    )?;
    let mut rows = stmt.query([user_id])?;
    rows.next()?.map(member_from_row).transpose()
}
