//! The built-in provider: an ordinary provider row (id [`ID`]) that every database gets
//! once, from the migration that introduced it, and that is the default provider until the
//! person chooses another. At each start [`ensure`] lets `CONFAB_BASE_URL`, `CONFAB_MODEL`
//! and `CONFAB_API_KEY` fill it, and moves the key an older version kept under the keychain
//! account `provider:default` to the provider's own account.
//!
//! The person may edit it like any provider; the environment still wins where it is set
//! (automated runs rely on it), and a variable that is not set leaves the edit alone. A
//! deleted built-in provider stays deleted, unless one of the variables is set: setting one
//! asks for it, so it is created again.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};

use super::input::ProviderInput;
use super::keys::{self, blocking};
use crate::error::Result;
use crate::secrets::{Keychain, Secret};
use crate::store::entities::provider;
use crate::store::now_ms;

/// The built-in provider's id (the migration creates it under this id).
pub const ID: &str = "builtin";
/// Its name when it is created again from the environment.
const NAME: &str = "Built-in";
/// Where it points when the environment does not say (as the migration creates it).
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
pub const DEFAULT_MODEL: &str = "gpt-4o-mini";
/// Where an older version kept the built-in connection's key.
pub const LEGACY_KEY_ACCOUNT: &str = "provider:default";

/// The keychain account of the built-in provider's key.
pub fn key_account() -> String {
    keys::account(ID)
}

/// What the environment says about the built-in provider; `None` where it says nothing.
#[derive(Debug, Clone, Default)]
pub struct BuiltinEnv {
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key: Option<Secret>,
}

impl BuiltinEnv {
    /// `CONFAB_BASE_URL`, `CONFAB_MODEL` and `CONFAB_API_KEY`; a blank value counts as unset.
    pub fn from_env() -> Self {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        Self {
            base_url: var("CONFAB_BASE_URL"),
            model: var("CONFAB_MODEL"),
            api_key: var("CONFAB_API_KEY").map(Secret::new),
        }
    }

    /// Whether any variable is set: then a deleted built-in provider is created again.
    fn asks(&self) -> bool {
        self.base_url.is_some() || self.model.is_some() || self.api_key.is_some()
    }
}

/// What happened to a key under the old account [`LEGACY_KEY_ACCOUNT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyKey {
    /// There was none (the usual case once it has moved).
    None,
    /// It moved to the built-in provider's account.
    Moved,
    /// The built-in provider already had a key, or was deleted: the old one was removed.
    Dropped,
    /// The keychain did not answer; it stays where it is and is tried at the next start.
    Failed,
}

/// What [`ensure`] found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ensured {
    /// Whether the built-in provider exists now.
    pub exists: bool,
    pub legacy_key: LegacyKey,
}

/// Start-up: applies the environment to the built-in provider (creating it again when it
/// was deleted and the environment asks for it), moves an old key to its account, and makes
/// it the default provider when none is chosen. A keychain that does not answer leaves the
/// old key in place (logged) for the next start; an environment key that cannot be stored
/// is an error, as a value the environment gives that is not valid.
pub async fn ensure(
    db: &impl ConnectionTrait,
    keychain: &Keychain,
    env: BuiltinEnv,
) -> Result<Ensured> {
    let found = provider::Entity::find_by_id(ID.to_string()).one(db).await?;
    let row = match found {
        Some(row) => Some(apply_env(db, row, &env).await?),
        None if env.asks() => Some(create(db, &env).await?),
        None => None,
    };
    let legacy_key = match move_legacy_key(db, keychain).await {
        Ok(outcome) => outcome,
        Err(error) => {
            tracing::error!(%error, "the built-in provider's key could not be moved; trying again at the next start");
            LegacyKey::Failed
        }
    };
    let Some(row) = row else {
        tracing::info!("no built-in provider (deleted)");
        return Ok(Ensured {
            exists: false,
            legacy_key,
        });
    };
    if let Some(key) = env.api_key {
        keys::set_api_key(db, keychain, ID, key).await?;
    }
    if crate::settings::load(db)
        .await?
        .default_provider_id
        .is_none()
    {
        crate::settings::store_default_provider(db, ID).await?;
    }
    tracing::info!(base_url = %row.base_url, model = %row.default_model, "built-in provider");
    Ok(Ensured {
        exists: true,
        legacy_key,
    })
}

/// The row with the environment's address and model where they are set, checked as the
/// providers form checks them.
fn checked(row_name: &str, base_url: &str, model: &str) -> Result<(String, String)> {
    let input = ProviderInput {
        name: row_name.to_string(),
        base_url: base_url.to_string(),
        default_model: model.to_string(),
        ..ProviderInput::default()
    };
    let valid = input.validated().inspect_err(|error| {
        tracing::error!(%error, "CONFAB_BASE_URL / CONFAB_MODEL not usable");
    })?;
    Ok((valid.base_url, valid.default_model))
}

async fn apply_env(
    db: &impl ConnectionTrait,
    row: provider::Model,
    env: &BuiltinEnv,
) -> Result<provider::Model> {
    if env.base_url.is_none() && env.model.is_none() {
        return Ok(row);
    }
    let (base_url, model) = checked(
        &row.name,
        env.base_url.as_deref().unwrap_or(&row.base_url),
        env.model.as_deref().unwrap_or(&row.default_model),
    )?;
    if base_url == row.base_url && model == row.default_model {
        return Ok(row);
    }
    let mut active: provider::ActiveModel = row.into();
    active.base_url = Set(base_url);
    active.default_model = Set(model);
    active.updated_at = Set(now_ms());
    Ok(active.update(db).await?)
}

async fn create(db: &impl ConnectionTrait, env: &BuiltinEnv) -> Result<provider::Model> {
    let (base_url, model) = checked(
        NAME,
        env.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
        env.model.as_deref().unwrap_or(DEFAULT_MODEL),
    )?;
    let now = now_ms();
    let row = provider::ActiveModel {
        id: Set(ID.into()),
        name: Set(NAME.into()),
        kind: Set(super::ProviderKind::OpenaiCompatible.as_str().into()),
        base_url: Set(base_url),
        default_model: Set(model),
        extra_headers: Set(serde_json::json!({})),
        secret_headers: Set(serde_json::json!([])),
        key_ref: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    tracing::info!("built-in provider created again: the environment sets it");
    Ok(row)
}

/// Moves a key under [`LEGACY_KEY_ACCOUNT`] to the built-in provider's account. The new
/// entry is written (and recorded in the row) before the old one is removed, so an
/// interruption leaves the key in one place or both, never in neither; the next start
/// finishes the move.
async fn move_legacy_key(db: &impl ConnectionTrait, keychain: &Keychain) -> Result<LegacyKey> {
    let Some(key) = blocking(keychain, |k| k.get(LEGACY_KEY_ACCOUNT)).await? else {
        return Ok(LegacyKey::None);
    };
    let row = provider::Entity::find_by_id(ID.to_string()).one(db).await?;
    let outcome = match row {
        Some(row) if row.key_ref.is_none() => {
            keys::set_api_key(db, keychain, ID, key).await?;
            LegacyKey::Moved
        }
        // Its own key (set in the form, or from CONFAB_API_KEY) is newer; a deleted
        // provider's keys are deleted with it.
        _ => LegacyKey::Dropped,
    };
    blocking(keychain, |k| k.delete(LEGACY_KEY_ACCOUNT)).await?;
    tracing::info!(
        ?outcome,
        "the built-in connection's old key account was emptied"
    );
    Ok(outcome)
}
