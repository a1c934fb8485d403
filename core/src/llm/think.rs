//! Thinking inside the reply text: local servers (Ollama, llama.cpp) stream a reasoning
//! model's thinking as `<think>…</think>` at the start of `content`.
//!
//! [`ThinkSplitter`] is fed the content pieces in order and splits each into reasoning and
//! answer text. A tag may arrive cut at any byte across pieces, so the splitter holds back
//! a possible start of a tag (and, before the reply's first visible text, the whitespace
//! in front of it), never more. Only a reply that *starts* with `<think>` has thinking: a
//! later `<think>` (in code, say) is answer text. The result does not depend on where the
//! pieces were cut.

const OPEN: &str = "<think>";
const CLOSE: &str = "</think>";

/// Whitespace allowed in front of `<think>`; a reply that opens with more is all answer.
/// Bounds what is held back before the first visible text.
pub const MAX_LEADING_WHITESPACE: usize = 256;

/// What one piece of content holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    pub reasoning: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing visible yet: `held` is whitespace, perhaps followed by a start of `<think>`.
    Start,
    /// Inside `<think>`: `held` is a possible start of `</think>`.
    Thinking,
    /// Just after `</think>`: the answer's leading whitespace is dropped.
    Closed,
    /// The answer: passed through.
    Answer,
}

/// Splits streamed content into reasoning and answer; state carries across pieces.
#[derive(Debug, Clone)]
pub struct ThinkSplitter {
    state: State,
    held: String,
}

impl Default for ThinkSplitter {
    fn default() -> Self {
        Self {
            state: State::Start,
            held: String::new(),
        }
    }
}

impl ThinkSplitter {
    /// Whether text is held back for a later piece (or [`finish`](Self::finish)).
    pub fn is_holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// The reasoning and answer text in `piece`, as far as they are known.
    pub fn feed(&mut self, piece: &str) -> Split {
        let mut split = Split::default();
        let mut rest = piece;
        loop {
            match self.state {
                State::Answer => {
                    split.text.push_str(rest);
                    return split;
                }
                State::Closed => {
                    let trimmed = rest.trim_start();
                    if trimmed.is_empty() {
                        return split;
                    }
                    self.state = State::Answer;
                    rest = trimmed;
                }
                State::Start => {
                    self.held.push_str(rest);
                    let trimmed = self.held.trim_start();
                    let leading = self.held.len() - trimmed.len();
                    if leading <= MAX_LEADING_WHITESPACE && trimmed.starts_with(OPEN) {
                        let after = trimmed[OPEN.len()..].to_owned();
                        self.held.clear();
                        self.state = State::Thinking;
                        return self.feed_more(split, &after);
                    }
                    if leading <= MAX_LEADING_WHITESPACE && OPEN.starts_with(trimmed) {
                        return split; // only whitespace and perhaps a start of the tag yet
                    }
                    self.state = State::Answer;
                    split.text.push_str(&std::mem::take(&mut self.held));
                    return split;
                }
                State::Thinking => {
                    self.held.push_str(rest);
                    if let Some(at) = self.held.find(CLOSE) {
                        let after = self.held[at + CLOSE.len()..].to_owned();
                        self.held.truncate(at);
                        split.reasoning.push_str(&std::mem::take(&mut self.held));
                        self.state = State::Closed;
                        return self.feed_more(split, &after);
                    }
                    let keep = tag_start_len(&self.held, CLOSE);
                    let emit = self.held.len() - keep;
                    split.reasoning.push_str(&self.held[..emit]);
                    self.held.drain(..emit);
                    return split;
                }
            }
        }
    }

    /// What is still held back when the content ends: inside thinking it is reasoning (a
    /// reply cut off mid-thought), before any visible text it is answer text.
    pub fn finish(&mut self) -> Split {
        let held = std::mem::take(&mut self.held);
        match self.state {
            State::Thinking => Split {
                reasoning: held,
                text: String::new(),
            },
            _ => Split {
                reasoning: String::new(),
                text: held,
            },
        }
    }

    fn feed_more(&mut self, mut split: Split, rest: &str) -> Split {
        let more = self.feed(rest);
        split.reasoning.push_str(&more.reasoning);
        split.text.push_str(&more.text);
        split
    }
}

/// The length of the longest end of `text` that is a start of `tag` (shorter than `tag`).
/// `tag` is ASCII, so the cut is always on a character boundary.
fn tag_start_len(text: &str, tag: &str) -> usize {
    (1..tag.len().min(text.len() + 1))
        .rev()
        .find(|&len| text.as_bytes().ends_with(&tag.as_bytes()[..len]))
        .unwrap_or(0)
}

/// `text` without a leading `<think>…</think>` block (all of it when the block is never
/// closed), for a whole, non-streamed reply.
pub fn strip_think(text: &str) -> String {
    let mut splitter = ThinkSplitter::default();
    let mut answer = splitter.feed(text).text;
    answer.push_str(&splitter.finish().text);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Feeds `pieces` in order and finishes: all reasoning and all answer text.
    fn run(pieces: &[&str]) -> (String, String) {
        let mut splitter = ThinkSplitter::default();
        let (mut reasoning, mut text) = (String::new(), String::new());
        for piece in pieces {
            let split = splitter.feed(piece);
            reasoning.push_str(&split.reasoning);
            text.push_str(&split.text);
        }
        let split = splitter.finish();
        reasoning.push_str(&split.reasoning);
        text.push_str(&split.text);
        (reasoning, text)
    }

    fn pair(reasoning: &str, text: &str) -> (String, String) {
        (reasoning.to_owned(), text.to_owned())
    }

    /// `text` cut at the given character-boundary byte offsets.
    fn cut_at(text: &str, cuts: &[usize]) -> Vec<String> {
        let mut cuts: Vec<usize> = cuts
            .iter()
            .copied()
            .filter(|&at| text.is_char_boundary(at))
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut pieces = Vec::new();
        let mut from = 0;
        for at in cuts.into_iter().chain([text.len()]) {
            pieces.push(text[from..at].to_owned());
            from = at;
        }
        pieces
    }

    #[test]
    fn thinking_at_the_start_is_reasoning_and_the_rest_the_answer() {
        assert_eq!(
            run(&["<think>\nhmm\n</think>\n\nHello"]),
            pair("\nhmm\n", "Hello")
        );
        assert_eq!(run(&["Hello"]), pair("", "Hello"));
        assert_eq!(run(&[""]), pair("", ""));
    }

    #[test]
    fn a_tag_cut_at_every_byte_is_still_a_tag() {
        let reply = "<think>a</think>b";
        for at in 0..=reply.len() {
            assert_eq!(
                run(&[&reply[..at], &reply[at..]]),
                pair("a", "b"),
                "cut at {at}"
            );
        }
        let bytes: Vec<String> = reply.chars().map(String::from).collect();
        let pieces: Vec<&str> = bytes.iter().map(String::as_str).collect();
        assert_eq!(run(&pieces), pair("a", "b"));
    }

    #[test]
    fn only_a_possible_start_of_a_tag_is_held_back() {
        let mut splitter = ThinkSplitter::default();
        assert_eq!(splitter.feed("<think>abc</th").reasoning, "abc");
        assert!(splitter.is_holding());
        assert_eq!(splitter.feed("e").reasoning, "</the", "not a tag after all");
        assert!(!splitter.is_holding());
        assert_eq!(splitter.feed("x<").reasoning, "x");
        let mut answer = ThinkSplitter::default();
        assert_eq!(answer.feed("<th").text, "");
        assert_eq!(answer.feed("ere").text, "<there");
        assert_eq!(
            answer.feed("<think>").text,
            "<think>",
            "nothing held in the answer"
        );
    }

    #[test]
    fn whitespace_before_the_tag_is_dropped_and_before_an_answer_kept() {
        assert_eq!(run(&["\n ", " <think>x</think>y"]), pair("x", "y"));
        assert_eq!(run(&["\n\n", "Hi"]), pair("", "\n\nHi"));
        assert_eq!(run(&["  "]), pair("", "  "));
        let far = format!("{}<think>x</think>", " ".repeat(MAX_LEADING_WHITESPACE + 1));
        assert_eq!(run(&[&far]), pair("", &far), "too far in: answer text");
    }

    #[test]
    fn a_later_think_tag_is_answer_text() {
        let code = "Use `<think>` like this: <think>x</think>";
        assert_eq!(run(&[code]), pair("", code));
        assert_eq!(
            run(&["<think>a</think>b <think>c</think>"]),
            pair("a", "b <think>c</think>")
        );
    }

    #[test]
    fn an_unclosed_tag_is_all_reasoning() {
        assert_eq!(
            run(&["<think>still ", "going</thi"]),
            pair("still going</thi", "")
        );
        assert_eq!(
            run(&["<thi"]),
            pair("", "<thi"),
            "a tag's start alone is text"
        );
    }

    #[test]
    fn characters_are_never_split() {
        assert_eq!(
            run(&["<think>思", "考</", "think>答案 ✓"]),
            pair("思考", "答案 ✓")
        );
        assert_eq!(strip_think("<think>é</think>\n☃"), "☃");
        assert_eq!(strip_think("<think>never closed"), "");
        assert_eq!(strip_think("A title"), "A title");
    }

    fn content() -> impl Strategy<Value = String> {
        let part = prop_oneof![
            Just("<think>".to_owned()),
            Just("</think>".to_owned()),
            Just("<".to_owned()),
            Just("</th".to_owned()),
            Just(" ".to_owned()),
            Just("\n".to_owned()),
            Just("é思".to_owned()),
            "[a-c<>/ ]{0,4}",
        ];
        prop::collection::vec(part, 0..12).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_cuts_give_what_the_whole_gives(
            text in content(),
            cuts in prop::collection::vec(0usize..64, 0..10),
        ) {
            let pieces = cut_at(&text, &cuts);
            let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
            prop_assert_eq!(run(&pieces), run(&[&text]));
        }

        #[test]
        fn every_single_cut_gives_what_the_whole_gives(text in content()) {
            let whole = run(&[&text]);
            for at in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
                prop_assert_eq!(run(&[&text[..at], &text[at..]]), whole.clone());
            }
        }

        #[test]
        fn the_split_is_the_plain_reading_of_the_whole(text in content()) {
            let got = run(&[&text]);
            let expected = match text.trim_start().strip_prefix(OPEN) {
                Some(body) => match body.find(CLOSE) {
                    Some(at) => pair(&body[..at], body[at + CLOSE.len()..].trim_start()),
                    None => pair(body, ""),
                },
                None => pair("", &text),
            };
            prop_assert_eq!(got, expected);
        }
    }
}
