//! Importing conversations: Confab JSON (see [`crate::transfer`]) and ChatGPT's
//! `conversations.json` (see [`chatgpt`]).
//!
//! All or nothing: the whole import runs in one write transaction. The file is streamed
//! (a few conversations in memory at a time); each conversation is checked and written as it
//! arrives, and after the first problem nothing more is written but the checking goes on,
//! so that the error lists every problem with where it is. Any problem, a file that breaks
//! off, or a failing write rolls the transaction back: the database is as it was.
//!
//! While the import runs it holds the database's write lock; replies finishing meanwhile
//! wait for it (up to the busy timeout).

mod attachments;
mod chatgpt;
mod chatgpt_tree;
mod compact;
mod confab;
mod conversation;
mod fields;
mod reader;
mod write;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use specta::Type;
use tokio::sync::mpsc;

pub use attachments::MAX_IMPORT_BLOB_BYTES;
pub use chatgpt::{ATTACHMENT_NOTE, IMAGE_NOTE};
use fields::Problems;
use reader::ReadError;

use super::{ConversationRecord, MessageRecord};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::backup::io_error;
use crate::store::begin_write;

/// Largest file imported. ChatGPT exports of years of daily use stay well under it.
pub const MAX_IMPORT_BYTES: u64 = 512 << 20;
/// Longest message imported.
pub const MAX_MESSAGE_BYTES: usize = 4 << 20;
/// Progress is reported at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// A Confab conversations file (`confab-conversations`, version 1).
    Confab,
    /// ChatGPT's `conversations.json` (from its data export).
    Chatgpt,
}

/// What an import reports while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum ImportEvent {
    /// Read `done` of `total` bytes; so many conversations and messages written so far.
    Progress(ImportProgress),
    /// Everything is read and checked; the transaction is being committed.
    Saving,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub done: u64,
    pub total: u64,
    pub conversations: u32,
    pub messages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub conversations: u32,
    pub messages: u64,
    pub notes: Vec<ImportNote>,
}

/// Something the person should know about an import that succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum ImportNote {
    /// Conversations already in the database (same id: imported before) were left as they are.
    AlreadyPresent { count: u32 },
    /// The file names an agent this database does not have; its conversations have none.
    AgentMissing { agent: String, count: u32 },
    /// Images were not imported; each message says where one was.
    ImagesSkipped { count: u32 },
    /// Other files in messages were not imported; each message says where one was.
    AttachmentsSkipped { count: u32 },
    /// Tool calls, tool output and other content that is not text were left out.
    NonTextSkipped { count: u32 },
    /// Conversations with no text message at all were left out.
    EmptySkipped { count: u32 },
}

/// Limits of one import; [`ImportLimits::default`] in the app.
#[derive(Debug, Clone, Copy)]
pub struct ImportLimits {
    pub max_bytes: u64,
    /// Largest attachment (decoded) in a Confab file.
    pub max_blob_bytes: u64,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_bytes: MAX_IMPORT_BYTES,
            max_blob_bytes: MAX_IMPORT_BLOB_BYTES,
        }
    }
}

/// A checked conversation, ready to be written.
struct Incoming {
    record: ConversationRecord,
    messages: Vec<MessageRecord>,
    tally: Tally,
}

/// What was left out of a conversation.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    images: u32,
    attachments: u32,
    non_text: u32,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Self) {
        self.images += other.images;
        self.attachments += other.attachments;
        self.non_text += other.non_text;
    }
}

/// Latest time accepted from a file: 2100-01-01 in unix milliseconds. Times outside
/// 1970–2100 are not real dates of a conversation, and far ones (past ±8.64e15 ms) cannot
/// even be drawn as dates by the interface.
pub(crate) const MAX_TIME_MS: i64 = 4_102_444_800_000;

/// Whether `ms` is a time Confab accepts from a file.
fn plausible_time(ms: i64) -> bool {
    (0..MAX_TIME_MS).contains(&ms)
}

/// An id from a file is kept when it looks like one: 1 to 64 ASCII letters, digits, `-`, `_`.
fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Imports the file at `path` as `kind`, all or nothing, reporting progress to `on_event`.
pub async fn import_file(
    db: &DatabaseConnection,
    path: &Path,
    kind: ImportKind,
    limits: ImportLimits,
    mut on_event: impl FnMut(ImportEvent) + Send,
) -> Result<ImportSummary> {
    let file = std::fs::File::open(path).map_err(|error| io_error("open", path, &error))?;
    let total = file
        .metadata()
        .map_err(|error| io_error("read", path, &error))?
        .len();
    if total > limits.max_bytes {
        return Err(Error::invalid(Problem::limit(
            "file",
            Rule::TooLarge,
            limits.max_bytes,
        )));
    }
    let read_bytes = Arc::new(AtomicU64::new(0));
    let (sender, mut items) = mpsc::channel(4);
    let counter = Arc::clone(&read_bytes);
    let max_blob = limits.max_blob_bytes;
    let reading =
        tokio::task::spawn_blocking(move || reader::read(file, kind, counter, sender, max_blob));

    let txn = begin_write(db).await?;
    let mut writer = write::Writer::new(&txn).await?;
    let mut attached = attachments::Attached::default();
    let mut problems = Problems::default();
    let mut tally = Tally::default();
    let mut empty = 0;
    let mut reported = Instant::now();
    let progress = |writer: &write::Writer| {
        ImportEvent::Progress(ImportProgress {
            done: read_bytes.load(Ordering::Relaxed).min(total),
            total,
            conversations: writer.conversations,
            messages: writer.messages,
        })
    };
    on_event(progress(&writer));
    while let Some(item) = items.recv().await {
        let incoming = match item.payload {
            reader::Payload::Confab(streamed) => {
                confab::convert(streamed, item.index, &mut problems)
            }
            reader::Payload::Chatgpt(value) => chatgpt::convert(&value, item.index, &mut problems),
            reader::Payload::Blob(Ok(blob)) => {
                if problems.is_empty() {
                    attached.store(&txn, blob).await?;
                }
                None
            }
            reader::Payload::Blob(Err(problem)) => {
                problems.add(*problem);
                None
            }
        };
        // After the first problem nothing is written; the rest of the file is only checked.
        if let Some(incoming) = incoming.filter(|_| problems.is_empty()) {
            if kind == ImportKind::Chatgpt && incoming.messages.is_empty() {
                empty += 1;
                continue;
            }
            tally += incoming.tally;
            writer.write(&txn, incoming).await?;
        }
        if reported.elapsed() >= PROGRESS_EVERY {
            reported = Instant::now();
            on_event(progress(&writer));
        }
    }
    let read = reading
        .await
        .map_err(|error| Error::internal("import reader", error))?;
    match read {
        Ok(0) if problems.is_empty() => problems.push("", "the file has no conversations"),
        Ok(_) => {}
        Err(ReadError::Problem(text)) => problems.push("", text),
        Err(ReadError::Found(problem)) => problems.add(*problem),
        Err(ReadError::Stopped) => {
            return Err(Error::Unavailable("the import stopped early"));
        }
    }
    if problems.is_empty() {
        attached.finish(&txn, &writer.attached).await?;
    }
    if !problems.is_empty() {
        txn.rollback().await?;
        return Err(problems.into_error());
    }
    on_event(progress(&writer));
    on_event(ImportEvent::Saving);
    txn.commit().await?;
    tracing::info!(
        conversations = writer.conversations,
        messages = writer.messages,
        ?kind,
        "conversations imported"
    );
    Ok(ImportSummary {
        conversations: writer.conversations,
        messages: writer.messages,
        notes: notes(&writer, tally, empty),
    })
}

fn notes(writer: &write::Writer, tally: Tally, empty: u32) -> Vec<ImportNote> {
    let mut notes = Vec::new();
    if writer.already_present > 0 {
        notes.push(ImportNote::AlreadyPresent {
            count: writer.already_present,
        });
    }
    for (agent, count) in &writer.missing_agents {
        notes.push(ImportNote::AgentMissing {
            agent: agent.clone(),
            count: *count,
        });
    }
    type Note = fn(u32) -> ImportNote;
    let counts: [(u32, Note); 4] = [
        (tally.images, |count| ImportNote::ImagesSkipped { count }),
        (tally.attachments, |count| ImportNote::AttachmentsSkipped {
            count,
        }),
        (tally.non_text, |count| ImportNote::NonTextSkipped { count }),
        (empty, |count| ImportNote::EmptySkipped { count }),
    ];
    notes.extend(
        counts
            .into_iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, note)| note(count)),
    );
    notes
}
