//! A reasoning model's thinking, read from a real stream: the in-process server of
//! `common::hostile` (127.0.0.1) sends it the ways providers do — a `reasoning_content` or
//! `reasoning` field, or `<think>…</think>` in the text cut anywhere across events — and
//! the provider client's chunks must hold it apart from the answer.

mod common;

use common::hostile::{Answer, DONE, Hostile, Step, chunk, finish, send};
use confab_core::llm::{self, ChatMessage, Chunk, ProviderClient, Usage};
use confab_core::vocab::Role;
use futures::StreamExt;
use serde_json::{Value, json};

/// A `chat.completion.chunk` event with `delta` as given.
fn delta(delta: Value) -> String {
    let json = json!({
        "id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "thinker-1",
        "choices": [{"index": 0, "delta": delta, "finish_reason": null}],
    });
    format!("data: {json}\n\n")
}

/// The usage event that ends a reply when `stream_options.include_usage` is set.
fn usage(usage: Value) -> String {
    let json = json!({
        "id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "thinker-1",
        "choices": [], "usage": usage,
    });
    format!("data: {json}\n\n")
}

fn sse(events: &[String]) -> Answer {
    Answer::sse(events.iter().map(|event| send(event)).collect())
}

fn client(server: &Hostile) -> ProviderClient {
    let http = llm::http_client().expect("http client");
    ProviderClient::new(http, server.endpoint(), None).expect("client")
}

fn hello() -> Vec<ChatMessage> {
    vec![ChatMessage::text(Role::User, "hello")]
}

/// What one streamed reply held, read the way the engine reads it.
#[derive(Debug, Default)]
struct Read {
    reasoning: String,
    text: String,
    finish: Option<String>,
    usage: Option<Usage>,
    /// Whether the stream ended with an error.
    cut: bool,
}

async fn read(client: &ProviderClient, raw: bool) -> Read {
    let mut stream = client
        .stream_chat(&hello(), &[], raw)
        .await
        .expect("stream");
    let mut read = Read::default();
    while let Some(item) = stream.next().await {
        let Ok(chunk) = item else {
            read.cut = true;
            break;
        };
        let Chunk {
            text,
            reasoning,
            finish_reason,
            usage,
            ..
        } = chunk;
        read.reasoning.push_str(&reasoning);
        read.text.push_str(&text);
        read.finish = finish_reason.or(read.finish);
        read.usage = usage.or(read.usage);
    }
    read
}

#[tokio::test]
async fn reasoning_content_comes_apart_from_the_answer_with_its_usage() {
    let server = Hostile::start(|_, _| {
        sse(&[
            delta(json!({"role": "assistant", "content": null, "reasoning_content": "Let me "})),
            delta(json!({"content": null, "reasoning_content": "think."})),
            delta(json!({"content": "Hi", "reasoning_content": null})),
            delta(json!({"content": " there."})),
            finish("stop"),
            usage(json!({
                "prompt_tokens": 20, "completion_tokens": 9, "total_tokens": 29,
                "prompt_cache_hit_tokens": 16, "prompt_cache_miss_tokens": 4,
                "completion_tokens_details": {"reasoning_tokens": 5},
            })),
            DONE.into(),
        ])
    })
    .await;
    let client = client(&server);
    for raw in [false, true] {
        let read = read(&client, raw).await;
        assert_eq!(read.reasoning, "Let me think.", "raw {raw}");
        assert_eq!(read.text, "Hi there.", "raw {raw}");
        assert_eq!(read.finish.as_deref(), Some("stop"));
        let expected = Usage {
            prompt_tokens: 20,
            completion_tokens: 9,
            reasoning_tokens: Some(5),
            cached_tokens: Some(16),
        };
        assert_eq!(read.usage, Some(expected), "raw {raw}");
    }
}

#[tokio::test]
async fn openrouter_reasoning_is_read_and_never_doubled() {
    let server = Hostile::start(|_, _| {
        sse(&[
            delta(json!({"content": "", "reasoning": "Hmm, "})),
            // Some gateways send both fields with the same text.
            delta(json!({"content": "", "reasoning": "two.", "reasoning_content": "two."})),
            delta(json!({"content": "2"})),
            finish("stop"),
            usage(json!({
                "prompt_tokens": 3, "completion_tokens": 4,
                "completion_tokens_details": {"reasoning_tokens": 3},
                "prompt_tokens_details": {"cached_tokens": 2},
            })),
            DONE.into(),
        ])
    })
    .await;
    let read = read(&client(&server), false).await;
    assert_eq!(
        (read.reasoning.as_str(), read.text.as_str()),
        ("Hmm, two.", "2")
    );
    let usage = read.usage.expect("usage");
    assert_eq!(
        (usage.reasoning_tokens, usage.cached_tokens),
        (Some(3), Some(2))
    );
}

#[tokio::test]
async fn a_think_tag_cut_anywhere_across_events_is_still_thinking() {
    let reply = "\n<think>\n思考 <b>\n</think>\n\n答案: `<think>` stays.";
    let cuts: Vec<usize> = (1..reply.len())
        .filter(|&at| reply.is_char_boundary(at))
        .collect();
    let plan = cuts.clone();
    let server = Hostile::start(move |_, n| {
        // Request n cuts the reply in two at plan[n]; the last one sends it char by char.
        let pieces: Vec<String> = match plan.get(n) {
            Some(&at) => vec![reply[..at].into(), reply[at..].into()],
            None => reply.chars().map(String::from).collect(),
        };
        let mut events: Vec<String> = pieces.iter().map(|piece| chunk(piece)).collect();
        events.extend([finish("stop"), DONE.into()]);
        sse(&events)
    })
    .await;
    let client = client(&server);
    for at in cuts.iter().map(Some).chain([None]) {
        let read = read(&client, false).await;
        assert_eq!(read.reasoning, "\n思考 <b>\n", "cut at {at:?}");
        assert_eq!(read.text, "答案: `<think>` stays.", "cut at {at:?}");
    }
}

#[tokio::test]
async fn an_unclosed_think_tag_is_all_reasoning() {
    let server = Hostile::start(|_, _| {
        sse(&[
            chunk("<think>Counting: 1, 2"),
            chunk(", 3</thi"),
            finish("length"),
            DONE.into(),
        ])
    })
    .await;
    let read = read(&client(&server), false).await;
    assert_eq!(read.reasoning, "Counting: 1, 2, 3</thi");
    assert_eq!(read.text, "");
    assert_eq!(read.finish.as_deref(), Some("length"));
}

#[tokio::test]
async fn held_back_text_comes_out_before_a_broken_stream_ends() {
    let server = Hostile::start(|_, _| {
        Answer::sse(vec![
            send(&chunk("<think>abc")),
            send(&chunk("</th")),
            Step::Drop,
        ])
    })
    .await;
    let read = read(&client(&server), false).await;
    assert!(read.cut, "the stream ends with its error");
    assert_eq!(
        (read.reasoning.as_str(), read.text.as_str()),
        ("abc</th", "")
    );
}

#[tokio::test]
async fn a_whole_completion_leaves_the_thinking_out() {
    let server = Hostile::start(|_, n| {
        let content = [
            "<think>\nA title for hello?\n</think>\n\nGreeting",
            "<think>cut off",
        ][n % 2];
        Answer::json(
            200,
            &json!({
                "id": "c1", "object": "chat.completion", "created": 1, "model": "thinker-1",
                "choices": [{"index": 0, "finish_reason": "stop", "message": {
                    "role": "assistant", "content": content,
                    "reasoning_content": "Other thoughts",
                }}],
            }),
        )
    })
    .await;
    let client = client(&server);
    assert_eq!(
        client.complete(&hello()).await.expect("completion"),
        "Greeting"
    );
    assert_eq!(client.complete(&hello()).await.expect("completion"), "");
}
