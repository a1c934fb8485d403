//! How much history a request carries, and a conversation's own context.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::{PromptMessage, Role};
use crate::error::Result;
use crate::problem::{Problem, Rule};

/// How much history a request may carry. Both limits apply when both are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ContextPolicy {
    /// At most this many history messages (the newest).
    pub max_messages: Option<u32>,
    /// At most this many tokens for preset + history together.
    pub max_context_tokens: Option<u32>,
}

impl Default for ContextPolicy {
    fn default() -> Self {
        Self {
            max_messages: None,
            max_context_tokens: Some(DEFAULT_CONTEXT_TOKENS),
        }
    }
}

/// A budget that fits every current chat model's context window with room for the reply.
pub const DEFAULT_CONTEXT_TOKENS: u32 = 32_000;

/// A conversation's own context, overriding its agent's: a system prompt and/or a whole
/// preset message list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ContextOverride {
    pub system_prompt: Option<String>,
    pub preset_messages: Option<Vec<PromptMessage>>,
}

/// Longest system prompt a conversation may set (characters).
pub const MAX_OVERRIDE_PROMPT_CHARS: usize = 100_000;
/// Most preset messages a conversation may set.
pub const MAX_OVERRIDE_MESSAGES: usize = 100;

/// Checks a conversation's context override; the error names each field that breaks a rule.
pub fn validate_override(over: &ContextOverride) -> Result<()> {
    let mut found = Vec::new();
    if let Some(prompt) = &over.system_prompt
        && prompt.chars().count() > MAX_OVERRIDE_PROMPT_CHARS
    {
        found.push(Problem::limit(
            "systemPrompt",
            Rule::TooLong,
            MAX_OVERRIDE_PROMPT_CHARS,
        ));
    }
    if let Some(messages) = &over.preset_messages {
        if messages.len() > MAX_OVERRIDE_MESSAGES {
            found.push(Problem::limit(
                "presetMessages",
                Rule::TooMany,
                MAX_OVERRIDE_MESSAGES,
            ));
        }
        for (index, message) in messages.iter().enumerate() {
            if message.role == Role::Tool {
                found.push(Problem::new(
                    format!("presetMessages.{index}.role"),
                    Rule::PresetRole,
                ));
            }
            if message.content.trim().is_empty() {
                found.push(Problem::required(format!("presetMessages.{index}.content")));
            }
        }
    }
    crate::Error::check(found)
}
