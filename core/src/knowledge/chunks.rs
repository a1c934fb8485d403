//! The chunks of a knowledge base's files with their vectors: written once per file read,
//! searched by keyword (FTS5 trigram, so Chinese works) and read back for a hit.

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionSession, TransactionTrait, Value};

use super::chunk::Chunk;
use super::types::KnowledgeHit;
use crate::error::Result;
use crate::store::{begin_write, now_ms};

fn stmt(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

/// A file's new chunks, with their vectors when the knowledge base embeds.
pub struct FileChunks<'a> {
    pub kb_id: &'a str,
    pub file_id: i64,
    pub sha256: &'a str,
    pub chunks: &'a [Chunk],
    /// One per chunk, or none (keyword search only).
    pub vectors: Option<&'a [Vec<f32>]>,
    /// The model the vectors came from.
    pub model: Option<&'a str>,
    /// The file is an image: its one chunk is of kind `image`.
    pub image: bool,
}

/// Replaces a file's chunks in one transaction and marks it indexed. Returns the ids of
/// the chunks it had (to take out of the vector index) and of the new ones, in order.
pub async fn replace<C: TransactionTrait>(
    db: &C,
    file: FileChunks<'_>,
) -> Result<(Vec<i64>, Vec<i64>)> {
    let txn = begin_write(db).await?;
    let old = super::files::chunk_ids(&txn, file.file_id).await?;
    txn.execute_raw(stmt(
        "DELETE FROM knowledge_chunks WHERE file_id = ?",
        [file.file_id.into()],
    ))
    .await?;
    let mut new = Vec::with_capacity(file.chunks.len());
    let mut tokens = 0u32;
    for (i, chunk) in file.chunks.iter().enumerate() {
        tokens = tokens.saturating_add(chunk.tokens);
        let row = txn
            .query_one_raw(stmt(
                "INSERT INTO knowledge_chunks (kb_id, file_id, ord, text, start, page, heading, tokens, kind)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid",
                [
                    file.kb_id.into(),
                    file.file_id.into(),
                    chunk.ord.into(),
                    chunk.text.clone().into(),
                    chunk.start.into(),
                    chunk.page.into(),
                    chunk.heading.clone().into(),
                    chunk.tokens.into(),
                    if file.image { "image" } else { "text" }.into(),
                ],
            ))
            .await?;
        let rid: i64 = match row {
            Some(row) => row.try_get_by_index(0)?,
            None => continue,
        };
        if let Some(vector) = file.vectors.and_then(|vectors| vectors.get(i)) {
            txn.execute_raw(stmt(
                "INSERT INTO knowledge_vectors (rid, vector) VALUES (?, ?)",
                [rid.into(), to_bytes(vector).into()],
            ))
            .await?;
        }
        new.push(rid);
    }
    txn.execute_raw(stmt(
        "UPDATE knowledge_files SET status = 'indexed', error = NULL, chunks = ?, tokens = ?,
             sha256 = ?, embedded_with = ?, updated_at = ? WHERE id = ?",
        [
            u32::try_from(new.len()).unwrap_or(u32::MAX).into(),
            tokens.into(),
            file.sha256.into(),
            file.model.map(str::to_string).into(),
            now_ms().into(),
            file.file_id.into(),
        ],
    ))
    .await?;
    txn.commit().await?;
    Ok((old, new))
}

/// A vector as stored: little-endian f32.
pub fn to_bytes(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A stored vector read back; `None` when its length is not whole floats.
pub fn from_bytes(bytes: &[u8]) -> Option<Vec<f32>> {
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
    )
}

/// A page of a knowledge base's stored vectors after chunk `after`, by chunk id (what the
/// vector index is built from when its file is missing or stale).
pub async fn vectors_after(
    db: &impl ConnectionTrait,
    kb_id: &str,
    after: i64,
    limit: u32,
) -> Result<Vec<(i64, Vec<f32>)>> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT v.rid, v.vector FROM knowledge_vectors v
             JOIN knowledge_chunks c ON c.rid = v.rid
             WHERE c.kb_id = ? AND v.rid > ? ORDER BY v.rid LIMIT ?",
            [kb_id.into(), after.into(), limit.into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let rid: i64 = row.try_get_by_index(0)?;
        let bytes: Vec<u8> = row.try_get_by_index(1)?;
        if let Some(vector) = from_bytes(&bytes) {
            out.push((rid, vector));
        }
    }
    Ok(out)
}

/// How many vectors a knowledge base has stored.
pub async fn vector_count(db: &impl ConnectionTrait, kb_id: &str) -> Result<u64> {
    Ok(db
        .query_one_raw(stmt(
            "SELECT COUNT(*) FROM knowledge_vectors v JOIN knowledge_chunks c ON c.rid = v.rid
             WHERE c.kb_id = ?",
            [kb_id.into()],
        ))
        .await?
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// The chunks of a knowledge base matching `expression` (an FTS5 MATCH expression), best
/// first.
pub async fn keyword(
    db: &impl ConnectionTrait,
    kb_id: &str,
    expression: &str,
    limit: u32,
) -> Result<Vec<i64>> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT c.rid FROM knowledge_chunks_fts f JOIN knowledge_chunks c ON c.rid = f.rowid
             WHERE knowledge_chunks_fts MATCH ? AND c.kb_id = ?
             ORDER BY bm25(knowledge_chunks_fts) LIMIT ?",
            [expression.into(), kb_id.into(), limit.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index(0)?))
        .collect()
}

/// The chunks `ids` with their files, in the order of `ids` (ids no longer stored are left
/// out). `score` and `via` are left for the caller.
pub async fn hits(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<KnowledgeHit>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row = db
            .query_one_raw(stmt(
                "SELECT c.rid, c.kb_id, f.path, c.page, c.heading, c.text, c.kind = 'image'
                 FROM knowledge_chunks c JOIN knowledge_files f ON f.id = c.file_id
                 WHERE c.rid = ?",
                [(*id).into()],
            ))
            .await?;
        let Some(row) = row else { continue };
        let path: String = row.try_get_by_index(2)?;
        out.push(KnowledgeHit {
            chunk_id: row.try_get_by_index(0)?,
            kb_id: row.try_get_by_index(1)?,
            title: file_name(&path),
            path,
            page: row.try_get_by_index(3)?,
            heading: row.try_get_by_index(4)?,
            text: row.try_get_by_index(5)?,
            score: 0.0,
            via: Vec::new(),
            image: row.try_get_by_index(6)?,
        });
    }
    Ok(out)
}

/// The last component of a path, whichever separator it uses.
pub fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\'])
        .find(|part| !part.is_empty())
        .unwrap_or(path)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_survive_the_round_trip_and_ragged_bytes_are_refused() {
        let vector = vec![0.5, -1.25, f32::MIN_POSITIVE];
        assert_eq!(from_bytes(&to_bytes(&vector)), Some(vector));
        assert_eq!(from_bytes(&[1, 2, 3]), None);
    }

    #[test]
    fn file_names_come_from_either_separator() {
        assert_eq!(file_name("/home/a/notes.md"), "notes.md");
        assert_eq!(file_name(r"C:\Users\a\report.pdf"), "report.pdf");
        assert_eq!(file_name("plain"), "plain");
    }
}
