//! Agents as a file: `{ "format": "confab-agents", "version": 1, "agents": [ ... ] }`, each
//! agent in the snake_case shape of [`AgentDoc`] (`agent_id`, `app_preset`, ...).
//!
//! Export writes no secrets and no provider details: `provider_id` is always `null` (a
//! provider id means nothing on another machine, and its URL and key are not the agent's),
//! while `model` is kept. An imported agent therefore uses the default provider until one is
//! picked. Import checks the whole file first and writes all of it or nothing.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::document::{AgentDoc, AppPresetDoc, ParamsDoc};
use super::{Agent, AgentInput, insert, problems, reference_problems};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::begin_write;
use crate::store::entities::agent;

pub const AGENTS_FORMAT: &str = "confab-agents";
pub const AGENTS_VERSION: u64 = 1;
/// Largest file read: far beyond any real set of agents, small enough to parse at once.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

#[derive(Serialize)]
struct Document {
    format: &'static str,
    version: u64,
    agents: Vec<AgentDoc>,
}

/// The agents `ids` (all but the built-in one when `ids` is empty), as a document.
pub async fn export(db: &DatabaseConnection, ids: &[String]) -> Result<String> {
    let query = agent::Entity::find().order_by_asc(agent::Column::CreatedAt);
    let rows = if ids.is_empty() {
        query
            .filter(agent::Column::Builtin.eq(false))
            .all(db)
            .await?
    } else {
        let rows = query
            .filter(agent::Column::Id.is_in(ids.iter().cloned()))
            .all(db)
            .await?;
        if let Some(missing) = ids.iter().find(|id| !rows.iter().any(|r| &r.id == *id)) {
            return Err(Error::not_found("agent", missing.clone()));
        }
        rows
    };
    let agents = rows
        .into_iter()
        .map(|row| {
            AgentDoc::from(AgentInput {
                provider_id: None,
                ..AgentInput::from(Agent::from(row))
            })
        })
        .collect();
    let document = Document {
        format: AGENTS_FORMAT,
        version: AGENTS_VERSION,
        agents,
    };
    serde_json::to_string_pretty(&document).map_err(|error| Error::internal("export", error))
}

/// Imports every agent of `text`, or none: any problem fails the whole file, and the error
/// lists each one by its path (`agents.2.agentId`, taken).
pub async fn import(db: &DatabaseConnection, text: &str) -> Result<Vec<Agent>> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(Problem::limit(
            "file",
            Rule::TooLarge,
            MAX_IMPORT_BYTES,
        )));
    }
    let agents = parse(text)?;
    let txn = begin_write(db).await?;
    let mut found = Vec::new();
    let mut inputs = Vec::new();
    let mut first_use: HashMap<String, usize> = HashMap::new();
    for (i, item) in agents.iter().enumerate() {
        let Some(input) = read_agent(item, i, &mut found) else {
            continue;
        };
        let input = input.normalized();
        let mut own = problems(&input);
        own.extend(reference_problems(&txn, &input, None).await?);
        found.extend(own.into_iter().map(|p| p.under(&format!("agents.{i}"))));
        if let Some(first) = first_use.get(&input.agent_id) {
            found.push(
                Problem::new(format!("agents.{i}.agentId"), Rule::Duplicate)
                    .value(format!("agents.{first}")),
            );
        } else {
            first_use.insert(input.agent_id.clone(), i);
        }
        inputs.push(input);
    }
    Error::check(found)?;
    let mut imported = Vec::with_capacity(inputs.len());
    for input in inputs {
        imported.push(insert(&txn, input).await?);
    }
    txn.commit().await?;
    Ok(imported)
}

/// The `agents` array of a well-formed document of this format and version.
fn parse(text: &str) -> Result<Vec<serde_json::Value>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|error| {
        Error::invalid(Problem::invalid_json("file", error.line(), error.column()))
    })?;
    let wrong_format = |found: Option<&str>| {
        let problem = Problem::new("format", Rule::WrongFormat);
        Err(Error::invalid(match found {
            Some(found) => problem.value(found),
            None => problem,
        }))
    };
    let Some(document) = value.as_object() else {
        return wrong_format(None);
    };
    match document.get("format").and_then(|f| f.as_str()) {
        Some(AGENTS_FORMAT) => {}
        other => return wrong_format(other),
    }
    match document.get("version").and_then(serde_json::Value::as_u64) {
        Some(AGENTS_VERSION) => {}
        Some(version) => {
            return Err(Error::invalid(
                Problem::limit("version", Rule::UnsupportedVersion, AGENTS_VERSION)
                    .value(version.to_string()),
            ));
        }
        None => {
            return Err(Error::invalid(
                Problem::new("version", Rule::Malformed).detail("missing or not a whole number"),
            ));
        }
    }
    match document.get("agents").and_then(|a| a.as_array()) {
        Some(agents) if !agents.is_empty() => Ok(agents.clone()),
        Some(_) => Err(Error::invalid(Problem::required("agents"))),
        None => Err(Error::invalid(
            Problem::new("agents", Rule::Malformed).detail("expected a list of agents"),
        )),
    }
}

/// One agent of the file, field by field so that a wrong type is reported at its path.
fn read_agent(item: &serde_json::Value, i: usize, found: &mut Vec<Problem>) -> Option<AgentInput> {
    let Some(object) = item.as_object() else {
        found.push(
            Problem::new(format!("agents.{i}"), Rule::Malformed).detail("expected an object"),
        );
        return None;
    };
    let before = found.len();
    let get = |name: &str| object.get(name).filter(|v| !v.is_null()).cloned();
    let mut input = AgentInput::default();
    match get("agent_id") {
        Some(value) => input.agent_id = typed(value, "agent_id", i, found).unwrap_or_default(),
        None => found.push(Problem::required(format!("agents.{i}.agent_id"))),
    }
    if let Some(value) = get("provider_id") {
        input.provider_id = typed(value, "provider_id", i, found);
    }
    if let Some(value) = get("model") {
        input.model = typed(value, "model", i, found);
    }
    if let Some(value) = get("params") {
        input.params = typed::<ParamsDoc>(value, "params", i, found)
            .unwrap_or_default()
            .into();
    }
    if let Some(value) = get("preset_messages") {
        input.preset_messages = typed(value, "preset_messages", i, found).unwrap_or_default();
    }
    if let Some(value) = get("app_preset") {
        input.app_preset = typed::<AppPresetDoc>(value, "app_preset", i, found)
            .unwrap_or_default()
            .into();
    }
    if let Some(value) = get("context_policy") {
        input.context_policy = typed(value, "context_policy", i, found).unwrap_or_default();
    }
    (found.len() == before).then_some(input)
}

fn typed<T: DeserializeOwned>(
    value: serde_json::Value,
    name: &str,
    i: usize,
    found: &mut Vec<Problem>,
) -> Option<T> {
    match serde_json::from_value(value) {
        Ok(value) => Some(value),
        Err(error) => {
            // The parser's words name the wrong type; they go with the problem, untranslated.
            found.push(
                Problem::new(format!("agents.{i}.{name}"), Rule::Malformed)
                    .detail(error.to_string()),
            );
            None
        }
    }
}
