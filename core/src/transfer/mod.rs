//! Conversations leaving and entering the app as files.
//!
//! Export writes Markdown (to read) or Confab JSON (to import again, losslessly):
//!
//! ```json
//! { "format": "confab-conversations", "version": 1, "exportedAt": 1730000000000,
//!   "conversations": [ { ...ConversationRecord, "messages": [ MessageRecord, ... ] } ],
//!   "attachments": [ { "sha256": "…", "mime": "image/jpeg", "data": "<base64>" }, ... ] }
//! ```
//!
//! `attachments` holds the bytes of each image and file the messages' parts name, once. It
//! came later than version 1 without changing it: a file without it imports (its parts
//! name attachments whose bytes did not come along), and a reader that does not know it
//! skips it.
//!
//! Both are streamed to the file a page at a time, so a history of any size is exported in
//! a bounded amount of memory. Import reads Confab JSON and ChatGPT's `conversations.json`
//! (see [`import`]); it is all-or-nothing.

pub mod export;
mod files;
pub mod import;
mod markdown;
mod markdown_tools;
mod record;

pub use export::{ExportFormat, ExportSummary, export_to_file};
pub use import::{
    ImportEvent, ImportKind, ImportLimits, ImportNote, ImportProgress, ImportSummary, import_file,
};
pub use record::{ConversationRecord, MessageRecord};

/// The `format` of a Confab conversations file.
pub const CONVERSATIONS_FORMAT: &str = "confab-conversations";
/// The version this app writes and reads.
pub const CONVERSATIONS_VERSION: u64 = 1;
