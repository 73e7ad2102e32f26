//! The portal's columns (栏目).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::uploads::AttachmentPolicy;

/// What a column carries; inspections judge staleness by kind (news columns
/// within two weeks, notices and policies within six months).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// 动态 (部门动态, 工作动态)
    News,
    /// 通知公告
    Notice,
    /// 政策文件
    Policy,
    /// 政策解读
    Interpretation,
    /// 人事信息
    Personnel,
    /// 规划计划
    Planning,
    /// 统计信息
    Statistics,
    /// 财政资金
    Finance,
    /// Anything else.
    Other,
}

impl ColumnKind {
    pub const ALL: [ColumnKind; 9] = [
        ColumnKind::News,
        ColumnKind::Notice,
        ColumnKind::Policy,
        ColumnKind::Interpretation,
        ColumnKind::Personnel,
        ColumnKind::Planning,
        ColumnKind::Statistics,
        ColumnKind::Finance,
        ColumnKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ColumnKind::News => "news",
            ColumnKind::Notice => "notice",
            ColumnKind::Policy => "policy",
            ColumnKind::Interpretation => "interpretation",
            ColumnKind::Personnel => "personnel",
            ColumnKind::Planning => "planning",
            ColumnKind::Statistics => "statistics",
            ColumnKind::Finance => "finance",
            ColumnKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<ColumnKind> {
        ColumnKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A unit named by id and full name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitRef {
    #[schema(example = "sjyj")]
    pub id: String,
    #[schema(example = "市教育局")]
    pub name: String,
}

/// A column of the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Column {
    /// Stable id; submissions name their column by it.
    #[schema(example = "bmdt")]
    pub id: String,
    #[schema(example = "部门动态")]
    pub name: String,
    /// Where the column lives on the portal.
    #[schema(example = "/xxgk/bmdt/")]
    pub path: String,
    pub kind: ColumnKind,
    /// The column must get a new item at least every this many days; absent
    /// when no cadence is required.
    #[schema(example = 14, minimum = 1)]
    pub cadence_days: Option<u32>,
    /// The units responsible for keeping it up to date.
    pub responsible_units: Vec<UnitRef>,
    /// When an item was last published in it; absent if never.
    pub last_updated_at: Option<DateTime<Utc>>,
    /// What it accepts as attachments (the defaults when a portal does not
    /// say).
    #[serde(default)]
    pub attachments: AttachmentPolicy,
}

/// `GET /columns`. Sent with an `ETag`; `If-None-Match` with that tag answers
/// `304 Not Modified`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ColumnList {
    pub columns: Vec<Column>,
}
