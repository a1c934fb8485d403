//! aimock, a real OpenAI-compatible server (`@copilotkit/aimock`, installed by `npm ci`),
//! started on a free loopback port. Apart from the rest of the harness so that the
//! benchmarks in `tools/` can start it the same way.

#![allow(dead_code)] // each user takes a part of it
#![allow(clippy::unwrap_used)] // a harness that cannot set up should panic

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use confab_core::llm::Endpoint;
use tempfile::TempDir;

/// An aimock server on a free loopback port, stopped on drop.
pub struct Aimock {
    child: Child,
    pub port: u16,
    _fixtures: TempDir,
}

impl Aimock {
    pub fn start(fixtures: serde_json::Value) -> Self {
        Self::start_with_env(fixtures, &[])
    }

    pub fn start_with_env(fixtures: serde_json::Value, env: &[(&str, &str)]) -> Self {
        let cli = repo_root().join("node_modules/@copilotkit/aimock/dist/cli.js");
        assert!(
            cli.exists(),
            "aimock is not installed: run `npm ci` at the repository root"
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("fixtures.json");
        std::fs::write(&file, serde_json::to_vec(&fixtures).unwrap()).unwrap();
        // aimock takes a free port itself and says which: a port chosen here first could be
        // taken by another test's server before aimock binds it.
        let mut child = Command::new("node")
            .arg(cli)
            .args(["--host", "127.0.0.1", "--port", "0", "--log-level", "info"])
            .args(["--chunk-size", "4", "--fixtures"])
            .arg(&file)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node must be on PATH");
        let stdout = child.stdout.take().expect("aimock's stdout");
        let (said, heard) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end, so the server never blocks on a full pipe.
            let mut said = Some(said);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(port) = listening_port(&line)
                    && let Some(said) = said.take()
                {
                    let _ = said.send(port);
                }
            }
        });
        let port = heard
            .recv_timeout(Duration::from_secs(15))
            .expect("aimock did not say where it listens");
        Self {
            child,
            port,
            _fixtures: dir,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            base_url: self.base_url(),
            model: "gpt-4o-mini".into(),
        }
    }

    /// The requests aimock received, as it recorded them.
    pub async fn journal(&self) -> serde_json::Value {
        self.journal_request(reqwest::Client::new().get(self.journal_url()))
            .await
    }

    /// The journal of a server started with `AIMOCK_API_KEYS` (it guards the journal too).
    pub async fn journal_with_key(&self, key: &str) -> serde_json::Value {
        self.journal_request(
            reqwest::Client::new()
                .get(self.journal_url())
                .bearer_auth(key),
        )
        .await
    }

    fn journal_url(&self) -> String {
        format!("http://127.0.0.1:{}/__aimock/journal", self.port)
    }

    async fn journal_request(&self, request: reqwest::RequestBuilder) -> serde_json::Value {
        request
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

impl Drop for Aimock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository's root (the crate including this is one level below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The port of aimock's "listening on http://127.0.0.1:<port>" line.
fn listening_port(line: &str) -> Option<u16> {
    let (_, rest) = line.split_once("listening on http://127.0.0.1:")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}
