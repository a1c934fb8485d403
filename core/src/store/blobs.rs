//! Attachments' bytes, stored once by their SHA-256 inside the database file (so backups,
//! restore and the file's size include them).
//!
//! A blob is put first (when a file is attached) and named by a message later (when it is
//! sent): [`link`] records which message uses which blob. A blob no message uses is
//! garbage, except for a while after it was put ([`PENDING_MS`]): it may be waiting in the
//! composer for its message.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use sha2::{Digest, Sha256};

use super::now_ms;
use crate::error::{Error, Result};
use crate::vocab::Part;

/// How long a blob no message uses is kept after it was put: long enough for a message
/// being written to be sent.
pub const PENDING_MS: i64 = 24 * 60 * 60 * 1000;

/// One stored blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub sha256: String,
    pub mime: String,
    pub data: Vec<u8>,
}

/// The SHA-256 of `data`, as 64 lowercase hex digits (the blob's key).
pub fn sha256_hex(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Stores `data` (of type `mime`) unless the same content is stored already, and returns its
/// SHA-256. The first `mime` given for a content stays.
pub async fn put(db: &impl ConnectionTrait, mime: &str, data: &[u8]) -> Result<String> {
    let sha256 = sha256_hex(data);
    let bytes = i64::try_from(data.len()).map_err(|error| Error::internal("blob size", error))?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO blobs (sha256, mime, bytes, data, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (sha256) DO NOTHING",
        [
            sha256.clone().into(),
            mime.into(),
            bytes.into(),
            data.to_vec().into(),
            now_ms().into(),
        ],
    ))
    .await?;
    Ok(sha256)
}

/// The blob stored as `sha256`.
pub async fn get(db: &impl ConnectionTrait, sha256: &str) -> Result<Blob> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT mime, data FROM blobs WHERE sha256 = ?",
            [sha256.into()],
        ))
        .await?
        .ok_or_else(|| Error::not_found("blob", sha256))?;
    Ok(Blob {
        sha256: sha256.to_string(),
        mime: row.try_get_by_index(0)?,
        data: row.try_get_by_index(1)?,
    })
}

/// What is known of a stored blob without reading all of it: its type, its size and its
/// first bytes (enough for an image's header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobHead {
    pub mime: String,
    pub bytes: u64,
    pub head: Vec<u8>,
}

/// The type, size and first `head_bytes` bytes of the blob stored as `sha256`, if there is one.
pub async fn head(
    db: &impl ConnectionTrait,
    sha256: &str,
    head_bytes: u32,
) -> Result<Option<BlobHead>> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT mime, bytes, substr(data, 1, ?) FROM blobs WHERE sha256 = ?",
            [head_bytes.into(), sha256.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let bytes: i64 = row.try_get_by_index(1)?;
    Ok(Some(BlobHead {
        mime: row.try_get_by_index(0)?,
        bytes: u64::try_from(bytes).unwrap_or(0),
        head: row.try_get_by_index(2)?,
    }))
}

/// The bytes all blobs take.
pub async fn total_size(db: &impl ConnectionTrait) -> Result<u64> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT coalesce(sum(bytes), 0) FROM blobs",
        ))
        .await?;
    let total: i64 = row
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .unwrap_or(0);
    Ok(u64::try_from(total).unwrap_or(0))
}

/// Whether any message uses any blob: when none does, no history carries an attachment.
pub async fn any_linked(db: &impl ConnectionTrait) -> Result<bool> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT EXISTS (SELECT 1 FROM message_blobs)",
        ))
        .await?;
    Ok(row
        .map(|row| row.try_get_by_index::<bool>(0))
        .transpose()?
        .unwrap_or(false))
}

/// The blobs `parts` name (images and files), each once, in order.
pub fn named_by(parts: &[Part]) -> Vec<&str> {
    let mut named: Vec<&str> = Vec::new();
    for part in parts {
        if let Part::Image { sha256, .. } | Part::File { sha256, .. } = part
            && !named.contains(&sha256.as_str())
        {
            named.push(sha256);
        }
    }
    named
}

/// Records that message `message_id` uses the blobs its `parts` name. A part naming a blob
/// that is not stored (an imported message whose attachment did not come along) links
/// nothing: the part stays, its bytes are missing.
pub async fn link(db: &impl ConnectionTrait, message_id: &str, parts: &[Part]) -> Result<()> {
    for sha256 in named_by(parts) {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "INSERT OR IGNORE INTO message_blobs (message_id, sha256)
             SELECT ?, sha256 FROM blobs WHERE sha256 = ?",
            [message_id.into(), sha256.into()],
        ))
        .await?;
    }
    Ok(())
}

/// The blobs the messages chosen by `messages_sql` use (`messages_sql` selects message ids,
/// with `values` bound to it): those a delete of these messages may free.
pub(crate) async fn used_by(
    db: &impl ConnectionTrait,
    with: &str,
    messages_sql: &str,
    values: Vec<Value>,
) -> Result<Vec<String>> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!(
                "{with} SELECT DISTINCT sha256 FROM message_blobs WHERE message_id IN \
                 ({messages_sql})"
            ),
            values,
        ))
        .await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<std::result::Result<_, _>>()?)
}

/// Deletes those of `candidates` (blobs the messages just deleted used) that no message uses
/// any more, however new they are, then [`collect_garbage`]. Returns how many went.
pub(crate) async fn release(db: &impl ConnectionTrait, candidates: &[String]) -> Result<u64> {
    let mut deleted = 0;
    for sha256 in candidates {
        deleted += db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "DELETE FROM blobs WHERE sha256 = ?
                 AND NOT EXISTS (SELECT 1 FROM message_blobs WHERE sha256 = blobs.sha256)",
                [sha256.clone().into()],
            ))
            .await?
            .rows_affected();
    }
    Ok(deleted + collect_garbage(db).await?)
}

/// Deletes the blobs no message uses that were put more than [`PENDING_MS`] ago. Returns
/// how many went.
pub async fn collect_garbage(db: &impl ConnectionTrait) -> Result<u64> {
    collect_garbage_before(db, now_ms().saturating_sub(PENDING_MS)).await
}

/// Deletes the blobs no message uses that were put before `cutoff` (unix ms).
pub async fn collect_garbage_before(db: &impl ConnectionTrait, cutoff: i64) -> Result<u64> {
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "DELETE FROM blobs WHERE created_at < ?
             AND NOT EXISTS (SELECT 1 FROM message_blobs WHERE sha256 = blobs.sha256)",
            [cutoff.into()],
        ))
        .await?
        .rows_affected())
}
