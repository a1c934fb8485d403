//! What the embeddings tests share: a client with a key, a quick retry policy, and the
//! answers the scripted server gives to an embeddings request.

#![allow(dead_code)] // each user takes a part of it

use std::time::Duration;

use base64::Engine as _;

use confab_core::error::Error;
use confab_core::llm::{self, EmbedPolicy, Endpoint, ProviderClient};
use confab_core::secrets::Secret;
use serde_json::{Value, json};

use crate::common::hostile::{Answer, Received};

pub fn client(base_url: String, model: &str) -> ProviderClient {
    let http = llm::http_client().expect("http client");
    let endpoint = Endpoint {
        base_url,
        model: model.into(),
    };
    ProviderClient::new(http, endpoint, Some(&Secret::new("sk-test-embed"))).expect("client")
}

pub fn texts(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_string()).collect()
}

/// A quick policy for tests: short waits, a short time limit.
pub fn quick() -> EmbedPolicy {
    EmbedPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        request_timeout: Duration::from_secs(5),
    }
}

pub fn inputs_of(request: &Received) -> Vec<String> {
    serde_json::from_value(request.body["input"].clone()).unwrap_or_default()
}

/// An embeddings answer with `vectors` at their positions.
pub fn answer(vectors: &[Value]) -> Answer {
    let data: Vec<Value> = vectors
        .iter()
        .enumerate()
        .map(|(index, vector)| json!({"object": "embedding", "index": index, "embedding": vector}))
        .collect();
    Answer::json(
        200,
        &json!({"object": "list", "data": data, "model": "m", "usage": {"prompt_tokens": 7, "total_tokens": 7}}),
    )
}

/// A well-behaved answer to `request`: one 3-dimensional vector per input, from its length.
pub fn good(request: &Received) -> Answer {
    let vectors: Vec<Value> = inputs_of(request)
        .iter()
        .map(|input| json!([input.len() as f32, 1.0, -0.5]))
        .collect();
    answer(&vectors)
}

pub fn provider_message(error: &Error) -> &str {
    match error {
        Error::Provider { message, .. } => message,
        other => panic!("not a provider error: {other:?}"),
    }
}

/// The colours a scripted multimodal model sees, as the axes of its 4-dimensional space:
/// red, green, blue, and everything else.
const COLOURS: [&str; 3] = ["red", "green", "blue"];

/// A multimodal (CLIP-style) model's vector for one input, as Jina's API takes them: a text
/// is a string, along the axis of the first colour it names (or the fourth axis); an image
/// is `{"image": "data:...;base64,..."}`, along its mean colour, read from its real pixels.
/// `None` for an image that does not decode.
pub fn multimodal_vector(input: &Value) -> Option<Value> {
    if let Some(text) = input.as_str() {
        let text = text.to_lowercase();
        let mut vector = [0.0_f32; 4];
        match COLOURS.iter().position(|c| text.contains(c)) {
            Some(axis) => vector[axis] = 1.0,
            None => vector[3] = 1.0,
        }
        return Some(json!(vector));
    }
    let url = input.get("image")?.as_str()?;
    let data = url.split_once(";base64,").map_or(url, |(_, data)| data);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .ok()?;
    let pixels = image::load_from_memory(&bytes).ok()?.to_rgb8();
    let mut sum = [0.0_f64; 3];
    for pixel in pixels.pixels() {
        for (total, value) in sum.iter_mut().zip(pixel.0) {
            *total += f64::from(value);
        }
    }
    let count = f64::from(pixels.width() * pixels.height()).max(1.0);
    let mean: Vec<f32> = sum
        .iter()
        .map(|total| (total / count / 255.0) as f32)
        .collect();
    Some(json!([mean[0], mean[1], mean[2], 0.0]))
}

/// Whether an embeddings request carries an image input.
pub fn has_image(request: &Received) -> bool {
    request.body["input"]
        .as_array()
        .is_some_and(|inputs| inputs.iter().any(|input| input.get("image").is_some()))
}

/// A scripted multimodal embeddings model: vectors from [`multimodal_vector`], a 400 for an
/// image that does not decode.
pub fn multimodal(request: &Received) -> Answer {
    let inputs = request.body["input"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let vectors: Option<Vec<Value>> = inputs.iter().map(multimodal_vector).collect();
    match vectors {
        Some(vectors) => answer(&vectors),
        None => Answer::json(400, &json!({"detail": "the image could not be read"})),
    }
}

/// A text-only embeddings model: the same vectors for texts, and a 422 (as Jina's text
/// models answer) for any image input.
pub fn text_only(request: &Received) -> Answer {
    if has_image(request) {
        return Answer::json(
            422,
            &json!({"detail": [{"msg": "Input should be a valid string", "loc": ["body", "input", 0]}]}),
        );
    }
    multimodal(request)
}
