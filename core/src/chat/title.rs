//! A short title for a conversation, asked of the model after the first exchange.

use std::time::Duration;

use super::ChatEvent;
use super::engine::ChatEngine;
use super::live::LiveStream;
use crate::llm::{ChatMessage, ProviderClient};
use crate::store::conversations;
use crate::store::entities::message::Role;
use crate::store::messages::Message;

/// Asks the model for a short title after the first exchange; keeps the first-words title
/// when that fails or when the user renamed the conversation meanwhile.
pub(super) async fn generate_title(
    engine: &ChatEngine,
    live: &LiveStream,
    client: &ProviderClient,
    question: &Message,
    answer: &str,
) {
    let excerpt = |text: &str| text.chars().take(1500).collect::<String>();
    let request = [
        ChatMessage::text(
            Role::System,
            "Write a title of at most six words for this conversation, in the language of the \
             user's message. Reply with the title only: no quotes, no final punctuation.",
        ),
        ChatMessage::text(
            Role::User,
            format!(
                "User: {}\n\nAssistant: {}",
                excerpt(&question.content),
                excerpt(answer)
            ),
        ),
    ];
    // A title is a provider request like any other: it takes a slot and counts against the
    // provider's rate, and the whole of it (the waits too) is bounded.
    let ask = async {
        let _slot = engine.side_slot().await;
        engine.side_rate_limit(&client.endpoint().base_url).await;
        client.complete(&request).await
    };
    let generated = tokio::time::timeout(Duration::from_secs(30), ask).await;
    let title = match generated {
        Ok(Ok(text)) => clean_generated_title(&text),
        Ok(Err(error)) => {
            tracing::debug!(%error, "no generated title");
            return;
        }
        Err(_) => return,
    };
    if title.is_empty() {
        return;
    }
    let db = engine.db.conn();
    let Ok(current) = conversations::get(db, &live.conversation_id).await else {
        return;
    };
    if current.title != conversations::title_from(&question.content) {
        return;
    }
    match conversations::rename(db, &live.conversation_id, &title).await {
        Ok(renamed) => live.emit(ChatEvent::Title {
            conversation_id: renamed.id,
            title: renamed.title,
        }),
        Err(error) => tracing::warn!(%error, "storing the generated title failed"),
    }
}

fn clean_generated_title(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    let wrapping = |c: char| {
        matches!(
            c,
            '"' | '\'' | '“' | '”' | '「' | '」' | '《' | '》' | '*' | '#'
        )
    };
    let unquoted = line.trim_start_matches("Title:").trim_matches(|c: char| {
        wrapping(c) || c.is_whitespace() || matches!(c, '.' | '。' | '!' | '！')
    });
    conversations::title_from(unquoted)
}

#[cfg(test)]
mod tests {
    use super::clean_generated_title;

    #[test]
    fn generated_titles_are_cleaned() {
        assert_eq!(
            clean_generated_title("\"Trip to Beijing.\"\n"),
            "Trip to Beijing"
        );
        assert_eq!(
            clean_generated_title("Title: **Rust lifetimes**"),
            "Rust lifetimes"
        );
        assert_eq!(clean_generated_title("《北京旅行计划》。"), "北京旅行计划");
        assert_eq!(clean_generated_title("  \n "), "");
    }
}
