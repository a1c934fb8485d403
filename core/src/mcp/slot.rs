//! One known server in the hub: its connection when running, its visible status, its log,
//! and its crash count for the restart backoff.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;
use specta::Type;

use super::connection::Connection;
use super::ring::Ring;

/// Crashes in a row after which a server is not restarted by itself any more (it starts
/// again when next needed, or by hand).
pub const MAX_RESTARTS: u32 = 5;
/// A server up this long before it crashed starts counting crashes from zero again.
pub const STABLE_AFTER: Duration = Duration::from_secs(60);
/// The longest wait before a restart.
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// What the person sees of a server's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum McpStatus {
    Stopped,
    Starting,
    Running,
    /// It stopped by itself; it is started again at `nextRetryMs` (unix ms).
    #[serde(rename_all = "camelCase")]
    Crashed {
        restarts: u32,
        next_retry_ms: i64,
    },
    /// It could not start (or crashed too often); `message` says why.
    Failed {
        message: String,
    },
}

#[derive(Default)]
pub struct Slot {
    /// Held while starting or stopping, so one start runs at a time.
    pub running: tokio::sync::Mutex<Option<Arc<Connection>>>,
    status: Mutex<Option<McpStatus>>,
    pub log: Ring,
    /// Crashes in a row (reset by a stable run or a start by hand).
    pub crashes: Mutex<u32>,
    /// Bumped at each start and stop: a crash of an older run is not this run's.
    pub generation: std::sync::atomic::AtomicU64,
}

impl Slot {
    pub fn status(&self) -> McpStatus {
        let status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        status.clone().unwrap_or(McpStatus::Stopped)
    }

    pub fn set_status(&self, status: McpStatus) {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner) = Some(status);
    }

    /// Counts a crash and says how long to wait before the restart (`None`: give up).
    pub fn crashed(&self, up_for: Duration, first_backoff: Duration) -> Option<(u32, Duration)> {
        let mut crashes = self.crashes.lock().unwrap_or_else(PoisonError::into_inner);
        if up_for >= STABLE_AFTER {
            *crashes = 0;
        }
        *crashes += 1;
        if *crashes > MAX_RESTARTS {
            return None;
        }
        let factor = 1u32 << (*crashes - 1).min(16);
        Some((*crashes, (first_backoff * factor).min(MAX_BACKOFF)))
    }

    pub fn reset_crashes(&self) {
        *self.crashes.lock().unwrap_or_else(PoisonError::into_inner) = 0;
    }
}
