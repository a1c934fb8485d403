//! Moving credential-looking header values that an older version kept in the database
//! into the keychain, once, at start-up; and blanking them in the backups beside the
//! database, which were copied from it.

use std::collections::BTreeMap;
use std::path::Path;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, Statement,
    TransactionSession, TransactionTrait,
};

use super::headers::{header_account, looks_secret, names, names_json};
use super::keys::blocking;
use crate::error::Result;
use crate::secrets::{Keychain, Secret};
use crate::store::entities::provider;
use crate::store::{backup, begin_write, connect_existing, now_ms};

/// Moves credential-looking header values that an older version kept in the database into
/// the keychain. Run at start-up; returns how many were moved. Each provider is moved on
/// its own: its values go to the keychain first, then the row drops them, so a failure
/// leaves the value in one place or the other, never in neither. The freed database space
/// is overwritten and the write-ahead log emptied, so the old value does not linger in the
/// file's bytes.
pub async fn move_plain_secrets(
    db: &(impl ConnectionTrait + TransactionTrait),
    keychain: &Keychain,
) -> Result<u32> {
    let mut moved = 0;
    for model in provider::Entity::find().all(db).await? {
        let plain: BTreeMap<String, String> =
            serde_json::from_value(model.extra_headers.clone()).unwrap_or_default();
        let (secret, keep): (BTreeMap<_, _>, BTreeMap<_, _>) =
            plain.into_iter().partition(|(name, _)| looks_secret(name));
        if secret.is_empty() {
            continue;
        }
        let mut names = names(&model);
        for (name, value) in &secret {
            let entry = header_account(&model.id, name);
            let value = Secret::new(value.trim());
            blocking(keychain, move |k| k.set(&entry, &value)).await?;
            names.insert(name.clone());
        }
        let txn = begin_write(db).await?;
        txn.execute_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA secure_delete = ON",
        ))
        .await?;
        let count = secret.len();
        let mut row: provider::ActiveModel = model.into();
        row.extra_headers = Set(super::headers_json(&keep));
        row.secret_headers = Set(names_json(&names));
        row.updated_at = Set(now_ms());
        row.update(&txn).await?;
        txn.commit().await?;
        moved += u32::try_from(count).unwrap_or(u32::MAX);
    }
    if moved > 0 {
        db.execute_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA wal_checkpoint(TRUNCATE)",
        ))
        .await?;
        tracing::warn!(
            moved,
            "secret header values moved from the database to the keychain"
        );
    }
    Ok(moved)
}

/// Blanks credential-looking header values in every backup of the database at `db_path`
/// (their values are in the keychain now). A backup that cannot be opened is left as it is
/// and logged. Returns how many backups were changed.
pub async fn scrub_backups(db_path: &Path) -> Result<u32> {
    let mut changed = 0;
    for copy in backup::list(db_path)? {
        match scrub(Path::new(&copy.path)).await {
            Ok(true) => changed += 1,
            Ok(false) => {}
            Err(error) => {
                tracing::warn!(%error, backup = %copy.file_name, "backup not checked for secret headers");
            }
        }
    }
    Ok(changed)
}

async fn scrub(path: &Path) -> Result<bool> {
    let conn = connect_existing(path).await?;
    let scrubbed = async {
        let rows = conn
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT id, extra_headers FROM providers",
            ))
            .await?;
        let mut changed = false;
        for row in rows {
            let id: String = row.try_get_by_index(0)?;
            let text: String = row.try_get_by_index(1)?;
            let headers: BTreeMap<String, String> = serde_json::from_str(&text).unwrap_or_default();
            if !headers.keys().any(|name| looks_secret(name)) {
                continue;
            }
            let keep: BTreeMap<_, _> = headers
                .into_iter()
                .filter(|(name, _)| !looks_secret(name))
                .collect();
            // Overwrites the old row's bytes instead of only unlinking them.
            conn.execute_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA secure_delete = ON",
            ))
            .await?;
            conn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "UPDATE providers SET extra_headers = ? WHERE id = ?",
                [super::headers_json(&keep).to_string().into(), id.into()],
            ))
            .await?;
            changed = true;
        }
        Ok::<_, crate::Error>(changed)
    }
    .await;
    conn.close().await?;
    scrubbed
}
