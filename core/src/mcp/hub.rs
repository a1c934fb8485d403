//! The servers running now: started when first needed, kept up, restarted after a crash
//! with a growing wait, stopped at exit.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::connection::Connection;
use super::slot::{McpStatus, Slot};
use super::{McpConfig, McpOutcome, McpProgress, McpTool, listing, manage};
use crate::secrets::Keychain;
use crate::store::{Db, mcp_servers, now_ms};

/// The MCP servers Confab knows and the ones running now. One per `Api`, shared.
pub struct McpHub {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    keychain: Keychain,
    config: McpConfig,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    closed: AtomicBool,
}

impl McpHub {
    pub fn new(db: Db, keychain: Keychain, config: McpConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                keychain,
                config,
                slots: Mutex::default(),
                closed: AtomicBool::new(false),
            }),
        }
    }

    pub fn config(&self) -> &McpConfig {
        &self.inner.config
    }

    /// The tools of these servers, starting each enabled one not running yet. A server that
    /// cannot start, or is disabled or unknown, is left out (its error in its status).
    pub async fn tools(&self, server_ids: &[String]) -> Vec<McpTool> {
        let lists = server_ids.iter().map(|id| self.server_tools(id));
        futures::future::join_all(lists)
            .await
            .into_iter()
            .flatten()
            .collect()
    }

    async fn server_tools(&self, id: &str) -> Vec<McpTool> {
        let connection = match self.inner.connection(id).await {
            Ok(connection) => connection,
            Err(why) => {
                tracing::info!(server = id, %why, "MCP server left out of the tools");
                return Vec::new();
            }
        };
        let name = match mcp_servers::get(self.inner.db.conn(), id).await {
            Ok(Some(row)) => row.name,
            _ => return Vec::new(),
        };
        connection.take_tools_changed();
        let listed = tokio::time::timeout(
            self.inner.config.start_timeout,
            listing::list_tools(&connection),
        )
        .await;
        match listed {
            Ok(Ok(tools)) => tools
                .into_iter()
                .filter_map(|tool| listing::to_tool(id, &name, tool))
                .collect(),
            Ok(Err(why)) => {
                self.inner
                    .slot(id)
                    .log
                    .push(&format!("[confab] tools/list failed: {why}"));
                Vec::new()
            }
            Err(_) => {
                self.inner
                    .slot(id)
                    .log
                    .push("[confab] tools/list timed out");
                Vec::new()
            }
        }
    }

    /// Runs one tool. Every failure (server gone or crashed, timeout, cancel, the tool's
    /// own error, a malformed result) comes back as an outcome with `is_error`.
    pub async fn call(
        &self,
        server_id: &str,
        tool: &str,
        arguments: serde_json::Map<String, serde_json::Value>,
        timeout: Duration,
        cancel: CancellationToken,
        progress: Option<UnboundedSender<McpProgress>>,
    ) -> McpOutcome {
        let connection = tokio::select! {
            connection = self.inner.connection(server_id) => connection,
            () = cancel.cancelled() => return McpOutcome::error("the tool call was cancelled"),
        };
        match connection {
            Ok(connection) => {
                let max = self.inner.config.max_result_bytes;
                connection
                    .call(tool, arguments, timeout, cancel, progress, max)
                    .await
            }
            Err(why) => McpOutcome::error(format!("the MCP server is not available: {why}")),
        }
    }

    /// The running connection of a server, started if needed (for `test_mcp_server`).
    pub async fn connection(&self, id: &str) -> Result<Arc<Connection>, String> {
        self.inner.connection(id).await
    }

    pub fn status(&self, id: &str) -> McpStatus {
        self.inner
            .existing(id)
            .map_or(McpStatus::Stopped, |slot| slot.status())
    }

    /// The last lines the server wrote to stderr, redacted.
    pub fn log(&self, id: &str) -> Vec<String> {
        self.inner
            .existing(id)
            .map(|slot| slot.log.lines())
            .unwrap_or_default()
    }

    /// The pid of a running stdio server.
    pub async fn pid(&self, id: &str) -> Option<u32> {
        let slot = self.inner.existing(id)?;
        let running = slot.running.lock().await;
        running.as_ref().and_then(|connection| connection.pid)
    }

    /// Stops a server (it starts again when next needed).
    pub async fn stop(&self, id: &str) {
        if let Some(slot) = self.inner.existing(id) {
            Inner::stop_slot(&slot).await;
        }
    }

    /// Stops a server and forgets its state (it was deleted).
    pub async fn forget(&self, id: &str) {
        self.stop(id).await;
        self.inner.slots().remove(id);
    }

    /// Stops and starts a server again, its crash count cleared.
    pub async fn restart(&self, id: &str) -> Result<(), String> {
        let slot = self.inner.slot(id);
        Inner::stop_slot(&slot).await;
        slot.reset_crashes();
        self.inner.connection(id).await.map(|_| ())
    }

    /// Stops every server (children killed). Called at app exit; no server starts after.
    pub async fn shutdown(&self) {
        self.inner.closed.store(true, Ordering::Release);
        let slots: Vec<Arc<Slot>> = self.inner.slots().values().cloned().collect();
        futures::future::join_all(slots.iter().map(|slot| Inner::stop_slot(slot))).await;
    }
}

impl Inner {
    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Slot>>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn slot(&self, id: &str) -> Arc<Slot> {
        self.slots().entry(id.to_string()).or_default().clone()
    }

    fn existing(&self, id: &str) -> Option<Arc<Slot>> {
        self.slots().get(id).cloned()
    }

    async fn connection(self: &Arc<Self>, id: &str) -> Result<Arc<Connection>, String> {
        if self.closed.load(Ordering::Acquire) {
            return Err("Confab is closing".into());
        }
        let slot = self.slot(id);
        let mut running = slot.running.lock().await;
        if let Some(connection) = running.as_ref()
            && !connection.gone.is_cancelled()
        {
            return Ok(connection.clone());
        }
        if let McpStatus::Crashed { next_retry_ms, .. } = slot.status() {
            let wait = next_retry_ms - now_ms();
            if wait > 0 {
                return Err(format!(
                    "it crashed and restarts in {} s",
                    (wait + 999) / 1000
                ));
            }
        }
        self.start(id, &slot, &mut running).await
    }

    /// Starts the server; `running` is the slot's lock, held.
    async fn start(
        self: &Arc<Self>,
        id: &str,
        slot: &Arc<Slot>,
        running: &mut Option<Arc<Connection>>,
    ) -> Result<Arc<Connection>, String> {
        let launch = match manage::launch(&self.db, &self.keychain, id).await {
            Ok(launch) => launch,
            Err(why) => {
                slot.set_status(McpStatus::Failed {
                    message: why.clone(),
                });
                return Err(why);
            }
        };
        slot.set_status(McpStatus::Starting);
        let generation = slot.generation.fetch_add(1, Ordering::AcqRel) + 1;
        match Connection::open(launch, slot.log.clone(), &self.config).await {
            Ok(connection) => {
                let connection = Arc::new(connection);
                *running = Some(connection.clone());
                slot.set_status(McpStatus::Running);
                tokio::spawn(Self::watch(
                    Arc::downgrade(self),
                    id.to_string(),
                    slot.clone(),
                    connection.gone.clone(),
                    generation,
                ));
                Ok(connection)
            }
            Err(why) => {
                slot.log.push(&format!("[confab] {why}"));
                tracing::warn!(server = id, %why, "an MCP server did not start");
                slot.set_status(McpStatus::Failed {
                    message: why.clone(),
                });
                Err(why)
            }
        }
    }

    /// Waits for a run to end; if it ended by itself, restarts it after a backoff. Boxed:
    /// it may start the server again, which spawns it again.
    fn watch(
        weak: std::sync::Weak<Self>,
        id: String,
        slot: Arc<Slot>,
        gone: CancellationToken,
        generation: u64,
    ) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(Self::watch_run(weak, id, slot, gone, generation))
    }

    async fn watch_run(
        weak: std::sync::Weak<Self>,
        id: String,
        slot: Arc<Slot>,
        gone: CancellationToken,
        generation: u64,
    ) {
        let started = Instant::now();
        gone.cancelled().await;
        let Some(hub) = weak.upgrade() else { return };
        let current = || slot.generation.load(Ordering::Acquire) == generation;
        if hub.closed.load(Ordering::Acquire) || !current() {
            return;
        }
        let wait = {
            let mut running = slot.running.lock().await;
            if !current() {
                return;
            }
            running.take();
            match slot.crashed(started.elapsed(), hub.config.restart_backoff) {
                Some((restarts, wait)) => {
                    let at = now_ms() + i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
                    slot.set_status(McpStatus::Crashed {
                        restarts,
                        next_retry_ms: at,
                    });
                    wait
                }
                None => {
                    slot.set_status(McpStatus::Failed {
                        message: "it crashed too often in a row; start it again by hand".into(),
                    });
                    return;
                }
            }
        };
        tracing::warn!(server = %id, "an MCP server stopped by itself; restarting it");
        drop(hub);
        tokio::time::sleep(wait).await;
        let Some(hub) = weak.upgrade() else { return };
        if hub.closed.load(Ordering::Acquire) || !current() {
            return;
        }
        let mut running = slot.running.lock().await;
        if running.is_none() && current() {
            // A failure is kept in the status; the next use tries again.
            let _ = hub.start(&id, &slot, &mut running).await;
        }
    }

    async fn stop_slot(slot: &Slot) {
        let mut running = slot.running.lock().await;
        slot.generation.fetch_add(1, Ordering::AcqRel);
        if let Some(connection) = running.take() {
            connection.close().await;
        }
        slot.set_status(McpStatus::Stopped);
    }
}
