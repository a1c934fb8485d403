//! A request on its way out: the attachments its messages name, read from the store (an
//! image's bytes, the text of the pages of a file that are sent) so that the provider
//! client gets everything it sends and never reads the store itself; and what attachments
//! cost in the token budget.

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::ConnectionTrait;

use crate::error::{Error, Result};
use crate::llm::{Attached, ChatMessage, ToolCall};
use crate::problem::{Problem, Rule};
use crate::store::{blob_texts, blobs};
use crate::vocab::{Part, PromptMessage, Role, answer_open_calls, count_tokens};

/// Tokens the `<file name="...">` element around a file's text takes, about.
pub(super) const FILE_FRAMING: u32 = 12;

/// The SHA-256 an attachment names; empty for any other part.
pub(super) fn sha256_of(part: &Part) -> &str {
    match part {
        Part::Image { sha256, .. } | Part::File { sha256, .. } => sha256,
        _ => "",
    }
}

/// The name an attachment is known by in a problem.
pub(super) fn name_of(part: &Part) -> &str {
    match part {
        Part::File { name, .. } => name,
        Part::Image { name, .. } => name.as_deref().unwrap_or("image"),
        _ => "",
    }
}

/// What an attachment adds to a request, in tokens: a file its text (only the pages sent,
/// in proportion, when not all are), an image what OpenAI's vision models charge for it.
pub fn attachment_tokens(part: &Part) -> u32 {
    match part {
        Part::File {
            tokens,
            pages,
            pages_sent,
            ..
        } => {
            let sent = match (pages, pages_sent) {
                (Some(pages), Some(sent)) if *sent < *pages && *pages > 0 => {
                    let share = u64::from(*tokens) * u64::from(*sent);
                    u32::try_from(share.div_ceil(u64::from(*pages))).unwrap_or(u32::MAX)
                }
                _ => *tokens,
            };
            sent.saturating_add(FILE_FRAMING)
        }
        Part::Image { width, height, .. } => image_tokens(*width, *height),
        // An assistant's tool steps (its text is counted with the message's).
        Part::ToolCall {
            name, arguments, ..
        } => count_tokens(name).saturating_add(count_tokens(arguments)),
        Part::ToolResult { content, .. } => count_tokens(content),
        _ => 0,
    }
}

/// OpenAI's count for an image at high detail: scaled to fit 2048 × 2048, then so that its
/// short side is at most 768; 170 tokens per 512-pixel tile it covers, plus 85. An image
/// of unknown size is counted as a 1024 × 1024 one.
pub fn image_tokens(width: u32, height: u32) -> u32 {
    let (mut w, mut h) = if width == 0 || height == 0 {
        (1024.0, 1024.0)
    } else {
        (f64::from(width), f64::from(height))
    };
    let fit = (2048.0 / w.max(h)).min(1.0);
    (w, h) = (w * fit, h * fit);
    let short = (768.0 / w.min(h)).min(1.0);
    (w, h) = (w * short, h * short);
    // At most 4 × 4 tiles after the scaling above: the casts cannot overflow.
    let tiles = (w / 512.0).ceil() as u32 * (h / 512.0).ceil() as u32;
    85 + 170 * tiles
}

/// An image's width and height, read from its first bytes; 0 × 0 when they say nothing.
pub(super) fn image_size(head: &[u8]) -> (u32, u32) {
    image::ImageReader::new(std::io::Cursor::new(head))
        .with_guessed_format()
        .ok()
        .and_then(|reader| reader.into_dimensions().ok())
        .unwrap_or((0, 0))
}

/// Bytes of an image read to learn its size (its header is near the start: stored images
/// were encoded again, with nothing before it).
pub(super) const IMAGE_HEAD_BYTES: u32 = 64 * 1024;

/// The messages of a request with their attachments read out: an image's bytes, a file's
/// text (its first `pages_sent` pages); each blob is read once per request. An attachment
/// whose bytes or text are gone (an imported message whose files did not come along) goes
/// as a note that says so, in words: the conversation goes on without it. A new message's
/// own attachments were checked before it was stored (`attached.rs`).
pub(super) async fn resolve(
    db: &impl ConnectionTrait,
    messages: Vec<PromptMessage>,
) -> Result<Vec<ChatMessage>> {
    // `None`: not stored.
    let mut images: HashMap<String, Option<Attached>> = HashMap::new();
    let mut texts: HashMap<(String, Option<u32>), Option<Arc<str>>> = HashMap::new();
    let mut out = Vec::with_capacity(messages.len());
    for message in messages {
        if message.role == Role::Assistant {
            out.extend(steps(message));
            continue;
        }
        let mut attachments = Vec::with_capacity(message.attachments.len());
        for part in &message.attachments {
            match part {
                Part::Image { sha256, .. } => {
                    if !images.contains_key(sha256) {
                        let image = match blobs::get(db, sha256).await {
                            Ok(blob) => Some(Attached::Image {
                                mime: blob.mime,
                                data: Arc::from(blob.data),
                            }),
                            Err(Error::NotFound { .. }) => None,
                            Err(error) => return Err(error),
                        };
                        images.insert(sha256.clone(), image);
                    }
                    attachments.push(images[sha256].clone().unwrap_or_else(|| gone(part)));
                }
                Part::File {
                    sha256,
                    name,
                    pages_sent,
                    ..
                } => {
                    let key = (sha256.clone(), *pages_sent);
                    if !texts.contains_key(&key) {
                        let text = blob_texts::get(db, sha256).await?;
                        let sent = text.map(|text| Arc::from(text.first_pages(*pages_sent)));
                        texts.insert(key.clone(), sent);
                    }
                    attachments.push(match &texts[&key] {
                        Some(text) => Attached::File {
                            name: name.clone(),
                            text: Arc::clone(text),
                        },
                        None => gone(part),
                    });
                }
                _ => {}
            }
        }
        out.push(ChatMessage {
            attachments,
            ..ChatMessage::text(message.role, message.content)
        });
    }
    Ok(out)
}

/// An assistant's message as the API takes it: with tool steps, each turn's text and calls,
/// then each call's result, then the text after the last step. A call without a stored
/// result is answered that none was recorded, and a result without its call is left out:
/// the API refuses either.
fn steps(message: PromptMessage) -> Vec<ChatMessage> {
    if !message
        .attachments
        .iter()
        .any(|part| matches!(part, Part::ToolCall { .. }))
    {
        return vec![ChatMessage::text(Role::Assistant, message.content)];
    }
    let mut parts = message.attachments;
    answer_open_calls(&mut parts, NO_RESULT);
    let mut out = Vec::new();
    let (mut text, mut calls, mut results) = (String::new(), Vec::new(), Vec::new());
    for part in parts {
        match part {
            Part::Text { text: piece } => {
                if !calls.is_empty() {
                    out.push(ChatMessage::calls(
                        std::mem::take(&mut text),
                        std::mem::take(&mut calls),
                    ));
                    out.append(&mut results);
                }
                text.push_str(&piece);
            }
            Part::ToolCall {
                call_id,
                name,
                arguments,
                ..
            } => {
                if !results.is_empty() {
                    out.push(ChatMessage::calls(
                        std::mem::take(&mut text),
                        std::mem::take(&mut calls),
                    ));
                    out.append(&mut results);
                }
                calls.push(ToolCall {
                    id: call_id,
                    name,
                    arguments,
                    cut: false,
                });
            }
            Part::ToolResult {
                call_id, content, ..
            } if calls.iter().any(|call| call.id == call_id) => {
                results.push(ChatMessage::tool_result(call_id, content));
            }
            _ => {}
        }
    }
    if calls.is_empty() {
        if !text.is_empty() {
            out.push(ChatMessage::text(Role::Assistant, text));
        }
    } else {
        out.push(ChatMessage::calls(text, calls));
        out.append(&mut results);
    }
    out
}

/// What a call stored without its result is answered with in a later request.
const NO_RESULT: &str = "No result was recorded for this call.";

/// What is sent for an attachment that is no longer stored: a file of one line saying so.
fn gone(part: &Part) -> Attached {
    Attached::File {
        name: name_of(part).to_string(),
        text: Arc::from(GONE),
    }
}

/// The line a request carries for an attachment that is no longer stored.
pub const GONE: &str = "(This attachment is no longer available.)";

/// Messages of text alone (a try-out's, a title's): whatever attachments they name are
/// not sent.
pub(super) fn text_only(messages: Vec<PromptMessage>) -> Vec<ChatMessage> {
    messages
        .into_iter()
        .map(|message| ChatMessage::text(message.role, message.content))
        .collect()
}

/// `attachment_missing` for the attachment called `name`.
pub(super) fn missing(name: &str) -> Error {
    Error::invalid(Problem::new("attachments", Rule::AttachmentMissing).value(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_cost_what_openai_charges() {
        // The examples of OpenAI's vision guide.
        assert_eq!(image_tokens(1024, 1024), 765);
        assert_eq!(image_tokens(2048, 4096), 1105);
        assert_eq!(image_tokens(4096, 8192), 1105);
        assert_eq!(image_tokens(512, 512), 255);
        assert_eq!(image_tokens(0, 0), 765, "unknown size");
        assert_eq!(image_tokens(1, u32::MAX), 85 + 170 * 4, "a sliver");
    }

    #[test]
    fn a_file_costs_its_text_or_the_share_of_the_pages_sent() {
        let file = |pages, pages_sent| Part::File {
            sha256: String::new(),
            name: "a.pdf".into(),
            mime: "application/pdf".into(),
            bytes: 1,
            chars: 1,
            pages,
            tokens: 1000,
            truncated: false,
            pages_sent,
        };
        assert_eq!(attachment_tokens(&file(None, None)), 1000 + FILE_FRAMING);
        assert_eq!(
            attachment_tokens(&file(Some(10), None)),
            1000 + FILE_FRAMING
        );
        assert_eq!(
            attachment_tokens(&file(Some(10), Some(3))),
            300 + FILE_FRAMING
        );
        assert_eq!(
            attachment_tokens(&file(Some(3), Some(1))),
            334 + FILE_FRAMING
        );
        assert_eq!(
            attachment_tokens(&file(Some(3), Some(9))),
            1000 + FILE_FRAMING
        );
        assert_eq!(attachment_tokens(&Part::text("x")), 0);
    }
}
