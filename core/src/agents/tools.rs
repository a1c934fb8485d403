//! An agent's tools: the lists checked before they are stored, and "always allow" written
//! when a person chooses it on a call.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};

use super::json;
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::entities::agent;
use crate::store::now_ms;
use crate::vocab::{AgentTools, MAX_AGENT_TOOL_ENTRIES};

/// Longest entry of the lists (a server id, or `<server id>/<tool>`).
const MAX_ENTRY_LEN: usize = 300;

/// The lists trimmed, without blanks or repeats, in their first order.
pub(super) fn normalized(tools: AgentTools) -> AgentTools {
    AgentTools {
        servers: unique(tools.servers),
        disabled: unique(tools.disabled),
        always_allowed: unique(tools.always_allowed),
    }
}

fn unique(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for entry in list {
        let entry = entry.trim();
        if !entry.is_empty() && !out.iter().any(|seen| seen == entry) {
            out.push(entry.to_string());
        }
    }
    out
}

pub(super) fn problems(tools: &AgentTools) -> Vec<Problem> {
    let mut found = Vec::new();
    for (path, list) in [
        ("tools.servers", &tools.servers),
        ("tools.disabled", &tools.disabled),
        ("tools.alwaysAllowed", &tools.always_allowed),
    ] {
        if list.len() > MAX_AGENT_TOOL_ENTRIES {
            found.push(Problem::limit(path, Rule::TooMany, MAX_AGENT_TOOL_ENTRIES));
        }
        if let Some(n) = list.iter().position(|entry| entry.len() > MAX_ENTRY_LEN) {
            found.push(Problem::limit(
                format!("{path}.{n}"),
                Rule::TooLong,
                MAX_ENTRY_LEN,
            ));
        }
    }
    found
}

/// Lets agent `id` run the tool `key` (`<server id>/<tool>`) from now on without asking.
pub async fn allow_tool(db: &impl ConnectionTrait, id: &str, key: &str) -> Result<()> {
    let row = agent::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("agent", id))?;
    let mut tools = AgentTools::read(&row.tools);
    if tools.always_allowed.iter().any(|entry| entry == key) {
        return Ok(());
    }
    tools.always_allowed.push(key.to_string());
    let mut model: agent::ActiveModel = row.into();
    model.tools = Set(json(&tools)?);
    model.updated_at = Set(now_ms());
    model.update(db).await?;
    Ok(())
}
