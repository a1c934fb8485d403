//! One error type for the whole core, and its wire form for the UI.
//!
//! The UI never matches on message strings: it switches on [`ErrorCode`], a closed set, and
//! shows its own translated text. `message` carries the detail (English, never a secret).

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} {id} was not found")]
    NotFound { what: &'static str, id: String },

    #[error("{0}")]
    InvalidInput(String),

    #[error("a reply is already being written in this conversation")]
    Busy,

    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),

    /// The provider refused the credentials (HTTP 401 / 403).
    #[error("the provider refused the API key: {message}")]
    ProviderAuth { message: String, key_set: bool },

    /// The provider answered, but with an error (bad model, rate limit, server error, bad body).
    #[error("the provider returned an error: {0}")]
    Provider(String),

    /// The provider could not be reached, or the connection broke.
    #[error("network error: {0}")]
    Network(String),

    #[error("keychain error: {0}")]
    Keychain(String),

    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The closed set of error kinds the UI knows how to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    Busy,
    Database,
    Provider,
    ProviderAuth,
    /// The provider refused the request and no API key is stored: the fix is to add one.
    NoApiKey,
    Network,
    Keychain,
    Internal,
}

impl Error {
    pub fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Self::NotFound {
            what,
            id: id.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::InvalidInput(_) => ErrorCode::InvalidInput,
            Self::Busy => ErrorCode::Busy,
            Self::Database(_) => ErrorCode::Database,
            Self::ProviderAuth { key_set: false, .. } => ErrorCode::NoApiKey,
            Self::ProviderAuth { key_set: true, .. } => ErrorCode::ProviderAuth,
            Self::Provider(_) => ErrorCode::Provider,
            Self::Network(_) => ErrorCode::Network,
            Self::Keychain(_) => ErrorCode::Keychain,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// What crosses the IPC boundary: `{ "code": "not_found", "message": "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
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
            serde_json::json!({"code": "not_found", "message": "conversation c1 was not found"})
        );
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
