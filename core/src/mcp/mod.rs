//! MCP servers: the ones the person added (stored in `mcp_servers`, secrets in the
//! keychain), and the ones running now ([`McpHub`]). The chat engine asks the hub for
//! tools and runs them through it; it never sees a process, a transport or a secret.
//!
//! Everything a server sends is outside data: lines on stdout are bounded (a longer one is
//! read through and answered with its head only), stderr is kept as a short ring of
//! redacted lines, results are capped before they reach the model, images are bounded,
//! and every call ends (timeout, cancel, crash) with an [`McpOutcome`] rather than an
//! error. Children never outlive Confab: see `process.rs`.

pub mod connection;
mod extras;
mod hub;
pub mod import;
pub mod input;
mod keys;
mod listing;
pub mod manage;
mod outcome;
mod process;
mod ring;
mod slot;
mod sse;
mod stdout;

use std::time::Duration;

pub use extras::{MAX_PROMPT_BYTES, McpPrompt, McpPromptArgument, McpResource, ResourceBody};
pub use hub::McpHub;
pub use input::{McpServerInput, McpTransportInput, McpValueInput};
pub use listing::info;
pub use manage::{McpServer, McpServerInfo, McpTransportView, McpValueView};
pub use slot::McpStatus;

/// Limits and timings of a hub.
#[derive(Debug, Clone)]
pub struct McpConfig {
    /// How long starting a server (spawn or connect, then the handshake) may take.
    pub start_timeout: Duration,
    /// Bytes of text kept per tool result; the rest is cut with a note.
    pub max_result_bytes: usize,
    /// The wait before the first restart after a crash; it doubles with each crash in a row.
    pub restart_backoff: Duration,
}

impl Default for McpConfig {
    fn default() -> Self {
        Self {
            start_timeout: Duration::from_secs(30),
            max_result_bytes: 256 * 1024,
            restart_backoff: Duration::from_secs(1),
        }
    }
}

/// One tool of a running server, as the engine offers it to a model.
#[derive(Debug, Clone, PartialEq)]
pub struct McpTool {
    pub server_id: String,
    pub server_name: String,
    /// The tool's own name on its server.
    pub name: String,
    /// Capped at [`MAX_DESCRIPTION_BYTES`].
    pub description: String,
    /// A JSON schema object, at most [`MAX_SCHEMA_BYTES`] serialized.
    pub input_schema: serde_json::Map<String, serde_json::Value>,
}

pub const MAX_DESCRIPTION_BYTES: usize = 4096;
pub const MAX_SCHEMA_BYTES: usize = 64 * 1024;
/// Tools taken from one server; a server listing more is cut.
pub const MAX_TOOLS_PER_SERVER: usize = 256;

/// What one tool call gave: for the model, and for the person to see.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct McpOutcome {
    /// The result's text parts joined (embedded text resources included), capped at
    /// `max_result_bytes` on a character boundary with a note of what was cut.
    pub text: String,
    /// Images the tool returned: mime type and decoded bytes, each bounded.
    pub images: Vec<(String, Vec<u8>)>,
    pub is_error: bool,
}

impl McpOutcome {
    /// A failure the model gets to read.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            images: Vec::new(),
            is_error: true,
        }
    }
}

/// A progress notification of a running call.
#[derive(Debug, Clone, PartialEq)]
pub struct McpProgress {
    pub progress: f64,
    pub total: Option<f64>,
    pub message: Option<String>,
}
