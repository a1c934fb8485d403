//! Office files are zips; a zip is where a small file can become a huge one. Before
//! anything is inflated, the entry count and the sizes the archive declares are held to
//! [`Limits`]; while inflating, the bytes actually produced are counted too (a declared
//! size can lie), across all entries of the archive.

use std::io::{Cursor, Read};

use ::zip::ZipArchive;
use ::zip::result::ZipError;

use super::out::Budget;
use super::{ExtractError, Kind, Limits};

/// Inflation reads in slices this large, checking the time budget between them.
const CHUNK: usize = 64 * 1024;

pub(super) struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// The document kind, once known (for error messages).
    kind: Option<Kind>,
    /// Bytes that may still be inflated from this archive.
    room: u64,
    max_inflated: u64,
}

impl<'a> Archive<'a> {
    pub(super) fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, ExtractError> {
        let max_entries = u32::try_from(limits.max_entries).unwrap_or(u32::MAX);
        // The central directory is read whole when the archive opens: check the count it
        // declares first, so a million-entry directory is refused before it is parsed.
        if end_record_entries(bytes).is_some_and(|n| n as usize > limits.max_entries) {
            return Err(ExtractError::TooManyEntries { max: max_entries });
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(None, e))?;
        if zip.len() > limits.max_entries {
            return Err(ExtractError::TooManyEntries { max: max_entries });
        }
        let mut archive = Self {
            zip,
            kind: None,
            room: limits.max_inflated_bytes,
            max_inflated: limits.max_inflated_bytes,
        };
        let mut declared: u64 = 0;
        for i in 0..archive.zip.len() {
            let entry = archive
                .zip
                .by_index_raw(i)
                .map_err(|e| zip_error(None, e))?;
            declared = declared.saturating_add(entry.size());
        }
        if declared > archive.max_inflated {
            return Err(archive.bomb());
        }
        Ok(archive)
    }

    fn bomb(&self) -> ExtractError {
        ExtractError::InflatesTooMuch {
            max: self.max_inflated,
        }
    }

    /// Which Office document this is, by the parts it holds.
    pub(super) fn office_kind(&mut self) -> Result<Kind, ExtractError> {
        let has = |name: &str| self.zip.index_for_name(name).is_some();
        let kind = if has("word/document.xml") {
            Kind::Docx
        } else if has("ppt/presentation.xml") {
            Kind::Pptx
        } else if has("xl/workbook.xml") {
            Kind::Xlsx
        } else if has("[Content_Types].xml") {
            return Err(ExtractError::Unsupported {
                what: "an Office file other than DOCX, PPTX or XLSX".into(),
            });
        } else {
            return Err(ExtractError::Unsupported {
                what: "a zip archive".into(),
            });
        };
        self.kind = Some(kind);
        Ok(kind)
    }

    pub(super) fn names(&self) -> impl Iterator<Item = &str> {
        self.zip
            .file_names_raw()
            .filter_map(|n| std::str::from_utf8(n).ok())
    }

    /// The inflated bytes of entry `name`, or `None` when there is no such entry.
    pub(super) fn read(
        &mut self,
        name: &str,
        budget: &Budget,
    ) -> Result<Option<Vec<u8>>, ExtractError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let mut data = Vec::new();
        self.inflate(index, Some(&mut data), budget)?;
        Ok(Some(data))
    }

    /// Inflates every entry once, counting, for readers that inflate by themselves.
    pub(super) fn check_all(&mut self, budget: &Budget) -> Result<(), ExtractError> {
        for index in 0..self.zip.len() {
            self.inflate(index, None, budget)?;
        }
        Ok(())
    }

    fn inflate(
        &mut self,
        index: usize,
        mut keep: Option<&mut Vec<u8>>,
        budget: &Budget,
    ) -> Result<(), ExtractError> {
        let room = self.room;
        let bomb = self.bomb();
        let kind = self.kind;
        let mut entry = self.zip.by_index(index).map_err(|e| zip_error(kind, e))?;
        if entry.size() > room {
            return Err(bomb);
        }
        let mut chunk = vec![0u8; CHUNK];
        let mut produced: u64 = 0;
        loop {
            budget.check()?;
            let n = entry
                .read(&mut chunk)
                .map_err(|e| ExtractError::malformed(kind, e))?;
            if n == 0 {
                break;
            }
            produced += n as u64;
            if produced > room {
                return Err(bomb);
            }
            if let Some(keep) = keep.as_deref_mut() {
                keep.extend_from_slice(&chunk[..n]);
            }
        }
        self.room -= produced;
        Ok(())
    }
}

fn zip_error(kind: Option<Kind>, e: ZipError) -> ExtractError {
    match e {
        ZipError::UnsupportedArchive(what) if what == ZipError::PASSWORD_REQUIRED => {
            ExtractError::Encrypted
        }
        other => ExtractError::malformed(kind, other),
    }
}

/// The entry count in the end-of-central-directory record, if one is found.
fn end_record_entries(bytes: &[u8]) -> Option<u16> {
    // The record is 22 bytes plus a comment of at most 64 KiB, at the very end.
    let tail_start = bytes.len().saturating_sub(22 + 0xFFFF);
    let tail = &bytes[tail_start..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let count = tail.get(at + 10..at + 12)?;
    Some(u16::from_le_bytes([count[0], count[1]]))
}
