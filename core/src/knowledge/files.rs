//! The `knowledge_files`, `knowledge_chunks` and `knowledge_vectors` tables: each file of a
//! knowledge base with its status, and its chunks with their vectors.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use super::types::{FileStatus, KnowledgeFile, KnowledgeFilePage};
use crate::error::Result;
use crate::store::now_ms;

fn stmt(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

const FILE_COLUMNS: &str = "id, source_id, path, size, status, error, chunks, updated_at";

fn file_of(row: &QueryResult) -> Result<KnowledgeFile> {
    let status: String = row.try_get_by_index(4)?;
    let path: String = row.try_get_by_index(2)?;
    Ok(KnowledgeFile {
        id: row.try_get_by_index(0)?,
        source_id: row.try_get_by_index(1)?,
        image: super::scan::is_image_name(std::path::Path::new(&path)),
        path,
        size: row.try_get_by_index(3)?,
        status: FileStatus::parse(&status),
        error: row.try_get_by_index(5)?,
        chunks: row.try_get_by_index(6)?,
        updated_at: row.try_get_by_index(7)?,
    })
}

/// A page of a knowledge base's files, by path, optionally of one status.
pub async fn page(
    db: &impl ConnectionTrait,
    kb_id: &str,
    status: Option<FileStatus>,
    offset: u32,
    limit: u32,
) -> Result<KnowledgeFilePage> {
    let filter = status.map_or("", |_| " AND status = ?");
    let mut values: Vec<Value> = vec![kb_id.into()];
    if let Some(status) = status {
        values.push(status.as_str().into());
    }
    let total = db
        .query_one_raw(stmt(
            &format!("SELECT COUNT(*) FROM knowledge_files WHERE kb_id = ?{filter}"),
            values.clone(),
        ))
        .await?
        .map(|row| row.try_get_by_index::<u32>(0))
        .transpose()?
        .unwrap_or(0);
    values.push(limit.into());
    values.push(offset.into());
    let rows = db
        .query_all_raw(stmt(
            &format!(
                "SELECT {FILE_COLUMNS} FROM knowledge_files WHERE kb_id = ?{filter}
                 ORDER BY path LIMIT ? OFFSET ?"
            ),
            values,
        ))
        .await?;
    Ok(KnowledgeFilePage {
        files: rows.iter().map(file_of).collect::<Result<_>>()?,
        total,
    })
}

/// What a scan knows of a file already.
#[derive(Debug, Clone)]
pub struct Known {
    pub id: i64,
    pub size: i64,
    pub modified_at: i64,
    pub status: FileStatus,
    pub embedded_with: Option<String>,
}

/// The files a source holds now, by path.
pub async fn known(
    db: &impl ConnectionTrait,
    source_id: &str,
) -> Result<std::collections::HashMap<String, Known>> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT path, id, size, modified_at, status, embedded_with
             FROM knowledge_files WHERE source_id = ?",
            [source_id.into()],
        ))
        .await?;
    let mut known = std::collections::HashMap::with_capacity(rows.len());
    for row in rows {
        let status: String = row.try_get_by_index(4)?;
        known.insert(
            row.try_get_by_index(0)?,
            Known {
                id: row.try_get_by_index(1)?,
                size: row.try_get_by_index(2)?,
                modified_at: row.try_get_by_index(3)?,
                status: FileStatus::parse(&status),
                embedded_with: row.try_get_by_index(5)?,
            },
        );
    }
    Ok(known)
}

/// Records a file a scan found as waiting to be indexed (a new row, or the old one marked
/// pending with its new size and time).
pub async fn mark_pending(
    db: &impl ConnectionTrait,
    kb_id: &str,
    source_id: &str,
    path: &str,
    size: i64,
    modified_at: i64,
) -> Result<()> {
    db.execute_raw(stmt(
        "INSERT INTO knowledge_files (kb_id, source_id, path, size, modified_at, status, updated_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?)
         ON CONFLICT (kb_id, path) DO UPDATE SET size = excluded.size,
             modified_at = excluded.modified_at, status = 'pending', error = NULL,
             updated_at = excluded.updated_at",
        [
            kb_id.into(),
            source_id.into(),
            path.into(),
            size.into(),
            modified_at.into(),
            now_ms().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Marks every file of a knowledge base pending (its vectors are to be made again).
pub async fn mark_all_pending(db: &impl ConnectionTrait, kb_id: &str) -> Result<()> {
    db.execute_raw(stmt(
        "UPDATE knowledge_files SET status = 'pending', error = NULL, embedded_with = NULL, sha256 = NULL
         WHERE kb_id = ?",
        [kb_id.into()],
    ))
    .await?;
    Ok(())
}

/// Marks the failed files pending again (a re-index tries them once more).
pub async fn retry_failed(db: &impl ConnectionTrait, kb_id: &str) -> Result<()> {
    db.execute_raw(stmt(
        "UPDATE knowledge_files SET status = 'pending', error = NULL
         WHERE kb_id = ? AND status = 'failed'",
        [kb_id.into()],
    ))
    .await?;
    Ok(())
}

/// The next files waiting to be indexed: (id, path, sha256 indexed before, model).
pub async fn pending(
    db: &impl ConnectionTrait,
    kb_id: &str,
    limit: u32,
) -> Result<Vec<(i64, String, Option<String>, Option<String>)>> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT id, path, sha256, embedded_with FROM knowledge_files
             WHERE kb_id = ? AND status = 'pending' ORDER BY id LIMIT ?",
            [kb_id.into(), limit.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get_by_index(0)?,
                row.try_get_by_index(1)?,
                row.try_get_by_index(2)?,
                row.try_get_by_index(3)?,
            ))
        })
        .collect()
}

pub async fn pending_count(db: &impl ConnectionTrait, kb_id: &str) -> Result<u32> {
    Ok(db
        .query_one_raw(stmt(
            "SELECT COUNT(*) FROM knowledge_files WHERE kb_id = ? AND status = 'pending'",
            [kb_id.into()],
        ))
        .await?
        .map(|row| row.try_get_by_index::<u32>(0))
        .transpose()?
        .unwrap_or(0))
}

/// Ends a file's indexing without chunks: no text, or failed with `error`. Its content
/// hash goes too, so a retry reads it again (it never counts as unchanged and indexed).
pub async fn finish_without_chunks(
    db: &impl ConnectionTrait,
    file_id: i64,
    status: FileStatus,
    error: Option<&str>,
) -> Result<Vec<i64>> {
    let old = chunk_ids(db, file_id).await?;
    db.execute_raw(stmt(
        "DELETE FROM knowledge_chunks WHERE file_id = ?",
        [file_id.into()],
    ))
    .await?;
    db.execute_raw(stmt(
        "UPDATE knowledge_files SET status = ?, error = ?, chunks = 0, tokens = 0,
             sha256 = NULL, embedded_with = NULL, updated_at = ? WHERE id = ?",
        [
            status.as_str().into(),
            error.map(str::to_string).into(),
            now_ms().into(),
            file_id.into(),
        ],
    ))
    .await?;
    Ok(old)
}

/// Marks a file indexed with the content it was read from and the model of its vectors
/// (its chunks did not change: the same bytes).
pub async fn mark_unchanged(db: &impl ConnectionTrait, file_id: i64) -> Result<()> {
    db.execute_raw(stmt(
        "UPDATE knowledge_files SET status = 'indexed', error = NULL, updated_at = ?
         WHERE id = ?",
        [now_ms().into(), file_id.into()],
    ))
    .await?;
    Ok(())
}

/// The chunk ids of a file.
pub async fn chunk_ids(db: &impl ConnectionTrait, file_id: i64) -> Result<Vec<i64>> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT rid FROM knowledge_chunks WHERE file_id = ?",
            [file_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index(0)?))
        .collect()
}

/// The chunk ids of every file of a source, and of the files no scan found any more.
pub async fn remove_missing(
    db: &impl ConnectionTrait,
    source_id: &str,
    gone: &[i64],
) -> Result<Vec<i64>> {
    let mut removed = Vec::new();
    for id in gone {
        removed.extend(chunk_ids(db, *id).await?);
        db.execute_raw(stmt(
            "DELETE FROM knowledge_files WHERE id = ? AND source_id = ?",
            [(*id).into(), source_id.into()],
        ))
        .await?;
    }
    Ok(removed)
}

/// The chunk ids of a source's files (before the source is removed).
pub async fn source_chunk_ids(db: &impl ConnectionTrait, source_id: &str) -> Result<Vec<i64>> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT c.rid FROM knowledge_chunks c JOIN knowledge_files f ON f.id = c.file_id
             WHERE f.source_id = ?",
            [source_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index(0)?))
        .collect()
}

/// Whether `path` is a file of some knowledge base (what may be opened from a citation).
pub async fn is_known_path(db: &impl ConnectionTrait, path: &str) -> Result<bool> {
    Ok(db
        .query_one_raw(stmt(
            "SELECT 1 FROM knowledge_files WHERE path = ? LIMIT 1",
            [path.into()],
        ))
        .await?
        .is_some())
}

/// Deletes every vector of a knowledge base (its model changed).
pub async fn drop_vectors(db: &impl ConnectionTrait, kb_id: &str) -> Result<()> {
    db.execute_raw(stmt(
        "DELETE FROM knowledge_vectors WHERE rid IN (SELECT rid FROM knowledge_chunks WHERE kb_id = ?)",
        [kb_id.into()],
    ))
    .await?;
    Ok(())
}
