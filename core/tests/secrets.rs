//! API keys against the real OS keychain (on Linux: gnome-keyring's Secret Service; the test
//! command runs these inside a private D-Bus session, see scripts/with-keychain.sh), and the
//! proof that a key never reaches the database file or a log line.

mod common;

use std::sync::Arc;

use common::{Aimock, LogCapture, TempDb, engine, events_until_end, test_keychain};
use confab_core::chat::{ChatEvent, ChatSink};
use confab_core::providers::builtin;
use confab_core::secrets::{KeyStatus, Keychain, Secret};
use confab_core::store::conversations;
use confab_core::{Error, ErrorCode};
use serde_json::json;
use tokio::sync::mpsc;

#[test]
fn keys_are_set_read_replaced_and_deleted_in_the_os_keychain() {
    let keychain = test_keychain();
    // A new handle has nothing in memory: what it reads comes from the OS keychain.
    let os = || Keychain::new(keychain.service());
    let account = "provider:round-trip";
    assert_eq!(os().get(account).unwrap(), None, "nothing stored yet");

    let stored = keychain
        .set(account, &Secret::new("  sk-first-0001\n"))
        .unwrap();
    assert_eq!(
        stored.expose(),
        "sk-first-0001",
        "pasted whitespace is trimmed"
    );
    assert_eq!(
        os().get(account).unwrap().unwrap().expose(),
        "sk-first-0001"
    );

    keychain
        .set(account, &Secret::new("sk-second-0002"))
        .unwrap();
    let replaced = os().get(account).unwrap().unwrap();
    assert_eq!(replaced.expose(), "sk-second-0002");
    assert_eq!(
        KeyStatus::of(Some(&replaced)),
        KeyStatus {
            set: true,
            last4: Some("0002".into())
        }
    );

    assert_eq!(
        keychain.get(account).unwrap(),
        Some(replaced.clone()),
        "the handle remembers it"
    );
    keychain.delete(account).unwrap();
    assert_eq!(os().get(account).unwrap(), None);
    assert_eq!(
        keychain.get(account).unwrap(),
        None,
        "and forgets it on delete"
    );
    keychain
        .delete(account)
        .expect("deleting again is not an error");

    assert!(matches!(
        keychain.set(account, &Secret::new("   ")),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        keychain.set(account, &Secret::new("sk-\u{7}bell")),
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(
        os().get(account).unwrap(),
        None,
        "refused keys are not stored"
    );
}

#[tokio::test]
async fn the_key_never_reaches_the_database_file_or_the_logs() {
    let logs = LogCapture::install();

    const KEY: &str = "sk-confab-canary-7f3a9c1e5b";
    const WRONG_KEY: &str = "sk-confab-wrong-canary-4d2e8a";
    let fixtures =
        json!({"fixtures": [{"match": {"userMessage": "hello"}, "response": {"content": "Hi!"}}]});
    let server = Aimock::start_with_env(fixtures, &[("AIMOCK_API_KEYS", KEY)]);
    let temp = TempDb::new().await;

    // The right key: the provider accepts it, so the key really was sent.
    let keychain = test_keychain();
    common::set_builtin_key(&temp.db, &keychain, KEY).await;
    let engine_ok = engine(&temp.db, keychain.clone(), server.endpoint()).await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel::<ChatEvent>();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    engine_ok
        .send_message(&conversation.id, "hello", Vec::new(), sink)
        .await
        .unwrap();
    let events = events_until_end(&mut rx).await;
    assert!(
        matches!(events.last(), Some(ChatEvent::Done { .. })),
        "{:?}",
        events.last()
    );

    // A wrong key: refused, and the refusal is stored and logged without the key.
    let wrong = test_keychain();
    common::set_builtin_key(&temp.db, &wrong, WRONG_KEY).await;
    let engine_wrong = engine(&temp.db, wrong.clone(), server.endpoint()).await;
    let (tx, mut rx) = mpsc::unbounded_channel::<ChatEvent>();
    engine_wrong
        .send_message(&conversation.id, "hello", Vec::new(), Arc::new(tx))
        .await
        .unwrap();
    let events = events_until_end(&mut rx).await;
    assert!(
        matches!(
            events.last(),
            Some(ChatEvent::Error {
                code: ErrorCode::ProviderAuth,
                ..
            })
        ),
        "{:?}",
        events.last()
    );
    let events_json = serde_json::to_string(&events).unwrap();
    assert!(
        !events_json.contains(WRONG_KEY),
        "events sent to the UI carry no key"
    );

    let path = temp.path();
    temp.db.clone().close().await.unwrap();
    let mut stored = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        stored.extend(std::fs::read(&file).unwrap_or_default());
    }
    assert!(stored.len() > 4096, "the database file was read");
    let logs = logs.text();
    assert!(logs.contains("reply stored"), "the logs were captured");
    for key in [KEY, WRONG_KEY] {
        assert!(
            !contains(&stored, key.as_bytes()),
            "{key} found in the database files"
        );
        assert!(!logs.contains(key), "{key} found in the logs");
        assert!(
            !logs.to_lowercase().contains("bearer sk-"),
            "an Authorization header was logged"
        );
    }

    keychain.delete(&builtin::key_account()).unwrap();
    wrong.delete(&builtin::key_account()).unwrap();
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
