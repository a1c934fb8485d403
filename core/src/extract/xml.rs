//! A streaming walk over the XML parts of Office files, held to a nesting depth and
//! the time budget. quick-xml keeps no tree, so memory stays at the size of one part.

use std::borrow::Cow;
use std::ops::ControlFlow;

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

use super::out::{Budget, Out};
use super::{ExtractError, Kind, Limits};

/// The time budget is checked once per this many events.
const EVENTS_PER_CHECK: u32 = 4096;

pub(super) enum Node<'a> {
    /// An element opens (`empty`: it also closes at once), by its local name.
    Open {
        name: &'a str,
        empty: bool,
    },
    Close {
        name: &'a str,
    },
    Text(Cow<'a, str>),
}

/// Calls `visit` for each element and text of `xml`, until the end or until it breaks.
pub(super) fn walk(
    xml: &[u8],
    kind: Kind,
    limits: &Limits,
    budget: &Budget,
    mut visit: impl FnMut(Node<'_>) -> ControlFlow<()>,
) -> Result<(), ExtractError> {
    let bad = |e: &dyn std::fmt::Display| ExtractError::malformed(kind, e);
    let xml = std::str::from_utf8(xml).map_err(|e| bad(&e))?;
    let mut reader = Reader::from_str(xml);
    let mut depth: usize = 0;
    let mut events: u32 = 0;
    loop {
        events = events.wrapping_add(1);
        if events.is_multiple_of(EVENTS_PER_CHECK) {
            budget.check()?;
        }
        let flow = match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) => {
                depth += 1;
                if depth > limits.max_xml_depth {
                    let max = u32::try_from(limits.max_xml_depth).unwrap_or(u32::MAX);
                    return Err(ExtractError::TooDeep { max });
                }
                visit(Node::Open {
                    name: e.local_name().as_ref(),
                    empty: false,
                })
            }
            Event::Empty(e) => visit(Node::Open {
                name: e.local_name().as_ref(),
                empty: true,
            }),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                visit(Node::Close {
                    name: e.local_name().as_ref(),
                })
            }
            Event::Text(t) => visit(Node::Text(t.xml10_content())),
            Event::CData(t) => visit(Node::Text(t.xml10_content())),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => Some(Cow::Owned(c.to_string())),
                    None => resolve_predefined_entity(&r).map(Cow::Borrowed),
                };
                match resolved {
                    Some(text) => visit(Node::Text(text)),
                    None => ControlFlow::Continue(()),
                }
            }
            Event::Eof => return Ok(()),
            _ => ControlFlow::Continue(()),
        };
        if flow.is_break() {
            return Ok(());
        }
    }
}

/// Writes the text of a WordprocessingML or DrawingML part: what `t` elements hold, a
/// tab for `tab` and after each table cell `tc`, a line break for `br` and `cr` and
/// after each paragraph `p` and table row `tr`. Both vocabularies use these local names.
pub(super) fn write_text(
    xml: &[u8],
    kind: Kind,
    limits: &Limits,
    budget: &Budget,
    out: &mut Out,
) -> Result<(), ExtractError> {
    let mut in_text = false;
    walk(xml, kind, limits, budget, |node| {
        match node {
            Node::Open {
                name: "t",
                empty: false,
            } => in_text = true,
            Node::Close { name: "t" } => in_text = false,
            Node::Open { name: "tab", .. } => out.push_char('\t'),
            Node::Open {
                name: "br" | "cr", ..
            } => out.push_char('\n'),
            Node::Close { name: "p" | "tr" } => out.end_line(),
            Node::Close { name: "tc" } => out.push_char('\t'),
            Node::Text(text) if in_text => out.push(&text),
            _ => {}
        }
        if out.full() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
}
