use std::sync::Arc;

use confab_core::AppError;
use confab_core::agents::AgentInput;
use confab_core::api::Api;
use confab_core::chat::{ActiveStream, AttachmentFit, ChatEvent, ChatSink, PromptMessage};
use confab_core::vocab::{Part, ToolDecision};
use tauri::State;
use tauri::ipc::Channel;

/// A reply stream's events, delivered to the webview that asked for them.
struct ChannelSink(Channel<ChatEvent>);

impl ChatSink for ChannelSink {
    fn emit(&self, event: ChatEvent) {
        // Fails only when the webview is gone (e.g. reloading); the reply is still stored,
        // and the reloaded page can attach again.
        if let Err(error) = self.0.send(event) {
            tracing::debug!(%error, "chat event not delivered");
        }
    }
}

fn sink(channel: Channel<ChatEvent>) -> Arc<dyn ChatSink> {
    Arc::new(ChannelSink(channel))
}

/// Stores the message (text and attachments), then streams the reply over `on_event`.
/// Returns the stream id.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(
    skip(api, text, attachments, on_event),
    fields(bytes = text.len(), attachments = attachments.len()),
    err(Debug)
)]
pub async fn send_message(
    api: State<'_, Api>,
    conversation_id: String,
    text: String,
    attachments: Vec<Part>,
    on_event: Channel<ChatEvent>,
) -> Result<String, AppError> {
    Ok(api
        .send_message(&conversation_id, &text, attachments, sink(on_event))
        .await?)
}

/// Replaces the last reply with a new one, streamed over `on_event`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, on_event), err(Debug))]
pub async fn regenerate(
    api: State<'_, Api>,
    conversation_id: String,
    on_event: Channel<ChatEvent>,
) -> Result<String, AppError> {
    Ok(api.regenerate(&conversation_id, sink(on_event)).await?)
}

/// Goes on with the last reply, which ended early; the continued text streams over
/// `on_event` and the reply is stored over the unfinished one.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, on_event), err(Debug))]
pub async fn continue_reply(
    api: State<'_, Api>,
    conversation_id: String,
    on_event: Channel<ChatEvent>,
) -> Result<String, AppError> {
    Ok(api.continue_reply(&conversation_id, sink(on_event)).await?)
}

/// Writes a new version of a user message (text and attachments) and streams a new reply.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, text, attachments, on_event), err(Debug))]
pub async fn edit_and_resend(
    api: State<'_, Api>,
    message_id: String,
    text: String,
    attachments: Vec<Part>,
    on_event: Channel<ChatEvent>,
) -> Result<String, AppError> {
    Ok(api
        .edit_and_resend(&message_id, &text, attachments, sink(on_event))
        .await?)
}

/// Whether an attachment fits the conversation's context budget, and if not, how many
/// first pages of it do.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub async fn attachment_fit(
    api: State<'_, Api>,
    conversation_id: String,
    sha256: String,
) -> Result<AttachmentFit, AppError> {
    Ok(api.attachment_fit(&conversation_id, &sha256).await?)
}

/// Streams a reply of an unsaved agent (the editor's draft) to a try-out `history` over
/// `on_event`; nothing is stored. Stop it with `cancel_stream`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, draft, history, on_event), fields(messages = history.len()), err(Debug))]
pub async fn try_agent(
    api: State<'_, Api>,
    draft: AgentInput,
    history: Vec<PromptMessage>,
    on_event: Channel<ChatEvent>,
) -> Result<String, AppError> {
    Ok(api.try_agent(draft, history, sink(on_event)).await?)
}

/// Stops a reply; it is kept as `cancelled` with its text.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub fn cancel_stream(api: State<'_, Api>, stream_id: String) -> Result<(), AppError> {
    Ok(api.cancel_stream(&stream_id)?)
}

/// Allows or denies a tool call the running reply `stream_id` waits on.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api), err(Debug))]
pub fn answer_tool_call(
    api: State<'_, Api>,
    stream_id: String,
    call_id: String,
    decision: ToolDecision,
) -> Result<(), AppError> {
    Ok(api.answer_tool_call(&stream_id, &call_id, decision)?)
}

/// Listens to a running reply (after a reload): a `snapshot` of the text so far, then the
/// live events.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(api, on_event), err(Debug))]
pub fn attach_stream(
    api: State<'_, Api>,
    stream_id: String,
    on_event: Channel<ChatEvent>,
) -> Result<(), AppError> {
    Ok(api.attach_stream(&stream_id, sink(on_event))?)
}

#[tauri::command]
#[specta::specta]
pub fn list_active_streams(api: State<'_, Api>) -> Vec<ActiveStream> {
    api.list_active_streams()
}
