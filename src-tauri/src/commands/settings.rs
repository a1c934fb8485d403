use confab_core::AppError;
use confab_core::api::{Api, ProviderInfo};
use confab_core::secrets::{KeyStatus, Secret};
use confab_core::settings::Settings;
use tauri::State;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_api_key_status(api: State<'_, Api>) -> Result<KeyStatus, AppError> {
    Ok(api.get_api_key_status().await?)
}

/// Stores the key in the OS keychain. Only its status comes back.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, key), err(Debug))]
pub async fn set_api_key(api: State<'_, Api>, key: String) -> Result<KeyStatus, AppError> {
    Ok(api.set_api_key(Secret::new(key)).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn clear_api_key(api: State<'_, Api>) -> Result<KeyStatus, AppError> {
    Ok(api.clear_api_key().await?)
}

#[tauri::command]
#[specta::specta]
pub fn get_provider_info(api: State<'_, Api>) -> ProviderInfo {
    api.get_provider_info()
}

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
