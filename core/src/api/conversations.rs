//! Conversations: create, list, open (its latest page of messages), page back, rename,
//! pin, archive, search, delete.

use serde::Serialize;
use specta::Type;

use super::Api;
use crate::error::Result;
use crate::store::conversations::{self, Conversation, ConversationQuery};
use crate::store::messages::{self, Message};
use crate::store::search::{self, SearchHit};
use crate::store::{branches, tree};

/// How many of its latest messages a conversation opens with.
pub const OPEN_PAGE: u64 = 200;

/// The most messages one [`Api::list_messages`] call returns, whatever it asks for.
pub const MAX_PAGE: u32 = 1000;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConversationDetail {
    pub conversation: Conversation,
    /// The latest messages, oldest first.
    pub messages: Vec<Message>,
    /// Whether older messages exist beyond `messages`.
    pub has_more: bool,
}

/// Older messages of a conversation, oldest first.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// Whether messages older than these exist.
    pub has_more: bool,
}

impl Api {
    pub async fn create_conversation(&self, title: Option<&str>) -> Result<Conversation> {
        conversations::create(self.conn(), title).await
    }

    /// A conversation started from an agent; the UI shows the agent's greetings.
    pub async fn create_conversation_with_agent(
        &self,
        title: Option<&str>,
        agent_id: &str,
    ) -> Result<Conversation> {
        conversations::create_with_agent(self.conn(), title, Some(agent_id)).await
    }

    pub async fn list_conversations(&self, query: &ConversationQuery) -> Result<Vec<Conversation>> {
        conversations::list(self.conn(), query).await
    }

    pub async fn rename_conversation(&self, id: &str, title: &str) -> Result<Conversation> {
        conversations::rename_by_user(self.conn(), id, title).await
    }

    pub async fn set_conversation_pinned(&self, id: &str, pinned: bool) -> Result<Conversation> {
        conversations::set_pinned(self.conn(), id, pinned).await
    }

    /// Turns the agent's tools on or off in one conversation (from its next reply on).
    pub async fn set_conversation_tools(&self, id: &str, enabled: bool) -> Result<Conversation> {
        conversations::set_tools_enabled(self.conn(), id, enabled).await
    }

    pub async fn set_conversation_archived(
        &self,
        id: &str,
        archived: bool,
    ) -> Result<Conversation> {
        conversations::set_archived(self.conn(), id, archived).await
    }

    /// Titles and message text matching every word of `query`, best first.
    pub async fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        search::search(self.conn(), query, limit).await
    }

    /// The conversation with its latest [`OPEN_PAGE`] messages.
    pub async fn get_conversation(&self, id: &str) -> Result<ConversationDetail> {
        let conversation = conversations::get(self.conn(), id).await?;
        let (messages, has_more) = tree::page(self.conn(), id, None, OPEN_PAGE).await?;
        Ok(ConversationDetail {
            conversation,
            messages,
            has_more,
        })
    }

    /// The messages of the branch shown just before message `before_id` (between 1 and
    /// [`MAX_PAGE`] of them, whatever `limit` says): what the transcript loads when scrolled
    /// to its top.
    pub async fn list_messages(
        &self,
        conversation_id: &str,
        before_id: &str,
        limit: u32,
    ) -> Result<MessagePage> {
        let limit = u64::from(limit.clamp(1, MAX_PAGE));
        let (messages, has_more) =
            tree::page(self.conn(), conversation_id, Some(before_id), limit).await?;
        Ok(MessagePage { messages, has_more })
    }

    /// Shows the version `step` places from message `message_id` (`1`: the next, `-1`: the
    /// one before) with the branch it had, and returns the conversation as now shown.
    pub async fn switch_version(&self, message_id: &str, step: i32) -> Result<ConversationDetail> {
        let message = messages::get(self.conn(), message_id).await?;
        self.engine.ensure_idle(&message.conversation_id)?;
        branches::switch_version(self.conn(), message_id, step).await?;
        self.get_conversation(&message.conversation_id).await
    }

    /// A new conversation with the history up to message `message_id` (agent and context
    /// settings kept), titled `title`.
    pub async fn branch_conversation(
        &self,
        message_id: &str,
        title: Option<&str>,
    ) -> Result<Conversation> {
        branches::branch_off(self.conn(), message_id, title).await
    }

    /// Shows the branch through message `message_id` (a search hit in a branch not shown,
    /// say), and returns the conversation as now shown.
    pub async fn show_message(&self, message_id: &str) -> Result<ConversationDetail> {
        let message = messages::get(self.conn(), message_id).await?;
        self.engine.ensure_idle(&message.conversation_id)?;
        branches::show(self.conn(), message_id).await?;
        self.get_conversation(&message.conversation_id).await
    }

    /// Deletes the conversation, first stopping its reply if one streams (the reply would
    /// otherwise be stored into a conversation that is gone).
    pub async fn delete_conversation(&self, id: &str) -> Result<()> {
        self.engine.cancel_conversation(id);
        conversations::delete(self.conn(), id).await
    }
}
