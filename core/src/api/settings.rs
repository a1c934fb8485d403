//! The app's settings: stored and put in force as one step.

use super::Api;
use crate::error::Result;
use crate::settings::{self, Settings};

impl Api {
    /// The settings as stored.
    pub async fn get_settings(&self) -> Result<Settings> {
        settings::load(self.conn()).await
    }

    /// Validates and stores the settings, then puts them in force: the engine's slots,
    /// rate limit and timeouts, and the log level. Returns them as stored.
    pub async fn set_settings(&self, settings: Settings) -> Result<Settings> {
        settings::save(self.conn(), &settings).await?;
        self.engine.apply_settings(settings.clone());
        crate::logging::set_level(&settings.log_level)?;
        Ok(settings)
    }
}
