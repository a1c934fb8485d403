//! What replies cost, for the statistics page: a sum per currency (an amount in US dollars
//! is never added to one in yuan), all time and per day, agent and model of the window.
//!
//! Each reply's cost is written into its `meta` when it ends; every version of a reply is a
//! message of its own and was paid for, so each one counts. Like the rest of the statistics
//! these queries read only the covering index `messages_stats` (`stat_cost` and
//! `stat_currency` are generated columns over `meta.cost`).

use std::collections::HashMap;
use std::hash::Hash;

use sea_orm::{ConnectionTrait, QueryResult};
use serde::Serialize;
use specta::Type;

use super::messages::Cost;
use super::stats::{DAY_MS, count, query};
use crate::error::Result;

/// What a group of replies cost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Spending {
    /// One sum per currency, in the order of the currency codes (`CNY` before `USD`).
    pub amounts: Vec<Cost>,
    /// Replies whose cost is not known: their model had no price when they were written, or
    /// the provider reported no token counts (a reply that failed or stopped early, or one
    /// written before costs were kept).
    pub unpriced: u64,
}

impl Spending {
    /// Adds `replies` replies that cost `amount` in `currency` (`None`: unknown).
    fn add(&mut self, currency: Option<String>, amount: f64, replies: u64) {
        // Costs come from the price table, whose currencies are three letters; a row that
        // says otherwise (edited by hand, or imported) is not money we can add up.
        let currency = currency
            .filter(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|code| code.to_ascii_uppercase());
        let Some(currency) = currency.filter(|_| amount.is_finite()) else {
            self.unpriced += replies;
            return;
        };
        match self.amounts.iter_mut().find(|c| c.currency == currency) {
            Some(sum) if (sum.amount + amount).is_finite() => sum.amount += amount,
            Some(_) => self.unpriced += replies,
            None => {
                let at = self.amounts.partition_point(|c| c.currency < currency);
                self.amounts.insert(at, Cost { amount, currency });
            }
        }
    }
}

/// The currency of a message whose cost is a non-negative number, else NULL.
const CURRENCY: &str = "CASE WHEN typeof(stat_cost) IN ('real', 'integer') AND stat_cost >= 0
     THEN stat_currency END";

/// Replies: the engine gives every reply its model when it starts. A cost without a model
/// (an imported row) is still a reply that was paid for.
const REPLY: &str = "(stat_model IS NOT NULL OR stat_cost IS NOT NULL)";

/// All time.
pub(super) async fn total(db: &impl ConnectionTrait) -> Result<Spending> {
    let rows = query(db, &total_sql(), []).await?;
    Ok(grouped(&rows, |_| Ok(()))?.remove(&()).unwrap_or_default())
}

/// Per day since `since`, keyed like the usage per day (days since 1970 at `offset`).
pub(super) async fn per_day(
    db: &impl ConnectionTrait,
    since: i64,
    offset: i64,
) -> Result<HashMap<i64, Spending>> {
    let rows = query(db, &per_day_sql(), [offset.into(), since.into()]).await?;
    grouped(&rows, |row| Ok(row.try_get_by_index(0)?))
}

/// Per agent since `since`, keyed by the agent's `id` (`None`: no agent, or a deleted one).
pub(super) async fn per_agent(
    db: &impl ConnectionTrait,
    since: i64,
) -> Result<HashMap<Option<String>, Spending>> {
    let rows = query(db, &per_agent_sql(), [since.into()]).await?;
    grouped(&rows, |row| Ok(row.try_get_by_index(0)?))
}

/// Per model since `since` (replies without a model are not counted).
pub(super) async fn per_model(
    db: &impl ConnectionTrait,
    since: i64,
) -> Result<HashMap<String, Spending>> {
    let rows = query(db, &per_model_sql(), [since.into()]).await?;
    grouped(&rows, |row| Ok(row.try_get_by_index(0)?))
}

// Each statement selects (key, currency, amount, replies), one row per key and currency.

fn total_sql() -> String {
    format!(
        "SELECT 0, {CURRENCY} AS currency, total(stat_cost), count(*)
         FROM messages INDEXED BY messages_stats WHERE {REPLY} GROUP BY currency"
    )
}

fn per_day_sql() -> String {
    format!(
        "SELECT (created_at + ?) / {DAY_MS} AS day, {CURRENCY} AS currency, total(stat_cost),
                count(*)
         FROM messages INDEXED BY messages_stats
         WHERE created_at >= ? AND {REPLY} GROUP BY day, currency"
    )
}

fn per_agent_sql() -> String {
    // Grouped by conversation from the index first, as the usage per agent is, so the agent
    // is looked up once per conversation.
    format!(
        "SELECT a.id, m.currency, total(m.amount), sum(m.n)
         FROM (SELECT conversation_id, {CURRENCY} AS currency, total(stat_cost) AS amount,
                      count(*) AS n
               FROM messages INDEXED BY messages_stats
               WHERE created_at >= ? AND {REPLY} GROUP BY conversation_id, currency) AS m
         JOIN conversations AS c ON c.id = m.conversation_id
         LEFT JOIN agents AS a ON a.id = c.agent_id
         GROUP BY a.id, m.currency"
    )
}

fn per_model_sql() -> String {
    format!(
        "SELECT stat_model, {CURRENCY} AS currency, total(stat_cost), count(*)
         FROM messages INDEXED BY messages_stats
         WHERE created_at >= ? AND stat_model IS NOT NULL GROUP BY stat_model, currency"
    )
}

/// Rows of (key, currency, amount, replies), one per key and currency, as a [`Spending`]
/// per key.
fn grouped<K: Eq + Hash>(
    rows: &[QueryResult],
    key: impl Fn(&QueryResult) -> Result<K>,
) -> Result<HashMap<K, Spending>> {
    let mut found: HashMap<K, Spending> = HashMap::new();
    for row in rows {
        let currency: Option<String> = row.try_get_by_index(1)?;
        let amount: Option<f64> = row.try_get_by_index(2)?;
        let replies = count(row, 3)?;
        found
            .entry(key(row)?)
            .or_default()
            .add(currency, amount.unwrap_or(f64::NAN), replies);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};

    use super::{Cost, Spending, per_agent_sql, per_day_sql, per_model_sql, total_sql};
    use crate::store::Db;
    use crate::store::stats::totals_sql;

    /// At a million messages only reading the covering index keeps the page quick. SQLite's
    /// query plan never calls an index of virtual columns "covering", so this reads the
    /// program instead: the `messages` table is opened, but no column of it is ever read (its
    /// row lookup is deferred until one is, which is never).
    #[tokio::test]
    async fn every_statement_reads_only_the_statistics_index() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&dir.path().join("stats.db")).await.expect("db");
        let root = |name: &'static str| {
            let sql = format!("SELECT rootpage FROM sqlite_schema WHERE name = '{name}'");
            let db = db.clone();
            async move {
                let row = db.conn().query_one_raw(sql_of(&sql, vec![])).await;
                let row = row.expect("schema").expect("exists");
                row.try_get_by_index::<i64>(0).expect("root page")
            }
        };
        let (table, index) = (root("messages").await, root("messages_stats").await);
        let statements = [
            (totals_sql(), vec![]),
            (total_sql(), vec![]),
            (per_day_sql(), vec![0.into(), 0.into()]),
            (per_agent_sql(), vec![0.into()]),
            (per_model_sql(), vec![0.into()]),
        ];
        for (sql, values) in statements {
            let program = db
                .conn()
                .query_all_raw(sql_of(&format!("EXPLAIN {sql}"), values));
            let program: Vec<(String, i64, i64)> = program
                .await
                .expect("program")
                .iter()
                .map(|row| {
                    let get = |i| row.try_get_by_index::<i64>(i).expect("operand");
                    let opcode = row.try_get_by_index(1).expect("opcode");
                    (opcode, get(2), get(3))
                })
                .collect();
            let opened = |root: i64| -> Vec<i64> {
                let open = program
                    .iter()
                    .filter(|(op, _, p2)| op == "OpenRead" && *p2 == root);
                open.map(|(_, cursor, _)| *cursor).collect()
            };
            assert!(!opened(index).is_empty(), "the index is read: {sql}");
            let rows = opened(table);
            let read = program.iter().any(|(op, cursor, _)| {
                ["Column", "Rowid", "SeekRowid", "NotExists"].contains(&op.as_str())
                    && rows.contains(cursor)
            });
            assert!(!read, "a row of messages is read: {sql}\n{program:?}");
        }
    }

    fn sql_of(sql: &str, values: Vec<sea_orm::Value>) -> Statement {
        Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
    }

    fn cost(amount: f64, currency: &str) -> Cost {
        Cost {
            amount,
            currency: currency.into(),
        }
    }

    #[test]
    fn currencies_are_summed_apart_and_odd_ones_are_unknown() {
        let mut spending = Spending::default();
        spending.add(Some("USD".into()), 1.5, 2);
        spending.add(Some("cny".into()), 3.0, 1);
        spending.add(Some("CNY".into()), 0.5, 1);
        spending.add(None, 0.0, 4);
        spending.add(Some("DOLLARS".into()), 9.0, 1);
        spending.add(Some("EUR".into()), f64::INFINITY, 1);
        spending.add(Some("USD".into()), f64::MAX, 1);
        spending.add(Some("USD".into()), f64::MAX, 1);
        assert_eq!(
            spending,
            Spending {
                amounts: vec![cost(3.5, "CNY"), cost(f64::MAX, "USD")],
                unpriced: 7,
            }
        );
    }
}
