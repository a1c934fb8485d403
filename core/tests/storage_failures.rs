//! Storage that fails under the app: disk full during a stream, a read-only file, a write
//! lock held by another process. Real SQLite files; aimock on 127.0.0.1 for the stream.
//!
//! How each failure is made real here:
//! - disk full: SQLite's own limit, `PRAGMA max_page_count`, set on every connection of the
//!   app's pool, so a write that needs a new page fails with SQLITE_FULL exactly as on a
//!   full disk. (A tmpfs would also work as root, but SQLite reuses space already in the
//!   WAL file, which makes "full" depend on what was written before.)
//! - read-only: a connection opened `mode=ro` (root ignores file permissions, so a chmod'ed
//!   file would still be writable in this test).
//! - locked: a second connection holding `BEGIN IMMEDIATE`, as another Confab process would.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::hostile::{Answer, DONE, Hostile, Step, chunk, finish, send};
use common::stream::new_conversation;
use common::{TempDb, engine, test_keychain};
use confab_core::ErrorCode;
use confab_core::chat::{ChatEvent, ChatSink};
use confab_core::store::checkpoints::Checkpoint;
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::{Db, checkpoints, conversations};
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};
use tokio::sync::mpsc;

/// Sets `PRAGMA max_page_count` on every connection of the pool (4): each of four
/// transactions open at once holds its own connection.
async fn set_max_pages(db: &Db, pages: i64) {
    let mut txns = Vec::new();
    for _ in 0..4 {
        txns.push(db.conn().begin().await.expect("a pool connection"));
    }
    for txn in &txns {
        txn.execute_unprepared(&format!("PRAGMA max_page_count = {pages}"))
            .await
            .expect("pragma");
    }
    for txn in txns {
        txn.commit().await.expect("released");
    }
}

async fn page_count(db: &Db) -> i64 {
    db.conn()
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA page_count",
        ))
        .await
        .expect("page_count")
        .expect("a row")
        .try_get_by_index(0)
        .expect("integer")
}

#[tokio::test]
async fn disk_full_during_a_stream_keeps_the_reply_reports_it_and_saves_it_later() {
    // A long reply, so storing it needs pages the full database does not have.
    let long: String = "Storage is full but this reply must survive. ".repeat(400);
    // The first piece, a pause in which the disk fills up, then the rest.
    let text = long.clone();
    let server = Hostile::start(move |_, _| {
        let mut pieces = text
            .as_bytes()
            .chunks(400)
            .map(|piece| send(&chunk(std::str::from_utf8(piece).expect("ASCII text"))));
        let mut steps: Vec<Step> = pieces.next().into_iter().collect();
        steps.push(Step::Pause(Duration::from_millis(1500)));
        steps.extend(pieces);
        steps.push(send(&finish("stop")));
        steps.push(send(DONE));
        Answer::sse(steps)
    })
    .await;
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let conversation = new_conversation(&temp.db).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    engine
        .send_message(&conversation, "fill", Vec::new(), sink)
        .await
        .expect("sent");

    // Text is flowing (the first checkpoint is written): now the disk fills up.
    loop {
        let event = rx.recv().await.expect("event");
        if matches!(event, ChatEvent::Delta { .. }) {
            break;
        }
    }
    set_max_pages(&temp.db, page_count(&temp.db).await).await;

    let kept = loop {
        let event = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("an event within 30 s")
            .expect("open channel");
        match event {
            ChatEvent::Error {
                code,
                message,
                partial_saved,
            } => break (code, message, partial_saved),
            ChatEvent::Done { .. } => panic!("the reply cannot have been stored on a full disk"),
            _ => {}
        }
    };
    assert_eq!(kept.0, ErrorCode::StorageFull, "{}", kept.1);
    assert!(kept.1.contains("kept in memory"), "{}", kept.1);
    assert!(!kept.2);
    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), &conversation, None, 10)
        .await
        .expect("readable while full");
    assert_eq!(stored.len(), 1, "only the question so far");
    let checkpoint_rows = temp
        .db
        .conn()
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT stream_id FROM stream_checkpoints",
        ))
        .await
        .expect("checkpoints");
    assert_eq!(
        checkpoint_rows.len(),
        1,
        "the checkpoint row is not lost meanwhile"
    );

    // Space frees up: the kept reply is written, whole, and the stream says so.
    set_max_pages(&temp.db, 1_000_000).await;
    let started = Instant::now();
    let message = loop {
        let event = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("saved within 30 s of space freeing")
            .expect("open channel");
        if let ChatEvent::Done { message } = event {
            break message;
        }
    };
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(message.state, MessageState::Complete);
    assert_eq!(message.content, long);
    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), &conversation, None, 10)
        .await
        .expect("messages");
    assert_eq!(stored.len(), 2);
    let reply = stored
        .iter()
        .find(|m| m.role == Role::Assistant)
        .expect("the reply");
    assert_eq!(reply.content, long, "stored once, whole");
    let left = temp
        .db
        .conn()
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT stream_id FROM stream_checkpoints",
        ))
        .await
        .expect("checkpoints");
    assert!(left.is_empty(), "the checkpoint went with the write");
}

/// A second connection to the test's file, opened with the SQLite `mode` given.
async fn connect(temp: &TempDb, mode: &str, what: &str) -> DatabaseConnection {
    Database::connect(format!("sqlite://{}?mode={mode}", temp.path().display()))
        .await
        .expect(what)
}

/// The one checkpoint these tests try to write.
fn checkpoint(conversation_id: &str) -> Checkpoint<'_> {
    Checkpoint {
        stream_id: "s1",
        conversation_id,
        model: "m",
        content: "text",
        reasoning: "",
        steps: &[],
        started_at: 1,
        parent: None,
        continues: None,
    }
}

#[tokio::test]
async fn a_read_only_database_gives_the_read_only_error() {
    let temp = TempDb::new().await;
    let conversation = new_conversation(&temp.db).await;
    let read_only = connect(&temp, "ro", "read-only connection").await;
    let error = checkpoints::save(&read_only, checkpoint(&conversation))
        .await
        .expect_err("a read-only file takes no writes");
    assert_eq!(error.code(), ErrorCode::ReadOnly, "{error}");
    let error = conversations::create(&read_only, None)
        .await
        .expect_err("no writes");
    assert_eq!(error.code(), ErrorCode::ReadOnly, "{error}");
    read_only.close().await.expect("closed");
}

#[tokio::test]
async fn a_write_lock_held_by_another_process_gives_db_locked_after_the_busy_timeout() {
    let temp = TempDb::new().await;
    let conversation = new_conversation(&temp.db).await;
    let other = connect(&temp, "rw", "second connection").await;
    let holding = other
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
        .expect("write lock taken");

    let started = Instant::now();
    let error = checkpoints::save(temp.db.conn(), checkpoint(&conversation))
        .await
        .expect_err("the lock is held throughout");
    let waited = started.elapsed();
    assert_eq!(error.code(), ErrorCode::DbLocked, "{error}");
    assert!(
        waited >= Duration::from_secs(4),
        "waited the busy timeout first: {waited:?}"
    );

    holding.rollback().await.expect("released");
    checkpoints::save(temp.db.conn(), checkpoint(&conversation))
        .await
        .expect("writes again once the lock is gone");
    other.close().await.expect("closed");
}
