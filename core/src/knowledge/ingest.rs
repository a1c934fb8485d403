//! Indexing a knowledge base: its pending files one after another in the background, each
//! read (by its bytes: an unchanged file is never read or embedded twice), cut into chunks,
//! embedded and stored with its vectors in one transaction, then added to the vector
//! index. A file that cannot be read is marked with the reason and the run goes on; an
//! error every file would hit (no key, the provider unreachable) stops the run with the
//! files left pending, so nothing is lost and Resume carries on. Runs resume at start.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

use super::chunk::{ChunkOptions, chunk_by_page};
use super::chunks;
use super::hub::{KnowledgeHub, Run, key_of, lock};
use super::keep::Stored;
use super::types::{FileStatus, KnowledgeBase, KnowledgeProgress, RunState};
use super::{bases, client, files, scan};
use crate::error::{Error, ErrorCode, Result};
use crate::extract::{self, Kind, Limits};
use crate::llm::ProviderClient;

/// Files read per query of the pending list.
const BATCH: u32 = 16;

/// How a file's indexing ended.
pub(super) enum Outcome {
    Done,
    /// The run must stop; the file stays pending.
    Stop(Error),
}

impl KnowledgeHub {
    /// Starts indexing `kb_id`'s pending files unless a run is going on or it is paused.
    pub fn start_run(self: &Arc<Self>, kb_id: &str) {
        let mut runs = lock(&self.runs);
        if runs.contains_key(kb_id) || self.closed.is_cancelled() {
            return;
        }
        let progress = Arc::new(Mutex::new(KnowledgeProgress {
            kb_id: kb_id.to_string(),
            state: RunState::Running,
            done: 0,
            total: 0,
            current: None,
            stopped_by: None,
        }));
        let run = Run {
            progress: Arc::clone(&progress),
            cancel: self.closed.child_token(),
            pause: Arc::new(AtomicBool::new(false)),
        };
        let (cancel, pause) = (run.cancel.clone(), Arc::clone(&run.pause));
        runs.insert(kb_id.to_string(), run);
        lock(&self.stopped).remove(kb_id);
        let hub = Arc::clone(self);
        let kb_id = kb_id.to_string();
        tokio::spawn(async move {
            let result = hub.run(&kb_id, &progress, &cancel, &pause).await;
            if let Err(error) = &result {
                tracing::warn!(%error, "a knowledge base's indexing stopped");
                lock(&hub.stopped).insert(kb_id.clone(), code_of(error));
            }
            hub.save(&kb_id).await;
            lock(&hub.runs).remove(&kb_id);
        });
    }

    async fn run(
        &self,
        kb_id: &str,
        progress: &Mutex<KnowledgeProgress>,
        cancel: &CancellationToken,
        pause: &AtomicBool,
    ) -> Result<()> {
        let db = self.db.conn();
        let kb = bases::get(db, kb_id).await?;
        if kb.paused {
            return Ok(());
        }
        let client = match (&kb.provider_id, kb.embedding_model.trim()) {
            (Some(provider), model) if !model.is_empty() => Some(
                client::provider_client(db, &self.keychain, &self.http, provider, model).await?,
            ),
            _ => None,
        };
        let mut skipped: Vec<i64> = Vec::new();
        loop {
            let pending =
                files::pending(db, kb_id, BATCH + u32::try_from(skipped.len()).unwrap_or(0))
                    .await?;
            let pending: Vec<_> = pending
                .into_iter()
                .filter(|f| !skipped.contains(&f.0))
                .collect();
            let waiting = files::pending_count(db, kb_id)
                .await?
                .saturating_sub(u32::try_from(skipped.len()).unwrap_or(0));
            {
                let mut shown = lock(progress);
                shown.total = shown.done + waiting;
            }
            if pending.is_empty() {
                return Ok(());
            }
            for (file_id, path, old_sha, old_model) in pending {
                // Paused or cancelled by the person (who stored `paused`), or the app is
                // closing (the run resumes at the next start): the rest stays pending.
                if cancel.is_cancelled() || pause.load(Ordering::SeqCst) {
                    return Ok(());
                }
                lock(progress).current = Some(path.clone());
                let file = Pending {
                    id: file_id,
                    path,
                    old_sha,
                    old_model,
                };
                match self.index_file(&kb, client.as_ref(), &file, cancel).await {
                    Ok(Outcome::Done) => {}
                    Ok(Outcome::Stop(error)) => {
                        if cancel.is_cancelled() {
                            return Ok(());
                        }
                        return Err(error);
                    }
                    Err(error) => {
                        // A store error on one file: leave it pending and go on.
                        tracing::warn!(%error, "a knowledge file could not be stored");
                        skipped.push(file_id);
                    }
                }
                let mut shown = lock(progress);
                shown.done += 1;
                shown.current = None;
            }
        }
    }

    async fn index_file(
        &self,
        kb: &KnowledgeBase,
        client: Option<&ProviderClient>,
        file: &Pending,
        cancel: &CancellationToken,
    ) -> Result<Outcome> {
        let db = self.db.conn();
        let limits = Limits::default();
        let bytes = match read_bounded(&file.path, limits.max_input_bytes).await {
            Ok(bytes) => bytes,
            Err(code) => {
                return self.fail(kb, file.id, FileStatus::Failed, &code).await;
            }
        };
        let sha256 = hex(&Sha256::digest(&bytes));
        let model = client.map(|c| c.endpoint().model.clone());
        if file.old_sha.as_deref() == Some(sha256.as_str()) && file.old_model == model {
            files::mark_unchanged(db, file.id).await?;
            return Ok(Outcome::Done);
        }
        if kb.index_images && scan::is_image_name(Path::new(&file.path)) {
            return self
                .index_image(kb, client, file, bytes, &sha256, cancel)
                .await;
        }
        let name = chunks::file_name(&file.path);
        let flag = Arc::new(AtomicBool::new(false));
        let stop = flag.clone();
        let watch = cancel.clone();
        let cancel_guard = tokio::spawn(async move {
            watch.cancelled().await;
            stop.store(true, Ordering::SeqCst);
        });
        let read = {
            let limits = Limits {
                cancel: Some(flag),
                ..limits.clone()
            };
            let bytes = bytes.clone();
            tokio::task::spawn_blocking(move || extract::extract(&name, &bytes, &limits))
                .await
                .map_err(|error| Error::internal("knowledge read", error))?
        };
        cancel_guard.abort();
        let extracted = match read {
            Ok(extracted) => extracted,
            Err(extract::ExtractError::Cancelled) => {
                return Ok(Outcome::Stop(Error::invalid(crate::problem::Problem::new(
                    "",
                    crate::problem::Rule::Cancelled,
                ))));
            }
            Err(error) => {
                let status = match error {
                    extract::ExtractError::ScannedDocument { .. } => FileStatus::NoText,
                    _ => FileStatus::Failed,
                };
                let problem = crate::attachments::extract_problem(
                    error,
                    &bytes,
                    limits.max_input_bytes,
                    limits.max_inflated_bytes,
                );
                let code = rule_code(problem.rule);
                return self.fail(kb, file.id, status, &code).await;
            }
        };
        let markdown = !matches!(
            extracted.kind,
            Kind::Text | Kind::Code | Kind::Csv | Kind::Tsv | Kind::Json
        );
        let options = ChunkOptions {
            max_tokens: kb.chunk_tokens,
            overlap: kb.chunk_overlap,
        };
        let chunked = tokio::task::spawn_blocking(move || {
            chunk_by_page(&extracted.text, &extracted.page_starts, markdown, &options)
        })
        .await
        .map_err(|error| Error::internal("knowledge chunks", error))?;
        if chunked.is_empty() {
            return self.fail(kb, file.id, FileStatus::NoText, "no_text").await;
        }
        let vectors = match client {
            None => None,
            Some(client) => {
                let texts: Vec<String> = chunked
                    .iter()
                    .map(|c| embed_text(&c.heading, &c.text))
                    .collect();
                match self.embed(client, &texts, cancel).await {
                    Ok(vectors) => Some(vectors),
                    Err(error) if stops_the_run(&error) || cancel.is_cancelled() => {
                        return Ok(Outcome::Stop(error));
                    }
                    Err(error) => {
                        let code = code_of(&error);
                        return self.fail(kb, file.id, FileStatus::Failed, &code).await;
                    }
                }
            }
        };
        let model = model.as_deref().filter(|_| vectors.is_some());
        let stored = Stored {
            sha256: &sha256,
            chunks: &chunked,
            vectors,
            model,
            image: false,
        };
        self.store(kb, file.id, stored).await
    }

    pub(super) async fn fail(
        &self,
        kb: &KnowledgeBase,
        file_id: i64,
        status: FileStatus,
        code: &str,
    ) -> Result<Outcome> {
        let old = files::finish_without_chunks(self.db.conn(), file_id, status, Some(code)).await?;
        self.remove_chunks(&kb.id, kb.dimensions, &old).await;
        Ok(Outcome::Done)
    }

    /// Takes chunks out of a knowledge base's vector index (when it has vectors).
    pub(super) async fn remove_chunks(&self, kb_id: &str, dimensions: Option<u32>, rids: &[i64]) {
        let Some(dims) = dimensions else { return };
        if rids.is_empty() {
            return;
        }
        match self.index(kb_id, dims).await {
            Ok(index) => {
                self.touch(kb_id).await;
                for rid in rids {
                    let _ = index.remove(key_of(*rid));
                }
            }
            Err(error) => tracing::warn!(%error, "the knowledge index could not be loaded"),
        }
    }
}

pub(super) struct Pending {
    pub id: i64,
    pub path: String,
    old_sha: Option<String>,
    old_model: Option<String>,
}

/// What is embedded for a chunk: its headings, then its text (the headings say what the
/// passage is about when its text does not).
fn embed_text(heading: &str, text: &str) -> String {
    if heading.is_empty() {
        text.to_string()
    } else {
        format!("{heading}\n\n{text}")
    }
}

/// Errors every file would hit: stop the run, keep the files pending.
pub(super) fn stops_the_run(error: &Error) -> bool {
    matches!(
        error.code(),
        ErrorCode::ProviderAuth
            | ErrorCode::NoApiKey
            | ErrorCode::Network
            | ErrorCode::NotFound
            | ErrorCode::ModelNotFound
            | ErrorCode::RateLimited
            | ErrorCode::Keychain
    )
}

/// A file's bytes, refused by its size before it is read.
async fn read_bounded(path: &str, max: u64) -> std::result::Result<Vec<u8>, String> {
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|_| "not_found".to_string())?;
    if !meta.is_file() {
        return Err("not_found".into());
    }
    if meta.len() > max {
        return Err("too_large".into());
    }
    tokio::fs::read(path)
        .await
        .map_err(|_| "unreadable".to_string())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The wire name of a rule (`scanned_document`, ...).
pub(super) fn rule_code(rule: crate::problem::Rule) -> String {
    serde_json::to_value(rule)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "failed".into())
}

/// The wire name of an error's code (`provider_auth`, ...).
pub(super) fn code_of(error: &Error) -> String {
    serde_json::to_value(error.code())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "internal".into())
}
