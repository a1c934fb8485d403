//! The store against a real SQLite file with the real migrations.

mod common;

use common::TempDb;
use confab_core::Error;
use confab_core::store::conversations::ConversationQuery;
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::{self, MessageMeta, NewMessage};
use confab_core::store::{Db, conversations};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

async fn scalar_i64(db: &Db, sql: &str) -> i64 {
    let row = db
        .conn()
        .query_one_raw(Statement::from_string(
            db.conn().get_database_backend(),
            sql,
        ))
        .await
        .expect("query runs")
        .expect("one row");
    row.try_get_by_index(0).expect("an integer")
}

async fn add(db: &Db, conversation_id: &str, role: Role, content: &str) -> messages::Message {
    messages::append(
        db.conn(),
        NewMessage {
            conversation_id,
            role,
            parent: confab_core::store::messages::Parent::Leaf,
            parts: confab_core::vocab::text_parts_of(content),
            state: MessageState::Complete,
            meta: MessageMeta::default(),
        },
    )
    .await
    .expect("message stored")
}

#[tokio::test]
async fn fresh_database_migrates_to_latest_and_reopening_changes_nothing() {
    let temp = TempDb::new().await;
    let all = Migrator::migrations().len();
    assert_eq!(
        Migrator::get_applied_migrations(temp.db.conn())
            .await
            .unwrap()
            .len(),
        all
    );
    assert!(
        Migrator::get_pending_migrations(temp.db.conn())
            .await
            .unwrap()
            .is_empty()
    );

    for table in [
        "providers",
        "agents",
        "conversations",
        "messages",
        "context_templates",
        "stream_checkpoints",
        "settings",
        "messages_fts",
        "conversations_fts",
    ] {
        let sql = format!("SELECT count(*) FROM sqlite_master WHERE name = '{table}'");
        assert_eq!(scalar_i64(&temp.db, &sql).await, 1, "table {table} exists");
    }
    assert_eq!(scalar_i64(&temp.db, "PRAGMA foreign_keys").await, 1);

    let conversation = conversations::create(temp.db.conn(), Some("kept"))
        .await
        .unwrap();
    let path = temp.path();
    temp.db.clone().close().await.unwrap();

    let reopened = Db::open(&path).await.unwrap();
    let applied = Migrator::get_applied_migrations(reopened.conn())
        .await
        .unwrap();
    assert_eq!(applied.len(), all, "re-open applies nothing new");
    assert_eq!(
        scalar_i64(&reopened, "SELECT count(*) FROM seaql_migrations").await,
        all as i64
    );
    assert_eq!(
        conversations::get(reopened.conn(), &conversation.id)
            .await
            .unwrap()
            .title,
        "kept"
    );
    let journal: String = {
        let row = reopened
            .conn()
            .query_one_raw(Statement::from_string(
                reopened.conn().get_database_backend(),
                "PRAGMA journal_mode",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index(0).unwrap()
    };
    assert_eq!(journal, "wal");
}

#[tokio::test]
async fn conversations_list_newest_first_and_page() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let first = conversations::create(db, Some("first")).await.unwrap();
    let second = conversations::create(db, Some("second")).await.unwrap();
    let third = conversations::create(db, Some("third")).await.unwrap();
    // A new message moves a conversation to the top.
    add(&temp.db, &first.id, Role::User, "bump").await;

    let titles = |list: Vec<conversations::Conversation>| {
        list.into_iter().map(|c| c.title).collect::<Vec<_>>()
    };
    let all = conversations::list(db, &ConversationQuery::active(10))
        .await
        .unwrap();
    assert_eq!(all[0].id, first.id);
    assert_eq!(titles(all), ["first", "third", "second"]);
    assert_eq!(
        titles(
            conversations::list(
                db,
                &ConversationQuery {
                    offset: 1,
                    ..ConversationQuery::active(2)
                }
            )
            .await
            .unwrap()
        ),
        ["third", "second"]
    );

    let renamed = conversations::rename(db, &second.id, "  new\nname ")
        .await
        .unwrap();
    assert_eq!(renamed.title, "new name");
    conversations::delete(db, &third.id).await.unwrap();
    assert!(matches!(
        conversations::get(db, &third.id).await,
        Err(Error::NotFound {
            what: "conversation",
            ..
        })
    ));
    assert!(matches!(
        conversations::delete(db, &third.id).await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn messages_keep_order_timestamps_and_page_back() {
    let temp = TempDb::new().await;
    let conversation = conversations::create(temp.db.conn(), None).await.unwrap();
    for i in 1..=5 {
        let message = add(&temp.db, &conversation.id, Role::User, &format!("m{i}")).await;
        assert_eq!(message.seq, i);
        assert!(message.created_at > 1_700_000_000_000, "stored in unix ms");
    }
    let (last_two, more) =
        confab_core::store::tree::page(temp.db.conn(), &conversation.id, None, 2)
            .await
            .unwrap();
    assert_eq!(
        last_two
            .iter()
            .map(|m| m.content.as_str())
            .collect::<Vec<_>>(),
        ["m4", "m5"]
    );
    assert!(more);
    let (older, more) =
        confab_core::store::tree::page(temp.db.conn(), &conversation.id, Some(&last_two[0].id), 10)
            .await
            .unwrap();
    assert_eq!(older.len(), 3);
    assert!(!more);

    let missing = messages::append(
        temp.db.conn(),
        NewMessage {
            conversation_id: "no-such-conversation",
            role: Role::User,
            parent: confab_core::store::messages::Parent::Leaf,
            parts: confab_core::vocab::text_parts_of("lost?"),
            state: MessageState::Complete,
            meta: MessageMeta::default(),
        },
    )
    .await;
    assert!(matches!(missing, Err(Error::NotFound { .. })));
}

#[tokio::test]
async fn deleting_a_conversation_deletes_its_messages_and_their_index_entries() {
    let temp = TempDb::new().await;
    let conversation = conversations::create(temp.db.conn(), Some("doomed"))
        .await
        .unwrap();
    add(&temp.db, &conversation.id, Role::User, "ephemeral words").await;
    conversations::delete(temp.db.conn(), &conversation.id)
        .await
        .unwrap();
    assert_eq!(
        scalar_i64(&temp.db, "SELECT count(*) FROM messages").await,
        0
    );
    let hits = "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'ephemeral'";
    assert_eq!(scalar_i64(&temp.db, hits).await, 0);
}

#[tokio::test]
async fn full_text_index_finds_chinese_and_english_and_follows_edits() {
    let temp = TempDb::new().await;
    let conversation = conversations::create(temp.db.conn(), Some("旅行计划 Travel plans"))
        .await
        .unwrap();
    add(
        &temp.db,
        &conversation.id,
        Role::User,
        "明天北京的天气怎么样？",
    )
    .await;
    add(
        &temp.db,
        &conversation.id,
        Role::Assistant,
        "Tomorrow Beijing will be sunny.",
    )
    .await;

    let count =
        |q: &str| format!("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '{q}'");
    assert_eq!(scalar_i64(&temp.db, &count("北京的天气")).await, 1);
    assert_eq!(
        scalar_i64(&temp.db, &count("beijing")).await,
        1,
        "case-insensitive"
    );
    assert_eq!(scalar_i64(&temp.db, &count("上海")).await, 0);
    let titles = "SELECT count(*) FROM conversations_fts WHERE conversations_fts MATCH '旅行计划'";
    assert_eq!(scalar_i64(&temp.db, titles).await, 1);

    conversations::rename(temp.db.conn(), &conversation.id, "周末安排")
        .await
        .unwrap();
    assert_eq!(
        scalar_i64(&temp.db, titles).await,
        0,
        "the old title left the index"
    );
    let renamed = "SELECT count(*) FROM conversations_fts WHERE conversations_fts MATCH '周末安排'";
    assert_eq!(scalar_i64(&temp.db, renamed).await, 1);
}
