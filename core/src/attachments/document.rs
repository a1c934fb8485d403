//! A document attached: its text read out (by [`crate::extract`], on a blocking thread,
//! within the read's limits) and counted in tokens, its bytes and its text stored, and the
//! file part that names them. Every way reading can fail is a typed problem at `file`.

use sea_orm::ConnectionTrait;

use super::{PATH, Reading};
use crate::error::{Error, Result};
use crate::extract::{self, ExtractError, Extracted, Kind};
use crate::problem::{Problem, Rule};
use crate::store::blob_texts::{self, BlobText};
use crate::store::blobs;
use crate::vocab::{Part, count_tokens};

/// Reads, stores and names the document `name` with content `bytes`.
pub(super) async fn attach(
    db: &impl ConnectionTrait,
    name: String,
    bytes: Vec<u8>,
    reading: &Reading,
) -> Result<Part> {
    let (name, bytes, read) = read(name, bytes, reading).await?;
    let (kind, stored) = read.map_err(Error::invalid)?;
    // Counting tokens cannot be stopped; a cancel that came meanwhile still counts.
    reading.check_cancelled()?;
    let mime = names(kind).1;
    let sha256 = blobs::put(db, mime, &bytes).await?;
    blob_texts::put(db, &sha256, &stored).await?;
    // The same bytes attached before under a name that read them another way (`.html`,
    // then `.md`) keep the text stored then: the part describes what a request will send.
    let stored = blob_texts::get(db, &sha256).await?.unwrap_or(stored);
    Ok(Part::File {
        sha256,
        name,
        mime: mime.to_string(),
        bytes: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        chars: stored.chars,
        pages: stored.pages,
        tokens: stored.tokens,
        truncated: stored.truncated,
        pages_sent: None,
    })
}

/// Reads the text of the document blob `sha256` (content `bytes`, named `name`), stored
/// already, into `blob_texts` unless it is there: an imported file brings the bytes, never
/// the text a request sends for them. A document that gives no text (a scan, a damaged
/// file) keeps none; its part stays, with nothing to send but its name.
pub async fn index_document(
    db: &impl ConnectionTrait,
    sha256: &str,
    name: &str,
    bytes: &[u8],
) -> Result<()> {
    if blob_texts::get(db, sha256).await?.is_some() {
        return Ok(());
    }
    let (_, _, read) = read(name.to_string(), bytes.to_vec(), &Reading::default()).await?;
    match read {
        Ok((_, text)) => blob_texts::put(db, sha256, &text).await,
        Err(problem) => {
            tracing::warn!(%problem, "an imported document gave no text");
            Ok(())
        }
    }
}

/// The text of the document `bytes` as stored (kind, text, tokens), or the problem it is,
/// read on a blocking thread within `reading`'s limits. Hands `name` and `bytes` back.
async fn read(
    name: String,
    bytes: Vec<u8>,
    reading: &Reading,
) -> Result<(
    String,
    Vec<u8>,
    std::result::Result<(Kind, BlobText), Problem>,
)> {
    let limits = reading.limits();
    let max_inflated = limits.max_inflated_bytes;
    let max_bytes = reading.max_bytes;
    tokio::task::spawn_blocking(move || {
        let read = match extract::extract(&name, &bytes, &limits) {
            Ok(text) => {
                let tokens = count_tokens(&text.text);
                Ok(stored_text(text, tokens))
            }
            Err(error) => Err(problem(error, &bytes, max_bytes, max_inflated)),
        };
        (name, bytes, read)
    })
    .await
    .map_err(|error| Error::internal("document extraction", error))
}

/// What `blob_texts` keeps of a document read as `text`, of `tokens` tokens.
fn stored_text(text: Extracted, tokens: u32) -> (Kind, BlobText) {
    let Extracted {
        kind,
        text,
        pages,
        page_starts,
        chars,
        truncated,
    } = text;
    let stored = BlobText {
        kind: names(kind).0.to_string(),
        text,
        pages,
        page_starts,
        chars,
        tokens,
        truncated,
    };
    (kind, stored)
}

/// The name a kind is stored under and the type its bytes are stored as.
fn names(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Text => ("text", "text/plain"),
        Kind::Markdown => ("markdown", "text/markdown"),
        Kind::Code => ("code", "text/plain"),
        Kind::Csv => ("csv", "text/csv"),
        Kind::Tsv => ("tsv", "text/tab-separated-values"),
        Kind::Json => ("json", "application/json"),
        Kind::Html => ("html", "text/html"),
        Kind::Pdf => ("pdf", "application/pdf"),
        Kind::Docx => (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Kind::Pptx => (
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        Kind::Xlsx => (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }
}

/// The problem an extraction failure is, for a file of `bytes` read with a size limit of
/// `max_bytes` and an inflation limit of `max_inflated`.
pub(crate) fn problem(
    error: ExtractError,
    bytes: &[u8],
    max_bytes: u64,
    max_inflated: u64,
) -> Problem {
    let detail = error.to_string();
    match error {
        ExtractError::TooLarge { .. } => Problem::limit(PATH, Rule::TooLarge, max_bytes),
        ExtractError::InflatesTooMuch { max } => Problem::limit(PATH, Rule::DecompressionBomb, max),
        ExtractError::TooManyEntries { .. } | ExtractError::TooDeep { .. } => {
            Problem::limit(PATH, Rule::DecompressionBomb, max_inflated).detail(detail)
        }
        ExtractError::TimedOut { seconds } => Problem::limit(PATH, Rule::TookTooLong, seconds),
        ExtractError::Cancelled => Problem::new(PATH, Rule::Cancelled),
        ExtractError::ScannedDocument { pages } => {
            let mut problem = Problem::new(PATH, Rule::ScannedDocument);
            problem.params.count = Some(i64::from(pages));
            problem
        }
        ExtractError::Encrypted => Problem::new(PATH, Rule::EncryptedDocument),
        ExtractError::Unsupported { what } => {
            Problem::new(PATH, Rule::UnsupportedFile).detail(what)
        }
        ExtractError::NotText => not_text(bytes),
        ExtractError::Malformed { kind, detail } => {
            let problem = Problem::new(PATH, Rule::DamagedFile).detail(detail);
            match kind {
                Some(kind) => problem.value(names(kind).0),
                None => problem,
            }
        }
    }
}

/// Bytes that are not text: UTF-16 that breaks, or text in another encoding, say so;
/// binary data (a NUL, which text in GBK, Latin-1 or UTF-8 lacks) cannot be attached.
fn not_text(bytes: &[u8]) -> Problem {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Problem::new(PATH, Rule::NotUtf8).detail("invalid UTF-16");
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Problem::new(PATH, Rule::UnsupportedFile);
    }
    match std::str::from_utf8(bytes) {
        Err(error) => Problem::new(PATH, Rule::NotUtf8)
            .detail(format!("invalid UTF-8 at byte {}", error.valid_up_to())),
        Ok(_) => Problem::new(PATH, Rule::UnsupportedFile),
    }
}
