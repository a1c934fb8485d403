//! Conversations: create, list (paged, filtered), get, rename, pin, archive, delete.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::entities::agent;
use super::entities::conversation::{self, ConversationStatus};
use super::{begin_write, blobs, new_id, now_ms};
use crate::error::{Error, Result};
use crate::problem::Problem;
use crate::vocab::{ContextOverride, validate_override};

/// A conversation as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: String,
    pub agent_id: Option<String>,
    pub title: String,
    pub status: ConversationStatus,
    pub pinned: bool,
    /// Off: its agent's tools are not offered here.
    pub tools_enabled: bool,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<conversation::Model> for Conversation {
    fn from(model: conversation::Model) -> Self {
        Self {
            id: model.id,
            agent_id: model.agent_id,
            title: model.title,
            status: model.status,
            pinned: model.pinned,
            tools_enabled: model.tools_enabled,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

/// Longest title kept; longer ones are cut at a character boundary.
pub const MAX_TITLE_CHARS: usize = 200;

/// Largest page the list returns at once.
pub const MAX_PAGE: u64 = 500;

pub async fn create(db: &impl ConnectionTrait, title: Option<&str>) -> Result<Conversation> {
    create_with_agent(db, title, None).await
}

/// A conversation started from the agent `agent_id` (its `id`), whose prompt it sends and
/// whose greetings the UI shows; `None` for a conversation without an agent.
pub async fn create_with_agent(
    db: &impl ConnectionTrait,
    title: Option<&str>,
    agent_id: Option<&str>,
) -> Result<Conversation> {
    if let Some(agent_id) = agent_id
        && agent::Entity::find_by_id(agent_id.to_string())
            .one(db)
            .await?
            .is_none()
    {
        return Err(Error::not_found("agent", agent_id));
    }
    let now = now_ms();
    let model = conversation::ActiveModel {
        id: Set(new_id()),
        agent_id: Set(agent_id.map(str::to_string)),
        title: Set(title.map(clean_title).unwrap_or_default()),
        context_override: Set(None),
        status: Set(ConversationStatus::Active),
        pinned: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.into())
}

/// Which conversations a list page shows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConversationQuery {
    /// At most this many (1 to [`MAX_PAGE`]).
    pub limit: u32,
    pub offset: u32,
    /// Only the conversations of this agent (its `id`).
    pub agent_id: Option<String>,
    /// The archive instead of the active list.
    pub archived: bool,
}

impl ConversationQuery {
    /// The first `limit` active conversations.
    pub fn active(limit: u32) -> Self {
        Self {
            limit,
            offset: 0,
            agent_id: None,
            archived: false,
        }
    }
}

/// A page of conversations, pinned first, then most recently updated first.
pub async fn list(
    db: &impl ConnectionTrait,
    query: &ConversationQuery,
) -> Result<Vec<Conversation>> {
    let status = if query.archived {
        ConversationStatus::Archived
    } else {
        ConversationStatus::Active
    };
    let mut select = conversation::Entity::find().filter(conversation::Column::Status.eq(status));
    if let Some(agent_id) = &query.agent_id {
        select = select.filter(conversation::Column::AgentId.eq(agent_id.as_str()));
    }
    let rows = select
        .order_by_desc(conversation::Column::Pinned)
        .order_by_desc(conversation::Column::UpdatedAt)
        .order_by_desc(conversation::Column::Rid)
        .limit(u64::from(query.limit).clamp(1, MAX_PAGE))
        .offset(u64::from(query.offset))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Conversation::from).collect())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Conversation> {
    find(db, id).await.map(Conversation::from)
}

/// The stored row of a conversation.
pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<conversation::Model> {
    conversation::Entity::find()
        .filter(conversation::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("conversation", id))
}

pub async fn rename(db: &impl ConnectionTrait, id: &str, title: &str) -> Result<Conversation> {
    let mut model: conversation::ActiveModel = find(db, id).await?.into();
    model.title = Set(clean_title(title));
    model.updated_at = Set(now_ms());
    Ok(model.update(db).await?.into())
}

/// A rename the person asked for: the title must not be empty.
pub async fn rename_by_user(
    db: &impl ConnectionTrait,
    id: &str,
    title: &str,
) -> Result<Conversation> {
    if clean_title(title).is_empty() {
        return Err(Error::invalid(Problem::required("title")));
    }
    rename(db, id, title).await
}

/// Pins or unpins a conversation (pinned ones head the list). Its place in time is kept.
pub async fn set_pinned(db: &impl ConnectionTrait, id: &str, pinned: bool) -> Result<Conversation> {
    let mut model: conversation::ActiveModel = find(db, id).await?.into();
    model.pinned = Set(pinned);
    Ok(model.update(db).await?.into())
}

/// Turns the agent's tools on or off for one conversation.
pub async fn set_tools_enabled(
    db: &impl ConnectionTrait,
    id: &str,
    enabled: bool,
) -> Result<Conversation> {
    let mut model: conversation::ActiveModel = find(db, id).await?.into();
    model.tools_enabled = Set(enabled);
    Ok(model.update(db).await?.into())
}

/// Moves a conversation to the archive or back. Its place in time is kept.
pub async fn set_archived(
    db: &impl ConnectionTrait,
    id: &str,
    archived: bool,
) -> Result<Conversation> {
    let mut model: conversation::ActiveModel = find(db, id).await?.into();
    model.status = Set(if archived {
        ConversationStatus::Archived
    } else {
        ConversationStatus::Active
    });
    Ok(model.update(db).await?.into())
}

/// Marks the conversation as changed now (it moves to the top of the list).
pub(crate) async fn touch(db: &impl ConnectionTrait, id: &str) -> Result<()> {
    conversation::Entity::update_many()
        .col_expr(conversation::Column::UpdatedAt, Expr::value(now_ms()))
        .filter(conversation::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the conversation and, by cascade, its messages and checkpoints; the attachments
/// only its messages used go with them. One transaction.
pub async fn delete(db: &(impl ConnectionTrait + TransactionTrait), id: &str) -> Result<()> {
    let txn = begin_write(db).await?;
    let used = blobs::used_by(
        &txn,
        "",
        "SELECT id FROM messages WHERE conversation_id = ?",
        vec![id.into()],
    )
    .await?;
    let result = conversation::Entity::delete_many()
        .filter(conversation::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(Error::not_found("conversation", id));
    }
    blobs::release(&txn, &used).await?;
    txn.commit().await?;
    Ok(())
}

/// Characters kept when a title is made from the first message.
const FALLBACK_TITLE_CHARS: usize = 40;

/// A title made from the first words of a message, until a generated one replaces it.
pub fn title_from(text: &str) -> String {
    let line = clean_title(text);
    match line.char_indices().nth(FALLBACK_TITLE_CHARS) {
        Some((cut, _)) => format!("{}…", line[..cut].trim_end()),
        None => line,
    }
}

/// A title from free text: one line, trimmed, at most [`MAX_TITLE_CHARS`] characters.
pub fn clean_title(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(MAX_TITLE_CHARS) {
        Some((cut, _)) => line[..cut].to_string(),
        None => line,
    }
}

/// The conversation's own context (system prompt and/or preset messages); empty if none.
pub async fn context_override(db: &impl ConnectionTrait, id: &str) -> Result<ContextOverride> {
    Ok(find(db, id)
        .await?
        .context_override
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default())
}

/// Replaces the conversation's own context. An override with neither a system prompt, preset
/// messages nor left-out attachments clears it (the agent's preset applies again).
pub async fn set_context_override(
    db: &impl ConnectionTrait,
    id: &str,
    over: ContextOverride,
) -> Result<ContextOverride> {
    validate_override(&over)?;
    let over = ContextOverride {
        system_prompt: over
            .system_prompt
            .filter(|prompt| !prompt.trim().is_empty()),
        preset_messages: over.preset_messages,
        excluded_attachments: over
            .excluded_attachments
            .map(|mut list| {
                list.sort_unstable();
                list.dedup();
                list
            })
            .filter(|list| !list.is_empty()),
    };
    let value = if over == ContextOverride::default() {
        None
    } else {
        Some(
            serde_json::to_value(&over)
                .map_err(|error| Error::internal("context override", error))?,
        )
    };
    let mut model: conversation::ActiveModel = find(db, id).await?.into();
    model.context_override = Set(value);
    model.updated_at = Set(now_ms());
    model.update(db).await?;
    Ok(over)
}

#[cfg(test)]
mod tests {
    use super::clean_title;

    #[test]
    fn titles_are_one_trimmed_line() {
        assert_eq!(clean_title("  hello\n  world \t"), "hello world");
        assert_eq!(clean_title(&"长".repeat(300)).chars().count(), 200);
    }
}
