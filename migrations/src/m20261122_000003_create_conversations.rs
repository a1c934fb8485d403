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
-- context_override: {system_prompt, preset_messages} for this conversation only.
CREATE TABLE conversations (
    rid              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,
    agent_id         TEXT    REFERENCES agents (id) ON DELETE SET NULL,
    title            TEXT    NOT NULL DEFAULT '',
    context_override TEXT,
    status           TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    pinned           INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
-- The sidebar list: pinned first, newest first, per status (and per agent).
CREATE INDEX conversations_by_list_order ON conversations (status, pinned DESC, updated_at DESC);
CREATE INDEX conversations_by_agent ON conversations (agent_id, updated_at DESC);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP TABLE conversations;").await
    }
}
