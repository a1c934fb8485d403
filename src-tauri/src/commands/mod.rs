//! Typed IPC commands, one module per area. Each takes the state, calls the core and maps
//! the error to the wire form; nothing else.

pub mod agents;
pub mod chat;
pub mod context;
pub mod conversations;
pub mod diagnostics;
pub mod dialogs;
pub mod providers;
pub mod settings;
pub mod stats;
pub mod storage;
pub mod system;
pub mod templates;
pub mod transfer;
