//! Keeping what was read of a file: its chunks stored with their vectors in one
//! transaction (the vectors checked against the base's dimensions first: two models'
//! vectors are never mixed), then the vectors added to the base's index.

use super::bases;
use super::chunks::{self, FileChunks};
use super::hub::{KnowledgeHub, key_of};
use super::ingest::Outcome;
use super::types::{FileStatus, KnowledgeBase};
use crate::error::Result;

/// What is stored of a file that was read.
pub(super) struct Stored<'a> {
    pub sha256: &'a str,
    pub chunks: &'a [super::chunk::Chunk],
    /// One per chunk, when the knowledge base embeds.
    pub vectors: Option<Vec<Vec<f32>>>,
    /// The model of the vectors (none without them).
    pub model: Option<&'a str>,
    /// An image file: one chunk of kind image.
    pub image: bool,
}

impl KnowledgeHub {
    /// Stores a file's chunks with their vectors (checked against the base's dimensions)
    /// and adds the vectors to the index.
    pub(super) async fn store(
        &self,
        kb: &KnowledgeBase,
        file_id: i64,
        stored: Stored<'_>,
    ) -> Result<Outcome> {
        let db = self.db.conn();
        let Stored {
            sha256,
            chunks: chunked,
            vectors,
            model,
            image,
        } = stored;
        let dimensions = match vectors.as_ref().and_then(|v| v.first()) {
            Some(first) => {
                let dims = u32::try_from(first.len()).unwrap_or(u32::MAX);
                match kb.dimensions {
                    None => bases::set_dimensions(db, &kb.id, dims).await?,
                    Some(known) if known != dims => {
                        // Another model answered (the provider's model changed behind the
                        // name): refuse to mix vectors of two spaces.
                        return self
                            .fail(kb, file_id, FileStatus::Failed, "dimensions_changed")
                            .await;
                    }
                    Some(_) => {}
                }
                Some(dims)
            }
            None => None,
        };
        if let Some(dims) = dimensions {
            // Loaded (or built) before the write, so the new vectors are not added twice.
            self.index(&kb.id, dims).await?;
            self.touch(&kb.id).await;
        }
        let (old, new) = chunks::replace(
            db,
            FileChunks {
                kb_id: &kb.id,
                file_id,
                sha256,
                chunks: chunked,
                vectors: vectors.as_deref(),
                model,
                image,
            },
        )
        .await?;
        if let (Some(dims), Some(vectors)) = (dimensions, vectors) {
            let index = self.index(&kb.id, dims).await?;
            for rid in old {
                let _ = index.remove(key_of(rid));
            }
            for (rid, vector) in new.iter().zip(&vectors) {
                if let Err(error) = index.add(key_of(*rid), vector) {
                    tracing::warn!(%error, "a vector was left out of the knowledge index");
                }
            }
        }
        Ok(Outcome::Done)
    }
}
