//! What a conversation sends: its own system prompt / preset messages, which messages are
//! in context, and a preview of the next request. Changes wait while a reply streams.

use confab_core::AppError;
use confab_core::api::Api;
use confab_core::chat::{ContextOverride, ContextPreview};
use confab_core::store::messages::Message;
use tauri::State;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_context_override(
    api: State<'_, Api>,
    conversation_id: String,
) -> Result<ContextOverride, AppError> {
    Ok(api.get_context_override(&conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, value), err(Debug))]
pub async fn set_context_override(
    api: State<'_, Api>,
    conversation_id: String,
    value: ContextOverride,
) -> Result<ContextOverride, AppError> {
    Ok(api.set_context_override(&conversation_id, value).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_message_in_context(
    api: State<'_, Api>,
    message_id: String,
    in_context: bool,
) -> Result<Message, AppError> {
    Ok(api.set_message_in_context(&message_id, in_context).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, content), err(Debug))]
pub async fn edit_message(
    api: State<'_, Api>,
    message_id: String,
    content: String,
) -> Result<Message, AppError> {
    Ok(api.edit_message(&message_id, &content).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn delete_message(api: State<'_, Api>, message_id: String) -> Result<u64, AppError> {
    Ok(api.delete_message(&message_id).await?)
}

/// How many messages deleting this one takes with it (itself included).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn count_message_subtree(
    api: State<'_, Api>,
    message_id: String,
) -> Result<u64, AppError> {
    Ok(api.count_message_subtree(&message_id).await?)
}

/// The raw request and response kept with a reply while debug capture was on, as indented
/// JSON; `None` when none was kept.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_message_debug(
    api: State<'_, Api>,
    message_id: String,
) -> Result<Option<String>, AppError> {
    Ok(api.get_message_debug(&message_id).await?)
}

/// Exactly what the next request of the conversation would send, and its token count.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn preview_context(
    api: State<'_, Api>,
    conversation_id: String,
) -> Result<ContextPreview, AppError> {
    Ok(api.preview_context(&conversation_id).await?)
}
