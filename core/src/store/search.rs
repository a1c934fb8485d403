//! Full-text search over conversation titles, message text and the text read out of
//! attached documents (a document's hit names the message that uses it).
//!
//! The FTS5 indexes use the trigram tokenizer (see the search-index migration): any run of
//! three or more characters matches, in English and in Chinese alike. Each word of the
//! query must appear. Words shorter than three characters cannot be looked up in a trigram
//! index, so a query made only of such words (common in Chinese: "模型", "AI") falls back to a
//! `LIKE` scan over the newest [`SHORT_QUERY_SCAN`] messages, which bounds its cost on a
//! large history.
//!
//! Results come newest first (index row order), not by relevance: ranking needs a score for
//! every match, and a common word matches hundreds of thousands of messages in a large
//! history (measured on the 1M-message seed: 380 ms ranked, 2 ms newest first). In a chat
//! history the recent mention is usually the one looked for.
//!
//! Snippets are returned as segments (`SnippetPart`), never as markup, so the UI has nothing
//! to parse and model text cannot inject HTML.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use serde::Serialize;
use specta::Type;

use super::entities::message::Role;
pub use super::snippet::{SnippetPart, snippet};
use crate::error::Result;

/// Most results one search returns.
pub const MAX_RESULTS: u32 = 100;
/// Title matches shown before message matches, at most.
const MAX_TITLE_HITS: u32 = 5;
/// Newest messages a short (one- or two-character) query scans.
pub const SHORT_QUERY_SCAN: i64 = 50_000;
/// Longest query accepted (characters).
const MAX_QUERY_CHARS: usize = 200;

/// One place a search matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub conversation_id: String,
    pub conversation_title: String,
    /// The matching message; `None` when the title matched.
    pub message_id: Option<String>,
    pub seq: Option<i64>,
    pub role: Option<Role>,
    /// The text around the match, with the matching parts marked.
    pub snippet: Vec<SnippetPart>,
    /// Unix milliseconds: of the message, or the conversation's last update.
    pub created_at: i64,
    pub archived: bool,
}

/// Searches titles, then message text; newest first.
pub async fn search(db: &impl ConnectionTrait, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let terms = terms(query);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let limit = limit.clamp(1, MAX_RESULTS);
    let mut hits = titles(db, &terms, limit.min(MAX_TITLE_HITS)).await?;
    let left = limit - u32::try_from(hits.len()).unwrap_or(limit);
    let texts = messages(db, &terms, left).await?;
    let files = files(db, &terms, left).await?;
    hits.extend(newest_first(texts, files, left));
    Ok(hits)
}

/// Two lists of hits, each newest first, as one: a message that matched by its text and by
/// a file it carries shows once (by its text).
fn newest_first(texts: Vec<SearchHit>, files: Vec<SearchHit>, limit: u32) -> Vec<SearchHit> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut seen = std::collections::HashSet::new();
    let mut merged = Vec::new();
    let (mut texts, mut files) = (texts.into_iter().peekable(), files.into_iter().peekable());
    while merged.len() < limit {
        let take_file = match (texts.peek(), files.peek()) {
            (Some(text), Some(file)) => file.created_at > text.created_at,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        let Some(hit) = (if take_file {
            files.next()
        } else {
            texts.next()
        }) else {
            break;
        };
        if seen.insert(hit.message_id.clone()) {
            merged.push(hit);
        }
    }
    merged
}

/// The words of a query, each at most once, lowercased for matching.
fn terms(query: &str) -> Vec<String> {
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let mut terms: Vec<String> = Vec::new();
    for word in query.split_whitespace() {
        let word = word.to_lowercase();
        if !terms.contains(&word) {
            terms.push(word);
        }
    }
    terms
}

/// An FTS5 MATCH expression requiring every indexable term (3+ characters), each as a quoted
/// string so that no character of the query is read as an operator. `None` if no term is
/// long enough.
fn match_expression(terms: &[String]) -> Option<String> {
    let quoted: Vec<String> = terms
        .iter()
        .filter(|term| term.chars().count() >= 3)
        .map(|term| format!("\"{}\"", term.replace('"', "\"\"")))
        .collect();
    (!quoted.is_empty()).then(|| quoted.join(" AND "))
}

/// `LIKE` conditions for the terms the index cannot match, with their values.
fn like_conditions(column: &str, terms: &[String], all: bool) -> (String, Vec<Value>) {
    let short: Vec<&String> = terms
        .iter()
        .filter(|term| all || term.chars().count() < 3)
        .collect();
    let sql = short
        .iter()
        .map(|_| format!(" AND {column} LIKE ? ESCAPE '\\'"))
        .collect::<String>();
    let values = short
        .iter()
        .map(|term| {
            let escaped = term
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            Value::from(format!("%{escaped}%"))
        })
        .collect();
    (sql, values)
}

async fn titles(db: &impl ConnectionTrait, terms: &[String], limit: u32) -> Result<Vec<SearchHit>> {
    let (sql, values) = match match_expression(terms) {
        Some(expression) => {
            let (extra, like) = like_conditions("c.title", terms, false);
            let mut values = vec![Value::from(expression)];
            values.extend(like);
            (
                format!(
                    "SELECT c.id, c.title, c.updated_at, c.status FROM conversations_fts f
                     JOIN conversations c ON c.rid = f.rowid
                     WHERE conversations_fts MATCH ?{extra}
                     ORDER BY f.rowid DESC LIMIT ?"
                ),
                values,
            )
        }
        None => {
            let (extra, like) = like_conditions("c.title", terms, true);
            (
                format!(
                    "SELECT c.id, c.title, c.updated_at, c.status FROM conversations c
                     WHERE 1 = 1{extra} ORDER BY c.updated_at DESC LIMIT ?"
                ),
                like,
            )
        }
    };
    let rows = query_limited(db, sql, values, limit).await?;
    rows.iter()
        .map(|row| {
            let title: String = row.try_get_by_index(1)?;
            Ok(SearchHit {
                conversation_id: row.try_get_by_index(0)?,
                snippet: snippet(&title, terms),
                conversation_title: title,
                message_id: None,
                seq: None,
                role: None,
                created_at: row.try_get_by_index(2)?,
                archived: is_archived(row, 3)?,
            })
        })
        .collect()
}

/// Runs `sql`, whose last parameter is the row limit, with `values` then `limit`.
async fn query_limited(
    db: &impl ConnectionTrait,
    sql: String,
    mut values: Vec<Value>,
    limit: u32,
) -> Result<Vec<QueryResult>> {
    values.push(Value::from(limit));
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await?;
    Ok(rows)
}

async fn messages(
    db: &impl ConnectionTrait,
    terms: &[String],
    limit: u32,
) -> Result<Vec<SearchHit>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    const COLUMNS: &str = "m.id, m.conversation_id, m.seq, m.role, m.content, m.created_at, \
                           c.title, c.status";
    let (sql, values) = match match_expression(terms) {
        Some(expression) => {
            let (extra, like) = like_conditions("m.content", terms, false);
            let mut values = vec![Value::from(expression)];
            values.extend(like);
            (
                format!(
                    "SELECT {COLUMNS} FROM messages_fts f
                     JOIN messages m ON m.rid = f.rowid
                     JOIN conversations c ON c.id = m.conversation_id
                     WHERE messages_fts MATCH ?{extra}
                     ORDER BY f.rowid DESC LIMIT ?"
                ),
                values,
            )
        }
        None => {
            let (extra, like) = like_conditions("m.content", terms, true);
            let mut values = vec![Value::from(SHORT_QUERY_SCAN)];
            values.extend(like);
            (
                format!(
                    "SELECT {COLUMNS} FROM messages m
                     JOIN conversations c ON c.id = m.conversation_id
                     WHERE m.rid > (SELECT coalesce(max(rid), 0) FROM messages) - ?{extra}
                     ORDER BY m.rid DESC LIMIT ?"
                ),
                values,
            )
        }
    };
    let rows = query_limited(db, sql, values, limit).await?;
    rows.iter().map(|row| message_hit(row, terms)).collect()
}

/// Characters of a document's text read around its first match, for the snippet.
const FILE_WINDOW_BEFORE: i64 = 100;
const FILE_WINDOW_CHARS: i64 = 600;

/// Messages whose attached documents' text holds every term, newest message first. A
/// query of short terms only (which the index cannot look up) finds no documents: a
/// `LIKE` scan over whole documents would cost too much.
async fn files(db: &impl ConnectionTrait, terms: &[String], limit: u32) -> Result<Vec<SearchHit>> {
    let Some(expression) = match_expression(terms).filter(|_| limit > 0) else {
        return Ok(Vec::new());
    };
    // The snippet is cut from a window around the first long term; SQLite's `lower` folds
    // ASCII only, so a term it misses shows the document's start.
    let first = terms
        .iter()
        .find(|term| term.chars().count() >= 3)
        .cloned()
        .unwrap_or_default();
    let (extra, like) = like_conditions("t.text", terms, false);
    let mut values = vec![
        Value::from(first),
        Value::from(FILE_WINDOW_BEFORE),
        Value::from(FILE_WINDOW_CHARS),
        Value::from(expression),
    ];
    values.extend(like);
    // The hits are chosen first, so that only those have their window cut.
    let sql = format!(
        "SELECT m.id, m.conversation_id, m.seq, m.role,
                substr(t.text, max(1, instr(lower(t.text), ?) - ?), ?),
                m.created_at, c.title, c.status
         FROM (SELECT m.rid AS mrid, t.rid AS trid FROM blob_texts_fts f
               JOIN blob_texts t ON t.rid = f.rowid
               JOIN message_blobs mb ON mb.sha256 = t.sha256
               JOIN messages m ON m.id = mb.message_id
               WHERE blob_texts_fts MATCH ?{extra}
               ORDER BY m.rid DESC LIMIT ?) hit
         JOIN messages m ON m.rid = hit.mrid
         JOIN blob_texts t ON t.rid = hit.trid
         JOIN conversations c ON c.id = m.conversation_id
         ORDER BY m.rid DESC"
    );
    let rows = query_limited(db, sql, values, limit).await?;
    rows.iter().map(|row| message_hit(row, terms)).collect()
}

/// A message hit from the columns id, conversation id, seq, role, text, created at,
/// conversation title and status.
fn message_hit(row: &QueryResult, terms: &[String]) -> Result<SearchHit> {
    let content: String = row.try_get_by_index(4)?;
    let role: String = row.try_get_by_index(3)?;
    Ok(SearchHit {
        message_id: Some(row.try_get_by_index(0)?),
        conversation_id: row.try_get_by_index(1)?,
        seq: Some(row.try_get_by_index(2)?),
        role: role_from(&role),
        snippet: snippet(&content, terms),
        created_at: row.try_get_by_index(5)?,
        conversation_title: row.try_get_by_index(6)?,
        archived: is_archived(row, 7)?,
    })
}

/// Whether the conversation status in column `index` is `archived`.
fn is_archived(row: &QueryResult, index: usize) -> Result<bool> {
    let status: String = row.try_get_by_index(index)?;
    Ok(status == "archived")
}

fn role_from(role: &str) -> Option<Role> {
    match role {
        "system" => Some(Role::System),
        "user" => Some(Role::User),
        "assistant" => Some(Role::Assistant),
        "tool" => Some(Role::Tool),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_and_quotes_are_searched_as_text() {
        assert_eq!(
            match_expression(&terms(r#"a OR "b NEAR(c) foo*"#)).as_deref(),
            Some(r#""near(c)" AND "foo*""#)
        );
        assert_eq!(match_expression(&terms("ab 模型")), None);
        assert_eq!(
            match_expression(&terms(r#"say "hi""#)).as_deref(),
            Some(r#""say" AND """hi""""#)
        );
    }
}
