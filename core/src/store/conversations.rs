//! Conversations: create, list (paged), get, rename, delete.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use specta::Type;

use super::entities::agent;
use super::entities::conversation::{self, ConversationStatus};
use super::{new_id, now_ms};
use crate::error::{Error, Result};

/// A conversation as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: String,
    pub agent_id: Option<String>,
    pub title: String,
    pub status: ConversationStatus,
    pub pinned: bool,
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

/// Active conversations, pinned first, then most recently updated first.
pub async fn list(db: &impl ConnectionTrait, limit: u64, offset: u64) -> Result<Vec<Conversation>> {
    let rows = conversation::Entity::find()
        .filter(conversation::Column::Status.eq(ConversationStatus::Active))
        .order_by_desc(conversation::Column::Pinned)
        .order_by_desc(conversation::Column::UpdatedAt)
        .order_by_desc(conversation::Column::Rid)
        .limit(limit.clamp(1, MAX_PAGE))
        .offset(offset)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Conversation::from).collect())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Conversation> {
    find(db, id).await.map(Conversation::from)
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: &str) -> Result<conversation::Model> {
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

/// Marks the conversation as changed now (it moves to the top of the list).
pub(crate) async fn touch(db: &impl ConnectionTrait, id: &str) -> Result<()> {
    conversation::Entity::update_many()
        .col_expr(conversation::Column::UpdatedAt, Expr::value(now_ms()))
        .filter(conversation::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the conversation and, by cascade, its messages and checkpoints.
pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<()> {
    let result = conversation::Entity::delete_many()
        .filter(conversation::Column::Id.eq(id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(Error::not_found("conversation", id));
    }
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

#[cfg(test)]
mod tests {
    use super::clean_title;

    #[test]
    fn titles_are_one_trimmed_line() {
        assert_eq!(clean_title("  hello\n  world \t"), "hello world");
        assert_eq!(clean_title(&"长".repeat(300)).chars().count(), 200);
    }
}
