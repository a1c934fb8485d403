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
-- The text read out of a document blob (PDF, DOCX, ...), once per blob: what a request
-- sends for the file and what search finds. `page_starts` is a JSON array of byte offsets
-- in `text` where each page, slide or sheet starts (empty for formats without pages);
-- `tokens` counts the whole text. Goes with its blob.
CREATE TABLE blob_texts (
    rid         INTEGER PRIMARY KEY,
    sha256      TEXT    NOT NULL UNIQUE REFERENCES blobs(sha256) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    pages       INTEGER,
    page_starts TEXT    NOT NULL DEFAULT '[]',
    chars       INTEGER NOT NULL,
    tokens      INTEGER NOT NULL,
    truncated   INTEGER NOT NULL DEFAULT 0
);
CREATE VIRTUAL TABLE blob_texts_fts USING fts5(
    text, content='blob_texts', content_rowid='rid', tokenize='trigram'
);
CREATE TRIGGER blob_texts_fts_insert AFTER INSERT ON blob_texts BEGIN
    INSERT INTO blob_texts_fts (rowid, text) VALUES (new.rid, new.text);
END;
CREATE TRIGGER blob_texts_fts_delete AFTER DELETE ON blob_texts BEGIN
    INSERT INTO blob_texts_fts (blob_texts_fts, rowid, text) VALUES ('delete', old.rid, old.text);
END;
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "DROP TRIGGER blob_texts_fts_insert; DROP TRIGGER blob_texts_fts_delete;
             DROP TABLE blob_texts_fts; DROP TABLE blob_texts;",
        )
        .await
    }
}
