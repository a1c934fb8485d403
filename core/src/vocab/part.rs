//! The parts a message is made of.
//!
//! A message is an ordered list of parts. Text and reasoning are written by the chat engine
//! today; images and files (attachments), tool calls and results (tools) and citations
//! (knowledge bases) are declared here so that the stored shape changes once.

use serde::{Deserialize, Serialize};
use specta::Type;

/// One part of a message. Stored as JSON (`{"type": "text", "text": "..."}`), so a part a
/// newer app wrote and this one does not know is kept as [`Part::Unknown`], never an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
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
    /// A document, stored once by its SHA-256, with the text read out of it.
    File {
        sha256: String,
        name: String,
        mime: String,
        #[serde(default)]
        bytes: u64,
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
    },
    /// A source a reply drew on.
    Citation {
        source: String,
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locator: Option<String>,
        #[serde(default)]
        snippet: String,
    },
    /// A part of a kind this version does not know; kept as it is.
    #[serde(other)]
    Unknown,
}

impl Part {
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_round_trip_and_an_unknown_kind_is_kept_as_unknown() {
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
        let future: Vec<Part> =
            serde_json::from_str(r#"[{"type":"hologram","x":1},{"type":"text","text":"a"}]"#)
                .expect("an unknown kind is read");
        assert_eq!(future, vec![Part::Unknown, Part::text("a")]);
        assert_eq!(text_of(&future), "a");
    }
}
