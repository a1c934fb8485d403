//! No MCP server outlives Confab: not after a shutdown, not after Confab is killed.
//! (Checked by pid through `/proc`, so Linux only.)

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::mcp;

/// Set in the owner process this test starts.
const OWNER: &str = "CONFAB_TEST_MCP_OWNER_DB";

/// Not a test on its own: the process that owns a hub, started (and killed) by the test
/// below. It prints the pids of its servers, then waits to be killed.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "run by killed_owner_takes_its_servers_along"]
async fn owner_process() {
    let Ok(path) = std::env::var(OWNER) else {
        return;
    };
    let db = confab_core::startup::open_db(std::path::Path::new(&path))
        .await
        .unwrap();
    let keychain = common::test_keychain();
    let hub = mcp::hub(&db, &keychain);
    let everything = mcp::add_everything(&db, &keychain).await;
    let hostile = mcp::add(&db, &keychain, "hostile", &[&mcp::fixture("hostile.mjs")]).await;
    hub.tools(&[everything.clone(), hostile.clone()]).await;
    for id in [everything, hostile] {
        println!("pid {}", hub.pid(&id).await.unwrap());
    }
    tokio::time::sleep(Duration::from_secs(120)).await;
}

fn wait_gone(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while mcp::alive(pid) {
        assert!(Instant::now() < deadline, "server {pid} outlived its owner");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn killed_owner_takes_its_servers_along() {
    let dir = tempfile::tempdir().unwrap();
    let mut owner = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "owner_process",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(OWNER, dir.path().join("confab.db"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(owner.stdout.take().unwrap()).lines();
    let pids: Vec<u32> = lines
        .map_while(Result::ok)
        // libtest writes its own words before the first line.
        .filter_map(|line| Some(line[line.find("pid ")? + 4..].trim().parse().unwrap()))
        .take(2)
        .collect();
    assert_eq!(pids.len(), 2, "the owner did not start its servers");
    assert!(pids.iter().all(|pid| mcp::alive(*pid)));
    owner.kill().unwrap(); // SIGKILL: no destructor, no shutdown runs
    owner.wait().unwrap();
    for pid in pids {
        wait_gone(pid);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_stops_every_server() {
    let db = common::TempDb::new().await;
    let keychain = common::test_keychain();
    let hub = mcp::hub(&db.db, &keychain);
    let id = mcp::add_everything(&db.db, &keychain).await;
    hub.tools(std::slice::from_ref(&id)).await;
    let pid = hub.pid(&id).await.unwrap();
    hub.shutdown().await;
    wait_gone(pid);
    assert!(
        hub.tools(std::slice::from_ref(&id)).await.is_empty(),
        "started after shutdown"
    );
}
