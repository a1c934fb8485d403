use confab_core::AppError;
use confab_core::store::conversations::{self, Conversation, ConversationQuery};
use confab_core::store::messages::{self, Message};
use confab_core::store::search::{self, SearchHit};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::AppState;

/// How many of its latest messages a conversation opens with.
const OPEN_PAGE: u64 = 200;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConversationDetail {
    pub conversation: Conversation,
    /// The latest messages, oldest first.
    pub messages: Vec<Message>,
    /// Whether older messages exist beyond `messages`.
    pub has_more: bool,
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn create_conversation(
    state: State<'_, AppState>,
    title: Option<String>,
) -> Result<Conversation, AppError> {
    Ok(conversations::create(state.engine.db().conn(), title.as_deref()).await?)
}

/// A conversation started from an agent (its `id`); the UI shows the agent's greetings.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn create_conversation_with_agent(
    state: State<'_, AppState>,
    title: Option<String>,
    agent_id: String,
) -> Result<Conversation, AppError> {
    let db = state.engine.db().conn();
    Ok(conversations::create_with_agent(db, title.as_deref(), Some(&agent_id)).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn list_conversations(
    state: State<'_, AppState>,
    query: ConversationQuery,
) -> Result<Vec<Conversation>, AppError> {
    Ok(conversations::list(state.engine.db().conn(), &query).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, title), err(Debug))]
pub async fn rename_conversation(
    state: State<'_, AppState>,
    id: String,
    title: String,
) -> Result<Conversation, AppError> {
    Ok(conversations::rename_by_user(state.engine.db().conn(), &id, &title).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_conversation_pinned(
    state: State<'_, AppState>,
    id: String,
    pinned: bool,
) -> Result<Conversation, AppError> {
    Ok(conversations::set_pinned(state.engine.db().conn(), &id, pinned).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_conversation_archived(
    state: State<'_, AppState>,
    id: String,
    archived: bool,
) -> Result<Conversation, AppError> {
    Ok(conversations::set_archived(state.engine.db().conn(), &id, archived).await?)
}

/// Titles and message text matching every word of `query`, best first.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, query), err(Debug))]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> Result<Vec<SearchHit>, AppError> {
    Ok(search::search(state.engine.db().conn(), &query, limit).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_conversation(
    state: State<'_, AppState>,
    id: String,
) -> Result<ConversationDetail, AppError> {
    let db = state.engine.db().conn();
    let conversation = conversations::get(db, &id).await?;
    let (messages, has_more) = messages::page(db, &id, None, OPEN_PAGE).await?;
    Ok(ConversationDetail {
        conversation,
        messages,
        has_more,
    })
}

/// Older messages of a conversation, oldest first.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// Whether messages older than these exist.
    pub has_more: bool,
}

/// The (at most `limit`) messages just before `before_seq`: what the transcript loads when
/// scrolled to its top.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn list_messages(
    state: State<'_, AppState>,
    conversation_id: String,
    before_seq: i64,
    limit: u32,
) -> Result<MessagePage, AppError> {
    let db = state.engine.db().conn();
    let limit = u64::from(limit.clamp(1, 1000));
    let (messages, has_more) =
        messages::page(db, &conversation_id, Some(before_seq), limit).await?;
    Ok(MessagePage { messages, has_more })
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn delete_conversation(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    state.engine.cancel_conversation(&id);
    Ok(conversations::delete(state.engine.db().conn(), &id).await?)
}
