//! What a reply gets from knowledge bases: the passages relevant to the question, within
//! the token budget, as a system message for the request (numbered, with the instruction to
//! cite them as `[n]`) and as the reply's parts (the bases searched and how many passages
//! were used, then one citation per passage, in the same order). An image passage names
//! the image (its file and path); when the chat model sees images, the image itself comes
//! along, read again from its file within the attachments' limits.

use std::sync::Arc;

use super::bases::{self, Owner};
use super::hub::KnowledgeHub;
use crate::attachments::image::{self, MAX_IMAGE_BYTES};
use crate::error::Result;
use crate::vocab::{Part, count_tokens};

/// The long side of a found image as it goes to a chat model: 1024 px keeps it to a few
/// tiles of a vision model.
pub const SENT_SIDE: u32 = 1024;
/// What a sent image is counted as in the passages' budget (OpenAI's price of a 1024 px
/// square: four tiles and the base).
const IMAGE_TOKENS: u32 = 765;

/// What a search before a reply found.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrieved {
    /// `Retrieval` then the `Citation`s, for the reply.
    pub parts: Vec<Part>,
    /// The system message carrying the passages; `None` when none was found.
    pub context: Option<String>,
    /// The images of image passages, in passage order, when they were asked for.
    pub images: Vec<FoundImage>,
}

/// An image a knowledge base holds, found for a reply and ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundImage {
    pub mime: String,
    pub data: Vec<u8>,
}

impl KnowledgeHub {
    /// The knowledge bases a conversation's replies search: its agent's (`agent_id`), then
    /// those the conversation adds.
    pub async fn bases_for(
        &self,
        conversation_id: &str,
        agent_id: Option<&str>,
    ) -> Result<Vec<String>> {
        let db = self.db.conn();
        let mut kb_ids = match agent_id {
            Some(agent) => bases::attached(db, Owner::Agent(agent)).await?,
            None => Vec::new(),
        };
        for id in bases::attached(db, Owner::Conversation(conversation_id)).await? {
            if !kb_ids.contains(&id) {
                kb_ids.push(id);
            }
        }
        Ok(kb_ids)
    }

    /// Searches the knowledge bases of a conversation (its agent's and its own) for
    /// `question`; with `images`, the images found come along to be sent. `None` when it
    /// has none.
    pub async fn retrieve(
        self: &Arc<Self>,
        conversation_id: &str,
        agent_id: Option<&str>,
        question: &str,
        images: bool,
    ) -> Result<Option<Retrieved>> {
        let db = self.db.conn();
        let kb_ids = self.bases_for(conversation_id, agent_id).await?;
        if kb_ids.is_empty() || question.trim().is_empty() {
            return Ok(None);
        }
        let mut names = Vec::new();
        let (mut top_k, mut budget) = (0u32, 0u32);
        for id in &kb_ids {
            let kb = bases::get(db, id).await?;
            names.push(kb.name);
            top_k = top_k.max(kb.top_k);
            budget = budget.max(kb.context_tokens);
        }
        let found = self.search(&kb_ids, question, top_k as usize).await?;
        let mut passages = Vec::new();
        let mut used = 0u32;
        for hit in found.hits {
            let image_cost = if hit.image && images { IMAGE_TOKENS } else { 0 };
            let cost = count_tokens(&hit.text)
                .saturating_add(20)
                .saturating_add(image_cost);
            if used.saturating_add(cost) > budget && !passages.is_empty() {
                break;
            }
            used = used.saturating_add(cost);
            passages.push(hit);
        }
        let mut parts = vec![Part::Retrieval {
            bases: names.clone(),
            passages: u32::try_from(passages.len()).unwrap_or(u32::MAX),
        }];
        if passages.is_empty() {
            return Ok(Some(Retrieved {
                parts,
                context: None,
                images: Vec::new(),
            }));
        }
        let mut context = format!(
            "Passages from the user's knowledge bases ({}), numbered. Use them where they \
             answer the question, and cite each passage you use as [n] right after what it \
             supports. If they do not answer the question, say so; never invent a source.\n",
            names.join(", ")
        );
        let mut found_images = Vec::new();
        for (i, hit) in passages.into_iter().enumerate() {
            let locator = locator(hit.page, &hit.heading);
            context.push_str(&format!("\n[{}] {}", i + 1, hit.title));
            if let Some(locator) = &locator {
                context.push_str(&format!(" ({locator})"));
            }
            context.push('\n');
            if hit.image {
                let sent = if images {
                    read_found(&hit.path).await
                } else {
                    None
                };
                let k = sent.is_some().then_some(found_images.len() + 1);
                context.push_str(&image_note(&hit.path, k));
                if let Some((mime, data)) = sent {
                    found_images.push(FoundImage {
                        mime: mime.to_string(),
                        data,
                    });
                }
            } else {
                context.push_str(hit.text.trim());
            }
            context.push('\n');
            parts.push(Part::Citation {
                source: hit.path,
                title: hit.title,
                locator,
                snippet: if hit.image { String::new() } else { hit.text },
                image: hit.image,
            });
        }
        Ok(Some(Retrieved {
            parts,
            context: Some(context),
            images: found_images,
        }))
    }
}

/// What the model is told of an image passage: that it is an image, where it is, and
/// whether it can see it (found image `k` among those attached to the question, after
/// the user's own).
fn image_note(path: &str, sent: Option<usize>) -> String {
    match sent {
        Some(k) => format!(
            "An image file ({path}), found by its content. It is attached to the question as \
             found image {k} (after any images the user attached)."
        ),
        None => format!(
            "An image file ({path}), found by its content. The image itself is not shown to \
             you; only its name and where it is are known."
        ),
    }
}

/// A found image's file read again (it may have changed or gone since it was indexed),
/// within the attachments' limits and scaled to [`SENT_SIDE`]; `None` when it cannot be.
async fn read_found(path: &str) -> Option<(&'static str, Vec<u8>)> {
    let meta = tokio::fs::metadata(path).await.ok()?;
    if !meta.is_file() || meta.len() > MAX_IMAGE_BYTES as u64 {
        return None;
    }
    let bytes = tokio::fs::read(path).await.ok()?;
    let prepared =
        tokio::task::spawn_blocking(move || image::prepare_within(&bytes, "file", SENT_SIDE))
            .await
            .ok()?;
    match prepared {
        Ok(prepared) => Some((prepared.mime, prepared.data)),
        Err(error) => {
            tracing::info!(%error, "a found image could not be read again; named only");
            None
        }
    }
}

/// Where in its file a passage is: "p. 3 · Setup › Linux".
fn locator(page: Option<u32>, heading: &str) -> Option<String> {
    let page = page.map(|p| format!("p. {p}"));
    let heading = (!heading.is_empty()).then(|| heading.to_string());
    match (page, heading) {
        (Some(p), Some(h)) => Some(format!("{p} · {h}")),
        (p, h) => p.or(h),
    }
}
