//! Streaming benchmark: what the chat engine adds on top of reading the provider's stream.
//!
//! Against aimock (a real OpenAI-compatible server on 127.0.0.1) streaming a 4,000-chunk
//! reply as fast as it can, one run measures:
//!   (a) a bare async-openai loop reading the stream (the baseline);
//!   (b) Confab's engine end to end: user message stored, reply streamed to a channel sink,
//!       checkpoints, the reply stored once;
//!   (b0) the same with delta coalescing off, to isolate the engine's own per-delta cost;
//! then the latency each delta gains in the app: a relay between aimock and the engine notes
//! when each chunk's bytes were handed to the engine's socket, a sink notes when its text
//! reached the UI channel; and then 50 streams at once: total time and peak memory.
//!
//! Run: `npm run bench` (or `scripts/with-keychain.sh cargo bench -p confab-core --bench stream`).
//! Figures go to stdout; BENCHMARKS.md records a run.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_openai::config::OpenAIConfig;
use async_openai::types::chat::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use common::{
    Aimock, TempDb, engine_with, engine_with_settings, test_config, test_keychain, test_settings,
};
use confab_core::chat::{ChatEvent, ChatSink, EngineConfig};
use confab_core::settings::Settings;
use confab_core::store::conversations;
use futures::StreamExt;
use serde_json::json;
use tokio::sync::mpsc;

const RUNS: usize = 15;
const CHUNKS: usize = 4_000;
const CHUNK_CHARS: usize = 4; // aimock's --chunk-size in tests/common

/// The paced reply of the latency runs: 400 chunks at about 200 a second, the pace of a
/// fast model, so each chunk is handled on its own rather than queued behind a burst.
const PACED_CHUNKS: usize = 400;
const PACED_PER_SECOND: u32 = 200;

fn paced_text() -> String {
    "xyz ".repeat(PACED_CHUNKS * CHUNK_CHARS / 4)
}

fn reply_text() -> String {
    // 16,000 characters in 4-character chunks: 4,000 deltas from the server.
    "abc ".repeat(CHUNKS * CHUNK_CHARS / 4)
}

/// (a) Reads the whole stream with async-openai and nothing else; returns the wall time
/// and the arrival time of each chunk.
async fn bare(base_url: &str) -> (Duration, Vec<Duration>) {
    let client = async_openai::Client::with_config(
        OpenAIConfig::new()
            .with_api_base(base_url)
            .with_api_key("k"),
    );
    let request = CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![ChatCompletionRequestUserMessage::from("bench").into()],
        // With async-openai's `byot` feature on, create_stream sends `stream` as given.
        stream: Some(true),
        ..Default::default()
    };
    let started = Instant::now();
    let mut stream = client
        .chat()
        .create_stream(request)
        .await
        .expect("stream opens");
    let mut arrivals = Vec::with_capacity(CHUNKS);
    let mut text = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(error) => panic!("bare stream failed: {error}"),
        };
        for choice in chunk.choices {
            if let Some(content) = choice.delta.content {
                text += content.len();
                arrivals.push(started.elapsed());
            }
        }
    }
    assert_eq!(
        text,
        reply_text().len(),
        "the bare loop read the whole reply ({} chunks)",
        arrivals.len()
    );
    (started.elapsed(), arrivals)
}

/// (b) One reply through the engine; returns the wall time (send → Done) and the number of
/// delta events the sink received.
async fn engine_run(
    engine: &Arc<confab_core::chat::ChatEngine>,
    db: &confab_core::store::Db,
) -> (Duration, usize) {
    let conversation = conversations::create(db.conn(), None)
        .await
        .expect("conversation");
    let (tx, mut rx) = mpsc::unbounded_channel::<ChatEvent>();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    let started = Instant::now();
    engine
        .send_message(&conversation.id, "bench", Vec::new(), sink)
        .await
        .expect("sent");
    let mut deltas = 0;
    let mut bytes = 0;
    while let Some(event) = rx.recv().await {
        match event {
            ChatEvent::Delta { text } => {
                deltas += 1;
                bytes += text.len();
            }
            ChatEvent::Done { .. } => break,
            other @ ChatEvent::Error { .. } => panic!("{other:?}"),
            _ => {}
        }
    }
    assert_eq!(bytes, reply_text().len());
    (started.elapsed(), deltas)
}

/// A TCP relay in front of aimock that forwards every byte at once and notes, for each SSE
/// chunk with text, when its bytes had been handed to the client's socket and how long the
/// text was.
struct TimingRelay {
    port: u16,
    chunks: Arc<std::sync::Mutex<Vec<(Instant, usize)>>>,
}

impl TimingRelay {
    async fn start(upstream: u16) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("relay binds");
        let port = listener.local_addr().expect("relay address").port();
        let chunks = Arc::new(std::sync::Mutex::new(Vec::new()));
        let noted = Arc::clone(&chunks);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let noted = Arc::clone(&noted);
                tokio::spawn(async move { relay(client, upstream, noted).await });
            }
        });
        Self { port, chunks }
    }

    fn take(&self) -> Vec<(Instant, usize)> {
        std::mem::take(&mut *self.chunks.lock().expect("relay notes"))
    }
}

async fn relay(
    client: tokio::net::TcpStream,
    upstream: u16,
    noted: Arc<std::sync::Mutex<Vec<(Instant, usize)>>>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(server) = tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
    });
    let mut buffer = [0u8; 16 * 1024];
    let mut pending = Vec::new();
    loop {
        let read = match server_read.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        if client_write.write_all(&buffer[..read]).await.is_err() {
            return;
        }
        let handed_over = Instant::now();
        pending.extend_from_slice(&buffer[..read]);
        while let Some(end) = pending.iter().position(|&byte| byte == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let Some(data) = line.strip_prefix(b"data: ") else {
                continue;
            };
            let Ok(chunk) = serde_json::from_slice::<serde_json::Value>(data) else {
                continue;
            };
            let text = chunk
                .pointer("/choices/0/delta/content")
                .and_then(serde_json::Value::as_str)
                .map_or(0, str::len);
            if text > 0 {
                noted.lock().expect("relay notes").push((handed_over, text));
            }
        }
    }
}

/// Notes when each delta reached the sink, with the reply's length so far.
struct TimedSink {
    deltas: std::sync::Mutex<Vec<(Instant, usize)>>,
    done: tokio::sync::Notify,
}

impl ChatSink for TimedSink {
    fn emit(&self, event: ChatEvent) {
        match event {
            ChatEvent::Delta { text } => {
                let mut deltas = self.deltas.lock().expect("sink notes");
                let so_far = deltas.last().map_or(0, |&(_, bytes)| bytes) + text.len();
                deltas.push((Instant::now(), so_far));
            }
            ChatEvent::Done { .. } => self.done.notify_one(),
            other @ ChatEvent::Error { .. } => panic!("{other:?}"),
            _ => {}
        }
    }
}

/// One reply through the engine behind the relay; returns, for every chunk with text, how
/// long after the relay handed it over its last byte reached the sink (milliseconds).
async fn delta_latencies(
    engine: &Arc<confab_core::chat::ChatEngine>,
    db: &confab_core::store::Db,
    relay: &TimingRelay,
) -> Vec<f64> {
    let conversation = conversations::create(db.conn(), None)
        .await
        .expect("conversation");
    relay.take();
    let sink = Arc::new(TimedSink {
        deltas: std::sync::Mutex::new(Vec::new()),
        done: tokio::sync::Notify::new(),
    });
    let done = sink.done.notified();
    engine
        .send_message(
            &conversation.id,
            "paced",
            Vec::new(),
            Arc::clone(&sink) as Arc<dyn ChatSink>,
        )
        .await
        .expect("sent");
    done.await;
    let chunks = relay.take();
    let deltas = std::mem::take(&mut *sink.deltas.lock().expect("sink notes"));
    let total: usize = chunks.iter().map(|&(_, bytes)| bytes).sum();
    assert_eq!(total, paced_text().len(), "the relay saw every chunk");
    let mut latencies = Vec::with_capacity(chunks.len());
    let mut so_far = 0;
    let mut next_delta = 0;
    for (handed_over, bytes) in chunks {
        so_far += bytes;
        while deltas[next_delta].1 < so_far {
            next_delta += 1;
        }
        let reached = deltas[next_delta].0;
        latencies.push(reached.saturating_duration_since(handed_over).as_secs_f64() * 1e3);
    }
    latencies
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn percentile(mut values: Vec<f64>, p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let index = ((values.len() as f64 - 1.0) * p).round() as usize;
    values[index]
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "bench"}, "response": {"content": reply_text()}},
        {"match": {"userMessage": "paced"}, "response": {"content": paced_text()},
         "streamingProfile": {"ttft": 0, "tps": PACED_PER_SECOND}}
    ]}));
    let temp = TempDb::new().await;
    let coalescing = engine_with(
        &temp.db,
        test_keychain(),
        server.endpoint(),
        test_settings(),
        test_config(),
    )
    .await;
    let uncoalesced_config = EngineConfig {
        coalesce_window: Duration::ZERO,
        coalesce_bytes: 0,
        ..test_config()
    };
    let uncoalesced = engine_with(
        &temp.db,
        test_keychain(),
        server.endpoint(),
        test_settings(),
        uncoalesced_config,
    )
    .await;

    // Warm up connections, the tokenizer and SQLite.
    bare(&server.base_url()).await;
    engine_run(&coalescing, &temp.db).await;

    let (mut a, mut b, mut b0) = (Vec::new(), Vec::new(), Vec::new());
    let (mut deltas_b, mut deltas_b0, mut arrivals_a) = (0, 0, Vec::new());
    for _ in 0..RUNS {
        let (time, arrivals) = bare(&server.base_url()).await;
        a.push(time);
        arrivals_a = arrivals;
        let (time, deltas) = engine_run(&coalescing, &temp.db).await;
        b.push(time);
        deltas_b = deltas;
        let (time, deltas) = engine_run(&uncoalesced, &temp.db).await;
        b0.push(time);
        deltas_b0 = deltas;
    }
    let (a, b, b0) = (median(a), median(b), median(b0));
    let per_delta_us =
        |total: Duration| (total.as_secs_f64() - a.as_secs_f64()) * 1e6 / CHUNKS as f64;
    let gaps: Vec<f64> = arrivals_a
        .windows(2)
        .map(|w| (w[1] - w[0]).as_secs_f64() * 1e3)
        .collect();

    println!(
        "one reply of {CHUNKS} chunks ({} bytes), median of {RUNS} runs:",
        reply_text().len()
    );
    println!(
        "  (a)  bare async-openai loop        {:>8.1} ms",
        a.as_secs_f64() * 1e3
    );
    println!(
        "  (b)  engine, coalescing on        {:>8.1} ms  (b)/(a) = {:.3}  {:+.2} µs per server chunk  {} UI events",
        b.as_secs_f64() * 1e3,
        b.as_secs_f64() / a.as_secs_f64(),
        per_delta_us(b),
        deltas_b
    );
    println!(
        "  (b0) engine, coalescing off       {:>8.1} ms  (b0)/(a) = {:.3}  {:+.2} µs per server chunk  {} UI events",
        b0.as_secs_f64() * 1e3,
        b0.as_secs_f64() / a.as_secs_f64(),
        per_delta_us(b0),
        deltas_b0
    );
    println!(
        "  server chunk gap in (a): p50 {:.3} ms, p99 {:.3} ms",
        percentile(gaps.clone(), 0.5),
        percentile(gaps, 0.99)
    );

    // Latency each delta gains between the socket and the UI channel, on a paced stream.
    let relay = TimingRelay::start(server.port).await;
    let relayed = confab_core::llm::Endpoint {
        base_url: format!("http://127.0.0.1:{}/v1", relay.port),
        model: "gpt-4o-mini".into(),
    };
    for (label, config) in [
        ("coalescing off", uncoalesced_config),
        ("coalescing on (16 ms / 1 KiB)", test_config()),
    ] {
        let engine = engine_with(
            &temp.db,
            test_keychain(),
            relayed.clone(),
            test_settings(),
            config,
        )
        .await;
        delta_latencies(&engine, &temp.db, &relay).await;
        let mut latencies = Vec::new();
        for _ in 0..5 {
            latencies.extend(delta_latencies(&engine, &temp.db, &relay).await);
        }
        let max = latencies.iter().copied().fold(0.0, f64::max);
        println!(
            "  latency added per chunk ({PACED_PER_SECOND}/s), {label}: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({} chunks)",
            percentile(latencies.clone(), 0.5),
            percentile(latencies.clone(), 0.99),
            max,
            latencies.len()
        );
    }

    // 50 streams at once, all slots open.
    let settings = Settings {
        max_concurrent_streams: 32,
        ..test_settings()
    };
    let wide = engine_with_settings(&temp.db, server.endpoint(), settings).await;
    let rss_before = peak_rss_mib();
    let started = Instant::now();
    let runs = (0..50).map(|_| {
        let engine = Arc::clone(&wide);
        let db = temp.db.clone();
        tokio::spawn(async move { engine_run(&engine, &db).await })
    });
    for run in futures::future::join_all(runs).await {
        run.expect("stream task");
    }
    println!(
        "50 concurrent replies (32 slots): {:.2} s total; peak RSS {:.1} MiB (before: {:.1} MiB)",
        started.elapsed().as_secs_f64(),
        peak_rss_mib(),
        rss_before
    );
}
