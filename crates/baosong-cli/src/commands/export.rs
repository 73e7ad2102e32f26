//! record / export sheet: an item's registration record (登记), and its
//! printable approval sheet (信息报送审批单（保密审查单）) as PDF.

use std::path::{Path, PathBuf};

use baosong_core::model::RegistrationRecord;
use baosong_core::sheet::{FontSource, export_pdf};
use baosong_core::{Lang, Store};

use crate::error::CliError;
use crate::output::{Out, short_time};

/// `baosong record ID`: the record as text, or JSON with `--json`.
pub fn record(store: &Store, out: &mut Out, id: &str) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let record = store.registration_record(id)?;
    out.emit(&record, |lang| human(&record, lang))
}

/// `baosong export sheet ID --out FILE.pdf`: writes the sheet, replacing
/// the file only once the whole PDF is written.
pub fn sheet(
    store: &Store,
    out: &mut Out,
    id: &str,
    file: &Path,
    font: Option<PathBuf>,
) -> Result<(), CliError> {
    let id = store.resolve_id(id)?;
    let record = store.registration_record(id)?;
    let source = font.map_or(FontSource::System, FontSource::File);
    let bytes = export_pdf(&record, &source, file).map_err(CliError::Sheet)?;
    let shown = file.display().to_string();
    out.emit(
        &serde_json::json!({ "item_id": id, "file": shown, "bytes": bytes }),
        |lang| match lang {
            Lang::Zh => format!("审批单已保存：{shown}"),
            Lang::En => format!("approval sheet written: {shown}"),
        },
    )
}

fn human(r: &RegistrationRecord, lang: Lang) -> String {
    let none = match lang {
        Lang::Zh => "（无）",
        Lang::En => "(none)",
    };
    let zh = lang == Lang::Zh;
    let label =
        |zh_label: &'static str, en_label: &'static str| if zh { zh_label } else { en_label };
    let mut lines = vec![
        format!("{}: {}", label("标题", "Title"), r.title),
        format!(
            "{}: {}  {}: {}  {}: {}",
            label("编号", "Id"),
            r.item_id,
            label("修订", "Revision"),
            r.revision,
            label("状态", "State"),
            r.state.label(lang)
        ),
        format!("{}: {}", label("栏目", "Column"), r.column),
        format!("{}: {}", label("来源单位", "Source unit"), r.source_unit),
        format!(
            "{}: {} {}",
            label("执笔人", "Author"),
            r.author,
            r.author_phone
        ),
    ];
    lines.push(match &r.secrecy_review {
        Some(s) => format!(
            "{}: {} {}  ({} {} / {} {} / {} {})",
            label("保密审查", "Secrecy review"),
            s.by,
            short_time(&s.at),
            label("阻断", "blockers"),
            s.summary.blockers,
            label("错误", "errors"),
            s.summary.errors,
            label("警告", "warnings"),
            s.summary.warnings
        ),
        None => format!("{}: {none}", label("保密审查", "Secrecy review")),
    });
    if let Some(s) = &r.secrecy_review {
        for f in &s.summary.decided {
            let decision = match f.decision {
                Some(d) => format!("{d:?}").to_lowercase(),
                None => none.to_string(),
            };
            lines.push(format!(
                "  - {} “{}”: {} {}",
                f.rule,
                f.matched,
                decision,
                f.reason.as_deref().unwrap_or("")
            ));
        }
    }
    lines.push(match &r.sent_for_review {
        Some(s) => format!(
            "{}: {} → {}  {}  {}",
            label("送审", "Sent for review"),
            s.by_name,
            s.to_name.as_deref().or(s.to_user.as_deref()).unwrap_or("*"),
            short_time(&s.at),
            s.note
        ),
        None => format!("{}: {none}", label("送审", "Sent for review")),
    });
    lines.push(match &r.signoff {
        Some(s) => format!(
            "{}: {} ({})  {}  {}: {}  {}: {}",
            label("签发", "Signed off"),
            s.signer_name,
            s.signer,
            short_time(&s.signed_at),
            label("意见", "opinion"),
            s.opinion,
            label("密钥指纹", "key"),
            s.key_fingerprint
        ),
        None => format!("{}: {none}", label("签发", "Signed off")),
    });
    lines.push(format!(
        "{}: {}",
        label("报送", "Submitted"),
        r.submitted_at
            .map(|t| short_time(&t))
            .unwrap_or_else(|| none.to_string())
    ));
    for (step, s) in r.portal.labelled() {
        if let Some(s) = s {
            let extra = s.url.as_deref().or(s.reason.as_deref()).unwrap_or("");
            lines.push(format!("  {step}: {} {} {extra}", short_time(&s.at), s.by));
        }
    }
    lines.join("\n")
}
