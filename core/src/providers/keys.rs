//! A provider's API key: one OS keychain entry per provider, account `provider:<id>`.
//! The database records only that account name (`key_ref`), so the key never touches it.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::find;
use crate::error::Result;
use crate::secrets::{KeyStatus, Keychain, Secret};
use crate::store::now_ms;

/// The keychain account of a provider's key.
pub(crate) fn account(provider_id: &str) -> String {
    format!("provider:{provider_id}")
}

/// Runs a keychain call on a blocking thread (see [`Keychain::blocking`]).
pub(super) async fn blocking<T: Send + 'static>(
    keychain: &Keychain,
    call: impl FnOnce(&Keychain) -> Result<T> + Send + 'static,
) -> Result<T> {
    keychain.blocking(call).await
}

pub(super) async fn delete_entry(keychain: &Keychain, account: String) -> Result<()> {
    blocking(keychain, move |k| k.delete(&account)).await
}

/// Stores `key` for the provider (replacing any earlier one); only its status comes back.
pub async fn set_api_key(
    db: &impl ConnectionTrait,
    keychain: &Keychain,
    provider_id: &str,
    key: Secret,
) -> Result<KeyStatus> {
    let found = find(db, provider_id).await?;
    let entry = account(&found.id);
    let stored = blocking(keychain, {
        let entry = entry.clone();
        move |k| k.set(&entry, &key)
    })
    .await?;
    let mut model: crate::store::entities::provider::ActiveModel = found.into();
    model.key_ref = Set(Some(entry));
    model.updated_at = Set(now_ms());
    model.update(db).await?;
    Ok(KeyStatus::of(Some(&stored)))
}

/// Removes the provider's key from the keychain; clearing when none is stored is fine.
pub async fn clear_api_key(
    db: &impl ConnectionTrait,
    keychain: &Keychain,
    provider_id: &str,
) -> Result<KeyStatus> {
    let found = find(db, provider_id).await?;
    delete_entry(keychain, account(&found.id)).await?;
    if found.key_ref.is_some() {
        let mut model: crate::store::entities::provider::ActiveModel = found.into();
        model.key_ref = Set(None);
        model.updated_at = Set(now_ms());
        model.update(db).await?;
    }
    Ok(KeyStatus::of(None))
}

/// Whether a key is stored, and its last four characters.
pub async fn key_status(
    db: &impl ConnectionTrait,
    keychain: &Keychain,
    provider_id: &str,
) -> Result<KeyStatus> {
    let key = load_key(db, keychain, provider_id).await?;
    Ok(KeyStatus::of(key.as_ref()))
}

/// The provider's key, for the one place that sends it; `None` when none is stored.
pub async fn load_key(
    db: &impl ConnectionTrait,
    keychain: &Keychain,
    provider_id: &str,
) -> Result<Option<Secret>> {
    let Some(entry) = find(db, provider_id).await?.key_ref else {
        return Ok(None);
    };
    blocking(keychain, move |k| k.get(&entry)).await
}
