//! Confab's built-in embedding models: a knowledge base that has no provider embeds with
//! one of these, on the CPU, after a one-time download into the app-data folder.
//!
//! - [`catalogue`]: the models Confab offers, each file pinned by URL (a fixed revision),
//!   size and SHA-256.
//! - [`download`]: a model's files fetched into its folder: streamed to a `.part` file,
//!   resumed where a previous try stopped, bounded in size and in how long the server may
//!   stall, checked against the SHA-256 before the atomic rename that makes a file
//!   visible; cancellable, with progress.
//! - [`engine`]: a downloaded BERT-family model (`config.json`, `tokenizer.json`,
//!   `model.safetensors`) loaded with candle; text in, normalized mean-pooled vectors out.
//!
//! Every file is outside data: a damaged or hostile one ends in a typed [`EmbedderError`],
//! never a panic (release builds abort on panic).

pub mod catalogue;
pub mod download;
pub mod engine;
mod error;

pub use catalogue::{ModelFile, ModelSpec};
pub use download::{Downloader, Progress};
pub use engine::Embedder;
pub use error::EmbedderError;
