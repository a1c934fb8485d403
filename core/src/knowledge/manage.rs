//! The person's operations on knowledge bases: create, change, delete, add and remove
//! sources, pause, resume, cancel and re-index, each checked and then acted on by the hub.

use std::path::Path;
use std::sync::Arc;

use super::bases::{self, Owner};
use super::hub::KnowledgeHub;
use super::types::{KnowledgeBase, KnowledgeBaseInput, KnowledgeSource};
use super::{files, scan};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::new_id;

/// The longest name of a knowledge base.
pub const MAX_NAME_CHARS: usize = 100;

/// The input with its text trimmed, or what is wrong with it.
pub fn checked(input: &KnowledgeBaseInput) -> Result<KnowledgeBaseInput> {
    let mut input = input.clone();
    input.name = input.name.trim().to_string();
    input.embedding_model = input.embedding_model.trim().to_string();
    input.rerank_model = input
        .rerank_model
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty());
    // Images are found by their vectors: a keyword-only base has none to find them by.
    input.index_images &= input.provider_id.is_some();
    let mut problems = Vec::new();
    if input.name.is_empty() {
        problems.push(Problem::required("name"));
    } else if input.name.chars().count() > MAX_NAME_CHARS {
        problems.push(Problem::limit("name", Rule::TooLong, MAX_NAME_CHARS));
    }
    if input.provider_id.is_some() && input.embedding_model.is_empty() {
        problems.push(Problem::required("embeddingModel"));
    }
    for (path, value, min, max) in [
        ("chunkTokens", input.chunk_tokens, 50, 4_000),
        ("chunkOverlap", input.chunk_overlap, 0, 1_000),
        ("topK", input.top_k, 1, 50),
        ("contextTokens", input.context_tokens, 100, 100_000),
    ] {
        if !(min..=max).contains(&value) {
            problems.push(Problem::out_of_range(path, min, max));
        }
    }
    if input.chunk_overlap >= input.chunk_tokens {
        problems.push(Problem::out_of_range(
            "chunkOverlap",
            0,
            input.chunk_tokens.saturating_sub(1),
        ));
    }
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(Error::InvalidInput(problems))
    }
}

impl KnowledgeHub {
    pub async fn list(&self) -> Result<Vec<KnowledgeBase>> {
        let mut list = bases::list(self.db.conn()).await?;
        for kb in &mut list {
            kb.counts = bases::counts(self.db.conn(), &kb.id).await?;
        }
        Ok(list)
    }

    pub async fn get(&self, id: &str) -> Result<KnowledgeBase> {
        let mut kb = bases::get(self.db.conn(), id).await?;
        kb.counts = bases::counts(self.db.conn(), id).await?;
        Ok(kb)
    }

    pub async fn create(&self, input: &KnowledgeBaseInput) -> Result<KnowledgeBase> {
        let input = checked(input)?;
        self.check_provider(&input).await?;
        let id = new_id();
        bases::insert(self.db.conn(), &id, &input).await?;
        self.get(&id).await
    }

    /// Saves the settings. A new provider, model or chunking makes every file read again
    /// (and embedded again); the old vectors go.
    pub async fn update(
        self: &Arc<Self>,
        id: &str,
        input: &KnowledgeBaseInput,
    ) -> Result<KnowledgeBase> {
        let input = checked(input)?;
        self.check_provider(&input).await?;
        let old = bases::get(self.db.conn(), id).await?;
        let reembed =
            old.provider_id != input.provider_id || old.embedding_model != input.embedding_model;
        let rechunk =
            old.chunk_tokens != input.chunk_tokens || old.chunk_overlap != input.chunk_overlap;
        if reembed || rechunk {
            self.stop(id, true);
        }
        bases::update(self.db.conn(), id, &input, reembed).await?;
        if reembed || rechunk {
            self.forget(id).await;
            if reembed {
                crate::knowledge::files::drop_vectors(self.db.conn(), id).await?;
            }
            files::mark_all_pending(self.db.conn(), id).await?;
            self.start_run(id);
        }
        if old.index_images != input.index_images {
            // The images of its folders are found now, or forgotten with their vectors.
            for source in bases::sources(self.db.conn(), id).await? {
                self.rescan_source(id, &source).await?;
            }
        }
        self.get(id).await
    }

    async fn check_provider(&self, input: &KnowledgeBaseInput) -> Result<()> {
        if let Some(provider) = &input.provider_id
            && crate::providers::find(self.db.conn(), provider)
                .await
                .is_err()
        {
            return Err(Error::invalid(Problem::new(
                "providerId",
                Rule::NoSuchProvider,
            )));
        }
        Ok(())
    }

    /// Deletes a knowledge base and frees its space: rows, vectors and index file.
    pub async fn delete(&self, id: &str) -> Result<()> {
        self.stop(id, true);
        self.unwatch_base(id);
        if !bases::delete(self.db.conn(), id).await? {
            return Err(Error::not_found("knowledge base", id));
        }
        self.forget(id).await;
        Ok(())
    }

    /// Adds a file or folder and starts indexing it.
    pub async fn add_source(self: &Arc<Self>, kb_id: &str, path: &str) -> Result<KnowledgeSource> {
        let kb = bases::get(self.db.conn(), kb_id).await?;
        let path = path.trim();
        let meta = std::fs::metadata(path)
            .map_err(|_| Error::invalid(Problem::new("path", Rule::NotALocalFile)))?;
        if !meta.is_dir() && !scan::is_taken(Path::new(path), kb.index_images) {
            return Err(Error::invalid(Problem::new("path", Rule::UnsupportedFile)));
        }
        let canonical = std::fs::canonicalize(path)
            .map_or_else(|_| path.to_string(), |p| p.to_string_lossy().into_owned());
        let source =
            bases::add_source(self.db.conn(), kb_id, &new_id(), &canonical, meta.is_dir()).await?;
        self.rescan_source(kb_id, &source).await?;
        if source.is_folder && source.watch {
            self.watch_folder(kb_id, &source);
        }
        bases::source(self.db.conn(), kb_id, &source.id).await
    }

    pub async fn remove_source(&self, kb_id: &str, source_id: &str) -> Result<()> {
        let kb = bases::get(self.db.conn(), kb_id).await?;
        let source = bases::source(self.db.conn(), kb_id, source_id).await?;
        self.stop(kb_id, true);
        let rids = files::source_chunk_ids(self.db.conn(), source_id).await?;
        bases::remove_source(self.db.conn(), kb_id, source_id).await?;
        self.unwatch_path(&source.path);
        self.remove_chunks(kb_id, kb.dimensions, &rids).await;
        self.save(kb_id).await;
        Ok(())
    }

    pub async fn set_watch(
        self: &Arc<Self>,
        kb_id: &str,
        source_id: &str,
        watch: bool,
    ) -> Result<()> {
        if !bases::set_watch(self.db.conn(), kb_id, source_id, watch).await? {
            return Err(Error::not_found("knowledge source", source_id));
        }
        let source = bases::source(self.db.conn(), kb_id, source_id).await?;
        if watch {
            self.watch_folder(kb_id, &source);
            self.rescan_source(kb_id, &source).await?;
        } else {
            self.unwatch_path(&source.path);
        }
        Ok(())
    }

    /// Compares a source with the disk and indexes what changed.
    pub(super) async fn rescan_source(
        self: &Arc<Self>,
        kb_id: &str,
        source: &KnowledgeSource,
    ) -> Result<()> {
        let kb = bases::get(self.db.conn(), kb_id).await?;
        let on_disk = scan::walk(
            source.path.clone().into(),
            source.is_folder,
            kb.index_images,
        )
        .await?;
        let scanned = scan::sync(self.db.conn(), kb_id, source, on_disk).await?;
        self.remove_chunks(kb_id, kb.dimensions, &scanned.removed_chunks)
            .await;
        if !scanned.removed_chunks.is_empty() && !lock_has_run(self, kb_id) {
            self.save(kb_id).await;
        }
        if !kb.paused {
            self.start_run(kb_id);
        }
        Ok(())
    }

    /// Scans every source again, tries failed files once more, and indexes what changed.
    pub async fn reindex(self: &Arc<Self>, kb_id: &str) -> Result<()> {
        bases::set_paused(self.db.conn(), kb_id, false).await?;
        files::retry_failed(self.db.conn(), kb_id).await?;
        for source in bases::sources(self.db.conn(), kb_id).await? {
            self.rescan_source(kb_id, &source).await?;
        }
        self.start_run(kb_id);
        Ok(())
    }

    /// Pauses (after the file being read) or cancels (at once) the indexing; both leave the
    /// rest pending until resumed.
    pub async fn pause(&self, kb_id: &str, now: bool) -> Result<()> {
        bases::get(self.db.conn(), kb_id).await?;
        bases::set_paused(self.db.conn(), kb_id, true).await?;
        self.stop(kb_id, now);
        Ok(())
    }

    pub async fn resume(self: &Arc<Self>, kb_id: &str) -> Result<()> {
        bases::get(self.db.conn(), kb_id).await?;
        bases::set_paused(self.db.conn(), kb_id, false).await?;
        self.start_run(kb_id);
        Ok(())
    }

    /// At start: watches the folders, scans every source for changes made while the app was
    /// closed, and resumes the runs that were going on.
    pub async fn start(self: &Arc<Self>) -> Result<()> {
        for kb in bases::list(self.db.conn()).await? {
            for source in bases::sources(self.db.conn(), &kb.id).await? {
                if source.is_folder && source.watch {
                    self.watch_folder(&kb.id, &source);
                }
                if let Err(error) = self.rescan_source(&kb.id, &source).await {
                    tracing::warn!(%error, "a knowledge source could not be scanned");
                }
            }
        }
        Ok(())
    }

    pub async fn attached(&self, owner: Owner<'_>) -> Result<Vec<String>> {
        bases::attached(self.db.conn(), owner).await
    }

    pub async fn set_attached(&self, owner: Owner<'_>, kb_ids: &[String]) -> Result<()> {
        bases::set_attached(self.db.conn(), owner, kb_ids).await
    }
}

fn lock_has_run(hub: &KnowledgeHub, kb_id: &str) -> bool {
    super::hub::lock(&hub.runs).contains_key(kb_id)
}
