//! Real MCP servers for the tests: the protocol's reference servers from npm
//! (`@modelcontextprotocol/server-everything`, `server-filesystem`), run with `node` from
//! `node_modules`, and small hostile servers of our own in `tests/fixtures/mcp/`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use confab_core::mcp::{
    McpConfig, McpHub, McpServerInput, McpTransportInput, McpValueInput, manage,
};
use confab_core::secrets::Keychain;
use confab_core::store::Db;

use super::repo_root;

/// The JS entry of an installed npm server.
pub fn npm_server(package: &str) -> String {
    let entry = repo_root()
        .join("node_modules/@modelcontextprotocol")
        .join(package)
        .join("dist/index.js");
    assert!(
        entry.exists(),
        "{package} is not installed: run `npm ci` at the repository root"
    );
    entry.to_string_lossy().into_owned()
}

/// A script of ours under `tests/fixtures/mcp/`.
pub fn fixture(name: &str) -> String {
    let path: PathBuf = repo_root().join("core/tests/fixtures/mcp").join(name);
    assert!(path.exists(), "{}", path.display());
    path.to_string_lossy().into_owned()
}

/// Short timings so crash and restart tests run in seconds.
pub fn test_config() -> McpConfig {
    McpConfig {
        start_timeout: Duration::from_secs(30),
        max_result_bytes: 64 * 1024,
        restart_backoff: Duration::from_millis(300),
    }
}

pub fn hub(db: &Db, keychain: &Keychain) -> Arc<McpHub> {
    Arc::new(McpHub::new(db.clone(), keychain.clone(), test_config()))
}

/// `node <args>` as a stdio server with these environment values.
pub fn stdio_input(name: &str, args: &[&str], env: &[(&str, &str, bool)]) -> McpServerInput {
    let env: BTreeMap<String, McpValueInput> = env
        .iter()
        .map(|(name, value, secret)| {
            let value = McpValueInput {
                value: Some((*value).to_string()),
                secret: *secret,
            };
            ((*name).to_string(), value)
        })
        .collect();
    McpServerInput {
        name: name.to_string(),
        transport: McpTransportInput::Stdio {
            command: "node".to_string(),
            args: args.iter().map(|arg| (*arg).to_string()).collect(),
            cwd: None,
            env,
        },
        enabled: true,
        call_timeout_secs: None,
    }
}

/// Adds a stdio server running `node <args>`; returns its id.
pub async fn add(db: &Db, keychain: &Keychain, name: &str, args: &[&str]) -> String {
    manage::create(db, keychain, &stdio_input(name, args, &[]))
        .await
        .unwrap()
}

/// The everything server over stdio.
pub async fn add_everything(db: &Db, keychain: &Keychain) -> String {
    let entry = npm_server("server-everything");
    add(db, keychain, "everything", &[&entry, "stdio"]).await
}

/// Whether a process with this pid is alive (Linux: `/proc`, zombies count as gone).
#[cfg(target_os = "linux")]
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .unwrap_or_default()
            .trim_start()
            .starts_with('Z'),
        Err(_) => false,
    }
}
