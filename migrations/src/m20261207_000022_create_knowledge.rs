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
-- A knowledge base: files and folders of the person's, read, cut into chunks, embedded with
-- `embedding_model` of `provider_id`, and searched before a reply. `dimensions` is known
-- after the first embedding; `paused` stops its ingestion until resumed.
CREATE TABLE knowledge_bases (
    id              TEXT    PRIMARY KEY NOT NULL,
    name            TEXT    NOT NULL,
    provider_id     TEXT    REFERENCES providers (id) ON DELETE SET NULL,
    embedding_model TEXT    NOT NULL DEFAULT '',
    dimensions      INTEGER,
    rerank_model    TEXT,
    chunk_tokens    INTEGER NOT NULL DEFAULT 400,
    chunk_overlap   INTEGER NOT NULL DEFAULT 60,
    top_k           INTEGER NOT NULL DEFAULT 5,
    context_tokens  INTEGER NOT NULL DEFAULT 2000,
    paused          INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
-- What the person added: a file, or a folder read with everything below it (watched while
-- the app runs when `watch` is set).
CREATE TABLE knowledge_sources (
    id       TEXT    PRIMARY KEY NOT NULL,
    kb_id    TEXT    NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
    path     TEXT    NOT NULL,
    is_folder INTEGER NOT NULL,
    watch    INTEGER NOT NULL DEFAULT 1,
    added_at INTEGER NOT NULL,
    UNIQUE (kb_id, path)
);
-- Each file of a source and where its indexing stands: pending, indexed, no_text (read, but
-- no text in it: a scan), failed (`error` says why). `sha256` is the content indexed, so an
-- unchanged file is never embedded twice; `embedded_with` the model its vectors came from.
CREATE TABLE knowledge_files (
    id            INTEGER PRIMARY KEY,
    kb_id         TEXT    NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
    source_id     TEXT    NOT NULL REFERENCES knowledge_sources (id) ON DELETE CASCADE,
    path          TEXT    NOT NULL,
    size          INTEGER NOT NULL DEFAULT 0,
    modified_at   INTEGER NOT NULL DEFAULT 0,
    sha256        TEXT,
    status        TEXT    NOT NULL DEFAULT 'pending',
    error         TEXT,
    chunks        INTEGER NOT NULL DEFAULT 0,
    tokens        INTEGER NOT NULL DEFAULT 0,
    embedded_with TEXT,
    updated_at    INTEGER NOT NULL,
    UNIQUE (kb_id, path)
);
CREATE INDEX knowledge_files_status ON knowledge_files (kb_id, status);
-- The chunks of a file: the text, where it starts in the document's text, its page and the
-- headings above it. `rid` is the key of its vector in the index.
CREATE TABLE knowledge_chunks (
    rid     INTEGER PRIMARY KEY,
    kb_id   TEXT    NOT NULL,
    file_id INTEGER NOT NULL REFERENCES knowledge_files (id) ON DELETE CASCADE,
    ord     INTEGER NOT NULL,
    text    TEXT    NOT NULL,
    start   INTEGER NOT NULL,
    page    INTEGER,
    heading TEXT    NOT NULL DEFAULT '',
    tokens  INTEGER NOT NULL
);
CREATE INDEX knowledge_chunks_file ON knowledge_chunks (file_id, ord);
CREATE INDEX knowledge_chunks_kb ON knowledge_chunks (kb_id);
-- A chunk's embedding (little-endian f32), the source the vector index is built from.
CREATE TABLE knowledge_vectors (
    rid    INTEGER PRIMARY KEY REFERENCES knowledge_chunks (rid) ON DELETE CASCADE,
    vector BLOB NOT NULL
);
CREATE VIRTUAL TABLE knowledge_chunks_fts USING fts5(
    text, content='knowledge_chunks', content_rowid='rid', tokenize='trigram'
);
CREATE TRIGGER knowledge_chunks_fts_insert AFTER INSERT ON knowledge_chunks BEGIN
    INSERT INTO knowledge_chunks_fts (rowid, text) VALUES (new.rid, new.text);
END;
CREATE TRIGGER knowledge_chunks_fts_delete AFTER DELETE ON knowledge_chunks BEGIN
    INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rowid, text)
    VALUES ('delete', old.rid, old.text);
END;
-- The knowledge bases an agent searches, and those one conversation adds to its agent's.
CREATE TABLE agent_knowledge (
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    kb_id    TEXT NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
    PRIMARY KEY (agent_id, kb_id)
);
CREATE TABLE conversation_knowledge (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    kb_id           TEXT NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, kb_id)
);
CREATE INDEX agent_knowledge_kb ON agent_knowledge (kb_id);
CREATE INDEX conversation_knowledge_kb ON conversation_knowledge (kb_id);
            "#,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(
            manager,
            "DROP TABLE conversation_knowledge; DROP TABLE agent_knowledge;
             DROP TRIGGER knowledge_chunks_fts_insert; DROP TRIGGER knowledge_chunks_fts_delete;
             DROP TABLE knowledge_chunks_fts; DROP TABLE knowledge_vectors;
             DROP TABLE knowledge_chunks; DROP TABLE knowledge_files;
             DROP TABLE knowledge_sources; DROP TABLE knowledge_bases;",
        )
        .await
    }
}
