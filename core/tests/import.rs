//! Importing Confab JSON and ChatGPT's conversations.json, against a real SQLite file with
//! the real migrations: lossless round trip (the branch shown too), all or nothing.

mod common;
#[path = "common/history.rs"]
mod history;

use std::path::{Path, PathBuf};

use common::TempDb;
use confab_core::store::entities::message::Role;
use confab_core::store::messages::{self, NewMessage, Parent};
use confab_core::store::{Db, branches, conversations, search, tree};
use confab_core::transfer::{
    ExportFormat, ImportKind, ImportLimits, ImportNote, ImportSummary, export_to_file, import_file,
};
use confab_core::{Error, ErrorCode};

async fn import(db: &Db, path: &Path, kind: ImportKind) -> Result<ImportSummary, Error> {
    import_file(db.conn(), path, kind, ImportLimits::default(), |_| {}).await
}

/// Rows in the tables an import writes.
async fn rows(db: &Db) -> (i64, i64) {
    (
        common::row_count(db, "conversations").await,
        common::row_count(db, "messages").await,
    )
}

async fn exported(temp: &TempDb) -> PathBuf {
    let path = temp.dir.path().join("export.json");
    export_to_file(temp.db.conn(), None, ExportFormat::Json, &path)
        .await
        .expect("exported");
    path
}

#[tokio::test]
async fn export_then_import_reproduces_every_field() {
    let source = TempDb::new().await;
    history::seed(&source.db).await;
    let file = exported(&source).await;
    let target = TempDb::new().await;
    history::create_writer_agent(&target.db).await;

    let summary = import(&target.db, &file, ImportKind::Confab)
        .await
        .expect("imported");

    assert_eq!((summary.conversations, summary.messages), (3, 12));
    assert_eq!(summary.notes, vec![]);
    assert_eq!(
        history::snapshot(&target.db).await,
        history::snapshot(&source.db).await
    );
    // The search index follows the imported rows.
    for query in ["lifetime parameter", "上下文"] {
        let hits = search::search(target.db.conn(), query, 10)
            .await
            .expect("searched");
        assert!(!hits.is_empty(), "{query} not found after import");
    }
}

/// The contents of the branch shown of `conversation`, oldest first.
async fn shown(db: &Db, conversation: &str) -> Vec<String> {
    let (page, _) = tree::page(db.conn(), conversation, None, 50)
        .await
        .expect("page");
    page.into_iter().map(|m| m.content).collect()
}

#[tokio::test]
async fn the_branch_shown_stays_the_chosen_one_at_each_fork_after_a_round_trip() {
    let source = TempDb::new().await;
    let conn = source.db.conn();
    let chat = conversations::create(conn, Some("forks"))
        .await
        .expect("created");
    let add = |parent: Option<String>, role: Role, text: &'static str| {
        let chat = chat.id.clone();
        async move {
            let mut new = NewMessage::text(&chat, role, text);
            if let Some(parent) = &parent {
                new.parent = Parent::Under(Some(parent));
            }
            messages::append(conn, new).await.expect("added").id
        }
    };
    let question = add(None, Role::User, "q").await;
    let reply = add(None, Role::Assistant, "a").await;
    let follow_up = add(None, Role::User, "f").await;
    add(Some(reply.clone()), Role::User, "f, edited").await;
    add(Some(question), Role::Assistant, "a, again").await;
    // The first versions at both forks, though newer ones were written after them.
    branches::show(conn, &follow_up).await.expect("shown");
    let file = exported(&source).await;
    let target = TempDb::new().await;

    import(&target.db, &file, ImportKind::Confab)
        .await
        .expect("imported");

    assert_eq!(shown(&target.db, &chat.id).await, ["q", "a", "f"]);
    let again = branches::switch_version(target.db.conn(), &reply, 1)
        .await
        .expect("switched");
    assert_eq!(shown(&target.db, &chat.id).await, ["q", "a, again"]);
    branches::switch_version(target.db.conn(), &again.id, -1)
        .await
        .expect("switched back");
    assert_eq!(shown(&target.db, &chat.id).await, ["q", "a", "f"]);
}

#[tokio::test]
async fn an_agent_missing_here_leaves_the_conversation_without_one_and_says_so() {
    let source = TempDb::new().await;
    history::seed(&source.db).await;
    let file = exported(&source).await;
    let target = TempDb::new().await;

    let summary = import(&target.db, &file, ImportKind::Confab)
        .await
        .expect("imported");

    assert_eq!(
        summary.notes,
        vec![ImportNote::AgentMissing {
            agent: "writer".into(),
            count: 1
        }]
    );
    let imported = history::snapshot(&target.db).await;
    assert!(imported.iter().all(|(c, _)| c.agent.is_none()));
}

#[tokio::test]
async fn importing_the_same_file_again_adds_nothing() {
    let temp = TempDb::new().await;
    history::seed(&temp.db).await;
    let file = exported(&temp).await;
    let before = rows(&temp.db).await;

    let summary = import(&temp.db, &file, ImportKind::Confab)
        .await
        .expect("imported");

    assert_eq!((summary.conversations, summary.messages), (0, 0));
    assert_eq!(summary.notes, vec![ImportNote::AlreadyPresent { count: 3 }]);
    assert_eq!(rows(&temp.db).await, before);
}

#[tokio::test]
async fn a_file_that_breaks_off_writes_nothing() {
    let temp = TempDb::new().await;
    history::seed(&temp.db).await;
    let text = std::fs::read_to_string(exported(&temp).await).expect("read");
    // A fresh database, so nothing is "already present": the cut is the only problem.
    let target = TempDb::new().await;
    history::seed(&target.db).await;
    let before = rows(&target.db).await;
    let cut = target.dir.path().join("cut.json");
    std::fs::write(&cut, &text[..text.len() * 2 / 3]).expect("written");

    let error = import(&target.db, &cut, ImportKind::Confab)
        .await
        .expect_err("malformed");

    assert_eq!(error.code(), ErrorCode::InvalidInput);
    let message = error.to_string();
    assert!(
        message.contains("not valid JSON") && message.contains("line"),
        "{message}"
    );
    assert_eq!(rows(&target.db).await, before);
}

#[tokio::test]
async fn another_version_or_format_is_refused_before_anything_is_read() {
    let temp = TempDb::new().await;
    let before = rows(&temp.db).await;
    let cases = [
        (
            r#"{"format":"confab-conversations","version":2,"conversations":[{"messages":[]}]}"#,
            ImportKind::Confab,
            "the file is version 2; this app reads version 1",
        ),
        (
            r#"{"format":"confab-agents","version":1,"agents":[]}"#,
            ImportKind::Confab,
            "not a Confab conversations file",
        ),
        (r#"[{"mapping":{}}]"#, ImportKind::Confab, "is it ChatGPT's"),
        (
            r#"{"format":"confab-conversations","version":1,"conversations":[]}"#,
            ImportKind::Chatgpt,
            "is it a Confab file?",
        ),
        (
            r#"{"format":"confab-conversations","version":1,"conversations":[]}"#,
            ImportKind::Confab,
            "the file has no conversations",
        ),
        ("", ImportKind::Chatgpt, "not valid JSON"),
    ];
    for (text, kind, expected) in cases {
        let path = temp.dir.path().join("file.json");
        std::fs::write(&path, text).expect("written");
        let error = import(&temp.db, &path, kind).await.expect_err(text);
        assert_eq!(error.code(), ErrorCode::InvalidInput);
        assert!(error.to_string().contains(expected), "{error}");
    }
    assert_eq!(rows(&temp.db).await, before);
}

#[tokio::test]
async fn every_problem_is_listed_with_its_place_and_nothing_is_written() {
    let temp = TempDb::new().await;
    history::seed(&temp.db).await;
    let before = rows(&temp.db).await;
    let document = serde_json::json!({
        "format": "confab-conversations",
        "version": 1,
        "conversations": [
            {"title": "fine", "messages": [{"role": "user", "content": "good"}]},
            {"title": "bad roles", "messages": [
                {"role": "robot", "content": "x"},
                {"role": "user", "content": "ok"},
                {"role": "assistant"},
            ]},
            {"pinned": "yes", "messages": [
                {"seq": 5, "role": "user", "content": "a"},
                {"seq": 3, "role": "assistant", "content": "b"},
            ]},
            {"id": "not an id!", "messages": "none"},
        ]
    });
    let path = temp.dir.path().join("bad.json");
    std::fs::write(&path, document.to_string()).expect("written");

    let error = import(&temp.db, &path, ImportKind::Confab)
        .await
        .expect_err("problems");

    let problems = common::problems_of(&error);
    assert_eq!(problems.len(), 6, "{error}");
    assert_eq!(
        problems[1],
        (
            "conversations[1].messages[2].content".to_string(),
            confab_core::Rule::Required
        )
    );
    let message = error.to_string();
    for expected in [
        "conversations[1].messages[0].role: unknown variant `robot`",
        "conversations[1].messages[2].content: is empty",
        "conversations[2].pinned: invalid type: string \"yes\", expected a boolean",
        "conversations[2].messages: seq must increase: 3 follows 5",
        "conversations[3].id: \"not an id!\" is not an id",
        "conversations[3].messages: expected a list, found a string",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
    assert_eq!(
        rows(&temp.db).await,
        before,
        "the good conversation is not kept"
    );
}

#[tokio::test]
async fn a_copied_conversation_gets_new_message_ids() {
    let temp = TempDb::new().await;
    history::seed(&temp.db).await;
    let path = exported(&temp).await;
    let mut document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    for (i, conversation) in document["conversations"]
        .as_array_mut()
        .expect("list")
        .iter_mut()
        .enumerate()
    {
        conversation["id"] = format!("copy-{i}").into();
    }
    std::fs::write(&path, document.to_string()).expect("written");
    let (conversations, messages) = rows(&temp.db).await;

    let summary = import(&temp.db, &path, ImportKind::Confab)
        .await
        .expect("imported");

    assert_eq!((summary.conversations, summary.messages), (3, 12));
    assert_eq!(rows(&temp.db).await, (conversations * 2, messages * 2));
    let copies = history::snapshot(&temp.db).await;
    let (copy, copy_messages) = copies.iter().find(|(c, _)| c.id == "copy-0").expect("copy");
    let (original, original_messages) = copies
        .iter()
        .find(|(c, _)| c.title == copy.title && c.id != copy.id)
        .expect("original");
    assert_eq!(copy.created_at, original.created_at);
    for (a, b) in copy_messages.iter().zip(original_messages) {
        assert_ne!(a.id, b.id);
        assert_eq!(
            (a.seq, &a.content, a.created_at),
            (b.seq, &b.content, b.created_at)
        );
    }
}
