//! Usage statistics against a real SQLite file with the real migrations, on rows written
//! with known times, tokens and errors.

mod common;

use common::TempDb;
use common::rows::{DAY, HOUR, NOW, conversation, message, stats_at, three_conversations};
use confab_core::ErrorCode;
use confab_core::store::messages;
use confab_core::store::stats::{self, AgentUsage, ModelUsage, StatsQuery, Usage};
use confab_core::store::stats_cost::Spending;

/// Three conversations: one of the default agent today, one of "Coder" yesterday (with a
/// failed reply), one without an agent ten days ago (with a failed reply whose code this
/// version does not know, and a row whose meta is not JSON).
async fn seeded() -> TempDb {
    let temp = TempDb::new().await;
    let db = &temp.db;
    three_conversations(db).await;

    message(db, "m1", "c1", 1, NOW - HOUR, "complete", "{}").await;
    let meta = r#"{"model":"gpt-4o","promptTokens":10,"completionTokens":20}"#;
    message(db, "m2", "c1", 2, NOW - HOUR + 1_000, "complete", meta).await;

    message(db, "m3", "c2", 1, NOW - DAY, "complete", "{}").await;
    let long = "x".repeat(300);
    let meta =
        format!(r#"{{"model":"qwen-max","errorCode":"rate_limited","errorMessage":"{long}"}}"#);
    message(db, "m4", "c2", 2, NOW - DAY + 1_000, "error", &meta).await;
    message(db, "m5", "c2", 3, NOW - DAY + 2_000, "complete", "{}").await;
    let meta = r#"{"model":"qwen-max","promptTokens":5,"completionTokens":7}"#;
    message(db, "m6", "c2", 4, NOW - DAY + 3_000, "complete", meta).await;

    let old = NOW - 10 * DAY;
    message(db, "m7", "c3", 1, old, "complete", "{}").await;
    let meta = r#"{"model":"gpt-4o","promptTokens":100,"completionTokens":200}"#;
    message(db, "m8", "c3", 2, old + 1_000, "complete", meta).await;
    let meta = r#"{"model":"gpt-4o","errorCode":"something_new","errorMessage":"boom"}"#;
    message(db, "m9", "c3", 4, old + 2_000, "error", meta).await;
    message(db, "m10", "c3", 5, old + 3_000, "complete", "not json").await;
    temp
}

/// Replies with a model but no cost (none of these rows has one).
fn unpriced(replies: u64) -> Spending {
    Spending {
        amounts: vec![],
        unpriced: replies,
    }
}

fn usage(messages: u64, prompt_tokens: u64, completion_tokens: u64, errors: u64) -> Usage {
    Usage {
        messages,
        prompt_tokens,
        completion_tokens,
        errors,
    }
}

#[tokio::test]
async fn totals_cover_all_time() {
    let temp = seeded().await;
    let totals = stats_at(&temp.db, 1, 0).await.totals;
    assert_eq!(totals.conversations, 3);
    assert_eq!(totals.messages, 10);
    assert_eq!(totals.prompt_tokens, 115);
    assert_eq!(totals.completion_tokens, 227);
    assert_eq!(totals.errors, 2);
}

#[tokio::test]
async fn every_day_of_the_window_is_listed_oldest_first() {
    let temp = seeded().await;
    let stats = stats_at(&temp.db, 3, 0).await;
    assert_eq!(stats.since, 20_412 * DAY);
    let days: Vec<(&str, i64, &Usage)> = stats
        .per_day
        .iter()
        .map(|day| (day.date.as_str(), day.start, &day.usage))
        .collect();
    assert_eq!(
        days,
        vec![
            ("2025-11-20", 20_412 * DAY, &Usage::default()),
            ("2025-11-21", 20_413 * DAY, &usage(4, 5, 7, 1)),
            ("2025-11-22", 20_414 * DAY, &usage(2, 10, 20, 0)),
        ]
    );
}

#[tokio::test]
async fn days_begin_at_local_midnight() {
    let temp = seeded().await;
    // UTC−13: it is 23:00 on 2025-11-21 there. Yesterday's rows (12:00 UTC) fall on the
    // 20th, this morning's (11:00 UTC) on the 21st.
    let stats = stats_at(&temp.db, 2, -13 * 60).await;
    assert_eq!(stats.since, 20_412 * DAY + 13 * HOUR);
    let days: Vec<(&str, u64)> = stats
        .per_day
        .iter()
        .map(|day| (day.date.as_str(), day.usage.messages))
        .collect();
    assert_eq!(days, vec![("2025-11-20", 4), ("2025-11-21", 2)]);
}

#[tokio::test]
async fn agents_and_models_cover_the_window() {
    let temp = seeded().await;
    let stats = stats_at(&temp.db, 3, 0).await;
    assert_eq!(
        stats.per_agent,
        vec![
            AgentUsage {
                agent_id: Some("agent-coder".into()),
                name: Some("Coder".into()),
                usage: usage(4, 5, 7, 1),
                cost: unpriced(2),
            },
            AgentUsage {
                agent_id: Some("default".into()),
                name: Some("Default".into()),
                usage: usage(2, 10, 20, 0),
                cost: unpriced(1),
            },
        ]
    );
    assert_eq!(
        stats.per_model,
        vec![
            ModelUsage {
                model: "qwen-max".into(),
                usage: usage(2, 5, 7, 1),
                cost: unpriced(2),
            },
            ModelUsage {
                model: "gpt-4o".into(),
                usage: usage(1, 10, 20, 0),
                cost: unpriced(1),
            },
        ]
    );

    // Thirty days reach the conversation without an agent; its row with a broken meta
    // counts as a message with no model and no tokens.
    let stats = stats_at(&temp.db, 30, 0).await;
    let agents: Vec<(Option<&str>, &Usage)> = stats
        .per_agent
        .iter()
        .map(|agent| (agent.agent_id.as_deref(), &agent.usage))
        .collect();
    assert_eq!(
        agents,
        vec![
            (None, &usage(4, 100, 200, 1)),
            (Some("agent-coder"), &usage(4, 5, 7, 1)),
            (Some("default"), &usage(2, 10, 20, 0)),
        ]
    );
    let models: Vec<(&str, &Usage)> = stats
        .per_model
        .iter()
        .map(|model| (model.model.as_str(), &model.usage))
        .collect();
    assert_eq!(
        models,
        vec![
            ("gpt-4o", &usage(3, 110, 220, 1)),
            ("qwen-max", &usage(2, 5, 7, 1)),
        ]
    );
}

#[tokio::test]
async fn recent_errors_are_newest_first_with_their_conversation() {
    let temp = seeded().await;
    let errors = stats_at(&temp.db, 1, 0).await.recent_errors;
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].message_id, "m4");
    assert_eq!(errors[0].conversation_id, "c2");
    assert_eq!(errors[0].seq, 2);
    assert_eq!(errors[0].conversation_title, "Second");
    assert_eq!(errors[0].created_at, NOW - DAY + 1_000);
    assert_eq!(errors[0].error_code, Some(ErrorCode::RateLimited));
    assert_eq!(errors[0].message, "x".repeat(200));
    assert_eq!(errors[1].message_id, "m9");
    assert_eq!(errors[1].seq, 4);
    assert_eq!(errors[1].conversation_title, "Third");
    assert_eq!(errors[1].error_code, None);
    assert_eq!(errors[1].message, "boom");
}

#[tokio::test]
async fn only_the_latest_twenty_errors_are_listed() {
    let temp = TempDb::new().await;
    let db = &temp.db;
    conversation(db, "c", None, "Many").await;
    for seq in 1..=25 {
        let meta = r#"{"errorCode":"network","errorMessage":"reset"}"#;
        message(
            db,
            &format!("e{seq}"),
            "c",
            seq,
            NOW - 100 + seq,
            "error",
            meta,
        )
        .await;
    }
    let stats = stats_at(db, 7, 0).await;
    let ids: Vec<&str> = stats
        .recent_errors
        .iter()
        .map(|e| e.message_id.as_str())
        .collect();
    let expected: Vec<String> = (6..=25).rev().map(|seq| format!("e{seq}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(stats.totals.errors, 25);
}

#[tokio::test]
async fn replies_written_by_the_store_are_counted() {
    // Through the store's own writer, so the generated columns read what it writes.
    let temp = TempDb::new().await;
    let db = &temp.db;
    let conversation = confab_core::store::conversations::create(db.conn(), Some("t"))
        .await
        .expect("conversation");
    messages::append(
        db.conn(),
        messages::NewMessage {
            conversation_id: &conversation.id,
            role: confab_core::store::entities::message::Role::Assistant,
            parent: confab_core::store::messages::Parent::Leaf,
            parts: confab_core::vocab::text_parts_of("hello"),
            state: confab_core::store::entities::message::MessageState::Complete,
            meta: messages::MessageMeta {
                model: Some("m".into()),
                prompt_tokens: Some(3),
                completion_tokens: Some(4),
                ..messages::MessageMeta::default()
            },
        },
    )
    .await
    .expect("append");
    let stats = stats::get(
        db.conn(),
        StatsQuery {
            days: 1,
            now: confab_core::store::now_ms(),
            utc_offset_minutes: 0,
        },
    )
    .await
    .expect("stats");
    assert_eq!(stats.totals.prompt_tokens, 3);
    assert_eq!(stats.totals.completion_tokens, 4);
    assert_eq!(stats.per_model[0].model, "m");
    assert_eq!(stats.per_model[0].usage, usage(1, 3, 4, 0));
}
