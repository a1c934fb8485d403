//! Tool steps leave with an export and come back with an import: a real reply that ran a
//! tool of the reference MCP `server-everything` (aimock for the model), exported as Confab
//! JSON and as Markdown, imported into another database.

#![allow(clippy::unwrap_used)]

mod common;

use common::tools::{answer_after, calls, rig, shape};
use common::{TempDb, events_until_end, test_settings};
use confab_core::transfer::{ExportFormat, ImportKind, ImportLimits, export_to_file, import_file};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn tool_steps_survive_export_and_import() {
    let rig = rig(
        json!({"fixtures": [
            calls("Sum 2 and 40", &[("call_sum", "get-sum", r#"{"a":2,"b":40}"#)]),
            answer_after("call_sum", "It is 42."),
        ]}),
        test_settings(),
        &["get-sum"],
    )
    .await;
    let (_, mut rx) = rig.send("Sum 2 and 40").await;
    events_until_end(&mut rx).await;
    let before = rig.stored().await;
    assert_eq!(shape(&before[1].parts)[0], "call:get-sum");

    let ids = [rig.conversation.clone()];
    let file = rig.temp.dir.path().join("out.json");
    export_to_file(rig.temp.db.conn(), Some(&ids), ExportFormat::Json, &file)
        .await
        .unwrap();
    let other = TempDb::new().await;
    import_file(
        other.db.conn(),
        &file,
        ImportKind::Confab,
        ImportLimits::default(),
        |_| {},
    )
    .await
    .unwrap();
    let conversations = confab_core::store::conversations::list(
        other.db.conn(),
        &confab_core::store::conversations::ConversationQuery::active(10),
    )
    .await
    .unwrap();
    let after = common::stream::stored(&other.db, &conversations[0].id).await;
    assert_eq!(
        after[1].parts, before[1].parts,
        "the steps, their ids and results"
    );

    let md = rig.temp.dir.path().join("out.md");
    export_to_file(rig.temp.db.conn(), Some(&ids), ExportFormat::Markdown, &md)
        .await
        .unwrap();
    let text = std::fs::read_to_string(md).unwrap();
    assert!(
        text.contains("**Tool** `get-sum` (`everything`) · ok"),
        "{text}"
    );
    assert!(text.contains("\"a\": 2"), "{text}");
    assert!(text.contains("It is 42."), "{text}");
}
