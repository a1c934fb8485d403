//! A reply cut off mid-stream finishes itself: the engine asks the model to go on from the
//! text shown so far and appends what it sends, up to `auto_resume` times. The user sees
//! one reply, stored once. Each test scripts the cut on the in-process hostile server
//! (127.0.0.1); real SQLite files.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::hostile::{Answer, DONE, Hostile, Received, Step, chunk, finish, send};
use common::stream::{Events, error_end, send_new, stored};
use common::{TempDb, engine_with, events_until_end, streamed_text, test_config, test_keychain};
use confab_core::ErrorCode;
use confab_core::chat::{ChatEngine, ChatEvent, EngineConfig, RetryPolicy};
use confab_core::settings::Settings;
use confab_core::store::Db;
use confab_core::store::entities::message::MessageState;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use tokio::sync::mpsc;

/// The continuation request ends with this instruction.
const CONTINUE_MATCH: &str = "was cut off";

fn settings(auto_resume: u32) -> Settings {
    Settings {
        auto_resume,
        ..common::untitled_settings()
    }
}

async fn start(
    server: &Hostile,
    db: &Db,
    settings: Settings,
    config: EngineConfig,
) -> (Arc<ChatEngine>, String, String, Events) {
    let engine = engine_with(db, test_keychain(), server.endpoint(), settings, config).await;
    let (stream, rx, conversation) = send_new(&engine, db, "hello").await;
    (engine, conversation, stream, rx)
}

fn resumes(events: &[ChatEvent]) -> Vec<(u32, ErrorCode)> {
    events
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Resuming { attempt, code, .. } => Some((*attempt, *code)),
            _ => None,
        })
        .collect()
}

/// The first request gets `first`; a continuation request gets the rest of the reply.
fn cut_then_rest(first: Vec<Step>) -> impl Fn(&Received, usize) -> Answer + Send + Sync {
    move |request, _| {
        if request.last_message().contains(CONTINUE_MATCH) {
            Answer::reply(&[" and the", " end."])
        } else {
            Answer::sse(first.clone())
        }
    }
}

/// Checks the whole story of a resumed reply: shown once, stored once, complete, and the
/// continuation request carried exactly the text shown.
async fn assert_resumed(
    server: &Hostile,
    db: &Db,
    conversation: &str,
    events: &[ChatEvent],
    shown_first: &str,
) {
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("expected Done, got {:?}", events.last());
    };
    let whole = format!("{shown_first} and the end.");
    assert_eq!(
        streamed_text(events),
        whole,
        "each piece shown once, in order"
    );
    assert_eq!(message.content, whole);
    assert_eq!(message.state, MessageState::Complete);
    assert_eq!(message.meta.finish_reason.as_deref(), Some("stop"));
    assert_eq!(resumes(events).len(), 1, "{events:?}");
    let all = stored(db, conversation).await;
    assert_eq!(all.len(), 2, "one user message, one reply");
    assert_eq!(all[1], *message);

    let requests = server.chat_requests();
    assert_eq!(requests.len(), 2);
    let messages = requests[1].body["messages"]
        .as_array()
        .expect("a message list")
        .clone();
    let n = messages.len();
    assert_eq!(messages[n - 2]["role"], "assistant");
    assert_eq!(
        messages[n - 2]["content"],
        shown_first,
        "it goes on from what was shown"
    );
    assert!(requests[1].last_message().contains(CONTINUE_MATCH));
    assert_eq!(messages[n - 3]["content"], "hello");
}

#[tokio::test]
async fn a_dropped_connection_is_resumed_at_several_points() {
    let many: String = (0..40).map(|i| format!("w{i} ")).collect();
    let cases: Vec<(Vec<Step>, String)> = vec![
        // Right after the first chunk.
        (vec![send(&chunk("One")), Step::Drop], "One".into()),
        // In the middle of a line: the half chunk is never shown.
        (
            vec![
                send(&chunk("One")),
                send(&chunk(" two")),
                send(&chunk(" three")[..25]),
                Step::Drop,
            ],
            "One two".into(),
        ),
        // After many chunks, with a pause (the text was flushed to the UI already).
        (
            (0..40)
                .map(|i| send(&chunk(&format!("w{i} "))))
                .chain([Step::Pause(Duration::from_millis(50)), Step::Drop])
                .collect(),
            many,
        ),
    ];
    for (first, shown_first) in cases {
        let server = Hostile::start(cut_then_rest(first)).await;
        let temp = TempDb::new().await;
        let (_, conversation, _, mut rx) =
            start(&server, &temp.db, settings(2), test_config()).await;
        let events = events_until_end(&mut rx).await;
        assert_eq!(resumes(&events), [(1, ErrorCode::Network)]);
        assert_resumed(&server, &temp.db, &conversation, &events, &shown_first).await;
    }
}

#[tokio::test]
async fn a_stream_that_ends_without_a_finish_reason_is_resumed() {
    let server = Hostile::start(cut_then_rest(vec![
        send(&chunk("Half a")),
        send(&chunk(" thought")),
        send(DONE),
    ]))
    .await;
    let temp = TempDb::new().await;
    let (_, conversation, _, mut rx) = start(&server, &temp.db, settings(2), test_config()).await;
    let events = events_until_end(&mut rx).await;
    assert_resumed(&server, &temp.db, &conversation, &events, "Half a thought").await;
}

#[tokio::test]
async fn a_malformed_chunk_is_resumed() {
    let first = vec![
        send(&chunk("Before the break")),
        send("data: {\"choices\": [ this is not json\n\n"),
    ];
    let server = Hostile::start(cut_then_rest(first)).await;
    let temp = TempDb::new().await;
    let (_, conversation, _, mut rx) = start(&server, &temp.db, settings(2), test_config()).await;
    let events = events_until_end(&mut rx).await;
    assert_eq!(resumes(&events), [(1, ErrorCode::Provider)]);
    assert_resumed(
        &server,
        &temp.db,
        &conversation,
        &events,
        "Before the break",
    )
    .await;
}

#[tokio::test]
async fn resume_off_keeps_the_partial_reply_as_before() {
    let server = Hostile::start(cut_then_rest(vec![send(&chunk("Only this")), Step::Drop])).await;
    let temp = TempDb::new().await;
    let (_, conversation, _, mut rx) = start(&server, &temp.db, settings(0), test_config()).await;
    let events = events_until_end(&mut rx).await;
    assert!(resumes(&events).is_empty());
    let (code, partial_saved) = error_end(&events);
    assert_eq!((code, partial_saved), (ErrorCode::Network, true));
    let reply = &stored(&temp.db, &conversation).await[1];
    assert_eq!(
        (reply.content.as_str(), reply.state),
        ("Only this", MessageState::Partial)
    );
    assert_eq!(server.chat_requests().len(), 1, "no second request");
}

#[tokio::test]
async fn when_every_resume_fails_the_reply_stays_partial_with_all_its_text() {
    let server =
        Hostile::start(|_, n| Answer::sse(vec![send(&chunk(&format!("[part {n}]"))), Step::Drop]))
            .await;
    let temp = TempDb::new().await;
    let (_, conversation, _, mut rx) = start(&server, &temp.db, settings(2), test_config()).await;
    let events = events_until_end(&mut rx).await;
    assert_eq!(
        resumes(&events),
        [(1, ErrorCode::Network), (2, ErrorCode::Network)]
    );
    let Some(ChatEvent::Error {
        partial_saved: true,
        ..
    }) = events.last()
    else {
        panic!("expected Error, got {:?}", events.last());
    };
    let all = stored(&temp.db, &conversation).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].content, "[part 0][part 1][part 2]");
    assert_eq!(
        all[1].state,
        MessageState::Partial,
        "Continue is still offered"
    );
    assert_eq!(server.chat_requests().len(), 3);
}

#[tokio::test]
async fn cancel_during_the_resume_wait_stops_and_the_checkpoint_holds_the_text() {
    let server = Hostile::start(cut_then_rest(vec![send(&chunk("Shown text")), Step::Drop])).await;
    let temp = TempDb::new().await;
    // A long backoff, so the test acts while the engine waits to resume.
    let config = EngineConfig {
        retry: RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(20),
            max_delay: Duration::from_secs(20),
        },
        ..test_config()
    };
    let (engine, conversation, stream, mut rx) =
        start(&server, &temp.db, settings(2), config).await;
    loop {
        let event = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .unwrap()
            .unwrap();
        if let ChatEvent::Resuming { delay_ms, .. } = event {
            assert!(delay_ms >= 10_000, "{delay_ms}");
            break;
        }
    }
    // Crash safety across the wait: the checkpoint already holds everything shown.
    let rows = temp
        .db
        .conn()
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT content FROM stream_checkpoints",
        ))
        .await
        .unwrap();
    let saved: Vec<String> = rows
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    assert_eq!(saved, ["Shown text"]);

    engine.cancel(&stream).unwrap();
    let events = tokio::time::timeout(Duration::from_secs(5), events_until_end(&mut rx))
        .await
        .expect("cancel ends the wait at once");
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("expected Done, got {:?}", events.last());
    };
    assert_eq!(
        (message.content.as_str(), message.state),
        ("Shown text", MessageState::Cancelled)
    );
    assert_eq!(stored(&temp.db, &conversation).await.len(), 2);
    assert_eq!(server.chat_requests().len(), 1, "the resume was never sent");
}

#[tokio::test]
async fn a_resumed_continue_replaces_its_earlier_text_in_the_request() {
    // A reply left partial, then "Continue", whose stream is cut and resumed.
    let server = Hostile::start(|request, n| match n {
        0 => Answer::sse(vec![send(&chunk("Part one.")), send(DONE)]),
        1 => Answer::sse(vec![send(&chunk(" Part two.")), Step::Drop]),
        _ => {
            assert!(request.last_message().contains(CONTINUE_MATCH));
            Answer::sse(vec![
                send(&chunk(" Part three.")),
                send(&finish("stop")),
                send(DONE),
            ])
        }
    })
    .await;
    let temp = TempDb::new().await;
    let (engine, conversation, _, mut rx) =
        start(&server, &temp.db, settings(0), test_config()).await;
    events_until_end(&mut rx).await;
    engine.apply_settings(settings(1));
    let (tx, mut rx) = mpsc::unbounded_channel();
    engine
        .continue_reply(&conversation, Arc::new(tx))
        .await
        .unwrap();
    let events = events_until_end(&mut rx).await;
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("expected Done, got {:?}", events.last());
    };
    assert_eq!(message.content, "Part one. Part two. Part three.");
    assert_eq!(message.state, MessageState::Complete);
    assert_eq!(stored(&temp.db, &conversation).await.len(), 2);
    let last = &server.chat_requests()[2];
    let messages = last.body["messages"].as_array().unwrap();
    let assistant: Vec<_> = messages
        .iter()
        .filter(|m| m["role"] == "assistant")
        .collect();
    assert_eq!(assistant.len(), 1, "{messages:?}");
    assert_eq!(assistant[0]["content"], "Part one. Part two.");
    assert_eq!(
        messages
            .iter()
            .filter(|m| m["content"]
                .as_str()
                .is_some_and(|c| c.contains(CONTINUE_MATCH)))
            .count(),
        1
    );
}
