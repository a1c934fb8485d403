use confab_core::AppError;
use confab_core::agents::{self, Agent, AgentInput};
use tauri::State;

use crate::AppState;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn list_agents(state: State<'_, AppState>) -> Result<Vec<Agent>, AppError> {
    Ok(agents::list(state.engine.db().conn()).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_agent(state: State<'_, AppState>, id: String) -> Result<Agent, AppError> {
    Ok(agents::get(state.engine.db().conn(), &id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, input), err(Debug))]
pub async fn create_agent(
    state: State<'_, AppState>,
    input: AgentInput,
) -> Result<Agent, AppError> {
    Ok(agents::create(state.engine.db().conn(), input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, input), err(Debug))]
pub async fn update_agent(
    state: State<'_, AppState>,
    id: String,
    input: AgentInput,
) -> Result<Agent, AppError> {
    Ok(agents::update(state.engine.db().conn(), &id, input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn duplicate_agent(state: State<'_, AppState>, id: String) -> Result<Agent, AppError> {
    Ok(agents::duplicate(state.engine.db().conn(), &id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn delete_agent(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    Ok(agents::delete(state.engine.db().conn(), &id).await?)
}

/// The agents `ids` (all but the built-in one when empty) as a `confab-agents` JSON document.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn export_agents(
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> Result<String, AppError> {
    Ok(agents::export(state.engine.db().conn(), &ids).await?)
}

/// Imports a `confab-agents` document: all of it, or nothing with every problem listed.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, document), fields(bytes = document.len()), err(Debug))]
pub async fn import_agents(
    state: State<'_, AppState>,
    document: String,
) -> Result<Vec<Agent>, AppError> {
    Ok(agents::import(state.engine.db().conn(), &document).await?)
}

/// The agent a conversation was started from, with the greetings and suggested questions
/// the UI shows (they are never sent).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_conversation_agent(
    state: State<'_, AppState>,
    conversation_id: String,
) -> Result<Option<Agent>, AppError> {
    Ok(agents::for_conversation(state.engine.db().conn(), &conversation_id).await?)
}
