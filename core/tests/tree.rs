//! The message tree in a real SQLite file: versions, the branch shown and how it is
//! remembered, deleting a message with what hangs below it, the branch a request is built
//! from, a branch copied into a new conversation, and walks deeper than SQLite's trigger
//! limit.

mod common;

use common::TempDb;
use common::stream::new_conversation;
use confab_core::store::branches;
use confab_core::store::entities::message::MessageState;
use confab_core::store::messages::{self, Message, NewMessage, Parent};
use confab_core::store::{conversations, tree};
use confab_core::transfer::{ExportFormat, export_to_file};
use confab_core::vocab::{Part, Role, text_parts_of};
use confab_core::{Error, ErrorCode};

async fn add(
    temp: &TempDb,
    conversation: &str,
    parent: Parent<'_>,
    role: Role,
    text: &str,
) -> Message {
    messages::append(
        temp.db.conn(),
        NewMessage {
            parent,
            ..NewMessage::text(conversation, role, text)
        },
    )
    .await
    .expect("stored")
}

async fn shown(temp: &TempDb, conversation: &str) -> Vec<String> {
    tree::page(temp.db.conn(), conversation, None, 100)
        .await
        .expect("page")
        .0
        .into_iter()
        .map(|m| m.content)
        .collect()
}

/// q1 → a1 → q2 → a2, then a second version of a1 (a1b) with its own q3 below.
async fn branched(temp: &TempDb) -> (String, Vec<Message>) {
    let c = new_conversation(&temp.db).await;
    let q1 = add(temp, &c, Parent::Leaf, Role::User, "q1").await;
    let a1 = add(temp, &c, Parent::Leaf, Role::Assistant, "a1").await;
    let q2 = add(temp, &c, Parent::Leaf, Role::User, "q2").await;
    let a2 = add(temp, &c, Parent::Leaf, Role::Assistant, "a2").await;
    let a1b = add(
        temp,
        &c,
        Parent::Under(Some(&q1.id)),
        Role::Assistant,
        "a1b",
    )
    .await;
    let q3 = add(temp, &c, Parent::Leaf, Role::User, "q3").await;
    (c, vec![q1, a1, q2, a2, a1b, q3])
}

#[tokio::test]
async fn each_version_keeps_its_branch_and_the_choice_is_remembered() {
    let temp = TempDb::new().await;
    let (c, m) = branched(&temp).await;
    assert_eq!(
        shown(&temp, &c).await,
        ["q1", "a1b", "q3"],
        "the newest is shown"
    );
    let page = tree::page(temp.db.conn(), &c, None, 100).await.unwrap().0;
    assert_eq!((page[1].version, page[1].versions), (2, 2));
    assert_eq!((page[0].version, page[0].versions), (1, 1));

    let back = branches::switch_version(temp.db.conn(), &m[4].id, -1)
        .await
        .unwrap();
    assert_eq!(back.id, m[1].id);
    assert_eq!(
        shown(&temp, &c).await,
        ["q1", "a1", "q2", "a2"],
        "a1's branch as it was left"
    );
    // Remembered in the file: a new connection sees the same branch.
    let path = temp.path();
    let db = confab_core::store::Db::open(&path).await.unwrap();
    let (page, _) = tree::page(db.conn(), &c, None, 100).await.unwrap();
    assert_eq!(page.last().unwrap().id, m[3].id);

    // More below a1's branch, then away and back: the branch as it was left, twice.
    add(&temp, &c, Parent::Leaf, Role::User, "q4").await;
    for _ in 0..2 {
        branches::switch_version(temp.db.conn(), &m[1].id, 1)
            .await
            .unwrap();
        assert_eq!(shown(&temp, &c).await, ["q1", "a1b", "q3"]);
        branches::switch_version(temp.db.conn(), &m[4].id, -1)
            .await
            .unwrap();
        assert_eq!(shown(&temp, &c).await, ["q1", "a1", "q2", "a2", "q4"]);
    }
    // Left by a search jump into the other version's branch, then switched back to.
    branches::show(temp.db.conn(), &m[5].id).await.unwrap();
    assert_eq!(shown(&temp, &c).await, ["q1", "a1b", "q3"]);
    branches::switch_version(temp.db.conn(), &m[4].id, -1)
        .await
        .unwrap();
    assert_eq!(shown(&temp, &c).await, ["q1", "a1", "q2", "a2", "q4"]);
    // A regenerate-like new version of a2, then back to a2: q4 is still below it.
    add(
        &temp,
        &c,
        Parent::Under(Some(&m[2].id)),
        Role::Assistant,
        "a2b",
    )
    .await;
    assert_eq!(shown(&temp, &c).await, ["q1", "a1", "q2", "a2b"]);
    let a2b = tree::page(temp.db.conn(), &c, None, 100)
        .await
        .unwrap()
        .0
        .pop()
        .unwrap();
    branches::switch_version(temp.db.conn(), &a2b.id, -1)
        .await
        .unwrap();
    assert_eq!(shown(&temp, &c).await, ["q1", "a1", "q2", "a2", "q4"]);

    branches::switch_version(temp.db.conn(), &m[1].id, 1)
        .await
        .unwrap();
    assert_eq!(shown(&temp, &c).await, ["q1", "a1b", "q3"]);
    // Out of range: a typed refusal, nothing changes.
    let refused = branches::switch_version(temp.db.conn(), &m[4].id, 1).await;
    assert!(matches!(refused, Err(Error::InvalidInput(_))));
    assert_eq!(shown(&temp, &c).await, ["q1", "a1b", "q3"]);
}

#[tokio::test]
async fn showing_a_message_of_a_hidden_branch_shows_its_whole_branch() {
    let temp = TempDb::new().await;
    let (c, m) = branched(&temp).await;
    // q2 sits under a1, which is not shown: a search hit there opens that branch.
    let leaf = branches::show(temp.db.conn(), &m[2].id).await.unwrap();
    assert_eq!(leaf, m[3].id, "below q2, its reply");
    assert_eq!(shown(&temp, &c).await, ["q1", "a1", "q2", "a2"]);
    let missing = branches::show(temp.db.conn(), "no-such-message").await;
    assert_eq!(missing.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn a_request_carries_only_the_branch_it_follows() {
    let temp = TempDb::new().await;
    let (_, m) = branched(&temp).await;
    let context = tree::recent_context(temp.db.conn(), &m[5].id, 100)
        .await
        .unwrap();
    let texts: Vec<_> = context.iter().map(|(_, text, _)| text.as_str()).collect();
    assert_eq!(texts, ["q3", "a1b", "q1"], "newest first, no other version");
    let limited = tree::recent_context(temp.db.conn(), &m[3].id, 2)
        .await
        .unwrap();
    assert_eq!(limited.len(), 2);
    assert_eq!(limited[0].1, "a2");
}

#[tokio::test]
async fn deleting_a_message_takes_what_hangs_below_it_and_shows_what_is_left() {
    let temp = TempDb::new().await;
    let (c, m) = branched(&temp).await;
    assert_eq!(
        branches::subtree_size(temp.db.conn(), &m[1].id)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        branches::subtree_size(temp.db.conn(), &m[0].id)
            .await
            .unwrap(),
        6
    );
    // The version shown goes with its branch; the other version is shown.
    let gone = branches::delete_subtree(temp.db.conn(), &m[4].id)
        .await
        .unwrap();
    assert_eq!(gone, 2);
    assert_eq!(shown(&temp, &c).await, ["q1", "a1", "q2", "a2"]);
    let page = tree::page(temp.db.conn(), &c, None, 100).await.unwrap().0;
    assert_eq!((page[1].version, page[1].versions), (1, 1));
    // The first message: the conversation is left empty, and still opens.
    assert_eq!(
        branches::delete_subtree(temp.db.conn(), &m[0].id)
            .await
            .unwrap(),
        4
    );
    assert!(shown(&temp, &c).await.is_empty());
    conversations::get(temp.db.conn(), &c).await.unwrap();
    let again = branches::delete_subtree(temp.db.conn(), &m[0].id).await;
    assert_eq!(again.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn branching_off_copies_the_history_up_to_a_message_into_a_new_conversation() {
    let temp = TempDb::new().await;
    let (c, m) = branched(&temp).await;
    let reasoning = messages::append(
        temp.db.conn(),
        NewMessage {
            parent: Parent::Under(Some(&m[2].id)),
            parts: vec![
                Part::Reasoning {
                    text: "hm".into(),
                    duration_ms: Some(5),
                },
                Part::text("a2b"),
            ],
            state: MessageState::Partial,
            ..NewMessage::text(&c, Role::Assistant, "")
        },
    )
    .await
    .unwrap();
    let copy = branches::branch_off(temp.db.conn(), &reasoning.id, Some("Branch"))
        .await
        .unwrap();
    assert_ne!(copy.id, c);
    assert_eq!(copy.title, "Branch");
    let page = tree::page(temp.db.conn(), &copy.id, None, 100)
        .await
        .unwrap()
        .0;
    let texts: Vec<_> = page.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(texts, ["q1", "a1", "q2", "a2b"]);
    assert!(page.iter().all(|m| m.versions == 1), "one line");
    assert_eq!(page[3].parts, reasoning.parts);
    assert_eq!(page[3].state, MessageState::Partial);
    assert!(page.iter().all(|m| m.conversation_id == copy.id));
    // The source is as it was.
    assert_eq!(shown(&temp, &c).await, ["q1", "a1", "q2", "a2b"]);
    assert_eq!(
        branches::branch_off(temp.db.conn(), "nope", None)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
}

#[tokio::test]
async fn markdown_exports_the_branch_shown_and_json_every_version() {
    let temp = TempDb::new().await;
    let (c, _) = branched(&temp).await;
    let md = temp.dir.path().join("c.md");
    export_to_file(
        temp.db.conn(),
        Some(&[c.clone()][..]),
        ExportFormat::Markdown,
        &md,
    )
    .await
    .unwrap();
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("a1b") && text.contains("q3"), "{text}");
    assert!(!text.contains("q2"), "another branch: {text}");
    let json = temp.dir.path().join("c.json");
    let summary = export_to_file(temp.db.conn(), Some(&[c][..]), ExportFormat::Json, &json)
        .await
        .unwrap();
    assert_eq!(summary.messages, 6);
}

#[tokio::test]
async fn a_branch_deeper_than_sqlites_trigger_limit_is_walked_paged_and_deleted() {
    let temp = TempDb::new().await;
    let c = new_conversation(&temp.db).await;
    let mut first = None;
    for i in 0..2_500 {
        let role = if i % 2 == 0 {
            Role::User
        } else {
            Role::Assistant
        };
        let message = messages::append(
            temp.db.conn(),
            NewMessage {
                parts: text_parts_of(&format!("m{i}")),
                ..NewMessage::text(&c, role, "")
            },
        )
        .await
        .unwrap();
        first.get_or_insert(message.id);
    }
    let (page, more) = tree::page(temp.db.conn(), &c, None, 100).await.unwrap();
    assert!(more);
    assert_eq!(page.last().unwrap().seq, 2_500);
    let (older, _) = tree::page(temp.db.conn(), &c, Some(&page[0].id), 100)
        .await
        .unwrap();
    assert_eq!(older.last().unwrap().seq, page[0].seq - 1);
    assert_eq!(
        branches::delete_subtree(temp.db.conn(), first.as_deref().unwrap())
            .await
            .unwrap(),
        2_500
    );
    assert!(shown(&temp, &c).await.is_empty());
}
