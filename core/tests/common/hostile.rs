//! A hostile (or just broken) OpenAI-compatible server on 127.0.0.1, in-process: it sends
//! exactly the bytes a test scripts — extreme headers, endless streams, huge bodies,
//! redirects, a connection dropped in the middle of a line, a garbled chunk — and records
//! every request it receives. hyper serves it, so it runs wherever the tests run (no Python,
//! no shell tools).

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use confab_core::llm::Endpoint;
use futures::{Stream, StreamExt};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::task::JoinSet;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: serde_json::Value,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The text of the last message of a chat request.
    pub fn last_message(&self) -> &str {
        self.body
            .pointer("/messages")
            .and_then(|m| m.as_array())
            .and_then(|m| m.last())
            .and_then(|m| m.get("content"))
            .and_then(|c| c.as_str())
            .unwrap_or_default()
    }

    pub fn is_stream(&self) -> bool {
        self.body.get("stream").and_then(|s| s.as_bool()) == Some(true)
    }
}

/// One step of a scripted body.
#[derive(Debug, Clone)]
pub enum Step {
    Send(Vec<u8>),
    Pause(Duration),
    /// Ends the body with an error: hyper drops the connection mid-body.
    Drop,
}

/// What the server answers to one request.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

pub enum Body {
    Steps(Vec<Step>),
    /// Produced piece by piece for as long as the client reads (and counted).
    Endless(Box<dyn FnMut(usize) -> Vec<u8> + Send>),
}

impl Answer {
    pub fn new(status: u16, body: Body) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::new(
            status,
            Body::Steps(vec![Step::Send(value.to_string().into_bytes())]),
        )
        .header("content-type", "application/json")
    }

    /// An SSE stream of `steps`.
    pub fn sse(steps: Vec<Step>) -> Self {
        Self::new(200, Body::Steps(steps)).header("content-type", "text/event-stream")
    }

    /// A whole streamed reply: `pieces` as chunks, a `stop` finish reason, `[DONE]`.
    pub fn reply(pieces: &[&str]) -> Self {
        let mut steps: Vec<Step> = pieces.iter().map(|p| send(&chunk(p))).collect();
        steps.push(send(&finish("stop")));
        steps.push(send(DONE));
        Self::sse(steps)
    }
}

pub fn send(text: &str) -> Step {
    Step::Send(text.as_bytes().to_vec())
}

/// A `chat.completion.chunk` event carrying `text`.
pub fn chunk(text: &str) -> String {
    let json = serde_json::json!({
        "id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "hostile-1",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}],
    });
    format!("data: {json}\n\n")
}

/// The last chunk of a reply, with its finish reason.
pub fn finish(reason: &str) -> String {
    let json = serde_json::json!({
        "id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "hostile-1",
        "choices": [{"index": 0, "delta": {}, "finish_reason": reason}],
    });
    format!("data: {json}\n\n")
}

pub const DONE: &str = "data: [DONE]\n\n";

type Script = Box<dyn Fn(&Received, usize) -> Answer + Send + Sync>;

struct Shared {
    script: Script,
    received: Mutex<Vec<Received>>,
    /// Bytes sent by endless bodies, and whether the client hung up on one.
    endless_sent: AtomicUsize,
    endless_dropped: AtomicBool,
}

/// The server; stops (and drops every connection) when dropped.
pub struct Hostile {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    tasks: JoinSet<()>,
}

impl Hostile {
    /// Starts a server that answers request number `n` (0-based) with `script(request, n)`.
    pub async fn start(
        script: impl Fn(&Received, usize) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            script: Box::new(script),
            received: Mutex::default(),
            endless_sent: AtomicUsize::new(0),
            endless_dropped: AtomicBool::new(false),
        });
        let mut tasks = JoinSet::new();
        let accepting = Arc::clone(&shared);
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((tcp, _)) = listener.accept().await {
                let shared = Arc::clone(&accepting);
                connections.spawn(async move {
                    let service = service_fn(move |request| answer(Arc::clone(&shared), request));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(tcp), service)
                        .await;
                });
            }
        });
        Self {
            addr,
            shared,
            tasks,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            base_url: self.base_url(),
            model: "hostile-1".into(),
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The chat requests received (not the model lists).
    pub fn chat_requests(&self) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.path.ends_with("/chat/completions"))
            .collect()
    }

    pub fn endless_sent(&self) -> usize {
        self.shared.endless_sent.load(Ordering::SeqCst)
    }

    /// Whether the client stopped reading an endless body and hung up.
    pub fn endless_dropped(&self) -> bool {
        self.shared.endless_dropped.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}

type ServerBody = UnsyncBoxBody<Bytes, io::Error>;
type Pieces = Pin<Box<dyn Stream<Item = Result<Frame<Bytes>, io::Error>> + Send>>;

async fn answer(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<ServerBody>, Infallible> {
    let (parts, body) = request.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let received = Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    };
    let index = {
        let mut all = shared.received.lock().unwrap();
        all.push(received.clone());
        all.len() - 1
    };
    let scripted = (shared.script)(&received, index);
    let body = match scripted.body {
        Body::Steps(steps) => StreamBody::new(stepped(steps)).boxed_unsync(),
        Body::Endless(make) => StreamBody::new(endless(make, shared)).boxed_unsync(),
    };
    let mut response = Response::new(body);
    *response.status_mut() = hyper::StatusCode::from_u16(scripted.status).unwrap();
    for (name, value) in scripted.headers {
        response.headers_mut().append(
            hyper::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            hyper::header::HeaderValue::from_str(&value).unwrap(),
        );
    }
    Ok(response)
}

fn stepped(steps: Vec<Step>) -> Pieces {
    futures::stream::unfold(steps.into_iter(), |mut steps| async move {
        loop {
            match steps.next()? {
                Step::Send(bytes) => return Some((Ok(Frame::data(Bytes::from(bytes))), steps)),
                Step::Pause(pause) => tokio::time::sleep(pause).await,
                Step::Drop => {
                    // A moment first, so what was sent before is on the wire, not in a
                    // buffer the abort discards.
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    return Some((Err(io::Error::other("dropped by the script")), steps));
                }
            }
        }
    })
    .boxed()
}

/// Counts what it sends; notes when the client stopped reading (the stream is dropped).
fn endless(mut make: Box<dyn FnMut(usize) -> Vec<u8> + Send>, shared: Arc<Shared>) -> Pieces {
    struct HungUp(Arc<Shared>);
    impl Drop for HungUp {
        fn drop(&mut self) {
            self.0.endless_dropped.store(true, Ordering::SeqCst);
        }
    }
    let hung_up = HungUp(Arc::clone(&shared));
    futures::stream::iter(0..)
        .map(move |n| {
            let _keep = &hung_up;
            let piece = make(n);
            shared.endless_sent.fetch_add(piece.len(), Ordering::SeqCst);
            Ok(Frame::data(Bytes::from(piece)))
        })
        .boxed()
}
