//! The chat engine under faults and load: one test per fault, each checking what the
//! channel saw and what is in the database afterwards. Real SQLite files; aimock (a real
//! OpenAI-compatible server) on 127.0.0.1.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::hostile::{Answer, Hostile, Step, chunk, send};
use common::stream::{
    channel, error_end, new_conversation, send_new, send_text, send_to_end, stored,
};
use common::{
    Aimock, TempDb, engine, engine_with_settings, events_until_end, streamed_text, test_keychain,
    test_settings,
};
use confab_core::chat::{ChatEvent, QueueReason};
use confab_core::providers::builtin;
use confab_core::settings::Settings;
use confab_core::store::conversations;
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::StopReason;
use confab_core::store::messages::{self, Message};
use confab_core::{Error, ErrorCode};
use serde_json::{Value, json};
use tokio::sync::mpsc;

fn reply(user: &str, content: &str, extra: Value) -> Value {
    let mut fixture = json!({"match": {"userMessage": user}, "response": {"content": content}});
    if let (Some(fixture), Some(extra)) = (fixture.as_object_mut(), extra.as_object()) {
        fixture.extend(extra.clone());
    }
    fixture
}

fn error_once(user: &str, status: u16, extra: Value) -> Value {
    let mut response = json!({"error": {"message": format!("injected {status}"), "type": "server_error"}, "status": status});
    if let (Some(response), Some(extra)) = (response.as_object_mut(), extra.as_object()) {
        response.extend(extra.clone());
    }
    json!({"match": {"userMessage": user, "sequenceIndex": 0}, "response": response})
}

fn retries(events: &[ChatEvent]) -> Vec<(u32, u32, ErrorCode)> {
    events
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Retrying {
                attempt,
                delay_ms,
                code,
                ..
            } => Some((*attempt, *delay_ms, *code)),
            _ => None,
        })
        .collect()
}

fn done(events: &[ChatEvent]) -> &Message {
    match events.last() {
        Some(ChatEvent::Done { message }) => message,
        other => panic!("expected Done, got {other:?}"),
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_the_reply_arrives() {
    let server = Aimock::start(json!({"fixtures": [
        error_once("rate", 429, json!({"retryAfter": 1})),
        reply("rate", "Worth the wait.", json!({})),
    ]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;

    let started = Instant::now();
    let (events, _rx) = send_to_end(&engine, &conversation, "rate").await;

    assert_eq!(
        retries(&events),
        vec![(1, 1000, ErrorCode::RateLimited)],
        "one retry, after Retry-After"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "the engine waited as asked"
    );
    assert_eq!(done(&events).content, "Worth the wait.");
    let messages = stored(&temp.db, &conversation).await;
    assert_eq!(
        messages.len(),
        2,
        "the failed attempt left no trace in the history"
    );
    assert_eq!(messages[1].state, MessageState::Complete);
}

#[tokio::test]
async fn a_500_is_retried_with_backoff_then_the_reply_arrives() {
    let server = Aimock::start(json!({"fixtures": [
        error_once("flaky", 500, json!({})),
        reply("flaky", "Recovered.", json!({})),
    ]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;

    let (events, _rx) = send_to_end(&engine, &conversation, "flaky").await;

    let retried = retries(&events);
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].2, ErrorCode::Provider);
    assert!(
        (25..=50).contains(&retried[0].1),
        "first backoff is 50 ms with jitter: {}",
        retried[0].1
    );
    assert_eq!(done(&events).content, "Recovered.");
    assert_eq!(server.journal().await.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_401_is_not_retried_and_is_a_clear_error() {
    let server = Aimock::start_with_env(
        json!({"fixtures": [reply("hello", "never", json!({}))]}),
        &[("AIMOCK_API_KEYS", "the-right-key")],
    );
    let temp = TempDb::new().await;
    let keychain = test_keychain();
    common::set_builtin_key(&temp.db, &keychain, "sk-a-wrong-key").await;
    let engine = engine(&temp.db, keychain.clone(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;

    let (events, _rx) = send_to_end(&engine, &conversation, "hello").await;
    keychain.delete(&builtin::key_account()).unwrap();

    assert!(retries(&events).is_empty(), "auth failures are not retried");
    assert!(matches!(
        events.last(),
        Some(ChatEvent::Error {
            code: ErrorCode::ProviderAuth,
            partial_saved: false,
            ..
        })
    ));
    let messages = stored(&temp.db, &conversation).await;
    assert_eq!(messages[1].state, MessageState::Error);
    assert_eq!(messages[1].meta.error_code, Some(ErrorCode::ProviderAuth));
}

#[tokio::test]
async fn an_error_body_with_an_integer_code_still_reads_clearly() {
    // llama.cpp's shape: `"code": 404` is a number, which the OpenAI types do not accept.
    let server = Aimock::start(json!({"fixtures": [{
        "match": {"userMessage": "hello"},
        "response": {"error": {"message": "model 'ghost' not found", "type": "not_found_error", "code": 404}, "status": 404}
    }]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;
    let (events, _rx) = send_to_end(&engine, &conversation, "hello").await;
    let Some(ChatEvent::Error { code, message, .. }) = events.last() else {
        panic!("expected Error, got {:?}", events.last());
    };
    assert_eq!(*code, ErrorCode::ModelNotFound);
    assert!(
        message.contains("HTTP 404") && message.contains("model 'ghost' not found"),
        "{message}"
    );
    assert!(retries(&events).is_empty());
}

#[tokio::test]
async fn a_stream_that_ends_without_a_finish_reason_is_partial() {
    // An empty finish_reason on the last chunk: the server closes cleanly but never says
    // the reply is complete.
    let server = Aimock::start(json!({"fixtures": [
        reply("hello", "Half a thought", json!({})).pipe_response(json!({"finishReason": ""})),
    ]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;
    let (events, _rx) = send_to_end(&engine, &conversation, "hello").await;
    let message = done(&events);
    assert_eq!(message.state, MessageState::Partial);
    assert_eq!(message.meta.reason, Some(StopReason::NoFinishReason));
    assert_eq!(message.content, "Half a thought");
    assert_eq!(stored(&temp.db, &conversation).await[1], *message);
}

#[tokio::test]
async fn a_malformed_response_is_an_error_entry_not_a_silent_nothing() {
    let server = Aimock::start(json!({"fixtures": [reply("hello", "fine", json!({}))]}));
    // From now on every reply is a broken body.
    reqwest::Client::new()
        .post(format!("http://127.0.0.1:{}/__aimock/chaos", server.port))
        .json(&json!({"malformedRate": 1.0}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;
    let (events, _rx) = send_to_end(&engine, &conversation, "hello").await;
    assert!(
        matches!(
            events.last(),
            Some(ChatEvent::Error {
                code: ErrorCode::Provider,
                partial_saved: false,
                ..
            })
        ),
        "{:?}",
        events.last()
    );
    let messages = stored(&temp.db, &conversation).await;
    assert_eq!(messages.len(), 2);
    assert_eq!(
        (messages[1].role, messages[1].state),
        (Role::Assistant, MessageState::Error)
    );
}

#[tokio::test]
async fn a_stalled_stream_ends_as_an_error_with_the_partial_saved() {
    // Text, then the connection stays open and nothing more comes.
    let server = Hostile::start(|_, _| {
        Answer::sse(vec![
            send(&chunk("one two ")),
            send(&chunk("three ")),
            Step::Pause(Duration::from_secs(60)),
        ])
    })
    .await;
    let temp = TempDb::new().await;
    let settings = Settings {
        stall_timeout_secs: 1,
        ..test_settings()
    };
    let engine = engine_with_settings(&temp.db, server.endpoint(), settings).await;
    let conversation = new_conversation(&temp.db).await;
    let (events, _rx) = send_to_end(&engine, &conversation, "stall").await;

    let (code, partial_saved) = error_end(&events);
    assert_eq!((code, partial_saved), (ErrorCode::Stalled, true));
    let messages = stored(&temp.db, &conversation).await;
    assert_eq!(messages[1].state, MessageState::Partial);
    assert_eq!(messages[1].meta.reason, Some(StopReason::Stalled));
    assert_eq!(messages[1].content, streamed_text(&events));
}

#[tokio::test]
async fn cancelling_mid_stream_keeps_the_text_as_cancelled() {
    let server = Aimock::start(json!({"fixtures": [
        reply("long", &"word ".repeat(200), json!({"streamingProfile": {"ttft": 20, "tps": 40}})),
    ]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;
    let (stream_id, mut rx) = send_text(&engine, &conversation, "long").await;

    let mut events = Vec::new();
    while streamed_text(&events).len() < 20 {
        events.push(rx.recv().await.unwrap());
    }
    engine.cancel(&stream_id).unwrap();
    events.extend(events_until_end(&mut rx).await);

    let message = done(&events);
    assert_eq!(message.state, MessageState::Cancelled);
    assert_eq!(
        message.content,
        streamed_text(&events),
        "what was shown is what was kept"
    );
    assert!(message.content.len() < 1000);
    assert!(!engine.is_streaming(&conversation));
    assert!(
        matches!(engine.cancel(&stream_id), Err(Error::NotFound { .. })),
        "the id is gone"
    );
    assert!(engine.active_streams().is_empty());
}

#[tokio::test]
async fn twenty_conversations_at_once_never_exceed_the_slots_and_never_mix() {
    let fixtures: Vec<Value> = (0..20)
        .map(|i| {
            reply(
                &format!("question {i:02}"),
                &format!("answer {i:02}: {}", "la ".repeat(15)),
                json!({"streamingProfile": {"ttft": 30, "tps": 25}}),
            )
        })
        .collect();
    let server = Aimock::start(json!({ "fixtures": fixtures }));
    let temp = TempDb::new().await;
    let settings = Settings {
        max_concurrent_streams: 4,
        ..test_settings()
    };
    let engine = engine_with_settings(&temp.db, server.endpoint(), settings).await;

    let mut runs = Vec::new();
    for i in 0..20 {
        let conversation = new_conversation(&temp.db).await;
        let (_, rx) = send_text(&engine, &conversation, &format!("question {i:02}")).await;
        runs.push((i, conversation, rx));
    }
    let mut queued = 0;
    for (i, conversation, mut rx) in runs {
        let events = events_until_end(&mut rx).await;
        queued += events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    ChatEvent::Queued {
                        reason: QueueReason::Concurrency
                    }
                )
            })
            .count();
        let expected = format!("answer {i:02}: {}", "la ".repeat(15));
        assert_eq!(
            streamed_text(&events),
            expected,
            "conversation {i} got its own reply"
        );
        let messages = stored(&temp.db, &conversation).await;
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].content, format!("question {i:02}"));
        assert_eq!(
            (messages[1].state, messages[1].content.as_str()),
            (MessageState::Complete, expected.as_str())
        );
    }
    let (now, peak) = engine.concurrency();
    assert_eq!(now, 0);
    assert_eq!(peak, 4, "four at once, never more");
    // How many had to wait depends on how fast the sends went out; that some did is certain.
    assert!(queued > 0, "the others waited their turn ({queued} queued)");
}

#[tokio::test]
async fn the_request_rate_is_limited_locally() {
    let fixtures: Vec<Value> = (0..3)
        .map(|i| reply(&format!("q{i}"), "ok", json!({})))
        .collect();
    let server = Aimock::start(json!({ "fixtures": fixtures }));
    let temp = TempDb::new().await;
    // 120 per minute: one request every 500 ms.
    let settings = Settings {
        requests_per_minute: 120,
        ..test_settings()
    };
    let engine = engine_with_settings(&temp.db, server.endpoint(), settings).await;
    let started = Instant::now();
    let mut receivers = Vec::new();
    for i in 0..3 {
        let conversation = new_conversation(&temp.db).await;
        let (_, rx) = send_text(&engine, &conversation, &format!("q{i}")).await;
        receivers.push(rx);
    }
    let mut rate_limited = 0;
    for mut rx in receivers {
        let events = events_until_end(&mut rx).await;
        assert!(matches!(events.last(), Some(ChatEvent::Done { .. })));
        rate_limited += events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    ChatEvent::Queued {
                        reason: QueueReason::RateLimit
                    }
                )
            })
            .count();
    }
    assert_eq!(
        rate_limited, 2,
        "the second and third request waited for the limiter"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "three requests took two intervals"
    );
}

#[tokio::test]
async fn a_reloaded_window_attaches_and_misses_nothing() {
    let full = "The quick brown fox jumps over the lazy dog, again and again and again.";
    let server = Aimock::start(json!({"fixtures": [
        reply("fox", full, json!({"streamingProfile": {"ttft": 20, "tps": 30}})),
    ]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;
    let (stream_id, mut first) = send_text(&engine, &conversation, "fox").await;

    let mut before_reload = Vec::new();
    while streamed_text(&before_reload).len() < 10 {
        before_reload.push(first.recv().await.unwrap());
    }
    drop(first); // the webview reloads: its channel is gone

    let active = engine.active_streams();
    assert_eq!(active.len(), 1);
    assert_eq!(
        (
            active[0].stream_id.as_str(),
            active[0].conversation_id.as_str()
        ),
        (stream_id.as_str(), conversation.as_str())
    );

    let (sink, mut second) = channel();
    engine.attach(&stream_id, sink).unwrap();
    let events = events_until_end(&mut second).await;
    let Some(ChatEvent::Snapshot { text: snapshot, .. }) = events.first() else {
        panic!(
            "an attached channel starts with a Snapshot, got {:?}",
            events.first()
        );
    };
    assert!(
        snapshot.len() >= 10,
        "the snapshot has what was sent before the reload"
    );
    assert_eq!(
        format!("{snapshot}{}", streamed_text(&events)),
        full,
        "nothing lost, nothing twice"
    );
    assert_eq!(done(&events).content, full);
    assert!(matches!(
        engine.attach(&stream_id, Arc::new(mpsc::unbounded_channel().0)),
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn regenerate_and_edit_resend_add_versions_and_nothing_is_lost() {
    let server = Aimock::start(json!({"fixtures": [
        reply("first", "reply to first", json!({})),
        reply("second", "reply to second", json!({})),
        reply("changed", "reply to changed", json!({})),
    ]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;
    for text in ["first", "second"] {
        send_to_end(&engine, &conversation, text).await;
    }
    let before = stored(&temp.db, &conversation).await;
    assert_eq!(before.len(), 4);

    let (sink, mut rx) = channel();
    engine.regenerate(&conversation, sink).await.unwrap();
    let events = events_until_end(&mut rx).await;
    let ChatEvent::Started { user_message, .. } = &events[0] else {
        panic!("{:?}", events[0])
    };
    assert_eq!(
        user_message.id, before[2].id,
        "the same question is answered again"
    );
    let after = stored(&temp.db, &conversation).await;
    assert_eq!(after.len(), 4, "the branch shown is as long as before");
    assert_ne!(after[3].id, before[3].id, "the new version is shown");
    assert_eq!(after[3].content, "reply to second");
    assert_eq!((after[3].version, after[3].versions), (2, 2));
    assert_eq!(after[3].parent_id.as_deref(), Some(before[2].id.as_str()));
    let old = messages::get(temp.db.conn(), &before[3].id).await.unwrap();
    assert_eq!(
        (old.content.as_str(), old.version, old.versions),
        ("reply to second", 1, 2),
        "the old reply is kept, one version back"
    );

    let (sink, mut rx) = channel();
    engine
        .edit_and_resend(&before[0].id, "changed", Vec::new(), sink)
        .await
        .unwrap();
    events_until_end(&mut rx).await;
    let edited = stored(&temp.db, &conversation).await;
    let texts: Vec<_> = edited.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(
        texts,
        ["changed", "reply to changed"],
        "the new branch is shown"
    );
    assert_ne!(edited[0].id, before[0].id, "the edit is a new version");
    assert_eq!((edited[0].version, edited[0].versions), (2, 2));

    // Back to the first version: its branch comes back as it was left (second reply's
    // newer version shown).
    let api_view = confab_core::store::branches::switch_version(temp.db.conn(), &edited[0].id, -1)
        .await
        .unwrap();
    assert_eq!(api_view.id, before[0].id);
    let back = stored(&temp.db, &conversation).await;
    let ids: Vec<_> = back.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            before[0].id.as_str(),
            before[1].id.as_str(),
            before[2].id.as_str(),
            after[3].id.as_str()
        ]
    );
    let out_of_range =
        confab_core::store::branches::switch_version(temp.db.conn(), &before[0].id, -1).await;
    assert!(matches!(out_of_range, Err(Error::InvalidInput(_))));

    let (sink, _rx) = channel();
    let not_user = engine
        .edit_and_resend(&before[1].id, "x", Vec::new(), sink)
        .await;
    assert!(matches!(not_user, Err(Error::InvalidInput(_))));
}

#[tokio::test]
async fn the_first_exchange_gets_a_generated_title() {
    let server = Aimock::start(json!({"fixtures": [
        // First: the title request also quotes the user's message.
        {"match": {"systemMessage": "Write a title"}, "response": {"content": "\"Hangzhou Weekend Plan.\""}},
        reply("Plan a weekend in Hangzhou", "Day one: West Lake...", json!({})),
    ]}));
    let temp = TempDb::new().await;
    let settings = Settings {
        auto_title: true,
        ..test_settings()
    };
    let engine = engine_with_settings(&temp.db, server.endpoint(), settings).await;
    let conversation = new_conversation(&temp.db).await;
    let (_, mut rx) = send_to_end(&engine, &conversation, "Plan a weekend in Hangzhou").await;
    let title = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        title,
        ChatEvent::Title {
            conversation_id: conversation.clone(),
            title: "Hangzhou Weekend Plan".into()
        }
    );
    let stored = conversations::get(temp.db.conn(), &conversation)
        .await
        .unwrap();
    assert_eq!(stored.title, "Hangzhou Weekend Plan");
}

/// Builds a fixture whose `response` gets extra fields.
trait PipeResponse {
    fn pipe_response(self, extra: Value) -> Value;
}

impl PipeResponse for Value {
    fn pipe_response(mut self, extra: Value) -> Value {
        if let (Some(response), Some(extra)) = (
            self.get_mut("response").and_then(Value::as_object_mut),
            extra.as_object(),
        ) {
            response.extend(extra.clone());
        }
        self
    }
}

#[tokio::test]
async fn a_channel_attaching_to_a_waiting_reply_learns_what_it_waits_for() {
    let server = Aimock::start(json!({"fixtures": [
        reply("slow", "a slow reply that takes a while", json!({"streamingProfile": {"ttft": 300, "tps": 20}})),
        reply("next", "next reply", json!({})),
    ]}));
    let temp = TempDb::new().await;
    let settings = Settings {
        max_concurrent_streams: 1,
        ..test_settings()
    };
    let engine = engine_with_settings(&temp.db, server.endpoint(), settings).await;
    let (_, mut first_rx, _) = send_new(&engine, &temp.db, "slow").await;
    let (waiting, mut second_rx, _) = send_new(&engine, &temp.db, "next").await;
    // The second reply reports it is queued behind the first.
    while !matches!(second_rx.recv().await, Some(ChatEvent::Queued { .. })) {}

    let (late, mut late_rx) = channel();
    engine.attach(&waiting, late).unwrap();
    assert!(
        matches!(late_rx.recv().await, Some(ChatEvent::Snapshot { ref text, .. }) if text.is_empty())
    );
    assert_eq!(
        late_rx.recv().await,
        Some(ChatEvent::Queued {
            reason: QueueReason::Concurrency
        })
    );
    events_until_end(&mut first_rx).await;
    assert_eq!(
        done(&events_until_end(&mut late_rx).await).content,
        "next reply"
    );
}
