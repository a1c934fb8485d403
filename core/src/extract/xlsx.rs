//! XLSX: each sheet as a Markdown table under a `## Sheet: name` heading, read by
//! calamine. Cells are streamed, never laid out in a full grid: a sheet with one cell
//! in A1 and one in XFD1048576 must not allocate seventeen billion cells. Blank rows
//! are skipped and tables are at most [`MAX_COLUMNS`] wide.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};

use super::out::{Budget, Out};
use super::{ExtractError, Kind};

const MAX_COLUMNS: u32 = 256;
const CELLS_PER_CHECK: u32 = 4096;

/// The caller has already inflated every entry of the zip within the limits.
pub(super) fn read(bytes: &[u8], budget: &Budget, out: &mut Out) -> Result<(), ExtractError> {
    let bad = |e: &dyn std::fmt::Display| ExtractError::malformed(Kind::Xlsx, e);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    for name in book.sheet_names() {
        budget.check()?;
        if out.full() {
            break;
        }
        out.page(&format!("Sheet: {name}"));
        let cells = sheet_cells(&mut book, &name, out.room(), budget)?;
        table(&cells, out);
    }
    Ok(())
}

/// The sheet's non-empty cells as `(row, column, text)`, sorted, stopping once they
/// hold more characters than `room`.
fn sheet_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    room: usize,
    budget: &Budget,
) -> Result<Vec<(u32, u32, String)>, ExtractError> {
    let bad = |e: &dyn std::fmt::Display| ExtractError::malformed(Kind::Xlsx, e);
    let mut reader = book.worksheet_cells_reader(name).map_err(|e| bad(&e))?;
    let mut cells = Vec::new();
    let mut chars = 0usize;
    let mut seen: u32 = 0;
    while let Some(cell) = reader.next_cell().map_err(|e| bad(&e))? {
        seen = seen.wrapping_add(1);
        if seen.is_multiple_of(CELLS_PER_CHECK) {
            budget.check()?;
        }
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        chars += text.chars().count() + 3;
        let (row, column) = cell.get_position();
        cells.push((row, column, text));
        if chars > room {
            break;
        }
    }
    cells.sort_by_key(|(row, column, _)| (*row, *column));
    Ok(cells)
}

fn cell_text(value: &DataRef<'_>) -> String {
    let text = match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(x) => x.to_string(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    };
    // A cell must stay on its row of the table.
    text.trim().replace('|', "\\|").replace(['\r', '\n'], " ")
}

fn table(cells: &[(u32, u32, String)], out: &mut Out) {
    let Some(first) = cells.iter().map(|c| c.1).min() else {
        out.push("(empty sheet)\n");
        return;
    };
    let last = cells.iter().map(|c| c.1).max().unwrap_or(first);
    let width = (last - first + 1).min(MAX_COLUMNS);
    if last - first + 1 > MAX_COLUMNS {
        out.mark_left_out();
    }
    let mut rows = cells.chunk_by(|a, b| a.0 == b.0).peekable();
    let mut header = true;
    while let Some(row) = rows.next() {
        let mut line = String::from("|");
        let mut next = row.iter().peekable();
        for column in first..first + width {
            line.push(' ');
            if let Some((_, _, text)) = next.next_if(|c| c.1 == column) {
                line.push_str(text);
            }
            line.push_str(" |");
        }
        line.push('\n');
        out.push(&line);
        if header {
            out.push(&format!("|{}\n", " --- |".repeat(width as usize)));
            header = false;
        }
        if out.full() || rows.peek().is_none() {
            break;
        }
    }
}
