//! A streamed reply as Confab reads it: the provider's chunks made into [`Chunk`]s, with a
//! reasoning model's thinking apart from the answer, wherever the provider put it (a
//! `reasoning_content` or `reasoning` field, or `<think>…</think>` at the start of the text).

use futures::StreamExt;
use futures::stream::{self, BoxStream};

use super::Cut;
use super::think::{Split, ThinkSplitter};
use super::tools::ToolCallPiece;
use super::wire::ChunkResponse;

/// One piece of a streamed reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chunk {
    /// Answer text only.
    pub text: String,
    /// The model's thinking, apart from the answer.
    pub reasoning: String,
    /// Pieces of the function calls the model is making.
    pub tool_calls: Vec<ToolCallPiece>,
    pub finish_reason: Option<String>,
    pub model: Option<String>,
    pub usage: Option<Usage>,
    /// The chunk as the provider sent it, when asked for (debug capture).
    pub raw: Option<serde_json::Value>,
}

/// Token counts of a reply, as far as the provider tells them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: u32,
    /// All tokens written, thinking included.
    pub completion_tokens: u32,
    /// Of `completion_tokens`, those spent thinking.
    pub reasoning_tokens: Option<u32>,
    /// Of `prompt_tokens`, those served from the provider's cache.
    pub cached_tokens: Option<u32>,
}

/// Our chunk from the provider's: the first choice's text, thinking and finish reason, the
/// model and the usage figures. `<think>` in the text is left for [`split_thinking`].
pub(super) fn chunk_of(response: ChunkResponse, raw: Option<serde_json::Value>) -> Chunk {
    let mut chunk = Chunk {
        model: response.model.filter(|model| !model.is_empty()),
        usage: response.usage.map(|usage| Usage {
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            reasoning_tokens: usage.reasoning_tokens(),
            cached_tokens: usage.cached_tokens(),
        }),
        raw,
        ..Chunk::default()
    };
    for choice in response
        .choices
        .into_iter()
        .filter(|choice| choice.index == 0)
    {
        if let Some(thinking) = choice.delta.thinking() {
            chunk.reasoning.push_str(thinking);
        }
        if let Some(text) = choice.delta.content {
            chunk.text.push_str(&text);
        }
        chunk
            .tool_calls
            .extend(choice.delta.tool_calls.into_iter().map(ToolCallPiece::from));
        if let Some(reason) = choice.finish_reason.filter(|reason| !reason.is_empty()) {
            chunk.finish_reason = Some(reason);
        }
    }
    chunk
}

/// Moves `<think>…</think>` at the start of the streamed text into the chunks' reasoning.
/// What the splitter holds back comes out when the reply finishes, the stream ends or
/// breaks (in a chunk of its own before the error): nothing is lost.
pub(super) fn split_thinking(
    chunks: BoxStream<'static, Result<Chunk, Cut>>,
) -> BoxStream<'static, Result<Chunk, Cut>> {
    struct State {
        chunks: BoxStream<'static, Result<Chunk, Cut>>,
        splitter: ThinkSplitter,
        /// An error that waits for the held-back text to go out first.
        pending: Option<Cut>,
        ended: bool,
    }
    let start = State {
        chunks,
        splitter: ThinkSplitter::default(),
        pending: None,
        ended: false,
    };
    stream::unfold(start, |mut state| async move {
        if let Some(cut) = state.pending.take() {
            return Some((Err(cut), state));
        }
        if state.ended {
            return None;
        }
        let item = match state.chunks.next().await {
            Some(Ok(mut chunk)) => {
                let split = state.splitter.feed(&chunk.text);
                chunk.text.clear();
                add(&mut chunk, split);
                if chunk.finish_reason.is_some() {
                    add(&mut chunk, state.splitter.finish());
                }
                Ok(chunk)
            }
            Some(Err(cut)) if state.splitter.is_holding() => {
                state.pending = Some(cut);
                Ok(held(&mut state.splitter))
            }
            Some(Err(cut)) => Err(cut),
            None => {
                state.ended = true;
                if !state.splitter.is_holding() {
                    return None;
                }
                Ok(held(&mut state.splitter))
            }
        };
        Some((item, state))
    })
    .boxed()
}

fn add(chunk: &mut Chunk, split: Split) {
    chunk.reasoning.push_str(&split.reasoning);
    chunk.text.push_str(&split.text);
}

/// A chunk of what `splitter` still holds.
fn held(splitter: &mut ThinkSplitter) -> Chunk {
    let mut chunk = Chunk::default();
    add(&mut chunk, splitter.finish());
    chunk
}
