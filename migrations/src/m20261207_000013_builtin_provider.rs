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
-- The built-in connection (until now an address and model from the environment and a key
-- under the keychain account "provider:default") becomes an ordinary provider. A migration
-- runs once per database, so a provider the person deletes later stays deleted. The
-- environment's address and model, and the key (moved to this provider's own keychain
-- account), are filled in by the core at start-up. The values below match the core's
-- defaults for the built-in provider.
INSERT OR IGNORE INTO providers
    (id, name, kind, base_url, default_model, extra_headers, secret_headers, key_ref,
     created_at, updated_at)
VALUES
    ('builtin', 'Built-in', 'openai-compatible', 'https://api.openai.com/v1', 'gpt-4o-mini',
     '{}', '[]', NULL,
     CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
     CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DELETE FROM providers WHERE id = 'builtin';").await
    }
}
