//! The chat engine end to end: a real SQLite file, aimock on 127.0.0.1.

mod common;

use common::stream::{channel, error_end, send_to_end};
use common::{Aimock, TempDb, engine, events_until_end, streamed_text, test_keychain};
use confab_core::chat::ChatEvent;
use confab_core::store::conversations;
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::{Error, ErrorCode};
use serde_json::json;

const LONG_REPLY: &str = "Streaming works: this reply arrives in many small pieces, in order, \
    and is written to the database exactly once when the stream ends. 中文也一样。";

fn fixtures() -> serde_json::Value {
    json!({"fixtures": [
        {"match": {"userMessage": "hello"}, "response": {"content": LONG_REPLY},
         "streamingProfile": {"ttft": 20, "tps": 400}},
        {"match": {"userMessage": "slow"}, "response": {"content": "a slow reply that takes a while"},
         "streamingProfile": {"ttft": 300, "tps": 20}},
        {"match": {"userMessage": "cut"}, "response": {"content": "this reply is cut short before its end"},
         "truncateAfterChunks": 3, "streamingProfile": {"ttft": 20, "tps": 50}},
        {"match": {"userMessage": "second"}, "response": {"content": "Second answer."}}
    ]})
}

#[tokio::test]
async fn a_streamed_reply_arrives_in_order_and_is_stored_once_complete() {
    let server = Aimock::start(fixtures());
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();

    let (sink, mut rx) = channel();
    let stream_id = engine
        .send_message(&conversation.id, "hello", Vec::new(), sink)
        .await
        .unwrap();
    let events = events_until_end(&mut rx).await;

    let ChatEvent::Started {
        stream_id: started_id,
        user_message,
        ..
    } = &events[0]
    else {
        panic!("first event is Started, got {:?}", events[0]);
    };
    assert_eq!(started_id, &stream_id);
    assert_eq!(
        (user_message.role, user_message.content.as_str()),
        (Role::User, "hello")
    );
    let deltas = events
        .iter()
        .filter(|e| matches!(e, ChatEvent::Delta { .. }))
        .count();
    assert!(deltas > 5, "the reply came in pieces ({deltas} deltas)");
    assert_eq!(
        streamed_text(&events),
        LONG_REPLY,
        "pieces arrive in order, none lost"
    );
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("last event is Done, got {:?}", events.last());
    };
    assert_eq!(message.state, MessageState::Complete);
    assert_eq!(message.content, LONG_REPLY);
    assert_eq!(message.meta.finish_reason.as_deref(), Some("stop"));
    assert!(message.meta.first_token_ms.is_some() && message.meta.total_ms.is_some());

    // Stored once: exactly the user message and one complete reply, both timestamped.
    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), &conversation.id, None, 10)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!((stored[0].seq, stored[0].role), (1, Role::User));
    assert_eq!((stored[1].seq, stored[1].role), (2, Role::Assistant));
    assert_eq!(stored[1], *message);
    assert!(stored[0].created_at > 0 && stored[1].created_at >= stored[0].created_at);
    assert!(
        !engine.is_streaming(&conversation.id),
        "the conversation is free again"
    );

    // The first words of the message became the title.
    let titled = conversations::get(temp.db.conn(), &conversation.id)
        .await
        .unwrap();
    assert_eq!(titled.title, "hello");
}

#[tokio::test]
async fn the_request_carries_the_history_without_timestamps_or_ids() {
    let server = Aimock::start(fixtures());
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();

    for text in ["hello", "second"] {
        let (sink, mut rx) = channel();
        engine
            .send_message(&conversation.id, text, Vec::new(), sink)
            .await
            .unwrap();
        events_until_end(&mut rx).await;
    }

    let journal = server.journal().await;
    let entries = journal.as_array().expect("the journal is a list");
    let last = entries
        .iter()
        .rev()
        .find_map(|entry| entry.pointer("/body/messages"))
        .expect("a chat request was recorded");
    assert_eq!(
        last,
        &json!([
            {"role": "user", "content": "hello"},
            {"role": "assistant", "content": LONG_REPLY},
            {"role": "user", "content": "second"}
        ]),
        "exactly role + content: no created_at, id, seq or meta"
    );
}

#[tokio::test]
async fn a_second_send_while_streaming_is_busy_and_changes_nothing() {
    let server = Aimock::start(fixtures());
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();

    let (sink1, mut rx1) = channel();
    engine
        .send_message(&conversation.id, "slow", Vec::new(), sink1)
        .await
        .unwrap();
    let (sink2, _rx2) = channel();
    let second = engine
        .send_message(&conversation.id, "second", Vec::new(), sink2)
        .await;
    assert!(matches!(second, Err(Error::Busy)), "got {second:?}");

    let events = events_until_end(&mut rx1).await;
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })));
    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), &conversation.id, None, 10)
        .await
        .unwrap();
    let texts: Vec<_> = stored.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(
        texts,
        ["slow", "a slow reply that takes a while"],
        "the busy send wrote nothing"
    );

    // Another conversation is not blocked by this one.
    let other = conversations::create(temp.db.conn(), None).await.unwrap();
    let (sink3, mut rx3) = channel();
    engine
        .send_message(&other.id, "second", Vec::new(), sink3)
        .await
        .unwrap();
    assert!(matches!(
        events_until_end(&mut rx3).await.last(),
        Some(ChatEvent::Done { .. })
    ));
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_keeps_the_text_as_a_partial_reply() {
    let server = Aimock::start(fixtures());
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();

    let (events, _rx) = send_to_end(&engine, &conversation.id, "cut").await;
    let (code, partial_saved) = error_end(&events);
    assert_eq!(code, ErrorCode::Network);
    assert!(partial_saved);
    let shown = streamed_text(&events);
    assert!(!shown.is_empty() && shown.len() < "this reply is cut short before its end".len());

    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), &conversation.id, None, 10)
        .await
        .unwrap();
    let reply = &stored[1];
    assert_eq!(reply.state, MessageState::Partial);
    assert_eq!(reply.content, shown, "what was shown is what was kept");
    assert_eq!(reply.meta.error_code, Some(ErrorCode::Network));
}

#[tokio::test]
async fn a_refused_key_is_a_clear_error_and_is_recorded() {
    let server = Aimock::start_with_env(fixtures(), &[("AIMOCK_API_KEYS", "the-right-key")]);
    let temp = TempDb::new().await;
    // No key in the keychain: the provider refuses, and the error says to add one.
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();

    let (events, _rx) = send_to_end(&engine, &conversation.id, "hello").await;
    let Some(ChatEvent::Error {
        code,
        message,
        partial_saved,
    }) = events.last()
    else {
        panic!("ends with Error, got {:?}", events.last());
    };
    assert_eq!(*code, ErrorCode::NoApiKey);
    assert!(
        message.contains("401"),
        "message names the status: {message}"
    );
    assert!(!partial_saved);

    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), &conversation.id, None, 10)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2, "the user message and an error entry");
    assert_eq!(stored[1].state, MessageState::Error);
    assert_eq!(stored[1].meta.error_code, Some(ErrorCode::NoApiKey));
}

#[tokio::test]
async fn an_unreachable_provider_is_a_network_error() {
    let temp = TempDb::new().await;
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    let endpoint = confab_core::llm::Endpoint {
        base_url: "http://127.0.0.1:9/v1".into(),
        model: "m".into(),
    };
    let engine = engine(&temp.db, test_keychain(), endpoint).await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();
    let (events, _rx) = send_to_end(&engine, &conversation.id, "anyone there?").await;
    assert!(
        matches!(
            events.last(),
            Some(ChatEvent::Error {
                code: ErrorCode::Network,
                ..
            })
        ),
        "got {:?}",
        events.last()
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_written() {
    let server = Aimock::start(fixtures());
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();

    let (sink, _rx) = channel();
    let empty = engine
        .send_message(&conversation.id, "   ", Vec::new(), sink.clone())
        .await;
    assert!(matches!(empty, Err(Error::InvalidInput(_))));
    let huge = "x".repeat(confab_core::chat::MAX_MESSAGE_BYTES + 1);
    assert!(matches!(
        engine
            .send_message(&conversation.id, &huge, Vec::new(), sink.clone())
            .await,
        Err(Error::InvalidInput(_))
    ));
    let missing = engine
        .send_message("no-such-id", "hello", Vec::new(), sink)
        .await;
    assert!(matches!(missing, Err(Error::NotFound { .. })));
    assert!(
        !engine.is_streaming("no-such-id"),
        "a failed send releases the conversation"
    );

    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), &conversation.id, None, 10)
        .await
        .unwrap();
    assert!(stored.is_empty());
}
