//! Crafted imports and histories: times the interface cannot draw, message numbers at the
//! end of the range, a reply that cannot be stored at start-up. Each must end in a clear
//! error or a working app, never a history that refuses to open. Real SQLite files, real
//! migrations, aimock on 127.0.0.1 (and the keychain: run under scripts/with-keychain.sh).

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{Aimock, TempDb, events_until_end, test_keychain};
use confab_core::chat::{ChatEvent, ChatSink};
use confab_core::startup::{self, StartupState};
use confab_core::store::{Db, checkpoints, conversations};
use confab_core::transfer::{ImportKind, ImportLimits, import_file};
use confab_core::{Error, ErrorCode};
use sea_orm::ConnectionTrait;
use serde_json::json;
use tokio::sync::mpsc;

fn write(dir: &Path, name: &str, value: &serde_json::Value) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(value).expect("test set-up")).expect("test set-up");
    path
}

async fn conversation_ids(db: &Db) -> Vec<String> {
    db.conn()
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT id FROM conversations ORDER BY rid",
        ))
        .await
        .expect("test set-up")
        .into_iter()
        .map(|row| row.try_get_by_index(0).expect("test set-up"))
        .collect()
}

fn confab_file(conversations: serde_json::Value) -> serde_json::Value {
    json!({"format": "confab-conversations", "version": 1, "conversations": conversations})
}

async fn send(engine: &Arc<confab_core::chat::ChatEngine>, id: &str, text: &str) -> Vec<ChatEvent> {
    let (tx, mut rx) = mpsc::unbounded_channel::<ChatEvent>();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    engine
        .send_message(id, text, Vec::new(), sink)
        .await
        .expect("test set-up");
    events_until_end(&mut rx).await
}

#[tokio::test]
async fn extreme_times_and_message_numbers_are_refused_with_their_place() {
    let temp = TempDb::new().await;
    let file = write(
        temp.dir.path(),
        "crafted.json",
        &confab_file(json!([{
            "title": "pinned and newest", "pinned": true,
            "createdAt": 1, "updatedAt": 1e16 as i64,
            "messages": [
                {"role": "user", "content": "a", "seq": 1, "createdAt": -8_640_000_000_000_001_i64},
                {"role": "assistant", "content": "b", "seq": i64::MAX}
            ]
        }])),
    );
    let error = import_file(
        temp.db.conn(),
        &file,
        ImportKind::Confab,
        ImportLimits::default(),
        |_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    let text = error.to_string();
    for place in [
        "conversations[0].updatedAt: 10000000000000000 is not a time between 1970 and 2100",
        "conversations[0].messages[0].createdAt: -8640000000000001 is not a time",
        "conversations[0].messages[1].seq: must be between 1 and 1000000000000, found 9223372036854775807",
    ] {
        assert!(text.contains(place), "{place}\n{text}");
    }
    assert_eq!(
        conversation_ids(&temp.db).await,
        Vec::<String>::new(),
        "nothing imported"
    );
}

#[tokio::test]
async fn a_history_at_the_largest_numbers_still_takes_replies_and_restarts() {
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "next"}, "response": {"content": "Answered."}}
    ]}));
    let temp = TempDb::new().await;
    let file = write(
        temp.dir.path(),
        "edge.json",
        &confab_file(json!([{
            "id": "edge", "title": "at the bounds",
            "createdAt": 0, "updatedAt": 4_102_444_799_999_i64,
            "messages": [
                {"role": "user", "content": "q", "seq": 999_999_999_998_i64},
                {"role": "assistant", "content": "a", "seq": 1_000_000_000_000_i64}
            ]
        }])),
    );
    import_file(
        temp.db.conn(),
        &file,
        ImportKind::Confab,
        ImportLimits::default(),
        |_| {},
    )
    .await
    .unwrap();
    let engine = common::engine(&temp.db, test_keychain(), server.endpoint()).await;
    let events = send(&engine, "edge", "next").await;
    assert!(
        matches!(events.last(), Some(ChatEvent::Done { .. })),
        "{events:?}"
    );
    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), "edge", None, 10)
        .await
        .unwrap();
    // Depths are where a message hangs, not the numbers a file wrote.
    let seqs: Vec<i64> = stored.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    drop(engine);
    let path = temp.path();
    temp.db.clone().close().await.unwrap();
    let (db, status) = startup::open(&path).await;
    assert_eq!(status.state, StartupState::Ok, "{}", status.message);
    db.unwrap().close().await.unwrap();
}

/// A history written by an older version, which took any number: a message at `i64::MAX`.
async fn history_at_the_last_number(db: &Db) {
    let conn = db.conn();
    let id = conversations::create(conn, Some("old import"))
        .await
        .expect("test set-up")
        .id;
    conn.execute_unprepared(&format!(
        "INSERT INTO messages (id, conversation_id, seq, role, content, created_at, state, in_context, meta)
         VALUES ('last', '{id}', {}, 'user', 'hi', 1, 'complete', 1, '{{}}');
         UPDATE conversations SET leaf_id = 'last' WHERE id = '{id}';
         INSERT INTO stream_checkpoints
             (stream_id, conversation_id, model, content, started_at, updated_at)
         VALUES ('s-crash', '{id}', 'm', 'half a reply', 1, 1)",
        i64::MAX
    ))
    .await
    .expect("test set-up");
}

#[tokio::test]
async fn the_last_message_number_is_a_clear_refusal_and_never_blocks_the_start() {
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "more"}, "response": {"content": "never stored"}}
    ]}));
    let temp = TempDb::new().await;
    history_at_the_last_number(&temp.db).await;
    let id = conversation_ids(&temp.db).await.remove(0);

    // The checkpoint cannot be stored: recovery skips it, keeps it, and says why.
    let recovery = checkpoints::recover(temp.db.conn()).await.unwrap();
    assert!(recovery.recovered.is_empty());
    assert_eq!(recovery.skipped.len(), 1);
    assert_eq!(recovery.skipped[0].stream_id, "s-crash");
    assert!(
        recovery.skipped[0].error.contains("no message number left"),
        "{}",
        recovery.skipped[0].error
    );

    // Sending is refused with what it is, not as a disk problem, and nothing wraps round.
    let engine = common::engine(&temp.db, test_keychain(), server.endpoint()).await;
    let (tx, _rx) = mpsc::unbounded_channel::<ChatEvent>();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    let refused = engine
        .send_message(&id, "more", Vec::new(), sink)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Constraint, "{refused}");
    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), &id, None, 10)
        .await
        .unwrap();
    assert!(stored.iter().all(|m| m.seq > 0), "{stored:?}");
    drop(engine);

    // Restarting opens the history, twice.
    let path = temp.path();
    temp.db.clone().close().await.unwrap();
    for _ in 0..2 {
        let (db, status) = startup::open(&path).await;
        assert_eq!(status.state, StartupState::Ok, "{}", status.message);
        let db = db.unwrap();
        assert_eq!(
            checkpoints::recover(db.conn()).await.unwrap().skipped.len(),
            1
        );
        db.close().await.unwrap();
    }
}

#[tokio::test]
async fn a_broken_constraint_is_not_worded_as_a_disk_problem() {
    let temp = TempDb::new().await;
    let id = conversations::create(temp.db.conn(), None)
        .await
        .unwrap()
        .id;
    let insert = |seq: i64| {
        format!(
            "INSERT INTO messages (id, conversation_id, seq, role, content, created_at)
             VALUES ('m1', '{id}', {seq}, 'user', 'x', 1)"
        )
    };
    temp.db.conn().execute_unprepared(&insert(1)).await.unwrap();
    let duplicate = temp
        .db
        .conn()
        .execute_unprepared(&insert(2))
        .await
        .unwrap_err();
    let error = Error::from(duplicate);
    assert_eq!(error.code(), ErrorCode::Constraint, "{error}");
}
