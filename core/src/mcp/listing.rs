//! What a running server offers, listed within bounds: its tools (as the engine gets them),
//! resources and prompts, and the summary `test_mcp_server` shows.

use super::connection::Connection;
use super::manage::{McpItem, McpServerInfo};
use super::{MAX_DESCRIPTION_BYTES, MAX_SCHEMA_BYTES, MAX_TOOLS_PER_SERVER, McpTool};

/// Pages of a list, at most this many (a server paging forever is cut).
const MAX_PAGES: usize = 16;

macro_rules! list_all {
    ($connection:expr, $method:ident, $field:ident) => {{
        let mut items = Vec::new();
        let mut cursor = None;
        for _ in 0..MAX_PAGES {
            let params = rmcp::model::PaginatedRequestParams::default().with_cursor(cursor);
            let page = $connection.peer().$method(Some(params)).await;
            let page = page.map_err(|error| error.to_string())?;
            items.extend(page.$field);
            cursor = page.next_cursor;
            if cursor.is_none() || items.len() >= MAX_TOOLS_PER_SERVER {
                break;
            }
        }
        items.truncate(MAX_TOOLS_PER_SERVER);
        Ok::<_, String>(items)
    }};
}

pub async fn list_tools(
    connection: &Connection,
) -> std::result::Result<Vec<rmcp::model::Tool>, String> {
    list_all!(connection, list_tools, tools)
}

pub async fn list_resources(
    connection: &Connection,
) -> std::result::Result<Vec<rmcp::model::Resource>, String> {
    list_all!(connection, list_resources, resources)
}

pub async fn list_prompts(
    connection: &Connection,
) -> std::result::Result<Vec<rmcp::model::Prompt>, String> {
    list_all!(connection, list_prompts, prompts)
}

/// The info `test_mcp_server` shows, each list bounded.
pub async fn info(connection: &Connection) -> std::result::Result<McpServerInfo, String> {
    let capabilities = connection
        .peer()
        .peer_info()
        .map(|info| info.capabilities.clone())
        .unwrap_or_default();
    let item = |name: &str, description: Option<&str>| McpItem {
        name: super::outcome::capped_line(name, 256),
        description: description.map(|text| super::outcome::capped_line(text, 1024)),
    };
    let tools = list_tools(connection).await?;
    let resources = if capabilities.resources.is_some() {
        list_resources(connection).await?
    } else {
        Vec::new()
    };
    let prompts = if capabilities.prompts.is_some() {
        list_prompts(connection).await?
    } else {
        Vec::new()
    };
    let (server_name, server_version) = connection.server_info();
    Ok(McpServerInfo {
        server_name,
        server_version,
        tools: tools
            .iter()
            .map(|t| item(&t.name, t.description.as_deref()))
            .collect(),
        resources: resources
            .iter()
            .map(|r| item(&r.name, r.description.as_deref()))
            .collect(),
        prompts: prompts
            .iter()
            .map(|p| item(&p.name, p.description.as_deref()))
            .collect(),
    })
}

/// A listed tool as the engine gets it, or `None` when it is unusable (no name, a schema
/// too large or not an object).
pub fn to_tool(server_id: &str, server_name: &str, tool: rmcp::model::Tool) -> Option<McpTool> {
    let name = tool.name.trim();
    if name.is_empty() || name.len() > 128 {
        return None;
    }
    let schema = (*tool.input_schema).clone();
    if serde_json::to_vec(&schema).map_or(true, |bytes| bytes.len() > MAX_SCHEMA_BYTES) {
        return None;
    }
    let description = tool.description.as_deref().unwrap_or_default();
    let cut = description.floor_char_boundary(MAX_DESCRIPTION_BYTES);
    Some(McpTool {
        server_id: server_id.to_string(),
        server_name: server_name.to_string(),
        name: name.to_string(),
        description: description[..cut].to_string(),
        input_schema: schema,
    })
}
