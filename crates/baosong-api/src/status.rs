//! Where a submission stands at the portal, and the legal moves.
//!
//! ```text
//! received ──start_review──▶ in_review
//!    │  └───────────┬───────────┘
//!    │   adopt ─▶ adopted ─publish─▶ published (public URL)
//!    │   publish ─────────────────▶ published
//!    │   return ─▶ returned (reason) ──resubmit (PUT, new revision)──▶ received
//!    │   decline ─▶ not_adopted
//!    └── withdraw ─▶ withdrawn          (withdraw also from returned)
//! ```
//!
//! This table is the contract: the portal refuses any other move with
//! `409 invalid_transition`, and a client can use [`SubmissionStatus::after`]
//! to enable only the buttons that can work.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use utoipa::ToSchema;

/// The status of a submission at the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// 已接收: the portal has it; nobody looked yet.
    Received,
    /// 审核中
    InReview,
    /// 已采用
    Adopted,
    /// 已发布: online, with a public URL.
    Published,
    /// 已退回: with the editor's reason; the unit may revise and resubmit.
    Returned,
    /// 未采用
    NotAdopted,
    /// 已撤回 by the unit.
    Withdrawn,
}

/// A move between statuses. Editors make the first five; the unit the last two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    StartReview,
    Adopt,
    Return,
    Decline,
    Publish,
    Withdraw,
    Resubmit,
}

/// A move that is not legal from the current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("cannot {} a submission that is {}", .transition.code(), .from.code())]
pub struct InvalidTransition {
    pub from: SubmissionStatus,
    pub transition: Transition,
}

impl SubmissionStatus {
    pub const ALL: [SubmissionStatus; 7] = [
        SubmissionStatus::Received,
        SubmissionStatus::InReview,
        SubmissionStatus::Adopted,
        SubmissionStatus::Published,
        SubmissionStatus::Returned,
        SubmissionStatus::NotAdopted,
        SubmissionStatus::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SubmissionStatus::Received => "received",
            SubmissionStatus::InReview => "in_review",
            SubmissionStatus::Adopted => "adopted",
            SubmissionStatus::Published => "published",
            SubmissionStatus::Returned => "returned",
            SubmissionStatus::NotAdopted => "not_adopted",
            SubmissionStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<SubmissionStatus> {
        SubmissionStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SubmissionStatus::Received => "已接收",
            SubmissionStatus::InReview => "审核中",
            SubmissionStatus::Adopted => "已采用",
            SubmissionStatus::Published => "已发布",
            SubmissionStatus::Returned => "已退回",
            SubmissionStatus::NotAdopted => "未采用",
            SubmissionStatus::Withdrawn => "已撤回",
        }
    }

    /// The status after `transition`, or why it cannot happen.
    pub fn after(self, transition: Transition) -> Result<SubmissionStatus, InvalidTransition> {
        use SubmissionStatus::*;
        let to = match (self, transition) {
            (Received, Transition::StartReview) => InReview,
            (Received | InReview, Transition::Adopt) => Adopted,
            (Received | InReview | Adopted, Transition::Publish) => Published,
            (Received | InReview, Transition::Return) => Returned,
            (Received | InReview, Transition::Decline) => NotAdopted,
            (Received | InReview | Returned, Transition::Withdraw) => Withdrawn,
            (Returned, Transition::Resubmit) => Received,
            (from, transition) => return Err(InvalidTransition { from, transition }),
        };
        Ok(to)
    }
}

impl Transition {
    pub const ALL: [Transition; 7] = [
        Transition::StartReview,
        Transition::Adopt,
        Transition::Return,
        Transition::Decline,
        Transition::Publish,
        Transition::Withdraw,
        Transition::Resubmit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Transition::StartReview => "start_review",
            Transition::Adopt => "adopt",
            Transition::Return => "return",
            Transition::Decline => "decline",
            Transition::Publish => "publish",
            Transition::Withdraw => "withdraw",
            Transition::Resubmit => "resubmit",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Transition::StartReview => "开始审核",
            Transition::Adopt => "采用",
            Transition::Return => "退回",
            Transition::Decline => "不予采用",
            Transition::Publish => "发布",
            Transition::Withdraw => "撤回",
            Transition::Resubmit => "重新报送",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in SubmissionStatus::ALL {
            assert_eq!(SubmissionStatus::from_code(s.code()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.code()));
        }
        for t in Transition::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.code()));
        }
    }

    #[test]
    fn final_states_refuse_every_move() {
        for s in [
            SubmissionStatus::Published,
            SubmissionStatus::NotAdopted,
            SubmissionStatus::Withdrawn,
        ] {
            for t in Transition::ALL {
                assert_eq!(
                    s.after(t),
                    Err(InvalidTransition {
                        from: s,
                        transition: t
                    })
                );
            }
        }
    }

    #[test]
    fn the_usual_paths() {
        use SubmissionStatus::*;
        assert_eq!(Received.after(Transition::StartReview), Ok(InReview));
        assert_eq!(InReview.after(Transition::Adopt), Ok(Adopted));
        assert_eq!(Adopted.after(Transition::Publish), Ok(Published));
        assert_eq!(InReview.after(Transition::Return), Ok(Returned));
        assert_eq!(Returned.after(Transition::Resubmit), Ok(Received));
        assert!(Adopted.after(Transition::Withdraw).is_err());
        assert!(Received.after(Transition::Resubmit).is_err());
    }
}
