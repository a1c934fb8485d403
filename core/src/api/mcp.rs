//! MCP servers: added, changed, tested and watched by the person; their tools are reached
//! by the engine through [`Api::mcp`].

use std::sync::Arc;

use super::Api;
use crate::error::{Error, Result};
use crate::mcp::{McpHub, McpServer, McpServerInfo, McpServerInput, import, manage};

impl Api {
    /// The hub of running MCP servers, for the chat engine.
    pub fn mcp(&self) -> &Arc<McpHub> {
        &self.mcp
    }

    pub async fn list_mcp_servers(&self) -> Result<Vec<McpServer>> {
        manage::list(&self.db, &self.keychain, &self.mcp).await
    }

    pub async fn create_mcp_server(&self, input: &McpServerInput) -> Result<McpServer> {
        let id = manage::create(&self.db, &self.keychain, input).await?;
        manage::get(&self.db, &self.keychain, &self.mcp, &id).await
    }

    /// Saves the change and stops the server: it starts with the new settings when next
    /// needed.
    pub async fn update_mcp_server(&self, id: &str, input: &McpServerInput) -> Result<McpServer> {
        manage::update(&self.db, &self.keychain, id, input).await?;
        self.mcp.stop(id).await;
        manage::get(&self.db, &self.keychain, &self.mcp, id).await
    }

    /// Stops the server, then deletes it and its keychain entries.
    pub async fn delete_mcp_server(&self, id: &str) -> Result<()> {
        self.mcp.forget(id).await;
        manage::delete(&self.db, &self.keychain, id).await
    }

    pub async fn set_mcp_server_enabled(&self, id: &str, enabled: bool) -> Result<McpServer> {
        if !crate::store::mcp_servers::set_enabled(self.conn(), id, enabled).await? {
            return Err(Error::not_found("MCP server", id));
        }
        if !enabled {
            self.mcp.stop(id).await;
        }
        manage::get(&self.db, &self.keychain, &self.mcp, id).await
    }

    /// Starts the server if needed and lists what it offers.
    pub async fn test_mcp_server(&self, id: &str) -> Result<McpServerInfo> {
        manage::get(&self.db, &self.keychain, &self.mcp, id).await?;
        let connection = self.mcp.connection(id).await.map_err(Error::McpServer)?;
        let listed = tokio::time::timeout(
            self.mcp.config().start_timeout,
            crate::mcp::info(&connection),
        )
        .await;
        match listed {
            Ok(info) => info.map_err(Error::McpServer),
            Err(_) => Err(Error::McpServer("it did not list its tools in time".into())),
        }
    }

    /// Adds every server of a Claude Desktop / Cursor `mcpServers` JSON. A name already
    /// taken gets a number.
    pub async fn import_mcp_servers(&self, json: &str) -> Result<Vec<McpServer>> {
        let inputs = import::parse(json)?;
        let mut added = Vec::new();
        for mut input in inputs {
            let base = input.name.trim().to_string();
            let mut n = 1;
            while crate::store::mcp_servers::name_taken(self.conn(), &input.name, None).await? {
                n += 1;
                input.name = format!("{base} ({n})");
            }
            added.push(self.create_mcp_server(&input).await?);
        }
        Ok(added)
    }

    /// The last lines the server wrote to stderr, redacted.
    pub async fn mcp_server_log(&self, id: &str) -> Result<Vec<String>> {
        manage::get(&self.db, &self.keychain, &self.mcp, id).await?;
        Ok(self.mcp.log(id))
    }

    pub async fn restart_mcp_server(&self, id: &str) -> Result<McpServer> {
        manage::get(&self.db, &self.keychain, &self.mcp, id).await?;
        self.mcp.restart(id).await.map_err(Error::McpServer)?;
        manage::get(&self.db, &self.keychain, &self.mcp, id).await
    }
}
