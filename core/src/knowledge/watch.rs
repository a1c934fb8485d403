//! Watching knowledge folders while the app runs: changes are gathered for a moment
//! (`notify`'s debouncer) and the source they fall in is scanned again, which queues only
//! the files whose size or time changed (and reads only those whose bytes changed).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::Duration;

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

use super::bases;
use super::hub::{KnowledgeHub, lock};
use super::types::KnowledgeSource;

/// How long changes are gathered before a folder is scanned again.
pub const SETTLE: Duration = Duration::from_secs(2);

/// The folders watched now, by path: which knowledge bases' sources they are.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher>,
    folders: HashMap<PathBuf, Vec<(String, String)>>,
}

impl KnowledgeHub {
    /// Watches a source folder (once per path, whichever knowledge bases share it).
    pub(super) fn watch_folder(self: &Arc<Self>, kb_id: &str, source: &KnowledgeSource) {
        let path = PathBuf::from(&source.path);
        let mut slot = lock(&self.watcher);
        if slot.is_none() {
            match self.new_watcher() {
                Ok(watcher) => *slot = Some(watcher),
                Err(error) => {
                    tracing::warn!(%error, "knowledge folders cannot be watched");
                    return;
                }
            }
        }
        let Some(watcher) = slot.as_mut() else { return };
        let owners = watcher.folders.entry(path.clone()).or_default();
        if owners.is_empty()
            && let Err(error) = watcher
                .debouncer
                .watcher()
                .watch(&path, RecursiveMode::Recursive)
        {
            tracing::warn!(%error, "a knowledge folder cannot be watched");
            watcher.folders.remove(&path);
            return;
        }
        let owner = (kb_id.to_string(), source.id.clone());
        if !owners.contains(&owner) {
            owners.push(owner);
        }
    }

    /// Stops watching a folder path.
    pub(super) fn unwatch_path(&self, path: &str) {
        if let Some(watcher) = lock(&self.watcher).as_mut() {
            let path = PathBuf::from(path);
            if watcher.folders.remove(&path).is_some() {
                let _ = watcher.debouncer.watcher().unwatch(&path);
            }
        }
    }

    /// Stops watching a knowledge base's folders (others sharing a path keep it).
    pub(super) fn unwatch_base(&self, kb_id: &str) {
        if let Some(watcher) = lock(&self.watcher).as_mut() {
            let mut emptied = Vec::new();
            for (path, owners) in &mut watcher.folders {
                owners.retain(|(owner, _)| owner != kb_id);
                if owners.is_empty() {
                    emptied.push(path.clone());
                }
            }
            for path in emptied {
                watcher.folders.remove(&path);
                let _ = watcher.debouncer.watcher().unwatch(&path);
            }
        }
    }

    fn new_watcher(self: &Arc<Self>) -> Result<Watcher, notify_debouncer_mini::notify::Error> {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
        let debouncer = new_debouncer(SETTLE, move |events: DebounceEventResult| match events {
            Ok(events) => {
                let _ = tx.send(events.into_iter().map(|event| event.path).collect());
            }
            Err(error) => tracing::warn!(%error, "watching a knowledge folder failed"),
        })?;
        let hub: Weak<Self> = Arc::downgrade(self);
        tokio::spawn(async move {
            while let Some(paths) = rx.recv().await {
                let Some(hub) = hub.upgrade() else { break };
                hub.changed(&paths).await;
            }
        });
        Ok(Watcher {
            debouncer,
            folders: HashMap::new(),
        })
    }

    /// Scans again each source a changed path falls in.
    async fn changed(self: &Arc<Self>, paths: &[PathBuf]) {
        let owners: Vec<(String, String)> = {
            let slot = lock(&self.watcher);
            let Some(watcher) = slot.as_ref() else { return };
            let mut owners = Vec::new();
            for (folder, sources) in &watcher.folders {
                if paths.iter().any(|path| is_within(path, folder)) {
                    for owner in sources {
                        if !owners.contains(owner) {
                            owners.push(owner.clone());
                        }
                    }
                }
            }
            owners
        };
        for (kb_id, source_id) in owners {
            let source = bases::source(self.db.conn(), &kb_id, &source_id).await;
            let scanned = match source {
                Ok(source) => self.rescan_source(&kb_id, &source).await,
                Err(error) => Err(error),
            };
            if let Err(error) = scanned {
                tracing::warn!(%error, "a changed knowledge folder could not be scanned");
            }
        }
    }
}

fn is_within(path: &Path, folder: &Path) -> bool {
    path.starts_with(folder)
}
