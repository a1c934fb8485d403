//! A process killed with SIGKILL in the middle of a reply: the next start recovers the text
//! from the checkpoint as a partial message. The reply streams in a child process (this
//! test binary, re-run as `crash_child`), which the test kills for real.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::{Aimock, TempDb, engine, streamed_text, test_keychain};
use confab_core::chat::{ChatEvent, ChatSink};
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::StopReason;
use confab_core::store::{Db, checkpoints, conversations};
use serde_json::json;
use tokio::sync::mpsc;

fn full_reply() -> String {
    (1..=120).map(|i| format!("w{i} ")).collect()
}

#[test]
#[ignore = "the child half of a_killed_process_recovers_the_reply_from_its_checkpoint"]
fn crash_child() {
    let (Ok(db_path), Ok(base_url)) = (
        std::env::var("CONFAB_CRASH_DB"),
        std::env::var("CONFAB_CRASH_URL"),
    ) else {
        panic!("run by a_killed_process_recovers_the_reply_from_its_checkpoint");
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let db = Db::open(db_path.as_ref()).await.expect("db");
        let endpoint = confab_core::llm::Endpoint {
            base_url,
            model: "gpt-4o-mini".into(),
        };
        let engine = engine(&db, test_keychain(), endpoint).await;
        let conversation = conversations::create(db.conn(), None)
            .await
            .expect("conversation");
        let (tx, mut rx) = mpsc::unbounded_channel::<ChatEvent>();
        let sink: Arc<dyn ChatSink> = Arc::new(tx);
        engine
            .send_message(&conversation.id, "long", Vec::new(), sink)
            .await
            .expect("sent");
        let mut events = Vec::new();
        while streamed_text(&events).len() < 40 {
            events.push(rx.recv().await.expect("event"));
        }
        // Long enough for at least one checkpoint (every second) with text in it.
        tokio::time::sleep(Duration::from_millis(1600)).await;
        while let Ok(event) = rx.try_recv() {
            events.push(event);
        }
        println!(
            "STREAMING {} {}",
            conversation.id,
            streamed_text(&events).len()
        );
        std::future::pending::<()>().await;
    });
}

#[tokio::test]
async fn a_killed_process_recovers_the_reply_from_its_checkpoint() {
    let server = Aimock::start(json!({"fixtures": [{
        "match": {"userMessage": "long"}, "response": {"content": full_reply()},
        "streamingProfile": {"ttft": 20, "tps": 30}
    }]}));
    let temp = TempDb::new().await;
    let path = temp.path();

    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "crash_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("CONFAB_CRASH_DB", &path)
        .env("CONFAB_CRASH_URL", server.base_url())
        .stdout(Stdio::piped())
        .spawn()
        .expect("child started");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let line = stdout
        .lines()
        .map_while(Result::ok)
        // libtest prints "test crash_child ... " without a newline before the test's output.
        .find_map(|line| {
            line.split_once("STREAMING ")
                .map(|(_, rest)| rest.to_string())
        })
        .expect("the child reports that the reply is streaming");
    child.kill().expect("SIGKILL"); // kill -9: no destructor, no graceful shutdown runs
    child.wait().expect("reaped");

    let mut fields = line.split_whitespace();
    let conversation_id = fields.next().expect("conversation id").to_string();
    let shown: usize = fields
        .next()
        .and_then(|n| n.parse().ok())
        .expect("shown length");

    let recovered = checkpoints::recover(temp.db.conn())
        .await
        .expect("recovered")
        .recovered;
    assert_eq!(recovered.len(), 1);
    let reply = &recovered[0];
    assert_eq!(
        (reply.role, reply.state),
        (Role::Assistant, MessageState::Partial)
    );
    assert_eq!(reply.meta.reason, Some(StopReason::AppExit));
    assert!(
        !reply.content.is_empty() && full_reply().starts_with(&reply.content),
        "{:?}",
        reply.content
    );
    assert!(
        reply.content.len() >= 40,
        "the checkpoint holds text from before the kill"
    );
    assert!(
        reply.content.len() <= shown + 80,
        "at most about a second more than was shown"
    );

    let (stored, _) = confab_core::store::tree::page(temp.db.conn(), &conversation_id, None, 10)
        .await
        .expect("read");
    assert_eq!(stored.len(), 2, "the question and the recovered reply");
    assert_eq!(stored[1], *reply);
    assert!(
        checkpoints::recover(temp.db.conn())
            .await
            .expect("again")
            .recovered
            .is_empty(),
        "recovered once"
    );
}
