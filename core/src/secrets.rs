//! API keys, held only in the OS keychain (Windows Credential Manager, macOS Keychain,
//! Linux Secret Service).
//!
//! A key in memory is a [`Secret`]: it prints as `<redacted>` and has no `Serialize`, so it
//! cannot reach a log line, the database or the webview by accident. The UI only ever learns
//! a [`KeyStatus`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;
use specta::Type;

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};

/// A secret string. Read it with [`Secret::expose`], at the one place that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value; from now on no log line of this process can contain it.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        crate::logging::remember_secret(&value);
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters, which the UI may show to tell keys apart.
    pub fn last4(&self) -> String {
        let count = self.0.chars().count();
        self.0.chars().skip(count.saturating_sub(4)).collect()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What the UI may know about a stored key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct KeyStatus {
    pub set: bool,
    pub last4: Option<String>,
}

impl KeyStatus {
    pub fn of(secret: Option<&Secret>) -> Self {
        Self {
            set: secret.is_some(),
            last4: secret.map(Secret::last4),
        }
    }
}

/// Keys of one application in the OS keychain, one entry per account (e.g. per provider).
///
/// The calls block on the OS keychain service (D-Bus on Linux): call them from blocking
/// threads (`tokio::task::spawn_blocking`), not from async tasks.
///
/// Keys read are remembered in memory (as [`Secret`]s) so sending a message does not ask the
/// OS keychain every time; clones share that memory, and `set` / `delete` keep it current.
/// A key changed by another program is seen after a restart.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
    known: Arc<Mutex<HashMap<String, Option<Secret>>>>,
}

/// Longest key accepted: real API keys are well under this; anything longer is a paste error.
const MAX_KEY_LEN: usize = 4096;

impl Keychain {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            known: Arc::default(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// The stored key, or `None` when there is none.
    pub fn get(&self, account: &str) -> Result<Option<Secret>> {
        if let Some(known) = self.known().get(account) {
            return Ok(known.clone());
        }
        let key = match self.entry(account)?.get_password() {
            Ok(value) => Some(Secret::new(value)),
            Err(keyring::Error::NoEntry) => None,
            Err(error) => return Err(keychain_error(error)),
        };
        self.known().insert(account.to_string(), key.clone());
        Ok(key)
    }

    fn known(&self) -> MutexGuard<'_, HashMap<String, Option<Secret>>> {
        self.known.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores `key` (trimmed), replacing any earlier one.
    pub fn set(&self, account: &str, key: &Secret) -> Result<Secret> {
        let trimmed = key.expose().trim();
        if trimmed.is_empty() {
            return Err(Error::invalid(Problem::required("key")));
        }
        if trimmed.len() > MAX_KEY_LEN || trimmed.chars().any(char::is_control) {
            return Err(Error::invalid(Problem::new("key", Rule::InvalidApiKey)));
        }
        self.known().remove(account);
        self.entry(account)?
            .set_password(trimmed)
            .map_err(keychain_error)?;
        self.known()
            .insert(account.to_string(), Some(Secret::new(trimmed)));
        Ok(Secret::new(trimmed))
    }

    /// Removes the stored key; removing a key that is not there is not an error.
    pub fn delete(&self, account: &str) -> Result<()> {
        self.known().remove(account);
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => {
                self.known().insert(account.to_string(), None);
                Ok(())
            }
            Err(error) => Err(keychain_error(error)),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(keychain_error)
    }

    /// Runs a keychain call on a blocking thread: the OS keychain API blocks (D-Bus on
    /// Linux), so async code must not call it on a runtime thread. Every async keychain
    /// access goes through here.
    pub async fn blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce(&Keychain) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let keychain = self.clone();
        tokio::task::spawn_blocking(move || call(&keychain))
            .await
            .map_err(|error| Error::internal("keychain task", error))?
    }

    /// [`get`](Self::get) from async code.
    pub async fn read(&self, account: &str) -> Result<Option<Secret>> {
        let account = account.to_string();
        self.blocking(move |k| k.get(&account)).await
    }

    /// [`set`](Self::set) from async code.
    pub async fn write(&self, account: &str, key: Secret) -> Result<Secret> {
        let account = account.to_string();
        self.blocking(move |k| k.set(&account, &key)).await
    }

    /// [`delete`](Self::delete) from async code.
    pub async fn remove(&self, account: &str) -> Result<()> {
        let account = account.to_string();
        self.blocking(move |k| k.delete(&account)).await
    }
}

fn keychain_error(error: keyring::Error) -> Error {
    // keyring's errors describe the platform failure; none of them carries the secret.
    Error::Keychain(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let secret = Secret::new("sk-very-secret-1234");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
    }

    #[test]
    fn status_shows_only_the_last_four_characters() {
        let status = KeyStatus::of(Some(&Secret::new("sk-密钥abcd")));
        assert_eq!(
            status,
            KeyStatus {
                set: true,
                last4: Some("abcd".into())
            }
        );
        assert_eq!(
            KeyStatus::of(None),
            KeyStatus {
                set: false,
                last4: None
            }
        );
        assert_eq!(Secret::new("ab").last4(), "ab");
    }
}
