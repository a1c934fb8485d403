//! One message as a request sends it, and who says it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::Part;

/// The largest message a user may send (1 MiB of UTF-8): far beyond any context window,
/// small enough that a mistaken paste cannot stall the app.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// Who wrote a message; stored as its snake_case name in the `messages` table.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, Type,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[sea_orm(string_value = "system")]
    System,
    #[sea_orm(string_value = "user")]
    User,
    #[sea_orm(string_value = "assistant")]
    Assistant,
    #[sea_orm(string_value = "tool")]
    Tool,
}

/// One message of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PromptMessage {
    pub role: Role,
    pub content: String,
    /// The images and files the message carries (a person's message only). Left out of
    /// the JSON when empty, so presets stored before attachments read as they were.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[specta(optional)]
    pub attachments: Vec<Part>,
}

impl PromptMessage {
    /// A message of text alone.
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
            attachments: Vec::new(),
        }
    }
}
