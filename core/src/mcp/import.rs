//! The `mcpServers` JSON that Claude Desktop, Cursor and others keep, read into server
//! inputs. It is pasted text: bounded, and every server in it checked like one typed in.
//!
//! ```json
//! {"mcpServers": {"files": {"command": "npx", "args": ["-y", "server"], "env": {"K": "v"}},
//!                 "remote": {"url": "https://host/mcp", "headers": {"X-Api-Key": "..."}}}}
//! ```
//! `servers` (VS Code) is read too. `type` may say `stdio`, `http`, `streamable-http`,
//! `streamableHttp` or `sse` (a URL is tried over streamable HTTP, then over the older HTTP
//! with SSE).

use std::collections::BTreeMap;

use serde_json::Value;

use super::input::{McpServerInput, McpTransportInput, McpValueInput};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};

/// The largest JSON accepted.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;
/// The most servers in one import.
pub const MAX_IMPORT_SERVERS: usize = 100;

fn bad(path: impl Into<String>, rule: Rule) -> Error {
    Error::invalid(Problem::new(path, rule))
}

/// The servers in `json`, each checked; the first problem refuses the whole import.
pub fn parse(json: &str) -> Result<Vec<McpServerInput>> {
    if json.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(Problem::limit(
            "json",
            Rule::TooLarge,
            MAX_IMPORT_BYTES,
        )));
    }
    let value: Value = serde_json::from_str(json).map_err(|error| {
        Error::invalid(Problem::invalid_json("json", error.line(), error.column()))
    })?;
    let servers = value
        .get("mcpServers")
        .or_else(|| value.get("servers"))
        .and_then(Value::as_object)
        .ok_or_else(|| bad("json", Rule::WrongFormat))?;
    if servers.len() > MAX_IMPORT_SERVERS {
        return Err(Error::invalid(Problem::limit(
            "json",
            Rule::TooMany,
            MAX_IMPORT_SERVERS,
        )));
    }
    let mut inputs = Vec::new();
    for (name, server) in servers {
        let at = format!("mcpServers.{}", super::outcome::capped_line(name, 64));
        let input = one(name, server).map_err(|error| under(error, &at))?;
        input.validated().map_err(|error| under(error, &at))?;
        inputs.push(input);
    }
    Ok(inputs)
}

fn under(error: Error, at: &str) -> Error {
    match error {
        Error::InvalidInput(problems) => {
            Error::InvalidInput(problems.into_iter().map(|p| p.under(at)).collect())
        }
        other => other,
    }
}

fn one(name: &str, server: &Value) -> Result<McpServerInput> {
    let server = server.as_object().ok_or_else(|| bad("", Rule::Malformed))?;
    let text = |field: &str| -> Result<Option<String>> {
        match server.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(bad(field, Rule::Malformed)),
        }
    };
    let kind = text("type")?.unwrap_or_default().to_ascii_lowercase();
    let url = text("url")?.or(text("serverUrl")?);
    let transport = match (kind.as_str(), url) {
        ("http" | "streamable-http" | "streamablehttp" | "sse" | "", Some(url)) => {
            McpTransportInput::Http {
                url,
                headers: values(server.get("headers"), "headers")?,
            }
        }
        ("stdio" | "", None) => McpTransportInput::Stdio {
            command: text("command")?.unwrap_or_default(),
            args: strings(server.get("args"))?,
            cwd: text("cwd")?,
            env: values(server.get("env"), "env")?,
        },
        _ => return Err(bad("type", Rule::NotAChoice)),
    };
    let disabled = server.get("disabled").and_then(Value::as_bool) == Some(true);
    Ok(McpServerInput {
        name: name.to_string(),
        transport,
        enabled: !disabled,
        call_timeout_secs: None,
    })
}

fn strings(value: Option<&Value>) -> Result<Vec<String>> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let list = value
        .as_array()
        .ok_or_else(|| bad("args", Rule::Malformed))?;
    list.iter()
        .map(|item| match item {
            Value::String(text) => Ok(text.clone()),
            Value::Number(number) => Ok(number.to_string()),
            _ => Err(bad("args", Rule::Malformed)),
        })
        .collect()
}

/// Values whose names look secret become secret in the check (`looks_secret`).
fn values(value: Option<&Value>, field: &str) -> Result<BTreeMap<String, McpValueInput>> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(BTreeMap::new());
    };
    let map = value
        .as_object()
        .ok_or_else(|| bad(field, Rule::Malformed))?;
    let mut out = BTreeMap::new();
    for (name, value) in map {
        let value = match value {
            Value::String(text) => text.clone(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            _ => return Err(bad(format!("{field}.{name}"), Rule::Malformed)),
        };
        let input = McpValueInput {
            value: Some(value),
            secret: false,
        };
        out.insert(name.clone(), input);
    }
    Ok(out)
}
