//! The chat engine and the events it streams to the UI.

mod attached;
mod budget;
mod capture;
mod context;
mod engine;
mod finish;
mod knowledge;
mod live;
mod outgoing;
mod progress;
mod reply;
mod resume;
mod retry;
mod route;
mod send;
mod slots;
mod title;
mod tools;
mod trial;
mod unsaved;

pub use attached::MAX_ATTACHMENTS;
pub use budget::{AttachmentFit, attachment_fit};
pub use context::preview as preview_context;
pub use context::{ContextPreview, fit, message_tokens, preset};
pub use engine::{ActiveStream, ChatEngine, EngineConfig};
pub use knowledge::{Retrieval, Retriever};
pub use outgoing::{GONE as ATTACHMENT_GONE, attachment_tokens, image_tokens};
pub use retry::RetryPolicy;
pub use tools::{HostCall, HostTool, ToolHost, ToolOutput, ToolProgress};
pub use trial::MAX_TRIAL_MESSAGES;
// The shared vocabulary, under the paths the chat API has always used.
pub use crate::vocab::{
    ContextOverride, ContextPolicy, MAX_MESSAGE_BYTES, PromptMessage, validate_override,
};

use serde::Serialize;
use specta::Type;

use crate::error::ErrorCode;
use crate::store::messages::Message;
use crate::vocab::Part;

/// What one reply stream tells the UI. In order: `Started` (or `Snapshot` for a channel that
/// attached later), then any of `Queued`, `Retrying`, `Heartbeat`, `Reasoning`, `Delta`, `Usage`,
/// `Resuming`, `ToolCall`, `ToolProgress`, `ToolResult`, then exactly one of `Done` or
/// `Error`, then possibly `Title`.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(
    tag = "event",
    content = "data",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ChatEvent {
    /// The request is on its way; `user_message` is the message being answered. A reply
    /// that continues an unfinished one names it in `continues_message_id` and starts from
    /// its `text`; the continued message is replaced when the reply is stored.
    Started {
        stream_id: String,
        conversation_id: String,
        user_message: Message,
        continues_message_id: Option<String>,
        /// The text the reply starts from: empty unless it continues an earlier one.
        text: String,
    },
    /// Sent first to a channel that attached to a running stream: the text and the
    /// reasoning so far.
    Snapshot {
        stream_id: String,
        conversation_id: String,
        /// The text and reasoning of the current step...
        text: String,
        reasoning: String,
        /// ...after the finished ones: text, reasoning, tool calls and results, in order.
        steps: Vec<Part>,
        /// Calls in `steps` that wait for the person's approval.
        awaiting_approval: Vec<String>,
    },
    /// Waiting for a free slot (`concurrency`) or for the provider's rate limit (`rate_limit`).
    Queued { reason: QueueReason },
    /// The provider failed before any text; trying again after `delay_ms`.
    Retrying {
        attempt: u32,
        delay_ms: u32,
        code: ErrorCode,
        message: String,
    },
    /// The stream was cut after text was shown (the connection dropped, it ended without a
    /// finish reason, a chunk was garbled); after `delay_ms` the reply is asked to go on
    /// from its text so far. Its new text arrives as more `Delta`s after what was shown,
    /// and it is stored once, as one message.
    Resuming {
        attempt: u32,
        delay_ms: u32,
        code: ErrorCode,
        message: String,
    },
    /// Still waiting for the first text, `waited_ms` after the request went out.
    Heartbeat { waited_ms: u32 },
    /// More reply text, to append to what came before.
    Delta { text: String },
    /// More of the model's reasoning, to append to what came before. Comes before the
    /// answer's text; shown apart from it and never sent back to the model.
    Reasoning { text: String },
    /// The model asked to run a tool. The text and reasoning before it are finished: what
    /// follows the step's results starts anew. Sent again when its status changes.
    ToolCall {
        call_id: String,
        /// The name the model called it by.
        name: String,
        /// The server it runs on (`None`: no such tool).
        server: Option<String>,
        /// As the model wrote them (JSON text, possibly malformed).
        arguments: String,
        status: ToolStatus,
    },
    /// How far a running tool has come.
    ToolProgress {
        call_id: String,
        progress: f64,
        total: Option<f64>,
        message: Option<String>,
    },
    /// The knowledge bases were searched before the request: the `Retrieval` part and
    /// the citations the reply starts with (they are stored with it).
    Retrieved { parts: Vec<Part> },
    /// What a call gave back (or why it did not run); goes back to the model.
    ToolResult {
        call_id: String,
        content: String,
        is_error: bool,
        duration_ms: u32,
    },
    /// Token counts reported by the provider.
    Usage {
        prompt_tokens: u32,
        completion_tokens: u32,
    },
    /// The reply is stored: complete, partial (ended early) or cancelled.
    Done { message: Message },
    /// The reply failed; whatever text arrived is stored when `partial_saved`.
    Error {
        code: ErrorCode,
        message: String,
        partial_saved: bool,
    },
    /// The conversation got a generated title.
    Title {
        conversation_id: String,
        title: String,
    },
}

/// Where a tool call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ToolStatus {
    /// Waiting for the person to allow or deny it (`answer_tool_call`).
    AwaitingApproval,
    Running,
    /// It will not run (no such tool, bad arguments, the step limit); its result says why.
    Refused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum QueueReason {
    Concurrency,
    RateLimit,
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
