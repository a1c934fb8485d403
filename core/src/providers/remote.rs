//! Talking to a provider outside a chat: `GET {base_url}/models`, to test a connection and
//! to offer the model list. Every failure becomes a typed error that says what went wrong.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{find, keys, normalize_base_url};
use crate::error::{Error, Result};
use crate::llm::{excerpt, readable_error_body};
use crate::secrets::{Keychain, Secret};

/// The whole request, connection included: a model list is small, so a slow one is broken.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// A model the provider offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    pub id: String,
    #[serde(default)]
    pub owned_by: Option<String>,
}

/// What a successful connection test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    pub models: Vec<ModelInfo>,
    /// Time to the whole answer, in milliseconds.
    pub latency_ms: u32,
}

#[derive(Deserialize)]
struct ModelList {
    data: Vec<ModelInfo>,
}

/// Lists the models of a saved provider, with its stored key and headers.
pub async fn test_connection(
    db: &impl ConnectionTrait,
    keychain: &Keychain,
    provider_id: &str,
) -> Result<ConnectionReport> {
    let started = Instant::now();
    let models = list_models(db, keychain, provider_id).await?;
    Ok(ConnectionReport {
        models,
        latency_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
    })
}

/// The models of a saved provider, sorted by id.
pub async fn list_models(
    db: &impl ConnectionTrait,
    keychain: &Keychain,
    provider_id: &str,
) -> Result<Vec<ModelInfo>> {
    let found = find(db, provider_id).await?;
    let key = keys::load_key(db, keychain, provider_id).await?;
    let secrets =
        super::secret_header_values(keychain, super::secret_header_accounts(&found)).await?;
    let mut headers: BTreeMap<String, String> =
        serde_json::from_value(found.extra_headers).unwrap_or_default();
    headers.extend(
        secrets
            .iter()
            .map(|(name, value)| (name.clone(), value.expose().to_string())),
    );
    let http = crate::llm::http_client()?;
    fetch_models(&http, &found.base_url, &headers, key.as_ref()).await
}

/// `GET {base_url}/models` with `key` as the bearer token, sorted by id.
pub async fn fetch_models(
    http: &reqwest::Client,
    base_url: &str,
    headers: &BTreeMap<String, String>,
    key: Option<&Secret>,
) -> Result<Vec<ModelInfo>> {
    let base_url = normalize_base_url(base_url)?;
    let url = format!("{base_url}/models");
    let mut request = http.get(&url).timeout(REQUEST_TIMEOUT);
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if let Some(key) = key {
        request = request.bearer_auth(key.expose());
    }
    let response = request
        .send()
        .await
        .map_err(|error| transport_error(&base_url, &error))?;
    let status = response.status().as_u16();
    let body = crate::llm::read_body(response).await?;
    if status == 401 || status == 403 {
        return Err(Error::ProviderAuth {
            message: format!("HTTP {status}: {}", readable_error_body(&body)),
            key_set: key.is_some(),
        });
    }
    if !(200..300).contains(&status) {
        return Err(Error::Provider {
            status: Some(status),
            message: format!("HTTP {status} from {url}: {}", readable_error_body(&body)),
            retry_after: None,
        });
    }
    let mut models = serde_json::from_str::<ModelList>(&body)
        .map_err(|error| Error::Provider {
            status: Some(status),
            message: format!(
                "{url} did not answer with a model list ({error}); is this an \
                 OpenAI-compatible API base URL? The answer began: {}",
                excerpt(&body)
            ),
            retry_after: None,
        })?
        .data;
    models.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(models)
}

fn transport_error(base_url: &str, error: &reqwest::Error) -> Error {
    let cause = causes(error);
    if error.is_timeout() {
        Error::Network(format!(
            "{base_url} did not answer within {} s (timed out): {cause}",
            REQUEST_TIMEOUT.as_secs()
        ))
    } else if error.is_connect() {
        Error::Network(format!(
            "cannot connect to {base_url} (refused or unreachable): {cause}"
        ))
    } else {
        Error::Network(format!("request to {base_url} failed: {cause}"))
    }
}

/// The error and its sources in one line: reqwest's own message alone ("error sending
/// request") does not say why.
fn causes(error: &reqwest::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}
