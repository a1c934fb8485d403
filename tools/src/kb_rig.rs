//! What the knowledge-base measuring tools share: a real `Api` on a fresh database opened
//! the app's way, with a keychain service of its own; a knowledge base with the app's
//! default settings; waiting for indexing to end; and this process's memory and reads
//! (Linux: `/proc/self/status`, `/proc/self/io`; 0 elsewhere).

use std::path::Path;
use std::time::{Duration, Instant};

use confab_core::api::Api;
use confab_core::chat::EngineConfig;
use confab_core::knowledge::{KnowledgeBase, KnowledgeBaseInput, KnowledgeProgress, RunState};
use confab_core::providers::builtin::{self, BuiltinEnv};
use confab_core::secrets::Keychain;
use confab_core::settings::Settings;

pub type Failure = Box<dyn std::error::Error>;

/// An `Api` on `dir/confab.db`, opened (migrated and seeded) as the app opens it, with the
/// built-in provider set from `provider` when given (as `CONFAB_BASE_URL` would). The
/// keychain service is this run's own, so nothing the app stores is touched.
pub async fn open_api(
    dir: &Path,
    provider: Option<BuiltinEnv>,
) -> Result<(Api, Keychain), Failure> {
    let db = confab_core::startup::open_db(&dir.join("confab.db")).await?;
    let keychain = Keychain::new(format!("confab-bench-{}", uuid::Uuid::new_v4()));
    if let Some(env) = provider {
        builtin::ensure(db.conn(), &keychain, env).await?;
    }
    let api = Api::new(
        db,
        keychain.clone(),
        Settings::default(),
        EngineConfig::default(),
    )?;
    Ok((api, keychain))
}

/// A knowledge base named `name` with the app's default chunking, `top_k` and budget (the
/// defaults the UI's form gets), embedded by `provider` with `model`, or keyword-only.
pub fn base_input(
    name: &str,
    embedding: Option<(&str, &str)>,
) -> Result<KnowledgeBaseInput, Failure> {
    let mut input: KnowledgeBaseInput = serde_json::from_value(serde_json::json!({
        "name": name,
        "providerId": null,
    }))?;
    if let Some((provider, model)) = embedding {
        input.provider_id = Some(provider.into());
        input.embedding_model = model.into();
    }
    Ok(input)
}

/// The knowledge base as the list shows it now (with its counts).
pub async fn base(api: &Api, kb_id: &str) -> Result<KnowledgeBase, Failure> {
    api.list_knowledge_bases()
        .await?
        .into_iter()
        .find(|kb| kb.id == kb_id)
        .ok_or_else(|| format!("no knowledge base {kb_id}").into())
}

/// Waits (asking every `poll`) until no indexing runs for `kb_id`; the last progress and
/// the highest VmRSS seen meanwhile, in KiB. Fails after `limit`.
pub async fn settle(
    api: &Api,
    kb_id: &str,
    poll: Duration,
    limit: Duration,
) -> Result<(KnowledgeProgress, u64), Failure> {
    let started = Instant::now();
    let mut highest = 0;
    loop {
        highest = highest.max(status_kib("VmRSS:"));
        let progress = api.knowledge_progress(kb_id).await?;
        if progress.state != RunState::Running {
            return Ok((progress, highest));
        }
        if started.elapsed() > limit {
            return Err(format!("indexing did not end in {limit:?}: {progress:?}").into());
        }
        tokio::time::sleep(poll).await;
    }
}

/// A `kB` line of /proc/self/status (`VmRSS:`, `VmHWM:`); 0 when it cannot be read.
pub fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets the process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0); whether it did.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Bytes this process has read through `read` and `pread` calls so far (`rchar` of
/// /proc/self/io: files and the database alike); 0 when it cannot be read.
pub fn bytes_read() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("rchar:"))
        .and_then(|rest| rest.trim().parse().ok())
        .unwrap_or(0)
}

/// The 1-minute load average (the machine may be shared).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
