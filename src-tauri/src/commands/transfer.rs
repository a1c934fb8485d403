//! Conversations to and from files: export (Markdown, Confab JSON) and import (Confab JSON,
//! ChatGPT's conversations.json) with progress over a channel.

use std::path::PathBuf;

use confab_core::AppError;
use confab_core::transfer::{
    self, ExportFormat, ExportSummary, ImportEvent, ImportKind, ImportLimits, ImportSummary,
};
use tauri::State;
use tauri::ipc::Channel;

use crate::AppState;

/// Writes the conversations `ids` (every conversation when `None`) to `path` as `format`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, ids), fields(count = ids.as_ref().map(Vec::len)), err(Debug))]
pub async fn export_conversations(
    state: State<'_, AppState>,
    ids: Option<Vec<String>>,
    format: ExportFormat,
    path: String,
) -> Result<ExportSummary, AppError> {
    let db = state.engine.db().conn();
    Ok(transfer::export_to_file(db, ids.as_deref(), format, &PathBuf::from(path)).await?)
}

/// Imports the file at `path` as `kind`, all or nothing; progress goes to `channel`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, channel), err(Debug))]
pub async fn import_conversations(
    state: State<'_, AppState>,
    path: String,
    kind: ImportKind,
    channel: Channel<ImportEvent>,
) -> Result<ImportSummary, AppError> {
    let db = state.engine.db().conn();
    let report = |event: ImportEvent| {
        // A closed window only stops the progress, not the import.
        let _ = channel.send(event);
    };
    Ok(transfer::import_file(
        db,
        &PathBuf::from(path),
        kind,
        ImportLimits::default(),
        report,
    )
    .await?)
}
