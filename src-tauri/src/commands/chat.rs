use std::sync::Arc;

use confab_core::AppError;
use confab_core::chat::{ChatEvent, ChatSink};
use tauri::State;
use tauri::ipc::Channel;

use crate::AppState;

/// A reply stream's events, delivered to the webview that asked for them.
struct ChannelSink(Channel<ChatEvent>);

impl ChatSink for ChannelSink {
    fn emit(&self, event: ChatEvent) {
        // Fails only when the webview is gone; the reply is still stored.
        if let Err(error) = self.0.send(event) {
            tracing::debug!(%error, "chat event not delivered");
        }
    }
}

/// Stores the message, then streams the reply over `on_event`. Returns the stream id.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, text, on_event), fields(chars = text.len()), err(Debug))]
pub async fn send_message(
    state: State<'_, AppState>,
    conversation_id: String,
    text: String,
    on_event: Channel<ChatEvent>,
) -> Result<String, AppError> {
    let sink = Arc::new(ChannelSink(on_event));
    Ok(state
        .engine
        .send_message(&conversation_id, &text, sink)
        .await?)
}
