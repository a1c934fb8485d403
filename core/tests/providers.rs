//! Providers against a real SQLite file, the real OS keychain (run under
//! scripts/with-keychain.sh) and aimock on 127.0.0.1.

mod common;

use std::collections::BTreeMap;

use common::hostile::{Answer, Body, Hostile, send};
use common::{Aimock, LogCapture, TempDb, test_keychain};
use confab_core::agents::{self, AgentInput};
use confab_core::providers::{self, ProviderInput, builtin};
use confab_core::secrets::{KeyStatus, Secret};
use confab_core::{Error, ErrorCode};
use serde_json::json;

fn input(name: &str, base_url: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        base_url: base_url.into(),
        default_model: "gpt-4o-mini".into(),
        ..ProviderInput::default()
    }
}

#[tokio::test]
async fn providers_are_created_listed_updated_and_deleted() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let keychain = test_keychain();
    let mut local = input("  Local  ", "http://127.0.0.1:11434/v1/");
    local.extra_headers = BTreeMap::from([("X-Title".into(), "Confab".into())]);
    let created = providers::create(db, &keychain, &local).await.unwrap();
    assert_eq!(created.name, "Local");
    assert_eq!(created.base_url, "http://127.0.0.1:11434/v1");
    assert_eq!(created.extra_headers["X-Title"], "Confab");
    assert!(!created.key_set);

    let other = providers::create(
        db,
        &keychain,
        &input("Another", "https://api.example.com/v1"),
    )
    .await
    .unwrap();
    let names: Vec<_> = providers::list(db, &keychain)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    // Every database has the built-in provider too.
    assert_eq!(names, ["Another", "Built-in", "Local"]);

    let renamed = providers::update(
        db,
        &keychain,
        &created.id,
        &input("Renamed", "https://x.test/v1"),
    )
    .await
    .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.base_url.as_str()),
        ("Renamed", "https://x.test/v1")
    );
    assert!(renamed.extra_headers.is_empty());
    assert_eq!(
        providers::get(db, &keychain, &created.id).await.unwrap(),
        renamed
    );

    providers::delete(db, &keychain, &other.id).await.unwrap();
    assert!(matches!(
        providers::get(db, &keychain, &other.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        providers::delete(db, &keychain, &other.id).await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn invalid_providers_are_refused_with_the_field_named() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let keychain = test_keychain();
    let cases = [
        (input("", "https://a.test/v1"), "name"),
        (input(&"n".repeat(101), "https://a.test/v1"), "name"),
        (input("A", "ftp://a.test/v1"), "baseUrl"),
        (input("A", "a.test/v1"), "baseUrl"),
        (
            ProviderInput {
                default_model: String::new(),
                ..input("A", "https://a.test/v1")
            },
            "defaultModel",
        ),
        (
            ProviderInput {
                extra_headers: BTreeMap::from([("authorization".into(), "Bearer x".into())]),
                ..input("A", "https://a.test/v1")
            },
            "headers.authorization",
        ),
        (
            ProviderInput {
                extra_headers: BTreeMap::from([("Cookie".into(), "s=1".into())]),
                ..input("A", "https://a.test/v1")
            },
            "headers.Cookie",
        ),
    ];
    for (bad, field) in cases {
        match providers::create(db, &keychain, &bad).await {
            Err(Error::InvalidInput(problems)) => {
                let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
                assert_eq!(paths, [field], "{problems:?}");
            }
            other => panic!("{field}: expected invalid input, got {other:?}"),
        }
    }
    let ids: Vec<_> = providers::list(db, &keychain)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, [builtin::ID], "none of them was stored");
}

#[tokio::test]
async fn a_provider_used_by_agents_cannot_be_deleted() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let keychain = test_keychain();
    let provider = providers::create(db, &keychain, &input("Busy one", "https://a.test/v1"))
        .await
        .unwrap();
    for slug in ["writer", "coder"] {
        agents::create(
            db,
            AgentInput {
                agent_id: slug.into(),
                provider_id: Some(provider.id.clone()),
                ..AgentInput::default()
            },
        )
        .await
        .unwrap();
    }
    let error = providers::delete(db, &keychain, &provider.id)
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InUse);
    assert_eq!(
        error.to_string(),
        "provider \"Busy one\" is still used by agents coder, writer; change or delete them first"
    );
    assert!(providers::get(db, &keychain, &provider.id).await.is_ok());
}

#[tokio::test]
async fn keys_live_in_the_keychain_per_provider_and_nowhere_else() {
    let logs = LogCapture::install();

    const KEY_A: &str = "sk-provider-canary-a-91b2";
    const KEY_B: &str = "sk-provider-canary-b-77c4";
    let server = Aimock::start_with_env(json!({"fixtures": []}), &[("AIMOCK_API_KEYS", KEY_A)]);
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let keychain = test_keychain();
    let a = providers::create(db, &keychain, &input("A", &server.base_url()))
        .await
        .unwrap();
    let b = providers::create(db, &keychain, &input("B", "https://b.test/v1"))
        .await
        .unwrap();

    let status = providers::set_api_key(db, &keychain, &a.id, Secret::new(format!(" {KEY_A}\n")))
        .await
        .unwrap();
    assert_eq!(
        status,
        KeyStatus {
            set: true,
            last4: Some("91b2".into())
        }
    );
    providers::set_api_key(db, &keychain, &b.id, Secret::new(KEY_B))
        .await
        .unwrap();
    let account_a = format!("provider:{}", a.id);
    assert_eq!(keychain.get(&account_a).unwrap().unwrap().expose(), KEY_A);
    assert_eq!(
        providers::key_status(db, &keychain, &b.id)
            .await
            .unwrap()
            .last4,
        Some("77c4".into())
    );
    assert!(providers::get(db, &keychain, &a.id).await.unwrap().key_set);

    // The stored key is the one sent: aimock accepts only KEY_A.
    let report = providers::test_connection(db, &keychain, &a.id)
        .await
        .unwrap();
    assert!(!report.models.is_empty());

    let key_ref: Option<String> = {
        use sea_orm::{ConnectionTrait, Statement};
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                "SELECT key_ref FROM providers WHERE id = ?",
                [a.id.clone().into()],
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index(0).unwrap()
    };
    assert_eq!(key_ref.as_deref(), Some(account_a.as_str()));

    let cleared = providers::clear_api_key(db, &keychain, &a.id)
        .await
        .unwrap();
    assert_eq!(cleared, KeyStatus::of(None));
    assert_eq!(keychain.get(&account_a).unwrap(), None);
    assert!(!providers::get(db, &keychain, &a.id).await.unwrap().key_set);
    // Without the key the same server refuses: the UI is told to add one.
    let refused = providers::test_connection(db, &keychain, &a.id)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::NoApiKey);

    // Deleting a provider removes its key too.
    providers::delete(db, &keychain, &b.id).await.unwrap();
    assert_eq!(keychain.get(&format!("provider:{}", b.id)).unwrap(), None);

    let exported = agents::export(db, &[]).await.unwrap();
    let path = temp.path();
    temp.db.clone().close().await.unwrap();
    let mut stored = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        stored.extend(std::fs::read(format!("{}{suffix}", path.display())).unwrap_or_default());
    }
    assert!(stored.len() > 4096, "the database file was read");
    let logs = logs.text();
    for key in [KEY_A, KEY_B] {
        assert!(
            !stored.windows(key.len()).any(|w| w == key.as_bytes()),
            "{key} found in the database files"
        );
        assert!(!logs.contains(key), "{key} found in the logs");
        assert!(!exported.contains(key), "{key} found in an export");
    }
}

#[tokio::test]
async fn test_connection_lists_models_or_says_what_is_wrong() {
    let server = Aimock::start(json!({"fixtures": []}));
    let guarded = Aimock::start_with_env(json!({"fixtures": []}), &[("AIMOCK_API_KEYS", "right")]);
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let keychain = test_keychain();

    let open = providers::create(db, &keychain, &input("Open", &server.base_url()))
        .await
        .unwrap();
    let report = providers::test_connection(db, &keychain, &open.id)
        .await
        .unwrap();
    let ids: Vec<_> = report.models.iter().map(|m| m.id.as_str()).collect();
    assert!(ids.contains(&"gpt-4o"), "{ids:?}");
    assert!(ids.windows(2).all(|w| w[0] <= w[1]), "sorted");
    assert_eq!(
        providers::list_models(db, &keychain, &open.id)
            .await
            .unwrap(),
        report.models
    );

    let locked = providers::create(db, &keychain, &input("Locked", &guarded.base_url()))
        .await
        .unwrap();
    providers::set_api_key(db, &keychain, &locked.id, Secret::new("wrong"))
        .await
        .unwrap();
    let error = providers::test_connection(db, &keychain, &locked.id)
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProviderAuth, "{error}");
    assert!(error.to_string().contains("401"), "{error}");
    providers::clear_api_key(db, &keychain, &locked.id)
        .await
        .unwrap();

    // A port nobody listens on.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = providers::create(
        db,
        &keychain,
        &input("Nobody", &format!("http://127.0.0.1:{closed_port}/v1")),
    )
    .await
    .unwrap();
    let error = providers::test_connection(db, &keychain, &refused.id)
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Network, "{error}");
    assert!(error.to_string().contains("cannot connect"), "{error}");

    // A server that answers, but not with a model list (the journal is JSON, not a list).
    let wrong_path = providers::create(
        db,
        &keychain,
        &input("Wrong path", &format!("http://127.0.0.1:{}/", server.port)),
    )
    .await
    .unwrap();
    let error = providers::test_connection(db, &keychain, &wrong_path.id)
        .await
        .unwrap_err();
    assert!(
        matches!(error.code(), ErrorCode::Provider | ErrorCode::ModelNotFound),
        "{error}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_provider_error() {
    // 200 with an HTML page at /v1/models, as a captive portal or a web page in place of an
    // API would answer.
    let server = Hostile::start(|_, _| {
        Answer::new(200, Body::Steps(vec![send("<html>Welcome</html>")]))
            .header("content-type", "text/html")
    })
    .await;
    let port = server.addr.port();
    let http = confab_core::llm::http_client().unwrap();
    let error = providers::fetch_models(
        &http,
        &format!("http://127.0.0.1:{port}/v1"),
        &BTreeMap::new(),
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Provider, "{error}");
    assert!(error.to_string().contains("<html>Welcome"), "{error}");

    let bad_url = providers::fetch_models(&http, "not a url", &BTreeMap::new(), None)
        .await
        .unwrap_err();
    assert_eq!(bad_url.code(), ErrorCode::InvalidInput);
}
