//! A tower layer under async-openai that notes each response's status and `Retry-After`.
//!
//! async-openai turns an error response into an `ApiError` without its headers, and an error
//! body it cannot parse (llama.cpp's integer `code`, an HTML page from a proxy) into a JSON
//! error without its status. The engine needs both to decide on retries and to explain the
//! failure, so this service records them on the way through.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use async_openai::error::OpenAIError;
use async_openai::middleware::{HttpRequestFactory, ReqwestService};

/// The longest wait a `Retry-After` header is allowed to impose.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// What the last response said about itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResponseNote {
    pub status: Option<u16>,
    pub retry_after: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct Probe {
    inner: ReqwestService,
    note: Arc<Mutex<ResponseNote>>,
}

impl Probe {
    pub fn new(http: reqwest::Client) -> Self {
        Self {
            inner: ReqwestService::new(http),
            note: Arc::default(),
        }
    }

    pub fn last(&self) -> ResponseNote {
        *self.note.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

type ProbeFuture = Pin<Box<dyn Future<Output = Result<reqwest::Response, OpenAIError>> + Send>>;

impl tower::Service<HttpRequestFactory> for Probe {
    type Response = reqwest::Response;
    type Error = OpenAIError;
    type Future = ProbeFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequestFactory) -> Self::Future {
        let response = self.inner.call(request);
        let note = Arc::clone(&self.note);
        Box::pin(async move {
            let response = response.await?;
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(parse_retry_after);
            *note.lock().unwrap_or_else(PoisonError::into_inner) = ResponseNote {
                status: Some(response.status().as_u16()),
                retry_after,
            };
            Ok(response)
        })
    }
}

/// `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => Duration::from_secs_f64(secs),
        Ok(_) => return None,
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates_and_is_capped() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("86400"), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
        assert_eq!(parse_retry_after(&past), Some(Duration::ZERO));
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let wait = parse_retry_after(&future).expect("a date parses");
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
    }
}
