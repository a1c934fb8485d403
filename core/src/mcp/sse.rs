//! MCP's older HTTP transport (protocol 2024-11-05, "HTTP with SSE"), the fallback for a
//! server that does not speak streamable HTTP: a `GET` opens an event stream whose first
//! `endpoint` event names where to `POST` messages; the server's messages arrive as
//! `message` events on the stream.
//!
//! It is bridged to rmcp's line transport: each event's JSON becomes one line read by the
//! session, each line the session writes is posted. The server is outside data: the stream
//! is read line-bounded (a line longer than the limit ends the connection), the endpoint
//! must be on the stream's own origin (a server cannot send Confab's messages, and their
//! headers, elsewhere), and a stream that names no endpoint in time is given up.

use std::time::Duration;

use futures::{Stream, StreamExt, TryStreamExt};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap};
use sse_stream::SseStream;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};

/// Longest line of the event stream, and so longest message.
pub const MAX_EVENT_BYTES: usize = 16 << 20;
/// Bytes in flight between the session and the bridge.
const PIPE_BYTES: usize = 256 * 1024;

/// Opens the event stream at `url` and waits (at most `timeout`) for its endpoint; the
/// read and write ends the session runs on. The bridge's tasks end with the stream.
pub async fn connect(
    client: reqwest::Client,
    url: &str,
    headers: HeaderMap,
    timeout: Duration,
) -> Result<(DuplexStream, DuplexStream), String> {
    let base = reqwest::Url::parse(url).map_err(|error| error.to_string())?;
    let response = client
        .get(base.clone())
        .headers(headers.clone())
        .header(ACCEPT, "text/event-stream")
        .send()
        .await
        .map_err(|error| format!("the event stream could not be opened: {error}"))?;
    if !response.status().is_success() {
        return Err(format!(
            "the event stream answered HTTP {}",
            response.status()
        ));
    }
    let body = bounded_lines(response.bytes_stream(), MAX_EVENT_BYTES);
    let mut events = SseStream::from_bytes_stream(body).boxed();
    let endpoint = tokio::time::timeout(timeout, async {
        while let Some(event) = events.next().await {
            let event = event.map_err(|error| error.to_string())?;
            if event.event.as_deref() == Some("endpoint") {
                return Ok(event.data.unwrap_or_default());
            }
        }
        Err("the event stream ended before it named an endpoint".to_string())
    })
    .await
    .map_err(|_| "the event stream named no endpoint in time".to_string())??;
    let endpoint = same_origin(&base, endpoint.trim())?;

    let (session_read, mut from_server) = tokio::io::duplex(PIPE_BYTES);
    let (session_write, to_server) = tokio::io::duplex(PIPE_BYTES);
    tokio::spawn(async move {
        while let Some(Ok(event)) = events.next().await {
            if !matches!(event.event.as_deref(), None | Some("message")) {
                continue;
            }
            // Raw line breaks inside an event's data can only be JSON whitespace.
            let mut line = event.data.unwrap_or_default().replace(['\r', '\n'], " ");
            line.push('\n');
            if from_server.write_all(line.as_bytes()).await.is_err() {
                break;
            }
        }
        // The session reads the end of the stream and closes.
    });
    tokio::spawn(async move {
        let mut lines = BufReader::new(to_server).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let posted = client
                .post(endpoint.clone())
                .headers(headers.clone())
                .header(CONTENT_TYPE, "application/json")
                .body(line)
                .send()
                .await;
            match posted {
                Ok(response) if response.status().is_success() => {}
                Ok(response) => {
                    tracing::warn!(status = %response.status(), "an MCP message was refused")
                }
                Err(error) => {
                    tracing::warn!(%error, "an MCP message could not be posted");
                    break;
                }
            }
        }
    });
    Ok((session_read, session_write))
}

/// The endpoint an event names, resolved against the stream's URL, when it is on the same
/// origin.
fn same_origin(base: &reqwest::Url, endpoint: &str) -> Result<reqwest::Url, String> {
    let url = base
        .join(endpoint)
        .map_err(|_| "the event stream named an endpoint that is not a URL".to_string())?;
    if url.origin() != base.origin() {
        return Err("the event stream named an endpoint on another server".into());
    }
    Ok(url)
}

/// `stream` as it is, failing once a line (bytes between line breaks) is over `max`.
fn bounded_lines<S, B, E>(
    stream: S,
    max: usize,
) -> impl Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static
where
    S: Stream<Item = Result<B, E>> + Send + 'static,
    B: Into<bytes::Bytes>,
    E: std::fmt::Display,
{
    let mut run = 0usize;
    stream
        .map_err(|error| std::io::Error::other(error.to_string()))
        .and_then(move |chunk| {
            let chunk: bytes::Bytes = chunk.into();
            let checked = match chunk.iter().rposition(|&b| b == b'\n') {
                Some(last) => {
                    let longest_inside = chunk[..last]
                        .split(|&b| b == b'\n')
                        .map(<[u8]>::len)
                        .max()
                        .unwrap_or(0);
                    let first = chunk.iter().position(|&b| b == b'\n').unwrap_or(0);
                    let over = run + first > max || longest_inside > max;
                    run = chunk.len() - last - 1;
                    !over && run <= max
                }
                None => {
                    run += chunk.len();
                    run <= max
                }
            };
            futures::future::ready(if checked {
                Ok(chunk)
            } else {
                Err(std::io::Error::other("an event of the stream is too long"))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_must_be_on_the_streams_origin() {
        let base = reqwest::Url::parse("http://127.0.0.1:3001/sse").expect("a URL");
        let here = same_origin(&base, "/message?sessionId=1").map(|url| url.to_string());
        assert_eq!(
            here.as_deref(),
            Ok("http://127.0.0.1:3001/message?sessionId=1")
        );
        assert!(same_origin(&base, "http://evil.example/steal").is_err());
        assert!(same_origin(&base, "http://127.0.0.1:3002/message").is_err());
    }

    #[tokio::test]
    async fn an_endless_line_ends_the_stream() {
        let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
            Ok(bytes::Bytes::from_static(b"event: endpoint\ndata: /m\n\n")),
            Ok(bytes::Bytes::from(vec![b'x'; 40])),
            Ok(bytes::Bytes::from(vec![b'x'; 40])),
        ];
        let read: Vec<_> = bounded_lines(futures::stream::iter(chunks), 64)
            .collect()
            .await;
        assert!(read[0].is_ok() && read[1].is_ok());
        assert!(read[2].is_err(), "80 bytes without a line break is over 64");
    }
}
