//! Attaching files (by path or pasted bytes, each read under an id the UI can stop), and
//! what the UI shows of a stored attachment: an image as a data URL, a document's text.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use specta::Type;

use super::Api;
use crate::attachments::{self, RunningRead};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::{blob_texts, blobs};
use crate::vocab::Part;

/// Most characters of a document's text one preview carries.
pub const MAX_PREVIEW_CHARS: u32 = 200_000;

/// The start of a document's text, for its preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentText {
    /// At most the characters asked for.
    pub text: String,
    /// Characters of the whole text read out of the document.
    pub chars: u32,
    pub pages: Option<u32>,
    /// `text` is not the whole document: cut here, or when it was read.
    pub truncated: bool,
}

impl Api {
    /// Attaches the file at `path` (dropped or chosen) as read `attach_id`.
    pub async fn attach_path(&self, attach_id: &str, path: &str) -> Result<Part> {
        let read = self.start_attach(attach_id)?;
        attachments::attach_path(self.conn(), Path::new(path), &read.reading).await
    }

    /// Attaches the pasted file `name`, given as base64, as read `attach_id`.
    pub async fn attach_bytes(
        &self,
        attach_id: &str,
        name: &str,
        data_base64: String,
    ) -> Result<Part> {
        let read = self.start_attach(attach_id)?;
        attachments::attach_base64(self.conn(), name, data_base64, &read.reading).await
    }

    /// Stops the read `attach_id`: it ends with rule `cancelled`. Nothing when it has ended.
    pub fn cancel_attach(&self, attach_id: &str) {
        self.attaching.cancel(attach_id);
    }

    pub(super) fn start_attach(&self, attach_id: &str) -> Result<RunningRead> {
        let max_bytes = self.engine.settings().max_attachment_bytes();
        self.attaching.start(attach_id, max_bytes)
    }

    /// The first `max_chars` characters (at most [`MAX_PREVIEW_CHARS`]) of the text read
    /// out of the document `sha256`.
    pub async fn attachment_text(&self, sha256: &str, max_chars: u32) -> Result<AttachmentText> {
        let stored = blob_texts::get(self.conn(), sha256)
            .await?
            .ok_or_else(|| Error::not_found("attachment text", sha256))?;
        let max = usize::try_from(max_chars.min(MAX_PREVIEW_CHARS)).unwrap_or(usize::MAX);
        let cut = stored.text.char_indices().nth(max).map(|(at, _)| at);
        let mut text = stored.text;
        if let Some(at) = cut {
            text.truncate(at);
        }
        Ok(AttachmentText {
            text,
            chars: stored.chars,
            pages: stored.pages,
            truncated: cut.is_some() || stored.truncated,
        })
    }

    /// The stored image `sha256` as a `data:` URL, for thumbnails and the large view.
    pub async fn image_data_url(&self, sha256: &str) -> Result<String> {
        let blob = blobs::get(self.conn(), sha256).await?;
        if !blob.mime.starts_with("image/") {
            return Err(Error::invalid(
                Problem::new("sha256", Rule::WrongFormat).value("image"),
            ));
        }
        Ok(format!(
            "data:{};base64,{}",
            blob.mime,
            STANDARD.encode(&blob.data)
        ))
    }
}
