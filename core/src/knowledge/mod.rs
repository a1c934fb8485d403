//! Knowledge bases: the person's files and folders, read (`extract`), cut into chunks
//! (`chunk`), embedded through a provider's `/embeddings`, and kept in the database
//! (`bases`, `files`, `chunks`) with a vector index beside it (`index`, behind the one
//! `VectorIndex` trait). Searched by keyword and by vector, fused (`fuse`) and optionally
//! reranked (`search`); before a reply the passages go into the request and come back as
//! the reply's citations (`retrieve`). `KnowledgeHub` (`hub`) runs the indexing (`ingest`),
//! watches folders (`watch`) and holds the loaded indexes.

pub mod bases;
pub mod chunk;
pub mod chunks;
mod client;
pub mod files;
pub mod fuse;
mod hub;
pub mod index;
mod ingest;
mod manage;
mod retrieve;
pub mod scan;
mod search;
pub mod types;
mod watch;

pub use bases::Owner;
pub use hub::{IDLE_UNLOAD, KnowledgeHub};
pub use manage::MAX_NAME_CHARS;
pub use retrieve::Retrieved;
pub use search::{MIN_SIMILARITY, terms};
pub use types::*;

use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};
use crate::llm::{EmbedPolicy, ProviderClient, StopReason, embed_all};
use crate::problem::{Problem, Rule};

/// The vectors of `texts`, in order, batched and retried like chat requests. A cancel
/// ends it with rule `cancelled`.
async fn embed(
    client: &ProviderClient,
    texts: &[String],
    cancel: &CancellationToken,
) -> Result<Vec<Vec<f32>>> {
    let policy = EmbedPolicy::default();
    match embed_all(client, texts, 0, &policy, cancel).await {
        Ok(embedded) => Ok(embedded.vectors),
        Err(stopped) => Err(match stopped.reason {
            StopReason::Cancelled => Error::invalid(Problem::new("", Rule::Cancelled)),
            StopReason::Failed(error) => error,
        }),
    }
}
