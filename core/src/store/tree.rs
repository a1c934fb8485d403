//! How a conversation's messages hang together: a tree, and the branch of it shown.
//!
//! Each message names its parent (`None` for a first message). The children of a message
//! are its versions' successors: a regenerated reply is a second child of the same user
//! message, an edited and resent message a second child of the message before it. Among
//! siblings, the one chosen last (`chosen_at`, then the newest) is the one shown, so the
//! branch shown is found by walking down from the first messages; the conversation keeps
//! the end of it (`leaf_id`) so that opening walks only up, and only as far as a page.
//!
//! Every walk is one recursive query that follows an index one step at a time, so its cost
//! is the number of steps it takes, never the size of the conversation.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, Value,
};

use super::entities::{conversation, message};
use super::messages::{self, Message};
use crate::error::{Error, Result};
use crate::vocab::{Part, Role, read_parts};

/// The end of the branch shown: the conversation's `leaf_id` when it still names one of its
/// messages, otherwise found again by walking down from the first messages.
pub async fn leaf(
    db: &impl ConnectionTrait,
    conversation: &conversation::Model,
) -> Result<Option<String>> {
    if let Some(leaf) = &conversation.leaf_id {
        let found = message::Entity::find()
            .select_only()
            .column(message::Column::ConversationId)
            .filter(message::Column::Id.eq(leaf))
            .into_tuple::<String>()
            .one(db)
            .await?;
        if found.as_deref() == Some(conversation.id.as_str()) {
            return Ok(Some(leaf.clone()));
        }
    }
    descend(db, &conversation.id, None).await
}

/// Records `leaf` as the end of the branch shown.
pub(super) async fn set_leaf(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    leaf: Option<&str>,
) -> Result<()> {
    conversation::Entity::update_many()
        .col_expr(
            conversation::Column::LeafId,
            sea_orm::sea_query::Expr::value(leaf.map(str::to_string)),
        )
        .filter(conversation::Column::Id.eq(conversation_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The last message reached from `from` (from the chosen first message when `None`),
/// following the chosen child at each step.
pub async fn descend(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    from: Option<&str>,
) -> Result<Option<String>> {
    let start = match from {
        Some(id) => id.to_string(),
        None => match chosen_root(db, conversation_id).await? {
            Some(root) => root,
            None => return Ok(None),
        },
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "WITH RECURSIVE down(id, n) AS (
                 SELECT ?, 0
                 UNION ALL
                 SELECT (SELECT c.id FROM messages c WHERE c.parent_id = down.id
                         ORDER BY c.chosen_at DESC, c.rid DESC LIMIT 1), n + 1
                 FROM down WHERE down.id IS NOT NULL
             )
             SELECT id FROM down WHERE id IS NOT NULL ORDER BY n DESC LIMIT 1",
            [start.into()],
        ))
        .await?;
    Ok(row.map(|row| row.try_get_by_index(0)).transpose()?)
}

async fn chosen_root(db: &impl ConnectionTrait, conversation_id: &str) -> Result<Option<String>> {
    Ok(message::Entity::find()
        .select_only()
        .column(message::Column::Id)
        .filter(message::Column::ConversationId.eq(conversation_id))
        .filter(message::Column::Seq.eq(1))
        .filter(message::Column::ParentId.is_null())
        .order_by_desc(message::Column::ChosenAt)
        .order_by_desc(message::Column::Rid)
        .into_tuple::<String>()
        .one(db)
        .await?)
}

/// Before a new child of `parent` is shown: the child shown there until now remembers the
/// end of its branch (`left_leaf_id`), when the branch shown runs through it.
pub(super) async fn remember_leaving(
    db: &impl ConnectionTrait,
    conversation: &conversation::Model,
    parent: Option<&str>,
) -> Result<()> {
    let Some(leaf) = &conversation.leaf_id else {
        return Ok(());
    };
    let (filter, value) = match parent {
        Some(parent) => ("parent_id = ?", parent.to_string()),
        None => (
            "conversation_id = ? AND seq = 1 AND parent_id IS NULL",
            conversation.id.clone(),
        ),
    };
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        format!(
            "UPDATE messages SET left_leaf_id = ? WHERE rid = (
                 SELECT rid FROM messages WHERE {filter}
                 ORDER BY chosen_at DESC, rid DESC LIMIT 1)
             AND (SELECT seq FROM messages WHERE id = ?) >= seq"
        ),
        [leaf.clone().into(), value.into(), leaf.clone().into()],
    ))
    .await?;
    Ok(())
}

/// A `chosen_at` that puts a message before all its siblings: now, or one more than the
/// latest choice among them when the clock has not moved on (or went back).
pub(super) async fn next_choice(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    parent_id: Option<&str>,
    now: i64,
) -> Result<i64> {
    let mut query = message::Entity::find()
        .select_only()
        .column_as(message::Column::ChosenAt.max(), "latest");
    query = match parent_id {
        Some(parent) => query.filter(message::Column::ParentId.eq(parent)),
        None => query
            .filter(message::Column::ConversationId.eq(conversation_id))
            .filter(message::Column::Seq.eq(1))
            .filter(message::Column::ParentId.is_null()),
    };
    let latest = query.into_tuple::<Option<i64>>().one(db).await?.flatten();
    Ok(latest.map_or(now, |latest| now.max(latest.saturating_add(1))))
}

/// Up to `limit` messages of the branch that ends at `last`, oldest first, and whether
/// there are more before them.
pub(super) async fn path_to(
    db: &impl ConnectionTrait,
    last: &str,
    limit: u64,
) -> Result<(Vec<Message>, bool)> {
    let steps = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "WITH RECURSIVE up(rid, parent_id, n) AS (
                 SELECT rid, parent_id, 0 FROM messages WHERE id = ?
                 UNION ALL
                 SELECT m.rid, m.parent_id, up.n + 1 FROM messages m JOIN up ON m.id = up.parent_id
                 WHERE up.n < ?
             )
             SELECT rid FROM up",
            [last.into(), steps.into()],
        ))
        .await?;
    let mut rids = rows
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let has_more = rids.len() as u64 > limit;
    rids.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let models = message::Entity::find()
        .filter(message::Column::Rid.is_in(rids))
        .order_by_asc(message::Column::Seq)
        .all(db)
        .await?;
    let messages = with_versions(db, models.into_iter().map(Message::from).collect()).await?;
    Ok((messages, has_more))
}

/// The whole branch that ends at `last`, oldest first (an export of the branch shown).
pub async fn whole_path(db: &impl ConnectionTrait, last: &str) -> Result<Vec<Message>> {
    Ok(path_to(db, last, u64::MAX >> 1).await?.0)
}

/// A page of the branch shown, oldest first: the `limit` messages before `before` (a
/// message of the branch), or the last `limit` when `None`; and whether older ones exist.
pub async fn page(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    before: Option<&str>,
    limit: u64,
) -> Result<(Vec<Message>, bool)> {
    let conversation = super::conversations::find(db, conversation_id).await?;
    let last = match before {
        None => leaf(db, &conversation).await?,
        Some(before) => {
            let model = messages::find(db, before).await?;
            if model.conversation_id != conversation_id {
                return Err(Error::not_found("message", before));
            }
            model.parent_id
        }
    };
    match last {
        Some(last) => path_to(db, &last, limit).await,
        None => Ok((Vec::new(), false)),
    }
}

/// Every message of a conversation, every version, `limit` at a time after the message
/// `after` (from the first when `None`), parents before their children: how an export reads
/// a whole conversation.
pub async fn page_all(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<Message>> {
    let mut query = message::Entity::find()
        .filter(message::Column::ConversationId.eq(conversation_id))
        .order_by_asc(message::Column::Rid)
        .limit(limit);
    if let Some(after) = after {
        let model = messages::find(db, after).await?;
        query = query.filter(message::Column::Rid.gt(model.rid));
    }
    let models = query.all(db).await?;
    with_versions(db, models.into_iter().map(Message::from).collect()).await
}

/// One message of a request's history: who said it, its text, and what it carries
/// (a person's images and files; empty for every other message).
pub type ContextMessage = (Role, String, Vec<Part>);

/// The newest in-context messages of the branch that ends at `last`, newest first, at most
/// `limit`: what a request is built from. Failed replies and empty messages are left out:
/// they would only confuse the model. A person's message with attachments counts even
/// without text.
///
/// Only a person's messages with more than text have their parts read (the `parts` column
/// is NULL for text alone), so a long history of plain text costs what it did before.
pub async fn recent_context(
    db: &impl ConnectionTrait,
    last: &str,
    limit: u64,
) -> Result<Vec<ContextMessage>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "WITH RECURSIVE up(parent_id, role, content, carried, keep) AS (
                 SELECT parent_id, role, content,
                        CASE WHEN role = 'user' OR (role = 'assistant'
                            AND instr(parts, '\"toolCall\"') > 0) THEN parts END,
                        in_context AND state <> 'error'
                        AND (content <> '' OR (role = 'user' AND parts IS NOT NULL)
                            OR (role = 'assistant' AND instr(parts, '\"toolCall\"') > 0))
                 FROM messages WHERE id = ?
                 UNION ALL
                 SELECT m.parent_id, m.role, m.content,
                        CASE WHEN m.role = 'user' OR (m.role = 'assistant'
                            AND instr(m.parts, '\"toolCall\"') > 0) THEN m.parts END,
                        m.in_context AND m.state <> 'error'
                        AND (m.content <> '' OR (m.role = 'user' AND m.parts IS NOT NULL)
                            OR (m.role = 'assistant' AND instr(m.parts, '\"toolCall\"') > 0))
                 FROM messages m JOIN up ON m.id = up.parent_id
             )
             SELECT role, content, carried FROM up WHERE keep LIMIT ?",
            [last.into(), limit.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get_by_index(0)?;
            let content: String = row.try_get_by_index(1)?;
            let carried: Option<String> = row.try_get_by_index(2)?;
            let role = role_of(&role);
            // A person's attachments; an assistant's text and tool steps, in order.
            let attachments = carried
                .and_then(|json| serde_json::from_str(&json).ok())
                .and_then(read_parts)
                .unwrap_or_default()
                .into_iter()
                .filter(|part| match role {
                    Role::Assistant => matches!(
                        part,
                        Part::Text { .. } | Part::ToolCall { .. } | Part::ToolResult { .. }
                    ),
                    _ => matches!(part, Part::Image { .. } | Part::File { .. }),
                })
                .collect();
            Ok((role, content, attachments))
        })
        .collect()
}

fn role_of(name: &str) -> Role {
    match name {
        "system" => Role::System,
        "assistant" => Role::Assistant,
        "tool" => Role::Tool,
        _ => Role::User,
    }
}

/// Fills in `version` and `versions` of each message: its place among the messages that
/// share its parent, in the order they were written.
pub async fn with_versions(
    db: &impl ConnectionTrait,
    mut messages: Vec<Message>,
) -> Result<Vec<Message>> {
    let mut parents: Vec<Value> = Vec::new();
    let mut root_conversations: Vec<Value> = Vec::new();
    for message in &messages {
        match &message.parent_id {
            Some(parent) => parents.push(parent.clone().into()),
            None => root_conversations.push(message.conversation_id.clone().into()),
        }
    }
    // Siblings keyed by (parent, conversation of a first message), in order of writing.
    let mut siblings: HashMap<(Option<String>, String), Vec<String>> = HashMap::new();
    for chunk in parents.chunks(500) {
        let rows = message::Entity::find()
            .select_only()
            .column(message::Column::ParentId)
            .column(message::Column::ConversationId)
            .column(message::Column::Id)
            .filter(message::Column::ParentId.is_in(chunk.to_vec()))
            .order_by_asc(message::Column::Rid)
            .into_tuple::<(Option<String>, String, String)>()
            .all(db)
            .await?;
        for (parent, _, id) in rows {
            siblings
                .entry((parent, String::new()))
                .or_default()
                .push(id);
        }
    }
    root_conversations.sort_by_key(|value| format!("{value:?}"));
    root_conversations.dedup();
    for chunk in root_conversations.chunks(500) {
        let rows = message::Entity::find()
            .select_only()
            .column(message::Column::ConversationId)
            .column(message::Column::Id)
            .filter(message::Column::ConversationId.is_in(chunk.to_vec()))
            .filter(message::Column::Seq.eq(1))
            .filter(message::Column::ParentId.is_null())
            .order_by_asc(message::Column::Rid)
            .into_tuple::<(String, String)>()
            .all(db)
            .await?;
        for (conversation, id) in rows {
            siblings.entry((None, conversation)).or_default().push(id);
        }
    }
    for message in &mut messages {
        let key = match &message.parent_id {
            Some(parent) => (Some(parent.clone()), String::new()),
            None => (None, message.conversation_id.clone()),
        };
        let ids = siblings.get(&key).map(Vec::as_slice).unwrap_or_default();
        let at = ids.iter().position(|id| *id == message.id).unwrap_or(0);
        message.version = u32::try_from(at + 1).unwrap_or(u32::MAX);
        message.versions = u32::try_from(ids.len().max(1)).unwrap_or(u32::MAX);
    }
    Ok(messages)
}
