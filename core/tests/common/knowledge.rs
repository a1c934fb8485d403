//! A rig for knowledge bases: a real `Api` on a real SQLite file, a folder of documents in
//! a temporary directory, and optionally aimock as the embeddings (and chat) provider.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use confab_core::api::Api;
use confab_core::knowledge::{KnowledgeBase, KnowledgeBaseInput, KnowledgeProgress, RunState};
use confab_core::providers::builtin::{self, BuiltinEnv};
use tempfile::TempDir;

use super::{Aimock, TempDb, test_config, test_keychain, test_settings};

pub struct Rig {
    pub temp: TempDb,
    pub api: Api,
    pub docs: TempDir,
    pub server: Option<Aimock>,
    pub keychain: confab_core::secrets::Keychain,
}

impl Rig {
    /// An api with the built-in provider at `server` (when given), and an empty folder.
    pub async fn new(server: Option<Aimock>) -> Self {
        Self::with_settings(server, test_settings()).await
    }

    /// [`Rig::new`] with these settings.
    pub async fn with_settings(
        server: Option<Aimock>,
        settings: confab_core::settings::Settings,
    ) -> Self {
        let base_url = server.as_ref().map(Aimock::base_url);
        Self::build(server, base_url, settings).await
    }

    /// An api with the built-in provider at `base_url` (a server the test runs itself).
    pub async fn at(base_url: String) -> Self {
        Self::build(None, Some(base_url), test_settings()).await
    }

    async fn build(
        server: Option<Aimock>,
        base_url: Option<String>,
        settings: confab_core::settings::Settings,
    ) -> Self {
        let temp = TempDb::new().await;
        let keychain = test_keychain();
        let env = BuiltinEnv {
            base_url,
            model: Some("gpt-4o-mini".into()),
            api_key: None,
        };
        builtin::ensure(temp.db.conn(), &keychain, env)
            .await
            .unwrap();
        let api = Api::new(temp.db.clone(), keychain.clone(), settings, test_config()).unwrap();
        Self {
            temp,
            api,
            docs: tempfile::tempdir().unwrap(),
            server,
            keychain,
        }
    }

    pub fn folder(&self) -> &Path {
        self.docs.path()
    }

    /// Writes `body` to `name` under the folder (its parents made); the path.
    pub fn write(&self, name: &str, body: impl AsRef<[u8]>) -> PathBuf {
        let path = self.folder().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, body).unwrap();
        path
    }

    /// A knowledge base searched by keyword only (no provider).
    pub async fn keyword_base(&self, name: &str) -> KnowledgeBase {
        self.api
            .create_knowledge_base(&input(name, None))
            .await
            .unwrap()
    }

    /// A knowledge base embedded by the built-in provider with `model`.
    pub async fn embedded_base(&self, name: &str, model: &str) -> KnowledgeBase {
        let mut input = input(name, Some(builtin::ID));
        input.embedding_model = model.into();
        self.api.create_knowledge_base(&input).await.unwrap()
    }

    /// Waits until nothing runs for `kb_id` (or fails after 60 s); the last progress.
    pub async fn settle(&self, kb_id: &str) -> KnowledgeProgress {
        let started = Instant::now();
        loop {
            let progress = self.api.knowledge_progress(kb_id).await.unwrap();
            if progress.state != RunState::Running {
                return progress;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "indexing did not end: {progress:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The knowledge base as the list shows it now.
    pub async fn base(&self, kb_id: &str) -> KnowledgeBase {
        self.api
            .list_knowledge_bases()
            .await
            .unwrap()
            .into_iter()
            .find(|kb| kb.id == kb_id)
            .unwrap()
    }
}

/// The settings of a new knowledge base: small chunks, so short test files make a few.
pub fn input(name: &str, provider: Option<&str>) -> KnowledgeBaseInput {
    KnowledgeBaseInput {
        name: name.into(),
        provider_id: provider.map(str::to_string),
        embedding_model: String::new(),
        rerank_model: None,
        chunk_tokens: 80,
        chunk_overlap: 10,
        top_k: 5,
        context_tokens: 2000,
        index_images: false,
    }
}

/// The requests aimock got at `/v1/embeddings`.
pub async fn embedding_requests(server: &Aimock) -> usize {
    let journal = server.journal().await;
    journal
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|entry| {
                    entry["path"]
                        .as_str()
                        .is_some_and(|p| p.starts_with("/v1/embeddings"))
                })
                .count()
        })
        .unwrap_or(0)
}
