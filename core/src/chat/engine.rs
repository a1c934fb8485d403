//! The chat engine: the registry of running replies (one per conversation), the settings
//! they run with, and the provider client each gets. Starting replies is in `send.rs`,
//! request slots and rate limits in `slots.rs`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use governor::DefaultDirectRateLimiter;
use serde::Serialize;
use specta::Type;
use tokio::sync::{Notify, Semaphore};

use super::knowledge::Retriever;
use super::live::{CancelReason, LiveStream};
use super::retry::RetryPolicy;
pub(super) use super::send::validate_message;
use super::tools::{self, ToolHost, Toolbox};
use super::{ChatSink, route};
use crate::agents::AgentParams;
use crate::error::{Error, Result};
use crate::llm::ProviderClient;
use crate::secrets::{Keychain, Secret};
use crate::settings::Settings;
use crate::store::entities::conversation;
use crate::store::{Db, conversations, new_id};
use crate::vocab::ToolDecision;

/// Timings of the engine. The defaults are the product's; tests shorten them.
#[derive(Debug, Clone, Copy)]
pub struct EngineConfig {
    pub retry: RetryPolicy,
    /// How often `Heartbeat` is sent while waiting for the first text.
    pub heartbeat_every: Duration,
    /// How often the text of a running reply is checkpointed.
    pub checkpoint_every: Duration,
    /// Deltas are merged for at most this long...
    pub coalesce_window: Duration,
    /// ...or until this many bytes are waiting.
    pub coalesce_bytes: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            heartbeat_every: Duration::from_secs(3),
            checkpoint_every: Duration::from_secs(1),
            coalesce_window: Duration::from_millis(16),
            coalesce_bytes: 1024,
        }
    }
}

/// A reply that is streaming now, for the UI's list (e.g. after a reload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ActiveStream {
    pub stream_id: String,
    pub conversation_id: String,
    pub started_at: i64,
    /// Bytes of reply text received so far.
    pub received_bytes: u32,
}

/// Sends messages and streams replies: one reply at a time per conversation, replies in
/// different conversations side by side, at most `max_concurrent_streams` provider requests
/// at once.
pub struct ChatEngine {
    pub(super) db: Db,
    pub(super) keychain: Keychain,
    pub(super) http: reqwest::Client,
    pub(super) config: EngineConfig,
    pub(super) settings: Mutex<Settings>,
    pub(super) slots: Arc<Semaphore>,
    pub(super) slot_count: Mutex<u32>,
    pub(super) limiters: Mutex<HashMap<String, (u32, Arc<DefaultDirectRateLimiter>)>>,
    registry: Mutex<Registry>,
    pub(super) idle: Notify,
    pub(super) in_flight: AtomicUsize,
    pub(super) peak_in_flight: AtomicUsize,
    /// Where tools come from (the MCP servers); none: replies offer no tools.
    tool_host: Mutex<Option<Arc<dyn ToolHost>>>,
    retriever: Mutex<Option<Arc<dyn Retriever>>>,
}

/// The streams running now. An entry exists only while its reply streams, so idle
/// conversations cost nothing.
#[derive(Default)]
struct Registry {
    streams: HashMap<String, Arc<LiveStream>>,
    by_conversation: HashMap<String, String>,
}

impl ChatEngine {
    pub fn new(
        db: Db,
        keychain: Keychain,
        settings: Settings,
        config: EngineConfig,
    ) -> Result<Self> {
        let slots = settings.max_concurrent_streams.max(1);
        Ok(Self {
            db,
            keychain,
            http: crate::llm::http_client()?,
            config,
            slots: Arc::new(Semaphore::new(slots as usize)),
            slot_count: Mutex::new(slots),
            settings: Mutex::new(settings),
            limiters: Mutex::default(),
            registry: Mutex::default(),
            idle: Notify::new(),
            in_flight: AtomicUsize::new(0),
            peak_in_flight: AtomicUsize::new(0),
            tool_host: Mutex::default(),
            retriever: Mutex::default(),
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    /// Applies new settings to the running engine (slot count, rate limit, timeouts).
    pub fn apply_settings(&self, settings: Settings) {
        let wanted = settings.max_concurrent_streams.max(1);
        let mut count = lock(&self.slot_count);
        if wanted > *count {
            self.slots.add_permits((wanted - *count) as usize);
        } else if wanted < *count {
            // Permits in use cannot be taken back at once: take them as they come free.
            let surplus = *count - wanted;
            let slots = Arc::clone(&self.slots);
            tokio::spawn(async move {
                if let Ok(permits) = slots.acquire_many_owned(surplus).await {
                    permits.forget();
                }
            });
        }
        *count = wanted;
        *lock(&self.settings) = settings;
    }

    /// Lets replies draw on the knowledge bases behind `retriever`.
    pub fn set_retriever(&self, retriever: Arc<dyn Retriever>) {
        *lock(&self.retriever) = Some(retriever);
    }

    pub(super) fn retriever(&self) -> Option<Arc<dyn Retriever>> {
        lock(&self.retriever).clone()
    }

    /// Lets replies use the tools of `host`.
    pub fn set_tool_host(&self, host: Arc<dyn ToolHost>) {
        *lock(&self.tool_host) = Some(host);
    }

    /// The tools a reply in the conversation may use, if any. A failure to read them is
    /// logged and the reply goes on without tools.
    pub(super) async fn toolbox(&self, conversation_id: &str) -> Option<Toolbox> {
        let host = lock(&self.tool_host).clone();
        host.as_ref()?;
        let max_steps = self.settings().max_tool_steps;
        let found = async {
            let conversation = conversations::find(self.db.conn(), conversation_id).await?;
            tools::toolbox(host, self.db.conn(), &conversation, max_steps).await
        };
        found.await.unwrap_or_else(|error| {
            tracing::warn!(%error, "the reply's tools could not be read");
            None
        })
    }

    /// Gives the person's answer to a tool call a running reply waits on.
    pub fn answer_tool_call(
        &self,
        stream_id: &str,
        call_id: &str,
        decision: ToolDecision,
    ) -> Result<()> {
        let live = lock(&self.registry).streams.get(stream_id).cloned();
        let live = live.ok_or_else(|| Error::not_found("stream", stream_id))?;
        if !live.answer(call_id, decision) {
            return Err(Error::not_found("tool call", call_id));
        }
        Ok(())
    }

    /// Stops a running reply; it is stored as `cancelled` with the text so far.
    pub fn cancel(&self, stream_id: &str) -> Result<()> {
        let live = lock(&self.registry).streams.get(stream_id).cloned();
        let live = live.ok_or_else(|| Error::not_found("stream", stream_id))?;
        live.cancel(CancelReason::User);
        Ok(())
    }

    /// Stops the reply streaming in a conversation, if any (e.g. before deleting it).
    pub fn cancel_conversation(&self, conversation_id: &str) -> bool {
        let registry = lock(&self.registry);
        let live = registry
            .by_conversation
            .get(conversation_id)
            .and_then(|id| registry.streams.get(id));
        live.map(|live| live.cancel(CancelReason::User)).is_some()
    }

    /// Adds `sink` as a listener of a running reply: it receives a `Snapshot` of the text
    /// so far, then the live events.
    pub fn attach(&self, stream_id: &str, sink: Arc<dyn ChatSink>) -> Result<()> {
        let live = lock(&self.registry).streams.get(stream_id).cloned();
        live.ok_or_else(|| Error::not_found("stream", stream_id))?
            .attach(sink);
        Ok(())
    }

    pub fn active_streams(&self) -> Vec<ActiveStream> {
        let mut active: Vec<_> = lock(&self.registry)
            .streams
            .values()
            // A try-out belongs to the agent editor, not to any conversation.
            .filter(|live| !live.trial)
            .map(|live| ActiveStream {
                stream_id: live.stream_id.clone(),
                conversation_id: live.conversation_id.clone(),
                started_at: live.started_at,
                received_bytes: u32::try_from(live.progress().0).unwrap_or(u32::MAX),
            })
            .collect();
        active.sort_by_key(|stream| stream.started_at);
        active
    }

    pub fn is_streaming(&self, conversation_id: &str) -> bool {
        lock(&self.registry)
            .by_conversation
            .contains_key(conversation_id)
    }

    /// `Busy` while a reply streams in the conversation: edits to its messages or context
    /// would race the reply.
    pub fn ensure_idle(&self, conversation_id: &str) -> Result<()> {
        if self.is_streaming(conversation_id) {
            return Err(Error::Busy);
        }
        Ok(())
    }

    /// Provider requests running now, and the most that ever ran at once.
    pub fn concurrency(&self) -> (usize, usize) {
        (
            self.in_flight.load(Ordering::Relaxed),
            self.peak_in_flight.load(Ordering::Relaxed),
        )
    }

    /// Stops every reply (stored as partial, reason `app_exit`) and waits up to `timeout`
    /// for them to be written. Call before the process exits.
    pub async fn shutdown(&self, timeout: Duration) {
        let streams: Vec<_> = lock(&self.registry).streams.values().cloned().collect();
        for live in &streams {
            live.cancel(CancelReason::AppExit);
        }
        let all_stored = async {
            loop {
                let notified = self.idle.notified();
                if lock(&self.registry).streams.is_empty() {
                    return;
                }
                notified.await;
            }
        };
        if tokio::time::timeout(timeout, all_stored).await.is_err() {
            tracing::warn!("replies still streaming at exit; their checkpoints will be recovered");
        }
    }

    pub(super) fn claim(
        self: &Arc<Self>,
        conversation_id: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<Claim> {
        self.claim_stream(LiveStream::new(new_id(), conversation_id.to_string(), sink))
    }

    /// Registers `live` as its conversation's one running reply (`Busy` if there is one).
    pub(super) fn claim_stream(self: &Arc<Self>, live: LiveStream) -> Result<Claim> {
        let mut registry = lock(&self.registry);
        if registry.by_conversation.contains_key(&live.conversation_id) {
            return Err(Error::Busy);
        }
        let live = Arc::new(live);
        registry
            .by_conversation
            .insert(live.conversation_id.clone(), live.stream_id.clone());
        registry
            .streams
            .insert(live.stream_id.clone(), Arc::clone(&live));
        Ok(Claim {
            engine: Arc::clone(self),
            live,
        })
    }

    /// A client for the conversation's provider (its agent's, or the default), with its key.
    pub(super) async fn client(
        &self,
        conversation: &conversation::Model,
    ) -> Result<ProviderClient> {
        let default_provider = self.settings().default_provider_id;
        let route =
            route::resolve(self.db.conn(), conversation, default_provider.as_deref()).await?;
        self.client_for(route).await
    }

    /// A client for an agent's settings that may not be stored yet (a draft being tried).
    pub(super) async fn client_for_agent(
        &self,
        provider_id: Option<&str>,
        model: Option<String>,
        params: AgentParams,
    ) -> Result<ProviderClient> {
        let default_provider = self.settings().default_provider_id;
        let route = route::for_agent(
            self.db.conn(),
            provider_id,
            model,
            params,
            default_provider.as_deref(),
        )
        .await?;
        self.client_for(route).await
    }

    async fn client_for(&self, route: route::Route) -> Result<ProviderClient> {
        let key: Option<Secret> = match route.key_account {
            Some(account) => self.keychain.read(&account).await?,
            None => None,
        };
        let mut headers = route.headers;
        let secrets =
            crate::providers::secret_header_values(&self.keychain, route.secret_headers).await?;
        headers.extend(
            secrets
                .iter()
                .map(|(n, v)| (n.clone(), v.expose().to_string())),
        );
        Ok(
            ProviderClient::new(self.http.clone(), route.endpoint, key.as_ref())?
                .with_headers(&headers)?
                .with_params(route.params)
                .for_provider(route.provider_id),
        )
    }
}

/// A conversation's right to stream a reply; released when dropped, on every exit path.
pub(super) struct Claim {
    pub(super) engine: Arc<ChatEngine>,
    pub(super) live: Arc<LiveStream>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut registry = lock(&self.engine.registry);
        registry.streams.remove(&self.live.stream_id);
        registry.by_conversation.remove(&self.live.conversation_id);
        drop(registry);
        self.engine.idle.notify_waiters();
    }
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
