//! Function calling on the wire: the functions a request offers, the pieces of the calls a
//! streamed reply makes, and those pieces put together.
//!
//! A streamed call arrives in pieces: the first names it (an `id`, a function `name`), the
//! rest add to its `arguments` text, each piece saying by `index` which call it belongs to.
//! Servers differ: some send a whole call in one piece, some repeat the id, some leave the
//! index out (every call at 0, told apart by a new id). Everything about them is bounded,
//! since a model may stream calls without end.

use serde::Serialize;
use serde::ser::SerializeStruct;

/// A function a request offers the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    /// The name the model calls it by (`^[a-zA-Z0-9_-]{1,64}$`, as OpenAI requires).
    pub name: String,
    pub description: String,
    /// A JSON Schema object for the arguments.
    pub parameters: serde_json::Map<String, serde_json::Value>,
}

/// A call the model made, put together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    /// The arguments as the model wrote them: JSON text, possibly malformed.
    pub arguments: String,
    /// The arguments went past [`MAX_ARGUMENT_BYTES`] and were cut.
    pub cut: bool,
}

/// One piece of a streamed call, as read from a chunk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolCallPiece {
    pub index: u32,
    pub id: Option<String>,
    pub name: Option<String>,
    pub arguments: String,
}

/// Most calls kept from one turn of the model; more are dropped.
pub const MAX_CALLS_PER_TURN: usize = 32;
/// Longest arguments text kept of one call.
pub const MAX_ARGUMENT_BYTES: usize = 1 << 20;
/// Longest name or id kept.
const MAX_NAME_BYTES: usize = 256;

/// Puts the pieces of one turn's calls together.
#[derive(Debug, Default)]
pub struct CallAssembler {
    /// The calls so far, with the index each was sent under.
    calls: Vec<(u32, ToolCall)>,
    /// Calls dropped past [`MAX_CALLS_PER_TURN`].
    pub dropped: usize,
}

impl CallAssembler {
    pub fn push(&mut self, piece: ToolCallPiece) {
        let id = piece.id.filter(|id| !id.is_empty());
        // The last call under this index, unless the piece names a different call.
        let found = self.calls.iter().rposition(|(index, call)| {
            *index == piece.index
                && id
                    .as_deref()
                    .is_none_or(|id| call.id.is_empty() || call.id == id)
        });
        let slot = match found {
            Some(slot) => slot,
            None if self.calls.len() >= MAX_CALLS_PER_TURN => {
                self.dropped += 1;
                return;
            }
            None => {
                self.calls.push((piece.index, empty_call()));
                self.calls.len() - 1
            }
        };
        let call = &mut self.calls[slot].1;
        if let Some(id) = id
            && call.id.is_empty()
        {
            call.id = bounded(&id, MAX_NAME_BYTES).to_string();
        }
        if let Some(name) = piece.name {
            // A name sent whole again (some servers repeat it) is not doubled.
            if call.name != name {
                let room = MAX_NAME_BYTES.saturating_sub(call.name.len());
                call.name.push_str(bounded(&name, room));
            }
        }
        let room = MAX_ARGUMENT_BYTES.saturating_sub(call.arguments.len());
        let kept = bounded(&piece.arguments, room);
        call.cut |= kept.len() < piece.arguments.len();
        call.arguments.push_str(kept);
    }

    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The calls, each with an id (one the model left out is made up, unique in the turn).
    pub fn finish(self) -> Vec<ToolCall> {
        let mut calls: Vec<ToolCall> = Vec::with_capacity(self.calls.len());
        for (n, (_, mut call)) in self.calls.into_iter().enumerate() {
            if call.id.is_empty() || calls.iter().any(|earlier| earlier.id == call.id) {
                call.id = format!("call_{n}");
            }
            calls.push(call);
        }
        calls
    }
}

fn empty_call() -> ToolCall {
    ToolCall {
        id: String::new(),
        name: String::new(),
        arguments: String::new(),
        cut: false,
    }
}

/// The longest start of `text` within `max` bytes, on a character boundary.
fn bounded(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The `tools` of a request.
pub(super) struct Tools<'a>(pub &'a [ToolSpec]);

impl Serialize for Tools<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|spec| Offered { spec }))
    }
}

struct Offered<'a> {
    spec: &'a ToolSpec,
}

impl Serialize for Offered<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Tool", 2)?;
        out.serialize_field("type", "function")?;
        out.serialize_field(
            "function",
            &serde_json::json!({
                "name": self.spec.name,
                "description": self.spec.description,
                "parameters": self.spec.parameters,
            }),
        )?;
        out.end()
    }
}

/// A call as the history sends it back, in an assistant message's `tool_calls`.
pub(super) struct CallWire<'a>(pub &'a ToolCall);

impl Serialize for CallWire<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ToolCall", 3)?;
        out.serialize_field("id", &self.0.id)?;
        out.serialize_field("type", "function")?;
        out.serialize_field(
            "function",
            &serde_json::json!({"name": self.0.name, "arguments": self.0.arguments}),
        )?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(index: u32, id: Option<&str>, name: Option<&str>, arguments: &str) -> ToolCallPiece {
        ToolCallPiece {
            index,
            id: id.map(str::to_string),
            name: name.map(str::to_string),
            arguments: arguments.to_string(),
        }
    }

    #[test]
    fn pieces_by_index_make_parallel_calls() {
        let mut calls = CallAssembler::default();
        calls.push(piece(0, Some("a"), Some("weather"), ""));
        calls.push(piece(1, Some("b"), Some("time"), "{\"tz\":"));
        calls.push(piece(0, None, None, "{\"city\":"));
        calls.push(piece(0, None, None, "\"Paris\"}"));
        calls.push(piece(1, None, None, "\"UTC\"}"));
        let calls = calls.finish();
        assert_eq!(calls.len(), 2);
        assert_eq!(
            (calls[0].id.as_str(), calls[0].name.as_str()),
            ("a", "weather")
        );
        assert_eq!(calls[0].arguments, "{\"city\":\"Paris\"}");
        assert_eq!(calls[1].arguments, "{\"tz\":\"UTC\"}");
    }

    #[test]
    fn calls_without_an_index_are_told_apart_by_their_ids_and_missing_ids_are_made_up() {
        let mut calls = CallAssembler::default();
        calls.push(piece(0, Some("x"), Some("a"), "{}"));
        calls.push(piece(0, Some("y"), Some("b"), "{}"));
        calls.push(piece(0, Some("y"), Some("b"), ""));
        calls.push(piece(3, None, Some("c"), "{}"));
        calls.push(piece(4, Some("x"), Some("d"), "{}"));
        let calls = calls.finish();
        let ids: Vec<_> = calls.iter().map(|call| call.id.as_str()).collect();
        assert_eq!(ids, ["x", "y", "call_2", "call_3"]);
        assert_eq!(calls[1].name, "b", "a repeated name is not doubled");
    }

    #[test]
    fn endless_calls_and_arguments_are_bounded() {
        let mut calls = CallAssembler::default();
        for n in 0..(MAX_CALLS_PER_TURN as u32 + 5) {
            calls.push(piece(n, None, Some("f"), "{}"));
        }
        assert_eq!(calls.dropped, 5);
        let mut long = CallAssembler::default();
        let chunk = "é".repeat(40_000);
        for _ in 0..20 {
            long.push(piece(0, None, Some("f"), &chunk));
        }
        let call = &long.finish()[0];
        assert!(call.cut);
        assert!(call.arguments.len() <= MAX_ARGUMENT_BYTES);
        assert!(call.arguments.len() > MAX_ARGUMENT_BYTES - 2);
    }

    #[test]
    fn tool_call_pieces_are_read_leniently() {
        let chunk: super::super::wire::ChunkResponse = serde_json::from_str(
            r#"{"choices":[{"delta":{"tool_calls":[
                {"index":0,"id":"a","type":"function","function":{"name":"f","arguments":"{\"x\""}},
                {"index":1,"function":{"arguments":{"y":1}}},
                {"index":"odd","function":7},
                "garbage"
            ]}}]}"#,
        )
        .expect("read");
        let pieces: Vec<ToolCallPiece> = chunk
            .choices
            .into_iter()
            .flat_map(|choice| choice.delta.tool_calls)
            .map(ToolCallPiece::from)
            .collect();
        assert_eq!(pieces.len(), 3, "the string item is left out");
        assert_eq!(pieces[0].id.as_deref(), Some("a"));
        assert_eq!(pieces[0].arguments, "{\"x\"");
        assert_eq!(
            pieces[1].arguments, r#"{"y":1}"#,
            "an object is written as JSON"
        );
        assert_eq!((pieces[2].index, pieces[2].name.as_deref()), (0, None));
        let not_a_list: super::super::wire::ChunkResponse =
            serde_json::from_str(r#"{"choices":[{"delta":{"content":"x","tool_calls":{"a":1}}}]}"#)
                .expect("read");
        assert!(not_a_list.choices[0].delta.tool_calls.is_empty());
    }

    #[test]
    fn offered_tools_go_as_functions() {
        let tools = [crate::llm::ToolSpec {
            name: "echo".into(),
            description: "Echoes".into(),
            parameters: serde_json::from_str(r#"{"type":"object","properties":{}}"#).expect("json"),
        }];
        let value = serde_json::to_value(Tools(&tools)).expect("serializes");
        assert_eq!(
            value,
            serde_json::json!([{"type": "function", "function": {"name": "echo", "description": "Echoes",
                "parameters": {"type": "object", "properties": {}}}}])
        );
    }
}
