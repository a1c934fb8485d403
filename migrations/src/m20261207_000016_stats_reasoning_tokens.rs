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
-- Tokens a reply spent reasoning (`meta.reasoningTokens`), for the statistics page's totals.
-- Like the other stat_ columns: virtual, and covered by the statistics index, which is made
-- again with it, so the totals stay an index-only scan.
ALTER TABLE messages ADD COLUMN stat_reasoning_tokens INTEGER
    GENERATED ALWAYS AS
        (CASE WHEN json_valid(meta) THEN json_extract(meta, '$.reasoningTokens') END)
    VIRTUAL;
DROP INDEX messages_stats;
CREATE INDEX messages_stats ON messages
    (created_at, conversation_id, state, stat_model, stat_prompt_tokens, stat_completion_tokens,
     stat_currency, stat_cost, stat_reasoning_tokens);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "DROP INDEX messages_stats;
             CREATE INDEX messages_stats ON messages
                 (created_at, conversation_id, state, stat_model, stat_prompt_tokens,
                  stat_completion_tokens, stat_currency, stat_cost);
             ALTER TABLE messages DROP COLUMN stat_reasoning_tokens;",
        )
        .await
    }
}
