//! How far reading one attached file may go (its size, a flag that stops it), and the
//! reads running now, by the id the UI gave each, so that one can be stopped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::PATH;
use crate::error::{Error, Result};
use crate::extract::Limits;
use crate::problem::{Problem, Rule};

/// Longest id a read may be given.
pub const MAX_ID_CHARS: usize = 100;
/// Reads that may run at once: each holds its file in memory.
pub const MAX_RUNNING: usize = 8;

/// The limits of one read.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The largest file taken, in bytes (the `max_attachment_mib` setting).
    pub max_bytes: u64,
    /// Raised to stop the read: it ends with rule `cancelled`.
    pub cancel: Arc<AtomicBool>,
}

impl Reading {
    pub fn new(max_bytes: u64) -> Self {
        Self {
            max_bytes,
            cancel: Arc::default(),
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Fails with `cancelled` once the read was stopped.
    pub(super) fn check_cancelled(&self) -> Result<()> {
        if self.is_cancelled() {
            return Err(Error::invalid(Problem::new(PATH, Rule::Cancelled)));
        }
        Ok(())
    }

    /// Fails with `too_large` when `size` bytes are more than the file may have.
    pub(super) fn check_size(&self, size: u64) -> Result<()> {
        if size > self.max_bytes {
            return Err(Error::invalid(Problem::limit(
                PATH,
                Rule::TooLarge,
                self.max_bytes,
            )));
        }
        Ok(())
    }

    /// The extraction limits of this read: its size, its cancel flag, the rest as default.
    pub(super) fn limits(&self) -> Limits {
        Limits {
            max_input_bytes: self.max_bytes,
            cancel: Some(Arc::clone(&self.cancel)),
            ..Limits::default()
        }
    }
}

impl Default for Reading {
    /// The extraction's own input cap, never cancelled: for imports and tools.
    fn default() -> Self {
        Self::new(Limits::default().max_input_bytes)
    }
}

/// The reads running now, by id.
#[derive(Debug, Clone, Default)]
pub struct Running {
    flags: Arc<Mutex<HashMap<String, Arc<AtomicBool>>>>,
}

impl Running {
    /// Registers the read `id`, limited to `max_bytes`. It is forgotten when the returned
    /// guard drops, however the read ends.
    pub fn start(&self, id: &str, max_bytes: u64) -> Result<RunningRead> {
        if id.is_empty() || id.chars().count() > MAX_ID_CHARS {
            return Err(Error::invalid(Problem::limit(
                "attachId",
                Rule::TooLong,
                MAX_ID_CHARS,
            )));
        }
        let reading = Reading::new(max_bytes);
        let mut flags = self.flags.lock().unwrap_or_else(PoisonError::into_inner);
        if flags.contains_key(id) {
            return Err(Error::invalid(
                Problem::new("attachId", Rule::Duplicate).value(id),
            ));
        }
        if flags.len() >= MAX_RUNNING {
            return Err(Error::invalid(Problem::limit(
                "attachId",
                Rule::TooMany,
                MAX_RUNNING,
            )));
        }
        flags.insert(id.to_string(), Arc::clone(&reading.cancel));
        Ok(RunningRead {
            running: self.clone(),
            id: id.to_string(),
            reading,
        })
    }

    /// Stops the read `id`; nothing when no such read runs (it ended already).
    pub fn cancel(&self, id: &str) {
        let flags = self.flags.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(flag) = flags.get(id) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// How many reads run now.
    pub fn len(&self) -> usize {
        self.flags
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A registered read; dropping it forgets the read.
#[derive(Debug)]
pub struct RunningRead {
    running: Running,
    id: String,
    pub reading: Reading,
}

impl Drop for RunningRead {
    fn drop(&mut self) {
        self.running
            .flags
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_is_forgotten_when_it_ends_and_an_id_runs_once() {
        let running = Running::default();
        let read = running.start("a", 10).expect("starts");
        assert!(running.start("a", 10).is_err(), "the same id twice");
        running.cancel("a");
        assert!(read.reading.is_cancelled());
        running.cancel("unknown");
        drop(read);
        assert!(running.is_empty());
        let again = running.start("a", 10).expect("starts again");
        assert!(!again.reading.is_cancelled());
    }
}
