//! A rig for replies that use tools: aimock (the model side, a real OpenAI-compatible
//! server) and the reference MCP `server-everything` (the tool side, over stdio), both on
//! this machine, behind a real `Api` on a real SQLite file.

use std::time::Duration;

use confab_core::agents::AgentInput;
use confab_core::api::Api;
use confab_core::chat::{ChatEvent, ToolStatus};
use confab_core::providers::builtin::{self, BuiltinEnv};
use confab_core::settings::Settings;
use confab_core::store::messages::Message;
use confab_core::vocab::{AgentTools, Part, ToolDecision};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::stream::{Events, channel};
use super::{Aimock, TempDb, mcp, test_config, test_keychain};

pub struct Rig {
    pub server: Aimock,
    pub temp: TempDb,
    pub api: Api,
    pub mcp_id: String,
    pub agent_id: String,
    pub conversation: String,
}

/// The rig with `fixtures` for the model; the agent may use the everything server, and
/// runs the tools in `always` (tool names) without asking.
pub async fn rig(fixtures: Value, settings: Settings, always: &[&str]) -> Rig {
    let server = Aimock::start(fixtures);
    let temp = TempDb::new().await;
    let keychain = test_keychain();
    let env = BuiltinEnv {
        base_url: Some(server.base_url()),
        model: Some("gpt-4o-mini".into()),
        api_key: None,
    };
    builtin::ensure(temp.db.conn(), &keychain, env)
        .await
        .unwrap();
    let api = Api::with_mcp(
        temp.db.clone(),
        keychain.clone(),
        settings,
        test_config(),
        mcp::test_config(),
    )
    .unwrap();
    let mcp_id = mcp::add_everything(&temp.db, &keychain).await;
    let agent = api
        .create_agent(AgentInput {
            agent_id: "tool-user".into(),
            tools: AgentTools {
                servers: vec![mcp_id.clone()],
                disabled: Vec::new(),
                always_allowed: always
                    .iter()
                    .map(|tool| AgentTools::key(&mcp_id, tool))
                    .collect(),
            },
            ..AgentInput::default()
        })
        .await
        .unwrap();
    let conversation = api
        .create_conversation_with_agent(None, &agent.id)
        .await
        .unwrap()
        .id;
    Rig {
        server,
        temp,
        api,
        mcp_id,
        agent_id: agent.id,
        conversation,
    }
}

/// A model turn that calls tools: `(id, name, arguments)` each.
pub fn calls(user: &str, list: &[(&str, &str, &str)]) -> Value {
    let calls: Vec<Value> = list
        .iter()
        .map(|(id, name, arguments)| json!({"id": id, "name": name, "arguments": arguments}))
        .collect();
    json!({"match": {"userMessage": user, "hasToolResult": false}, "response": {"toolCalls": calls}})
}

/// The model's answer after the result of `call_id`.
pub fn answer_after(call_id: &str, content: &str) -> Value {
    json!({"match": {"toolCallId": call_id}, "response": {"content": content}})
}

impl Rig {
    /// Sends `text`; the stream id and its events.
    pub async fn send(&self, text: &str) -> (String, Events) {
        let (sink, rx) = channel();
        let stream_id = self
            .api
            .send_message(&self.conversation, text, Vec::new(), sink)
            .await
            .unwrap();
        (stream_id, rx)
    }

    /// The requests the model side received, oldest first.
    pub async fn requests(&self) -> Vec<Value> {
        let journal = self.server.journal().await;
        journal
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["body"].clone())
            .collect()
    }

    pub async fn stored(&self) -> Vec<Message> {
        super::stream::stored(&self.temp.db, &self.conversation).await
    }

    pub fn api(&self) -> &Api {
        &self.api
    }
}

/// Events until the reply asks for approval of a call; that call's id (the events so far
/// are kept in `seen`).
pub async fn until_approval(rx: &mut Events, seen: &mut Vec<ChatEvent>) -> String {
    loop {
        let event = next(rx).await;
        seen.push(event.clone());
        if let ChatEvent::ToolCall {
            call_id,
            status: ToolStatus::AwaitingApproval,
            ..
        } = event
        {
            return call_id;
        }
        assert!(
            !matches!(event, ChatEvent::Done { .. } | ChatEvent::Error { .. }),
            "the reply ended without asking: {seen:?}"
        );
    }
}

/// Events until one matches `wanted` (kept in `seen`).
pub async fn until(rx: &mut Events, seen: &mut Vec<ChatEvent>, wanted: fn(&ChatEvent) -> bool) {
    loop {
        let event = next(rx).await;
        seen.push(event.clone());
        if wanted(&event) {
            return;
        }
        assert!(
            !matches!(event, ChatEvent::Done { .. } | ChatEvent::Error { .. }),
            "the reply ended first: {seen:?}"
        );
    }
}

pub async fn next(rx: &mut mpsc::UnboundedReceiver<ChatEvent>) -> ChatEvent {
    tokio::time::timeout(Duration::from_secs(60), rx.recv())
        .await
        .expect("an event within 60 s")
        .expect("the stream is open")
}

/// The stored reply of a `Done` event.
pub fn done(events: &[ChatEvent]) -> &Message {
    events
        .iter()
        .find_map(|event| match event {
            ChatEvent::Done { message } => Some(message),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no Done: {events:?}"))
}

/// A reply's parts, each as a short word for comparing shapes.
pub fn shape(parts: &[Part]) -> Vec<String> {
    parts
        .iter()
        .map(|part| match part {
            Part::Text { text } => format!("text:{text}"),
            Part::Reasoning { .. } => "reasoning".into(),
            Part::ToolCall { name, .. } => format!("call:{name}"),
            Part::ToolResult {
                content, is_error, ..
            } => format!("result{}:{content}", if *is_error { "!" } else { "" }),
            _ => "other".into(),
        })
        .collect()
}

impl Rig {
    /// Sends `text`, answers the first call it asks about with `decision`, and returns the
    /// events after the answer, to the reply's end.
    pub async fn answer_first(&self, text: &str, decision: ToolDecision) -> Vec<ChatEvent> {
        let (stream_id, mut rx) = self.send(text).await;
        let call_id = until_approval(&mut rx, &mut Vec::new()).await;
        self.api
            .answer_tool_call(&stream_id, &call_id, decision)
            .unwrap();
        super::events_until_end(&mut rx).await
    }
}

/// Whether any `ToolCall` event of `events` has `status`.
pub fn any_status(events: &[ChatEvent], status: ToolStatus) -> bool {
    events
        .iter()
        .any(|event| matches!(event, ChatEvent::ToolCall { status: s, .. } if *s == status))
}
