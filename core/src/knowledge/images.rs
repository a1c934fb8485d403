//! Image files of a knowledge base that indexes images: each read through the attachments'
//! bounded image code (size, pixel and memory limits; a damaged or 0 × 0 image refused),
//! scaled down to what CLIP-style models look at, and embedded as an image by the base's
//! multimodal model, so a question in words finds it. One image is one chunk of kind
//! `image`: its text is the file's name and folders (what keyword search finds), its
//! vector the image's. A model that takes no images fails the file with
//! `embedding_model_no_images`; the run goes on for the other files.

use std::path::Path;

use tokio_util::sync::CancellationToken;

use super::chunk::Chunk;
use super::hub::KnowledgeHub;
use super::ingest::{Outcome, Pending, code_of, rule_code, stops_the_run};
use super::keep::Stored;
use super::types::{FileStatus, KnowledgeBase};
use crate::attachments::image::{self, Prepared};
use crate::error::{Error, Result};
use crate::llm::{ProviderClient, refuses_images};
use crate::problem::Rule;
use crate::vocab::count_tokens;

/// The long side of an image as it is embedded: CLIP-style models look at 224 to 512
/// pixels (jina-clip-v2: 512), so more is bytes on the wire and nothing gained.
pub const EMBED_SIDE: u32 = 512;
/// Folders above an image whose names go into its keyword text.
const FOLDERS_NAMED: usize = 2;

impl KnowledgeHub {
    /// Indexes the image file `file` (its `bytes`, their `sha256`).
    pub(super) async fn index_image(
        &self,
        kb: &KnowledgeBase,
        client: Option<&ProviderClient>,
        file: &Pending,
        bytes: Vec<u8>,
        sha256: &str,
        cancel: &CancellationToken,
    ) -> Result<Outcome> {
        let prepared = match read_image(bytes).await? {
            Ok(prepared) => prepared,
            Err(code) => return self.fail(kb, file.id, FileStatus::Failed, &code).await,
        };
        let text = keyword_text(&file.path);
        let chunk = Chunk {
            ord: 0,
            tokens: count_tokens(&text),
            text,
            start: 0,
            page: None,
            heading: String::new(),
        };
        let vectors = match client {
            None => None,
            Some(client) => match self.embed_image(client, &prepared, cancel).await {
                Ok(vector) => Some(vec![vector]),
                Err(error) if stops_the_run(&error) || cancel.is_cancelled() => {
                    return Ok(Outcome::Stop(error));
                }
                Err(error) => {
                    let code = if refuses_images(&error) {
                        tracing::info!(%error, "the embedding model refused an image");
                        rule_code(Rule::EmbeddingModelNoImages)
                    } else {
                        code_of(&error)
                    };
                    return self.fail(kb, file.id, FileStatus::Failed, &code).await;
                }
            },
        };
        let model = client
            .filter(|_| vectors.is_some())
            .map(|c| c.endpoint().model.as_str());
        let stored = Stored {
            sha256,
            chunks: std::slice::from_ref(&chunk),
            vectors,
            model,
            image: true,
        };
        self.store(kb, file.id, stored).await
    }
}

/// The image scaled down to [`EMBED_SIDE`], on a blocking thread; else the rule code the
/// file fails with (`damaged_file`, `too_large`, `image_too_large`, `unsupported_file`).
async fn read_image(bytes: Vec<u8>) -> Result<std::result::Result<Prepared, String>> {
    let prepared =
        tokio::task::spawn_blocking(move || image::prepare_within(&bytes, "file", EMBED_SIDE))
            .await
            .map_err(|error| Error::internal("knowledge image", error))?;
    Ok(match prepared {
        Ok(prepared) => Ok(prepared),
        Err(Error::InvalidInput(problems)) => Err(match problems.first().map(|p| p.rule) {
            // The attachments' word for bytes that do not decode; a knowledge file says
            // damaged, as a damaged document does.
            Some(Rule::Malformed) | None => rule_code(Rule::DamagedFile),
            Some(rule) => rule_code(rule),
        }),
        // Encoding the scaled image again failed: the pixels were not usable.
        Err(error) => {
            tracing::warn!(%error, "a knowledge image could not be encoded again");
            Err(rule_code(Rule::DamagedFile))
        }
    })
}

/// What keyword search finds an image by: its file name, then the words of its name and
/// of the folders just above it ("trips/2024-kyoto/red_gate.jpg" → "red_gate.jpg\nred gate
/// 2024 kyoto trips").
pub fn keyword_text(path: &str) -> String {
    let name = super::chunks::file_name(path);
    let stem = Path::new(&name)
        .file_stem()
        .map_or_else(|| name.clone(), |s| s.to_string_lossy().into_owned());
    let folders: Vec<&str> = path
        .rsplit(['/', '\\'])
        .filter(|part| !part.is_empty())
        .skip(1)
        .take(FOLDERS_NAMED)
        .collect();
    let words: Vec<&str> = std::iter::once(stem.as_str())
        .chain(folders)
        .flat_map(|part| part.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .collect();
    format!("{name}\n{}", words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_is_found_by_its_name_and_folders() {
        assert_eq!(
            keyword_text("/home/a/trips/2024-kyoto/red_gate.jpg"),
            "red_gate.jpg\nred gate 2024 kyoto trips"
        );
        assert_eq!(
            keyword_text(r"C:\photos\pets\猫.png"),
            "猫.png\n猫 pets photos"
        );
        assert_eq!(keyword_text("blue.png"), "blue.png\nblue");
    }
}
