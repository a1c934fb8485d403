//! The inference engine on the tiny BERT the test writes: deterministic, batched the same
//! as one by one, unit vectors, inputs of any length; damaged files refused with a typed
//! error, never a panic.

mod common;

use std::path::Path;

use confab_embedder::{Embedder, EmbedderError};

fn tiny() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    common::tiny::write(dir.path());
    dir
}

fn load(folder: &Path) -> Embedder {
    Embedder::load(folder, 32).expect("load")
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The largest difference between two vectors' values.
fn gap(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn same_text_same_vector_different_texts_different_vectors() {
    let dir = tiny();
    let embedder = load(dir.path());
    assert_eq!(embedder.dimensions(), common::tiny::HIDDEN);
    let texts = [
        "the cat sat on the mat",
        "rain falls in spain",
        "the cat sat on the mat",
    ];
    let vectors = embedder.embed(&texts).expect("embed");
    assert_eq!(vectors.len(), 3);
    for v in &vectors {
        assert_eq!(v.len(), common::tiny::HIDDEN);
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
    }
    // Rows of a batch may be summed in another order by the matrix kernels: equal to
    // rounding, not to the bit.
    assert!(
        gap(&vectors[0], &vectors[2]) < 1e-5,
        "{}",
        gap(&vectors[0], &vectors[2])
    );
    assert!(cosine(&vectors[0], &vectors[1]) < 0.99);
    // A second load gives the same numbers for the same call.
    assert_eq!(load(dir.path()).embed(&texts).expect("embed"), vectors);
}

#[test]
fn a_batch_gives_what_one_by_one_gives() {
    let dir = tiny();
    let embedder = load(dir.path());
    // Lengths differ, so the batch pads; more than one batch's worth of texts.
    let texts: Vec<String> = (0..40)
        .map(|i| "the dog sat on a road and ".repeat(i % 7 + 1) + &format!("river {i}"))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let together = embedder.embed(&refs).expect("batch");
    for (text, batched) in refs.iter().zip(&together) {
        let alone = &embedder.embed(&[text]).expect("single")[0];
        assert!(
            gap(alone, batched) < 1e-4,
            "{text}: {}",
            gap(alone, batched)
        );
    }
}

#[test]
fn any_input_is_cut_to_the_limit_and_embedded() {
    let dir = tiny();
    // More tokens asked for than the model has positions: the model's limit wins.
    let embedder = Embedder::load(dir.path(), 10_000).expect("load");
    assert_eq!(embedder.max_tokens(), common::tiny::POSITIONS);
    let long = "the cat sat on the mat ".repeat(50_000);
    let odd = "日本語 ünïcödé \u{0}\u{202e} 🙂 xyzzy";
    let vectors = embedder.embed(&[&long, "", odd, "?"]).expect("embed");
    assert_eq!(vectors.len(), 4);
    assert!(embedder.embed(&[]).expect("nothing").is_empty());
}

fn expect_damaged(folder: &Path, file: &str) {
    match Embedder::load(folder, 32) {
        Err(EmbedderError::Damaged { file: f, .. }) if f == file => {}
        Err(other) => panic!("{file}: expected Damaged, got {other:?}"),
        Ok(_) => panic!("{file}: a damaged model loaded"),
    }
}

#[test]
fn damaged_files_are_refused() {
    let dir = tiny();
    let folder = dir.path();
    let original = |name: &str| std::fs::read(folder.join(name)).expect("read");
    let (config, tokenizer, weights) = (
        original("config.json"),
        original("tokenizer.json"),
        original("model.safetensors"),
    );
    let restore = || {
        std::fs::write(folder.join("config.json"), &config).expect("w");
        std::fs::write(folder.join("tokenizer.json"), &tokenizer).expect("w");
        std::fs::write(folder.join("model.safetensors"), &weights).expect("w");
    };
    let write = |name: &str, bytes: &[u8]| std::fs::write(folder.join(name), bytes).expect("w");
    let vocab = common::tiny::vocab().len();

    write("config.json", b"{not json");
    expect_damaged(folder, "config.json");
    let mut odd = common::tiny::config(vocab);
    odd["num_attention_heads"] = 5.into(); // 32 is not a multiple of 5
    write("config.json", odd.to_string().as_bytes());
    expect_damaged(folder, "config.json");
    odd = common::tiny::config(vocab);
    odd["hidden_size"] = 1_000_000_000u64.into();
    write("config.json", odd.to_string().as_bytes());
    expect_damaged(folder, "config.json");
    restore();

    write("tokenizer.json", &tokenizer[..tokenizer.len() / 2]);
    expect_damaged(folder, "tokenizer.json");
    // A vocabulary larger than the model's embedding table.
    odd = common::tiny::config(vocab - 10);
    write("config.json", odd.to_string().as_bytes());
    expect_damaged(folder, "tokenizer.json");
    restore();

    write("model.safetensors", &weights[..weights.len() - 100]);
    expect_damaged(folder, "model.safetensors");
    write("model.safetensors", b"");
    expect_damaged(folder, "model.safetensors");
    // Weights of another shape than the config says.
    odd = common::tiny::config(vocab);
    odd["intermediate_size"] = 48.into();
    write("config.json", odd.to_string().as_bytes());
    expect_damaged(folder, "model.safetensors");
    restore();

    std::fs::remove_file(folder.join("tokenizer.json")).expect("remove");
    assert!(matches!(
        Embedder::load(folder, 32),
        Err(EmbedderError::NotInstalled(name)) if name == "tokenizer.json"
    ));
    restore();
    assert!(Embedder::load(folder, 32).is_ok());
}

#[test]
fn weights_that_are_not_numbers_give_an_error_not_a_vector() {
    let dir = tiny();
    let vocab = common::tiny::vocab().len();
    let mut weights = common::tiny::weights(vocab);
    let nan = candle_core::Tensor::full(f32::NAN, common::tiny::HIDDEN, &candle_core::Device::Cpu)
        .expect("nan");
    weights.insert("embeddings.LayerNorm.bias".into(), nan);
    candle_core::safetensors::save(&weights, dir.path().join("model.safetensors")).expect("save");
    let embedder = load(dir.path());
    assert!(matches!(
        embedder.embed(&["the cat"]),
        Err(EmbedderError::Inference(_))
    ));
}

/// Bytes of the weights file flipped at random places (the header most of all): every
/// load ends in a model or a typed error. A panic fails the test.
#[test]
fn mutated_weights_never_panic() {
    let dir = tiny();
    let folder = dir.path();
    let weights = std::fs::read(folder.join("model.safetensors")).expect("read");
    let header = 8 + u64::from_le_bytes(weights[..8].try_into().expect("8 bytes")) as usize;
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound as u64) as usize
    };
    let (mut loaded, mut refused) = (0, 0);
    for round in 0..150 {
        let mut bytes = weights.clone();
        for _ in 0..1 + next(4) {
            let at = if round % 3 == 0 {
                next(bytes.len())
            } else {
                next(header)
            };
            bytes[at] = next(256) as u8;
        }
        std::fs::write(folder.join("model.safetensors"), &bytes).expect("write");
        match Embedder::load(folder, 32) {
            Ok(embedder) => {
                loaded += 1;
                let _ = embedder.embed(&["the cat sat"]);
            }
            Err(EmbedderError::Damaged { .. }) => refused += 1,
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
    assert!(refused > 0 && loaded + refused == 150);
}
