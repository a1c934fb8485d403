//! The words the layers share: a message of a request and its role, the sampling
//! parameters, how much history a request carries and a conversation's own context.
//!
//! This module is the bottom of the crate: it imports nothing from it but [`crate::error`],
//! so `store`, `llm`, `agents` and `chat` all speak it without importing each other
//! (`core/tests/layers.rs` keeps it so).

mod context;
mod message;
mod params;
mod part;
mod tokens;
mod tools;

pub use context::{
    ContextOverride, ContextPolicy, DEFAULT_CONTEXT_TOKENS, MAX_EXCLUDED_ATTACHMENTS,
    MAX_OVERRIDE_MESSAGES, MAX_OVERRIDE_PROMPT_CHARS, is_sha256, validate_override,
};
pub use message::{MAX_MESSAGE_BYTES, PromptMessage, Role};
pub use params::{AgentParams, snake_case};
pub use part::{
    Part, answer_open_calls, read_parts, reasoning_of, reply_parts, split_steps, text_of,
    text_parts_of,
};
pub use tokens::count_tokens;
pub use tools::{AgentTools, MAX_AGENT_TOOL_ENTRIES, ToolDecision};
