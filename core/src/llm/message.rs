//! A message as it goes to the provider: its text and the attachments it carries, already
//! read out of the store by the chat layer (this layer never reads the store).
//!
//! A message without attachments goes as `{"role", "content": "text"}`. One with
//! attachments goes as an array content, as OpenAI's chat API takes it: the text (when
//! there is any), each file as a text part that names it, each image as an `image_url`
//! part holding a `data:` URL.

use std::sync::Arc;

use base64::Engine as _;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::tools::{CallWire, ToolCall};
use crate::vocab::Role;

/// One message of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    pub role: Role,
    pub text: String,
    pub attachments: Vec<Attached>,
    /// The calls an assistant message made.
    pub tool_calls: Vec<ToolCall>,
    /// The call a `tool` message answers.
    pub tool_call_id: Option<String>,
}

/// An attachment of a message, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub enum Attached {
    /// A document: its name and the text that is sent of it.
    File { name: String, text: Arc<str> },
    /// An image: its type and bytes.
    Image { mime: String, data: Arc<[u8]> },
}

impl ChatMessage {
    /// A message of text alone.
    pub fn text(role: Role, text: impl Into<String>) -> Self {
        Self {
            role,
            text: text.into(),
            attachments: Vec::new(),
            tool_calls: Vec::new(),
            tool_call_id: None,
        }
    }

    /// An assistant message that made `calls` (after its text, when it wrote any).
    pub fn calls(text: impl Into<String>, calls: Vec<ToolCall>) -> Self {
        Self {
            tool_calls: calls,
            ..Self::text(Role::Assistant, text)
        }
    }

    /// What a tool gave back for the call `call_id`.
    pub fn tool_result(call_id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            tool_call_id: Some(call_id.into()),
            ..Self::text(Role::Tool, text)
        }
    }
}

/// The messages of a request, serialized as the API takes them; with `elide_images`, an
/// image's bytes are left out of its URL (a debug record keeps the shape, not megabytes).
pub(super) struct Messages<'a> {
    pub list: &'a [ChatMessage],
    pub elide_images: bool,
}

impl Serialize for Messages<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.list.len()))?;
        for message in self.list {
            seq.serialize_element(&Wire {
                message,
                elide_images: self.elide_images,
            })?;
        }
        seq.end()
    }
}

struct Wire<'a> {
    message: &'a ChatMessage,
    elide_images: bool,
}

impl Serialize for Wire<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let message = self.message;
        let mut out = serializer.serialize_struct("Message", 3)?;
        out.serialize_field("role", &message.role)?;
        if let Some(call_id) = &message.tool_call_id {
            out.serialize_field("tool_call_id", call_id)?;
        }
        if !message.tool_calls.is_empty() {
            let calls: Vec<_> = message.tool_calls.iter().map(CallWire).collect();
            out.serialize_field("tool_calls", &calls)?;
            // The API takes no content beside calls as null, not as an empty text.
            if message.text.is_empty() {
                out.serialize_field("content", &serde_json::Value::Null)?;
                return out.end();
            }
        }
        if message.attachments.is_empty() {
            out.serialize_field("content", &message.text)?;
        } else {
            let mut parts = Vec::with_capacity(message.attachments.len() + 1);
            if !message.text.is_empty() {
                parts.push(ContentPart::Text {
                    text: message.text.clone(),
                });
            }
            for attached in &message.attachments {
                parts.push(match attached {
                    Attached::File { name, text } => ContentPart::Text {
                        text: file_text(name, text),
                    },
                    Attached::Image { mime, data } => ContentPart::ImageUrl {
                        image_url: ImageUrl {
                            url: data_url(mime, data, self.elide_images),
                        },
                    },
                });
            }
            out.serialize_field("content", &parts)?;
        }
        out.end()
    }
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ContentPart {
    Text { text: String },
    ImageUrl { image_url: ImageUrl },
}

#[derive(Serialize)]
struct ImageUrl {
    url: String,
}

/// A file's text as the model reads it: inside a `<file>` element that names it.
fn file_text(name: &str, text: &str) -> String {
    let mut name_attr = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '"' => name_attr.push_str("&quot;"),
            '<' => name_attr.push_str("&lt;"),
            '>' => name_attr.push_str("&gt;"),
            '&' => name_attr.push_str("&amp;"),
            c => name_attr.push(c),
        }
    }
    format!("<file name=\"{name_attr}\">\n{text}\n</file>")
}

fn data_url(mime: &str, data: &[u8], elide: bool) -> String {
    if elide {
        return format!("data:{mime};base64,... ({} bytes)", data.len());
    }
    let engine = base64::engine::general_purpose::STANDARD;
    let mut url = String::with_capacity(mime.len() + 13 + data.len().div_ceil(3) * 4);
    url.push_str("data:");
    url.push_str(mime);
    url.push_str(";base64,");
    engine.encode_string(data, &mut url);
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_openai::types::chat::{
        ChatCompletionRequestMessage, ChatCompletionRequestUserMessageContent as Content,
        ChatCompletionRequestUserMessageContentPart as Part,
    };

    fn attached() -> ChatMessage {
        ChatMessage {
            attachments: vec![
                Attached::File {
                    name: "a \"b\".md".into(),
                    text: "# Notes".into(),
                },
                Attached::Image {
                    mime: "image/png".into(),
                    data: Arc::from(&b"\x89PNG"[..]),
                },
            ],
            ..ChatMessage::text(Role::User, "What is in these?")
        }
    }

    fn json(list: &[ChatMessage], elide_images: bool) -> serde_json::Value {
        serde_json::to_value(Messages { list, elide_images }).expect("serializes")
    }

    #[test]
    fn a_message_with_attachments_is_an_array_content_that_async_openai_reads() {
        let list = [ChatMessage::text(Role::System, "Be brief."), attached()];
        let wire = json(&list, false);
        assert_eq!(
            wire,
            serde_json::json!([
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": [
                    {"type": "text", "text": "What is in these?"},
                    {"type": "text", "text": "<file name=\"a &quot;b&quot;.md\">\n# Notes\n</file>"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="}}
                ]}
            ])
        );
        // The shape is the API's own, as async-openai's request types spell it.
        let read: Vec<ChatCompletionRequestMessage> =
            serde_json::from_value(wire).expect("async-openai reads it");
        let ChatCompletionRequestMessage::User(user) = &read[1] else {
            panic!("a user message: {read:?}");
        };
        let Content::Array(parts) = &user.content else {
            panic!("an array content");
        };
        assert!(matches!(&parts[0], Part::Text(text) if text.text == "What is in these?"));
        assert!(
            matches!(&parts[2], Part::ImageUrl(image) if image.image_url.url.starts_with("data:image/png;base64,"))
        );
    }

    #[test]
    fn attachments_without_text_send_no_empty_text_part_and_records_elide_bytes() {
        let message = ChatMessage {
            text: String::new(),
            ..attached()
        };
        let wire = json(std::slice::from_ref(&message), true);
        let parts = wire[0]["content"].as_array().expect("array");
        assert_eq!(parts.len(), 2);
        assert_eq!(
            parts[1]["image_url"]["url"],
            "data:image/png;base64,... (4 bytes)"
        );
    }

    #[test]
    fn tool_calls_and_results_go_as_the_api_spells_them() {
        let call = ToolCall {
            id: "call_1".into(),
            name: "echo".into(),
            arguments: "{\"message\":\"hi\"}".into(),
            cut: false,
        };
        let list = [
            ChatMessage::calls("", vec![call.clone()]),
            ChatMessage::tool_result("call_1", "hi"),
            ChatMessage::calls("Checking.", vec![call]),
        ];
        let wire = json(&list, false);
        assert_eq!(
            wire[0],
            serde_json::json!({"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
                "function": {"name": "echo", "arguments": "{\"message\":\"hi\"}"}}], "content": null})
        );
        assert_eq!(
            wire[1],
            serde_json::json!({"role": "tool", "tool_call_id": "call_1", "content": "hi"})
        );
        assert_eq!(wire[2]["content"], "Checking.");
        let read: Vec<ChatCompletionRequestMessage> =
            serde_json::from_value(wire).expect("async-openai reads it");
        assert!(
            matches!(&read[0], ChatCompletionRequestMessage::Assistant(a) if a.tool_calls.as_ref().is_some_and(|c| c.len() == 1))
        );
        assert!(
            matches!(&read[1], ChatCompletionRequestMessage::Tool(t) if t.tool_call_id == "call_1")
        );
    }
}
