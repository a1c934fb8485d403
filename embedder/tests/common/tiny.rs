//! A tiny BERT sentence-embedding model written by the test itself: the same three files a
//! real one has (`config.json`, `tokenizer.json` in the layout of all-MiniLM-L6-v2's,
//! `model.safetensors`), with 2 layers, 32 dimensions and a 64-entry WordPiece vocabulary.
//! Its weights are deterministic pseudo-random numbers: the vectors mean nothing, but the
//! engine runs every step a real model takes.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{Device, Tensor};
use serde_json::json;

pub const HIDDEN: usize = 32;
pub const LAYERS: usize = 2;
pub const HEADS: usize = 4;
pub const INTERMEDIATE: usize = 64;
pub const POSITIONS: usize = 64;

const SPECIAL: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
const WORDS: [&str; 30] = [
    "the", "a", "cat", "dog", "sat", "on", "mat", "rain", "falls", "in", "spain", "sun", "moon",
    "river", "bank", "money", "car", "road", "cold", "warm", "is", "and", "of", "to", "##s",
    "##ing", "##ed", ".", ",", "?",
];

/// The vocabulary: specials, words, then single letters and their `##` forms.
pub fn vocab() -> Vec<String> {
    let mut vocab: Vec<String> = SPECIAL
        .iter()
        .chain(WORDS.iter())
        .map(|s| s.to_string())
        .collect();
    for c in 'a'..='z' {
        if !vocab.contains(&c.to_string()) {
            vocab.push(c.to_string());
        }
        vocab.push(format!("##{c}"));
    }
    vocab
}

pub fn config(vocab_size: usize) -> serde_json::Value {
    json!({
        "architectures": ["BertModel"],
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": INTERMEDIATE,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": POSITIONS,
        "model_type": "bert",
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "type_vocab_size": 2,
        "vocab_size": vocab_size
    })
}

pub fn tokenizer(vocab: &[String]) -> serde_json::Value {
    let ids: serde_json::Map<String, serde_json::Value> = vocab
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), json!(i)))
        .collect();
    let added: Vec<_> = SPECIAL
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({"id": i, "special": true, "content": t, "single_word": false,
                   "lstrip": false, "rstrip": false, "normalized": false})
        })
        .collect();
    let special = |t: &str, type_id: u32| json!({"SpecialToken": {"id": t, "type_id": type_id}});
    let sequence = |s: &str, type_id: u32| json!({"Sequence": {"id": s, "type_id": type_id}});
    json!({
        "version": "1.0",
        // As the real file has them: the engine must replace both.
        "truncation": {"max_length": 8, "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": 8}, "direction": "Right", "pad_to_multiple_of": null,
                    "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"},
        "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": true,
                       "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)],
            "pair": [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0),
                     sequence("B", 1), special("[SEP]", 1)],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}
            }
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids}
    })
}

/// The weights a `BertModel` of this shape reads, under the names a Hugging Face export
/// uses, as deterministic pseudo-random values (layer norms as 1 and 0).
pub fn weights(vocab_size: usize) -> HashMap<String, Tensor> {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut random = |shape: &[usize]| {
        let n: usize = shape.iter().product();
        let values: Vec<f32> = (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                ((seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.4
            })
            .collect();
        Tensor::from_vec(values, shape, &Device::Cpu).expect("tensor")
    };
    let ones = |n: usize| Tensor::ones(n, candle_core::DType::F32, &Device::Cpu).expect("ones");
    let zeros = |n: usize| Tensor::zeros(n, candle_core::DType::F32, &Device::Cpu).expect("zeros");
    let mut w = HashMap::new();
    let mut put = |name: String, t: Tensor| {
        w.insert(name, t);
    };
    put(
        "embeddings.word_embeddings.weight".into(),
        random(&[vocab_size, HIDDEN]),
    );
    put(
        "embeddings.position_embeddings.weight".into(),
        random(&[POSITIONS, HIDDEN]),
    );
    put(
        "embeddings.token_type_embeddings.weight".into(),
        random(&[2, HIDDEN]),
    );
    put("embeddings.LayerNorm.weight".into(), ones(HIDDEN));
    put("embeddings.LayerNorm.bias".into(), zeros(HIDDEN));
    for l in 0..LAYERS {
        let p = format!("encoder.layer.{l}");
        for part in ["query", "key", "value"] {
            put(
                format!("{p}.attention.self.{part}.weight"),
                random(&[HIDDEN, HIDDEN]),
            );
            put(format!("{p}.attention.self.{part}.bias"), random(&[HIDDEN]));
        }
        put(
            format!("{p}.attention.output.dense.weight"),
            random(&[HIDDEN, HIDDEN]),
        );
        put(
            format!("{p}.attention.output.dense.bias"),
            random(&[HIDDEN]),
        );
        put(
            format!("{p}.attention.output.LayerNorm.weight"),
            ones(HIDDEN),
        );
        put(
            format!("{p}.attention.output.LayerNorm.bias"),
            zeros(HIDDEN),
        );
        put(
            format!("{p}.intermediate.dense.weight"),
            random(&[INTERMEDIATE, HIDDEN]),
        );
        put(
            format!("{p}.intermediate.dense.bias"),
            random(&[INTERMEDIATE]),
        );
        put(
            format!("{p}.output.dense.weight"),
            random(&[HIDDEN, INTERMEDIATE]),
        );
        put(format!("{p}.output.dense.bias"), random(&[HIDDEN]));
        put(format!("{p}.output.LayerNorm.weight"), ones(HIDDEN));
        put(format!("{p}.output.LayerNorm.bias"), zeros(HIDDEN));
    }
    w
}

/// The three files' bytes: `(name, bytes)`.
pub fn files() -> Vec<(&'static str, Vec<u8>)> {
    let vocab = vocab();
    let dir = tempfile::tempdir().expect("temp dir");
    let weights_path = dir.path().join("model.safetensors");
    candle_core::safetensors::save(&weights(vocab.len()), &weights_path).expect("save weights");
    vec![
        ("config.json", config(vocab.len()).to_string().into_bytes()),
        ("tokenizer.json", tokenizer(&vocab).to_string().into_bytes()),
        (
            "model.safetensors",
            std::fs::read(&weights_path).expect("read weights"),
        ),
    ]
}

/// Writes the tiny model into `folder`.
pub fn write(folder: &Path) {
    std::fs::create_dir_all(folder).expect("model folder");
    for (name, bytes) in files() {
        std::fs::write(folder.join(name), bytes).expect("write model file");
    }
}
