//! The debug capture setting: with it on, a reply keeps the request as sent (without
//! headers, so without the key) and the provider's chunks as received; with it off, nothing.
//! Against aimock on 127.0.0.1, with the key in a private keychain.

mod common;

use std::sync::Arc;

use common::{
    Aimock, TempDb, engine_with, events_until_end, test_config, test_keychain, test_settings,
};
use confab_core::chat::{ChatEvent, ChatSink};
use confab_core::providers::builtin;
use confab_core::settings::Settings;
use confab_core::store::{conversations, messages};
use serde_json::json;
use tokio::sync::mpsc;

const KEY: &str = "sk-debug-capture-test-0f9e8d7c6b5a";

async fn reply_debug(capture: bool) -> Option<serde_json::Value> {
    let server = Aimock::start_with_env(
        json!({"fixtures": [
            {"match": {"userMessage": "capture me"},
             "response": {"content": "Captured reply, in pieces."},
             "streamingProfile": {"ttft": 10, "tps": 200}}
        ]}),
        &[("AIMOCK_API_KEYS", KEY)],
    );
    let temp = TempDb::new().await;
    let keychain = test_keychain();
    common::set_builtin_key(&temp.db, &keychain, KEY).await;
    let settings = Settings {
        debug_capture: capture,
        ..test_settings()
    };
    let engine = engine_with(
        &temp.db,
        keychain.clone(),
        server.endpoint(),
        settings,
        test_config(),
    )
    .await;
    let conversation = conversations::create(temp.db.conn(), None)
        .await
        .expect("created");
    let (tx, mut rx) = mpsc::unbounded_channel();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    engine
        .send_message(&conversation.id, "capture me", Vec::new(), sink)
        .await
        .expect("sent");
    let events = events_until_end(&mut rx).await;
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("the reply ends well: {:?}", events.last());
    };
    assert_eq!(message.content, "Captured reply, in pieces.");
    let record = messages::debug(temp.db.conn(), &message.id)
        .await
        .expect("read");
    keychain
        .delete(&builtin::key_account())
        .expect("key removed");
    record
}

#[tokio::test]
async fn with_capture_on_the_reply_keeps_the_request_and_the_raw_chunks_but_never_the_key() {
    let record = reply_debug(true).await.expect("a debug record");
    let request = &record["request"];
    assert!(
        request["url"]
            .as_str()
            .is_some_and(|url| url.ends_with("/v1/chat/completions")),
        "{request}"
    );
    assert_eq!(request["body"]["model"], "gpt-4o-mini");
    assert_eq!(request["body"]["stream"], true);
    let sent = request["body"]["messages"].as_array().expect("messages");
    assert_eq!(sent.last().expect("one")["content"], "capture me");

    let chunks = record["response"]["chunks"].as_array().expect("chunks");
    assert!(
        chunks.len() > 2,
        "the reply came in several chunks: {}",
        chunks.len()
    );
    let text: String = chunks
        .iter()
        .filter_map(|chunk| chunk["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(
        text, "Captured reply, in pieces.",
        "the chunks are the provider's own"
    );
    assert!(
        chunks
            .iter()
            .all(|chunk| chunk["object"] == "chat.completion.chunk")
    );
    assert_eq!(record["response"]["chunksNotKept"], 0);
    assert!(
        !record.to_string().contains(KEY),
        "the key is never in the record"
    );
}

#[tokio::test]
async fn with_capture_off_nothing_is_kept() {
    assert_eq!(reply_debug(false).await, None);
}
