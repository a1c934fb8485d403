//! The diagnostics report: the last log lines across files, and no secret in it whatever
//! the logs and messages contain.

use std::path::Path;

use confab_core::diagnostics::{
    KeychainCheck, REPORT_LOG_LINES, ReportInput, last_log_lines, log_info, write_report,
};
use confab_core::secrets::Secret;
use confab_core::startup::StorageInfo;
use confab_core::store::checkpoints::SkippedReply;

const PLANTED: &str = "zz-planted-key-4242-abcdef";

fn write_log(dir: &Path, name: &str, lines: impl Iterator<Item = String>) {
    let text: String = lines.map(|line| line + "\n").collect();
    std::fs::write(dir.join(name), text).expect("log written");
}

fn storage(message: &str) -> StorageInfo {
    StorageInfo {
        db_path: "/data/confab.db".into(),
        db_size_bytes: 4096,
        wal_size_bytes: 0,
        backup_dir: "/data/backups".into(),
        backup_count: 1,
        quick_check_ok: message.is_empty(),
        quick_check_message: message.into(),
        attachments_bytes: 0,
    }
}

#[test]
fn the_last_lines_span_the_newest_files_in_order() {
    let dir = tempfile::tempdir().expect("dir");
    write_log(
        dir.path(),
        "confab.2025-01-01.log",
        (0..400).map(|i| format!("old {i}")),
    );
    write_log(
        dir.path(),
        "confab.2025-01-02.log",
        (0..300).map(|i| format!("new {i}")),
    );
    write_log(dir.path(), "other.txt", std::iter::once("not a log".into()));

    let lines = last_log_lines(dir.path(), REPORT_LOG_LINES).expect("read");

    assert_eq!(lines.len(), 500);
    assert_eq!(lines[0], "old 200");
    assert_eq!(lines[199], "old 399");
    assert_eq!(lines[200], "new 0");
    assert_eq!(lines[499], "new 299");
    let info = log_info(dir.path()).expect("info");
    assert!(
        info.current_file
            .as_deref()
            .is_some_and(|f| f.ends_with("confab.2025-01-02.log"))
    );
    assert_eq!(
        info.current_size_bytes,
        (0..300)
            .map(|i| format!("new {i}\n").len() as u64)
            .sum::<u64>()
    );
    assert!(info.total_size_bytes > info.current_size_bytes);
}

#[test]
fn a_missing_log_folder_has_no_lines() {
    let dir = tempfile::tempdir().expect("dir");
    let gone = dir.path().join("logs");
    assert_eq!(
        last_log_lines(&gone, 10).expect("read"),
        Vec::<String>::new()
    );
    assert_eq!(log_info(&gone).expect("info").current_file, None);
}

#[test]
fn the_report_never_contains_a_key() {
    let dir = tempfile::tempdir().expect("dir");
    // The app has held this key (as every key it reads from the keychain).
    let _key = Secret::new(PLANTED);
    // Lines as if they had escaped redaction when written: the report redacts again.
    let leaked = [
        format!("request with key {PLANTED} failed"),
        "headers: Authorization: Bearer live-token-987654321".to_string(),
        "provider said: Incorrect API key provided: sk-proj-Planted0123456789".to_string(),
        "url https://x.test/v1?api_key=planted-query-secret".to_string(),
    ];
    write_log(
        dir.path(),
        "confab.2025-03-01.log",
        (0..600)
            .map(|i| format!("line {i}"))
            .chain(leaked.iter().cloned()),
    );
    let path = dir.path().join("diagnostics.json");

    let bytes = write_report(
        &path,
        ReportInput {
            app_version: "0.1.0".into(),
            storage: storage(&format!("quick_check: page 3 {PLANTED}")),
            keychain: KeychainCheck {
                reachable: false,
                error: Some(format!("D-Bus said no to {PLANTED}")),
            },
            log_dir: Some(dir.path().to_path_buf()),
            skipped_replies: vec![SkippedReply {
                stream_id: "s1".into(),
                conversation_id: "c1".into(),
                bytes: 12,
                error: format!("the history refused the change near {PLANTED}"),
            }],
            knowledge: Vec::new(),
        },
    )
    .expect("written");

    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(bytes, text.len() as u64);
    for secret in [
        PLANTED,
        "live-token-987654321",
        "sk-proj-Planted0123456789",
        "Planted0123456789",
        "planted-query-secret",
    ] {
        assert!(!text.contains(secret), "{secret} is in the report:\n{text}");
    }
    let report: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(report["format"], "confab-diagnostics");
    assert_eq!(report["app"]["version"], "0.1.0");
    assert_eq!(report["app"]["os"], std::env::consts::OS);
    assert_eq!(report["storage"]["dbPath"], "/data/confab.db");
    assert_eq!(report["keychain"]["reachable"], false);
    assert_eq!(report["skippedReplies"][0]["conversationId"], "c1");
    assert_eq!(report["skippedReplies"][0]["bytes"], 12);
    let lines = report["logs"]["lastLines"].as_array().expect("lines");
    assert_eq!(lines.len(), REPORT_LOG_LINES);
    assert_eq!(lines[0], "line 104");
    assert_eq!(lines[499], "url https://x.test/v1?api_key=<redacted>");
    assert!(text.contains("request with key <redacted> failed"));
}

#[test]
fn without_a_log_folder_the_report_says_so() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("d.json");
    write_report(
        &path,
        ReportInput {
            app_version: "0.1.0".into(),
            storage: storage(""),
            keychain: KeychainCheck {
                reachable: true,
                error: None,
            },
            log_dir: None,
            skipped_replies: Vec::new(),
            knowledge: Vec::new(),
        },
    )
    .expect("written");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    assert_eq!(
        report["logs"]["error"],
        "internal error: logging to a file is off"
    );
    assert_eq!(report["logs"]["lastLines"], serde_json::json!([]));
}
