//! Writing checked conversations inside the import's transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use super::Incoming;
use crate::error::{Error, Result};
use crate::store::entities::{agent, conversation, message};
use crate::store::new_id;

/// Rows per multi-row insert: well under SQLite's limit on bound values.
const INSERT_CHUNK: usize = 100;

/// What has been written so far, and the agents the file names.
pub struct Writer {
    /// Agent slug → row id.
    agents: HashMap<String, String>,
    /// Slugs the file names that this database has no agent for, with how many conversations.
    pub missing_agents: BTreeMap<String, u32>,
    pub conversations: u32,
    pub messages: u64,
    /// Conversations whose id is already in the database (imported before): left as they are.
    pub already_present: u32,
}

impl Writer {
    pub async fn new(db: &impl ConnectionTrait) -> Result<Self> {
        let agents = agent::Entity::find()
            .select_only()
            .column(agent::Column::AgentId)
            .column(agent::Column::Id)
            .into_tuple::<(String, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        Ok(Self {
            agents,
            missing_agents: BTreeMap::new(),
            conversations: 0,
            messages: 0,
            already_present: 0,
        })
    }

    /// Writes one conversation and its messages. A conversation already in the database is
    /// skipped; a message id already taken (a copied conversation) gets a new one.
    pub async fn write(&mut self, db: &impl ConnectionTrait, incoming: Incoming) -> Result<()> {
        let record = incoming.record;
        let exists = conversation::Entity::find()
            .select_only()
            .column(conversation::Column::Rid)
            .filter(conversation::Column::Id.eq(record.id.as_str()))
            .into_tuple::<i64>()
            .one(db)
            .await?
            .is_some();
        if exists {
            self.already_present += 1;
            return Ok(());
        }
        let agent_id = match &record.agent {
            Some(slug) => {
                let id = self.agents.get(slug).cloned();
                if id.is_none() {
                    *self.missing_agents.entry(slug.clone()).or_default() += 1;
                }
                id
            }
            None => None,
        };
        let context_override = record
            .context_override
            .as_ref()
            .map(serde_json::to_value)
            .transpose()
            .map_err(|error| Error::internal("context override", error))?;
        conversation::Entity::insert(conversation::ActiveModel {
            id: Set(record.id.clone()),
            agent_id: Set(agent_id),
            title: Set(record.title),
            context_override: Set(context_override),
            status: Set(record.status),
            pinned: Set(record.pinned),
            created_at: Set(record.created_at),
            updated_at: Set(record.updated_at),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
        for chunk in incoming.messages.chunks(INSERT_CHUNK) {
            let taken = taken_ids(db, chunk.iter().map(|m| m.id.as_str())).await?;
            let mut rows = Vec::with_capacity(chunk.len());
            for message in chunk {
                let meta = serde_json::to_value(&message.meta)
                    .map_err(|error| Error::internal("message meta", error))?;
                let id = if taken.contains(message.id.as_str()) {
                    new_id()
                } else {
                    message.id.clone()
                };
                rows.push(message::ActiveModel {
                    id: Set(id),
                    conversation_id: Set(record.id.clone()),
                    seq: Set(message.seq),
                    role: Set(message.role),
                    content: Set(message.content.clone()),
                    created_at: Set(message.created_at),
                    state: Set(message.state),
                    in_context: Set(message.in_context),
                    meta: Set(meta),
                    debug: Set(None),
                    ..Default::default()
                });
            }
            message::Entity::insert_many(rows)
                .exec_without_returning(db)
                .await?;
        }
        self.conversations += 1;
        self.messages += incoming.messages.len() as u64;
        Ok(())
    }
}

/// Which of `ids` are already used by a stored message (also one written earlier in this
/// import: the transaction sees its own rows), plus those repeated within `ids`.
async fn taken_ids<'a>(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = &'a str> + Clone,
) -> Result<HashSet<String>> {
    let mut taken: HashSet<String> = message::Entity::find()
        .select_only()
        .column(message::Column::Id)
        .filter(message::Column::Id.is_in(ids.clone()))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            taken.insert(id.to_string());
        }
    }
    Ok(taken)
}
