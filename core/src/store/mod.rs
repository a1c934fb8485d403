//! The SQLite store: one file, opened through [`Db`], schema from the `migrations` crate.

pub mod checkpoints;
pub mod conversations;
pub mod entities;
pub mod messages;
pub mod stats;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
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
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|error| {
                Error::Internal(format!("cannot create {}: {error}", dir.display()))
            })?;
        }
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let mut options = ConnectOptions::new(url);
        options
            .max_connections(4)
            .min_connections(1)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|opts: SqliteConnectOptions| {
                opts.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(BUSY_TIMEOUT)
                    .create_if_missing(true)
            });
        let conn = Database::connect(options).await?;
        Migrator::up(&conn, None).await?;
        crate::agents::ensure_default_agent(&conn).await?;
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
