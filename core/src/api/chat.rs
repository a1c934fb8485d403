//! Replies: start one (send, regenerate, continue, edit and resend, try an agent draft),
//! stop one, listen to a running one. Events go to a [`ChatSink`] the caller provides (the
//! shell's IPC channel).

use std::sync::Arc;

use super::Api;
use crate::agents::AgentInput;
use crate::chat::{ActiveStream, AttachmentFit, ChatSink, PromptMessage};
use crate::error::Result;
use crate::store::conversations;
use crate::vocab::{Part, ToolDecision};

impl Api {
    /// Stores the message (its text and the attachments attached earlier), then streams
    /// the reply to `sink`. Returns the stream id.
    pub async fn send_message(
        &self,
        conversation_id: &str,
        text: &str,
        attachments: Vec<Part>,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        self.engine
            .send_message(conversation_id, text, attachments, sink)
            .await
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

    /// Writes a new version of a user message (text and attachments) and streams a reply.
    pub async fn edit_and_resend(
        &self,
        message_id: &str,
        text: &str,
        attachments: Vec<Part>,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        self.engine
            .edit_and_resend(message_id, text, attachments, sink)
            .await
    }

    /// Whether an attachment fits the conversation's context budget, and if not, how many
    /// first pages of it do.
    pub async fn attachment_fit(
        &self,
        conversation_id: &str,
        sha256: &str,
    ) -> Result<AttachmentFit> {
        let conversation = conversations::find(self.conn(), conversation_id).await?;
        crate::chat::attachment_fit(self.conn(), &conversation, sha256).await
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
    /// The person's answer to a tool call a running reply waits on (the approval card).
    pub fn answer_tool_call(
        &self,
        stream_id: &str,
        call_id: &str,
        decision: ToolDecision,
    ) -> Result<()> {
        self.engine.answer_tool_call(stream_id, call_id, decision)
    }

    pub fn attach_stream(&self, stream_id: &str, sink: Arc<dyn ChatSink>) -> Result<()> {
        self.engine.attach(stream_id, sink)
    }

    pub fn list_active_streams(&self) -> Vec<ActiveStream> {
        self.engine.active_streams()
    }
}
