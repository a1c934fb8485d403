use confab_core::AppError;
use confab_core::providers::{
    self, ConnectionReport, ModelInfo, Provider, ProviderInput, ProviderPreset,
};
use confab_core::secrets::{KeyStatus, Secret};
use tauri::State;

use crate::AppState;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn list_providers(state: State<'_, AppState>) -> Result<Vec<Provider>, AppError> {
    Ok(providers::list(state.engine.db().conn(), &state.keychain).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_provider(state: State<'_, AppState>, id: String) -> Result<Provider, AppError> {
    Ok(providers::get(state.engine.db().conn(), &state.keychain, &id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn create_provider(
    state: State<'_, AppState>,
    input: ProviderInput,
) -> Result<Provider, AppError> {
    Ok(providers::create(state.engine.db().conn(), &state.keychain, &input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn update_provider(
    state: State<'_, AppState>,
    id: String,
    input: ProviderInput,
) -> Result<Provider, AppError> {
    Ok(providers::update(state.engine.db().conn(), &state.keychain, &id, &input).await?)
}

/// Refused with `in_use` while agents use the provider.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn delete_provider(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    Ok(providers::delete(state.engine.db().conn(), &state.keychain, &id).await?)
}

/// Stores the key in the OS keychain. Only its status comes back.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, key), err(Debug))]
pub async fn set_provider_api_key(
    state: State<'_, AppState>,
    id: String,
    key: String,
) -> Result<KeyStatus, AppError> {
    let db = state.engine.db().conn();
    Ok(providers::set_api_key(db, &state.keychain, &id, Secret::new(key)).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn clear_provider_api_key(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeyStatus, AppError> {
    Ok(providers::clear_api_key(state.engine.db().conn(), &state.keychain, &id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_provider_key_status(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeyStatus, AppError> {
    Ok(providers::key_status(state.engine.db().conn(), &state.keychain, &id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn test_provider_connection(
    state: State<'_, AppState>,
    id: String,
) -> Result<ConnectionReport, AppError> {
    Ok(providers::test_connection(state.engine.db().conn(), &state.keychain, &id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn list_provider_models(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<ModelInfo>, AppError> {
    Ok(providers::list_models(state.engine.db().conn(), &state.keychain, &id).await?)
}

#[tauri::command]
#[specta::specta]
pub fn list_provider_presets() -> Vec<ProviderPreset> {
    providers::provider_presets()
}
