use confab_core::AppError;
use confab_core::chat::ContextOverride;
use confab_core::templates::{self, ContextTemplate, TemplateInput};
use tauri::State;

use crate::AppState;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn list_templates(state: State<'_, AppState>) -> Result<Vec<ContextTemplate>, AppError> {
    Ok(templates::list(state.engine.db().conn()).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, input), err(Debug))]
pub async fn create_template(
    state: State<'_, AppState>,
    input: TemplateInput,
) -> Result<ContextTemplate, AppError> {
    Ok(templates::create(state.engine.db().conn(), &input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, input), err(Debug))]
pub async fn update_template(
    state: State<'_, AppState>,
    id: String,
    input: TemplateInput,
) -> Result<ContextTemplate, AppError> {
    Ok(templates::update(state.engine.db().conn(), &id, &input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn delete_template(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    Ok(templates::delete(state.engine.db().conn(), &id).await?)
}

/// Makes `id` the default template; `null` leaves no default.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_default_template(
    state: State<'_, AppState>,
    id: Option<String>,
) -> Result<(), AppError> {
    Ok(templates::set_default(state.engine.db().conn(), id.as_deref()).await?)
}

/// Sets the conversation's system prompt to the template's content.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn apply_template(
    state: State<'_, AppState>,
    conversation_id: String,
    template_id: String,
) -> Result<ContextOverride, AppError> {
    let db = state.engine.db().conn();
    Ok(templates::apply_template(db, &conversation_id, &template_id).await?)
}
