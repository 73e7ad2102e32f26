use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ItemId;
use crate::i18n::Lang;

/// The target column (栏目) on the portal. Until the portal connector exists the
/// id is whatever the unit uses; the name is what people read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ColumnRef {
    pub id: String,
    pub name: String,
}

/// 紧急程度.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Urgency {
    /// 普通
    #[default]
    Normal,
    /// 紧急
    Urgent,
}

/// 公开属性.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DisclosureKind {
    /// 主动公开
    #[default]
    Proactive,
    /// 依申请公开
    OnRequest,
    /// 不予公开 (needs a reason)
    Withheld,
}

/// 有效性.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Validity {
    /// 有效
    #[default]
    Valid,
    /// 已修订
    Amended,
    /// 已废止
    Repealed,
}

/// The 政府信息公开目录 metadata of an item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Disclosure {
    pub kind: DisclosureKind,
    /// Why the item is 不予公开; required for that kind, empty otherwise.
    pub withheld_reason: String,
    /// 文号, e.g. 武政办发〔2016〕35号.
    pub doc_number: String,
    /// 成文日期 (for official documents the signing date).
    #[ts(type = "string | null")]
    pub written_date: Option<NaiveDate>,
    /// 主题分类
    pub topic_category: String,
    /// 体裁分类
    pub genre_category: String,
    pub validity: Validity,
}

/// Everything a person edits in an item. A revision is a snapshot of this.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct ItemContent {
    pub title: String,
    pub column: ColumnRef,
    /// The body as GitHub-flavoured Markdown.
    pub body: String,
    /// 内容概述
    pub summary: String,
    /// 执笔人
    pub author: String,
    pub author_phone: String,
    /// 来源单位
    pub source_unit: String,
    /// 主题词
    pub keywords: Vec<String>,
    pub urgency: Urgency,
    pub disclosure: Disclosure,
    /// 附件, in order. The files are in the blob store, by hash.
    pub attachments: Vec<super::AttachmentEntry>,
}

/// Where an item stands in the reporting workflow. The legal moves between
/// states live in [`crate::workflow`], nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemState {
    Draft,
    AwaitingSignoff,
    SignedOff,
    Queued,
    Submitted,
    InReview,
    Adopted,
    Published,
    Returned,
    NotAdopted,
    Withdrawn,
}

impl ItemState {
    pub const ALL: [ItemState; 11] = [
        ItemState::Draft,
        ItemState::AwaitingSignoff,
        ItemState::SignedOff,
        ItemState::Queued,
        ItemState::Submitted,
        ItemState::InReview,
        ItemState::Adopted,
        ItemState::Published,
        ItemState::Returned,
        ItemState::NotAdopted,
        ItemState::Withdrawn,
    ];

    /// The stable machine name, as stored and as accepted by `--state`.
    pub fn code(self) -> &'static str {
        match self {
            ItemState::Draft => "draft",
            ItemState::AwaitingSignoff => "awaiting_signoff",
            ItemState::SignedOff => "signed_off",
            ItemState::Queued => "queued",
            ItemState::Submitted => "submitted",
            ItemState::InReview => "in_review",
            ItemState::Adopted => "adopted",
            ItemState::Published => "published",
            ItemState::Returned => "returned",
            ItemState::NotAdopted => "not_adopted",
            ItemState::Withdrawn => "withdrawn",
        }
    }

    /// Parses a machine name or the Chinese label (草稿, 已发布, …).
    pub fn parse(s: &str) -> Option<ItemState> {
        let s = s.trim();
        ItemState::ALL
            .into_iter()
            .find(|st| st.code() == s || st.label(Lang::Zh) == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ItemState::Draft, Lang::Zh) => "草稿",
            (ItemState::AwaitingSignoff, Lang::Zh) => "待签发",
            (ItemState::SignedOff, Lang::Zh) => "已签发",
            (ItemState::Queued, Lang::Zh) => "待报送",
            (ItemState::Submitted, Lang::Zh) => "已报送",
            (ItemState::InReview, Lang::Zh) => "审核中",
            (ItemState::Adopted, Lang::Zh) => "已采用",
            (ItemState::Published, Lang::Zh) => "已发布",
            (ItemState::Returned, Lang::Zh) => "退回",
            (ItemState::NotAdopted, Lang::Zh) => "未采用",
            (ItemState::Withdrawn, Lang::Zh) => "已撤回",
            (ItemState::Draft, Lang::En) => "Draft",
            (ItemState::AwaitingSignoff, Lang::En) => "Awaiting sign-off",
            (ItemState::SignedOff, Lang::En) => "Signed off",
            (ItemState::Queued, Lang::En) => "Queued",
            (ItemState::Submitted, Lang::En) => "Submitted",
            (ItemState::InReview, Lang::En) => "In review",
            (ItemState::Adopted, Lang::En) => "Adopted",
            (ItemState::Published, Lang::En) => "Published",
            (ItemState::Returned, Lang::En) => "Returned",
            (ItemState::NotAdopted, Lang::En) => "Not adopted",
            (ItemState::Withdrawn, Lang::En) => "Withdrawn",
        }
    }
}

/// A stored item: its content plus where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Item {
    pub id: ItemId,
    pub content: ItemContent,
    pub state: ItemState,
    /// The portal's reason when the item was returned (退回原因).
    pub returned_reason: Option<String>,
    /// The public address once published.
    pub published_url: Option<String>,
    /// Increases by one on every save that changes the item.
    pub revision: u32,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// One row of the item list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemSummary {
    pub id: ItemId,
    pub title: String,
    pub column_name: String,
    pub state: ItemState,
    pub urgency: Urgency,
    pub revision: u32,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}
