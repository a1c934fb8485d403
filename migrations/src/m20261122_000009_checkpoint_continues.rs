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
-- A reply that continues an earlier, unfinished one names that message: its checkpoint
-- holds the whole text (old and new), and recovery updates the named message instead of
-- adding a second one. The checkpoint goes with the message if the message is deleted.
ALTER TABLE stream_checkpoints
    ADD COLUMN continues_message_id TEXT REFERENCES messages (id) ON DELETE CASCADE;
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "ALTER TABLE stream_checkpoints DROP COLUMN continues_message_id;",
        )
        .await
    }
}
