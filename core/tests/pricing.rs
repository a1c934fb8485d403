//! Prices per provider and model on a real database: the shipped ones, the user's own
//! that win over them, and what a reply is priced at.

mod common;

use common::hostile::{Answer, DONE, Hostile, chunk, finish, send};
use common::stream::send_new;
use common::{
    TempDb, engine_with_settings, events_until_end, problems_of, row_count, test_config,
    test_keychain, untitled_settings,
};
use confab_core::api::Api;
use confab_core::chat::ChatEvent;
use confab_core::pricing::{self, Price};
use confab_core::providers::{self, ProviderInput, builtin};
use confab_core::secrets::Keychain;
use confab_core::store::Db;
use confab_core::store::messages::{self, Message};
use confab_core::{ErrorCode, Rule};
use serde_json::json;

fn price(input: f64, cached_input: Option<f64>, output: f64, currency: &str) -> Price {
    Price {
        input,
        cached_input,
        output,
        currency: currency.into(),
    }
}

async fn provider(db: &Db, keychain: &Keychain, base_url: &str) -> String {
    let input = ProviderInput {
        name: base_url.into(),
        base_url: base_url.into(),
        default_model: "gpt-4o-mini".into(),
        ..ProviderInput::default()
    };
    providers::create(db.conn(), keychain, &input)
        .await
        .expect("created")
        .id
}

#[tokio::test]
async fn own_prices_win_over_shipped_ones_until_removed() {
    let temp = TempDb::new().await;
    let (db, keychain) = (temp.db.conn(), test_keychain());
    let openai = provider(&temp.db, &keychain, "https://api.openai.com/v1").await;

    let shipped = pricing::list(db, &openai).await.expect("listed");
    let models: Vec<_> = shipped.iter().map(|p| p.model.as_str()).collect();
    assert_eq!(
        models,
        [
            "gpt-4.1",
            "gpt-4.1-mini",
            "gpt-4o",
            "gpt-4o-mini",
            "o4-mini"
        ]
    );
    assert!(
        shipped
            .iter()
            .all(|p| !p.custom && p.shipped == Some(p.price.clone()))
    );

    let mine = price(3.0, None, 12.0, " usd ");
    pricing::set(db, &openai, " gpt-4o ", &mine)
        .await
        .expect("set");
    pricing::set(db, &openai, "my-tune", &price(1.0, Some(0.5), 2.0, "EUR"))
        .await
        .expect("set");
    // Setting again replaces.
    pricing::set(db, &openai, "my-tune", &price(1.5, None, 2.0, "EUR"))
        .await
        .expect("set again");
    let listed = pricing::list(db, &openai).await.expect("listed");
    let gpt4o = listed.iter().find(|p| p.model == "gpt-4o").expect("gpt-4o");
    assert!(gpt4o.custom);
    assert_eq!(gpt4o.price, price(3.0, None, 12.0, "USD"));
    assert_eq!(gpt4o.shipped.as_ref().map(|p| p.input), Some(2.5));
    let tune = listed
        .iter()
        .find(|p| p.model == "my-tune")
        .expect("my-tune");
    assert_eq!((tune.custom, tune.shipped.is_none()), (true, true));
    assert_eq!(tune.price, price(1.5, None, 2.0, "EUR"));
    assert_eq!(listed.len(), 6);

    // A reply reports the dated snapshot name; the user's price for the plain name applies.
    let for_reply = |model: &'static str| pricing::price_for(db, &openai, model);
    assert_eq!(
        for_reply("gpt-4o-2024-08-06")
            .await
            .expect("read")
            .map(|p| p.input),
        Some(3.0)
    );
    assert_eq!(
        for_reply("gpt-4o-mini-2024-07-18")
            .await
            .expect("read")
            .map(|p| p.input),
        Some(0.15)
    );
    assert_eq!(for_reply("unknown-model").await.expect("read"), None);

    pricing::remove(db, &openai, "gpt-4o")
        .await
        .expect("removed");
    pricing::remove(db, &openai, "gpt-4o")
        .await
        .expect("removing twice is fine");
    assert_eq!(
        for_reply("gpt-4o").await.expect("read").map(|p| p.input),
        Some(2.5),
        "the shipped price again"
    );
    assert_eq!(row_count(&temp.db, "model_prices").await, 1);

    // Deleting the provider deletes its prices.
    providers::delete(db, &keychain, &openai)
        .await
        .expect("deleted");
    assert_eq!(row_count(&temp.db, "model_prices").await, 0);
    assert_eq!(for_reply("gpt-4o").await.expect("read"), None);
}

#[tokio::test]
async fn local_servers_have_no_shipped_prices_but_may_have_own_ones() {
    let temp = TempDb::new().await;
    let (db, keychain) = (temp.db.conn(), test_keychain());
    let local = provider(&temp.db, &keychain, "http://127.0.0.1:11434/v1").await;
    assert!(pricing::list(db, &local).await.expect("listed").is_empty());
    assert_eq!(
        pricing::price_for(db, &local, "gpt-4o")
            .await
            .expect("read"),
        None
    );
    let own = price(0.01, None, 0.02, "CNY");
    pricing::set(db, &local, "llama3.2", &own)
        .await
        .expect("set");
    assert_eq!(
        pricing::price_for(db, &local, "llama3.2")
            .await
            .expect("read"),
        Some(own)
    );
}

#[tokio::test]
async fn bad_prices_and_unknown_providers_are_refused() {
    let temp = TempDb::new().await;
    let (db, keychain) = (temp.db.conn(), test_keychain());
    let openai = provider(&temp.db, &keychain, "https://api.openai.com/v1").await;

    let error = pricing::set(db, &openai, "  ", &price(-1.0, None, f64::NAN, "dollars"))
        .await
        .expect_err("refused");
    assert_eq!(
        problems_of(&error),
        [
            ("model".into(), Rule::Required),
            ("input".into(), Rule::OutOfRange),
            ("output".into(), Rule::OutOfRange),
            ("currency".into(), Rule::CurrencyCode),
        ]
    );
    let fine = price(1.0, None, 1.0, "USD");
    let missing = pricing::set(db, "no-such-provider", "m", &fine)
        .await
        .expect_err("refused");
    assert_eq!(missing.code(), ErrorCode::NotFound);
    let missing = pricing::list(db, "no-such-provider")
        .await
        .expect_err("refused");
    assert_eq!(missing.code(), ErrorCode::NotFound);
    assert_eq!(row_count(&temp.db, "model_prices").await, 0);
}

/// A streamed reply by `model` that reports its token counts in a last usage chunk.
fn reply_with_usage(model: &'static str, prompt: u32, completion: u32) -> Answer {
    let usage = json!({
        "id": "c1", "object": "chat.completion.chunk", "created": 1, "model": model,
        "choices": [],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                  "total_tokens": prompt + completion},
    });
    Answer::sse(vec![
        send(&chunk("Hi")),
        send(&finish("stop")),
        send(&format!("data: {usage}\n\n")),
        send(DONE),
    ])
}

#[tokio::test]
async fn a_reply_is_stored_with_its_cost_at_the_providers_price() {
    let server = Hostile::start(|_, _| reply_with_usage("hostile-1", 1_000, 500)).await;
    let temp = TempDb::new().await;
    let engine = engine_with_settings(&temp.db, server.endpoint(), untitled_settings()).await;
    let db = temp.db.conn();

    // A server on this computer has no shipped price: the reply has no cost.
    let (_, mut rx, _) = send_new(&engine, &temp.db, "hello").await;
    let message = done(&events_until_end(&mut rx).await);
    assert_eq!(message.meta.prompt_tokens, Some(1_000));
    assert_eq!(message.meta.cost, None);

    let own = price(2.0, None, 8.0, "USD");
    pricing::set(db, builtin::ID, "hostile-1", &own)
        .await
        .expect("set");
    let (_, mut rx, _) = send_new(&engine, &temp.db, "hello").await;
    let message = done(&events_until_end(&mut rx).await);
    let cost = message.meta.cost.clone().expect("a cost");
    assert_eq!(cost.currency, "USD");
    assert!((cost.amount - 0.006).abs() < 1e-12, "{}", cost.amount);
    let read_back = messages::get(db, &message.id).await.expect("stored");
    assert_eq!(read_back.meta.cost, Some(cost));
}

fn done(events: &[ChatEvent]) -> Message {
    match events.last() {
        Some(ChatEvent::Done { message }) => message.clone(),
        other => panic!("expected Done, got {other:?}"),
    }
}

#[tokio::test]
async fn the_api_answers_each_change_with_the_providers_prices() {
    let temp = TempDb::new().await;
    let keychain = test_keychain();
    let deepseek = provider(&temp.db, &keychain, "https://api.deepseek.com/v1").await;
    let api = Api::new(
        temp.db.clone(),
        keychain,
        untitled_settings(),
        test_config(),
    )
    .expect("api");

    let shipped = api.list_model_prices(&deepseek).await.expect("listed");
    assert_eq!(shipped.len(), 2);
    assert!(shipped.iter().all(|p| p.price.currency == "CNY"));

    let usd = price(0.28, Some(0.028), 0.42, "USD");
    let after = api
        .set_model_price(&deepseek, "deepseek-chat", &usd)
        .await
        .expect("set");
    let chat = after
        .iter()
        .find(|p| p.model == "deepseek-chat")
        .expect("listed");
    assert_eq!((chat.custom, &chat.price), (true, &usd));
    let after = api
        .remove_model_price(&deepseek, "deepseek-chat")
        .await
        .expect("removed");
    assert_eq!(after, shipped, "back to the shipped prices");
}
