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
-- Attachments, stored once by the SHA-256 (lowercase hex) of `data`, inside the database
-- file so that backups, restore and the file's size include them. `bytes` is the length of
-- `data`, kept apart so totals need not read the data.
CREATE TABLE blobs (
    sha256     TEXT    PRIMARY KEY,
    mime       TEXT    NOT NULL,
    bytes      INTEGER NOT NULL,
    data       BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);
-- Which message uses which blob: a blob no row names is garbage. Deleting a message drops its
-- rows (one level of cascade, never nested).
CREATE TABLE message_blobs (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    sha256     TEXT NOT NULL REFERENCES blobs(sha256),
    PRIMARY KEY (message_id, sha256)
);
CREATE INDEX message_blobs_sha256 ON message_blobs (sha256);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "DROP INDEX message_blobs_sha256;
             DROP TABLE message_blobs;
             DROP TABLE blobs;",
        )
        .await
    }
}
