//! The attachments of a message being sent: checked against the store and rebuilt from it
//! (the webview's word is taken for a file's name and how many pages to send, nothing
//! else), within the limits; and the refusal to send images to a model that cannot see them,
//! before anything is stored or sent.

use sea_orm::ConnectionTrait;

use super::context;
use super::outgoing::{IMAGE_HEAD_BYTES, image_size, missing};
use super::send::validate_message;
use crate::attachments::clean_name;
use crate::error::{Error, Result};
use crate::llm::ProviderClient;
use crate::problem::{Problem, Rule};
use crate::providers::vision;
use crate::settings::Settings;
use crate::store::entities::conversation;
use crate::store::{blob_texts, blobs};
use crate::vocab::{MAX_MESSAGE_BYTES, Part, PromptMessage, text_parts_of};

/// Most attachments one message may carry.
pub const MAX_ATTACHMENTS: usize = 20;

/// The parts of a new message of the person's: its text (when there is any), then its
/// attachments as the store knows them. Without attachments the text is required.
pub(super) async fn new_message_parts(
    db: &impl ConnectionTrait,
    text: &str,
    attachments: Vec<Part>,
    settings: &Settings,
) -> Result<Vec<Part>> {
    if attachments.is_empty() {
        return Ok(text_parts_of(validate_message(text)?));
    }
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(Error::invalid(Problem::limit(
            "text",
            Rule::TooLarge,
            MAX_MESSAGE_BYTES,
        )));
    }
    if attachments.len() > MAX_ATTACHMENTS {
        return Err(Error::invalid(Problem::limit(
            "attachments",
            Rule::TooManyAttachments,
            MAX_ATTACHMENTS,
        )));
    }
    let mut parts = Vec::with_capacity(attachments.len() + 1);
    if !text.trim().is_empty() {
        parts.push(Part::text(text));
    }
    let mut total: u64 = 0;
    for (index, part) in attachments.into_iter().enumerate() {
        let (part, bytes) = rebuilt(db, index, part, settings).await?;
        total = total.saturating_add(bytes);
        parts.push(part);
    }
    let max = settings.max_message_attachments_bytes();
    if total > max {
        return Err(Error::invalid(Problem::limit(
            "attachments",
            Rule::TooLarge,
            max,
        )));
    }
    Ok(parts)
}

/// The part the store knows for attachment `index` (and its size), or why it cannot be sent.
async fn rebuilt(
    db: &impl ConnectionTrait,
    index: usize,
    part: Part,
    settings: &Settings,
) -> Result<(Part, u64)> {
    let (sha256, name, pages_sent) = match part {
        Part::Image { sha256, name, .. } => (sha256, name.map(|name| clean_name(&name)), None),
        Part::File {
            sha256,
            name,
            pages_sent,
            ..
        } => (sha256, Some(clean_name(&name)), pages_sent),
        _ => {
            return Err(Error::invalid(Problem::new(
                format!("attachments.{index}"),
                Rule::NotAChoice,
            )));
        }
    };
    let shown = name.as_deref().unwrap_or("image");
    let head = blobs::head(db, &sha256, IMAGE_HEAD_BYTES)
        .await?
        .ok_or_else(|| missing(shown))?;
    let max = settings.max_attachment_bytes();
    if head.bytes > max {
        return Err(Error::invalid(Problem::limit(
            format!("attachments.{index}"),
            Rule::TooLarge,
            max,
        )));
    }
    if head.mime.starts_with("image/") {
        let (width, height) = image_size(&head.head);
        let part = Part::Image {
            sha256,
            mime: head.mime,
            name,
            width,
            height,
        };
        return Ok((part, head.bytes));
    }
    let text = blob_texts::get(db, &sha256)
        .await?
        .ok_or_else(|| missing(shown))?;
    let pages_sent = match (text.pages, pages_sent) {
        (Some(pages), Some(sent)) if sent < pages => Some(sent.max(1)),
        _ => None,
    };
    let part = Part::File {
        sha256,
        name: name.unwrap_or_else(|| "file".into()),
        mime: head.mime,
        bytes: head.bytes,
        chars: text.chars,
        pages: text.pages,
        tokens: text.tokens,
        truncated: text.truncated,
        pages_sent,
    };
    Ok((part, head.bytes))
}

fn has_images<'a>(mut parts: impl Iterator<Item = &'a Part>) -> bool {
    parts.any(|part| matches!(part, Part::Image { .. }))
}

/// Refuses `request` when it carries images and the model cannot see them.
pub(super) async fn ensure_vision(
    db: &impl ConnectionTrait,
    client: &ProviderClient,
    request: &[PromptMessage],
) -> Result<()> {
    if !has_images(request.iter().flat_map(|message| &message.attachments)) {
        return Ok(());
    }
    let model = &client.endpoint().model;
    if vision::can_see_images(db, client.provider_id(), model).await? {
        Ok(())
    } else {
        Err(blind(model))
    }
}

/// Before a new message (`parts`) is stored under `parent`: refused when the model cannot
/// see images and the message, or the history it would be sent with, has some.
pub(super) async fn ensure_vision_for_new(
    db: &impl ConnectionTrait,
    client: &ProviderClient,
    conversation: &conversation::Model,
    parent: Option<&str>,
    parts: &[Part],
) -> Result<()> {
    let model = &client.endpoint().model;
    if vision::can_see_images(db, client.provider_id(), model).await? {
        return Ok(());
    }
    if has_images(parts.iter()) {
        return Err(blind(model));
    }
    // Walking the history costs a query over the branch: only when some message has
    // attachments at all.
    if let Some(parent) = parent
        && blobs::any_linked(db).await?
    {
        let history = context::build(db, conversation, parent).await?;
        if has_images(history.iter().flat_map(|message| &message.attachments)) {
            return Err(blind(model));
        }
    }
    Ok(())
}

fn blind(model: &str) -> Error {
    Error::invalid(Problem::new("attachments", Rule::ModelCannotSeeImages).value(model))
}
