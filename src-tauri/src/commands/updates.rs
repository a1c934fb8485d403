//! Updates of Confab itself (see `crate::updater`): the version that runs, a check, the
//! install with its progress. The restart afterwards is `storage::restart_app`.

use confab_core::AppError;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::updater::{self, AppVersion, UpdateEvent, UpdateInfo, Updates};

/// The version that runs, and whether this copy can update itself.
#[tauri::command]
#[specta::specta]
pub fn app_version(app: AppHandle) -> AppVersion {
    AppVersion {
        version: app.package_info().version.to_string(),
        installable: updater::installable(),
    }
}

/// Asks the update server for a newer version; `None`: this one is the newest.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn check_for_update(
    app: AppHandle,
    updates: State<'_, Updates>,
) -> Result<Option<UpdateInfo>, AppError> {
    Ok(updates.check(&app).await?)
}

/// The update the last check found (e.g. the one at start), if any.
#[tauri::command]
#[specta::specta]
pub async fn found_update(updates: State<'_, Updates>) -> Result<Option<UpdateInfo>, AppError> {
    Ok(updates.found().await)
}

/// Downloads, checks and installs the update the last check found; restart to run it.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn install_update(
    updates: State<'_, Updates>,
    on_event: Channel<UpdateEvent>,
) -> Result<(), AppError> {
    Ok(updates
        .install(|event| {
            // The window may have gone: the install goes on.
            let _ = on_event.send(event);
        })
        .await?)
}
