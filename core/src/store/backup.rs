//! Consistent copies of the database file: taken before each schema upgrade, on request from
//! the UI, and before a restore. A copy is made with `VACUUM INTO` through an open
//! connection, so it is consistent while the app keeps writing. Restoring replaces the file
//! only while no connection is open (at the next start), never under a live pool.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use specta::Type;

pub use super::restore::{apply_pending_restore, pending_restore, replace_file, schedule_restore};
use super::{now_ms, private};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};

/// How many automatic pre-upgrade copies are kept (the oldest go first).
pub const KEEP_PRE_MIGRATION: usize = 3;

/// Why a copy was taken; part of its file name (`<kind>-<unix ms>.db`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Taken automatically before a schema upgrade.
    PreMigration,
    /// Asked for by the user.
    Manual,
    /// The file as it was before a backup was restored over it.
    PreRestore,
}

impl BackupKind {
    const ALL: [Self; 3] = [Self::PreMigration, Self::Manual, Self::PreRestore];

    fn prefix(self) -> &'static str {
        match self {
            Self::PreMigration => "pre-migration",
            Self::Manual => "manual",
            Self::PreRestore => "pre-restore",
        }
    }
}

/// One copy of the database. `kind` is `None` for a file outside the backups folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    pub kind: Option<BackupKind>,
    pub size_bytes: u64,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// The backups folder of the database at `db_path`: `backups/` beside it.
pub fn backup_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join("backups")
}

/// Writes a consistent copy of the database behind `conn` to `dest`, replacing a file
/// already there (the save dialog has asked). The copy is written under a temporary name
/// beside `dest` and renamed over it, so `dest` is the old file or the whole copy, never
/// half of one.
pub async fn copy_to(conn: &impl ConnectionTrait, dest: &Path) -> Result<BackupInfo> {
    if dest.is_dir() {
        return Err(Error::invalid(
            Problem::new("path", Rule::IsFolder).value(dest.display().to_string()),
        ));
    }
    if let Some(dir) = dest.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        private::create_dir_all(dir).map_err(|error| io_error("create", dir, &error))?;
    }
    let partial = partial_path(dest);
    // VACUUM INTO accepts an empty file; creating it first makes the copy private from the
    // first byte (SQLite would create it readable by everyone).
    private::create_file(&partial).map_err(|error| io_error("create", &partial, &error))?;
    let target = partial.to_string_lossy().into_owned();
    let copied = conn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [target.into()],
        ))
        .await;
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(error.into());
    }
    if let Err(error) = std::fs::rename(&partial, dest) {
        let _ = std::fs::remove_file(&partial);
        return Err(io_error("rename", &partial, &error));
    }
    info(dest, None)
}

/// `dir/name` → `dir/.name.partial`: beside the target (same file system, so the rename is
/// atomic) and never the target itself, whatever its extension.
/// How far the pre-migration copy of `db_path` being written has come: bytes written and
/// the size of the file copied; `None` when no such copy is being written.
pub fn pre_migration_copy_progress(db_path: &Path) -> Option<(u64, u64)> {
    let prefix = format!(".{}-", BackupKind::PreMigration.prefix());
    let written = std::fs::read_dir(backup_dir(db_path))
        .ok()?
        .filter_map(std::result::Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".partial")
        })
        .filter_map(|entry| entry.metadata().ok())
        .map(|meta| meta.len())
        .max()?;
    let total = std::fs::metadata(db_path).ok()?.len();
    Some((written, total))
}

fn partial_path(dest: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(dest.file_name().unwrap_or_default());
    name.push(".partial");
    dest.with_file_name(name)
}

/// Takes a copy of `kind` into the backups folder of `db_path`.
pub async fn create(
    conn: &impl ConnectionTrait,
    db_path: &Path,
    kind: BackupKind,
) -> Result<BackupInfo> {
    let dir = backup_dir(db_path);
    private::own_dir(&dir).map_err(|error| io_error("create", &dir, &error))?;
    let mut stamp = now_ms();
    // Two copies within one millisecond get distinct names.
    while dir.join(file_name(kind, stamp)).exists() {
        stamp += 1;
    }
    let dest = dir.join(file_name(kind, stamp));
    let mut backup = copy_to(conn, &dest).await?;
    backup.kind = Some(kind);
    backup.created_at = stamp;
    tracing::info!(path = %dest.display(), ?kind, "database backed up");
    Ok(backup)
}

fn file_name(kind: BackupKind, stamp: i64) -> String {
    format!("{}-{stamp}.db", kind.prefix())
}

/// The copies in the backups folder of `db_path`, newest first.
pub fn list(db_path: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backup_dir(db_path);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io_error("read", &dir, &error)),
    };
    let mut backups = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((kind, stamp)) = parse_name(&name) {
            let mut backup = info(&entry.path(), Some(kind))?;
            backup.created_at = stamp;
            backups.push(backup);
        }
    }
    backups.sort_by_key(|backup| std::cmp::Reverse(backup.created_at));
    Ok(backups)
}

fn parse_name(name: &str) -> Option<(BackupKind, i64)> {
    let stem = name.strip_suffix(".db")?;
    BackupKind::ALL.into_iter().find_map(|kind| {
        let stamp = stem.strip_prefix(kind.prefix())?.strip_prefix('-')?;
        Some((kind, stamp.parse().ok()?))
    })
}

/// Deletes the oldest copies of `kind` beyond the newest `keep`.
pub fn rotate(db_path: &Path, kind: BackupKind, keep: usize) -> Result<()> {
    let old = list(db_path)?
        .into_iter()
        .filter(|backup| backup.kind == Some(kind))
        .skip(keep);
    for backup in old {
        remove_if_present(Path::new(&backup.path))?;
    }
    Ok(())
}

/// Runs `PRAGMA quick_check` on an open database; a damaged file is [`Error::Corrupt`].
pub async fn quick_check(conn: &impl ConnectionTrait) -> Result<()> {
    let rows = conn
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA quick_check",
        ))
        .await
        .map_err(corrupt_or_database)?;
    let mut problems = Vec::new();
    for row in rows {
        let line: String = row.try_get_by_index(0)?;
        if line != "ok" {
            problems.push(line);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        problems.truncate(5);
        Err(Error::Corrupt(problems.join("; ")))
    }
}

/// Checks the database file at `path` with its own short-lived connection. It opens the
/// file for writing (never creating it): after a crash, reading a WAL file may first need
/// to rebuild its index, which a read-only connection cannot do.
pub async fn check_file(path: &Path) -> Result<()> {
    let conn = super::connect_existing(path)
        .await
        .map_err(corrupt_or_database)?;
    let checked = quick_check(&conn).await;
    conn.close().await?;
    checked
}

/// A quick look at the database file at `path`: its header and schema can be read. Cheap at
/// any size; it does not read every page as [`check_file`] does.
pub async fn light_check_file(path: &Path) -> Result<()> {
    let conn = super::connect_existing(path)
        .await
        .map_err(corrupt_or_database)?;
    let checked = conn
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT count(*) FROM sqlite_master",
        ))
        .await
        .map(|_| ())
        .map_err(corrupt_or_database);
    conn.close().await?;
    checked
}

/// A damaged-file error from SQLite becomes [`Error::Corrupt`]; the rest stay as they are.
pub(crate) fn corrupt_or_database(error: sea_orm::DbErr) -> Error {
    match crate::error::storage_code(&error) {
        Some(crate::error::ErrorCode::Corrupt) => Error::Corrupt(error.to_string()),
        _ => Error::Database(error),
    }
}

/// `confab.db` → `confab.db-wal`.
pub fn sidecar(db_path: &Path, suffix: &str) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn info(path: &Path, kind: Option<BackupKind>) -> Result<BackupInfo> {
    let meta = std::fs::metadata(path).map_err(|error| io_error("read", path, &error))?;
    let created_at = meta
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        });
    Ok(BackupInfo {
        path: path.to_string_lossy().into_owned(),
        file_name: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        kind,
        size_bytes: meta.len(),
        created_at,
    })
}

pub(crate) fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(io_error("remove", path, &error))
        }
        _ => Ok(()),
    }
}

/// A file-system error, with the storage failures (disk full, read-only) kept apart.
pub(crate) fn io_error(action: &str, path: &Path, error: &std::io::Error) -> Error {
    Error::Storage {
        kind: match error.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                crate::error::ErrorCode::StorageFull
            }
            std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
                crate::error::ErrorCode::ReadOnly
            }
            _ => crate::error::ErrorCode::Internal,
        },
        message: format!("cannot {action} {}: {error}", path.display()),
    }
}
