//! Files attached to a message: an image goes to the model as an image (see [`image`]), a
//! document as its text. What a file is, is read from its bytes, not its name: a name only
//! tells apart kinds of text (Markdown, CSV, JSON).
//!
//! Files are outside data: every one ends in a part or a typed problem at `file`, within a
//! size limit, and the work on its bytes runs off the async workers.

pub mod image;
mod index;

use sea_orm::ConnectionTrait;

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::store::blobs;
use crate::vocab::Part;

pub use index::index_document;

/// The largest text document taken.
pub const MAX_TEXT_BYTES: usize = 5 * 1024 * 1024;
/// Characters kept of a file's name.
pub const MAX_NAME_CHARS: usize = 255;
/// Where problems about the file point.
const PATH: &str = "file";

/// Reads the file `name` with content `bytes`, stores what is kept of it, and returns the
/// part a message names it with: [`Part::Image`] (scaled down, encoded again, its metadata
/// gone) or [`Part::File`] (a UTF-8 text document, as it is).
pub async fn attach(db: &impl ConnectionTrait, name: &str, bytes: Vec<u8>) -> Result<Part> {
    let name = clean_name(name);
    if image::sniff(&bytes).is_some() {
        let prepared = tokio::task::spawn_blocking(move || image::prepare(&bytes, PATH))
            .await
            .map_err(|error| Error::internal("image preparation", error))??;
        let sha256 = blobs::put(db, prepared.mime, &prepared.data).await?;
        return Ok(Part::Image {
            sha256,
            mime: prepared.mime.to_string(),
            name: Some(name),
            width: prepared.width,
            height: prepared.height,
        });
    }
    let mime = text_mime(&bytes, &name)?;
    let sha256 = blobs::put(db, mime, &bytes).await?;
    Ok(Part::File {
        sha256,
        name,
        mime: mime.to_string(),
        bytes: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        chars: 0,
        pages: None,
        tokens: 0,
        truncated: false,
        pages_sent: None,
    })
}

/// The type of a text document, or why `bytes` are not one that is read yet.
fn text_mime(bytes: &[u8], name: &str) -> Result<&'static str> {
    if let Some(kind) = document_kind(bytes, name) {
        return Err(Error::invalid(
            Problem::new(PATH, Rule::UnsupportedFile).value(kind),
        ));
    }
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(Error::invalid(Problem::limit(
            PATH,
            Rule::TooLarge,
            MAX_TEXT_BYTES,
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let problem = if looks_binary(bytes) {
            Problem::new(PATH, Rule::UnsupportedFile)
        } else {
            Problem::new(PATH, Rule::NotUtf8)
                .detail(format!("invalid UTF-8 at byte {}", error.valid_up_to()))
        };
        Error::invalid(problem)
    })?;
    if text.contains('\0') {
        return Err(Error::invalid(Problem::new(PATH, Rule::UnsupportedFile)));
    }
    Ok(match extension(name).as_str() {
        "md" | "markdown" => "text/markdown",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "json" => "application/json",
        _ => "text/plain",
    })
}

/// The kind of a document that is not read yet, by its first bytes (and, for the zip-based
/// office formats, its name): `pdf`, `docx`, `html`, ...
fn document_kind(bytes: &[u8], name: &str) -> Option<String> {
    if bytes.starts_with(b"%PDF-") {
        return Some("pdf".into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let ext = extension(name);
        let office = ["docx", "xlsx", "pptx", "odt", "ods", "odp"];
        return Some(if office.contains(&ext.as_str()) {
            ext
        } else {
            "zip".into()
        });
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        // ISO media: HEIC and AVIF photos, videos.
        return Some("heic/avif/mp4".into());
    }
    if ::image::guess_format(bytes).is_ok() && std::str::from_utf8(bytes).is_err() {
        // An image format that is not accepted (BMP, TIFF, ICO...).
        return Some(image_kind(bytes));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return Some("html".into());
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

/// Whether `bytes` look like a program or other binary data rather than text in another
/// encoding: a NUL byte in their first 8 KiB, which text in GBK, Latin-1 or UTF-8 lacks.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// The lowercase extension of `name`, or nothing.
fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
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
