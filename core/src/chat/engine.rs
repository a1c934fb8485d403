use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::Serialize;
use specta::Type;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use super::live::{CancelReason, LiveStream};
use super::reply::Reply;
use super::retry::RetryPolicy;
use super::{ChatEvent, ChatSink, QueueReason, context, route};
use crate::agents::AgentParams;
use crate::error::{Error, Result};
use crate::llm::ProviderClient;
use crate::secrets::{Keychain, Secret};
use crate::settings::Settings;
use crate::store::entities::conversation;
use crate::store::entities::message::{MessageState, Role};
use crate::store::messages::{self, Message, MessageMeta, NewMessage};
use crate::store::{Db, conversations, new_id};

/// The largest message a user may send (1 MiB of UTF-8): far beyond any context window,
/// small enough that a mistaken paste cannot stall the app.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

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
    keychain: Keychain,
    http: reqwest::Client,
    pub(super) config: EngineConfig,
    settings: Mutex<Settings>,
    slots: Arc<Semaphore>,
    slot_count: Mutex<u32>,
    limiters: Mutex<HashMap<String, (u32, Arc<DefaultDirectRateLimiter>)>>,
    registry: Mutex<Registry>,
    idle: Notify,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
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

    /// Stores `text` as a user message at once, then streams the reply to `sink` in the
    /// background and stores it once, when the stream ends. Returns the stream id.
    pub async fn send_message(
        self: &Arc<Self>,
        conversation_id: &str,
        text: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let text = validate_message(text)?;
        let claim = self.claim(conversation_id, sink)?;
        let conversation = conversations::find(self.db.conn(), conversation_id).await?;
        let client = self.client(&conversation).await?;
        let user_message = messages::append(
            self.db.conn(),
            NewMessage {
                conversation_id,
                role: Role::User,
                content: text,
                state: MessageState::Complete,
                meta: MessageMeta::default(),
            },
        )
        .await?;
        if conversation.title.is_empty() {
            let title = conversations::title_from(text);
            conversations::rename(self.db.conn(), conversation_id, &title).await?;
        }
        self.start(claim, client, user_message).await
    }

    /// Replaces the last reply of the conversation with a new one.
    pub async fn regenerate(
        self: &Arc<Self>,
        conversation_id: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let claim = self.claim(conversation_id, sink)?;
        let conversation = conversations::find(self.db.conn(), conversation_id).await?;
        let client = self.client(&conversation).await?;
        let Some(mut last) = messages::last(self.db.conn(), conversation_id).await? else {
            return Err(Error::InvalidInput(
                "the conversation has no message to answer".into(),
            ));
        };
        if last.role == Role::Assistant {
            messages::delete_from(self.db.conn(), conversation_id, last.seq).await?;
            last = messages::last(self.db.conn(), conversation_id)
                .await?
                .ok_or_else(|| {
                    Error::InvalidInput("the conversation has no message to answer".into())
                })?;
        }
        if last.role != Role::User {
            return Err(Error::InvalidInput(
                "the last message is not a user message".into(),
            ));
        }
        self.start(claim, client, last).await
    }

    /// Replaces the text of a user message, drops every message after it, and streams a
    /// new reply.
    pub async fn edit_and_resend(
        self: &Arc<Self>,
        message_id: &str,
        text: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let text = validate_message(text)?;
        let message = messages::get(self.db.conn(), message_id).await?;
        if message.role != Role::User {
            return Err(Error::InvalidInput(
                "only your own messages can be edited and resent".into(),
            ));
        }
        let claim = self.claim(&message.conversation_id, sink)?;
        let conversation = conversations::find(self.db.conn(), &message.conversation_id).await?;
        let client = self.client(&conversation).await?;
        let edited = messages::rewrite_from(self.db.conn(), message_id, text).await?;
        self.start(claim, client, edited).await
    }

    /// Asks the model to go on with the conversation's last reply, which ended early
    /// (partial or cancelled, with text). The new text is appended to it and the reply is
    /// stored over the old one when the stream ends, whatever way it ends.
    pub async fn continue_reply(
        self: &Arc<Self>,
        conversation_id: &str,
        sink: Arc<dyn ChatSink>,
    ) -> Result<String> {
        let claim = self.claim(conversation_id, sink)?;
        let conversation = conversations::find(self.db.conn(), conversation_id).await?;
        let unfinished = messages::last(self.db.conn(), conversation_id)
            .await?
            .filter(|last| {
                last.role == Role::Assistant
                    && matches!(last.state, MessageState::Partial | MessageState::Cancelled)
                    && !last.content.is_empty()
            })
            .ok_or_else(|| {
                Error::InvalidInput("the last reply is not unfinished: nothing to continue".into())
            })?;
        let answered = messages::last_before(self.db.conn(), conversation_id, unfinished.seq)
            .await?
            .filter(|message| message.role == Role::User)
            .ok_or_else(|| {
                Error::InvalidInput("the unfinished reply answers no message of yours".into())
            })?;
        let client = self.client(&conversation).await?;
        self.start_with(claim, client, answered, Some(unfinished))
            .await
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

    /// Waits for a free provider slot, telling the UI when it has to wait.
    pub(super) async fn slot(&self, live: &LiveStream) -> Option<Slot<'_>> {
        let permit = match Arc::clone(&self.slots).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                live.emit(ChatEvent::Queued {
                    reason: QueueReason::Concurrency,
                });
                tokio::select! {
                    () = live.cancel.cancelled() => return None,
                    permit = Arc::clone(&self.slots).acquire_owned() => permit.ok()?,
                }
            }
        };
        Some(self.counted(permit))
    }

    fn counted(&self, permit: OwnedSemaphorePermit) -> Slot<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak_in_flight.fetch_max(now, Ordering::Relaxed);
        Slot {
            engine: self,
            _permit: permit,
        }
    }

    /// A provider slot for a side request (a title): waited for quietly, since the reply
    /// it belongs to has ended for the UI.
    pub(super) async fn side_slot(&self) -> Option<Slot<'_>> {
        let permit = Arc::clone(&self.slots).acquire_owned().await.ok()?;
        Some(self.counted(permit))
    }

    /// Waits quietly until the request-rate budget of the provider at `base_url` allows
    /// one more request.
    pub(super) async fn side_rate_limit(&self, base_url: &str) {
        if let Some(limiter) = self.limiter(base_url) {
            limiter.until_ready().await;
        }
    }

    /// Waits until the request-rate budget of the provider at `base_url` allows one more
    /// request. Returns false when the reply was cancelled meanwhile.
    pub(super) async fn rate_limit(&self, live: &LiveStream, base_url: &str) -> bool {
        let Some(limiter) = self.limiter(base_url) else {
            return true;
        };
        if limiter.check().is_ok() {
            return true;
        }
        live.emit(ChatEvent::Queued {
            reason: QueueReason::RateLimit,
        });
        tokio::select! {
            () = live.cancel.cancelled() => false,
            () = limiter.until_ready() => true,
        }
    }

    /// The limiter of one provider, keyed by the base URL requests actually go to.
    fn limiter(&self, base_url: &str) -> Option<Arc<DefaultDirectRateLimiter>> {
        let per_minute = NonZeroU32::new(lock(&self.settings).requests_per_minute)?;
        // No bursts: requests are spaced evenly, 60 / n seconds apart, the way providers
        // count them.
        let quota = Quota::per_minute(per_minute).allow_burst(NonZeroU32::MIN);
        let mut limiters = lock(&self.limiters);
        let entry = limiters
            .entry(base_url.trim().trim_end_matches('/').to_string())
            .or_insert_with(|| (per_minute.get(), Arc::new(RateLimiter::direct(quota))));
        if entry.0 != per_minute.get() {
            *entry = (per_minute.get(), Arc::new(RateLimiter::direct(quota)));
        }
        Some(Arc::clone(&entry.1))
    }

    fn claim(self: &Arc<Self>, conversation_id: &str, sink: Arc<dyn ChatSink>) -> Result<Claim> {
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
    async fn client(&self, conversation: &conversation::Model) -> Result<ProviderClient> {
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
            Some(account) => {
                let keychain = self.keychain.clone();
                tokio::task::spawn_blocking(move || keychain.get(&account))
                    .await
                    .map_err(|error| Error::Internal(format!("keychain task: {error}")))??
            }
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
                .with_params(route.params),
        )
    }

    async fn start(
        self: &Arc<Self>,
        claim: Claim,
        client: ProviderClient,
        user_message: Message,
    ) -> Result<String> {
        self.start_with(claim, client, user_message, None).await
    }

    async fn start_with(
        self: &Arc<Self>,
        claim: Claim,
        client: ProviderClient,
        user_message: Message,
        continues: Option<Message>,
    ) -> Result<String> {
        let conversation = conversations::find(self.db.conn(), &claim.live.conversation_id).await?;
        let mut request = context::build(self.db.conn(), &conversation).await?;
        if continues.is_some() {
            request.push(context::continue_instruction());
        }
        let live = Arc::clone(&claim.live);
        let stream_id = live.stream_id.clone();
        let text = continues
            .as_ref()
            .map(|earlier| earlier.content.clone())
            .unwrap_or_default();
        live.seed_text(&text);
        live.emit(ChatEvent::Started {
            stream_id: stream_id.clone(),
            conversation_id: conversation.id.clone(),
            user_message: user_message.clone(),
            continues_message_id: continues.as_ref().map(|earlier| earlier.id.clone()),
            text,
        });
        let settings = self.settings();
        let span = tracing::info_span!("reply", conversation_id = %conversation.id, stream_id = %stream_id);
        let reply = Reply {
            engine: Arc::clone(self),
            live,
            client,
            request,
            user_message,
            settings,
            claim,
            continues,
            trial: false,
        };
        tokio::spawn(tracing::Instrument::instrument(reply.run(), span));
        Ok(stream_id)
    }
}

/// A conversation's right to stream a reply; released when dropped, on every exit path.
pub(super) struct Claim {
    engine: Arc<ChatEngine>,
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

/// A provider request slot, counted while held.
pub(super) struct Slot<'a> {
    engine: &'a ChatEngine,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.engine.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The text to send, or why it cannot be sent.
pub(super) fn validate_message(text: &str) -> Result<&str> {
    if text.trim().is_empty() {
        return Err(Error::InvalidInput("the message is empty".into()));
    }
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(Error::InvalidInput(format!(
            "the message is too long ({} KiB; the limit is {} KiB)",
            text.len() / 1024,
            MAX_MESSAGE_BYTES / 1024
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_huge_messages_are_refused() {
        assert!(matches!(
            validate_message(" \n\t"),
            Err(Error::InvalidInput(_))
        ));
        let huge = "x".repeat(MAX_MESSAGE_BYTES + 1);
        assert!(matches!(
            validate_message(&huge),
            Err(Error::InvalidInput(_))
        ));
        assert_eq!(validate_message("  hi ").ok(), Some("  hi "));
    }
}
