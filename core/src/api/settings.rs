//! The app's settings, and the built-in connection (its endpoint and its key).

use serde::Serialize;
use specta::Type;

use super::Api;
use crate::error::Result;
use crate::secrets::{KeyStatus, Secret};
use crate::settings::{self, Settings};

/// The provider replies come from (read-only for now: set by the environment).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInfo {
    pub base_url: String,
    pub model: String,
}

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

    /// Whether the built-in connection has a key, and its last four characters.
    pub async fn get_api_key_status(&self) -> Result<KeyStatus> {
        let key = self.keychain.read(&self.key_account).await?;
        Ok(KeyStatus::of(key.as_ref()))
    }

    /// Stores the built-in connection's key in the keychain. Only its status comes back.
    pub async fn set_api_key(&self, key: Secret) -> Result<KeyStatus> {
        let stored = self.keychain.write(&self.key_account, key).await?;
        Ok(KeyStatus::of(Some(&stored)))
    }

    pub async fn clear_api_key(&self) -> Result<KeyStatus> {
        self.keychain.remove(&self.key_account).await?;
        Ok(KeyStatus::of(None))
    }

    pub fn get_provider_info(&self) -> ProviderInfo {
        let endpoint = self.engine.endpoint();
        ProviderInfo {
            base_url: endpoint.base_url.clone(),
            model: endpoint.model.clone(),
        }
    }
}
