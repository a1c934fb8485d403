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
mod images;
pub mod index;
mod ingest;
mod keep;
mod manage;
mod retrieve;
pub mod scan;
mod search;
pub mod types;
mod watch;

pub use bases::Owner;
pub use hub::{IDLE_UNLOAD, KnowledgeHub};
pub use manage::MAX_NAME_CHARS;
pub use retrieve::{FoundImage, Retrieved};
pub use search::{MIN_SIMILARITY, terms};
pub use types::*;

use std::sync::Arc;

use futures::future::BoxFuture;
use tokio_util::sync::CancellationToken;

use crate::attachments::image::Prepared;
use crate::error::{Error, Result};
use crate::llm::{
    DEFAULT_BATCH, EmbedPolicy, ProviderClient, StopReason, embed_all, embed_image_retried,
};
use crate::problem::{Problem, Rule};

/// Waits until the request-rate budget of the provider at a base URL allows one more
/// request: the chat engine's limiter, so embeddings and replies share one budget.
pub trait Pacer: Send + Sync + 'static {
    fn wait<'a>(&'a self, base_url: &'a str) -> BoxFuture<'a, ()>;
}

impl KnowledgeHub {
    /// Paces this hub's provider requests with `pacer`.
    pub fn set_pacer(&self, pacer: Arc<dyn Pacer>) {
        *hub::lock(&self.pacer) = Some(pacer);
    }

    /// The vectors of `texts`, in order: batched, each batch waiting for the provider's
    /// rate budget, and retried like chat requests. A cancel ends it with rule `cancelled`.
    async fn embed(
        &self,
        client: &ProviderClient,
        texts: &[String],
        cancel: &CancellationToken,
    ) -> Result<Vec<Vec<f32>>> {
        let policy = EmbedPolicy::default();
        let mut vectors = Vec::with_capacity(texts.len());
        for batch in texts.chunks(DEFAULT_BATCH) {
            self.pace(client, cancel).await?;
            match embed_all(client, batch, DEFAULT_BATCH, &policy, cancel).await {
                Ok(embedded) => vectors.extend(embedded.vectors),
                Err(stopped) => return Err(stopped_by(stopped.reason)),
            }
        }
        Ok(vectors)
    }

    /// The vector of one image (the Jina-style multimodal input), paced and retried as
    /// [`embed`](Self::embed) is.
    async fn embed_image(
        &self,
        client: &ProviderClient,
        image: &Prepared,
        cancel: &CancellationToken,
    ) -> Result<Vec<f32>> {
        self.pace(client, cancel).await?;
        embed_image_retried(
            client,
            image.mime,
            &image.data,
            &EmbedPolicy::default(),
            cancel,
        )
        .await
        .map_err(stopped_by)
    }

    /// Waits for the provider's rate budget; a cancel ends it with rule `cancelled`.
    async fn pace(&self, client: &ProviderClient, cancel: &CancellationToken) -> Result<()> {
        let pacer = hub::lock(&self.pacer).clone();
        if let Some(pacer) = &pacer {
            tokio::select! {
                () = cancel.cancelled() => return Err(cancelled()),
                () = pacer.wait(&client.endpoint().base_url) => {}
            }
        }
        Ok(())
    }
}

fn stopped_by(reason: StopReason) -> Error {
    match reason {
        StopReason::Cancelled => cancelled(),
        StopReason::Failed(error) => error,
    }
}

fn cancelled() -> Error {
    Error::invalid(Problem::new("", Rule::Cancelled))
}
