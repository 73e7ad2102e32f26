//! The registration record (登记) of an item and its printable approval sheet
//! (信息报送审批单 / 保密审查单): what the record commands do, over
//! `baosong-core`'s `registration_record` and `sheet` (the facts and the
//! layout live there).

use std::path::PathBuf;
use std::sync::Arc;

use baosong_core::model::RegistrationRecord;
use baosong_core::sheet::{FontSource, SheetError, export_pdf};
use baosong_core::{Lang, UserError};

use crate::commands::run_blocking;
use crate::state::{AppState, worker_failed};

/// Where an exported sheet went.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportedSheet {
    /// The PDF file, for the notice shown to the user.
    pub path: String,
    pub bytes: u32,
}

pub async fn registration_record(
    state: Arc<AppState>,
    id: String,
) -> Result<RegistrationRecord, UserError> {
    run_blocking(state, move |s| {
        let id = s.resolve_id(&id)?;
        s.registration_record(id)
    })
    .await
}

/// Saves the sheet as a PDF in `dir` (the user's documents folder), named
/// after the item, and says where.
pub async fn export_sheet(
    state: Arc<AppState>,
    id: String,
    dir: PathBuf,
) -> Result<ExportedSheet, UserError> {
    let record = registration_record(state, id).await?;
    tauri::async_runtime::spawn_blocking(move || {
        std::fs::create_dir_all(&dir).map_err(|e| {
            sheet_error(SheetError::Write {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })
        })?;
        let file = dir.join(file_name(&record));
        let bytes = export_pdf(&record, &FontSource::System, &file).map_err(sheet_error)?;
        Ok(ExportedSheet {
            path: file.display().to_string(),
            bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
        })
    })
    .await
    .map_err(|e| worker_failed(&e.to_string()))?
}

/// `信息报送审批单-<first 8 of the id>-第<revision>版.pdf`: unique per
/// revision, and free of anything a title could bring into a path.
fn file_name(record: &RegistrationRecord) -> String {
    let id = record.item_id.to_string();
    let short = id.get(..8).unwrap_or(&id);
    format!("信息报送审批单-{short}-第{}版.pdf", record.revision)
}

fn sheet_error(e: SheetError) -> UserError {
    UserError {
        code: e.code().into(),
        zh: e.message(Lang::Zh),
        en: e.message(Lang::En),
    }
}
