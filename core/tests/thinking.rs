//! A reasoning model's reply through the whole engine: the thinking streams as `Reasoning`
//! events, is stored as a reasoning part beside the answer, is counted, survives a crash
//! in a checkpoint, and is never sent back to the model. The provider is the in-process
//! server of `common::hostile` on 127.0.0.1 (aimock has no reasoning fields).

mod common;
#[path = "common/history.rs"]
mod history;

use common::hostile::{Answer, DONE, Hostile, send};
use common::stream::{new_conversation, send_to_end, stored};
use common::{TempDb, engine, test_keychain};
use confab_core::chat::ChatEvent;
use confab_core::store::checkpoints::{self, Checkpoint};
use confab_core::store::entities::message::MessageState;
use confab_core::vocab::Part;
use serde_json::{Value, json};

fn event(delta: Value, finish: Option<&str>) -> String {
    let json = json!({
        "id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "deepseek-reasoner",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    });
    format!("data: {json}\n\n")
}

fn usage() -> String {
    let json = json!({
        "id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "deepseek-reasoner",
        "choices": [],
        "usage": {"prompt_tokens": 12, "completion_tokens": 40,
                  "completion_tokens_details": {"reasoning_tokens": 30},
                  "prompt_cache_hit_tokens": 8},
    });
    format!("data: {json}\n\n")
}

/// DeepSeek style: `reasoning_content` first, then the answer, then usage.
fn thinking_then_answer(thought: &str, answer: &str) -> Answer {
    Answer::sse(vec![
        send(&event(
            json!({"role": "assistant", "reasoning_content": thought}),
            None,
        )),
        send(&event(json!({"reasoning_content": " Then answer."}), None)),
        send(&event(json!({"content": answer}), None)),
        send(&event(json!({}), Some("stop"))),
        send(&usage()),
        send(DONE),
    ])
}

#[tokio::test]
async fn thinking_streams_apart_is_stored_as_a_part_and_is_never_sent_back() {
    let server = Hostile::start(|_, n| {
        if n == 0 {
            thinking_then_answer("The user greets me.", "Hello!")
        } else {
            thinking_then_answer("Again.", "Hello again!")
        }
    })
    .await;
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;

    let (events, _) = send_to_end(&engine, &conversation, "hi").await;
    let reasoning: String = events
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Reasoning { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(reasoning, "The user greets me. Then answer.");
    let first_reasoning = events
        .iter()
        .position(|e| matches!(e, ChatEvent::Reasoning { .. }))
        .unwrap();
    let first_delta = events
        .iter()
        .position(|e| matches!(e, ChatEvent::Delta { .. }))
        .unwrap();
    assert!(first_reasoning < first_delta, "{events:?}");
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("{events:?}")
    };
    assert_eq!(message.content, "Hello!", "the answer is the text alone");
    assert!(matches!(
        message.parts.as_slice(),
        [Part::Reasoning { text, duration_ms: Some(_) }, Part::Text { text: answer }]
            if text == "The user greets me. Then answer." && answer == "Hello!"
    ));
    let meta = &message.meta;
    assert_eq!(
        (meta.reasoning_tokens, meta.cached_tokens),
        (Some(30), Some(8))
    );
    assert!(meta.first_reasoning_ms.unwrap() <= meta.first_token_ms.unwrap());

    // Read back from the file: the same parts.
    let again = stored(&temp.db, &conversation).await;
    assert_eq!(again[1].parts, message.parts);

    // The next request carries the earlier answer, never its thinking.
    send_to_end(&engine, &conversation, "and again").await;
    let second = &server.chat_requests()[1];
    let body = second.body.to_string();
    assert!(body.contains("Hello!"), "{body}");
    assert!(!body.contains("The user greets me"), "{body}");
    assert!(!body.contains("reasoning"), "{body}");
}

#[tokio::test]
async fn a_reply_that_only_thought_before_the_connection_dropped_keeps_its_thinking() {
    let server = Hostile::start(|_, _| {
        Answer::sse(vec![
            send(&event(json!({"reasoning_content": "Half a thought"}), None)),
            common::hostile::Step::Drop,
        ])
    })
    .await;
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;
    let (events, _) = send_to_end(&engine, &conversation, "hi").await;
    assert!(
        matches!(
            events.last(),
            Some(ChatEvent::Error {
                partial_saved: true,
                ..
            })
        ),
        "{events:?}"
    );
    let replies = stored(&temp.db, &conversation).await;
    let reply = &replies[1];
    assert_eq!(reply.state, MessageState::Partial);
    assert_eq!(reply.content, "");
    assert!(
        matches!(reply.parts.as_slice(), [Part::Reasoning { text, .. }] if text == "Half a thought")
    );
}

#[tokio::test]
async fn a_crash_while_thinking_recovers_the_thinking_under_its_question() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let conversation = new_conversation(&temp.db).await;
    let question = history::add(
        &temp.db,
        &conversation,
        confab_core::vocab::Role::User,
        "why?",
        MessageState::Complete,
        Default::default(),
    )
    .await;
    checkpoints::save(
        db,
        Checkpoint {
            stream_id: "s1",
            conversation_id: &conversation,
            model: "deepseek-reasoner",
            content: "",
            reasoning: "Still thinking",
            steps: &[],
            started_at: 1,
            parent: Some(&question.id),
            continues: None,
        },
    )
    .await
    .unwrap();
    let recovered = checkpoints::recover(db).await.unwrap().recovered;
    assert_eq!(recovered.len(), 1);
    let reply = &recovered[0];
    assert_eq!(reply.parent_id.as_deref(), Some(question.id.as_str()));
    assert_eq!(
        reply.state,
        MessageState::Partial,
        "thinking is not nothing"
    );
    assert!(
        matches!(reply.parts.as_slice(), [Part::Reasoning { text, .. }] if text == "Still thinking")
    );
}
