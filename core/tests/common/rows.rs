//! Rows written straight into the tables, with the times, tokens and costs a test needs.

use confab_core::store::Db;
use confab_core::store::stats::{self, Stats, StatsQuery};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;
/// "Now" of the statistics tests: 2025-11-22 12:00 UTC.
pub const NOW: i64 = 20_414 * DAY + 12 * HOUR;

pub async fn exec(db: &Db, sql: &str, values: Vec<Value>) {
    db.conn()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await
        .expect("statement runs");
}

pub async fn conversation(db: &Db, id: &str, agent: Option<&str>, title: &str) {
    exec(
        db,
        "INSERT INTO conversations (id, agent_id, title, created_at, updated_at)
         VALUES (?, ?, ?, 0, 0)",
        vec![id.into(), agent.into(), title.into()],
    )
    .await;
}

pub async fn message(
    db: &Db,
    id: &str,
    conversation: &str,
    seq: i64,
    at: i64,
    state: &str,
    meta: &str,
) {
    let role = if seq % 2 == 1 { "user" } else { "assistant" };
    exec(
        db,
        "INSERT INTO messages (id, conversation_id, seq, role, content, created_at, state, meta)
         VALUES (?, ?, ?, ?, 'text', ?, ?, ?)",
        vec![
            id.into(),
            conversation.into(),
            seq.into(),
            role.into(),
            at.into(),
            state.into(),
            meta.into(),
        ],
    )
    .await;
}

/// The agent "Coder", and conversations `c1` of the default agent, `c2` of Coder and `c3`
/// without an agent.
pub async fn three_conversations(db: &Db) {
    exec(
        db,
        "INSERT INTO agents (id, agent_id, app_preset, created_at, updated_at)
         VALUES ('agent-coder', 'coder', '{\"name\":\"Coder\"}', 0, 0)",
        vec![],
    )
    .await;
    conversation(db, "c1", Some("default"), "First").await;
    conversation(db, "c2", Some("agent-coder"), "Second").await;
    conversation(db, "c3", None, "Third").await;
}

/// The statistics at [`NOW`] for the last `days` days.
pub async fn stats_at(db: &Db, days: u32, utc_offset_minutes: i32) -> Stats {
    let query = StatsQuery {
        days,
        now: NOW,
        utc_offset_minutes,
    };
    stats::get(db.conn(), query).await.expect("stats")
}
