//! Writing checked conversations inside the import's transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use super::Incoming;
use crate::error::{Error, Result};
use crate::store::branches;
use crate::store::entities::{agent, conversation, message};
use crate::store::messages::stored_parts;
use crate::store::new_id;
use crate::vocab::{Part, text_of};

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
    /// Each written message that names attachments (stored id, its image and file parts):
    /// linked to them when the whole file is read, as the file may list them last.
    pub attached: Vec<(String, Vec<Part>)>,
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
            attached: Vec::new(),
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
        let mut tree = Placed::default();
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
                let (parent_id, seq) = tree.place(&message.id, message.parent_id.as_deref(), &id);
                let parts = message
                    .parts
                    .clone()
                    .unwrap_or_else(|| vec![Part::text(message.content.as_str())]);
                let files: Vec<Part> = parts
                    .iter()
                    .filter(|part| matches!(part, Part::Image { .. } | Part::File { .. }))
                    .cloned()
                    .collect();
                if !files.is_empty() {
                    self.attached.push((id.clone(), files));
                }
                rows.push(message::ActiveModel {
                    id: Set(id),
                    conversation_id: Set(record.id.clone()),
                    parent_id: Set(parent_id),
                    seq: Set(seq),
                    role: Set(message.role),
                    content: Set(text_of(&parts)),
                    parts: Set(stored_parts(&parts)?),
                    created_at: Set(message.created_at),
                    // Later in the file is chosen later: the newest version shows.
                    chosen_at: Set(tree.placed_count()),
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
        let leaf = record
            .leaf_id
            .as_deref()
            .and_then(|leaf| tree.stored_id(leaf));
        if let Some(leaf) = &leaf {
            // The branch shown is also the one chosen at each fork above it: going to
            // another version and back returns to it.
            branches::choose_branch(db, leaf, tree.placed_count() + 1).await?;
        }
        conversation::Entity::update_many()
            .col_expr(conversation::Column::LeafId, Expr::value(leaf))
            .filter(conversation::Column::Id.eq(&record.id))
            .exec(db)
            .await?;
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

/// Where the messages of one imported conversation hang, as they are read in file order.
/// A message names its parent by its id in the file; a file from before versions names
/// none, and a message whose parent is not earlier in the file (a hand-edited file) is
/// taken, like those, to follow the message before it. Parents therefore always exist
/// before their children and depths always grow along a branch.
#[derive(Default)]
struct Placed {
    /// File id → (stored id, depth).
    by_file_id: HashMap<String, (String, i64)>,
    /// The stored id and depth of the message placed last.
    previous: Option<(String, i64)>,
    count: i64,
}

impl Placed {
    /// The stored parent and depth of the message `file_id` (stored as `stored_id`).
    fn place(
        &mut self,
        file_id: &str,
        parent: Option<&str>,
        stored_id: &str,
    ) -> (Option<String>, i64) {
        let parent = match parent {
            Some(parent) => self
                .by_file_id
                .get(parent)
                .cloned()
                .or_else(|| self.previous.clone()),
            None => self.previous.clone(),
        };
        let seq = parent.as_ref().map_or(1, |(_, seq)| seq.saturating_add(1));
        self.by_file_id
            .insert(file_id.to_string(), (stored_id.to_string(), seq));
        self.previous = Some((stored_id.to_string(), seq));
        self.count += 1;
        (parent.map(|(id, _)| id), seq)
    }

    fn placed_count(&self) -> i64 {
        self.count
    }

    fn stored_id(&self, file_id: &str) -> Option<String> {
        self.by_file_id.get(file_id).map(|(id, _)| id.clone())
    }
}
