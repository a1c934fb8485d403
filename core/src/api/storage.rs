//! The database file itself: opening it at start-up, how that went, backups, restore,
//! sizes and health. Unlike [`Api`], a [`Storage`] exists also when the database could not
//! be opened: then only these calls work, and the UI offers a backup to restore.

use std::path::{Path, PathBuf};

use super::{Api, StartConfig};
use crate::error::{Error, ErrorCode, Result};
use crate::startup::{self, StartupState, StartupStatus, StorageInfo};
use crate::store::Db;
use crate::store::backup::{self, BackupInfo, BackupKind};

/// The database file and how opening it went.
pub struct Storage {
    pub(super) db_path: PathBuf,
    startup: StartupStatus,
    /// `None` when the database could not be opened or the app not start on it.
    pub(super) db: Option<Db>,
}

/// Opens the database at `db_path` and starts the app on it. Either failure leaves a
/// [`Storage`] in the recovery state and no [`Api`]; the app still runs, to offer a fix.
pub async fn open(db_path: &Path, config: StartConfig) -> (Storage, Option<Api>) {
    let (db, mut startup) = startup::open(db_path).await;
    let storage = |startup, db| Storage {
        db_path: db_path.to_path_buf(),
        startup,
        db,
    };
    let Some(db) = db else {
        return (storage(startup, None), None);
    };
    match Api::start(db.clone(), config).await {
        Ok(api) => (storage(startup, Some(db)), Some(api)),
        Err(error) => {
            let message = error_chain(&error);
            tracing::error!(error = %message, "the app could not start on its database");
            startup.state = StartupState::RecoveryNeeded {
                code: ErrorCode::Internal,
            };
            startup.message = message;
            (storage(startup, None), None)
        }
    }
}

/// An error and its causes, outermost first, for the log and the recovery screen.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

impl Storage {
    /// How the database came up, with the backups that can be restored now.
    pub fn startup_status(&self) -> StartupStatus {
        let mut status = self.startup.clone();
        if let Ok(backups) = backup::list(&self.db_path) {
            status.backups = backups;
        }
        status
    }

    /// A consistent copy of the database while the app runs: to `path` (a new file) or,
    /// when none is given, into the backups folder.
    pub async fn backup_database(&self, path: Option<&Path>) -> Result<BackupInfo> {
        let db = self.open_db()?;
        match path {
            Some(path) => backup::copy_to(db.conn(), path).await,
            None => backup::create(db.conn(), &self.db_path, BackupKind::Manual).await,
        }
    }

    /// The copies in the backups folder, newest first.
    pub fn list_backups(&self) -> Result<Vec<BackupInfo>> {
        backup::list(&self.db_path)
    }

    /// Checks the backup at `path` and schedules it to replace the database at the next
    /// start (while nothing has it open); the current file is kept as a `pre-restore` copy.
    /// The caller restarts the app.
    pub async fn schedule_restore(&self, path: &Path) -> Result<()> {
        backup::schedule_restore(&self.db_path, path).await
    }

    pub async fn get_storage_info(&self) -> Result<StorageInfo> {
        startup::storage_info(&self.db_path, self.db.as_ref()).await
    }

    fn open_db(&self) -> Result<&Db> {
        self.db
            .as_ref()
            .ok_or_else(|| Error::Unavailable("the database is not open (recovery needed)"))
    }
}
