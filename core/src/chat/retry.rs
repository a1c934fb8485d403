//! When to try a failed request again: before the first token only (the engine's rule),
//! with exponential backoff and jitter, or after exactly the wait the provider asked for.

use std::time::Duration;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(800),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based) after `error`, or `None` to give up.
    pub fn delay(&self, retry: u32, error: &Error) -> Option<Duration> {
        if retry > self.max_retries || !error.is_retryable() {
            return None;
        }
        if let Some(wait) = error.retry_after() {
            return Some(wait);
        }
        Some(self.backoff(retry))
    }

    /// The wait before try number `attempt` (1-based): exponential, capped, with "equal
    /// jitter" (half fixed, half random), so clients that failed together do not retry
    /// together.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        let half = exp / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, retry_after: Option<Duration>) -> Error {
        Error::Provider {
            status: Some(code),
            message: String::new(),
            retry_after,
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_stops() {
        let policy = RetryPolicy::default();
        for retry in 1..=3 {
            let full = policy.base_delay * (1 << (retry - 1));
            let delay = policy.delay(retry, &status(500, None)).expect("retried");
            assert!(
                delay >= full / 2 && delay <= full,
                "retry {retry}: {delay:?}"
            );
        }
        assert_eq!(policy.delay(4, &status(500, None)), None);
    }

    #[test]
    fn retry_after_is_honoured_and_permanent_errors_are_not_retried() {
        let policy = RetryPolicy::default();
        let asked = Some(Duration::from_secs(7));
        assert_eq!(policy.delay(1, &status(429, asked)), asked);
        assert_eq!(policy.delay(1, &status(401, None)), None);
        assert_eq!(policy.delay(1, &status(404, None)), None);
        assert_eq!(
            policy.delay(
                1,
                &Error::ProviderAuth {
                    message: String::new(),
                    key_set: true
                }
            ),
            None
        );
    }
}
