use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use futures::StreamExt;
use tracing::Instrument;

use super::{ChatEvent, ChatSink};
use crate::error::{Error, Result};
use crate::llm::{Endpoint, ProviderClient};
use crate::secrets::{Keychain, Secret};
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::{self, MessageMeta, NewMessage};
use crate::store::{Db, conversations, new_id};

/// The largest message a user may send (1 MiB of UTF-8): far beyond any context window,
/// small enough that a mistaken paste cannot stall the app.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// Sends messages and streams replies. One reply at a time per conversation; replies in
/// different conversations run side by side.
pub struct ChatEngine {
    db: Db,
    keychain: Keychain,
    key_account: String,
    endpoint: Endpoint,
    /// conversation id → id of the stream writing its reply. An entry exists only while a
    /// reply streams, so idle conversations cost nothing.
    active: Mutex<HashMap<String, String>>,
}

impl ChatEngine {
    pub fn new(
        db: Db,
        keychain: Keychain,
        key_account: impl Into<String>,
        endpoint: Endpoint,
    ) -> Self {
        Self {
            db,
            keychain,
            key_account: key_account.into(),
            endpoint,
            active: Mutex::new(HashMap::new()),
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Stores `text` as a user message at once, then streams the reply to `sink` in the
    /// background and stores it once, when the stream ends. Returns the stream id.
    pub async fn send_message(
        self: &Arc<Self>,
        conversation_id: &str,
        text: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let text = validate_message(text)?;
        let stream_id = new_id();
        let claim = self.claim(conversation_id, &stream_id)?;

        let conversation = conversations::find(self.db.conn(), conversation_id).await?;
        let key = self.api_key().await?;
        let client = ProviderClient::new(self.endpoint.clone(), key.as_ref())?;
        let user_message = messages::append(
            self.db.conn(),
            NewMessage {
                conversation_id,
                role: Role::User,
                content: text,
                state: MessageState::Complete,
                meta: MessageMeta::default(),
            },
        )
        .await?;
        if conversation.title.is_empty() {
            conversations::rename(
                self.db.conn(),
                conversation_id,
                &conversations::title_from(text),
            )
            .await?;
        }
        let history = messages::context(self.db.conn(), conversation_id).await?;
        sink.emit(ChatEvent::Started {
            stream_id: stream_id.clone(),
            user_message,
        });

        let span = tracing::info_span!("reply", conversation_id, stream_id = %stream_id);
        let reply = Reply {
            db: self.db.clone(),
            client,
            history,
            sink,
            _claim: claim,
        };
        tokio::spawn(reply.run().instrument(span));
        Ok(stream_id)
    }

    /// Whether a reply is streaming in `conversation_id`.
    pub fn is_streaming(&self, conversation_id: &str) -> bool {
        self.active
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(conversation_id)
    }

    fn claim(self: &Arc<Self>, conversation_id: &str, stream_id: &str) -> Result<Claim> {
        let mut active = self.active.lock().unwrap_or_else(PoisonError::into_inner);
        if active.contains_key(conversation_id) {
            return Err(Error::Busy);
        }
        active.insert(conversation_id.to_string(), stream_id.to_string());
        Ok(Claim {
            engine: Arc::clone(self),
            conversation_id: conversation_id.to_string(),
        })
    }

    async fn api_key(&self) -> Result<Option<Secret>> {
        let keychain = self.keychain.clone();
        let account = self.key_account.clone();
        tokio::task::spawn_blocking(move || keychain.get(&account))
            .await
            .map_err(|error| Error::Internal(format!("keychain task: {error}")))?
    }
}

/// A conversation's right to stream a reply; released when dropped, on every exit path.
struct Claim {
    engine: Arc<ChatEngine>,
    conversation_id: String,
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.engine
            .active
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.conversation_id);
    }
}

/// One reply being streamed.
struct Reply {
    db: Db,
    client: ProviderClient,
    history: Vec<(Role, String)>,
    sink: Arc<dyn ChatSink>,
    _claim: Claim,
}

impl Reply {
    async fn run(self) {
        let started = Instant::now();
        let mut text = String::new();
        let mut meta = MessageMeta {
            model: Some(self.client.endpoint().model.clone()),
            ..MessageMeta::default()
        };

        let outcome = self.stream(&mut text, &mut meta, started).await;
        meta.total_ms = Some(elapsed_ms(started));
        let (state, failure) = match outcome {
            Ok(()) if meta.finish_reason.is_some() => (MessageState::Complete, None),
            // The connection closed without the provider saying it was done.
            Ok(()) => {
                meta.reason = Some("no_finish_reason".into());
                (MessageState::Partial, None)
            }
            // Text the user already saw is kept as a partial reply; a failure before any
            // text is an error entry, so the attempt is not lost either.
            Err(error) => {
                meta.reason = Some("provider_error".into());
                meta.error_code = Some(error.code());
                meta.error_message = Some(error.to_string());
                let state = if text.is_empty() {
                    MessageState::Error
                } else {
                    MessageState::Partial
                };
                (state, Some(error))
            }
        };
        let conversation_id = self._claim.conversation_id.clone();
        let saved = messages::append(
            self.db.conn(),
            NewMessage {
                conversation_id: &conversation_id,
                role: Role::Assistant,
                content: &text,
                state,
                meta,
            },
        )
        .await;

        match (saved, failure) {
            (Ok(message), None) => {
                tracing::info!(state = ?message.state, chars = text.len(), "reply stored");
                self.sink.emit(ChatEvent::Done { message });
            }
            (Ok(_), Some(error)) => {
                tracing::warn!(%error, chars = text.len(), "reply failed; stored as error");
                self.sink.emit(ChatEvent::Error {
                    code: error.code(),
                    message: error.to_string(),
                    partial_saved: !text.is_empty(),
                });
            }
            (Err(error), _) => {
                tracing::error!(%error, chars = text.len(), "reply could not be stored");
                self.sink.emit(ChatEvent::Error {
                    code: error.code(),
                    message: error.to_string(),
                    partial_saved: false,
                });
            }
        }
    }

    async fn stream(
        &self,
        text: &mut String,
        meta: &mut MessageMeta,
        started: Instant,
    ) -> Result<()> {
        let mut stream = self.client.stream_chat(&self.history).await?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            if let Some(model) = chunk.model {
                meta.model = Some(model);
            }
            if let Some((prompt, completion)) = chunk.usage {
                meta.prompt_tokens = Some(prompt);
                meta.completion_tokens = Some(completion);
            }
            if chunk.finish_reason.is_some() {
                meta.finish_reason = chunk.finish_reason;
            }
            if !chunk.text.is_empty() {
                meta.first_token_ms
                    .get_or_insert_with(|| elapsed_ms(started));
                text.push_str(&chunk.text);
                self.sink.emit(ChatEvent::Delta { text: chunk.text });
            }
        }
        Ok(())
    }
}

fn elapsed_ms(since: Instant) -> u32 {
    u32::try_from(since.elapsed().as_millis()).unwrap_or(u32::MAX)
}

/// The text to send, or why it cannot be sent.
fn validate_message(text: &str) -> Result<&str> {
    if text.trim().is_empty() {
        return Err(Error::InvalidInput("the message is empty".into()));
    }
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(Error::InvalidInput(format!(
            "the message is too long ({} KiB; the limit is {} KiB)",
            text.len() / 1024,
            MAX_MESSAGE_BYTES / 1024
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
            Err(Error::InvalidInput(_))
        ));
        let huge = "x".repeat(MAX_MESSAGE_BYTES + 1);
        assert!(matches!(
            validate_message(&huge),
            Err(Error::InvalidInput(_))
        ));
        assert_eq!(validate_message("  hi ").ok(), Some("  hi "));
    }
}
