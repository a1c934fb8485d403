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
-- The statistics page reads the model and token counts of every message in a window of
-- days (and of all messages, for the totals). Reading them out of the `meta` JSON of each
-- row means fetching and parsing the whole row; at a million messages that takes seconds.
-- Virtual generated columns cost no storage in the table, and the covering index below
-- answers every statistics query from the index alone. `json_valid` keeps a row whose meta
-- is not JSON insertable (its figures are simply NULL).
ALTER TABLE messages ADD COLUMN stat_model TEXT
    GENERATED ALWAYS AS (CASE WHEN json_valid(meta) THEN json_extract(meta, '$.model') END)
    VIRTUAL;
ALTER TABLE messages ADD COLUMN stat_prompt_tokens INTEGER
    GENERATED ALWAYS AS (CASE WHEN json_valid(meta) THEN json_extract(meta, '$.promptTokens') END)
    VIRTUAL;
ALTER TABLE messages ADD COLUMN stat_completion_tokens INTEGER
    GENERATED ALWAYS AS
        (CASE WHEN json_valid(meta) THEN json_extract(meta, '$.completionTokens') END)
    VIRTUAL;
-- Leads with created_at, so it replaces messages_by_created_at.
CREATE INDEX messages_stats ON messages
    (created_at, conversation_id, state, stat_model, stat_prompt_tokens, stat_completion_tokens);
DROP INDEX messages_by_created_at;
-- The latest failed replies, newest first.
CREATE INDEX messages_errors ON messages (created_at) WHERE state = 'error';
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "DROP INDEX messages_errors;
             DROP INDEX messages_stats;
             CREATE INDEX messages_by_created_at ON messages (created_at);
             ALTER TABLE messages DROP COLUMN stat_completion_tokens;
             ALTER TABLE messages DROP COLUMN stat_prompt_tokens;
             ALTER TABLE messages DROP COLUMN stat_model;",
        )
        .await
    }
}
