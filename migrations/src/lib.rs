//! Confab's schema, owned by SeaORM migrations and applied at start-up by `Migrator::up`.
//!
//! The app is SQLite-only, so each migration is written as plain SQLite DDL: FTS5 tables,
//! triggers and partial indexes read better as SQL than through a portable builder.
//!
//! Conventions:
//! - Times are INTEGER unix milliseconds (UTC).
//! - JSON lives in TEXT columns and is validated by the core before it is written.
//! - `conversations` and `messages` keep an INTEGER PRIMARY KEY (`rid`) beside their uuid `id`:
//!   the FTS5 indexes are external-content tables keyed by rowid, and only an explicit
//!   INTEGER PRIMARY KEY keeps rowids stable across `VACUUM` and backups.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_providers;
mod m20261122_000002_create_agents;
mod m20261122_000003_create_conversations;
mod m20261122_000004_create_messages;
mod m20261122_000005_create_context_templates;
mod m20261122_000006_create_stream_checkpoints;
mod m20261122_000007_create_settings;
mod m20261122_000008_create_search_index;
mod m20261122_000009_checkpoint_continues;
mod m20261122_000010_create_message_stats_index;
mod m20261122_000011_recreate_conversation_list_index;
mod m20261207_000012_provider_secret_headers;
mod m20261207_000013_builtin_provider;
mod m20261207_000014_message_tree;
mod m20261207_000015_model_prices;
mod m20261207_000016_stats_reasoning_tokens;
mod m20261207_000017_create_blobs;
mod m20261207_000018_create_blob_texts;
mod m20261207_000019_create_model_capabilities;
mod m20261207_000020_create_mcp_servers;
mod m20261207_000021_tool_settings;
mod m20261207_000022_create_knowledge;
mod m20261207_000023_knowledge_images;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_providers::Migration),
            Box::new(m20261122_000002_create_agents::Migration),
            Box::new(m20261122_000003_create_conversations::Migration),
            Box::new(m20261122_000004_create_messages::Migration),
            Box::new(m20261122_000005_create_context_templates::Migration),
            Box::new(m20261122_000006_create_stream_checkpoints::Migration),
            Box::new(m20261122_000007_create_settings::Migration),
            Box::new(m20261122_000008_create_search_index::Migration),
            Box::new(m20261122_000009_checkpoint_continues::Migration),
            Box::new(m20261122_000010_create_message_stats_index::Migration),
            Box::new(m20261122_000011_recreate_conversation_list_index::Migration),
            Box::new(m20261207_000012_provider_secret_headers::Migration),
            Box::new(m20261207_000013_builtin_provider::Migration),
            Box::new(m20261207_000014_message_tree::Migration),
            Box::new(m20261207_000015_model_prices::Migration),
            Box::new(m20261207_000016_stats_reasoning_tokens::Migration),
            Box::new(m20261207_000017_create_blobs::Migration),
            Box::new(m20261207_000018_create_blob_texts::Migration),
            Box::new(m20261207_000019_create_model_capabilities::Migration),
            Box::new(m20261207_000020_create_mcp_servers::Migration),
            Box::new(m20261207_000021_tool_settings::Migration),
            Box::new(m20261207_000022_create_knowledge::Migration),
            Box::new(m20261207_000023_knowledge_images::Migration),
        ]
    }
}

/// Runs each statement of `sql` (several may be given, separated by `;`).
pub(crate) async fn exec(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared(sql)
        .await
        .map(|_| ())
}
