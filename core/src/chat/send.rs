//! The verbs that start a reply: send, regenerate, edit and resend, continue.

use std::sync::Arc;

use super::engine::{ChatEngine, Claim};
use super::reply::Reply;
use super::{ChatEvent, ChatSink, attached, context, outgoing};
use crate::error::{Error, Result};
use crate::llm::ProviderClient;
use crate::problem::{Problem, Rule};
use crate::store::conversations;
use crate::store::entities::conversation;
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::{self, Message, NewMessage, Parent};
use crate::store::tree;
use crate::vocab::{MAX_MESSAGE_BYTES, Part};

impl ChatEngine {
    /// Stores `text` and `attachments` (images and files attached earlier; `text` may be
    /// empty when there are some) as a user message at once, then streams the reply to
    /// `sink` in the background and stores it once, when the stream ends. Returns the
    /// stream id. Nothing is stored when a check fails.
    pub async fn send_message(
        self: &Arc<Self>,
        conversation_id: &str,
        text: &str,
        attachments: Vec<Part>,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let db = self.db.conn();
        let parts = attached::new_message_parts(db, text, attachments, &self.settings()).await?;
        let (claim, conversation, client) = self.claim_with_client(conversation_id, sink).await?;
        let leaf = tree::leaf(db, &conversation).await?;
        attached::ensure_vision_for_new(db, &client, &conversation, leaf.as_deref(), &parts)
            .await?;
        let user_message = messages::append(
            db,
            NewMessage {
                parts,
                ..NewMessage::text(conversation_id, Role::User, "")
            },
        )
        .await?;
        if conversation.title.is_empty() {
            let title = conversations::title_from(title_source(&user_message.parts));
            conversations::rename(db, conversation_id, &title).await?;
        }
        self.start(claim, client, user_message).await
    }

    /// Writes a new version of the last reply of the branch shown, beside the old one
    /// (which stays, one version back).
    pub async fn regenerate(
        self: &Arc<Self>,
        conversation_id: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let (claim, conversation, client) = self.claim_with_client(conversation_id, sink).await?;
        let last = match tree::leaf(self.db.conn(), &conversation).await? {
            Some(leaf) => messages::get(self.db.conn(), &leaf).await?,
            None => return Err(nothing_to_answer()),
        };
        let answered = if last.role == Role::Assistant {
            match &last.parent_id {
                Some(parent) => messages::get(self.db.conn(), parent).await?,
                None => return Err(nothing_to_answer()),
            }
        } else {
            last
        };
        if answered.role != Role::User {
            return Err(nothing_to_answer());
        }
        self.start(claim, client, answered).await
    }

    /// Writes `text` and `attachments` as a new version of a user message (beside the old
    /// one, which keeps its branch) and streams a reply to it; checked as a new message is.
    pub async fn edit_and_resend(
        self: &Arc<Self>,
        message_id: &str,
        text: &str,
        attachments: Vec<Part>,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let db = self.db.conn();
        let parts = attached::new_message_parts(db, text, attachments, &self.settings()).await?;
        let message = messages::get(db, message_id).await?;
        if message.role != Role::User {
            return Err(Error::invalid(Problem::new("", Rule::NotYourMessage)));
        }
        let (claim, conversation, client) = self
            .claim_with_client(&message.conversation_id, sink)
            .await?;
        let parent = message.parent_id.as_deref();
        attached::ensure_vision_for_new(db, &client, &conversation, parent, &parts).await?;
        let edited = messages::append(
            db,
            NewMessage {
                parent: Parent::Under(parent),
                parts,
                ..NewMessage::text(&message.conversation_id, Role::User, "")
            },
        )
        .await?;
        self.start(claim, client, edited).await
    }

    /// Asks the model to go on with the last reply of the branch shown, which ended early
    /// (partial or cancelled, with text). The new text is appended to it and the reply is
    /// stored over the old one when the stream ends, whatever way it ends.
    pub async fn continue_reply(
        self: &Arc<Self>,
        conversation_id: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let claim = self.claim(conversation_id, sink)?;
        let conversation = conversations::find(self.db.conn(), conversation_id).await?;
        let nothing = || Error::invalid(Problem::new("", Rule::NothingToContinue));
        let leaf = tree::leaf(self.db.conn(), &conversation)
            .await?
            .ok_or_else(nothing)?;
        let unfinished = Some(messages::get(self.db.conn(), &leaf).await?)
            .filter(|last| {
                last.role == Role::Assistant
                    && matches!(last.state, MessageState::Partial | MessageState::Cancelled)
                    && !last.content.is_empty()
            })
            .ok_or_else(nothing)?;
        let answered = match &unfinished.parent_id {
            Some(parent) => Some(messages::get(self.db.conn(), parent).await?),
            None => None,
        }
        .filter(|message| message.role == Role::User)
        // The unfinished reply answers no message of the person's.
        .ok_or_else(nothing)?;
        let client = self.client(&conversation).await?;
        self.start_with(claim, client, answered, Some(unfinished))
            .await
    }

    /// Claims the conversation for a new reply, then finds it and a client for its provider.
    async fn claim_with_client(
        self: &Arc<Self>,
        conversation_id: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<(Claim, conversation::Model, ProviderClient)> {
        let claim = self.claim(conversation_id, sink)?;
        let conversation = conversations::find(self.db.conn(), conversation_id).await?;
        let client = self.client(&conversation).await?;
        Ok((claim, conversation, client))
    }

    async fn start(
        self: &Arc<Self>,
        claim: Claim,
        client: ProviderClient,
        user_message: Message,
    ) -> Result<String> {
        self.start_with(claim, client, user_message, None).await
    }

    async fn start_with(
        self: &Arc<Self>,
        claim: Claim,
        client: ProviderClient,
        user_message: Message,
        continues: Option<Message>,
    ) -> Result<String> {
        let conversation = conversations::find(self.db.conn(), &claim.live.conversation_id).await?;
        // A continuation carries the unfinished reply too (the model goes on from it).
        let last = continues.as_ref().unwrap_or(&user_message);
        let mut request = context::build(self.db.conn(), &conversation, &last.id).await?;
        if continues.is_some() {
            request.push(context::continue_instruction());
        }
        // Before anything is sent: images only to a model that sees them (a send checked
        // this before storing its message; regenerate and continue are checked here).
        attached::ensure_vision(self.db.conn(), &client, &request).await?;
        let request = outgoing::resolve(self.db.conn(), request).await?;
        let live = Arc::clone(&claim.live);
        let stream_id = live.stream_id.clone();
        let text = continues
            .as_ref()
            .map(|earlier| earlier.content.clone())
            .unwrap_or_default();
        live.seed_text(&text);
        live.emit(ChatEvent::Started {
            stream_id: stream_id.clone(),
            conversation_id: conversation.id.clone(),
            user_message: user_message.clone(),
            continues_message_id: continues.as_ref().map(|earlier| earlier.id.clone()),
            text,
        });
        let settings = self.settings();
        let span = tracing::info_span!("reply", conversation_id = %conversation.id, stream_id = %stream_id);
        let reply = Reply {
            engine: Arc::clone(self),
            live,
            client,
            request,
            user_message,
            settings,
            claim,
            continues,
            trial: false,
            toolbox: None,
        };
        tokio::spawn(tracing::Instrument::instrument(reply.run(), span));
        Ok(stream_id)
    }
}

/// What a new conversation is named after: its first message's text, else the name of
/// its first attachment.
fn title_source(parts: &[Part]) -> &str {
    parts
        .iter()
        .find_map(|part| match part {
            Part::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .or_else(|| {
            parts
                .iter()
                .map(outgoing::name_of)
                .find(|name| !name.is_empty())
        })
        .unwrap_or_default()
}

fn nothing_to_answer() -> Error {
    Error::invalid(Problem::new("", Rule::NothingToAnswer))
}

/// The text to send, or why it cannot be sent.
pub(super) fn validate_message(text: &str) -> Result<&str> {
    if text.trim().is_empty() {
        return Err(Error::invalid(Problem::required("text")));
    }
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(Error::invalid(Problem::limit(
            "text",
            Rule::TooLarge,
            MAX_MESSAGE_BYTES,
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_huge_messages_are_refused() {
        assert!(matches!(
            validate_message(" \n\t"),
            Err(Error::InvalidInput(p)) if p == [Problem::required("text")]
        ));
        let huge = "x".repeat(MAX_MESSAGE_BYTES + 1);
        assert!(matches!(
            validate_message(&huge),
            Err(Error::InvalidInput(p))
                if p == [Problem::limit("text", Rule::TooLarge, MAX_MESSAGE_BYTES)]
        ));
        assert_eq!(validate_message("  hi ").ok(), Some("  hi "));
    }
}
