//! MCP servers as the person manages them: the Claude Desktop / Cursor import (good,
//! hostile, huge), the "test" listing, and a server over streamable HTTP.

#![allow(clippy::unwrap_used)]

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::mcp;
use confab_core::mcp::{McpServerInput, McpTransportInput, import, manage};
use confab_core::{Error, Rule};
use tokio_util::sync::CancellationToken;

fn rules(error: Error) -> Vec<(String, Rule)> {
    match error {
        Error::InvalidInput(problems) => problems.into_iter().map(|p| (p.path, p.rule)).collect(),
        other => panic!("{other}"),
    }
}

#[test]
fn claude_desktop_json_is_read_and_hostile_json_refused() {
    let good = r#"{"mcpServers": {
        "files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]},
        "github": {"command": "docker", "args": ["run"], "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_x123456"}},
        "remote": {"type": "streamable-http", "url": "https://example.com/mcp", "headers": {"X-Api-Key": "k-123456"}},
        "off": {"command": "node", "disabled": true}
    }}"#;
    let inputs = import::parse(good).unwrap();
    assert_eq!(inputs.len(), 4);
    let remote = inputs.iter().find(|i| i.name == "remote").unwrap();
    assert!(matches!(remote.transport, McpTransportInput::Http { .. }));
    assert!(!inputs.iter().find(|i| i.name == "off").unwrap().enabled);

    for (json, rule) in [
        ("not json", Rule::InvalidJson),
        (r#"{"other": {}}"#, Rule::WrongFormat),
        (r#"{"mcpServers": {"x": {"command": ""}}}"#, Rule::Required),
        (
            r#"{"mcpServers": {"x": {"command": "a", "args": [{"deep": 1}]}}}"#,
            Rule::Malformed,
        ),
        (
            r#"{"mcpServers": {"x": {"url": "http://example.com/mcp"}}}"#,
            Rule::PlainHttp,
        ),
        (
            r#"{"mcpServers": {"x": {"type": "websocket", "command": "a"}}}"#,
            Rule::NotAChoice,
        ),
        (
            r#"{"mcpServers": {"x": {"command": "a", "env": {"1BAD": "v"}}}}"#,
            Rule::InvalidEnvName,
        ),
    ] {
        let found = rules(import::parse(json).unwrap_err());
        assert_eq!(found[0].1, rule, "{json}: {found:?}");
    }
    // Where the JSON broke, for the message that says so.
    let broken = common::params_of(&import::parse("{\n  \"mcpServers\": {,}\n}").unwrap_err());
    assert_eq!((broken.line, broken.column), (Some(2), Some(18)));
    let huge = format!(
        r#"{{"mcpServers": {{"x": {{"command": "{}"}}}}}}"#,
        "a".repeat(2 << 20)
    );
    assert_eq!(
        rules(import::parse(&huge).unwrap_err())[0].1,
        Rule::TooLarge
    );
    let many: Vec<String> = (0..101)
        .map(|n| format!(r#""s{n}": {{"command": "a"}}"#))
        .collect();
    let many = format!(r#"{{"mcpServers": {{{}}}}}"#, many.join(","));
    assert_eq!(rules(import::parse(&many).unwrap_err())[0].1, Rule::TooMany);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_filesystem_server_is_tested_and_used_on_a_folder() {
    let db = common::TempDb::new().await;
    let keychain = common::test_keychain();
    let hub = mcp::hub(&db.db, &keychain);
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("note.txt"), "fichier 文件").unwrap();
    let root = folder
        .path()
        .canonicalize()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let entry = mcp::npm_server("server-filesystem");
    let id = mcp::add(&db.db, &keychain, "files", &[&entry, &root]).await;
    let taken = manage::create(&db.db, &keychain, &mcp::stdio_input("FILES", &["x"], &[])).await;
    assert_eq!(
        rules(taken.unwrap_err()),
        [("name".to_string(), Rule::Taken)]
    );

    let connection = hub.connection(&id).await.unwrap();
    let info = confab_core::mcp::info(&connection).await.unwrap();
    assert!(
        info.tools.iter().any(|tool| tool.name == "read_text_file"),
        "{info:?}"
    );
    assert!(info.server_name.is_some());
    let args = serde_json::json!({"path": format!("{root}/note.txt")});
    let read = hub
        .call(
            &id,
            "read_text_file",
            args.as_object().unwrap().clone(),
            Duration::from_secs(20),
            CancellationToken::new(),
            None,
        )
        .await;
    assert_eq!(read.text, "fichier 文件");
    let outside = serde_json::json!({"path": "/etc/passwd"});
    let refused = hub
        .call(
            &id,
            "read_text_file",
            outside.as_object().unwrap().clone(),
            Duration::from_secs(20),
            CancellationToken::new(),
            None,
        )
        .await;
    assert!(refused.is_error, "{}", refused.text);
    hub.shutdown().await;
}

struct HttpServer(Child);

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_over_streamable_http() {
    over_http("streamableHttp", "/mcp").await;
}

/// A server of the older protocol (HTTP with SSE) is reached at the same kind of URL: the
/// streamable handshake fails, and the event stream is tried.
#[tokio::test(flavor = "multi_thread")]
async fn a_server_over_the_older_http_with_sse() {
    over_http("sse", "/sse").await;
}

/// The everything server in `mode` on a free loopback port, reached at `path`: its tools
/// listed and one called.
async fn over_http(mode: &str, path: &str) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = HttpServer(
        Command::new("node")
            .args([&mcp::npm_server("server-everything"), mode])
            .env("PORT", port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the HTTP server did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    let db = common::TempDb::new().await;
    let keychain = common::test_keychain();
    let hub = mcp::hub(&db.db, &keychain);
    let input = McpServerInput {
        transport: McpTransportInput::Http {
            url: format!("http://127.0.0.1:{port}{path}"),
            headers: Default::default(),
        },
        ..mcp::stdio_input("remote", &[], &[])
    };
    let id = manage::create(&db.db, &keychain, &input).await.unwrap();
    let tools = hub.tools(std::slice::from_ref(&id)).await;
    assert!(
        tools.iter().any(|tool| tool.name == "echo"),
        "{mode}: {tools:?}"
    );
    let args = serde_json::json!({"message": "over http"});
    let echoed = hub
        .call(
            &id,
            "echo",
            args.as_object().unwrap().clone(),
            Duration::from_secs(20),
            CancellationToken::new(),
            None,
        )
        .await;
    assert_eq!(echoed.text, "Echo: over http", "{mode}");
    hub.shutdown().await;
}
