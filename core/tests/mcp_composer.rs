//! What the composer takes from MCP servers: prompts (the `/` commands) and resources
//! attached like files, from the reference `server-everything` over stdio, through a real
//! `Api` on a real SQLite file.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::test_settings;
use common::tools::rig;
use confab_core::ErrorCode;
use confab_core::store::{blob_texts, blobs};
use confab_core::vocab::Part;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn prompts_become_text_for_the_composer() {
    let rig = rig(json!({"fixtures": []}), test_settings(), &[]).await;
    let prompts = rig.api().mcp_prompts(&rig.conversation).await.unwrap();
    let args = prompts
        .iter()
        .find(|prompt| prompt.name == "args-prompt")
        .unwrap_or_else(|| panic!("{prompts:?}"));
    assert_eq!(args.server_name, "everything");
    let required: Vec<(&str, bool)> = args
        .arguments
        .iter()
        .map(|argument| (argument.name.as_str(), argument.required))
        .collect();
    assert_eq!(required, [("city", true), ("state", false)]);

    let text = rig
        .api()
        .mcp_prompt_text(
            &rig.mcp_id,
            "args-prompt",
            BTreeMap::from([("city".to_string(), "Hangzhou".to_string())]),
        )
        .await
        .unwrap();
    assert_eq!(text, "What's weather in Hangzhou?");

    // The server's refusal (a required argument missing) is a typed error.
    let missing = rig
        .api()
        .mcp_prompt_text(&rig.mcp_id, "args-prompt", BTreeMap::new())
        .await
        .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::McpServer);

    // With the conversation's tools off, its servers offer nothing.
    rig.api()
        .set_conversation_tools(&rig.conversation, false)
        .await
        .unwrap();
    assert!(
        rig.api()
            .mcp_prompts(&rig.conversation)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        rig.api()
            .mcp_resources(&rig.conversation)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn resources_are_attached_like_files() {
    let rig = rig(json!({"fixtures": []}), test_settings(), &[]).await;
    let resources = rig.api().mcp_resources(&rig.conversation).await.unwrap();
    let doc = resources
        .iter()
        .find(|resource| resource.name == "features.md")
        .unwrap_or_else(|| panic!("{resources:?}"));
    assert_eq!(doc.mime.as_deref(), Some("text/markdown"));

    let part = rig
        .api()
        .attach_mcp_resource("r1", &rig.mcp_id, &doc.uri, &doc.name)
        .await
        .unwrap();
    let Part::File { sha256, name, .. } = &part else {
        panic!("a document: {part:?}");
    };
    assert_eq!(name, "features.md");
    let text = blob_texts::get(rig.temp.db.conn(), sha256)
        .await
        .unwrap()
        .unwrap();
    assert!(
        text.text.contains("Everything"),
        "{}",
        &text.text[..200.min(text.text.len())]
    );

    // A blob resource arrives as base64 and is read by its bytes.
    let blob = rig
        .api()
        .attach_mcp_resource(
            "r2",
            &rig.mcp_id,
            "demo://resource/dynamic/blob/1",
            "blob-1.txt",
        )
        .await
        .unwrap();
    let Part::File { sha256, .. } = &blob else {
        panic!("a document: {blob:?}");
    };
    assert!(blobs::get(rig.temp.db.conn(), sha256).await.is_ok());

    // An unknown resource, or a server that is off, is a typed error.
    let unknown = rig
        .api()
        .attach_mcp_resource("r3", &rig.mcp_id, "demo://nothing/here", "x")
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), ErrorCode::McpServer);
    rig.api()
        .set_mcp_server_enabled(&rig.mcp_id, false)
        .await
        .unwrap();
    let off = rig
        .api()
        .attach_mcp_resource("r4", &rig.mcp_id, &doc.uri, &doc.name)
        .await
        .unwrap_err();
    assert_eq!(off.code(), ErrorCode::McpServer);
}
