//! What the embeddings tests share: a client with a key, a quick retry policy, and the
//! answers the scripted server gives to an embeddings request.

#![allow(dead_code)] // each user takes a part of it

use std::time::Duration;

use confab_core::error::Error;
use confab_core::llm::{self, EmbedPolicy, Endpoint, ProviderClient};
use confab_core::secrets::Secret;
use serde_json::{Value, json};

use crate::common::hostile::{Answer, Received};

pub fn client(base_url: String, model: &str) -> ProviderClient {
    let http = llm::http_client().expect("http client");
    let endpoint = Endpoint {
        base_url,
        model: model.into(),
    };
    ProviderClient::new(http, endpoint, Some(&Secret::new("sk-test-embed"))).expect("client")
}

pub fn texts(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_string()).collect()
}

/// A quick policy for tests: short waits, a short time limit.
pub fn quick() -> EmbedPolicy {
    EmbedPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        request_timeout: Duration::from_secs(5),
    }
}

pub fn inputs_of(request: &Received) -> Vec<String> {
    serde_json::from_value(request.body["input"].clone()).unwrap_or_default()
}

/// An embeddings answer with `vectors` at their positions.
pub fn answer(vectors: &[Value]) -> Answer {
    let data: Vec<Value> = vectors
        .iter()
        .enumerate()
        .map(|(index, vector)| json!({"object": "embedding", "index": index, "embedding": vector}))
        .collect();
    Answer::json(
        200,
        &json!({"object": "list", "data": data, "model": "m", "usage": {"prompt_tokens": 7, "total_tokens": 7}}),
    )
}

/// A well-behaved answer to `request`: one 3-dimensional vector per input, from its length.
pub fn good(request: &Received) -> Answer {
    let vectors: Vec<Value> = inputs_of(request)
        .iter()
        .map(|input| json!([input.len() as f32, 1.0, -0.5]))
        .collect();
    answer(&vectors)
}

pub fn provider_message(error: &Error) -> &str {
    match error {
        Error::Provider { message, .. } => message,
        other => panic!("not a provider error: {other:?}"),
    }
}
