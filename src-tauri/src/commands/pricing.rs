use confab_core::AppError;
use confab_core::api::Api;
use confab_core::pricing::{ModelPrice, Price};
use tauri::State;

/// Every model with a price at the provider: shipped ones, and the user's own (`custom`).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_model_prices(
    api: State<'_, Api>,
    provider_id: String,
) -> Result<Vec<ModelPrice>, AppError> {
    Ok(api.list_model_prices(&provider_id).await?)
}

/// Sets the user's price of a model at a provider; the provider's prices after it.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_model_price(
    api: State<'_, Api>,
    provider_id: String,
    model: String,
    price: Price,
) -> Result<Vec<ModelPrice>, AppError> {
    Ok(api.set_model_price(&provider_id, &model, &price).await?)
}

/// Removes the user's price (back to the shipped one, if any); the provider's prices after.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn remove_model_price(
    api: State<'_, Api>,
    provider_id: String,
    model: String,
) -> Result<Vec<ModelPrice>, AppError> {
    Ok(api.remove_model_price(&provider_id, &model).await?)
}
