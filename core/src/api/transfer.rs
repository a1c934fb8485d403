//! Conversations to and from files: export (Markdown, Confab JSON) and import (Confab JSON,
//! ChatGPT's conversations.json) with progress.

use std::path::Path;

use super::Api;
use crate::error::Result;
use crate::transfer::{
    self, ExportFormat, ExportSummary, ImportEvent, ImportKind, ImportLimits, ImportSummary,
};

impl Api {
    /// Writes the conversations `ids` (every conversation when `None`) to `path`.
    pub async fn export_conversations(
        &self,
        ids: Option<&[String]>,
        format: ExportFormat,
        path: &Path,
    ) -> Result<ExportSummary> {
        transfer::export_to_file(self.conn(), ids, format, path).await
    }

    /// Imports the file at `path` as `kind`, all or nothing; progress goes to `on_event`.
    pub async fn import_conversations(
        &self,
        path: &Path,
        kind: ImportKind,
        on_event: impl FnMut(ImportEvent) + Send,
    ) -> Result<ImportSummary> {
        transfer::import_file(self.conn(), path, kind, ImportLimits::default(), on_event).await
    }
}
