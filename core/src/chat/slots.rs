//! Provider request slots (a cap on requests at once) and per-provider rate limits.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::OwnedSemaphorePermit;

use super::engine::{ChatEngine, lock};
use super::live::LiveStream;
use super::{ChatEvent, QueueReason};

impl ChatEngine {
    /// Waits for a free provider slot, telling the UI when it has to wait.
    pub(super) async fn slot(&self, live: &LiveStream) -> Option<Slot<'_>> {
        let permit = match Arc::clone(&self.slots).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                live.emit(ChatEvent::Queued {
                    reason: QueueReason::Concurrency,
                });
                tokio::select! {
                    () = live.cancel.cancelled() => return None,
                    permit = Arc::clone(&self.slots).acquire_owned() => permit.ok()?,
                }
            }
        };
        Some(self.counted(permit))
    }

    fn counted(&self, permit: OwnedSemaphorePermit) -> Slot<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak_in_flight.fetch_max(now, Ordering::Relaxed);
        Slot {
            engine: self,
            _permit: permit,
        }
    }

    /// A provider slot for a side request (a title): waited for quietly, since the reply
    /// it belongs to has ended for the UI.
    pub(super) async fn side_slot(&self) -> Option<Slot<'_>> {
        let permit = Arc::clone(&self.slots).acquire_owned().await.ok()?;
        Some(self.counted(permit))
    }

    /// Waits until the request-rate budget of the provider at `base_url` allows one more
    /// request: for requests outside the engine that share its budget (embeddings).
    pub async fn wait_rate_limit(&self, base_url: &str) {
        self.side_rate_limit(base_url).await;
    }

    /// Waits quietly until the request-rate budget of the provider at `base_url` allows
    /// one more request.
    pub(super) async fn side_rate_limit(&self, base_url: &str) {
        if let Some(limiter) = self.limiter(base_url) {
            limiter.until_ready().await;
        }
    }

    /// Waits until the request-rate budget of the provider at `base_url` allows one more
    /// request. Returns false when the reply was cancelled meanwhile.
    pub(super) async fn rate_limit(&self, live: &LiveStream, base_url: &str) -> bool {
        let Some(limiter) = self.limiter(base_url) else {
            return true;
        };
        if limiter.check().is_ok() {
            return true;
        }
        live.emit(ChatEvent::Queued {
            reason: QueueReason::RateLimit,
        });
        tokio::select! {
            () = live.cancel.cancelled() => false,
            () = limiter.until_ready() => true,
        }
    }

    /// The limiter of one provider, keyed by the base URL requests actually go to.
    fn limiter(&self, base_url: &str) -> Option<Arc<DefaultDirectRateLimiter>> {
        let per_minute = NonZeroU32::new(lock(&self.settings).requests_per_minute)?;
        // No bursts: requests are spaced evenly, 60 / n seconds apart, the way providers
        // count them.
        let quota = Quota::per_minute(per_minute).allow_burst(NonZeroU32::MIN);
        let mut limiters = lock(&self.limiters);
        let entry = limiters
            .entry(base_url.trim().trim_end_matches('/').to_string())
            .or_insert_with(|| (per_minute.get(), Arc::new(RateLimiter::direct(quota))));
        if entry.0 != per_minute.get() {
            *entry = (per_minute.get(), Arc::new(RateLimiter::direct(quota)));
        }
        Some(Arc::clone(&entry.1))
    }
}

/// A provider request slot, counted while held.
pub(super) struct Slot<'a> {
    engine: &'a ChatEngine,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.engine.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}
