//! What a reply gets from knowledge bases: the passages relevant to the question, within
//! the token budget, as a system message for the request (numbered, with the instruction to
//! cite them as `[n]`) and as the reply's parts (the bases searched and how many passages
//! were used, then one citation per passage, in the same order).

use std::sync::Arc;

use super::bases::{self, Owner};
use super::hub::KnowledgeHub;
use crate::error::Result;
use crate::vocab::{Part, count_tokens};

/// What a search before a reply found.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrieved {
    /// `Retrieval` then the `Citation`s, for the reply.
    pub parts: Vec<Part>,
    /// The system message carrying the passages; `None` when none was found.
    pub context: Option<String>,
}

impl KnowledgeHub {
    /// Searches the knowledge bases of a conversation (its agent's and its own) for
    /// `question`. `None` when it has none.
    pub async fn retrieve(
        self: &Arc<Self>,
        conversation_id: &str,
        agent_id: Option<&str>,
        question: &str,
    ) -> Result<Option<Retrieved>> {
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
            let cost = count_tokens(&hit.text).saturating_add(20);
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
            }));
        }
        let mut context = format!(
            "Passages from the user's knowledge bases ({}), numbered. Use them where they \
             answer the question, and cite each passage you use as [n] right after what it \
             supports. If they do not answer the question, say so; never invent a source.\n",
            names.join(", ")
        );
        for (i, hit) in passages.into_iter().enumerate() {
            let locator = locator(hit.page, &hit.heading);
            context.push_str(&format!("\n[{}] {}", i + 1, hit.title));
            if let Some(locator) = &locator {
                context.push_str(&format!(" ({locator})"));
            }
            context.push('\n');
            context.push_str(hit.text.trim());
            context.push('\n');
            parts.push(Part::Citation {
                source: hit.path,
                title: hit.title,
                locator,
                snippet: hit.text,
            });
        }
        Ok(Some(Retrieved {
            parts,
            context: Some(context),
        }))
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
