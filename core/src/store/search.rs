//! Full-text search over conversation titles and message text.
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
use crate::error::Result;

/// Most results one search returns.
pub const MAX_RESULTS: u32 = 100;
/// Title matches shown before message matches, at most.
const MAX_TITLE_HITS: u32 = 5;
/// Newest messages a short (one- or two-character) query scans.
pub const SHORT_QUERY_SCAN: i64 = 50_000;
/// Characters of context a snippet shows before its first match.
const SNIPPET_BEFORE: usize = 30;
/// A match this close to the start is shown with the text before it, uncut.
const SNIPPET_FROM_START: usize = 50;
/// Characters a snippet shows in all.
const SNIPPET_CHARS: usize = 160;
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
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
    hits.extend(messages(db, &terms, left).await?);
    Ok(hits)
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
    rows.iter()
        .map(|row| {
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
        })
        .collect()
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

/// A window of `text` around the first match of any term, cut into plain and matching
/// parts. Matching ignores case; the text keeps its own.
pub fn snippet(text: &str, terms: &[String]) -> Vec<SnippetPart> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let needles: Vec<Vec<char>> = terms
        .iter()
        .map(|term| term.chars().collect::<Vec<_>>())
        .filter(|needle| !needle.is_empty())
        .collect();
    let mut marked = vec![false; chars.len()];
    let mut first = None;
    for needle in &needles {
        let mut at = 0;
        while at + needle.len() <= lower.len() {
            if lower[at..at + needle.len()] == needle[..] {
                marked[at..at + needle.len()].fill(true);
                first = Some(first.map_or(at, |f: usize| f.min(at)));
                at += needle.len();
            } else {
                at += 1;
            }
        }
    }
    // The window starts a little before the first match, so that the match is in the first
    // line the UI shows (it clips the rest), even when that leaves the window short.
    // A match near the start needs no cut.
    let start = first
        .filter(|&f| f > SNIPPET_FROM_START)
        .map_or(0, |f| f - SNIPPET_BEFORE);
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let mut parts: Vec<SnippetPart> = Vec::new();
    if start > 0 {
        parts.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    for index in start..end {
        // Line breaks read as spaces in a one-line snippet.
        let c = if chars[index].is_whitespace() {
            ' '
        } else {
            chars[index]
        };
        // The leading "…" stays a part of its own.
        let after_ellipsis = start > 0 && parts.len() == 1;
        match parts.last_mut() {
            Some(last) if last.hit == marked[index] && !after_ellipsis => {
                last.text.push(c);
            }
            _ => parts.push(SnippetPart {
                text: c.to_string(),
                hit: marked[index],
            }),
        }
    }
    if end < chars.len() {
        parts.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(parts: &[SnippetPart]) -> String {
        parts
            .iter()
            .map(|part| {
                if part.hit {
                    format!("[{}]", part.text)
                } else {
                    part.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn snippets_mark_every_match_and_keep_the_text_case() {
        let terms = vec!["rust".to_string()];
        assert_eq!(
            render(&snippet("Rust is fast; rust is safe.", &terms)),
            "[Rust] is fast; [rust] is safe."
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!("{}needle{}", "a".repeat(500), "b".repeat(500));
        let parts = snippet(&text, &["needle".to_string()]);
        let shown = render(&parts);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("[needle]"), "{shown}");
        assert!(shown.chars().count() <= SNIPPET_CHARS + 4, "{shown}");
    }

    #[test]
    fn a_match_near_the_end_of_a_short_text_leads_the_snippet() {
        // The UI shows the snippet's first line or two: a match at the end of a text of
        // two hundred characters must not be pushed out of sight.
        let text = format!("{} keychain.", "Confab keeps every chat local. ".repeat(6));
        let shown = render(&snippet(&text, &["keychain".to_string()]));
        let at = shown.find("[keychain]").expect("marked");
        assert!(shown.starts_with('…'), "{shown}");
        assert!(shown[..at].chars().count() <= SNIPPET_BEFORE + 1, "{shown}");
    }

    #[test]
    fn chinese_matches_are_marked() {
        let terms = vec!["模型".to_string()];
        assert_eq!(
            render(&snippet("这个模型很好\n用", &terms)),
            "这个[模型]很好 用"
        );
    }

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
