//! What a reply has gathered so far, and the rules over it: whether a request produced
//! anything yet, the size limit, the token counts across requests.

use super::reply::Progress;
use crate::llm::Usage;

impl Progress {
    /// Whether this request has produced no text yet (a continued reply's earlier text
    /// does not count): until then, a failure may be retried.
    pub(super) fn received_nothing(&self) -> bool {
        self.text.len() == self.prefix_len
            && self.pending.is_empty()
            && self.reasoning.is_empty()
            && self.pending_reasoning.is_empty()
            && self.calls.is_empty()
    }

    /// Whether the reply is over `max` bytes; if so, the waiting text is cut so that the
    /// reply is exactly as long as allowed (on a character boundary).
    pub(super) fn over_limit(&mut self, max: usize) -> bool {
        if self.text.len() + self.pending.len() <= max {
            return false;
        }
        let mut room = max.saturating_sub(self.text.len()).min(self.pending.len());
        while !self.pending.is_char_boundary(room) {
            room -= 1;
        }
        self.pending.truncate(room);
        true
    }

    /// Takes in a request's token counts (added to those of the steps before it); the
    /// reply's prompt and completion tokens so far.
    pub(super) fn add_usage(&mut self, usage: Usage) -> (u32, u32) {
        let (prompt_before, cached_before) = self.prompt_before;
        let prompt = prompt_before.saturating_add(usage.prompt_tokens);
        let completion = self
            .completion_before
            .saturating_add(usage.completion_tokens);
        self.meta.prompt_tokens = Some(prompt);
        self.meta.completion_tokens = Some(completion);
        self.meta.reasoning_tokens = usage.reasoning_tokens;
        self.meta.cached_tokens = match (cached_before, usage.cached_tokens) {
            (0, cached) => cached,
            (before, cached) => Some(before.saturating_add(cached.unwrap_or(0))),
        };
        (prompt, completion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::CallAssembler;
    use crate::store::messages::MessageMeta;

    fn progress() -> Progress {
        Progress {
            text: String::new(),
            prefix_len: 0,
            pending: String::new(),
            reasoning: String::new(),
            pending_reasoning: String::new(),
            steps: Vec::new(),
            calls: CallAssembler::default(),
            last_flush: tokio::time::Instant::now(),
            checkpointed_len: 0,
            meta: MessageMeta::default(),
            completion_before: 0,
            prompt_before: (0, 0),
            debug: None,
        }
    }

    fn usage(prompt: u32, completion: u32, cached: Option<u32>) -> Usage {
        Usage {
            prompt_tokens: prompt,
            completion_tokens: completion,
            reasoning_tokens: None,
            cached_tokens: cached,
        }
    }

    #[test]
    fn every_request_of_a_tool_loop_is_counted() {
        let mut progress = progress();
        assert_eq!(progress.add_usage(usage(100, 20, None)), (100, 20));
        // The step ends; the next request reads the history again.
        progress.completion_before = 20;
        progress.prompt_before = (100, 0);
        assert_eq!(progress.add_usage(usage(150, 30, Some(90))), (250, 50));
        assert_eq!(progress.meta.cached_tokens, Some(90));
        progress.prompt_before = (250, 90);
        progress.add_usage(usage(200, 5, None));
        assert_eq!(progress.meta.prompt_tokens, Some(450));
        assert_eq!(progress.meta.cached_tokens, Some(90));
    }
}
