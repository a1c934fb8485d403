//! The log folder and the diagnostics report.

use std::path::PathBuf;

use confab_core::diagnostics::{self, KeychainCheck, LogInfo, ReportInput};
use confab_core::store::startup;
use confab_core::{AppError, Error};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;

use crate::AppState;
use crate::state::Storage;

fn log_dir(app: &AppHandle) -> Result<PathBuf, Error> {
    app.path()
        .app_log_dir()
        .map_err(|error| Error::Internal(format!("no log folder: {error}")))
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(app), err(Debug))]
pub fn get_log_info(app: AppHandle) -> Result<LogInfo, AppError> {
    Ok(diagnostics::log_info(&log_dir(&app)?)?)
}

/// Shows the log folder in the system's file manager.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(app), err(Debug))]
pub fn open_log_folder(app: AppHandle) -> Result<(), AppError> {
    let dir = log_dir(&app)?;
    confab_core::store::private::own_dir(&dir)
        .map_err(|error| Error::Internal(format!("{}: {error}", dir.display())))?;
    app.opener()
        .open_path(dir.to_string_lossy(), None::<&str>)
        .map_err(|error| Error::Internal(format!("the log folder could not be opened: {error}")))?;
    Ok(())
}

/// Writes the diagnostics report to `path`; returns its size in bytes.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(app, storage), err(Debug))]
pub async fn export_diagnostics(
    app: AppHandle,
    storage: State<'_, Storage>,
    path: String,
) -> Result<u64, AppError> {
    let storage_info = startup::storage_info(&storage.db_path, storage.db.as_ref()).await?;
    let skipped_replies = app
        .try_state::<AppState>()
        .map(|state| state.skipped_replies.clone())
        .unwrap_or_default();
    let keychain = match app.try_state::<AppState>() {
        Some(state) => {
            let keychain = state.keychain.clone();
            // Only whether the read worked is kept; the key itself is dropped here.
            let read = tauri::async_runtime::spawn_blocking(move || {
                keychain
                    .get(&confab_core::providers::builtin::key_account())
                    .map(|_| ())
            })
            .await
            .map_err(|error| Error::Internal(format!("keychain task: {error}")))?;
            KeychainCheck {
                reachable: read.is_ok(),
                error: read.err().map(|error| error.to_string()),
            }
        }
        None => KeychainCheck {
            reachable: false,
            error: Some("not checked: the database is not open (recovery needed)".into()),
        },
    };
    let input = ReportInput {
        app_version: app.package_info().version.to_string(),
        storage: storage_info,
        keychain,
        log_dir: log_dir(&app).ok(),
        skipped_replies,
    };
    Ok(diagnostics::write_report(&PathBuf::from(path), input)?)
}
