//! What a conversation sends: its own system prompt / preset messages, which messages are
//! in context, and a preview of the next request. Changes wait while a reply streams.

use super::Api;
use crate::chat::{ContextOverride, ContextPreview};
use crate::error::{Error, Result};
use crate::store::branches;
use crate::store::conversations;
use crate::store::messages::{self, Message};

impl Api {
    pub async fn get_context_override(&self, conversation_id: &str) -> Result<ContextOverride> {
        conversations::context_override(self.conn(), conversation_id).await
    }

    /// Refused (`Busy`) while a reply streams in the conversation, like every change below:
    /// it would race the reply.
    pub async fn set_context_override(
        &self,
        conversation_id: &str,
        value: ContextOverride,
    ) -> Result<ContextOverride> {
        self.engine.ensure_idle(conversation_id)?;
        conversations::set_context_override(self.conn(), conversation_id, value).await
    }

    pub async fn set_message_in_context(
        &self,
        message_id: &str,
        in_context: bool,
    ) -> Result<Message> {
        self.idle_message(message_id).await?;
        messages::set_in_context(self.conn(), message_id, in_context).await
    }

    pub async fn edit_message(&self, message_id: &str, content: &str) -> Result<Message> {
        self.idle_message(message_id).await?;
        messages::edit(self.conn(), message_id, content).await
    }

    /// Deletes a message and every message below it (its replies, their versions and what
    /// follows them). Returns how many went.
    pub async fn delete_message(&self, message_id: &str) -> Result<u64> {
        self.idle_message(message_id).await?;
        branches::delete_subtree(self.conn(), message_id).await
    }

    /// How many messages [`delete_message`](Self::delete_message) would delete: for the
    /// confirmation.
    pub async fn count_message_subtree(&self, message_id: &str) -> Result<u64> {
        branches::subtree_size(self.conn(), message_id).await
    }

    /// The raw request and response kept with a reply while debug capture was on, as
    /// indented JSON; `None` when none was kept.
    pub async fn get_message_debug(&self, message_id: &str) -> Result<Option<String>> {
        let record = messages::debug(self.conn(), message_id).await?;
        record
            .map(|value| serde_json::to_string_pretty(&value))
            .transpose()
            .map_err(|error| Error::internal("debug record", error))
    }

    /// Exactly what the next request of the conversation would send, and its token count.
    pub async fn preview_context(&self, conversation_id: &str) -> Result<ContextPreview> {
        let conversation = conversations::find(self.conn(), conversation_id).await?;
        let mut preview = crate::chat::preview_context(self.conn(), &conversation).await?;
        preview.knowledge = self
            .context_knowledge(conversation_id, conversation.agent_id.as_deref())
            .await?;
        Ok(preview)
    }

    /// `Busy` while a reply streams in the conversation of `message_id`.
    async fn idle_message(&self, message_id: &str) -> Result<()> {
        let message = messages::get(self.conn(), message_id).await?;
        self.engine.ensure_idle(&message.conversation_id)
    }
}
