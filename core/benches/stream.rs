//! Streaming benchmark: what the chat engine adds on top of reading the provider's stream.
//!
//! Against aimock (a real OpenAI-compatible server on 127.0.0.1) streaming a 4,000-chunk
//! reply as fast as it can, one run measures:
//!   (a) a bare async-openai loop reading the stream (the baseline);
//!   (b) Confab's engine end to end: user message stored, reply streamed to a channel sink,
//!       checkpoints, the reply stored once;
//!   (b0) the same with delta coalescing off, to isolate the engine's own per-delta cost;
//! and then 50 streams at once: total time and the process's peak memory.
//!
//! Run: `npm run bench` (or `scripts/with-keychain.sh cargo bench -p confab-core --bench stream`).
//! Figures go to stdout; BENCHMARKS.md records a run.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_openai::config::OpenAIConfig;
use async_openai::types::chat::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use common::{Aimock, TempDb, engine_with, test_config, test_keychain, test_settings};
use confab_core::chat::{ChatEvent, ChatSink, EngineConfig};
use confab_core::settings::Settings;
use confab_core::store::conversations;
use futures::StreamExt;
use serde_json::json;
use tokio::sync::mpsc;

const RUNS: usize = 15;
const CHUNKS: usize = 4_000;
const CHUNK_CHARS: usize = 4; // aimock's --chunk-size in tests/common

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
        .send_message(&conversation.id, "bench", sink)
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
        {"match": {"userMessage": "bench"}, "response": {"content": reply_text()}}
    ]}));
    let temp = TempDb::new().await;
    let coalescing = engine_with(
        &temp.db,
        test_keychain(),
        server.endpoint(),
        test_settings(),
        test_config(),
    );
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
    );

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

    // 50 streams at once, all slots open.
    let settings = Settings {
        max_concurrent_streams: 32,
        ..test_settings()
    };
    let wide = engine_with(
        &temp.db,
        test_keychain(),
        server.endpoint(),
        settings,
        test_config(),
    );
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
