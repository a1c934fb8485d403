//! The text of a document blob that is stored already, read again from its bytes: an
//! imported file brings the bytes, never the text a request sends for them.
//!
//! UTF-8 text documents only, for now; a document of another kind keeps no text here.

use sea_orm::ConnectionTrait;

use super::{MAX_TEXT_BYTES, extension};
use crate::error::{Error, Result};
use crate::store::blob_texts::{self, BlobText};

/// Reads the text of the document `bytes` (stored as blob `sha256`, named `name`) into
/// `blob_texts`, unless it is not UTF-8 text.
pub async fn index_document(
    db: &impl ConnectionTrait,
    sha256: &str,
    name: &str,
    bytes: &[u8],
) -> Result<()> {
    if bytes.len() > MAX_TEXT_BYTES || bytes.contains(&0) {
        return Ok(());
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let kind = match extension(name).as_str() {
        "md" | "markdown" => "markdown",
        "csv" => "csv",
        "tsv" => "tsv",
        "json" => "json",
        _ => "text",
    };
    let text = text.to_string();
    // Counting the tokens of megabytes of text is CPU work: off the async workers.
    let (text, tokens) = tokio::task::spawn_blocking(move || {
        let tokens = text_tokens(&text);
        (text, tokens)
    })
    .await
    .map_err(|error| Error::internal("document tokens", error))?;
    let stored = BlobText {
        kind: kind.to_string(),
        chars: u32::try_from(text.chars().count()).unwrap_or(u32::MAX),
        text,
        pages: None,
        page_starts: Vec::new(),
        tokens,
        truncated: false,
    };
    blob_texts::put(db, sha256, &stored).await
}

/// Tokens of `text`, counted with the same encoding as the request budget (o200k; the
/// budget's own counter is in `chat`, which this layer may not reach).
fn text_tokens(text: &str) -> u32 {
    let encoded = tiktoken_rs::o200k_base_singleton().encode_ordinary(text);
    u32::try_from(encoded.len()).unwrap_or(u32::MAX)
}
