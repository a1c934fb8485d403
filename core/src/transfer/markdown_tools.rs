//! A reply's tool steps and sources in a Markdown export: its text segments as written, each tool call
//! as a line naming the tool with how it ended, its arguments and its result in fenced
//! blocks (a fence longer than any run of backticks inside, so nothing escapes it).

use std::collections::HashMap;

use super::markdown::escape_html;
use crate::vocab::Part;

/// The body of a message with tool steps, in order; `None` for a message without any.
pub fn steps_body(parts: &[Part]) -> Option<String> {
    if !parts
        .iter()
        .any(|part| matches!(part, Part::ToolCall { .. }))
    {
        return None;
    }
    let results: HashMap<&str, (&str, bool, Option<u32>)> = parts
        .iter()
        .filter_map(|part| match part {
            Part::ToolResult {
                call_id,
                content,
                is_error,
                duration_ms,
            } => Some((
                call_id.as_str(),
                (content.as_str(), *is_error, *duration_ms),
            )),
            _ => None,
        })
        .collect();
    let mut blocks = Vec::new();
    for part in parts {
        match part {
            Part::Text { text } if !text.trim().is_empty() => {
                blocks.push(escape_html(text.trim_end()));
            }
            Part::ToolCall {
                call_id,
                name,
                arguments,
                server,
            } => blocks.push(call_block(
                name,
                server.as_deref(),
                arguments,
                results.get(call_id.as_str()).copied(),
            )),
            _ => {}
        }
    }
    Some(blocks.join("\n\n"))
}

/// The knowledge bases a reply searched, as a list of its numbered sources (file, where
/// in it, the passage quoted), or a line saying nothing relevant was found; `None` when it
/// searched none.
pub fn sources_block(parts: &[Part]) -> Option<String> {
    let bases = parts.iter().find_map(|part| match part {
        Part::Retrieval { bases, .. } => Some(bases),
        _ => None,
    })?;
    let names = escape_html(&bases.join(", "));
    let mut lines = Vec::new();
    for part in parts {
        if let Part::Citation {
            title,
            locator,
            snippet,
            ..
        } = part
        {
            let mut line = format!("{}. **{}**", lines.len() + 1, escape_html(title));
            if let Some(locator) = locator {
                line.push_str(&format!(" ({})", escape_html(locator)));
            }
            let quoted: Vec<String> = snippet
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(6)
                .map(|l| format!("   > {}", escape_html(l.trim())))
                .collect();
            if !quoted.is_empty() {
                line.push('\n');
                line.push_str(&quoted.join("\n"));
            }
            lines.push(line);
        }
    }
    if lines.is_empty() {
        return Some(format!("_Searched {names}: no relevant passages found._"));
    }
    Some(format!("**Sources** ({names})\n\n{}", lines.join("\n")))
}

fn call_block(
    name: &str,
    server: Option<&str>,
    arguments: &str,
    result: Option<(&str, bool, Option<u32>)>,
) -> String {
    let mut head = format!("**Tool** {}", code(name));
    if let Some(server) = server {
        head.push_str(&format!(" ({})", code(server)));
    }
    let arguments = serde_json::from_str::<serde_json::Value>(arguments)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| arguments.to_string());
    let mut block = String::new();
    match result {
        Some((content, is_error, duration_ms)) => {
            head.push_str(if is_error { " · _failed_" } else { " · ok" });
            if let Some(ms) = duration_ms.filter(|ms| *ms > 0) {
                head.push_str(&format!(" · {ms} ms"));
            }
            block.push_str(&head);
            block.push_str("\n\n");
            block.push_str(&fenced(&arguments, "json"));
            block.push_str("\n\n");
            block.push_str(&fenced(content, "text"));
        }
        None => {
            head.push_str(" · _no result_");
            block.push_str(&head);
            block.push_str("\n\n");
            block.push_str(&fenced(&arguments, "json"));
        }
    }
    block
}

/// `text` as inline code on one line.
fn code(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("`{}`", line.replace('`', "'"))
}

/// `text` in a fenced block that nothing inside can close.
fn fenced(text: &str, lang: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}{lang}\n{}\n{fence}", text.trim_end_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_written_in_order_and_nothing_escapes_a_fence() {
        let parts = vec![
            Part::text("Let me <b>check</b>."),
            Part::ToolCall {
                call_id: "a".into(),
                name: "echo".into(),
                arguments: r#"{"message":"hi"}"#.into(),
                server: Some("everything".into()),
            },
            Part::ToolCall {
                call_id: "b".into(),
                name: "x`y".into(),
                arguments: "{bad".into(),
                server: None,
            },
            Part::ToolResult {
                call_id: "a".into(),
                content: "```\n<script>alert(1)</script>\n```".into(),
                is_error: false,
                duration_ms: Some(12),
            },
            Part::text("Done."),
        ];
        let body = steps_body(&parts).expect("a body");
        assert!(body.starts_with("Let me &lt;b>check&lt;/b>."), "{body}");
        assert!(body.contains("**Tool** `echo` (`everything`) · ok · 12 ms"));
        assert!(body.contains("````text\n```\n<script>alert(1)</script>\n```\n````"));
        assert!(body.contains("```json\n{\n  \"message\": \"hi\"\n}\n```"));
        assert!(body.contains("**Tool** `x'y` · _no result_\n\n```json\n{bad\n```"));
        assert!(body.ends_with("Done."));
        assert_eq!(steps_body(&[Part::text("plain")]), None);
    }
}
