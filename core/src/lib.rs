//! Confab's core: the store, the provider client, the chat engine and the secrets.
//! Everything here works without a window; the Tauri app is a thin shell around it.

pub mod agents;
pub mod api;
pub mod attachments;
pub mod chat;
pub mod diagnostics;
pub mod error;
pub mod extract;
pub mod knowledge;
pub mod llm;
pub mod logging;
pub mod mcp;
pub mod pricing;
pub mod problem;
pub mod providers;
pub mod secrets;
pub mod settings;
pub mod startup;
pub mod store;
pub mod templates;
pub mod transfer;
pub mod vocab;

pub use error::{AppError, Error, ErrorCode, Result};

/// The built-in embedding models (catalogue, download, inference), with the
/// `local-embeddings` feature.
#[cfg(feature = "local-embeddings")]
pub use confab_embedder as local_embeddings;
pub use problem::{Problem, ProblemParams, Rule};
