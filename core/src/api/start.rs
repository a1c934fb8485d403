//! Start-up: from an open database to a running [`Api`]. In order: the built-in provider
//! filled from the environment, replies cut off by a crash recovered,
//! secrets an older version kept in the database moved to the keychain, the settings read
//! and put in force.

use crate::chat::EngineConfig;
use crate::error::Error;
use crate::providers::{
    self,
    builtin::{self, BuiltinEnv},
};
use crate::secrets::Keychain;
use crate::store::Db;
use crate::store::checkpoints;

use super::Api;

/// The keychain service under which Confab stores its keys (the bundle identifier).
pub const KEYCHAIN_SERVICE: &str = "app.confab.desktop";

/// Why the app could not start on its database. The cause is kept as the source.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "the built-in provider could not be set up from CONFAB_BASE_URL, CONFAB_MODEL and CONFAB_API_KEY"
    )]
    Environment(#[source] Error),
    #[error("replies interrupted at the last exit could not be recovered")]
    Recovery(#[source] Error),
    #[error("the settings could not be read")]
    Settings(#[source] Error),
    #[error("the chat engine could not start")]
    Engine(#[source] Error),
}

/// What start-up needs besides the database.
#[derive(Debug, Clone)]
pub struct StartConfig {
    pub keychain: Keychain,
    pub environment: BuiltinEnv,
    pub engine: EngineConfig,
}

impl StartConfig {
    /// The app's: its keychain service, this process's environment, product timings.
    pub fn from_process() -> Self {
        Self {
            keychain: Keychain::new(KEYCHAIN_SERVICE),
            environment: BuiltinEnv::from_env(),
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
        builtin::ensure(db.conn(), &keychain, environment)
            .await
            .map_err(StartError::Environment)?;
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
        let mut api = Self::new(db, keychain, settings, engine).map_err(StartError::Engine)?;
        api.skipped_replies = recovery.skipped;
        // Folders changed while the app was closed are scanned, and runs resume.
        let knowledge = std::sync::Arc::clone(&api.knowledge);
        tokio::spawn(async move {
            if let Err(error) = knowledge.start().await {
                tracing::warn!(%error, "the knowledge bases could not be resumed");
            }
        });
        api.knowledge
            .unload_idle_every(crate::knowledge::IDLE_UNLOAD);
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
