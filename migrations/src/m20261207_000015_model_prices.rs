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
-- The user's own price of a model at a provider, per million tokens, in `currency` (ISO
-- 4217). The prices Confab ships live in the core; a row here wins over them.
CREATE TABLE model_prices (
    provider_id  TEXT    NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    model        TEXT    NOT NULL,
    input        REAL    NOT NULL,
    cached_input REAL,
    output       REAL    NOT NULL,
    currency     TEXT    NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (provider_id, model)
);
-- What each reply cost (`meta.cost`, set when it was stored), for the statistics page.
-- Like the other stat_ columns: virtual, and covered by the statistics index, which is made
-- again with them.
ALTER TABLE messages ADD COLUMN stat_cost REAL
    GENERATED ALWAYS AS (CASE WHEN json_valid(meta) THEN json_extract(meta, '$.cost.amount') END)
    VIRTUAL;
ALTER TABLE messages ADD COLUMN stat_currency TEXT
    GENERATED ALWAYS AS
        (CASE WHEN json_valid(meta) THEN json_extract(meta, '$.cost.currency') END)
    VIRTUAL;
DROP INDEX messages_stats;
CREATE INDEX messages_stats ON messages
    (created_at, conversation_id, state, stat_model, stat_prompt_tokens, stat_completion_tokens,
     stat_currency, stat_cost);
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
                  stat_completion_tokens);
             ALTER TABLE messages DROP COLUMN stat_currency;
             ALTER TABLE messages DROP COLUMN stat_cost;
             DROP TABLE model_prices;",
        )
        .await
    }
}
