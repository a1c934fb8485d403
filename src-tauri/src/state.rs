//! What the commands share: the chat engine (and through it the database) and the keychain.

use std::path::PathBuf;
use std::sync::Arc;

use confab_core::chat::{ChatEngine, EngineConfig};
use confab_core::providers::{self, builtin};
use confab_core::secrets::Keychain;
use confab_core::store::Db;
use confab_core::store::checkpoints::{self, SkippedReply};
use confab_core::store::startup::StartupStatus;
use tauri::{AppHandle, Manager};

/// The keychain service under which Confab stores its keys (the bundle identifier).
const KEYCHAIN_SERVICE: &str = "app.confab.desktop";

pub struct AppState {
    pub engine: Arc<ChatEngine>,
    pub keychain: Keychain,
    /// Interrupted replies start-up recovery could not store, for the diagnostics report.
    pub skipped_replies: Vec<SkippedReply>,
}

/// The database file and how opening it went. Always managed, also when the database could
/// not be opened (then `db` is `None` and the UI shows the recovery screen).
pub struct Storage {
    pub db_path: PathBuf,
    pub startup: StartupStatus,
    pub db: Option<Db>,
}

/// `CONFAB_DB`, or `confab.db` in the OS app-data dir.
pub fn db_path(app: &AppHandle) -> Result<PathBuf, tauri::Error> {
    Ok(match std::env::var_os("CONFAB_DB") {
        Some(path) => PathBuf::from(path),
        None => app.path().app_data_dir()?.join("confab.db"),
    })
}

impl AppState {
    /// Starts the engine on the open database. `CONFAB_BASE_URL` / `CONFAB_MODEL` /
    /// `CONFAB_API_KEY` fill the built-in provider (see [`builtin::ensure`]).
    pub async fn load(db: Db) -> Result<Self, Box<dyn std::error::Error>> {
        let keychain = Keychain::new(KEYCHAIN_SERVICE);
        builtin::ensure(db.conn(), &keychain, builtin::BuiltinEnv::from_env()).await?;
        // Replies cut off by a crash or a kill become partial messages before anything runs.
        let recovery = checkpoints::recover(db.conn()).await?;
        if !recovery.recovered.is_empty() {
            tracing::warn!(
                count = recovery.recovered.len(),
                "recovered interrupted replies"
            );
        }
        // Credential-looking header values an older version kept in the database go to the
        // keychain. A keychain that does not answer now is tried again at the next start.
        // The backups beside the database were copied from it, so they lose the values too.
        match providers::move_plain_secrets(db.conn(), &keychain).await {
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
        let settings = confab_core::settings::load(db.conn()).await?;
        let engine = ChatEngine::new(db, keychain.clone(), settings, EngineConfig::default())?;
        Ok(Self {
            engine: Arc::new(engine),
            keychain,
            skipped_replies: recovery.skipped,
        })
    }
}
