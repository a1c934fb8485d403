//! The log file: written daily into the log folder, at the level the settings give, and
//! never with a key in it, whatever path the key takes. Keys are planted in a real send
//! (OS keychain, aimock refusing the key), in error text, header dumps and URLs.
//!
//! One test: the subscriber is global to this test binary.

mod common;

use std::sync::Arc;

use common::{Aimock, TempDb, engine, events_until_end, test_keychain};
use confab_core::chat::{ChatEvent, ChatSink};
use confab_core::logging;
use confab_core::secrets::Secret;
use confab_core::store::conversations;
use serde_json::json;
use tokio::sync::mpsc;

const KEY: &str = "zq-live-key-5f1e9c3a7b";

fn log_text(dir: &std::path::Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("log dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert!(
            name.starts_with("confab.") && name.ends_with(".log"),
            "unexpected file {name}"
        );
        text.push_str(&std::fs::read_to_string(&path).expect("log file"));
    }
    text
}

#[tokio::test]
async fn no_key_reaches_the_log_file() {
    let root = tempfile::tempdir().expect("temp dir");
    // The log folder does not exist yet on a first start.
    let logs = root.path().join("app").join("logs");
    let guard = logging::init("debug", Some(&logs));

    // A real send with a key the server refuses: the error path logs what went wrong.
    let server = Aimock::start_with_env(json!({"fixtures": []}), &[("AIMOCK_API_KEYS", "other")]);
    let temp = TempDb::new().await;
    let keychain = test_keychain();
    common::set_builtin_key(&temp.db, &keychain, KEY).await;
    let engine = engine(&temp.db, keychain, server.endpoint()).await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel::<ChatEvent>();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    engine
        .send_message(&conversation.id, "hello", Vec::new(), sink)
        .await
        .unwrap();
    let events = events_until_end(&mut rx).await;
    assert!(
        matches!(events.last(), Some(ChatEvent::Error { .. })),
        "{events:?}"
    );

    // Careless code: every shape a key could be logged in.
    tracing::error!("provider said: Incorrect API key provided: {KEY}");
    tracing::warn!(url = %format!("https://api.test/v1/models?api_key={KEY}"), "request");
    tracing::debug!(headers = ?[("authorization", format!("Bearer {KEY}"))], "sending");
    tracing::info!("Authorization: Bearer {KEY}");
    tracing::info!("an unknown key shape sk-proj-Zx81kQ0aa11");
    tracing::info!(key = ?Secret::new(KEY), "a secret printed on purpose");
    tracing::debug!("visible at debug");

    logging::set_level("warn").expect("level changed");
    tracing::info!("hidden at warn");
    tracing::warn!("visible at warn");
    drop(guard);

    let text = log_text(&logs);
    assert!(!text.contains(KEY), "a key reached the log:\n{text}");
    assert!(!text.contains("sk-proj-Zx81kQ0aa11"), "{text}");
    assert!(
        text.matches("<redacted>").count() >= 6,
        "each planted key was blanked, not dropped:\n{text}"
    );
    assert!(
        text.contains("Incorrect API key provided: <redacted>"),
        "{text}"
    );
    assert!(text.contains("visible at debug") && text.contains("visible at warn"));
    assert!(
        !text.contains("hidden at warn"),
        "the new level applies at once"
    );
    assert!(!text.contains('\u{1b}'), "no colour codes in the file");
}
