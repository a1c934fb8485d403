//! The database file itself: how start-up went, backups, restore, sizes and health.

use std::path::Path;

use confab_core::api::Storage;
use confab_core::startup::{StartupStatus, StorageInfo};
use confab_core::store::backup::BackupInfo;
use confab_core::{AppError, Error};
use tauri::{AppHandle, Manager, State};

/// How the database came up: `opening` while it still opens (nothing else answers yet),
/// then `ok`, `restored_backup` or `recovery_needed` (then only these storage commands work,
/// and the UI offers a backup to restore).
#[tauri::command]
#[specta::specta]
pub fn get_startup_status(app: AppHandle) -> Result<StartupStatus, AppError> {
    if let Some(storage) = app.try_state::<Storage>() {
        return Ok(storage.startup_status());
    }
    let path =
        crate::state::db_path(&app).map_err(|error| Error::internal("no data folder", error))?;
    Ok(StartupStatus::opening(&path))
}

/// A consistent copy of the database while the app runs: to `path` (a new file) or, when
/// none is given, into the backups folder.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(storage), err(Debug))]
pub async fn backup_database(
    storage: State<'_, Storage>,
    path: Option<String>,
) -> Result<BackupInfo, AppError> {
    Ok(storage
        .backup_database(path.as_deref().map(Path::new))
        .await?)
}

/// The copies in the backups folder, newest first.
#[tauri::command]
#[specta::specta]
pub fn list_backups(storage: State<'_, Storage>) -> Result<Vec<BackupInfo>, AppError> {
    Ok(storage.list_backups()?)
}

/// Restores `path` (after the UI's confirmation): the backup is checked, the current file
/// is kept as a `pre-restore` copy, and the swap happens as the app restarts, while
/// nothing has the database open.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(app, storage), err(Debug))]
pub async fn restore_backup(
    app: AppHandle,
    storage: State<'_, Storage>,
    path: String,
) -> Result<(), AppError> {
    storage.schedule_restore(Path::new(&path)).await?;
    app.request_restart();
    Ok(())
}

/// Restarts the app, e.g. after the person freed disk space or closed the program that held
/// the database, from the recovery screen.
#[tauri::command]
#[specta::specta]
pub fn restart_app(app: AppHandle) {
    tracing::info!("restart asked for");
    app.request_restart();
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(storage), err(Debug))]
pub async fn get_storage_info(storage: State<'_, Storage>) -> Result<StorageInfo, AppError> {
    Ok(storage.get_storage_info().await?)
}
