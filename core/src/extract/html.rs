//! HTML: the readable text, laid out as plain text (headings, lists, tables kept;
//! scripts, styles and tags dropped) by html2text over html5ever's spec parser.

use super::out::{Budget, Out};
use super::{ExtractError, Kind};

/// Lines are wrapped at this width; wide enough not to break prose mid-sentence.
const WIDTH: usize = 200;

pub(super) fn read(html: &str, budget: &Budget, out: &mut Out) -> Result<(), ExtractError> {
    budget.check()?;
    let text = html2text::config::plain()
        .allow_width_overflow()
        .no_link_wrapping()
        .string_from_read(html.as_bytes(), WIDTH)
        .map_err(|e| ExtractError::malformed(Kind::Html, e))?;
    budget.check()?;
    for line in text.lines() {
        out.push(line.trim_end());
        out.push_char('\n');
    }
    Ok(())
}
