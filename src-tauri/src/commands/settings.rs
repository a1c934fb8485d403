use confab_core::AppError;
use confab_core::api::Api;
use confab_core::settings::Settings;
use tauri::State;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_settings(api: State<'_, Api>) -> Result<Settings, AppError> {
    Ok(api.get_settings().await?)
}

/// Validates, stores and applies the settings; returns them as stored.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_settings(api: State<'_, Api>, settings: Settings) -> Result<Settings, AppError> {
    Ok(api.set_settings(settings).await?)
}
