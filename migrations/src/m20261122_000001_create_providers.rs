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
-- A connection profile. The API key is never here: key_ref names its OS keychain entry.
CREATE TABLE providers (
    id            TEXT    PRIMARY KEY NOT NULL,
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL DEFAULT 'openai-compatible'
                          CHECK (kind IN ('openai-compatible')),
    base_url      TEXT    NOT NULL,
    default_model TEXT    NOT NULL DEFAULT '',
    extra_headers TEXT    NOT NULL DEFAULT '{}',
    key_ref       TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP TABLE providers;").await
    }
}
