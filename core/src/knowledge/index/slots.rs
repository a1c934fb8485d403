//! A counting gate: at most `n` callers inside at once, the others wait.
//!
//! The HNSW engine keeps one search context per thread it reserved and fails a call that
//! finds none free ("reserve capacity ahead of searches"); callers wait here for a context
//! instead, so any number of threads can search and add at once.

use std::sync::{Condvar, Mutex, PoisonError};

pub(super) struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

/// One slot held; it is given back on drop.
pub(super) struct Slot<'a>(&'a Slots);

impl Slots {
    pub(super) fn new(n: usize) -> Self {
        Self {
            free: Mutex::new(n.max(1)),
            freed: Condvar::new(),
        }
    }

    /// Waits for a free slot and holds it.
    pub(super) fn take(&self) -> Slot<'_> {
        // The count is a plain integer: a panic elsewhere cannot leave it half-written.
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = self
                .freed
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        Slot(self)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut free = self.0.free.lock().unwrap_or_else(PoisonError::into_inner);
        *free += 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn never_more_than_n_inside() {
        let slots = Arc::new(Slots::new(2));
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (slots, inside, most) = (slots.clone(), inside.clone(), most.clone());
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let _slot = slots.take();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert!(most.load(Ordering::SeqCst) <= 2);
        assert_eq!(inside.load(Ordering::SeqCst), 0);
    }
}
