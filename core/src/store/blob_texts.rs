//! The text read out of a document blob (migration 18), kept beside its bytes: what a
//! request sends for a file part, what its preview shows and what search finds. A row goes
//! when its blob goes.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::error::{Error, Result};

/// The text of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobText {
    /// What the document was read as: `pdf`, `docx`, `markdown`, `text`, ...
    pub kind: String,
    pub text: String,
    /// Pages, slides or sheets; `None` for formats without pages.
    pub pages: Option<u32>,
    /// Byte offsets in `text` where each page, slide or sheet starts.
    pub page_starts: Vec<u32>,
    /// Characters in `text`.
    pub chars: u32,
    /// Tokens of `text`, counted as requests are budgeted.
    pub tokens: u32,
    /// Part of the document was left out (too long).
    pub truncated: bool,
}

impl BlobText {
    /// The text of the first `pages` pages (all of it when `pages` is `None` or reaches
    /// past the last page).
    pub fn first_pages(&self, pages: Option<u32>) -> &str {
        let Some(pages) = pages else {
            return &self.text;
        };
        let end = usize::try_from(pages)
            .ok()
            .and_then(|pages| self.page_starts.get(pages))
            .and_then(|&end| usize::try_from(end).ok())
            .filter(|&end| self.text.is_char_boundary(end))
            .unwrap_or(self.text.len());
        &self.text[..end]
    }
}

/// Stores the text of blob `sha256` unless it is stored already (the same bytes read the
/// same way).
pub async fn put(db: &impl ConnectionTrait, sha256: &str, text: &BlobText) -> Result<()> {
    let page_starts = serde_json::to_string(&text.page_starts)
        .map_err(|error| Error::internal("page offsets", error))?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO blob_texts (sha256, kind, text, pages, page_starts, chars, tokens, truncated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        [
            sha256.into(),
            text.kind.clone().into(),
            text.text.clone().into(),
            text.pages.into(),
            page_starts.into(),
            text.chars.into(),
            text.tokens.into(),
            text.truncated.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The text of blob `sha256`, if one was read from it.
pub async fn get(db: &impl ConnectionTrait, sha256: &str) -> Result<Option<BlobText>> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT kind, text, pages, page_starts, chars, tokens, truncated
             FROM blob_texts WHERE sha256 = ?",
            [sha256.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let page_starts: String = row.try_get_by_index(3)?;
    Ok(Some(BlobText {
        kind: row.try_get_by_index(0)?,
        text: row.try_get_by_index(1)?,
        pages: row.try_get_by_index(2)?,
        // Written by `put` only; a damaged list loses the page cuts, not the text.
        page_starts: serde_json::from_str(&page_starts).unwrap_or_default(),
        chars: row.try_get_by_index(4)?,
        tokens: row.try_get_by_index(5)?,
        truncated: row.try_get_by_index(6)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_pages_end_where_the_next_one_starts() {
        let text = BlobText {
            kind: "pdf".into(),
            text: "## Page 1\nA\n## Page 2\nB\n## Page 3\nC\n".into(),
            pages: Some(3),
            page_starts: vec![0, 12, 24],
            chars: 36,
            tokens: 20,
            truncated: false,
        };
        assert_eq!(text.first_pages(Some(1)), "## Page 1\nA\n");
        assert_eq!(text.first_pages(Some(2)), "## Page 1\nA\n## Page 2\nB\n");
        assert_eq!(text.first_pages(Some(9)), text.text);
        assert_eq!(text.first_pages(None), text.text);
        let broken = BlobText {
            page_starts: vec![0, 11_000],
            ..text.clone()
        };
        assert_eq!(broken.first_pages(Some(1)), text.text);
    }
}
