//! Prices per provider and model: the shipped ones and the user's own, which win.

use super::Api;
use crate::error::Result;
use crate::pricing::{self, ModelPrice, Price};

impl Api {
    /// Every model with a price at the provider, the user's own marked `custom`.
    pub async fn list_model_prices(&self, provider_id: &str) -> Result<Vec<ModelPrice>> {
        pricing::list(self.conn(), provider_id).await
    }

    /// Stores the user's price of `model` at the provider; the provider's list after it.
    pub async fn set_model_price(
        &self,
        provider_id: &str,
        model: &str,
        price: &Price,
    ) -> Result<Vec<ModelPrice>> {
        pricing::set(self.conn(), provider_id, model, price).await?;
        pricing::list(self.conn(), provider_id).await
    }

    /// Removes the user's price of `model` (the shipped one applies again); the provider's
    /// list after it.
    pub async fn remove_model_price(
        &self,
        provider_id: &str,
        model: &str,
    ) -> Result<Vec<ModelPrice>> {
        pricing::remove(self.conn(), provider_id, model).await?;
        pricing::list(self.conn(), provider_id).await
    }
}
