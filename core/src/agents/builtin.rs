//! The built-in default agent: every database has it, and it cannot be deleted.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::{AppPreset, app_preset_json, json};
use crate::error::Result;
use crate::store::now_ms;
use crate::vocab::ContextPolicy;

/// The built-in agent's `id` and `agent_id`. It always exists and cannot be deleted.
pub const DEFAULT_AGENT_ID: &str = "default";

/// Creates the built-in default agent when it is missing (on every open; a no-op after the
/// first). The interface shows this name and description translated until they are edited
/// (`BUILTIN_NAME` in ui/src/features/agents/store/agentsStore.ts): keep the two in step.
pub async fn ensure_default_agent(db: &impl ConnectionTrait) -> Result<()> {
    let app_preset = app_preset_json(AppPreset {
        name: "Default".into(),
        description: "General conversation, no preset prompt.".into(),
        avatar: "💬".into(),
        ..AppPreset::default()
    })?;
    let policy = json(&ContextPolicy::default())?;
    let now = now_ms();
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT OR IGNORE INTO agents
           (id, agent_id, params, preset_messages, app_preset, context_policy, builtin,
            created_at, updated_at)
         VALUES (?, ?, '{}', '[]', ?, ?, 1, ?, ?)",
        [
            DEFAULT_AGENT_ID.into(),
            DEFAULT_AGENT_ID.into(),
            app_preset.to_string().into(),
            policy.to_string().into(),
            now.into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(())
}
