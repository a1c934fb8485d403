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
-- MCP servers the user added. `transport` is 'stdio' (command, args, cwd, env) or 'http'
-- (url, headers). `env` and `headers` map a name to {"value": ...} for a plain value or
-- {"secret": true} for a secret one, whose value is in the OS keychain
-- (`mcp:<id>:env:<NAME>`, `mcp:<id>:header:<name>`): never in this file.
CREATE TABLE mcp_servers (
    id                TEXT    PRIMARY KEY NOT NULL,
    name              TEXT    NOT NULL UNIQUE,
    transport         TEXT    NOT NULL CHECK (transport IN ('stdio', 'http')),
    command           TEXT,
    args              TEXT    NOT NULL DEFAULT '[]',
    cwd               TEXT,
    env               TEXT    NOT NULL DEFAULT '{}',
    url               TEXT,
    headers           TEXT    NOT NULL DEFAULT '{}',
    enabled           INTEGER NOT NULL DEFAULT 1,
    call_timeout_secs INTEGER NOT NULL DEFAULT 60,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP TABLE mcp_servers;").await
    }
}
