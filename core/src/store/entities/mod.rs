//! SeaORM entities for the tables the core reads and writes. The schema itself is owned by
//! the `migrations` crate; these mirror it.

pub mod agent;
pub mod context_template;
pub mod conversation;
pub mod mcp_server;
pub mod message;
pub mod provider;
