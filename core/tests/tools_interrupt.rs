//! The tool loop interrupted: a cancel while a tool runs or waits for approval, a crash in
//! the middle of a step (recovered from the checkpoint), and the switches that keep tools
//! out of a request. aimock for the model, the reference MCP `server-everything` for the
//! tools, a real `Api` on a real SQLite file.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Instant;

use common::events_until_end;
use common::test_settings;
use common::tools::{calls, done, rig, shape, until, until_approval};
use confab_core::chat::ChatEvent;
use confab_core::store::Db;
use confab_core::store::checkpoints::{self, Checkpoint, INTERRUPTED_CALL};
use confab_core::store::entities::message::MessageState;
use confab_core::store::messages::StopReason;
use confab_core::vocab::Part;
use sea_orm::ConnectionTrait;
use serde_json::json;

const CANCELLED: &str = "result!:The user stopped this tool call before it finished.";

#[tokio::test(flavor = "multi_thread")]
async fn stop_while_a_tool_runs_ends_it_and_keeps_a_consistent_reply() {
    let rig = rig(
        json!({"fixtures": [calls("Work slowly", &[(
            "slow", "trigger-long-running-operation", r#"{"duration": 20, "steps": 20}"#
        )])]}),
        test_settings(),
        &["trigger-long-running-operation"],
    )
    .await;
    let (stream_id, mut rx) = rig.send("Work slowly").await;
    let mut seen = Vec::new();
    until(&mut rx, &mut seen, |event| {
        matches!(event, ChatEvent::ToolProgress { progress, total: Some(total), .. }
            if *progress >= 1.0 && *total == 20.0)
    })
    .await;
    let stopped = Instant::now();
    rig.api().cancel_stream(&stream_id).unwrap();
    let events = events_until_end(&mut rx).await;
    assert!(stopped.elapsed().as_secs() < 5, "the tool stopped at once");
    let reply = done(&events);
    assert_eq!(reply.state, MessageState::Cancelled);
    assert_eq!(
        shape(&reply.parts),
        ["call:trigger-long-running-operation", CANCELLED]
    );
    assert_eq!(
        rig.requests().await.len(),
        1,
        "nothing more was asked of the model"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_while_waiting_for_approval_answers_the_call() {
    let rig = rig(
        json!({"fixtures": [calls("Ask me", &[("c", "echo", r#"{"message":"x"}"#)])]}),
        test_settings(),
        &[],
    )
    .await;
    let (stream_id, mut rx) = rig.send("Ask me").await;
    let mut seen = Vec::new();
    until_approval(&mut rx, &mut seen).await;
    rig.api().cancel_stream(&stream_id).unwrap();
    let events = events_until_end(&mut rx).await;
    let reply = done(&events);
    assert_eq!(reply.state, MessageState::Cancelled);
    assert_eq!(shape(&reply.parts), ["call:echo", CANCELLED]);
    assert_eq!(reply.meta.reason, Some(StopReason::Cancelled));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_in_the_middle_of_a_step_is_recovered_and_the_conversation_goes_on() {
    let rig = rig(
        json!({"fixtures": [
            {"match": {"userMessage": "Go on"}, "response": {"content": "Carrying on."}},
        ]}),
        test_settings(),
        &[],
    )
    .await;
    // What a reply leaves behind when the app dies while its second call runs: the text
    // before the step, both calls, the first result.
    let (_, mut rx) = rig.send("Go on").await;
    let first = done(&events_until_end(&mut rx).await).clone();
    let steps = vec![
        Part::text("Let me look."),
        Part::ToolCall {
            call_id: "a".into(),
            name: "echo".into(),
            arguments: "{}".into(),
            server: Some("everything".into()),
        },
        Part::ToolCall {
            call_id: "b".into(),
            name: "get-sum".into(),
            arguments: "{}".into(),
            server: Some("everything".into()),
        },
        Part::ToolResult {
            call_id: "a".into(),
            content: "Echo: ".into(),
            is_error: false,
            duration_ms: Some(3),
        },
    ];
    checkpoints::save(
        rig.temp.db.conn(),
        Checkpoint {
            stream_id: "crashed",
            conversation_id: &rig.conversation,
            model: "gpt-4o-mini",
            content: "",
            reasoning: "",
            steps: &steps,
            started_at: 1,
            parent: Some(first.id.as_str()),
            continues: None,
        },
    )
    .await
    .unwrap();
    let recovery = checkpoints::recover(rig.temp.db.conn()).await.unwrap();
    let recovered = &recovery.recovered[0];
    assert_eq!(recovered.state, MessageState::Partial);
    assert_eq!(
        shape(&recovered.parts),
        [
            "text:Let me look.",
            "call:echo",
            "call:get-sum",
            "result:Echo: ",
            &format!("result!:{INTERRUPTED_CALL}"),
        ]
    );

    // The next message goes out with the recovered steps, every call answered.
    let (_, mut rx) = rig.send("Go on").await;
    assert_eq!(
        done(&events_until_end(&mut rx).await).content,
        "Carrying on."
    );
    let requests = rig.requests().await;
    let messages = requests.last().unwrap()["messages"].as_array().unwrap();
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["user", "assistant", "assistant", "tool", "tool", "user"]
    );
    assert_eq!(messages[2]["content"], "Let me look.");
    assert_eq!(messages[4]["content"], INTERRUPTED_CALL);
}

#[tokio::test(flavor = "multi_thread")]
async fn tools_are_offered_only_when_the_agent_has_them_and_the_conversation_allows() {
    let rig = rig(
        json!({"fixtures": [
            {"match": {"userMessage": "hi"}, "response": {"content": "hello"}},
        ]}),
        test_settings(),
        &[],
    )
    .await;
    let (_, mut rx) = rig.send("hi").await;
    events_until_end(&mut rx).await;
    let conversation = rig
        .api()
        .set_conversation_tools(&rig.conversation, false)
        .await
        .unwrap();
    assert!(!conversation.tools_enabled);
    let (_, mut rx) = rig.send("hi").await;
    events_until_end(&mut rx).await;
    let requests = rig.requests().await;
    assert!(requests[0]["tools"].is_array(), "offered while on");
    assert!(requests[1].get("tools").is_none(), "left out when off");

    // A conversation without an agent has no tools.
    let plain = rig.api().create_conversation(None).await.unwrap();
    let (sink, mut rx) = common::stream::channel();
    rig.api()
        .send_message(&plain.id, "hi", Vec::new(), sink)
        .await
        .unwrap();
    events_until_end(&mut rx).await;
    let requests = rig.requests().await;
    assert!(requests[2].get("tools").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn what_is_on_disk_while_a_tool_runs_recovers_the_call_after_a_crash() {
    let rig = rig(
        json!({"fixtures": [calls("Work slowly", &[(
            "slow", "trigger-long-running-operation", r#"{"duration": 20, "steps": 20}"#
        )])]}),
        test_settings(),
        &["trigger-long-running-operation"],
    )
    .await;
    let (stream_id, mut rx) = rig.send("Work slowly").await;
    until(&mut rx, &mut Vec::new(), |event| {
        matches!(event, ChatEvent::ToolProgress { .. })
    })
    .await;
    // The database file as a crash now would leave it.
    let copy = rig.temp.dir.path().join("at-the-crash.db");
    rig.temp
        .db
        .conn()
        .execute_unprepared(&format!("VACUUM INTO '{}'", copy.display()))
        .await
        .unwrap();
    rig.api().cancel_stream(&stream_id).unwrap();
    events_until_end(&mut rx).await;

    let crashed = Db::open(&copy).await.unwrap();
    let recovery = checkpoints::recover(crashed.conn()).await.unwrap();
    let recovered = &recovery.recovered[0];
    assert_eq!(recovered.state, MessageState::Partial);
    assert_eq!(recovered.meta.reason, Some(StopReason::AppExit));
    assert_eq!(
        shape(&recovered.parts),
        [
            "call:trigger-long-running-operation".to_string(),
            format!("result!:{INTERRUPTED_CALL}")
        ]
    );
}
