//! MCP servers as the person manages them: stored rows (secrets in the keychain), what the
//! UI sees of them, and what starting one needs.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use specta::Type;

use super::connection::Launch;
use super::input::{Checked, CheckedTransport, McpServerInput, Values};
use super::keys::{self, Kind};
use super::process::StdioLaunch;
use super::{McpHub, McpStatus};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::secrets::{KeyStatus, Keychain};
use crate::store::entities::mcp_server::Model;
use crate::store::{Db, mcp_servers, new_id, now_ms};

/// A server as the UI sees it: no secret value, its live status.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct McpServer {
    pub id: String,
    pub name: String,
    pub transport: McpTransportView,
    pub enabled: bool,
    pub call_timeout_secs: u32,
    pub status: McpStatus,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum McpTransportView {
    Stdio {
        command: String,
        args: Vec<String>,
        cwd: Option<String>,
        env: BTreeMap<String, McpValueView>,
    },
    Http {
        url: String,
        headers: BTreeMap<String, McpValueView>,
    },
}

/// A plain value as stored, or a secret's status (set, last four).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum McpValueView {
    Plain { value: String },
    Secret { status: KeyStatus },
}

/// What a started server offers, for the "test" button.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct McpServerInfo {
    pub server_name: Option<String>,
    pub server_version: Option<String>,
    pub tools: Vec<McpItem>,
    pub resources: Vec<McpItem>,
    pub prompts: Vec<McpItem>,
}

/// A tool, resource or prompt: its name and what it says it is.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct McpItem {
    pub name: String,
    pub description: Option<String>,
}

/// How one value is stored in the row's `env` / `headers` column.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Stored {
    Secret { secret: bool },
    Plain { value: String },
}

fn stored(values: &Values) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (name, value) in &values.plain {
        map.insert(name.clone(), serde_json::json!({ "value": value }));
    }
    for name in values.secret.keys() {
        map.insert(name.clone(), serde_json::json!({ "secret": true }));
    }
    serde_json::Value::Object(map)
}

/// Plain values and secret names of a stored column (a hand-edited one reads as empty).
fn read_stored(column: &serde_json::Value) -> (BTreeMap<String, String>, BTreeSet<String>) {
    let map: BTreeMap<String, Stored> = serde_json::from_value(column.clone()).unwrap_or_default();
    let mut plain = BTreeMap::new();
    let mut secret = BTreeSet::new();
    for (name, value) in map {
        match value {
            Stored::Secret { secret: true } => {
                secret.insert(name);
            }
            Stored::Secret { .. } => {}
            Stored::Plain { value } => {
                plain.insert(name, value);
            }
        }
    }
    (plain, secret)
}

pub async fn list(db: &Db, keychain: &Keychain, hub: &McpHub) -> Result<Vec<McpServer>> {
    let mut out = Vec::new();
    for row in mcp_servers::list(db.conn()).await? {
        out.push(view(keychain, hub, row).await?);
    }
    Ok(out)
}

pub async fn get(db: &Db, keychain: &Keychain, hub: &McpHub, id: &str) -> Result<McpServer> {
    view(keychain, hub, found(db, id).await?).await
}

async fn found(db: &Db, id: &str) -> Result<Model> {
    mcp_servers::get(db.conn(), id)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "MCP server",
            id: id.to_string(),
        })
}

async fn view(keychain: &Keychain, hub: &McpHub, row: Model) -> Result<McpServer> {
    let views = |column: &serde_json::Value, kind: Kind| {
        let (plain, secret) = read_stored(column);
        let id = row.id.clone();
        async move {
            let mut out = BTreeMap::new();
            for (name, value) in plain {
                out.insert(name, McpValueView::Plain { value });
            }
            for name in secret {
                let value = keychain.read(&keys::account(&id, kind, &name)).await?;
                let status = KeyStatus::of(value.as_ref());
                out.insert(name, McpValueView::Secret { status });
            }
            Ok::<_, Error>(out)
        }
    };
    let transport = if row.transport == "http" {
        McpTransportView::Http {
            url: row.url.clone().unwrap_or_default(),
            headers: views(&row.headers, Kind::Header).await?,
        }
    } else {
        McpTransportView::Stdio {
            command: row.command.clone().unwrap_or_default(),
            args: serde_json::from_value(row.args.clone()).unwrap_or_default(),
            cwd: row.cwd.clone(),
            env: views(&row.env, Kind::Env).await?,
        }
    };
    Ok(McpServer {
        status: hub.status(&row.id),
        id: row.id,
        name: row.name,
        transport,
        enabled: row.enabled,
        call_timeout_secs: u32::try_from(row.call_timeout_secs).unwrap_or(60),
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Creates a server; returns its id.
pub async fn create(db: &Db, keychain: &Keychain, input: &McpServerInput) -> Result<String> {
    let checked = input.validated()?;
    let id = new_id();
    save(db, keychain, &id, None, checked).await?;
    Ok(id)
}

pub async fn update(db: &Db, keychain: &Keychain, id: &str, input: &McpServerInput) -> Result<()> {
    let before = found(db, id).await?;
    let checked = input.validated()?;
    save(db, keychain, id, Some(before), checked).await
}

async fn save(
    db: &Db,
    keychain: &Keychain,
    id: &str,
    before: Option<Model>,
    checked: Checked,
) -> Result<()> {
    if mcp_servers::name_taken(db.conn(), &checked.name, Some(id)).await? {
        return Err(Error::invalid(
            Problem::new("name", Rule::Taken).value(checked.name),
        ));
    }
    let secret_names = |row: &Option<Model>, kind: Kind| {
        row.as_ref().map_or_else(BTreeSet::new, |row| {
            let column = if kind == Kind::Env {
                &row.env
            } else {
                &row.headers
            };
            read_stored(column).1
        })
    };
    let before_env = secret_names(&before, Kind::Env);
    let before_headers = secret_names(&before, Kind::Header);
    let empty = Values::default();
    let (env, headers) = match &checked.transport {
        CheckedTransport::Stdio { env, .. } => (env, &empty),
        CheckedTransport::Http { headers, .. } => (&empty, headers),
    };
    keys::store(keychain, id, Kind::Env, &before_env, &env.secret).await?;
    keys::store(keychain, id, Kind::Header, &before_headers, &headers.secret).await?;
    let now = now_ms();
    let (transport, command, args, cwd, url) = match &checked.transport {
        CheckedTransport::Stdio {
            command, args, cwd, ..
        } => (
            "stdio",
            Some(command.clone()),
            args.clone(),
            cwd.clone(),
            None,
        ),
        CheckedTransport::Http { url, .. } => ("http", None, Vec::new(), None, Some(url.clone())),
    };
    let row = Model {
        id: id.to_string(),
        name: checked.name,
        transport: transport.to_string(),
        command,
        args: serde_json::json!(args),
        cwd,
        env: stored(env),
        url,
        headers: stored(headers),
        enabled: checked.enabled,
        call_timeout_secs: i64::from(checked.call_timeout_secs),
        created_at: before.as_ref().map_or(now, |row| row.created_at),
        updated_at: now,
    };
    if before.is_some() {
        mcp_servers::update(db.conn(), row).await
    } else {
        mcp_servers::insert(db.conn(), row).await
    }
}

/// Deletes a server's row and its keychain entries.
pub async fn delete(db: &Db, keychain: &Keychain, id: &str) -> Result<()> {
    let row = found(db, id).await?;
    keys::remove_all(keychain, id, Kind::Env, &read_stored(&row.env).1).await?;
    keys::remove_all(keychain, id, Kind::Header, &read_stored(&row.headers).1).await?;
    mcp_servers::delete(db.conn(), id).await?;
    Ok(())
}

/// What starting server `id` needs, or why it cannot start (unknown, disabled, a secret
/// missing). The reason is short and holds no secret.
pub async fn launch(db: &Db, keychain: &Keychain, id: &str) -> std::result::Result<Launch, String> {
    let row = match mcp_servers::get(db.conn(), id).await {
        Ok(Some(row)) => row,
        Ok(None) => return Err("there is no such MCP server".into()),
        Err(error) => return Err(error.to_string()),
    };
    if !row.enabled {
        return Err("it is turned off".into());
    }
    if row.transport == "http" {
        let (plain, secret) = read_stored(&row.headers);
        let secret = keys::values(keychain, id, Kind::Header, &secret)
            .await
            .map_err(|error| error.to_string())?;
        let mut headers: std::collections::HashMap<_, _> = plain
            .into_iter()
            .map(|(name, value)| (name, crate::secrets::Secret::new(value)))
            .collect();
        headers.extend(secret);
        return Ok(Launch::Http {
            url: row.url.unwrap_or_default(),
            headers,
        });
    }
    let (plain_env, secret) = read_stored(&row.env);
    let secret_env = keys::values(keychain, id, Kind::Env, &secret)
        .await
        .map_err(|error| error.to_string())?;
    Ok(Launch::Stdio(StdioLaunch {
        command: row.command.unwrap_or_default(),
        args: serde_json::from_value(row.args).unwrap_or_default(),
        cwd: row.cwd,
        plain_env,
        secret_env,
    }))
}
