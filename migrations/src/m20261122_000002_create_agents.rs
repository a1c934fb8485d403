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
-- Agent presets. preset_messages: [{role, content}] sent first on every request.
-- app_preset: {name, description, avatar, greetings[], suggested_questions[], creation_date, ...};
-- greetings are shown, never sent. Deleting a provider that an agent uses is refused.
CREATE TABLE agents (
    id              TEXT    PRIMARY KEY NOT NULL,
    agent_id        TEXT    NOT NULL UNIQUE,
    provider_id     TEXT    REFERENCES providers (id) ON DELETE RESTRICT,
    model           TEXT,
    params          TEXT    NOT NULL DEFAULT '{}',
    preset_messages TEXT    NOT NULL DEFAULT '[]',
    app_preset      TEXT    NOT NULL DEFAULT '{}',
    context_policy  TEXT    NOT NULL DEFAULT '{}',
    builtin         INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX agents_by_provider ON agents (provider_id);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP TABLE agents;").await
    }
}
