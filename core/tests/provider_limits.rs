//! The engine's own limits on provider requests: the rate limiter is per provider (the base
//! URL a request really goes to), a title request takes a concurrency slot like a reply,
//! and changing the slot count back and forth loses no slot. The in-process hostile server
//! (127.0.0.1) stands in for providers; real SQLite files.

mod common;

use std::time::Duration;

use common::hostile::{Answer, Body, DONE, Hostile, Step, chunk, finish, send};
use common::stream::send_new;
use common::{
    TempDb, engine_with, engine_with_settings, events_until_end, test_config, test_keychain,
    untitled_settings,
};
use confab_core::chat::{ChatEngine, ChatEvent, QueueReason};
use confab_core::providers::{self, ProviderInput};
use confab_core::settings::Settings;

/// A reply that takes `pause` to arrive.
fn slow_reply(pause: Duration) -> Answer {
    Answer::sse(vec![
        Step::Pause(pause),
        send(&chunk("slow")),
        send(&finish("stop")),
        send(DONE),
    ])
}

#[tokio::test]
async fn the_rate_limit_is_per_provider() {
    let first = Hostile::start(|_, _| Answer::reply(&["from the first"])).await;
    let second = Hostile::start(|_, _| Answer::reply(&["from the second"])).await;
    let temp = TempDb::new().await;
    let limited = Settings {
        requests_per_minute: 1,
        ..untitled_settings()
    };
    let engine = engine_with(
        &temp.db,
        test_keychain(),
        first.endpoint(),
        limited.clone(),
        test_config(),
    )
    .await;

    let (_, mut rx, _) = send_new(&engine, &temp.db, "one").await;
    let events = events_until_end(&mut rx).await;
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })));

    // Another provider has its own budget: no wait.
    let input = ProviderInput {
        name: "Second".into(),
        base_url: second.base_url(),
        default_model: "hostile-1".into(),
        ..ProviderInput::default()
    };
    let provider = providers::create(temp.db.conn(), &test_keychain(), &input)
        .await
        .unwrap();
    engine.apply_settings(Settings {
        default_provider_id: Some(provider.id),
        ..limited.clone()
    });
    let (_, mut rx, _) = send_new(&engine, &temp.db, "two").await;
    let events = events_until_end(&mut rx).await;
    let queued = |events: &[ChatEvent]| {
        events.iter().any(|e| {
            matches!(
                e,
                ChatEvent::Queued {
                    reason: QueueReason::RateLimit
                }
            )
        })
    };
    assert!(!queued(&events), "{events:?}");
    assert_eq!(second.chat_requests().len(), 1);

    // The first provider's budget is still spent: that one waits.
    engine.apply_settings(limited);
    let (stream, mut rx, _) = send_new(&engine, &temp.db, "three").await;
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .unwrap()
            .unwrap();
        if matches!(
            event,
            ChatEvent::Queued {
                reason: QueueReason::RateLimit
            }
        ) {
            break;
        }
        assert!(
            !matches!(event, ChatEvent::Done { .. } | ChatEvent::Error { .. }),
            "{event:?}"
        );
    }
    engine.cancel(&stream).unwrap();
    events_until_end(&mut rx).await;
}

#[tokio::test]
async fn a_title_request_takes_a_slot() {
    let server = Hostile::start(|request, _| {
        if request.is_stream() {
            return Answer::reply(&["An answer."]);
        }
        let title = serde_json::json!({"choices": [{"message": {"role": "assistant", "content": "Hostile title"}}]});
        Answer::new(200, Body::Steps(vec![Step::Pause(Duration::from_millis(800)), send(&title.to_string())]))
            .header("content-type", "application/json")
    })
    .await;
    let temp = TempDb::new().await;
    let titled = Settings {
        auto_title: true,
        max_concurrent_streams: 1,
        ..untitled_settings()
    };
    let engine = engine_with_settings(&temp.db, server.endpoint(), titled).await;
    let (_, mut rx, _) = send_new(&engine, &temp.db, "hello").await;
    events_until_end(&mut rx).await;
    let mut held = false;
    for _ in 0..60 {
        if engine.concurrency().0 == 1 {
            held = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(held, "the title request holds the one slot while it runs");
    let title = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(&title, ChatEvent::Title { title, .. } if title == "Hostile title"),
        "{title:?}"
    );
    assert_eq!(engine.concurrency().0, 0, "and gives it back");
}

#[tokio::test]
async fn lowering_then_raising_the_slot_count_loses_no_slot() {
    let server = Hostile::start(|_, _| slow_reply(Duration::from_millis(1500))).await;
    let temp = TempDb::new().await;
    let with = |n| Settings {
        max_concurrent_streams: n,
        ..untitled_settings()
    };
    let engine = engine_with(
        &temp.db,
        test_keychain(),
        server.endpoint(),
        with(3),
        test_config(),
    )
    .await;

    // Lowered and raised while every slot is busy, and again while idle.
    let mut running = Vec::new();
    for text in ["a", "b", "c"] {
        running.push(send_new(&engine, &temp.db, text).await.1);
    }
    assert!(in_flight(&engine, 3).await, "three replies running");
    engine.apply_settings(with(1));
    engine.apply_settings(with(3));
    for rx in &mut running {
        events_until_end(rx).await;
    }
    engine.apply_settings(with(2));
    tokio::time::sleep(Duration::from_millis(50)).await;
    engine.apply_settings(with(3));

    let before = server.chat_requests().len();
    let mut running = Vec::new();
    for text in ["d", "e", "f"] {
        running.push(send_new(&engine, &temp.db, text).await.1);
    }
    // The replies take over a second: all three overlap if three slots are there.
    assert!(in_flight(&engine, 3).await, "three slots, all in use");
    assert_eq!(server.chat_requests().len(), before + 3);
    for rx in &mut running {
        let events = events_until_end(rx).await;
        assert!(
            !events.iter().any(|e| matches!(e, ChatEvent::Queued { .. })),
            "{events:?}"
        );
    }
}

/// Whether `n` provider requests run at once within a second.
async fn in_flight(engine: &ChatEngine, n: usize) -> bool {
    for _ in 0..100 {
        if engine.concurrency().0 == n {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}
