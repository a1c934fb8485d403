//! Importing ChatGPT's conversations.json (a realistic sample in `fixtures/`), against a real
//! SQLite file with the real migrations: every branch, the current one shown, broken trees
//! reported, the size limit, progress. Branches in detail: `import_chatgpt_tree.rs`.

mod common;
#[path = "common/history.rs"]
mod history;

use std::path::{Path, PathBuf};

use common::TempDb;
use confab_core::store::Db;
use confab_core::store::entities::conversation::ConversationStatus;
use confab_core::store::entities::message::Role;
use confab_core::store::messages::Message;
use confab_core::store::{search, tree};
use confab_core::transfer::import::IMAGE_NOTE;
use confab_core::transfer::{
    ImportEvent, ImportKind, ImportLimits, ImportNote, ImportSummary, import_file,
};
use confab_core::{Error, ErrorCode};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

async fn import(db: &Db, path: &Path, kind: ImportKind) -> Result<ImportSummary, Error> {
    import_file(db.conn(), path, kind, ImportLimits::default(), |_| {}).await
}

/// The branch shown of `conversation`, oldest first.
async fn shown(db: &Db, conversation: &str) -> Vec<Message> {
    let (page, more) = tree::page(db.conn(), conversation, None, 50)
        .await
        .expect("page");
    assert!(!more);
    page
}

/// Rows in the tables an import writes.
async fn rows(db: &Db) -> (i64, i64) {
    (
        common::row_count(db, "conversations").await,
        common::row_count(db, "messages").await,
    )
}

#[tokio::test]
async fn chatgpt_export_imports_every_branch_and_shows_the_current_one() {
    let temp = TempDb::new().await;

    let summary = import(
        &temp.db,
        &fixture("chatgpt-conversations.json"),
        ImportKind::Chatgpt,
    )
    .await
    .expect("imported");

    // 5 + 4 on the branches shown, and 3 more on the others.
    assert_eq!((summary.conversations, summary.messages), (2, 12));
    assert_eq!(
        summary.notes,
        vec![
            ImportNote::ImagesSkipped { count: 1 },
            // The image tool call, its output, and a reasoning summary.
            ImportNote::NonTextSkipped { count: 3 },
            ImportNote::EmptySkipped { count: 1 },
        ]
    );
    let imported = history::snapshot(&temp.db).await;
    let (bread, bread_messages) = imported
        .iter()
        .find(|(c, _)| c.title == "Sourdough starter")
        .expect("first conversation");
    assert_eq!(bread.id, "6741b2c0-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
    assert_eq!(bread.status, ConversationStatus::Active);
    assert_eq!(bread.created_at, 1_714_567_889_623);
    assert_eq!(bread.updated_at, 1_714_571_522_023);
    assert_eq!(bread_messages.len(), 6);
    let bread_shown = shown(&temp.db, &bread.id).await;
    let texts: Vec<(Role, &str)> = bread_shown
        .iter()
        .map(|m| (m.role, m.content.as_str()))
        .collect();
    assert_eq!(texts.len(), 5);
    assert_eq!(
        texts[0],
        (
            Role::User,
            "How do I make a sourdough starter from scratch?"
        )
    );
    // The regenerated reply, second of two versions.
    assert!(
        texts[1]
            .1
            .starts_with("You need only **flour** and **water**.")
    );
    assert_eq!((bread_shown[1].version, bread_shown[1].versions), (2, 2));
    assert_eq!(
        texts[2],
        (
            Role::User,
            format!("{IMAGE_NOTE}\n\nIs my starter ready? Here is a photo from this morning.")
                .as_str()
        )
    );
    assert_eq!(texts[4].1, "Here is an illustration of a healthy starter.");
    let first = &bread_shown[0];
    assert_eq!((first.id.as_str(), first.seq), ("u-0001", 1));
    assert_eq!(first.created_at, 1_714_567_890_123);
    assert_eq!(bread_shown[1].meta.model.as_deref(), Some("gpt-4o"));
    assert_eq!(bread_shown[1].meta.finish_reason.as_deref(), Some("stop"));
    // The picture's reply hangs under the message before the tool call and its output.
    let seqs: Vec<i64> = bread_shown.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    assert_eq!(bread_shown[4].parent_id.as_deref(), Some("a-0002"));
    let first_answer = bread_messages
        .iter()
        .find(|m| m.id == "a-0001-old")
        .expect("the first answer, as a version");
    assert_eq!(
        (first_answer.parent_id.as_deref(), first_answer.seq),
        (Some("u-0001"), 2)
    );

    let (physics, physics_messages) = imported
        .iter()
        .find(|(c, _)| c.title == "量子纠缠")
        .expect("second conversation");
    assert_eq!(physics.status, ConversationStatus::Archived);
    assert_eq!(physics_messages.len(), 6);
    let physics_shown = shown(&temp.db, &physics.id).await;
    let texts: Vec<&str> = physics_shown.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(texts.len(), 4);
    assert_eq!(texts[0], "请用三句话解释量子纠缠。");
    assert_eq!(texts[2], "能举一个生活中的例子吗？");
    assert!(texts[3].starts_with("想象一双手套"));
    assert_eq!(physics_shown[3].meta.model.as_deref(), Some("o1"));
    // The edited question is the second version; the first is kept with its reply.
    assert_eq!(
        (physics_shown[2].version, physics_shown[2].versions),
        (2, 2)
    );
    let first_question = physics_messages
        .iter()
        .find(|m| m.content == "再简单一点")
        .expect("the first question, as a version");
    assert_eq!(
        (first_question.parent_id.as_deref(), first_question.seq),
        (Some("a-2001"), 3)
    );

    // Chinese text is searchable, on every branch; the hidden nodes are not there.
    let found = |query: &'static str| {
        let db = temp.db.clone();
        async move {
            search::search(db.conn(), query, 10)
                .await
                .expect("searched")
                .len()
        }
    };
    assert!(found("生活中的例子").await > 0);
    assert!(found("sourdough").await > 0);
    assert!(found("心灵感应").await > 0);
    assert!(found("first answer, regenerated").await > 0);
    assert_eq!(found("高中物理老师").await, 0);
}

#[tokio::test]
async fn a_broken_chatgpt_tree_is_reported_with_its_place() {
    let temp = TempDb::new().await;
    let before = rows(&temp.db).await;
    let document = serde_json::json!([
        {"title": "a", "current_node": "n2", "mapping": {
            "n1": {"id": "n1", "message": null, "parent": null, "children": []},
        }},
        {"title": "b", "current_node": "n2", "mapping": {
            "n2": {"id": "n2", "message": null, "parent": "n9", "children": []},
        }},
        {"title": "c", "current_node": "n1", "mapping": {
            "n1": {"id": "n1", "message": null, "parent": "n2", "children": []},
            "n2": {"id": "n2", "message": null, "parent": "n1", "children": []},
        }},
        {"title": "d"},
    ]);
    let path = temp.dir.path().join("tree.json");
    std::fs::write(&path, document.to_string()).expect("written");

    let message = import(&temp.db, &path, ImportKind::Chatgpt)
        .await
        .expect_err("broken")
        .to_string();

    for expected in [
        "[0].mapping: current_node \"n2\" is not in mapping",
        "[1].mapping: a node names the parent \"n9\", which is not in mapping",
        "[2].mapping: the parent links loop at node \"n1\"",
        "[3].mapping: is empty",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
    assert_eq!(rows(&temp.db).await, before);
}

#[tokio::test]
async fn a_file_over_the_size_limit_is_refused() {
    let temp = TempDb::new().await;
    let before = rows(&temp.db).await;
    let limits = ImportLimits {
        max_bytes: 4096,
        ..ImportLimits::default()
    };
    let path = fixture("chatgpt-conversations.json");

    let error = import_file(temp.db.conn(), &path, ImportKind::Chatgpt, limits, |_| {})
        .await
        .expect_err("too big");

    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert!(
        matches!(&error, Error::InvalidInput(p)
            if p == &[confab_core::Problem::limit("file", confab_core::Rule::TooLarge, 4096)]),
        "{error}"
    );
    assert_eq!(rows(&temp.db).await, before);
}

#[tokio::test]
async fn progress_runs_from_nothing_to_the_whole_file_then_saves() {
    let temp = TempDb::new().await;
    let path = fixture("chatgpt-conversations.json");
    let size = std::fs::metadata(&path).expect("fixture").len();
    let mut events = Vec::new();

    import_file(
        temp.db.conn(),
        &path,
        ImportKind::Chatgpt,
        ImportLimits::default(),
        |event| events.push(event),
    )
    .await
    .expect("imported");

    let Some(ImportEvent::Progress(first)) = events.first() else {
        panic!("no first progress: {events:?}");
    };
    // Reported before anything is written (the reader may be ahead already).
    assert_eq!(
        (first.total, first.conversations, first.messages),
        (size, 0, 0)
    );
    let progress: Vec<_> = events
        .iter()
        .filter_map(|event| match event {
            ImportEvent::Progress(progress) => Some(progress),
            ImportEvent::Saving => None,
        })
        .collect();
    assert!(
        progress
            .windows(2)
            .all(|p| p[0].done <= p[1].done && p[0].conversations <= p[1].conversations)
    );
    assert_eq!(events.last(), Some(&ImportEvent::Saving));
    let Some(ImportEvent::Progress(last)) = events.get(events.len() - 2) else {
        panic!("no last progress: {events:?}");
    };
    assert_eq!((last.done, last.total), (size, size));
    assert_eq!((last.conversations, last.messages), (2, 12));
}
