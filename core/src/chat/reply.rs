//! One reply, from the queue to the stored message.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::time::{Instant, MissedTickBehavior, interval_at, sleep_until, timeout_at};

use super::ChatEvent;
use super::capture::DebugRecord;
use super::engine::{ChatEngine, Claim};
use super::live::{CancelReason, LiveStream};
use super::tools::Toolbox;
use crate::error::{Error, Result};
use crate::llm::{CallAssembler, ChatMessage, ProviderClient, ToolSpec};
use crate::settings::Settings;
use crate::store::checkpoints;
use crate::store::messages::{Message, MessageMeta};
use crate::vocab::{Part, split_steps, text_of};

pub(super) struct Reply {
    pub engine: Arc<ChatEngine>,
    pub live: Arc<LiveStream>,
    pub client: ProviderClient,
    pub request: Vec<ChatMessage>,
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
    /// The tools offered (read when the reply starts; none for a try-out).
    pub toolbox: Option<Toolbox>,
}

/// How the stream ended.
pub(super) enum End {
    /// The provider said it was done (`finish_reason`).
    Finished,
    /// The connection closed without a `finish_reason`.
    Truncated,
    /// The reply reached the size limit (`max_reply_kib`) and was stopped there.
    TooLong,
    Cancelled(CancelReason),
    Failed(Error),
}

/// Why one request did not finish the reply.
pub(super) struct Failure {
    pub error: Error,
    /// A new request may carry on from the text so far (see [`crate::llm::Cut`]).
    pub resumable: bool,
}

impl From<Error> for Failure {
    /// A request that failed to start may be resumed when sending it again may succeed.
    fn from(error: Error) -> Self {
        let resumable = error.is_retryable();
        Self { error, resumable }
    }
}

/// The text and facts gathered while streaming.
pub(super) struct Progress {
    /// Text already sent to the UI (for a continuation, the earlier text first).
    pub text: String,
    /// Bytes of `text` that came from the reply being continued.
    pub prefix_len: usize,
    /// Text received but not yet sent (coalescing).
    pub pending: String,
    /// Reasoning already sent to the UI.
    pub reasoning: String,
    /// Reasoning received but not yet sent.
    pub pending_reasoning: String,
    /// The finished tool steps before `text` and `reasoning`: earlier text and reasoning,
    /// calls and results, as they are stored.
    pub steps: Vec<Part>,
    /// The calls of the current request, as their pieces arrive.
    pub calls: CallAssembler,
    pub last_flush: Instant,
    pub checkpointed_len: usize,
    pub meta: MessageMeta,
    /// Completion tokens of the requests before a resume or a tool step, added to the
    /// current one's...
    pub completion_before: u32,
    /// ...and prompt tokens (all read, cached ones too) of the requests before a tool step:
    /// each step's request is billed in full.
    pub prompt_before: (u32, u32),
    /// The raw exchange, when the debug capture setting is on.
    pub debug: Option<DebugRecord>,
}

/// Below this size a running reply is checkpointed every `checkpoint_every`; above it,
/// only once it grew by an eighth since the last checkpoint. Each checkpoint rewrites the
/// whole text, so a fixed pace would make the writes of an endless reply grow with the
/// square of its length; this way they stay within about nine times its final size, and a
/// crash loses at most an eighth of a long reply (or one tick of a short one).
const CHECKPOINT_SMALL: usize = 64 << 10;

impl Reply {
    pub async fn run(mut self) {
        let started = Instant::now();
        if !self.trial {
            self.toolbox = self.engine.toolbox(&self.live.conversation_id).await;
        }
        // A continued reply keeps its finished steps; its text after them is the prefix.
        let (steps, prefix) = match &self.continues {
            Some(earlier) => {
                let (steps, last) = split_steps(&earlier.parts);
                (steps.to_vec(), text_of(last))
            }
            None => (Vec::new(), String::new()),
        };
        // The sources come first among the reply's parts, before any tool step.
        let mut steps = {
            let mut retrieved = self.retrieve().await;
            retrieved.extend(steps);
            retrieved
        };
        let tools = self.offered().to_vec();
        let mut progress = Progress {
            prefix_len: prefix.len(),
            text: prefix,
            pending: String::new(),
            reasoning: String::new(),
            pending_reasoning: String::new(),
            steps: std::mem::take(&mut steps),
            calls: CallAssembler::default(),
            last_flush: started,
            checkpointed_len: 0,
            completion_before: 0,
            prompt_before: (0, 0),
            meta: MessageMeta {
                model: Some(self.client.endpoint().model.clone()),
                ..MessageMeta::default()
            },
            debug: self
                .settings
                .debug_capture
                .then(|| DebugRecord::new(self.client.request_record(&self.request, &tools))),
        };
        let end = self.converse(&mut progress, started).await;
        self.flush(&mut progress);
        progress.meta.total_ms = Some(elapsed_ms(started));
        self.finish(progress, end).await;
    }

    /// One request, read to its end.
    pub(super) async fn attempt(
        &self,
        request: &[ChatMessage],
        tools: &[ToolSpec],
        progress: &mut Progress,
        started: Instant,
    ) -> Result<End, Failure> {
        let config = &self.engine.config;
        let stall_secs = self.settings.stall_timeout_secs;
        let stall = Duration::from_secs(u64::from(stall_secs));
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
            .stream_chat(request, tools, progress.debug.is_some());
        tokio::pin!(open);
        let open_deadline = Instant::now() + stall;
        let mut stream = loop {
            tokio::select! {
                biased;
                () = self.live.cancel.cancelled() => return Ok(self.cancelled()),
                opened = &mut open => break opened?,
                () = sleep_until(open_deadline) => return Err(stalled(stall_secs)),
                _ = heartbeat.tick(), if progress.received_nothing() => {
                    self.live.emit(ChatEvent::Heartbeat { waited_ms: elapsed_ms(started) });
                }
            }
        };

        let mut last_data = Instant::now();
        loop {
            let waiting_for_first = progress.received_nothing();
            let flush_at = progress.last_flush + config.coalesce_window;
            tokio::select! {
                biased;
                () = self.live.cancel.cancelled() => return Ok(self.cancelled()),
                () = sleep_until(flush_at), if !progress.pending.is_empty() || !progress.pending_reasoning.is_empty() => self.flush(progress),
                _ = heartbeat.tick(), if waiting_for_first => {
                    self.live.emit(ChatEvent::Heartbeat { waited_ms: elapsed_ms(started) });
                }
                _ = checkpoint.tick() => {
                    if let Err(error) = self.checkpoint(progress, false).await {
                        // The reply is still in memory and is written when it ends.
                        tracing::warn!(%error, "checkpoint failed");
                    }
                }
                next = timeout_at(last_data + stall, stream.next()) => match next {
                    Err(_) => return Err(stalled(stall_secs)),
                    Ok(None) if progress.meta.finish_reason.is_some() => return Ok(End::Finished),
                    Ok(None) if progress.received_nothing() => {
                        return Err(Error::Provider {
                            status: None,
                            message: "the provider closed the stream without sending a reply".into(),
                            retry_after: None,
                        }.into());
                    }
                    Ok(None) => return Ok(End::Truncated),
                    Ok(Some(chunk)) => {
                        let mut chunk = chunk.map_err(|cut| Failure { error: cut.error, resumable: cut.resumable })?;
                        last_data = Instant::now();
                        if let (Some(debug), Some(raw)) = (progress.debug.as_mut(), chunk.raw.take()) {
                            debug.push(raw);
                        }
                        if let Some(model) = chunk.model {
                            progress.meta.model = Some(model);
                        }
                        if let Some(usage) = chunk.usage {
                            let (prompt_tokens, completion_tokens) = progress.add_usage(usage);
                            self.live.emit(ChatEvent::Usage { prompt_tokens, completion_tokens });
                        }
                        if chunk.finish_reason.is_some() {
                            progress.meta.finish_reason = chunk.finish_reason;
                        }
                        for piece in chunk.tool_calls {
                            progress.calls.push(piece);
                        }
                        if !chunk.reasoning.is_empty() {
                            progress.meta.first_reasoning_ms.get_or_insert_with(|| elapsed_ms(started));
                            progress.pending_reasoning.push_str(&chunk.reasoning);
                            // Thinking that never ends is stopped like an endless answer.
                            if progress.reasoning.len() + progress.pending_reasoning.len()
                                > self.settings.max_reply_bytes()
                            {
                                self.flush(progress);
                                return Ok(End::TooLong);
                            }
                            if progress.pending_reasoning.len() >= config.coalesce_bytes {
                                self.flush(progress);
                            }
                        }
                        if !chunk.text.is_empty() {
                            progress.meta.first_token_ms.get_or_insert_with(|| elapsed_ms(started));
                            if progress.pending.is_empty() && progress.last_flush.elapsed() >= config.coalesce_window {
                                progress.last_flush = Instant::now() - config.coalesce_window;
                            }
                            progress.pending.push_str(&chunk.text);
                            if progress.over_limit(self.settings.max_reply_bytes()) {
                                self.flush(progress);
                                return Ok(End::TooLong);
                            }
                            if progress.pending.len() >= config.coalesce_bytes {
                                self.flush(progress);
                            }
                        }
                    }
                },
            }
        }
    }

    /// Sends the waiting reasoning to the UI as one `Reasoning`, and the waiting text as
    /// one `Delta`.
    pub(super) fn flush(&self, progress: &mut Progress) {
        if !progress.pending_reasoning.is_empty() {
            let reasoning = std::mem::take(&mut progress.pending_reasoning);
            progress.reasoning.push_str(&reasoning);
            progress.last_flush = Instant::now();
            self.live.push_reasoning(reasoning);
        }
        if progress.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut progress.pending);
        progress.text.push_str(&text);
        progress.last_flush = Instant::now();
        self.live.push_text(text);
    }

    /// Saves the text so far, unless it has not grown enough since the last time (see
    /// [`CHECKPOINT_SMALL`]); `force` saves any growth (before a resume's wait).
    pub(super) async fn checkpoint(&self, progress: &mut Progress, force: bool) -> Result<()> {
        if self.trial {
            return Ok(());
        }
        let len = progress.text.len()
            + progress.pending.len()
            + progress.reasoning.len()
            + progress.pending_reasoning.len();
        if !checkpoint_due(progress.checkpointed_len, len, force) {
            return Ok(());
        }
        let text = format!("{}{}", progress.text, progress.pending);
        let reasoning = format!("{}{}", progress.reasoning, progress.pending_reasoning);
        let checkpoint = checkpoints::Checkpoint {
            stream_id: &self.live.stream_id,
            conversation_id: &self.live.conversation_id,
            model: self.client.endpoint().model.as_str(),
            content: &text,
            reasoning: &reasoning,
            steps: &progress.steps,
            started_at: self.live.started_at,
            parent: Some(self.user_message.id.as_str()),
            continues: self.continues.as_ref().map(|earlier| earlier.id.as_str()),
        };
        checkpoints::save(self.engine.db.conn(), checkpoint).await?;
        progress.checkpointed_len = len;
        Ok(())
    }

    pub(super) fn cancelled(&self) -> End {
        End::Cancelled(self.live.cancel_reason().unwrap_or(CancelReason::User))
    }
}

/// Whether a checkpoint of `len` bytes is worth writing after one of `saved` bytes.
fn checkpoint_due(saved: usize, len: usize, force: bool) -> bool {
    if len == saved && len > 0 {
        return false;
    }
    force || saved <= CHECKPOINT_SMALL || len.saturating_sub(saved).saturating_mul(8) >= saved
}

fn stalled(secs: u32) -> Failure {
    // A stall is not resumed: a server that stopped sending would most likely stall again.
    Failure {
        error: Error::Stalled { secs },
        resumable: false,
    }
}

pub(super) fn elapsed_ms(since: Instant) -> u32 {
    u32::try_from(since.elapsed().as_millis()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_of_an_endless_reply_write_a_bounded_multiple_of_its_size() {
        // 100 KB more each tick, up to 64 MiB: one write per tick would be ~20 GB.
        let (mut saved, mut written, mut writes) = (0usize, 0usize, 0);
        let mut len = 0;
        while len < 64 << 20 {
            len += 100_000;
            if checkpoint_due(saved, len, false) {
                saved = len;
                written += len;
                writes += 1;
            }
        }
        assert!(written <= 9 * len, "{written} bytes written for {len}");
        assert!(
            len - saved <= len / 8 + 100_000,
            "at most an eighth is unsaved"
        );
        assert!(writes > 30, "{writes} writes: still frequent enough");
        assert!(checkpoint_due(0, 0, false), "the first, empty checkpoint");
        assert!(!checkpoint_due(10, 10, true), "nothing new");
        assert!(checkpoint_due(
            CHECKPOINT_SMALL * 4,
            CHECKPOINT_SMALL * 4 + 1,
            true
        ));
    }
}
