//! A reply while it streams: who is listening and the text they have been sent, so a
//! channel can attach later (after a webview reload) and miss nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

use super::{ChatEvent, ChatSink};
use crate::store::now_ms;
use crate::vocab::{Part, ToolDecision};

/// Why a stream was cancelled; decides how the reply is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelReason {
    /// The user pressed stop: stored as `cancelled`.
    User,
    /// The app is quitting: stored as `partial`, reason `app_exit`.
    AppExit,
}

pub struct LiveStream {
    pub stream_id: String,
    pub conversation_id: String,
    pub started_at: i64,
    pub cancel: CancellationToken,
    /// A try-out of an unsaved agent (see `trial`): nothing of it is stored.
    pub trial: bool,
    inner: Mutex<Inner>,
}

struct Inner {
    /// The text sent in `Delta` events since the last tool step.
    text: String,
    /// The reasoning sent in `Reasoning` events since the last tool step.
    reasoning: String,
    /// The finished steps: earlier text and reasoning, tool calls and results.
    steps: Vec<Part>,
    /// Calls waiting for the person's answer.
    approvals: HashMap<String, oneshot::Sender<ToolDecision>>,
    sinks: Vec<Arc<dyn ChatSink>>,
    cancel_reason: Option<CancelReason>,
    streaming: bool,
    /// The last `Queued`, `Retrying` or `Heartbeat` before the first text, so a channel
    /// that attaches while the reply waits learns what it is waiting for.
    waiting: Option<ChatEvent>,
}

impl LiveStream {
    pub fn new(stream_id: String, conversation_id: String, sink: Arc<dyn ChatSink>) -> Self {
        Self {
            stream_id,
            conversation_id,
            started_at: now_ms(),
            cancel: CancellationToken::new(),
            trial: false,
            inner: Mutex::new(Inner {
                text: String::new(),
                reasoning: String::new(),
                steps: Vec::new(),
                approvals: HashMap::new(),
                sinks: vec![sink],
                cancel_reason: None,
                streaming: false,
                waiting: None,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends `event` to every listener.
    pub fn emit(&self, event: ChatEvent) {
        let mut inner = self.lock();
        if matches!(
            event,
            ChatEvent::Queued { .. } | ChatEvent::Retrying { .. } | ChatEvent::Heartbeat { .. }
        ) {
            inner.waiting = Some(event.clone());
        }
        for sink in &inner.sinks {
            sink.emit(event.clone());
        }
    }

    /// Appends `text` to the reply and sends it to every listener, as one step: a channel
    /// attaching meanwhile gets it either in its snapshot or as a delta, never both.
    pub fn push_text(&self, text: String) {
        let mut inner = self.lock();
        inner.text.push_str(&text);
        inner.streaming = true;
        let event = ChatEvent::Delta { text };
        for sink in &inner.sinks {
            sink.emit(event.clone());
        }
    }

    /// Appends `text` to the reply's reasoning and sends it to every listener, as one step.
    pub fn push_reasoning(&self, text: String) {
        let mut inner = self.lock();
        inner.reasoning.push_str(&text);
        inner.streaming = true;
        let event = ChatEvent::Reasoning { text };
        for sink in &inner.sinks {
            sink.emit(event.clone());
        }
    }

    /// Ends the current text and reasoning (a tool step follows): they become `parts` of
    /// the finished steps, and the next text starts anew.
    pub fn end_segment(&self, parts: Vec<Part>) {
        let mut inner = self.lock();
        inner.steps.extend(parts);
        inner.text.clear();
        inner.reasoning.clear();
    }

    /// Adds a tool call or result to the finished steps and sends `event` about it, as one
    /// step (a channel attaching meanwhile misses nothing).
    pub fn push_step(&self, part: Option<Part>, event: ChatEvent) {
        let mut inner = self.lock();
        inner.steps.extend(part);
        for sink in &inner.sinks {
            sink.emit(event.clone());
        }
    }

    /// Adds parts the reply starts with (its sources) to the finished steps and sends
    /// `event` about them, as one step.
    pub fn push_steps(&self, parts: Vec<Part>, event: ChatEvent) {
        let mut inner = self.lock();
        inner.steps.extend(parts);
        for sink in &inner.sinks {
            sink.emit(event.clone());
        }
    }

    /// Waits for the person's answer to the call `call_id`; `None` when the reply ends first.
    pub fn ask(&self, call_id: &str) -> oneshot::Receiver<ToolDecision> {
        let (answer, asked) = oneshot::channel();
        self.lock().approvals.insert(call_id.to_string(), answer);
        asked
    }

    /// Gives the person's answer to a call that waits for it; false when none waits.
    pub fn answer(&self, call_id: &str, decision: ToolDecision) -> bool {
        let waiting = self.lock().approvals.remove(call_id);
        waiting.is_some_and(|answer| answer.send(decision).is_ok())
    }

    /// Starts the text with what an earlier, unfinished reply already said (a
    /// continuation), without sending it: the listeners already have it.
    pub fn seed_text(&self, text: &str) {
        self.lock().text.push_str(text);
    }

    /// Adds a listener; it first receives the text so far.
    pub fn attach(&self, sink: Arc<dyn ChatSink>) {
        let mut inner = self.lock();
        sink.emit(ChatEvent::Snapshot {
            stream_id: self.stream_id.clone(),
            conversation_id: self.conversation_id.clone(),
            text: inner.text.clone(),
            reasoning: inner.reasoning.clone(),
            steps: inner.steps.clone(),
            awaiting_approval: inner.approvals.keys().cloned().collect(),
        });
        if let Some(waiting) = inner.waiting.as_ref().filter(|_| !inner.streaming) {
            sink.emit(waiting.clone());
        }
        inner.sinks.push(sink);
    }

    pub fn cancel(&self, reason: CancelReason) {
        self.lock().cancel_reason.get_or_insert(reason);
        self.cancel.cancel();
    }

    pub fn cancel_reason(&self) -> Option<CancelReason> {
        self.lock().cancel_reason
    }

    /// Length in bytes of the text sent so far, and whether text has started.
    pub fn progress(&self) -> (usize, bool) {
        let inner = self.lock();
        (inner.text.len(), inner.streaming)
    }
}
