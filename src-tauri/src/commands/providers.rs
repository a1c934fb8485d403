use confab_core::AppError;
use confab_core::api::Api;
use confab_core::providers::vision::ModelCapabilities;
use confab_core::providers::{
    ConnectionReport, ModelInfo, Provider, ProviderInput, ProviderPreset,
};
use confab_core::secrets::{KeyStatus, Secret};
use tauri::State;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_providers(api: State<'_, Api>) -> Result<Vec<Provider>, AppError> {
    Ok(api.list_providers().await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_provider(api: State<'_, Api>, id: String) -> Result<Provider, AppError> {
    Ok(api.get_provider(&id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn create_provider(
    api: State<'_, Api>,
    input: ProviderInput,
) -> Result<Provider, AppError> {
    Ok(api.create_provider(&input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn update_provider(
    api: State<'_, Api>,
    id: String,
    input: ProviderInput,
) -> Result<Provider, AppError> {
    Ok(api.update_provider(&id, &input).await?)
}

/// Refused with `in_use` while agents use the provider.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn delete_provider(api: State<'_, Api>, id: String) -> Result<(), AppError> {
    Ok(api.delete_provider(&id).await?)
}

/// Stores the key in the OS keychain. Only its status comes back.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, key), err(Debug))]
pub async fn set_provider_api_key(
    api: State<'_, Api>,
    id: String,
    key: String,
) -> Result<KeyStatus, AppError> {
    Ok(api.set_provider_api_key(&id, Secret::new(key)).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn clear_provider_api_key(
    api: State<'_, Api>,
    id: String,
) -> Result<KeyStatus, AppError> {
    Ok(api.clear_provider_api_key(&id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_provider_key_status(
    api: State<'_, Api>,
    id: String,
) -> Result<KeyStatus, AppError> {
    Ok(api.get_provider_key_status(&id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn test_provider_connection(
    api: State<'_, Api>,
    id: String,
) -> Result<ConnectionReport, AppError> {
    Ok(api.test_provider_connection(&id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_provider_models(
    api: State<'_, Api>,
    id: String,
) -> Result<Vec<ModelInfo>, AppError> {
    Ok(api.list_provider_models(&id).await?)
}

#[tauri::command]
#[specta::specta]
pub fn list_provider_presets() -> Vec<ProviderPreset> {
    Api::list_provider_presets()
}

/// What a model at a provider can do (whether it sees images), and who says so.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn model_capabilities(
    api: State<'_, Api>,
    provider_id: String,
    model: String,
) -> Result<ModelCapabilities, AppError> {
    Ok(api.model_capabilities(&provider_id, &model).await?)
}

/// Says whether a model at a provider sees images (`None`: back to what is known).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_model_vision(
    api: State<'_, Api>,
    provider_id: String,
    model: String,
    vision: Option<bool>,
) -> Result<ModelCapabilities, AppError> {
    Ok(api.set_model_vision(&provider_id, &model, vision).await?)
}
