use confab_core::AppError;
use confab_core::agents::{Agent, AgentInput};
use confab_core::api::Api;
use tauri::State;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_agents(api: State<'_, Api>) -> Result<Vec<Agent>, AppError> {
    Ok(api.list_agents().await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_agent(api: State<'_, Api>, id: String) -> Result<Agent, AppError> {
    Ok(api.get_agent(&id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, input), err(Debug))]
pub async fn create_agent(api: State<'_, Api>, input: AgentInput) -> Result<Agent, AppError> {
    Ok(api.create_agent(input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, input), err(Debug))]
pub async fn update_agent(
    api: State<'_, Api>,
    id: String,
    input: AgentInput,
) -> Result<Agent, AppError> {
    Ok(api.update_agent(&id, input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn duplicate_agent(api: State<'_, Api>, id: String) -> Result<Agent, AppError> {
    Ok(api.duplicate_agent(&id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn delete_agent(api: State<'_, Api>, id: String) -> Result<(), AppError> {
    Ok(api.delete_agent(&id).await?)
}

/// The agents `ids` (all but the built-in one when empty) as a `confab-agents` JSON document.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn export_agents(api: State<'_, Api>, ids: Vec<String>) -> Result<String, AppError> {
    Ok(api.export_agents(&ids).await?)
}

/// Imports a `confab-agents` document: all of it, or nothing with every problem listed.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, document), fields(bytes = document.len()), err(Debug))]
pub async fn import_agents(api: State<'_, Api>, document: String) -> Result<Vec<Agent>, AppError> {
    Ok(api.import_agents(&document).await?)
}

/// The agent a conversation was started from, with the greetings and suggested questions
/// the UI shows (they are never sent).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_conversation_agent(
    api: State<'_, Api>,
    conversation_id: String,
) -> Result<Option<Agent>, AppError> {
    Ok(api.get_conversation_agent(&conversation_id).await?)
}
