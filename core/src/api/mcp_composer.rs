//! What the composer takes from a conversation's MCP servers: prompts as `/` commands and
//! resources attached like files. The servers are those of the conversation's agent,
//! when the conversation has its tools on.

use std::collections::BTreeMap;

use super::Api;
use crate::attachments;
use crate::error::{Error, Result};
use crate::mcp::{McpPrompt, McpResource, ResourceBody};
use crate::store::{conversations, mcp_servers};
use crate::vocab::Part;

impl Api {
    /// The prompts of the conversation's servers.
    pub async fn mcp_prompts(&self, conversation_id: &str) -> Result<Vec<McpPrompt>> {
        let servers = self.conversation_servers(conversation_id).await?;
        Ok(self.mcp.prompts(&servers).await)
    }

    /// The resources of the conversation's servers.
    pub async fn mcp_resources(&self, conversation_id: &str) -> Result<Vec<McpResource>> {
        let servers = self.conversation_servers(conversation_id).await?;
        Ok(self.mcp.resources(&servers).await)
    }

    /// The text of a prompt with its arguments, for the composer.
    pub async fn mcp_prompt_text(
        &self,
        server_id: &str,
        name: &str,
        arguments: BTreeMap<String, String>,
    ) -> Result<String> {
        self.enabled_server(server_id).await?;
        let arguments = arguments
            .into_iter()
            .map(|(name, value)| (name, serde_json::Value::String(value)))
            .collect();
        self.mcp.prompt_text(server_id, name, arguments).await
    }

    /// Attaches resource `uri` of a server as read `attach_id`, checked like any file
    /// (its size, its kind, its text), named `name`.
    pub async fn attach_mcp_resource(
        &self,
        attach_id: &str,
        server_id: &str,
        uri: &str,
        name: &str,
    ) -> Result<Part> {
        self.enabled_server(server_id).await?;
        let read = self.start_attach(attach_id)?;
        let body = self.mcp.read_resource(server_id, uri).await?;
        match body {
            ResourceBody::Text(text) => {
                attachments::attach_with(self.conn(), name, text.into_bytes(), &read.reading).await
            }
            ResourceBody::Base64(data) => {
                attachments::attach_base64(self.conn(), name, data, &read.reading).await
            }
        }
    }

    /// The enabled servers the conversation's agent may use, `(id, name)` each; none when
    /// the conversation turned tools off.
    async fn conversation_servers(&self, conversation_id: &str) -> Result<Vec<(String, String)>> {
        let Some(agent) = crate::agents::for_conversation(self.conn(), conversation_id).await?
        else {
            return Ok(Vec::new());
        };
        if !conversations::find(self.conn(), conversation_id)
            .await?
            .tools_enabled
        {
            return Ok(Vec::new());
        }
        let mut servers = Vec::new();
        for id in agent.tools.servers {
            if let Some(row) = mcp_servers::get(self.conn(), &id).await?
                && row.enabled
            {
                servers.push((row.id, row.name));
            }
        }
        Ok(servers)
    }

    async fn enabled_server(&self, server_id: &str) -> Result<()> {
        match mcp_servers::get(self.conn(), server_id).await? {
            Some(row) if row.enabled => Ok(()),
            Some(_) => Err(Error::McpServer("the server is turned off".into())),
            None => Err(Error::not_found("MCP server", server_id)),
        }
    }
}
