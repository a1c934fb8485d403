//! Files attached to a message: an image goes to the model as an image (see [`image`]), a
//! document as the text read out of it (see [`document`]: text, Markdown, code, CSV/TSV,
//! JSON, HTML, PDF, DOCX, PPTX, XLSX). What a file is, is read from its bytes, not its
//! name: a name only tells apart kinds of text (Markdown, CSV, JSON).
//!
//! Files are outside data: every one ends in a part or a typed problem at `file`, within
//! the read's size limit ([`Reading`]), and the work on its bytes runs off the async
//! workers and can be stopped ([`Running`]).

mod document;
pub mod image;
mod reading;
mod source;

use std::path::Path;

use sea_orm::ConnectionTrait;

pub use reading::{MAX_ID_CHARS, MAX_RUNNING, Reading, Running, RunningRead};

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::blobs;
use crate::vocab::Part;

pub use document::index_document;
pub(crate) use document::problem as extract_problem;

/// Characters kept of a file's name.
pub const MAX_NAME_CHARS: usize = 255;
/// Where problems about the file point.
const PATH: &str = "file";

/// [`attach_with`] within the default limits, never stopped: for imports and tools.
pub async fn attach(db: &impl ConnectionTrait, name: &str, bytes: Vec<u8>) -> Result<Part> {
    attach_with(db, name, bytes, &Reading::default()).await
}

/// Reads the file `name` with content `bytes`, stores what is kept of it, and returns the
/// part a message names it with: [`Part::Image`] (scaled down, encoded again, its metadata
/// gone) or [`Part::File`] (its bytes as they are, its text read out and counted).
pub async fn attach_with(
    db: &impl ConnectionTrait,
    name: &str,
    bytes: Vec<u8>,
    reading: &Reading,
) -> Result<Part> {
    let name = clean_name(name);
    reading.check_size(bytes.len() as u64)?;
    if image::sniff(&bytes).is_some() {
        let prepared = tokio::task::spawn_blocking(move || image::prepare(&bytes, PATH))
            .await
            .map_err(|error| Error::internal("image preparation", error))??;
        reading.check_cancelled()?;
        let sha256 = blobs::put(db, prepared.mime, &prepared.data).await?;
        return Ok(Part::Image {
            sha256,
            mime: prepared.mime.to_string(),
            name: Some(name),
            width: prepared.width,
            height: prepared.height,
        });
    }
    if let Some(kind) = unread_image_kind(&bytes) {
        return Err(Error::invalid(
            Problem::new(PATH, Rule::UnsupportedFile).value(kind),
        ));
    }
    document::attach(db, name, bytes, reading).await
}

/// [`attach_with`] the file at `path` (dropped or chosen), named by its file name. A file
/// over the limit is refused by its size before it is read.
pub async fn attach_path(
    db: &impl ConnectionTrait,
    path: &Path,
    reading: &Reading,
) -> Result<Part> {
    let bytes = source::read_file(path, reading).await?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    attach_with(db, &name, bytes, reading).await
}

/// [`attach_with`] the file `name` given as base64 text `data` (pasted; a `data:` URL is
/// taken too).
pub async fn attach_base64(
    db: &impl ConnectionTrait,
    name: &str,
    data: String,
    reading: &Reading,
) -> Result<Part> {
    let bytes = source::decode_base64(data, reading).await?;
    attach_with(db, name, bytes, reading).await
}

/// The kind of a picture or video that is not read (BMP, TIFF, ICO, HEIC...), by its first
/// bytes.
fn unread_image_kind(bytes: &[u8]) -> Option<String> {
    if bytes.get(4..8) == Some(b"ftyp") {
        // ISO media: HEIC and AVIF photos, videos.
        return Some("heic/avif/mp4".into());
    }
    if ::image::guess_format(bytes).is_ok() && std::str::from_utf8(bytes).is_err() {
        return Some(image_kind(bytes));
    }
    None
}

fn image_kind(bytes: &[u8]) -> String {
    ::image::guess_format(bytes)
        .ok()
        .and_then(|format| format.extensions_str().first().copied())
        .unwrap_or("image")
        .to_string()
}

/// The file name alone (no folders), without control characters, at most
/// [`MAX_NAME_CHARS`] characters; `file` when nothing is left.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "file".to_string()
    } else {
        clean.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\me\\报告.md"), "报告.md");
        assert_eq!(clean_name("/tmp/a\u{0}b\n.txt"), "ab.txt");
        assert_eq!(clean_name("  "), "file");
        assert_eq!(clean_name(&"x".repeat(400)).chars().count(), MAX_NAME_CHARS);
    }
}
