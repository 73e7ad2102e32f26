//! What a portal editor decides on a submission, and a unit's withdrawal.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::status::Transition;

/// The longest comment or reason, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// The longest public URL.
pub const MAX_URL_CHARS: usize = 2_000;

/// An editor's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionAction {
    /// 开始审核
    StartReview,
    /// 采用
    Adopt,
    /// 退回, with a `reason`.
    Return,
    /// 不予采用
    Decline,
    /// 发布, with a `public_url`.
    Publish,
}

impl DecisionAction {
    pub fn transition(self) -> Transition {
        match self {
            DecisionAction::StartReview => Transition::StartReview,
            DecisionAction::Adopt => Transition::Adopt,
            DecisionAction::Return => Transition::Return,
            DecisionAction::Decline => Transition::Decline,
            DecisionAction::Publish => Transition::Publish,
        }
    }
}

/// `POST /submissions/{id}/decision` (portal editors only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub action: DecisionAction,
    /// Shown to the unit with the change; may be empty.
    #[serde(default)]
    pub comment: String,
    /// Required for `return`: what the unit must change.
    #[serde(default)]
    #[schema(example = "请补充数据来源")]
    pub reason: Option<String>,
    /// Required for `publish`: the `http(s)` address of the published item.
    #[serde(default)]
    #[schema(example = "https://www.example.gov.cn/xxgk/bmdt/202609/t20260902_1.html")]
    pub public_url: Option<String>,
}

/// `POST /submissions/{id}/withdraw`. The body may be omitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WithdrawRequest {
    pub comment: String,
}
