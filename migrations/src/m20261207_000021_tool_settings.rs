use sea_orm_migration::prelude::*;

use crate::exec;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            r#"
-- Which MCP servers' tools an agent may use, the tools it leaves out and those that run
-- without asking: {"servers": [id], "disabled": ["id/tool"], "alwaysAllowed": ["id/tool"]}.
ALTER TABLE agents ADD COLUMN tools TEXT NOT NULL DEFAULT '{}';
-- The per-conversation switch: a conversation may turn its agent's tools off.
ALTER TABLE conversations ADD COLUMN tools_enabled INTEGER NOT NULL DEFAULT 1;
-- A running reply's finished tool steps (parts before its current text), so a crash in the
-- middle of the loop recovers them.
ALTER TABLE stream_checkpoints ADD COLUMN steps TEXT;
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "ALTER TABLE stream_checkpoints DROP COLUMN steps;
             ALTER TABLE conversations DROP COLUMN tools_enabled;
             ALTER TABLE agents DROP COLUMN tools;",
        )
        .await
    }
}
