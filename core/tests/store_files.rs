//! The files of the store: private modes on Unix, paths taken as paths (never parsed as a
//! URL), backups that overwrite a chosen file atomically, restores checked against the
//! migrations this version knows, a Markdown export that cannot run HTML.

mod common;

use std::path::Path;

use common::TempDb;
use confab_core::ErrorCode;
use confab_core::startup::{self, StartupState};
use confab_core::store::backup;
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::{self, MessageMeta, NewMessage};
use confab_core::store::{Db, conversations};
use confab_core::transfer::{ExportFormat, export_to_file};
use sea_orm::ConnectionTrait;

async fn add_message(db: &Db, conversation_id: &str, content: &str) {
    messages::append(
        db.conn(),
        NewMessage {
            conversation_id,
            role: Role::Assistant,
            parent: confab_core::store::messages::Parent::Leaf,
            parts: confab_core::vocab::text_parts_of(content),
            state: MessageState::Complete,
            meta: MessageMeta::default(),
        },
    )
    .await
    .expect("test set-up");
}

#[tokio::test]
async fn a_path_with_question_marks_and_percent_signs_opens_that_very_file() {
    let dir = tempfile::tempdir().unwrap();
    // As a URL, `?mode=ro` would be an option and `%41` an `A`.
    let folder = dir.path().join("odd?mode=ro%41#x");
    let path = folder.join("my%20history?.db");
    let db = Db::open(&path).await.unwrap();
    let id = conversations::create(db.conn(), Some("here"))
        .await
        .unwrap()
        .id;
    let copy = backup::create(db.conn(), &path, backup::BackupKind::Manual)
        .await
        .unwrap();
    db.close().await.unwrap();
    assert!(path.is_file(), "the file is where the path says");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["odd?mode=ro%41#x"], "no other file was created");
    let (db, status) = startup::open(&path).await;
    assert_eq!(status.state, StartupState::Ok, "{}", status.message);
    let db = db.unwrap();
    assert_eq!(
        conversations::get(db.conn(), &id).await.unwrap().title,
        "here"
    );
    db.close().await.unwrap();
    backup::schedule_restore(&path, Path::new(&copy.path))
        .await
        .unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn the_history_its_copies_and_exports_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = data.join("confab.db");
    let db = Db::open(&path).await.unwrap();
    let id = conversations::create(db.conn(), None).await.unwrap().id;
    add_message(&db, &id, "private words").await;
    let copy = backup::create(db.conn(), &path, backup::BackupKind::Manual)
        .await
        .unwrap();
    let chosen = backup::copy_to(db.conn(), &dir.path().join("chosen.db"))
        .await
        .unwrap();
    let export = dir.path().join("export.md");
    export_to_file(db.conn(), None, ExportFormat::Markdown, &export)
        .await
        .unwrap();
    let logs = dir.path().join("logs");
    let _guard = confab_core::logging::init("info", Some(&logs));
    tracing::info!("a line");

    assert_eq!(mode(&data), 0o700, "the folder the app created");
    assert_eq!(mode(&backup::backup_dir(&path)), 0o700);
    assert_eq!(mode(&logs), 0o700);
    for file in [
        path.clone(),
        backup::sidecar(&path, "-wal"),
        backup::sidecar(&path, "-shm"),
        Path::new(&copy.path).to_path_buf(),
        Path::new(&chosen.path).to_path_buf(),
        export,
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    for entry in std::fs::read_dir(&logs).unwrap() {
        let file = entry.unwrap().path();
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    db.close().await.unwrap();

    // A database made by an older version, readable by everyone, is narrowed at open.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let db = Db::open(&path).await.unwrap();
    assert_eq!(mode(&path), 0o600);
    db.close().await.unwrap();
}

#[cfg(not(unix))]
#[test]
fn the_history_its_copies_and_exports_are_private() {
    // Skipped: Windows has no Unix modes; the per-user app-data folder keeps other
    // accounts out.
}

#[tokio::test]
async fn a_backup_replaces_the_file_the_person_chose_whole() {
    let temp = TempDb::new().await;
    let id = conversations::create(temp.db.conn(), Some("kept"))
        .await
        .unwrap()
        .id;
    let chosen = temp.dir.path().join("my backup.db");
    std::fs::write(&chosen, b"an older file the save dialog agreed to replace").unwrap();
    let copy = backup::copy_to(temp.db.conn(), &chosen).await.unwrap();
    assert_eq!(Path::new(&copy.path), chosen);
    let restored = Db::open(&chosen).await.unwrap();
    assert_eq!(
        conversations::get(restored.conn(), &id)
            .await
            .unwrap()
            .title,
        "kept"
    );
    restored.close().await.unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(temp.dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let folder = backup::copy_to(temp.db.conn(), temp.dir.path())
        .await
        .unwrap_err();
    assert_eq!(folder.code(), ErrorCode::InvalidInput);
    assert_eq!(
        common::problem_of(&folder),
        ("path".to_string(), confab_core::Rule::IsFolder)
    );
}

#[tokio::test]
async fn a_restore_is_checked_against_the_migrations_this_version_knows() {
    let temp = TempDb::new().await;
    let dir = temp.dir.path();
    let copy = |name: &str| {
        let path = dir.join(name);
        let db = temp.db.clone();
        async move {
            backup::copy_to(db.conn(), &path).await.unwrap();
            let conn = sea_orm::SqlxSqliteConnector::connect(sea_orm::ConnectOptions::new(
                format!("sqlite://{}?mode=rw", path.display()),
            ))
            .await
            .unwrap();
            (path, conn)
        }
    };
    let (newer, conn) = copy("newer.db").await;
    conn.execute_unprepared(
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29990101_000001_teleport', 1)",
    )
    .await
    .unwrap();
    conn.close().await.unwrap();
    let refused = backup::schedule_restore(&temp.path(), &newer)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidInput);
    assert_eq!(
        common::problem_of(&refused),
        ("path".to_string(), confab_core::Rule::NewerVersion)
    );

    let (foreign, conn) = copy("foreign.db").await;
    conn.execute_unprepared("DELETE FROM seaql_migrations WHERE version LIKE '%000004%'")
        .await
        .unwrap();
    conn.close().await.unwrap();
    let refused = backup::schedule_restore(&temp.path(), &foreign)
        .await
        .unwrap_err();
    assert_eq!(
        common::problem_of(&refused),
        ("path".to_string(), confab_core::Rule::NotABackup)
    );
    assert!(backup::pending_restore(&temp.path()).is_none());

    // The right migrations, a changed schema: refused too.
    let (altered, conn) = copy("altered.db").await;
    conn.execute_unprepared("DROP INDEX messages_by_parent")
        .await
        .unwrap();
    conn.close().await.unwrap();
    let refused = backup::schedule_restore(&temp.path(), &altered)
        .await
        .unwrap_err();
    assert_eq!(
        common::problem_of(&refused),
        ("path".to_string(), confab_core::Rule::NotABackup)
    );

    // Sound pages, a title that is not UTF-8 (damage SQLite's checks cannot see): refused
    // as damaged, since the restored history could not be listed.
    add_message(
        &temp.db,
        &conversations::create(temp.db.conn(), Some("fine"))
            .await
            .unwrap()
            .id,
        "x",
    )
    .await;
    let (garbled, conn) = copy("garbled.db").await;
    conn.execute_unprepared("UPDATE conversations SET title = CAST(X'66FF6F' AS TEXT)")
        .await
        .unwrap();
    conn.close().await.unwrap();
    let refused = backup::schedule_restore(&temp.path(), &garbled)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Corrupt, "{refused}");
    assert!(
        refused.to_string().contains("conversations.title"),
        "{refused}"
    );
    assert!(backup::pending_restore(&temp.path()).is_none());

    // Checked again when applied: a backup changed after it was chosen is not restored.
    let (good, conn) = copy("good.db").await;
    conn.close().await.unwrap();
    backup::schedule_restore(&temp.path(), &good).await.unwrap();
    std::fs::copy(&newer, &good).unwrap();
    let path = temp.path();
    temp.db.clone().close().await.unwrap();
    let (db, status) = startup::open(&path).await;
    assert!(db.is_none());
    assert!(
        status.message.contains("the restore was called off"),
        "{}",
        status.message
    );
    assert!(backup::pending_restore(&path).is_none());
    let (db, status) = startup::open(&path).await;
    assert_eq!(
        status.state,
        StartupState::Ok,
        "the history was left as it was"
    );
    db.unwrap().close().await.unwrap();
}

#[tokio::test]
async fn the_markdown_export_shows_html_as_text() {
    let temp = TempDb::new().await;
    let id = conversations::create(temp.db.conn(), Some("<img src=x onerror=alert(1)>"))
        .await
        .unwrap()
        .id;
    add_message(
        &temp.db,
        &id,
        "Look: <script>alert('x')</script> and <img src=x onerror=alert(2)>\n\n```html\n<b>code stays</b>\n```",
    )
    .await;
    let path = temp.dir.path().join("out.md");
    export_to_file(temp.db.conn(), None, ExportFormat::Markdown, &path)
        .await
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains("<script>") && !text.contains("<img"),
        "{text}"
    );
    assert!(text.contains("&lt;script>alert('x')&lt;/script>"), "{text}");
    assert!(text.contains("# &lt;img src=x onerror=alert(1)>"), "{text}");
    assert!(text.contains("```html\n<b>code stays</b>\n```"), "{text}");
}
