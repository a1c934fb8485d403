//! What replies cost on the statistics page, against a real SQLite file with the real
//! migrations: sums per currency (never added across currencies), all time and per day,
//! agent and model, and the replies whose cost is not known.

mod common;

use common::TempDb;
use common::rows::{DAY, HOUR, NOW, message, stats_at, three_conversations};
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::{self, Cost, MessageMeta, NewMessage, Parent};
use confab_core::store::stats::{self, Stats, StatsQuery};
use confab_core::store::stats_cost::Spending;
use confab_core::store::{conversations, now_ms};

/// A reply's meta: its model and cost (`currency` `None`: no cost).
fn reply(model: &str, cost: Option<(f64, &str)>) -> String {
    let cost = cost.map_or(String::new(), |(amount, currency)| {
        format!(r#","cost":{{"amount":{amount},"currency":"{currency}"}}"#)
    });
    format!(r#"{{"model":"{model}","promptTokens":10,"completionTokens":10{cost}}}"#)
}

/// Today in the default agent's conversation, two versions of a reply in dollars; yesterday
/// in Coder's, replies in yuan, one of a model without a price and one that failed; ten
/// days ago without an agent, dollars, a cost in euros without a model, and costs that
/// cannot be money (a currency that is not a code, a negative amount).
async fn seeded() -> TempDb {
    let temp = TempDb::new().await;
    let db = &temp.db;
    three_conversations(db).await;

    let today = NOW - HOUR;
    message(db, "a1", "c1", 1, today, "complete", "{}").await;
    let meta = r#"{"model":"gpt-4o","reasoningTokens":40,"cost":{"amount":0.25,"currency":"USD"}}"#;
    message(db, "a2", "c1", 2, today + 1, "complete", meta).await;
    let meta = reply("gpt-4o", Some((0.5, "USD")));
    message(db, "a3", "c1", 3, today + 2, "complete", &meta).await;

    let yesterday = NOW - DAY;
    message(db, "b1", "c2", 1, yesterday, "complete", "{}").await;
    let meta = reply("qwen-max", Some((1.25, "CNY")));
    message(db, "b2", "c2", 2, yesterday + 1, "complete", &meta).await;
    let meta =
        r#"{"model":"qwen-max","reasoningTokens":8,"cost":{"amount":0.375,"currency":"CNY"}}"#;
    message(db, "b3", "c2", 3, yesterday + 2, "complete", meta).await;
    let meta = reply("deepseek-chat", None);
    message(db, "b4", "c2", 4, yesterday + 3, "complete", &meta).await;
    let meta = r#"{"model":"qwen-max","errorCode":"network","errorMessage":"reset"}"#;
    message(db, "b5", "c2", 5, yesterday + 4, "error", meta).await;

    let old = NOW - 10 * DAY;
    let meta = reply("gpt-4o", Some((2.0, "USD")));
    message(db, "c1m", "c3", 1, old, "complete", &meta).await;
    let meta = reply("gpt-4o", Some((1.0, "dollars")));
    message(db, "c2m", "c3", 2, old + 1, "complete", &meta).await;
    let meta = reply("gpt-4o", Some((-1.0, "USD")));
    message(db, "c3m", "c3", 3, old + 2, "complete", &meta).await;
    let meta = r#"{"cost":{"amount":0.125,"currency":"EUR"}}"#;
    message(db, "c4m", "c3", 4, old + 3, "complete", meta).await;
    message(db, "c5m", "c3", 5, old + 4, "complete", "not json").await;
    temp
}

/// `amounts` as (amount, currency), and the replies without a known cost.
fn spent(amounts: &[(f64, &str)], unpriced: u64) -> Spending {
    Spending {
        amounts: amounts
            .iter()
            .map(|&(amount, currency)| Cost {
                amount,
                currency: currency.into(),
            })
            .collect(),
        unpriced,
    }
}

#[tokio::test]
async fn all_time_costs_are_summed_per_currency() {
    let temp = seeded().await;
    let totals = stats_at(&temp.db, 1, 0).await.totals;
    // The amounts are binary fractions, so their sums are exact.
    assert_eq!(
        totals.cost,
        spent(&[(1.625, "CNY"), (0.125, "EUR"), (2.75, "USD")], 4)
    );
    assert_eq!(totals.reasoning_tokens, 48);
    assert_eq!(totals.messages, 13);
}

#[tokio::test]
async fn each_day_has_its_costs() {
    let temp = seeded().await;
    let stats = stats_at(&temp.db, 3, 0).await;
    let days: Vec<(&str, &Spending)> = stats
        .per_day
        .iter()
        .map(|day| (day.date.as_str(), &day.cost))
        .collect();
    assert_eq!(
        days,
        vec![
            ("2025-11-20", &Spending::default()),
            ("2025-11-21", &spent(&[(1.625, "CNY")], 2)),
            ("2025-11-22", &spent(&[(0.75, "USD")], 0)),
        ]
    );

    // At UTC−13 yesterday's replies (12:00 UTC) fall on the 20th, this morning's on the 21st:
    // the costs move with the other figures of their day.
    let stats = stats_at(&temp.db, 2, -13 * 60).await;
    let days: Vec<(&str, u64, &Spending)> = stats
        .per_day
        .iter()
        .map(|day| (day.date.as_str(), day.usage.messages, &day.cost))
        .collect();
    assert_eq!(
        days,
        vec![
            ("2025-11-20", 5, &spent(&[(1.625, "CNY")], 2)),
            ("2025-11-21", 3, &spent(&[(0.75, "USD")], 0)),
        ]
    );
}

fn agent_costs(stats: &Stats) -> Vec<(Option<&str>, &Spending)> {
    let agents = stats.per_agent.iter();
    agents
        .map(|agent| (agent.agent_id.as_deref(), &agent.cost))
        .collect()
}

#[tokio::test]
async fn agents_and_models_have_their_costs() {
    let temp = seeded().await;
    let stats = stats_at(&temp.db, 3, 0).await;
    assert_eq!(
        agent_costs(&stats),
        vec![
            (Some("agent-coder"), &spent(&[(1.625, "CNY")], 2)),
            (Some("default"), &spent(&[(0.75, "USD")], 0)),
        ]
    );

    let stats = stats_at(&temp.db, 30, 0).await;
    assert_eq!(
        agent_costs(&stats),
        vec![
            (None, &spent(&[(0.125, "EUR"), (2.0, "USD")], 2)),
            (Some("agent-coder"), &spent(&[(1.625, "CNY")], 2)),
            (Some("default"), &spent(&[(0.75, "USD")], 0)),
        ]
    );
    // The cost in euros has no model, so no model's row shows it.
    let models: Vec<(&str, &Spending)> = stats
        .per_model
        .iter()
        .map(|model| (model.model.as_str(), &model.cost))
        .collect();
    assert_eq!(
        models,
        vec![
            ("gpt-4o", &spent(&[(2.75, "USD")], 2)),
            ("qwen-max", &spent(&[(1.625, "CNY")], 1)),
            ("deepseek-chat", &spent(&[], 1)),
        ]
    );
}

#[tokio::test]
async fn every_version_of_a_reply_was_paid_for() {
    // Through the store's own writer: three versions of one reply, siblings under the
    // question, each with its own cost.
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let chat = conversations::create(db, Some("t")).await.expect("chat");
    let question = NewMessage::text(&chat.id, Role::User, "how much?");
    let question = messages::append(db, question).await.expect("question");
    let mut last = None;
    for (amount, currency) in [(0.25, "USD"), (0.5, "USD"), (3.0, "CNY")] {
        let version = NewMessage {
            parent: Parent::Under(Some(&question.id)),
            state: MessageState::Complete,
            meta: MessageMeta {
                model: Some("m".into()),
                cost: Some(Cost {
                    amount,
                    currency: currency.into(),
                }),
                ..MessageMeta::default()
            },
            ..NewMessage::text(&chat.id, Role::Assistant, "this much")
        };
        last = Some(messages::append(db, version).await.expect("version"));
    }
    assert_eq!(last.expect("written").versions, 3);

    let query = StatsQuery {
        days: 1,
        now: now_ms(),
        utc_offset_minutes: 0,
    };
    let stats = stats::get(db, query).await.expect("stats");
    let expected = spent(&[(3.0, "CNY"), (0.75, "USD")], 0);
    assert_eq!(stats.totals.cost, expected);
    assert_eq!(stats.per_day[0].cost, expected);
    assert_eq!(stats.per_model[0].cost, expected);
    assert_eq!(stats.per_agent[0].cost, expected);
}
