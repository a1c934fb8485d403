//! Reads the text out of an attached document, locally: plain text and its cousins
//! (Markdown, code, CSV/TSV, JSON), HTML, PDF, DOCX, PPTX and XLSX.
//!
//! Every input is hostile. The format is told by content (magic bytes, the zip's parts),
//! the file name only breaks ties between text kinds. Every reader works within
//! [`Limits`]: the input size, the bytes a zip may inflate to and its entry count, the
//! XML nesting depth, a time budget checked in every loop (where a cancel flag is checked
//! too), and the characters kept (past those the text is cut and [`Extracted::truncated`]
//! says so). Nothing here
//! panics on bad input: the property tests in `core/tests/extract_properties.rs` hold
//! each reader to that. The release profile aborts on panic, so `catch_unwind` would be
//! no safety net; the readers chosen return errors instead (lopdf bounds every stream
//! it inflates).
//!
//! [`extract`] is synchronous and CPU-bound: callers run it on a blocking thread.

mod detect;
mod html;
mod out;
mod pdf;
mod pptx;
mod text;
mod xlsx;
mod xml;
mod zip;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use serde::Serialize;
use specta::Type;

pub use detect::Kind;
use out::{Budget, Out};

/// How far extraction may go. [`Limits::default`] suits a desktop app.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest file read at all, in bytes.
    pub max_input_bytes: u64,
    /// What all entries of an Office zip may inflate to together (declared and actual).
    pub max_inflated_bytes: u64,
    /// The most entries an Office zip may hold.
    pub max_entries: usize,
    /// The deepest XML nesting accepted.
    pub max_xml_depth: usize,
    /// Characters kept; the text is cut there and marked truncated.
    pub max_chars: usize,
    /// Wall-clock time for one extraction.
    pub time_budget: Duration,
    /// Set from another thread to stop the extraction: it ends with
    /// [`ExtractError::Cancelled`] at the next check of the time budget.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input_bytes: 64 * 1024 * 1024,
            max_inflated_bytes: 256 * 1024 * 1024,
            max_entries: 10_000,
            max_xml_depth: 256,
            max_chars: 2_000_000,
            time_budget: Duration::from_secs(30),
            cancel: None,
        }
    }
}

/// The text of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Extracted {
    pub kind: Kind,
    /// The readable text; pages, slides and sheets each start with a `## ` heading.
    pub text: String,
    /// Pages (PDF), slides (PPTX) or sheets (XLSX); `None` for formats without pages.
    pub pages: Option<u32>,
    /// Byte offsets in `text` where each page, slide or sheet starts, so a caller can
    /// keep the first N of them when the whole does not fit.
    pub page_starts: Vec<u32>,
    /// Characters (Unicode scalar values) in `text`.
    pub chars: u32,
    /// The text was cut at [`Limits::max_chars`], or part of the document was left out
    /// (columns of a sheet past the widest table kept).
    pub truncated: bool,
}

/// Why a document gave no text. Each variant carries what its message needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Type)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ExtractError {
    #[error("the file is {size} bytes, more than the {max} read")]
    TooLarge { size: u64, max: u64 },
    #[error("the archive would inflate past {max} bytes (a decompression bomb?)")]
    InflatesTooMuch { max: u64 },
    #[error("the archive holds more than {max} entries")]
    TooManyEntries { max: u32 },
    #[error("the document nests deeper than {max} levels")]
    TooDeep { max: u32 },
    #[error("reading took longer than {seconds} s")]
    TimedOut { seconds: u32 },
    #[error("reading was cancelled")]
    Cancelled,
    #[error("no text found — this looks like a scanned document")]
    ScannedDocument { pages: u32 },
    #[error("the document is encrypted")]
    Encrypted,
    #[error("not a readable document ({what})")]
    Unsupported { what: String },
    #[error("binary data, not UTF-8 or UTF-16 text")]
    NotText,
    /// `kind` is `None` for a zip that breaks before its parts say what it is.
    #[error("a damaged {kind:?} file: {detail}")]
    Malformed { kind: Option<Kind>, detail: String },
}

impl ExtractError {
    fn malformed(kind: impl Into<Option<Kind>>, detail: impl std::fmt::Display) -> Self {
        let mut detail = detail.to_string();
        if detail.len() > 300 {
            let cut = (0..=300).rev().find(|i| detail.is_char_boundary(*i));
            detail.truncate(cut.unwrap_or(0));
        }
        Self::Malformed {
            kind: kind.into(),
            detail,
        }
    }
}

/// Reads the text of the document `bytes`, named `name` (the name is only a hint).
pub fn extract(name: &str, bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let size = bytes.len() as u64;
    if size > limits.max_input_bytes {
        return Err(ExtractError::TooLarge {
            size,
            max: limits.max_input_bytes,
        });
    }
    let budget = Budget::start(limits.time_budget, limits.cancel.clone());
    budget.check()?;
    let mut out = Out::new(limits.max_chars);
    let kind = match detect::sniff(name, bytes) {
        detect::Sniffed::Pdf => {
            pdf::read(bytes, limits, &budget, &mut out)?;
            Kind::Pdf
        }
        detect::Sniffed::Zip => {
            let mut archive = zip::Archive::open(bytes, limits)?;
            let kind = archive.office_kind()?;
            match kind {
                Kind::Docx => {
                    // The main part, paragraph by paragraph; tracked deletions and field
                    // codes live outside `w:t` and are left out.
                    let part = archive.read("word/document.xml", &budget)?.ok_or_else(|| {
                        ExtractError::malformed(Kind::Docx, "no word/document.xml")
                    })?;
                    xml::write_text(&part, Kind::Docx, limits, &budget, &mut out)?;
                }
                Kind::Pptx => pptx::read(&mut archive, limits, &budget, &mut out)?,
                _ => {
                    archive.check_all(&budget)?;
                    xlsx::read(bytes, &budget, &mut out)?
                }
            }
            kind
        }
        detect::Sniffed::Binary(what) => {
            return Err(ExtractError::Unsupported { what: what.into() });
        }
        detect::Sniffed::Text => {
            let decoded = text::decode(bytes)?;
            let kind = detect::text_kind(name, &decoded);
            if kind == Kind::Html {
                html::read(&decoded, &budget, &mut out)?;
            } else {
                out.push(&decoded);
            }
            kind
        }
    };
    Ok(out.finish(kind))
}
