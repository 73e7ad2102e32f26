//! The printable approval sheet (信息报送审批单（保密审查单）): the item's
//! registration record (登记) as the signed paper form offices keep with
//! each item, as an A4 PDF with the CJK font embedded.
//!
//! `content` decides what the sheet says, `layout` where it goes on the
//! page, `font` which font sets it.

mod content;
mod font;
mod layout;

use chrono::{DateTime, Utc};
use krilla::Document;
use krilla::metadata::Metadata;
use krilla::text::Font;
use thiserror::Error;

pub use font::{FONT_ENV, FontSource};

use crate::Lang;
use crate::model::RegistrationRecord;

/// Why the sheet could not be made. `Display` gives the zh-CN message
/// with the English after it; [`SheetError::message`] one language.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SheetError {
    /// No font given and none of the known CJK fonts installed.
    NoCjkFont,
    FontUnreadable {
        path: std::path::PathBuf,
        reason: String,
    },
    /// The font (file name, or `<bytes>`) lacks the characters the sheet needs.
    NotCjk(String),
    BadFont(String),
    Pdf(String),
    /// The PDF could not be saved (the path, the system's reason).
    Write {
        path: String,
        reason: String,
    },
}

impl std::fmt::Display for SheetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.message(Lang::Zh), self.message(Lang::En))
    }
}

impl SheetError {
    /// A stable code for programs and tests.
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::NoCjkFont => "no_cjk_font",
            SheetError::FontUnreadable { .. } => "font_unreadable",
            SheetError::NotCjk(_) => "font_not_cjk",
            SheetError::BadFont(_) => "bad_font",
            SheetError::Pdf(_) => "pdf",
            SheetError::Write { .. } => "write",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SheetError::NoCjkFont, Lang::Zh) => format!(
                "找不到中文字体，无法生成审批单。请安装 fonts-noto-cjk，或用环境变量 {FONT_ENV} 指定字体文件。"
            ),
            (SheetError::NoCjkFont, Lang::En) => format!(
                "no CJK font found for the approval sheet: install fonts-noto-cjk, or point {FONT_ENV} at a font file"
            ),
            (SheetError::FontUnreadable { path, reason }, Lang::Zh) => {
                format!("无法读取字体文件 {}：{reason}", path.display())
            }
            (SheetError::FontUnreadable { path, reason }, Lang::En) => {
                format!("cannot read font file {}: {reason}", path.display())
            }
            (SheetError::NotCjk(name), Lang::Zh) => {
                format!("字体 {name} 不含中文字形，不能用于审批单。")
            }
            (SheetError::NotCjk(name), Lang::En) => {
                format!("font {name} has no Chinese glyphs")
            }
            (SheetError::BadFont(e), Lang::Zh) => format!("字体无法使用：{e}"),
            (SheetError::BadFont(e), Lang::En) => format!("unusable font: {e}"),
            (SheetError::Pdf(e), Lang::Zh) => format!("生成 PDF 失败：{e}"),
            (SheetError::Pdf(e), Lang::En) => format!("could not write the PDF: {e}"),
            (SheetError::Write { path, reason }, Lang::Zh) => {
                format!("无法保存审批单 {path}：{reason}")
            }
            (SheetError::Write { path, reason }, Lang::En) => {
                format!("cannot save the approval sheet {path}: {reason}")
            }
        }
    }
}

/// The title printed on the sheet.
pub const SHEET_TITLE: &str = "信息报送审批单（保密审查单）";

/// The sheet of `record` as PDF bytes, generated now.
pub fn render_pdf(record: &RegistrationRecord, font: &FontSource) -> Result<Vec<u8>, SheetError> {
    render_pdf_at(record, font, Utc::now())
}

/// Renders the sheet of `record` and saves it as `file`: written beside it
/// first, then renamed, so nobody ever opens half a PDF and a failure leaves
/// any earlier file as it was. Returns the PDF's size in bytes.
pub fn export_pdf(
    record: &RegistrationRecord,
    font: &FontSource,
    file: &std::path::Path,
) -> Result<usize, SheetError> {
    let pdf = render_pdf(record, font)?;
    let failed = |e: std::io::Error| SheetError::Write {
        path: file.display().to_string(),
        reason: e.to_string(),
    };
    let mut tmp = file.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, &pdf).map_err(failed)?;
    std::fs::rename(&tmp, file).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        failed(e)
    })?;
    Ok(pdf.len())
}

/// As [`render_pdf`], with the generation time given (for reproducible output).
pub fn render_pdf_at(
    record: &RegistrationRecord,
    font: &FontSource,
    generated_at: DateTime<Utc>,
) -> Result<Vec<u8>, SheetError> {
    let sheet_font = font::SheetFont::load(font)?;
    let metrics = sheet_font.metrics()?;
    let pdf_font = Font::new(sheet_font.data.clone().into(), sheet_font.index)
        .ok_or_else(|| SheetError::BadFont("krilla".into()))?;
    let pages = content::lay_out(record, &metrics, generated_at);
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{SHEET_TITLE} {}", record.title))
            .creator("Baosong 报送".into())
            .language("zh-CN".into()),
    );
    layout::draw(&mut document, &pdf_font, &pages);
    document
        .finish()
        .map_err(|e| SheetError::Pdf(format!("{e:?}")))
}
