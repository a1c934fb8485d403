use confab_core::AppError;
use confab_core::settings::{self, Settings};
use tauri::State;

use crate::AppState;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_settings(state: State<'_, AppState>) -> Result<Settings, AppError> {
    Ok(settings::load(state.engine.db().conn()).await?)
}

/// Validates, stores and applies the settings; returns them as stored.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_settings(
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, AppError> {
    settings::save(state.engine.db().conn(), &settings).await?;
    confab_core::logging::set_level(&settings.log_level)?;
    state.engine.apply_settings(settings.clone());
    Ok(settings)
}
