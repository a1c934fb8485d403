//! Reranking through a `/rerank`-compatible endpoint, against a scripted server on
//! 127.0.0.1: the request Jina / Cohere / SiliconFlow take, scores read best first, and
//! every answer that cannot be used (an index out of range, one twice, a score that is not
//! a number, an error status, an endless body) a typed error, never a panic.

mod common;

use std::time::Duration;

use common::hostile::{Answer, Body, Hostile};
use confab_core::error::{Error, ErrorCode};
use confab_core::llm::{self, Endpoint, ProviderClient};
use confab_core::secrets::Secret;
use serde_json::{Value, json};

fn client(server: &Hostile) -> ProviderClient {
    let http = llm::http_client().expect("http client");
    let endpoint = Endpoint {
        base_url: server.base_url(),
        model: "chat-model".into(),
    };
    let headers = [("X-Team".to_string(), "kb".to_string())].into();
    ProviderClient::new(http, endpoint, Some(&Secret::new("sk-test-rerank")))
        .and_then(|c| c.with_headers(&headers))
        .expect("client")
}

fn documents() -> Vec<String> {
    [
        "cats purr",
        "dogs bark",
        "the cat sat on the mat",
        "stocks fell",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect()
}

/// A server that answers every request with `results`.
async fn answering(results: Value) -> Hostile {
    Hostile::start(move |_, _| Answer::json(200, &json!({"results": results.clone()}))).await
}

async fn rerank(server: &Hostile, top_n: usize) -> Result<Vec<(usize, f32)>, Error> {
    client(server)
        .rerank(
            "jina-reranker-v2-base-multilingual",
            "where do cats sit?",
            &documents(),
            top_n,
        )
        .await
}

#[tokio::test]
async fn scores_come_back_best_first_and_the_request_is_rerank_shaped() {
    // Jina and SiliconFlow add the document; Cohere v2 leaves it out. Both are read.
    let server = answering(json!([
        {"index": 0, "relevance_score": 0.41},
        {"index": 2, "relevance_score": 0.93, "document": {"text": "the cat sat on the mat"}},
        {"index": 3, "relevance_score": 0.02},
    ]))
    .await;
    let ranked = rerank(&server, 2).await.expect("ranked");
    assert_eq!(ranked, vec![(2, 0.93), (0, 0.41)]);
    let request = &server.received()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/rerank");
    assert_eq!(
        request.body,
        json!({
            "model": "jina-reranker-v2-base-multilingual",
            "query": "where do cats sit?",
            "documents": documents(),
            "top_n": 2,
        })
    );
    assert_eq!(
        request.header("authorization"),
        Some("Bearer sk-test-rerank")
    );
    assert_eq!(request.header("x-team"), Some("kb"));
    assert_eq!(request.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn top_n_is_kept_within_the_documents() {
    let server = answering(json!([{"index": 1, "relevance_score": 0.5}])).await;
    assert_eq!(rerank(&server, 0).await.expect("ranked"), vec![(1, 0.5)]);
    assert_eq!(server.received()[0].body["top_n"], 1);
    rerank(&server, 99).await.expect("ranked");
    assert_eq!(server.received()[1].body["top_n"], 4);
    let none = client(&server)
        .rerank("m", "q", &[], 5)
        .await
        .expect("nothing to rank");
    assert!(none.is_empty());
    assert_eq!(server.received().len(), 2, "no request for no documents");
}

#[tokio::test]
async fn unusable_scores_are_a_provider_error_that_says_why() {
    for (results, expected) in [
        (
            json!([{"index": 4, "relevance_score": 0.5}]),
            "passage 4, of 4",
        ),
        (json!([{"index": -1, "relevance_score": 0.5}]), "unreadable"),
        (
            json!([{"index": 1, "relevance_score": 0.5}, {"index": 1, "relevance_score": 0.4}]),
            "two scores for passage 1",
        ),
        (
            json!([{"index": 0, "relevance_score": 1e39}]),
            "not a finite number",
        ),
        (
            json!([{"index": 0, "relevance_score": "high"}]),
            "unreadable",
        ),
        (json!([{"index": 0}]), "unreadable"),
    ] {
        let server = answering(results).await;
        let error = rerank(&server, 3).await.expect_err(expected);
        let Error::Provider {
            status: None,
            message,
            ..
        } = &error
        else {
            panic!("{expected}: {error:?}");
        };
        assert!(message.contains(expected), "{expected}: {message}");
    }
}

#[tokio::test]
async fn error_statuses_map_as_chat_requests_do() {
    let server = Hostile::start(|_, n| match n {
        0 => Answer::json(500, &json!({"error": {"message": "reranker crashed"}})),
        1 => Answer::json(429, &json!({"message": "too many"})).header("retry-after", "7"),
        2 => Answer::json(401, &json!({"detail": "bad key"})),
        _ => Answer::new(404, Body::Steps(vec![])),
    })
    .await;
    let error = rerank(&server, 2).await.expect_err("500");
    assert!(
        matches!(&error, Error::Provider { status: Some(500), message, .. } if message.contains("reranker crashed")),
        "{error:?}"
    );
    assert!(error.is_retryable());
    let error = rerank(&server, 2).await.expect_err("429");
    assert_eq!(error.code(), ErrorCode::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    let error = rerank(&server, 2).await.expect_err("401");
    assert_eq!(error.code(), ErrorCode::ProviderAuth);
    let error = rerank(&server, 2).await.expect_err("404");
    assert_eq!(error.code(), ErrorCode::ModelNotFound);
}

#[tokio::test]
async fn an_endless_answer_is_cut_off() {
    let server = Hostile::start(|_, _| {
        Answer::new(200, Body::Endless(Box::new(|_| vec![b' '; 64 << 10])))
            .header("content-type", "application/json")
    })
    .await;
    let error = rerank(&server, 2).await.expect_err("too large");
    assert!(
        matches!(&error, Error::Provider { message, .. } if message.contains("larger than")),
        "{error:?}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(server.endless_dropped());
    assert!(
        server.endless_sent() < 64 << 20,
        "{} bytes",
        server.endless_sent()
    );
}
