//! Bounds on what a provider's response may make Confab hold in memory.
//!
//! async-openai reads a streamed reply with an SSE parser that buffers the event being
//! received until its blank line, and reads any other body whole. A server that sends one
//! endless `data:` line (or endless lines without a blank one), or a 20 MB error page, would
//! make either grow without bound. The probe wraps every response body with these limits
//! before async-openai sees it.

/// The largest SSE event (the bytes of its lines, between two blank lines). A real chunk is
/// well under a kilobyte; a tool call's arguments can be large, but not this large.
pub const MAX_EVENT_BYTES: usize = 4 << 20;
/// The largest body that is not an SSE stream (a whole completion, e.g. a title).
pub const MAX_BODY_BYTES: usize = 16 << 20;
/// The most of an error body that is read: enough for any real error message.
pub const MAX_ERROR_BODY_BYTES: usize = 64 << 10;

/// What a body did that it may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overrun {
    /// One SSE event (or one line) grew past [`MAX_EVENT_BYTES`].
    Event,
    /// A body that is not a stream grew past [`MAX_BODY_BYTES`].
    Body,
}

impl Overrun {
    /// What the user reads about it.
    pub fn describe(self) -> String {
        match self {
            Self::Event => format!(
                "the provider sent one line or event of more than {} MiB without an end; \
                 Confab stopped reading it",
                MAX_EVENT_BYTES >> 20
            ),
            Self::Body => format!(
                "the provider's answer is larger than {} MiB; Confab stopped reading it",
                MAX_BODY_BYTES >> 20
            ),
        }
    }
}

impl std::fmt::Display for Overrun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl std::error::Error for Overrun {}

/// Counts the bytes of the SSE event being received, across the pieces the body arrives
/// in. Line terminators (CRLF, LF or CR, as the SSE format allows) are not counted; a blank
/// line ends the event.
#[derive(Debug, Clone)]
pub struct EventLimit {
    max: usize,
    event: usize,
    line: usize,
    after_cr: bool,
}

impl EventLimit {
    pub fn new(max: usize) -> Self {
        Self {
            max,
            event: 0,
            line: 0,
            after_cr: false,
        }
    }

    /// Takes the next piece of the body; `Err` once the current event is over the limit.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), Overrun> {
        for &byte in bytes {
            match byte {
                // The LF of a CRLF: the line already ended at its CR.
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    if self.line == 0 {
                        self.event = 0;
                    }
                    self.line = 0;
                    self.after_cr = byte == b'\r';
                }
                _ => {
                    self.after_cr = false;
                    self.line += 1;
                    self.event += 1;
                    if self.event > self.max {
                        return Err(Overrun::Event);
                    }
                }
            }
        }
        Ok(())
    }
}

/// Counts a whole body.
#[derive(Debug, Clone)]
pub struct BodyLimit {
    max: usize,
    seen: usize,
}

impl BodyLimit {
    pub fn new(max: usize) -> Self {
        Self { max, seen: 0 }
    }

    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), Overrun> {
        self.seen = self.seen.saturating_add(bytes.len());
        if self.seen > self.max {
            return Err(Overrun::Body);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The same measure, computed on the whole input at once: normalise the terminators,
    /// split into events at blank lines, and find the largest.
    fn largest_event(input: &[u8]) -> usize {
        let text: Vec<u8> = {
            let mut out = Vec::with_capacity(input.len());
            let mut i = 0;
            while i < input.len() {
                if input[i] == b'\r' {
                    out.push(b'\n');
                    if input.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                } else {
                    out.push(input[i]);
                }
                i += 1;
            }
            out
        };
        let mut largest = 0;
        let mut event = 0;
        for line in text.split(|&b| b == b'\n') {
            if line.is_empty() {
                event = 0;
            } else {
                event += line.len();
                largest = largest.max(event);
            }
        }
        largest
    }

    fn fed_in_pieces(input: &[u8], cuts: &[usize], max: usize) -> Result<(), Overrun> {
        let mut limit = EventLimit::new(max);
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
        cuts.sort_unstable();
        let mut start = 0;
        for cut in cuts.into_iter().chain([input.len()]) {
            limit.feed(&input[start..cut])?;
            start = cut;
        }
        Ok(())
    }

    /// Bytes rich in line terminators, so events of every shape occur.
    fn sse_bytes() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(
            prop_oneof![
                4 => Just(b'a'),
                1 => Just(b'\n'),
                1 => Just(b'\r'),
                1 => any::<u8>(),
            ],
            0..400,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_limit_trips_exactly_when_an_event_is_too_large(
            input in sse_bytes(),
            cuts in prop::collection::vec(any::<usize>(), 0..8),
            max in 0usize..64,
        ) {
            let expected = largest_event(&input) > max;
            let got = fed_in_pieces(&input, &cuts, max);
            prop_assert_eq!(got.is_err(), expected, "largest {}", largest_event(&input));
        }

        #[test]
        fn a_body_limit_counts_every_byte(
            pieces in prop::collection::vec(0usize..100, 0..20),
            max in 0usize..1000,
        ) {
            let mut limit = BodyLimit::new(max);
            let mut total = 0;
            let mut failed = false;
            for piece in pieces {
                total += piece;
                failed |= limit.feed(&vec![b'x'; piece]).is_err();
            }
            prop_assert_eq!(failed, total > max);
        }
    }

    #[test]
    fn a_crlf_split_across_pieces_is_one_terminator() {
        let mut limit = EventLimit::new(3);
        assert!(limit.feed(b"abc\r").is_ok());
        assert!(limit.feed(b"\n\r").is_ok(), "CRLF then CR: a blank line");
        assert!(limit.feed(b"\nxyz\n\n").is_ok(), "the event was reset");
        assert_eq!(limit.feed(b"abcd"), Err(Overrun::Event));
    }
}
