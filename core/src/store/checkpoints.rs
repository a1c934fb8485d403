//! In-flight reply text (and reasoning), saved about once a second while a reply streams, so that a crash
//! loses at most that much. Never written into `messages` until the stream ends.

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionSession, TransactionTrait};
use serde::Serialize;

use super::entities::message::{MessageState, Role};
use super::messages::{self, Message, MessageMeta, NewMessage, Parent, StopReason};
use super::{begin_write, now_ms};
use crate::error::Result;
use crate::vocab::{Part, answer_open_calls, read_parts, reply_parts};

/// What a tool call that was running (or awaiting approval) when the app stopped is answered with.
pub const INTERRUPTED_CALL: &str =
    "Confab closed before this tool call finished; it may or may not have run.";

/// The text so far of one running reply.
#[derive(Debug, Clone, Copy)]
pub struct Checkpoint<'a> {
    pub stream_id: &'a str,
    pub conversation_id: &'a str,
    pub model: &'a str,
    /// The whole text so far; for a continuation, the earlier text included.
    pub content: &'a str,
    /// The reasoning so far.
    pub reasoning: &'a str,
    /// The finished tool steps before `content` and `reasoning` (text, reasoning, calls and
    /// results).
    pub steps: &'a [Part],
    pub started_at: i64,
    /// The message the reply answers (its parent).
    pub parent: Option<&'a str>,
    /// The unfinished reply this one continues, if any.
    pub continues: Option<&'a str>,
}

/// Creates or updates the checkpoint of a running reply with its text so far.
pub async fn save(db: &impl ConnectionTrait, checkpoint: Checkpoint<'_>) -> Result<()> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO stream_checkpoints
             (stream_id, conversation_id, model, content, started_at, updated_at,
              continues_message_id, parent_id, reasoning, steps)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET content = excluded.content,
             reasoning = excluded.reasoning, steps = excluded.steps,
             updated_at = excluded.updated_at",
        [
            checkpoint.stream_id.into(),
            checkpoint.conversation_id.into(),
            checkpoint.model.into(),
            checkpoint.content.into(),
            checkpoint.started_at.into(),
            now_ms().into(),
            checkpoint.continues.map(str::to_string).into(),
            checkpoint.parent.map(str::to_string).into(),
            checkpoint.reasoning.into(),
            steps_json(checkpoint.steps)?.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Stores the finished reply and drops its checkpoint, in one transaction: the text is
/// never in both places, and never in neither.
pub async fn finish(
    db: &(impl ConnectionTrait + TransactionTrait),
    stream_id: &str,
    reply: NewMessage<'_>,
) -> Result<Message> {
    let txn = begin_write(db).await?;
    let message = messages::append(&txn, reply).await?;
    remove(&txn, stream_id).await?;
    txn.commit().await?;
    Ok(message)
}

/// Stores a continued reply over the unfinished one it continues (`message_id`) and drops
/// the checkpoint, in one transaction.
pub async fn finish_continuation(
    db: &(impl ConnectionTrait + TransactionTrait),
    stream_id: &str,
    message_id: &str,
    parts: &[Part],
    state: MessageState,
    meta: &MessageMeta,
) -> Result<Message> {
    let txn = begin_write(db).await?;
    let message = messages::replace_reply(&txn, message_id, parts, state, meta).await?;
    remove(&txn, stream_id).await?;
    txn.commit().await?;
    Ok(message)
}

/// The steps as stored: `NULL` when there are none.
fn steps_json(steps: &[Part]) -> Result<Option<String>> {
    if steps.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(steps)
        .map(Some)
        .map_err(|error| crate::error::Error::internal("checkpoint steps", error))
}

pub async fn remove(db: &impl ConnectionTrait, stream_id: &str) -> Result<()> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "DELETE FROM stream_checkpoints WHERE stream_id = ?",
        [stream_id.into()],
    ))
    .await?;
    Ok(())
}

/// What start-up recovery did.
#[derive(Debug, Default)]
pub struct Recovery {
    /// The replies stored from their checkpoints.
    pub recovered: Vec<Message>,
    /// Checkpoints that could not be stored. Each stays in the table (its text is not lost,
    /// and the next start tries again); the diagnostics report lists them.
    pub skipped: Vec<SkippedReply>,
}

/// A checkpoint recovery could not store, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedReply {
    pub stream_id: String,
    pub conversation_id: String,
    /// Bytes of reply text kept in the checkpoint.
    pub bytes: usize,
    pub error: String,
}

/// Turns checkpoints left by a crash or a killed process into stored replies: `partial`
/// with the text that was saved, or `error` when none had arrived; reason `app_exit`. A
/// continuation updates the reply it continued instead of adding one. Run at start-up,
/// before any reply can stream.
///
/// One checkpoint that cannot be stored (its conversation has no message number left, the
/// reply it continues is gone, ...) is logged and skipped: the app starts all the same.
/// Only failing to read the checkpoints at all is an error.
pub async fn recover(db: &(impl ConnectionTrait + TransactionTrait)) -> Result<Recovery> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT stream_id, conversation_id, model, content, continues_message_id,
                    parent_id, reasoning, steps
             FROM stream_checkpoints ORDER BY started_at",
        ))
        .await?;
    let mut recovery = Recovery::default();
    for row in rows {
        let stream_id: String = row.try_get_by_index(0)?;
        let conversation_id: String = row.try_get_by_index(1)?;
        let model: String = row.try_get_by_index(2)?;
        let content: String = row.try_get_by_index(3)?;
        let continues: Option<String> = row.try_get_by_index(4)?;
        let parent: Option<String> = row.try_get_by_index(5)?;
        let reasoning: String = row.try_get_by_index(6)?;
        let steps: Option<String> = row.try_get_by_index(7)?;
        let bytes = content.len() + reasoning.len() + steps.as_ref().map_or(0, String::len);
        // Steps that do not read (a hand-edited row) are left out; the text is kept.
        let mut parts = steps
            .and_then(|json| serde_json::from_str(&json).ok())
            .and_then(read_parts)
            .unwrap_or_default();
        parts.extend(reply_parts(&reasoning, None, &content));
        answer_open_calls(&mut parts, INTERRUPTED_CALL);
        let found = Found {
            stream_id: &stream_id,
            conversation_id: &conversation_id,
            model,
            parts: &parts,
            continues,
            parent: parent.as_deref(),
        };
        match recover_one(db, found).await {
            Ok(message) => {
                tracing::warn!(
                    conversation_id,
                    stream_id,
                    chars = bytes,
                    "recovered an interrupted reply"
                );
                recovery.recovered.push(message);
            }
            Err(error) => {
                tracing::error!(
                    conversation_id,
                    stream_id,
                    %error,
                    "an interrupted reply could not be stored; its checkpoint is kept"
                );
                recovery.skipped.push(SkippedReply {
                    stream_id,
                    conversation_id,
                    bytes,
                    error: error.to_string(),
                });
            }
        }
    }
    Ok(recovery)
}

/// One checkpoint as read back.
struct Found<'a> {
    stream_id: &'a str,
    conversation_id: &'a str,
    model: String,
    parts: &'a [Part],
    continues: Option<String>,
    /// `None` for a checkpoint written before replies named their parent: the reply then
    /// goes after the branch shown, as it did.
    parent: Option<&'a str>,
}

async fn recover_one(
    db: &(impl ConnectionTrait + TransactionTrait),
    found: Found<'_>,
) -> Result<Message> {
    let state = if found.parts.is_empty() {
        MessageState::Error
    } else {
        MessageState::Partial
    };
    match found.continues {
        Some(message_id) => {
            let earlier = messages::get(db, &message_id).await?;
            let meta = MessageMeta {
                model: Some(found.model),
                reason: Some(StopReason::AppExit),
                finish_reason: None,
                error_code: None,
                error_message: None,
                ..earlier.meta
            };
            finish_continuation(db, found.stream_id, &message_id, found.parts, state, &meta).await
        }
        None => {
            let reply = NewMessage {
                conversation_id: found.conversation_id,
                parent: found
                    .parent
                    .map_or(Parent::Leaf, |parent| Parent::Under(Some(parent))),
                role: Role::Assistant,
                parts: found.parts.to_vec(),
                state,
                meta: MessageMeta {
                    model: Some(found.model),
                    reason: Some(StopReason::AppExit),
                    ..MessageMeta::default()
                },
            };
            finish(db, found.stream_id, reply).await
        }
    }
}
