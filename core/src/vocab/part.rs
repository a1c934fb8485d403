//! The parts a message is made of.
//!
//! A message is an ordered list of parts. Text and reasoning are written by the chat engine
//! today; images and files (attachments), tool calls and results (tools) and citations
//! (knowledge bases) are declared here so that the stored shape changes once.

use serde::{Deserialize, Serialize};
use specta::Type;

/// One part of a message, stored as JSON (`{"type": "text", "text": "..."}`). A part a
/// newer app wrote and this one does not know is skipped when read ([`read_parts`]), never
/// an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Part {
    /// Text shown as markdown and sent to the model.
    Text { text: String },
    /// A reasoning model's thinking: shown in a collapsible block, never sent back.
    Reasoning {
        text: String,
        /// How long the model thought, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_ms: Option<u32>,
    },
    /// An image, stored once by its SHA-256 (hex).
    Image {
        sha256: String,
        mime: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default)]
        width: u32,
        #[serde(default)]
        height: u32,
    },
    /// A document, stored once by its SHA-256, with the text read out of it (kept apart,
    /// in `blob_texts`: a request sends it, search finds it).
    File {
        sha256: String,
        name: String,
        mime: String,
        /// The file's size.
        #[serde(default)]
        bytes: u64,
        /// Characters of the text read out of it.
        #[serde(default)]
        chars: u32,
        /// Pages, slides or sheets, for formats that have them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pages: Option<u32>,
        /// Tokens of the whole text.
        #[serde(default)]
        tokens: u32,
        /// The text was cut: the document is longer than what is read of it.
        #[serde(default)]
        truncated: bool,
        /// Only the first this many pages go to the model (the whole did not fit).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pages_sent: Option<u32>,
    },
    /// A call the model asked for.
    ToolCall {
        call_id: String,
        name: String,
        /// The arguments as the model sent them (JSON text, possibly malformed).
        arguments: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        server: Option<String>,
    },
    /// What a tool call gave back.
    ToolResult {
        call_id: String,
        content: String,
        #[serde(default)]
        is_error: bool,
        /// How long the call ran (approval not counted).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_ms: Option<u32>,
    },
    /// The knowledge bases searched before a reply and how many passages were put into
    /// its request (0: nothing relevant was found, which the reply shows). Comes before the
    /// reply's citations; never sent to a model.
    Retrieval { bases: Vec<String>, passages: u32 },
    /// A source a reply drew on: a passage of a knowledge base's file (`source` is the
    /// file's path), numbered by its place among the reply's citations, from 1.
    Citation {
        source: String,
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locator: Option<String>,
        #[serde(default)]
        snippet: String,
        /// The source is an image file (found by its content; no snippet).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        image: bool,
    },
}

impl Part {
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
    }
}

/// The parts of a stored JSON list: those this version knows, in order.
pub fn read_parts(value: serde_json::Value) -> Option<Vec<Part>> {
    match value {
        serde_json::Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(|item| serde_json::from_value(item).ok())
                .collect(),
        ),
        _ => None,
    }
}

/// The parts of a message of nothing but `text` (none when it is empty).
pub fn text_parts_of(text: &str) -> Vec<Part> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Part::text(text)]
    }
}

/// The text of `parts`: their text parts joined, what is searched and sent to the model.
pub fn text_of(parts: &[Part]) -> String {
    let mut text = String::new();
    for part in parts {
        if let Part::Text { text: piece } = part {
            text.push_str(piece);
        }
    }
    text
}

/// The reasoning of `parts`, joined.
pub fn reasoning_of(parts: &[Part]) -> String {
    let mut reasoning = String::new();
    for part in parts {
        if let Part::Reasoning { text, .. } = part {
            reasoning.push_str(text);
        }
    }
    reasoning
}

/// The parts of a reply: its reasoning (when there was any), then its text.
pub fn reply_parts(reasoning: &str, reasoning_ms: Option<u32>, text: &str) -> Vec<Part> {
    let mut parts = Vec::with_capacity(2);
    if !reasoning.is_empty() {
        parts.push(Part::Reasoning {
            text: reasoning.to_string(),
            duration_ms: reasoning_ms,
        });
    }
    if !text.is_empty() {
        parts.push(Part::text(text));
    }
    parts
}

/// `parts` split after its last tool call or result (or source: a reply's citations come
/// first): the finished steps, then the text and
/// reasoning after them (all of it, when there are no steps).
pub fn split_steps(parts: &[Part]) -> (&[Part], &[Part]) {
    let at = parts
        .iter()
        .rposition(|part| {
            matches!(
                part,
                Part::ToolCall { .. }
                    | Part::ToolResult { .. }
                    | Part::Retrieval { .. }
                    | Part::Citation { .. }
            )
        })
        .map_or(0, |last| last + 1);
    parts.split_at(at)
}

/// Adds a result saying `why` for each tool call in `parts` that has none (a reply that
/// stopped in the middle of a step), so every call is answered, as a request needs.
pub fn answer_open_calls(parts: &mut Vec<Part>, why: &str) {
    let answered: std::collections::HashSet<String> = parts
        .iter()
        .filter_map(|part| match part {
            Part::ToolResult { call_id, .. } => Some(call_id.clone()),
            _ => None,
        })
        .collect();
    let open: Vec<String> = parts
        .iter()
        .filter_map(|part| match part {
            Part::ToolCall { call_id, .. } if !answered.contains(call_id) => Some(call_id.clone()),
            _ => None,
        })
        .collect();
    // After the last call, before any text that follows the step.
    let at = match split_steps(parts) {
        ([], _) => parts.len(),
        (steps, _) => steps.len(),
    };
    let results = open.into_iter().map(|call_id| Part::ToolResult {
        call_id,
        content: why.to_string(),
        is_error: true,
        duration_ms: None,
    });
    parts.splice(at..at, results);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_round_trip_and_an_unknown_kind_is_skipped() {
        let parts = vec![
            Part::Reasoning {
                text: "hm".into(),
                duration_ms: Some(1200),
            },
            Part::text("Hello"),
        ];
        let json = serde_json::to_string(&parts).expect("serializes");
        assert_eq!(
            json,
            r#"[{"type":"reasoning","text":"hm","durationMs":1200},{"type":"text","text":"Hello"}]"#
        );
        let back: Vec<Part> = serde_json::from_str(&json).expect("reads");
        assert_eq!(back, parts);
        let future =
            read_parts(serde_json::json!([{"type":"hologram","x":1},{"type":"text","text":"a"}]))
                .expect("a list");
        assert_eq!(future, vec![Part::text("a")]);
        assert_eq!(text_of(&future), "a");
    }
}
