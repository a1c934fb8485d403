//! Tokens of a text as chat models count them: what a request's budget and a file's chip
//! are measured in.
//!
//! The encoding is OpenAI's o200k. Its table of 199,998 tokens is kept in `o200k.bin` as
//! raw bytes, each token after a one-byte length, in rank order (the rank is the
//! position), deflated: about 1 MB of the binary instead of the 3.6 MB of base64 text with
//! a decimal rank on every line that `tiktoken_rs::o200k_base` embeds. The tokenizer is
//! built from it on the first count. A test checks the file against tiktoken-rs' own
//! table, token by token, and writes it again when `CONFAB_WRITE_VOCAB=1` is set.

use std::sync::OnceLock;

use tiktoken_rs::CoreBPE;
use tiktoken_rs::{ENDOFPROMPT, ENDOFTEXT, O200K_BASE_PAT_STR};

/// The packed table (see the module's documentation).
const O200K: &[u8] = include_bytes!("o200k.bin");

/// Tokens of `text` (no framing; a message adds its own).
pub fn count_tokens(text: &str) -> u32 {
    match tokenizer() {
        Some(bpe) => u32::try_from(bpe.encode_ordinary(text).len()).unwrap_or(u32::MAX),
        None => estimate(text),
    }
}

fn tokenizer() -> Option<&'static CoreBPE> {
    // o200k is the encoding of current OpenAI models; for other families it is a close
    // enough estimate for budgeting.
    static BPE: OnceLock<Option<CoreBPE>> = OnceLock::new();
    BPE.get_or_init(|| {
        let built = unpack(O200K).and_then(|encoder| {
            let special = [
                (ENDOFTEXT.to_owned(), 199_999),
                (ENDOFPROMPT.to_owned(), 200_018),
            ];
            CoreBPE::new(encoder, special.into_iter().collect(), O200K_BASE_PAT_STR)
                .map_err(|error| error.to_string())
        });
        built
            .inspect_err(|error| tracing::error!(%error, "the token table did not load"))
            .ok()
    })
    .as_ref()
}

/// The encoder (token bytes → rank) from the packed table.
fn unpack<M>(packed: &[u8]) -> Result<M, String>
where
    M: Default + Extend<(Vec<u8>, u32)>,
{
    let raw = miniz_oxide::inflate::decompress_to_vec(packed)
        .map_err(|error| format!("inflating: {error:?}"))?;
    let mut encoder = M::default();
    let mut rest = raw.as_slice();
    let mut rank = 0u32;
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len);
        if len == 0 || tail.len() < len {
            return Err(format!("token {rank} is cut or empty"));
        }
        let (token, tail) = tail.split_at(len);
        encoder.extend([(token.to_vec(), rank)]);
        rest = tail;
        rank += 1;
    }
    Ok(encoder)
}

/// A count by characters, should the table not load (it is part of the binary, so only a
/// damaged build gets here): about four bytes of English, or one CJK character, a token.
fn estimate(text: &str) -> u32 {
    let wide = text.chars().filter(|c| c.len_utf8() > 2).count();
    let narrow = text.chars().count() - wide;
    u32::try_from(wide + narrow.div_ceil(4)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tiktoken-rs' own o200k table, packed as `o200k.bin` holds it (before deflating).
    fn packed_from_tiktoken() -> Vec<u8> {
        let theirs = tiktoken_rs::o200k_base().expect("tiktoken-rs' o200k table");
        let mut packed = Vec::with_capacity(1_600_000);
        for rank in 0..199_998u32 {
            let token = theirs
                .decode_bytes(&[rank])
                .expect("every rank below 199,998");
            let len = u8::try_from(token.len()).expect("a token of at most 255 bytes");
            packed.push(len);
            packed.extend_from_slice(&token);
        }
        packed
    }

    #[test]
    fn the_packed_table_is_tiktokens_o200k_token_by_token() {
        let expected = packed_from_tiktoken();
        if std::env::var_os("CONFAB_WRITE_VOCAB").is_some() {
            let deflated = miniz_oxide::deflate::compress_to_vec(&expected, 10);
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/vocab/o200k.bin");
            std::fs::write(path, deflated).expect("writing o200k.bin");
        }
        let ours = miniz_oxide::inflate::decompress_to_vec(O200K).expect("o200k.bin inflates");
        assert!(
            ours == expected,
            "o200k.bin differs from tiktoken-rs' table: run this test with CONFAB_WRITE_VOCAB=1"
        );
    }

    #[test]
    fn counts_are_tiktokens_counts() {
        let theirs = tiktoken_rs::o200k_base().expect("tiktoken-rs' o200k table");
        let texts = [
            "",
            "Hello, world! How many tokens is this?",
            "敏捷的棕色狐狸跳过了懒狗。今天天气怎么样？",
            "fn main() {\n    println!(\"{}\", 1 + 2);\n}\n\n\n",
            "<|endoftext|> is only ordinary text here; so is <|endofprompt|>.",
            "emoji 👩‍👩‍👧‍👦 and tabs\t\tand   spaces   ",
            &"長い文章とEnglish mixed together, ".repeat(200),
        ];
        for text in texts {
            let expected = u32::try_from(theirs.encode_ordinary(text).len()).unwrap();
            assert_eq!(count_tokens(text), expected, "{text:?}");
        }
    }

    #[test]
    fn a_damaged_table_is_refused_not_read() {
        let raw = [3u8, b'a', b'b'];
        let cut = miniz_oxide::deflate::compress_to_vec(&raw, 6);
        let result: Result<std::collections::HashMap<Vec<u8>, u32>, String> = unpack(&cut);
        assert!(result.unwrap_err().contains("token 0"));
        let garbage: Result<std::collections::HashMap<Vec<u8>, u32>, String> =
            unpack(b"not deflate at all");
        assert!(garbage.is_err());
    }

    #[test]
    fn the_estimate_counts_cjk_characters_and_english_quarters() {
        assert_eq!(estimate("abcdefgh"), 2);
        assert_eq!(estimate("你好"), 2);
        assert_eq!(estimate(""), 0);
    }
}
