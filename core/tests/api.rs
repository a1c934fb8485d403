//! The rules the app's commands follow, through `confab_core::api` as the app calls it: a
//! real database file, the real keychain and aimock.

mod common;
#[path = "common/history.rs"]
mod history;

use std::sync::Arc;
use std::time::Duration;

use common::{Aimock, TempDb, events_until_end, test_config, test_keychain, test_settings};
use confab_core::api::{self, Api, MAX_PAGE, OPEN_PAGE, StartConfig, StartError};
use confab_core::chat::{ChatEvent, ChatSink, ContextOverride};
use confab_core::llm::Endpoint;
use confab_core::providers::builtin::{self, BuiltinEnv};
use confab_core::secrets::Secret;
use confab_core::startup::StartupState;
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::MessageMeta;
use confab_core::{Error, ErrorCode};
use history::add;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use tokio::sync::mpsc;

const SLOW_REPLY: &str = "a slow reply that goes on word by word for quite a while, long \
    enough that it is still streaming when the test acts on its conversation";

fn slow_server() -> Aimock {
    Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "slow"}, "response": {"content": SLOW_REPLY},
         "streamingProfile": {"ttft": 200, "tps": 10}},
    ]}))
}

/// An api whose built-in provider (the default one) sends to `endpoint`.
async fn api_on(temp: &TempDb, endpoint: Endpoint) -> Api {
    let keychain = test_keychain();
    let env = BuiltinEnv {
        base_url: Some(endpoint.base_url),
        model: Some(endpoint.model),
        api_key: None,
    };
    builtin::ensure(temp.db.conn(), &keychain, env)
        .await
        .expect("built-in provider");
    Api::new(temp.db.clone(), keychain, test_settings(), test_config()).expect("api")
}

/// An endpoint nothing listens on: for tests that send no request.
fn unreachable() -> Endpoint {
    Endpoint {
        base_url: "http://127.0.0.1:9/v1".into(),
        model: "none".into(),
    }
}

fn sink() -> (Arc<dyn ChatSink>, mpsc::UnboundedReceiver<ChatEvent>) {
    let (tx, rx) = mpsc::unbounded_channel::<ChatEvent>();
    (Arc::new(tx), rx)
}

#[tokio::test]
async fn nothing_a_conversation_sends_changes_while_its_reply_streams() {
    let server = slow_server();
    let temp = TempDb::new().await;
    let api = api_on(&temp, server.endpoint()).await;
    let id = api.create_conversation(Some("busy")).await.unwrap().id;
    let (events, mut rx) = sink();
    api.send_message(&id, "slow", Vec::new(), events)
        .await
        .unwrap();
    let user = api.get_conversation(&id).await.unwrap().messages[0].clone();

    let busy = [
        api.edit_message(&user.id, "changed").await.map(drop),
        api.delete_message(&user.id).await.map(drop),
        api.set_message_in_context(&user.id, false).await.map(drop),
        api.set_context_override(&id, ContextOverride::default())
            .await
            .map(drop),
    ];
    for refused in busy {
        assert_eq!(refused.unwrap_err().code(), ErrorCode::Busy);
    }
    let stored = api.get_conversation(&id).await.unwrap();
    assert_eq!(stored.messages[0].content, "slow", "nothing was changed");
    assert!(stored.messages[0].in_context);

    events_until_end(&mut rx).await;
    let edited = api.edit_message(&user.id, "changed").await.unwrap();
    assert_eq!(edited.content, "changed", "idle once the reply is stored");
}

#[tokio::test]
async fn deleting_a_conversation_stops_its_reply_first() {
    let server = slow_server();
    let temp = TempDb::new().await;
    let api = api_on(&temp, server.endpoint()).await;
    let id = api.create_conversation(None).await.unwrap().id;
    let (events, mut rx) = sink();
    api.send_message(&id, "slow", Vec::new(), events)
        .await
        .unwrap();
    assert_eq!(api.list_active_streams().len(), 1);

    api.delete_conversation(&id).await.unwrap();
    let end = events_until_end(&mut rx).await;
    // Deleted before its first text (aimock waits 200 ms): a reply left running would
    // stream on until its next checkpoint found the conversation gone.
    let deltas = end
        .iter()
        .filter(|event| matches!(event, ChatEvent::Delta { .. }))
        .count();
    assert!(
        deltas <= 1,
        "the reply was stopped, not streamed on: {end:?}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(api.list_active_streams().is_empty());
    let gone = api.get_conversation(&id).await.unwrap_err();
    assert_eq!(gone.code(), ErrorCode::NotFound);
    let left = temp
        .db
        .conn()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?",
            [id.clone().into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(left, 0, "no message of the deleted conversation was stored");
}

#[tokio::test]
async fn pages_are_clamped_and_a_conversation_opens_with_its_latest_page() {
    let temp = TempDb::new().await;
    let api = api_on(&temp, unreachable()).await;
    let id = api.create_conversation(Some("long")).await.unwrap().id;
    let total = i64::from(MAX_PAGE) + OPEN_PAGE as i64 + 5;
    for n in 0..total {
        let role = if n % 2 == 0 {
            Role::User
        } else {
            Role::Assistant
        };
        let text = format!("message {n}");
        add(
            &temp.db,
            &id,
            role,
            &text,
            MessageState::Complete,
            MessageMeta::default(),
        )
        .await;
    }

    let opened = api.get_conversation(&id).await.unwrap();
    assert_eq!(opened.messages.len() as u64, OPEN_PAGE);
    assert!(opened.has_more);
    assert_eq!(
        opened.messages.last().unwrap().content,
        format!("message {}", total - 1)
    );
    let first = opened.messages[0].clone();

    let huge = api.list_messages(&id, &first.id, u32::MAX).await.unwrap();
    assert_eq!(
        huge.messages.len(),
        MAX_PAGE as usize,
        "clamped to the most"
    );
    assert!(huge.has_more);
    let none = api.list_messages(&id, &first.id, 0).await.unwrap();
    assert_eq!(none.messages.len(), 1, "clamped to at least one");
    assert_eq!(none.messages[0].seq, first.seq - 1);
    assert_eq!(
        first.parent_id.as_deref(),
        Some(none.messages[0].id.as_str())
    );
}

#[tokio::test]
async fn start_up_fills_the_builtin_provider_and_keeps_the_cause_of_a_failure() {
    let temp = TempDb::new().await;
    let keychain = test_keychain();
    let config = |base_url: &str| StartConfig {
        keychain: keychain.clone(),
        environment: BuiltinEnv {
            base_url: Some(base_url.into()),
            model: Some("local-model".into()),
            api_key: Some(Secret::new("sk-from-the-environment-7890")),
        },
        engine: test_config(),
    };

    let api = Api::start(temp.db.clone(), config("http://127.0.0.1:9/v1"))
        .await
        .unwrap();
    let status = api.get_provider_key_status(builtin::ID).await.unwrap();
    assert_eq!(status.last4.as_deref(), Some("7890"));
    let provider = api.get_provider(builtin::ID).await.unwrap();
    assert_eq!(provider.default_model, "local-model");
    assert!(api.keychain_check().await.reachable);
    api.clear_provider_api_key(builtin::ID).await.unwrap();

    let failed = Api::start(temp.db.clone(), config("ftp://example.com"))
        .await
        .err();
    let Some(StartError::Environment(cause)) = failed else {
        panic!("an address that is no web address is refused at start: {failed:?}");
    };
    assert!(matches!(cause, Error::InvalidInput(_)), "{cause:?}");

    // The app's path: the same failure leaves the recovery state, with the cause named.
    let (storage, api) = api::open(&temp.path(), config("ftp://example.com")).await;
    assert!(api.is_none());
    let status = storage.startup_status();
    assert!(matches!(
        status.state,
        StartupState::RecoveryNeeded {
            code: ErrorCode::Internal
        }
    ));
    assert!(
        status.message.contains("CONFAB_BASE_URL"),
        "{}",
        status.message
    );
}

#[tokio::test]
async fn a_file_that_is_no_database_opens_in_the_recovery_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("confab.db");
    std::fs::write(&path, vec![0x5a_u8; 64 * 1024]).unwrap();
    let config = StartConfig {
        keychain: test_keychain(),
        environment: BuiltinEnv::default(),
        engine: test_config(),
    };
    let (storage, api) = api::open(&path, config).await;
    assert!(api.is_none());
    assert!(matches!(
        storage.startup_status().state,
        StartupState::RecoveryNeeded { .. }
    ));
    let refused = storage.backup_database(None).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Internal);
    let report = dir.path().join("report.json");
    let facts = api::AppFacts {
        app_version: "0.0.0-test".into(),
        log_dir: None,
    };
    storage
        .export_diagnostics(None, facts, &report)
        .await
        .unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["keychain"]["reachable"], false);
}

#[tokio::test]
async fn a_running_app_reports_a_reachable_keychain() {
    let temp = TempDb::new().await;
    let config = StartConfig {
        keychain: test_keychain(),
        environment: BuiltinEnv::default(),
        engine: test_config(),
    };
    let (storage, api) = api::open(&temp.path(), config).await;
    let api = api.expect("the app starts on a good database");
    assert!(matches!(storage.startup_status().state, StartupState::Ok));
    let backup = storage.backup_database(None).await.unwrap();
    assert_eq!(storage.list_backups().unwrap().first(), Some(&backup));
    let report = temp.dir.path().join("report.json");
    let facts = api::AppFacts {
        app_version: "0.0.0-test".into(),
        log_dir: None,
    };
    storage
        .export_diagnostics(Some(&api), facts, &report)
        .await
        .unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["keychain"]["reachable"], true, "{report}");
}

#[tokio::test]
async fn saved_settings_are_in_force_at_once() {
    let server = slow_server();
    let temp = TempDb::new().await;
    let api = api_on(&temp, server.endpoint()).await;
    let one_at_a_time = confab_core::settings::Settings {
        max_concurrent_streams: 1,
        ..test_settings()
    };
    api.set_settings(one_at_a_time).await.unwrap();

    let first = api.create_conversation(None).await.unwrap().id;
    let second = api.create_conversation(None).await.unwrap().id;
    let (events, mut rx1) = sink();
    api.send_message(&first, "slow", Vec::new(), events)
        .await
        .unwrap();
    let (events, mut rx2) = sink();
    api.send_message(&second, "slow", Vec::new(), events)
        .await
        .unwrap();
    let waited = events_until_end(&mut rx2).await;
    events_until_end(&mut rx1).await;
    assert!(
        waited.iter().any(|event| matches!(
            event,
            ChatEvent::Queued {
                reason: confab_core::chat::QueueReason::Concurrency
            }
        )),
        "the second reply waited for the one slot: {waited:?}"
    );
    assert_eq!(api.concurrency().1, 1, "never two requests at once");
}
