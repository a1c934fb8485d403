//! The tool-calling loop end to end: the model side is aimock (a real OpenAI-compatible
//! server), the tools are the reference MCP `server-everything` over stdio; a real `Api` on
//! a real SQLite file. Approval (allow, deny, always), the request the model gets back,
//! the stored steps, and the history of a later message.

#![allow(clippy::unwrap_used)]

mod common;

use common::events_until_end;
use common::test_settings;
use common::tools::{answer_after, any_status, calls, done, rig, shape, until_approval};
use confab_core::chat::{ChatEvent, ToolStatus};
use confab_core::store::blobs;
use confab_core::store::entities::message::MessageState;
use confab_core::vocab::{Part, ToolDecision};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn an_allowed_call_runs_and_the_model_answers_from_its_result() {
    let rig = rig(
        json!({"fixtures": [
            calls("Echo hello", &[("call_echo", "echo", r#"{"message":"hello"}"#)]),
            answer_after("call_echo", "The server said hello."),
            {"match": {"userMessage": "And again?"}, "response": {"content": "Same as before."}},
        ]}),
        test_settings(),
        &[],
    )
    .await;
    let (stream_id, mut rx) = rig.send("Echo hello").await;
    let mut seen = Vec::new();
    let call_id = until_approval(&mut rx, &mut seen).await;
    assert_eq!(call_id, "call_echo");
    let asked = seen.last().unwrap();
    assert!(
        matches!(asked, ChatEvent::ToolCall { name, server, arguments, .. }
            if name == "echo" && server.as_deref() == Some("everything") && arguments.contains("hello")),
        "{asked:?}"
    );
    rig.api()
        .answer_tool_call(&stream_id, &call_id, ToolDecision::Allow)
        .unwrap();
    let events = events_until_end(&mut rx).await;
    assert!(events.iter().any(|event| matches!(
        event,
        ChatEvent::ToolCall {
            status: ToolStatus::Running,
            ..
        }
    )));
    assert!(events.iter().any(|event| matches!(event,
        ChatEvent::ToolResult { content, is_error: false, .. } if content == "Echo: hello")));
    let reply = done(&events);
    assert_eq!(reply.state, MessageState::Complete);
    assert_eq!(
        shape(&reply.parts),
        [
            "call:echo",
            "result:Echo: hello",
            "text:The server said hello."
        ]
    );
    assert_eq!(reply.content, "The server said hello.");
    // Both requests are counted: the second one's prompt on top of the first's.
    let usage: Vec<(u32, u32)> = seen
        .iter()
        .chain(&events)
        .filter_map(|event| match event {
            ChatEvent::Usage {
                prompt_tokens,
                completion_tokens,
            } => Some((*prompt_tokens, *completion_tokens)),
            _ => None,
        })
        .collect();
    assert_eq!(usage.len(), 2, "{usage:?}");
    assert!(
        usage[1].0 > usage[0].0 && usage[1].1 > usage[0].1,
        "{usage:?}"
    );
    assert_eq!(reply.meta.prompt_tokens, Some(usage[1].0));

    // The first request offered the server's tools; the second carried the call and its
    // result as the API spells them.
    let requests = rig.requests().await;
    let offered: Vec<&str> = requests[0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["function"]["name"].as_str().unwrap())
        .collect();
    assert!(
        offered.contains(&"echo") && offered.contains(&"get-sum"),
        "{offered:?}"
    );
    let second = requests[1]["messages"].as_array().unwrap();
    let n = second.len();
    assert_eq!(second[n - 2]["role"], "assistant");
    assert_eq!(second[n - 2]["tool_calls"][0]["id"], "call_echo");
    assert_eq!(second[n - 2]["tool_calls"][0]["function"]["name"], "echo");
    assert_eq!(
        second[n - 1],
        json!({"role": "tool", "tool_call_id": "call_echo", "content": "Echo: hello"})
    );

    // Stored: a restart reads the steps back, and the next message's history has them.
    let stored = rig.stored().await;
    assert_eq!(shape(&stored[1].parts), shape(&reply.parts));
    let (_, mut rx) = rig.send("And again?").await;
    let events = events_until_end(&mut rx).await;
    assert_eq!(done(&events).content, "Same as before.");
    let requests = rig.requests().await;
    let history = requests.last().unwrap()["messages"]
        .as_array()
        .unwrap()
        .clone();
    let roles: Vec<&str> = history
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "assistant", "tool", "assistant", "user"]);
    assert_eq!(history[3]["content"], "The server said hello.");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_denied_call_is_not_run_and_the_model_is_told() {
    let rig = rig(
        json!({"fixtures": [
            calls("Sum please", &[("call_sum", "get-sum", r#"{"a":2,"b":3}"#)]),
            {"match": {"toolCallId": "call_sum", "toolResultContains": "declined"},
             "response": {"content": "Understood, I did not add them."}},
        ]}),
        test_settings(),
        &[],
    )
    .await;
    let (stream_id, mut rx) = rig.send("Sum please").await;
    let call_id = until_approval(&mut rx, &mut Vec::new()).await;
    rig.api()
        .answer_tool_call(&stream_id, &call_id, ToolDecision::Deny)
        .unwrap();
    let events = events_until_end(&mut rx).await;
    assert!(!any_status(&events, ToolStatus::Running), "never run");
    let reply = done(&events);
    assert_eq!(
        shape(&reply.parts),
        [
            "call:get-sum",
            "result!:The user declined to run this tool call.",
            "text:Understood, I did not add them."
        ]
    );
    // An answer to a call nobody waits for any more is refused.
    let late = rig
        .api()
        .answer_tool_call(&stream_id, &call_id, ToolDecision::Allow);
    assert!(late.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn parallel_calls_unknown_tools_and_malformed_arguments_each_get_an_answer() {
    let rig = rig(
        json!({"fixtures": [
            calls("Do three things", &[
                ("c1", "echo", r#"{"message":"x"}"#),
                ("c2", "launch_rockets", "{}"),
                ("c3", "get-sum", r#"{"a": 1, "b":"#),
                ("c4", "get-sum", r#"[1, 2]"#),
            ]),
            answer_after("c4", "Some worked."),
        ]}),
        test_settings(),
        &["echo", "get-sum"],
    )
    .await;
    let (_, mut rx) = rig.send("Do three things").await;
    let events = events_until_end(&mut rx).await;
    let reply = done(&events);
    let shape = shape(&reply.parts);
    assert_eq!(
        &shape[..4],
        [
            "call:echo",
            "call:launch_rockets",
            "call:get-sum",
            "call:get-sum"
        ]
    );
    assert_eq!(shape[4], "result:Echo: x");
    assert!(
        shape[5].starts_with("result!:There is no tool named \"launch_rockets\""),
        "{}",
        shape[5]
    );
    assert!(shape[5].contains("echo"), "the model is told what there is");
    assert!(
        shape[6].starts_with("result!:The arguments are not valid JSON"),
        "{}",
        shape[6]
    );
    assert_eq!(shape[7], "result!:The arguments must be a JSON object.");
    assert_eq!(shape[8], "text:Some worked.");
    let refused = events
        .iter()
        .filter(|event| {
            matches!(
                event,
                ChatEvent::ToolCall {
                    status: ToolStatus::Refused,
                    ..
                }
            )
        })
        .count();
    assert_eq!(refused, 3);
    // The next request answered every call, in order.
    let requests = rig.requests().await;
    let messages = requests[1]["messages"].as_array().unwrap();
    let ids: Vec<&str> = messages
        .iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| m["tool_call_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_loop_stops_at_the_step_limit() {
    let mut settings = test_settings();
    settings.max_tool_steps = 2;
    // A model that calls a tool on every turn.
    let rig = rig(
        json!({"fixtures": [
            {"match": {"userMessage": "Loop"}, "response": {"toolCalls": [
                {"id": "again", "name": "echo", "arguments": "{\"message\":\"m\"}"}]}},
        ]}),
        settings,
        &["echo"],
    )
    .await;
    let (_, mut rx) = rig.send("Loop").await;
    let events = events_until_end(&mut rx).await;
    let reply = done(&events);
    let shape = shape(&reply.parts);
    assert_eq!(
        shape.iter().filter(|s| s.starts_with("call:")).count(),
        3,
        "{shape:?}"
    );
    assert_eq!(shape[1], "result:Echo: m");
    assert!(
        shape[5].starts_with("result!:Not run: this reply reached its limit of 2"),
        "{shape:?}"
    );
    assert_eq!(
        rig.requests().await.len(),
        4,
        "two steps, one refused, then the end"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_image_a_tool_returns_is_stored_and_shown_to_a_model_that_sees() {
    let rig = rig(
        json!({"fixtures": [
            calls("Show me", &[("img", "get-tiny-image", "{}")]),
            // The images follow the tool results as the person's message.
            {"match": {"userMessage": "The images the tools returned:"},
             "response": {"content": "A tiny image."}},
        ]}),
        test_settings(),
        &["get-tiny-image"],
    )
    .await;
    let (_, mut rx) = rig.send("Show me").await;
    let events = events_until_end(&mut rx).await;
    let reply = done(&events);
    let image = reply
        .parts
        .iter()
        .find(|part| matches!(part, Part::Image { .. }))
        .unwrap_or_else(|| panic!("{:?}", shape(&reply.parts)));
    let Part::Image { sha256, mime, .. } = image else {
        unreachable!()
    };
    // Stored as attachments are: encoded again, without metadata.
    assert!(mime.starts_with("image/"), "{mime}");
    assert!(
        blobs::get(rig.temp.db.conn(), sha256).await.is_ok(),
        "stored"
    );
    let result = shape(&reply.parts)[1].clone();
    assert!(
        result.contains("[The tool returned an image (image/png"),
        "{result}"
    );

    let requests = rig.requests().await;
    let last = requests[1]["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["role"], "user");
    assert_eq!(last["content"][1]["type"], "image_url");
    assert!(
        last["content"][1]["image_url"]["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("data:{mime};base64,"))
    );
}
