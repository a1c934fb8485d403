//! One error type for the whole core, and its wire form for the UI.
//!
//! The UI never matches on message strings: it switches on [`ErrorCode`], a closed set, and
//! shows its own translated text. `message` carries the detail (English, never a secret).

use std::time::Duration;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::problem::Problem;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} {id} was not found")]
    NotFound { what: &'static str, id: String },

    /// Every broken rule of an input, each at its field; never empty.
    #[error("{}", crate::problem::summary(.0))]
    InvalidInput(Vec<Problem>),

    /// A reply needs a provider, and none is set up (every one was deleted).
    #[error("no provider is set up: add one on the providers page")]
    NoProvider,

    #[error("a reply is already being written in this conversation")]
    Busy,

    /// Deleting `what` is refused while others still use it (e.g. agents using a provider).
    #[error("{what} is still used by {users}; change or delete them first")]
    InUse { what: String, users: String },

    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),

    /// The provider refused the credentials (HTTP 401 / 403).
    #[error("the provider refused the API key: {message}")]
    ProviderAuth { message: String, key_set: bool },

    /// The provider answered, but with an error (bad model, rate limit, server error, a body
    /// that is not what the API promises). `status` is the HTTP status when there was one.
    #[error("the provider returned an error: {message}")]
    Provider {
        status: Option<u16>,
        message: String,
        retry_after: Option<Duration>,
    },

    /// The stream sent nothing for too long.
    #[error("the provider sent nothing for {secs} s; the reply was stopped")]
    Stalled { secs: u32 },

    /// The provider could not be reached, or the connection broke.
    #[error("network error: {0}")]
    Network(String),

    #[error("keychain error: {0}")]
    Keychain(String),

    /// The database file failed its integrity check (or is not a database at all).
    #[error("the database file is damaged: {0}")]
    Corrupt(String),

    /// A file operation on the database or its backups failed; `kind` says how (disk full,
    /// read-only, other).
    #[error("{message}")]
    Storage { kind: ErrorCode, message: String },

    /// Upgrading the database schema failed; the file was put back as it was before.
    #[error("the database upgrade failed and was undone: {message}")]
    MigrationFailed { message: String },

    /// A step that should not fail did (serializing the app's own types, a worker thread
    /// that died, ...). `context` says which step; the cause is kept as the source.
    #[error("internal error: {context}: {source}")]
    Internal {
        context: &'static str,
        #[source]
        source: BoxError,
    },

    /// Asked for something the app's current state does not allow, with no cause to keep
    /// (the database is not open, logging to a file is off, ...).
    #[error("internal error: {0}")]
    Unavailable(&'static str),

    /// A write would break a rule of the history (two messages in one place, a message
    /// number past the largest there is): refused, nothing changed.
    #[error("the history refused the change: {0}")]
    Constraint(String),

    /// An MCP server could not be started or reached; the message says why (no secret).
    #[error("the MCP server is not available: {0}")]
    McpServer(String),

    /// Checking for, downloading or installing an update failed (`kind`: an `Update*` code or
    /// `NoUpdate`); the running version is unchanged.
    #[error("{message}")]
    Update { kind: ErrorCode, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The cause an [`Error::Internal`] keeps.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The closed set of error kinds the UI knows how to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    Busy,
    Database,
    Provider,
    /// HTTP 429: the provider is limiting requests (still so after retrying).
    RateLimited,
    /// HTTP 404: the model (or the API path) does not exist on this provider.
    ModelNotFound,
    ProviderAuth,
    /// The provider refused the request and no API key is stored: the fix is to add one.
    NoApiKey,
    Network,
    Stalled,
    Keychain,
    Internal,
    /// The disk (or the database's size limit) is full: nothing more can be written.
    StorageFull,
    /// The database file or its folder cannot be written.
    ReadOnly,
    /// Another process (another copy of Confab?) holds the database's write lock.
    DbLocked,
    /// The database file is damaged; a backup can be restored.
    Corrupt,
    /// A schema upgrade failed and was undone; the previous file is intact.
    MigrationFailed,
    /// Deleting it is refused while others use it; the message names them.
    InUse,
    /// No provider is set up (the agent names none and there is no default): add one.
    NoProvider,
    /// A write broke a rule of the stored history (e.g. a duplicate message number), which
    /// an imported or hand-edited file can cause; nothing was changed.
    Constraint,
    /// An MCP server could not be started or reached; its log says more.
    McpServer,
    /// The update server could not be reached, or its answer was not a release.
    UpdateNetwork,
    /// An update was asked to be installed, but none was found (check first).
    NoUpdate,
    /// The update's signature does not match Confab's key: it was not installed.
    UpdateSignature,
    /// This copy cannot update itself: a development build, or not from an updating package.
    UpdateNotInstallable,
    /// The update could not be written to disk (full, read-only, no temporary folder).
    UpdateDisk,
    /// The system's installer refused or failed (e.g. the password prompt was cancelled).
    UpdateInstallFailed,
}

impl Error {
    /// Whether sending the same request again may succeed: network failures and the
    /// statuses that mean "later" (408, 409, 425, 429, 5xx but 501). Auth, bad requests and
    /// unknown models are not retried.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Provider {
                status: Some(status),
                ..
            } => {
                matches!(status, 408 | 409 | 425 | 429 | 500 | 502..=504)
            }
            _ => false,
        }
    }

    /// How long the provider asked us to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Provider { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// One broken rule.
    pub fn invalid(problem: Problem) -> Self {
        Self::InvalidInput(vec![problem])
    }

    /// The problems of an input, if it has any.
    pub fn check(problems: Vec<Problem>) -> Result<()> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Self::InvalidInput(problems))
        }
    }

    pub fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Self::NotFound {
            what,
            id: id.into(),
        }
    }

    /// An [`Error::Internal`] of the step `context`, keeping `source` as its cause.
    pub fn internal(context: &'static str, source: impl Into<BoxError>) -> Self {
        Self::Internal {
            context,
            source: source.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::InvalidInput(_) => ErrorCode::InvalidInput,
            Self::Busy => ErrorCode::Busy,
            Self::InUse { .. } => ErrorCode::InUse,
            Self::NoProvider => ErrorCode::NoProvider,
            Self::Database(error) => storage_code(error).unwrap_or(ErrorCode::Database),
            Self::ProviderAuth { key_set: false, .. } => ErrorCode::NoApiKey,
            Self::ProviderAuth { key_set: true, .. } => ErrorCode::ProviderAuth,
            Self::Provider {
                status: Some(429), ..
            } => ErrorCode::RateLimited,
            Self::Provider {
                status: Some(404), ..
            } => ErrorCode::ModelNotFound,
            Self::Provider { .. } => ErrorCode::Provider,
            Self::Stalled { .. } => ErrorCode::Stalled,
            Self::Network(_) => ErrorCode::Network,
            Self::Keychain(_) => ErrorCode::Keychain,
            Self::Internal { .. } | Self::Unavailable(_) => ErrorCode::Internal,
            Self::Corrupt(_) => ErrorCode::Corrupt,
            Self::Storage { kind, .. } => *kind,
            Self::MigrationFailed { .. } => ErrorCode::MigrationFailed,
            Self::Constraint(_) => ErrorCode::Constraint,
            Self::McpServer(_) => ErrorCode::McpServer,
            Self::Update { kind, .. } => *kind,
        }
    }
}

/// The storage failure behind a database error, from SQLite's result code: disk full,
/// read-only, locked, damaged, a broken constraint. `None` for the others (bad SQL, ...).
pub fn storage_code(error: &sea_orm::DbErr) -> Option<ErrorCode> {
    use sea_orm::{DbErr, RuntimeErr};
    let runtime = match error {
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        // The pool gave up waiting for a connection: every one is busy or blocked.
        DbErr::ConnectionAcquire(_) => return Some(ErrorCode::DbLocked),
        _ => return None,
    };
    let RuntimeErr::SqlxError(sqlx_error) = runtime else {
        return None;
    };
    let code: i32 = sqlx_error.as_database_error()?.code()?.parse().ok()?;
    // The primary result code is the low byte of the extended one.
    match code & 0xff {
        13 => Some(ErrorCode::StorageFull),  // SQLITE_FULL
        8 => Some(ErrorCode::ReadOnly),      // SQLITE_READONLY
        5 | 6 => Some(ErrorCode::DbLocked),  // SQLITE_BUSY, SQLITE_LOCKED
        11 | 26 => Some(ErrorCode::Corrupt), // SQLITE_CORRUPT, SQLITE_NOTADB
        14 => Some(ErrorCode::ReadOnly),     // SQLITE_CANTOPEN: the file or folder is not writable
        19 => Some(ErrorCode::Constraint),   // SQLITE_CONSTRAINT: unique, foreign key, check
        _ => None,
    }
}

/// What crosses the IPC boundary: `{ "code": "not_found", "message": "...", "problems": [] }`.
/// `problems` is set for `invalid_input` (each broken rule at its field) and empty otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub problems: Vec<Problem>,
}

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        let message = error.to_string();
        Self {
            code: error.code(),
            message,
            problems: match error {
                Error::InvalidInput(problems) => problems,
                _ => Vec::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_is_code_and_message() {
        let wire = AppError::from(Error::not_found("conversation", "c1"));
        let json = serde_json::to_value(&wire).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "code": "not_found",
                "message": "conversation c1 was not found",
                "problems": []
            })
        );
    }

    #[test]
    fn internal_errors_keep_their_cause_and_read_whole_on_the_wire() {
        let cause = serde_json::from_str::<u32>("x").expect_err("not a number");
        let cause_text = cause.to_string();
        let error = Error::internal("settings", cause);
        let source = std::error::Error::source(&error).expect("the cause is kept");
        assert!(source.downcast_ref::<serde_json::Error>().is_some());
        assert_eq!(error.code(), ErrorCode::Internal);
        let wire = AppError::from(error);
        assert_eq!(
            wire.message,
            format!("internal error: settings: {cause_text}")
        );
    }

    #[test]
    fn invalid_input_carries_its_problems_on_the_wire() {
        let error = Error::InvalidInput(vec![
            Problem::required("name"),
            Problem::out_of_range("params.topP", 0, 1),
        ]);
        let json = serde_json::to_value(AppError::from(error)).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid_input",
                "message": "name: is empty\nparams.topP: must be between 0 and 1",
                "problems": [
                    {"path": "name", "rule": "required", "params": {}},
                    {"path": "params.topP", "rule": "out_of_range", "params": {"min": 0, "max": 1}}
                ]
            })
        );
        assert!(Error::check(Vec::new()).is_ok());
    }

    #[test]
    fn in_use_names_its_users_on_the_wire() {
        let error = Error::InUse {
            what: "provider \"Local\"".into(),
            users: "agents writer, coder".into(),
        };
        let json = serde_json::to_value(AppError::from(error)).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "code": "in_use",
                "message": "provider \"Local\" is still used by agents writer, coder; change or delete them first",
                "problems": []
            })
        );
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        let status = |code| Error::Provider {
            status: Some(code),
            message: String::new(),
            retry_after: None,
        };
        assert!(
            status(429).is_retryable() && status(503).is_retryable() && status(500).is_retryable()
        );
        assert!(
            !status(400).is_retryable()
                && !status(404).is_retryable()
                && !status(501).is_retryable()
        );
        assert!(Error::Network("reset".into()).is_retryable());
        let refused = Error::ProviderAuth {
            message: "401".into(),
            key_set: true,
        };
        assert!(!refused.is_retryable());
        assert_eq!(status(429).code(), ErrorCode::RateLimited);
        assert_eq!(status(404).code(), ErrorCode::ModelNotFound);
    }

    #[test]
    fn refused_key_without_a_stored_key_asks_for_one() {
        let refused = |key_set| Error::ProviderAuth {
            message: "401".into(),
            key_set,
        };
        assert_eq!(refused(false).code(), ErrorCode::NoApiKey);
        assert_eq!(refused(true).code(), ErrorCode::ProviderAuth);
    }
}
