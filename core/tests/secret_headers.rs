//! Secret extra headers against the real OS keychain (run under scripts/with-keychain.sh),
//! a real SQLite file and aimock on 127.0.0.1: the value reaches the server, and nothing
//! else — not the database file, a backup, an export, the log or what the provider
//! functions return.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use common::{Aimock, LogCapture, TempDb, events_until_end, test_keychain};
use confab_core::agents::{self, AgentInput};
use confab_core::chat::{ChatEvent, ChatSink};
use confab_core::providers::{self, ProviderInput};
use confab_core::store::backup;
use confab_core::store::conversations;
use confab_core::transfer::{ExportFormat, export_to_file};
use confab_core::{Error, ErrorCode, Problem};
use serde_json::json;
use tokio::sync::mpsc;

const AZURE_KEY: &str = "azure-header-value-5a9d41";
const TENANT: &str = "tenant-secret-value-77c3";

fn contains(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// The database file and its write-ahead log.
fn db_files(path: &Path) -> Vec<std::path::PathBuf> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    vec![path.to_path_buf(), wal.into()]
}

/// A one-request HTTP server on 127.0.0.1 that answers an empty model list and hands back
/// the request head it received.
fn recording_server() -> (String, std::thread::JoinHandle<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("test set-up");
    let base_url = format!("http://{}/v1", listener.local_addr().expect("test set-up"));
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("test set-up");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).expect("test set-up") == 1 {
            head.push(byte[0]);
        }
        let body = r#"{"data":[]}"#;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("test set-up");
        String::from_utf8_lossy(&head).into_owned()
    });
    (base_url, handle)
}

#[tokio::test]
async fn secret_headers_reach_the_server_and_nowhere_else() {
    let logs = LogCapture::install();
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "hi"}, "response": {"content": "Hello."}}
    ]}));
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let keychain = test_keychain();
    let input = ProviderInput {
        name: "Azure gateway".into(),
        base_url: server.base_url(),
        default_model: "gpt-4o-mini".into(),
        // `api-key` is not marked: its name alone makes it secret.
        extra_headers: BTreeMap::from([
            ("X-Title".into(), "Confab".into()),
            ("api-key".into(), AZURE_KEY.into()),
        ]),
        secret_headers: BTreeMap::from([("X-Tenant".into(), Some(TENANT.into()))]),
        ..ProviderInput::default()
    };
    let created = providers::create(db, &keychain, &input).await.unwrap();
    assert_eq!(
        created.extra_headers,
        BTreeMap::from([("X-Title".to_string(), "Confab".to_string())])
    );
    assert_eq!(
        created.secret_headers["api-key"].last4.as_deref(),
        Some("9d41")
    );
    assert!(created.secret_headers["X-Tenant"].set);

    // Saved again without retyping: the stored values stay.
    let kept = ProviderInput {
        extra_headers: BTreeMap::from([("X-Title".into(), "Confab".into())]),
        secret_headers: BTreeMap::from([("api-key".into(), None), ("X-Tenant".into(), None)]),
        ..input.clone()
    };
    let updated = providers::update(db, &keychain, &created.id, &kept)
        .await
        .unwrap();
    assert_eq!(updated.secret_headers, created.secret_headers);
    let listed = providers::list(db, &keychain).await.unwrap();
    for returned in [
        serde_json::to_string(&created).unwrap(),
        serde_json::to_string(&updated).unwrap(),
        serde_json::to_string(&listed).unwrap(),
        format!("{input:?} {kept:?}"),
    ] {
        assert!(
            !returned.contains(AZURE_KEY) && !returned.contains(TENANT),
            "{returned}"
        );
    }

    let agent = agents::create(
        db,
        AgentInput {
            agent_id: "azure".into(),
            provider_id: Some(created.id.clone()),
            ..AgentInput::default()
        },
    )
    .await
    .unwrap();
    let conversation = conversations::create_with_agent(db, None, Some(&agent.id))
        .await
        .unwrap();
    let engine = common::engine(&temp.db, keychain.clone(), server.endpoint()).await;
    let (tx, mut rx) = mpsc::unbounded_channel::<ChatEvent>();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    engine
        .send_message(&conversation.id, "hi", Vec::new(), sink)
        .await
        .unwrap();
    let events = events_until_end(&mut rx).await;
    assert!(
        matches!(events.last(), Some(ChatEvent::Done { .. })),
        "{events:?}"
    );
    let journal = server.journal().await;
    let request = &journal.as_array().unwrap()[0];
    // aimock masks `api-key` in its journal; that it is there shows it was sent.
    assert!(request.pointer("/headers/api-key").is_some(), "{request}");
    assert_eq!(request.pointer("/headers/x-tenant"), Some(&json!(TENANT)));
    assert_eq!(request.pointer("/headers/x-title"), Some(&json!("Confab")));
    // A server of our own sees every value: the model list, after a save that kept them.
    let (base_url, received) = recording_server();
    let moved = ProviderInput {
        base_url: base_url.clone(),
        ..kept.clone()
    };
    providers::update(db, &keychain, &created.id, &moved)
        .await
        .unwrap();
    providers::list_models(db, &keychain, &created.id)
        .await
        .unwrap();
    let head = received.join().unwrap().to_ascii_lowercase();
    assert!(head.contains(&format!("api-key: {AZURE_KEY}")), "{head}");
    assert!(head.contains(&format!("x-tenant: {TENANT}")), "{head}");

    let dir = temp.dir.path();
    let copy = backup::copy_to(db, &dir.join("chosen.db")).await.unwrap();
    let markdown = dir.join("all.md");
    let json_export = dir.join("all.json");
    export_to_file(db, None, ExportFormat::Markdown, &markdown)
        .await
        .unwrap();
    export_to_file(db, None, ExportFormat::Json, &json_export)
        .await
        .unwrap();
    let mut files = db_files(&temp.path());
    files.extend([Path::new(&copy.path).to_path_buf(), markdown, json_export]);
    for file in &files {
        for secret in [AZURE_KEY, TENANT] {
            assert!(!contains(file, secret), "{secret} is in {}", file.display());
        }
    }
    let log = logs.text();
    assert!(!log.contains(AZURE_KEY) && !log.contains(TENANT), "{log}");

    // Deleting the provider removes the values from the keychain.
    agents::delete(db, &agent.id).await.unwrap();
    providers::delete(db, &keychain, &created.id).await.unwrap();
    for name in ["api-key", "x-tenant"] {
        let account = format!("provider:{}:header:{name}", created.id);
        assert_eq!(keychain.get(&account).unwrap(), None, "{account}");
    }
}

#[tokio::test]
async fn a_new_secret_header_needs_a_value_and_a_missing_one_is_a_clear_error() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let keychain = test_keychain();
    let input = ProviderInput {
        name: "P".into(),
        base_url: "https://p.test/v1".into(),
        default_model: "m".into(),
        secret_headers: BTreeMap::from([("X-Token".into(), None)]),
        ..ProviderInput::default()
    };
    match providers::create(db, &keychain, &input).await {
        Err(Error::InvalidInput(problems)) => {
            assert_eq!(problems, [Problem::required("headers.X-Token")]);
        }
        other => panic!("expected a missing value, got {other:?}"),
    }
    let stored = providers::create(
        db,
        &keychain,
        &ProviderInput {
            secret_headers: BTreeMap::from([("X-Token".into(), Some("tok-0123456".into()))]),
            ..input.clone()
        },
    )
    .await
    .unwrap();
    // The keychain entry removed behind the app's back: saying so beats a request without it.
    keychain
        .delete(&format!("provider:{}:header:x-token", stored.id))
        .unwrap();
    let error = providers::list_models(db, &keychain, &stored.id)
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Keychain, "{error}");
    assert!(error.to_string().contains("X-Token"), "{error}");
}

/// The schema before secret headers had a column of their own.
struct BeforeSecretHeaders;

impl migrations::MigratorTrait for BeforeSecretHeaders {
    fn migrations() -> Vec<Box<dyn migrations::MigrationTrait>> {
        migrations::Migrator::migrations()
            .into_iter()
            .take_while(|m| m.name() != "m20261207_000012_provider_secret_headers")
            .collect()
    }
}

#[tokio::test]
async fn plain_values_from_an_older_version_move_to_the_keychain() {
    use sea_orm::ConnectionTrait;
    const OLD_KEY: &str = "ocp-subscription-value-3e8b10";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("confab.db");
    let old = confab_core::store::Db::open_with::<BeforeSecretHeaders>(&path)
        .await
        .unwrap();
    old.conn()
        .execute_unprepared(&format!(
            "INSERT INTO providers (id, name, base_url, default_model, extra_headers, created_at, updated_at)
             VALUES ('p-old', 'Old', 'https://old.test/v1', 'm',
                     '{{\"X-Title\":\"Confab\",\"Ocp-Apim-Subscription-Key\":\"{OLD_KEY}\"}}', 1, 1)"
        ))
        .await
        .unwrap();
    old.close().await.unwrap();
    assert!(
        contains(&path, OLD_KEY),
        "the old row is really in the file"
    );

    // Opening upgrades the schema (copying the file to a backup first), then the start-up
    // step moves the value.
    let db = confab_core::store::Db::open(&path).await.unwrap();
    let backups = backup::list(&path).unwrap();
    assert_eq!(backups.len(), 1);
    assert!(contains(Path::new(&backups[0].path), OLD_KEY));
    let keychain = test_keychain();
    assert_eq!(
        providers::move_plain_secrets(db.conn(), &keychain)
            .await
            .unwrap(),
        1
    );
    assert_eq!(providers::scrub_backups(&path).await.unwrap(), 1);
    assert_eq!(
        providers::move_plain_secrets(db.conn(), &keychain)
            .await
            .unwrap(),
        0,
        "moved once"
    );

    let provider = providers::get(db.conn(), &keychain, "p-old").await.unwrap();
    assert_eq!(
        provider.extra_headers,
        BTreeMap::from([("X-Title".to_string(), "Confab".to_string())])
    );
    assert_eq!(
        provider.secret_headers["Ocp-Apim-Subscription-Key"]
            .last4
            .as_deref(),
        Some("8b10")
    );
    let account = "provider:p-old:header:ocp-apim-subscription-key";
    assert_eq!(keychain.get(account).unwrap().unwrap().expose(), OLD_KEY);
    let mut files = db_files(&path);
    files.push(Path::new(&backups[0].path).to_path_buf());
    for file in &files {
        assert!(
            !contains(file, OLD_KEY),
            "{} still holds it",
            file.display()
        );
    }
    db.close().await.unwrap();
    assert!(!contains(&path, OLD_KEY));
    keychain.delete(account).unwrap();
}
