//! Who is calling: user, role, unit (单位) and the unit's assigned columns.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::columns::Column;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 信息员 / 联络员: drafts and submits the unit's items.
    LiaisonOfficer,
    /// 办公室主任 / 分管领导: signs off; may also submit.
    UnitHead,
    /// 门户网站编辑: decides on submissions from every unit.
    PortalEditor,
    /// 管理员: manages users and columns; reads every unit's submissions.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::LiaisonOfficer,
        Role::UnitHead,
        Role::PortalEditor,
        Role::Admin,
    ];

    /// The stable machine name, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Role::LiaisonOfficer => "liaison_officer",
            Role::UnitHead => "unit_head",
            Role::PortalEditor => "portal_editor",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Chinese name people read.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::LiaisonOfficer => "信息员",
            Role::UnitHead => "单位负责人",
            Role::PortalEditor => "门户网站编辑",
            Role::Admin => "管理员",
        }
    }

    /// Whether users with this role belong to a unit and submit for it.
    pub fn belongs_to_unit(self) -> bool {
        matches!(self, Role::LiaisonOfficer | Role::UnitHead)
    }

    /// Whether this role sees the submissions of every unit.
    pub fn sees_all_units(self) -> bool {
        matches!(self, Role::PortalEditor | Role::Admin)
    }
}

/// A reporting unit (报送单位): a department (局、委、办) or township.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Unit {
    /// Stable short id.
    #[schema(example = "sjyj")]
    pub id: String,
    /// Full official name (no abbreviation).
    #[schema(example = "市教育局")]
    pub name: String,
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    #[schema(example = "jyj.liaison")]
    pub username: String,
    #[schema(example = "张敏")]
    pub display_name: String,
    pub role: Role,
}

/// Who did something: named in the status history and the change feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Actor {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// `GET /me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub user: User,
    /// The caller's unit; absent for portal editors and administrators.
    pub unit: Option<Unit>,
    /// The columns the unit is responsible for (栏目内容保障责任), with their
    /// cadence and last update; empty without a unit.
    pub columns: Vec<Column>,
}
