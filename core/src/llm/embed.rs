//! Embeddings through the provider's OpenAI-compatible `/embeddings` (OpenAI, Jina,
//! Ollama, SiliconFlow, Qwen, LM Studio, llama.cpp): one request per call through the same
//! transport as chat (bounded body, redirects refused, the provider's headers, the same
//! typed errors), and a batcher above it that retries and stops on cancel.
//!
//! The answer is outside data and checked whole before it is used: one vector per input
//! (matched by `index`, in any order), all of one length within 1..=[`MAX_DIMENSIONS`],
//! every value finite. Anything else is a provider error that says what was wrong.

use std::time::Duration;

use async_openai::types::embeddings::{CreateEmbeddingRequest, EmbeddingInput, EncodingFormat};
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::ProviderClient;
use crate::error::{Error, Result};

/// The longest vector taken; no embedding model gives more.
pub const MAX_DIMENSIONS: usize = 8192;
/// Inputs per request unless the caller says otherwise.
pub const DEFAULT_BATCH: usize = 32;
/// The most inputs one request carries, whatever the caller asks: the answer must stay
/// under the body limit ([`MAX_BODY_BYTES`](super::MAX_BODY_BYTES), 16 MiB), and 128 vectors of 3,072 floats in
/// JSON are about 8 MiB.
pub const MAX_BATCH: usize = 128;
/// Characters per request: a batch closes before it would pass this (a single longer input
/// goes alone). About 25,000 tokens, well under providers' per-request limits.
pub const MAX_BATCH_CHARS: usize = 100_000;

/// Vectors for some inputs, in the inputs' order, and the tokens the provider counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embedded {
    pub vectors: Vec<Vec<f32>>,
    pub tokens: u32,
}

/// The embeddings answer, read leniently: servers differ in the fields they add or leave
/// out; only `data[].embedding` matters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EmbeddingResponse {
    data: Vec<EmbeddingItem>,
    usage: Option<EmbeddingUsage>,
}

#[derive(Debug, Deserialize)]
struct EmbeddingItem {
    #[serde(default)]
    index: Option<u64>,
    embedding: Vec<f32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EmbeddingUsage {
    prompt_tokens: Option<u64>,
    total_tokens: Option<u64>,
}

impl ProviderClient {
    /// Embeds `inputs` in one request with the client's model (build the client with the
    /// knowledge base's embedding model). The request has no time limit of its own beyond
    /// the connection's; [`embed_all`] gives each one.
    pub async fn embed(&self, inputs: &[String]) -> Result<Embedded> {
        if inputs.is_empty() {
            return Ok(Embedded::default());
        }
        let request = CreateEmbeddingRequest {
            model: self.endpoint.model.clone(),
            input: EmbeddingInput::StringArray(inputs.to_vec()),
            // Ollama does not do base64.
            encoding_format: Some(EncodingFormat::Float),
            user: None,
            dimensions: None,
        };
        let response: EmbeddingResponse = self
            .client
            .embeddings()
            .create_byot(&request)
            .await
            .map_err(|error| self.error(error))?;
        checked(response, inputs.len())
    }
}

/// The vectors of `response` in input order, or why they cannot be used.
pub(super) fn checked(response: EmbeddingResponse, inputs: usize) -> Result<Embedded> {
    let got = response.data.len();
    if got != inputs {
        return Err(bad_answer(format!("{got} vectors for {inputs} inputs")));
    }
    let mut vectors: Vec<Option<Vec<f32>>> = vec![None; inputs];
    let mut dimensions = None;
    for (position, item) in response.data.into_iter().enumerate() {
        let index = item
            .index
            .map_or(position, |i| usize::try_from(i).unwrap_or(usize::MAX));
        let length = item.embedding.len();
        if !(1..=MAX_DIMENSIONS).contains(&length) {
            return Err(bad_answer(format!(
                "a vector of {length} dimensions (1 to {MAX_DIMENSIONS} are taken)"
            )));
        }
        if *dimensions.get_or_insert(length) != length {
            return Err(bad_answer(format!(
                "vectors of different lengths ({} and {length})",
                dimensions.unwrap_or_default()
            )));
        }
        if item.embedding.iter().any(|value| !value.is_finite()) {
            return Err(bad_answer(format!(
                "vector {index} holds a value that is not a finite number"
            )));
        }
        match vectors.get_mut(index) {
            Some(slot @ None) => *slot = Some(item.embedding),
            Some(Some(_)) => return Err(bad_answer(format!("two vectors for input {index}"))),
            None => {
                return Err(bad_answer(format!(
                    "a vector for input {index}, of {inputs}"
                )));
            }
        }
    }
    let tokens = response
        .usage
        .and_then(|usage| usage.prompt_tokens.or(usage.total_tokens))
        .map_or(0, |tokens| u32::try_from(tokens).unwrap_or(u32::MAX));
    Ok(Embedded {
        // Every slot is filled: as many items as inputs, no index twice, none out of range.
        vectors: vectors.into_iter().flatten().collect(),
        tokens,
    })
}

fn bad_answer(what: String) -> Error {
    Error::Provider {
        status: None,
        message: format!("the provider's embeddings cannot be used: {what}"),
        retry_after: None,
    }
}

/// When the batcher tries a request again, and how long one may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbedPolicy {
    /// Retries of one batch after its first attempt.
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest one request may take, answer included; past it the request is dropped
    /// as [`Error::Stalled`] (and retried: an embeddings request can be sent again).
    pub request_timeout: Duration,
}

impl Default for EmbedPolicy {
    fn default() -> Self {
        Self {
            max_retries: 4,
            base_delay: Duration::from_millis(800),
            max_delay: Duration::from_secs(30),
            request_timeout: Duration::from_secs(120),
        }
    }
}

impl EmbedPolicy {
    /// The wait before retry number `retry` (1-based) after `error`, or `None` to give up:
    /// rate limits, server errors, broken connections and stalls are retried, after what
    /// the provider asked for (`Retry-After`) or an exponential backoff with jitter.
    pub fn delay(&self, retry: u32, error: &Error) -> Option<Duration> {
        let retryable = error.is_retryable() || matches!(error, Error::Stalled { .. });
        if retry > self.max_retries || !retryable {
            return None;
        }
        if let Some(wait) = error.retry_after() {
            return Some(wait);
        }
        let full = self
            .base_delay
            .saturating_mul(1 << retry.saturating_sub(1).min(16))
            .min(self.max_delay);
        let half = full / 2;
        Some(half + half.mul_f64(fastrand::f64()))
    }
}

/// Why [`embed_all`] stopped before the end, with what it had embedded by then (the first
/// `done.vectors.len()` inputs), so that work is kept.
#[derive(Debug, thiserror::Error)]
#[error("embedding stopped after {} inputs: {reason}", .done.vectors.len())]
pub struct Stopped {
    pub done: Embedded,
    #[source]
    pub reason: StopReason,
}

#[derive(Debug, thiserror::Error)]
pub enum StopReason {
    #[error("cancelled")]
    Cancelled,
    #[error(transparent)]
    Failed(Error),
}

/// Embeds all `inputs` in batches of at most `batch` inputs (0 means [`DEFAULT_BATCH`];
/// at most [`MAX_BATCH`]) and [`MAX_BATCH_CHARS`] characters, one request at a time, each
/// retried under `policy`. Stops at once when `cancel` fires (also while waiting).
pub async fn embed_all(
    client: &ProviderClient,
    inputs: &[String],
    batch: usize,
    policy: &EmbedPolicy,
    cancel: &CancellationToken,
) -> std::result::Result<Embedded, Stopped> {
    let batch = if batch == 0 {
        DEFAULT_BATCH
    } else {
        batch.min(MAX_BATCH)
    };
    let mut done = Embedded::default();
    let mut rest = inputs;
    while !rest.is_empty() {
        let take = batch_len(rest, batch);
        let (this, next) = rest.split_at(take);
        match embed_batch(client, this, policy, cancel).await {
            Ok(embedded) => {
                let first = done.vectors.first().map(Vec::len);
                let now = embedded.vectors.first().map(Vec::len);
                if let (Some(first), Some(now)) = (first, now)
                    && first != now
                {
                    let error = bad_answer(format!(
                        "vectors of {now} dimensions after vectors of {first} (did the model change?)"
                    ));
                    return Err(Stopped {
                        done,
                        reason: StopReason::Failed(error),
                    });
                }
                done.vectors.extend(embedded.vectors);
                done.tokens = done.tokens.saturating_add(embedded.tokens);
            }
            Err(reason) => return Err(Stopped { done, reason }),
        }
        rest = next;
    }
    Ok(done)
}

/// How many of `inputs` the next batch takes: at least one, at most `batch`, and no more
/// than fit in [`MAX_BATCH_CHARS`].
fn batch_len(inputs: &[String], batch: usize) -> usize {
    let mut chars = 0;
    let mut take = 0;
    for input in inputs.iter().take(batch) {
        chars += input.chars().count();
        if take > 0 && chars > MAX_BATCH_CHARS {
            break;
        }
        take += 1;
    }
    take.max(1)
}

async fn embed_batch(
    client: &ProviderClient,
    inputs: &[String],
    policy: &EmbedPolicy,
    cancel: &CancellationToken,
) -> std::result::Result<Embedded, StopReason> {
    retried(policy, cancel, || client.embed(inputs)).await
}

/// `request` made until it answers, each attempt within the policy's time limit, retried
/// under `policy`; stops at once when `cancel` fires (also while waiting).
pub(super) async fn retried<F, Fut>(
    policy: &EmbedPolicy,
    cancel: &CancellationToken,
    request: F,
) -> std::result::Result<Embedded, StopReason>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Embedded>>,
{
    let mut retry = 0;
    loop {
        let attempt = tokio::time::timeout(policy.request_timeout, request());
        let error = tokio::select! {
            () = cancel.cancelled() => return Err(StopReason::Cancelled),
            result = attempt => match result {
                Ok(Ok(embedded)) => return Ok(embedded),
                Ok(Err(error)) => error,
                // Rounded up: a limit under a second must not read "nothing for 0 s".
                Err(_) => Error::Stalled {
                    secs: u32::try_from(policy.request_timeout.as_millis().div_ceil(1000))
                        .unwrap_or(u32::MAX),
                },
            },
        };
        retry += 1;
        let Some(wait) = policy.delay(retry, &error) else {
            return Err(StopReason::Failed(error));
        };
        tracing::debug!(retry, ?wait, %error, "embeddings request failed; retrying");
        tokio::select! {
            () = cancel.cancelled() => return Err(StopReason::Cancelled),
            () = tokio::time::sleep(wait) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(items: &[(Option<u64>, &[f32])]) -> EmbeddingResponse {
        EmbeddingResponse {
            data: items
                .iter()
                .map(|(index, vector)| EmbeddingItem {
                    index: *index,
                    embedding: vector.to_vec(),
                })
                .collect(),
            usage: None,
        }
    }

    #[test]
    fn vectors_are_put_in_input_order_by_their_index() {
        let got = checked(response(&[(Some(1), &[2.0]), (Some(0), &[1.0])]), 2);
        assert_eq!(
            got.ok().map(|e| e.vectors),
            Some(vec![vec![1.0], vec![2.0]])
        );
        let unnumbered = checked(response(&[(None, &[1.0]), (None, &[2.0])]), 2);
        assert_eq!(
            unnumbered.ok().map(|e| e.vectors),
            Some(vec![vec![1.0], vec![2.0]])
        );
    }

    #[test]
    fn unusable_answers_are_refused() {
        for (bad, inputs) in [
            (response(&[(Some(0), &[1.0]), (Some(0), &[2.0])]), 2),
            (response(&[(Some(0), &[1.0]), (Some(7), &[2.0])]), 2),
            (response(&[(Some(0), &[1.0]), (Some(1), &[2.0, 3.0])]), 2),
            (response(&[(Some(0), &[])]), 1),
            (response(&[(Some(0), &[f32::INFINITY])]), 1),
            (response(&[(Some(0), &[1.0])]), 2),
        ] {
            assert!(
                matches!(
                    checked(bad, inputs),
                    Err(Error::Provider { status: None, .. })
                ),
                "refused"
            );
        }
    }

    #[test]
    fn batches_keep_to_their_count_and_characters() {
        let short: Vec<String> = (0..100).map(|i| format!("input {i}")).collect();
        assert_eq!(batch_len(&short, 32), 32);
        let long = vec!["x".repeat(MAX_BATCH_CHARS / 2 + 1); 5];
        assert_eq!(batch_len(&long, 32), 1);
        let huge = vec!["x".repeat(MAX_BATCH_CHARS * 2)];
        assert_eq!(batch_len(&huge, 32), 1, "a single long input goes alone");
    }
}
