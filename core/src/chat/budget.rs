//! Whether an attachment fits a conversation's context budget, and if not, how many of a
//! document's first pages do: what the composer offers before a send would only be cut.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::context::{message_tokens, preset_and_policy};
use super::outgoing::{FILE_FRAMING, IMAGE_HEAD_BYTES, image_size, image_tokens};
use crate::error::{Error, Result};
use crate::store::blob_texts::{self, BlobText};
use crate::store::blobs;
use crate::store::entities::conversation;
use crate::vocab::count_tokens;

/// How an attachment fits a conversation's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentFit {
    /// Tokens of the whole attachment (a file's text, an image as OpenAI counts it).
    pub tokens: u32,
    /// The conversation's token budget for a request, if it has one.
    pub budget: Option<u32>,
    /// When the attachment does not fit beside the preset: how many first pages of the
    /// document do (0: not even one). `None` when it fits, or it has no pages to cut.
    pub pages_that_fit: Option<u32>,
}

/// How the attachment `sha256` (attached earlier) fits `conversation`'s budget.
pub async fn attachment_fit(
    db: &impl ConnectionTrait,
    conversation: &conversation::Model,
    sha256: &str,
) -> Result<AttachmentFit> {
    let (preset, policy) = preset_and_policy(db, conversation).await?;
    let budget = policy.max_context_tokens;
    let Some(text) = blob_texts::get(db, sha256).await? else {
        let head = blobs::head(db, sha256, IMAGE_HEAD_BYTES)
            .await?
            .filter(|head| head.mime.starts_with("image/"))
            .ok_or_else(|| Error::not_found("attachment", sha256))?;
        let (width, height) = image_size(&head.head);
        return Ok(AttachmentFit {
            tokens: image_tokens(width, height),
            budget,
            pages_that_fit: None,
        });
    };
    let tokens = text.tokens;
    let Some(budget_tokens) = budget else {
        return Ok(AttachmentFit {
            tokens,
            budget,
            pages_that_fit: None,
        });
    };
    // The preset always goes; the history gives way to the newest message.
    let room = preset
        .iter()
        .map(message_tokens)
        .fold(budget_tokens, u32::saturating_sub)
        .saturating_sub(FILE_FRAMING + 4);
    let pages_that_fit = if tokens <= room || text.pages.is_none() {
        None
    } else {
        let pages = tokio::task::spawn_blocking(move || first_pages_within(&text, room))
            .await
            .map_err(|error| Error::internal("counting pages", error))?;
        Some(pages)
    };
    Ok(AttachmentFit {
        tokens,
        budget,
        pages_that_fit,
    })
}

/// How many first pages of `text` take at most `room` tokens. Counts page by page and stops
/// at the first that does not fit, so the work is bounded by `room`, not the document.
fn first_pages_within(text: &BlobText, room: u32) -> u32 {
    let pages = text.pages.unwrap_or(0);
    let mut used: u32 = 0;
    let mut start = 0;
    for page in 1..=pages {
        let end = text.first_pages(Some(page)).len();
        let cost = count_tokens(text.text.get(start..end).unwrap_or_default());
        used = used.saturating_add(cost);
        if used > room {
            return page - 1;
        }
        start = end;
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_that_fit_are_counted_from_the_first() {
        let page = "word ".repeat(100);
        let text = BlobText {
            kind: "pdf".into(),
            text: page.repeat(3),
            pages: Some(3),
            page_starts: vec![0, 500, 1000],
            chars: 1500,
            tokens: 300,
            truncated: false,
        };
        let one = count_tokens(&page);
        assert_eq!(first_pages_within(&text, one - 1), 0);
        assert_eq!(first_pages_within(&text, one), 1);
        assert_eq!(first_pages_within(&text, 2 * one + 1), 2);
        assert_eq!(first_pages_within(&text, u32::MAX), 3);
    }
}
