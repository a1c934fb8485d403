//! One reply, from the queue to the stored message.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::time::{Instant, MissedTickBehavior, interval_at, sleep, sleep_until, timeout_at};

use super::ChatEvent;
use super::context::PromptMessage;
use super::engine::{ChatEngine, Claim};
use super::live::{CancelReason, LiveStream};
use crate::error::{Error, Result};
use crate::llm::ProviderClient;
use crate::settings::Settings;
use crate::store::checkpoints;
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::{self, Message, MessageMeta};

pub(super) struct Reply {
    pub engine: Arc<ChatEngine>,
    pub live: Arc<LiveStream>,
    pub client: ProviderClient,
    pub request: Vec<PromptMessage>,
    /// The message this reply answers.
    pub user_message: Message,
    pub settings: Settings,
    pub claim: Claim,
    /// The unfinished reply this one continues: its text comes first, and it is stored
    /// over that message instead of as a new one.
    pub continues: Option<Message>,
    /// A try-out of an unsaved agent: nothing is written (no checkpoint, no message, no
    /// title), and `Done` carries the reply as a message that is not stored.
    pub trial: bool,
}

/// How the stream ended.
enum End {
    /// The provider said it was done (`finish_reason`).
    Finished,
    /// The connection closed without a `finish_reason`.
    Truncated,
    Cancelled(CancelReason),
    Failed(Error),
}

/// The text and facts gathered while streaming.
struct Progress {
    /// Text already sent to the UI (for a continuation, the earlier text first).
    text: String,
    /// Bytes of `text` that came from the reply being continued.
    prefix_len: usize,
    /// Text received but not yet sent (coalescing).
    pending: String,
    last_flush: Instant,
    checkpointed_len: usize,
    meta: MessageMeta,
    /// The raw exchange, when the debug capture setting is on.
    debug: Option<DebugRecord>,
}

/// Most raw chunks a debug record keeps; a longer reply keeps its first ones and a count.
const DEBUG_MAX_CHUNKS: usize = 20_000;

/// The request as sent (without headers) and the provider's chunks as received.
struct DebugRecord {
    request: serde_json::Value,
    chunks: Vec<serde_json::Value>,
    dropped: usize,
}

impl DebugRecord {
    fn push(&mut self, chunk: serde_json::Value) {
        if self.chunks.len() < DEBUG_MAX_CHUNKS {
            self.chunks.push(chunk);
        } else {
            self.dropped += 1;
        }
    }

    fn into_json(self) -> serde_json::Value {
        serde_json::json!({
            "request": self.request,
            "response": { "chunks": self.chunks, "chunksNotKept": self.dropped },
        })
    }
}

impl Reply {
    pub async fn run(self) {
        let started = Instant::now();
        let prefix = self
            .continues
            .as_ref()
            .map(|earlier| earlier.content.clone())
            .unwrap_or_default();
        let mut progress = Progress {
            prefix_len: prefix.len(),
            text: prefix,
            pending: String::new(),
            last_flush: started,
            checkpointed_len: 0,
            meta: MessageMeta {
                model: Some(self.client.endpoint().model.clone()),
                ..MessageMeta::default()
            },
            debug: self.settings.debug_capture.then(|| DebugRecord {
                request: self.client.request_record(&self.request),
                chunks: Vec::new(),
                dropped: 0,
            }),
        };
        let end = self.produce(&mut progress, started).await;
        self.flush(&mut progress);
        progress.meta.total_ms = Some(elapsed_ms(started));
        self.finish(progress, end).await;
    }

    async fn produce(&self, progress: &mut Progress, started: Instant) -> End {
        // A checkpoint from the start: if the app dies before any text, the attempt is
        // still recovered (as an error entry) rather than silently lost.
        if let Err(error) = self.checkpoint(progress).await {
            return End::Failed(error);
        }
        let Some(_slot) = self.engine.slot(&self.live).await else {
            return self.cancelled();
        };
        if !self.engine.rate_limit(&self.live).await {
            return self.cancelled();
        }
        let mut retry = 0;
        loop {
            match self.attempt(progress, started).await {
                Ok(end) => return end,
                Err(error) if progress.received_nothing() => {
                    retry += 1;
                    let Some(delay) = self.engine.config.retry.delay(retry, &error) else {
                        return End::Failed(error);
                    };
                    tracing::info!(%error, retry, delay_ms = delay.as_millis() as u64, "retrying before the first token");
                    self.live.emit(ChatEvent::Retrying {
                        attempt: retry,
                        delay_ms: u32::try_from(delay.as_millis()).unwrap_or(u32::MAX),
                        code: error.code(),
                        message: error.to_string(),
                    });
                    tokio::select! {
                        () = self.live.cancel.cancelled() => return self.cancelled(),
                        () = sleep(delay) => {}
                    }
                }
                // Text has been shown: never retried, the partial reply is kept.
                Err(error) => return End::Failed(error),
            }
        }
    }

    /// One request, read to its end.
    async fn attempt(&self, progress: &mut Progress, started: Instant) -> Result<End> {
        let config = &self.engine.config;
        let stall = Duration::from_secs(u64::from(self.settings.stall_timeout_secs));
        let mut heartbeat = interval_at(
            Instant::now() + config.heartbeat_every,
            config.heartbeat_every,
        );
        heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut checkpoint = interval_at(
            Instant::now() + config.checkpoint_every,
            config.checkpoint_every,
        );
        checkpoint.set_missed_tick_behavior(MissedTickBehavior::Delay);

        let open = self
            .client
            .stream_chat(&self.request, progress.debug.is_some());
        tokio::pin!(open);
        let open_deadline = Instant::now() + stall;
        let mut stream = loop {
            tokio::select! {
                biased;
                () = self.live.cancel.cancelled() => return Ok(self.cancelled()),
                opened = &mut open => break opened?,
                () = sleep_until(open_deadline) => return Err(Error::Stalled { secs: self.settings.stall_timeout_secs }),
                _ = heartbeat.tick() => self.live.emit(ChatEvent::Heartbeat { waited_ms: elapsed_ms(started) }),
            }
        };

        let mut last_data = Instant::now();
        loop {
            let waiting_for_first = progress.received_nothing();
            let flush_at = progress.last_flush + config.coalesce_window;
            tokio::select! {
                biased;
                () = self.live.cancel.cancelled() => return Ok(self.cancelled()),
                () = sleep_until(flush_at), if !progress.pending.is_empty() => self.flush(progress),
                _ = heartbeat.tick(), if waiting_for_first => {
                    self.live.emit(ChatEvent::Heartbeat { waited_ms: elapsed_ms(started) });
                }
                _ = checkpoint.tick() => {
                    if let Err(error) = self.checkpoint(progress).await {
                        // The reply is still in memory and is written when it ends.
                        tracing::warn!(%error, "checkpoint failed");
                    }
                }
                next = timeout_at(last_data + stall, stream.next()) => match next {
                    Err(_) => return Err(Error::Stalled { secs: self.settings.stall_timeout_secs }),
                    Ok(None) if progress.meta.finish_reason.is_some() => return Ok(End::Finished),
                    Ok(None) if progress.received_nothing() => {
                        return Err(Error::Provider {
                            status: None,
                            message: "the provider closed the stream without sending a reply".into(),
                            retry_after: None,
                        });
                    }
                    Ok(None) => return Ok(End::Truncated),
                    Ok(Some(chunk)) => {
                        let mut chunk = chunk?;
                        last_data = Instant::now();
                        if let (Some(debug), Some(raw)) = (progress.debug.as_mut(), chunk.raw.take()) {
                            debug.push(raw);
                        }
                        if let Some(model) = chunk.model {
                            progress.meta.model = Some(model);
                        }
                        if let Some((prompt, completion)) = chunk.usage {
                            progress.meta.prompt_tokens = Some(prompt);
                            progress.meta.completion_tokens = Some(completion);
                            self.live.emit(ChatEvent::Usage { prompt_tokens: prompt, completion_tokens: completion });
                        }
                        if chunk.finish_reason.is_some() {
                            progress.meta.finish_reason = chunk.finish_reason;
                        }
                        if !chunk.text.is_empty() {
                            progress.meta.first_token_ms.get_or_insert_with(|| elapsed_ms(started));
                            if progress.pending.is_empty() && progress.last_flush.elapsed() >= config.coalesce_window {
                                progress.last_flush = Instant::now() - config.coalesce_window;
                            }
                            progress.pending.push_str(&chunk.text);
                            if progress.pending.len() >= config.coalesce_bytes {
                                self.flush(progress);
                            }
                        }
                    }
                },
            }
        }
    }

    /// Sends the waiting text to the UI as one `Delta`.
    fn flush(&self, progress: &mut Progress) {
        if progress.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut progress.pending);
        progress.text.push_str(&text);
        progress.last_flush = Instant::now();
        self.live.push_text(text);
    }

    async fn checkpoint(&self, progress: &mut Progress) -> Result<()> {
        if self.trial {
            return Ok(());
        }
        let len = progress.text.len() + progress.pending.len();
        if len == progress.checkpointed_len && len > 0 {
            return Ok(());
        }
        let text = format!("{}{}", progress.text, progress.pending);
        let checkpoint = checkpoints::Checkpoint {
            stream_id: &self.live.stream_id,
            conversation_id: &self.live.conversation_id,
            model: self.client.endpoint().model.as_str(),
            content: &text,
            started_at: self.live.started_at,
            continues: self.continues.as_ref().map(|earlier| earlier.id.as_str()),
        };
        checkpoints::save(self.engine.db.conn(), checkpoint).await?;
        progress.checkpointed_len = len;
        Ok(())
    }

    fn cancelled(&self) -> End {
        End::Cancelled(self.live.cancel_reason().unwrap_or(CancelReason::User))
    }

    /// Writes the reply, once, and tells the UI how it ended.
    async fn finish(self, mut progress: Progress, end: End) {
        let meta = &mut progress.meta;
        let empty = progress.text.is_empty();
        let (state, failure) = match end {
            End::Finished => (MessageState::Complete, None),
            End::Truncated => {
                meta.reason = Some("no_finish_reason".into());
                (MessageState::Partial, None)
            }
            End::Cancelled(CancelReason::User) => {
                meta.reason = Some("cancelled".into());
                (MessageState::Cancelled, None)
            }
            End::Cancelled(CancelReason::AppExit) => {
                meta.reason = Some("app_exit".into());
                (MessageState::Partial, None)
            }
            // Text the user already saw is kept as a partial reply; a failure before any
            // text is an error entry, so the attempt is not lost either.
            End::Failed(error) => {
                meta.reason = Some(
                    if matches!(error, Error::Stalled { .. }) {
                        "stalled"
                    } else {
                        "provider_error"
                    }
                    .into(),
                );
                meta.error_code = Some(error.code());
                meta.error_message = Some(error.to_string());
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

        let stored = self
            .store(&progress.text, state, progress.meta.clone())
            .await;
        if let (Ok(message), Some(debug)) = (&stored, progress.debug.take()) {
            let record = debug.into_json();
            if let Err(error) =
                messages::set_debug(self.engine.db.conn(), &message.id, record).await
            {
                tracing::warn!(%error, "the debug record of the reply was not stored");
            }
        }
        match (stored, failure) {
            (Ok(message), None) => {
                let what = if self.trial {
                    "try-out reply ended (not stored)"
                } else {
                    "reply stored"
                };
                tracing::info!(state = ?message.state, bytes = progress.text.len(), "{what}");
                self.live.emit(ChatEvent::Done { message });
            }
            (Ok(_), Some(error)) => {
                tracing::warn!(%error, bytes = progress.text.len(), "reply failed; what arrived is stored");
                self.live.emit(ChatEvent::Error {
                    code: error.code(),
                    message: error.to_string(),
                    partial_saved: !empty,
                });
            }
            (Err(error), _) => {
                tracing::error!(%error, bytes = progress.text.len(), "reply could not be stored");
                self.live.emit(ChatEvent::Error {
                    code: error.code(),
                    message: error.to_string(),
                    partial_saved: false,
                });
            }
        }

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
        // The conversation is free for the next message before the title is asked for.
        drop(claim);
        if first_exchange && settings.auto_title {
            super::title::generate_title(&engine, &live, &client, &user_message, &progress.text)
                .await;
        }
    }

    /// Stores the reply; a storage failure keeps it in memory and retries (`unsaved`).
    async fn store(&self, text: &str, state: MessageState, meta: MessageMeta) -> Result<Message> {
        if self.trial {
            return Ok(super::trial::unstored(
                &self.live.conversation_id,
                self.user_message.seq + 1,
                Role::Assistant,
                text,
                state,
                meta,
            ));
        }
        let meta = match &self.continues {
            Some(earlier) => continued_meta(&earlier.meta, meta),
            None => meta,
        };
        let continues = self.continues.as_ref();
        super::unsaved::store(&self.engine.db, &self.live, continues, text, state, meta).await
    }
}

impl Progress {
    /// Whether this request has produced no text yet (a continued reply's earlier text
    /// does not count): until then, a failure may be retried.
    fn received_nothing(&self) -> bool {
        self.text.len() == self.prefix_len && self.pending.is_empty()
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
        ..now
    }
}

fn elapsed_ms(since: Instant) -> u32 {
    u32::try_from(since.elapsed().as_millis()).unwrap_or(u32::MAX)
}
