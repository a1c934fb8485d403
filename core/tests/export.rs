//! Exporting conversations to Markdown and Confab JSON, against a real SQLite file with the
//! real migrations.

mod common;
#[path = "common/history.rs"]
mod history;

use common::TempDb;
use confab_core::store::conversations;
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::MessageMeta;
use confab_core::transfer::{ConversationRecord, ExportFormat, MessageRecord, export_to_file};
use confab_core::{Error, ErrorCode};

fn read_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("export written");
    serde_json::from_str(&text).expect("the export is valid JSON")
}

#[tokio::test]
async fn json_export_carries_every_field_of_every_conversation() {
    let temp = TempDb::new().await;
    let ids = history::seed(&temp.db).await;
    let expected = history::snapshot(&temp.db).await;
    let path = temp.dir.path().join("all.json");

    let summary = export_to_file(temp.db.conn(), None, ExportFormat::Json, &path)
        .await
        .expect("exported");

    assert_eq!(summary.conversations, 3);
    assert_eq!(summary.messages, 12, "every version");
    assert_eq!(summary.bytes, std::fs::metadata(&path).expect("file").len());
    let document = read_json(&path);
    assert_eq!(document["format"], "confab-conversations");
    assert_eq!(document["version"], 1);
    assert!(document["exportedAt"].as_i64().expect("a time") > 0);
    let exported = document["conversations"].as_array().expect("a list");
    // Oldest first, whatever the pinned / archived state.
    let exported_ids: Vec<&str> = exported
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        exported_ids,
        ids.iter().map(String::as_str).collect::<Vec<_>>()
    );
    for item in exported {
        let mut head = item.clone();
        let messages = head
            .as_object_mut()
            .expect("object")
            .remove("messages")
            .expect("messages");
        let head: ConversationRecord = serde_json::from_value(head).expect("a record");
        let messages: Vec<MessageRecord> = serde_json::from_value(messages).expect("records");
        let (want_head, want_messages) = expected
            .iter()
            .find(|(c, _)| c.id == head.id)
            .expect("exported conversation exists");
        assert_eq!(&head, want_head);
        assert_eq!(&messages, want_messages);
    }
    let first = &exported[0];
    assert_eq!(first["agent"], "writer");
    assert_eq!(
        first["contextOverride"]["systemPrompt"],
        "Answer briefly.\nUse examples."
    );
    assert_eq!(first["messages"][1]["meta"]["firstTokenMs"], 230);
    assert_eq!(first["messages"][2]["inContext"], false);
    assert_eq!(exported[1]["status"], "archived");
    assert!(!temp.dir.path().join("all.json.partial").exists());
}

#[tokio::test]
async fn markdown_export_reads_as_a_transcript() {
    let temp = TempDb::new().await;
    let ids = history::seed(&temp.db).await;
    let path = temp.dir.path().join("one.md");

    let summary = export_to_file(
        temp.db.conn(),
        Some(&[ids[0].clone(), ids[1].clone()]),
        ExportFormat::Markdown,
        &path,
    )
    .await
    .expect("exported");

    assert_eq!((summary.conversations, summary.messages), (2, 8));
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(text.starts_with("# Rust lifetimes\n\n_Created "), "{text}");
    assert!(text.contains("agent `writer`"));
    assert!(text.contains("> Answer briefly.\n> Use examples."));
    assert!(text.contains("**Assistant** · `gpt-4o-mini` · "));
    assert!(text.contains("```rust\nfn f<'a>(x: &'a str) {}\n```"));
    assert!(text.contains("_not sent to the model_"));
    assert!(
        text.contains("_incomplete_") && text.contains("_failed_") && text.contains("_stopped_")
    );
    assert!(text.contains("\n---\n\n# 中文对话：模型比较\n"));
    assert!(text.contains("第一个模型支持 128K 上下文"));
    // The given order is kept.
    assert!(text.find("Rust lifetimes") < text.find("中文对话"));
}

#[tokio::test]
async fn long_conversations_are_read_in_pages_and_written_in_order() {
    let temp = TempDb::new().await;
    let conversation = conversations::create(temp.db.conn(), Some("long"))
        .await
        .expect("created");
    // More than two pages of 500.
    for i in 0..1_203 {
        let role = if i % 2 == 0 {
            Role::User
        } else {
            Role::Assistant
        };
        history::add(
            &temp.db,
            &conversation.id,
            role,
            &format!("message {i}"),
            MessageState::Complete,
            MessageMeta::default(),
        )
        .await;
    }
    let path = temp.dir.path().join("long.json");

    let summary = export_to_file(temp.db.conn(), None, ExportFormat::Json, &path)
        .await
        .expect("exported");

    assert_eq!(summary.messages, 1_203);
    let document = read_json(&path);
    let messages = document["conversations"][0]["messages"]
        .as_array()
        .expect("list");
    let texts: Vec<String> = messages
        .iter()
        .map(|m| m["content"].as_str().expect("text").to_string())
        .collect();
    let want: Vec<String> = (0..1_203).map(|i| format!("message {i}")).collect();
    assert_eq!(texts, want);
}

#[tokio::test]
async fn an_empty_history_exports_an_empty_list() {
    let temp = TempDb::new().await;
    let path = temp.dir.path().join("none.json");
    let summary = export_to_file(temp.db.conn(), None, ExportFormat::Json, &path)
        .await
        .expect("exported");
    assert_eq!(summary.conversations, 0);
    assert_eq!(read_json(&path)["conversations"], serde_json::json!([]));
}

#[tokio::test]
async fn an_unknown_conversation_fails_and_leaves_no_file() {
    let temp = TempDb::new().await;
    let ids = history::seed(&temp.db).await;
    let path = temp.dir.path().join("x.json");
    std::fs::write(&path, "keep me").expect("written");

    let error = export_to_file(
        temp.db.conn(),
        Some(&[ids[0].clone(), "nope".into()]),
        ExportFormat::Json,
        &path,
    )
    .await
    .expect_err("unknown id");

    assert!(matches!(error, Error::NotFound { .. }), "{error}");
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "keep me");
    assert!(!temp.dir.path().join("x.json.partial").exists());
}

#[tokio::test]
async fn a_folder_that_cannot_be_written_is_a_storage_error() {
    let temp = TempDb::new().await;
    history::seed(&temp.db).await;
    let path = temp.dir.path().join("missing-folder").join("x.md");
    let error = export_to_file(temp.db.conn(), None, ExportFormat::Markdown, &path)
        .await
        .expect_err("no such folder");
    assert!(matches!(error, Error::Storage { .. }), "{error}");
    assert_eq!(error.code(), ErrorCode::Internal);
}
