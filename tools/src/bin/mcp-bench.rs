//! MCP servers and the tool loop, measured for BENCHMARKS.md:
//!   (a) server start: the reference `server-everything` over stdio, from the first
//!       `tools()` call to its tools listed (spawn, handshake, `tools/list`), cold each time;
//!   (b) memory per running stdio server: the child's RSS, and this process's RSS growth,
//!       with 1, 5 and 10 servers running;
//!   (c) the engine's overhead per tool step: a reply through the real `Api` in which aimock
//!       asks for `echo` and then answers, against the sum of its parts measured apart in
//!       the same run — the two model requests replayed byte for byte from aimock's journal
//!       and the `echo` call made on the same hub.
//!
//!   npm run bench:mcp        (scripts/with-keychain.sh cargo run --release -p confab-tools --bin mcp-bench)
//!
//! Needs `node` and the npm packages (`npm ci`). Figures go to stdout.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use confab_core::agents::AgentInput;
use confab_core::api::Api;
use confab_core::chat::{ChatEvent, ChatSink, EngineConfig};
use confab_core::mcp::{McpConfig, McpServerInput, McpTransportInput, manage};
use confab_core::providers::builtin::{self, BuiltinEnv};
use confab_core::secrets::Keychain;
use confab_core::settings::Settings;
use confab_core::store::Db;
use confab_core::vocab::AgentTools;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

#[path = "../../../core/tests/common/aimock.rs"]
mod aimock;
use aimock::Aimock;

const STARTS: usize = 10;
const STEPS: usize = 100;
const WARM_UP: usize = 3;
type Failure = Box<dyn std::error::Error>;

fn main() -> std::process::ExitCode {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mcp-bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Failure> {
    let everything = aimock::repo_root()
        .join("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    let aimock = Aimock::start(fixtures());
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("bench.db")).await?;
    let keychain = Keychain::new(format!("confab-bench-{}", uuid::Uuid::new_v4()));
    let env = BuiltinEnv {
        base_url: Some(aimock.base_url()),
        model: Some("gpt-4o-mini".into()),
        api_key: None,
    };
    builtin::ensure(db.conn(), &keychain, env).await?;
    let settings = Settings {
        auto_title: false,
        default_provider_id: Some(builtin::ID.into()),
        ..Settings::default()
    };
    let api = Api::with_mcp(
        db.clone(),
        keychain.clone(),
        settings,
        EngineConfig::default(),
        McpConfig::default(),
    )?;
    let mut ids = Vec::new();
    for n in 0..10 {
        let input = stdio(&format!("everything {n}"), &everything);
        ids.push(manage::create(&db, &keychain, &input).await?);
    }
    memory(&api, &ids).await?;
    start_times(&api, &ids[0]).await?;
    tool_steps(&api, &aimock, &ids[0]).await?;
    api.shutdown(Duration::from_secs(5)).await;
    Ok(())
}

fn stdio(name: &str, entry: &Path) -> McpServerInput {
    McpServerInput {
        name: name.into(),
        transport: McpTransportInput::Stdio {
            command: "node".into(),
            args: vec![entry.to_string_lossy().into_owned(), "stdio".into()],
            cwd: None,
            env: Default::default(),
        },
        enabled: true,
        call_timeout_secs: None,
    }
}

/// (b) RSS of the children and of this process with 1, 5 and 10 servers running.
async fn memory(api: &Api, ids: &[String]) -> Result<(), Failure> {
    let hub = api.mcp();
    // One start and stop first, so code paths run once are not counted as per-server cost.
    started(hub.tools(&ids[..1]).await.len(), "warm-up")?;
    hub.stop(&ids[0]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = rss_kib(None);
    println!("(b) memory per running stdio server (server-everything, node)");
    println!("    this process before any server: {:.1} MiB", mib(before));
    let mut running = 0;
    for level in [1, 5, 10] {
        for id in &ids[running..level] {
            started(hub.tools(std::slice::from_ref(id)).await.len(), id)?;
        }
        running = level;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut children = Vec::new();
        for id in &ids[..level] {
            let pid = hub.pid(id).await.ok_or("a server has no pid")?;
            children.push(rss_kib(Some(pid)));
        }
        let total: u64 = children.iter().sum();
        let growth = rss_kib(None).saturating_sub(before);
        println!(
            "    {level:>2} running: children {:.1} MiB in all, {:.1} MiB each; this process +{:.1} MiB, {:.2} MiB per server",
            mib(total),
            mib(total) / level as f64,
            mib(growth),
            mib(growth) / level as f64
        );
    }
    for id in ids {
        hub.stop(id).await;
    }
    Ok(())
}

/// (a) Cold starts: stopped, then asked for its tools.
async fn start_times(api: &Api, id: &str) -> Result<(), Failure> {
    let hub = api.mcp();
    let mut times = Vec::new();
    for _ in 0..STARTS {
        hub.stop(id).await;
        let started_at = Instant::now();
        let tools = hub.tools(&[id.to_string()]).await;
        times.push(ms(started_at.elapsed()));
        started(tools.len(), id)?;
    }
    println!("(a) server start, first tools() to tools listed, {STARTS} cold starts");
    print_times("start", &mut times);
    Ok(())
}

fn started(tools: usize, id: &str) -> Result<(), Failure> {
    if tools == 0 {
        return Err(format!("server {id} listed no tools").into());
    }
    Ok(())
}

/// (c) A reply with one tool step against its parts measured apart.
async fn tool_steps(api: &Api, aimock: &Aimock, id: &str) -> Result<(), Failure> {
    let agent = api
        .create_agent(AgentInput {
            agent_id: "bench-tools".into(),
            tools: AgentTools {
                servers: vec![id.to_string()],
                disabled: Vec::new(),
                always_allowed: vec![AgentTools::key(id, "echo")],
            },
            ..AgentInput::default()
        })
        .await?;
    let client = reqwest::Client::new();
    let labels = [
        "reply with a step, send to Done",
        "  its model requests 1 + 2",
        "  its echo call",
        "reply without a step, send to Done",
        "  its model request",
        "tools/list on the running server",
        "overhead, reply with a step",
        "overhead, reply without a step",
        "overhead per tool step",
    ];
    let mut series: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
    for run in 0..WARM_UP + STEPS {
        let conversation = api.create_conversation_with_agent(None, &agent.id).await?;
        let stepped = reply_time(api, &conversation.id, "tool step").await?;
        let models = replayed(aimock, &client, 2).await?;
        let call = echo_time(api, id).await?;
        let conversation = api.create_conversation_with_agent(None, &agent.id).await?;
        let plain = reply_time(api, &conversation.id, "plain answer").await?;
        let model = replayed(aimock, &client, 1).await?;
        let list_at = Instant::now();
        started(api.mcp().tools(&[id.to_string()]).await.len(), id)?;
        let list = ms(list_at.elapsed());
        let with_step = stepped - models - call;
        let without = plain - model;
        if run >= WARM_UP {
            let figures = [
                stepped,
                models,
                call,
                plain,
                model,
                list,
                with_step,
                without,
                with_step - without,
            ];
            for (values, figure) in series.iter_mut().zip(figures) {
                values.push(figure);
            }
        }
    }
    println!(
        "(c) replies with and without one tool step (echo, approved always), {STEPS} runs each"
    );
    for (label, values) in labels.iter().zip(series.iter_mut()) {
        print_times(label, values);
    }
    Ok(())
}

/// The last `n` requests aimock received, sent again one after another: milliseconds.
async fn replayed(aimock: &Aimock, client: &reqwest::Client, n: usize) -> Result<f64, Failure> {
    let journal = aimock.journal().await;
    let journal = journal.as_array().ok_or("the journal is not a list")?;
    let mut total = Duration::ZERO;
    for entry in &journal[journal.len().saturating_sub(n)..] {
        total += replay(aimock, client, &entry["body"]).await?;
    }
    Ok(ms(total))
}

/// One `echo` call on the running server: milliseconds.
async fn echo_time(api: &Api, id: &str) -> Result<f64, Failure> {
    let arguments = json!({"message": "bench"})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let call_at = Instant::now();
    let outcome = api
        .mcp()
        .call(
            id,
            "echo",
            arguments,
            Duration::from_secs(30),
            CancellationToken::new(),
            None,
        )
        .await;
    if outcome.is_error {
        return Err(format!("echo failed: {}", outcome.text).into());
    }
    Ok(ms(call_at.elapsed()))
}

/// One reply to `text`, `send_message` to its `Done`: milliseconds. "tool step" must run
/// its step (a reply that stops to ask for approval fails the run).
async fn reply_time(api: &Api, conversation: &str, text: &str) -> Result<f64, Failure> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<ChatEvent>();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    let started_at = Instant::now();
    api.send_message(conversation, text, Vec::new(), sink)
        .await?;
    let mut stepped = text != "tool step";
    loop {
        let event = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await;
        match event.map_err(|_| "the reply stalled (asking for approval?)")? {
            Some(ChatEvent::ToolResult { is_error, .. }) => stepped = !is_error,
            Some(ChatEvent::Done { .. }) if stepped => return Ok(ms(started_at.elapsed())),
            Some(event @ (ChatEvent::Done { .. } | ChatEvent::Error { .. })) => {
                return Err(format!("the reply ended without its tool step: {event:?}").into());
            }
            Some(_) => {}
            None => return Err("the reply's events ended without Done".into()),
        }
    }
}

fn fixtures() -> Value {
    json!({"fixtures": [
        {"match": {"userMessage": "tool step", "hasToolResult": false},
         "response": {"toolCalls": [{"id": "call_bench", "name": "echo", "arguments": "{\"message\":\"bench\"}"}]}},
        {"match": {"toolCallId": "call_bench"}, "response": {"content": "The server said bench."}},
        {"match": {"userMessage": "plain answer"}, "response": {"content": "The server said bench."}},
    ]})
}

/// Median, p95, min and max of these milliseconds.
fn print_times(label: &str, ms: &mut [f64]) {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "    {label:<34} median {:>8.2} ms   p95 {:>8.2} ms   min {:>8.2} ms   max {:>8.2} ms",
        at(0.5),
        at(0.95),
        ms[0],
        ms[ms.len() - 1]
    );
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

/// VmRSS of a process (this one when `None`), in KiB; 0 when it cannot be read.
fn rss_kib(pid: Option<u32>) -> u64 {
    let path = pid.map_or_else(
        || "/proc/self/status".into(),
        |pid| format!("/proc/{pid}/status"),
    );
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Sends a request aimock recorded to it again and reads the whole (streamed) answer.
async fn replay(
    aimock: &Aimock,
    client: &reqwest::Client,
    body: &Value,
) -> Result<Duration, Failure> {
    let url = format!("{}/chat/completions", aimock.base_url());
    let body = serde_json::to_vec(body)?;
    let started_at = Instant::now();
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?
        .error_for_status()?;
    response.bytes().await?;
    Ok(started_at.elapsed())
}
