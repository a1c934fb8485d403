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
    /// Attachments (by SHA-256) this conversation's requests leave out, wherever they are.
    pub excluded_attachments: Option<Vec<String>>,
}

/// Longest system prompt a conversation may set (characters).
pub const MAX_OVERRIDE_PROMPT_CHARS: usize = 100_000;
/// Most preset messages a conversation may set.
pub const MAX_OVERRIDE_MESSAGES: usize = 100;
/// Most attachments a conversation may leave out of its requests.
pub const MAX_EXCLUDED_ATTACHMENTS: usize = 1000;

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
    if let Some(excluded) = &over.excluded_attachments {
        if excluded.len() > MAX_EXCLUDED_ATTACHMENTS {
            found.push(Problem::limit(
                "excludedAttachments",
                Rule::TooMany,
                MAX_EXCLUDED_ATTACHMENTS,
            ));
        }
        for (index, sha256) in excluded.iter().enumerate().take(MAX_EXCLUDED_ATTACHMENTS) {
            if !is_sha256(sha256) {
                found.push(
                    Problem::new(format!("excludedAttachments.{index}"), Rule::Malformed)
                        .detail("not a SHA-256 (64 lowercase hex digits)"),
                );
            }
        }
    }
    crate::Error::check(found)
}

/// Whether `text` is a SHA-256 as blobs are named: 64 lowercase hex digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excluded_attachments_are_sha256s_and_bounded() {
        let sha = "ab".repeat(32);
        let over = |list: Vec<String>| ContextOverride {
            excluded_attachments: Some(list),
            ..ContextOverride::default()
        };
        assert!(validate_override(&over(vec![sha.clone()])).is_ok());
        let Err(crate::Error::InvalidInput(problems)) =
            validate_override(&over(vec![sha.clone(), sha.to_uppercase(), "x".into()]))
        else {
            panic!("refused");
        };
        let paths: Vec<_> = problems.iter().map(|p| (p.path.as_str(), p.rule)).collect();
        assert_eq!(
            paths,
            [
                ("excludedAttachments.1", Rule::Malformed),
                ("excludedAttachments.2", Rule::Malformed)
            ]
        );
        let Err(crate::Error::InvalidInput(problems)) =
            validate_override(&over(vec![sha; MAX_EXCLUDED_ATTACHMENTS + 1]))
        else {
            panic!("refused");
        };
        assert_eq!(
            problems,
            [Problem::limit(
                "excludedAttachments",
                Rule::TooMany,
                MAX_EXCLUDED_ATTACHMENTS
            )]
        );
    }
}
