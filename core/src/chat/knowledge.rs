//! Knowledge before a reply: the engine asks its [`Retriever`] (the knowledge bases, handed
//! over by the api) for the passages relevant to the question, puts them into the request
//! as a system message just before the question, and starts the reply's parts with what
//! was searched and the citations. A search that fails is logged and the reply goes on
//! without it; one that finds nothing says so in the reply. Images found in a knowledge
//! base are asked for only when the model sees images, and go with the question as image
//! parts; otherwise the passages only name them.

use futures::future::BoxFuture;

use super::ChatEvent;
use super::reply::Reply;
use crate::error::Result;
use crate::llm::{Attached, ChatMessage};
use crate::vocab::{Part, Role};

/// What a search before a reply gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrieval {
    /// `Retrieval`, then one `Citation` per passage, for the reply's parts.
    pub parts: Vec<Part>,
    /// The system message with the passages; `None` when nothing relevant was found.
    pub context: Option<String>,
    /// The images of image passages (only when they were asked for), each a file of a
    /// knowledge base, ready to send.
    pub images: Vec<Attached>,
}

/// Where the passages for a reply come from.
pub trait Retriever: Send + Sync + 'static {
    /// The passages for `question` in the knowledge bases of the conversation (its
    /// agent's, `agent_id`, and its own), with the images found when `images` (the model
    /// sees images); `None` when it has none.
    fn retrieve<'a>(
        &'a self,
        conversation_id: &'a str,
        agent_id: Option<&'a str>,
        question: &'a str,
        images: bool,
    ) -> BoxFuture<'a, Result<Option<Retrieval>>>;
}

impl Reply {
    /// Searches the conversation's knowledge bases for the question this reply answers
    /// and returns the parts the reply starts with (none when it has no knowledge bases).
    pub(super) async fn retrieve(&mut self) -> Vec<Part> {
        if self.trial || self.continues.is_some() {
            return Vec::new();
        }
        let Some(retriever) = self.engine.retriever() else {
            return Vec::new();
        };
        let question = self.user_message.content.clone();
        let conversation_id = self.live.conversation_id.clone();
        let agent_id = crate::store::conversations::find(self.engine.db.conn(), &conversation_id)
            .await
            .ok()
            .and_then(|conversation| conversation.agent_id);
        let model = &self.client.endpoint().model;
        let sees_images = crate::providers::vision::can_see_images(
            self.engine.db.conn(),
            self.client.provider_id(),
            model,
        )
        .await
        .unwrap_or(false);
        let found = retriever
            .retrieve(
                &conversation_id,
                agent_id.as_deref(),
                &question,
                sees_images,
            )
            .await;
        let retrieval = match found {
            Ok(Some(retrieval)) => retrieval,
            Ok(None) => return Vec::new(),
            Err(error) => {
                tracing::warn!(%error, "the knowledge bases could not be searched");
                return Vec::new();
            }
        };
        if let Some(context) = retrieval.context {
            let at = self.request.len().saturating_sub(1);
            self.request
                .insert(at, ChatMessage::text(Role::System, context));
        }
        // With the question, after what the person attached: the system message says
        // which passage each image is.
        if let Some(question) = self.request.last_mut()
            && sees_images
        {
            question.attachments.extend(retrieval.images);
        }
        // Kept with the stream's steps too: a window that attaches later gets them in its
        // snapshot.
        self.live.push_steps(
            retrieval.parts.clone(),
            ChatEvent::Retrieved {
                parts: retrieval.parts.clone(),
            },
        );
        retrieval.parts
    }
}
