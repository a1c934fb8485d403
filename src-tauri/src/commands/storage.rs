//! The database file itself: how start-up went, backups, restore, sizes and health.

use std::path::{Path, PathBuf};

use confab_core::startup::{self, StartupStatus, StorageInfo};
use confab_core::store::backup::{self, BackupInfo, BackupKind};
use confab_core::{AppError, Error};
use tauri::{AppHandle, Manager, State};

use crate::state::Storage;

/// How the database came up: `opening` while it still opens (nothing else answers yet),
/// then `ok`, `restored_backup` or `recovery_needed` (then only these storage commands work,
/// and the UI offers a backup to restore).
#[tauri::command]
#[specta::specta]
pub fn get_startup_status(app: AppHandle) -> Result<StartupStatus, AppError> {
    let Some(storage) = app.try_state::<Storage>() else {
        let path = crate::state::db_path(&app)
            .map_err(|error| Error::internal("no data folder", error))?;
        return Ok(StartupStatus::opening(&path));
    };
    let mut status = storage.startup.clone();
    if let Ok(backups) = backup::list(&storage.db_path) {
        status.backups = backups;
    }
    Ok(status)
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
    let db = storage.db()?;
    let copy = match path {
        Some(path) => backup::copy_to(db.conn(), Path::new(&path)).await?,
        None => backup::create(db.conn(), &storage.db_path, BackupKind::Manual).await?,
    };
    Ok(copy)
}

/// The copies in the backups folder, newest first.
#[tauri::command]
#[specta::specta]
pub fn list_backups(storage: State<'_, Storage>) -> Result<Vec<BackupInfo>, AppError> {
    Ok(backup::list(&storage.db_path)?)
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
    backup::schedule_restore(&storage.db_path, &PathBuf::from(path)).await?;
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
    Ok(startup::storage_info(&storage.db_path, storage.db.as_ref()).await?)
}

impl Storage {
    fn db(&self) -> Result<&confab_core::store::Db, Error> {
        self.db
            .as_ref()
            .ok_or_else(|| Error::Unavailable("the database is not open (recovery needed)"))
    }
}
