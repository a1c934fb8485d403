//! Changing which branch of a conversation is shown, and cutting branches off.

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionSession, TransactionTrait};

use super::messages::{self, Message};
use super::tree::{descend, next_choice, set_leaf};
use super::{begin_write, blobs, conversations, now_ms};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};

/// Shows the branch through message `id`: the message and every message above it become
/// the chosen ones among their siblings (only those that were not already are written),
/// and below it the branch it had when it was last shown. Returns the new end of the branch.
pub async fn show(db: &(impl ConnectionTrait + TransactionTrait), id: &str) -> Result<String> {
    let txn = begin_write(db).await?;
    let model = messages::find(&txn, id).await?;
    let conversation = conversations::find(&txn, &model.conversation_id).await?;
    if let Some(old) = &conversation.leaf_id {
        // Where the branch shown until now leaves the new one, its message remembers the
        // end of it, to come back to.
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "WITH RECURSIVE
                 old(id, parent_id) AS (
                     SELECT id, parent_id FROM messages WHERE id = ?
                     UNION ALL
                     SELECT m.id, m.parent_id FROM messages m JOIN old ON m.id = old.parent_id),
                 new(id) AS (
                     SELECT id FROM messages WHERE id = ?
                     UNION ALL
                     SELECT m.parent_id FROM messages m JOIN new ON m.id = new.id
                     WHERE m.parent_id IS NOT NULL)
             UPDATE messages SET left_leaf_id = ? WHERE id IN (
                 SELECT o.id FROM old o WHERE o.id NOT IN (SELECT id FROM new)
                 AND (o.parent_id IS NULL OR o.parent_id IN (SELECT id FROM new)))",
            [old.clone().into(), id.into(), old.clone().into()],
        ))
        .await?;
    }
    let now = now_ms();
    // Each message on the way up that is not its parent's chosen child becomes it. Choices
    // only need to order siblings, so `now` (or one more than the sibling chosen last, when
    // the clock has not moved on) is enough.
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "WITH RECURSIVE up(rid, parent_id) AS (
             SELECT rid, parent_id FROM messages WHERE id = ?1
             UNION ALL
             SELECT m.rid, m.parent_id FROM messages m JOIN up ON m.id = up.parent_id
         )
         UPDATE messages
         SET chosen_at = max(?2, (SELECT max(s.chosen_at) FROM messages s
                                  WHERE s.parent_id = messages.parent_id) + 1)
         WHERE rid IN (
             SELECT up.rid FROM up WHERE up.parent_id IS NOT NULL AND up.rid <> (
                 SELECT c.rid FROM messages c WHERE c.parent_id = up.parent_id
                 ORDER BY c.chosen_at DESC, c.rid DESC LIMIT 1))",
        [id.into(), now.into()],
    ))
    .await?;
    // The first message of the branch, chosen among the conversation's first messages.
    let root = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!("{PATH_UP} SELECT id FROM up WHERE parent_id IS NULL"),
            [id.into()],
        ))
        .await?
        .map(|row| row.try_get_by_index::<String>(0))
        .transpose()?
        .ok_or_else(|| Error::not_found("message", id))?;
    let choice = next_choice(&txn, &model.conversation_id, None, now).await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "UPDATE messages SET chosen_at = ? WHERE id = ? AND chosen_at <> (
             SELECT max(chosen_at) FROM messages
             WHERE conversation_id = ? AND seq = 1 AND parent_id IS NULL)",
        [
            choice.into(),
            root.into(),
            model.conversation_id.clone().into(),
        ],
    ))
    .await?;
    let leaf = descend(&txn, &model.conversation_id, Some(id))
        .await?
        .unwrap_or_else(|| id.to_string());
    set_leaf(&txn, &model.conversation_id, Some(&leaf)).await?;
    txn.commit().await?;
    Ok(leaf)
}

/// The messages from `?1` up to its first message (`id`, `parent_id`).
const PATH_UP: &str = "WITH RECURSIVE up(id, parent_id) AS (
     SELECT id, parent_id FROM messages WHERE id = ?1
     UNION ALL
     SELECT m.id, m.parent_id FROM messages m JOIN up ON m.id = up.parent_id
 )";

/// Makes the branch that ends at `leaf` the chosen one at every fork above it, giving its
/// messages the choice `chosen_at` (later than any of their siblings'). For writers that
/// build a whole tree at once, such as an import.
pub(crate) async fn choose_branch(
    db: &impl ConnectionTrait,
    leaf: &str,
    chosen_at: i64,
) -> Result<()> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        format!("{PATH_UP} UPDATE messages SET chosen_at = ?2 WHERE id IN (SELECT id FROM up)"),
        [leaf.into(), chosen_at.into()],
    ))
    .await?;
    Ok(())
}

/// Shows the version `step` places after message `id` among its siblings (`-1`: the one
/// before), with the branch it had. Returns the message shown.
///
/// `id` is a message of the branch shown (the UI offers versions only there). Its branch
/// below is remembered in `left_leaf_id`, so switching back and forth never walks down a
/// long branch again; only a version never left before is walked down, once.
pub async fn switch_version(
    db: &(impl ConnectionTrait + TransactionTrait),
    id: &str,
    step: i32,
) -> Result<Message> {
    let txn = begin_write(db).await?;
    let message = messages::get(&txn, id).await?;
    let target = i64::from(message.version) + i64::from(step);
    if target < 1 || target > i64::from(message.versions) {
        return Err(Error::invalid(Problem::new("step", Rule::OutOfRange)));
    }
    let siblings = siblings(&txn, &message).await?;
    let target = usize::try_from(target - 1)
        .ok()
        .and_then(|at| siblings.get(at))
        .ok_or_else(|| Error::invalid(Problem::new("step", Rule::OutOfRange)))?;
    let conversation = conversations::find(&txn, &message.conversation_id).await?;
    // What is shown below the message left, to come back to.
    if let Some(leaf) = &conversation.leaf_id {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "UPDATE messages SET left_leaf_id = ? WHERE id = ?",
            [leaf.clone().into(), id.into()],
        ))
        .await?;
    }
    let choice = next_choice(
        &txn,
        &message.conversation_id,
        message.parent_id.as_deref(),
        now_ms(),
    )
    .await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "UPDATE messages SET chosen_at = ? WHERE id = ?",
        [choice.into(), target.clone().into()],
    ))
    .await?;
    let leaf = match remembered_leaf(&txn, target).await? {
        Some(leaf) => leaf,
        None => descend(&txn, &message.conversation_id, Some(target))
            .await?
            .unwrap_or_else(|| target.clone()),
    };
    set_leaf(&txn, &message.conversation_id, Some(&leaf)).await?;
    let shown = messages::get(&txn, target).await?;
    txn.commit().await?;
    Ok(shown)
}

/// The end of the branch below `id` when it was last left, if that is still the end of a
/// branch (nothing was added below it since; a reply added there is found by walking down
/// from it) at least as deep as `id`, in the same conversation.
async fn remembered_leaf(db: &impl ConnectionTrait, id: &str) -> Result<Option<String>> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT leaf.id FROM messages m JOIN messages leaf ON leaf.id = m.left_leaf_id
             WHERE m.id = ? AND leaf.conversation_id = m.conversation_id AND leaf.seq >= m.seq",
            [id.into()],
        ))
        .await?;
    let Some(leaf) = row
        .map(|row| row.try_get_by_index::<String>(0))
        .transpose()?
    else {
        return Ok(None);
    };
    let conversation_id = messages::find(db, id).await?.conversation_id;
    // Walks down only what was added below the remembered end since.
    descend(db, &conversation_id, Some(&leaf)).await
}

/// The ids of `message` and its versions, in the order they were written.
async fn siblings(db: &impl ConnectionTrait, message: &Message) -> Result<Vec<String>> {
    let (sql, value) = match &message.parent_id {
        Some(parent) => (
            "SELECT id FROM messages WHERE parent_id = ? ORDER BY rid",
            parent.clone(),
        ),
        None => (
            "SELECT id FROM messages WHERE conversation_id = ? AND seq = 1 AND parent_id IS NULL
             ORDER BY rid",
            message.conversation_id.clone(),
        ),
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            [value.into()],
        ))
        .await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<std::result::Result<_, _>>()?)
}

const SUBTREE: &str = "WITH RECURSIVE down(id) AS (
     SELECT id FROM messages WHERE id = ?
     UNION ALL
     SELECT m.id FROM messages m JOIN down ON m.parent_id = down.id
 )";

/// How many messages deleting `id` removes: it and all that hang below it.
pub async fn subtree_size(db: &impl ConnectionTrait, id: &str) -> Result<u64> {
    messages::find(db, id).await?;
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!("{SUBTREE} SELECT count(*) FROM down"),
            [id.into()],
        ))
        .await?;
    let count: i64 = row
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .unwrap_or(0);
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Deletes message `id` and all that hang below it, in one transaction. When the branch
/// shown went through it, the branch shown becomes the one through its parent (or the
/// remaining first message). Returns how many messages went.
pub async fn delete_subtree(
    db: &(impl ConnectionTrait + TransactionTrait),
    id: &str,
) -> Result<u64> {
    let txn = begin_write(db).await?;
    let model = messages::find(&txn, id).await?;
    let used = blobs::used_by(&txn, SUBTREE, "SELECT id FROM down", vec![id.into()]).await?;
    let deleted = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!("{SUBTREE} DELETE FROM messages WHERE id IN (SELECT id FROM down)"),
            [id.into()],
        ))
        .await?
        .rows_affected();
    let conversation = conversations::find(&txn, &model.conversation_id).await?;
    let kept = match &conversation.leaf_id {
        Some(leaf) => messages::find(&txn, leaf).await.is_ok(),
        None => false,
    };
    // When the end of the branch shown went, the branch through the parent is shown.
    let leaf = if kept {
        conversation.leaf_id.clone()
    } else {
        descend(&txn, &model.conversation_id, model.parent_id.as_deref()).await?
    };
    set_leaf(&txn, &model.conversation_id, leaf.as_deref()).await?;
    conversations::touch(&txn, &model.conversation_id).await?;
    blobs::release(&txn, &used).await?;
    txn.commit().await?;
    Ok(deleted)
}

/// Starts a new conversation from the branch that ends at message `id`: the same agent and
/// context settings, a copy of every message up to and including it (one line, no other
/// versions), titled `title` (the source's title when `None`). Returns it.
pub async fn branch_off(
    db: &(impl ConnectionTrait + TransactionTrait),
    id: &str,
    title: Option<&str>,
) -> Result<super::conversations::Conversation> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

    use super::entities::{conversation, message};

    let txn = begin_write(db).await?;
    let model = messages::find(&txn, id).await?;
    let source = conversations::find(&txn, &model.conversation_id).await?;
    let now = now_ms();
    let copy = conversation::ActiveModel {
        id: Set(super::new_id()),
        agent_id: Set(source.agent_id.clone()),
        title: Set(conversations::clean_title(title.unwrap_or(&source.title))),
        context_override: Set(source.context_override.clone()),
        status: Set(conversation::ConversationStatus::Active),
        pinned: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        leaf_id: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let path = super::tree::whole_path(&txn, id).await?;
    let mut parent: Option<String> = None;
    let mut rows = Vec::with_capacity(path.len());
    // The copies that use attachments, to link once they are written.
    let mut attached = Vec::new();
    for (depth, message) in (1_i64..).zip(path) {
        let new_id = super::new_id();
        if !blobs::named_by(&message.parts).is_empty() {
            attached.push((new_id.clone(), message.parts.clone()));
        }
        let meta = serde_json::to_value(&message.meta)
            .map_err(|error| Error::internal("message meta", error))?;
        rows.push(message::ActiveModel {
            id: Set(new_id.clone()),
            conversation_id: Set(copy.id.clone()),
            parent_id: Set(parent.replace(new_id)),
            seq: Set(depth),
            role: Set(message.role),
            content: Set(message.content),
            parts: Set(messages::stored_parts(&message.parts)?),
            created_at: Set(message.created_at),
            chosen_at: Set(message.created_at),
            state: Set(message.state),
            in_context: Set(message.in_context),
            meta: Set(meta),
            debug: Set(None),
            ..Default::default()
        });
    }
    for chunk in rows.chunks(100) {
        message::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for (id, parts) in &attached {
        blobs::link(&txn, id, parts).await?;
    }
    set_leaf(&txn, &copy.id, parent.as_deref()).await?;
    let created = conversations::get(&txn, &copy.id).await?;
    txn.commit().await?;
    Ok(created)
}
