use confab_core::AppError;
use confab_core::api::{Api, ConversationDetail, MessagePage};
use confab_core::store::conversations::{Conversation, ConversationQuery};
use confab_core::store::search::SearchHit;
use tauri::State;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn create_conversation(
    api: State<'_, Api>,
    title: Option<String>,
) -> Result<Conversation, AppError> {
    Ok(api.create_conversation(title.as_deref()).await?)
}

/// A conversation started from an agent (its `id`); the UI shows the agent's greetings.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn create_conversation_with_agent(
    api: State<'_, Api>,
    title: Option<String>,
    agent_id: String,
) -> Result<Conversation, AppError> {
    Ok(api
        .create_conversation_with_agent(title.as_deref(), &agent_id)
        .await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_conversations(
    api: State<'_, Api>,
    query: ConversationQuery,
) -> Result<Vec<Conversation>, AppError> {
    Ok(api.list_conversations(&query).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, title), err(Debug))]
pub async fn rename_conversation(
    api: State<'_, Api>,
    id: String,
    title: String,
) -> Result<Conversation, AppError> {
    Ok(api.rename_conversation(&id, &title).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_conversation_pinned(
    api: State<'_, Api>,
    id: String,
    pinned: bool,
) -> Result<Conversation, AppError> {
    Ok(api.set_conversation_pinned(&id, pinned).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_conversation_archived(
    api: State<'_, Api>,
    id: String,
    archived: bool,
) -> Result<Conversation, AppError> {
    Ok(api.set_conversation_archived(&id, archived).await?)
}

/// Titles and message text matching every word of `query`, best first.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, query), err(Debug))]
pub async fn search(
    api: State<'_, Api>,
    query: String,
    limit: u32,
) -> Result<Vec<SearchHit>, AppError> {
    Ok(api.search(&query, limit).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn get_conversation(
    api: State<'_, Api>,
    id: String,
) -> Result<ConversationDetail, AppError> {
    Ok(api.get_conversation(&id).await?)
}

/// The (at most `limit`) messages just before `before_seq`: what the transcript loads when
/// scrolled to its top.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_messages(
    api: State<'_, Api>,
    conversation_id: String,
    before_seq: i64,
    limit: u32,
) -> Result<MessagePage, AppError> {
    Ok(api
        .list_messages(&conversation_id, before_seq, limit)
        .await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn delete_conversation(api: State<'_, Api>, id: String) -> Result<(), AppError> {
    Ok(api.delete_conversation(&id).await?)
}
