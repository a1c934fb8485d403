//! Requests of one reply: retried before its first text, resumed after it.
//!
//! Before any text is shown, a failed request is simply sent again (the retry policy).
//! Once text is shown, sending it again would show it twice; instead a reply cut off
//! mid-stream (the connection dropped, the stream ended without a finish reason, a chunk
//! was garbled) is *resumed*: the next request carries the text so far as the assistant's
//! own and asks the model to go on from there (the same words as "Continue"), and what it
//! sends is appended. It is still one reply: one stream id, one checkpoint row, one stored
//! message, complete when the provider finally says so. After `auto_resume` tries, or on a
//! failure a new request cannot fix, the reply is stored as partial, as without resuming.

use tokio::time::{Duration, Instant, sleep};

use super::ChatEvent;
use super::context;
use super::reply::{End, Failure, Progress, Reply};
use crate::error::Error;
use crate::llm::{ChatMessage, ToolSpec, clean_message};
use crate::store::entities::message::Role;

impl Reply {
    /// The reply to `request`, retried and resumed as above.
    pub(super) async fn produce(
        &self,
        request: &[ChatMessage],
        tools: &[ToolSpec],
        progress: &mut Progress,
        started: Instant,
    ) -> End {
        // A checkpoint from the start: if the app dies before any text, the attempt is
        // still recovered (as an error entry) rather than silently lost.
        if let Err(error) = self.checkpoint(progress, true).await {
            return End::Failed(error);
        }
        let Some(_slot) = self.engine.slot(&self.live).await else {
            return self.cancelled();
        };
        let base_url = self.client.endpoint().base_url.clone();
        let mut retries = 0;
        let mut resumes = 0;
        let mut resumed_request: Option<Vec<ChatMessage>> = None;
        loop {
            // Every request counts against the provider's rate, retries and resumes too.
            if !self.engine.rate_limit(&self.live, &base_url).await {
                return self.cancelled();
            }
            let sent = resumed_request.as_deref().unwrap_or(request);
            let (failure, truncated) = match self.attempt(sent, tools, progress, started).await {
                Ok(End::Truncated) => (cut_short(), true),
                Ok(end) => return end,
                Err(failure) => (failure, false),
            };
            if !truncated && progress.received_nothing() {
                retries += 1;
                let Some(delay) = self.engine.config.retry.delay(retries, &failure.error) else {
                    return End::Failed(failure.error);
                };
                let error = &failure.error;
                tracing::info!(%error, retries, delay_ms = millis(delay), "retrying before the first token");
                self.live.emit(ChatEvent::Retrying {
                    attempt: retries,
                    delay_ms: millis(delay),
                    code: error.code(),
                    message: clean_message(&error.to_string()),
                });
                if !self.wait(delay).await {
                    return self.cancelled();
                }
                continue;
            }
            // Text has been shown: never sent again from the start.
            self.flush(progress);
            if !failure.resumable || resumes >= self.settings.auto_resume {
                return if truncated {
                    End::Truncated
                } else {
                    End::Failed(failure.error)
                };
            }
            resumes += 1;
            let error = &failure.error;
            let delay = error
                .retry_after()
                .unwrap_or_else(|| self.engine.config.retry.backoff(resumes));
            tracing::info!(%error, resumes, delay_ms = millis(delay), bytes = progress.text.len(), "resuming a cut-off reply");
            // Whatever happens during the wait, the text shown so far is on disk first.
            if let Err(error) = self.checkpoint(progress, true).await {
                tracing::warn!(%error, "checkpoint before resuming failed");
            }
            self.live.emit(ChatEvent::Resuming {
                attempt: resumes,
                delay_ms: millis(delay),
                code: error.code(),
                message: clean_message(&error.to_string()),
            });
            if !self.wait(delay).await {
                return self.cancelled();
            }
            progress.meta.finish_reason = None;
            progress.completion_before = progress.meta.completion_tokens.unwrap_or_default();
            resumed_request = Some(self.resume_request(request, &progress.text));
        }
    }

    /// Waits `delay`; false when the reply was cancelled meanwhile.
    async fn wait(&self, delay: Duration) -> bool {
        tokio::select! {
            () = self.live.cancel.cancelled() => false,
            () = sleep(delay) => true,
        }
    }

    /// The request that carries the reply on from `text`: the original history, the text
    /// so far as the assistant's, then the continuation instruction. A reply that was
    /// itself a "Continue" already ends with its earlier text and the instruction; those
    /// two are replaced.
    fn resume_request(&self, base: &[ChatMessage], text: &str) -> Vec<ChatMessage> {
        let instruction = context::continue_instruction();
        let instruction = ChatMessage::text(instruction.role, instruction.content);
        let mut request = base.to_vec();
        if let [.., earlier, last] = request.as_slice()
            && self.continues.is_some()
            && earlier.role == Role::Assistant
            && *last == instruction
        {
            request.truncate(request.len() - 2);
        }
        request.push(ChatMessage::text(Role::Assistant, text));
        request.push(instruction);
        request
    }
}

/// What a stream that closed without a finish reason is reported as while it is resumed.
fn cut_short() -> Failure {
    Failure {
        error: Error::Network("the stream ended before the provider finished the reply".into()),
        resumable: true,
    }
}

fn millis(delay: Duration) -> u32 {
    u32::try_from(delay.as_millis()).unwrap_or(u32::MAX)
}
