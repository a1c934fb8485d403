//! The provider client: any OpenAI-compatible server, through `async-openai`.
//!
//! Retries belong to the chat engine, so async-openai's own retry layer is replaced by a
//! plain transport ([`probe::Probe`]): a request is sent once, and every failure comes back
//! as it happened, with its HTTP status and `Retry-After`.

mod probe;
mod wire;

use std::time::Duration;

use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use futures::StreamExt;
use futures::stream::BoxStream;

use std::collections::BTreeMap;

use crate::agents::AgentParams;
use crate::chat::PromptMessage;
use crate::error::{Error, Result};
use crate::secrets::Secret;
use probe::{Probe, ResponseNote};
use wire::{ChatRequest, ChunkResponse, CompletionResponse, StreamOptions};

/// Where requests go and which model answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The API base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    pub model: String,
}

/// How long to wait for a TCP (and TLS) connection to the provider.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// The HTTP client all provider requests share (one connection pool for the app).
pub fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .map_err(|error| Error::Internal(format!("HTTP client: {error}")))
}

/// A client for one endpoint and key. Local servers (Ollama, LM Studio) need no key.
#[derive(Clone)]
pub struct ProviderClient {
    client: async_openai::Client<OpenAIConfig>,
    config: OpenAIConfig,
    probe: Probe,
    params: AgentParams,
    endpoint: Endpoint,
    key_set: bool,
}

impl std::fmt::Debug for ProviderClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderClient")
            .field("endpoint", &self.endpoint)
            .field("key_set", &self.key_set)
            .finish_non_exhaustive()
    }
}

/// One piece of a streamed reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chunk {
    pub text: String,
    pub finish_reason: Option<String>,
    pub model: Option<String>,
    pub usage: Option<(u32, u32)>,
    /// The chunk as the provider sent it, when asked for (debug capture).
    pub raw: Option<serde_json::Value>,
}

impl ProviderClient {
    pub fn new(http: reqwest::Client, endpoint: Endpoint, key: Option<&Secret>) -> Result<Self> {
        let base_url = endpoint.base_url.trim().trim_end_matches('/');
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::InvalidInput(format!(
                "the provider URL must start with http:// or https:// (got {base_url:?})"
            )));
        }
        if endpoint.model.trim().is_empty() {
            return Err(Error::InvalidInput(
                "no model is set for the provider".into(),
            ));
        }
        let config = OpenAIConfig::new()
            .with_api_base(base_url)
            .with_api_key(key.map(Secret::expose).unwrap_or_default());
        let probe = Probe::new(http);
        let client =
            async_openai::Client::with_config(config.clone()).with_http_service(probe.clone());
        Ok(Self {
            client,
            config,
            probe,
            params: AgentParams::default(),
            endpoint,
            key_set: key.is_some(),
        })
    }

    /// Adds the provider's extra headers (e.g. `HTTP-Referer` for OpenRouter) to requests.
    pub fn with_headers(mut self, headers: &BTreeMap<String, String>) -> Result<Self> {
        if headers.is_empty() {
            return Ok(self);
        }
        for (name, value) in headers {
            let invalid = |error: String| {
                Error::InvalidInput(format!(
                    "the provider header {name:?} is not valid: {error}"
                ))
            };
            let header = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|error| invalid(error.to_string()))?;
            self.config = self
                .config
                .with_header(header, value.as_str())
                .map_err(|error| invalid(error.to_string()))?;
        }
        self.client = async_openai::Client::with_config(self.config.clone())
            .with_http_service(self.probe.clone());
        Ok(self)
    }

    /// Sampling parameters sent with every chat request (unset ones are left out).
    pub fn with_params(mut self, params: AgentParams) -> Self {
        self.params = params;
        self
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// What [`stream_chat`](Self::stream_chat) sends for `messages`: the URL and the JSON
    /// body, for a debug record. Headers are left out (the key is one of them).
    pub fn request_record(&self, messages: &[PromptMessage]) -> serde_json::Value {
        serde_json::json!({
            "url": format!(
                "{}/chat/completions",
                self.endpoint.base_url.trim().trim_end_matches('/')
            ),
            "body": self.chat_request(messages, true),
        })
    }

    fn chat_request<'a>(&'a self, messages: &'a [PromptMessage], stream: bool) -> ChatRequest<'a> {
        ChatRequest {
            model: &self.endpoint.model,
            messages,
            stream,
            stream_options: stream.then_some(StreamOptions {
                include_usage: true,
            }),
            params: self.params.into(),
        }
    }

    /// Starts a streamed chat completion of `messages`. With `raw`, each chunk also carries
    /// the JSON the provider sent (read twice, so only when a debug record is kept).
    pub async fn stream_chat(
        &self,
        messages: &[PromptMessage],
        raw: bool,
    ) -> Result<BoxStream<'static, Result<Chunk>>> {
        let request = self.chat_request(messages, true);
        let this = self.clone();
        if !raw {
            let stream = self
                .client
                .chat()
                .create_stream_byot::<_, ChunkResponse>(&request)
                .await
                .map_err(|error| self.error(error))?;
            return Ok(stream
                .map(move |item| Ok(chunk_of(item.map_err(|error| this.error(error))?, None)))
                .boxed());
        }
        let stream = self
            .client
            .chat()
            .create_stream_byot::<_, serde_json::Value>(&request)
            .await
            .map_err(|error| self.error(error))?;
        Ok(stream
            .map(move |item| {
                let value = item.map_err(|error| this.error(error))?;
                let response =
                    serde_json::from_value::<ChunkResponse>(value.clone()).map_err(|error| {
                        Error::Provider {
                            status: None,
                            message: format!(
                                "the provider sent a chunk that is not understood: {error}"
                            ),
                            retry_after: None,
                        }
                    })?;
                Ok(chunk_of(response, Some(value)))
            })
            .boxed())
    }

    /// A whole (non-streamed) completion; for short side requests such as titles.
    pub async fn complete(&self, messages: &[PromptMessage]) -> Result<String> {
        let request = self.chat_request(messages, false);
        let response: CompletionResponse = self
            .client
            .chat()
            .create_byot(&request)
            .await
            .map_err(|error| self.error(error))?;
        Ok(response
            .choices
            .into_iter()
            .next()
            .and_then(|choice| choice.message.content)
            .unwrap_or_default())
    }

    /// Maps async-openai's errors onto ours, with what the probe saw of the response.
    /// Never includes request headers (the key).
    fn error(&self, error: OpenAIError) -> Error {
        provider_error(error, self.probe.last(), self.key_set)
    }
}

/// Our chunk from the provider's: the first choice's text and finish reason, the model and
/// the usage figures.
fn chunk_of(response: ChunkResponse, raw: Option<serde_json::Value>) -> Chunk {
    let mut chunk = Chunk {
        model: response.model.filter(|model| !model.is_empty()),
        usage: response
            .usage
            .map(|u| (u.prompt_tokens, u.completion_tokens)),
        raw,
        ..Chunk::default()
    };
    for choice in response
        .choices
        .into_iter()
        .filter(|choice| choice.index == 0)
    {
        if let Some(text) = choice.delta.content {
            chunk.text.push_str(&text);
        }
        if let Some(reason) = choice.finish_reason.filter(|reason| !reason.is_empty()) {
            chunk.finish_reason = Some(reason);
        }
    }
    chunk
}

fn provider_error(error: OpenAIError, note: ResponseNote, key_set: bool) -> Error {
    let failed_status = note.status.filter(|status| *status >= 400);
    let from_status = |status: u16, message: String| {
        if status == 401 || status == 403 {
            Error::ProviderAuth { message, key_set }
        } else {
            Error::Provider {
                status: Some(status),
                message,
                retry_after: note.retry_after,
            }
        }
    };
    match error {
        OpenAIError::ApiError(response) => {
            let status = response.status_code.as_u16();
            from_status(
                status,
                format!("HTTP {status}: {}", response.api_error.message),
            )
        }
        // An error response whose body is not OpenAI's error shape (an integer `code`, an
        // HTML page from a proxy): still a readable error, with its status.
        OpenAIError::JSONDeserialize(_, body) if failed_status.is_some() => {
            let status = failed_status.unwrap_or_default();
            from_status(
                status,
                format!("HTTP {status}: {}", readable_error_body(&body)),
            )
        }
        OpenAIError::JSONDeserialize(error, body) => Error::Provider {
            status: None,
            message: format!(
                "unreadable data from the provider ({error}): {}",
                excerpt(&body)
            ),
            retry_after: None,
        },
        OpenAIError::Reqwest(error) => Error::Network(error.without_url().to_string()),
        OpenAIError::StreamError(error) => Error::Network(error.to_string()),
        other => Error::Provider {
            status: failed_status,
            message: other.to_string(),
            retry_after: None,
        },
    }
}

/// The message of an error body of any common shape, else the start of the body.
pub(crate) fn readable_error_body(body: &str) -> String {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else {
        return excerpt(body);
    };
    ["/error/message", "/message", "/error", "/detail"]
        .iter()
        .find_map(|path| json.pointer(path).and_then(|v| v.as_str()))
        .map_or_else(|| excerpt(body), str::to_string)
}

/// The start of a provider's body, for an error message.
pub(crate) fn excerpt(body: &str) -> String {
    const MAX: usize = 300;
    match body.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_every_common_shape_are_readable() {
        let llama =
            r#"{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}"#;
        assert_eq!(readable_error_body(llama), "Invalid API Key");
        assert_eq!(
            readable_error_body(r#"{"detail":"Not Found"}"#),
            "Not Found"
        );
        assert_eq!(
            readable_error_body(r#"{"error":"model not loaded"}"#),
            "model not loaded"
        );
        assert_eq!(
            readable_error_body("<html>Bad Gateway</html>"),
            "<html>Bad Gateway</html>"
        );
    }

    #[test]
    fn a_non_standard_401_body_is_still_an_auth_error() {
        let body = r#"{"error":{"code":401,"message":"Invalid API Key"}}"#;
        let json_error = serde_json::from_str::<u8>("x").expect_err("not a number");
        let note = ResponseNote {
            status: Some(401),
            retry_after: None,
        };
        let error = provider_error(
            OpenAIError::JSONDeserialize(json_error, body.into()),
            note,
            true,
        );
        assert!(
            matches!(&error, Error::ProviderAuth { message, .. } if message == "HTTP 401: Invalid API Key"),
            "{error:?}"
        );
    }
}
