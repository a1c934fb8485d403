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

#[tokio::test(flavor = "multi_thread")]
async fn progress_images_timeout_and_cancel() {
    let db = common::TempDb::new().await;
    let keychain = common::test_keychain();
    let hub = mcp::hub(&db.db, &keychain);
    let id = mcp::add_everything(&db.db, &keychain).await;
    let long = Duration::from_secs(30);

    let (sender, mut updates) = tokio::sync::mpsc::unbounded_channel();
    let done = hub
        .call(
            &id,
            "trigger-long-running-operation",
            args(json!({"duration": 2, "steps": 4})),
            long,
            CancellationToken::new(),
            Some(sender),
        )
        .await;
    assert!(!done.is_error, "{}", done.text);
    let mut seen = Vec::new();
    while let Ok(update) = updates.try_recv() {
        seen.push(update);
    }
    assert!(seen.len() >= 3, "{seen:?}");
    assert_eq!(seen.last().unwrap().total, Some(4.0));

    let image = hub
        .call(
            &id,
            "get-tiny-image",
            args(json!({})),
            long,
            CancellationToken::new(),
            None,
        )
        .await;
    assert!(!image.is_error, "{}", image.text);
    let (mime, bytes) = &image.images[0];
    assert_eq!(mime, "image/png");
    assert!(bytes.starts_with(b"\x89PNG"));

    let started = std::time::Instant::now();
    let slow = hub
        .call(
            &id,
            "trigger-long-running-operation",
            args(json!({"duration": 30, "steps": 30})),
            Duration::from_secs(1),
            CancellationToken::new(),
            None,
        )
        .await;
    assert!(
        slow.is_error && slow.text.contains("within 1 s"),
        "{}",
        slow.text
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    let cancel = CancellationToken::new();
    let stopper = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        stopper.cancel();
    });
    let started = std::time::Instant::now();
    let cancelled = hub
        .call(
            &id,
            "trigger-long-running-operation",
            args(json!({"duration": 30, "steps": 30})),
            long,
            cancel,
            None,
        )
        .await;
    assert!(
        cancelled.is_error && cancelled.text.contains("cancelled"),
        "{}",
        cancelled.text
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // The server is still up and answers after both.
    let echoed = hub
        .call(
            &id,
            "echo",
            args(json!({"message": "still here"})),
            long,
            CancellationToken::new(),
            None,
        )
        .await;
    assert_eq!(echoed.text, "Echo: still here");
    assert_eq!(hub.status(&id), McpStatus::Running);
    hub.shutdown().await;
}
