//! The provider client a knowledge base embeds and reranks with: its provider's endpoint,
//! key and headers, with its embedding model.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::llm::{Endpoint, ProviderClient};
use crate::problem::Problem;
use crate::providers;
use crate::secrets::{Keychain, Secret};

/// A client for `model` of provider `provider_id`.
pub async fn provider_client(
    db: &sea_orm::DatabaseConnection,
    keychain: &Keychain,
    http: &reqwest::Client,
    provider_id: &str,
    model: &str,
) -> Result<ProviderClient> {
    if model.trim().is_empty() {
        return Err(Error::invalid(Problem::required("embeddingModel")));
    }
    let provider = providers::find(db, provider_id).await?;
    let mut headers: BTreeMap<String, String> =
        serde_json::from_value(provider.extra_headers.clone()).unwrap_or_default();
    let secrets =
        providers::secret_header_values(keychain, providers::secret_header_accounts(&provider))
            .await?;
    headers.extend(
        secrets
            .iter()
            .map(|(n, v)| (n.clone(), v.expose().to_string())),
    );
    let key: Option<Secret> = match &provider.key_ref {
        Some(account) => keychain.read(account).await?,
        None => None,
    };
    let endpoint = Endpoint {
        base_url: provider.base_url,
        model: model.trim().to_string(),
    };
    Ok(ProviderClient::new(http.clone(), endpoint, key.as_ref())?
        .with_headers(&headers)?
        .for_provider(provider.id))
}
