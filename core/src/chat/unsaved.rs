//! Writing a finished reply when storage fails. A reply the user has seen is never dropped:
//! when the database cannot take it (disk full, read-only, locked by another process) it
//! stays in memory, the UI is told so, and the write is tried again until it succeeds. Its
//! checkpoint row stays in place meanwhile (the write that removes it is the same
//! transaction that stores the reply), so even a quit before then loses nothing but the
//! last second of text.

use std::time::Duration;

use tokio::time::sleep;

use super::ChatEvent;
use super::live::LiveStream;
use crate::error::{Error, ErrorCode, Result};
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::{Message, MessageMeta, NewMessage, Parent};
use crate::store::{Db, checkpoints};
use crate::vocab::{Part, reasoning_of, split_steps, text_of};

/// Quick retries for any failure, before the reply is reported as kept (or lost).
const QUICK_RETRIES: u32 = 3;
/// The longest wait between two tries of a kept reply.
const MAX_DELAY: Duration = Duration::from_secs(5);

/// Stores the reply (and drops its checkpoint). A storage failure is reported on the
/// stream as an `Error` saying the reply is kept, and retried with backoff until the write
/// succeeds; the caller then reports `Done` as usual. Other failures give up after a few
/// quick retries.
pub(super) async fn store(
    db: &Db,
    live: &LiveStream,
    parent: &str,
    continues: Option<&Message>,
    parts: &[Part],
    state: MessageState,
    meta: MessageMeta,
) -> Result<Message> {
    let mut attempt: u32 = 0;
    let mut kept = false;
    loop {
        let stored = match continues {
            Some(earlier) => {
                checkpoints::finish_continuation(
                    db.conn(),
                    &live.stream_id,
                    &earlier.id,
                    parts,
                    state,
                    &meta,
                )
                .await
            }
            None => {
                let reply = NewMessage {
                    conversation_id: &live.conversation_id,
                    parent: Parent::Under(Some(parent)),
                    role: Role::Assistant,
                    parts: parts.to_vec(),
                    state,
                    meta: meta.clone(),
                };
                checkpoints::finish(db.conn(), &live.stream_id, reply).await
            }
        };
        let error = match stored {
            Ok(message) => {
                if kept {
                    tracing::info!(attempt, "kept reply stored");
                }
                return Ok(message);
            }
            Err(error @ Error::NotFound { .. }) => return Err(error),
            Err(error) => error,
        };
        attempt += 1;
        let storage = is_storage_failure(&error);
        if !storage && attempt > QUICK_RETRIES {
            return Err(error);
        }
        if storage && attempt > QUICK_RETRIES && !kept {
            kept = true;
            keep(db, live, parent, continues, parts, &meta, &error).await;
        }
        tracing::warn!(%error, attempt, "storing the reply failed; trying again");
        sleep(delay(attempt)).await;
    }
}

/// Tells the UI the reply is kept in memory, and refreshes its checkpoint if that works.
async fn keep(
    db: &Db,
    live: &LiveStream,
    parent: &str,
    continues: Option<&Message>,
    parts: &[Part],
    meta: &MessageMeta,
    error: &Error,
) {
    let (steps, last) = split_steps(parts);
    let text = text_of(last);
    let reasoning = reasoning_of(last);
    tracing::error!(%error, bytes = text.len(), "the reply cannot be stored yet; kept in memory");
    live.emit(ChatEvent::Error {
        code: error.code(),
        message: format!(
            "{error}. The reply is kept in memory and will be saved as soon as the database \
             accepts writes again."
        ),
        partial_saved: false,
    });
    let checkpoint = checkpoints::Checkpoint {
        stream_id: &live.stream_id,
        conversation_id: &live.conversation_id,
        model: meta.model.as_deref().unwrap_or_default(),
        content: &text,
        reasoning: &reasoning,
        steps,
        started_at: live.started_at,
        parent: Some(parent),
        continues: continues.map(|earlier| earlier.id.as_str()),
    };
    let saved = checkpoints::save(db.conn(), checkpoint).await;
    if let Err(error) = saved {
        tracing::warn!(%error, "the checkpoint could not be refreshed either");
    }
}

/// Failures that pass once the disk has room, the file is writable or the lock is freed.
fn is_storage_failure(error: &Error) -> bool {
    matches!(
        error.code(),
        ErrorCode::StorageFull | ErrorCode::ReadOnly | ErrorCode::DbLocked
    )
}

/// 250 ms, 500 ms, 1 s, 2 s, 4 s, then every 5 s.
fn delay(attempt: u32) -> Duration {
    let factor = 1u32 << attempt.saturating_sub(1).min(5);
    (Duration::from_millis(250) * factor).min(MAX_DELAY)
}
