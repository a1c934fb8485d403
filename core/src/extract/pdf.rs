//! PDF: the text layer, page by page, each under a `## Page N` heading, read by lopdf.
//! lopdf returns errors rather than panicking and bounds what each stream may inflate
//! to, both while loading (object and cross-reference streams) and per page.
//! A PDF whose pages hold no text at all is a scan (or drawings): that is
//! [`ExtractError::ScannedDocument`], not an empty success.

use lopdf::{Document, LoadOptions};

use super::out::{Budget, Out};
use super::{ExtractError, Kind, Limits};

/// What one stream, or one page's content, may inflate to. Real page content is a few
/// hundred KiB; the total input cap bounds the number of streams.
const MAX_STREAM_BYTES: u64 = 32 * 1024 * 1024;

pub(super) fn read(
    bytes: &[u8],
    limits: &Limits,
    budget: &Budget,
    out: &mut Out,
) -> Result<(), ExtractError> {
    let per_stream =
        usize::try_from(MAX_STREAM_BYTES.min(limits.max_inflated_bytes)).unwrap_or(usize::MAX);
    let doc =
        Document::load_mem_with_options(bytes, LoadOptions::with_max_decompressed_size(per_stream))
            .map_err(load_error)?;
    budget.check()?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::malformed(Kind::Pdf, "no pages"));
    }
    let mut failed = 0usize;
    let mut first_error = None;
    for &number in pages.keys() {
        budget.check()?;
        if out.full() {
            break;
        }
        out.page(&format!("Page {number}"));
        for chunk in doc.extract_text_chunks_with_limit(&[number], per_stream) {
            match chunk {
                Ok(text) => out.push(&text),
                Err(e) => {
                    failed += 1;
                    first_error.get_or_insert(e);
                }
            }
        }
    }
    if out.has_words() {
        return Ok(());
    }
    if let Some(e) = first_error.filter(|_| failed > 0) {
        if doc.is_encrypted() {
            return Err(ExtractError::Encrypted);
        }
        return Err(ExtractError::malformed(Kind::Pdf, e));
    }
    let pages = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    Err(ExtractError::ScannedDocument { pages })
}

fn load_error(e: lopdf::Error) -> ExtractError {
    match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => ExtractError::Encrypted,
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit }) => {
            ExtractError::InflatesTooMuch { max: limit as u64 }
        }
        other => ExtractError::malformed(Kind::Pdf, other),
    }
}
