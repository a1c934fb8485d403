//! The shape of one conversation and one message in a Confab JSON file. Field names follow
//! the app's own wire types (camelCase); `agent` is the agent's slug, which means the same
//! on another machine, unlike its row id.

use serde::{Deserialize, Serialize};

use crate::chat::ContextOverride;
use crate::store::entities::conversation::{self, ConversationStatus};
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::{Message, MessageMeta};
use crate::vocab::Part;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationRecord {
    pub id: String,
    pub title: String,
    /// The slug (`agent_id`) of the agent the conversation was started from.
    pub agent: Option<String>,
    pub context_override: Option<ContextOverride>,
    pub status: ConversationStatus,
    pub pinned: bool,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
    /// The last message of the branch shown; absent in files from before versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_id: Option<String>,
}

impl ConversationRecord {
    /// The record of a stored conversation whose agent has the slug `agent`.
    pub fn of(model: conversation::Model, agent: Option<String>) -> Self {
        Self {
            id: model.id,
            title: model.title,
            agent,
            // A hand-edited override of another shape is left out, as the app ignores it.
            context_override: model
                .context_override
                .and_then(|value| serde_json::from_value(value).ok()),
            status: model.status,
            pinned: model.pinned,
            created_at: model.created_at,
            updated_at: model.updated_at,
            leaf_id: model.leaf_id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageRecord {
    pub id: String,
    /// The message this one follows. Absent in files from before versions: each message
    /// then follows the one before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// Depth in the conversation: increasing along a branch, not necessarily without gaps.
    pub seq: i64,
    pub role: Role,
    pub content: String,
    /// Every part, when the message has more than its text (reasoning...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<Vec<Part>>,
    pub created_at: i64,
    pub state: MessageState,
    pub in_context: bool,
    pub meta: MessageMeta,
}

impl From<Message> for MessageRecord {
    fn from(message: Message) -> Self {
        Self {
            id: message.id,
            parent_id: message.parent_id,
            seq: message.seq,
            role: message.role,
            parts: (message.parts.len() > 1
                || message
                    .parts
                    .iter()
                    .any(|part| !matches!(part, Part::Text { .. })))
            .then_some(message.parts),
            content: message.content,
            created_at: message.created_at,
            state: message.state,
            in_context: message.in_context,
            meta: message.meta,
        }
    }
}
