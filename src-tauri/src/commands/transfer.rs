//! Conversations to and from files: export (Markdown, Confab JSON) and import (Confab JSON,
//! ChatGPT's conversations.json) with progress over a channel.

use std::path::Path;

use confab_core::AppError;
use confab_core::api::Api;
use confab_core::transfer::{ExportFormat, ExportSummary, ImportEvent, ImportKind, ImportSummary};
use tauri::State;
use tauri::ipc::Channel;

/// Writes the conversations `ids` (every conversation when `None`) to `path` as `format`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, ids), fields(count = ids.as_ref().map(Vec::len)), err(Debug))]
pub async fn export_conversations(
    api: State<'_, Api>,
    ids: Option<Vec<String>>,
    format: ExportFormat,
    path: String,
) -> Result<ExportSummary, AppError> {
    Ok(api
        .export_conversations(ids.as_deref(), format, Path::new(&path))
        .await?)
}

/// Imports the file at `path` as `kind`, all or nothing; progress goes to `channel`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, channel), err(Debug))]
pub async fn import_conversations(
    api: State<'_, Api>,
    path: String,
    kind: ImportKind,
    channel: Channel<ImportEvent>,
) -> Result<ImportSummary, AppError> {
    let report = |event: ImportEvent| {
        // A closed window only stops the progress, not the import.
        let _ = channel.send(event);
    };
    Ok(api
        .import_conversations(Path::new(&path), kind, report)
        .await?)
}
