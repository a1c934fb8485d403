//! The core's boundary: every command the app offers is a method of [`Api`], with the rules
//! that go with it (no edits while a reply streams, a reply stopped before its conversation
//! is deleted, page sizes clamped, links checked, settings saved and applied at once).
//!
//! The desktop shell calls these methods and nothing below them: it adds only what needs a
//! window (the OS folders, file dialogs, the IPC channel a reply streams over). One module
//! per command area; start-up, which turns an open database into an [`Api`], is in
//! `start.rs`, and the database file itself (also when it cannot be opened) in `storage.rs`.

mod agents;
mod attachments;
mod chat;
mod context;
mod conversations;
mod diagnostics;
mod knowledge;
mod mcp;
mod mcp_composer;
mod pricing;
mod providers;
mod settings;
mod start;
mod stats;
mod storage;
mod system;
mod templates;
mod tools;
mod transfer;

use std::sync::Arc;

pub use attachments::{AttachmentText, MAX_PREVIEW_CHARS};
pub use conversations::{ConversationDetail, MAX_PAGE, MessagePage, OPEN_PAGE};
pub use diagnostics::{AppFacts, prepare_log_folder};
pub use start::{KEYCHAIN_SERVICE, StartConfig, StartError};
pub use storage::{Storage, open};
pub use system::checked_url;

use crate::attachments::Running;
use crate::chat::{ChatEngine, EngineConfig};
use crate::error::Result;
use crate::knowledge::KnowledgeHub;
use crate::mcp::{McpConfig, McpHub};
use crate::secrets::Keychain;
use crate::settings::Settings;
use crate::store::Db;
use crate::store::checkpoints::SkippedReply;

/// What the app's commands run on: the database, the keychain and the chat engine (which
/// holds the settings in force).
pub struct Api {
    db: Db,
    keychain: Keychain,
    engine: Arc<ChatEngine>,
    /// Interrupted replies start-up recovery could not store, for the diagnostics report.
    skipped_replies: Vec<SkippedReply>,
    /// Files being read now, by the id the UI gave each.
    attaching: Running,
    /// The MCP servers running now.
    mcp: Arc<McpHub>,
    /// Knowledge bases: indexing runs, watched folders, loaded indexes.
    knowledge: Arc<KnowledgeHub>,
}

impl Api {
    /// An api on an open database with `settings` in force, without the start-up steps of
    /// [`Api::start`] (recovery, moving secrets): for tests and tools.
    pub fn new(
        db: Db,
        keychain: Keychain,
        settings: Settings,
        config: EngineConfig,
    ) -> Result<Self> {
        Self::with_mcp(db, keychain, settings, config, McpConfig::default())
    }

    /// [`Api::new`] with the MCP hub's limits and timings given (tests shorten them).
    pub fn with_mcp(
        db: Db,
        keychain: Keychain,
        settings: Settings,
        config: EngineConfig,
        mcp_config: McpConfig,
    ) -> Result<Self> {
        let engine = ChatEngine::new(db.clone(), keychain.clone(), settings, config)?;
        let mcp = Arc::new(McpHub::new(db.clone(), keychain.clone(), mcp_config));
        engine.set_tool_host(Arc::new(tools::McpTools {
            hub: Arc::clone(&mcp),
            db: db.clone(),
        }));
        let knowledge = KnowledgeHub::new(db.clone(), keychain.clone())?;
        engine.set_retriever(Arc::new(knowledge::Passages(Arc::clone(&knowledge))));
        Ok(Self {
            mcp,
            knowledge,
            db,
            keychain,
            engine: Arc::new(engine),
            skipped_replies: Vec::new(),
            attaching: Running::default(),
        })
    }

    /// Stops every reply (stored as partial, reason `app_exit`) and waits up to `grace` for
    /// them to be written, then stops every MCP server. Call before the process exits.
    pub async fn shutdown(&self, grace: std::time::Duration) {
        self.engine.shutdown(grace).await;
        self.mcp.shutdown().await;
        self.knowledge.shutdown().await;
    }

    /// Provider requests running now, and the most that ever ran at once.
    pub fn concurrency(&self) -> (usize, usize) {
        self.engine.concurrency()
    }

    fn conn(&self) -> &sea_orm::DatabaseConnection {
        self.db.conn()
    }
}
