//! Attaching files and showing what is stored of them.

use confab_core::AppError;
use confab_core::api::{Api, AttachmentText};
use confab_core::vocab::Part;
use tauri::State;

/// Reads the file at `path` (dropped or chosen) into an attachment; `attach_id` names the
/// read for `cancel_attach`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, path), err(Debug))]
pub async fn attach_path(
    api: State<'_, Api>,
    attach_id: String,
    path: String,
) -> Result<Part, AppError> {
    Ok(api.attach_path(&attach_id, &path).await?)
}

/// Reads a pasted file, given as base64, into an attachment.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, name, data_base64), err(Debug))]
pub async fn attach_bytes(
    api: State<'_, Api>,
    attach_id: String,
    name: String,
    data_base64: String,
) -> Result<Part, AppError> {
    Ok(api.attach_bytes(&attach_id, &name, data_base64).await?)
}

/// Stops the read `attach_id`; it ends with the problem `cancelled`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api))]
pub fn cancel_attach(api: State<'_, Api>, attach_id: String) {
    api.cancel_attach(&attach_id);
}

/// The first `max_chars` characters of the text read out of a document.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn attachment_text(
    api: State<'_, Api>,
    sha256: String,
    max_chars: u32,
) -> Result<AttachmentText, AppError> {
    Ok(api.attachment_text(&sha256, max_chars).await?)
}

/// A stored image as a `data:` URL.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn image_data_url(api: State<'_, Api>, sha256: String) -> Result<String, AppError> {
    Ok(api.image_data_url(&sha256).await?)
}
