//! ChatGPT conversations come in as whole trees: an edited question and a regenerated reply
//! (`fixtures/chatgpt-branches.json`, with `current_node` on the older branch at both forks)
//! become versions, the branch shown is `current_node`'s, and the others are reached by
//! switching versions. Hostile trees (loops, missing parents, repeated ids, a chain of
//! 100,000 nodes) are refused or imported, never a panic or a stack overflow. Real SQLite
//! file, real migrations.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::TempDb;
use confab_core::store::entities::message;
use confab_core::store::messages::Message;
use confab_core::store::{Db, branches, tree};
use confab_core::transfer::{ImportKind, ImportLimits, ImportNote, ImportSummary, import_file};
use confab_core::{Error, ErrorCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

const KYOTO: &str = "67a1c9e0-5b7d-8004-a1b2-c3d4e5f60718";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

async fn import(db: &Db, path: &Path) -> Result<ImportSummary, Error> {
    import_file(
        db.conn(),
        path,
        ImportKind::Chatgpt,
        ImportLimits::default(),
        |_| {},
    )
    .await
}

/// Writes `conversations` as a ChatGPT export in `temp`'s folder.
fn export_file(temp: &TempDb, conversations: &Value) -> PathBuf {
    let path = temp.dir.path().join("conversations.json");
    std::fs::write(&path, conversations.to_string()).expect("written");
    path
}

/// The ids of the branch shown, oldest first.
async fn shown(db: &Db, conversation: &str) -> Vec<String> {
    let (page, more) = tree::page(db.conn(), conversation, None, 50)
        .await
        .expect("page");
    assert!(!more);
    page.into_iter().map(|m| m.id).collect()
}

/// Every stored message of `conversation`: id → (parent, depth), and the ids in written order.
async fn stored(
    db: &Db,
    conversation: &str,
) -> (HashMap<String, (Option<String>, i64)>, Vec<String>) {
    let rows = message::Entity::find()
        .filter(message::Column::ConversationId.eq(conversation))
        .order_by_asc(message::Column::Rid)
        .all(db.conn())
        .await
        .expect("messages");
    let order = rows.iter().map(|m| m.id.clone()).collect();
    let tree = rows
        .into_iter()
        .map(|m| (m.id, (m.parent_id, m.seq)))
        .collect();
    (tree, order)
}

/// Switches the Kyoto conversation from message `id` to the version `step` away: the message
/// now shown with its version, and the branch shown.
async fn switch(db: &Db, id: &str, step: i32) -> ((String, (u32, u32)), Vec<String>) {
    let message = branches::switch_version(db.conn(), id, step)
        .await
        .expect("switched");
    let version = version(&message);
    ((message.id, version), shown(db, KYOTO).await)
}

fn version(message: &Message) -> (u32, u32) {
    (message.version, message.versions)
}

/// A ChatGPT node holding a user or assistant text message.
fn node(id: &str, parent: Option<&str>, role: &str, time: f64, text: &str) -> Value {
    json!({"id": id, "parent": parent, "children": [], "message": {
        "id": id, "author": {"role": role}, "create_time": time, "recipient": "all",
        "content": {"content_type": "text", "parts": [text]}, "metadata": {}}})
}

#[tokio::test]
async fn every_branch_is_imported_and_the_current_node_s_is_shown() {
    let temp = TempDb::new().await;

    let summary = import(&temp.db, &fixture("chatgpt-branches.json"))
        .await
        .expect("imported");

    assert_eq!((summary.conversations, summary.messages), (1, 7));
    assert_eq!(summary.notes, vec![ImportNote::NonTextSkipped { count: 1 }]);
    let (tree, order) = stored(&temp.db, KYOTO).await;
    let expected: HashMap<String, (Option<String>, i64)> = [
        ("u-k1", None, 1),
        ("a-k1", Some("u-k1"), 2),
        ("u-k2-first", Some("a-k1"), 3),
        ("a-k2-first", Some("u-k2-first"), 4),
        ("a-k2-again", Some("u-k2-first"), 4),
        ("u-k2-edit", Some("a-k1"), 3),
        // Below the reasoning node, which is left out.
        ("a-k3", Some("u-k2-edit"), 4),
    ]
    .into_iter()
    .map(|(id, parent, seq)| (id.to_string(), (parent.map(str::to_string), seq)))
    .collect();
    assert_eq!(tree, expected);
    // Versions in the order ChatGPT wrote them, whatever the order of the keys.
    let at = |id: &str| order.iter().position(|o| o == id).expect("stored");
    assert!(at("u-k2-first") < at("u-k2-edit"));
    assert!(at("a-k2-first") < at("a-k2-again"));

    // Opened: the branch of `current_node`, though a newer version is at each fork.
    assert_eq!(
        shown(&temp.db, KYOTO).await,
        ["u-k1", "a-k1", "u-k2-first", "a-k2-first"]
    );
    let (page, _) = tree::page(temp.db.conn(), KYOTO, None, 50)
        .await
        .expect("page");
    let versions: Vec<(u32, u32)> = page.iter().map(version).collect();
    assert_eq!(versions, [(1, 1), (1, 1), (1, 2), (1, 2)]);
    assert_eq!(page[1].meta.model.as_deref(), Some("gpt-4o"));

    // The edited question, with its reply.
    let (edit, branch) = switch(&temp.db, "u-k2-first", 1).await;
    assert_eq!(edit, ("u-k2-edit".into(), (2, 2)));
    assert_eq!(branch, ["u-k1", "a-k1", "u-k2-edit", "a-k3"]);
    // Back: to the reply that was shown there, not the newer one.
    let (_, branch) = switch(&temp.db, "u-k2-edit", -1).await;
    assert_eq!(branch, ["u-k1", "a-k1", "u-k2-first", "a-k2-first"]);
    // The regenerated reply.
    let (again, branch) = switch(&temp.db, "a-k2-first", 1).await;
    assert_eq!(again, ("a-k2-again".into(), (2, 2)));
    assert_eq!(branch, ["u-k1", "a-k1", "u-k2-first", "a-k2-again"]);
}

#[tokio::test]
async fn a_current_node_that_is_left_out_shows_the_message_above_it() {
    let temp = TempDb::new().await;
    let mut tool = node("t1", Some("a1"), "tool", 3.0, "search results");
    tool["message"]["author"]["role"] = json!("tool");
    let path = export_file(
        &temp,
        &json!([{"id": "c1", "title": "t", "current_node": "t1", "mapping": {
            "u1": node("u1", None, "user", 1.0, "question"),
            "a1": node("a1", Some("u1"), "assistant", 2.0, "answer"),
            "t1": tool,
            "a2": node("a2", Some("u1"), "assistant", 4.0, "newer answer"),
        }}]),
    );

    import(&temp.db, &path).await.expect("imported");

    assert_eq!(shown(&temp.db, "c1").await, ["u1", "a1"]);
}

#[tokio::test]
async fn loops_and_missing_parents_anywhere_in_the_tree_are_reported() {
    let temp = TempDb::new().await;
    let before = common::row_count(&temp.db, "messages").await;
    let good = |extra: (&str, Value)| {
        let mut mapping = json!({
            "u1": node("u1", None, "user", 1.0, "question"),
            "a1": node("a1", Some("u1"), "assistant", 2.0, "answer"),
        });
        mapping[extra.0] = extra.1;
        mapping
    };
    let mut looped = good(("x1", node("x1", Some("x2"), "user", 3.0, "loop")));
    looped["x2"] = node("x2", Some("x1"), "assistant", 4.0, "loop");
    looped["x3"] = node("x3", Some("x2"), "user", 5.0, "below the loop");
    let path = export_file(
        &temp,
        &json!([
            // Off the branch shown, both.
            {"title": "loop", "current_node": "a1", "mapping": looped},
            {"title": "orphan", "current_node": "a1",
             "mapping": good(("o1", node("o1", Some("gone"), "user", 3.0, "orphan")))},
            {"title": "self", "current_node": "s1",
             "mapping": {"s1": node("s1", Some("s1"), "user", 1.0, "me")}},
        ]),
    );

    let error = import(&temp.db, &path).await.expect_err("refused");

    assert_eq!(error.code(), ErrorCode::InvalidInput);
    let message = error.to_string();
    for expected in [
        "[0].mapping: the parent links loop at node \"x1\"",
        "[1].mapping: a node names the parent \"gone\", which is not in mapping",
        "[2].mapping: the parent links loop at node \"s1\"",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
    assert_eq!(common::row_count(&temp.db, "messages").await, before);
}

#[tokio::test]
async fn messages_sharing_an_id_keep_their_own_places() {
    let temp = TempDb::new().await;
    let mut second = node("a2", Some("u1"), "assistant", 3.0, "second");
    second["message"]["id"] = json!("a1");
    let path = export_file(
        &temp,
        &json!([{"id": "c1", "title": "t", "current_node": "u2", "mapping": {
            "u1": node("u1", None, "user", 1.0, "question"),
            "a1": node("a1", Some("u1"), "assistant", 2.0, "first"),
            "a2": second,
            "u2": node("u2", Some("a2"), "user", 4.0, "follow-up"),
        }}]),
    );

    import(&temp.db, &path).await.expect("imported");

    let (page, _) = tree::page(temp.db.conn(), "c1", None, 50)
        .await
        .expect("page");
    let texts: Vec<&str> = page.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(texts, ["question", "second", "follow-up"]);
    assert_ne!(page[1].id, "a1");
    assert_eq!(version(&page[1]), (2, 2));
}

#[tokio::test]
async fn a_chain_of_100_000_nodes_imports_without_overflowing_the_stack() {
    const NODES: usize = 100_000;
    let temp = TempDb::new().await;
    let mut mapping = serde_json::Map::new();
    for n in 0..NODES {
        let id = format!("n{n}");
        let parent = n.checked_sub(1).map(|p| format!("n{p}"));
        let role = if n % 2 == 0 { "user" } else { "assistant" };
        mapping.insert(
            id.clone(),
            node(
                &id,
                parent.as_deref(),
                role,
                n as f64,
                &format!("message {n}"),
            ),
        );
    }
    let last = format!("n{}", NODES - 1);
    let path = export_file(
        &temp,
        &json!([{"id": "deep", "title": "deep", "current_node": last, "mapping": mapping}]),
    );

    let started = Instant::now();
    let summary = import(&temp.db, &path).await.expect("imported");

    assert!(
        started.elapsed() < Duration::from_secs(120),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(summary.messages, NODES as u64);
    let (page, more) = tree::page(temp.db.conn(), "deep", None, 3)
        .await
        .expect("page");
    assert!(more);
    let ends: Vec<(&str, i64)> = page.iter().map(|m| (m.id.as_str(), m.seq)).collect();
    assert_eq!(
        ends,
        [("n99997", 99_998), ("n99998", 99_999), ("n99999", 100_000)]
    );
}
