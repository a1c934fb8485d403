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
-- The names of a provider's secret extra headers (a JSON list). Their values live in the OS
-- keychain, one entry per header, never here. Values of credential-looking headers saved
-- before this column existed are moved to the keychain by the core at start-up.
ALTER TABLE providers ADD COLUMN secret_headers TEXT NOT NULL DEFAULT '[]';
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "ALTER TABLE providers DROP COLUMN secret_headers;").await
    }
}
