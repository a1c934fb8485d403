//! Test harness: a real SQLite file with the real migrations, and aimock — a real
//! OpenAI-compatible server (`@copilotkit/aimock`, installed by `npm ci`) — on 127.0.0.1.
//! For what aimock cannot send (garbled chunks, endless lines, redirects, extreme headers),
//! [`hostile`] is a scriptable server in the test process.

#![allow(dead_code)] // each test binary uses a part of it
#![allow(clippy::unwrap_used)] // a harness that cannot set up should panic

pub mod aimock;
pub mod hostile;
pub mod knowledge;
pub mod mcp;
pub mod rows;
pub mod stream;
pub mod tools;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use confab_core::chat::{ChatEngine, ChatEvent, EngineConfig, RetryPolicy};
use confab_core::llm::Endpoint;
use confab_core::providers::{self, builtin, builtin::BuiltinEnv};
use confab_core::secrets::{Keychain, Secret};
use confab_core::settings::Settings;
use confab_core::store::Db;
use sea_orm::{ConnectionTrait, Statement};
use tempfile::TempDir;
use tokio::sync::mpsc;

pub use aimock::{Aimock, repo_root};

/// A database file in its own temporary directory (removed on drop).
pub struct TempDb {
    pub db: Db,
    pub dir: TempDir,
}

impl TempDb {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        // The app's way in: open, then seed the rows every database has.
        let db = confab_core::startup::open_db(&dir.path().join("confab.db"))
            .await
            .unwrap();
        Self { db, dir }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("confab.db")
    }
}

/// The number of rows in `table`.
pub async fn row_count(db: &Db, table: &str) -> i64 {
    let row = db
        .conn()
        .query_one_raw(Statement::from_string(
            db.conn().get_database_backend(),
            format!("SELECT count(*) FROM {table}"),
        ))
        .await
        .expect("query runs")
        .expect("one row");
    row.try_get_by_index(0).expect("an integer")
}

/// A keychain service name no other test (or the real app) uses.
pub fn test_keychain() -> Keychain {
    Keychain::new(format!("confab-test-{}", uuid::Uuid::new_v4()))
}

/// Settings for tests: no generated titles (they would be a second request per reply),
/// and no automatic resume: these tests pin what a cut reply looks like when it is not
/// resumed (`hostile_resume.rs` tests resuming). The built-in provider is the default one.
pub fn test_settings() -> Settings {
    Settings {
        auto_resume: 0,
        ..untitled_settings()
    }
}

/// The default settings without generated titles (a title is a second request per reply).
pub fn untitled_settings() -> Settings {
    Settings {
        auto_title: false,
        ..builtin_settings()
    }
}

/// The default settings, as after a real start: the built-in provider is the default one.
pub fn builtin_settings() -> Settings {
    Settings {
        default_provider_id: Some(builtin::ID.into()),
        ..Settings::default()
    }
}

/// Product timings, but short retry delays so fault tests run in seconds.
pub fn test_config() -> EngineConfig {
    EngineConfig {
        retry: RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_millis(200),
        },
        ..EngineConfig::default()
    }
}

/// An engine whose replies go to `endpoint`: the built-in provider is pointed there the way
/// start-up does it (as `CONFAB_BASE_URL` / `CONFAB_MODEL` would), without a key; a test
/// that needs one stores it with [`set_builtin_key`].
pub async fn engine(db: &Db, keychain: Keychain, endpoint: Endpoint) -> Arc<ChatEngine> {
    engine_with(db, keychain, endpoint, test_settings(), test_config()).await
}

/// [`engine`] with these settings and its own keychain.
pub async fn engine_with_settings(
    db: &Db,
    endpoint: Endpoint,
    settings: Settings,
) -> Arc<ChatEngine> {
    engine_with(db, test_keychain(), endpoint, settings, test_config()).await
}

/// [`engine`] with these settings; the built-in provider is their default provider when
/// they name none, as after a real start.
pub async fn engine_with(
    db: &Db,
    keychain: Keychain,
    endpoint: Endpoint,
    mut settings: Settings,
    config: EngineConfig,
) -> Arc<ChatEngine> {
    let env = BuiltinEnv {
        base_url: Some(endpoint.base_url),
        model: Some(endpoint.model),
        api_key: None,
    };
    builtin::ensure(db.conn(), &keychain, env).await.unwrap();
    settings
        .default_provider_id
        .get_or_insert_with(|| builtin::ID.into());
    let engine = ChatEngine::new(db.clone(), keychain, settings, config);
    Arc::new(engine.unwrap())
}

/// Stores `key` as the built-in provider's key (in the real keychain).
pub async fn set_builtin_key(db: &Db, keychain: &Keychain, key: &str) {
    providers::set_api_key(db.conn(), keychain, builtin::ID, Secret::new(key))
        .await
        .unwrap();
}

/// Collects a stream's events until its `Done` or `Error` (or fails after 30 s).
pub async fn events_until_end(rx: &mut mpsc::UnboundedReceiver<ChatEvent>) -> Vec<ChatEvent> {
    let mut events = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("the stream ended within 30 s")
            .expect("the engine keeps the sink until the stream ends");
        let last = matches!(event, ChatEvent::Done { .. } | ChatEvent::Error { .. });
        events.push(event);
        if last {
            return events;
        }
    }
}

/// The text of all `Delta` events, joined.
pub fn streamed_text(events: &[ChatEvent]) -> String {
    events
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Delta { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// Captures every log line of this test binary, at every level, from its first use.
/// Call once per test binary (it installs the global subscriber).
#[derive(Clone, Default)]
pub struct LogCapture(Arc<std::sync::Mutex<Vec<u8>>>);

impl LogCapture {
    pub fn install() -> Self {
        let logs = Self::default();
        let writer = logs.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .init();
        logs
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer")).into_owned()
    }
}

impl std::io::Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Each problem of an `invalid_input` error as `(path, rule)`; empty for any other error.
pub fn problems_of(error: &confab_core::Error) -> Vec<(String, confab_core::Rule)> {
    match error {
        confab_core::Error::InvalidInput(problems) => {
            problems.iter().map(|p| (p.path.clone(), p.rule)).collect()
        }
        _ => Vec::new(),
    }
}

/// The one problem of an `invalid_input` error, as `(path, rule)`.
pub fn problem_of(error: &confab_core::Error) -> (String, confab_core::Rule) {
    let mut all = problems_of(error);
    assert_eq!(all.len(), 1, "one problem expected: {error}");
    all.remove(0)
}

/// The parameters of the one problem of an `invalid_input` error.
pub fn params_of(error: &confab_core::Error) -> confab_core::ProblemParams {
    match error {
        confab_core::Error::InvalidInput(problems) if problems.len() == 1 => {
            problems[0].params.clone()
        }
        other => panic!("one problem expected: {other}"),
    }
}
