//! What a conversation sends: its own system prompt / preset messages, which messages are
//! in context, and a preview of the next request. Changes wait while a reply streams.

use confab_core::chat::{ContextOverride, ContextPreview};
use confab_core::store::conversations;
use confab_core::store::messages::{self, Message};
use confab_core::{AppError, Error};
use tauri::State;

use crate::AppState;

/// Refuses a change to a conversation whose reply is streaming: it would race the reply.
fn idle(state: &AppState, conversation_id: &str) -> Result<(), AppError> {
    Ok(state.engine.ensure_idle(conversation_id)?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_context_override(
    state: State<'_, AppState>,
    conversation_id: String,
) -> Result<ContextOverride, AppError> {
    Ok(conversations::context_override(state.engine.db().conn(), &conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, value), err(Debug))]
pub async fn set_context_override(
    state: State<'_, AppState>,
    conversation_id: String,
    value: ContextOverride,
) -> Result<ContextOverride, AppError> {
    idle(&state, &conversation_id)?;
    let db = state.engine.db().conn();
    Ok(conversations::set_context_override(db, &conversation_id, value).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_message_in_context(
    state: State<'_, AppState>,
    message_id: String,
    in_context: bool,
) -> Result<Message, AppError> {
    let db = state.engine.db().conn();
    let message = messages::get(db, &message_id).await?;
    idle(&state, &message.conversation_id)?;
    Ok(messages::set_in_context(db, &message_id, in_context).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, content), err(Debug))]
pub async fn edit_message(
    state: State<'_, AppState>,
    message_id: String,
    content: String,
) -> Result<Message, AppError> {
    let db = state.engine.db().conn();
    let message = messages::get(db, &message_id).await?;
    idle(&state, &message.conversation_id)?;
    Ok(messages::edit(db, &message_id, &content).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn delete_message(
    state: State<'_, AppState>,
    message_id: String,
) -> Result<(), AppError> {
    let db = state.engine.db().conn();
    let message = messages::get(db, &message_id).await?;
    idle(&state, &message.conversation_id)?;
    Ok(messages::delete(db, &message_id).await?)
}

/// The raw request and response kept with a reply while debug capture was on, as indented
/// JSON; `None` when none was kept.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_message_debug(
    state: State<'_, AppState>,
    message_id: String,
) -> Result<Option<String>, AppError> {
    let record = messages::debug(state.engine.db().conn(), &message_id).await?;
    record
        .map(|value| serde_json::to_string_pretty(&value))
        .transpose()
        .map_err(|error| Error::internal("debug record", error).into())
}

/// Exactly what the next request of the conversation would send, and its token count.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn preview_context(
    state: State<'_, AppState>,
    conversation_id: String,
) -> Result<ContextPreview, AppError> {
    let db = state.engine.db().conn();
    let conversation = conversations::find(db, &conversation_id).await?;
    Ok(confab_core::chat::preview_context(db, &conversation).await?)
}
