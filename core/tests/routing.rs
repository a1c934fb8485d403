//! An agent's provider, model, key, headers and sampling parameters are what its
//! conversations' requests use; conversations without one use the default provider chosen in
//! the settings (the built-in provider, until another is chosen).
//! Two aimock servers on 127.0.0.1 play the default provider and the agent's provider.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{Aimock, TempDb, engine, events_until_end, test_keychain};
use confab_core::agents::{self, AgentInput, AgentParams};
use confab_core::chat::{ChatEvent, ChatSink};
use confab_core::error::ErrorCode;
use confab_core::providers::{self, ProviderInput};
use confab_core::secrets::Secret;
use confab_core::settings;
use confab_core::store::conversations;
use serde_json::json;
use tokio::sync::mpsc;

#[tokio::test]
async fn an_agents_provider_model_key_headers_and_params_are_used() {
    let fixtures =
        json!({"fixtures": [{"match": {"userMessage": "hi"}, "response": {"content": "hello"}}]});
    let default_server = Aimock::start(fixtures.clone());
    let agent_server =
        Aimock::start_with_env(fixtures, &[("AIMOCK_API_KEYS", "sk-agent-provider-key")]);
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let keychain = test_keychain();

    let provider = providers::create(
        db,
        &keychain,
        &ProviderInput {
            name: "Agent's provider".into(),
            base_url: agent_server.base_url(),
            default_model: "provider-default-model".into(),
            extra_headers: BTreeMap::from([("X-Title".to_string(), "Confab".to_string())]),
            ..ProviderInput::default()
        },
    )
    .await
    .unwrap();
    providers::set_api_key(
        db,
        &keychain,
        &provider.id,
        Secret::new("sk-agent-provider-key"),
    )
    .await
    .unwrap();
    let agent = agents::create(
        db,
        AgentInput {
            agent_id: "routed".into(),
            provider_id: Some(provider.id.clone()),
            model: Some("agent-model".into()),
            params: AgentParams {
                temperature: Some(0.3),
                max_tokens: Some(256),
                ..AgentParams::default()
            },
            ..AgentInput::default()
        },
    )
    .await
    .unwrap();

    let engine = engine(&temp.db, keychain.clone(), default_server.endpoint()).await;
    let send = |conversation_id: String| {
        let engine = Arc::clone(&engine);
        async move {
            let (tx, mut rx) = mpsc::unbounded_channel::<ChatEvent>();
            let sink: Arc<dyn ChatSink> = Arc::new(tx);
            engine
                .send_message(&conversation_id, "hi", Vec::new(), sink)
                .await
                .unwrap();
            events_until_end(&mut rx).await
        }
    };

    let routed = conversations::create_with_agent(db, None, Some(&agent.id))
        .await
        .unwrap();
    let events = send(routed.id).await;
    // The agent's server only answers with its key: a reply proves the key was sent.
    assert!(
        matches!(events.last(), Some(ChatEvent::Done { .. })),
        "{:?}",
        events.last()
    );
    let journal = agent_server.journal_with_key("sk-agent-provider-key").await;
    let request = &journal.as_array().unwrap()[0];
    assert_eq!(request.pointer("/body/model"), Some(&json!("agent-model")));
    assert_eq!(request.pointer("/body/temperature"), Some(&json!(0.3)));
    assert_eq!(request.pointer("/body/max_tokens"), Some(&json!(256)));
    assert_eq!(
        request.pointer("/body/top_p"),
        None,
        "unset parameters are left out"
    );
    assert_eq!(request.pointer("/headers/x-title"), Some(&json!("Confab")));
    assert!(
        default_server
            .journal()
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing went to the default"
    );

    let plain = conversations::create(db, None).await.unwrap();
    let events = send(plain.id).await;
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })));
    let journal = default_server.journal().await;
    assert_eq!(
        journal.as_array().unwrap()[0].pointer("/body/model"),
        Some(&json!("gpt-4o-mini"))
    );

    // The provider chosen as the default in the settings serves conversations without an
    // agent (with its own default model); the built-in provider gets nothing more.
    let mut chosen = engine.settings();
    chosen.default_provider_id = Some(provider.id.clone());
    settings::save(db, &chosen).await.unwrap();
    engine.apply_settings(settings::load(db).await.unwrap());
    let plain = conversations::create(db, None).await.unwrap();
    let events = send(plain.id).await;
    assert!(
        matches!(events.last(), Some(ChatEvent::Done { .. })),
        "{:?}",
        events.last()
    );
    let journal = agent_server.journal_with_key("sk-agent-provider-key").await;
    assert_eq!(journal.as_array().unwrap().len(), 2);
    assert_eq!(
        journal.as_array().unwrap()[1].pointer("/body/model"),
        Some(&json!("provider-default-model"))
    );
    assert_eq!(default_server.journal().await.as_array().unwrap().len(), 1);

    // While it is the default it cannot be deleted, and no unknown provider can be chosen.
    agents::delete(db, &agent.id).await.unwrap();
    let refused = providers::delete(db, &keychain, &provider.id)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InUse);
    assert!(
        refused
            .to_string()
            .contains("the default provider in Settings"),
        "{refused}"
    );
    let mut unknown = chosen.clone();
    unknown.default_provider_id = Some("no-such-provider".into());
    let error = settings::save(db, &unknown).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert_eq!(
        settings::load(db).await.unwrap().default_provider_id,
        Some(provider.id.clone())
    );

    // Back to the built-in provider, the other one can go.
    chosen.default_provider_id = Some(providers::builtin::ID.into());
    settings::save(db, &chosen).await.unwrap();
    providers::delete(db, &keychain, &provider.id)
        .await
        .unwrap();
}
