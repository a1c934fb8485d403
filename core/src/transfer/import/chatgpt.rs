//! One conversation of ChatGPT's `conversations.json` export.
//!
//! A ChatGPT conversation is a tree: `mapping` holds nodes (`id`, `message`, `parent`,
//! `children`), and every regenerated reply or edited question starts a new branch.
//! The whole tree is imported, every branch: each kept message follows its nearest kept
//! ancestor, so a regenerated reply becomes a second version of the reply and an edited
//! question a second version of the question (versions in the order ChatGPT wrote them).
//! `current_node` is the last node of the branch the person last saw; the kept message
//! nearest it on that branch becomes the end of the branch shown, and that branch the one
//! chosen at every fork.
//!
//! Left out, their children hanging under the message above them: the empty root, system
//! messages, messages marked `is_visually_hidden_from_conversation`, tool calls and tool
//! output, and content that is not text (reasoning, browsing, code execution). Images and
//! other files inside a message are not imported; a note in the message text says where one
//! was. How the tree is walked, and what a broken one reports: [`super::chatgpt_tree`].

use std::collections::HashSet;

use serde_json::Value;

use super::chatgpt_tree;
use super::fields::{Fields, Problems};
use super::{Incoming, MAX_MESSAGE_BYTES, MAX_TIME_MS, Tally, valid_id};
use crate::problem::Problem;
use crate::store::conversations::{clean_title, title_from};
use crate::store::entities::conversation::ConversationStatus;
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::MessageMeta;
use crate::store::{new_id, now_ms};
use crate::transfer::{ConversationRecord, MessageRecord};

/// Left in a message where an image was.
pub const IMAGE_NOTE: &str = "[Image not imported]";
/// Left in a message where another kind of file was.
pub const ATTACHMENT_NOTE: &str = "[Attachment not imported]";

pub fn convert(value: &Value, index: usize, problems: &mut Problems) -> Option<Incoming> {
    let before = problems.count();
    let fields = Fields::of(value, format!("[{index}]"), problems)?;
    let title: Option<String> = fields.get("title", problems);
    let created_at = fields
        .raw("create_time")
        .and_then(millis)
        .unwrap_or_else(now_ms);
    let updated_at = fields
        .raw("update_time")
        .and_then(millis)
        .unwrap_or(created_at);
    let archived: bool = fields.get("is_archived", problems).unwrap_or(false);
    let id = ["id", "conversation_id"]
        .iter()
        .filter_map(|key| fields.raw(key)?.as_str())
        .find(|id| valid_id(id))
        .map_or_else(new_id, str::to_string);
    let mapping = match fields.raw("mapping") {
        Some(Value::Object(mapping)) => mapping,
        Some(_) => {
            problems.push(&fields.at("mapping"), "expected an object of nodes");
            return None;
        }
        None => {
            problems.add(Problem::required(fields.at("mapping")));
            return None;
        }
    };
    let current: Option<String> = fields.required("current_node", problems);
    let (walk, current_at) = chatgpt_tree::walk(mapping, &current?, &fields, problems)?;

    let mut tally = Tally::default();
    let mut messages: Vec<MessageRecord> = Vec::new();
    let mut ids = HashSet::new();
    // For each node walked, the message it comes after in Confab: its own when it is kept,
    // else the one its parent comes after. A skipped node's children thus hang under its
    // nearest kept ancestor.
    let mut nearest: Vec<Option<usize>> = Vec::with_capacity(walk.len());
    for visit in &walk {
        let above = visit
            .parent
            .and_then(|at| nearest.get(at).copied().flatten());
        let parent = above.and_then(|at| messages.get(at));
        let record = visit
            .node
            .get("message")
            .filter(|m| m.is_object()) // the root, or a node without a message
            .and_then(|message| {
                let path = format!("{}.mapping[{:?}].message", fields.path, visit.key);
                let time = parent.map_or(created_at, |p| p.created_at);
                message_record(message, &path, &mut tally, time, problems)
            });
        let Some(record) = record else {
            nearest.push(above);
            continue;
        };
        let record = MessageRecord {
            // Two nodes with one message id would make parent links ambiguous.
            id: if ids.insert(record.id.clone()) {
                record.id
            } else {
                new_id()
            },
            parent_id: parent.map(|p| p.id.clone()),
            seq: parent.map_or(1, |p| p.seq.saturating_add(1)),
            ..record
        };
        nearest.push(Some(messages.len()));
        messages.push(record);
    }
    let leaf_id = nearest
        .get(current_at)
        .copied()
        .flatten()
        .and_then(|at| messages.get(at))
        .map(|leaf| leaf.id.clone());
    let title = title
        .map(|title| clean_title(&title))
        .filter(|title| !title.is_empty())
        .or_else(|| {
            messages
                .iter()
                .find(|m| m.role == Role::User)
                .map(|m| title_from(&m.content))
        })
        .unwrap_or_default();
    (problems.count() == before).then_some(Incoming {
        record: ConversationRecord {
            id,
            title,
            agent: None,
            context_override: None,
            status: if archived {
                ConversationStatus::Archived
            } else {
                ConversationStatus::Active
            },
            pinned: false,
            created_at,
            updated_at,
            leaf_id,
        },
        messages,
        tally,
    })
}

/// The message of a node, or `None` when it is not one to import.
fn message_record(
    message: &Value,
    path: &str,
    tally: &mut Tally,
    default_time: i64,
    problems: &mut Problems,
) -> Option<MessageRecord> {
    let author = message.pointer("/author/role").and_then(Value::as_str);
    let metadata = message.get("metadata");
    let hidden = metadata
        .and_then(|m| m.get("is_visually_hidden_from_conversation"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let recipient = message.get("recipient").and_then(Value::as_str);
    let role = match author {
        Some("user") => Role::User,
        Some("assistant") if recipient.is_none_or(|r| r == "all") => Role::Assistant,
        Some("assistant" | "tool") => {
            tally.non_text += 1; // a tool call, or what a tool returned
            return None;
        }
        _ => return None, // system, or an author this importer does not know
    };
    if hidden {
        return None;
    }
    let content = text_of(message.get("content"), tally)?;
    if content.trim().is_empty() {
        return None;
    }
    if content.len() > MAX_MESSAGE_BYTES {
        problems.push(
            path,
            format!(
                "the message is {} KiB; at most {} KiB",
                content.len() / 1024,
                MAX_MESSAGE_BYTES / 1024
            ),
        );
        return None;
    }
    let id = message
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| valid_id(id))
        .map_or_else(new_id, str::to_string);
    let meta = MessageMeta {
        model: metadata
            .and_then(|m| m.get("model_slug"))
            .and_then(Value::as_str)
            .map(str::to_string),
        finish_reason: metadata
            .and_then(|m| m.pointer("/finish_details/type"))
            .and_then(Value::as_str)
            .map(str::to_string),
        ..MessageMeta::default()
    };
    Some(MessageRecord {
        id,
        parent_id: None,
        parts: None,
        seq: 0,
        role,
        content,
        created_at: message
            .get("create_time")
            .and_then(millis)
            .unwrap_or(default_time),
        state: MessageState::Complete,
        in_context: true,
        meta,
    })
}

/// The text of a message's `content`; `None` for content that is not text at all.
fn text_of(content: Option<&Value>, tally: &mut Tally) -> Option<String> {
    let content = content?;
    match content.get("content_type").and_then(Value::as_str) {
        Some("text" | "multimodal_text") => {
            let parts = content.get("parts").and_then(Value::as_array)?;
            let pieces: Vec<String> = parts
                .iter()
                .filter_map(|part| part_text(part, tally))
                .collect();
            Some(pieces.join("\n\n"))
        }
        Some("code") => {
            let text = content.get("text").and_then(Value::as_str)?;
            let language = content
                .get("language")
                .and_then(Value::as_str)
                .filter(|l| *l != "unknown")
                .unwrap_or("");
            Some(format!("```{language}\n{text}\n```"))
        }
        _ => {
            tally.non_text += 1; // reasoning, browsing results, execution output, ...
            None
        }
    }
}

fn part_text(part: &Value, tally: &mut Tally) -> Option<String> {
    match part {
        Value::String(text) => Some(text.clone()).filter(|t| !t.is_empty()),
        Value::Object(object) => match object.get("content_type").and_then(Value::as_str) {
            Some("image_asset_pointer") => {
                tally.images += 1;
                Some(IMAGE_NOTE.into())
            }
            // Voice conversations carry the words said.
            Some("audio_transcription") => object
                .get("text")
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => {
                tally.attachments += 1;
                Some(ATTACHMENT_NOTE.into())
            }
        },
        _ => None,
    }
}

/// Unix milliseconds from ChatGPT's float seconds.
fn millis(value: &Value) -> Option<i64> {
    let secs = value.as_f64()?;
    // Between 1970 and 2100 (checked as a float, before the cast can saturate).
    let max_secs = (MAX_TIME_MS / 1000) as f64;
    (0.0..max_secs)
        .contains(&secs)
        .then(|| (secs * 1000.0).round() as i64)
}
