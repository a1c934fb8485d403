//! The time budget and the capped text every reader writes into.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{ExtractError, Extracted, Kind};

/// A deadline, and a flag to stop early, that readers check in their loops (extraction
/// cannot be pre-empted).
pub(super) struct Budget {
    start: Instant,
    limit: Duration,
    cancel: Option<Arc<AtomicBool>>,
}

impl Budget {
    pub(super) fn start(limit: Duration, cancel: Option<Arc<AtomicBool>>) -> Self {
        Self {
            start: Instant::now(),
            limit,
            cancel,
        }
    }

    pub(super) fn check(&self) -> Result<(), ExtractError> {
        if self
            .cancel
            .as_ref()
            .is_some_and(|cancel| cancel.load(Ordering::Relaxed))
        {
            return Err(ExtractError::Cancelled);
        }
        if self.start.elapsed() > self.limit {
            let seconds = u32::try_from(self.limit.as_secs()).unwrap_or(u32::MAX);
            return Err(ExtractError::TimedOut { seconds });
        }
        Ok(())
    }
}

/// Text written so far, cut at a character cap. Once full, writes are dropped and
/// [`Out::full`] tells readers to stop early.
pub(super) struct Out {
    text: String,
    chars: usize,
    max_chars: usize,
    /// The character cap was reached.
    truncated: bool,
    /// A reader left part of the document out (not a reason to stop writing).
    left_out: bool,
    page_starts: Vec<u32>,
}

impl Out {
    pub(super) fn new(max_chars: usize) -> Self {
        Self {
            text: String::new(),
            chars: 0,
            max_chars,
            truncated: false,
            left_out: false,
            page_starts: Vec::new(),
        }
    }

    pub(super) fn full(&self) -> bool {
        self.truncated
    }

    /// Appends `s`, or as much of it as fits.
    pub(super) fn push(&mut self, s: &str) {
        if self.truncated {
            return;
        }
        let room = self.max_chars - self.chars;
        match s.char_indices().nth(room) {
            None => {
                self.text.push_str(s);
                self.chars += s.chars().count();
            }
            Some((cut, _)) => {
                self.text.push_str(&s[..cut]);
                self.chars = self.max_chars;
                self.truncated = true;
            }
        }
    }

    /// Marks the text as incomplete where a reader left part of the document out.
    pub(super) fn mark_left_out(&mut self) {
        self.left_out = true;
    }

    /// Characters that still fit.
    pub(super) fn room(&self) -> usize {
        self.max_chars - self.chars
    }

    pub(super) fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push(c.encode_utf8(&mut buf));
    }

    /// Ends the line unless the text is empty or already ends one.
    pub(super) fn end_line(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.push_char('\n');
        }
    }

    /// Starts a page, slide or sheet with a `## {title}` heading.
    pub(super) fn page(&mut self, title: &str) {
        if self.truncated {
            return;
        }
        if !self.text.is_empty() {
            self.end_line();
            self.push_char('\n');
        }
        self.page_starts
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.push("## ");
        self.push(title);
        self.push("\n\n");
    }

    /// Whether anything but page headings and whitespace was written.
    pub(super) fn has_words(&self) -> bool {
        self.text
            .lines()
            .any(|l| !l.trim().is_empty() && !l.starts_with("## "))
    }

    pub(super) fn finish(mut self, kind: Kind) -> Extracted {
        let text_end = self.text.trim_end().len();
        self.text.truncate(text_end);
        let pages = kind
            .is_paged()
            .then(|| u32::try_from(self.page_starts.len()).unwrap_or(u32::MAX));
        Extracted {
            kind,
            chars: u32::try_from(self.text.chars().count()).unwrap_or(u32::MAX),
            text: self.text,
            pages,
            page_starts: self.page_starts,
            truncated: self.truncated || self.left_out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_the_character_cap_on_a_char_boundary() {
        let mut out = Out::new(5);
        out.push("ab");
        out.push("çdéfg");
        assert!(out.full());
        let done = out.finish(Kind::Text);
        assert_eq!(done.text, "abçdé");
        assert_eq!(done.chars, 5);
        assert!(done.truncated);
    }

    #[test]
    fn a_spent_budget_times_out() {
        let budget = Budget::start(Duration::ZERO, None);
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(budget.check(), Err(ExtractError::TimedOut { seconds: 0 }));
    }

    #[test]
    fn a_raised_flag_cancels() {
        let cancel = Arc::new(AtomicBool::new(false));
        let budget = Budget::start(Duration::from_secs(60), Some(cancel.clone()));
        assert_eq!(budget.check(), Ok(()));
        cancel.store(true, Ordering::Relaxed);
        assert_eq!(budget.check(), Err(ExtractError::Cancelled));
    }
}
