//! "Always allow" in the tool loop: remembered for the agent, and in force for the rest of
//! the reply it was given in. aimock for the model, the reference MCP `server-everything`
//! for the tools, a real `Api` on a real SQLite file.

#![allow(clippy::unwrap_used)]

mod common;

use common::events_until_end;
use common::test_settings;
use common::tools::{answer_after, any_status, calls, done, rig, shape};
use confab_core::chat::ToolStatus;
use confab_core::vocab::{AgentTools, ToolDecision};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn always_allow_is_remembered_for_the_agent() {
    let rig = rig(
        json!({"fixtures": [
            calls("First", &[("call_a", "echo", r#"{"message":"one"}"#)]),
            answer_after("call_a", "Done once."),
            calls("Second", &[("call_b", "echo", r#"{"message":"two"}"#)]),
            answer_after("call_b", "Done twice."),
        ]}),
        test_settings(),
        &[],
    )
    .await;
    let events = rig.answer_first("First", ToolDecision::AlwaysAllow).await;
    assert_eq!(done(&events).content, "Done once.");
    let agent = rig.api().get_agent(&rig.agent_id).await.unwrap();
    assert_eq!(
        agent.tools.always_allowed,
        [AgentTools::key(&rig.mcp_id, "echo")]
    );

    let (_, mut rx) = rig.send("Second").await;
    let events = events_until_end(&mut rx).await;
    assert!(
        !any_status(&events, ToolStatus::AwaitingApproval),
        "not asked again"
    );
    assert_eq!(
        shape(&done(&events).parts),
        ["call:echo", "result:Echo: two", "text:Done twice."]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn always_allow_holds_for_the_rest_of_the_same_reply() {
    let rig = rig(
        json!({"fixtures": [
            calls("Twice", &[("one", "echo", r#"{"message":"1"}"#)]),
            {"match": {"toolCallId": "one"}, "response": {"toolCalls": [
                {"id": "two", "name": "echo", "arguments": "{\"message\":\"2\"}"}]}},
            answer_after("two", "Both echoed."),
        ]}),
        test_settings(),
        &[],
    )
    .await;
    let events = rig.answer_first("Twice", ToolDecision::AlwaysAllow).await;
    assert!(
        !any_status(&events, ToolStatus::AwaitingApproval),
        "the second step ran without asking again: {events:?}"
    );
    assert_eq!(
        shape(&done(&events).parts),
        [
            "call:echo",
            "result:Echo: 1",
            "call:echo",
            "result:Echo: 2",
            "text:Both echoed."
        ]
    );
}
