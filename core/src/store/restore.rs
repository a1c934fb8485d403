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
use super::{connect_existing, pool, private};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use sea_orm::sqlx::sqlite::SqliteConnectOptions;

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
    let size = std::fs::metadata(backup).map_or(u64::MAX, |meta| meta.len());
    if size <= FULL_CHECK_MAX_BYTES {
        check_file_in_full(backup).await?;
    } else {
        check_file(backup).await?;
    }
    let applied = check_migrations(backup).await?;
    check_schema(backup, applied).await?;
    if size <= FULL_CHECK_MAX_BYTES {
        check_text(backup).await?;
    }
    Ok(())
}

/// Rows read at once while checking text.
const TEXT_PAGE: i64 = 500;

/// Every value of every text column is UTF-8. SQLite stores whatever bytes it is given, and
/// its checks look at pages, not at encodings: a changed byte inside a title passes them,
/// then the restored history cannot be listed. Runs after [`check_schema`], so the table
/// and column names are Confab's own.
async fn check_text(path: &Path) -> Result<()> {
    let conn = connect_existing(path).await.map_err(corrupt_or_database)?;
    let checked = check_text_on(&conn).await;
    conn.close().await?;
    checked.map_err(|(table, column)| {
        Error::Corrupt(format!(
            "the backup's {table}.{column} holds text that is not UTF-8"
        ))
    })
}

async fn check_text_on(
    conn: &sea_orm::DatabaseConnection,
) -> std::result::Result<(), (String, String)> {
    let strings = |rows: Vec<sea_orm::QueryResult>| -> Vec<String> {
        rows.iter()
            .filter_map(|row| row.try_get_by_index::<String>(0).ok())
            .collect()
    };
    let failed = |what: &str| (what.to_string(), String::new());
    let tables = conn
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND sql NOT LIKE 'CREATE VIRTUAL%'",
        ))
        .await
        .map_err(|_| failed("sqlite_master"))?;
    for table in strings(tables) {
        let columns = conn
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT name FROM pragma_table_info(?) WHERE upper(type) = 'TEXT'",
                [table.clone().into()],
            ))
            .await
            .map_err(|_| failed(&table))?;
        for column in strings(columns) {
            let mut after: i64 = i64::MIN;
            loop {
                let rows = conn
                    .query_all_raw(Statement::from_sql_and_values(
                        DbBackend::Sqlite,
                        format!(
                            "SELECT rowid, CAST(\"{column}\" AS BLOB) FROM \"{table}\"
                             WHERE rowid > ? ORDER BY rowid LIMIT {TEXT_PAGE}"
                        ),
                        [after.into()],
                    ))
                    .await
                    .map_err(|_| (table.clone(), column.clone()))?;
                for row in &rows {
                    let bytes: Option<Vec<u8>> = row.try_get_by_index(1).ok().flatten();
                    if bytes.is_some_and(|bytes| std::str::from_utf8(&bytes).is_err()) {
                        return Err((table.clone(), column.clone()));
                    }
                }
                match rows
                    .last()
                    .and_then(|row| row.try_get_by_index::<i64>(0).ok())
                {
                    Some(last) if rows.len() as i64 == TEXT_PAGE => after = last,
                    _ => break,
                }
            }
        }
    }
    Ok(())
}

/// Backups up to this size get SQLite's full `integrity_check` (every page, and every index
/// against its table) before they are restored; larger ones its `quick_check`, which skips
/// the index comparison. A damaged index that `quick_check` lets through fails the first
/// write after the restore, so a restore is worth the wait where it is affordable.
const FULL_CHECK_MAX_BYTES: u64 = 256 << 20;

async fn check_file_in_full(path: &Path) -> Result<()> {
    let conn = connect_existing(path).await.map_err(corrupt_or_database)?;
    let rows = conn
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check(5)",
        ))
        .await
        .map_err(corrupt_or_database);
    conn.close().await?;
    let mut problems = Vec::new();
    for row in rows? {
        let line: String = row.try_get_by_index(0)?;
        if line != "ok" {
            problems.push(line);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Corrupt(problems.join("; ")))
    }
}

/// The tables, indexes, triggers and views of the backup must be exactly those the first
/// `applied` migrations make: a file whose migrations table is right but whose schema was
/// changed (by hand, or by damage SQLite's checks cannot see) would fail after the restore.
async fn check_schema(path: &Path, applied: usize) -> Result<()> {
    const SCHEMA: &str = "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || COALESCE(sql, '')
                          FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
    let read = |rows: Vec<sea_orm::QueryResult>| -> Vec<String> {
        rows.iter()
            .map(|row| row.try_get_by_index::<String>(0).unwrap_or_default())
            .collect()
    };
    // One connection: each connection to `:memory:` is a database of its own.
    let fresh = pool(SqliteConnectOptions::new().in_memory(true), 1).await?;
    let steps = u32::try_from(applied).unwrap_or(u32::MAX);
    Migrator::up(&fresh, Some(steps)).await?;
    let expected = read(
        fresh
            .query_all_raw(Statement::from_string(DbBackend::Sqlite, SCHEMA))
            .await?,
    );
    fresh.close().await?;
    let conn = connect_existing(path).await.map_err(corrupt_or_database)?;
    let found = conn
        .query_all_raw(Statement::from_string(DbBackend::Sqlite, SCHEMA))
        .await
        .map_err(corrupt_or_database);
    conn.close().await?;
    if read(found?) == expected {
        Ok(())
    } else {
        Err(Error::invalid(
            Problem::new("path", Rule::NotABackup)
                .value(path.display().to_string())
                .detail("its tables are not the ones Confab makes"),
        ))
    }
}

/// The number of migrations the backup has applied (those of this version's list, in
/// order), or why it is not a Confab backup this version can restore.
async fn check_migrations(path: &Path) -> Result<usize> {
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
    Ok(applied.len())
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
    // Knowledge bases' vector indexes beside the file belong to the data replaced; the
    // restored vectors (in the file) build them again when first searched.
    if let Some(dir) = db_path.parent() {
        let _ = std::fs::remove_dir_all(dir.join("knowledge"));
    }
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
