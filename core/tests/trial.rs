//! Trying an unsaved agent: the request is the draft's (provider, model, parameters, preset
//! messages, then the try-out's history; never its greetings), it streams like any reply,
//! stops by its stream id, and writes nothing to the database.

mod common;

use std::sync::Arc;

use common::{Aimock, TempDb, engine, events_until_end, row_count, streamed_text, test_keychain};
use confab_core::agents::{AgentInput, AgentParams, AppPreset};
use confab_core::chat::{ChatEngine, ChatEvent, ChatSink, PromptMessage};
use confab_core::providers::{self, ProviderInput};
use confab_core::store::Db;
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::{Error, ErrorCode, Rule};
use serde_json::json;
use tokio::sync::mpsc;

const TABLES: [&str; 5] = [
    "agents",
    "conversations",
    "messages",
    "stream_checkpoints",
    "providers",
];

async fn counts(db: &Db) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(row_count(db, table).await);
    }
    counts
}

fn msg(role: Role, content: &str) -> PromptMessage {
    PromptMessage {
        role,
        content: content.into(),
        attachments: Vec::new(),
    }
}

/// A draft as the editor holds it mid-edit: no id yet, a greeting, its own provider.
fn draft(provider_id: Option<String>) -> AgentInput {
    AgentInput {
        agent_id: String::new(),
        provider_id,
        model: Some("draft-model".into()),
        params: AgentParams {
            temperature: Some(0.2),
            max_tokens: Some(64),
            ..AgentParams::default()
        },
        preset_messages: vec![
            msg(Role::System, "Answer in one line."),
            msg(Role::User, "Example question"),
            msg(Role::Assistant, "Example answer"),
        ],
        app_preset: AppPreset {
            name: "Unsaved".into(),
            greetings: vec!["Hello! I am only shown.".into()],
            suggested_questions: vec!["How are you?".into()],
            ..AppPreset::default()
        },
        ..AgentInput::default()
    }
}

async fn try_out(
    engine: &Arc<ChatEngine>,
    draft: AgentInput,
    history: Vec<PromptMessage>,
) -> (String, mpsc::UnboundedReceiver<ChatEvent>) {
    let (tx, rx) = mpsc::unbounded_channel::<ChatEvent>();
    let sink: Arc<dyn ChatSink> = Arc::new(tx);
    let stream_id = engine
        .try_agent(draft, history, sink)
        .await
        .expect("the try-out starts");
    (stream_id, rx)
}

#[tokio::test]
async fn a_draft_answers_with_its_own_settings_and_nothing_is_written() {
    let default_server = Aimock::start(json!({"fixtures": []}));
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "How are you?"}, "response": {"content": "Fine, thanks."}}
    ]}));
    let temp = TempDb::new().await;
    let keychain = test_keychain();
    let provider = providers::create(
        temp.db.conn(),
        &keychain,
        &ProviderInput {
            name: "Draft's provider".into(),
            base_url: server.base_url(),
            default_model: "provider-default".into(),
            ..ProviderInput::default()
        },
    )
    .await
    .unwrap();
    let engine = engine(&temp.db, test_keychain(), default_server.endpoint()).await;
    let before = counts(&temp.db).await;

    let history = vec![
        msg(Role::User, "Hi"),
        msg(Role::Assistant, "Hello, how can I help?"),
        msg(Role::User, "How are you?"),
    ];
    let (stream_id, mut rx) = try_out(&engine, draft(Some(provider.id)), history).await;
    let events = events_until_end(&mut rx).await;

    let Some(ChatEvent::Started {
        stream_id: started,
        user_message,
        ..
    }) = events.first()
    else {
        panic!("starts with Started: {events:?}");
    };
    assert_eq!(started, &stream_id);
    assert_eq!(user_message.content, "How are you?");
    assert_eq!(streamed_text(&events), "Fine, thanks.");
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("ends with Done: {events:?}");
    };
    assert_eq!(message.content, "Fine, thanks.");
    assert_eq!(message.state, MessageState::Complete);
    assert_eq!(message.meta.model.as_deref(), Some("draft-model"));

    let journal = server.journal().await;
    let requests = journal.as_array().unwrap();
    assert_eq!(requests.len(), 1, "one request, no title request");
    let body = &requests[0]["body"];
    assert_eq!(
        body["messages"],
        json!([
            {"role": "system", "content": "Answer in one line."},
            {"role": "user", "content": "Example question"},
            {"role": "assistant", "content": "Example answer"},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello, how can I help?"},
            {"role": "user", "content": "How are you?"}
        ]),
        "the preset, then the try-out; no greeting"
    );
    assert_eq!(body["model"], "draft-model");
    assert_eq!(body["temperature"], 0.2);
    assert_eq!(body["max_tokens"], 64);
    assert!(body.get("top_p").is_none(), "unset parameters are left out");
    assert!(
        default_server
            .journal()
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "the draft's provider was used, not the default"
    );

    // The reply task has ended; give a stray write the chance to land before counting.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(counts(&temp.db).await, before, "{TABLES:?}");
}

#[tokio::test]
async fn a_try_out_stops_by_its_stream_id_and_is_not_a_conversations_stream() {
    let slow = "word ".repeat(200);
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "Go on"}, "response": {"content": slow},
         "streamingProfile": {"ttft": 50, "tps": 20}}
    ]}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let before = counts(&temp.db).await;

    // Without a provider the draft uses the app's default (here the server above).
    let (stream_id, mut rx) = try_out(&engine, draft(None), vec![msg(Role::User, "Go on")]).await;
    loop {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("text arrives")
            .expect("stream open");
        if matches!(event, ChatEvent::Delta { .. }) {
            break;
        }
    }
    assert!(
        engine.active_streams().is_empty(),
        "a try-out is not listed among conversations' replies"
    );
    engine.cancel(&stream_id).unwrap();
    let events = events_until_end(&mut rx).await;
    let Some(ChatEvent::Done { message }) = events.last() else {
        panic!("a stopped try-out ends with Done: {events:?}");
    };
    assert_eq!(message.state, MessageState::Cancelled);
    assert!(!message.content.is_empty() && message.content.len() < slow.len());
    assert!(matches!(
        engine.cancel(&stream_id),
        Err(Error::NotFound { .. })
    ));
    let journal = server.journal().await;
    assert_eq!(journal[0]["body"]["model"], "draft-model");
    assert_eq!(counts(&temp.db).await, before);
}

#[tokio::test]
async fn a_draft_or_history_that_cannot_be_sent_is_refused_before_any_request() {
    let server = Aimock::start(json!({"fixtures": []}));
    let temp = TempDb::new().await;
    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let refused = |draft: AgentInput, history: Vec<PromptMessage>| {
        let engine = Arc::clone(&engine);
        async move {
            let (tx, _rx) = mpsc::unbounded_channel::<ChatEvent>();
            let sink: Arc<dyn ChatSink> = Arc::new(tx);
            engine.try_agent(draft, history, sink).await.unwrap_err()
        }
    };

    let mut hot = draft(None);
    hot.params.temperature = Some(5.0);
    hot.preset_messages[1].content = " ".into();
    let error = refused(hot, vec![msg(Role::User, "hi")]).await;
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert_eq!(
        common::problems_of(&error),
        [
            ("params.temperature".to_string(), Rule::OutOfRange),
            ("presetMessages.1.content".to_string(), Rule::Required),
        ]
    );

    let answered = vec![msg(Role::User, "hi"), msg(Role::Assistant, "hello")];
    let error = refused(draft(None), answered).await;
    let nothing_to_answer = ("messages".to_string(), Rule::NothingToAnswer);
    assert_eq!(common::problem_of(&error), nothing_to_answer);
    let error = refused(draft(None), vec![]).await;
    assert_eq!(common::problem_of(&error), nothing_to_answer);
    let error = refused(
        draft(None),
        vec![msg(Role::System, "x"), msg(Role::User, "hi")],
    )
    .await;
    assert_eq!(
        common::problem_of(&error),
        ("messages.0.role".to_string(), Rule::TrialRole)
    );

    let error = refused(
        draft(Some("no-such-provider".into())),
        vec![msg(Role::User, "hi")],
    )
    .await;
    assert_eq!(error.code(), ErrorCode::NotFound);

    assert!(server.journal().await.as_array().unwrap().is_empty());
}
