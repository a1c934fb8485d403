//! Providers: connection profiles for OpenAI-compatible servers (name, base URL, default
//! model, extra headers). The API key lives in the OS keychain only (see [`keys`]); the
//! database keeps the keychain account name in `key_ref`. Secret extra headers live in the
//! keychain too (see [`headers`]); the database keeps their names.

pub mod builtin;
mod headers;
mod input;
mod keys;
mod migrate;
mod presets;
mod remote;
pub mod vision;

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use specta::Type;

pub use headers::{looks_secret, secret_header_accounts, secret_header_values};
pub use input::{MAX_NAME_CHARS, ProviderInput, normalize_base_url};
pub use keys::{clear_api_key, key_status, load_key, set_api_key};
pub use migrate::{move_plain_secrets, scrub_backups};
pub use presets::{ProviderPreset, provider_presets};
pub use remote::{ConnectionReport, ModelInfo, fetch_models, list_models, test_connection};

use crate::error::{Error, Result};
use crate::secrets::{KeyStatus, Keychain};
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
/// characters come from [`key_status`]. Secret headers come with their status only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub kind: ProviderKind,
    pub base_url: String,
    pub default_model: String,
    /// The plain extra headers, with their values.
    pub extra_headers: BTreeMap<String, String>,
    /// The secret extra headers: whether each value is stored, and its last four characters.
    pub secret_headers: BTreeMap<String, KeyStatus>,
    pub key_set: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Provider {
    async fn of(keychain: &Keychain, model: provider::Model) -> Result<Self> {
        let secret_headers = headers::statuses(keychain, &model).await?;
        Ok(Self {
            id: model.id,
            name: model.name,
            kind: ProviderKind::OpenaiCompatible,
            base_url: model.base_url,
            default_model: model.default_model,
            // Written only by this module, always a string map; anything else reads as empty.
            extra_headers: serde_json::from_value(model.extra_headers).unwrap_or_default(),
            secret_headers,
            key_set: model.key_ref.is_some(),
            created_at: model.created_at,
            updated_at: model.updated_at,
        })
    }
}

fn headers_json(headers: &BTreeMap<String, String>) -> serde_json::Value {
    serde_json::Value::Object(
        headers
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

/// Creates a provider; its secret header values go to the keychain before the row is
/// written.
pub async fn create(
    db: &impl ConnectionTrait,
    keychain: &Keychain,
    input: &ProviderInput,
) -> Result<Provider> {
    let input = input.validated()?;
    let id = new_id();
    let secret = headers::store(keychain, &id, &BTreeSet::new(), &input.secret).await?;
    let now = now_ms();
    let model = provider::ActiveModel {
        id: Set(id),
        name: Set(input.name),
        kind: Set(input.kind.as_str().into()),
        base_url: Set(input.base_url),
        default_model: Set(input.default_model),
        extra_headers: Set(headers_json(&input.plain)),
        secret_headers: Set(headers::names_json(&secret)),
        key_ref: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Provider::of(keychain, model).await
}

/// All providers, by name.
pub async fn list(db: &impl ConnectionTrait, keychain: &Keychain) -> Result<Vec<Provider>> {
    let rows = provider::Entity::find()
        .order_by_asc(provider::Column::Name)
        .order_by_asc(provider::Column::CreatedAt)
        .all(db)
        .await?;
    let mut providers = Vec::with_capacity(rows.len());
    for row in rows {
        providers.push(Provider::of(keychain, row).await?);
    }
    Ok(providers)
}

pub async fn get(db: &impl ConnectionTrait, keychain: &Keychain, id: &str) -> Result<Provider> {
    Provider::of(keychain, find(db, id).await?).await
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: &str) -> Result<provider::Model> {
    provider::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("provider", id))
}

/// Updates a provider. A secret header sent without a value keeps the stored one; a secret
/// header left out is removed from the keychain.
pub async fn update(
    db: &impl ConnectionTrait,
    keychain: &Keychain,
    id: &str,
    input: &ProviderInput,
) -> Result<Provider> {
    let input = input.validated()?;
    let found = find(db, id).await?;
    let before = headers::names(&found);
    let secret = headers::store(keychain, id, &before, &input.secret).await?;
    let mut model: provider::ActiveModel = found.into();
    model.name = Set(input.name);
    model.kind = Set(input.kind.as_str().into());
    model.base_url = Set(input.base_url);
    model.default_model = Set(input.default_model);
    model.extra_headers = Set(headers_json(&input.plain));
    model.secret_headers = Set(headers::names_json(&secret));
    model.updated_at = Set(now_ms());
    Provider::of(keychain, model.update(db).await?).await
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
    headers::delete_all(keychain, &found).await?;
    if let Some(account) = found.key_ref {
        keys::delete_entry(keychain, account).await?;
    }
    Ok(())
}
