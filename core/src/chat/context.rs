//! What a request sends: the preset (agent prompt, or the conversation's override) and as
//! much recent history as the context policy allows, counted in tokens.
//!
//! Only role, text and a person's attachments go out: ids, timestamps, states and meta never
//! leave the app, and greetings are not messages at all (they live in the agent's
//! `app_preset`). Attachments are counted in the budget like text (see
//! [`super::outgoing::attachment_tokens`]); those the conversation leaves out
//! (`excluded_attachments`) are not sent.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;
use specta::Type;

use super::outgoing::{attachment_tokens, sha256_of};
use crate::error::Result;
use crate::store::entities::{agent, conversation};
use crate::store::tree;
use crate::vocab::{ContextOverride, ContextPolicy, PromptMessage, Role, count_tokens};

/// History messages never read for one request, whatever the policy: beyond any context.
const HISTORY_SCAN_LIMIT: u64 = 5_000;

/// What a continuation asks after the unfinished reply (the last message of the history).
/// The OpenAI API has no portable "continue the last assistant message" flag, so the
/// request says it in words; the instruction is never stored or shown.
pub fn continue_instruction() -> PromptMessage {
    PromptMessage::new(
        Role::User,
        "Your previous reply was cut off. Continue it exactly where it stopped, without \
         repeating anything already written and without any preamble.",
    )
}

/// Tokens of one message as chat models count them: its text and attachments plus a small
/// framing cost.
pub fn message_tokens(message: &PromptMessage) -> u32 {
    const FRAMING: u32 = 4;
    message
        .attachments
        .iter()
        .map(attachment_tokens)
        .fold(count_tokens(&message.content), u32::saturating_add)
        .saturating_add(FRAMING)
}

/// The preset to send: the override's preset messages, else the agent's; the override's
/// system prompt, when set, replaces the preset's system messages.
pub fn preset(
    agent_preset: Vec<PromptMessage>,
    context_override: Option<ContextOverride>,
) -> Vec<PromptMessage> {
    let mut preset = match context_override {
        None => agent_preset,
        Some(over) => {
            let mut preset = over.preset_messages.unwrap_or(agent_preset);
            if let Some(prompt) = over.system_prompt.filter(|p| !p.trim().is_empty()) {
                preset.retain(|message| message.role != Role::System);
                preset.insert(0, PromptMessage::new(Role::System, prompt));
            }
            preset
        }
    };
    // Attachments belong to stored messages only: a preset naming one sends its text.
    for message in &mut preset {
        message.attachments.clear();
    }
    preset
}

/// The request: `preset` in full, then the newest history (given newest first) that fits
/// `policy`, oldest first. The newest message is always sent, even alone over budget.
pub fn fit(
    preset: Vec<PromptMessage>,
    history_newest_first: Vec<PromptMessage>,
    policy: ContextPolicy,
) -> Vec<PromptMessage> {
    let max_messages = policy.max_messages.map_or(usize::MAX, |n| n as usize);
    let mut budget = policy.max_context_tokens.unwrap_or(u32::MAX);
    for message in &preset {
        budget = budget.saturating_sub(message_tokens(message));
    }
    let mut kept = Vec::new();
    for message in history_newest_first.into_iter().take(max_messages.max(1)) {
        let cost = message_tokens(&message);
        if cost > budget && !kept.is_empty() {
            break;
        }
        budget = budget.saturating_sub(cost);
        kept.push(message);
    }
    kept.reverse();
    let mut request = preset;
    request.extend(kept);
    request
}

/// Everything a request for `conversation` needs, read from the store.
pub async fn build(
    db: &impl ConnectionTrait,
    conversation: &conversation::Model,
    last: &str,
) -> Result<Vec<PromptMessage>> {
    Ok(assemble(db, conversation, Some(last)).await?.0)
}

/// What the next request of a conversation would send, and its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContextPreview {
    pub messages: Vec<PromptMessage>,
    /// Tokens of `messages`, counted as for trimming.
    pub tokens: u32,
    /// The agent's token budget for a request, if it has one.
    pub budget: Option<u32>,
    /// The knowledge bases searched before each reply, whose passages come on top of
    /// `messages` (before the question); `None` when there are none.
    pub knowledge: Option<ContextKnowledge>,
}

/// What knowledge a request of a conversation gets besides its messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContextKnowledge {
    /// The knowledge bases' names.
    pub bases: Vec<String>,
    /// The most tokens their passages take in one request.
    pub tokens: u32,
    /// The most passages one request gets.
    pub passages: u32,
}

pub async fn preview(
    db: &impl ConnectionTrait,
    conversation: &conversation::Model,
) -> Result<ContextPreview> {
    let leaf = tree::leaf(db, conversation).await?;
    let (messages, policy) = assemble(db, conversation, leaf.as_deref()).await?;
    let tokens = messages
        .iter()
        .map(message_tokens)
        .fold(0u32, u32::saturating_add);
    Ok(ContextPreview {
        messages,
        tokens,
        budget: policy.max_context_tokens,
        knowledge: None,
    })
}

/// The conversation's agent's preset messages and context policy (the defaults when it has
/// no agent any more).
pub(super) async fn agent_context(
    db: &impl ConnectionTrait,
    conversation: &conversation::Model,
) -> Result<(Vec<PromptMessage>, ContextPolicy)> {
    let agent = match &conversation.agent_id {
        Some(id) => agent::Entity::find_by_id(id.clone()).one(db).await?,
        None => None,
    };
    let agent_preset = agent
        .as_ref()
        .and_then(|a| serde_json::from_value::<Vec<PromptMessage>>(a.preset_messages.clone()).ok())
        .unwrap_or_default();
    let policy = agent
        .as_ref()
        .and_then(|a| serde_json::from_value::<ContextPolicy>(a.context_policy.clone()).ok())
        .unwrap_or_default();
    Ok((agent_preset, policy))
}

/// The conversation's preset as its requests send it (its own override, else the agent's)
/// and its context policy.
pub(super) async fn preset_and_policy(
    db: &impl ConnectionTrait,
    conversation: &conversation::Model,
) -> Result<(Vec<PromptMessage>, ContextPolicy)> {
    let (agent_preset, policy) = agent_context(db, conversation).await?;
    let context_override = conversation
        .context_override
        .clone()
        .and_then(|value| serde_json::from_value::<ContextOverride>(value).ok());
    Ok((preset(agent_preset, context_override), policy))
}

/// The request for a reply after message `last` (the end of the branch it follows; `None`
/// for an empty conversation).
async fn assemble(
    db: &impl ConnectionTrait,
    conversation: &conversation::Model,
    last: Option<&str>,
) -> Result<(Vec<PromptMessage>, ContextPolicy)> {
    let (agent_preset, policy) = agent_context(db, conversation).await?;
    let mut context_override = conversation
        .context_override
        .clone()
        .and_then(|value| serde_json::from_value::<ContextOverride>(value).ok());
    let excluded: HashSet<String> = context_override
        .as_mut()
        .and_then(|over| over.excluded_attachments.take())
        .unwrap_or_default()
        .into_iter()
        .collect();

    let scan = policy
        .max_messages
        .map_or(HISTORY_SCAN_LIMIT, |n| u64::from(n).min(HISTORY_SCAN_LIMIT));
    let history = match last {
        Some(last) => tree::recent_context(db, last, scan).await?,
        None => Vec::new(),
    };
    let history = history
        .into_iter()
        // A tool result needs its tool call to be sent as such; until tools exist, stored
        // tool output goes to the model as user text.
        .map(|(role, content, mut attachments)| {
            attachments.retain(|part| !excluded.contains(sha256_of(part)));
            PromptMessage {
                role: if role == Role::Tool { Role::User } else { role },
                content,
                attachments,
            }
        })
        // A message of attachments alone that are all left out has nothing to send.
        .filter(|message| !message.content.is_empty() || !message.attachments.is_empty())
        .collect();
    Ok((
        fit(preset(agent_preset, context_override), history, policy),
        policy,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(role: Role, content: &str) -> PromptMessage {
        PromptMessage::new(role, content)
    }

    #[test]
    fn the_request_is_preset_then_the_newest_history_that_fits() {
        let preset = vec![
            msg(Role::System, "You are terse."),
            msg(Role::User, "Style: bullet points."),
        ];
        let history_newest_first = vec![
            msg(Role::User, "third question"),
            msg(Role::Assistant, "second answer ".repeat(40).trim_end()),
            msg(Role::User, "second question"),
            msg(Role::Assistant, "first answer"),
            msg(Role::User, "first question"),
        ];
        let budget: u32 = preset.iter().map(message_tokens).sum::<u32>()
            + message_tokens(&history_newest_first[0])
            + message_tokens(&history_newest_first[1]);
        let request = fit(
            preset,
            history_newest_first,
            ContextPolicy {
                max_messages: None,
                max_context_tokens: Some(budget),
            },
        );
        let wire = serde_json::to_value(&request).expect("serializes");
        assert_eq!(
            wire,
            serde_json::json!([
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Style: bullet points."},
                {"role": "assistant", "content": "second answer ".repeat(40).trim_end()},
                {"role": "user", "content": "third question"}
            ]),
            "preset kept whole; oldest turns dropped first"
        );
    }

    #[test]
    fn max_messages_limits_history_but_never_the_preset() {
        let preset = vec![msg(Role::System, "p")];
        let history = vec![
            msg(Role::User, "3"),
            msg(Role::Assistant, "2"),
            msg(Role::User, "1"),
        ];
        let request = fit(
            preset,
            history,
            ContextPolicy {
                max_messages: Some(2),
                max_context_tokens: None,
            },
        );
        let texts: Vec<_> = request.iter().map(|m| m.content.as_str()).collect();
        assert_eq!(texts, ["p", "2", "3"]);
    }

    #[test]
    fn the_newest_message_is_sent_even_when_it_alone_is_over_budget() {
        let history = vec![
            msg(Role::User, &"long ".repeat(500)),
            msg(Role::User, "old"),
        ];
        let request = fit(
            vec![],
            history,
            ContextPolicy {
                max_messages: None,
                max_context_tokens: Some(10),
            },
        );
        assert_eq!(request.len(), 1);
    }

    #[test]
    fn an_override_system_prompt_replaces_the_agents_system_messages() {
        let agent = vec![
            msg(Role::System, "agent prompt"),
            msg(Role::User, "example"),
        ];
        let over = ContextOverride {
            system_prompt: Some("conversation prompt".into()),
            ..ContextOverride::default()
        };
        assert_eq!(
            preset(agent.clone(), Some(over)),
            vec![
                msg(Role::System, "conversation prompt"),
                msg(Role::User, "example")
            ]
        );
        let replace = ContextOverride {
            preset_messages: Some(vec![msg(Role::User, "only")]),
            ..ContextOverride::default()
        };
        assert_eq!(
            preset(agent.clone(), Some(replace)),
            vec![msg(Role::User, "only")]
        );
        assert_eq!(preset(agent.clone(), None), agent);
    }

    #[test]
    fn chinese_text_is_counted_in_tokens_not_bytes() {
        let tokens = message_tokens(&msg(Role::User, "今天天气怎么样？"));
        assert!((5..=16).contains(&tokens), "{tokens}");
    }
}
