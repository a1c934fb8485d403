//! What a bug report needs, written to one file the person can look at before sending:
//! version, OS, the database's place, size and health, whether the keychain answers, and
//! the last log lines. No secret can be in it: log lines are redacted when written, and
//! every line and message passes [`crate::logging::redact`] again here.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use specta::Type;

use crate::error::{Error, Result};
use crate::logging::{FILE_PREFIX, redact};
use crate::startup::StorageInfo;
use crate::store::backup::io_error;
use crate::store::checkpoints::SkippedReply;
use crate::store::now_ms;

/// Log lines a report carries.
pub const REPORT_LOG_LINES: usize = 500;
/// Bytes read from the end of each log file at most when looking for the last lines.
const TAIL_BYTES: u64 = 2 << 20;

/// The log folder and today's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LogInfo {
    pub dir: String,
    /// The newest log file, if there is one yet.
    pub current_file: Option<String>,
    pub current_size_bytes: u64,
    /// All log files together (a week of them).
    pub total_size_bytes: u64,
}

/// The log files in `dir`, oldest first (their names carry the date).
fn log_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io_error("list", dir, &error)),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(FILE_PREFIX) && name.ends_with(".log"))
        })
        .collect();
    files.sort();
    Ok(files)
}

pub fn log_info(dir: &Path) -> Result<LogInfo> {
    let files = log_files(dir)?;
    let size = |path: &PathBuf| std::fs::metadata(path).map_or(0, |meta| meta.len());
    Ok(LogInfo {
        dir: dir.to_string_lossy().into_owned(),
        current_file: files.last().map(|path| path.to_string_lossy().into_owned()),
        current_size_bytes: files.last().map_or(0, size),
        total_size_bytes: files.iter().map(size).sum(),
    })
}

/// The last `count` lines of the logs in `dir` (across files when today's is short),
/// oldest first, redacted.
pub fn last_log_lines(dir: &Path, count: usize) -> Result<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    for path in log_files(dir)?.iter().rev() {
        let mut older = tail_lines(path)?;
        let keep = count - lines.len();
        if older.len() > keep {
            older.drain(..older.len() - keep);
        }
        older.append(&mut lines);
        lines = older;
        if lines.len() >= count {
            break;
        }
    }
    Ok(lines.iter().map(|line| redact(line)).collect())
}

/// The whole lines in the last [`TAIL_BYTES`] of `path`.
fn tail_lines(path: &Path) -> Result<Vec<String>> {
    let mut file = File::open(path).map_err(|error| io_error("open", path, &error))?;
    let length = file
        .metadata()
        .map_err(|error| io_error("read", path, &error))?
        .len();
    let start = length.saturating_sub(TAIL_BYTES);
    file.seek(SeekFrom::Start(start))
        .map_err(|error| io_error("read", path, &error))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|error| io_error("read", path, &error))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if start > 0 && !lines.is_empty() {
        lines.remove(0); // cut in the middle
    }
    Ok(lines)
}

/// Whether the OS keychain answered a read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KeychainCheck {
    pub reachable: bool,
    pub error: Option<String>,
}

/// Everything the report is made of, gathered by the app.
pub struct ReportInput {
    pub app_version: String,
    pub storage: StorageInfo,
    pub keychain: KeychainCheck,
    pub log_dir: Option<PathBuf>,
    /// Interrupted replies that start-up recovery could not store (see
    /// [`crate::store::checkpoints::recover`]).
    pub skipped_replies: Vec<SkippedReply>,
    /// Each knowledge base's state, without its name or paths.
    pub knowledge: Vec<KnowledgeFacts>,
}

/// What a report says of one knowledge base: counts and settings, no names or paths.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeFacts {
    pub counts: crate::knowledge::KnowledgeCounts,
    pub embedding_model: String,
    pub dimensions: Option<u32>,
    pub reranks: bool,
    pub paused: bool,
    /// Why its last indexing run stopped early, an error code.
    pub stopped_by: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    format: &'static str,
    generated_at: i64,
    app: AppFacts,
    storage: StorageInfo,
    keychain: KeychainCheck,
    /// Replies left in their checkpoints at start-up because they could not be stored.
    skipped_replies: Vec<SkippedReply>,
    knowledge: Vec<KnowledgeFacts>,
    logs: Logs,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppFacts {
    version: String,
    os: &'static str,
    os_family: &'static str,
    arch: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Logs {
    info: Option<LogInfo>,
    /// Why the lines are missing, when they are.
    error: Option<String>,
    last_lines: Vec<String>,
}

/// Writes the diagnostics report (JSON) to `path` and returns its size in bytes.
pub fn write_report(path: &Path, input: ReportInput) -> Result<u64> {
    let (info, lines) = match &input.log_dir {
        Some(dir) => (log_info(dir), last_log_lines(dir, REPORT_LOG_LINES)),
        None => (
            Err(Error::Unavailable("logging to a file is off")),
            Ok(Vec::new()),
        ),
    };
    let error = info
        .as_ref()
        .err()
        .or(lines.as_ref().err())
        .map(|error| redact(&error.to_string()));
    let mut storage = input.storage;
    storage.quick_check_message = redact(&storage.quick_check_message);
    let report = Report {
        format: "confab-diagnostics",
        generated_at: now_ms(),
        app: AppFacts {
            version: input.app_version,
            os: std::env::consts::OS,
            os_family: std::env::consts::FAMILY,
            arch: std::env::consts::ARCH,
        },
        storage,
        keychain: KeychainCheck {
            reachable: input.keychain.reachable,
            error: input.keychain.error.as_deref().map(redact),
        },
        skipped_replies: input
            .skipped_replies
            .into_iter()
            .map(|skipped| SkippedReply {
                error: redact(&skipped.error),
                ..skipped
            })
            .collect(),
        knowledge: input.knowledge,
        logs: Logs {
            info: info.ok(),
            error,
            last_lines: lines.unwrap_or_default(),
        },
    };
    let text = serde_json::to_string_pretty(&report)
        .map_err(|error| Error::internal("diagnostics", error))?;
    let mut file = crate::store::private::create_file(path)
        .map_err(|error| io_error("create", path, &error))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_all())
        .map_err(|error| io_error("write", path, &error))?;
    Ok(text.len() as u64 + 1)
}
