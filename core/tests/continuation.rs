//! "Continue": a reply that ended early (cut off, cancelled, interrupted by a crash) is
//! carried on by the model and stored over the unfinished one. Real SQLite files; aimock on
//! 127.0.0.1. Also the one fault aimock cannot produce, on the in-process hostile server: a
//! malformed chunk in the middle of a stream.

mod common;

use std::sync::Arc;

use common::hostile::{Answer, Hostile, Step, chunk, send};
use common::stream::{channel, error_end, new_conversation, send_to_end, stored};
use common::{Aimock, TempDb, engine, events_until_end, streamed_text, test_keychain};
use confab_core::ErrorCode;
use confab_core::chat::ChatEvent;
use confab_core::store::checkpoints::{self, Checkpoint};
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::StopReason;
use confab_core::store::messages::{self, MessageMeta, NewMessage};
use confab_core::store::{Db, conversations};
use serde_json::json;

/// The continuation request ends with this instruction; fixtures match on a piece of it.
const CONTINUE_MATCH: &str = "was cut off";

fn last_request(journal: &serde_json::Value) -> serde_json::Value {
    journal
        .as_array()
        .expect("the journal is a list")
        .iter()
        .rev()
        .find_map(|entry| entry.pointer("/body/messages"))
        .expect("a chat request was recorded")
        .clone()
}

/// A conversation whose reply to "hello" stopped without a finish reason.
async fn cut_off_reply(server: &Aimock, db: &Db) -> (Arc<confab_core::chat::ChatEngine>, String) {
    let engine = engine(db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(db).await;
    let (events, _rx) = send_to_end(&engine, &conversation, "hello").await;
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("expected Done, got {:?}", events.last());
    };
    assert_eq!(message.state, MessageState::Partial);
    (engine, conversation)
}

fn cut_off_fixture() -> serde_json::Value {
    json!({"match": {"userMessage": "hello"},
           "response": {"content": "The first half", "finishReason": ""}})
}

#[tokio::test]
async fn a_cut_off_reply_is_continued_and_stored_over_the_old_one() {
    let server = Aimock::start(json!({"fixtures": [
        cut_off_fixture(),
        {"match": {"userMessage": CONTINUE_MATCH}, "response": {"content": " and the second half."}},
    ]}));
    let temp = TempDb::new().await;
    let (engine, conversation) = cut_off_reply(&server, &temp.db).await;
    let before = stored(&temp.db, &conversation).await;
    let unfinished = before[1].clone();

    let (sink, mut rx) = channel();
    engine
        .continue_reply(&conversation, sink)
        .await
        .expect("continued");
    let events = events_until_end(&mut rx).await;

    let ChatEvent::Started {
        user_message,
        continues_message_id,
        text,
        ..
    } = &events[0]
    else {
        panic!("first event is Started, got {:?}", events[0]);
    };
    assert_eq!(
        continues_message_id.as_deref(),
        Some(unfinished.id.as_str())
    );
    assert_eq!(
        text, "The first half",
        "the reply starts from its earlier text"
    );
    assert_eq!(user_message.id, before[0].id, "it answers the same message");
    assert_eq!(
        streamed_text(&events),
        " and the second half.",
        "only new text streams"
    );
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("expected Done, got {:?}", events.last());
    };
    assert_eq!(
        message.id, unfinished.id,
        "the unfinished reply is replaced"
    );
    assert_eq!(message.content, "The first half and the second half.");
    assert_eq!(message.state, MessageState::Complete);
    assert_eq!(message.meta.finish_reason.as_deref(), Some("stop"));
    assert_eq!(message.meta.reason, None);

    let after = stored(&temp.db, &conversation).await;
    assert_eq!(after.len(), 2, "no second reply was added");
    assert_eq!(after[1], *message);

    // The model saw the unfinished text as its own, then the instruction; no ids or times.
    let request = last_request(&server.journal().await);
    let messages = request.as_array().expect("messages");
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[0], json!({"role": "user", "content": "hello"}));
    assert_eq!(
        messages[1],
        json!({"role": "assistant", "content": "The first half"})
    );
    assert_eq!(messages[2]["role"], "user");
    assert!(
        messages[2]["content"]
            .as_str()
            .is_some_and(|text| text.contains(CONTINUE_MATCH)),
        "{request}"
    );
    assert!(!engine.is_streaming(&conversation));
}

#[tokio::test]
async fn a_continuation_that_fails_keeps_the_earlier_text() {
    let server = Aimock::start(json!({"fixtures": [
        cut_off_fixture(),
        {"match": {"userMessage": CONTINUE_MATCH},
         "response": {"error": {"message": "forbidden", "type": "invalid_request_error"}, "status": 403}},
    ]}));
    let temp = TempDb::new().await;
    let (engine, conversation) = cut_off_reply(&server, &temp.db).await;
    let unfinished = stored(&temp.db, &conversation).await[1].clone();

    let (sink, mut rx) = channel();
    engine
        .continue_reply(&conversation, sink)
        .await
        .expect("started");
    let events = events_until_end(&mut rx).await;
    let (code, partial_saved) = error_end(&events);
    // No key is set, so the refusal reads as a missing key; it is not retried.
    assert_eq!(code, ErrorCode::NoApiKey);
    assert!(partial_saved, "the earlier text is still stored");

    let after = stored(&temp.db, &conversation).await;
    assert_eq!(after.len(), 2);
    assert_eq!(after[1].id, unfinished.id);
    assert_eq!(after[1].content, "The first half", "nothing was lost");
    assert_eq!(after[1].state, MessageState::Partial);
    assert_eq!(after[1].meta.error_code, Some(ErrorCode::NoApiKey));
}

#[tokio::test]
async fn only_an_unfinished_last_reply_can_be_continued() {
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "hello"}, "response": {"content": "A whole answer."}},
    ]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;

    // Nothing yet.
    let (sink, _rx) = channel();
    let empty = engine
        .continue_reply(&conversation, sink)
        .await
        .unwrap_err();
    assert_eq!(
        common::problem_of(&empty),
        (String::new(), confab_core::Rule::NothingToContinue)
    );

    // A complete reply.
    send_to_end(&engine, &conversation, "hello").await;
    let before = stored(&temp.db, &conversation).await;
    let (sink, _rx) = channel();
    let complete = engine
        .continue_reply(&conversation, sink)
        .await
        .unwrap_err();
    assert_eq!(
        common::problem_of(&complete),
        (String::new(), confab_core::Rule::NothingToContinue)
    );
    assert_eq!(
        stored(&temp.db, &conversation).await,
        before,
        "nothing changed"
    );
    assert!(
        !engine.is_streaming(&conversation),
        "the refusal frees the conversation"
    );

    // An unknown conversation.
    let (sink, _rx) = channel();
    let missing = engine.continue_reply("no-such-id", sink).await.unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn continuing_while_a_reply_streams_is_busy() {
    let server = Aimock::start(json!({"fixtures": [
        cut_off_fixture(),
        {"match": {"userMessage": CONTINUE_MATCH}, "response": {"content": " more, slowly"},
         "streamingProfile": {"ttft": 400, "tps": 10}},
    ]}));
    let temp = TempDb::new().await;
    let (engine, conversation) = cut_off_reply(&server, &temp.db).await;

    let (sink, mut rx) = channel();
    engine.continue_reply(&conversation, sink).await.unwrap();
    let (second, _rx2) = channel();
    let busy = engine
        .continue_reply(&conversation, second)
        .await
        .unwrap_err();
    assert_eq!(busy.code(), ErrorCode::Busy);
    let events = events_until_end(&mut rx).await;
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("expected Done, got {:?}", events.last());
    };
    assert_eq!(message.content, "The first half more, slowly");
}

#[tokio::test]
async fn a_continuation_interrupted_by_a_crash_updates_the_reply_it_continued() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let conversation = conversations::create(db, None).await.unwrap().id;
    let reply = |role, content, state| NewMessage {
        conversation_id: &conversation,
        role,
        parent: confab_core::store::messages::Parent::Leaf,
        parts: confab_core::vocab::text_parts_of(content),
        state,
        meta: MessageMeta::default(),
    };
    messages::append(db, reply(Role::User, "hello", MessageState::Complete))
        .await
        .unwrap();
    let unfinished = messages::append(
        db,
        reply(Role::Assistant, "The first half", MessageState::Partial),
    )
    .await
    .unwrap();
    // What a continuation's checkpoint holds when the process dies: the whole text.
    checkpoints::save(
        db,
        Checkpoint {
            stream_id: "stream-1",
            conversation_id: &conversation,
            model: "gpt-4o-mini",
            content: "The first half and some more",
            reasoning: "",
            steps: &[],
            started_at: 1,
            parent: None,
            continues: Some(&unfinished.id),
        },
    )
    .await
    .unwrap();

    let recovered = checkpoints::recover(db).await.unwrap().recovered;
    assert_eq!(recovered.len(), 1);
    assert_eq!(recovered[0].id, unfinished.id);
    let after = stored(&temp.db, &conversation).await;
    assert_eq!(after.len(), 2, "recovery added no second reply");
    assert_eq!(after[1].content, "The first half and some more");
    assert_eq!(after[1].state, MessageState::Partial);
    assert_eq!(after[1].meta.reason, Some(StopReason::AppExit));
    assert!(
        checkpoints::recover(db).await.unwrap().recovered.is_empty(),
        "the checkpoint is gone"
    );
}

#[tokio::test]
async fn deleting_a_continued_reply_drops_its_checkpoint() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let conversation = conversations::create(db, None).await.unwrap().id;
    let unfinished = messages::append(
        db,
        NewMessage {
            conversation_id: &conversation,
            role: Role::Assistant,
            parent: confab_core::store::messages::Parent::Leaf,
            parts: confab_core::vocab::text_parts_of("text"),
            state: MessageState::Partial,
            meta: MessageMeta::default(),
        },
    )
    .await
    .unwrap();
    checkpoints::save(
        db,
        Checkpoint {
            stream_id: "stream-2",
            conversation_id: &conversation,
            model: "m",
            content: "text and more",
            reasoning: "",
            steps: &[],
            started_at: 1,
            parent: None,
            continues: Some(&unfinished.id),
        },
    )
    .await
    .unwrap();
    confab_core::store::branches::delete_subtree(db, &unfinished.id)
        .await
        .unwrap();
    assert!(checkpoints::recover(db).await.unwrap().recovered.is_empty());
}

/// aimock cannot send a malformed chunk in the middle of a stream (its chaos mode breaks
/// whole bodies), so this one test uses the in-process hostile server: one good chunk, then
/// a line that is not JSON. Resuming is off here (`test_settings`); `auto_resume.rs` tests
/// the same fault resumed.
#[tokio::test]
async fn a_malformed_chunk_mid_stream_keeps_the_text_that_arrived() {
    let server = Hostile::start(|_, _| {
        Answer::sse(vec![
            send(&chunk("Before the break")),
            Step::Pause(std::time::Duration::from_millis(50)),
            send("data: {\"choices\": [ this is not json\n\n"),
            Step::Pause(std::time::Duration::from_millis(50)),
        ])
    })
    .await;

    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;
    let (events, _rx) = send_to_end(&engine, &conversation, "hello").await;

    assert_eq!(streamed_text(&events), "Before the break");
    let Some(ChatEvent::Error {
        code,
        message,
        partial_saved,
    }) = events.last()
    else {
        panic!("expected Error, got {:?}", events.last());
    };
    assert_eq!(*code, ErrorCode::Provider, "{message}");
    assert!(*partial_saved);
    assert!(
        !events
            .iter()
            .any(|event| matches!(event, ChatEvent::Retrying { .. })),
        "never retried after text was shown"
    );
    let after = stored(&temp.db, &conversation).await;
    assert_eq!(after.len(), 2);
    assert_eq!(after[1].content, "Before the break");
    assert_eq!(after[1].state, MessageState::Partial);
    assert_eq!(after[1].meta.reason, Some(StopReason::ProviderError));
}
