use confab_core::AppError;
use confab_core::api::Api;
use confab_core::knowledge::{
    FileStatus, KnowledgeBase, KnowledgeBaseInput, KnowledgeFilePage, KnowledgeProgress,
    KnowledgeSearch, KnowledgeSource,
};
use confab_core::{Error, Problem, Rule};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_knowledge_bases(api: State<'_, Api>) -> Result<Vec<KnowledgeBase>, AppError> {
    Ok(api.list_knowledge_bases().await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn create_knowledge_base(
    api: State<'_, Api>,
    input: KnowledgeBaseInput,
) -> Result<KnowledgeBase, AppError> {
    Ok(api.create_knowledge_base(&input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn update_knowledge_base(
    api: State<'_, Api>,
    id: String,
    input: KnowledgeBaseInput,
) -> Result<KnowledgeBase, AppError> {
    Ok(api.update_knowledge_base(&id, &input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn delete_knowledge_base(api: State<'_, Api>, id: String) -> Result<(), AppError> {
    Ok(api.delete_knowledge_base(&id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_knowledge_sources(
    api: State<'_, Api>,
    kb_id: String,
) -> Result<Vec<KnowledgeSource>, AppError> {
    Ok(api.list_knowledge_sources(&kb_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn add_knowledge_source(
    api: State<'_, Api>,
    kb_id: String,
    path: String,
) -> Result<KnowledgeSource, AppError> {
    Ok(api.add_knowledge_source(&kb_id, &path).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn remove_knowledge_source(
    api: State<'_, Api>,
    kb_id: String,
    source_id: String,
) -> Result<(), AppError> {
    Ok(api.remove_knowledge_source(&kb_id, &source_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_knowledge_source_watch(
    api: State<'_, Api>,
    kb_id: String,
    source_id: String,
    watch: bool,
) -> Result<(), AppError> {
    Ok(api
        .set_knowledge_source_watch(&kb_id, &source_id, watch)
        .await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_knowledge_files(
    api: State<'_, Api>,
    kb_id: String,
    status: Option<FileStatus>,
    offset: u32,
    limit: u32,
) -> Result<KnowledgeFilePage, AppError> {
    Ok(api
        .list_knowledge_files(&kb_id, status, offset, limit)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn knowledge_progress(
    api: State<'_, Api>,
    kb_id: String,
) -> Result<KnowledgeProgress, AppError> {
    Ok(api.knowledge_progress(&kb_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn pause_knowledge(api: State<'_, Api>, kb_id: String) -> Result<(), AppError> {
    Ok(api.pause_knowledge(&kb_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn cancel_knowledge(api: State<'_, Api>, kb_id: String) -> Result<(), AppError> {
    Ok(api.cancel_knowledge(&kb_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn resume_knowledge(api: State<'_, Api>, kb_id: String) -> Result<(), AppError> {
    Ok(api.resume_knowledge(&kb_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn reindex_knowledge(api: State<'_, Api>, kb_id: String) -> Result<(), AppError> {
    Ok(api.reindex_knowledge(&kb_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, query), err(Debug))]
pub async fn search_knowledge(
    api: State<'_, Api>,
    kb_id: String,
    query: String,
    limit: u32,
) -> Result<KnowledgeSearch, AppError> {
    Ok(api.search_knowledge(&kb_id, &query, limit).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn agent_knowledge(
    api: State<'_, Api>,
    agent_id: String,
) -> Result<Vec<String>, AppError> {
    Ok(api.agent_knowledge(&agent_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_agent_knowledge(
    api: State<'_, Api>,
    agent_id: String,
    kb_ids: Vec<String>,
) -> Result<(), AppError> {
    Ok(api.set_agent_knowledge(&agent_id, &kb_ids).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn conversation_knowledge(
    api: State<'_, Api>,
    conversation_id: String,
) -> Result<Vec<String>, AppError> {
    Ok(api.conversation_knowledge(&conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_conversation_knowledge(
    api: State<'_, Api>,
    conversation_id: String,
    kb_ids: Vec<String>,
) -> Result<(), AppError> {
    Ok(api
        .set_conversation_knowledge(&conversation_id, &kb_ids)
        .await?)
}

/// Opens a knowledge base's file (a citation's source) in the system's application; any
/// other path is refused.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(app, api), err(Debug))]
pub async fn open_knowledge_file(
    app: AppHandle,
    api: State<'_, Api>,
    path: String,
) -> Result<(), AppError> {
    let path = api.knowledge_file_to_open(&path).await?;
    app.opener().open_path(path, None::<&str>).map_err(|error| {
        tracing::warn!(error = %error, "a knowledge file could not be opened");
        AppError::from(Error::invalid(Problem::new("path", Rule::LinkNotOpened)))
    })
}
