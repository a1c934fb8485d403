//! Typed IPC commands, one module per area. Each calls one method of `confab_core::api`
//! (adding only what needs Tauri: the OS folders, dialogs, the IPC channel) and maps the
//! error to the wire form; nothing else. `tests/boundary.rs` checks they reach nothing below.

pub mod agents;
pub mod attachments;
pub mod chat;
pub mod context;
pub mod conversations;
pub mod diagnostics;
pub mod dialogs;
pub mod knowledge;
pub mod mcp;
pub mod pricing;
pub mod providers;
pub mod settings;
pub mod stats;
pub mod storage;
pub mod system;
pub mod templates;
pub mod transfer;
pub mod updates;
