//! The hub against a server that misbehaves (`tests/fixtures/mcp/hostile.mjs`): crashes
//! mid-call and restarts with backoff, floods stdout, sends a 50 MB result, is given
//! secrets; and no server outlives its hub.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::mcp;
use confab_core::mcp::{McpStatus, manage};
use serde_json::json;
use tokio_util::sync::CancellationToken;

async fn call(
    hub: &confab_core::mcp::McpHub,
    id: &str,
    tool: &str,
    args: serde_json::Value,
) -> confab_core::mcp::McpOutcome {
    let args = args.as_object().unwrap().clone();
    hub.call(
        id,
        tool,
        args,
        Duration::from_secs(20),
        CancellationToken::new(),
        None,
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_mid_call_is_an_error_then_the_server_restarts_after_a_backoff() {
    let db = common::TempDb::new().await;
    let keychain = common::test_keychain();
    let hub = mcp::hub(&db.db, &keychain);
    let id = mcp::add(
        &db.db,
        &keychain,
        "hostile",
        &[&mcp::fixture("hostile.mjs")],
    )
    .await;
    assert_eq!(hub.tools(std::slice::from_ref(&id)).await.len(), 6);
    let first = hub.pid(&id).await.unwrap();

    let crashed = call(&hub, &id, "crash", json!({})).await;
    assert!(
        crashed.is_error && crashed.text.contains("stopped"),
        "{}",
        crashed.text
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let McpStatus::Crashed { restarts: 1, .. } = hub.status(&id) else {
        panic!("{:?}", hub.status(&id));
    };
    // During the backoff a call says so at once.
    let waiting = call(&hub, &id, "env", json!({})).await;
    assert!(
        waiting.is_error && waiting.text.contains("restarts in"),
        "{}",
        waiting.text
    );
    assert!(
        hub.log(&id).iter().any(|line| line.contains("exited")),
        "{:?}",
        hub.log(&id)
    );

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while hub.status(&id) != McpStatus::Running {
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            hub.status(&id)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let second = hub.pid(&id).await.unwrap();
    assert_ne!(first, second);
    let back = call(&hub, &id, "stderr", json!({"text": "hi"})).await;
    assert!(!back.is_error, "{}", back.text);

    // The second crash in a row waits twice as long.
    call(&hub, &id, "crash", json!({})).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let McpStatus::Crashed {
        restarts: 2,
        next_retry_ms,
    } = hub.status(&id)
    else {
        panic!("{:?}", hub.status(&id));
    };
    let wait = next_retry_ms - confab_core::store::now_ms();
    assert!((300..=600).contains(&wait), "{wait}");
    hub.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn floods_and_a_50_mb_result_stay_bounded() {
    let db = common::TempDb::new().await;
    let keychain = common::test_keychain();
    let hub = mcp::hub(&db.db, &keychain);
    let id = mcp::add(
        &db.db,
        &keychain,
        "hostile",
        &[&mcp::fixture("hostile.mjs")],
    )
    .await;

    let flood = call(&hub, &id, "flood", json!({})).await;
    assert_eq!(flood.text, "survived the flood");
    let log = hub.log(&id);
    assert!(
        log.len() <= 200 && log.iter().any(|l| l.contains("garbage line 999")),
        "{log:?}"
    );
    assert!(log.iter().all(|line| line.len() <= 2100));

    let started = std::time::Instant::now();
    let huge = call(&hub, &id, "huge", json!({"mb": 50})).await;
    let limit = mcp::test_config().max_result_bytes;
    assert!(huge.text.len() < limit + 200, "{}", huge.text.len());
    assert!(huge.text.starts_with("0123456789abcdef"));
    assert!(
        huge.text.contains("bytes more cut"),
        "{}",
        &huge.text[huge.text.len() - 100..]
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    // A result over the limit but under the line cap is cut the same way.
    let mid = call(&hub, &id, "huge", json!({"mb": 2})).await;
    assert!(mid.text.len() < limit + 200 && mid.text.contains("bytes more cut"));
    assert_eq!(hub.status(&id), McpStatus::Running);
    hub.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_reach_the_server_but_not_the_database_the_log_or_confab_variables() {
    let db = common::TempDb::new().await;
    let keychain = common::test_keychain();
    let hub = mcp::hub(&db.db, &keychain);
    let secret = "ghp-very-secret-value-4242";
    let input = mcp::stdio_input(
        "hostile",
        &[&mcp::fixture("hostile.mjs")],
        &[
            ("GITHUB_TOKEN", secret, false),
            ("REGION", "eu-west", false),
        ],
    );
    let id = manage::create(&db.db, &keychain, &input).await.unwrap();

    let env = call(&hub, &id, "env", json!({})).await;
    let env: serde_json::Value = serde_json::from_str(&env.text).unwrap();
    assert_eq!(env["GITHUB_TOKEN"], secret);
    assert_eq!(env["REGION"], "eu-west");
    assert!(
        env.as_object()
            .unwrap()
            .keys()
            .all(|name| !name.starts_with("CONFAB_"))
    );
    assert!(env.get("PATH").is_some());

    call(
        &hub,
        &id,
        "stderr",
        json!({"text": format!("token={secret}")}),
    )
    .await;
    let log = hub.log(&id).join("\n");
    assert!(log.contains("token=") && !log.contains(secret), "{log}");

    let view = manage::get(&db.db, &keychain, &hub, &id).await.unwrap();
    assert!(!format!("{view:?}").contains(secret));
    hub.shutdown().await;
    db.db.conn().close_by_ref().await.unwrap();
    for file in std::fs::read_dir(db.dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap_or_default();
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "the secret is in a database file");
    }
}
