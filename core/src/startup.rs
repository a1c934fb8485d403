//! Opening the database at app start, with what the UI needs to know when that went wrong:
//! the app then starts in a recovery state (restore a backup) instead of failing.
//!
//! This sits above the store: besides opening the file it adds the rows every database must
//! have (the built-in default agent), which the store itself knows nothing about.

use std::path::Path;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use crate::error::{ErrorCode, Result};
use crate::store::Db;
use crate::store::backup::{self, BackupInfo};
use crate::store::blobs;

/// How the database came up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum StartupState {
    /// Still opening: checking the file, and after an update taking a backup and upgrading
    /// the schema, which takes a while on a large history (see BENCHMARKS.md).
    Opening,
    Ok,
    /// A restore chosen by the user was carried out at this start.
    RestoredBackup {
        backup: String,
    },
    /// The database could not be opened; nothing but the storage commands work. `code`
    /// says why (corrupt, migration_failed, storage_full, read_only, db_locked, ...).
    RecoveryNeeded {
        code: ErrorCode,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StartupStatus {
    pub state: StartupState,
    /// Detail for the log and the recovery screen (English); empty when all is well.
    pub message: String,
    pub db_path: String,
    /// Backups that can be restored, newest first.
    pub backups: Vec<BackupInfo>,
    /// While opening takes long: what it is doing.
    pub progress: Option<OpeningProgress>,
}

/// What a slow start is doing: after an update, first a copy of the database, then the
/// upgrade of its schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpeningProgress {
    pub step: OpeningStep,
    /// How much of the step is done, in percent (0 to 99), when it can be told.
    pub percent: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum OpeningStep {
    BackingUp,
    Upgrading,
}

/// What opening `path` is doing now, read from the files it writes: the pre-migration
/// copy growing, then the upgrade marker. `None`: neither (checks, or nothing slow).
pub fn opening_progress(path: &Path) -> Option<OpeningProgress> {
    if let Some((written, total)) = crate::store::backup::pre_migration_copy_progress(path) {
        // The copy holds the used pages only, so it ends below the file's size: never 100%.
        let percent = (written.saturating_mul(100) / total.max(1)).min(99);
        return Some(OpeningProgress {
            step: OpeningStep::BackingUp,
            percent: u8::try_from(percent).ok(),
        });
    }
    crate::store::upgrading_marker(path)
        .exists()
        .then_some(OpeningProgress {
            step: OpeningStep::Upgrading,
            percent: None,
        })
}

/// Files up to this size get a full `PRAGMA quick_check` at start. `quick_check` reads every
/// page, so on a large history it would take minutes (measured: over 5 minutes on a
/// 1.7 GB, 1M-message file on a busy machine); larger files get a light check of the
/// header and schema instead, a damaged page shows as a `corrupt` error when it is read,
/// and the full check runs on demand ([`storage_info`]).
pub const FULL_CHECK_MAX_BYTES: u64 = 256 << 20;

impl StartupStatus {
    /// What the app reports while [`open`] runs.
    pub fn opening(path: &Path) -> Self {
        Self {
            state: StartupState::Opening,
            message: String::new(),
            db_path: path.to_string_lossy().into_owned(),
            backups: Vec::new(),
            progress: opening_progress(path),
        }
    }
}

/// Applies a scheduled restore, checks the file and opens it. On failure there is no
/// [`Db`], and the status says why.
pub async fn open(path: &Path) -> (Option<Db>, StartupStatus) {
    let mut state = StartupState::Ok;
    let opened = async {
        if let Some(restored) = backup::apply_pending_restore(path).await? {
            state = StartupState::RestoredBackup {
                backup: restored.to_string_lossy().into_owned(),
            };
        }
        if let Ok(metadata) = std::fs::metadata(path) {
            if metadata.len() <= FULL_CHECK_MAX_BYTES {
                backup::check_file(path).await?;
            } else {
                backup::light_check_file(path).await?;
            }
        }
        open_db(path).await
    }
    .await;
    let (db, state, message) = match opened {
        Ok(db) => (Some(db), state, String::new()),
        Err(error) => {
            tracing::error!(%error, path = %path.display(), "database could not be opened");
            let code = error.code();
            (
                None,
                StartupState::RecoveryNeeded { code },
                error.to_string(),
            )
        }
    };
    let backups = backup::list(path).unwrap_or_else(|error| {
        tracing::warn!(%error, "backups could not be listed");
        Vec::new()
    });
    let status = StartupStatus {
        state,
        message,
        db_path: path.to_string_lossy().into_owned(),
        backups,
        progress: None,
    };
    (db, status)
}

/// Opens (creating or upgrading) the database at `path` and [`seed`]s it.
pub async fn open_db(path: &Path) -> Result<Db> {
    let db = Db::open(path).await?;
    seed(db.conn()).await?;
    Ok(db)
}

/// Adds what every database must have and is missing: the built-in default agent. Runs on
/// every open; a no-op once the rows exist.
pub async fn seed(db: &impl ConnectionTrait) -> Result<()> {
    crate::agents::ensure_default_agent(db).await
}

/// Where the data lives and how it is doing, for the settings / admin page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StorageInfo {
    pub db_path: String,
    pub db_size_bytes: u64,
    /// The write-ahead log beside the file (folded into it from time to time).
    pub wal_size_bytes: u64,
    pub backup_dir: String,
    pub backup_count: u32,
    /// `PRAGMA quick_check` passed just now (false when the database is not open).
    pub quick_check_ok: bool,
    /// What `quick_check` found, when it did not pass.
    pub quick_check_message: String,
    /// What attachments' bytes take inside the file (0 when the database is not open).
    pub attachments_bytes: u64,
}

/// Sizes, backups and a fresh `quick_check` of the database at `path` (`db` when open).
pub async fn storage_info(path: &Path, db: Option<&Db>) -> Result<StorageInfo> {
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |meta| meta.len());
    let checked = match db {
        Some(db) => backup::quick_check(db.conn()).await,
        None => Err(crate::Error::Unavailable("the database is not open")),
    };
    // A damaged database must still show its sizes (the recovery screen needs them).
    let attachments_bytes = match db {
        Some(db) => blobs::total_size(db.conn()).await.unwrap_or_else(|error| {
            tracing::warn!(error = %error, "attachments' size could not be read");
            0
        }),
        None => 0,
    };
    Ok(StorageInfo {
        db_path: path.to_string_lossy().into_owned(),
        db_size_bytes: size(path),
        wal_size_bytes: size(&backup::sidecar(path, "-wal")),
        backup_dir: backup::backup_dir(path).to_string_lossy().into_owned(),
        backup_count: u32::try_from(backup::list(path)?.len()).unwrap_or(u32::MAX),
        quick_check_ok: checked.is_ok(),
        quick_check_message: checked
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default(),
        attachments_bytes,
    })
}
