//! Logging set-up. Every crate logs through `tracing`; this installs the subscriber: a file
//! in the log directory, rolled daily and kept [`KEEP_DAYS`] days, plus stderr in debug
//! builds. The level comes from the settings and can change while the app runs.
//!
//! Secrets never reach a log line. Keys are [`crate::secrets::Secret`]s, which print as
//! `<redacted>`; and, whatever the code logs, every line passes a redactor on its way out
//! that blanks every key this process has seen, `Authorization` / `Bearer` values,
//! `api_key` values and `sk-…` key shapes.

use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError, RwLock};

use regex::Regex;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder as RollingBuilder, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Registry, reload};

use crate::error::{Error, Result};

/// Days of log files kept.
pub const KEEP_DAYS: usize = 7;
/// Log file names: `confab.YYYY-MM-DD.log`.
pub const FILE_PREFIX: &str = "confab";

/// Keeps the file writer running; drop it last (it flushes what is queued).
pub struct LogGuard {
    _file: Option<WorkerGuard>,
}

static LEVEL: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();
/// Set when `RUST_LOG` chose the filter: the level from the settings then changes nothing.
static FROM_ENV: AtomicBool = AtomicBool::new(false);

/// Installs the subscriber at `level` (e.g. `"info"`; `RUST_LOG` overrides it, now and
/// when the level setting changes later), writing to daily files in `log_dir` when given.
/// A second call changes nothing.
pub fn init(level: &str, log_dir: Option<&Path>) -> LogGuard {
    let from_env = EnvFilter::try_from_default_env().ok();
    let env_chose = from_env.is_some();
    let filter = from_env.unwrap_or_else(|| filter_for(level));
    let (filter, handle) = reload::Layer::new(filter);
    let (file, guard) = match log_dir.map(|dir| (dir, file_writer(dir))) {
        Some((_, Ok((writer, guard)))) => (Some(writer), Some(guard)),
        Some((dir, Err(error))) => {
            eprintln!("logging to a file is off: {}: {error}", dir.display());
            (None, None)
        }
        None => (None, None),
    };
    let file_layer = file.map(|writer| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_target(false)
            .with_writer(Redacting(writer))
    });
    let stderr_layer = (cfg!(debug_assertions) || log_dir.is_none()).then(|| {
        tracing_subscriber::fmt::layer()
            .with_target(false)
            .with_writer(Redacting(io::stderr))
    });
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init()
        .is_ok();
    if installed {
        FROM_ENV.store(env_chose, Ordering::Relaxed);
        let _ = LEVEL.set(handle);
    }
    LogGuard { _file: guard }
}

/// Changes the level of the running subscriber (`error`, `warn`, `info`, `debug`, `trace`),
/// unless `RUST_LOG` set it at start-up: a developer's explicit filter wins over the saved
/// setting.
pub fn set_level(level: &str) -> Result<()> {
    let Some(handle) = LEVEL.get() else {
        return Ok(());
    };
    if FROM_ENV.load(Ordering::Relaxed) {
        tracing::debug!(level, "RUST_LOG is set; the saved log level is not applied");
        return Ok(());
    }
    handle
        .reload(filter_for(level))
        .map_err(|error| Error::internal("log level", error))
}

fn filter_for(level: &str) -> EnvFilter {
    EnvFilter::new(format!(
        "{level},sqlx=warn,sea_orm=warn,hyper=warn,reqwest=warn"
    ))
}

fn file_writer(
    dir: &Path,
) -> io::Result<(tracing_appender::non_blocking::NonBlocking, WorkerGuard)> {
    // The appender prunes old files by listing the folder, so it must exist first. The
    // folder is the owner's alone, which also covers the files the appender creates later.
    crate::store::private::own_dir(dir)?;
    let appender = RollingBuilder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(dir)
        .map_err(io::Error::other)?;
    crate::store::private::restrict_files_in(dir, FILE_PREFIX)?;
    Ok(tracing_appender::non_blocking(appender))
}

/// Every secret value this process has held, longest first, for the redactor.
static KNOWN: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Remembers a secret so that no log line can contain it. Called for every
/// [`crate::secrets::Secret`] made; very short values are left out (they would blank
/// ordinary words).
pub fn remember_secret(value: &str) {
    if value.len() < 6 {
        return;
    }
    let mut known = KNOWN.write().unwrap_or_else(PoisonError::into_inner);
    if !known.iter().any(|k| k == value) {
        known.push(value.to_string());
        known.sort_by_key(|k| std::cmp::Reverse(k.len()));
    }
}

fn patterns() -> &'static [(Regex, &'static str)] {
    static PATTERNS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            // `Authorization: Bearer x`, `authorization="x"`, header maps in Debug output.
            (
                r#"(?i)(authorization"?\s*[:=]\s*"?)(bearer\s+|basic\s+)?[^\s",;}]+"#,
                "${1}${2}<redacted>",
            ),
            (r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+", "${1}<redacted>"),
            (
                r#"(?i)((?:api[_-]?key|x-api-key|access[_-]?token)"?\s*[:=]\s*"?)[^\s",&;}]+"#,
                "${1}<redacted>",
            ),
            (r"\bsk-[A-Za-z0-9_-]{6,}", "sk-<redacted>"),
        ]
        .into_iter()
        .filter_map(|(pattern, replacement)| Some((Regex::new(pattern).ok()?, replacement)))
        .collect()
    })
}

/// `line` with every secret blanked.
pub fn redact(line: &str) -> String {
    let mut text = line.to_string();
    for secret in KNOWN.read().unwrap_or_else(PoisonError::into_inner).iter() {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "<redacted>");
        }
    }
    for (pattern, replacement) in patterns() {
        if pattern.is_match(&text) {
            text = pattern.replace_all(&text, *replacement).into_owned();
        }
    }
    text
}

/// A writer maker whose writers redact each formatted event before passing it on.
struct Redacting<M>(M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            inner: self.0.make_writer(),
            buffer: Mutex::new(Vec::new()),
        }
    }
}

/// Collects one event (the formatter writes it in pieces or at once), then writes it
/// redacted when dropped or flushed.
struct RedactingWriter<W: Write> {
    inner: W,
    buffer: Mutex<Vec<u8>>,
}

impl<W: Write> RedactingWriter<W> {
    fn pass_on(&mut self) -> io::Result<()> {
        let bytes =
            std::mem::take(&mut *self.buffer.lock().unwrap_or_else(PoisonError::into_inner));
        if bytes.is_empty() {
            return Ok(());
        }
        let line = redact(&String::from_utf8_lossy(&bytes));
        self.inner.write_all(line.as_bytes())?;
        self.inner.flush()
    }
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buffer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_on()
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        let _ = self.pass_on();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_bearer_tokens_and_key_shapes_are_blanked() {
        let cases = [
            (
                "request failed: Authorization: Bearer abc.def-123 status 401",
                "request failed: Authorization: Bearer <redacted> status 401",
            ),
            (
                r#"headers: {"authorization": "Bearer tok_987654"}"#,
                r#"headers: {"authorization": "Bearer <redacted>"}"#,
            ),
            (
                "url https://x.test/v1?api_key=s3cr3tvalue&x=1",
                "url https://x.test/v1?api_key=<redacted>&x=1",
            ),
            (
                r#"body {"error":"Incorrect API key provided: sk-proj-AbCdEf123456"}"#,
                r#"body {"error":"Incorrect API key provided: sk-<redacted>"}"#,
            ),
            ("nothing secret here", "nothing secret here"),
        ];
        for (line, expected) in cases {
            assert_eq!(redact(line), expected);
        }
    }

    #[test]
    fn remembered_secrets_are_blanked_wherever_they_appear() {
        remember_secret("zz-custom-key-000111");
        assert_eq!(
            redact("key zz-custom-key-000111 and again zz-custom-key-000111."),
            "key <redacted> and again <redacted>."
        );
        remember_secret("abc");
        assert_eq!(redact("abc"), "abc", "very short values are not secrets");
    }
}
