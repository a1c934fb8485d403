//! What the app says about knowledge bases: the rows the UI shows and edits, a file's
//! indexing status, the progress of a run, and a search hit.

use serde::{Deserialize, Serialize};
use specta::Type;

/// A knowledge base with its counts.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeBase {
    pub id: String,
    pub name: String,
    /// The provider whose `/embeddings` endpoint embeds its chunks; `None`: keyword search
    /// only.
    pub provider_id: Option<String>,
    pub embedding_model: String,
    /// Known after the first embedding.
    pub dimensions: Option<u32>,
    /// A `/rerank` model of the same provider, when results are reranked.
    pub rerank_model: Option<String>,
    pub chunk_tokens: u32,
    pub chunk_overlap: u32,
    /// Passages put into a request at most.
    pub top_k: u32,
    /// Tokens the passages may take in a request.
    pub context_tokens: u32,
    pub paused: bool,
    /// Image files are read too, each embedded as an image (a multimodal embedding model
    /// such as jina-clip-v2 is needed) and found by a question's meaning.
    pub index_images: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub counts: KnowledgeCounts,
}

/// How many files of a knowledge base stand where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeCounts {
    pub files: u32,
    pub indexed: u32,
    pub pending: u32,
    pub no_text: u32,
    pub failed: u32,
    pub chunks: u32,
    /// Bytes its chunks and vectors take in the database.
    pub bytes: i64,
}

/// What the person sets on a knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeBaseInput {
    pub name: String,
    pub provider_id: Option<String>,
    #[serde(default)]
    pub embedding_model: String,
    #[serde(default)]
    pub rerank_model: Option<String>,
    #[serde(default = "default_chunk_tokens")]
    pub chunk_tokens: u32,
    #[serde(default = "default_chunk_overlap")]
    pub chunk_overlap: u32,
    #[serde(default = "default_top_k")]
    pub top_k: u32,
    #[serde(default = "default_context_tokens")]
    pub context_tokens: u32,
    #[serde(default)]
    pub index_images: bool,
}

fn default_chunk_tokens() -> u32 {
    400
}
fn default_chunk_overlap() -> u32 {
    60
}
fn default_top_k() -> u32 {
    5
}
fn default_context_tokens() -> u32 {
    2000
}

/// A file or folder the person added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeSource {
    pub id: String,
    pub path: String,
    pub is_folder: bool,
    /// A folder is watched while the app runs and changes are indexed.
    pub watch: bool,
    pub files: u32,
}

/// Where a file's indexing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Pending,
    Indexed,
    /// Read, but no text in it (a scan without a text layer, an empty file).
    NoText,
    Failed,
}

impl FileStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Indexed => "indexed",
            Self::NoText => "no_text",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "indexed" => Self::Indexed,
            "no_text" => Self::NoText,
            "failed" => Self::Failed,
            _ => Self::Pending,
        }
    }
}

/// One file of a knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeFile {
    pub id: i64,
    pub source_id: String,
    pub path: String,
    pub size: i64,
    pub status: FileStatus,
    /// Why it failed or has no text: a `Rule` code (`scanned_document`, `damaged_file`,
    /// `unsupported_file`, `too_large`, `took_too_long`, `provider`, ...).
    pub error: Option<String>,
    pub chunks: u32,
    pub updated_at: i64,
    /// An image file (by its name), indexed as an image.
    pub image: bool,
}

/// A page of a knowledge base's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeFilePage {
    pub files: Vec<KnowledgeFile>,
    pub total: u32,
}

/// Whether a knowledge base's files are being indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Idle,
    Running,
    Paused,
}

/// The progress of indexing a knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeProgress {
    pub kb_id: String,
    pub state: RunState,
    /// Files of this run done (indexed, no text or failed) and in all.
    pub done: u32,
    pub total: u32,
    /// The file being read now.
    pub current: Option<String>,
    /// Why the run stopped, when it stopped on an error for every file (no provider,
    /// a wrong key): an error code.
    pub stopped_by: Option<String>,
}

/// A passage found in a knowledge base.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeHit {
    pub chunk_id: i64,
    pub kb_id: String,
    pub path: String,
    /// The file's name.
    pub title: String,
    pub page: Option<u32>,
    /// The headings above the passage, "A › B".
    pub heading: String,
    pub text: String,
    /// The fused score (higher is better); its scale depends on `via`.
    pub score: f32,
    /// Which searches found it: `keyword`, `vector`, or both; `reranked` when a reranker
    /// ordered it.
    pub via: Vec<String>,
    /// The hit is an image file (its `text` is the file's name and folders).
    pub image: bool,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeSearch {
    pub hits: Vec<KnowledgeHit>,
    /// Whether the vector search ran (a provider and model are set and it answered).
    pub semantic: bool,
    /// Why the vector search did not run, when it should have: an error code.
    pub semantic_error: Option<String>,
}
