//! Messages of a conversation, in `seq` order.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::entities::message::{self, MessageState, Role};
use super::{begin_write, conversations, new_id, now_ms};
use crate::error::{ErrorCode, Result};
use crate::problem::{Problem, Rule};
use crate::vocab::MAX_MESSAGE_BYTES;

pub use super::stop_reason::StopReason;

/// A message as the UI sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    pub seq: i64,
    pub role: Role,
    pub content: String,
    /// Unix milliseconds: shown to the user, never sent to a provider.
    pub created_at: i64,
    pub state: MessageState,
    /// Excluded messages stay visible but are not sent.
    pub in_context: bool,
    pub meta: MessageMeta,
}

/// What is known about how a message was produced. Every field is optional: user messages
/// carry none, and a reply that failed early carries only the error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MessageMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens: Option<u32>,
    /// Milliseconds from sending the request to the first text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_token_ms: Option<u32>,
    /// Milliseconds from sending the request to the end of the stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<ErrorCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Why a reply is not complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<StopReason>,
}

impl From<message::Model> for Message {
    fn from(model: message::Model) -> Self {
        // The column is written only by this module, from a MessageMeta; a row edited by
        // hand into another shape still opens, with its meta shown empty.
        let meta = serde_json::from_value(model.meta).unwrap_or_default();
        Self {
            id: model.id,
            conversation_id: model.conversation_id,
            seq: model.seq,
            role: model.role,
            content: model.content,
            created_at: model.created_at,
            state: model.state,
            in_context: model.in_context,
            meta,
        }
    }
}

/// A message to be written.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub conversation_id: &'a str,
    pub role: Role,
    pub content: &'a str,
    pub state: MessageState,
    pub meta: MessageMeta,
}

/// Appends a message at the end of its conversation and marks the conversation updated.
/// The caller holds the conversation's lock, so `seq` cannot race; the unique index on
/// (conversation_id, seq) guards it anyway.
pub async fn append(
    db: &(impl ConnectionTrait + TransactionTrait),
    new: NewMessage<'_>,
) -> Result<Message> {
    let txn = begin_write(db).await?;
    conversations::find(&txn, new.conversation_id).await?;
    let last_seq: Option<i64> = message::Entity::find()
        .select_only()
        .column_as(message::Column::Seq.max(), "max_seq")
        .filter(message::Column::ConversationId.eq(new.conversation_id))
        .into_tuple::<Option<i64>>()
        .one(&txn)
        .await?
        .flatten();
    let seq = next_seq(new.conversation_id, last_seq)?;
    let meta = serde_json::to_value(&new.meta)
        .map_err(|error| crate::Error::internal("message meta", error))?;
    let model = message::ActiveModel {
        id: Set(new_id()),
        conversation_id: Set(new.conversation_id.to_string()),
        seq: Set(seq),
        role: Set(new.role),
        content: Set(new.content.to_string()),
        created_at: Set(now_ms()),
        state: Set(new.state),
        in_context: Set(true),
        meta: Set(meta),
        debug: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    conversations::touch(&txn, new.conversation_id).await?;
    txn.commit().await?;
    Ok(model.into())
}

/// The `seq` after `last` (1 for an empty conversation). A conversation whose last number
/// is the largest there is (only a crafted file can make one) takes no more messages: the
/// number is never wrapped round to place a message before the others.
fn next_seq(conversation_id: &str, last: Option<i64>) -> Result<i64> {
    match last {
        None => Ok(1),
        Some(seq) => seq.checked_add(1).ok_or_else(|| {
            crate::Error::Constraint(format!(
                "conversation {conversation_id} has no message number left after {seq}; \
                 start a new conversation to go on"
            ))
        }),
    }
}

/// A page of a conversation's messages, oldest first: the `limit` messages just before
/// `before_seq` (or the last `limit` when `None`), and whether older ones exist.
pub async fn page(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    before_seq: Option<i64>,
    limit: u64,
) -> Result<(Vec<Message>, bool)> {
    let mut query = message::Entity::find()
        .filter(message::Column::ConversationId.eq(conversation_id))
        .order_by_desc(message::Column::Seq)
        .limit(limit + 1);
    if let Some(seq) = before_seq {
        query = query.filter(message::Column::Seq.lt(seq));
    }
    let mut rows = query.all(db).await?;
    let has_more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    rows.reverse();
    Ok((rows.into_iter().map(Message::from).collect(), has_more))
}

/// The next `limit` messages of a conversation after `after_seq` (from the first when
/// `None`), oldest first: how a whole conversation is read front to back, one page at a time.
pub async fn page_forward(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    after_seq: Option<i64>,
    limit: u64,
) -> Result<Vec<Message>> {
    let mut query = message::Entity::find()
        .filter(message::Column::ConversationId.eq(conversation_id))
        .order_by_asc(message::Column::Seq)
        .limit(limit);
    if let Some(seq) = after_seq {
        query = query.filter(message::Column::Seq.gt(seq));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(Message::from)
        .collect())
}

/// The newest in-context messages of a conversation, newest first, at most `limit`: what
/// a request is built from. Failed replies and empty messages are left out: they would only
/// confuse the model.
pub async fn recent_context(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    limit: u64,
) -> Result<Vec<(Role, String)>> {
    let rows = message::Entity::find()
        .select_only()
        .column(message::Column::Role)
        .column(message::Column::Content)
        .filter(message::Column::ConversationId.eq(conversation_id))
        .filter(message::Column::InContext.eq(true))
        .filter(message::Column::State.ne(MessageState::Error))
        .filter(message::Column::Content.ne(""))
        .order_by_desc(message::Column::Seq)
        .limit(limit)
        .into_tuple::<(Role, String)>()
        .all(db)
        .await?;
    Ok(rows)
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Message> {
    message::Entity::find()
        .filter(message::Column::Id.eq(id))
        .one(db)
        .await?
        .map(Message::from)
        .ok_or_else(|| crate::Error::not_found("message", id))
}

/// The last message of a conversation, if any.
pub async fn last(db: &impl ConnectionTrait, conversation_id: &str) -> Result<Option<Message>> {
    Ok(message::Entity::find()
        .filter(message::Column::ConversationId.eq(conversation_id))
        .order_by_desc(message::Column::Seq)
        .one(db)
        .await?
        .map(Message::from))
}

/// The message just before `seq` in a conversation, if any.
pub async fn last_before(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    seq: i64,
) -> Result<Option<Message>> {
    Ok(message::Entity::find()
        .filter(message::Column::ConversationId.eq(conversation_id))
        .filter(message::Column::Seq.lt(seq))
        .order_by_desc(message::Column::Seq)
        .one(db)
        .await?
        .map(Message::from))
}

/// Deletes the messages of a conversation from `seq` on (inclusive).
pub async fn delete_from(
    db: &impl ConnectionTrait,
    conversation_id: &str,
    seq: i64,
) -> Result<u64> {
    let result = message::Entity::delete_many()
        .filter(message::Column::ConversationId.eq(conversation_id))
        .filter(message::Column::Seq.gte(seq))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Replaces a message's text and deletes every message after it, in one transaction.
pub async fn rewrite_from(
    db: &(impl ConnectionTrait + TransactionTrait),
    id: &str,
    content: &str,
) -> Result<Message> {
    let txn = begin_write(db).await?;
    let model = message::Entity::find()
        .filter(message::Column::Id.eq(id))
        .one(&txn)
        .await?
        .ok_or_else(|| crate::Error::not_found("message", id))?;
    message::Entity::delete_many()
        .filter(message::Column::ConversationId.eq(&model.conversation_id))
        .filter(message::Column::Seq.gt(model.seq))
        .exec(&txn)
        .await?;
    let mut active: message::ActiveModel = model.into();
    active.content = Set(content.to_string());
    let updated = active.update(&txn).await?;
    conversations::touch(&txn, &updated.conversation_id).await?;
    txn.commit().await?;
    Ok(updated.into())
}

/// Replaces the text, state and meta of a stored reply: how a continued reply is written,
/// once, when its stream ends. The caller runs it inside its write transaction.
pub async fn replace_reply(
    db: &impl ConnectionTrait,
    id: &str,
    content: &str,
    state: MessageState,
    meta: &MessageMeta,
) -> Result<Message> {
    let model = message::Entity::find()
        .filter(message::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| crate::Error::not_found("message", id))?;
    let meta = serde_json::to_value(meta)
        .map_err(|error| crate::Error::internal("message meta", error))?;
    let mut active: message::ActiveModel = model.into();
    active.content = Set(content.to_string());
    active.state = Set(state);
    active.meta = Set(meta);
    let updated = active.update(db).await?;
    conversations::touch(db, &updated.conversation_id).await?;
    Ok(updated.into())
}

/// Includes a message in what is sent to the model, or leaves it out (it stays visible).
pub async fn set_in_context(
    db: &impl ConnectionTrait,
    id: &str,
    in_context: bool,
) -> Result<Message> {
    let model = find(db, id).await?;
    let mut active: message::ActiveModel = model.into();
    active.in_context = Set(in_context);
    Ok(active.update(db).await?.into())
}

/// Changes a message's text in place (nothing is resent; later messages stay).
pub async fn edit(db: &impl ConnectionTrait, id: &str, content: &str) -> Result<Message> {
    if content.trim().is_empty() {
        return Err(crate::Error::invalid(Problem::required("content")));
    }
    if content.len() > MAX_MESSAGE_BYTES {
        return Err(crate::Error::invalid(Problem::limit(
            "content",
            Rule::TooLarge,
            MAX_MESSAGE_BYTES,
        )));
    }
    let model = find(db, id).await?;
    let conversation_id = model.conversation_id.clone();
    let mut active: message::ActiveModel = model.into();
    active.content = Set(content.to_string());
    let updated = active.update(db).await?;
    conversations::touch(db, &conversation_id).await?;
    Ok(updated.into())
}

/// Deletes one message; the others keep their places.
/// Keeps `record` (the raw request and response of a reply) with the message.
pub async fn set_debug(
    db: &impl ConnectionTrait,
    id: &str,
    record: serde_json::Value,
) -> Result<()> {
    let updated = message::Entity::update_many()
        .col_expr(
            message::Column::Debug,
            sea_orm::sea_query::Expr::value(record),
        )
        .filter(message::Column::Id.eq(id))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(crate::Error::not_found("message", id));
    }
    Ok(())
}

/// The raw request and response kept with the message, if any.
pub async fn debug(db: &impl ConnectionTrait, id: &str) -> Result<Option<serde_json::Value>> {
    let found = message::Entity::find()
        .filter(message::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| crate::Error::not_found("message", id))?;
    Ok(found.debug)
}

pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<()> {
    let result = message::Entity::delete_many()
        .filter(message::Column::Id.eq(id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(crate::Error::not_found("message", id));
    }
    Ok(())
}

async fn find(db: &impl ConnectionTrait, id: &str) -> Result<message::Model> {
    message::Entity::find()
        .filter(message::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| crate::Error::not_found("message", id))
}
