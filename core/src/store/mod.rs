//! The SQLite store: one file, opened through [`Db`], schema from the `migrations` crate.

pub mod backup;
pub mod blob_texts;
pub mod blobs;
pub mod branches;
pub mod checkpoints;
pub mod conversations;
pub mod entities;
pub mod mcp_servers;
pub mod messages;
pub mod private;
pub mod restore;
pub mod search;
mod snippet;
pub mod stats;
pub mod stats_cost;
mod stop_reason;
pub mod tree;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::ConnectOptions as _;
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    DatabaseConnection, DbErr, RuntimeErr, SqliteTransactionMode, SqlxSqliteConnector,
    TransactionOptions, TransactionTrait,
};

use crate::error::{Error, Result};

/// How long a statement waits for another connection's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open, migrated Confab database. Cheap to clone (the pool is shared).
#[derive(Debug, Clone)]
pub struct Db {
    conn: DatabaseConnection,
    path: PathBuf,
}

impl Db {
    /// Opens (creating if needed) the database file at `path` and applies pending migrations.
    /// It adds no rows: the app's start-up step (`startup::open_db`) seeds the default agent.
    pub async fn open(path: &Path) -> Result<Self> {
        Self::open_with::<Migrator>(path).await
    }

    /// [`Db::open`] with the schema of migrator `M` (tests bring one with extra steps).
    ///
    /// Upgrading an existing file is safe: a copy is taken first (`backups/`, the last
    /// [`backup::KEEP_PRE_MIGRATION`] kept), all pending migrations run in one transaction,
    /// and if any fails the file is put back from that copy and
    /// [`Error::MigrationFailed`] is returned: never a half-upgraded or emptied history.
    pub async fn open_with<M: MigratorTrait>(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            private::create_dir_all(dir)
                .map_err(|error| backup::io_error("create", dir, &error))?;
        }
        // Private before SQLite opens it: the `-wal` and `-shm` files take its mode.
        if path.exists() {
            // A file system without Unix modes (a FAT stick) refuses; the file still opens.
            if let Err(error) = private::restrict(path) {
                tracing::warn!(%error, "the database file could not be made private");
            }
        } else {
            private::create_file(path).map_err(|error| backup::io_error("create", path, &error))?;
        }
        let conn = connect(path).await?;
        let applied = M::get_applied_migrations(&conn).await?.len();
        let pending = M::get_pending_migrations(&conn).await?.len();
        if pending > 0 {
            // A new, empty file has nothing to lose; an existing history is copied first.
            let copy = if applied > 0 {
                let copy = backup::create(&conn, path, backup::BackupKind::PreMigration).await?;
                backup::rotate(
                    path,
                    backup::BackupKind::PreMigration,
                    backup::KEEP_PRE_MIGRATION,
                )?;
                Some(copy)
            } else {
                None
            };
            tracing::info!(applied, pending, "upgrading the database schema");
            // Says "upgrading" to a window asking how the start goes (see `startup`).
            let marker = upgrading_marker(path);
            if let Err(error) = private::create_file(&marker) {
                tracing::warn!(%error, "the upgrade marker could not be written");
            }
            let migrated = migrate::<M>(&conn).await;
            let _ = std::fs::remove_file(&marker);
            if let Err(error) = migrated {
                conn.close().await?;
                return Err(undo_failed_upgrade(path, copy.as_ref(), &error));
            }
        }
        tracing::info!(path = %path.display(), "database open");
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn close(self) -> Result<()> {
        Ok(self.conn.close().await?)
    }
}

async fn connect(path: &Path) -> Result<DatabaseConnection> {
    let options = file_options(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        .create_if_missing(true);
    Ok(pool(options, 4).await?)
}

/// Options for the SQLite file at `path`, opened for reading and writing, not created. The
/// path is given as a path, never inside a URL: a `?` or `%` in a folder name would
/// otherwise be read as URL syntax and open another file.
pub(crate) fn file_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .disable_statement_logging()
}

/// A pool of at most `max` connections with `options`.
pub(crate) async fn pool(
    options: SqliteConnectOptions,
    max: u32,
) -> std::result::Result<DatabaseConnection, DbErr> {
    let pool = SqlitePoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .connect_with(options)
        .await
        .map_err(|error| DbErr::Conn(RuntimeErr::SqlxError(error.into())))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// A short-lived connection to the existing file at `path` (checks, copies before a restore).
pub(crate) async fn connect_existing(
    path: &Path,
) -> std::result::Result<DatabaseConnection, DbErr> {
    pool(file_options(path), 1).await
}

/// The file that exists while the schema of `db_path` is being upgraded.
pub fn upgrading_marker(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push("-upgrading");
    PathBuf::from(name)
}

/// Runs every pending migration of `M` in one transaction (SQLite's DDL is transactional;
/// sea-orm-migration would otherwise run each migration on SQLite without one).
async fn migrate<M: MigratorTrait>(conn: &DatabaseConnection) -> Result<()> {
    let txn = begin_write(conn).await?;
    M::up(&txn, None).await?;
    txn.commit().await?;
    Ok(())
}

/// After a failed upgrade (the transaction is rolled back, the pool closed): puts the
/// pre-upgrade copy back in place so the file is exactly what it was, and says so.
fn undo_failed_upgrade(path: &Path, copy: Option<&backup::BackupInfo>, error: &Error) -> Error {
    tracing::error!(%error, "database upgrade failed");
    let Some(copy) = copy else {
        return Error::MigrationFailed {
            message: error.to_string(),
        };
    };
    match backup::replace_file(path, Path::new(&copy.path)) {
        Ok(()) => Error::MigrationFailed {
            message: format!("{error}; the database was restored from {}", copy.file_name),
        },
        Err(restore) => Error::MigrationFailed {
            message: format!(
                "{error}; putting back {} also failed ({restore}); it is kept in the backups folder",
                copy.file_name
            ),
        },
    }
}

/// Begins a transaction that writes. It takes SQLite's write lock at once (`BEGIN
/// IMMEDIATE`), so it waits its turn (busy timeout) instead of failing with "database is
/// locked" when it reads first and another connection writes meanwhile.
pub(crate) async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(options).await?)
}

/// Now, as stored: unix milliseconds, UTC.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}
