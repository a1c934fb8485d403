//! Trying an agent before it is saved: the agent editor's "try it" pane chats with the
//! draft as it stands (provider, model, parameters, preset messages, context policy).
//!
//! A try-out is a reply like any other — same request building, provider client, retries,
//! stall timeout, coalesced `ChatEvent`s and cancel by stream id — except that nothing is
//! written: the history lives in the pane and comes with each request, there is no
//! checkpoint, no stored message, no title. Greetings are not part of the history (the
//! pane shows them; they are never sent).

use std::sync::Arc;

use super::context::fit;
use super::engine::{ChatEngine, validate_message};
use super::live::LiveStream;
use super::outgoing::text_only;
use super::reply::Reply;
use super::{ChatEvent, ChatSink};
use crate::agents::{AgentInput, problems};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::{Message, MessageMeta};
use crate::store::{new_id, now_ms};
use crate::vocab::{Part, PromptMessage, text_of};

/// Most messages a try-out may carry: a short exchange, not a conversation.
pub const MAX_TRIAL_MESSAGES: usize = 100;

impl ChatEngine {
    /// Streams a reply of the unsaved agent `draft` to the try-out `history` (oldest
    /// first, ending with the user's message). Returns the stream id; stop it with `cancel`.
    pub async fn try_agent(
        self: &Arc<Self>,
        draft: AgentInput,
        history: Vec<PromptMessage>,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let draft = checked_draft(draft)?;
        let question = checked_history(&history)?;
        let client = self
            .client_for_agent(
                draft.provider_id.as_deref(),
                draft.model.clone(),
                draft.params,
            )
            .await?;
        let seq = i64::try_from(history.len()).unwrap_or(i64::MAX);
        // A try-out sends text: attachments exist only on stored messages.
        let history = history.into_iter().rev().map(|message| PromptMessage {
            attachments: Vec::new(),
            ..message
        });
        let request = text_only(fit(
            draft.preset_messages,
            history.collect(),
            draft.context_policy,
        ));

        // Its own id in place of a conversation's: a try-out never waits for (or blocks)
        // a conversation, and two editors may try at once.
        let mut live = LiveStream::new(new_id(), format!("trial-{}", new_id()), sink);
        live.trial = true;
        let claim = self.claim_stream(live)?;
        let live = Arc::clone(&claim.live);
        let user_message = unstored(
            &live.conversation_id,
            seq,
            Role::User,
            &[Part::text(question.as_str())],
            MessageState::Complete,
            MessageMeta::default(),
        );
        live.emit(ChatEvent::Started {
            stream_id: live.stream_id.clone(),
            conversation_id: live.conversation_id.clone(),
            user_message: user_message.clone(),
            continues_message_id: None,
            text: String::new(),
        });
        let span = tracing::info_span!("trial", stream_id = %live.stream_id);
        let reply = Reply {
            engine: Arc::clone(self),
            live: Arc::clone(&live),
            client,
            request,
            user_message,
            settings: self.settings(),
            claim,
            continues: None,
            trial: true,
            toolbox: None,
        };
        tokio::spawn(tracing::Instrument::instrument(reply.run(), span));
        Ok(live.stream_id.clone())
    }
}

/// A message that exists only on the stream (a try-out's), never in the store.
pub(super) fn unstored(
    conversation_id: &str,
    seq: i64,
    role: Role,
    parts: &[Part],
    state: MessageState,
    meta: MessageMeta,
) -> Message {
    Message {
        id: new_id(),
        conversation_id: conversation_id.to_string(),
        parent_id: None,
        seq,
        role,
        content: text_of(parts),
        parts: parts.to_vec(),
        created_at: now_ms(),
        state,
        in_context: true,
        meta,
        version: 1,
        versions: 1,
    }
}

/// The draft, normalized, when what a request uses of it is valid. Its id, name and the
/// rest of its presentation may still be unfinished: they are not needed to try it.
fn checked_draft(draft: AgentInput) -> Result<AgentInput> {
    let draft = draft.normalized();
    let found: Vec<_> = problems(&draft)
        .into_iter()
        .filter(|p| {
            ["params", "presetMessages", "model", "contextPolicy"]
                .iter()
                .any(|field| p.path.starts_with(field))
        })
        .collect();
    Error::check(found)?;
    Ok(draft)
}

/// The user's question (the last message), when the history is one a model can answer.
fn checked_history(history: &[PromptMessage]) -> Result<String> {
    if history.len() > MAX_TRIAL_MESSAGES {
        return Err(Error::invalid(Problem::limit(
            "messages",
            Rule::TooMany,
            MAX_TRIAL_MESSAGES,
        )));
    }
    if let Some(i) = history
        .iter()
        .position(|m| !matches!(m.role, Role::User | Role::Assistant))
    {
        return Err(Error::invalid(Problem::new(
            format!("messages.{i}.role"),
            Rule::TrialRole,
        )));
    }
    let Some(last) = history.last().filter(|m| m.role == Role::User) else {
        return Err(Error::invalid(Problem::new(
            "messages",
            Rule::NothingToAnswer,
        )));
    };
    let total: usize = history.iter().map(|m| m.content.len()).sum();
    if total > 4 * super::MAX_MESSAGE_BYTES {
        return Err(Error::invalid(Problem::limit(
            "messages",
            Rule::TooLarge,
            4 * super::MAX_MESSAGE_BYTES,
        )));
    }
    Ok(validate_message(&last.content)?.to_string())
}
