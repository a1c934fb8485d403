//! Knowledge bases on a real SQLite file: a folder read in the background with each file's
//! status said (indexed, no text in a scan, failed with the reason), searched by keyword
//! (Chinese too), kept in step with the disk (an unchanged file is not read again, a gone
//! one is forgotten, a watched folder's change is indexed), paused, cancelled, resumed after
//! a restart, and deleted with everything it held.

#![allow(clippy::unwrap_used)]

mod common;
mod documents;

use std::time::{Duration, Instant};

use common::knowledge::Rig;
use common::{problem_of, row_count};
use confab_core::api::{Api, StartConfig};
use confab_core::knowledge::{FileStatus, RunState};
use confab_core::{ErrorCode, Rule};

const NOTES: &str = "# Shop handbook\n\nThis handbook is for everyone who works in the shop: \
the counter, the stockroom and the office. It says how we greet people, how we keep the shelves \
tidy, how we count the till at the end of the day, and whom to call when something breaks. \
Read it once in full, then keep it at hand.\n\n## Returns\n\nOur refund policy: a damaged parcel is \
refunded in full within thirty days.\n\n## Shipping\n\nParcels leave the warehouse every \
Tuesday and Friday.\n";
const CHINESE: &str = "# 向量数据库\n\n向量数据库按语义相似度检索段落，适合知识库问答。\n";

async fn files_by_name(rig: &Rig, kb_id: &str) -> Vec<(String, FileStatus, Option<String>, u32)> {
    let page = rig
        .api
        .list_knowledge_files(kb_id, None, 0, 100)
        .await
        .unwrap();
    page.files
        .into_iter()
        .map(|f| {
            let name = confab_core::knowledge::chunks::file_name(&f.path);
            (name, f.status, f.error, f.chunks)
        })
        .collect()
}

#[tokio::test]
async fn a_folder_is_read_with_each_files_status_and_searched_by_keyword() {
    let rig = Rig::new(None).await;
    rig.write("notes.md", NOTES);
    rig.write("sub/向量.md", CHINESE);
    rig.write("empty.md", "   \n\n");
    rig.write("scan.pdf", documents::pdf(&[None, None]));
    rig.write("broken.docx", b"PK\x03\x04 not really a zip");
    rig.write(
        "paged.pdf",
        documents::pdf(&[Some("Cover page"), Some("The warranty lasts two years.")]),
    );
    rig.write("photo.png", [0x89, b'P', b'N', b'G']);
    rig.write(".hidden/secret.md", "hidden refund policy");
    let kb = rig.keyword_base("Handbook").await;
    let source = rig
        .api
        .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
        .await
        .unwrap();
    assert!(source.is_folder && source.watch);
    let progress = rig.settle(&kb.id).await;
    assert_eq!(
        (progress.state, progress.stopped_by),
        (RunState::Idle, None)
    );

    let files = files_by_name(&rig, &kb.id).await;
    let status = |name: &str| {
        files
            .iter()
            .find(|f| f.0 == name)
            .map(|f| (f.1, f.2.clone()))
    };
    assert_eq!(
        files.len(),
        6,
        "png and hidden files are not read: {files:?}"
    );
    assert_eq!(status("notes.md").map(|s| s.0), Some(FileStatus::Indexed));
    assert_eq!(status("向量.md").map(|s| s.0), Some(FileStatus::Indexed));
    assert_eq!(status("paged.pdf").map(|s| s.0), Some(FileStatus::Indexed));
    assert_eq!(
        status("scan.pdf"),
        Some((FileStatus::NoText, Some("scanned_document".into())))
    );
    assert_eq!(
        status("empty.md"),
        Some((FileStatus::NoText, Some("no_text".into())))
    );
    assert_eq!(
        status("broken.docx"),
        Some((FileStatus::Failed, Some("damaged_file".into())))
    );
    let counts = rig.base(&kb.id).await.counts;
    assert_eq!(
        (
            counts.files,
            counts.indexed,
            counts.no_text,
            counts.failed,
            counts.pending
        ),
        (6, 3, 2, 1, 0)
    );
    assert!(counts.chunks >= 3 && counts.bytes > 0);

    let found = rig
        .api
        .search_knowledge(&kb.id, "What is the refund policy?", 5)
        .await
        .unwrap();
    assert!(!found.semantic, "no provider: keyword search only");
    let top = &found.hits[0];
    assert_eq!(top.title, "notes.md");
    assert!(top.text.contains("refund policy"), "{top:?}");
    assert_eq!(
        top.heading, "Shop handbook › Returns",
        "the heading path is kept: {top:?}"
    );
    assert_eq!(top.via, ["keyword"]);

    let warranty = rig
        .api
        .search_knowledge(&kb.id, "warranty", 5)
        .await
        .unwrap();
    assert_eq!(
        (warranty.hits[0].title.as_str(), warranty.hits[0].page),
        ("paged.pdf", Some(2))
    );

    let chinese = rig
        .api
        .search_knowledge(&kb.id, "什么是向量数据库", 5)
        .await
        .unwrap();
    assert_eq!(
        chinese.hits.first().map(|h| h.title.as_str()),
        Some("向量.md")
    );

    // A re-index tries the failed and textless files again: they stay what they are.
    rig.api.reindex_knowledge(&kb.id).await.unwrap();
    rig.settle(&kb.id).await;
    let again = rig.base(&kb.id).await.counts;
    assert_eq!((again.indexed, again.no_text, again.failed), (3, 2, 1));

    let nothing = rig
        .api
        .search_knowledge(&kb.id, "volcano eruption forecast", 5)
        .await
        .unwrap();
    assert!(
        nothing.hits.is_empty(),
        "nothing relevant is said, not padded: {nothing:?}"
    );
}

#[tokio::test]
async fn a_rescan_reads_only_what_changed_and_forgets_what_is_gone() {
    let rig = Rig::new(None).await;
    rig.write("keep.md", NOTES);
    let gone = rig.write("gone.md", "The lighthouse keeper logs the tides.");
    let touched = rig.write("touched.md", "Version one of the brewing guide.");
    let kb = rig.keyword_base("Docs").await;
    let source = rig
        .api
        .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
        .await
        .unwrap();
    rig.settle(&kb.id).await;
    let before = rig
        .api
        .search_knowledge(&kb.id, "refund policy", 5)
        .await
        .unwrap();
    let kept_chunk = before.hits[0].chunk_id;

    std::fs::remove_file(&gone).unwrap();
    std::fs::write(
        &touched,
        "Version two of the brewing guide: steep for four minutes.",
    )
    .unwrap();
    // The same bytes written again: its time changes, its content does not.
    rig.write("keep.md", NOTES);
    rig.api
        .set_knowledge_source_watch(&kb.id, &source.id, false)
        .await
        .unwrap();
    rig.api.reindex_knowledge(&kb.id).await.unwrap();
    rig.settle(&kb.id).await;

    let after = rig
        .api
        .search_knowledge(&kb.id, "refund policy", 5)
        .await
        .unwrap();
    assert_eq!(
        after.hits[0].chunk_id, kept_chunk,
        "an unchanged file keeps its chunks"
    );
    assert!(
        rig.api
            .search_knowledge(&kb.id, "lighthouse keeper", 5)
            .await
            .unwrap()
            .hits
            .is_empty()
    );
    let brewing = rig
        .api
        .search_knowledge(&kb.id, "steep four minutes", 5)
        .await
        .unwrap();
    assert!(brewing.hits[0].text.contains("Version two"));
    let names: Vec<String> = files_by_name(&rig, &kb.id)
        .await
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[tokio::test]
async fn a_watched_folder_indexes_a_new_file_by_itself() {
    let rig = Rig::new(None).await;
    rig.write("first.md", NOTES);
    let kb = rig.keyword_base("Watched").await;
    rig.api
        .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
        .await
        .unwrap();
    rig.settle(&kb.id).await;
    rig.write(
        "later/new.md",
        "The observatory opens at dusk for stargazing.",
    );
    let started = Instant::now();
    loop {
        let found = rig
            .api
            .search_knowledge(&kb.id, "observatory stargazing", 5)
            .await
            .unwrap();
        if !found.hits.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the new file was not indexed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn cancel_keeps_the_rest_pending_and_a_restart_resumes_it() {
    let mut rig = Rig::new(None).await;
    for i in 0..300 {
        rig.write(
            &format!("note-{i:03}.md"),
            format!("# Note {i}\n\nThe number of this note is {i}.\n{NOTES}"),
        );
    }
    let kb = rig.keyword_base("Many").await;
    rig.api
        .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
        .await
        .unwrap();
    rig.api.cancel_knowledge(&kb.id).await.unwrap();
    let stopped = rig.settle(&kb.id).await;
    assert_eq!(stopped.state, RunState::Paused);
    let counts = rig.base(&kb.id).await.counts;
    assert!(counts.pending > 0, "cancelled before the end: {counts:?}");
    assert_eq!(counts.files, 300);

    // A restart: the same file opened again the app's way. A paused base stays paused
    // until the person resumes it; then every file gets indexed.
    rig.api.shutdown(Duration::from_secs(5)).await;
    rig.api = Api::start(rig.temp.db.clone(), start_config())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        rig.api.knowledge_progress(&kb.id).await.unwrap().state,
        RunState::Paused
    );
    rig.api.resume_knowledge(&kb.id).await.unwrap();
    rig.settle(&kb.id).await;
    let counts = rig.base(&kb.id).await.counts;
    assert_eq!((counts.indexed, counts.pending), (300, 0));
}

#[tokio::test]
async fn a_run_cut_by_the_app_closing_resumes_at_the_next_start() {
    let mut rig = Rig::new(None).await;
    for i in 0..300 {
        rig.write(&format!("note-{i:03}.md"), format!("# Note {i}\n\n{NOTES}"));
    }
    let kb = rig.keyword_base("Interrupted").await;
    rig.api
        .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
        .await
        .unwrap();
    rig.api.shutdown(Duration::from_secs(5)).await;
    let counts = rig.base(&kb.id).await.counts;
    assert!(counts.pending > 0, "closed before the end: {counts:?}");
    assert!(!rig.base(&kb.id).await.paused, "closing is not pausing");

    rig.api = Api::start(rig.temp.db.clone(), start_config())
        .await
        .unwrap();
    let started = Instant::now();
    while rig.base(&kb.id).await.counts.indexed < 300 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the run did not resume"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn start_config() -> StartConfig {
    StartConfig {
        keychain: common::test_keychain(),
        environment: confab_core::providers::builtin::BuiltinEnv::default(),
        engine: common::test_config(),
    }
}

#[tokio::test]
async fn deleting_a_base_frees_its_rows_and_bad_input_is_refused_clearly() {
    let rig = Rig::new(None).await;
    rig.write("a.md", NOTES);
    let kb = rig.keyword_base("Short lived").await;
    rig.api
        .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
        .await
        .unwrap();
    rig.settle(&kb.id).await;
    assert!(row_count(&rig.temp.db, "knowledge_chunks").await > 0);

    let missing = rig
        .api
        .add_knowledge_source(&kb.id, "/no/such/folder")
        .await
        .unwrap_err();
    assert_eq!(problem_of(&missing), ("path".into(), Rule::NotALocalFile));
    let binary = rig.write("x.exe", b"MZ");
    let refused = rig
        .api
        .add_knowledge_source(&kb.id, binary.to_str().unwrap())
        .await
        .unwrap_err();
    assert_eq!(problem_of(&refused), ("path".into(), Rule::UnsupportedFile));
    let unnamed = rig
        .api
        .create_knowledge_base(&common::knowledge::input("  ", None))
        .await
        .unwrap_err();
    assert_eq!(problem_of(&unnamed), ("name".into(), Rule::Required));
    let empty = rig.api.search_knowledge(&kb.id, "  ", 5).await.unwrap_err();
    assert_eq!(problem_of(&empty), ("query".into(), Rule::Required));
    let unknown = rig
        .api
        .search_knowledge("no-such-base", "refund", 5)
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), ErrorCode::NotFound);
    let outside = rig
        .api
        .knowledge_file_to_open("/etc/hostname")
        .await
        .unwrap_err();
    assert_eq!(problem_of(&outside), ("path".into(), Rule::NotALocalFile));
    let inside = rig.folder().join("a.md").canonicalize().unwrap();
    assert!(
        rig.api
            .knowledge_file_to_open(inside.to_str().unwrap())
            .await
            .is_ok()
    );

    rig.api.delete_knowledge_base(&kb.id).await.unwrap();
    for table in [
        "knowledge_bases",
        "knowledge_sources",
        "knowledge_files",
        "knowledge_chunks",
        "knowledge_chunks_fts",
    ] {
        assert_eq!(row_count(&rig.temp.db, table).await, 0, "{table}");
    }
    assert_eq!(
        rig.api
            .delete_knowledge_base(&kb.id)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
}
