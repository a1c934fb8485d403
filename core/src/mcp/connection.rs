//! One running server: the MCP client session over its transport, the child process (for
//! stdio) and what tells the hub it is gone.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::StreamExt;
use process_wrap::tokio::ChildWrapper;
use rmcp::handler::client::progress::ProgressDispatcher;
use rmcp::model::{
    CallToolRequest, CallToolRequestParams, ClientCapabilities, ClientConfig, ClientRequest,
    Implementation, ProgressNotificationParam, ProtocolVersion, ServerResult,
};
use rmcp::service::{NotificationContext, Peer, PeerRequestOptions, RunningService, ServiceError};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::async_rw::AsyncRwTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::process::{self, StdioLaunch};
use super::ring::Ring;
use super::{McpConfig, McpOutcome, McpProgress, outcome, stdout};
use crate::secrets::Secret;

/// How to reach a server, secrets read.
#[derive(Debug)]
pub enum Launch {
    Stdio(StdioLaunch),
    Http {
        url: String,
        headers: HashMap<String, Secret>,
    },
}

/// The client side of a session: routes progress to the calls waiting for it, notes
/// that the tool list changed.
#[derive(Clone, Default)]
pub struct Handler {
    progress: ProgressDispatcher,
    tools_changed: Arc<AtomicBool>,
}

impl ClientHandler for Handler {
    async fn on_progress(
        &self,
        params: ProgressNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.progress.handle_notification(params).await;
    }

    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.tools_changed.store(true, Ordering::Release);
    }

    /// The handshake is `initialize`, so it names the newest version that still has one:
    /// rmcp's default (`LATEST`) is a revision without `initialize`, which servers of the
    /// handshake era do not know (the MCP conformance suite's `initialize` check fails on
    /// it). The server answers with the version it picks, and rmcp follows it.
    fn get_info(&self) -> ClientConfig {
        ClientConfig::new(
            ClientCapabilities::default(),
            Implementation::new("Confab", env!("CARGO_PKG_VERSION")),
        )
        .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
    }
}

pub struct Connection {
    service: RunningService<RoleClient, Handler>,
    handler: Handler,
    /// Cancelled when the server is gone: its process ended or its transport closed.
    pub gone: CancellationToken,
    /// Cancelled to stop the process (the watcher kills it and its group).
    stop: CancellationToken,
    watcher: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
    pub pid: Option<u32>,
}

impl Connection {
    /// Starts (stdio) or connects to (HTTP) a server and runs the MCP handshake.
    pub async fn open(launch: Launch, log: Ring, config: &McpConfig) -> Result<Self, String> {
        let handler = Handler::default();
        let gone = CancellationToken::new();
        let stop = CancellationToken::new();
        match launch {
            Launch::Stdio(launch) => {
                let mut child = process::spawn(&launch)
                    .map_err(|error| format!("could not start {}: {error}", launch.command))?;
                let pid = child.id();
                let (Some(stdin), Some(out), Some(err)) = (
                    child.stdin().take(),
                    child.stdout().take(),
                    child.stderr().take(),
                ) else {
                    return Err("the server's stdio could not be opened".into());
                };
                tokio::spawn({
                    let log = log.clone();
                    async move { log.fill_from(err).await }
                });
                let (ours, theirs) = tokio::io::duplex(256 * 1024);
                let head = config.max_result_bytes + 1024;
                tokio::spawn(stdout::filter(out, theirs, log.clone(), head));
                let watcher = tokio::spawn(watch(child, stop.clone(), gone.clone(), log));
                let transport = AsyncRwTransport::new_client(ours, stdin)
                    .with_max_line_length(stdout::MAX_LINE_BYTES + 1024);
                let service = handshake(handler.clone(), transport, config, &stop).await?;
                Ok(Self {
                    service,
                    handler,
                    gone,
                    stop,
                    watcher: std::sync::Mutex::new(Some(watcher)),
                    pid,
                })
            }
            Launch::Http { url, headers } => {
                let mut custom = HashMap::new();
                for (name, value) in headers {
                    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes());
                    let value = reqwest::header::HeaderValue::from_str(value.expose());
                    if let (Ok(name), Ok(mut value)) = (name, value) {
                        value.set_sensitive(true);
                        custom.insert(name, value);
                    }
                }
                let config_http = StreamableHttpClientTransportConfig::with_uri(url.clone())
                    .custom_headers(custom.clone());
                let transport =
                    StreamableHttpClientTransport::with_client(reqwest::Client::new(), config_http);
                let service = match handshake(handler.clone(), transport, config, &stop).await {
                    Ok(service) => service,
                    // A server of the older protocol speaks HTTP with SSE instead.
                    Err(first) => {
                        let headers = custom.into_iter().collect();
                        let client = reqwest::Client::new();
                        let (read, write) =
                            super::sse::connect(client, &url, headers, config.start_timeout)
                                .await
                                .map_err(|_| first.clone())?;
                        let transport = AsyncRwTransport::new_client(read, write)
                            .with_max_line_length(super::sse::MAX_EVENT_BYTES + 1024);
                        let retry = CancellationToken::new();
                        handshake(handler.clone(), transport, config, &retry)
                            .await
                            .map_err(|_| first)?
                    }
                };
                Ok(Self {
                    service,
                    handler,
                    gone,
                    stop,
                    watcher: std::sync::Mutex::default(),
                    pid: None,
                })
            }
        }
    }

    pub fn peer(&self) -> &Peer<RoleClient> {
        self.service.peer()
    }

    /// The server's name and version from the handshake.
    pub fn server_info(&self) -> (Option<String>, Option<String>) {
        let info = self.service.peer_info();
        let implementation = info.as_ref().and_then(|info| info.server_info.as_ref());
        (
            implementation.map(|i| i.name.clone()),
            implementation.map(|i| i.version.clone()),
        )
    }

    /// Whether the server said its tools changed since the last call (and forgets it).
    pub fn take_tools_changed(&self) -> bool {
        self.handler.tools_changed.swap(false, Ordering::AcqRel)
    }

    /// Runs one tool call to its end: result, error, timeout, cancel or the server gone.
    pub async fn call(
        &self,
        tool: &str,
        arguments: serde_json::Map<String, serde_json::Value>,
        timeout: Duration,
        cancel: CancellationToken,
        progress: Option<UnboundedSender<McpProgress>>,
        max_bytes: usize,
    ) -> McpOutcome {
        let params = CallToolRequestParams::new(tool.to_string()).with_arguments(arguments);
        let request = ClientRequest::CallToolRequest(CallToolRequest::new(params));
        let sent = self
            .peer()
            .send_request_with_option(request, PeerRequestOptions::no_options())
            .await;
        let mut handle = match sent {
            Ok(handle) => handle,
            Err(error) => {
                self.gone.cancel();
                return McpOutcome::error(format!("the server could not be reached: {error}"));
            }
        };
        let forward = progress.map(|sender| {
            let dispatcher = self.handler.progress.clone();
            let token = handle.progress_token.clone();
            tokio::spawn(async move {
                let mut updates = dispatcher.subscribe(token).await;
                while let Some(update) = updates.next().await {
                    let sent = sender.send(McpProgress {
                        progress: update.progress,
                        total: update.total,
                        message: update.message.map(|m| outcome::capped_line(&m, 1024)),
                    });
                    if sent.is_err() {
                        break;
                    }
                }
            })
        });
        let secs = timeout.as_secs();
        let answer = tokio::select! {
            answer = &mut handle.rx => Some(answer),
            () = tokio::time::sleep(timeout) => None,
            () = cancel.cancelled() => None,
            () = self.gone.cancelled() => None,
        };
        if let Some(forward) = forward {
            forward.abort();
            self.handler
                .progress
                .unsubscribe(&handle.progress_token)
                .await;
        }
        match answer {
            Some(Ok(Ok(ServerResult::CallToolResult(result)))) => {
                outcome::from_result(result, max_bytes)
            }
            Some(Ok(Ok(_))) => {
                McpOutcome::error("the server answered the tool call with something else")
            }
            Some(Ok(Err(ServiceError::McpError(error)))) => McpOutcome::error(format!(
                "the server refused the call: {}",
                outcome::capped_line(&error.message, 2048)
            )),
            Some(Ok(Err(_)) | Err(_)) => {
                McpOutcome::error("the server stopped before it answered (it may have crashed)")
            }
            None if self.gone.is_cancelled() => {
                McpOutcome::error("the server stopped before it answered (it may have crashed)")
            }
            None => {
                let cancelled = cancel.is_cancelled();
                let reason = if cancelled {
                    "cancelled by the user"
                } else {
                    "timed out"
                };
                // Best effort: the server is told; the call ends now whatever it does.
                let _ = tokio::time::timeout(
                    Duration::from_secs(2),
                    handle.cancel(Some(reason.to_string())),
                )
                .await;
                if cancelled {
                    McpOutcome::error("the tool call was cancelled")
                } else {
                    McpOutcome::error(format!("the tool did not answer within {secs} s"))
                }
            }
        }
    }

    /// Ends the session and the process (and its group), waiting a little for the process.
    /// Calls running on it end as "the server stopped".
    pub async fn close(&self) {
        self.stop.cancel();
        self.gone.cancel();
        self.service.cancellation_token().cancel();
        let watcher = self
            .watcher
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(watcher) = watcher {
            let _ = tokio::time::timeout(Duration::from_secs(5), watcher).await;
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn handshake<T, E, A>(
    handler: Handler,
    transport: T,
    config: &McpConfig,
    stop: &CancellationToken,
) -> Result<RunningService<RoleClient, Handler>, String>
where
    T: rmcp::transport::IntoTransport<RoleClient, E, A>,
    E: std::error::Error + Send + Sync + 'static,
{
    let secs = config.start_timeout.as_secs();
    match tokio::time::timeout(config.start_timeout, handler.serve(transport)).await {
        Ok(Ok(service)) => Ok(service),
        Ok(Err(error)) => {
            stop.cancel();
            Err(format!(
                "the server did not complete the MCP handshake: {error}"
            ))
        }
        Err(_) => {
            stop.cancel();
            Err(format!("the server did not answer within {secs} s"))
        }
    }
}

/// Owns the child: reports its end (`gone`), or kills it (and its group) on `stop`.
async fn watch(
    mut child: Box<dyn ChildWrapper>,
    stop: CancellationToken,
    gone: CancellationToken,
    log: Ring,
) {
    tokio::select! {
        status = child.wait() => {
            let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
            if !stop.is_cancelled() {
                log.push(&format!("[confab] the server exited: {status}"));
            }
            // What it started may still run in its group (Unix) or job (Windows).
            let _ = child.start_kill();
        }
        () = stop.cancelled() => {
            let _ = Box::into_pin(child.kill()).await;
        }
    }
    gone.cancel();
}
