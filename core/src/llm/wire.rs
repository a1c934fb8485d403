//! The chat-completions wire format, as Confab sends and reads it.
//!
//! Requests carry exactly what the API needs (model, messages, stream flags). Responses
//! are read leniently: OpenAI-compatible servers differ in the details (Ollama and llama.cpp
//! omit fields, some send finish reasons like `eos`), and a missing or unfamiliar field must
//! not turn a good reply into an error.

use serde::{Deserialize, Serialize};

use super::message::Messages;
use super::tools::{ToolCallPiece, Tools};
use crate::vocab::{AgentParams, snake_case};

#[derive(Serialize)]
pub struct ChatRequest<'a> {
    pub model: &'a str,
    pub messages: Messages<'a>,
    pub stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
    /// The functions offered (left out when there are none).
    #[serde(skip_serializing_if = "is_none_offered")]
    pub tools: Tools<'a>,
    /// temperature, top_p, max_tokens, penalties: only those that are set, under the API's
    /// own (snake_case) names.
    #[serde(flatten, with = "snake_case")]
    pub params: AgentParams,
}

fn is_none_offered(tools: &Tools<'_>) -> bool {
    tools.0.is_empty()
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
    /// Thinking, as DeepSeek, Qwen (DashScope), SiliconFlow, vLLM and LM Studio send it.
    #[serde(deserialize_with = "lenient_optional")]
    pub reasoning_content: Option<String>,
    /// Thinking, as OpenRouter sends it.
    #[serde(deserialize_with = "lenient_optional")]
    pub reasoning: Option<String>,
    /// Pieces of function calls; a list that is not one, or an item of another shape, is
    /// left out.
    #[serde(deserialize_with = "lenient_calls")]
    pub tool_calls: Vec<CallPiece>,
}

/// One piece of a streamed call as the wire has it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CallPiece {
    #[serde(deserialize_with = "lenient_count")]
    pub index: u32,
    #[serde(deserialize_with = "lenient_optional")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient_optional")]
    pub function: Option<CallFunction>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CallFunction {
    #[serde(deserialize_with = "lenient_optional")]
    pub name: Option<String>,
    /// Text as the API sends it; an object some servers send instead is written as JSON.
    #[serde(deserialize_with = "lenient_arguments")]
    pub arguments: String,
}

impl From<CallPiece> for ToolCallPiece {
    fn from(piece: CallPiece) -> Self {
        let (name, arguments) = piece
            .function
            .map(|function| (function.name, function.arguments))
            .unwrap_or_default();
        Self {
            index: piece.index,
            id: piece.id,
            name,
            arguments,
        }
    }
}

fn lenient_calls<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<CallPiece>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(match value {
        serde_json::Value::Array(items) => items
            .into_iter()
            .filter_map(|item| serde_json::from_value(item).ok())
            .collect(),
        _ => Vec::new(),
    })
}

fn lenient_arguments<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(match value {
        serde_json::Value::String(text) => text,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

impl Delta {
    /// The thinking in this delta; one field only when a server sends both (the same text
    /// twice), `reasoning_content` first.
    pub fn thinking(&self) -> Option<&str> {
        [&self.reasoning_content, &self.reasoning]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .find(|text| !text.is_empty())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Usage {
    #[serde(deserialize_with = "lenient_count")]
    pub prompt_tokens: u32,
    #[serde(deserialize_with = "lenient_count")]
    pub completion_tokens: u32,
    #[serde(deserialize_with = "lenient_optional")]
    pub completion_tokens_details: Option<CompletionDetails>,
    #[serde(deserialize_with = "lenient_optional")]
    pub prompt_tokens_details: Option<PromptDetails>,
    /// DeepSeek's count of prompt tokens read from its cache.
    #[serde(deserialize_with = "lenient_optional_count")]
    pub prompt_cache_hit_tokens: Option<u32>,
}

impl Usage {
    pub fn reasoning_tokens(&self) -> Option<u32> {
        self.completion_tokens_details
            .as_ref()
            .and_then(|details| details.reasoning_tokens)
    }

    /// Prompt tokens served from the provider's cache, in OpenAI's field or DeepSeek's.
    pub fn cached_tokens(&self) -> Option<u32> {
        self.prompt_tokens_details
            .as_ref()
            .and_then(|details| details.cached_tokens)
            .or(self.prompt_cache_hit_tokens)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompletionDetails {
    #[serde(deserialize_with = "lenient_optional_count")]
    pub reasoning_tokens: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PromptDetails {
    #[serde(deserialize_with = "lenient_optional_count")]
    pub cached_tokens: Option<u32>,
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

/// A count that may be missing: `null` stays missing, anything else reads as
/// [`lenient_count`] does.
fn lenient_optional_count<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u32>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(match value {
        serde_json::Value::Null => None,
        value => Some(lenient_count(value).unwrap_or(0)),
    })
}

/// An optional part of a chunk (a text, a details object) that is read only when it has
/// the expected shape: anything else counts as missing rather than breaking the chunk.
fn lenient_optional<'de, D: serde::Deserializer<'de>, T: serde::de::DeserializeOwned>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
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
    use crate::llm::ChatMessage;
    use crate::vocab::Role;

    #[test]
    fn a_request_sends_only_the_set_parameters_under_the_apis_names() {
        let messages = [ChatMessage::text(Role::User, "hi")];
        let request = ChatRequest {
            model: "m",
            messages: Messages {
                list: &messages,
                elide_images: false,
            },
            stream: true,
            stream_options: Some(StreamOptions {
                include_usage: true,
            }),
            tools: Tools(&[]),
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

    #[test]
    fn thinking_is_read_from_either_field_and_never_twice() {
        let thinking = |json: &str| {
            let chunk: ChunkResponse = serde_json::from_str(json).expect("read");
            chunk.choices[0].delta.thinking().map(str::to_owned)
        };
        let deepseek = r#"{"choices":[{"delta":{"content":null,"reasoning_content":"a"}}]}"#;
        assert_eq!(thinking(deepseek).as_deref(), Some("a"));
        let openrouter = r#"{"choices":[{"delta":{"content":"","reasoning":"b"}}]}"#;
        assert_eq!(thinking(openrouter).as_deref(), Some("b"));
        let both = r#"{"choices":[{"delta":{"reasoning_content":"c","reasoning":"c"}}]}"#;
        assert_eq!(thinking(both).as_deref(), Some("c"));
        let empty_first = r#"{"choices":[{"delta":{"reasoning_content":"","reasoning":"d"}}]}"#;
        assert_eq!(thinking(empty_first).as_deref(), Some("d"));
        let odd = r#"{"choices":[{"delta":{"content":"x","reasoning_content":7,"reasoning":{}}}]}"#;
        assert_eq!(thinking(odd), None);
    }

    #[test]
    fn usage_details_are_read_in_openai_and_deepseek_style() {
        let usage = |json: &str| {
            let chunk: ChunkResponse = serde_json::from_str(json).expect("read");
            let usage = chunk.usage.expect("usage");
            (
                usage.prompt_tokens,
                usage.reasoning_tokens(),
                usage.cached_tokens(),
            )
        };
        let openai = r#"{"usage":{"prompt_tokens":9,"completion_tokens":5,
            "completion_tokens_details":{"reasoning_tokens":4},
            "prompt_tokens_details":{"cached_tokens":6}}}"#;
        assert_eq!(usage(openai), (9, Some(4), Some(6)));
        let deepseek = r#"{"usage":{"prompt_tokens":9,"completion_tokens":5,
            "prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":1,
            "completion_tokens_details":{"reasoning_tokens":3}}}"#;
        assert_eq!(usage(deepseek), (9, Some(3), Some(8)));
        let plain = r#"{"usage":{"prompt_tokens":9,"completion_tokens":5}}"#;
        assert_eq!(usage(plain), (9, None, None));
    }

    #[test]
    fn odd_usage_details_do_not_break_a_chunk() {
        let chunk: ChunkResponse = serde_json::from_str(
            r#"{"usage":{"prompt_tokens":2,"completion_tokens":1,
                "completion_tokens_details":{"reasoning_tokens":-3.5},
                "prompt_tokens_details":"none","prompt_cache_hit_tokens":1e30}}"#,
        )
        .expect("read");
        let usage = chunk.usage.expect("usage");
        assert_eq!(usage.reasoning_tokens(), Some(0));
        assert_eq!(
            usage.cached_tokens(),
            Some(u32::MAX),
            "DeepSeek's field, saturated"
        );
        let nulls: ChunkResponse = serde_json::from_str(
            r#"{"usage":{"completion_tokens_details":null,"prompt_cache_hit_tokens":null}}"#,
        )
        .expect("read");
        let usage = nulls.usage.expect("usage");
        assert_eq!(
            (usage.reasoning_tokens(), usage.cached_tokens()),
            (None, None)
        );
    }
}
