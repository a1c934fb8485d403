//! Logging set-up. Every crate logs through `tracing`; this installs the subscriber.
//!
//! Never log a key: secrets are [`crate::secrets::Secret`]s, which print as `<redacted>`.

use tracing_subscriber::EnvFilter;

/// Logs to stderr at `default_level` (e.g. `"info"`), unless `RUST_LOG` says otherwise.
/// Calling it twice is harmless: the second call changes nothing.
pub fn init(default_level: &str) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{default_level},sqlx=warn,sea_orm=warn")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
