//! Property tests of chunking: for any text (words, CJK, emoji, code fences, headings,
//! long lines without spaces, arbitrary Unicode), every chunk is the document's own text
//! at its offset, chunks come in order, no text is lost, nothing is repeated beyond the
//! overlap, chunks keep to their size, and each knows its page.

use confab_core::knowledge::chunk::{Chunk, ChunkOptions, chunk_document};
use confab_core::vocab::count_tokens;
use proptest::prelude::*;

/// Token counts of a cut-out piece differ a little from the same text inside a larger one
/// (a token can span the cut).
const SLACK: u32 = 3;

const EMOJI: &[&str] = &["🙂", "👍🏽", "🇨🇳", "👨‍👩‍👧‍👦", "🏳️‍🌈", "e\u{301}", "\u{feff}"];

/// A piece of a document: the text kinds a knowledge base meets, and the odd ones.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-zA-Z]{1,12}[ ,.]{1,2}",
        3 => "[\u{4e00}-\u{9fa5}]{1,30}[，。]?",
        1 => prop::sample::select(EMOJI).prop_map(String::from),
        2 => Just("\n".to_string()),
        2 => Just("\n\n".to_string()),
        1 => prop::sample::select(&[" ", "\t", "\r\n", "\u{a0}", "\u{3000}", "   "][..])
            .prop_map(String::from),
        1 => (1usize..=7, "[a-z 中文]{0,20}")
            .prop_map(|(level, title)| format!("\n{} {title}\n\n", "#".repeat(level))),
        1 => "[a-z();={} \n]{0,80}".prop_map(|code| format!("\n```rust\n{code}\n```\n")),
        1 => "[a-zA-Z0-9]{50,600}",
        1 => "[\u{4e00}-\u{9fa5}]{100,400}",
        1 => "- [a-z ]{1,30}\n",
        1 => "\\PC{0,30}",
        1 => any::<String>(),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..80).prop_map(|pieces| pieces.concat())
}

/// A document of pages, each starting with a `## ` heading as the extractor writes them,
/// and the byte offsets where they start.
fn paged_document() -> impl Strategy<Value = (String, Vec<u32>)> {
    let page = prop::collection::vec(piece(), 0..30).prop_map(|pieces| pieces.concat());
    prop::collection::vec(page, 1..5).prop_map(|pages| {
        let mut text = String::new();
        let mut starts = Vec::new();
        for (n, body) in pages.iter().enumerate() {
            starts.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            text.push_str(&format!("## Page {}\n\n{body}\n\n", n + 1));
        }
        (text, starts)
    })
}

fn options() -> impl Strategy<Value = ChunkOptions> {
    (0u32..700, 0u32..400).prop_map(|(max_tokens, overlap)| ChunkOptions {
        max_tokens,
        overlap,
    })
}

/// Whether `text` is one user-perceived character (a base and what joins or marks it), the
/// one unit a chunk may not be cut inside of.
fn is_one_grapheme(text: &str) -> bool {
    let mut after_joiner = true;
    text.chars().all(|c| {
        let joins = matches!(c,
            '\u{200d}' | '\u{fe00}'..='\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}'
            | '\u{300}'..='\u{36f}' | '\u{e0020}'..='\u{e007f}' | '\u{1f1e6}'..='\u{1f1ff}');
        let ok = after_joiner || joins;
        after_joiner = c == '\u{200d}';
        ok
    })
}

/// Every property of the chunks of `text`; `Err` names the first one broken.
fn check(
    text: &str,
    page_starts: &[u32],
    options: &ChunkOptions,
    chunks: &[Chunk],
) -> Result<(), TestCaseError> {
    let used = options.clamped();
    let mut covered = vec![false; text.len()];
    let mut previous: Option<(usize, usize)> = None;
    for (i, chunk) in chunks.iter().enumerate() {
        let start = chunk.start as usize;
        let end = start + chunk.text.len();
        prop_assert_eq!(chunk.ord as usize, i);
        prop_assert_eq!(
            text.get(start..end),
            Some(chunk.text.as_str()),
            "chunk {} is not the text at its offset",
            i
        );
        prop_assert!(!chunk.text.trim().is_empty(), "chunk {} is blank", i);
        prop_assert_eq!(chunk.tokens, count_tokens(&chunk.text));
        prop_assert!(
            chunk.tokens <= used.max_tokens || is_one_grapheme(&chunk.text),
            "chunk {} has {} tokens, more than {}: {:?}",
            i,
            chunk.tokens,
            used.max_tokens,
            chunk.text
        );
        if let Some((before_start, before_end)) = previous {
            prop_assert!(
                start > before_start,
                "chunk {} does not come after the last",
                i
            );
            prop_assert!(end > before_end, "chunk {} adds nothing new", i);
            if start < before_end {
                let repeated = count_tokens(&text[start..before_end]);
                prop_assert!(
                    repeated <= used.overlap + SLACK,
                    "chunk {} repeats {} tokens (overlap {})",
                    i,
                    repeated,
                    used.overlap
                );
            }
        }
        let expected_page = page_starts
            .iter()
            .rposition(|&page_start| page_start as usize <= start)
            .map(|index| index as u32 + 1);
        prop_assert_eq!(
            chunk.page,
            expected_page,
            "chunk {} is on the wrong page",
            i
        );
        covered[start..end].iter_mut().for_each(|c| *c = true);
        previous = Some((start, end));
    }
    for (at, c) in text.char_indices() {
        prop_assert!(
            c.is_whitespace() || covered[at],
            "{:?} at byte {} is in no chunk",
            c,
            at
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn markdown_chunks_lose_nothing_and_repeat_only_the_overlap(
        text in document(),
        options in options(),
    ) {
        let chunks = chunk_document(&text, &[], true, &options);
        check(&text, &[], &options, &chunks)?;
    }

    #[test]
    fn plain_text_chunks_lose_nothing_and_repeat_only_the_overlap(
        text in document(),
        options in options(),
    ) {
        let chunks = chunk_document(&text, &[], false, &options);
        check(&text, &[], &options, &chunks)?;
    }

    #[test]
    fn chunks_of_a_paged_document_know_their_page(
        (text, starts) in paged_document(),
        options in options(),
        markdown in any::<bool>(),
    ) {
        let chunks = chunk_document(&text, &starts, markdown, &options);
        check(&text, &starts, &options, &chunks)?;
        prop_assert_eq!(chunks.first().and_then(|c| c.page), Some(1));
    }

    #[test]
    fn any_page_starts_are_taken_without_panicking(
        text in document(),
        mut starts in prop::collection::vec(any::<u32>(), 0..8),
        options in options(),
    ) {
        starts.sort_unstable();
        let chunks = chunk_document(&text, &starts, true, &options);
        check(&text, &starts, &options, &chunks)?;
    }
}

#[test]
fn a_long_line_without_spaces_is_cut_to_size() {
    let text = "ab3".repeat(20_000);
    let options = ChunkOptions::default();
    let chunks = chunk_document(&text, &[], true, &options);
    assert!(chunks.len() > 10, "{} chunks", chunks.len());
    if let Err(broken) = check(&text, &[], &options, &chunks) {
        panic!("{broken}");
    }
}

#[test]
fn headings_give_each_chunk_its_path() {
    let section = "Some words about the matter at hand. ".repeat(40);
    let text = format!(
        "# Manual\n\n{section}\n\n## Install\n\n{section}\n\n### Linux\n\n{section}\n\n## Use\n\n{section}\n"
    );
    let options = ChunkOptions {
        max_tokens: 120,
        overlap: 10,
    };
    let chunks = chunk_document(&text, &[], true, &options);
    let path_at = |needle: &str| {
        // Just before it: the chunk that starts at a heading is under it.
        let at = text.find(needle).unwrap_or_default().saturating_sub(2) as u32;
        chunks
            .iter()
            .rfind(|c| c.start <= at)
            .map(|c| c.heading.clone())
            .unwrap_or_default()
    };
    assert_eq!(chunks.first().map(|c| c.heading.as_str()), Some("Manual"));
    assert_eq!(path_at("### Linux"), "Manual › Install");
    let last = chunks
        .last()
        .map(|c| c.heading.as_str())
        .unwrap_or_default();
    assert_eq!(last, "Manual › Use");
    assert!(
        chunks
            .iter()
            .any(|c| c.heading == "Manual › Install › Linux")
    );
    // The plain splitter reads no headings.
    let plain = chunk_document(&text, &[], false, &options);
    assert!(plain.iter().all(|c| c.heading.is_empty()));
}

#[test]
fn consecutive_chunks_share_about_the_overlap() {
    let text = (0..3000)
        .map(|i| format!("word{} ", i % 97))
        .collect::<String>();
    let options = ChunkOptions {
        max_tokens: 100,
        overlap: 20,
    };
    let chunks = chunk_document(&text, &[], false, &options);
    if let Err(broken) = check(&text, &[], &options, &chunks) {
        panic!("{broken}");
    }
    let shared: Vec<u32> = chunks
        .windows(2)
        .map(|pair| {
            let end = (pair[0].start as usize + pair[0].text.len()).min(text.len());
            let start = (pair[1].start as usize).min(end);
            count_tokens(&text[start..end])
        })
        .collect();
    assert!(shared.len() > 10);
    assert!(
        shared
            .iter()
            .all(|&tokens| (10..=20 + SLACK).contains(&tokens)),
        "{shared:?}"
    );
}
