//! One conversation of a Confab JSON file, checked field by field.
//!
//! Only `messages[].role` and `messages[].content` must be there; every other field has a
//! plain default (a new id, now, active, in context...), so a file written by hand or by
//! another tool imports too. A field of the wrong type is a problem, never a silent default.

use serde_json::Value;

use super::conversation::{Messages, Streamed};
use super::fields::{Fields, Problems};
use super::{Incoming, MAX_MESSAGE_BYTES, plausible_time, valid_id};
use crate::chat::{ContextOverride, validate_override};
use crate::problem::Problem;
use crate::store::conversations::clean_title;
use crate::store::entities::conversation::ConversationStatus;
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::MessageMeta;
use crate::store::{new_id, now_ms};
use crate::transfer::{ConversationRecord, MessageRecord};
use crate::vocab::Part;

/// A message without its own `createdAt` gets its conversation's, which may come later in
/// the file; until then it has this (never a valid time: times are checked).
pub(super) const UNSET_TIME: i64 = i64::MIN;

pub fn convert(streamed: Streamed, index: usize, problems: &mut Problems) -> Option<Incoming> {
    let before = problems.count();
    let value = &streamed.head;
    let fields = Fields::of(value, format!("conversations[{index}]"), problems)?;
    let id = id_field(&fields, problems);
    let title: String = fields.get("title", problems).unwrap_or_default();
    let agent: Option<String> = fields.get("agent", problems);
    let context_override: Option<ContextOverride> = fields.get("contextOverride", problems);
    if let Some(over) = &context_override
        && let Err(error) = validate_override(over)
    {
        match error {
            crate::Error::InvalidInput(found) => {
                let at = fields.at("contextOverride");
                found.into_iter().for_each(|p| problems.add(p.under(&at)));
            }
            other => problems.push(&fields.at("contextOverride"), other),
        }
    }
    let created_at = time_field(&fields, "createdAt", problems).unwrap_or_else(now_ms);
    let record = ConversationRecord {
        id,
        title: clean_title(&title),
        agent,
        context_override,
        status: fields
            .get("status", problems)
            .unwrap_or(ConversationStatus::Active),
        pinned: fields.get("pinned", problems).unwrap_or(false),
        created_at,
        updated_at: time_field(&fields, "updatedAt", problems).unwrap_or(created_at),
        leaf_id: fields.get("leafId", problems),
    };
    problems.absorb(streamed.problems);
    let messages = match streamed.messages {
        Messages::List(mut records) => {
            for record in &mut records {
                if record.created_at == UNSET_TIME {
                    record.created_at = created_at;
                }
            }
            records
        }
        Messages::NotAList(found) => {
            problems.push(
                &fields.at("messages"),
                format!("expected a list, found {found}"),
            );
            Vec::new()
        }
        Messages::Missing => {
            problems.add(Problem::required(fields.at("messages")));
            Vec::new()
        }
    };
    // A file from before versions lists one line of messages in order; a file with
    // versions lists parents before children, and its depths repeat.
    let lines = messages.iter().all(|message| message.parent_id.is_none());
    for pair in messages.windows(2).filter(|_| lines) {
        if pair[1].seq <= pair[0].seq {
            problems.push(
                &fields.at("messages"),
                format!(
                    "seq must increase: {} follows {} (message {})",
                    pair[1].seq, pair[0].seq, pair[1].id
                ),
            );
        }
    }
    (problems.count() == before).then(|| Incoming {
        record,
        messages,
        tally: super::Tally::default(),
    })
}

pub(super) fn message(
    value: &Value,
    path: String,
    position: usize,
    default_time: i64,
    problems: &mut Problems,
) -> Option<MessageRecord> {
    let fields = Fields::of(value, path, problems)?;
    let role: Option<Role> = fields.required("role", problems);
    let content: Option<String> = fields.required("content", problems);
    if let Some(content) = &content
        && content.len() > MAX_MESSAGE_BYTES
    {
        problems.push(
            &fields.at("content"),
            format!(
                "the message is {} KiB; at most {} KiB",
                content.len() / 1024,
                MAX_MESSAGE_BYTES / 1024
            ),
        );
    }
    let seq: i64 = fields
        .get("seq", problems)
        .unwrap_or_else(|| i64::try_from(position).unwrap_or(i64::MAX - 1) + 1);
    // Kept as written (gaps are allowed and round-trip), but bounded: Confab never writes a
    // number anywhere near this, and one near the largest there is would leave the
    // conversation no room for the next message (and the interface cannot count that high).
    if !(1..=MAX_SEQ).contains(&seq) {
        problems.push(
            &fields.at("seq"),
            format!("must be between 1 and {MAX_SEQ}, found {seq}"),
        );
    }
    let parent_id: Option<String> = fields.get("parentId", problems);
    if let Some(parent) = parent_id.as_deref().filter(|parent| !valid_id(parent)) {
        problems.push(&fields.at("parentId"), format!("{parent:?} is not an id"));
    }
    let parts: Option<Vec<Part>> = fields.get("parts", problems);
    if let Some(parts) = &parts
        && (parts.len() > MAX_PARTS
            || parts
                .iter()
                .any(|part| part_bytes(part) > MAX_MESSAGE_BYTES))
    {
        problems.push(
            &fields.at("parts"),
            format!(
                "at most {MAX_PARTS} parts of at most {} KiB each",
                MAX_MESSAGE_BYTES / 1024
            ),
        );
    }
    Some(MessageRecord {
        id: id_field(&fields, problems),
        parent_id,
        parts,
        seq,
        role: role?,
        content: content?,
        created_at: time_field(&fields, "createdAt", problems).unwrap_or(default_time),
        state: fields
            .get("state", problems)
            .unwrap_or(MessageState::Complete),
        in_context: fields.get("inContext", problems).unwrap_or(true),
        meta: fields
            .get::<MessageMeta>("meta", problems)
            .unwrap_or_default(),
    })
}

/// Most parts one message of a file may have.
const MAX_PARTS: usize = 256;

/// The bytes of text a part holds.
fn part_bytes(part: &Part) -> usize {
    match part {
        Part::Text { text } | Part::Reasoning { text, .. } => text.len(),
        Part::ToolCall { arguments, .. } => arguments.len(),
        Part::ToolResult { content, .. } => content.len(),
        Part::Citation { snippet, .. } => snippet.len(),
        Part::Retrieval { bases, .. } => bases.iter().map(String::len).sum(),
        Part::Image { .. } | Part::File { .. } => 0,
    }
}

/// Largest message number accepted from a file.
pub const MAX_SEQ: i64 = 1_000_000_000_000;

/// A time field (unix milliseconds). Refused, not clamped, when it is outside 1970–2100:
/// Confab never writes such a time, so the file was edited or made elsewhere, and the
/// person is better told where than given a date that was made up.
fn time_field(fields: &Fields<'_>, key: &str, problems: &mut Problems) -> Option<i64> {
    let ms: i64 = fields.get(key, problems)?;
    if plausible_time(ms) {
        Some(ms)
    } else {
        problems.push(
            &fields.at(key),
            format!("{ms} is not a time between 1970 and 2100 (unix milliseconds)"),
        );
        None
    }
}

/// The `id` field: kept when it is a plausible id, a new one when it is missing.
fn id_field(fields: &Fields<'_>, problems: &mut Problems) -> String {
    match fields.get::<String>("id", problems) {
        Some(id) if valid_id(&id) => id,
        Some(id) => {
            problems.push(
                &fields.at("id"),
                format!("{id:?} is not an id (1 to 64 letters, digits, '-' or '_')"),
            );
            id
        }
        None => new_id(),
    }
}
