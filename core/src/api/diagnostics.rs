//! The log folder and the diagnostics report.

use std::path::{Path, PathBuf};

use super::{Api, Storage};
use crate::diagnostics::{self, KeychainCheck, ReportInput};
use crate::error::{Error, Result};
use crate::startup;

/// Makes sure the log folder exists and is the owner's alone, before it is shown.
pub fn prepare_log_folder(dir: &Path) -> Result<()> {
    crate::store::private::own_dir(dir)
        .map_err(|error| Error::internal("the log folder could not be made private", error))
}

impl Api {
    /// Whether the keychain answers a read of the built-in connection's key. Only whether
    /// the read worked is kept; the key itself is dropped here.
    pub async fn keychain_check(&self) -> KeychainCheck {
        let read = self
            .keychain
            .read(&crate::providers::builtin::key_account())
            .await
            .map(drop);
        KeychainCheck {
            reachable: read.is_ok(),
            error: read.err().map(|error| error.to_string()),
        }
    }
}

/// What the report says about the app beyond the database: facts only the shell knows.
#[derive(Debug, Clone)]
pub struct AppFacts {
    pub app_version: String,
    pub log_dir: Option<PathBuf>,
}

impl Storage {
    /// Writes the diagnostics report to `path`; returns its size in bytes. `api` is `None`
    /// when the app is in its recovery state (then the keychain is not checked).
    pub async fn export_diagnostics(
        &self,
        api: Option<&Api>,
        facts: AppFacts,
        path: &Path,
    ) -> Result<u64> {
        let storage = startup::storage_info(&self.db_path, self.db.as_ref()).await?;
        let (keychain, skipped_replies, knowledge) = match api {
            Some(api) => (
                api.keychain_check().await,
                api.skipped_replies.clone(),
                api.knowledge_facts().await,
            ),
            None => (
                KeychainCheck {
                    reachable: false,
                    error: Some("not checked: the database is not open (recovery needed)".into()),
                },
                Vec::new(),
                Vec::new(),
            ),
        };
        let input = ReportInput {
            app_version: facts.app_version,
            storage,
            keychain,
            log_dir: facts.log_dir,
            skipped_replies,
            knowledge,
        };
        diagnostics::write_report(path, input)
    }
}
