//! Safe schema upgrades, backups and recovery, on real SQLite files with the real
//! migrations: every earlier schema version upgrades with its data; a failing upgrade leaves
//! the file exactly as it was; pre-upgrade copies rotate; a damaged file is detected at start
//! and a backup restores it.

mod common;

use std::path::Path;

use confab_core::ErrorCode;
use confab_core::startup::{self, StartupState};
use confab_core::store::backup::{self, BackupKind};
use confab_core::store::{Db, conversations};
use migrations::{
    MigrationName, MigrationTrait, Migrator, MigratorTrait, SchemaManager, async_trait,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr};

/// The schema as it was after its first `K` migrations.
struct Earlier<const K: usize>;

impl<const K: usize> MigratorTrait for Earlier<K> {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        Migrator::migrations().into_iter().take(K).collect()
    }
}

/// The real schema plus one more migration that changes things, then fails midway.
struct WithFailingStep;

struct Failing;

impl MigrationName for Failing {
    fn name(&self) -> &str {
        "m29991231_000001_fails_midway"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Failing {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
            .await?;
        db.execute_unprepared("DELETE FROM messages").await?;
        db.execute_unprepared("ALTER TABLE conversations ADD COLUMN colour TEXT")
            .await?;
        db.execute_unprepared("INSERT INTO no_such_table VALUES (1)")
            .await?;
        Ok(())
    }
}

impl MigratorTrait for WithFailingStep {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = Migrator::migrations();
        all.push(Box::new(Failing));
        all
    }
}

async fn raw(path: &Path) -> DatabaseConnection {
    Database::connect(format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .expect("raw connection")
}

async fn exec(conn: &DatabaseConnection, sql: &str) {
    conn.execute_unprepared(sql)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

async fn rows(conn: &impl ConnectionTrait, sql: &str) -> Vec<String> {
    conn.query_all_raw(sea_orm::Statement::from_string(
        sea_orm::DbBackend::Sqlite,
        sql,
    ))
    .await
    .expect("query")
    .into_iter()
    .map(|row| row.try_get_by_index::<String>(0).expect("text column"))
    .collect()
}

/// Rows valid at schema version `k` (after its first `k` migrations), in every table it has.
async fn insert_data_of_version(conn: &DatabaseConnection, k: usize) {
    exec(conn, "INSERT INTO providers (id, name, base_url, created_at, updated_at) VALUES ('p1', 'Local', 'http://127.0.0.1:9/v1', 1, 1)").await;
    if k >= 2 {
        exec(conn, "INSERT INTO agents (id, agent_id, provider_id, created_at, updated_at) VALUES ('a1', 'writer', 'p1', 1, 1)").await;
    }
    if k >= 3 {
        exec(conn, "INSERT INTO conversations (id, agent_id, title, created_at, updated_at) VALUES ('c1', 'a1', '旧的对话 old chat', 1, 2)").await;
    }
    if k >= 4 {
        exec(conn, "INSERT INTO messages (id, conversation_id, seq, role, content, created_at) VALUES ('m1', 'c1', 1, 'user', '你好, hello', 1), ('m2', 'c1', 5, 'assistant', 'Hi! 有什么可以帮你?', 2)").await;
    }
    if k >= 5 {
        exec(conn, "INSERT INTO context_templates (id, name, content, created_at, updated_at) VALUES ('t1', 'Terse', 'Be brief.', 1, 1)").await;
    }
    if k >= 6 {
        exec(conn, "INSERT INTO stream_checkpoints (stream_id, conversation_id, model, content, started_at, updated_at) VALUES ('s1', 'c1', 'm', 'half a rep', 3, 3)").await;
    }
    if k >= 7 {
        exec(
            conn,
            "INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 1)",
        )
        .await;
    }
    if k >= 22 {
        exec(
            conn,
            "INSERT INTO knowledge_bases (id, name, created_at, updated_at) VALUES ('kb1', 'Notes', 1, 1);
             INSERT INTO knowledge_sources (id, kb_id, path, is_folder, added_at) VALUES ('s1', 'kb1', '/notes', 1, 1);
             INSERT INTO knowledge_files (id, kb_id, source_id, path, status, updated_at) VALUES (1, 'kb1', 's1', '/notes/a.md', 'indexed', 1);
             INSERT INTO knowledge_chunks (rid, kb_id, file_id, ord, text, start, tokens) VALUES (1, 'kb1', 1, 0, 'old passage', 0, 2)",
        )
        .await;
    }
    if k >= 14 {
        // From version 14 on, messages are linked as the app links them.
        exec(
            conn,
            "UPDATE messages SET parent_id = 'm1', seq = 2 WHERE id = 'm2';
             UPDATE conversations SET leaf_id = 'm2' WHERE id = 'c1'",
        )
        .await;
    }
}

async fn check_data_of_version(db: &Db, k: usize) {
    let conn = db.conn();
    assert_eq!(
        rows(conn, "SELECT name FROM providers WHERE id = 'p1'").await,
        ["Local"]
    );
    if k >= 2 {
        assert_eq!(
            rows(conn, "SELECT agent_id FROM agents WHERE id = 'a1'").await,
            ["writer"]
        );
    }
    if k >= 3 {
        let conversation = conversations::get(conn, "c1")
            .await
            .expect("conversation kept");
        assert_eq!(conversation.title, "旧的对话 old chat");
    }
    if k >= 4 {
        let (page, _) = confab_core::store::tree::page(conn, "c1", None, 10)
            .await
            .expect("messages");
        let texts: Vec<_> = page.iter().map(|m| m.content.as_str()).collect();
        assert_eq!(texts, ["你好, hello", "Hi! 有什么可以帮你?"]);
        // Version 14: the line became a branch, numbered by depth (the gap closed), and
        // it is the branch shown.
        let shape: Vec<_> = page
            .iter()
            .map(|m| (m.id.as_str(), m.parent_id.as_deref(), m.seq, m.versions))
            .collect();
        assert_eq!(shape, [("m1", None, 1, 1), ("m2", Some("m1"), 2, 1)]);
        assert_eq!(
            rows(conn, "SELECT leaf_id FROM conversations WHERE id = 'c1'").await,
            ["m2"]
        );
    }
    if k >= 5 {
        assert_eq!(
            rows(
                conn,
                "SELECT content FROM context_templates WHERE id = 't1'"
            )
            .await,
            ["Be brief."]
        );
    }
    if k >= 6 {
        assert_eq!(
            rows(conn, "SELECT content FROM stream_checkpoints").await,
            ["half a rep"]
        );
        // Version 9: a checkpoint from before continuations continues nothing.
        assert_eq!(
            rows(
                conn,
                "SELECT coalesce(continues_message_id, 'none') FROM stream_checkpoints"
            )
            .await,
            ["none"]
        );
    }
    if k >= 7 {
        assert_eq!(
            rows(conn, "SELECT value FROM settings WHERE key = 'theme'").await,
            ["\"dark\""]
        );
    }
    // Version 12: providers from before have no secret headers.
    assert_eq!(
        rows(conn, "SELECT secret_headers FROM providers WHERE id = 'p1'").await,
        ["[]"]
    );
    // Version 13: the built-in connection is a provider row beside the earlier ones.
    assert_eq!(
        rows(conn, "SELECT id FROM providers ORDER BY id").await,
        ["builtin", "p1"]
    );
    // Version 17: attachments have their tables, empty after an upgrade.
    assert_eq!(
        rows(
            conn,
            "SELECT name || ':' || (SELECT count(*) FROM blobs) FROM sqlite_master
             WHERE type = 'table' AND name IN ('blobs', 'message_blobs') ORDER BY name"
        )
        .await,
        ["blobs:0", "message_blobs:0"]
    );
    if k >= 22 {
        // Version 23: a knowledge base from before reads no images; its chunks are text.
        assert_eq!(
            rows(
                conn,
                "SELECT b.name || ':' || b.index_images || ':' || c.kind
                 FROM knowledge_bases b JOIN knowledge_chunks c ON c.kb_id = b.id"
            )
            .await,
            ["Notes:0:text"]
        );
    }
    if k >= 8 {
        // Messages written under version 8 stay searchable.
        assert_eq!(
            rows(
                conn,
                "SELECT m.id FROM messages_fts JOIN messages m ON m.rid = messages_fts.rowid
                 WHERE messages_fts MATCH 'hello'"
            )
            .await,
            ["m1"]
        );
    }
}

async fn create_at_version<M: MigratorTrait>(path: &Path, k: usize) {
    let conn = raw(path).await;
    M::up(&conn, None).await.expect("earlier schema");
    insert_data_of_version(&conn, k).await;
    conn.close().await.expect("closed");
}

macro_rules! upgrade_from {
    ($($k:literal),*) => {$(
        {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("confab.db");
            create_at_version::<Earlier<$k>>(&path, $k).await;
            let db = Db::open(&path).await.unwrap_or_else(|error| panic!("upgrade from {}: {error}", $k));
            check_data_of_version(&db, $k).await;
            let applied = rows(db.conn(), "SELECT version FROM seaql_migrations").await;
            assert_eq!(applied.len(), Migrator::migrations().len(), "from {}", $k);
            let backups = backup::list(&path).expect("backups");
            assert_eq!(backups.len(), 1, "one pre-upgrade copy from version {}", $k);
            assert_eq!(backups[0].kind, Some(BackupKind::PreMigration));
            db.close().await.expect("closed");
            // The copy is the file as it was: the earlier schema, with its data.
            let copy = raw(Path::new(&backups[0].path)).await;
            let versions = rows(&copy, "SELECT version FROM seaql_migrations").await;
            assert_eq!(versions.len(), $k);
            copy.close().await.expect("closed");
        }
    )*};
}

/// Opens the file the way the app does (creating or upgrading it), then closes it.
async fn open_and_close(path: &Path, opened: &str) {
    Db::open(path)
        .await
        .expect(opened)
        .close()
        .await
        .expect("closed");
}

#[tokio::test]
async fn every_earlier_schema_version_upgrades_with_its_data() {
    assert_eq!(
        Migrator::migrations().len(),
        23,
        "add the new version to this test"
    );
    upgrade_from!(
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22
    );
}

#[tokio::test]
async fn a_new_file_needs_no_backup_and_an_up_to_date_one_takes_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("confab.db");
    open_and_close(&path, "created").await;
    open_and_close(&path, "reopened").await;
    assert!(backup::list(&path).expect("backups").is_empty());
}

/// Schema and every row of the user tables, to compare a file before and after.
async fn snapshot(path: &Path) -> Vec<String> {
    let conn = raw(path).await;
    let mut all = rows(
        &conn,
        "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY name",
    )
    .await;
    all.extend(
        rows(
            &conn,
            "SELECT version FROM seaql_migrations ORDER BY version",
        )
        .await,
    );
    all.extend(rows(&conn, "SELECT id || title FROM conversations ORDER BY id").await);
    all.extend(
        rows(
            &conn,
            "SELECT id || seq || content FROM messages ORDER BY id",
        )
        .await,
    );
    conn.close().await.expect("closed");
    all
}

#[tokio::test]
async fn a_failing_migration_leaves_the_file_exactly_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("confab.db");
    create_at_version::<Migrator>(&path, 8).await;
    // Rows written straight into today's schema: linked as the app links them.
    let conn = raw(&path).await;
    exec(
        &conn,
        "UPDATE messages SET parent_id = 'm1', seq = 2 WHERE id = 'm2';
         UPDATE conversations SET leaf_id = 'm2' WHERE id = 'c1'",
    )
    .await;
    conn.close().await.expect("closed");
    let before = snapshot(&path).await;

    let error = Db::open_with::<WithFailingStep>(&path)
        .await
        .expect_err("the extra migration fails");
    assert_eq!(error.code(), ErrorCode::MigrationFailed);
    assert!(error.to_string().contains("no_such_table"), "{error}");
    assert!(
        error.to_string().contains("restored from pre-migration-"),
        "{error}"
    );

    assert_eq!(
        snapshot(&path).await,
        before,
        "nothing of the failed upgrade remains"
    );
    let backups = backup::list(&path).expect("backups");
    assert_eq!(backups.len(), 1, "the pre-upgrade copy is kept");
    // The app still opens with the schema it knows, history intact.
    let db = Db::open(&path).await.expect("opens");
    check_data_of_version(&db, 8).await;
    db.close().await.expect("closed");
}

#[tokio::test]
async fn pre_migration_copies_rotate_keeping_the_last_three() {
    let temp = common::TempDb::new().await;
    let path = temp.path();
    let manual = backup::create(temp.db.conn(), &path, BackupKind::Manual)
        .await
        .expect("manual copy");
    let mut taken = Vec::new();
    for _ in 0..5 {
        let copy = backup::create(temp.db.conn(), &path, BackupKind::PreMigration)
            .await
            .expect("copy");
        taken.push(copy.path);
        backup::rotate(&path, BackupKind::PreMigration, backup::KEEP_PRE_MIGRATION)
            .expect("rotated");
    }
    let left: Vec<_> = backup::list(&path)
        .expect("backups")
        .into_iter()
        .filter(|b| b.kind == Some(BackupKind::PreMigration))
        .map(|b| b.path)
        .collect();
    let newest: Vec<_> = taken.iter().rev().take(3).cloned().collect();
    assert_eq!(left, newest, "the three newest, newest first");
    assert!(
        Path::new(&manual.path).exists(),
        "copies the user made are never rotated"
    );

    // Through the real upgrade path: an upgrade adds one and still keeps three.
    temp.db.clone().close().await.expect("closed");
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("confab.db");
    create_at_version::<Earlier<7>>(&old, 7).await;
    std::fs::create_dir_all(backup::backup_dir(&old)).expect("backups folder");
    for stamp in 1..=4 {
        let name = format!("pre-migration-{stamp}.db");
        std::fs::write(backup::backup_dir(&old).join(name), b"x").expect("old copy");
    }
    open_and_close(&old, "upgraded").await;
    let kept = backup::list(&old).expect("backups");
    assert_eq!(kept.len(), 3);
    assert!(
        kept[0].size_bytes > 1,
        "the newest is the real copy just taken"
    );
    assert!(
        kept.iter()
            .all(|b| !b.file_name.starts_with("pre-migration-1."))
    );
}

#[tokio::test]
async fn a_copy_taken_while_the_app_writes_is_consistent() {
    let temp = common::TempDb::new().await;
    let conversation = conversations::create(temp.db.conn(), Some("kept"))
        .await
        .expect("conversation");
    let dest = temp.dir.path().join("elsewhere").join("copy.db");
    let copy = backup::copy_to(temp.db.conn(), &dest)
        .await
        .expect("copied");
    assert_eq!(copy.kind, None);
    assert!(copy.size_bytes > 0);
    backup::check_file(&dest)
        .await
        .expect("the copy passes quick_check");
    let conn = raw(&dest).await;
    assert_eq!(
        rows(
            &conn,
            &format!(
                "SELECT title FROM conversations WHERE id = '{}'",
                conversation.id
            )
        )
        .await,
        ["kept"]
    );
    conn.close().await.expect("closed");
    // The save dialog asked: a second copy to the same file replaces it, whole.
    let again = backup::copy_to(temp.db.conn(), &dest)
        .await
        .expect("replaces the chosen file");
    assert!(again.size_bytes > 0);
    backup::check_file(&dest)
        .await
        .expect("the new copy passes quick_check");
}

/// Overwrites every page after the first with garbage: the header still says SQLite, the
/// tables are gone.
fn damage(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read");
    assert!(bytes.len() > 8192, "more than two pages");
    for (i, byte) in bytes.iter_mut().enumerate().skip(4096) {
        *byte = (i % 251) as u8 ^ 0x5a;
    }
    std::fs::write(path, bytes).expect("write");
}

#[tokio::test]
async fn a_damaged_file_is_detected_at_start_and_a_backup_restores_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("confab.db");
    let db = Db::open(&path).await.expect("created");
    let conversation = conversations::create(db.conn(), Some("before the damage"))
        .await
        .expect("conversation");
    let copy = backup::create(db.conn(), &path, BackupKind::Manual)
        .await
        .expect("backup");
    db.close().await.expect("closed");
    damage(&path);

    let (db, status) = startup::open(&path).await;
    assert!(db.is_none(), "a damaged file is not used");
    assert_eq!(
        status.state,
        StartupState::RecoveryNeeded {
            code: ErrorCode::Corrupt
        },
        "{}",
        status.message
    );
    assert_eq!(
        status.backups.first().map(|b| b.path.clone()),
        Some(copy.path.clone())
    );

    backup::schedule_restore(&path, Path::new(&copy.path))
        .await
        .expect("scheduled");
    let (db, status) = startup::open(&path).await;
    assert_eq!(
        status.state,
        StartupState::RestoredBackup {
            backup: copy.path.clone()
        }
    );
    let db = db.expect("the restored file opens");
    let restored = conversations::get(db.conn(), &conversation.id)
        .await
        .expect("history back");
    assert_eq!(restored.title, "before the damage");
    assert!(backup::pending_restore(&path).is_none(), "done once");
    db.close().await.expect("closed");
    // The next start is an ordinary one.
    let (db, status) = startup::open(&path).await;
    assert_eq!(status.state, StartupState::Ok);
    db.expect("opens").close().await.expect("closed");
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_corrupt_and_a_damaged_backup_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("confab.db");
    std::fs::write(&path, vec![0x42; 16384]).expect("garbage");
    let (db, status) = startup::open(&path).await;
    assert!(db.is_none());
    assert_eq!(
        status.state,
        StartupState::RecoveryNeeded {
            code: ErrorCode::Corrupt
        },
        "{}",
        status.message
    );

    let bad_backup = dir.path().join("bad.db");
    std::fs::write(&bad_backup, vec![0x42; 16384]).expect("garbage");
    let refused = backup::schedule_restore(&path, &bad_backup)
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), ErrorCode::Corrupt);
    assert!(backup::pending_restore(&path).is_none());

    // A sound SQLite file that is not Confab's would restore an empty history: refused.
    let foreign = dir.path().join("foreign.db");
    let conn = raw(&foreign).await;
    exec(&conn, "CREATE TABLE notes (text TEXT)").await;
    conn.close().await.expect("closed");
    let refused = backup::schedule_restore(&path, &foreign)
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), ErrorCode::InvalidInput, "{refused}");
    assert!(backup::pending_restore(&path).is_none());
}

#[tokio::test]
async fn the_light_start_up_check_reads_the_header_and_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("confab.db");
    open_and_close(&path, "created").await;
    backup::light_check_file(&path)
        .await
        .expect("a good file passes");
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![0x5a_u8; 64 * 1024]).expect("junk written");
    let error = backup::light_check_file(&junk).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::Corrupt, "{error}");
}

#[tokio::test]
async fn a_slow_start_says_what_it_is_doing_from_the_files_it_writes() {
    use confab_core::startup::{OpeningStep, opening_progress};

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("confab.db");
    std::fs::write(&path, vec![0u8; 1000]).expect("a file");
    assert_eq!(opening_progress(&path), None, "nothing slow under way");

    // The pre-migration copy being written: its share of the file.
    let backups = backup::backup_dir(&path);
    std::fs::create_dir_all(&backups).expect("folder");
    let partial = backups.join(".pre-migration-1.db.partial");
    std::fs::write(&partial, vec![0u8; 250]).expect("partial copy");
    let progress = opening_progress(&path).expect("backing up");
    assert_eq!(
        (progress.step, progress.percent),
        (OpeningStep::BackingUp, Some(25))
    );
    std::fs::write(&partial, vec![0u8; 5000]).expect("a copy larger than the file");
    assert_eq!(opening_progress(&path).unwrap().percent, Some(99));
    std::fs::remove_file(&partial).expect("copy done");

    // Then the upgrade, whose marker the open removes when it is done.
    std::fs::write(confab_core::store::upgrading_marker(&path), b"").expect("marker");
    let progress = opening_progress(&path).expect("upgrading");
    assert_eq!(
        (progress.step, progress.percent),
        (OpeningStep::Upgrading, None)
    );

    let real = dir.path().join("real.db");
    create_at_version::<Earlier<13>>(&real, 13).await;
    Db::open(&real)
        .await
        .expect("upgraded")
        .close()
        .await
        .expect("closed");
    assert!(!confab_core::store::upgrading_marker(&real).exists());
    assert_eq!(opening_progress(&real), None);
}
