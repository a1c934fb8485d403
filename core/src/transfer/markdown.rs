//! Conversations as Markdown, for reading: a heading per conversation, then each message
//! under a line naming its author and time (UTC). Not meant to be imported again (that is
//! what the JSON export is for).

use super::record::{ConversationRecord, MessageRecord};
use crate::store::entities::conversation::ConversationStatus;
use crate::store::entities::message::{MessageState, Role};

/// The heading block of a conversation.
pub fn conversation_head(record: &ConversationRecord) -> String {
    let title = if record.title.trim().is_empty() {
        "Untitled conversation"
    } else {
        record.title.as_str()
    };
    let mut facts = vec![format!("Created {}", utc(record.created_at))];
    facts.push(format!("updated {}", utc(record.updated_at)));
    if let Some(agent) = &record.agent {
        facts.push(format!("agent `{}`", one_line(agent).replace('`', "'")));
    }
    if record.status == ConversationStatus::Archived {
        facts.push("archived".into());
    }
    if record.pinned {
        facts.push("pinned".into());
    }
    let mut out = format!(
        "# {}\n\n_{}_\n\n",
        escape_html(&one_line(title)),
        facts.join(" · ")
    );
    if let Some(prompt) = record
        .context_override
        .as_ref()
        .and_then(|over| over.system_prompt.as_deref())
        .filter(|prompt| !prompt.trim().is_empty())
    {
        out.push_str("**System prompt (this conversation)**\n\n");
        out.push_str(&quote(&escape_html(prompt)));
        out.push_str("\n\n");
    }
    out
}

/// One message: a bold line with role, model and time, then its text as written, then
/// `links` (its attachments, one per paragraph).
pub fn message(record: &MessageRecord, links: &[String]) -> String {
    let role = match record.role {
        Role::System => "System",
        Role::User => "User",
        Role::Assistant => "Assistant",
        Role::Tool => "Tool",
    };
    let mut facts = vec![format!("**{role}**")];
    if let Some(model) = &record.meta.model {
        facts.push(format!("`{}`", one_line(model).replace('`', "'")));
    }
    facts.push(utc(record.created_at));
    match record.state {
        MessageState::Complete => {}
        MessageState::Partial => facts.push("_incomplete_".into()),
        MessageState::Error => facts.push("_failed_".into()),
        MessageState::Cancelled => facts.push("_stopped_".into()),
    }
    if !record.in_context {
        facts.push("_not sent to the model_".into());
    }
    let mut body = Vec::with_capacity(links.len() + 1);
    if let Some(steps) = record
        .parts
        .as_deref()
        .and_then(super::markdown_tools::steps_body)
    {
        body.push(steps);
    } else if !record.content.trim().is_empty() {
        body.push(escape_html(record.content.trim_end()));
    } else if links.is_empty() {
        body.push("_(empty)_".to_string());
    }
    body.extend(links.iter().cloned());
    if let Some(sources) = record
        .parts
        .as_deref()
        .and_then(super::markdown_tools::sources_block)
    {
        body.push(sources);
    }
    format!("{}\n\n{}\n\n", facts.join(" · "), body.join("\n\n"))
}

/// What separates two conversations in one file.
pub const SEPARATOR: &str = "\n---\n\n";

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn quote(text: &str) -> String {
    text.lines()
        .map(|line| format!("> {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text with every `<` outside code written as `&lt;`, so that a Markdown viewer shows
/// tags as text instead of running them (`<script>`, `<img onerror>` in a model's reply or
/// an imported message). Inside fenced blocks and `code spans` a `<` is already text, and
/// an entity there would show literally, so it is left alone.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<String> = None;
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let marker = fence_marker(line);
        match (&fence, marker) {
            (Some(open), Some(close)) if close.starts_with(open.as_str()) => {
                fence = None;
                out.push_str(line);
            }
            (Some(_), _) => out.push_str(line),
            (None, Some(open)) => {
                fence = Some(open);
                out.push_str(line);
            }
            (None, None) => escape_line(line, &mut out),
        }
    }
    out
}

/// The run of backticks or tildes that opens or closes a fenced block on `line`.
fn fence_marker(line: &str) -> Option<String> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let first = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run: String = trimmed.chars().take_while(|c| *c == first).collect();
    (run.len() >= 3).then_some(run)
}

/// One line outside fenced blocks: `<` escaped except inside code spans.
fn escape_line(line: &str, out: &mut String) {
    let mut rest = line;
    while let Some(at) = rest.find(['`', '<']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        if let Some(after) = from.strip_prefix('<') {
            out.push_str("&lt;");
            rest = after;
            continue;
        }
        let ticks = from.len() - from.trim_start_matches('`').len();
        let opener = &from[..ticks];
        let after = &from[ticks..];
        // A span ends at the same number of backticks; an unmatched run is plain text.
        match find_closing(after, ticks) {
            Some(end) => {
                out.push_str(opener);
                out.push_str(&after[..end + ticks]);
                rest = &after[end + ticks..];
            }
            None => {
                out.push_str(opener);
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// Where a run of exactly `ticks` backticks starts in `text`.
fn find_closing(text: &str, ticks: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if run == ticks {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// `2025-03-01 14:05 UTC` from unix milliseconds.
pub fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, in_day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = crate::store::civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        in_day / 3600,
        in_day % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_outside_code_is_escaped_and_code_is_kept() {
        let text = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)>\n\
                    `a <b>` and ``x ` <y>``\n```html\n<div>raw</div>\n```\n<p>after</p> `open";
        assert_eq!(
            escape_html(text),
            "Hi &lt;script>alert(1)&lt;/script> &lt;img src=x onerror=alert(2)>\n\
             `a <b>` and ``x ` <y>``\n```html\n<div>raw</div>\n```\n&lt;p>after&lt;/p> `open"
        );
        // An unclosed fence keeps the rest as code, as Markdown viewers show it.
        assert_eq!(escape_html("~~~\n<b>"), "~~~\n<b>");
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        // 2024-02-29 23:59:59 UTC, a leap day.
        assert_eq!(utc(1_709_251_199_000), "2024-02-29 23:59 UTC");
        assert_eq!(utc(1_709_251_200_000), "2024-03-01 00:00 UTC");
        assert_eq!(utc(-1000), "1969-12-31 23:59 UTC");
    }
}
