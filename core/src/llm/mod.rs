//! The provider client: any OpenAI-compatible server, through `async-openai`.
//!
//! Retries belong to the chat engine, so the client is built without async-openai's own
//! retry layer: a request is sent once, and every failure comes back here as it happened.

use std::time::Duration;

use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::middleware::ReqwestService;
use async_openai::types::chat::{
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestMessage,
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    ChatCompletionStreamOptions, CreateChatCompletionRequest, FinishReason,
};
use futures::{Stream, StreamExt};

use crate::error::{Error, Result};
use crate::secrets::Secret;
use crate::store::entities::message::Role;

/// Where requests go and which model answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The API base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    pub model: String,
}

/// How long to wait for a TCP connection to the provider.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// A client for one endpoint and key. Local servers (Ollama, LM Studio) need no key.
#[derive(Clone)]
pub struct ProviderClient {
    client: async_openai::Client<OpenAIConfig>,
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
}

impl ProviderClient {
    pub fn new(endpoint: Endpoint, key: Option<&Secret>) -> Result<Self> {
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
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(|error| Error::Internal(format!("HTTP client: {error}")))?;
        let client =
            async_openai::Client::with_config(config).with_http_service(ReqwestService::new(http));
        Ok(Self {
            client,
            endpoint,
            key_set: key.is_some(),
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Starts a streamed chat completion for `messages` (role and text, oldest first).
    pub async fn stream_chat(
        &self,
        messages: &[(Role, String)],
    ) -> Result<impl Stream<Item = Result<Chunk>> + Send + use<>> {
        let request = CreateChatCompletionRequest {
            model: self.endpoint.model.clone(),
            messages: messages
                .iter()
                .map(|(role, text)| to_request_message(*role, text))
                .collect(),
            stream: Some(true),
            stream_options: Some(ChatCompletionStreamOptions {
                include_usage: Some(true),
                include_obfuscation: None,
            }),
            ..Default::default()
        };
        let key_set = self.key_set;
        let stream = self
            .client
            .chat()
            .create_stream(request)
            .await
            .map_err(|error| provider_error(error, key_set))?;
        Ok(stream.map(move |item| {
            let response = item.map_err(|error| provider_error(error, key_set))?;
            let mut chunk = Chunk {
                model: Some(response.model).filter(|model| !model.is_empty()),
                usage: response
                    .usage
                    .map(|u| (u.prompt_tokens, u.completion_tokens)),
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
                if let Some(reason) = choice.finish_reason {
                    chunk.finish_reason = Some(finish_reason_name(reason).to_string());
                }
            }
            Ok(chunk)
        }))
    }
}

fn to_request_message(role: Role, text: &str) -> ChatCompletionRequestMessage {
    match role {
        Role::System => ChatCompletionRequestSystemMessage::from(text).into(),
        Role::Assistant => ChatCompletionRequestAssistantMessage::from(text).into(),
        // Tool results need a tool call id to be sent as such; until tools exist a stored
        // tool message is passed on as user text.
        Role::User | Role::Tool => ChatCompletionRequestUserMessage::from(text).into(),
    }
}

fn finish_reason_name(reason: FinishReason) -> &'static str {
    match reason {
        FinishReason::Stop => "stop",
        FinishReason::Length => "length",
        FinishReason::ToolCalls => "tool_calls",
        FinishReason::ContentFilter => "content_filter",
        FinishReason::FunctionCall => "function_call",
    }
}

/// Maps async-openai's errors onto ours. Never includes request headers (the key).
fn provider_error(error: OpenAIError, key_set: bool) -> Error {
    match error {
        OpenAIError::ApiError(response) => {
            let status = response.status_code.as_u16();
            let message = format!("HTTP {status}: {}", response.api_error.message);
            if status == 401 || status == 403 {
                Error::ProviderAuth { message, key_set }
            } else {
                Error::Provider(message)
            }
        }
        OpenAIError::Reqwest(error) => Error::Network(error.without_url().to_string()),
        OpenAIError::StreamError(error) => Error::Network(error.to_string()),
        OpenAIError::JSONDeserialize(error, body) => {
            Error::Provider(format!("unreadable reply ({error}): {}", excerpt(&body)))
        }
        other => Error::Provider(other.to_string()),
    }
}

/// The start of a provider's body, for an error message.
fn excerpt(body: &str) -> String {
    const MAX: usize = 300;
    match body.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body.to_string(),
    }
}
