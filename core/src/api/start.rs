//! Start-up: from an open database to a running [`Api`]. In order: the built-in connection
//! from the environment (one step of its own), replies cut off by a crash recovered,
//! secrets an older version kept in the database moved to the keychain, the settings read
//! and put in force.

use crate::chat::EngineConfig;
use crate::error::Error;
use crate::llm::Endpoint;
use crate::providers;
use crate::secrets::{Keychain, Secret};
use crate::store::Db;
use crate::store::checkpoints;

use super::Api;

/// The keychain service under which Confab stores its keys (the bundle identifier).
pub const KEYCHAIN_SERVICE: &str = "app.confab.desktop";
/// The keychain account of the provider configured from the environment.
pub const DEFAULT_KEY_ACCOUNT: &str = "provider:default";

const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
const DEFAULT_MODEL: &str = "gpt-4o-mini";

/// Why the app could not start on its database. The cause is kept as the source.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the API key from CONFAB_API_KEY could not be stored in the keychain")]
    EnvironmentKey(#[source] Error),
    #[error("replies interrupted at the last exit could not be recovered")]
    Recovery(#[source] Error),
    #[error("the settings could not be read")]
    Settings(#[source] Error),
    #[error("the chat engine could not start")]
    Engine(#[source] Error),
}

/// The built-in connection: where agents that name no provider send their requests, and
/// the keychain account of its key.
#[derive(Debug, Clone)]
pub struct Builtin {
    pub endpoint: Endpoint,
    pub key_account: String,
}

/// What the process environment says about the built-in connection: `CONFAB_BASE_URL`,
/// `CONFAB_MODEL` and `CONFAB_API_KEY` (for automated runs).
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key: Option<Secret>,
}

impl Environment {
    /// Reads the variables of this process; blank ones count as unset.
    pub fn from_process() -> Self {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        Self {
            base_url: var("CONFAB_BASE_URL"),
            model: var("CONFAB_MODEL"),
            api_key: std::env::var("CONFAB_API_KEY").ok().map(Secret::new),
        }
    }

    /// The built-in connection it describes. A key given is stored in the keychain and kept
    /// nowhere else.
    pub async fn builtin(self, keychain: &Keychain) -> Result<Builtin, StartError> {
        if let Some(key) = self.api_key {
            keychain
                .write(DEFAULT_KEY_ACCOUNT, key)
                .await
                .map_err(StartError::EnvironmentKey)?;
        }
        let endpoint = Endpoint {
            base_url: self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.into()),
            model: self.model.unwrap_or_else(|| DEFAULT_MODEL.into()),
        };
        tracing::info!(base_url = %endpoint.base_url, model = %endpoint.model, "provider");
        Ok(Builtin {
            endpoint,
            key_account: DEFAULT_KEY_ACCOUNT.into(),
        })
    }
}

/// What start-up needs besides the database.
#[derive(Debug, Clone)]
pub struct StartConfig {
    pub keychain: Keychain,
    pub environment: Environment,
    pub engine: EngineConfig,
}

impl StartConfig {
    /// The app's: its keychain service, this process's environment, product timings.
    pub fn from_process() -> Self {
        Self {
            keychain: Keychain::new(KEYCHAIN_SERVICE),
            environment: Environment::from_process(),
            engine: EngineConfig::default(),
        }
    }
}

impl Api {
    /// Starts the app on the open database `db`.
    pub async fn start(db: Db, config: StartConfig) -> Result<Self, StartError> {
        let StartConfig {
            keychain,
            environment,
            engine,
        } = config;
        let builtin = environment.builtin(&keychain).await?;
        // Replies cut off by a crash or a kill become partial messages before anything runs.
        let recovery = checkpoints::recover(db.conn())
            .await
            .map_err(StartError::Recovery)?;
        if !recovery.recovered.is_empty() {
            tracing::warn!(
                count = recovery.recovered.len(),
                "recovered interrupted replies"
            );
        }
        move_plain_secrets(&db, &keychain).await;
        let settings = crate::settings::load(db.conn())
            .await
            .map_err(StartError::Settings)?;
        if let Err(error) = crate::logging::set_level(&settings.log_level) {
            tracing::warn!(%error, "log level from the settings not applied");
        }
        let mut api =
            Self::new(db, keychain, builtin, settings, engine).map_err(StartError::Engine)?;
        api.skipped_replies = recovery.skipped;
        Ok(api)
    }
}

/// Credential-looking header values an older version kept in the database go to the
/// keychain. A keychain that does not answer now is tried again at the next start. The
/// backups beside the database were copied from it, so they lose the values too.
async fn move_plain_secrets(db: &Db, keychain: &Keychain) {
    match providers::move_plain_secrets(db.conn(), keychain).await {
        Ok(0) => {}
        Ok(_) => {
            if let Err(error) = providers::scrub_backups(db.path()).await {
                tracing::error!(%error, "backups not checked for secret header values");
            }
        }
        Err(error) => {
            tracing::error!(%error, "secret header values could not be moved to the keychain");
        }
    }
}
