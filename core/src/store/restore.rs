//! Restoring a backup: checked when the person chooses it, checked again when it is put in
//! place at the next start (the file may have changed meanwhile), and swapped in only while
//! no connection is open.
//!
//! A file is a Confab backup when it is a sound SQLite file whose `seaql_migrations` rows
//! are the first migrations of this app's own list, in order. A file from a newer Confab
//! (a migration this version does not know) or from another program is refused with a
//! message that says which: opening it would fail the upgrade or start an empty history.

use std::path::{Path, PathBuf};

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::backup::{
    BackupKind, backup_dir, check_file, corrupt_or_database, create, io_error, remove_if_present,
    sidecar,
};
use super::{connect_existing, private};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};

/// The file naming the backup to restore at the next start.
const PENDING_RESTORE: &str = "restore-pending";
/// Migration rows read from a backup at most: far more than Confab will ever have.
const MAX_MIGRATION_ROWS: usize = 10_000;

/// Arranges for `backup` to replace the database at the next start (the file is swapped
/// while nothing has it open). The backup is checked first: a damaged or foreign one, or
/// one from a newer Confab, is refused.
pub async fn schedule_restore(db_path: &Path, backup: &Path) -> Result<()> {
    check_restorable(backup).await?;
    let dir = backup_dir(db_path);
    private::own_dir(&dir).map_err(|error| io_error("create", &dir, &error))?;
    let marker = dir.join(PENDING_RESTORE);
    std::fs::write(&marker, backup.to_string_lossy().as_bytes())
        .map_err(|error| io_error("write", &marker, &error))?;
    tracing::info!(backup = %backup.display(), "restore scheduled for the next start");
    Ok(())
}

/// Whether `backup` can replace the database: a sound SQLite file with Confab's schema
/// from this version or an older one.
pub async fn check_restorable(backup: &Path) -> Result<()> {
    if !backup.is_file() {
        return Err(Error::not_found("backup", backup.display().to_string()));
    }
    check_file(backup).await?;
    check_migrations(backup).await
}

async fn check_migrations(path: &Path) -> Result<()> {
    let not_confab = |why: &str| {
        Error::invalid(
            Problem::new("path", Rule::NotABackup)
                .value(path.display().to_string())
                .detail(why),
        )
    };
    let conn = connect_existing(path).await.map_err(corrupt_or_database)?;
    let tables = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT count(*) FROM sqlite_master
             WHERE type = 'table' AND name IN ('seaql_migrations', 'conversations', 'messages')",
        ))
        .await;
    let rows = match tables {
        Ok(Some(row)) if row.try_get_by_index::<i64>(0).ok() == Some(3) => {
            conn.query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                // Any type is read as text, so a hand-made table cannot fail the read.
                format!(
                    "SELECT CAST(version AS TEXT) FROM seaql_migrations
                     ORDER BY rowid LIMIT {}",
                    MAX_MIGRATION_ROWS + 1
                ),
            ))
            .await
        }
        Ok(_) => Ok(Vec::new()),
        Err(error) => Err(error),
    };
    conn.close().await?;
    let rows = rows.map_err(|_| not_confab("its migrations table cannot be read"))?;
    if rows.is_empty() {
        return Err(not_confab("it has no Confab tables"));
    }
    let mut applied = Vec::with_capacity(rows.len());
    for row in rows {
        let version: Option<String> = row.try_get_by_index(0).ok().flatten();
        applied.push(version.unwrap_or_default());
    }
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_string())
        .collect();
    applied.sort();
    if let Some(unknown) = applied.iter().find(|version| !known.contains(version)) {
        return Err(if unknown.starts_with('m') && unknown.len() <= 200 {
            // Update Confab, then restore it.
            Error::invalid(Problem::new("path", Rule::NewerVersion).value(unknown.as_str()))
        } else {
            not_confab("its migrations table lists changes Confab never made")
        });
    }
    // Migrations are applied in order, so an older Confab's file has a prefix of the list.
    if applied.len() > known.len() || applied[..] != known[..applied.len()] {
        return Err(not_confab(
            "its schema changes are not the ones Confab applies, in order",
        ));
    }
    Ok(())
}

/// The backup a restore was scheduled for, if any.
pub fn pending_restore(db_path: &Path) -> Option<PathBuf> {
    let marker = backup_dir(db_path).join(PENDING_RESTORE);
    let target = std::fs::read_to_string(marker).ok()?;
    Some(PathBuf::from(target.trim()))
}

/// Carries out a scheduled restore, before the database is opened: the backup is checked
/// again, the current file is kept as a `pre-restore` copy (when it can be read), then
/// replaced. Returns the backup restored. A backup that no longer passes the check is not
/// restored: the restore is called off (the current file stays) and the error says why.
pub async fn apply_pending_restore(db_path: &Path) -> Result<Option<PathBuf>> {
    let Some(backup) = pending_restore(db_path) else {
        return Ok(None);
    };
    let marker = backup_dir(db_path).join(PENDING_RESTORE);
    if let Err(error) = check_restorable(&backup).await {
        remove_if_present(&marker)?;
        tracing::error!(%error, backup = %backup.display(), "scheduled restore called off");
        // What was wrong with the backup follows the notice, so the UI can say both.
        let mut problems =
            vec![Problem::new("", Rule::RestoreCalledOff).value(backup.display().to_string())];
        if let Error::InvalidInput(why) = error {
            problems.extend(why);
        }
        return Err(Error::InvalidInput(problems));
    }
    if db_path.exists() {
        // A damaged current file may not copy; the restore goes ahead all the same.
        match connect_existing(db_path).await {
            Ok(conn) => {
                if let Err(error) = create(&conn, db_path, BackupKind::PreRestore).await {
                    tracing::warn!(%error, "the file being replaced could not be copied");
                }
                conn.close().await?;
            }
            Err(error) => tracing::warn!(%error, "the file being replaced could not be opened"),
        }
    }
    replace_file(db_path, &backup)?;
    remove_if_present(&marker)?;
    tracing::warn!(backup = %backup.display(), "database restored from a backup");
    Ok(Some(backup))
}

/// Puts a copy of `backup` in place of the database file. Only while no connection to
/// `db_path` is open: its `-wal` and `-shm` files are removed with it.
pub fn replace_file(db_path: &Path, backup: &Path) -> Result<()> {
    let incoming = db_path.with_extension("restoring");
    std::fs::copy(backup, &incoming).map_err(|error| io_error("copy", backup, &error))?;
    // `copy` keeps the backup's mode, which a file chosen elsewhere may have wide open.
    private::restrict(&incoming).map_err(|error| io_error("write", &incoming, &error))?;
    for suffix in ["-wal", "-shm"] {
        remove_if_present(&sidecar(db_path, suffix))?;
    }
    std::fs::rename(&incoming, db_path).map_err(|error| io_error("rename", &incoming, &error))?;
    Ok(())
}
