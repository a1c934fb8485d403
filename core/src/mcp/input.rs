//! What the UI sends to add or change an MCP server, and its checks. Values of environment
//! variables and headers that are secrets become [`Secret`]s here, before anything can
//! print them; the rest is plain text stored as given.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use specta::Type;

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::providers::looks_secret;
use crate::secrets::Secret;

pub const MAX_NAME_CHARS: usize = 64;
const MAX_COMMAND_CHARS: usize = 4096;
const MAX_ARGS: usize = 256;
const MAX_ARG_CHARS: usize = 8192;
const MAX_VARS: usize = 64;
const MAX_VAR_NAME_CHARS: usize = 256;
const MAX_PLAIN_VALUE_BYTES: usize = 32 * 1024;
/// As long as the keychain takes.
const MAX_SECRET_BYTES: usize = 4096;
pub const DEFAULT_CALL_TIMEOUT_SECS: u32 = 60;
pub const MAX_CALL_TIMEOUT_SECS: u32 = 3600;
/// Headers the HTTP transport sets itself.
const FORBIDDEN_HEADERS: [&str; 5] = [
    "content-type",
    "accept",
    "mcp-session-id",
    "mcp-protocol-version",
    "host",
];

/// What the UI sends to create or update an MCP server. Its `Debug` leaves values out.
#[derive(Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct McpServerInput {
    pub name: String,
    pub transport: McpTransportInput,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Seconds one tool call may run; default 60.
    #[serde(default)]
    pub call_timeout_secs: Option<u32>,
}

fn yes() -> bool {
    true
}

#[derive(Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum McpTransportInput {
    /// A program Confab starts, speaking MCP over its stdin and stdout.
    #[serde(rename_all = "camelCase")]
    Stdio {
        command: String,
        #[serde(default)]
        args: Vec<String>,
        #[serde(default)]
        cwd: Option<String>,
        #[serde(default)]
        env: BTreeMap<String, McpValueInput>,
    },
    /// A server at a URL (streamable HTTP).
    #[serde(rename_all = "camelCase")]
    Http {
        url: String,
        #[serde(default)]
        headers: BTreeMap<String, McpValueInput>,
    },
}

/// One environment variable or header. A secret whose value is empty or `null` keeps the
/// value already stored.
#[derive(Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct McpValueInput {
    pub value: Option<String>,
    pub secret: bool,
}

impl std::fmt::Debug for McpServerInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("McpServerInput");
        out.field("name", &self.name);
        match &self.transport {
            McpTransportInput::Stdio { command, env, .. } => {
                out.field("command", command).field("env", &env.keys())
            }
            McpTransportInput::Http { url, headers } => {
                out.field("url", url).field("headers", &headers.keys())
            }
        };
        out.finish()
    }
}

/// What a save asks for one secret value: a new one, or keep the stored one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretChange {
    Set(Secret),
    Keep,
}

/// Plain values and secret changes of one map (environment or headers).
#[derive(Debug, Default)]
pub struct Values {
    pub plain: BTreeMap<String, String>,
    pub secret: BTreeMap<String, SecretChange>,
}

impl Values {
    pub fn names(&self) -> BTreeSet<String> {
        self.secret.keys().cloned().collect()
    }
}

#[derive(Debug)]
pub enum CheckedTransport {
    Stdio {
        command: String,
        args: Vec<String>,
        cwd: Option<String>,
        env: Values,
    },
    Http {
        url: String,
        headers: Values,
    },
}

/// An input checked and trimmed.
#[derive(Debug)]
pub struct Checked {
    pub name: String,
    pub transport: CheckedTransport,
    pub enabled: bool,
    pub call_timeout_secs: u32,
}

fn invalid<T>(problem: Problem) -> Result<T> {
    Err(Error::invalid(problem))
}

impl McpServerInput {
    pub fn validated(&self) -> Result<Checked> {
        let name = self.name.trim();
        if name.is_empty() {
            return invalid(Problem::required("name"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return invalid(Problem::limit("name", Rule::TooLong, MAX_NAME_CHARS));
        }
        let call_timeout_secs = self.call_timeout_secs.unwrap_or(DEFAULT_CALL_TIMEOUT_SECS);
        if !(1..=MAX_CALL_TIMEOUT_SECS).contains(&call_timeout_secs) {
            return invalid(Problem::out_of_range(
                "callTimeoutSecs",
                1,
                MAX_CALL_TIMEOUT_SECS,
            ));
        }
        let transport = match &self.transport {
            McpTransportInput::Stdio {
                command,
                args,
                cwd,
                env,
            } => stdio(command, args, cwd.as_deref(), env)?,
            McpTransportInput::Http { url, headers } => CheckedTransport::Http {
                url: checked_url(url)?,
                headers: values(headers, "headers", check_header_name)?,
            },
        };
        Ok(Checked {
            name: name.to_string(),
            transport,
            enabled: self.enabled,
            call_timeout_secs,
        })
    }
}

fn stdio(
    command: &str,
    args: &[String],
    cwd: Option<&str>,
    env: &BTreeMap<String, McpValueInput>,
) -> Result<CheckedTransport> {
    let command = command.trim();
    if command.is_empty() {
        return invalid(Problem::required("command"));
    }
    if command.chars().count() > MAX_COMMAND_CHARS || command.contains('\0') {
        return invalid(Problem::limit("command", Rule::TooLong, MAX_COMMAND_CHARS));
    }
    if args.len() > MAX_ARGS {
        return invalid(Problem::limit("args", Rule::TooMany, MAX_ARGS));
    }
    for (at, arg) in args.iter().enumerate() {
        if arg.chars().count() > MAX_ARG_CHARS || arg.contains('\0') {
            return invalid(Problem::limit(
                format!("args.{at}"),
                Rule::TooLong,
                MAX_ARG_CHARS,
            ));
        }
    }
    let cwd = cwd.map(str::trim).filter(|cwd| !cwd.is_empty());
    if cwd.is_some_and(|cwd| cwd.chars().count() > MAX_COMMAND_CHARS || cwd.contains('\0')) {
        return invalid(Problem::limit("cwd", Rule::TooLong, MAX_COMMAND_CHARS));
    }
    Ok(CheckedTransport::Stdio {
        command: command.to_string(),
        args: args.to_vec(),
        cwd: cwd.map(str::to_string),
        env: values(env, "env", check_env_name)?,
    })
}

/// A server URL: http(s), with a host, plain http only to this computer or the local
/// network (like providers).
pub fn checked_url(url: &str) -> Result<String> {
    let trimmed = url.trim();
    let bad = |rule| invalid(Problem::new("url", rule));
    let Ok(parsed) = reqwest::Url::parse(trimmed) else {
        return bad(Rule::InvalidUrl);
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return bad(Rule::UrlScheme);
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return bad(Rule::UrlNoHost);
    }
    if crate::llm::check_plain_http(&parsed).is_err() {
        let host = parsed.host_str().unwrap_or_default();
        return invalid(Problem::new("url", Rule::PlainHttp).value(host));
    }
    Ok(trimmed.to_string())
}

fn check_env_name(name: &str, at: &str) -> Result<()> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return invalid(Problem::new(at, Rule::InvalidEnvName));
    }
    Ok(())
}

fn check_header_name(name: &str, at: &str) -> Result<()> {
    if FORBIDDEN_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        return invalid(Problem::new(at, Rule::HeaderNotAllowed));
    }
    if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return invalid(Problem::new(at, Rule::InvalidHeaderName));
    }
    Ok(())
}

/// Splits a map of values into plain ones and secret changes. A value is secret when marked
/// so, and always when its name looks like a credential.
fn values(
    given: &BTreeMap<String, McpValueInput>,
    field: &str,
    check_name: fn(&str, &str) -> Result<()>,
) -> Result<Values> {
    if given.len() > MAX_VARS {
        return invalid(Problem::limit(field, Rule::TooMany, MAX_VARS));
    }
    let headers = field == "headers";
    let mut out = Values::default();
    let mut seen = BTreeSet::new();
    for (name, input) in given {
        let name = name.trim();
        let at = format!("{field}.{name}");
        if name.is_empty() {
            return invalid(Problem::required(field));
        }
        if name.chars().count() > MAX_VAR_NAME_CHARS {
            return invalid(Problem::limit(at, Rule::TooLong, MAX_VAR_NAME_CHARS));
        }
        check_name(name, &at)?;
        let key = if headers {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        };
        if !seen.insert(key) {
            return invalid(Problem::new(at, Rule::Duplicate));
        }
        let value = input.value.as_deref().unwrap_or_default();
        let value = if headers { value.trim() } else { value };
        if value.contains('\0')
            || (headers && reqwest::header::HeaderValue::from_str(value).is_err())
        {
            return invalid(Problem::new(at, Rule::InvalidHeaderValue));
        }
        if input.secret || looks_secret(name) {
            let change = if value.trim().is_empty() {
                SecretChange::Keep
            } else if value.len() > MAX_SECRET_BYTES {
                return invalid(Problem::limit(at, Rule::TooLong, MAX_SECRET_BYTES));
            } else {
                SecretChange::Set(Secret::new(value.trim()))
            };
            out.secret.insert(name.to_string(), change);
        } else {
            if value.len() > MAX_PLAIN_VALUE_BYTES {
                return invalid(Problem::limit(at, Rule::TooLarge, MAX_PLAIN_VALUE_BYTES));
            }
            out.plain.insert(name.to_string(), value.to_string());
        }
    }
    Ok(out)
}
