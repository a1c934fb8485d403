//! Inference: a BERT-family sentence-embedding model on the CPU with candle. Text is cut
//! to the model's token limit, encoded in batches padded to their longest input, and
//! mean-pooled over the real tokens (the padding masked out), then scaled to unit length
//! so cosine similarity is a dot product.
//!
//! Loading reads each file with a size cap and checks what it says before any of it is
//! used: the config's dimensions within bounds, every token id the tokenizer can produce
//! a row of the embedding table, every tensor there at its shape. A damaged file is a
//! typed [`EmbedderError::Damaged`]; a model whose output is not a finite vector is an
//! [`EmbedderError::Inference`].
//!
//! `embed` is CPU-bound and blocking (candle's matrix products use every core): call it
//! from a blocking thread.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationParams};

use crate::EmbedderError;

const CONFIG: &str = "config.json";
const TOKENIZER: &str = "tokenizer.json";
const WEIGHTS: &str = "model.safetensors";

const CONFIG_CAP: u64 = 64 * 1024;
const TOKENIZER_CAP: u64 = 32 * 1024 * 1024;
const WEIGHTS_CAP: u64 = 2 * 1024 * 1024 * 1024;

/// Inputs encoded together: enough to use the matrix units, few enough that a batch of
/// long inputs stays within tens of megabytes of activations.
pub const BATCH: usize = 16;

/// Bytes of an input read at most per token allowed: a text longer than this would be
/// cut by the tokenizer anyway, so it is not tokenized whole.
const BYTES_PER_TOKEN: usize = 64;

/// A loaded model, ready to embed.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    max_tokens: usize,
    dimensions: usize,
    pad_id: u32,
}

impl Embedder {
    /// Loads the model in `folder`, cutting inputs to `max_tokens` tokens (or the model's
    /// own position limit, when lower).
    pub fn load(folder: &Path, max_tokens: usize) -> Result<Self, EmbedderError> {
        let config: Config = serde_json::from_slice(&read_capped(folder, CONFIG, CONFIG_CAP)?)
            .map_err(|e| EmbedderError::damaged(CONFIG, e))?;
        check_config(&config)?;
        let max_tokens = max_tokens.clamp(2, config.max_position_embeddings);

        let mut tokenizer = Tokenizer::from_bytes(read_capped(folder, TOKENIZER, TOKENIZER_CAP)?)
            .map_err(|e| EmbedderError::damaged(TOKENIZER, e))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                ..TruncationParams::default()
            }))
            .map_err(|e| EmbedderError::damaged(TOKENIZER, e))?;
        tokenizer.with_padding(None);
        let highest = tokenizer.get_vocab(true).into_values().max().unwrap_or(0);
        if highest as usize >= config.vocab_size {
            return Err(EmbedderError::damaged(
                TOKENIZER,
                format!(
                    "token id {highest} is beyond the model's {} embeddings",
                    config.vocab_size
                ),
            ));
        }

        let device = Device::Cpu;
        let tensors = {
            let bytes = read_capped(folder, WEIGHTS, WEIGHTS_CAP)?;
            candle_core::safetensors::load_buffer(&bytes, &device)
                .map_err(|e| EmbedderError::damaged(WEIGHTS, e))?
        };
        let weights = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let model =
            BertModel::load(weights, &config).map_err(|e| EmbedderError::damaged(WEIGHTS, e))?;
        Ok(Self {
            model,
            tokenizer,
            max_tokens,
            dimensions: config.hidden_size,
            pad_id: u32::try_from(config.pad_token_id).unwrap_or(0),
        })
    }

    /// The length of every vector this model gives.
    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// The tokens an input is cut to.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// One unit vector per text, in order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedderError> {
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            out.extend(self.embed_batch(batch)?);
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedderError> {
        let mut encoded = Vec::with_capacity(texts.len());
        for text in texts {
            let text = cut(text, self.max_tokens * BYTES_PER_TOKEN);
            let encoding = self
                .tokenizer
                .encode(text, true)
                .map_err(|e| EmbedderError::Inference(format!("tokenizing: {e}")))?;
            if encoding.get_ids().is_empty() {
                return Err(EmbedderError::Inference("a text gave no tokens".into()));
            }
            encoded.push(encoding.get_ids().to_vec());
        }
        let rows = encoded.len();
        let longest = encoded.iter().map(Vec::len).max().unwrap_or(1);
        let mut ids = Vec::with_capacity(rows * longest);
        let mut mask = Vec::with_capacity(rows * longest);
        for tokens in &encoded {
            let padding = longest - tokens.len();
            ids.extend_from_slice(tokens);
            ids.extend(std::iter::repeat_n(self.pad_id, padding));
            mask.extend(std::iter::repeat_n(1u32, tokens.len()));
            mask.extend(std::iter::repeat_n(0u32, padding));
        }
        let device = &self.model.device;
        let ids = Tensor::from_vec(ids, (rows, longest), device)?;
        let mask = Tensor::from_vec(mask, (rows, longest), device)?;
        let types = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &types, Some(&mask))?;
        let weights = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&weights)?.sum(1)?;
        let counts = weights.sum(1)?.maximum(1.0)?;
        let pooled: Vec<Vec<f32>> = summed.broadcast_div(&counts)?.to_vec2()?;
        pooled.into_iter().map(unit).collect()
    }
}

/// The vector scaled to length 1; a vector that is not finite or is all zeros is an error
/// (a damaged model), never stored.
fn unit(mut vector: Vec<f32>) -> Result<Vec<f32>, EmbedderError> {
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if !norm.is_finite() || norm <= f32::EPSILON {
        return Err(EmbedderError::Inference(
            "the model gave no usable vector".into(),
        ));
    }
    vector.iter_mut().for_each(|x| *x /= norm);
    Ok(vector)
}

/// `text` cut to at most `bytes` bytes, at a character boundary.
fn cut(text: &str, bytes: usize) -> &str {
    if text.len() <= bytes {
        return text;
    }
    let mut end = bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The bounds a config must keep: each is well above any sentence-embedding model's and
/// keeps a damaged config from asking for absurd tensors or dividing by zero.
fn check_config(config: &Config) -> Result<(), EmbedderError> {
    let bad = |what: &str| Err(EmbedderError::damaged(CONFIG, what));
    if !(1..=8192).contains(&config.hidden_size) {
        return bad("hidden_size out of range");
    }
    if config.num_attention_heads == 0
        || !config
            .hidden_size
            .is_multiple_of(config.num_attention_heads)
    {
        return bad("hidden_size is not a multiple of num_attention_heads");
    }
    if !(1..=64).contains(&config.num_hidden_layers) {
        return bad("num_hidden_layers out of range");
    }
    if !(1..=65_536).contains(&config.intermediate_size) {
        return bad("intermediate_size out of range");
    }
    if !(1..=1_000_000).contains(&config.vocab_size) {
        return bad("vocab_size out of range");
    }
    if !(2..=16_384).contains(&config.max_position_embeddings) {
        return bad("max_position_embeddings out of range");
    }
    if !(1..=64).contains(&config.type_vocab_size) {
        return bad("type_vocab_size out of range");
    }
    if !(config.layer_norm_eps.is_finite() && config.layer_norm_eps > 0.0) {
        return bad("layer_norm_eps is not a small positive number");
    }
    Ok(())
}

/// The file's bytes, refused unread when larger than `cap`.
fn read_capped(folder: &Path, name: &str, cap: u64) -> Result<Vec<u8>, EmbedderError> {
    use std::io::Read;
    let path = folder.join(name);
    let file = match std::fs::File::open(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(EmbedderError::NotInstalled(name.to_string()));
        }
        other => other.map_err(EmbedderError::io(&path))?,
    };
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(EmbedderError::io(&path))?;
    if bytes.len() as u64 > cap {
        return Err(EmbedderError::damaged(name, format!("over {cap} bytes")));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_whole_characters() {
        assert_eq!(cut("héllo", 2), "h");
        assert_eq!(cut("héllo", 3), "hé");
        assert_eq!(cut("abc", 10), "abc");
        assert_eq!(cut("日本", 4), "日");
    }

    #[test]
    fn unit_refuses_what_cannot_be_a_direction() {
        assert!(unit(vec![0.0, 0.0]).is_err());
        assert!(unit(vec![f32::NAN, 1.0]).is_err());
        let v = unit(vec![3.0, 4.0]).expect("a direction");
        assert!((v[0] - 0.6).abs() < 1e-6 && (v[1] - 0.8).abs() < 1e-6);
    }
}
