//! A server's prompts and resources for the composer: prompts become `/` commands (their
//! messages' text put in the composer), resources are attached to a message like files.
//! Both are outside data: names and descriptions are cut, a prompt's text is bounded, a
//! resource's bytes go through the attachment checks like any file.

use std::time::Duration;

use rmcp::model::{
    ContentBlock, GetPromptRequestParams, ReadResourceRequestParams, ResourceContents,
};
use serde::Serialize;
use specta::Type;

use super::McpHub;
use super::listing::{list_prompts, list_resources};
use super::outcome::capped_line;
use crate::error::{Error, Result};

/// How long listing, getting a prompt or reading a resource may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest prompt text put in the composer.
pub const MAX_PROMPT_BYTES: usize = 256 * 1024;

/// A prompt a server offers.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct McpPrompt {
    pub server_id: String,
    pub server_name: String,
    pub name: String,
    pub description: Option<String>,
    pub arguments: Vec<McpPromptArgument>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct McpPromptArgument {
    pub name: String,
    pub description: Option<String>,
    pub required: bool,
}

/// A resource a server offers.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct McpResource {
    pub server_id: String,
    pub server_name: String,
    pub uri: String,
    pub name: String,
    pub description: Option<String>,
    pub mime: Option<String>,
}

/// A resource's content as read: text, or bytes given as base64.
#[derive(Debug, Clone, PartialEq)]
pub enum ResourceBody {
    Text(String),
    Base64(String),
}

/// What the server did wrong, as the typed error the UI translates.
fn refused(why: &str) -> Error {
    Error::McpServer(why.to_string())
}

fn short(text: Option<&str>) -> Option<String> {
    text.map(|text| capped_line(text, 1024))
}

impl McpHub {
    /// The prompts of these servers (`(id, name)` each); a server that cannot start or
    /// list is left out.
    pub async fn prompts(&self, servers: &[(String, String)]) -> Vec<McpPrompt> {
        let mut all = Vec::new();
        for (id, server_name) in servers {
            let Ok(connection) = self.connection(id).await else {
                continue;
            };
            let listed = tokio::time::timeout(REQUEST_TIMEOUT, list_prompts(&connection)).await;
            let Ok(Ok(prompts)) = listed else { continue };
            all.extend(prompts.into_iter().map(|prompt| {
                McpPrompt {
                    server_id: id.clone(),
                    server_name: server_name.clone(),
                    name: capped_line(&prompt.name, 256),
                    description: short(prompt.description.as_deref()),
                    arguments: prompt
                        .arguments
                        .unwrap_or_default()
                        .into_iter()
                        .take(32)
                        .map(|argument| McpPromptArgument {
                            name: capped_line(&argument.name, 256),
                            description: short(argument.description.as_deref()),
                            required: argument.required.unwrap_or(false),
                        })
                        .collect(),
                }
            }));
        }
        all
    }

    /// The resources of these servers (`(id, name)` each).
    pub async fn resources(&self, servers: &[(String, String)]) -> Vec<McpResource> {
        let mut all = Vec::new();
        for (id, server_name) in servers {
            let Ok(connection) = self.connection(id).await else {
                continue;
            };
            let listed = tokio::time::timeout(REQUEST_TIMEOUT, list_resources(&connection)).await;
            let Ok(Ok(resources)) = listed else { continue };
            all.extend(resources.into_iter().map(|resource| McpResource {
                server_id: id.clone(),
                server_name: server_name.clone(),
                uri: capped_line(&resource.uri, 2048),
                name: capped_line(&resource.name, 256),
                description: short(resource.description.as_deref()),
                mime: short(resource.mime_type.as_deref()),
            }));
        }
        all
    }

    /// The text of prompt `name` with `arguments`: its messages' text, joined by blank
    /// lines (an embedded text resource's text too), at most [`MAX_PROMPT_BYTES`].
    pub async fn prompt_text(
        &self,
        server_id: &str,
        name: &str,
        arguments: serde_json::Map<String, serde_json::Value>,
    ) -> Result<String> {
        let connection = self.connection(server_id).await.map_err(Error::McpServer)?;
        let mut params = GetPromptRequestParams::new(name);
        params.arguments = Some(arguments);
        let got = tokio::time::timeout(REQUEST_TIMEOUT, connection.peer().get_prompt_once(params))
            .await
            .map_err(|_| refused("the server did not answer in time"))?
            .map_err(|error| refused(&capped_line(&error.to_string(), 1024)))?;
        let rmcp::model::GetPromptResponse::Complete(result) = got else {
            return Err(refused("the server asked for input Confab cannot give"));
        };
        let mut text = String::new();
        for message in result.messages {
            let piece = match message.content {
                ContentBlock::Text(content) => content.text,
                ContentBlock::Resource(embedded) => match embedded.resource {
                    ResourceContents::TextResourceContents { text, .. } => text,
                    _ => continue,
                },
                _ => continue,
            };
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&piece);
            if text.len() > MAX_PROMPT_BYTES {
                text.truncate(text.floor_char_boundary(MAX_PROMPT_BYTES));
                break;
            }
        }
        Ok(text)
    }

    /// The first content of resource `uri`.
    pub async fn read_resource(&self, server_id: &str, uri: &str) -> Result<ResourceBody> {
        let connection = self.connection(server_id).await.map_err(Error::McpServer)?;
        let read = tokio::time::timeout(
            REQUEST_TIMEOUT,
            connection
                .peer()
                .read_resource(ReadResourceRequestParams::new(uri)),
        )
        .await
        .map_err(|_| refused("the server did not answer in time"))?
        .map_err(|error| refused(&capped_line(&error.to_string(), 1024)))?;
        match read.contents.into_iter().next() {
            Some(ResourceContents::TextResourceContents { text, .. }) => {
                Ok(ResourceBody::Text(text))
            }
            Some(ResourceContents::BlobResourceContents { blob, .. }) => {
                Ok(ResourceBody::Base64(blob))
            }
            Some(_) => Err(refused("the resource is of a kind Confab does not read")),
            None => Err(refused("the resource is empty")),
        }
    }
}
