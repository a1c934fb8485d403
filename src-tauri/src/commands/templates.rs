use confab_core::AppError;
use confab_core::api::Api;
use confab_core::chat::ContextOverride;
use confab_core::templates::{ContextTemplate, TemplateInput};
use tauri::State;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_templates(api: State<'_, Api>) -> Result<Vec<ContextTemplate>, AppError> {
    Ok(api.list_templates().await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, input), err(Debug))]
pub async fn create_template(
    api: State<'_, Api>,
    input: TemplateInput,
) -> Result<ContextTemplate, AppError> {
    Ok(api.create_template(&input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, input), err(Debug))]
pub async fn update_template(
    api: State<'_, Api>,
    id: String,
    input: TemplateInput,
) -> Result<ContextTemplate, AppError> {
    Ok(api.update_template(&id, &input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn delete_template(api: State<'_, Api>, id: String) -> Result<(), AppError> {
    Ok(api.delete_template(&id).await?)
}

/// Makes `id` the default template; `null` leaves no default.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_default_template(api: State<'_, Api>, id: Option<String>) -> Result<(), AppError> {
    Ok(api.set_default_template(id.as_deref()).await?)
}

/// Sets the conversation's system prompt to the template's content.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn apply_template(
    api: State<'_, Api>,
    conversation_id: String,
    template_id: String,
) -> Result<ContextOverride, AppError> {
    Ok(api.apply_template(&conversation_id, &template_id).await?)
}
