use std::collections::BTreeMap;

use confab_core::AppError;
use confab_core::api::Api;
use confab_core::mcp::{McpPrompt, McpResource, McpServer, McpServerInfo, McpServerInput};
use confab_core::vocab::Part;
use tauri::State;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn list_mcp_servers(api: State<'_, Api>) -> Result<Vec<McpServer>, AppError> {
    Ok(api.list_mcp_servers().await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn create_mcp_server(
    api: State<'_, Api>,
    input: McpServerInput,
) -> Result<McpServer, AppError> {
    Ok(api.create_mcp_server(&input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn update_mcp_server(
    api: State<'_, Api>,
    id: String,
    input: McpServerInput,
) -> Result<McpServer, AppError> {
    Ok(api.update_mcp_server(&id, &input).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn delete_mcp_server(api: State<'_, Api>, id: String) -> Result<(), AppError> {
    Ok(api.delete_mcp_server(&id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn set_mcp_server_enabled(
    api: State<'_, Api>,
    id: String,
    enabled: bool,
) -> Result<McpServer, AppError> {
    Ok(api.set_mcp_server_enabled(&id, enabled).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn test_mcp_server(api: State<'_, Api>, id: String) -> Result<McpServerInfo, AppError> {
    Ok(api.test_mcp_server(&id).await?)
}

/// The pasted JSON is not logged: it may hold secrets.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, json), err(Debug))]
pub async fn import_mcp_servers(
    api: State<'_, Api>,
    json: String,
) -> Result<Vec<McpServer>, AppError> {
    Ok(api.import_mcp_servers(&json).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn mcp_server_log(api: State<'_, Api>, id: String) -> Result<Vec<String>, AppError> {
    Ok(api.mcp_server_log(&id).await?)
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn restart_mcp_server(api: State<'_, Api>, id: String) -> Result<McpServer, AppError> {
    Ok(api.restart_mcp_server(&id).await?)
}

/// The prompts of the conversation's MCP servers (the composer's `/` commands).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn mcp_prompts(
    api: State<'_, Api>,
    conversation_id: String,
) -> Result<Vec<McpPrompt>, AppError> {
    Ok(api.mcp_prompts(&conversation_id).await?)
}

/// The text of a prompt with its arguments (their values are not logged).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, values), err(Debug))]
pub async fn mcp_prompt_text(
    api: State<'_, Api>,
    server_id: String,
    name: String,
    values: BTreeMap<String, String>,
) -> Result<String, AppError> {
    Ok(api.mcp_prompt_text(&server_id, &name, values).await?)
}

/// The resources of the conversation's MCP servers.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn mcp_resources(
    api: State<'_, Api>,
    conversation_id: String,
) -> Result<Vec<McpResource>, AppError> {
    Ok(api.mcp_resources(&conversation_id).await?)
}

/// Attaches a server's resource like a file, as read `attach_id`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn attach_mcp_resource(
    api: State<'_, Api>,
    attach_id: String,
    server_id: String,
    uri: String,
    name: String,
) -> Result<Part, AppError> {
    Ok(api
        .attach_mcp_resource(&attach_id, &server_id, &uri, &name)
        .await?)
}
