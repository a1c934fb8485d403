//! Property tests for the parsers of outside files: both importers and restore. Random and
//! mutated files (mutated from real ones: an export of a varied history, the ChatGPT fixture,
//! a real backup) must end in a clear error or a valid result — never a panic, a hang, or a
//! database that no longer opens. Case counts are in RELIABILITY.md.

#[path = "common/attached.rs"]
mod attached;
mod common;
#[path = "common/history.rs"]
mod history;
#[path = "common/images.rs"]
mod images;
#[path = "common/mutation.rs"]
mod mutation;

use std::path::{Path, PathBuf};

use common::TempDb;
use confab_core::ErrorCode;
use confab_core::startup::{self, StartupState};
use confab_core::store::{Db, backup};
use confab_core::transfer::{ExportFormat, ImportKind, ImportLimits, export_to_file, import_file};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

const CONFAB_CASES: u32 = 512;
const ATTACHMENTS_CASES: u32 = 256;
const CHATGPT_CASES: u32 = 512;
const RANDOM_CASES: u32 = 512;
const RESTORE_CASES: u32 = 128;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Any JSON, with the field names the importers look for, so random files reach past the
/// first check.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "id",
        "title",
        "messages",
        "role",
        "content",
        "seq",
        "createdAt",
        "updatedAt",
        "state",
        "inContext",
        "meta",
        "status",
        "pinned",
        "agent",
        "contextOverride",
        "systemPrompt",
        "mapping",
        "current_node",
        "parent",
        "children",
        "message",
        "author",
        "create_time",
        "update_time",
        "parts",
        "content_type",
        "text",
        "recipient",
        "metadata",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "user",
            "assistant",
            "system",
            "tool",
            "robot",
            "complete",
            "partial",
            "text",
            "multimodal_text",
            "code",
            "",
            "n1",
            "n2",
            "confab-conversations",
        ])
        .prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8).prop_map(|map| {
                Value::Object(map.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

/// Imports `bytes`; the only acceptable failure is a clear refusal. Then the database must
/// still pass its check.
async fn import_checked(
    db: &Db,
    dir: &Path,
    bytes: &[u8],
    kind: ImportKind,
) -> Result<(), TestCaseError> {
    let path = dir.join("case.json");
    std::fs::write(&path, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let limits = ImportLimits {
        max_bytes: 1 << 20,
        ..ImportLimits::default()
    };
    let imported = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        import_file(db.conn(), &path, kind, limits, |_| {}),
    )
    .await
    .map_err(|_| TestCaseError::fail("the import hung"))?;
    if let Err(error) = imported {
        prop_assert_eq!(error.code(), ErrorCode::InvalidInput, "{}", error);
        prop_assert!(!error.to_string().is_empty());
    }
    backup::quick_check(db.conn())
        .await
        .map_err(|e| TestCaseError::fail(format!("database damaged: {e}")))?;
    Ok(())
}

/// The database opens again, as at the next start, and its history can be listed.
async fn reopens(temp: &TempDb) {
    let path = temp.path();
    temp.db.clone().close().await.expect("closed");
    let (db, status) = startup::open(&path).await;
    assert_eq!(status.state, StartupState::Ok, "{}", status.message);
    let db = db.expect("opens");
    history::snapshot(&db).await;
    db.close().await.expect("closed");
}

fn run<S: Strategy>(cases: u32, strategy: S, case: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    runner(cases)
        .run(&strategy, case)
        .unwrap_or_else(|failure| panic!("{failure}"));
}

/// Imports `cases` mutations of `base` into `temp`, each imported whole or refused, then
/// checks the file still opens.
fn import_mutations(
    rt: &tokio::runtime::Runtime,
    temp: &TempDb,
    base: &[u8],
    cases: u32,
    kind: ImportKind,
) {
    run(
        cases,
        prop::collection::vec(mutation::text_mutation(), 1..6),
        |mutations| {
            let bytes = mutation::mutate(base, &mutations);
            rt.block_on(import_checked(&temp.db, temp.dir.path(), &bytes, kind))
        },
    );
    rt.block_on(reopens(temp));
}

/// The Confab JSON export of everything in `source`.
async fn exported(source: &TempDb) -> Vec<u8> {
    let path = source.dir.path().join("base.json");
    export_to_file(source.db.conn(), None, ExportFormat::Json, &path)
        .await
        .expect("exported");
    std::fs::read(path).expect("read")
}

#[test]
fn mutated_confab_files_import_or_are_refused() {
    let rt = runtime();
    let (base, temp) = rt.block_on(async {
        let source = TempDb::new().await;
        history::seed(&source.db).await;
        let target = TempDb::new().await;
        history::create_writer_agent(&target.db).await;
        (exported(&source).await, target)
    });
    import_mutations(&rt, &temp, &base, CONFAB_CASES, ImportKind::Confab);
}

#[test]
fn mutated_confab_files_with_attachments_import_or_are_refused() {
    let rt = runtime();
    let (base, temp) = rt.block_on(async {
        let source = TempDb::new().await;
        attached::seed(&source.db).await;
        (exported(&source).await, TempDb::new().await)
    });
    import_mutations(&rt, &temp, &base, ATTACHMENTS_CASES, ImportKind::Confab);
}

#[test]
fn mutated_chatgpt_files_import_or_are_refused() {
    let rt = runtime();
    let base = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/chatgpt-conversations.json"),
    )
    .expect("fixture");
    let temp = rt.block_on(TempDb::new());
    import_mutations(&rt, &temp, &base, CHATGPT_CASES, ImportKind::Chatgpt);
}

#[test]
fn random_files_import_or_are_refused() {
    let rt = runtime();
    let temp = rt.block_on(TempDb::new());
    let strategy = (
        prop::collection::vec(json_value(), 0..4),
        prop::collection::vec(any::<u8>(), 0..64),
        0u8..3,
    );
    run(RANDOM_CASES, strategy, |(conversations, noise, shape)| {
        let (confab, chatgpt) = match shape {
            0 => (
                serde_json::to_vec(&json!({
                    "format": "confab-conversations", "version": 1, "conversations": conversations
                })),
                serde_json::to_vec(&conversations),
            ),
            1 => (
                serde_json::to_vec(&conversations),
                serde_json::to_vec(&json!({})),
            ),
            _ => (Ok(noise.clone()), Ok(noise.clone())),
        };
        let (confab, chatgpt) = (confab.expect("json"), chatgpt.expect("json"));
        rt.block_on(async {
            import_checked(&temp.db, temp.dir.path(), &confab, ImportKind::Confab).await?;
            import_checked(&temp.db, temp.dir.path(), &chatgpt, ImportKind::Chatgpt).await
        })
    });
    rt.block_on(reopens(&temp));
}

#[test]
fn mutated_backups_restore_whole_or_are_refused() {
    let rt = runtime();
    let (base, dir) = rt.block_on(async {
        let source = TempDb::new().await;
        history::seed(&source.db).await;
        let copy = source.dir.path().join("base.db");
        backup::copy_to(source.db.conn(), &copy)
            .await
            .expect("copied");
        let bytes = std::fs::read(&copy).expect("read");
        source.db.clone().close().await.expect("closed");
        (bytes, tempfile::tempdir().expect("dir"))
    });
    let case_no = std::sync::atomic::AtomicUsize::new(0);
    run(
        RESTORE_CASES,
        prop::collection::vec(mutation::text_mutation(), 1..4),
        |mutations| {
            let n = case_no.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let case_dir: PathBuf = dir.path().join(n.to_string());
            std::fs::create_dir_all(&case_dir).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let db_path = case_dir.join("confab.db");
            let chosen = case_dir.join("chosen.db");
            std::fs::write(&chosen, mutation::mutate(&base, &mutations))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            rt.block_on(async {
                Db::open(&db_path)
                    .await
                    .expect("opens")
                    .close()
                    .await
                    .expect("closed");
                if backup::schedule_restore(&db_path, &chosen).await.is_err() {
                    prop_assert!(backup::pending_restore(&db_path).is_none());
                    let (db, status) = startup::open(&db_path).await;
                    prop_assert_eq!(status.state, StartupState::Ok, "{}", status.message);
                    db.expect("opens").close().await.expect("closed");
                    return Ok(());
                }
                // Accepted: it must restore and open as a working history.
                let (db, status) = startup::open(&db_path).await;
                let Some(db) = db else {
                    return Err(TestCaseError::fail(format!(
                        "an accepted backup does not open: {}",
                        status.message
                    )));
                };
                history::snapshot(&db).await;
                db.close().await.expect("closed");
                Ok(())
            })
        },
    );
}
