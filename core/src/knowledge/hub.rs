//! `KnowledgeHub`: what runs for knowledge bases while the app is open. The vector index of
//! a knowledge base is loaded when first searched or written, kept while it is used and
//! dropped (saved first) after it was idle for a while, so a base no open conversation uses
//! holds no memory. One indexing run per knowledge base at a time, stoppable, its progress
//! readable at any moment; folders are watched (`watch.rs`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::chunks;
use super::index::{HnswIndex, VectorIndex};
use super::types::{KnowledgeProgress, RunState};
use crate::error::{Error, Result};
use crate::secrets::Keychain;
use crate::store::Db;

/// How long an index no search or run used stays in memory.
pub const IDLE_UNLOAD: Duration = Duration::from_secs(300);

/// Vectors read from the database per query when an index is built again.
const REBUILD_PAGE: u32 = 2_000;

pub(super) struct Loaded {
    /// The local index (the `VectorIndex` the searches use, and its file).
    pub index: Arc<HnswIndex>,
    pub last_used: Instant,
    /// Changed since it was last saved (its file was removed when the change began).
    pub dirty: bool,
}

/// A run going on now.
pub(super) struct Run {
    pub progress: Arc<Mutex<KnowledgeProgress>>,
    pub cancel: CancellationToken,
    /// Stop after the file being read (pause), rather than at once (cancel).
    pub pause: Arc<AtomicBool>,
}

/// Knowledge bases' live state.
pub struct KnowledgeHub {
    pub(super) db: Db,
    pub(super) keychain: Keychain,
    pub(super) http: reqwest::Client,
    /// Where index files live: `<data>/knowledge/<kb id>.index`.
    pub(super) folder: PathBuf,
    pub(super) indexes: tokio::sync::Mutex<HashMap<String, Loaded>>,
    pub(super) runs: Mutex<HashMap<String, Run>>,
    /// Why the last run of a knowledge base stopped early (an error code), until the next
    /// run starts.
    pub(super) stopped: Mutex<HashMap<String, String>>,
    pub(super) watcher: Mutex<Option<super::watch::Watcher>>,
    pub(super) closed: CancellationToken,
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl KnowledgeHub {
    /// A hub over the database `db`; index files go in a `knowledge` folder beside it.
    pub fn new(db: Db, keychain: Keychain) -> Result<Arc<Self>> {
        let folder = db
            .path()
            .parent()
            .map_or_else(|| PathBuf::from("knowledge"), |dir| dir.join("knowledge"));
        Ok(Arc::new(Self {
            db,
            keychain,
            http: crate::llm::http_client()?,
            folder,
            indexes: tokio::sync::Mutex::new(HashMap::new()),
            runs: Mutex::new(HashMap::new()),
            stopped: Mutex::new(HashMap::new()),
            watcher: Mutex::new(None),
            closed: CancellationToken::new(),
        }))
    }

    pub(super) fn index_path(&self, kb_id: &str) -> PathBuf {
        // Ids are uuids the core made; anything else is kept out of the path.
        let safe: String = kb_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        self.folder.join(format!("{safe}.index"))
    }

    /// The vector index of a knowledge base whose vectors have `dimensions`, loaded (from
    /// its file, else built again from the stored vectors) if it is not in memory.
    pub(super) async fn index(&self, kb_id: &str, dimensions: u32) -> Result<Arc<dyn VectorIndex>> {
        let mut indexes = self.indexes.lock().await;
        if let Some(loaded) = indexes.get_mut(kb_id)
            && loaded.index.dimensions() == dimensions as usize
        {
            loaded.last_used = Instant::now();
            let index: Arc<dyn VectorIndex> = loaded.index.clone();
            return Ok(index);
        }
        let index = Arc::new(self.load(kb_id, dimensions).await?);
        indexes.insert(
            kb_id.to_string(),
            Loaded {
                index: Arc::clone(&index),
                last_used: Instant::now(),
                dirty: false,
            },
        );
        let index: Arc<dyn VectorIndex> = index;
        Ok(index)
    }

    async fn load(&self, kb_id: &str, dimensions: u32) -> Result<HnswIndex> {
        let path = self.index_path(kb_id);
        let stored = chunks::vector_count(self.db.conn(), kb_id).await?;
        let dims = dimensions as usize;
        if path.exists() {
            let opened = {
                let path = path.clone();
                tokio::task::spawn_blocking(move || HnswIndex::open(&path, dims))
                    .await
                    .map_err(|error| Error::internal("knowledge index", error))?
            };
            match opened {
                Ok(index) if index.len() as u64 == stored => return Ok(index),
                Ok(index) => tracing::info!(
                    in_file = index.len(),
                    stored,
                    "a knowledge index file is stale; building it again"
                ),
                Err(error) => {
                    tracing::warn!(%error, "a knowledge index file could not be read; building it again");
                }
            }
        }
        let index =
            HnswIndex::new(dims).map_err(|error| Error::internal("knowledge index", error))?;
        let mut after = 0;
        loop {
            let page = chunks::vectors_after(self.db.conn(), kb_id, after, REBUILD_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.0;
            for (rid, vector) in page {
                if let Err(error) = index.add(key_of(rid), &vector) {
                    tracing::warn!(%error, rid, "a stored vector was left out of the index");
                }
            }
        }
        Ok(index)
    }

    /// Marks a loaded index as changing: its file goes, so a crash before the next save
    /// makes the next load build it again from the database.
    pub(super) async fn touch(&self, kb_id: &str) {
        let mut indexes = self.indexes.lock().await;
        if let Some(loaded) = indexes.get_mut(kb_id) {
            if !loaded.dirty {
                loaded.dirty = true;
                let _ = std::fs::remove_file(self.index_path(kb_id));
            }
            loaded.last_used = Instant::now();
        }
    }

    /// Saves a changed index to its file.
    pub(super) async fn save(&self, kb_id: &str) {
        let mut indexes = self.indexes.lock().await;
        let Some(loaded) = indexes.get_mut(kb_id) else {
            return;
        };
        if !loaded.dirty {
            return;
        }
        if let Err(error) = save_index(&self.folder, &self.index_path(kb_id), &loaded.index) {
            tracing::warn!(%error, "a knowledge index could not be saved");
            return;
        }
        loaded.dirty = false;
    }

    /// Drops the index of `kb_id` from memory and its file from disk (the base is gone,
    /// or its vectors are to be made again).
    pub(super) async fn forget(&self, kb_id: &str) {
        self.indexes.lock().await.remove(kb_id);
        let _ = std::fs::remove_file(self.index_path(kb_id));
    }

    /// Saves and drops the indexes idle for `idle` or longer.
    pub async fn unload_idle(&self, idle: Duration) {
        let mut indexes = self.indexes.lock().await;
        let running: Vec<String> = lock(&self.runs).keys().cloned().collect();
        let stale: Vec<String> = indexes
            .iter()
            .filter(|(id, loaded)| loaded.last_used.elapsed() >= idle && !running.contains(id))
            .map(|(id, _)| id.clone())
            .collect();
        for id in stale {
            if let Some(loaded) = indexes.remove(&id)
                && loaded.dirty
                && let Err(error) = save_index(&self.folder, &self.index_path(&id), &loaded.index)
            {
                tracing::warn!(%error, "a knowledge index could not be saved");
            }
        }
    }

    /// How many indexes are in memory now.
    pub async fn loaded(&self) -> usize {
        self.indexes.lock().await.len()
    }

    /// The progress of a knowledge base's indexing (idle when nothing runs).
    pub fn progress(&self, kb_id: &str, paused: bool) -> KnowledgeProgress {
        match lock(&self.runs).get(kb_id) {
            Some(run) => lock(&run.progress).clone(),
            None => KnowledgeProgress {
                kb_id: kb_id.to_string(),
                state: if paused {
                    RunState::Paused
                } else {
                    RunState::Idle
                },
                done: 0,
                total: 0,
                current: None,
                stopped_by: lock(&self.stopped).get(kb_id).cloned(),
            },
        }
    }

    /// Stops a knowledge base's run: at once (`now`), or after the file being read.
    pub fn stop(&self, kb_id: &str, now: bool) {
        if let Some(run) = lock(&self.runs).get(kb_id) {
            run.pause.store(true, Ordering::SeqCst);
            if now {
                run.cancel.cancel();
            }
        }
    }

    /// Stops every run and the watcher, and saves every changed index. Call at exit.
    pub async fn shutdown(&self) {
        self.closed.cancel();
        for run in lock(&self.runs).values() {
            run.cancel.cancel();
        }
        lock(&self.watcher).take();
        let ids: Vec<String> = self.indexes.lock().await.keys().cloned().collect();
        for id in ids {
            self.save(&id).await;
        }
    }
}

/// A chunk id as the index's key (row ids are positive).
pub(super) fn key_of(rid: i64) -> u64 {
    u64::try_from(rid).unwrap_or(0)
}

fn save_index(folder: &Path, path: &Path, index: &HnswIndex) -> Result<()> {
    std::fs::create_dir_all(folder).map_err(|error| Error::internal("knowledge folder", error))?;
    index
        .save(path)
        .map_err(|error| Error::internal("knowledge index", error))
}

impl KnowledgeHub {
    /// Saves and drops idle indexes every minute until the hub shuts down.
    pub fn unload_idle_every(self: &Arc<Self>, idle: Duration) {
        let hub = Arc::downgrade(self);
        let closed = self.closed.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tokio::select! {
                    () = closed.cancelled() => break,
                    _ = tick.tick() => {}
                }
                let Some(hub) = hub.upgrade() else { break };
                hub.unload_idle(idle).await;
            }
        });
    }
}
