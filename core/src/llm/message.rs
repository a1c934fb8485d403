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

use crate::vocab::Role;

/// One message of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    pub role: Role,
    pub text: String,
    pub attachments: Vec<Attached>,
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
        let mut out = serializer.serialize_struct("Message", 2)?;
        out.serialize_field("role", &message.role)?;
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
            role: Role::User,
            text: "What is in these?".into(),
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
}
