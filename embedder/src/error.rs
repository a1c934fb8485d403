//! What can go wrong, typed, so the layer above can say it in the person's language.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EmbedderError {
    #[error("no built-in embedding model is called {0}")]
    UnknownModel(String),
    #[error("the embedding model is not downloaded ({0} is missing)")]
    NotInstalled(String),
    #[error("the model's server could not be reached for {file}")]
    Network {
        file: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the model's server answered {status} for {file}")]
    Status { file: String, status: u16 },
    #[error("the model's server sent nothing for {file} for too long")]
    Stalled { file: String },
    #[error("{file} is larger than the {limit} bytes it should have")]
    TooLarge { file: String, limit: u64 },
    #[error("{file} ended after {got} of its {expected} bytes")]
    Truncated {
        file: String,
        got: u64,
        expected: u64,
    },
    #[error("{file} does not have the expected SHA-256")]
    ChecksumMismatch { file: String },
    #[error("the download was cancelled")]
    Cancelled,
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A model file that cannot be read as what it should be (its size, its format, or
    /// values the engine refuses).
    #[error("{file} of the embedding model is damaged: {reason}")]
    Damaged { file: String, reason: String },
    #[error("the embedding model failed: {0}")]
    Inference(String),
}

impl EmbedderError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }

    pub(crate) fn damaged(file: &str, reason: impl std::fmt::Display) -> Self {
        Self::Damaged {
            file: file.to_string(),
            reason: reason.to_string(),
        }
    }
}

impl From<candle_core::Error> for EmbedderError {
    fn from(error: candle_core::Error) -> Self {
        Self::Inference(error.to_string())
    }
}
