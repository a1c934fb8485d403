//! The chat-completions wire format, as Confab sends and reads it.
//!
//! Requests carry exactly what the API needs (model, role + text, stream flags). Responses
//! are read leniently: OpenAI-compatible servers differ in the details (Ollama and llama.cpp
//! omit fields, some send finish reasons like `eos`), and a missing or unfamiliar field must
//! not turn a good reply into an error.

use serde::{Deserialize, Serialize};

use crate::vocab::{AgentParams, PromptMessage, snake_case};

#[derive(Debug, Serialize)]
pub struct ChatRequest<'a> {
    pub model: &'a str,
    pub messages: &'a [PromptMessage],
    pub stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
    /// temperature, top_p, max_tokens, penalties: only those that are set, under the API's
    /// own (snake_case) names.
    #[serde(flatten, with = "snake_case")]
    pub params: AgentParams,
}

#[derive(Debug, Serialize)]
pub struct StreamOptions {
    pub include_usage: bool,
}

/// One `chat.completion.chunk`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChunkResponse {
    pub model: Option<String>,
    pub choices: Vec<ChunkChoice>,
    pub usage: Option<Usage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChunkChoice {
    #[serde(deserialize_with = "lenient_count")]
    pub index: u32,
    pub delta: Delta,
    pub finish_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Delta {
    pub content: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Usage {
    #[serde(deserialize_with = "lenient_count")]
    pub prompt_tokens: u32,
    #[serde(deserialize_with = "lenient_count")]
    pub completion_tokens: u32,
}

/// A count as a provider may send it: out of `u32`'s range it saturates, a fraction is cut,
/// anything that is not a number is 0, so odd figures never turn a good chunk into an error.
fn lenient_count<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(match value.as_u64() {
        Some(count) => u32::try_from(count).unwrap_or(u32::MAX),
        // A float-to-integer `as` saturates at both ends and makes NaN 0: no wrap, no panic.
        None => value.as_f64().map_or(0, |n| n as u32),
    })
}

/// A whole `chat.completion`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompletionResponse {
    pub choices: Vec<CompletionChoice>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompletionChoice {
    pub message: CompletionMessage,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompletionMessage {
    pub content: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Role;

    #[test]
    fn a_request_sends_only_the_set_parameters_under_the_apis_names() {
        let messages = [PromptMessage {
            role: Role::User,
            content: "hi".into(),
        }];
        let request = ChatRequest {
            model: "m",
            messages: &messages,
            stream: true,
            stream_options: Some(StreamOptions {
                include_usage: true,
            }),
            params: AgentParams {
                top_p: Some(0.5),
                max_tokens: Some(9),
                ..AgentParams::default()
            },
        };
        assert_eq!(
            serde_json::to_value(&request).expect("serializes"),
            serde_json::json!({
                "model": "m",
                "messages": [{"role": "user", "content": "hi"}],
                "stream": true,
                "stream_options": {"include_usage": true},
                "top_p": 0.5,
                "max_tokens": 9
            })
        );
    }

    #[test]
    fn chunks_from_lenient_servers_are_read() {
        // llama.cpp / Ollama style: no id, created or object; a non-standard finish reason.
        let chunk: ChunkResponse = serde_json::from_str(
            r#"{"choices":[{"delta":{"content":"Hi"},"finish_reason":"eos"}],"model":"llama"}"#,
        )
        .expect("lenient chunk");
        assert_eq!(chunk.choices[0].delta.content.as_deref(), Some("Hi"));
        assert_eq!(chunk.choices[0].finish_reason.as_deref(), Some("eos"));
        let usage: ChunkResponse = serde_json::from_str(
            r#"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}"#,
        )
        .expect("usage chunk");
        assert_eq!(
            usage.usage.map(|u| (u.prompt_tokens, u.completion_tokens)),
            Some((3, 5))
        );
    }

    #[test]
    fn odd_counts_do_not_break_a_chunk() {
        let chunk: ChunkResponse = serde_json::from_str(
            r#"{"choices":[{"index":-1,"delta":{"content":"x"}}],
                "usage":{"prompt_tokens":1e20,"completion_tokens":"many"}}"#,
        )
        .expect("read");
        assert_eq!(chunk.choices[0].index, 0);
        assert_eq!(
            chunk.usage.map(|u| (u.prompt_tokens, u.completion_tokens)),
            Some((u32::MAX, 0))
        );
    }
}
