//! The reporting workflow: the one place that says which moves between item
//! states are legal.
//!
//! 草稿 → 待签发 → 已签发 → 待报送 → 已报送 → 审核中 → 已采用 → 已发布, with 退回,
//! 未采用 and 已撤回 as the other ends. Editing is a move too: it always lands in
//! 草稿, because anything changed after sign-off needs a new sign-off, and a
//! published item changed needs review again (先审后发).

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::i18n::Lang;
use crate::model::ItemState;

#[cfg(test)]
mod tests;

/// A move an item can make. Portal-driven moves carry what the portal said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
#[ts(export)]
pub enum Action {
    /// Change the content. Always leads to a draft (a new revision).
    Edit,
    /// 送审: the liaison officer sends the draft to the office head.
    SendForSignoff,
    /// 签发: the office head signs off.
    SignOff,
    /// 退回修改: the office head sends it back to the author.
    ReturnForRevision,
    /// 报送: put a signed-off item in the outbox.
    Queue,
    /// The portal acknowledged the submission.
    MarkSubmitted,
    /// The portal started reviewing it.
    StartReview,
    /// 采用
    Adopt,
    /// 发布, with the public address.
    Publish { url: String },
    /// 退回, with the portal's reason.
    Return { reason: String },
    /// 未采用
    Decline,
    /// 撤回: taken back before the portal decided.
    Withdraw,
}

/// The names of actions, without their data: what the UI offers as buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ActionKind {
    Edit,
    SendForSignoff,
    SignOff,
    ReturnForRevision,
    Queue,
    MarkSubmitted,
    StartReview,
    Adopt,
    Publish,
    Return,
    Decline,
    Withdraw,
}

impl ActionKind {
    pub const ALL: [ActionKind; 12] = [
        ActionKind::Edit,
        ActionKind::SendForSignoff,
        ActionKind::SignOff,
        ActionKind::ReturnForRevision,
        ActionKind::Queue,
        ActionKind::MarkSubmitted,
        ActionKind::StartReview,
        ActionKind::Adopt,
        ActionKind::Publish,
        ActionKind::Return,
        ActionKind::Decline,
        ActionKind::Withdraw,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Edit => "edit",
            ActionKind::SendForSignoff => "send_for_signoff",
            ActionKind::SignOff => "sign_off",
            ActionKind::ReturnForRevision => "return_for_revision",
            ActionKind::Queue => "queue",
            ActionKind::MarkSubmitted => "mark_submitted",
            ActionKind::StartReview => "start_review",
            ActionKind::Adopt => "adopt",
            ActionKind::Publish => "publish",
            ActionKind::Return => "return",
            ActionKind::Decline => "decline",
            ActionKind::Withdraw => "withdraw",
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Edit => ActionKind::Edit,
            Action::SendForSignoff => ActionKind::SendForSignoff,
            Action::SignOff => ActionKind::SignOff,
            Action::ReturnForRevision => ActionKind::ReturnForRevision,
            Action::Queue => ActionKind::Queue,
            Action::MarkSubmitted => ActionKind::MarkSubmitted,
            Action::StartReview => ActionKind::StartReview,
            Action::Adopt => ActionKind::Adopt,
            Action::Publish { .. } => ActionKind::Publish,
            Action::Return { .. } => ActionKind::Return,
            Action::Decline => ActionKind::Decline,
            Action::Withdraw => ActionKind::Withdraw,
        }
    }
}

/// An illegal move, or a legal one missing what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WorkflowError {
    #[error("cannot {action} an item that is {from}", action = .action.code(), from = .from.code())]
    IllegalTransition { from: ItemState, action: ActionKind },
    #[error("{0} needs a non-empty value")]
    MissingValue(&'static str),
}

impl WorkflowError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (WorkflowError::IllegalTransition { from, action }, Lang::Zh) => {
                let hint = if *action == ActionKind::Edit {
                    "稿件已交门户网站处理，如需修改请先撤回。"
                } else {
                    ""
                };
                format!(
                    "“{}”状态的稿件不能执行“{}”。{}",
                    from.label(lang),
                    action_label(*action, lang),
                    hint
                )
            }
            (WorkflowError::IllegalTransition { from, action }, Lang::En) => {
                let hint = if *action == ActionKind::Edit {
                    " The item is with the portal; withdraw it first to change it."
                } else {
                    ""
                };
                format!(
                    "An item that is {} cannot be {}.{}",
                    from.label(lang).to_lowercase(),
                    action_label(*action, lang),
                    hint
                )
            }
            (WorkflowError::MissingValue(what), Lang::Zh) => format!("缺少必填内容：{what}"),
            (WorkflowError::MissingValue(what), Lang::En) => format!("{what} must not be empty"),
        }
    }
}

pub fn action_label(kind: ActionKind, lang: Lang) -> &'static str {
    use ActionKind::*;
    match kind {
        Edit => lang.pick("修改", "edited"),
        SendForSignoff => lang.pick("送审", "sent for sign-off"),
        SignOff => lang.pick("签发", "signed off"),
        ReturnForRevision => lang.pick("退回修改", "returned for revision"),
        Queue => lang.pick("报送", "queued for submission"),
        MarkSubmitted => lang.pick("确认已报送", "marked as submitted"),
        StartReview => lang.pick("开始审核", "put under review"),
        Adopt => lang.pick("采用", "adopted"),
        Publish => lang.pick("发布", "published"),
        Return => lang.pick("退回", "returned"),
        Decline => lang.pick("不予采用", "declined"),
        Withdraw => lang.pick("撤回", "withdrawn"),
    }
}

/// The state an item moves to when `action` is applied in state `from`.
///
/// This table is the workflow. Portal-driven moves (review, adopt, return,
/// decline, publish) accept every state the portal can legitimately report
/// them from, because the client may miss intermediate notices while offline.
pub fn next_state(from: ItemState, action: &Action) -> Result<ItemState, WorkflowError> {
    use ItemState::*;
    let to = match (from, action) {
        // Anything the author can still change goes back to draft.
        (
            Draft | AwaitingSignoff | SignedOff | Returned | NotAdopted | Withdrawn | Published,
            Action::Edit,
        ) => Draft,
        (Draft, Action::SendForSignoff) => AwaitingSignoff,
        (AwaitingSignoff, Action::SignOff) => SignedOff,
        (AwaitingSignoff, Action::ReturnForRevision) => Draft,
        (SignedOff, Action::Queue) => Queued,
        (Queued, Action::MarkSubmitted) => Submitted,
        (Submitted, Action::StartReview) => InReview,
        (Submitted | InReview, Action::Adopt) => Adopted,
        (Submitted | InReview | Adopted, Action::Publish { url }) => {
            if url.trim().is_empty() {
                return Err(WorkflowError::MissingValue("url"));
            }
            Published
        }
        (Submitted | InReview, Action::Return { reason }) => {
            if reason.trim().is_empty() {
                return Err(WorkflowError::MissingValue("reason"));
            }
            Returned
        }
        (Submitted | InReview, Action::Decline) => NotAdopted,
        (Queued | Submitted | InReview, Action::Withdraw) => Withdrawn,
        (from, action) => {
            return Err(WorkflowError::IllegalTransition {
                from,
                action: action.kind(),
            });
        }
    };
    Ok(to)
}

/// The actions that are legal from `state`, for enabling buttons.
pub fn allowed_actions(state: ItemState) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|k| next_state(state, &sample_action(*k)).is_ok())
        .collect()
}

/// Whether the content of an item in `state` may be changed at all.
pub fn is_editable(state: ItemState) -> bool {
    next_state(state, &Action::Edit).is_ok()
}

fn sample_action(kind: ActionKind) -> Action {
    match kind {
        ActionKind::Edit => Action::Edit,
        ActionKind::SendForSignoff => Action::SendForSignoff,
        ActionKind::SignOff => Action::SignOff,
        ActionKind::ReturnForRevision => Action::ReturnForRevision,
        ActionKind::Queue => Action::Queue,
        ActionKind::MarkSubmitted => Action::MarkSubmitted,
        ActionKind::StartReview => Action::StartReview,
        ActionKind::Adopt => Action::Adopt,
        ActionKind::Publish => Action::Publish { url: "x".into() },
        ActionKind::Return => Action::Return { reason: "x".into() },
        ActionKind::Decline => Action::Decline,
        ActionKind::Withdraw => Action::Withdraw,
    }
}
