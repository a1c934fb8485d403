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
-- created_at is the per-message timestamp: stored and shown, never sent to a provider.
-- An assistant reply is written once, when its stream ends (see stream_checkpoints).
CREATE TABLE messages (
    rid             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    content         TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'complete'
                            CHECK (state IN ('complete', 'partial', 'error', 'cancelled')),
    in_context      INTEGER NOT NULL DEFAULT 1 CHECK (in_context IN (0, 1)),
    meta            TEXT    NOT NULL DEFAULT '{}',
    debug           TEXT
);
-- Opening a conversation reads its last N messages and pages back by seq.
CREATE UNIQUE INDEX messages_by_conversation_seq ON messages (conversation_id, seq);
-- Stats per day.
CREATE INDEX messages_by_created_at ON messages (created_at);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP TABLE messages;").await
    }
}
