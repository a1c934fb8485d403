//! Providers: connection profiles for OpenAI-compatible servers (name, base URL, default
//! model, extra headers). The API key lives in the OS keychain only (see [`keys`]); the
//! database keeps the keychain account name in `key_ref`.

mod keys;
mod presets;
mod remote;

use std::collections::BTreeMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use specta::Type;

pub use keys::{clear_api_key, key_status, load_key, set_api_key};
pub use presets::{ProviderPreset, provider_presets};
pub use remote::{ConnectionReport, ModelInfo, fetch_models, list_models, test_connection};

use crate::error::{Error, Result};
use crate::secrets::Keychain;
use crate::store::entities::{agent, provider};
use crate::store::{begin_write, new_id, now_ms};

/// The protocols Confab speaks. Only one for now; the column is ready for more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum ProviderKind {
    #[default]
    #[serde(rename = "openai-compatible")]
    OpenaiCompatible,
}

impl ProviderKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::OpenaiCompatible => "openai-compatible",
        }
    }
}

/// A provider as the UI sees it. `key_set` says whether a key is stored; its last four
/// characters come from [`key_status`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub kind: ProviderKind,
    pub base_url: String,
    pub default_model: String,
    pub extra_headers: BTreeMap<String, String>,
    pub key_set: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<provider::Model> for Provider {
    fn from(model: provider::Model) -> Self {
        Self {
            id: model.id,
            name: model.name,
            kind: ProviderKind::OpenaiCompatible,
            base_url: model.base_url,
            default_model: model.default_model,
            // Written only by this module, always a string map; anything else reads as empty.
            extra_headers: serde_json::from_value(model.extra_headers).unwrap_or_default(),
            key_set: model.key_ref.is_some(),
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

/// What the UI sends to create or update a provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ProviderInput {
    pub name: String,
    pub kind: ProviderKind,
    pub base_url: String,
    pub default_model: String,
    pub extra_headers: BTreeMap<String, String>,
}

pub const MAX_NAME_CHARS: usize = 100;
const MAX_MODEL_CHARS: usize = 200;
const MAX_HEADERS: usize = 32;
/// Headers that carry credentials: the key is sent from the keychain, never from here.
const FORBIDDEN_HEADERS: [&str; 3] = ["authorization", "cookie", "proxy-authorization"];

impl ProviderInput {
    /// The input trimmed, or the first problem with it.
    fn validated(&self) -> Result<Self> {
        let invalid = |what: String| Err(Error::InvalidInput(what));
        let name = self.name.trim();
        if name.is_empty() {
            return invalid("name: the provider needs a name".into());
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return invalid(format!("name: at most {MAX_NAME_CHARS} characters"));
        }
        let base_url = normalize_base_url(&self.base_url)?;
        let default_model = self.default_model.trim();
        if default_model.is_empty() {
            return invalid("default_model: a default model is needed".into());
        }
        if default_model.chars().count() > MAX_MODEL_CHARS {
            return invalid(format!(
                "default_model: at most {MAX_MODEL_CHARS} characters"
            ));
        }
        if self.extra_headers.len() > MAX_HEADERS {
            return invalid(format!("extra_headers: at most {MAX_HEADERS} headers"));
        }
        let mut headers = BTreeMap::new();
        for (name, value) in &self.extra_headers {
            let name = name.trim();
            if FORBIDDEN_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                return invalid(format!(
                    "extra_headers.{name}: not allowed here; the API key is stored separately"
                ));
            }
            if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
                return invalid(format!("extra_headers.{name}: not a valid header name"));
            }
            if reqwest::header::HeaderValue::from_str(value.trim()).is_err() {
                return invalid(format!("extra_headers.{name}: not a valid header value"));
            }
            headers.insert(name.to_string(), value.trim().to_string());
        }
        Ok(Self {
            name: name.to_string(),
            kind: self.kind,
            base_url,
            default_model: default_model.to_string(),
            extra_headers: headers,
        })
    }
}

/// A base URL as stored: parseable, http(s), with a host, without a trailing slash.
pub fn normalize_base_url(url: &str) -> Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(trimmed)
        .map_err(|error| Error::InvalidInput(format!("base_url: not a valid URL ({error})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::InvalidInput(
            "base_url: must start with http:// or https://".into(),
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::InvalidInput("base_url: has no host".into()));
    }
    crate::llm::check_plain_http(&parsed)?;
    Ok(trimmed.to_string())
}

fn headers_json(headers: &BTreeMap<String, String>) -> serde_json::Value {
    serde_json::Value::Object(
        headers
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

pub async fn create(db: &impl ConnectionTrait, input: &ProviderInput) -> Result<Provider> {
    let input = input.validated()?;
    let now = now_ms();
    let model = provider::ActiveModel {
        id: Set(new_id()),
        name: Set(input.name),
        kind: Set(input.kind.as_str().into()),
        base_url: Set(input.base_url),
        default_model: Set(input.default_model),
        extra_headers: Set(headers_json(&input.extra_headers)),
        key_ref: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(model.into())
}

/// All providers, by name.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Provider>> {
    let rows = provider::Entity::find()
        .order_by_asc(provider::Column::Name)
        .order_by_asc(provider::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Provider::from).collect())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Provider> {
    find(db, id).await.map(Provider::from)
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: &str) -> Result<provider::Model> {
    provider::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("provider", id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    input: &ProviderInput,
) -> Result<Provider> {
    let input = input.validated()?;
    let mut model: provider::ActiveModel = find(db, id).await?.into();
    model.name = Set(input.name);
    model.kind = Set(input.kind.as_str().into());
    model.base_url = Set(input.base_url);
    model.default_model = Set(input.default_model);
    model.extra_headers = Set(headers_json(&input.extra_headers));
    model.updated_at = Set(now_ms());
    Ok(model.update(db).await?.into())
}

/// Deletes the provider and its stored key. Refused (naming them) while agents use it.
pub async fn delete(db: &sea_orm::DatabaseConnection, keychain: &Keychain, id: &str) -> Result<()> {
    let txn = begin_write(db).await?;
    let found = find(&txn, id).await?;
    let users = agent::Entity::find()
        .filter(agent::Column::ProviderId.eq(id))
        .order_by_asc(agent::Column::AgentId)
        .all(&txn)
        .await?;
    if !users.is_empty() {
        let names: Vec<_> = users.into_iter().map(|a| a.agent_id).collect();
        return Err(Error::InUse {
            what: format!("provider {:?}", found.name),
            users: format!("agents {}", names.join(", ")),
        });
    }
    if crate::settings::load(&txn)
        .await?
        .default_provider_id
        .as_deref()
        == Some(id)
    {
        return Err(Error::InUse {
            what: format!("provider {:?}", found.name),
            users: "the default provider in Settings".into(),
        });
    }
    provider::Entity::delete_by_id(id.to_string())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    if let Some(account) = found.key_ref {
        keys::delete_entry(keychain, account).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProviderInput {
        ProviderInput {
            name: " Local ".into(),
            base_url: "http://127.0.0.1:11434/v1/".into(),
            default_model: "llama3.2".into(),
            ..ProviderInput::default()
        }
    }

    #[test]
    fn input_is_trimmed_and_urls_lose_their_trailing_slash() {
        let valid = input().validated().expect("valid");
        assert_eq!(valid.name, "Local");
        assert_eq!(valid.base_url, "http://127.0.0.1:11434/v1");
    }

    #[test]
    fn credential_headers_bad_urls_and_empty_fields_are_refused() {
        let with_header = |name: &str| ProviderInput {
            extra_headers: BTreeMap::from([(name.to_string(), "x".to_string())]),
            ..input()
        };
        for name in ["Authorization", "cookie", "bad header"] {
            assert!(with_header(name).validated().is_err(), "{name}");
        }
        assert!(with_header("X-Title").validated().is_ok());
        for url in ["ftp://host/v1", "not a url", "http://", ""] {
            let bad = ProviderInput {
                base_url: url.into(),
                ..input()
            };
            assert!(bad.validated().is_err(), "{url}");
        }
        let unnamed = ProviderInput {
            name: "  ".into(),
            ..input()
        };
        assert!(unnamed.validated().is_err());
        let long = ProviderInput {
            name: "n".repeat(101),
            ..input()
        };
        assert!(long.validated().is_err());
        let no_model = ProviderInput {
            default_model: " ".into(),
            ..input()
        };
        assert!(no_model.validated().is_err());
    }
}
