//! Providers (OpenAI-compatible servers), their keys in the keychain, and what they offer.

use super::Api;
use crate::error::Result;
use crate::providers::vision::{self, ModelCapabilities};
use crate::providers::{
    self, ConnectionReport, ModelInfo, Provider, ProviderInput, ProviderPreset,
};
use crate::secrets::{KeyStatus, Secret};

impl Api {
    pub async fn list_providers(&self) -> Result<Vec<Provider>> {
        providers::list(self.conn(), &self.keychain).await
    }

    pub async fn get_provider(&self, id: &str) -> Result<Provider> {
        providers::get(self.conn(), &self.keychain, id).await
    }

    pub async fn create_provider(&self, input: &ProviderInput) -> Result<Provider> {
        providers::create(self.conn(), &self.keychain, input).await
    }

    pub async fn update_provider(&self, id: &str, input: &ProviderInput) -> Result<Provider> {
        providers::update(self.conn(), &self.keychain, id, input).await
    }

    pub async fn delete_provider(&self, id: &str) -> Result<()> {
        providers::delete(self.conn(), &self.keychain, id).await
    }

    /// Stores the key in the keychain; only its status comes back.
    pub async fn set_provider_api_key(&self, id: &str, key: Secret) -> Result<KeyStatus> {
        providers::set_api_key(self.conn(), &self.keychain, id, key).await
    }

    pub async fn clear_provider_api_key(&self, id: &str) -> Result<KeyStatus> {
        providers::clear_api_key(self.conn(), &self.keychain, id).await
    }

    pub async fn get_provider_key_status(&self, id: &str) -> Result<KeyStatus> {
        providers::key_status(self.conn(), &self.keychain, id).await
    }

    pub async fn test_provider_connection(&self, id: &str) -> Result<ConnectionReport> {
        providers::test_connection(self.conn(), &self.keychain, id).await
    }

    pub async fn list_provider_models(&self, id: &str) -> Result<Vec<ModelInfo>> {
        providers::list_models(self.conn(), &self.keychain, id).await
    }

    pub fn list_provider_presets() -> Vec<ProviderPreset> {
        providers::provider_presets()
    }

    /// What a model at the provider can do (whether it sees images), and who says so.
    pub async fn model_capabilities(
        &self,
        provider_id: &str,
        model: &str,
    ) -> Result<ModelCapabilities> {
        vision::capabilities(self.conn(), provider_id, model).await
    }

    /// Says whether a model at the provider sees images; `None` goes back to what Confab
    /// knows or guesses. Returns what applies after it.
    pub async fn set_model_vision(
        &self,
        provider_id: &str,
        model: &str,
        vision: Option<bool>,
    ) -> Result<ModelCapabilities> {
        vision::set_vision(self.conn(), provider_id, model, vision).await
    }
}
