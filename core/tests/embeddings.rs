//! Embeddings through the provider client: against aimock's `/v1/embeddings` (a real
//! OpenAI-compatible server), and against the in-process hostile server for what a broken
//! provider can send — the wrong number of vectors, ragged or non-finite ones, an endless
//! body, rate limits, a refused key, a stall — and for the batcher's retries and cancel.

mod common;
#[path = "common/embedding_server.rs"]
mod embedding_server;

use std::time::{Duration, Instant};

use common::Aimock;
use common::hostile::{Answer, Body, Hostile, Step};
use confab_core::error::{Error, ErrorCode};
use confab_core::llm::{self, EmbedPolicy, Embedded, StopReason};
use embedding_server::{answer, client, good, inputs_of, provider_message, quick, texts};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn aimock_gives_one_vector_per_input_and_the_same_for_the_same_text() {
    let server = Aimock::start(json!({"fixtures": []}));
    let client = client(server.base_url(), "text-embedding-3-small");
    let inputs = texts(&["alpha", "beta 中文", "alpha"]);
    let got = client.embed(&inputs).await.expect("embedded");
    assert_eq!(got.vectors.len(), 3);
    assert!(
        got.vectors.iter().all(|v| v.len() == 1536),
        "aimock's default dims"
    );
    assert_eq!(got.vectors[0], got.vectors[2]);
    assert_ne!(got.vectors[0], got.vectors[1]);
    let again = client.embed(&texts(&["alpha"])).await.expect("embedded");
    assert_eq!(again.vectors, vec![got.vectors[0].clone()]);
    assert_eq!(
        client.embed(&[]).await.expect("nothing"),
        Embedded::default()
    );
}

#[tokio::test]
async fn aimock_fixture_vectors_come_back_for_every_batch() {
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"inputText": "fixed"}, "response": {"embedding": [0.25, -1.0, 0.5]}}
    ]}));
    let client = client(server.base_url(), "text-embedding-3-small");
    let inputs: Vec<String> = (0..70).map(|i| format!("fixed passage {i}")).collect();
    let cancel = CancellationToken::new();
    let got = llm::embed_all(&client, &inputs, 32, &quick(), &cancel)
        .await
        .expect("embedded");
    assert_eq!(got.vectors.len(), 70);
    assert!(got.vectors.iter().all(|v| v == &[0.25, -1.0, 0.5]));
    let journal = server.journal().await;
    let requests = journal.as_array().map_or(0, |all| {
        all.iter()
            .filter(|r| {
                r["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with("/embeddings"))
            })
            .count()
    });
    assert_eq!(requests, 3, "32 + 32 + 6");
}

#[tokio::test]
async fn the_request_is_openai_shaped_and_answers_in_any_order_are_put_right() {
    let server = Hostile::start(|request, _| {
        let inputs = inputs_of(request);
        let data: Vec<Value> = inputs
            .iter()
            .enumerate()
            .rev()
            .map(|(index, input)| json!({"index": index, "embedding": [input.len() as f32, 0.0]}))
            .collect();
        Answer::json(200, &json!({"data": data}))
    })
    .await;
    let client = client(server.base_url(), "jina-embeddings-v4");
    let got = client
        .embed(&texts(&["a", "bbb", "cc"]))
        .await
        .expect("embedded");
    assert_eq!(
        got.vectors,
        vec![vec![1.0, 0.0], vec![3.0, 0.0], vec![2.0, 0.0]]
    );
    assert_eq!(got.tokens, 0, "no usage given");
    let request = &server.received()[0];
    assert_eq!(request.path, "/v1/embeddings");
    assert_eq!(request.body["model"], "jina-embeddings-v4");
    assert_eq!(request.body["encoding_format"], "float");
    assert_eq!(request.body["input"], json!(["a", "bbb", "cc"]));
    assert_eq!(
        request.header("authorization"),
        Some("Bearer sk-test-embed")
    );
}

#[tokio::test]
async fn unusable_vectors_are_a_provider_error_that_says_why() {
    let cases: Vec<(&str, Answer)> = vec![
        ("1 vectors for 2 inputs", answer(&[json!([1.0, 2.0])])),
        (
            "different lengths",
            answer(&[json!([1.0, 2.0]), json!([1.0])]),
        ),
        ("finite", answer(&[json!([1.0, 1e39]), json!([1.0, 2.0])])),
        ("dimensions", answer(&[json!([]), json!([])])),
        (
            "dimensions",
            answer(&[json!(vec![0.5; 8193]), json!(vec![0.5; 8193])]),
        ),
        (
            "unreadable",
            Answer::new(
                200,
                Body::Steps(vec![Step::Send(
                    br#"{"data":[{"index":0,"embedding":[NaN]},{"index":1,"embedding":[1]}]}"#
                        .to_vec(),
                )]),
            ),
        ),
        (
            "two vectors for input 0",
            Answer::json(
                200,
                &json!({"data": [{"index": 0, "embedding": [1.0]}, {"index": 0, "embedding": [2.0]}]}),
            ),
        ),
    ];
    for (expected, scripted) in cases {
        let scripted = std::sync::Mutex::new(Some(scripted));
        let server = Hostile::start(move |_, _| {
            scripted
                .lock()
                .ok()
                .and_then(|mut s| s.take())
                .unwrap_or_else(|| Answer::json(500, &json!({})))
        })
        .await;
        let client = client(server.base_url(), "m");
        let error = client
            .embed(&texts(&["one", "two"]))
            .await
            .expect_err(expected);
        let message = provider_message(&error);
        assert!(message.contains(expected), "{expected}: {message}");
    }
}

#[tokio::test]
async fn an_endless_body_is_cut_off() {
    let server = Hostile::start(|_, _| {
        let body = Body::Endless(Box::new(|n| {
            if n == 0 {
                br#"{"data":[{"index":0,"embedding":["#.to_vec()
            } else {
                b"0.125,".repeat(10_000)
            }
        }));
        Answer::new(200, body).header("content-type", "application/json")
    })
    .await;
    let client = client(server.base_url(), "m");
    let error = client.embed(&texts(&["x"])).await.expect_err("too large");
    assert!(provider_message(&error).contains("larger than"), "{error}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(server.endless_dropped(), "the client hung up");
    assert!(
        server.endless_sent() < 64 << 20,
        "{} bytes",
        server.endless_sent()
    );
}

#[tokio::test]
async fn rate_limits_are_retried_after_the_wait_the_provider_asks() {
    let server = Hostile::start(|request, n| {
        if n == 0 {
            Answer::json(429, &json!({"error": {"message": "slow down"}}))
                .header("retry-after", "1")
        } else {
            good(request)
        }
    })
    .await;
    let client = client(server.base_url(), "m");
    let started = Instant::now();
    let got = llm::embed_all(
        &client,
        &texts(&["ab", "c"]),
        32,
        &quick(),
        &CancellationToken::new(),
    )
    .await
    .expect("retried");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        got.vectors,
        vec![vec![2.0, 1.0, -0.5], vec![1.0, 1.0, -0.5]]
    );
    assert_eq!(got.tokens, 7);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_refused_key_is_typed_and_not_retried() {
    let server = Hostile::start(|_, _| {
        Answer::json(
            401,
            &json!({"error": {"message": "Incorrect API key provided"}}),
        )
    })
    .await;
    let client = client(server.base_url(), "m");
    let stopped = llm::embed_all(
        &client,
        &texts(&["a"]),
        32,
        &quick(),
        &CancellationToken::new(),
    )
    .await
    .expect_err("refused");
    let StopReason::Failed(error) = &stopped.reason else {
        panic!("{stopped}");
    };
    assert_eq!(error.code(), ErrorCode::ProviderAuth);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn server_errors_are_retried_then_given_up_keeping_what_was_done() {
    // Batches of 2: the first two succeed, the third always fails with a 503.
    let server = Hostile::start(|request, n| {
        if n < 2 {
            good(request)
        } else {
            Answer::json(503, &json!({"error": {"message": "overloaded"}}))
        }
    })
    .await;
    let client = client(server.base_url(), "m");
    let inputs = texts(&["a", "b", "c", "d", "e"]);
    let stopped = llm::embed_all(&client, &inputs, 2, &quick(), &CancellationToken::new())
        .await
        .expect_err("gave up");
    assert_eq!(
        stopped.done.vectors.len(),
        4,
        "the first two batches are kept"
    );
    let StopReason::Failed(Error::Provider { status, .. }) = &stopped.reason else {
        panic!("{stopped}");
    };
    assert_eq!(*status, Some(503));
    assert_eq!(
        server.received().len(),
        2 + 1 + quick().max_retries as usize
    );
}

#[tokio::test]
async fn a_stalled_request_hits_its_time_limit() {
    let server = Hostile::start(|_, _| {
        Answer::new(200, Body::Steps(vec![Step::Pause(Duration::from_secs(30))]))
    })
    .await;
    let client = client(server.base_url(), "m");
    let policy = EmbedPolicy {
        max_retries: 1,
        request_timeout: Duration::from_millis(300),
        ..quick()
    };
    let started = Instant::now();
    let stopped = llm::embed_all(
        &client,
        &texts(&["a"]),
        32,
        &policy,
        &CancellationToken::new(),
    )
    .await
    .expect_err("stalled");
    assert!(
        matches!(
            stopped.reason,
            StopReason::Failed(Error::Stalled { secs: 1 })
        ),
        "{stopped}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received().len(), 2, "a stall is tried once more");
}

#[tokio::test]
async fn cancel_stops_a_wait_at_once() {
    let server = Hostile::start(|_, _| {
        Answer::json(429, &json!({"error": {"message": "later"}})).header("retry-after", "60")
    })
    .await;
    let client = client(server.base_url(), "m");
    let cancel = CancellationToken::new();
    let stopper = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        stopper.cancel();
    });
    let started = Instant::now();
    let stopped = llm::embed_all(&client, &texts(&["a"]), 32, &quick(), &cancel)
        .await
        .expect_err("cancelled");
    assert!(matches!(stopped.reason, StopReason::Cancelled), "{stopped}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_model_that_changes_its_dimensions_midway_is_refused() {
    let server = Hostile::start(|request, n| {
        let dims = if n == 0 { 3 } else { 4 };
        let vectors: Vec<Value> = inputs_of(request)
            .iter()
            .map(|_| json!(vec![0.5; dims]))
            .collect();
        answer(&vectors)
    })
    .await;
    let client = client(server.base_url(), "m");
    let stopped = llm::embed_all(
        &client,
        &texts(&["a", "b", "c"]),
        2,
        &quick(),
        &CancellationToken::new(),
    )
    .await
    .expect_err("refused");
    assert_eq!(stopped.done.vectors.len(), 2);
    let StopReason::Failed(error) = &stopped.reason else {
        panic!("{stopped}");
    };
    assert!(provider_message(error).contains("4 dimensions after vectors of 3"));
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused() {
    let other = Hostile::start(|request, _| good(request)).await;
    let target = format!("{}/embeddings", other.base_url());
    let server = Hostile::start(move |_, _| {
        Answer::new(307, Body::Steps(Vec::new())).header("location", target.clone())
    })
    .await;
    let client = client(server.base_url(), "m");
    let error = client.embed(&texts(&["a"])).await.expect_err("refused");
    assert!(provider_message(&error).contains("another host"), "{error}");
    assert!(other.received().is_empty());
}
