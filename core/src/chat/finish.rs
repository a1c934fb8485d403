//! How a reply ends: the message it is stored as (complete, partial, cancelled or an error
//! entry, with the reason in its meta), the last event the UI gets, and the title after a
//! first exchange.

use super::ChatEvent;
use super::live::CancelReason;
use super::reply::{End, Progress, Reply};
use crate::error::{Error, Result};
use crate::llm::clean_message;
use crate::pricing;
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::{self, Message, MessageMeta, StopReason};
use crate::vocab::{Part, reply_parts};

impl Reply {
    /// Writes the reply, once, and tells the UI how it ended.
    pub(super) async fn finish(self, mut progress: Progress, end: End) {
        let meta = &mut progress.meta;
        // Reasoning alone is kept too (a partial reply of thinking, not an error entry).
        let empty =
            progress.text.is_empty() && progress.reasoning.is_empty() && progress.steps.is_empty();
        let (state, failure) = match end {
            End::Finished => (MessageState::Complete, None),
            End::Truncated => {
                meta.reason = Some(StopReason::NoFinishReason);
                (MessageState::Partial, None)
            }
            End::TooLong => {
                meta.reason = Some(StopReason::TooLong);
                (MessageState::Partial, None)
            }
            End::Cancelled(CancelReason::User) => {
                meta.reason = Some(StopReason::Cancelled);
                (MessageState::Cancelled, None)
            }
            End::Cancelled(CancelReason::AppExit) => {
                meta.reason = Some(StopReason::AppExit);
                (MessageState::Partial, None)
            }
            // Text the user already saw is kept as a partial reply; a failure before any
            // text is an error entry, so the attempt is not lost either.
            End::Failed(error) => {
                meta.reason = Some(if matches!(error, Error::Stalled { .. }) {
                    StopReason::Stalled
                } else {
                    StopReason::ProviderError
                });
                meta.error_code = Some(error.code());
                meta.error_message = Some(clean_message(&error.to_string()));
                (
                    if empty {
                        MessageState::Error
                    } else {
                        MessageState::Partial
                    },
                    Some(error),
                )
            }
        };

        // How long the model thought: from its first reasoning to its first answer text (or
        // to the end, when no answer came).
        let thought_ms = progress.meta.first_reasoning_ms.map(|from| {
            let to = progress
                .meta
                .first_token_ms
                .or(progress.meta.total_ms)
                .unwrap_or(from);
            to.saturating_sub(from)
        });
        if let Some(provider_id) = self.client.provider_id() {
            let (db, requested) = (self.engine.db.conn(), &self.client.endpoint().model);
            progress.meta.cost =
                pricing::reply_cost(db, provider_id, requested, &progress.meta).await;
        }
        let mut parts = std::mem::take(&mut progress.steps);
        parts.extend(reply_parts(&progress.reasoning, thought_ms, &progress.text));
        let stored = self.store(&parts, state, progress.meta.clone()).await;
        if let (Ok(message), Some(debug)) = (&stored, progress.debug.take()) {
            let record = debug.into_json();
            if let Err(error) =
                messages::set_debug(self.engine.db.conn(), &message.id, record).await
            {
                tracing::warn!(%error, "the debug record of the reply was not stored");
            }
        }
        let last = match (stored, failure) {
            (Ok(message), None) => {
                let what = if self.trial {
                    "try-out reply ended (not stored)"
                } else {
                    "reply stored"
                };
                tracing::info!(state = ?message.state, bytes = progress.text.len(), "{what}");
                ChatEvent::Done { message }
            }
            (Ok(_), Some(error)) => {
                tracing::warn!(%error, bytes = progress.text.len(), "reply failed; what arrived is stored");
                ChatEvent::Error {
                    code: error.code(),
                    message: clean_message(&error.to_string()),
                    partial_saved: !empty,
                }
            }
            (Err(error), _) => {
                tracing::error!(%error, bytes = progress.text.len(), "reply could not be stored");
                ChatEvent::Error {
                    code: error.code(),
                    message: error.to_string(),
                    partial_saved: false,
                }
            }
        };

        let first_exchange = self.user_message.seq == 1
            && state == MessageState::Complete
            && self.continues.is_none()
            && !self.trial;
        let Reply {
            engine,
            live,
            client,
            user_message,
            settings,
            claim,
            ..
        } = self;
        // The conversation is free for the next message before the UI hears the reply
        // ended (it may send at once), and before the title is asked for.
        drop(claim);
        live.emit(last);
        if first_exchange && settings.auto_title {
            super::title::generate_title(&engine, &live, &client, &user_message, &progress.text)
                .await;
        }
    }

    /// Stores the reply; a storage failure keeps it in memory and retries (`unsaved`).
    async fn store(
        &self,
        parts: &[Part],
        state: MessageState,
        meta: MessageMeta,
    ) -> Result<Message> {
        if self.trial {
            return Ok(super::trial::unstored(
                &self.live.conversation_id,
                self.user_message.seq + 1,
                Role::Assistant,
                parts,
                state,
                meta,
            ));
        }
        let meta = match &self.continues {
            Some(earlier) => continued_meta(&earlier.meta, meta),
            None => meta,
        };
        let continues = self.continues.as_ref();
        let parent = &self.user_message.id;
        super::unsaved::store(
            &self.engine.db,
            &self.live,
            parent,
            continues,
            parts,
            state,
            meta,
        )
        .await
    }
}

/// The meta of a continued reply: this request's facts, with the completion tokens of
/// both requests added up when both are known.
fn continued_meta(earlier: &MessageMeta, now: MessageMeta) -> MessageMeta {
    let completion_tokens = match (earlier.completion_tokens, now.completion_tokens) {
        (Some(before), Some(after)) => Some(before.saturating_add(after)),
        (before, after) => after.or(before),
    };
    MessageMeta {
        completion_tokens,
        cost: pricing::added(earlier.cost.as_ref(), now.cost.clone()),
        ..now
    }
}
