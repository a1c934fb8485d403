//! The `knowledge_bases` and `knowledge_sources` tables (migration 22), and which knowledge
//! bases an agent or a conversation searches.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use super::types::{KnowledgeBase, KnowledgeBaseInput, KnowledgeCounts, KnowledgeSource};
use crate::error::{Error, Result};
use crate::store::now_ms;

fn stmt(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

const BASE_COLUMNS: &str = "id, name, provider_id, embedding_model, dimensions, rerank_model, \
    chunk_tokens, chunk_overlap, top_k, context_tokens, paused, created_at, updated_at, \
    index_images";

fn base_of(row: &QueryResult) -> Result<KnowledgeBase> {
    Ok(KnowledgeBase {
        id: row.try_get_by_index(0)?,
        name: row.try_get_by_index(1)?,
        provider_id: row.try_get_by_index(2)?,
        embedding_model: row.try_get_by_index(3)?,
        dimensions: row.try_get_by_index(4)?,
        rerank_model: row.try_get_by_index(5)?,
        chunk_tokens: row.try_get_by_index(6)?,
        chunk_overlap: row.try_get_by_index(7)?,
        top_k: row.try_get_by_index(8)?,
        context_tokens: row.try_get_by_index(9)?,
        paused: row.try_get_by_index(10)?,
        created_at: row.try_get_by_index(11)?,
        updated_at: row.try_get_by_index(12)?,
        index_images: row.try_get_by_index(13)?,
        counts: KnowledgeCounts::default(),
    })
}

/// Every knowledge base, by name, without counts.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<KnowledgeBase>> {
    let rows = db
        .query_all_raw(stmt(
            &format!("SELECT {BASE_COLUMNS} FROM knowledge_bases ORDER BY name COLLATE NOCASE"),
            [],
        ))
        .await?;
    rows.iter().map(base_of).collect()
}

/// One knowledge base, without counts; `NotFound` when there is none.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<KnowledgeBase> {
    let row = db
        .query_one_raw(stmt(
            &format!("SELECT {BASE_COLUMNS} FROM knowledge_bases WHERE id = ?"),
            [id.into()],
        ))
        .await?;
    match row {
        Some(row) => base_of(&row),
        None => Err(Error::NotFound {
            what: "knowledge base",
            id: id.to_string(),
        }),
    }
}

/// How its files stand, and the space its chunks and vectors take.
pub async fn counts(db: &impl ConnectionTrait, id: &str) -> Result<KnowledgeCounts> {
    let row = db
        .query_one_raw(stmt(
            "SELECT COUNT(*),
                    COALESCE(SUM(status = 'indexed'), 0), COALESCE(SUM(status = 'pending'), 0),
                    COALESCE(SUM(status = 'no_text'), 0), COALESCE(SUM(status = 'failed'), 0),
                    COALESCE(SUM(chunks), 0)
             FROM knowledge_files WHERE kb_id = ?",
            [id.into()],
        ))
        .await?;
    let bytes = db
        .query_one_raw(stmt(
            "SELECT COALESCE(SUM(LENGTH(CAST(c.text AS BLOB)) + COALESCE(LENGTH(v.vector), 0)), 0)
             FROM knowledge_chunks c LEFT JOIN knowledge_vectors v ON v.rid = c.rid
             WHERE c.kb_id = ?",
            [id.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(KnowledgeCounts::default());
    };
    Ok(KnowledgeCounts {
        files: row.try_get_by_index(0)?,
        indexed: row.try_get_by_index(1)?,
        pending: row.try_get_by_index(2)?,
        no_text: row.try_get_by_index(3)?,
        failed: row.try_get_by_index(4)?,
        chunks: row.try_get_by_index(5)?,
        bytes: match bytes {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        },
    })
}

pub async fn insert(db: &impl ConnectionTrait, id: &str, input: &KnowledgeBaseInput) -> Result<()> {
    let now = now_ms();
    db.execute_raw(stmt(
        "INSERT INTO knowledge_bases (id, name, provider_id, embedding_model, rerank_model,
             chunk_tokens, chunk_overlap, top_k, context_tokens, index_images, created_at,
             updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            id.into(),
            input.name.clone().into(),
            input.provider_id.clone().into(),
            input.embedding_model.clone().into(),
            input.rerank_model.clone().into(),
            input.chunk_tokens.into(),
            input.chunk_overlap.into(),
            input.top_k.into(),
            input.context_tokens.into(),
            input.index_images.into(),
            now.into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Saves the person's settings; `reembed` forgets the dimensions (a new model's vectors
/// replace the old ones).
pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    input: &KnowledgeBaseInput,
    reembed: bool,
) -> Result<()> {
    db.execute_raw(stmt(
        "UPDATE knowledge_bases SET name = ?, provider_id = ?, embedding_model = ?,
             rerank_model = ?, chunk_tokens = ?, chunk_overlap = ?, top_k = ?,
             context_tokens = ?, index_images = ?, updated_at = ?,
             dimensions = CASE WHEN ? THEN NULL ELSE dimensions END
         WHERE id = ?",
        [
            input.name.clone().into(),
            input.provider_id.clone().into(),
            input.embedding_model.clone().into(),
            input.rerank_model.clone().into(),
            input.chunk_tokens.into(),
            input.chunk_overlap.into(),
            input.top_k.into(),
            input.context_tokens.into(),
            input.index_images.into(),
            now_ms().into(),
            reembed.into(),
            id.into(),
        ],
    ))
    .await?;
    Ok(())
}

pub async fn set_paused(db: &impl ConnectionTrait, id: &str, paused: bool) -> Result<()> {
    db.execute_raw(stmt(
        "UPDATE knowledge_bases SET paused = ? WHERE id = ?",
        [paused.into(), id.into()],
    ))
    .await?;
    Ok(())
}

pub async fn set_dimensions(db: &impl ConnectionTrait, id: &str, dimensions: u32) -> Result<()> {
    db.execute_raw(stmt(
        "UPDATE knowledge_bases SET dimensions = ? WHERE id = ?",
        [dimensions.into(), id.into()],
    ))
    .await?;
    Ok(())
}

/// Deletes a knowledge base with its sources, files, chunks and vectors.
pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<bool> {
    let done = db
        .execute_raw(stmt(
            "DELETE FROM knowledge_bases WHERE id = ?",
            [id.into()],
        ))
        .await?;
    Ok(done.rows_affected() > 0)
}

fn source_of(row: &QueryResult) -> Result<KnowledgeSource> {
    Ok(KnowledgeSource {
        id: row.try_get_by_index(0)?,
        path: row.try_get_by_index(1)?,
        is_folder: row.try_get_by_index(2)?,
        watch: row.try_get_by_index(3)?,
        files: row.try_get_by_index(4)?,
    })
}

const SOURCE_SELECT: &str = "SELECT s.id, s.path, s.is_folder, s.watch,
        (SELECT COUNT(*) FROM knowledge_files f WHERE f.source_id = s.id)
     FROM knowledge_sources s";

/// The sources of a knowledge base, in the order they were added.
pub async fn sources(db: &impl ConnectionTrait, kb_id: &str) -> Result<Vec<KnowledgeSource>> {
    let rows = db
        .query_all_raw(stmt(
            &format!("{SOURCE_SELECT} WHERE s.kb_id = ? ORDER BY s.added_at, s.id"),
            [kb_id.into()],
        ))
        .await?;
    rows.iter().map(source_of).collect()
}

/// Every watched folder of every knowledge base: (kb id, source).
pub async fn watched_folders(db: &impl ConnectionTrait) -> Result<Vec<(String, KnowledgeSource)>> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT s.id, s.path, s.is_folder, s.watch,
                    (SELECT COUNT(*) FROM knowledge_files f WHERE f.source_id = s.id), s.kb_id
             FROM knowledge_sources s WHERE s.is_folder AND s.watch",
            [],
        ))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(5)?, source_of(row)?)))
        .collect()
}

pub async fn source(db: &impl ConnectionTrait, kb_id: &str, id: &str) -> Result<KnowledgeSource> {
    let row = db
        .query_one_raw(stmt(
            &format!("{SOURCE_SELECT} WHERE s.kb_id = ? AND s.id = ?"),
            [kb_id.into(), id.into()],
        ))
        .await?;
    match row {
        Some(row) => source_of(&row),
        None => Err(Error::NotFound {
            what: "knowledge source",
            id: id.to_string(),
        }),
    }
}

/// Adds a source, or returns the one already there for `path`.
pub async fn add_source(
    db: &impl ConnectionTrait,
    kb_id: &str,
    id: &str,
    path: &str,
    is_folder: bool,
) -> Result<KnowledgeSource> {
    db.execute_raw(stmt(
        "INSERT INTO knowledge_sources (id, kb_id, path, is_folder, watch, added_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kb_id, path) DO NOTHING",
        [
            id.into(),
            kb_id.into(),
            path.into(),
            is_folder.into(),
            is_folder.into(),
            now_ms().into(),
        ],
    ))
    .await?;
    let row = db
        .query_one_raw(stmt(
            &format!("{SOURCE_SELECT} WHERE s.kb_id = ? AND s.path = ?"),
            [kb_id.into(), path.into()],
        ))
        .await?;
    match row {
        Some(row) => source_of(&row),
        None => Err(Error::internal("knowledge source", "not stored")),
    }
}

pub async fn remove_source(db: &impl ConnectionTrait, kb_id: &str, id: &str) -> Result<bool> {
    let done = db
        .execute_raw(stmt(
            "DELETE FROM knowledge_sources WHERE kb_id = ? AND id = ?",
            [kb_id.into(), id.into()],
        ))
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn set_watch(
    db: &impl ConnectionTrait,
    kb_id: &str,
    id: &str,
    watch: bool,
) -> Result<bool> {
    let done = db
        .execute_raw(stmt(
            "UPDATE knowledge_sources SET watch = ? WHERE kb_id = ? AND id = ? AND is_folder",
            [watch.into(), kb_id.into(), id.into()],
        ))
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The knowledge bases attached to an agent (`table` `agent_knowledge`) or a conversation
/// (`conversation_knowledge`).
pub async fn attached(db: &impl ConnectionTrait, owner: Owner<'_>) -> Result<Vec<String>> {
    let (table, column, id) = owner.parts();
    let rows = db
        .query_all_raw(stmt(
            &format!(
                "SELECT a.kb_id FROM {table} a JOIN knowledge_bases k ON k.id = a.kb_id
                 WHERE a.{column} = ? ORDER BY k.name COLLATE NOCASE"
            ),
            [id.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index(0)?))
        .collect()
}

/// Replaces the knowledge bases attached to `owner` (ids that name no knowledge base are
/// left out).
pub async fn set_attached(
    db: &impl ConnectionTrait,
    owner: Owner<'_>,
    kb_ids: &[String],
) -> Result<()> {
    let (table, column, id) = owner.parts();
    db.execute_raw(stmt(
        &format!("DELETE FROM {table} WHERE {column} = ?"),
        [id.clone().into()],
    ))
    .await?;
    for kb_id in kb_ids {
        db.execute_raw(stmt(
            &format!(
                "INSERT OR IGNORE INTO {table} ({column}, kb_id)
                 SELECT ?, id FROM knowledge_bases WHERE id = ?"
            ),
            [id.clone().into(), kb_id.clone().into()],
        ))
        .await?;
    }
    Ok(())
}

/// Who knowledge bases are attached to.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    Agent(&'a str),
    Conversation(&'a str),
}

impl Owner<'_> {
    fn parts(&self) -> (&'static str, &'static str, String) {
        match self {
            Owner::Agent(id) => ("agent_knowledge", "agent_id", (*id).to_string()),
            Owner::Conversation(id) => (
                "conversation_knowledge",
                "conversation_id",
                (*id).to_string(),
            ),
        }
    }
}
