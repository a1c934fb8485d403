//! Reranking through a `/rerank`-compatible endpoint (Jina, Cohere v2, SiliconFlow): the
//! query and the candidate passages go out, a relevance score for each comes back.
//!
//! async-openai has no rerank call, so the request is built here and sent through the
//! client's own [`Probe`](super::probe::Probe) (`post.rs`): the same HTTP client (redirects to another
//! origin refused), the provider's headers and key, the body bounded, and failures mapped
//! by `failure.rs` exactly as chat's are (a 401 is `ProviderAuth`, a 429 keeps its
//! `Retry-After`). The answer is outside data: every index must name a passage sent, none
//! twice, every score must be a finite number.

use std::collections::HashSet;
use std::time::Duration;

use async_openai::error::OpenAIError;
use serde::{Deserialize, Serialize};

use super::ProviderClient;
use crate::error::{Error, Result};

/// The longest a rerank request may take, answer included.
pub const RERANK_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Serialize)]
struct RerankRequest<'a> {
    model: &'a str,
    query: &'a str,
    documents: &'a [String],
    top_n: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RerankResponse {
    results: Vec<RerankResult>,
}

#[derive(Debug, Deserialize)]
struct RerankResult {
    index: u64,
    relevance_score: f32,
}

impl ProviderClient {
    /// Scores `documents` against `query` with the rerank `model` and gives the best
    /// `top_n` (at least one, at most all) as `(index into documents, score)`, best first.
    pub async fn rerank(
        &self,
        model: &str,
        query: &str,
        documents: &[String],
        top_n: usize,
    ) -> Result<Vec<(usize, f32)>> {
        if documents.is_empty() {
            return Ok(Vec::new());
        }
        let top_n = top_n.clamp(1, documents.len());
        let body = serde_json::to_vec(&RerankRequest {
            model,
            query,
            documents,
            top_n,
        })
        .map_err(|error| Error::internal("rerank request", error))?;
        let text = self.post("/rerank", body, RERANK_TIMEOUT).await?;
        let response: RerankResponse = serde_json::from_str(&text)
            .map_err(|error| self.error(OpenAIError::JSONDeserialize(error, text)))?;
        checked(response, documents.len(), top_n)
    }
}

/// The results as `(index, score)`, best first and at most `top_n`, or why they cannot be
/// used.
fn checked(response: RerankResponse, documents: usize, top_n: usize) -> Result<Vec<(usize, f32)>> {
    let mut seen = HashSet::new();
    let mut ranked = Vec::with_capacity(response.results.len());
    for result in response.results {
        let index = usize::try_from(result.index).unwrap_or(usize::MAX);
        if index >= documents {
            return Err(bad_answer(format!(
                "a score for passage {index}, of {documents}"
            )));
        }
        if !seen.insert(index) {
            return Err(bad_answer(format!("two scores for passage {index}")));
        }
        if !result.relevance_score.is_finite() {
            return Err(bad_answer(format!(
                "the score of passage {index} is not a finite number"
            )));
        }
        ranked.push((index, result.relevance_score));
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(top_n);
    Ok(ranked)
}

fn bad_answer(what: String) -> Error {
    Error::Provider {
        status: None,
        message: format!("the provider's rerank scores cannot be used: {what}"),
        retry_after: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(results: &[(u64, f32)]) -> RerankResponse {
        RerankResponse {
            results: results
                .iter()
                .map(|&(index, relevance_score)| RerankResult {
                    index,
                    relevance_score,
                })
                .collect(),
        }
    }

    #[test]
    fn results_come_best_first_and_cut_to_top_n() {
        let ranked = checked(response(&[(0, 0.1), (2, 0.9), (1, 0.5)]), 3, 2);
        assert_eq!(ranked.ok(), Some(vec![(2, 0.9), (1, 0.5)]));
    }

    #[test]
    fn bad_indexes_and_scores_are_refused() {
        for bad in [
            response(&[(3, 0.1)]),
            response(&[(u64::MAX, 0.1)]),
            response(&[(1, 0.1), (1, 0.2)]),
            response(&[(0, f32::NAN)]),
            response(&[(0, f32::NEG_INFINITY)]),
        ] {
            assert!(matches!(
                checked(bad, 3, 3),
                Err(Error::Provider { status: None, .. })
            ));
        }
    }
}
