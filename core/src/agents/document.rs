//! The stored and shared form of an agent: the JSON of the `agents` table's columns and of the
//! `confab-agents` file. Its field names are snake_case (`agent_id`, `app_preset`,
//! `suggested_questions`, ...) and stay so: files already written must keep importing, and
//! other tools read and write them. The IPC types in the parent module are camelCase like the
//! rest of the IPC; these types convert to and from them.

use serde::{Deserialize, Serialize};

use super::{AgentInput, AgentParams, AppPreset};
use crate::vocab::{ContextPolicy, PromptMessage, snake_case};

/// The parameters under their stored (snake_case) names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub(super) struct ParamsDoc(#[serde(with = "snake_case")] pub AgentParams);

impl From<AgentParams> for ParamsDoc {
    fn from(params: AgentParams) -> Self {
        Self(params)
    }
}

impl From<ParamsDoc> for AgentParams {
    fn from(doc: ParamsDoc) -> Self {
        doc.0
    }
}

/// Keys this version does not know are kept in `extra` and written back unchanged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct AppPresetDoc {
    pub name: String,
    pub description: String,
    pub avatar: String,
    pub greetings: Vec<String>,
    pub suggested_questions: Vec<String>,
    pub creation_date: Option<String>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

const KNOWN_PRESET_KEYS: [&str; 6] = [
    "name",
    "description",
    "avatar",
    "greetings",
    "suggested_questions",
    "creation_date",
];

impl From<AppPreset> for AppPresetDoc {
    fn from(p: AppPreset) -> Self {
        // An extra key named like a known one would overwrite it when flattened.
        let extra = p
            .extra
            .into_iter()
            .filter(|(key, _)| !KNOWN_PRESET_KEYS.contains(&key.as_str()))
            .collect();
        Self {
            name: p.name,
            description: p.description,
            avatar: p.avatar,
            greetings: p.greetings,
            suggested_questions: p.suggested_questions,
            creation_date: p.creation_date,
            extra,
        }
    }
}

impl From<AppPresetDoc> for AppPreset {
    fn from(p: AppPresetDoc) -> Self {
        Self {
            name: p.name,
            description: p.description,
            avatar: p.avatar,
            greetings: p.greetings,
            suggested_questions: p.suggested_questions,
            creation_date: p.creation_date,
            extra: p.extra,
        }
    }
}

/// One agent of a `confab-agents` file. `context_policy` keeps the keys it has always had
/// in files and in the database (`maxMessages`, `maxContextTokens`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct AgentDoc {
    pub agent_id: String,
    pub provider_id: Option<String>,
    pub model: Option<String>,
    pub params: ParamsDoc,
    pub preset_messages: Vec<PromptMessage>,
    pub app_preset: AppPresetDoc,
    pub context_policy: ContextPolicy,
}

impl From<AgentInput> for AgentDoc {
    fn from(a: AgentInput) -> Self {
        Self {
            agent_id: a.agent_id,
            provider_id: a.provider_id,
            model: a.model,
            params: a.params.into(),
            preset_messages: a.preset_messages,
            app_preset: a.app_preset.into(),
            context_policy: a.context_policy,
        }
    }
}
