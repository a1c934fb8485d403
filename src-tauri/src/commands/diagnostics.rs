//! The log folder and the diagnostics report.

use std::path::{Path, PathBuf};

use confab_core::api::{Api, AppFacts, Storage, prepare_log_folder};
use confab_core::diagnostics::{self, LogInfo};
use confab_core::{AppError, Error};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;

fn log_dir(app: &AppHandle) -> Result<PathBuf, Error> {
    app.path()
        .app_log_dir()
        .map_err(|error| Error::internal("no log folder", error))
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
    prepare_log_folder(&dir)?;
    app.opener()
        .open_path(dir.to_string_lossy(), None::<&str>)
        .map_err(|error| Error::internal("the log folder could not be opened", error))?;
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
    let facts = AppFacts {
        app_version: app.package_info().version.to_string(),
        log_dir: log_dir(&app).ok(),
    };
    let api = app.try_state::<Api>();
    Ok(storage
        .export_diagnostics(api.as_deref(), facts, Path::new(&path))
        .await?)
}
