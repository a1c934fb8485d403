//! A file server on 127.0.0.1 speaking just enough HTTP/1.1 to serve a model's files,
//! honouring `Range`, or misbehaving on purpose: cutting a body short, stalling, ignoring
//! `Range`, answering an error status. Raw TCP so the test decides every byte.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone)]
pub enum Serve {
    /// The bytes, `206` with the asked range when there is a `Range` header.
    File(Vec<u8>),
    /// The whole file with `200` even when a range is asked.
    IgnoreRange(Vec<u8>),
    /// Announces the whole length, sends the first `n` bytes, closes the connection.
    CutAfter(Vec<u8>, usize),
    /// Sends the first `n` bytes, then nothing (the connection stays open).
    StallAfter(Vec<u8>, usize),
    /// The bytes with no `Content-Length`, ended by closing the connection.
    NoLength(Vec<u8>),
    Status(u16),
}

/// A request's path and its `Range` header.
pub type Request = (String, Option<String>);

#[derive(Clone)]
pub struct Server {
    port: u16,
    routes: Arc<Mutex<HashMap<String, Serve>>>,
    /// Each request's path and `Range` header, in order.
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = Self {
            port,
            routes: Arc::default(),
            requests: Arc::default(),
        };
        let accepting = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = accepting.clone();
                tokio::spawn(async move { server.answer(stream).await });
            }
        });
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    pub fn set(&self, path: &str, serve: Serve) {
        self.routes
            .lock()
            .expect("routes")
            .insert(format!("/{path}"), serve);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("requests").clone()
    }

    async fn answer(&self, mut stream: TcpStream) {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
            match stream.read(&mut byte).await {
                Ok(1) => head.push(byte[0]),
                _ => return,
            }
        }
        let head = String::from_utf8_lossy(&head).to_string();
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
        let range = head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("range")
                .then(|| value.trim().to_string())
        });
        self.requests
            .lock()
            .expect("requests")
            .push((path.clone(), range.clone()));
        let serve = self.routes.lock().expect("routes").get(&path).cloned();
        let start = range
            .as_deref()
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok());
        match serve {
            None => reply(&mut stream, "404 Not Found", &[], b"").await,
            Some(Serve::Status(code)) => {
                reply(&mut stream, &format!("{code} Failing"), &[], b"").await;
            }
            Some(Serve::File(bytes)) => match start {
                Some(from) if from < bytes.len() => {
                    let header = format!(
                        "Content-Range: bytes {from}-{}/{}",
                        bytes.len() - 1,
                        bytes.len()
                    );
                    reply(
                        &mut stream,
                        "206 Partial Content",
                        &[header],
                        &bytes[from..],
                    )
                    .await;
                }
                Some(_) => reply(&mut stream, "416 Range Not Satisfiable", &[], b"").await,
                None => reply(&mut stream, "200 OK", &[], &bytes).await,
            },
            Some(Serve::IgnoreRange(bytes)) => reply(&mut stream, "200 OK", &[], &bytes).await,
            Some(Serve::CutAfter(bytes, n)) => {
                announce_then_send(&mut stream, &bytes, n).await;
                let _ = stream.shutdown().await;
            }
            Some(Serve::StallAfter(bytes, n)) => {
                announce_then_send(&mut stream, &bytes, n).await;
                tokio::time::sleep(Duration::from_secs(600)).await;
            }
            Some(Serve::NoLength(bytes)) => {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
                    .await;
                send(&mut stream, &bytes).await;
                let _ = stream.shutdown().await;
            }
        }
    }
}

/// A `200` announcing all of `bytes`, and only the first `n` of them sent.
async fn announce_then_send(stream: &mut TcpStream, bytes: &[u8], n: usize) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        bytes.len()
    );
    if stream.write_all(head.as_bytes()).await.is_ok() {
        let _ = stream.write_all(&bytes[..n]).await;
        let _ = stream.flush().await;
    }
}

async fn reply(stream: &mut TcpStream, status: &str, headers: &[String], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    if stream.write_all(head.as_bytes()).await.is_ok() {
        send(stream, body).await;
    }
    let _ = stream.shutdown().await;
}

/// The body in 4 KiB writes, so the client sees it arrive in pieces.
async fn send(stream: &mut TcpStream, body: &[u8]) {
    for piece in body.chunks(4096) {
        if stream.write_all(piece).await.is_err() || stream.flush().await.is_err() {
            return;
        }
    }
}
