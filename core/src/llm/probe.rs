//! A tower layer under async-openai that notes each response's status and `Retry-After`,
//! and bounds its body.
//!
//! async-openai turns an error response into an `ApiError` without its headers, and an error
//! body it cannot parse (llama.cpp's integer `code`, an HTML page from a proxy) into a JSON
//! error without its status. The engine needs both to decide on retries and to explain the
//! failure, so this service records them on the way through. It also hands async-openai a
//! body that cannot grow without bound (see [`super::limits`]): an error body is cut to its
//! start, a stream fails once one event is too large, any other body once it is too large.
//! Which limit tripped is noted too, since async-openai reports it only as a broken stream.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use async_openai::error::OpenAIError;
use async_openai::middleware::{HttpRequestFactory, ReqwestService};
use futures::StreamExt;

use super::limits::{
    BodyLimit, EventLimit, MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES, MAX_EVENT_BYTES, Overrun,
};

/// The longest wait a `Retry-After` header is allowed to impose.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// What the last response said about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseNote {
    pub status: Option<u16>,
    pub retry_after: Option<Duration>,
    /// The limit its body went past, if it did.
    pub overrun: Option<Overrun>,
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
        lock(&self.note).clone()
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
            *lock(&note) = ResponseNote {
                status: Some(response.status().as_u16()),
                retry_after,
                overrun: None,
            };
            bounded(response, note).await
        })
    }
}

fn lock(note: &Mutex<ResponseNote>) -> std::sync::MutexGuard<'_, ResponseNote> {
    note.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The response with a body that cannot grow without bound.
async fn bounded(
    mut response: reqwest::Response,
    note: Arc<Mutex<ResponseNote>>,
) -> Result<reqwest::Response, OpenAIError> {
    let status = response.status();
    let version = response.version();
    let mut headers = response.headers().clone();
    headers.remove(reqwest::header::CONTENT_LENGTH);
    let body = if !status.is_success() {
        // Only the start of an error body is worth reading; the rest is dropped with the
        // connection.
        let mut start = Vec::new();
        while start.len() < MAX_ERROR_BODY_BYTES {
            match response.chunk().await.map_err(OpenAIError::Reqwest)? {
                Some(piece) => start.extend_from_slice(&piece),
                None => break,
            }
        }
        start.truncate(MAX_ERROR_BODY_BYTES);
        reqwest::Body::from(start)
    } else {
        let is_stream = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.trim_start().starts_with("text/event-stream"));
        let mut check: Check = if is_stream {
            let mut limit = EventLimit::new(MAX_EVENT_BYTES);
            Box::new(move |bytes| limit.feed(bytes))
        } else {
            let mut limit = BodyLimit::new(MAX_BODY_BYTES);
            Box::new(move |bytes| limit.feed(bytes))
        };
        let pieces = response.bytes_stream().map(move |piece| {
            let piece = piece.map_err(|error| Box::new(error) as BoxError)?;
            if let Err(overrun) = check(&piece) {
                lock(&note).overrun = Some(overrun);
                return Err(Box::new(overrun) as BoxError);
            }
            Ok(piece)
        });
        reqwest::Body::wrap_stream(pieces)
    };
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// The limit a body's pieces are fed to.
type Check = Box<dyn FnMut(&[u8]) -> Result<(), Overrun> + Send>;

/// `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). Anything the
/// header says is capped before it becomes a `Duration`: a huge, negative or non-numeric
/// value must not panic (release builds abort on panic).
pub(super) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<f64>() {
        Ok(secs) if secs.is_nan() || secs < 0.0 => return None,
        Ok(secs) => Duration::try_from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64())).ok()?,
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
    use proptest::prelude::*;

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

    #[test]
    fn extreme_retry_after_values_are_capped_or_ignored() {
        for huge in ["1e20", "1e308", "inf", "+Infinity", "18446744073709551616"] {
            assert_eq!(parse_retry_after(huge), Some(MAX_RETRY_AFTER), "{huge}");
        }
        for bad in ["NaN", "-0.5", "-inf", "", "1e", "0x10"] {
            assert_eq!(parse_retry_after(bad), None, "{bad:?}");
        }
        assert_eq!(parse_retry_after("-0"), Some(Duration::ZERO));
        // A date far in the future (the largest httpdate accepts) is capped too.
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(MAX_RETRY_AFTER)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        #[test]
        fn any_retry_after_text_gives_a_bounded_wait_or_none(value in any::<String>()) {
            if let Some(wait) = parse_retry_after(&value) {
                prop_assert!(wait <= MAX_RETRY_AFTER);
            }
        }

        #[test]
        fn any_number_gives_a_bounded_wait_or_none(secs in any::<f64>()) {
            let wait = parse_retry_after(&secs.to_string());
            prop_assert_eq!(wait.is_some(), secs >= 0.0);
            if let Some(wait) = wait {
                prop_assert!(wait <= MAX_RETRY_AFTER);
            }
        }
    }
}
