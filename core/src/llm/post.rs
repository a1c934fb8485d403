//! A JSON request async-openai has no call for (`/rerank`, `/embeddings` with image
//! inputs), sent through the client's own [`Probe`](super::probe::Probe): the same HTTP
//! client (redirects to another origin refused), the provider's headers and key, the
//! answer's body bounded, and failures mapped by `failure.rs` exactly as chat's are (a 401
//! is `ProviderAuth`, a 429 keeps its `Retry-After`, messages redacted).

use std::time::Duration;

use async_openai::config::Config;
use async_openai::error::{ApiError, ApiErrorResponse, OpenAIError};
use async_openai::middleware::HttpRequestFactory;
use tower::Service;

use super::ProviderClient;
use super::failure::readable_error_body;
use crate::error::{Error, Result};

impl ProviderClient {
    /// POSTs a JSON `body` to `path` under the base URL, answer included within `timeout`;
    /// the body of a successful answer, else the error it maps to.
    pub(super) async fn post(
        &self,
        path: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<String> {
        let url = reqwest::Url::parse(&self.config.url(path))
            .map_err(|error| Error::internal("provider URL", error))?;
        let mut headers = self.config.headers();
        headers.insert(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static("application/json"),
        );
        let body = bytes::Bytes::from(body);
        let factory = HttpRequestFactory::new(move || {
            let mut request = reqwest::Request::new(reqwest::Method::POST, url.clone());
            *request.headers_mut() = headers.clone();
            *request.body_mut() = Some(body.clone().into());
            *request.timeout_mut() = Some(timeout);
            std::future::ready(Ok(request))
        });
        let mut probe = self.probe.clone();
        std::future::poll_fn(|cx| probe.poll_ready(cx))
            .await
            .map_err(|error| self.error(error))?;
        let response = probe
            .call(factory)
            .await
            .map_err(|error| self.error(error))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|error| self.error(OpenAIError::Reqwest(error)))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if !status.is_success() {
            return Err(self.error(OpenAIError::ApiError(ApiErrorResponse {
                status_code: status,
                api_error: ApiError {
                    message: readable_error_body(&text),
                    ..ApiError::default()
                },
            })));
        }
        Ok(text)
    }
}
