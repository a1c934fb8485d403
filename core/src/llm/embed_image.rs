//! Images embedded through `/embeddings` the way Jina's CLIP-style models (jina-clip-v2)
//! take them: `{"model", "input": [{"image": "data:image/jpeg;base64,..."}]}`. A text is
//! embedded as a plain string ([`ProviderClient::embed`]) into the same space, so a question
//! finds an image by its meaning.
//!
//! async-openai's embedding request carries strings only, so this one is written here and
//! sent through [`post`](ProviderClient::post): the same transport, body bound and typed
//! errors as every provider request. The answer is checked as a text embedding's is. A
//! model that takes no images answers with a client error (400, 415 or 422), which
//! [`refuses_images`] tells apart.

use base64::Engine as _;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::ProviderClient;
use super::embed::{EmbedPolicy, Embedded, EmbeddingResponse, StopReason, checked, retried};
use crate::error::{Error, Result};

/// The most bytes of one image sent (before base64): the caller scales it down first.
pub const MAX_IMAGE_INPUT_BYTES: usize = 4 * 1024 * 1024;

#[derive(Serialize)]
struct ImageRequest<'a> {
    model: &'a str,
    input: Vec<ImageInput>,
}

#[derive(Serialize)]
struct ImageInput {
    image: String,
}

impl ProviderClient {
    /// Embeds one image (`mime`, encoded `data`) in one request with the client's model.
    pub async fn embed_image(&self, mime: &str, data: &[u8]) -> Result<Embedded> {
        if data.len() > MAX_IMAGE_INPUT_BYTES {
            return Err(Error::internal(
                "image embedding",
                format!("an image of {} bytes was not scaled down", data.len()),
            ));
        }
        let url = format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(data)
        );
        let body = serde_json::to_vec(&ImageRequest {
            model: &self.endpoint.model,
            input: vec![ImageInput { image: url }],
        })
        .map_err(|error| Error::internal("image embedding request", error))?;
        // A limit of its own; `embed_image_retried` bounds each attempt by its policy too.
        let text = self
            .post("/embeddings", body, EmbedPolicy::default().request_timeout)
            .await?;
        let response: EmbeddingResponse = serde_json::from_str(&text).map_err(|error| {
            self.error(async_openai::error::OpenAIError::JSONDeserialize(
                error, text,
            ))
        })?;
        checked(response, 1)
    }
}

/// [`ProviderClient::embed_image`] retried under `policy` (rate limits, server errors,
/// stalls), stopped at once by `cancel`: the image's vector.
pub async fn embed_image_retried(
    client: &ProviderClient,
    mime: &str,
    data: &[u8],
    policy: &EmbedPolicy,
    cancel: &CancellationToken,
) -> std::result::Result<Vec<f32>, StopReason> {
    let embedded = retried(policy, cancel, || client.embed_image(mime, data)).await?;
    embedded.vectors.into_iter().next().ok_or_else(|| {
        StopReason::Failed(Error::internal("image embedding", "no vector came back"))
    })
}

/// Whether `error` is a provider refusing the image itself (the request was understood as
/// a request, the input was not): a model that embeds text only.
pub fn refuses_images(error: &Error) -> bool {
    matches!(
        error,
        Error::Provider {
            status: Some(400 | 415 | 422),
            ..
        }
    )
}
