//! Usage statistics for the admin page: totals, and per day, agent and model over a window
//! of recent days, and the latest failed replies. What replies cost is in `stats_cost`.
//!
//! Every query is answered from indexes (see the `messages_stats` migration): the model and
//! token counts are virtual generated columns over `meta`, covered by an index that leads
//! with `created_at`. Days are calendar days at the caller's UTC offset.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use serde::Serialize;
use specta::Type;

use super::stats_cost::{self, Spending};
use crate::error::{ErrorCode, Result};

pub(super) const DAY_MS: i64 = 86_400_000;
/// The longest window asked for; longer ones are cut to it.
pub const MAX_DAYS: u32 = 366;
/// How many of the latest errors are listed.
pub const RECENT_ERRORS: u64 = 20;
/// Characters kept of an error's message.
const ERROR_MESSAGE_CHARS: usize = 200;

/// Which window the figures cover.
#[derive(Debug, Clone, Copy)]
pub struct StatsQuery {
    /// Days in the window, today included (1–[`MAX_DAYS`]).
    pub days: u32,
    /// Now, in unix milliseconds.
    pub now: i64,
    /// Minutes east of UTC of the user's time zone (UTC+8: 480), for where days begin.
    pub utc_offset_minutes: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Start of the window (the first day's midnight), unix milliseconds.
    pub since: i64,
    /// All time.
    pub totals: Totals,
    /// Every day of the window, oldest first (days without messages included, as zeros).
    pub per_day: Vec<DayUsage>,
    /// The window's messages by their conversation's agent, most messages first.
    pub per_agent: Vec<AgentUsage>,
    /// The window's replies by model (messages without a model are not counted), most
    /// messages first.
    pub per_model: Vec<ModelUsage>,
    /// The latest failed replies, newest first.
    pub recent_errors: Vec<RecentError>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub conversations: u64,
    pub messages: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Tokens spent reasoning, where the provider reported them (part of completion tokens).
    pub reasoning_tokens: u64,
    /// Replies that ended in an error.
    pub errors: u64,
    pub cost: Spending,
}

/// Messages, tokens and errors of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub messages: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub errors: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DayUsage {
    /// The calendar day, `YYYY-MM-DD`.
    pub date: String,
    /// Its midnight, unix milliseconds.
    pub start: i64,
    pub usage: Usage,
    pub cost: Spending,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentUsage {
    /// The agent's `id`; `None` for conversations without an agent (or whose agent was
    /// deleted).
    pub agent_id: Option<String>,
    /// The agent's display name, when it still exists.
    pub name: Option<String>,
    pub usage: Usage,
    pub cost: Spending,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ModelUsage {
    pub model: String,
    pub usage: Usage,
    pub cost: Spending,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RecentError {
    pub message_id: String,
    pub conversation_id: String,
    /// The message's place in its conversation, to jump to it.
    pub seq: i64,
    pub conversation_title: String,
    pub created_at: i64,
    /// `None` when the stored code is not one this version knows.
    pub error_code: Option<ErrorCode>,
    /// The error's message, cut to 200 characters.
    pub message: String,
}

/// The statistics for `query`'s window.
pub async fn get(db: &impl ConnectionTrait, query: StatsQuery) -> Result<Stats> {
    let days = i64::from(query.days.clamp(1, MAX_DAYS));
    let offset = i64::from(query.utc_offset_minutes) * 60_000;
    let today = (query.now + offset).div_euclid(DAY_MS);
    let first_day = today - days + 1;
    let since = first_day * DAY_MS - offset;
    Ok(Stats {
        since,
        totals: totals(db).await?,
        per_day: per_day(db, since, offset, first_day, days).await?,
        per_agent: per_agent(db, since).await?,
        per_model: per_model(db, since).await?,
        recent_errors: recent_errors(db).await?,
    })
}

/// The four figures of a [`Usage`], as selected by [`USAGE_COLUMNS`] from column `from` on.
fn usage(row: &QueryResult, from: usize) -> Result<Usage> {
    let count = |index: usize| count(row, index);
    Ok(Usage {
        messages: count(from)?,
        prompt_tokens: count(from + 1)?,
        completion_tokens: count(from + 2)?,
        errors: count(from + 3)?,
    })
}

/// A count or sum in column `index` (NULL, the sum of no rows, is 0).
pub(super) fn count(row: &QueryResult, index: usize) -> Result<u64> {
    let value: Option<i64> = row.try_get_by_index(index)?;
    Ok(u64::try_from(value.unwrap_or(0)).unwrap_or(0))
}

const USAGE_COLUMNS: &str = "count(*), sum(stat_prompt_tokens), sum(stat_completion_tokens),
     sum(state = 'error')";

pub(super) fn totals_sql() -> String {
    format!(
        "SELECT (SELECT count(*) FROM conversations), sum(stat_reasoning_tokens),
                {USAGE_COLUMNS}
         FROM messages INDEXED BY messages_stats"
    )
}

async fn totals(db: &impl ConnectionTrait) -> Result<Totals> {
    let cost = stats_cost::total(db).await?;
    let Some(row) = query(db, &totals_sql(), []).await?.into_iter().next() else {
        return Ok(Totals::default());
    };
    let (conversations, reasoning_tokens) = (count(&row, 0)?, count(&row, 1)?);
    let usage = usage(&row, 2)?;
    Ok(Totals {
        conversations,
        messages: usage.messages,
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        reasoning_tokens,
        errors: usage.errors,
        cost,
    })
}

async fn per_day(
    db: &impl ConnectionTrait,
    since: i64,
    offset: i64,
    first_day: i64,
    days: i64,
) -> Result<Vec<DayUsage>> {
    let sql = format!(
        "SELECT (created_at + ?) / {DAY_MS} AS day, {USAGE_COLUMNS}
         FROM messages INDEXED BY messages_stats WHERE created_at >= ? GROUP BY day"
    );
    let rows = query(db, &sql, [offset.into(), since.into()]).await?;
    let mut found = std::collections::HashMap::with_capacity(rows.len());
    for row in &rows {
        let day: i64 = row.try_get_by_index(0)?;
        found.insert(day, usage(row, 1)?);
    }
    let mut costs = stats_cost::per_day(db, since, offset).await?;
    Ok((first_day..first_day + days)
        .map(|day| DayUsage {
            date: civil_date(day),
            start: day * DAY_MS - offset,
            usage: found.remove(&day).unwrap_or_default(),
            cost: costs.remove(&day).unwrap_or_default(),
        })
        .collect())
}

async fn per_agent(db: &impl ConnectionTrait, since: i64) -> Result<Vec<AgentUsage>> {
    // Messages are grouped by conversation from the index first, so only one lookup per
    // conversation (not per message) is needed to find its agent.
    let sql = "SELECT a.id, json_extract(a.app_preset, '$.name'),
                      sum(m.n), sum(m.prompt), sum(m.completion), sum(m.errors)
               FROM (SELECT conversation_id, count(*) AS n,
                            sum(stat_prompt_tokens) AS prompt,
                            sum(stat_completion_tokens) AS completion,
                            sum(state = 'error') AS errors
                     FROM messages INDEXED BY messages_stats
                     WHERE created_at >= ? GROUP BY conversation_id) AS m
               JOIN conversations AS c ON c.id = m.conversation_id
               LEFT JOIN agents AS a ON a.id = c.agent_id
               GROUP BY a.id
               ORDER BY sum(m.n) DESC, a.id";
    let rows = query(db, sql, [since.into()]).await?;
    let mut costs = stats_cost::per_agent(db, since).await?;
    rows.iter()
        .map(|row| {
            let agent_id: Option<String> = row.try_get_by_index(0)?;
            Ok(AgentUsage {
                cost: costs.remove(&agent_id).unwrap_or_default(),
                agent_id,
                name: row.try_get_by_index(1)?,
                usage: usage(row, 2)?,
            })
        })
        .collect()
}

async fn per_model(db: &impl ConnectionTrait, since: i64) -> Result<Vec<ModelUsage>> {
    let sql = format!(
        "SELECT stat_model, {USAGE_COLUMNS}
         FROM messages INDEXED BY messages_stats
         WHERE created_at >= ? AND stat_model IS NOT NULL
         GROUP BY stat_model ORDER BY count(*) DESC, stat_model"
    );
    let rows = query(db, &sql, [since.into()]).await?;
    let mut costs = stats_cost::per_model(db, since).await?;
    rows.iter()
        .map(|row| {
            let model: String = row.try_get_by_index(0)?;
            Ok(ModelUsage {
                cost: costs.remove(&model).unwrap_or_default(),
                model,
                usage: usage(row, 1)?,
            })
        })
        .collect()
}

async fn recent_errors(db: &impl ConnectionTrait) -> Result<Vec<RecentError>> {
    let sql = format!(
        "SELECT m.id, m.conversation_id, c.title, m.created_at,
                json_extract(m.meta, '$.errorCode'), json_extract(m.meta, '$.errorMessage'),
                m.seq
         FROM messages AS m INDEXED BY messages_errors
         JOIN conversations AS c ON c.id = m.conversation_id
         WHERE m.state = 'error'
         ORDER BY m.created_at DESC, m.rid DESC LIMIT {RECENT_ERRORS}"
    );
    let rows = query(db, &sql, []).await?;
    rows.iter()
        .map(|row| {
            let code: Option<String> = row.try_get_by_index(4)?;
            let message: Option<String> = row.try_get_by_index(5)?;
            Ok(RecentError {
                message_id: row.try_get_by_index(0)?,
                conversation_id: row.try_get_by_index(1)?,
                seq: row.try_get_by_index(6)?,
                conversation_title: row.try_get_by_index(2)?,
                created_at: row.try_get_by_index(3)?,
                error_code: code
                    .and_then(|code| serde_json::from_value(serde_json::Value::String(code)).ok()),
                message: message
                    .unwrap_or_default()
                    .chars()
                    .take(ERROR_MESSAGE_CHARS)
                    .collect(),
            })
        })
        .collect()
}

pub(super) async fn query<const N: usize>(
    db: &impl ConnectionTrait,
    sql: &str,
    values: [Value; N],
) -> Result<Vec<QueryResult>> {
    Ok(db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await?)
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (proleptic Gregorian calendar).
fn civil_date(day: i64) -> String {
    let (year, month, day) = super::civil_from_days(day);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_414), "2025-11-22");
        assert_eq!(civil_date(-1), "1969-12-31");
    }
}
