//! Replies: start one (send, regenerate, continue, edit and resend, try an agent draft),
//! stop one, listen to a running one. Events go to a [`ChatSink`] the caller provides (the
//! shell's IPC channel).

use std::sync::Arc;

use super::Api;
use crate::agents::AgentInput;
use crate::chat::{ActiveStream, ChatSink, PromptMessage};
use crate::error::Result;

impl Api {
    /// Stores the message, then streams the reply to `sink`. Returns the stream id.
    pub async fn send_message(
        &self,
        conversation_id: &str,
        text: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        self.engine.send_message(conversation_id, text, sink).await
    }

    /// Replaces the last reply with a new one.
    pub async fn regenerate(
        &self,
        conversation_id: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        self.engine.regenerate(conversation_id, sink).await
    }

    /// Goes on with the last reply, which ended early.
    pub async fn continue_reply(
        &self,
        conversation_id: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        self.engine.continue_reply(conversation_id, sink).await
    }

    /// Changes a user message, drops what followed it, and streams a new reply.
    pub async fn edit_and_resend(
        &self,
        message_id: &str,
        text: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        self.engine.edit_and_resend(message_id, text, sink).await
    }

    /// Streams a reply of an unsaved agent to a try-out `history`; nothing is stored.
    pub async fn try_agent(
        &self,
        draft: AgentInput,
        history: Vec<PromptMessage>,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        self.engine.try_agent(draft, history, sink).await
    }

    /// Stops a reply; it is kept as `cancelled` with its text.
    pub fn cancel_stream(&self, stream_id: &str) -> Result<()> {
        self.engine.cancel(stream_id)
    }

    /// Adds `sink` as a listener of a running reply: a snapshot, then the live events.
    pub fn attach_stream(&self, stream_id: &str, sink: Arc<dyn ChatSink>) -> Result<()> {
        self.engine.attach(stream_id, sink)
    }

    pub fn list_active_streams(&self) -> Vec<ActiveStream> {
        self.engine.active_streams()
    }
}
