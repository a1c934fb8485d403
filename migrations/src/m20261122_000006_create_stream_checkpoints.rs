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
-- The running text of a reply still streaming, saved about once a second so a crash loses
-- at most that much. Deleted when the reply is written to messages; rows left at start-up
-- become partial assistant messages.
CREATE TABLE stream_checkpoints (
    stream_id       TEXT    PRIMARY KEY NOT NULL,
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    model           TEXT    NOT NULL,
    content         TEXT    NOT NULL DEFAULT '',
    started_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX stream_checkpoints_by_conversation ON stream_checkpoints (conversation_id);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP TABLE stream_checkpoints;").await
    }
}
