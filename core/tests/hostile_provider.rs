//! A hostile provider cannot crash Confab, bloat it, or leak through it. Each test scripts
//! one misbehaviour on the in-process server of `common::hostile` (127.0.0.1) and checks
//! what the channel saw, what is stored, and what the server received. Real SQLite files,
//! the real keychain.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use common::hostile::{Answer, Body, Hostile, Step, chunk, send};
use common::stream::{Events, send_new, stored};
use common::{
    TempDb, engine_with, engine_with_settings, events_until_end, streamed_text, test_config,
    test_keychain, untitled_settings,
};
use confab_core::ErrorCode;
use confab_core::chat::ChatEvent;
use confab_core::llm::{self, Endpoint};
use confab_core::providers::{self, ProviderInput};
use confab_core::settings::Settings;
use confab_core::store::conversations;
use confab_core::store::entities::message::MessageState;
use confab_core::store::messages::StopReason;
use serde_json::json;
use tokio::sync::mpsc;

async fn next_retrying(rx: &mut Events) -> (u32, ErrorCode) {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("an event within 20 s")
            .expect("the stream is open");
        match event {
            ChatEvent::Retrying { delay_ms, code, .. } => return (delay_ms, code),
            ChatEvent::Done { .. } | ChatEvent::Error { .. } => panic!("ended: {event:?}"),
            _ => {}
        }
    }
}

#[tokio::test]
async fn extreme_retry_after_on_a_429_is_capped_and_never_panics() {
    for value in [
        "1e20",
        "99999999999999999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let server = Hostile::start(move |_, _| {
            Answer::json(429, &json!({"error": {"message": "slow down"}}))
                .header("retry-after", value)
        })
        .await;
        let temp = TempDb::new().await;
        let engine = engine_with_settings(&temp.db, server.endpoint(), untitled_settings()).await;
        let (stream, mut rx, _) = send_new(&engine, &temp.db, "hello").await;
        let (delay_ms, code) = next_retrying(&mut rx).await;
        assert_eq!(code, ErrorCode::RateLimited, "{value}");
        assert_eq!(
            delay_ms, 120_000,
            "{value}: the wait is capped at two minutes"
        );
        engine.cancel(&stream).unwrap();
        let events = events_until_end(&mut rx).await;
        assert!(
            matches!(events.last(), Some(ChatEvent::Done { .. })),
            "{value}"
        );
    }
}

#[tokio::test]
async fn malformed_retry_after_is_ignored_and_the_retry_succeeds() {
    for value in ["-1", "NaN", "soon", "1e", "-inf"] {
        let server = Hostile::start(move |_, n| match n {
            0 => Answer::json(429, &json!({"error": {"message": "later"}}))
                .header("retry-after", value),
            _ => Answer::reply(&["fine"]),
        })
        .await;
        let temp = TempDb::new().await;
        let engine = engine_with_settings(&temp.db, server.endpoint(), untitled_settings()).await;
        let (_, mut rx, _) = send_new(&engine, &temp.db, "hello").await;
        let (delay_ms, _) = next_retrying(&mut rx).await;
        assert!(
            delay_ms <= 200,
            "{value}: the engine's own backoff, got {delay_ms}"
        );
        let events = events_until_end(&mut rx).await;
        let Some(ChatEvent::Done { message }) = events.last() else {
            panic!("{value}: {:?}", events.last());
        };
        assert_eq!(
            (message.content.as_str(), message.state),
            ("fine", MessageState::Complete)
        );
    }
}

#[tokio::test]
async fn retry_after_on_a_successful_stream_changes_nothing() {
    let server =
        Hostile::start(|_, _| Answer::reply(&["all ", "good"]).header("retry-after", "1e20")).await;
    let temp = TempDb::new().await;
    let engine = engine_with_settings(&temp.db, server.endpoint(), untitled_settings()).await;
    let (_, mut rx, _) = send_new(&engine, &temp.db, "hello").await;
    let events = events_until_end(&mut rx).await;
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("{:?}", events.last());
    };
    assert_eq!(message.content, "all good");
}

#[tokio::test]
async fn a_20_mb_error_body_becomes_a_short_message() {
    let server = Hostile::start(|_, _| {
        let mut body = b"{\"error\":{\"message\":\"".to_vec();
        body.extend(std::iter::repeat_n(b'e', 20 << 20));
        body.extend(b"\"}}");
        Answer::new(500, Body::Steps(vec![Step::Send(body)]))
    })
    .await;
    let temp = TempDb::new().await;
    let engine = engine_with_settings(&temp.db, server.endpoint(), untitled_settings()).await;
    let (_, mut rx, conversation) = send_new(&engine, &temp.db, "hello").await;
    let events = events_until_end(&mut rx).await;
    let Some(ChatEvent::Error { code, message, .. }) = events.last() else {
        panic!("{:?}", events.last());
    };
    assert_eq!(*code, ErrorCode::Provider);
    assert!(
        message.len() <= llm::MAX_MESSAGE_BYTES + 64,
        "{} bytes",
        message.len()
    );
    for event in &events {
        if let ChatEvent::Retrying { message, .. } = event {
            assert!(message.len() <= llm::MAX_MESSAGE_BYTES + 64);
        }
    }
    let reply = &stored(&temp.db, &conversation).await[1];
    let kept = reply.meta.error_message.as_deref().unwrap_or_default();
    assert!(
        !kept.is_empty() && kept.len() <= llm::MAX_MESSAGE_BYTES + 64,
        "{}",
        kept.len()
    );
}

#[tokio::test]
async fn a_key_echoed_in_an_error_body_goes_nowhere() {
    // Not shaped like any known key: only the exact-value redaction can catch it.
    const KEY: &str = "qq-echoed-key-8c1d44e0b2";
    for status in [400, 500] {
        let server = Hostile::start(move |request, _| {
            let auth = request
                .header("authorization")
                .unwrap_or_default()
                .to_string();
            let text = format!("bad request; you sent {auth} (key {KEY}) and api_key={KEY}");
            Answer::json(status, &json!({"error": {"message": text}}))
        })
        .await;
        let temp = TempDb::new().await;
        let keychain = test_keychain();
        common::set_builtin_key(&temp.db, &keychain, KEY).await;
        let engine = engine_with(
            &temp.db,
            keychain,
            server.endpoint(),
            untitled_settings(),
            test_config(),
        )
        .await;
        let (_, mut rx, conversation) = send_new(&engine, &temp.db, "hello").await;
        let events = events_until_end(&mut rx).await;
        assert_eq!(
            server.chat_requests()[0].header("authorization"),
            Some(format!("Bearer {KEY}").as_str())
        );
        let shown = serde_json::to_string(&events).unwrap();
        assert!(shown.contains("bad request"), "{shown}");
        assert!(
            !shown.contains(KEY),
            "{status}: the key reached the UI: {shown}"
        );
        let kept = serde_json::to_string(&stored(&temp.db, &conversation).await).unwrap();
        assert!(kept.contains("<redacted>"), "{kept}");
        assert!(!kept.contains(KEY), "{status}: the key was stored: {kept}");
    }
}

#[tokio::test]
async fn an_endless_reply_is_stopped_at_the_limit_and_stored_as_too_long() {
    let server = Hostile::start(|_, _| {
        Answer::new(
            200,
            Body::Endless(Box::new(|_| chunk(&"x".repeat(1000)).into_bytes())),
        )
        .header("content-type", "text/event-stream")
    })
    .await;
    let temp = TempDb::new().await;
    let settings = Settings {
        max_reply_kib: 16,
        ..untitled_settings()
    };
    let engine = engine_with_settings(&temp.db, server.endpoint(), settings).await;
    let (_, mut rx, conversation) = send_new(&engine, &temp.db, "hello").await;
    let events = events_until_end(&mut rx).await;
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("{:?}", events.last());
    };
    assert_eq!(message.state, MessageState::Partial);
    assert_eq!(message.meta.reason, Some(StopReason::TooLong));
    assert_eq!(message.content.len(), 16 * 1024, "cut exactly at the limit");
    assert_eq!(
        streamed_text(&events),
        message.content,
        "what was shown is what is kept"
    );
    assert_eq!(stored(&temp.db, &conversation).await[1], *message);
    wait_until(|| server.endless_dropped()).await;
    assert!(
        server.endless_sent() < 8 << 20,
        "read {} bytes",
        server.endless_sent()
    );
}

#[tokio::test]
async fn an_endless_sse_line_is_cut_and_the_text_before_it_kept() {
    let server = Hostile::start(|_, _| {
        let mut first = Some(chunk("Before the flood").into_bytes());
        Answer::new(
            200,
            Body::Endless(Box::new(move |_| {
                first.take().map_or_else(
                    || vec![b'x'; 1 << 20],
                    |mut c| {
                        c.extend(b"data: {\"choices\":[{\"delta\":{\"content\":\"");
                        c
                    },
                )
            })),
        )
        .header("content-type", "text/event-stream")
    })
    .await;
    let temp = TempDb::new().await;
    let engine = engine_with_settings(&temp.db, server.endpoint(), untitled_settings()).await;
    let (_, mut rx, conversation) = send_new(&engine, &temp.db, "hello").await;
    let events = events_until_end(&mut rx).await;
    let Some(ChatEvent::Error {
        code,
        message,
        partial_saved,
    }) = events.last()
    else {
        panic!("{:?}", events.last());
    };
    assert_eq!(*code, ErrorCode::Provider);
    assert!(message.contains("more than 4 MiB"), "{message}");
    assert!(*partial_saved);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, ChatEvent::Resuming { .. })),
        "a broken limit is not resumed"
    );
    let reply = &stored(&temp.db, &conversation).await[1];
    assert_eq!(
        (reply.content.as_str(), reply.state),
        ("Before the flood", MessageState::Partial)
    );
    wait_until(|| server.endless_dropped()).await;
    assert!(
        server.endless_sent() < 16 << 20,
        "read {} bytes",
        server.endless_sent()
    );
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_that_host_gets_nothing() {
    let elsewhere = Hostile::start(|_, _| Answer::reply(&["stolen"])).await;
    let target = format!("{}/chat/completions", elsewhere.base_url());
    let models = format!("{}/models", elsewhere.base_url());
    let server = Hostile::start(move |request, _| {
        let to = if request.path.ends_with("/models") {
            &models
        } else {
            &target
        };
        Answer::new(307, Body::Steps(vec![])).header("location", to.clone())
    })
    .await;
    let temp = TempDb::new().await;
    let engine = engine_with_settings(&temp.db, server.endpoint(), untitled_settings()).await;
    let (_, mut rx, _) = send_new(&engine, &temp.db, "hello").await;
    let events = events_until_end(&mut rx).await;
    let Some(ChatEvent::Error { code, message, .. }) = events.last() else {
        panic!("{:?}", events.last());
    };
    assert_eq!(*code, ErrorCode::Provider);
    assert!(
        message.contains("redirected to another host") && message.contains("does not follow"),
        "{message}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, ChatEvent::Retrying { .. })),
        "not retried"
    );

    let http = llm::http_client().unwrap();
    let error = providers::fetch_models(&http, &server.base_url(), &BTreeMap::new(), None)
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("redirected to another host"),
        "{error}"
    );
    assert!(
        elsewhere.received().is_empty(),
        "the other host received {:?}",
        elsewhere.received()
    );
}

#[tokio::test]
async fn plain_http_to_a_public_host_is_refused_before_any_request() {
    use sea_orm::ConnectionTrait;
    let temp = TempDb::new().await;
    let local = Endpoint {
        base_url: "http://127.0.0.1:9/v1".into(),
        model: "m".into(),
    };
    let engine = engine_with_settings(&temp.db, local, untitled_settings()).await;
    // Documentation addresses and names: nothing is sent anywhere, the check comes first.
    for url in ["http://192.0.2.10/v1", "http://api.example.com/v1"] {
        // The environment cannot set such an address...
        let from_env = providers::builtin::BuiltinEnv {
            base_url: Some(url.into()),
            ..Default::default()
        };
        let refused = providers::builtin::ensure(temp.db.conn(), &test_keychain(), from_env)
            .await
            .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::InvalidInput, "{url}: {refused}");
        // ...but a file from elsewhere (hand-edited, or an older version's) can hold one.
        temp.db
            .conn()
            .execute_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Sqlite,
                "UPDATE providers SET base_url = ? WHERE id = ?",
                [url.into(), providers::builtin::ID.into()],
            ))
            .await
            .unwrap();
        let conversation = conversations::create(temp.db.conn(), None)
            .await
            .unwrap()
            .id;
        let (tx, _rx) = mpsc::unbounded_channel();
        let error = engine
            .send_message(&conversation, "hello", Vec::new(), Arc::new(tx))
            .await
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidInput, "{url}: {error}");
        assert_eq!(
            common::problem_of(&error),
            ("baseUrl".to_string(), confab_core::Rule::PlainHttp)
        );
        assert!(
            stored(&temp.db, &conversation).await.is_empty(),
            "nothing was sent or stored"
        );

        let input = ProviderInput {
            name: "Remote".into(),
            base_url: url.into(),
            default_model: "m".into(),
            ..ProviderInput::default()
        };
        let refused = providers::create(temp.db.conn(), &test_keychain(), &input)
            .await
            .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::InvalidInput, "{url}: {refused}");
        assert_eq!(
            common::problem_of(&refused),
            ("baseUrl".to_string(), confab_core::Rule::PlainHttp)
        );
    }
    let local = ProviderInput {
        name: "LAN".into(),
        base_url: "http://192.168.1.20:8080/v1".into(),
        default_model: "m".into(),
        ..ProviderInput::default()
    };
    assert!(
        providers::create(temp.db.conn(), &test_keychain(), &local)
            .await
            .is_ok(),
        "the local network is fine"
    );
}

async fn wait_until(done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the condition did not hold within 5 s");
}

#[tokio::test]
async fn a_single_chunk_cut_by_a_dropped_connection_keeps_a_prefix_only() {
    // The drop comes in the middle of a line: the half line is never shown as text.
    let half = chunk("second")[..20].to_string();
    let server = Hostile::start(move |_, _| {
        Answer::sse(vec![send(&chunk("first")), send(&half), Step::Drop])
    })
    .await;
    let temp = TempDb::new().await;
    let settings = Settings {
        auto_resume: 0,
        ..untitled_settings()
    };
    let engine = engine_with_settings(&temp.db, server.endpoint(), settings).await;
    let (_, mut rx, _) = send_new(&engine, &temp.db, "hello").await;
    let events = events_until_end(&mut rx).await;
    assert_eq!(streamed_text(&events), "first");
    assert!(
        matches!(
            events.last(),
            Some(ChatEvent::Error {
                code: ErrorCode::Network,
                partial_saved: true,
                ..
            })
        ),
        "{:?}",
        events.last()
    );
}
