//! The provider client: any OpenAI-compatible server, through `async-openai`.
//!
//! Retries belong to the chat engine, so async-openai's own retry layer is replaced by a
//! plain transport ([`probe::Probe`]): a request is sent once, and every failure comes back
//! as it happened, with its HTTP status and `Retry-After`.
//!
//! Everything a provider says is untrusted: bodies are bounded ([`limits`]), redirects to
//! another origin are refused and plain `http://` leaves only for local hosts
//! ([`transport`]), and every provider message is excerpted and redacted
//! ([`clean_message`]) before it is stored, logged or shown.

mod chunk;
mod embed;
mod embed_image;
mod failure;
mod limits;
mod message;
mod post;
mod probe;
mod rerank;
mod think;
mod tools;
mod transport;
mod wire;

use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use futures::StreamExt;
use futures::stream::BoxStream;

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};
use crate::secrets::Secret;
use crate::vocab::AgentParams;
pub use chunk::{Chunk, Usage};
use chunk::{chunk_of, split_thinking};
pub use embed::{
    DEFAULT_BATCH, EmbedPolicy, Embedded, MAX_BATCH, MAX_BATCH_CHARS, MAX_DIMENSIONS, StopReason,
    Stopped, embed_all,
};
pub use embed_image::{MAX_IMAGE_INPUT_BYTES, embed_image_retried, refuses_images};
use failure::provider_error;
pub use failure::{MAX_MESSAGE_BYTES, clean_message, read_body};
pub(crate) use failure::{excerpt, readable_error_body};
pub use limits::{MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES, MAX_EVENT_BYTES};
use message::Messages;
pub use message::{Attached, ChatMessage};
use probe::Probe;
pub use rerank::RERANK_TIMEOUT;
use tools::Tools;
pub use tools::{
    CallAssembler, MAX_ARGUMENT_BYTES, MAX_CALLS_PER_TURN, ToolCall, ToolCallPiece, ToolSpec,
};
pub use transport::{check_plain_http, http_client, is_local_url};
use wire::{ChatRequest, ChunkResponse, CompletionResponse, StreamOptions};

/// Where requests go and which model answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The API base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    pub model: String,
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
    /// The stored provider this client speaks for, when it is one (what a reply is priced by).
    provider_id: Option<String>,
}

impl std::fmt::Debug for ProviderClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderClient")
            .field("endpoint", &self.endpoint)
            .field("key_set", &self.key_set)
            .finish_non_exhaustive()
    }
}

/// Why a stream stopped before the provider said it was done.
#[derive(Debug)]
pub struct Cut {
    pub error: Error,
    /// A new request may carry on where this one stopped: the connection broke or one chunk
    /// was garbled. Not when the provider broke a limit (it would do so again).
    pub resumable: bool,
}

impl ProviderClient {
    pub fn new(http: reqwest::Client, endpoint: Endpoint, key: Option<&Secret>) -> Result<Self> {
        let base_url = endpoint.base_url.trim().trim_end_matches('/');
        let parsed = reqwest::Url::parse(base_url).ok().filter(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
        });
        let Some(parsed) = parsed else {
            return Err(Error::invalid(Problem::new("baseUrl", Rule::InvalidUrl)));
        };
        check_plain_http(&parsed)?;
        if endpoint.model.trim().is_empty() {
            return Err(Error::invalid(Problem::required("model")));
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
            provider_id: None,
        })
    }

    /// Adds the provider's extra headers (e.g. `HTTP-Referer` for OpenRouter) to requests.
    pub fn with_headers(mut self, headers: &BTreeMap<String, String>) -> Result<Self> {
        if headers.is_empty() {
            return Ok(self);
        }
        for (name, value) in headers {
            let invalid = |rule| Error::invalid(Problem::new(format!("headers.{name}"), rule));
            let header = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(Rule::InvalidHeaderName))?;
            self.config = self
                .config
                .with_header(header, value.as_str())
                .map_err(|_| invalid(Rule::InvalidHeaderValue))?;
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

    pub fn for_provider(mut self, provider_id: String) -> Self {
        self.provider_id = Some(provider_id);
        self
    }

    pub fn provider_id(&self) -> Option<&str> {
        self.provider_id.as_deref()
    }

    /// What [`stream_chat`](Self::stream_chat) sends for `messages`: the URL and the JSON
    /// body, for a debug record. Headers are left out (the key is one of them), and so are
    /// images' bytes (their URLs say only how many there were).
    pub fn request_record(
        &self,
        messages: &[ChatMessage],
        tools: &[ToolSpec],
    ) -> serde_json::Value {
        let mut request = self.chat_request(messages, tools, true);
        request.messages.elide_images = true;
        serde_json::json!({
            "url": format!(
                "{}/chat/completions",
                self.endpoint.base_url.trim().trim_end_matches('/')
            ),
            "body": request,
        })
    }

    fn chat_request<'a>(
        &'a self,
        messages: &'a [ChatMessage],
        tools: &'a [ToolSpec],
        stream: bool,
    ) -> ChatRequest<'a> {
        ChatRequest {
            model: &self.endpoint.model,
            messages: Messages {
                list: messages,
                elide_images: false,
            },
            stream,
            stream_options: stream.then_some(StreamOptions {
                include_usage: true,
            }),
            tools: Tools(tools),
            params: self.params,
        }
    }

    /// Starts a streamed chat completion of `messages`, offering `tools`. With `raw`, each
    /// chunk also carries the JSON the provider sent (read twice, so only when a debug
    /// record is kept).
    pub async fn stream_chat(
        &self,
        messages: &[ChatMessage],
        tools: &[ToolSpec],
        raw: bool,
    ) -> Result<BoxStream<'static, Result<Chunk, Cut>>> {
        let request = self.chat_request(messages, tools, true);
        let this = self.clone();
        if !raw {
            let stream = self
                .client
                .chat()
                .create_stream_byot::<_, ChunkResponse>(&request)
                .await
                .map_err(|error| self.error(error))?;
            return Ok(split_thinking(
                stream
                    .map(move |item| Ok(chunk_of(item.map_err(|error| this.cut(error))?, None)))
                    .boxed(),
            ));
        }
        let stream = self
            .client
            .chat()
            .create_stream_byot::<_, serde_json::Value>(&request)
            .await
            .map_err(|error| self.error(error))?;
        Ok(split_thinking(
            stream
                .map(move |item| {
                    let value = item.map_err(|error| this.cut(error))?;
                    let response = serde_json::from_value::<ChunkResponse>(value.clone()).map_err(
                        |error| Cut {
                            error: Error::Provider {
                                status: None,
                                message: format!(
                                    "the provider sent a chunk that is not understood: {error}"
                                ),
                                retry_after: None,
                            },
                            resumable: true,
                        },
                    )?;
                    Ok(chunk_of(response, Some(value)))
                })
                .boxed(),
        ))
    }

    /// A whole (non-streamed) completion; for short side requests such as titles. Only the
    /// answer: thinking (a `<think>` block at the start) is left out.
    pub async fn complete(&self, messages: &[ChatMessage]) -> Result<String> {
        let request = self.chat_request(messages, &[], false);
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
            .map(|content| think::strip_think(&content))
            .unwrap_or_default())
    }

    /// Maps async-openai's errors onto ours, with what the probe saw of the response.
    /// Never includes request headers (the key).
    fn error(&self, error: OpenAIError) -> Error {
        let mut error = provider_error(error, self.probe.last(), self.key_set);
        if let Error::Provider { message, .. }
        | Error::ProviderAuth { message, .. }
        | Error::Network(message) = &mut error
        {
            *message = clean_message(message);
        }
        error
    }

    /// A failure in the middle of a stream, and whether a new request may carry on.
    fn cut(&self, error: OpenAIError) -> Cut {
        let resumable = self.probe.last().overrun.is_none()
            && matches!(
                error,
                OpenAIError::StreamError(_)
                    | OpenAIError::Reqwest(_)
                    | OpenAIError::JSONDeserialize(..)
            );
        Cut {
            error: self.error(error),
            resumable,
        }
    }
}
