//! A stdio server's stdout, read before the MCP client sees it. Each line is a JSON-RPC
//! message, and a server is free to write anything: log lines, garbage, a 50 MB result.
//!
//! - A line that does not start like JSON is not passed on; its head goes to the server's
//!   log ring (servers that print to stdout by mistake stay diagnosable).
//! - A line longer than [`MAX_LINE_BYTES`] is never held whole: its head and tail are kept
//!   while the rest streams past. When it is an answer (its `id` is found at either end),
//!   the client gets a short answer in its place: the text at the start of the result,
//!   cut, with a note. So a huge result ends its call at once, with what fits, instead of
//!   being dropped and waiting for the call's timeout.

use std::sync::OnceLock;

use regex::Regex;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::ring::Ring;

/// The longest line passed on whole (a result with a few large images fits).
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;
/// Bytes kept of the end of an over-long line: enough for its `"id": ...}`.
const TAIL_BYTES: usize = 512;

/// Copies `from` to `to` line by line as described above, until either side closes.
pub async fn filter(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    log: Ring,
    head_bytes: usize,
) {
    let mut line = Line::new(head_bytes);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let read = match from.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        let mut rest = &chunk[..read];
        while !rest.is_empty() {
            let (part, ended) = match rest.iter().position(|&b| b == b'\n') {
                Some(at) => (&rest[..at], true),
                None => (rest, false),
            };
            line.push(part);
            rest = &rest[(part.len() + usize::from(ended)).min(rest.len())..];
            if ended {
                let out = line.finish(&log);
                if let Some(out) = out
                    && (to.write_all(&out).await.is_err() || to.write_all(b"\n").await.is_err())
                {
                    return;
                }
            }
        }
    }
}

/// One line being read: whole while it is short, head and tail once it is too long.
struct Line {
    head: Vec<u8>,
    tail: Vec<u8>,
    total: usize,
    head_bytes: usize,
}

impl Line {
    fn new(head_bytes: usize) -> Self {
        Self {
            head: Vec::new(),
            tail: Vec::new(),
            total: 0,
            head_bytes,
        }
    }

    fn push(&mut self, part: &[u8]) {
        self.total += part.len();
        if self.total <= MAX_LINE_BYTES {
            self.head.extend_from_slice(part);
            return;
        }
        if self.head.len() > self.head_bytes {
            // The line just became too long: keep what was read as head and tail.
            let cut = self.head.split_off(self.head_bytes);
            self.tail = cut;
        }
        self.tail.extend_from_slice(part);
        if self.tail.len() > TAIL_BYTES * 2 {
            self.tail.drain(..self.tail.len() - TAIL_BYTES);
        }
    }

    /// What to pass on for the line just ended, if anything.
    fn finish(&mut self, log: &Ring) -> Option<Vec<u8>> {
        let head = std::mem::take(&mut self.head);
        let tail = std::mem::take(&mut self.tail);
        let total = std::mem::replace(&mut self.total, 0);
        let start = head.iter().position(|b| !b.is_ascii_whitespace());
        let start = start?;
        if !matches!(head[start], b'{' | b'[') {
            let shown = &head[start..head.len().min(start + 200)];
            log.push(&format!("[stdout] {}", String::from_utf8_lossy(shown)));
            return None;
        }
        if total <= MAX_LINE_BYTES {
            return Some(head);
        }
        let Some(id) = answer_id(&head, &tail) else {
            log.push(&format!("[stdout] a message of {total} bytes was dropped"));
            return None;
        };
        log.push(&format!("[stdout] an answer of {total} bytes was cut"));
        Some(cut_answer(&id, &head, total))
    }
}

/// The `id` of an answer, at its start (`{"jsonrpc":"2.0","id":7,...`) or its end
/// (`...,"jsonrpc":"2.0","id":7}`, as the TypeScript SDK writes it).
fn answer_id(head: &[u8], tail: &[u8]) -> Option<String> {
    static AT_END: OnceLock<Option<Regex>> = OnceLock::new();
    static AT_START: OnceLock<Option<Regex>> = OnceLock::new();
    let id = r#"(-?\d{1,18}|"[^"\\]{0,200}")"#;
    let at_end = AT_END
        .get_or_init(|| Regex::new(&format!(r#""id"\s*:\s*{id}\s*\}}\s*$"#)).ok())
        .as_ref()?;
    let at_start = AT_START
        .get_or_init(|| {
            Regex::new(&format!(
                r#"^\s*\{{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*{id}"#
            ))
            .ok()
        })
        .as_ref()?;
    let tail = String::from_utf8_lossy(tail);
    if let Some(found) = at_end.captures(&tail) {
        return Some(found[1].to_string());
    }
    let head = String::from_utf8_lossy(&head[..head.len().min(256)]);
    at_start.captures(&head).map(|found| found[1].to_string())
}

/// A short answer standing for an over-long one: the start of its first text, cut.
fn cut_answer(id: &str, head: &[u8], total: usize) -> Vec<u8> {
    let shown = first_text(head).unwrap_or_default();
    let note = format!("\n[… the result was {total} bytes; only its start was read]");
    let result = serde_json::json!({
        "content": [{"type": "text", "text": format!("{shown}{note}")}],
    });
    let id: serde_json::Value = serde_json::from_str(id).unwrap_or(serde_json::Value::Null);
    let answer = serde_json::json!({"jsonrpc": "2.0", "id": id, "result": result});
    answer.to_string().into_bytes()
}

/// The text of the first `"text":"...` in `head`, decoded as far as it goes.
fn first_text(head: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(head);
    let at = head.find(r#""text":""#)? + r#""text":"#.len();
    let raw = &head[at..];
    if let Some(close) = closing_quote(raw) {
        return serde_json::from_str(&raw[..=close]).ok();
    }
    // The string goes on past the head: close it, stepping back over an escape that may
    // be incomplete.
    (0..12).find_map(|back| {
        let end = raw.floor_char_boundary(raw.len().saturating_sub(back));
        serde_json::from_str(&format!("{}\"", &raw[..end])).ok()
    })
}

/// Where the JSON string starting at `s[0]` (a quote) ends, if it ends.
fn closing_quote(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in s.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(at),
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn run(input: Vec<u8>, head_bytes: usize) -> (String, Vec<String>) {
        let log = Ring::default();
        let mut out = Vec::new();
        filter(&input[..], &mut out, log.clone(), head_bytes).await;
        (String::from_utf8_lossy(&out).into_owned(), log.lines())
    }

    #[tokio::test]
    async fn garbage_is_logged_and_json_passes() {
        let input = b"hello world\n{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n".to_vec();
        let (out, log) = run(input, 1024).await;
        assert_eq!(out, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n");
        assert_eq!(log, ["[stdout] hello world"]);
    }

    #[tokio::test]
    async fn an_over_long_answer_becomes_its_cut_start() {
        let text = "é\\\"x".repeat(MAX_LINE_BYTES / 3);
        let line = format!(
            "{{\"result\":{{\"content\":[{{\"type\":\"text\",\"text\":\"{text}\"}}]}},\"jsonrpc\":\"2.0\",\"id\":42}}\n"
        );
        let (out, log) = run(line.into_bytes(), 1000).await;
        let answer: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
        assert_eq!(answer["id"], 42);
        let shown = answer["result"]["content"][0]["text"]
            .as_str()
            .expect("text");
        assert!(shown.starts_with("é\"xé\"x"), "{}", &shown[..20]);
        assert!(shown.len() < 1100 && shown.contains("only its start was read"));
        assert_eq!(log.len(), 1);
    }
}
