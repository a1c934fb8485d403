//! A built-in model (confab-embedder) behind an OpenAI-compatible `/embeddings` on
//! 127.0.0.1, so a measuring tool reaches it through the same provider path (the real
//! `Api`, ingestion and search) as any embedding server. One request per connection,
//! bounded head and body; the model runs on a blocking thread.

use std::path::Path;
use std::sync::Arc;

use confab_embedder::Embedder;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

type Failure = Box<dyn std::error::Error>;

const HEAD_CAP: usize = 64 * 1024;
const BODY_CAP: usize = 32 * 1024 * 1024;

/// Loads the model in `folder` and serves it; the base URL (`http://127.0.0.1:PORT/v1`).
pub async fn serve(folder: &Path, max_tokens: usize) -> Result<String, Failure> {
    let folder = folder.to_path_buf();
    let embedder =
        tokio::task::spawn_blocking(move || Embedder::load(&folder, max_tokens)).await??;
    let embedder = Arc::new(embedder);
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let embedder = embedder.clone();
            tokio::spawn(async move {
                if let Err(error) = answer(stream, embedder).await {
                    eprintln!("local embeddings: {error}");
                }
            });
        }
    });
    Ok(format!("http://127.0.0.1:{port}/v1"))
}

async fn answer(mut stream: TcpStream, embedder: Arc<Embedder>) -> Result<(), Failure> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if bytes.len() > HEAD_CAP {
            return Err("request head too long".into());
        }
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        bytes.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    if length > BODY_CAP {
        return respond(&mut stream, "413 Payload Too Large", &json!({})).await;
    }
    let mut body = bytes[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Err("request body cut short".into());
        }
        body.extend_from_slice(&buffer[..n]);
    }
    let path = head.split_whitespace().nth(1).unwrap_or("");
    if !path.ends_with("/embeddings") {
        return respond(&mut stream, "404 Not Found", &json!({})).await;
    }
    let request: Value = serde_json::from_slice(&body)?;
    let inputs: Vec<String> = match &request["input"] {
        Value::String(one) => vec![one.clone()],
        Value::Array(many) => many
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or("input: not a string"))
            .collect::<Result<_, _>>()?,
        _ => return respond(&mut stream, "400 Bad Request", &json!({})).await,
    };
    let vectors = tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        embedder.embed(&refs)
    })
    .await??;
    let data: Vec<Value> = vectors
        .iter()
        .enumerate()
        .map(|(index, v)| json!({"object": "embedding", "index": index, "embedding": v}))
        .collect();
    let answer = json!({
        "object": "list",
        "data": data,
        "model": request["model"],
        "usage": {"prompt_tokens": 0, "total_tokens": 0}
    });
    respond(&mut stream, "200 OK", &answer).await
}

async fn respond(stream: &mut TcpStream, status: &str, body: &Value) -> Result<(), Failure> {
    let body = body.to_string();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await?;
    Ok(())
}
