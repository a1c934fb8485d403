//! The last lines a server wrote to stderr (and what it wrote to stdout that was not MCP),
//! for the person to read when it misbehaves. Bounded in lines and in bytes per line, and
//! redacted as it is stored: a server may print the secrets it was given.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncRead, AsyncReadExt};

/// Lines kept per server.
pub const MAX_LINES: usize = 200;
/// Bytes kept of one line; the rest of it is dropped.
pub const MAX_LINE_BYTES: usize = 2048;

#[derive(Debug, Clone, Default)]
pub struct Ring(Arc<Mutex<VecDeque<String>>>);

impl Ring {
    pub fn push(&self, line: &str) {
        let mut line = crate::logging::redact(line.trim_end());
        if line.len() > MAX_LINE_BYTES {
            line.truncate(line.floor_char_boundary(MAX_LINE_BYTES));
            line.push('…');
        }
        let mut lines = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if lines.len() == MAX_LINES {
            lines.pop_front();
        }
        lines.push_back(line);
    }

    pub fn lines(&self) -> Vec<String> {
        let lines = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        lines.iter().cloned().collect()
    }

    /// Reads `from` to its end, one bounded line at a time: a line without an end never
    /// holds more than [`MAX_LINE_BYTES`].
    pub async fn fill_from(&self, mut from: impl AsyncRead + Unpin) {
        let mut chunk = vec![0u8; 8192];
        let mut line: Vec<u8> = Vec::new();
        let mut overflow = false;
        loop {
            let read = match from.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            for &byte in &chunk[..read] {
                if byte == b'\n' {
                    self.push(&String::from_utf8_lossy(&line));
                    line.clear();
                    overflow = false;
                } else if line.len() < MAX_LINE_BYTES {
                    line.push(byte);
                } else if !overflow {
                    overflow = true;
                    line.extend_from_slice("…".as_bytes());
                }
            }
        }
        if !line.is_empty() {
            self.push(&String::from_utf8_lossy(&line));
        }
    }
}
