//! Snippets: a window of a text around the first match of a search, cut into plain and
//! matching segments (never markup, so the UI has nothing to parse and model or document
//! text cannot inject HTML).

use serde::Serialize;
use specta::Type;

/// Characters of context a snippet shows before its first match.
const SNIPPET_BEFORE: usize = 30;
/// A match this close to the start is shown with the text before it, uncut.
const SNIPPET_FROM_START: usize = 50;
/// Characters a snippet shows in all.
const SNIPPET_CHARS: usize = 160;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// A window of `text` around the first match of any term, cut into plain and matching
/// parts. Matching ignores case; the text keeps its own.
pub fn snippet(text: &str, terms: &[String]) -> Vec<SnippetPart> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let needles: Vec<Vec<char>> = terms
        .iter()
        .map(|term| term.chars().collect::<Vec<_>>())
        .filter(|needle| !needle.is_empty())
        .collect();
    let mut marked = vec![false; chars.len()];
    let mut first = None;
    for needle in &needles {
        let mut at = 0;
        while at + needle.len() <= lower.len() {
            if lower[at..at + needle.len()] == needle[..] {
                marked[at..at + needle.len()].fill(true);
                first = Some(first.map_or(at, |f: usize| f.min(at)));
                at += needle.len();
            } else {
                at += 1;
            }
        }
    }
    // The window starts a little before the first match, so that the match is in the first
    // line the UI shows (it clips the rest), even when that leaves the window short.
    // A match near the start needs no cut.
    let start = first
        .filter(|&f| f > SNIPPET_FROM_START)
        .map_or(0, |f| f - SNIPPET_BEFORE);
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let mut parts: Vec<SnippetPart> = Vec::new();
    if start > 0 {
        parts.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    for index in start..end {
        // Line breaks read as spaces in a one-line snippet.
        let c = if chars[index].is_whitespace() {
            ' '
        } else {
            chars[index]
        };
        // The leading "…" stays a part of its own.
        let after_ellipsis = start > 0 && parts.len() == 1;
        match parts.last_mut() {
            Some(last) if last.hit == marked[index] && !after_ellipsis => {
                last.text.push(c);
            }
            _ => parts.push(SnippetPart {
                text: c.to_string(),
                hit: marked[index],
            }),
        }
    }
    if end < chars.len() {
        parts.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(parts: &[SnippetPart]) -> String {
        parts
            .iter()
            .map(|part| {
                if part.hit {
                    format!("[{}]", part.text)
                } else {
                    part.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn snippets_mark_every_match_and_keep_the_text_case() {
        let terms = vec!["rust".to_string()];
        assert_eq!(
            render(&snippet("Rust is fast; rust is safe.", &terms)),
            "[Rust] is fast; [rust] is safe."
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!("{}needle{}", "a".repeat(500), "b".repeat(500));
        let parts = snippet(&text, &["needle".to_string()]);
        let shown = render(&parts);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("[needle]"), "{shown}");
        assert!(shown.chars().count() <= SNIPPET_CHARS + 4, "{shown}");
    }

    #[test]
    fn a_match_near_the_end_of_a_short_text_leads_the_snippet() {
        // The UI shows the snippet's first line or two: a match at the end of a text of
        // two hundred characters must not be pushed out of sight.
        let text = format!("{} keychain.", "Confab keeps every chat local. ".repeat(6));
        let shown = render(&snippet(&text, &["keychain".to_string()]));
        let at = shown.find("[keychain]").expect("marked");
        assert!(shown.starts_with('…'), "{shown}");
        assert!(shown[..at].chars().count() <= SNIPPET_BEFORE + 1, "{shown}");
    }

    #[test]
    fn chinese_matches_are_marked() {
        let terms = vec!["模型".to_string()];
        assert_eq!(
            render(&snippet("这个模型很好\n用", &terms)),
            "这个[模型]很好 用"
        );
    }
}
