//! Sending a message and reading what came back: the steps most chat tests share.

use std::sync::Arc;

use confab_core::ErrorCode;
use confab_core::chat::{ChatEngine, ChatEvent, ChatSink};
use confab_core::store::messages::Message;
use confab_core::store::{Db, conversations};
use tokio::sync::mpsc;

use super::events_until_end;

pub type Events = mpsc::UnboundedReceiver<ChatEvent>;

/// A sink for the engine and the receiving end a test reads.
pub fn channel() -> (Arc<dyn ChatSink>, Events) {
    let (tx, rx) = mpsc::unbounded_channel();
    (Arc::new(tx), rx)
}

/// A new, empty conversation; its id.
pub async fn new_conversation(db: &Db) -> String {
    conversations::create(db.conn(), None)
        .await
        .expect("conversation created")
        .id
}

/// The stored messages of a conversation, oldest first (up to 100).
pub async fn stored(db: &Db, conversation_id: &str) -> Vec<Message> {
    confab_core::store::tree::page(db.conn(), conversation_id, None, 100)
        .await
        .expect("messages read")
        .0
}

/// Sends `text` in `conversation`; the stream id and the receiver of its events.
pub async fn send_text(
    engine: &Arc<ChatEngine>,
    conversation: &str,
    text: &str,
) -> (String, Events) {
    let (sink, rx) = channel();
    let stream = engine
        .send_message(conversation, text, Vec::new(), sink)
        .await
        .expect("sent");
    (stream, rx)
}

/// Sends `text` in `conversation` and waits for the stream's `Done` or `Error`; its events,
/// and the receiver for anything that comes after (a generated title).
pub async fn send_to_end(
    engine: &Arc<ChatEngine>,
    conversation: &str,
    text: &str,
) -> (Vec<ChatEvent>, Events) {
    let (_, mut rx) = send_text(engine, conversation, text).await;
    let events = events_until_end(&mut rx).await;
    (events, rx)
}

/// Sends `text` in a new conversation; the stream id, its events so far and the
/// conversation id.
pub async fn send_new(engine: &Arc<ChatEngine>, db: &Db, text: &str) -> (String, Events, String) {
    let conversation = new_conversation(db).await;
    let (stream, rx) = send_text(engine, &conversation, text).await;
    (stream, rx, conversation)
}

/// The code and `partial_saved` of the `Error` a stream ended with; fails if it ended
/// another way.
pub fn error_end(events: &[ChatEvent]) -> (ErrorCode, bool) {
    match events.last() {
        Some(ChatEvent::Error {
            code,
            partial_saved,
            ..
        }) => (*code, *partial_saved),
        other => panic!("expected Error, got {other:?}"),
    }
}
