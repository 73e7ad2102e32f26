//! Checking attachments: the text a file shows, and the text it hides.
//!
//! The engine does not open files (it does no IO). `baosong-files` reads a
//! .docx, .xlsx, .pdf or image and describes it as a [`DocumentScan`]: the
//! text in [`TextPart`]s, each marked with what kind of text it is (visible,
//! a comment, a tracked deletion, a hidden sheet …), and [`Fact`]s about
//! the file that are not text (a GPS position in a photo, text that could not
//! be extracted). [`crate::Checker::check_with_attachments`] runs every
//! detector over every part, and adds a finding for each piece of hidden
//! content itself: a comment is a leak even when its words are harmless,
//! because the portal publishes the file as it is.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::finding::{Message, Severity};

/// What kind of text a [`TextPart`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PartKind {
    /// What a reader of the file sees: paragraphs, cells, PDF page text.
    Visible,
    /// A reviewer's comment (批注).
    Comment,
    /// Text a tracked change inserted and nobody accepted yet.
    TrackedInsertion,
    /// Text a tracked change deleted: the original wording, still in the file.
    TrackedDeletion,
    /// Text formatted as hidden (Word's 隐藏文字).
    HiddenText,
    /// The cells of a hidden worksheet.
    HiddenSheet,
    /// Cells in hidden rows or columns.
    HiddenCells,
    /// A property that names people or organisations: author, last modified
    /// by, company, manager, custom properties.
    PersonalProperty,
    /// A descriptive property: title, subject, keywords, description.
    DocumentProperty,
}

impl PartKind {
    /// The stable code, as serialised.
    pub fn code(self) -> &'static str {
        match self {
            PartKind::Visible => "visible",
            PartKind::Comment => "comment",
            PartKind::TrackedInsertion => "tracked_insertion",
            PartKind::TrackedDeletion => "tracked_deletion",
            PartKind::HiddenText => "hidden_text",
            PartKind::HiddenSheet => "hidden_sheet",
            PartKind::HiddenCells => "hidden_cells",
            PartKind::PersonalProperty => "personal_property",
            PartKind::DocumentProperty => "document_property",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            PartKind::Visible => "正文",
            PartKind::Comment => "批注",
            PartKind::TrackedInsertion => "修订（插入）",
            PartKind::TrackedDeletion => "修订（删除）",
            PartKind::HiddenText => "隐藏文字",
            PartKind::HiddenSheet => "隐藏工作表",
            PartKind::HiddenCells => "隐藏行列",
            PartKind::PersonalProperty => "文档属性（个人信息）",
            PartKind::DocumentProperty => "文档属性",
        }
    }

    /// The finding for the presence of this kind of content, if it is one:
    /// rule, severity and message. Visible text and descriptive properties
    /// are only checked for what they say.
    fn presence(self) -> Option<(&'static str, Severity, &'static str, &'static str)> {
        Some(match self {
            PartKind::Visible | PartKind::DocumentProperty => return None,
            PartKind::Comment => (
                "attachment.comment",
                Severity::Blocker,
                "附件含批注，会随文件一起公开；请“一键清理”后再送审",
                "The attachment contains comments, which would be published with it; clean it first",
            ),
            PartKind::TrackedInsertion => (
                "attachment.tracked_insertion",
                Severity::Blocker,
                "附件含未接受的修订（插入），修订前后的文字都会随文件公开；请“一键清理”",
                "The attachment contains unaccepted tracked insertions; clean it first",
            ),
            PartKind::TrackedDeletion => (
                "attachment.tracked_deletion",
                Severity::Blocker,
                "附件含修订记录，被删除的原文仍在文件中；请“一键清理”",
                "The attachment still holds text deleted with tracked changes; clean it first",
            ),
            PartKind::HiddenText => (
                "attachment.hidden_text",
                Severity::Blocker,
                "附件含隐藏文字，读者看不到但文件里有；请“一键清理”",
                "The attachment contains hidden text; clean it first",
            ),
            PartKind::HiddenSheet => (
                "attachment.hidden_sheet",
                Severity::Error,
                "附件含隐藏的工作表，公开后任何人都能取消隐藏；请删除或确认无误",
                "The workbook has a hidden sheet that anyone can unhide; remove it or confirm",
            ),
            PartKind::HiddenCells => (
                "attachment.hidden_cells",
                Severity::Error,
                "附件含隐藏的行或列，公开后任何人都能取消隐藏；请删除或确认无误",
                "The workbook has hidden rows or columns; remove them or confirm",
            ),
            PartKind::PersonalProperty => (
                "attachment.personal_property",
                Severity::Error,
                "附件的文档属性含个人或单位信息（作者、公司等）；请“一键清理”或确认无误",
                "The attachment's properties name people or organisations; clean them or confirm",
            ),
        })
    }
}

/// A piece of text in an attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TextPart {
    pub kind: PartKind,
    /// Where it is, for people: `第 2 页`, `批注 1（张三）`, `Sheet2!A1`, `作者`.
    pub location: String,
    pub text: String,
}

/// Something about a file that is not text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FactKind {
    /// A photo's GPS position (EXIF or XMP).
    GpsPosition,
    /// The camera or phone: serial number, owner name, make and model.
    DeviceInfo,
    /// Other metadata in an image: author, software, comments, times.
    ImageMetadata,
    /// Text that could not be extracted (a scanned page, a font without a
    /// Unicode map the standard CMaps do not cover): a person must read it.
    TextNotExtracted,
    /// Part of the file could not be read, so it was not fully checked.
    Unreadable,
}

impl FactKind {
    fn finding(self) -> (&'static str, Severity, &'static str, &'static str) {
        match self {
            FactKind::GpsPosition => (
                "attachment.gps",
                Severity::Blocker,
                "图片含拍摄地点（GPS 坐标）；请清除图片元数据",
                "The image records where it was taken (GPS); strip its metadata",
            ),
            FactKind::DeviceInfo => (
                "attachment.device",
                Severity::Error,
                "图片含拍摄设备信息（序列号、机主等）；请清除图片元数据或确认无误",
                "The image names the camera or phone (serial number, owner); strip its metadata or confirm",
            ),
            FactKind::ImageMetadata => (
                "attachment.image_metadata",
                Severity::Warning,
                "图片含其他元数据（作者、软件、时间等）",
                "The image carries other metadata (author, software, times)",
            ),
            FactKind::TextNotExtracted => (
                "attachment.text_not_extracted",
                Severity::Error,
                "附件中有文字无法提取，无法自动检查；请人工通读后确认",
                "Some text in the attachment could not be extracted and was not checked; read it and confirm",
            ),
            FactKind::Unreadable => (
                "attachment.unreadable",
                Severity::Error,
                "附件有部分内容无法读取，未能完整检查；请人工检查后确认",
                "Part of the attachment could not be read and was not fully checked; check it and confirm",
            ),
        }
    }
}

/// A fact about a file, with what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Fact {
    pub kind: FactKind,
    /// What it is, for people: `GPS`, `相机序列号`, `第 3 页`.
    pub label: String,
    /// The value as found (a position, a serial number), or empty.
    pub value: String,
}

/// What a file holds, as the checks need it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentScan {
    pub parts: Vec<TextPart>,
    pub facts: Vec<Fact>,
}

impl DocumentScan {
    /// Whether there is anything hidden: any part that is not visible text
    /// or a descriptive property, or any fact.
    pub fn has_hidden_content(&self) -> bool {
        !self.facts.is_empty() || self.parts.iter().any(|p| p.kind.presence().is_some())
    }
}

/// One attachment to check.
#[derive(Debug, Clone, Copy)]
pub struct AttachmentInput<'a> {
    /// Lowercase hex SHA-256 of the file.
    pub sha256: &'a str,
    /// The file name as shown to readers.
    pub name: &'a str,
    /// `image/jpeg`, `application/pdf`, …
    pub media_type: &'a str,
    /// The image's alternative text (images only; empty when missing).
    pub alt: &'a str,
    pub scan: &'a DocumentScan,
}

/// Where in which attachment a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttachmentSpot {
    /// Position in the item's attachment list, from 0.
    pub index: u32,
    pub name: String,
    pub sha256: String,
    /// The kind of text the finding is in; absent for facts about the file.
    pub part: Option<PartKind>,
    /// The part's or fact's location, for people.
    pub location: String,
}

/// The finding for a piece of hidden content or a fact: rule, severity and
/// message, or `None` when the part is ordinary text.
pub(crate) fn presence_of_part(part: &TextPart) -> Option<(&'static str, Severity, Message)> {
    let (rule, severity, zh, en) = part.kind.presence()?;
    Some((rule, severity, Message::new(zh, en)))
}

pub(crate) fn finding_for_fact(fact: &Fact) -> (&'static str, Severity, Message) {
    let (rule, severity, zh, en) = fact.kind.finding();
    (rule, severity, Message::new(zh, en))
}

/// The warning for an image without alternative text.
pub(crate) fn missing_alt() -> (&'static str, Severity, Message) {
    (
        "attachment.alt_missing",
        Severity::Warning,
        Message::new(
            "图片缺少替代文字（无障碍要求）；请填写图片说明",
            "The image has no alternative text (accessibility); describe it",
        ),
    )
}

pub(crate) fn is_image(media_type: &str) -> bool {
    media_type.starts_with("image/")
}
