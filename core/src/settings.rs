//! App settings: typed, with defaults, stored as one JSON value per key in `settings`.
//!
//! Unknown keys in the table are ignored and missing ones take their default, so a newer or
//! older app reads the same file safely.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::entities::provider;
use crate::store::now_ms;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// `"zh-CN"`, `"en"`, or `None` to follow the OS.
    pub language: Option<String>,
    /// `"light"`, `"dark"` or `"system"`.
    pub theme: String,
    /// Provider requests running at once, across all conversations (1–32).
    pub max_concurrent_streams: u32,
    /// Requests per minute to one provider; 0 means no local limit.
    pub requests_per_minute: u32,
    /// A stream that sends nothing for this many seconds is ended as stalled (5–600).
    pub stall_timeout_secs: u32,
    /// Ask the model for a short title after the first exchange.
    pub auto_title: bool,
    /// Keep the raw request and response of each reply (off: they may be large).
    pub debug_capture: bool,
    /// `error`, `warn`, `info`, `debug` or `trace`.
    pub log_level: String,
    /// The provider of agents that name none; `None`: none chosen (replies then fail with
    /// `no_provider` until one is). Start-up chooses the built-in provider when it exists.
    pub default_provider_id: Option<String>,
    /// The longest reply, in KiB of text (16–65536); a longer one is stopped as partial,
    /// reason `too_long`.
    pub max_reply_kib: u32,
    /// How many times a reply cut off mid-stream is resumed by itself (0–5; 0: never).
    pub auto_resume: u32,
    /// The largest file that may be attached, in MiB (1–512).
    pub max_attachment_mib: u32,
    /// What all attachments of one message may take together, in MiB (1–2048).
    pub max_message_attachments_mib: u32,
    /// Rounds of tool calls one reply may make before it must answer (1–50).
    pub max_tool_steps: u32,
    /// Look for a new version of Confab when it starts (off: nothing is sent unless the
    /// person asks).
    pub check_updates_at_start: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: None,
            theme: "system".into(),
            max_concurrent_streams: 4,
            requests_per_minute: 0,
            stall_timeout_secs: 60,
            auto_title: true,
            debug_capture: false,
            log_level: "info".into(),
            default_provider_id: None,
            max_reply_kib: 1024,
            auto_resume: 2,
            max_attachment_mib: 50,
            max_message_attachments_mib: 100,
            max_tool_steps: 10,
            check_updates_at_start: false,
        }
    }
}

impl Settings {
    /// [`max_reply_kib`](Self::max_reply_kib) in bytes.
    pub fn max_reply_bytes(&self) -> usize {
        usize::try_from(self.max_reply_kib)
            .unwrap_or(usize::MAX)
            .saturating_mul(1024)
    }

    /// [`max_attachment_mib`](Self::max_attachment_mib) in bytes.
    pub fn max_attachment_bytes(&self) -> u64 {
        u64::from(self.max_attachment_mib) * 1024 * 1024
    }

    /// [`max_message_attachments_mib`](Self::max_message_attachments_mib) in bytes.
    pub fn max_message_attachments_bytes(&self) -> u64 {
        u64::from(self.max_message_attachments_mib) * 1024 * 1024
    }

    /// Every field in range, or each one that is not (named by its camelCase key).
    pub fn validate(&self) -> Result<()> {
        let mut found = Vec::new();
        let mut choice = |path: &str, ok: bool| {
            if !ok {
                found.push(Problem::new(path, Rule::NotAChoice));
            }
        };
        choice(
            "language",
            matches!(self.language.as_deref(), None | Some("zh-CN" | "en")),
        );
        choice(
            "theme",
            matches!(self.theme.as_str(), "light" | "dark" | "system"),
        );
        choice(
            "logLevel",
            matches!(
                self.log_level.as_str(),
                "error" | "warn" | "info" | "debug" | "trace"
            ),
        );
        let ranges = [
            ("maxConcurrentStreams", self.max_concurrent_streams, 1, 32),
            ("requestsPerMinute", self.requests_per_minute, 0, 10_000),
            ("stallTimeoutSecs", self.stall_timeout_secs, 5, 600),
            ("maxReplyKib", self.max_reply_kib, 16, 65_536),
            ("autoResume", self.auto_resume, 0, 5),
            ("maxAttachmentMib", self.max_attachment_mib, 1, 512),
            (
                "maxMessageAttachmentsMib",
                self.max_message_attachments_mib,
                1,
                2048,
            ),
            ("maxToolSteps", self.max_tool_steps, 1, 50),
        ];
        for (path, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                found.push(Problem::out_of_range(path, min, max));
            }
        }
        Error::check(found)
    }
}

/// The stored settings, defaults filling what is missing.
pub async fn load(db: &impl ConnectionTrait) -> Result<Settings> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT key, value FROM settings",
        ))
        .await?;
    let mut stored = serde_json::Map::new();
    for row in rows {
        let key: String = row.try_get_by_index(0)?;
        let value: String = row.try_get_by_index(1)?;
        if let Ok(value) = serde_json::from_str(&value) {
            stored.insert(key, value);
        }
    }
    let mut merged = serde_json::to_value(Settings::default())
        .map_err(|error| Error::internal("settings", error))?;
    if let Some(fields) = merged.as_object_mut() {
        for (key, value) in stored {
            if fields.contains_key(&key) {
                fields.insert(key, value);
            }
        }
    }
    // A value of the wrong type (edited by hand) falls back to all defaults rather than
    // failing start-up.
    Ok(serde_json::from_value(merged).unwrap_or_default())
}

/// Validates and stores all settings; the default provider must exist.
pub async fn save(db: &impl ConnectionTrait, settings: &Settings) -> Result<()> {
    settings.validate()?;
    if let Some(id) = &settings.default_provider_id
        && provider::Entity::find_by_id(id.clone())
            .one(db)
            .await?
            .is_none()
    {
        return Err(Error::invalid(
            Problem::new("defaultProviderId", Rule::NoSuchProvider).value(id),
        ));
    }
    let value =
        serde_json::to_value(settings).map_err(|error| Error::internal("settings", error))?;
    let fields: HashMap<String, serde_json::Value> =
        serde_json::from_value(value).map_err(|error| Error::internal("settings", error))?;
    for (key, value) in fields {
        put(db, key, &value).await?;
    }
    Ok(())
}

/// Makes `provider_id` the default provider, leaving the other settings as they are (they
/// are not validated again: start-up calls this).
pub(crate) async fn store_default_provider(
    db: &impl ConnectionTrait,
    provider_id: &str,
) -> Result<()> {
    put(db, "defaultProviderId".into(), &provider_id.into()).await
}

async fn put(db: &impl ConnectionTrait, key: String, value: &serde_json::Value) -> Result<()> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        [key.into(), value.to_string().into(), now_ms().into()],
    ))
    .await?;
    Ok(())
}
