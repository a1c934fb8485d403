//! Where the database file lives: the one start-up fact that needs the app's handle.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};

/// `CONFAB_DB`, or `confab.db` in the OS app-data dir.
pub fn db_path(app: &AppHandle) -> Result<PathBuf, tauri::Error> {
    Ok(match std::env::var_os("CONFAB_DB") {
        Some(path) => PathBuf::from(path),
        None => app.path().app_data_dir()?.join("confab.db"),
    })
}
