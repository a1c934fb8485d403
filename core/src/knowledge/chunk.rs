//! A document's text cut into chunks for retrieval: along its structure (Markdown headings,
//! paragraphs, code blocks; sentences and words below that), sized in tokens as requests
//! count them, consecutive chunks overlapping by a few tokens so a passage cut in two is
//! still found whole in one of them.
//!
//! The cutting is `text-splitter`'s; this module sizes it with [`count_tokens`] and gives
//! each chunk where it came from: its byte offset, its page (from the extractor's
//! `page_starts`) and the path of the Markdown headings above it. The input is outside
//! data: nothing here panics on any text, and silly options are clamped rather than
//! refused.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use text_splitter::{ChunkConfig, ChunkSizer, MarkdownSplitter, TextSplitter};

use crate::vocab::count_tokens;

/// The largest chunk size taken (embedding models read at most a few thousand tokens).
pub const MAX_CHUNK_TOKENS: u32 = 8192;
/// The smallest chunk size taken: smaller ones would cut inside most words.
pub const MIN_CHUNK_TOKENS: u32 = 8;
/// What separates the headings of a chunk's heading path.
pub const HEADING_SEPARATOR: &str = " › ";

/// One piece of a document, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Its place among the document's chunks, from 0.
    pub ord: u32,
    /// Exactly the document's text from `start` on (trimmed of surrounding whitespace).
    pub text: String,
    /// Byte offset of `text` in the document.
    pub start: u32,
    /// The page (slide, sheet) it starts on, 1-based; `None` for a document without pages
    /// or text before the first page.
    pub page: Option<u32>,
    /// The Markdown headings in force where it starts, outermost first, joined with
    /// [`HEADING_SEPARATOR`]; empty when there are none (or the text is not Markdown).
    pub heading: String,
    /// Its tokens, counted as requests count them.
    pub tokens: u32,
}

/// How large chunks are and how much they overlap, in tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkOptions {
    /// The most tokens a chunk holds (unless one unit that cannot be cut is larger).
    pub max_tokens: u32,
    /// Tokens of the end of one chunk repeated at the start of the next.
    pub overlap: u32,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        Self {
            max_tokens: 400,
            overlap: 60,
        }
    }
}

impl ChunkOptions {
    /// The options as used: the size within [`MIN_CHUNK_TOKENS`]..=[`MAX_CHUNK_TOKENS`], the
    /// overlap at most half of it (a larger one would make every chunk mostly a repeat of
    /// the last, and one as large as the size would never move on).
    pub fn clamped(&self) -> Self {
        let max_tokens = self.max_tokens.clamp(MIN_CHUNK_TOKENS, MAX_CHUNK_TOKENS);
        Self {
            max_tokens,
            overlap: self.overlap.min(max_tokens / 2),
        }
    }
}

/// Sizes chunks in tokens, as a request counts them.
struct Tokens;

impl ChunkSizer for Tokens {
    fn size(&self, chunk: &str) -> usize {
        count_tokens(chunk) as usize
    }
}

/// Cuts `text` (as `crate::extract::extract` gives it, or a file's own text) into chunks.
/// `markdown` chooses the Markdown splitter (Markdown files and extracted documents, whose
/// pages start with `## ` headings) over the plain text one. `page_starts` are the byte
/// offsets where pages start, ascending. Whitespace-only chunks are left out.
pub fn chunk_document(
    text: &str,
    page_starts: &[u32],
    markdown: bool,
    options: &ChunkOptions,
) -> Vec<Chunk> {
    let options = options.clamped();
    let config = ChunkConfig::new(options.max_tokens as usize).with_sizer(Tokens);
    // `clamped` keeps the overlap under the size, so this cannot fail; should it, chunks
    // without overlap are still chunks.
    let config = match config.with_overlap(options.overlap as usize) {
        Ok(config) => config,
        Err(_) => ChunkConfig::new(options.max_tokens as usize).with_sizer(Tokens),
    };
    let pieces: Vec<(usize, &str)> = if markdown {
        MarkdownSplitter::new(config).chunk_indices(text).collect()
    } else {
        TextSplitter::new(config).chunk_indices(text).collect()
    };
    let headings = if markdown {
        headings_of(text)
    } else {
        Vec::new()
    };
    let mut trail = HeadingTrail::new(&headings);
    let mut chunks = Vec::with_capacity(pieces.len());
    for (start, piece) in pieces {
        if piece.trim().is_empty() {
            continue;
        }
        chunks.push(Chunk {
            ord: u32::try_from(chunks.len()).unwrap_or(u32::MAX),
            text: piece.to_owned(),
            start: offset(start),
            page: page_at(page_starts, start),
            heading: trail.at(start),
            tokens: count_tokens(piece),
        });
    }
    chunks
}

/// [`chunk_document`] page by page, so no chunk spans two pages and each cites the page
/// its text is on. Text before the first page start (none, as `extract` gives it) is
/// chunked as it comes; a document without pages is chunked whole.
pub fn chunk_by_page(
    text: &str,
    page_starts: &[u32],
    markdown: bool,
    options: &ChunkOptions,
) -> Vec<Chunk> {
    if page_starts.len() < 2 {
        return chunk_document(text, page_starts, markdown, options);
    }
    let mut cuts: Vec<usize> = page_starts
        .iter()
        .filter_map(|&at| usize::try_from(at).ok())
        .filter(|&at| at <= text.len() && text.is_char_boundary(at))
        .collect();
    cuts.dedup();
    if cuts.first() != Some(&0) {
        cuts.insert(0, 0);
    }
    cuts.push(text.len());
    let mut chunks = Vec::new();
    for window in cuts.windows(2) {
        let (from, to) = (window[0], window[1]);
        if from >= to {
            continue;
        }
        for mut chunk in chunk_document(&text[from..to], &[], markdown, options) {
            chunk.ord = u32::try_from(chunks.len()).unwrap_or(u32::MAX);
            chunk.start = chunk.start.saturating_add(offset(from));
            chunk.page = page_at(page_starts, from);
            chunks.push(chunk);
        }
    }
    chunks
}

/// The 1-based page that byte `at` is on: the number of page starts at or before it.
pub fn page_at(page_starts: &[u32], at: usize) -> Option<u32> {
    let at = offset(at);
    let pages = page_starts.partition_point(|&start| start <= at);
    (pages > 0).then(|| u32::try_from(pages).unwrap_or(u32::MAX))
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// An ATX heading of the text: where it starts, its level (1–6) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Heading {
    start: usize,
    level: usize,
    title: String,
}

/// The ATX headings (`#` to `######`) of `text` as CommonMark reads it (the same parser
/// the splitter uses), so a `#` line inside a code block is not one. Setext headings
/// (underlined) are left out: the extractor never writes them.
fn headings_of(text: &str) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut open: Option<Heading> = None;
    for (event, range) in Parser::new_ext(text, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) if is_atx(text, range.start) => {
                open = Some(Heading {
                    start: range.start,
                    level: level_number(level),
                    title: String::new(),
                });
            }
            Event::Text(piece) | Event::Code(piece) => {
                if let Some(heading) = open.as_mut() {
                    heading.title.push_str(&piece);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut heading) = open.take() {
                    heading.title = heading
                        .title
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    headings.push(heading);
                }
            }
            _ => {}
        }
    }
    headings
}

fn is_atx(text: &str, start: usize) -> bool {
    text.get(start..)
        .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with('#'))
}

fn level_number(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The headings in force as the text is walked forward (chunks come in order).
struct HeadingTrail<'a> {
    headings: &'a [Heading],
    next: usize,
    /// The open headings, outermost first: each deeper than the one before it.
    stack: Vec<&'a Heading>,
}

impl<'a> HeadingTrail<'a> {
    fn new(headings: &'a [Heading]) -> Self {
        Self {
            headings,
            next: 0,
            stack: Vec::new(),
        }
    }

    /// The heading path at byte `at`. Calls come with ascending offsets (chunks are in
    /// order, and an overlapping chunk still starts after the one before it).
    fn at(&mut self, at: usize) -> String {
        while let Some(heading) = self.headings.get(self.next) {
            if heading.start > at {
                break;
            }
            while self
                .stack
                .last()
                .is_some_and(|open| open.level >= heading.level)
            {
                self.stack.pop();
            }
            self.stack.push(heading);
            self.next += 1;
        }
        let titles: Vec<&str> = self.stack.iter().map(|h| h.title.as_str()).collect();
        titles.join(HEADING_SEPARATOR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_paths_follow_the_nesting_and_skip_code_blocks() {
        let text = "# Guide\n\nintro\n\n## Install\n\nsteps\n\n```\n# not a heading\n```\n\n\
                    ### On Linux\n\napt\n\n## Use\n\nrun it\n";
        let headings = headings_of(text);
        let titles: Vec<&str> = headings.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles, ["Guide", "Install", "On Linux", "Use"]);
        let mut trail = HeadingTrail::new(&headings);
        let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
        assert_eq!(trail.at(at("intro")), "Guide");
        assert_eq!(trail.at(at("apt")), "Guide › Install › On Linux");
        assert_eq!(trail.at(at("run it")), "Guide › Use");
    }

    #[test]
    fn pages_come_from_the_page_starts() {
        let starts = [0, 10, 25];
        assert_eq!(page_at(&starts, 0), Some(1));
        assert_eq!(page_at(&starts, 9), Some(1));
        assert_eq!(page_at(&starts, 10), Some(2));
        assert_eq!(page_at(&starts, 400), Some(3));
        assert_eq!(page_at(&[5], 2), None);
        assert_eq!(page_at(&[], 2), None);
    }

    #[test]
    fn silly_options_are_clamped() {
        let wild = ChunkOptions {
            max_tokens: 0,
            overlap: u32::MAX,
        };
        assert_eq!(
            wild.clamped(),
            ChunkOptions {
                max_tokens: MIN_CHUNK_TOKENS,
                overlap: MIN_CHUNK_TOKENS / 2
            }
        );
        let chunks = chunk_document("one two three four five six seven", &[], false, &wild);
        assert!(!chunks.is_empty());
    }
}
