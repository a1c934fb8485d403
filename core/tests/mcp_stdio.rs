//! The MCP hub against the reference `server-everything` over stdio: tools listed and
//! called, progress, images, timeout, cancel.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::mcp;
use confab_core::mcp::McpStatus;
use serde_json::json;
use tokio_util::sync::CancellationToken;

fn args(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    value.as_object().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn tools_are_listed_and_called() {
    let db = common::TempDb::new().await;
    let keychain = common::test_keychain();
    let hub = mcp::hub(&db.db, &keychain);
    let id = mcp::add_everything(&db.db, &keychain).await;
    assert_eq!(hub.status(&id), McpStatus::Stopped);

    let tools = hub.tools(&[id.clone(), "unknown".to_string()]).await;
    let names: Vec<&str> = tools.iter().map(|tool| tool.name.as_str()).collect();
    assert!(
        names.contains(&"echo") && names.contains(&"get-sum"),
        "{names:?}"
    );
    assert!(
        tools
            .iter()
            .all(|tool| tool.server_id == id && tool.server_name == "everything")
    );
    let echo = tools.iter().find(|tool| tool.name == "echo").unwrap();
    assert_eq!(echo.input_schema["type"], "object");
    assert_eq!(hub.status(&id), McpStatus::Running);

    let timeout = Duration::from_secs(20);
    let echoed = hub
        .call(
            &id,
            "echo",
            args(json!({"message": "héllo"})),
            timeout,
            CancellationToken::new(),
            None,
        )
        .await;
    assert!(!echoed.is_error, "{}", echoed.text);
    assert_eq!(echoed.text, "Echo: héllo");
    let sum = hub
        .call(
            &id,
            "get-sum",
            args(json!({"a": 2, "b": 40})),
            timeout,
            CancellationToken::new(),
            None,
        )
        .await;
    assert!(!sum.is_error && sum.text.contains("42"), "{}", sum.text);

    let unknown = hub
        .call(
            &id,
            "no-such-tool",
            args(json!({})),
            timeout,
            CancellationToken::new(),
            None,
        )
        .await;
    assert!(unknown.is_error, "{}", unknown.text);
    let bad_arguments = hub
        .call(
            &id,
            "get-sum",
            args(json!({"a": "x"})),
            timeout,
            CancellationToken::new(),
            None,
        )
        .await;
    assert!(bad_arguments.is_error, "{}", bad_arguments.text);

    let pid = hub.pid(&id).await.unwrap();
    hub.shutdown().await;
    #[cfg(target_os = "linux")]
    assert!(!mcp::alive(pid), "the server outlived the shutdown");
    let _ = pid;
    let after = hub
        .call(
            &id,
            "echo",
            args(json!({"message": "x"})),
            timeout,
            CancellationToken::new(),
            None,
        )
        .await;
    assert!(after.is_error);
}
