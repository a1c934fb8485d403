//! The replies the seeder writes: their text cut short or not, their state and meta.

use fastrand::Rng;
use serde_json::json;

const ERRORS: &[(&str, &str)] = &[
    (
        "provider",
        "The provider answered 500: internal server error",
    ),
    ("rate_limited", "Too many requests: retry after 20 s"),
    ("network", "Connection reset by peer"),
    ("stalled", "No data from the provider for 60 s"),
    (
        "model_not_found",
        "The model does not exist on this provider",
    ),
    ("provider_auth", "Incorrect API key provided"),
];

/// An assistant reply: mostly complete; about 2% errors, 1% partial, 0.5% cancelled.
pub fn reply<'t>(
    rng: &mut Rng,
    model: &str,
    prompt: u32,
    answer: &'t str,
) -> (&'static str, &'t str, String) {
    let first_token_ms = rng.u32(150..2_500);
    let roll = rng.u16(..1000);
    if roll < 20 {
        let (code, message) = ERRORS[rng.usize(..ERRORS.len())];
        let meta = json!({"model": model, "errorCode": code, "errorMessage": message});
        return ("error", "", meta.to_string());
    }
    if roll < 35 {
        let cut = cut(answer, rng.usize(1..4));
        let completion = tokens(cut);
        let meta = json!({
            "model": model, "promptTokens": prompt, "completionTokens": completion,
            "firstTokenMs": first_token_ms, "totalMs": first_token_ms + completion * 12,
            "reason": if roll < 30 { "no_finish_reason" } else { "cancelled" },
        });
        let state = if roll < 30 { "partial" } else { "cancelled" };
        return (state, cut, meta.to_string());
    }
    let completion = tokens(answer);
    let meta = json!({
        "model": model, "finishReason": "stop", "promptTokens": prompt + 40,
        "completionTokens": completion, "firstTokenMs": first_token_ms,
        "totalMs": first_token_ms + completion * rng.u32(8..30),
    });
    ("complete", answer, meta.to_string())
}

/// The first `1 / parts` of `text`, cut at a character boundary.
pub fn cut(text: &str, parts: usize) -> &str {
    let target = text.len() / (parts + 1);
    let end = (0..=target)
        .rev()
        .find(|&index| text.is_char_boundary(index))
        .unwrap_or(0);
    &text[..end]
}

/// A rough token count (about four bytes of UTF-8 a token).
pub fn tokens(text: &str) -> u32 {
    u32::try_from(text.len() / 4 + 1).unwrap_or(u32::MAX)
}
