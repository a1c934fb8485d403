//! Writing the generated rows: agents, then each conversation and its messages, in
//! multi-row INSERTs of [`BATCH`] messages inside transactions of [`TRANSACTION`] messages.

use confab_core::agents::{AppPreset, DEFAULT_AGENT_ID};
use confab_core::store::now_ms;
use fastrand::Rng;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait, Value,
};

use crate::replies::{cut, reply, tokens};
use crate::{Args, text};

/// Messages per INSERT statement (at most 10 parameters each, well under SQLite's limit).
const BATCH: usize = 100;
/// Messages per transaction.
const TRANSACTION: u64 = 20_000;
/// Messages in the one long conversation, when the total allows it.
const LONG_CONVERSATION: u64 = 10_000;
const DAY_MS: i64 = 86_400_000;
/// History is spread over this many days before now.
const SPAN_DAYS: i64 = 180;

const AGENTS: &[(&str, &str, &str)] = &[
    ("coder", "Coder", "💻"),
    ("translator", "Translator", "🌐"),
    ("writer", "Writer", "✍️"),
    ("tutor", "Tutor", "🎓"),
    ("analyst", "Analyst", "📊"),
];
const MODELS: &[&str] = &[
    "gpt-4o-mini",
    "gpt-4o",
    "deepseek-chat",
    "qwen-max",
    "claude-3-5-sonnet",
    "llama3.1:8b",
];

const INSERT_CONVERSATION: &str = "INSERT INTO conversations \
     (id, agent_id, title, status, pinned, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
const UPDATE_CONVERSATION: &str = "UPDATE conversations SET updated_at = ? WHERE id = ?";
const UPDATE_CONVERSATION_LEAF: &str =
    "UPDATE conversations SET updated_at = ?, leaf_id = ? WHERE id = ?";

/// How many messages each conversation gets: one long conversation when there are enough
/// messages, the rest spread unevenly (an exponential share each), summing to the total.
pub fn message_counts(rng: &mut Rng, args: &Args) -> Vec<u64> {
    let conversations = usize::try_from(args.conversations).unwrap_or(usize::MAX);
    let mut counts = vec![0_u64; conversations];
    let mut rest = args.messages;
    let mut first = 0;
    if args.messages >= LONG_CONVERSATION * 10 && conversations > 1 {
        counts[0] = LONG_CONVERSATION;
        rest -= LONG_CONVERSATION;
        first = 1;
    }
    let weights: Vec<f64> = (first..conversations)
        .map(|_| -(1.0 - rng.f64()).ln())
        .collect();
    let total: f64 = weights.iter().sum();
    let mut given = 0;
    for (count, weight) in counts[first..].iter_mut().zip(&weights) {
        *count = (rest as f64 * weight / total).floor() as u64;
        given += *count;
    }
    let spread = conversations - first;
    for index in 0..(rest - given) {
        counts[first + usize::try_from(index).unwrap_or(0) % spread] += 1;
    }
    counts
}

pub struct Seeder<'a> {
    conn: &'a DatabaseConnection,
    rng: Rng,
    agent_ids: Vec<String>,
    written: u64,
    pending: Vec<Value>,
    now: i64,
    /// Versions of each reply (the last one written is shown).
    versions: u64,
    /// Rows as before the tree: no parent, no choice, no leaf.
    lines: bool,
}

impl<'a> Seeder<'a> {
    pub fn new(conn: &'a DatabaseConnection, args: &Args) -> Self {
        Self {
            conn,
            rng: Rng::with_seed(args.seed),
            agent_ids: vec![DEFAULT_AGENT_ID.to_string()],
            written: 0,
            pending: Vec::with_capacity(BATCH * 10),
            now: now_ms(),
            versions: args.versions,
            lines: args.before_tree,
        }
    }

    /// Values per message row.
    fn columns(&self) -> usize {
        if self.lines { 8 } else { 10 }
    }

    pub fn messages_written(&self) -> u64 {
        self.written
    }

    pub async fn agents(&mut self) -> Result<(), String> {
        for (slug, name, avatar) in AGENTS {
            let preset = AppPreset {
                name: (*name).into(),
                description: format!("{name} (generated)"),
                avatar: (*avatar).into(),
                ..AppPreset::default()
            };
            let preset = serde_json::to_string(&preset).map_err(|error| error.to_string())?;
            let id = self.uuid();
            exec(
                self.conn,
                "INSERT INTO agents (id, agent_id, app_preset, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?)",
                vec![
                    id.clone().into(),
                    (*slug).into(),
                    preset.into(),
                    self.now.into(),
                    self.now.into(),
                ],
            )
            .await?;
            self.agent_ids.push(id);
        }
        Ok(())
    }

    /// Writes every conversation with its messages.
    pub async fn history(&mut self, counts: &[u64]) -> Result<(), String> {
        let mut txn = self.conn.begin().await.map_err(|error| error.to_string())?;
        let mut in_txn = 0;
        for (index, &count) in counts.iter().enumerate() {
            self.conversation(&txn, index == 0 && count >= LONG_CONVERSATION, count)
                .await?;
            in_txn += count;
            if in_txn >= TRANSACTION {
                txn.commit().await.map_err(|error| error.to_string())?;
                txn = self.conn.begin().await.map_err(|error| error.to_string())?;
                in_txn = 0;
            }
            if (index + 1) % 1_000 == 0 {
                eprintln!("  {} conversations, {} messages", index + 1, self.written);
            }
        }
        txn.commit().await.map_err(|error| error.to_string())
    }

    async fn conversation(
        &mut self,
        txn: &DatabaseTransaction,
        long: bool,
        count: u64,
    ) -> Result<(), String> {
        let rng = &mut self.rng;
        let id = uuid(rng);
        let chinese = !long && rng.u8(..10) < 3;
        // One in ten conversations has no agent.
        let agent =
            (rng.u8(..10) != 0).then(|| self.agent_ids[rng.usize(..self.agent_ids.len())].clone());
        let mut model = MODELS[rng.usize(..MODELS.len())];
        // The long conversation runs up to now; the others start anywhere in the span.
        let mut at = if long {
            self.now - 30 * DAY_MS
        } else {
            self.now - rng.i64(DAY_MS / 24..SPAN_DAYS * DAY_MS)
        };
        let mut question = String::new();
        let mut answer = String::new();
        text::question(rng, chinese, &mut question);
        let title = if count == 0 {
            String::new()
        } else {
            text::title(&question)
        };
        let pinned = rng.u8(..100) < 2;
        let status = if rng.u8(..100) < 5 {
            "archived"
        } else {
            "active"
        };
        exec(
            txn,
            INSERT_CONVERSATION,
            vec![
                id.clone().into(),
                agent.into(),
                title.into(),
                status.into(),
                pinned.into(),
                at.into(),
                at.into(),
            ],
        )
        .await?;

        let mut context_tokens: u32 = 0;
        // The message the next one follows: the shown version of the one before.
        let mut parent: Option<String> = None;
        for seq in 1..=count {
            let rng = &mut self.rng;
            if seq % 2 == 1 {
                if seq > 1 {
                    text::question(rng, chinese, &mut question);
                }
                // Between questions: a few seconds to a few hours (long one: minutes).
                at += if long {
                    rng.i64(10_000..400_000)
                } else {
                    rng.i64(5_000..3 * 3_600_000)
                };
                context_tokens += tokens(&question);
                let row = Row {
                    seq,
                    role: "user",
                    content: &question,
                    at,
                    state: "complete",
                    meta: "{}".into(),
                };
                parent = Some(self.push(txn, &id, parent.as_deref(), row).await?);
            } else {
                if rng.u8(..50) == 0 {
                    model = MODELS[rng.usize(..MODELS.len())];
                }
                text::answer(rng, chinese, &mut answer);
                let (state, content, meta) = reply(rng, model, context_tokens, &answer);
                at += 1_000 + i64::from(rng.u32(..20_000));
                context_tokens = (context_tokens + tokens(content)).min(16_000);
                let content = content.to_string();
                // Earlier versions first: written (and chosen) before the one shown.
                for version in 1..self.versions {
                    let earlier = Row {
                        seq,
                        role: "assistant",
                        content: cut(&content, usize::try_from(version + 1).unwrap_or(2)),
                        at: at - i64::try_from(self.versions - version).unwrap_or(1) * 1_000,
                        state: "complete",
                        meta: meta.clone(),
                    };
                    self.push(txn, &id, parent.as_deref(), earlier).await?;
                }
                let row = Row {
                    seq,
                    role: "assistant",
                    content: &content,
                    at,
                    state,
                    meta,
                };
                parent = Some(self.push(txn, &id, parent.as_deref(), row).await?);
            }
        }
        self.flush(txn).await?;
        if self.lines {
            return exec(
                txn,
                UPDATE_CONVERSATION,
                vec![at.min(self.now).into(), id.into()],
            )
            .await;
        }
        exec(
            txn,
            UPDATE_CONVERSATION_LEAF,
            vec![at.min(self.now).into(), parent.into(), id.into()],
        )
        .await
    }

    /// Queues one message under `parent`; its id.
    async fn push(
        &mut self,
        txn: &DatabaseTransaction,
        conversation: &str,
        parent: Option<&str>,
        row: Row<'_>,
    ) -> Result<String, String> {
        let id = self.uuid();
        let at = row.at.min(self.now);
        self.pending.extend([
            id.clone().into(),
            conversation.into(),
            i64::try_from(row.seq).unwrap_or(i64::MAX).into(),
            row.role.into(),
            row.content.into(),
            at.into(),
            row.state.into(),
            row.meta.into(),
        ]);
        if !self.lines {
            self.pending
                .extend([parent.map(str::to_string).into(), at.into()]);
        }
        self.written += 1;
        if self.pending.len() >= BATCH * self.columns() {
            self.flush(txn).await?;
        }
        Ok(id)
    }

    async fn flush(&mut self, txn: &DatabaseTransaction) -> Result<(), String> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let columns = self.columns();
        let rows = self.pending.len() / columns;
        let mut sql = String::from(if self.lines {
            "INSERT INTO messages \
             (id, conversation_id, seq, role, content, created_at, state, meta) VALUES "
        } else {
            "INSERT INTO messages \
             (id, conversation_id, seq, role, content, created_at, state, meta, parent_id, \
              chosen_at) VALUES "
        });
        let placeholders = format!("({})", vec!["?"; columns].join(","));
        for index in 0..rows {
            if index > 0 {
                sql.push(',');
            }
            sql.push_str(&placeholders);
        }
        let values = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH * columns));
        exec(txn, &sql, values).await
    }

    /// Moves the write-ahead log into the file, and counts the full-text index's rows.
    pub async fn checkpoint_and_count_fts(&self) -> Result<u64, String> {
        exec(self.conn, "PRAGMA wal_checkpoint(TRUNCATE)", vec![]).await?;
        let row = self
            .conn
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT count(*) FROM messages_fts_docsize",
            ))
            .await
            .map_err(|error| error.to_string())?
            .ok_or("no count")?;
        let count: i64 = row.try_get_by_index(0).map_err(|error| error.to_string())?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn uuid(&mut self) -> String {
        uuid(&mut self.rng)
    }
}

struct Row<'a> {
    seq: u64,
    role: &'static str,
    content: &'a str,
    at: i64,
    state: &'static str,
    meta: String,
}

fn uuid(rng: &mut Rng) -> String {
    uuid::Builder::from_random_bytes(rng.u128(..).to_le_bytes())
        .into_uuid()
        .to_string()
}

async fn exec(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Result<(), String> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        sql,
        values,
    ))
    .await
    .map(|_| ())
    .map_err(|error| error.to_string())
}
