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

/// Turns the agent's tools on or off in one conversation.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_conversation_tools(
    api: State<'_, Api>,
    id: String,
    enabled: bool,
) -> Result<Conversation, AppError> {
    Ok(api.set_conversation_tools(&id, enabled).await?)
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

/// The (at most `limit`) messages of the branch shown just before message `before_id`:
/// what the transcript loads when scrolled to its top.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_messages(
    api: State<'_, Api>,
    conversation_id: String,
    before_id: String,
    limit: u32,
) -> Result<MessagePage, AppError> {
    Ok(api
        .list_messages(&conversation_id, &before_id, limit)
        .await?)
}

/// Shows another version of a message (`step` 1: the next, -1: the one before).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn switch_version(
    api: State<'_, Api>,
    message_id: String,
    step: i32,
) -> Result<ConversationDetail, AppError> {
    Ok(api.switch_version(&message_id, step).await?)
}

/// A new conversation with the history up to a message (agent and context settings kept).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, title), err(Debug))]
pub async fn branch_conversation(
    api: State<'_, Api>,
    message_id: String,
    title: Option<String>,
) -> Result<Conversation, AppError> {
    Ok(api
        .branch_conversation(&message_id, title.as_deref())
        .await?)
}

/// Shows the branch through a message (a search hit in a branch not shown).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn show_message(
    api: State<'_, Api>,
    message_id: String,
) -> Result<ConversationDetail, AppError> {
    Ok(api.show_message(&message_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn delete_conversation(api: State<'_, Api>, id: String) -> Result<(), AppError> {
    Ok(api.delete_conversation(&id).await?)
}
