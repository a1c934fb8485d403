//! Every rule an agent must meet, reported all at once with the field that breaks it, so an
//! import can list each problem of each agent by its JSON path.

use super::{AgentInput, AgentParams, AppPreset};
use crate::store::entities::message::Role;
use crate::vocab::ContextPolicy;

/// One broken rule: `field` is a JSON path relative to the agent (`params.temperature`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

pub const MAX_SLUG_LEN: usize = 64;
const MAX_MODEL_CHARS: usize = 200;
const MAX_PRESET_MESSAGES: usize = 200;
const MAX_PRESET_BYTES: usize = 1 << 20;
const MAX_NAME_CHARS: usize = 100;
const MAX_DESCRIPTION_CHARS: usize = 2_000;
const MAX_AVATAR_CHARS: usize = 32;
const MAX_LIST_ITEMS: usize = 20;
const MAX_GREETING_CHARS: usize = 4_000;
const MAX_QUESTION_CHARS: usize = 500;

/// `^[a-z0-9][a-z0-9-]{0,63}$`
pub fn is_slug(slug: &str) -> bool {
    let bytes = slug.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_SLUG_LEN
        && bytes[0] != b'-'
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

#[derive(Default)]
struct Report(Vec<Problem>);

impl Report {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            field: field.into(),
            message: message.into(),
        });
    }

    fn max_chars(&mut self, field: impl Into<String>, text: &str, max: usize) {
        if text.chars().count() > max {
            self.add(field, format!("at most {max} characters"));
        }
    }
}

/// The problems of a (normalized) agent; empty when it is valid.
pub fn problems(agent: &AgentInput) -> Vec<Problem> {
    let mut report = Report::default();
    if !is_slug(&agent.agent_id) {
        report.add(
            "agent_id",
            format!(
                "{:?} is not a valid id: 1 to {MAX_SLUG_LEN} lowercase letters, digits or '-', \
                 not starting with '-'",
                agent.agent_id
            ),
        );
    }
    if let Some(model) = &agent.model {
        report.max_chars("model", model, MAX_MODEL_CHARS);
    }
    params(&mut report, &agent.params);
    preset_messages(&mut report, agent);
    app_preset(&mut report, &agent.app_preset);
    context_policy(&mut report, agent.context_policy);
    report.0
}

fn params(report: &mut Report, params: &AgentParams) {
    let mut range = |field: &str, value: Option<f64>, min: f64, max: f64| {
        if let Some(value) = value
            && !(value.is_finite() && (min..=max).contains(&value))
        {
            report.add(
                format!("params.{field}"),
                format!("must be between {min} and {max}"),
            );
        }
    };
    range("temperature", params.temperature, 0.0, 2.0);
    range("top_p", params.top_p, 0.0, 1.0);
    range("presence_penalty", params.presence_penalty, -2.0, 2.0);
    range("frequency_penalty", params.frequency_penalty, -2.0, 2.0);
    if let Some(max_tokens) = params.max_tokens
        && !(1..=1_000_000).contains(&max_tokens)
    {
        report.add("params.max_tokens", "must be between 1 and 1000000");
    }
}

fn preset_messages(report: &mut Report, agent: &AgentInput) {
    let messages = &agent.preset_messages;
    if messages.len() > MAX_PRESET_MESSAGES {
        report.add(
            "preset_messages",
            format!("at most {MAX_PRESET_MESSAGES} messages"),
        );
    }
    let total: usize = messages.iter().map(|m| m.content.len()).sum();
    if total > MAX_PRESET_BYTES {
        report.add("preset_messages", "at most 1 MiB of text in all");
    }
    for (i, message) in messages.iter().enumerate() {
        if message.role == Role::Tool {
            report.add(
                format!("preset_messages[{i}].role"),
                "must be system, user or assistant",
            );
        }
        if message.content.trim().is_empty() {
            report.add(format!("preset_messages[{i}].content"), "is empty");
        }
    }
}

fn app_preset(report: &mut Report, preset: &AppPreset) {
    report.max_chars("app_preset.name", &preset.name, MAX_NAME_CHARS);
    report.max_chars(
        "app_preset.description",
        &preset.description,
        MAX_DESCRIPTION_CHARS,
    );
    report.max_chars("app_preset.avatar", &preset.avatar, MAX_AVATAR_CHARS);
    let lists = [
        ("greetings", &preset.greetings, MAX_GREETING_CHARS),
        (
            "suggested_questions",
            &preset.suggested_questions,
            MAX_QUESTION_CHARS,
        ),
    ];
    for (field, items, max_chars) in lists {
        if items.len() > MAX_LIST_ITEMS {
            report.add(
                format!("app_preset.{field}"),
                format!("at most {MAX_LIST_ITEMS} items"),
            );
        }
        for (i, item) in items.iter().enumerate() {
            if item.trim().is_empty() {
                report.add(format!("app_preset.{field}[{i}]"), "is empty");
            }
            report.max_chars(format!("app_preset.{field}[{i}]"), item, max_chars);
        }
    }
}

fn context_policy(report: &mut Report, policy: ContextPolicy) {
    if policy.max_messages == Some(0) {
        report.add("context_policy.maxMessages", "must be at least 1 when set");
    }
    if let Some(tokens) = policy.max_context_tokens
        && !(256..=10_000_000).contains(&tokens)
    {
        report.add(
            "context_policy.maxContextTokens",
            "must be between 256 and 10000000 when set",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        for ok in ["a", "default", "code-review-2", "0x", &"a".repeat(64)] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "-a", "A", "a_b", "a b", "中文", &"a".repeat(65)] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn every_broken_rule_is_reported_with_its_field() {
        let agent = AgentInput {
            agent_id: "Bad Id".into(),
            params: AgentParams {
                temperature: Some(2.5),
                top_p: Some(f64::NAN),
                max_tokens: Some(0),
                presence_penalty: Some(-3.0),
                frequency_penalty: Some(2.0),
            },
            app_preset: AppPreset {
                greetings: vec![" ".into()],
                ..AppPreset::default()
            },
            ..AgentInput::default()
        };
        let fields: Vec<_> = problems(&agent).into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "agent_id",
                "params.temperature",
                "params.top_p",
                "params.presence_penalty",
                "params.max_tokens",
                "app_preset.greetings[0]"
            ]
        );
    }

    /// The UI translates these lines by their wording (ui/src/features/agents/components/
    /// agentErrors.ts, and its tests use these very lines): change both together.
    #[test]
    fn the_lines_the_ui_translates_are_these() {
        let agent = AgentInput {
            agent_id: "Bad Id".into(),
            model: Some("m".repeat(201)),
            params: AgentParams {
                temperature: Some(3.0),
                max_tokens: Some(0),
                ..AgentParams::default()
            },
            preset_messages: vec![
                crate::chat::PromptMessage {
                    role: Role::Tool,
                    content: "x".into(),
                },
                crate::chat::PromptMessage {
                    role: Role::User,
                    content: " ".into(),
                },
            ],
            app_preset: AppPreset {
                avatar: "a".repeat(33),
                greetings: vec!["g".repeat(4001)],
                suggested_questions: vec![String::new()],
                ..AppPreset::default()
            },
            context_policy: ContextPolicy {
                max_messages: Some(0),
                max_context_tokens: Some(10),
            },
            ..AgentInput::default()
        };
        let lines: Vec<_> = problems(&agent)
            .into_iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect();
        assert_eq!(
            lines,
            [
                "agent_id: \"Bad Id\" is not a valid id: 1 to 64 lowercase letters, digits or \
                 '-', not starting with '-'",
                "model: at most 200 characters",
                "params.temperature: must be between 0 and 2",
                "params.max_tokens: must be between 1 and 1000000",
                "preset_messages[0].role: must be system, user or assistant",
                "preset_messages[1].content: is empty",
                "app_preset.avatar: at most 32 characters",
                "app_preset.greetings[0]: at most 4000 characters",
                "app_preset.suggested_questions[0]: is empty",
                "context_policy.maxMessages: must be at least 1 when set",
                "context_policy.maxContextTokens: must be between 256 and 10000000 when set",
            ]
        );
    }
}
