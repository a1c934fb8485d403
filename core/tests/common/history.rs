//! A small but varied history for the export and import tests: an agent, an override,
//! every message state, an excluded message, meta, a gap in `seq`, Chinese text, an archived
//! and a pinned conversation, an empty title.

#![allow(dead_code)] // each test binary uses a part of it

use confab_core::agents::{self, AgentInput};
use confab_core::chat::{ContextOverride, PromptMessage};
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::entities::{conversation, message};
use confab_core::store::messages::{self, Message, MessageMeta, NewMessage};
use confab_core::store::{Db, conversations};
use confab_core::transfer::{ConversationRecord, MessageRecord};
use confab_core::{ErrorCode, store::entities::agent};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub async fn add(
    db: &Db,
    conversation_id: &str,
    role: Role,
    content: &str,
    state: MessageState,
    meta: MessageMeta,
) -> Message {
    messages::append(
        db.conn(),
        NewMessage {
            conversation_id,
            role,
            parent: confab_core::store::messages::Parent::Leaf,
            parts: confab_core::vocab::text_parts_of(content),
            state,
            meta,
        },
    )
    .await
    .expect("message stored")
}

pub async fn create_writer_agent(db: &Db) -> String {
    let agent = agents::create(
        db.conn(),
        AgentInput {
            agent_id: "writer".into(),
            ..AgentInput::default()
        },
    )
    .await
    .expect("agent created");
    agent.id
}

/// Seeds the history and returns the conversation ids, oldest first.
pub async fn seed(db: &Db) -> Vec<String> {
    let writer = create_writer_agent(db).await;
    let conn = db.conn();
    let first = conversations::create_with_agent(conn, Some("Rust lifetimes"), Some(&writer))
        .await
        .expect("created");
    conversations::set_context_override(
        conn,
        &first.id,
        ContextOverride {
            system_prompt: Some("Answer briefly.\nUse examples.".into()),
            preset_messages: Some(vec![PromptMessage {
                role: Role::User,
                content: "Be precise.".into(),
                attachments: Vec::new(),
            }]),
            excluded_attachments: None,
        },
    )
    .await
    .expect("override set");
    let complete = MessageState::Complete;
    add(
        db,
        &first.id,
        Role::User,
        "What is 'a?",
        complete,
        MessageMeta::default(),
    )
    .await;
    let meta = MessageMeta {
        model: Some("gpt-4o-mini".into()),
        finish_reason: Some("stop".into()),
        prompt_tokens: Some(12),
        completion_tokens: Some(40),
        first_token_ms: Some(230),
        total_ms: Some(1200),
        ..MessageMeta::default()
    };
    add(
        db,
        &first.id,
        Role::Assistant,
        "A lifetime **parameter**.\n\n```rust\nfn f<'a>(x: &'a str) {}\n```",
        complete,
        meta,
    )
    .await;
    let aside = add(
        db,
        &first.id,
        Role::User,
        "(an aside)",
        complete,
        MessageMeta::default(),
    )
    .await;
    messages::set_in_context(conn, &aside.id, false)
        .await
        .expect("excluded");
    let partial = MessageMeta {
        reason: Some(confab_core::store::messages::StopReason::NoFinishReason),
        ..MessageMeta::default()
    };
    add(
        db,
        &first.id,
        Role::Assistant,
        "Half a rep",
        MessageState::Partial,
        partial,
    )
    .await;
    let failed = MessageMeta {
        error_code: Some(ErrorCode::RateLimited),
        error_message: Some("429 slow down".into()),
        ..MessageMeta::default()
    };
    add(
        db,
        &first.id,
        Role::Assistant,
        "",
        MessageState::Error,
        failed,
    )
    .await;
    add(
        db,
        &first.id,
        Role::Assistant,
        "Stopped",
        MessageState::Cancelled,
        MessageMeta::default(),
    )
    .await;
    conversations::set_pinned(conn, &first.id, true)
        .await
        .expect("pinned");

    let second = conversations::create(conn, Some("中文对话：模型比较"))
        .await
        .expect("created");
    add(
        db,
        &second.id,
        Role::User,
        "请比较两个模型的上下文长度。",
        complete,
        MessageMeta::default(),
    )
    .await;
    add(
        db,
        &second.id,
        Role::Assistant,
        "第一个模型支持 128K 上下文，第二个支持 32K。",
        complete,
        MessageMeta::default(),
    )
    .await;
    conversations::set_archived(conn, &second.id, true)
        .await
        .expect("archived");

    let third = conversations::create(conn, None).await.expect("created");
    let one = add(
        db,
        &third.id,
        Role::User,
        "one",
        complete,
        MessageMeta::default(),
    )
    .await;
    let two = add(
        db,
        &third.id,
        Role::Assistant,
        "two",
        complete,
        MessageMeta::default(),
    )
    .await;
    let three = add(
        db,
        &third.id,
        Role::User,
        "three",
        complete,
        MessageMeta::default(),
    )
    .await;
    // A second version of the reply, then the first shown again: the branch shown is not
    // the newest.
    messages::append(
        conn,
        NewMessage {
            conversation_id: &third.id,
            parent: confab_core::store::messages::Parent::Under(Some(&one.id)),
            role: Role::Assistant,
            parts: confab_core::vocab::text_parts_of("two, again"),
            state: complete,
            meta: MessageMeta::default(),
        },
    )
    .await
    .expect("second version");
    confab_core::store::branches::show(conn, &three.id)
        .await
        .expect("first version shown");
    assert_eq!(two.seq, 2);

    vec![first.id, second.id, third.id]
}

/// Every conversation (by id) with its messages, as records: what a lossless round trip
/// must reproduce exactly.
pub async fn snapshot(db: &Db) -> Vec<(ConversationRecord, Vec<MessageRecord>)> {
    let conn = db.conn();
    let slugs: Vec<agent::Model> = agent::Entity::find().all(conn).await.expect("agents");
    let rows = conversation::Entity::find()
        .order_by_asc(conversation::Column::Id)
        .all(conn)
        .await
        .expect("conversations");
    let mut out = Vec::new();
    for row in rows {
        let slug = row.agent_id.as_ref().and_then(|id| {
            slugs
                .iter()
                .find(|a| &a.id == id)
                .map(|a| a.agent_id.clone())
        });
        let id = row.id.clone();
        let messages = message::Entity::find()
            .filter(message::Column::ConversationId.eq(id))
            // Written order: parents before children, as an export lists them.
            .order_by_asc(message::Column::Rid)
            .all(conn)
            .await
            .expect("messages")
            .into_iter()
            .map(|m| MessageRecord::from(Message::from(m)))
            .collect();
        out.push((ConversationRecord::of(row, slug), messages));
    }
    out
}
