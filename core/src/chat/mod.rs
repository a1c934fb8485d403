//! The chat engine and the events it streams to the UI.

mod engine;

pub use engine::{ChatEngine, MAX_MESSAGE_BYTES};

use serde::Serialize;
use specta::Type;

use crate::error::ErrorCode;
use crate::store::messages::Message;

/// What one reply stream tells the UI, in order: `Started`, any number of `Delta`, then
/// exactly one of `Done` or `Error`.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(
    tag = "event",
    content = "data",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ChatEvent {
    /// The user message is stored; the request is on its way.
    Started {
        stream_id: String,
        user_message: Message,
    },
    /// More reply text, to append to what came before.
    Delta { text: String },
    /// The reply is stored (complete, or partial when the stream ended early).
    Done { message: Message },
    /// The reply failed; whatever text arrived is stored when `partial_saved`.
    Error {
        code: ErrorCode,
        message: String,
        partial_saved: bool,
    },
}

/// Where a stream's events go: the Tauri channel in the app, a collector in tests.
/// `emit` must not block; a sink whose receiver is gone drops events silently.
pub trait ChatSink: Send + Sync + 'static {
    fn emit(&self, event: ChatEvent);
}

impl ChatSink for tokio::sync::mpsc::UnboundedSender<ChatEvent> {
    fn emit(&self, event: ChatEvent) {
        // A closed receiver means nobody is listening any more; the reply is still stored.
        let _ = self.send(event);
    }
}
