use confab_core::secrets::{KeyStatus, Secret};
use confab_core::settings::{self, Settings};
use confab_core::{AppError, Error};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::AppState;
use crate::state::DEFAULT_KEY_ACCOUNT;

/// The provider replies come from (read-only for now: set by the environment).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInfo {
    pub base_url: String,
    pub model: String,
}

/// Runs a keychain call on a blocking thread (the OS keychain API blocks).
async fn keychain<T: Send + 'static>(
    state: &State<'_, AppState>,
    call: impl FnOnce(&confab_core::secrets::Keychain) -> confab_core::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    let keychain = state.keychain.clone();
    tauri::async_runtime::spawn_blocking(move || call(&keychain))
        .await
        .map_err(|error| Error::internal("keychain task", error))?
        .map_err(AppError::from)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_api_key_status(state: State<'_, AppState>) -> Result<KeyStatus, AppError> {
    let key = keychain(&state, |k| k.get(DEFAULT_KEY_ACCOUNT)).await?;
    Ok(KeyStatus::of(key.as_ref()))
}

/// Stores the key in the OS keychain. Only its status comes back.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, key), err(Debug))]
pub async fn set_api_key(state: State<'_, AppState>, key: String) -> Result<KeyStatus, AppError> {
    let stored = keychain(&state, move |k| {
        k.set(DEFAULT_KEY_ACCOUNT, &Secret::new(key))
    })
    .await?;
    Ok(KeyStatus::of(Some(&stored)))
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn clear_api_key(state: State<'_, AppState>) -> Result<KeyStatus, AppError> {
    keychain(&state, |k| k.delete(DEFAULT_KEY_ACCOUNT)).await?;
    Ok(KeyStatus::of(None))
}

#[tauri::command]
#[specta::specta]
pub fn get_provider_info(state: State<'_, AppState>) -> ProviderInfo {
    let endpoint = state.engine.endpoint();
    ProviderInfo {
        base_url: endpoint.base_url.clone(),
        model: endpoint.model.clone(),
    }
}

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
