//! A provider's secret extra headers (`api-key`, `x-api-key`, `X-Auth-Token`,
//! `Ocp-Apim-Subscription-Key`...): their values live in the OS keychain like the API key,
//! one entry per header (`provider:<id>:header:<name>`), and the database keeps only their
//! names. A header is secret when the person marks it so, and always when its name looks
//! like a credential ([`looks_secret`]), whatever the form sent.
//!
//! Values are [`Secret`]s from the moment they arrive, so no log line can hold them; the UI
//! gets back a [`KeyStatus`] per header (set, last four characters), never a value.

use std::collections::{BTreeMap, BTreeSet};

use super::keys::{account, blocking};
use crate::error::{Error, Result};
use crate::problem::Problem;
use crate::secrets::{KeyStatus, Keychain, Secret};
use crate::store::entities::provider;

/// Parts of a header name that mean it carries a credential.
const CREDENTIAL_WORDS: [&str; 10] = [
    "auth",
    "key",
    "token",
    "secret",
    "password",
    "passwd",
    "cookie",
    "signature",
    "credential",
    "session",
];

/// Longest secret header value accepted.
pub const MAX_SECRET_HEADER_LEN: usize = 4096;

/// Whether a header named `name` looks like it carries a credential.
pub fn looks_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    CREDENTIAL_WORDS.iter().any(|word| name.contains(word))
}

/// The keychain account of one secret header of a provider. Header names are
/// case-insensitive, so the account uses the lower-case name.
pub(crate) fn header_account(provider_id: &str, name: &str) -> String {
    format!(
        "{}:header:{}",
        account(provider_id),
        name.to_ascii_lowercase()
    )
}

/// The secret header names stored for a provider row (a hand-edited column reads as none).
pub(crate) fn names(model: &provider::Model) -> BTreeSet<String> {
    serde_json::from_value(model.secret_headers.clone()).unwrap_or_default()
}

/// The status of each secret header of `model`: set (in the keychain) and its last four.
pub(super) async fn statuses(
    keychain: &Keychain,
    model: &provider::Model,
) -> Result<BTreeMap<String, KeyStatus>> {
    let mut statuses = BTreeMap::new();
    for (name, value) in values(keychain, model).await? {
        statuses.insert(name, KeyStatus::of(value.as_ref()));
    }
    Ok(statuses)
}

/// Each secret header of `model` with its value from the keychain (`None`: not there).
async fn values(
    keychain: &Keychain,
    model: &provider::Model,
) -> Result<Vec<(String, Option<Secret>)>> {
    let mut found = Vec::new();
    for name in names(model) {
        let entry = header_account(&model.id, &name);
        let value = blocking(keychain, move |k| k.get(&entry)).await?;
        found.push((name, value));
    }
    Ok(found)
}

/// The keychain account of each secret header of `model` (name → account): what a request
/// to the provider must read with [`secret_header_values`].
pub fn secret_header_accounts(model: &provider::Model) -> BTreeMap<String, String> {
    names(model)
        .into_iter()
        .map(|name| {
            let entry = header_account(&model.id, &name);
            (name, entry)
        })
        .collect()
}

/// The values of secret headers (name → keychain account), to send with a request. A value
/// missing from the keychain is an error that says how to fix it, not a request sent
/// without it.
pub async fn secret_header_values(
    keychain: &Keychain,
    accounts: BTreeMap<String, String>,
) -> Result<BTreeMap<String, Secret>> {
    let mut out = BTreeMap::new();
    for (name, entry) in accounts {
        let value = blocking(keychain, move |k| k.get(&entry)).await?;
        let value = value.ok_or_else(|| {
            Error::Keychain(format!(
                "the value of the secret header {name} is not in the keychain; enter it \
                 again in Providers"
            ))
        })?;
        out.insert(name, value);
    }
    Ok(out)
}

/// What a save asks for one secret header: a new value, or keep the stored one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SecretChange {
    Set(Secret),
    Keep,
}

/// Writes the secret headers of provider `id` to the keychain: new values stored, kept
/// ones checked to exist, and the ones no longer listed removed. Returns the names to
/// record in the database.
pub(super) async fn store(
    keychain: &Keychain,
    id: &str,
    before: &BTreeSet<String>,
    wanted: &BTreeMap<String, SecretChange>,
) -> Result<BTreeSet<String>> {
    let lower = |name: &String| name.to_ascii_lowercase();
    let kept_names: BTreeSet<String> = before.iter().map(lower).collect();
    for (name, change) in wanted {
        let entry = header_account(id, name);
        match change {
            SecretChange::Set(value) => {
                let value = value.clone();
                blocking(keychain, move |k| k.set(&entry, &value)).await?;
            }
            SecretChange::Keep if kept_names.contains(&lower(name)) => {}
            SecretChange::Keep => {
                return Err(Error::invalid(Problem::required(
                    super::input::header_path(name),
                )));
            }
        }
    }
    let wanted_names: BTreeSet<String> = wanted.keys().map(lower).collect();
    for name in before
        .iter()
        .filter(|name| !wanted_names.contains(&lower(name)))
    {
        let entry = header_account(id, name);
        blocking(keychain, move |k| k.delete(&entry)).await?;
    }
    Ok(wanted.keys().cloned().collect())
}

/// Removes every secret header value of `model` from the keychain.
pub(super) async fn delete_all(keychain: &Keychain, model: &provider::Model) -> Result<()> {
    for name in names(model) {
        let entry = header_account(&model.id, &name);
        blocking(keychain, move |k| k.delete(&entry)).await?;
    }
    Ok(())
}

pub(super) fn names_json(names: &BTreeSet<String>) -> serde_json::Value {
    serde_json::Value::Array(
        names
            .iter()
            .map(|name| serde_json::Value::String(name.clone()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names_are_recognised_whatever_their_case() {
        for name in [
            "api-key",
            "X-API-Key",
            "X-Auth-Token",
            "Ocp-Apim-Subscription-Key",
            "x-goog-api-key",
            "X-Signature",
            "Session-Id",
            "X-Client-Secret",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in [
            "X-Title",
            "HTTP-Referer",
            "OpenAI-Organization",
            "Accept-Language",
        ] {
            assert!(!looks_secret(name), "{name}");
        }
        assert_eq!(
            header_account("p1", "X-Api-Key"),
            "provider:p1:header:x-api-key"
        );
    }
}
