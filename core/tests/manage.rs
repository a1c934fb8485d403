//! Managing conversations: the list (pins, archive, agent filter), rename, full-text search
//! in English and Chinese, and context editing (override, exclude, edit, delete, preview).
//! Real SQLite files with the real migrations (FTS5 trigram indexes and their triggers).

mod common;

use std::sync::Arc;

use common::{Aimock, TempDb, engine, events_until_end, test_keychain};
use confab_core::Rule;
use confab_core::chat::{ChatEvent, ChatSink, ContextOverride, PromptMessage, preview_context};
use confab_core::store::conversations::{self, ConversationQuery};
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::{self, Message, MessageMeta, NewMessage};
use confab_core::store::search::{self, SearchHit};
use confab_core::{Error, ErrorCode};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::json;
use tokio::sync::mpsc;

async fn conversation(db: &DatabaseConnection, title: &str) -> String {
    conversations::create(db, Some(title))
        .await
        .expect("created")
        .id
}

async fn say(db: &DatabaseConnection, conversation_id: &str, role: Role, text: &str) -> Message {
    messages::append(
        db,
        NewMessage {
            conversation_id,
            role,
            parent: confab_core::store::messages::Parent::Leaf,
            parts: confab_core::vocab::text_parts_of(text),
            state: MessageState::Complete,
            meta: MessageMeta::default(),
        },
    )
    .await
    .expect("appended")
}

fn titles(list: &[confab_core::store::conversations::Conversation]) -> Vec<&str> {
    list.iter().map(|c| c.title.as_str()).collect()
}

fn shown(hit: &SearchHit) -> String {
    hit.snippet
        .iter()
        .map(|part| {
            if part.hit {
                format!("[{}]", part.text)
            } else {
                part.text.clone()
            }
        })
        .collect()
}

async fn found(db: &DatabaseConnection, query: &str) -> Vec<SearchHit> {
    search::search(db, query, 20).await.expect("searched")
}

#[tokio::test]
async fn the_list_puts_pins_first_hides_the_archive_and_filters_by_agent() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let old = conversation(db, "old").await;
    let middle = conversation(db, "middle").await;
    let _new = conversation(db, "new").await;
    // Order by last update: touching `old` would move it; pinning must not.
    conversations::set_pinned(db, &old, true).await.unwrap();
    conversations::set_archived(db, &middle, true)
        .await
        .unwrap();

    let active = conversations::list(db, &ConversationQuery::active(10))
        .await
        .unwrap();
    assert_eq!(titles(&active), ["old", "new"]);
    assert!(active[0].pinned);

    let archive = ConversationQuery {
        archived: true,
        ..ConversationQuery::active(10)
    };
    let archived = conversations::list(db, &archive).await.unwrap();
    assert_eq!(titles(&archived), ["middle"]);

    conversations::set_archived(db, &middle, false)
        .await
        .unwrap();
    conversations::set_pinned(db, &old, false).await.unwrap();
    let active = conversations::list(db, &ConversationQuery::active(10))
        .await
        .unwrap();
    assert_eq!(titles(&active), ["new", "middle", "old"]);

    // Only the default agent's conversation.
    let agent = conversations::create_with_agent(db, Some("with agent"), Some("default"))
        .await
        .unwrap();
    let of_agent = ConversationQuery {
        agent_id: Some("default".into()),
        ..ConversationQuery::active(10)
    };
    let listed = conversations::list(db, &of_agent).await.unwrap();
    assert_eq!(titles(&listed), ["with agent"]);
    assert_eq!(listed[0].id, agent.id);

    let missing = conversations::set_pinned(db, "nope", true)
        .await
        .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn a_list_page_is_read_in_index_order_without_sorting() {
    let temp = TempDb::new().await;
    // The order `conversations::list` asks for; a sort step would make deep pages of a long
    // list slow (see the store benchmark).
    let plan = temp
        .db
        .conn()
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "EXPLAIN QUERY PLAN SELECT * FROM conversations WHERE status = 'active'
             ORDER BY pinned DESC, updated_at DESC, rid DESC LIMIT 50 OFFSET 5000",
        ))
        .await
        .expect("plan");
    let steps: Vec<String> = plan
        .iter()
        .map(|row| row.try_get_by_index::<String>(3).expect("detail"))
        .collect();
    assert!(
        steps
            .iter()
            .any(|s| s.contains("conversations_by_list_order")),
        "{steps:?}"
    );
    assert!(
        !steps.iter().any(|s| s.contains("TEMP B-TREE")),
        "{steps:?}"
    );
}

#[tokio::test]
async fn a_rename_needs_a_title() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let id = conversation(db, "first").await;
    let renamed = conversations::rename_by_user(db, &id, "  Trip\nplans  ")
        .await
        .unwrap();
    assert_eq!(renamed.title, "Trip plans");
    let empty = conversations::rename_by_user(db, &id, " \n ")
        .await
        .unwrap_err();
    assert!(matches!(empty, Error::InvalidInput(_)), "{empty}");
    assert_eq!(
        conversations::get(db, &id).await.unwrap().title,
        "Trip plans"
    );
}

#[tokio::test]
async fn search_finds_english_and_chinese_text_with_marked_snippets() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let trip = conversation(db, "Trip to Kyoto").await;
    let question = say(
        db,
        &trip,
        Role::User,
        "Which temples should I visit in Kyoto?",
    )
    .await;
    say(
        db,
        &trip,
        Role::Assistant,
        "Start with Kinkaku-ji.\nThen walk the Philosopher's Path.",
    )
    .await;
    let chinese = conversation(db, "学习计划").await;
    let zh = say(
        db,
        &chinese,
        Role::User,
        "请推荐一个适合初学者的机器学习模型",
    )
    .await;

    // A title hit comes first, then the message.
    let hits = found(db, "kyoto").await;
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(hits[0].message_id, None);
    assert_eq!(shown(&hits[0]), "Trip to [Kyoto]");
    assert_eq!(hits[1].message_id.as_deref(), Some(question.id.as_str()));
    assert_eq!(hits[1].seq, Some(1));
    assert_eq!(hits[1].role, Some(Role::User));
    assert_eq!(hits[1].conversation_title, "Trip to Kyoto");
    assert_eq!(shown(&hits[1]), "Which temples should I visit in [Kyoto]?");

    // Every word must match; case does not matter; line breaks read as spaces.
    let hits = found(db, "PHILOSOPHER walk").await;
    assert_eq!(hits.len(), 1);
    assert_eq!(
        shown(&hits[0]),
        "Start with Kinkaku-ji. Then [walk] the [Philosopher]'s Path."
    );
    assert!(found(db, "philosopher tokyo").await.is_empty());

    // Chinese, through the trigram index (3+ characters)...
    let hits = found(db, "机器学习").await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].message_id.as_deref(), Some(zh.id.as_str()));
    assert_eq!(shown(&hits[0]), "请推荐一个适合初学者的[机器学习]模型");
    // ...and shorter words, through the bounded scan.
    let hits = found(db, "模型").await;
    assert_eq!(hits.len(), 1);
    assert_eq!(shown(&hits[0]), "请推荐一个适合初学者的机器学习[模型]");
    let hits = found(db, "学习").await;
    assert_eq!(hits.len(), 2, "the title and the message: {hits:?}");
    // A long word and a short one together.
    assert_eq!(found(db, "temples I").await.len(), 1);
}

#[tokio::test]
async fn search_lists_the_newest_mention_first() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let old = conversation(db, "Old notes").await;
    let new = conversation(db, "New notes").await;
    // The older message mentions the word twice: a relevance order would put it first.
    say(db, &old, Role::User, "kettle kettle: the first mention").await;
    say(db, &new, Role::User, "the kettle again, later").await;
    say(db, &old, Role::Assistant, "and the kettle once more, last").await;

    let hits = found(db, "kettle").await;
    let texts: Vec<String> = hits.iter().map(shown).collect();
    assert_eq!(
        texts,
        [
            "and the [kettle] once more, last",
            "the [kettle] again, later",
            "[kettle] [kettle]: the first mention"
        ]
    );
}

#[tokio::test]
async fn search_input_is_text_not_query_syntax() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let id = conversation(db, "syntax").await;
    say(
        db,
        &id,
        Role::User,
        r#"He said "quote" AND used 100% of a_b NEAR(x) foo*"#,
    )
    .await;
    for query in [
        r#""quote"#,
        r#"quote""#,
        "AND OR NOT",
        "NEAR(x)",
        "foo*",
        "100%",
        "a_b",
        "^start",
        "col:umn",
        "(((",
        "\\",
        "' OR 1=1 --",
    ] {
        let result = search::search(db, query, 10).await;
        assert!(result.is_ok(), "{query}: {result:?}");
    }
    assert_eq!(found(db, r#""quote""#).await.len(), 1);
    assert_eq!(found(db, "100%").await.len(), 1);
    // `%` and `_` are literal in the short-word scan too.
    assert_eq!(found(db, "a_").await.len(), 1);
    assert!(found(db, "x_").await.is_empty());
    assert!(found(db, "   ").await.is_empty());
}

#[tokio::test]
async fn search_follows_edits_deletes_and_the_archive() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let id = conversation(db, "notes").await;
    let message = say(db, &id, Role::User, "the zebra crossing").await;
    assert_eq!(found(db, "zebra").await.len(), 1);

    messages::edit(db, &message.id, "the giraffe crossing")
        .await
        .unwrap();
    assert!(found(db, "zebra").await.is_empty());
    assert_eq!(found(db, "giraffe").await.len(), 1);

    conversations::set_archived(db, &id, true).await.unwrap();
    let hits = found(db, "giraffe").await;
    assert!(
        hits[0].archived,
        "archived conversations are found, and marked"
    );

    confab_core::store::branches::delete_subtree(db, &message.id)
        .await
        .unwrap();
    assert!(found(db, "giraffe").await.is_empty());
    let again = confab_core::store::branches::delete_subtree(db, &message.id)
        .await
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::NotFound);

    conversations::rename(db, &id, "renamed pelican")
        .await
        .unwrap();
    assert_eq!(found(db, "pelican").await.len(), 1);
    conversations::delete(db, &id).await.unwrap();
    assert!(found(db, "pelican").await.is_empty());
}

#[tokio::test]
async fn the_context_editor_changes_what_the_next_request_sends() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let id = conversation(db, "context").await;
    let first = say(db, &id, Role::User, "first question").await;
    say(db, &id, Role::Assistant, "first answer").await;
    say(db, &id, Role::User, "second question").await;

    let before = preview(db, &id).await;
    assert_eq!(before.messages.len(), 3);
    assert_eq!(before.budget, Some(32_000), "the default policy's budget");
    assert!(before.tokens > 0);

    // A system prompt of its own, and the first question left out.
    let over = ContextOverride {
        system_prompt: Some("Answer in French.".into()),
        preset_messages: None,
        excluded_attachments: None,
    };
    let saved = conversations::set_context_override(db, &id, over.clone())
        .await
        .unwrap();
    assert_eq!(saved, over);
    assert_eq!(
        conversations::context_override(db, &id).await.unwrap(),
        over
    );
    let excluded = messages::set_in_context(db, &first.id, false)
        .await
        .unwrap();
    assert!(!excluded.in_context);

    let after = preview(db, &id).await;
    let sent: Vec<(Role, &str)> = after
        .messages
        .iter()
        .map(|m| (m.role, m.content.as_str()))
        .collect();
    assert_eq!(
        sent,
        [
            (Role::System, "Answer in French."),
            (Role::Assistant, "first answer"),
            (Role::User, "second question"),
        ]
    );
    let expected: u32 = after
        .messages
        .iter()
        .map(confab_core::chat::message_tokens)
        .sum();
    assert_eq!(after.tokens, expected);

    // Clearing the override brings the agent's preset back.
    let cleared = conversations::set_context_override(
        db,
        &id,
        ContextOverride {
            system_prompt: Some("  ".into()),
            preset_messages: None,
            excluded_attachments: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(cleared, ContextOverride::default());
    assert_eq!(preview(db, &id).await.messages.len(), 2);
}

#[tokio::test]
async fn bad_context_edits_are_refused_with_the_field_named() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let id = conversation(db, "bad").await;
    let message = say(db, &id, Role::User, "keep me").await;

    let tool_role = ContextOverride {
        system_prompt: None,
        preset_messages: Some(vec![PromptMessage {
            role: Role::Tool,
            content: "x".into(),
            attachments: Vec::new(),
        }]),
        excluded_attachments: None,
    };
    let error = conversations::set_context_override(db, &id, tool_role)
        .await
        .unwrap_err();
    assert_eq!(
        common::problem_of(&error),
        ("presetMessages.0.role".to_string(), Rule::PresetRole)
    );
    let empty = ContextOverride {
        system_prompt: None,
        preset_messages: Some(vec![PromptMessage {
            role: Role::User,
            content: " ".into(),
            attachments: Vec::new(),
        }]),
        excluded_attachments: None,
    };
    let error = conversations::set_context_override(db, &id, empty)
        .await
        .unwrap_err();
    assert_eq!(
        common::problem_of(&error),
        ("presetMessages.0.content".to_string(), Rule::Required)
    );
    let huge = ContextOverride {
        system_prompt: Some("x".repeat(100_001)),
        preset_messages: None,
        excluded_attachments: None,
    };
    let error = conversations::set_context_override(db, &id, huge)
        .await
        .unwrap_err();
    assert_eq!(
        common::problem_of(&error),
        ("systemPrompt".to_string(), Rule::TooLong)
    );
    assert_eq!(
        conversations::context_override(db, &id).await.unwrap(),
        ContextOverride::default(),
        "nothing was written"
    );

    let blank = messages::edit(db, &message.id, "  ").await.unwrap_err();
    assert!(error_is_input(&blank), "{blank}");
    let too_long = "x".repeat(confab_core::chat::MAX_MESSAGE_BYTES + 1);
    let long = messages::edit(db, &message.id, &too_long)
        .await
        .unwrap_err();
    assert!(error_is_input(&long), "{long}");
    assert_eq!(
        messages::get(db, &message.id).await.unwrap().content,
        "keep me"
    );
    let missing = messages::set_in_context(db, "nope", false)
        .await
        .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

async fn preview(db: &DatabaseConnection, id: &str) -> confab_core::chat::ContextPreview {
    let model = conversations::find(db, id).await.expect("conversation");
    preview_context(db, &model).await.expect("preview")
}

fn error_is_input(error: &Error) -> bool {
    matches!(error, Error::InvalidInput(_))
}

#[tokio::test]
async fn a_conversation_is_busy_for_edits_while_its_reply_streams() {
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "slow"}, "response": {"content": "a slow reply, word by word"},
         "streamingProfile": {"ttft": 300, "tps": 20}},
    ]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let id = conversation(temp.db.conn(), "busy").await;
    let (tx, mut rx) = mpsc::unbounded_channel::<ChatEvent>();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    engine
        .send_message(&id, "slow", Vec::new(), sink)
        .await
        .unwrap();
    assert_eq!(engine.ensure_idle(&id).unwrap_err().code(), ErrorCode::Busy);
    events_until_end(&mut rx).await;
    engine
        .ensure_idle(&id)
        .expect("idle once the reply is stored");
}
