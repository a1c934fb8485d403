//! Messages: writing them and reading one. How they hang together (versions, branches,
//! the branch shown) is [`super::tree`].

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::entities::message::{self, MessageState, Role};
use super::{begin_write, blobs, conversations, new_id, now_ms, tree};
use crate::error::{ErrorCode, Result};
use crate::problem::{Problem, Rule};
use crate::vocab::{MAX_MESSAGE_BYTES, Part, read_parts, text_of, text_parts_of};

pub use super::stop_reason::StopReason;

/// A message as the UI sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    /// The message this one follows; `None` for a first message.
    pub parent_id: Option<String>,
    /// The depth in the conversation (1 for a first message); versions share it.
    pub seq: i64,
    pub role: Role,
    /// The text parts joined: what is searched, copied and sent to the model.
    pub content: String,
    /// Everything the message holds, in order (at least its text).
    pub parts: Vec<Part>,
    /// Unix milliseconds: shown to the user, never sent to a provider.
    pub created_at: i64,
    pub state: MessageState,
    /// Excluded messages stay visible but are not sent.
    pub in_context: bool,
    pub meta: MessageMeta,
    /// Which version this is (1-based) among the messages that share its parent...
    pub version: u32,
    /// ...and how many there are (1: no other version).
    pub versions: u32,
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
    /// Tokens of the prompt the provider read from its cache (billed at the cached price).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_tokens: Option<u32>,
    /// Tokens the model spent reasoning, when the provider reports them (part of
    /// `completion_tokens`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_tokens: Option<u32>,
    /// Milliseconds from sending the request to the first answer text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_token_ms: Option<u32>,
    /// Milliseconds from sending the request to the first reasoning text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reasoning_ms: Option<u32>,
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
    /// What the reply cost, from the price table in force when it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
}

/// An amount of money in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    pub amount: f64,
    /// ISO 4217 code, e.g. `USD`, `CNY`.
    pub currency: String,
}

impl From<message::Model> for Message {
    fn from(model: message::Model) -> Self {
        // The columns are written only by this module; a row edited by hand into another
        // shape still opens, with its meta shown empty and its text as its only part.
        let meta = serde_json::from_value(model.meta).unwrap_or_default();
        let parts = model
            .parts
            .and_then(read_parts)
            .unwrap_or_else(|| text_parts_of(&model.content));
        Self {
            id: model.id,
            conversation_id: model.conversation_id,
            parent_id: model.parent_id,
            seq: model.seq,
            role: model.role,
            content: model.content,
            parts,
            created_at: model.created_at,
            state: model.state,
            in_context: model.in_context,
            meta,
            version: 1,
            versions: 1,
        }
    }
}

/// What goes into the `parts` column: `None` when the parts are just the text.
pub(crate) fn stored_parts(parts: &[Part]) -> Result<Option<serde_json::Value>> {
    match parts {
        [] | [Part::Text { .. }] => Ok(None),
        parts => serde_json::to_value(parts)
            .map(Some)
            .map_err(|error| crate::Error::internal("message parts", error)),
    }
}

/// Where a new message goes.
#[derive(Debug, Clone, Copy)]
pub enum Parent<'a> {
    /// After the last message of the branch shown.
    Leaf,
    /// Under this message (`None`: a new first message), beside any it already has: a new
    /// version.
    Under(Option<&'a str>),
}

/// A message to be written.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub conversation_id: &'a str,
    pub parent: Parent<'a>,
    pub role: Role,
    /// The parts, in order; the text parts joined become `content`.
    pub parts: Vec<Part>,
    pub state: MessageState,
    pub meta: MessageMeta,
}

impl<'a> NewMessage<'a> {
    /// A message of plain text after the branch shown.
    pub fn text(conversation_id: &'a str, role: Role, text: &str) -> Self {
        Self {
            conversation_id,
            parent: Parent::Leaf,
            role,
            parts: text_parts_of(text),
            state: MessageState::Complete,
            meta: MessageMeta::default(),
        }
    }
}

/// Adds a message to its conversation under `new.parent`, shows it (it becomes the end of
/// the branch shown) and marks the conversation updated, in one transaction.
pub async fn append(
    db: &(impl ConnectionTrait + TransactionTrait),
    new: NewMessage<'_>,
) -> Result<Message> {
    let txn = begin_write(db).await?;
    let conversation = conversations::find(&txn, new.conversation_id).await?;
    let parent_id = match new.parent {
        Parent::Leaf => tree::leaf(&txn, &conversation).await?,
        Parent::Under(parent) => parent.map(str::to_string),
    };
    let seq = match &parent_id {
        None => 1,
        Some(parent_id) => {
            let parent = find(&txn, parent_id).await?;
            if parent.conversation_id != new.conversation_id {
                return Err(crate::Error::not_found("message", parent_id));
            }
            next_seq(new.conversation_id, parent.seq)?
        }
    };
    if let Parent::Under(_) = new.parent {
        // A new version: the one shown in its place keeps its branch, to come back to.
        tree::remember_leaving(&txn, &conversation, parent_id.as_deref()).await?;
    }
    let meta = serde_json::to_value(&new.meta)
        .map_err(|error| crate::Error::internal("message meta", error))?;
    let now = now_ms();
    let chosen_at = tree::next_choice(&txn, new.conversation_id, parent_id.as_deref(), now).await?;
    let model = message::ActiveModel {
        id: Set(new_id()),
        conversation_id: Set(new.conversation_id.to_string()),
        parent_id: Set(parent_id),
        seq: Set(seq),
        role: Set(new.role),
        content: Set(text_of(&new.parts)),
        parts: Set(stored_parts(&new.parts)?),
        created_at: Set(now),
        chosen_at: Set(chosen_at),
        state: Set(new.state),
        in_context: Set(true),
        meta: Set(meta),
        debug: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    blobs::link(&txn, &model.id, &new.parts).await?;
    tree::set_leaf(&txn, new.conversation_id, Some(&model.id)).await?;
    conversations::touch(&txn, new.conversation_id).await?;
    let mut message = tree::with_versions(&txn, vec![model.into()]).await?;
    txn.commit().await?;
    Ok(message.remove(0))
}

/// The depth after `parent`'s. A branch as deep as the largest number (only a crafted file
/// can make one) takes no more messages: the number never wraps round.
fn next_seq(conversation_id: &str, parent: i64) -> Result<i64> {
    parent.checked_add(1).ok_or_else(|| {
        crate::Error::Constraint(format!(
            "conversation {conversation_id} has no message number left after {parent}; \
             start a new conversation to go on"
        ))
    })
}

/// One message, with its place among its versions.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Message> {
    let model = find(db, id).await?;
    let mut message = tree::with_versions(db, vec![model.into()]).await?;
    Ok(message.remove(0))
}

/// Replaces the parts, state and meta of a stored reply: how a continued reply is written,
/// once, when its stream ends. The caller runs it inside its write transaction.
pub async fn replace_reply(
    db: &impl ConnectionTrait,
    id: &str,
    parts: &[Part],
    state: MessageState,
    meta: &MessageMeta,
) -> Result<Message> {
    let model = find(db, id).await?;
    let meta = serde_json::to_value(meta)
        .map_err(|error| crate::Error::internal("message meta", error))?;
    let mut active: message::ActiveModel = model.into();
    active.content = Set(text_of(parts));
    active.parts = Set(stored_parts(parts)?);
    active.state = Set(state);
    active.meta = Set(meta);
    let updated = active.update(db).await?;
    conversations::touch(db, &updated.conversation_id).await?;
    let mut message = tree::with_versions(db, vec![updated.into()]).await?;
    Ok(message.remove(0))
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
    let mut parts = Message::from(model.clone()).parts;
    let at = parts
        .iter()
        .position(|part| matches!(part, Part::Text { .. }))
        .unwrap_or(parts.len());
    parts.retain(|part| !matches!(part, Part::Text { .. }));
    parts.insert(at.min(parts.len()), Part::text(content));
    let mut active: message::ActiveModel = model.into();
    active.content = Set(content.to_string());
    active.parts = Set(stored_parts(&parts)?);
    let updated = active.update(db).await?;
    conversations::touch(db, &conversation_id).await?;
    let mut message = tree::with_versions(db, vec![updated.into()]).await?;
    Ok(message.remove(0))
}

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

pub(super) async fn find(db: &impl ConnectionTrait, id: &str) -> Result<message::Model> {
    message::Entity::find()
        .filter(message::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| crate::Error::not_found("message", id))
}
