//! Every rule an agent must meet, reported all at once with the field that breaks it (its
//! path in the camelCase input the UI sends), so an import can list each problem of each
//! agent and the editor can place each one at its field.

use super::{AgentInput, AgentParams, AppPreset};
use crate::problem::{Problem, Rule};
use crate::store::entities::message::Role;
use crate::vocab::ContextPolicy;

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
    fn add(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    fn max_chars(&mut self, field: impl Into<String>, text: &str, max: usize) {
        if text.chars().count() > max {
            self.add(Problem::limit(field, Rule::TooLong, max));
        }
    }
}

/// The problems of a (normalized) agent; empty when it is valid.
pub fn problems(agent: &AgentInput) -> Vec<Problem> {
    let mut report = Report::default();
    if !is_slug(&agent.agent_id) {
        report
            .add(Problem::limit("agentId", Rule::InvalidSlug, MAX_SLUG_LEN).value(&agent.agent_id));
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
    let mut range = |field: &str, value: Option<f64>, min: i32, max: i32| {
        if let Some(value) = value
            && !(value.is_finite() && (f64::from(min)..=f64::from(max)).contains(&value))
        {
            report.add(Problem::out_of_range(format!("params.{field}"), min, max));
        }
    };
    range("temperature", params.temperature, 0, 2);
    range("topP", params.top_p, 0, 1);
    range("presencePenalty", params.presence_penalty, -2, 2);
    range("frequencyPenalty", params.frequency_penalty, -2, 2);
    if let Some(max_tokens) = params.max_tokens
        && !(1..=1_000_000).contains(&max_tokens)
    {
        report.add(Problem::out_of_range("params.maxTokens", 1, 1_000_000));
    }
}

fn preset_messages(report: &mut Report, agent: &AgentInput) {
    let messages = &agent.preset_messages;
    if messages.len() > MAX_PRESET_MESSAGES {
        report.add(Problem::limit(
            "presetMessages",
            Rule::TooMany,
            MAX_PRESET_MESSAGES,
        ));
    }
    let total: usize = messages.iter().map(|m| m.content.len()).sum();
    if total > MAX_PRESET_BYTES {
        report.add(Problem::limit(
            "presetMessages",
            Rule::TooLarge,
            MAX_PRESET_BYTES,
        ));
    }
    for (i, message) in messages.iter().enumerate() {
        if message.role == Role::Tool {
            report.add(Problem::new(
                format!("presetMessages.{i}.role"),
                Rule::PresetRole,
            ));
        }
        if message.content.trim().is_empty() {
            report.add(Problem::required(format!("presetMessages.{i}.content")));
        }
    }
}

fn app_preset(report: &mut Report, preset: &AppPreset) {
    report.max_chars("appPreset.name", &preset.name, MAX_NAME_CHARS);
    report.max_chars(
        "appPreset.description",
        &preset.description,
        MAX_DESCRIPTION_CHARS,
    );
    report.max_chars("appPreset.avatar", &preset.avatar, MAX_AVATAR_CHARS);
    let lists = [
        ("greetings", &preset.greetings, MAX_GREETING_CHARS),
        (
            "suggestedQuestions",
            &preset.suggested_questions,
            MAX_QUESTION_CHARS,
        ),
    ];
    for (field, items, max_chars) in lists {
        if items.len() > MAX_LIST_ITEMS {
            report.add(Problem::limit(
                format!("appPreset.{field}"),
                Rule::TooMany,
                MAX_LIST_ITEMS,
            ));
        }
        for (i, item) in items.iter().enumerate() {
            if item.trim().is_empty() {
                report.add(Problem::required(format!("appPreset.{field}.{i}")));
            }
            report.max_chars(format!("appPreset.{field}.{i}"), item, max_chars);
        }
    }
}

fn context_policy(report: &mut Report, policy: ContextPolicy) {
    if policy.max_messages == Some(0) {
        report.add(Problem::new("contextPolicy.maxMessages", Rule::AtLeast).min(1));
    }
    if let Some(tokens) = policy.max_context_tokens
        && !(256..=10_000_000).contains(&tokens)
    {
        report.add(Problem::out_of_range(
            "contextPolicy.maxContextTokens",
            256,
            10_000_000,
        ));
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
        let fields: Vec<_> = problems(&agent).into_iter().map(|p| p.path).collect();
        assert_eq!(
            fields,
            [
                "agentId",
                "params.temperature",
                "params.topP",
                "params.presencePenalty",
                "params.maxTokens",
                "appPreset.greetings.0"
            ]
        );
    }

    /// The UI translates each rule with its params and places it by path
    /// (ui/src/features/agents/components/agentErrors.ts).
    #[test]
    fn each_rule_comes_with_its_path_and_params() {
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
                    attachments: Vec::new(),
                },
                crate::chat::PromptMessage {
                    role: Role::User,
                    content: " ".into(),
                    attachments: Vec::new(),
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
        let limit = |path: &str, rule, max: usize| Problem::limit(path, rule, max);
        assert_eq!(
            problems(&agent),
            [
                limit("agentId", Rule::InvalidSlug, 64).value("Bad Id"),
                limit("model", Rule::TooLong, 200),
                Problem::out_of_range("params.temperature", 0, 2),
                Problem::out_of_range("params.maxTokens", 1, 1_000_000),
                Problem::new("presetMessages.0.role", Rule::PresetRole),
                Problem::required("presetMessages.1.content"),
                limit("appPreset.avatar", Rule::TooLong, 32),
                limit("appPreset.greetings.0", Rule::TooLong, 4000),
                Problem::required("appPreset.suggestedQuestions.0"),
                Problem::new("contextPolicy.maxMessages", Rule::AtLeast).min(1),
                Problem::out_of_range("contextPolicy.maxContextTokens", 256, 10_000_000),
            ]
        );
        let many = AgentInput {
            agent_id: "ok".into(),
            preset_messages: vec![
                crate::chat::PromptMessage {
                    role: Role::User,
                    content: "x".repeat(MAX_PRESET_BYTES / 2 + 1),
                    attachments: Vec::new(),
                };
                2
            ],
            app_preset: AppPreset {
                greetings: vec!["hi".into(); MAX_LIST_ITEMS + 1],
                ..AppPreset::default()
            },
            ..AgentInput::default()
        };
        assert_eq!(
            problems(&many),
            [
                limit("presetMessages", Rule::TooLarge, MAX_PRESET_BYTES),
                limit("appPreset.greetings", Rule::TooMany, MAX_LIST_ITEMS),
            ]
        );
    }
}
