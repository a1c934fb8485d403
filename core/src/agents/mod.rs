//! Agents: a prompt (`preset_messages`, sent first on every request), a model and its
//! parameters, a context policy, and how the app presents the agent (`app_preset`: name,
//! avatar, greetings and suggested questions, which are shown and never sent).
//!
//! These types are the IPC form (camelCase, like the rest of the IPC). The database columns
//! and the import / export file keep their snake_case form (see [`document`]).

mod builtin;
mod date;
mod document;
mod tools;
mod transfer;
mod validate;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use specta::Type;

pub use builtin::{DEFAULT_AGENT_ID, ensure_default_agent};
pub use tools::allow_tool;
pub use transfer::{AGENTS_FORMAT, AGENTS_VERSION, MAX_IMPORT_BYTES, export, import};
pub use validate::{is_slug, problems};

use crate::problem::{Problem, Rule};

use date::today;
use document::{AppPresetDoc, ParamsDoc};

use crate::error::{Error, Result};
use crate::store::entities::{agent, provider};
use crate::store::{conversations, new_id, now_ms};
pub use crate::vocab::AgentParams;
use crate::vocab::{AgentTools, ContextPolicy, PromptMessage};

/// How the app presents an agent. Keys this version does not know are kept in `extra` and
/// written back unchanged, so a newer app's data survives a round trip through this one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AppPreset {
    pub name: String,
    pub description: String,
    /// An emoji.
    pub avatar: String,
    /// Shown when a conversation starts; never sent to the model.
    pub greetings: Vec<String>,
    /// Offered as one-click first messages.
    pub suggested_questions: Vec<String>,
    /// RFC 3339 (UTC); set when the agent is created or imported without one, then kept.
    pub creation_date: Option<String>,
    /// The stored keys this version does not know, under their stored (snake_case) names.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    pub id: String,
    pub agent_id: String,
    /// `None`: the app's default provider.
    pub provider_id: Option<String>,
    /// `None`: the provider's default model.
    pub model: Option<String>,
    pub params: AgentParams,
    pub preset_messages: Vec<PromptMessage>,
    pub app_preset: AppPreset,
    pub context_policy: ContextPolicy,
    /// The MCP tools it may use.
    pub tools: AgentTools,
    pub builtin: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<agent::Model> for Agent {
    fn from(model: agent::Model) -> Self {
        // The columns are written only from validated values; a hand-edited one that no
        // longer parses reads as its default rather than hiding the agent.
        Self {
            id: model.id,
            agent_id: model.agent_id,
            provider_id: model.provider_id,
            model: model.model,
            params: serde_json::from_value::<ParamsDoc>(model.params)
                .unwrap_or_default()
                .into(),
            preset_messages: serde_json::from_value(model.preset_messages).unwrap_or_default(),
            app_preset: serde_json::from_value::<AppPresetDoc>(model.app_preset)
                .unwrap_or_default()
                .into(),
            context_policy: serde_json::from_value(model.context_policy).unwrap_or_default(),
            tools: AgentTools::read(&model.tools),
            builtin: model.builtin,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

/// An agent as the UI edits it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentInput {
    pub agent_id: String,
    pub provider_id: Option<String>,
    pub model: Option<String>,
    pub params: AgentParams,
    pub preset_messages: Vec<PromptMessage>,
    pub app_preset: AppPreset,
    pub context_policy: ContextPolicy,
    pub tools: AgentTools,
}

impl AgentInput {
    /// Trimmed, with blank optional strings as `None`.
    pub fn normalized(mut self) -> Self {
        let blank_to_none = |value: Option<String>| {
            value
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        self.agent_id = self.agent_id.trim().to_string();
        self.provider_id = blank_to_none(self.provider_id);
        self.model = blank_to_none(self.model);
        self.app_preset.name = self.app_preset.name.trim().to_string();
        self
    }
}

impl From<Agent> for AgentInput {
    fn from(agent: Agent) -> Self {
        Self {
            agent_id: agent.agent_id,
            provider_id: agent.provider_id,
            model: agent.model,
            params: agent.params,
            preset_messages: agent.preset_messages,
            app_preset: agent.app_preset,
            context_policy: agent.context_policy,
            tools: agent.tools,
        }
    }
}

pub(super) fn json<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|error| Error::internal("agent json", error))
}

fn params_json(params: AgentParams) -> Result<serde_json::Value> {
    json(&ParamsDoc::from(params))
}

fn app_preset_json(preset: AppPreset) -> Result<serde_json::Value> {
    json(&AppPresetDoc::from(preset))
}

/// Problems that need the database: a slug taken by another agent, an unknown provider.
async fn reference_problems(
    db: &impl ConnectionTrait,
    input: &AgentInput,
    except_id: Option<&str>,
) -> Result<Vec<Problem>> {
    let mut found = Vec::new();
    let taken = agent::Entity::find()
        .filter(agent::Column::AgentId.eq(input.agent_id.as_str()))
        .one(db)
        .await?
        .filter(|other| Some(other.id.as_str()) != except_id);
    if taken.is_some() {
        found.push(Problem::new("agentId", Rule::Taken).value(&input.agent_id));
    }
    if let Some(provider_id) = &input.provider_id
        && provider::Entity::find_by_id(provider_id.clone())
            .one(db)
            .await?
            .is_none()
    {
        found.push(Problem::new("providerId", Rule::NoSuchProvider).value(provider_id));
    }
    Ok(found)
}

/// A normalized input, or every problem with it as one `invalid_input` error.
async fn checked(
    db: &impl ConnectionTrait,
    input: AgentInput,
    except_id: Option<&str>,
) -> Result<AgentInput> {
    let mut input = input.normalized();
    input.tools = tools::normalized(input.tools);
    let mut all = problems(&input);
    all.extend(tools::problems(&input.tools));
    all.extend(reference_problems(db, &input, except_id).await?);
    Error::check(all)?;
    Ok(input)
}

/// Inserts a checked input; an agent without a `creation_date` gets today's.
async fn insert(db: &impl ConnectionTrait, mut input: AgentInput) -> Result<Agent> {
    let now = now_ms();
    if input
        .app_preset
        .creation_date
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        input.app_preset.creation_date = Some(today());
    }
    let model = agent::ActiveModel {
        id: Set(new_id()),
        agent_id: Set(input.agent_id),
        provider_id: Set(input.provider_id),
        model: Set(input.model),
        params: Set(params_json(input.params)?),
        preset_messages: Set(json(&input.preset_messages)?),
        app_preset: Set(app_preset_json(input.app_preset)?),
        context_policy: Set(json(&input.context_policy)?),
        tools: Set(json(&input.tools)?),
        builtin: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(model.into())
}

pub async fn create(db: &impl ConnectionTrait, input: AgentInput) -> Result<Agent> {
    let input = checked(db, input, None).await?;
    insert(db, input).await
}

/// All agents: the built-in one first, then by creation.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Agent>> {
    let rows = agent::Entity::find()
        .order_by_desc(agent::Column::Builtin)
        .order_by_asc(agent::Column::CreatedAt)
        .order_by_asc(agent::Column::AgentId)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Agent::from).collect())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Agent> {
    find(db, id).await.map(Agent::from)
}

async fn find(db: &impl ConnectionTrait, id: &str) -> Result<agent::Model> {
    agent::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("agent", id))
}

/// Replaces the agent's fields. The built-in agent keeps its `agent_id`; every agent keeps
/// its `creation_date`.
pub async fn update(db: &impl ConnectionTrait, id: &str, input: AgentInput) -> Result<Agent> {
    let current = find(db, id).await?;
    let mut input = checked(db, input, Some(id)).await?;
    let created = Agent::from(current.clone()).app_preset.creation_date;
    if created.is_some() {
        input.app_preset.creation_date = created;
    }
    if current.builtin && input.agent_id != current.agent_id {
        return Err(Error::invalid(Problem::new(
            "agentId",
            Rule::BuiltinIdFixed,
        )));
    }
    let mut model: agent::ActiveModel = current.into();
    model.agent_id = Set(input.agent_id);
    model.provider_id = Set(input.provider_id);
    model.model = Set(input.model);
    model.params = Set(params_json(input.params)?);
    model.preset_messages = Set(json(&input.preset_messages)?);
    model.app_preset = Set(app_preset_json(input.app_preset)?);
    model.context_policy = Set(json(&input.context_policy)?);
    model.tools = Set(json(&input.tools)?);
    model.updated_at = Set(now_ms());
    Ok(model.update(db).await?.into())
}

/// Deletes the agent; its conversations stay (without an agent). The built-in agent stays.
pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<()> {
    if find(db, id).await?.builtin {
        return Err(Error::invalid(Problem::new("", Rule::BuiltinUndeletable)));
    }
    agent::Entity::delete_by_id(id.to_string()).exec(db).await?;
    Ok(())
}

/// A copy under the first free slug of `<slug>-copy`, `<slug>-copy-2`, ...
pub async fn duplicate(db: &impl ConnectionTrait, id: &str) -> Result<Agent> {
    let source = Agent::from(find(db, id).await?);
    let mut input = AgentInput::from(source);
    let base: String = input
        .agent_id
        .chars()
        .take(validate::MAX_SLUG_LEN - "-copy-1000".len())
        .collect();
    let base = base.trim_end_matches('-');
    let mut slug = None;
    for n in 1..1000 {
        let candidate = match n {
            1 => format!("{base}-copy"),
            n => format!("{base}-copy-{n}"),
        };
        let taken = agent::Entity::find()
            .filter(agent::Column::AgentId.eq(candidate.as_str()))
            .one(db)
            .await?
            .is_some();
        if !taken {
            slug = Some(candidate);
            break;
        }
    }
    input.agent_id = slug
        .ok_or_else(|| Error::invalid(Problem::new("agentId", Rule::TooManyCopies).value(base)))?;
    if !input.app_preset.name.is_empty() {
        input.app_preset.name = format!("{} (copy)", input.app_preset.name)
            .chars()
            .take(100)
            .collect();
    }
    create(db, input).await
}

/// The agent a conversation was started from (with its greetings and suggested questions,
/// for the UI to show), or `None`.
pub async fn for_conversation(
    db: &impl ConnectionTrait,
    conversation_id: &str,
) -> Result<Option<Agent>> {
    let conversation = conversations::find(db, conversation_id).await?;
    let Some(agent_id) = conversation.agent_id else {
        return Ok(None);
    };
    Ok(agent::Entity::find_by_id(agent_id)
        .one(db)
        .await?
        .map(Agent::from))
}
