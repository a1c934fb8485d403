//! Secret environment values and headers of MCP servers, in the keychain: one entry each
//! (`mcp:<id>:env:<NAME>`, `mcp:<id>:header:<name>`), the row naming them only. Stored
//! like providers' secret headers (`providers/headers.rs`).

use std::collections::{BTreeMap, BTreeSet};

use super::input::SecretChange;
use crate::error::{Error, Result};
use crate::problem::Problem;
use crate::secrets::{Keychain, Secret};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Env,
    Header,
}

impl Kind {
    fn field(self) -> &'static str {
        match self {
            Self::Env => "env",
            Self::Header => "headers",
        }
    }

    /// Environment names keep their case; header names compare without it.
    fn key(self, name: &str) -> String {
        match self {
            Self::Env => name.to_string(),
            Self::Header => name.to_ascii_lowercase(),
        }
    }
}

pub fn account(id: &str, kind: Kind, name: &str) -> String {
    let word = match kind {
        Kind::Env => "env",
        Kind::Header => "header",
    };
    format!("mcp:{id}:{word}:{}", kind.key(name))
}

/// Writes the secrets of server `id`: new values stored, kept ones checked to exist, the
/// ones no longer listed removed.
pub async fn store(
    keychain: &Keychain,
    id: &str,
    kind: Kind,
    before: &BTreeSet<String>,
    wanted: &BTreeMap<String, SecretChange>,
) -> Result<()> {
    let known: BTreeSet<String> = before.iter().map(|name| kind.key(name)).collect();
    for (name, change) in wanted {
        match change {
            SecretChange::Set(value) => {
                keychain
                    .write(&account(id, kind, name), value.clone())
                    .await?;
            }
            SecretChange::Keep if known.contains(&kind.key(name)) => {}
            SecretChange::Keep => {
                return Err(Error::invalid(Problem::required(format!(
                    "{}.{name}",
                    kind.field()
                ))));
            }
        }
    }
    let wanted: BTreeSet<String> = wanted.keys().map(|name| kind.key(name)).collect();
    for name in before
        .iter()
        .filter(|name| !wanted.contains(&kind.key(name)))
    {
        keychain.remove(&account(id, kind, name)).await?;
    }
    Ok(())
}

/// The values of the named secrets; one missing from the keychain says how to fix it.
pub async fn values(
    keychain: &Keychain,
    id: &str,
    kind: Kind,
    names: &BTreeSet<String>,
) -> Result<BTreeMap<String, Secret>> {
    let mut out = BTreeMap::new();
    for name in names {
        let value = keychain.read(&account(id, kind, name)).await?;
        let value = value.ok_or_else(|| {
            Error::Keychain(format!(
                "the secret {name} of this MCP server is not in the keychain; enter it again"
            ))
        })?;
        out.insert(name.clone(), value);
    }
    Ok(out)
}

/// Removes every named secret of server `id`.
pub async fn remove_all(
    keychain: &Keychain,
    id: &str,
    kind: Kind,
    names: &BTreeSet<String>,
) -> Result<()> {
    for name in names {
        keychain.remove(&account(id, kind, name)).await?;
    }
    Ok(())
}
