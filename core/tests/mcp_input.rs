//! The checks of an MCP server's input: secret values recognised and never printed, bad
//! names, URLs and timeouts refused at their field.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use confab_core::mcp::input::{
    CheckedTransport, DEFAULT_CALL_TIMEOUT_SECS, MAX_CALL_TIMEOUT_SECS, McpServerInput,
    McpTransportInput, SecretChange,
};
use confab_core::{Error, Problem, Rule};

mod common;

fn stdio_input(env: &[(&str, &str, bool)]) -> McpServerInput {
    common::mcp::stdio_input(" files ", &["server.js"], env)
}

fn problem(input: &McpServerInput) -> Vec<Problem> {
    match input.validated() {
        Err(Error::InvalidInput(problems)) => problems,
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn credential_names_become_secret_and_values_never_print() {
    let input = stdio_input(&[
        ("GITHUB_TOKEN", "ghp-value-123456", false),
        ("REGION", "eu", false),
        ("TENANT", "tenant-value-987", true),
        ("API_KEY", "", false),
    ]);
    let printed = format!("{input:?}");
    assert!(!printed.contains("ghp-value") && !printed.contains("tenant-value"));
    let checked = input.validated().expect("valid");
    assert_eq!(checked.name, "files");
    assert_eq!(checked.call_timeout_secs, DEFAULT_CALL_TIMEOUT_SECS);
    let CheckedTransport::Stdio { env, .. } = checked.transport else {
        panic!("stdio");
    };
    assert_eq!(env.plain.keys().collect::<Vec<_>>(), ["REGION"]);
    assert_eq!(
        env.names().into_iter().collect::<Vec<_>>(),
        ["API_KEY", "GITHUB_TOKEN", "TENANT"]
    );
    assert_eq!(env.secret["API_KEY"], SecretChange::Keep);
}

#[test]
fn bad_names_urls_and_timeouts_are_refused_at_their_field() {
    let bad_env = stdio_input(&[("1ABC", "x", false)]);
    assert_eq!(
        problem(&bad_env),
        [Problem::new("env.1ABC", Rule::InvalidEnvName)]
    );
    let http = |url: &str| McpServerInput {
        transport: McpTransportInput::Http {
            url: url.into(),
            headers: BTreeMap::new(),
        },
        ..stdio_input(&[])
    };
    assert_eq!(
        problem(&http("ftp://x")),
        [Problem::new("url", Rule::UrlScheme)]
    );
    assert_eq!(
        problem(&http("http://example.com/mcp")),
        [Problem::new("url", Rule::PlainHttp).value("example.com")]
    );
    assert!(http("http://127.0.0.1:3001/mcp").validated().is_ok());
    let slow = McpServerInput {
        call_timeout_secs: Some(0),
        ..stdio_input(&[])
    };
    assert_eq!(
        problem(&slow),
        [Problem::out_of_range(
            "callTimeoutSecs",
            1,
            MAX_CALL_TIMEOUT_SECS
        )]
    );
    let unnamed = McpServerInput {
        name: " ".into(),
        ..stdio_input(&[])
    };
    assert_eq!(problem(&unnamed), [Problem::required("name")]);
}
