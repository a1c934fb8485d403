//! The client side of the MCP conformance suite (`@modelcontextprotocol/conformance`):
//! Confab's own MCP client, driven the way the app drives it, against the scenario server
//! whose URL is the last argument.
//!
//!   bash scripts/mcp-conformance.sh          (builds this and runs the scenarios that apply)
//!
//! A real SQLite file with the real migrations holds one streamable-HTTP server row; the
//! `McpHub` starts it (the handshake), lists its tools, and calls each of them with
//! arguments made from its input schema. Any failure exits non-zero, so the suite sees it.
//! The row has no secret header, so the keychain is never written or read.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use confab_core::mcp::{McpConfig, McpHub, McpServerInput, McpTool, McpTransportInput, manage};
use confab_core::secrets::Keychain;
use confab_core::store::Db;
use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;

const CALL_TIMEOUT: Duration = Duration::from_secs(20);

fn main() -> ExitCode {
    let Some(url) = std::env::args().skip(1).last() else {
        eprintln!("usage: mcp-conformance-client <server URL>");
        return ExitCode::FAILURE;
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(&url)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mcp-conformance-client: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("conformance.db")).await?;
    let keychain = Keychain::new(format!("confab-conformance-{}", std::process::id()));
    let input = McpServerInput {
        name: "conformance".into(),
        transport: McpTransportInput::Http {
            url: url.to_string(),
            headers: BTreeMap::new(),
        },
        enabled: true,
        call_timeout_secs: None,
    };
    let id = manage::create(&db, &keychain, &input).await?;
    let hub = McpHub::new(db.clone(), keychain, McpConfig::default());
    let outcome = exercise(&hub, &id).await;
    hub.shutdown().await;
    db.close().await?;
    outcome
}

/// Handshake, tools listed, each tool called once.
async fn exercise(hub: &McpHub, id: &str) -> Result<(), Box<dyn std::error::Error>> {
    let connection = hub.connection(id).await.map_err(|why| {
        format!(
            "the server did not start: {why}; its log: {:?}",
            hub.log(id)
        )
    })?;
    let (name, version) = connection.server_info();
    println!("connected to {name:?} {version:?}");
    let tools = hub.tools(&[id.to_string()]).await;
    if !hub.log(id).is_empty() {
        return Err(format!("listing the tools failed: {:?}", hub.log(id)).into());
    }
    println!("{} tool(s): {:?}", tools.len(), names(&tools));
    for tool in &tools {
        let arguments = arguments_for(&tool.input_schema);
        println!(
            "calling {} with {}",
            tool.name,
            Value::Object(arguments.clone())
        );
        let outcome = hub
            .call(
                id,
                &tool.name,
                arguments,
                CALL_TIMEOUT,
                CancellationToken::new(),
                None,
            )
            .await;
        println!("  -> {}", outcome.text);
        if outcome.is_error {
            return Err(format!("the call of {} failed: {}", tool.name, outcome.text).into());
        }
    }
    Ok(())
}

fn names(tools: &[McpTool]) -> Vec<&str> {
    tools.iter().map(|tool| tool.name.as_str()).collect()
}

/// Arguments a schema accepts: each property's default or first enum value, else a plain
/// value of its type (numbers counting up from 2, so that a sum shows both operands).
fn arguments_for(schema: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return out;
    };
    for (n, (name, property)) in properties.iter().enumerate() {
        let value = property
            .get("default")
            .or_else(|| property.get("enum").and_then(|e| e.get(0)))
            .cloned()
            .unwrap_or_else(|| match property.get("type").and_then(Value::as_str) {
                Some("number" | "integer") => json!(n + 2),
                Some("boolean") => json!(true),
                Some("array") => json!([]),
                Some("object") => json!({}),
                _ => json!("conformance"),
            });
        out.insert(name.clone(), value);
    }
    out
}
