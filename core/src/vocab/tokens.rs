//! Tokens of a text as chat models count them: what a request's budget and a file's chip
//! are measured in.

use std::sync::OnceLock;

/// Tokens of `text` (no framing; a message adds its own).
pub fn count_tokens(text: &str) -> u32 {
    u32::try_from(tokenizer().encode_ordinary(text).len()).unwrap_or(u32::MAX)
}

fn tokenizer() -> &'static tiktoken_rs::CoreBPE {
    // o200k is the encoding of current OpenAI models; for other families it is a close
    // enough estimate for budgeting.
    static BPE: OnceLock<&'static tiktoken_rs::CoreBPE> = OnceLock::new();
    BPE.get_or_init(tiktoken_rs::o200k_base_singleton)
}
