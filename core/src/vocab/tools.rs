//! The words of tool use: which tools an agent may use, and what a person answers when a
//! model asks to run one.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Most servers an agent names, and most tools it lists as left out or always allowed.
pub const MAX_AGENT_TOOL_ENTRIES: usize = 256;

/// The MCP tools an agent may use. Tools are named `<server id>/<tool name>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentTools {
    /// The servers whose tools the agent may use (none: the agent uses no tools).
    pub servers: Vec<String>,
    /// Tools of those servers the agent leaves out.
    pub disabled: Vec<String>,
    /// Tools that run without asking first.
    pub always_allowed: Vec<String>,
}

impl AgentTools {
    /// An agent's tools as stored; a hand-edited or odd column reads as none.
    pub fn read(value: &serde_json::Value) -> Self {
        serde_json::from_value(value.clone()).unwrap_or_default()
    }

    /// The name a tool has in these lists.
    pub fn key(server_id: &str, tool: &str) -> String {
        format!("{server_id}/{tool}")
    }

    pub fn offers(&self, server_id: &str, tool: &str) -> bool {
        self.servers.iter().any(|id| id == server_id)
            && !self.disabled.contains(&Self::key(server_id, tool))
    }

    pub fn always_allows(&self, server_id: &str, tool: &str) -> bool {
        self.always_allowed.contains(&Self::key(server_id, tool))
    }
}

/// What the person says to a tool call the model asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ToolDecision {
    /// Run it this once.
    Allow,
    /// Run it, and from now on run this tool without asking (for this agent).
    AlwaysAllow,
    /// Do not run it: the model is told it was refused.
    Deny,
}
