//! Agents against a real SQLite file: CRUD, the built-in agent, import / export, and the
//! proof (through aimock's journal) that greetings are never sent.

mod common;

use common::stream::send_to_end;
use common::{Aimock, TempDb, engine, row_count, test_keychain};
use confab_core::agents::{self, AgentInput, AgentParams, AppPreset, DEFAULT_AGENT_ID};
use confab_core::chat::{ChatEvent, PromptMessage};
use confab_core::startup;
use confab_core::store::entities::message::Role;
use confab_core::store::{Db, conversations};
use confab_core::{Error, ErrorCode, Problem, Rule};
use serde_json::json;

fn agent(slug: &str) -> AgentInput {
    AgentInput {
        agent_id: slug.into(),
        model: Some("gpt-4o-mini".into()),
        params: AgentParams {
            temperature: Some(0.7),
            ..AgentParams::default()
        },
        preset_messages: vec![PromptMessage {
            role: Role::System,
            content: "You are a careful translator.".into(),
            attachments: Vec::new(),
        }],
        app_preset: AppPreset {
            name: "Translator".into(),
            avatar: "🌐".into(),
            greetings: vec!["Hello! Paste some text.".into()],
            suggested_questions: vec!["Translate 你好".into()],
            ..AppPreset::default()
        },
        ..AgentInput::default()
    }
}

#[tokio::test]
async fn agents_are_created_read_updated_duplicated_and_deleted() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let created = agents::create(db, agent(" translator ")).await.unwrap();
    assert_eq!(created.agent_id, "translator");
    assert!(!created.builtin);
    assert_eq!(agents::get(db, &created.id).await.unwrap(), created);

    let mut changed = agent("translator-zh");
    changed.params.max_tokens = Some(512);
    let updated = agents::update(db, &created.id, changed).await.unwrap();
    assert_eq!(updated.agent_id, "translator-zh");
    assert_eq!(updated.params.max_tokens, Some(512));

    let copy = agents::duplicate(db, &created.id).await.unwrap();
    let copy2 = agents::duplicate(db, &created.id).await.unwrap();
    assert_eq!(copy.agent_id, "translator-zh-copy");
    assert_eq!(copy2.agent_id, "translator-zh-copy-2");
    assert_eq!(copy.app_preset.name, "Translator (copy)");
    assert_eq!(copy.preset_messages, updated.preset_messages);

    let slugs: Vec<_> = agents::list(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.agent_id)
        .collect();
    assert_eq!(
        slugs,
        [
            "default",
            "translator-zh",
            "translator-zh-copy",
            "translator-zh-copy-2"
        ]
    );

    let duplicate = agents::create(db, agent("translator-zh"))
        .await
        .unwrap_err();
    assert!(
        matches!(&duplicate, Error::InvalidInput(p)
            if p == &[Problem::new("agentId", Rule::Taken).value("translator-zh")]),
        "{duplicate}"
    );

    agents::delete(db, &copy.id).await.unwrap();
    assert!(matches!(
        agents::get(db, &copy.id).await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn invalid_agents_are_refused_with_every_problem_named() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let mut bad = agent("Not A Slug");
    bad.params.top_p = Some(1.5);
    bad.params.frequency_penalty = Some(-2.5);
    bad.provider_id = Some("no-such-provider".into());
    let error = agents::create(db, bad).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert_eq!(
        common::problems_of(&error),
        [
            ("agentId".to_string(), Rule::InvalidSlug),
            ("params.topP".to_string(), Rule::OutOfRange),
            ("params.frequencyPenalty".to_string(), Rule::OutOfRange),
            ("providerId".to_string(), Rule::NoSuchProvider),
        ]
    );
    assert_eq!(
        row_count(&temp.db, "agents").await,
        1,
        "only the built-in one"
    );
}

#[tokio::test]
async fn start_up_seeds_the_built_in_agent_and_the_store_alone_adds_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("confab.db");
    let bare = Db::open(&path).await.unwrap();
    assert_eq!(
        row_count(&bare, "agents").await,
        0,
        "the store knows no agents"
    );
    bare.close().await.unwrap();

    let (db, status) = startup::open(&path).await;
    let db = db.unwrap_or_else(|| panic!("{}", status.message));
    assert_eq!(row_count(&db, "agents").await, 1);
    assert!(
        agents::get(db.conn(), DEFAULT_AGENT_ID)
            .await
            .unwrap()
            .builtin
    );
    db.close().await.unwrap();

    // A fresh file through the other start-up door gets it too.
    let other = startup::open_db(&dir.path().join("other.db"))
        .await
        .unwrap();
    assert_eq!(row_count(&other, "agents").await, 1);
}

#[tokio::test]
async fn the_built_in_agent_always_exists_and_cannot_be_deleted() {
    let temp = TempDb::new().await;
    let builtin = agents::get(temp.db.conn(), DEFAULT_AGENT_ID).await.unwrap();
    assert!(builtin.builtin);
    assert_eq!(builtin.agent_id, "default");

    let error = agents::delete(temp.db.conn(), DEFAULT_AGENT_ID)
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert_eq!(
        common::problem_of(&error),
        (String::new(), Rule::BuiltinUndeletable)
    );
    let renamed = agents::update(temp.db.conn(), DEFAULT_AGENT_ID, agent("renamed"))
        .await
        .unwrap_err();
    assert_eq!(
        common::problem_of(&renamed),
        ("agentId".to_string(), Rule::BuiltinIdFixed),
        "its agent_id stays"
    );

    // Opening again seeds nothing twice and keeps edits.
    let mut edited = agent("default");
    edited.app_preset.name = "Mine".into();
    agents::update(temp.db.conn(), DEFAULT_AGENT_ID, edited)
        .await
        .unwrap();
    let path = temp.path();
    temp.db.clone().close().await.unwrap();
    let reopened = startup::open_db(&path).await.unwrap();
    assert_eq!(row_count(&reopened, "agents").await, 1);
    let kept = agents::get(reopened.conn(), DEFAULT_AGENT_ID)
        .await
        .unwrap();
    assert_eq!(kept.app_preset.name, "Mine");
}

#[tokio::test]
async fn export_then_import_keeps_unknown_app_preset_keys() {
    let source = TempDb::new().await;
    let mut input = agent("poet");
    input.app_preset.extra.insert(
        "theme_color".into(),
        json!({"light": "#fff", "dark": "#000"}),
    );
    input.app_preset.creation_date = Some("2026-11-22".into());
    let created = agents::create(source.db.conn(), input).await.unwrap();
    let document = agents::export(source.db.conn(), &[]).await.unwrap();
    let value: serde_json::Value = serde_json::from_str(&document).unwrap();
    assert_eq!(value["format"], "confab-agents");
    assert_eq!(value["version"], 1);
    assert_eq!(value["agents"].as_array().unwrap().len(), 1, "no built-in");
    assert_eq!(
        value["agents"][0]["app_preset"]["theme_color"]["dark"],
        "#000"
    );
    assert!(value["agents"][0]["provider_id"].is_null());

    let target = TempDb::new().await;
    let imported = agents::import(target.db.conn(), &document).await.unwrap();
    assert_eq!(imported.len(), 1);
    assert_eq!(imported[0].app_preset, created.app_preset);
    assert_eq!(imported[0].preset_messages, created.preset_messages);
    let again = agents::export(target.db.conn(), &[]).await.unwrap();
    assert_eq!(again, document, "a round trip changes nothing");
}

async fn refused(db: &Db, document: &str) -> Vec<Problem> {
    let before = row_count(db, "agents").await;
    let error = agents::import(db.conn(), document)
        .await
        .expect_err("the file is refused");
    assert_eq!(row_count(db, "agents").await, before, "nothing written");
    match error {
        Error::InvalidInput(problems) => problems,
        other => panic!("not invalid_input: {other}"),
    }
}

/// The `(path, rule)` of each problem.
fn places(problems: &[Problem]) -> Vec<(&str, Rule)> {
    problems.iter().map(|p| (p.path.as_str(), p.rule)).collect()
}

#[tokio::test]
async fn bad_files_are_refused_whole_with_every_problem_listed() {
    let temp = TempDb::new().await;
    agents::create(temp.db.conn(), agent("taken"))
        .await
        .unwrap();
    let db = &temp.db;

    let not_json = refused(db, "{\n not json").await;
    assert_eq!(places(&not_json), [("file", Rule::InvalidJson)]);
    assert_eq!(
        (not_json[0].params.line, not_json[0].params.column),
        (Some(2), Some(2))
    );
    assert_eq!(
        places(&refused(db, "[1, 2]").await),
        [("format", Rule::WrongFormat)]
    );
    let wrong_format = json!({"format": "other-app", "version": 1, "agents": []});
    let wrong = refused(db, &wrong_format.to_string()).await;
    assert_eq!(
        wrong,
        [Problem::new("format", Rule::WrongFormat).value("other-app")]
    );
    let future = json!({"format": "confab-agents", "version": 2, "agents": []});
    assert_eq!(
        refused(db, &future.to_string()).await,
        [Problem::limit("version", Rule::UnsupportedVersion, 1).value("2")]
    );
    let empty = json!({"format": "confab-agents", "version": 1, "agents": []});
    assert_eq!(
        places(&refused(db, &empty.to_string()).await),
        [("agents", Rule::Required)]
    );

    let partial = json!({"format": "confab-agents", "version": 1, "agents": [
        {"agent_id": "fine-one", "preset_messages": [{"role": "system", "content": "ok"}]},
        {"agent_id": "bad-params", "params": {"temperature": 3}},
        {"agent_id": "taken"},
        {"agent_id": "fine-one"},
        {"model": "x"},
        {"agent_id": "typed", "preset_messages": "not a list"},
        "not an object"
    ]});
    let problems = refused(db, &partial.to_string()).await;
    assert_eq!(
        places(&problems),
        [
            ("agents.1.params.temperature", Rule::OutOfRange),
            ("agents.2.agentId", Rule::Taken),
            ("agents.3.agentId", Rule::Duplicate),
            ("agents.4.agent_id", Rule::Required),
            ("agents.5.preset_messages", Rule::Malformed),
            ("agents.6", Rule::Malformed),
        ]
    );
    assert_eq!(problems[1].params.value.as_deref(), Some("taken"));
    assert_eq!(problems[2].params.value.as_deref(), Some("agents.0"));
    let detail = problems[4].params.detail.as_deref().unwrap_or_default();
    assert!(detail.contains("invalid type"), "{detail}");

    let huge = format!(
        r#"{{"format":"confab-agents","version":1,"agents":[{{"agent_id":"big","app_preset":{{"blob":"{}"}}}}]}}"#,
        "x".repeat(agents::MAX_IMPORT_BYTES)
    );
    assert_eq!(
        refused(db, &huge).await,
        [Problem::limit(
            "file",
            Rule::TooLarge,
            agents::MAX_IMPORT_BYTES
        )]
    );

    let good = json!({"format": "confab-agents", "version": 1, "agents": [
        {"agent_id": "one"}, {"agent_id": "two", "app_preset": {"name": "Two"}}
    ]});
    let imported = agents::import(db.conn(), &good.to_string()).await.unwrap();
    assert_eq!(imported.len(), 2);
    assert_eq!(row_count(db, "agents").await, 4);
}

#[tokio::test]
async fn greetings_are_shown_but_never_sent() {
    let server = Aimock::start(json!({"fixtures": [
        {"match": {"userMessage": "hello"}, "response": {"content": "Hi!"}}
    ]}));
    let temp = TempDb::new().await;
    let created = agents::create(temp.db.conn(), agent("greeter"))
        .await
        .unwrap();
    let conversation = conversations::create_with_agent(temp.db.conn(), None, Some(&created.id))
        .await
        .unwrap();
    assert_eq!(conversation.agent_id.as_deref(), Some(created.id.as_str()));
    let shown = agents::for_conversation(temp.db.conn(), &conversation.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(shown.app_preset.greetings, ["Hello! Paste some text."]);

    let engine = engine(&temp.db, test_keychain(), server.endpoint()).await;
    let (events, _rx) = send_to_end(&engine, &conversation.id, "hello").await;
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })));

    let journal = server.journal().await;
    let sent = journal
        .as_array()
        .unwrap()
        .iter()
        .find_map(|entry| entry.pointer("/body/messages"))
        .unwrap()
        .clone();
    assert_eq!(
        sent,
        json!([
            {"role": "system", "content": "You are a careful translator."},
            {"role": "user", "content": "hello"}
        ]),
        "exactly the preset and the user message"
    );

    let missing = conversations::create_with_agent(temp.db.conn(), None, Some("nope")).await;
    assert!(matches!(missing, Err(Error::NotFound { .. })));
}

#[tokio::test]
async fn the_ipc_form_is_camel_case_while_files_keep_snake_case_and_dates_are_kept() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    // What the UI sends: camelCase, unknown stored keys under `extra`.
    let input: AgentInput = serde_json::from_value(json!({
        "agentId": "helper",
        "params": {"topP": 0.5, "maxTokens": 300},
        "presetMessages": [{"role": "system", "content": "Be brief."}],
        "appPreset": {"name": "Helper", "suggestedQuestions": ["Why?"],
                      "extra": {"theme_color": "#123"}},
        "contextPolicy": {"maxMessages": 8}
    }))
    .unwrap();
    let created = agents::create(db, input).await.unwrap();
    assert_eq!(created.params.top_p, Some(0.5));
    assert_eq!(created.app_preset.suggested_questions, ["Why?"]);
    let date = created
        .app_preset
        .creation_date
        .clone()
        .expect("set on create");
    assert!(
        date.len() == 20 && date.ends_with('Z') && date.as_bytes()[10] == b'T',
        "{date}"
    );
    let wire = serde_json::to_value(&created).unwrap();
    assert_eq!(wire["agentId"], "helper");
    assert_eq!(wire["appPreset"]["suggestedQuestions"], json!(["Why?"]));
    assert_eq!(wire["appPreset"]["extra"]["theme_color"], "#123");
    assert_eq!(wire["params"]["maxTokens"], 300);
    assert!(wire.get("agent_id").is_none() && wire.get("app_preset").is_none());

    // An update without a date (or with another one) keeps the first.
    let mut change = AgentInput::from(created.clone());
    change.app_preset.creation_date = None;
    change.app_preset.name = "Helper 2".into();
    let updated = agents::update(db, &created.id, change).await.unwrap();
    assert_eq!(
        updated.app_preset.creation_date.as_deref(),
        Some(date.as_str())
    );
    assert_eq!(updated.app_preset.extra["theme_color"], "#123");

    // The file stays snake_case, as files written before this version.
    let document = agents::export(db, std::slice::from_ref(&created.id))
        .await
        .unwrap();
    let file: serde_json::Value = serde_json::from_str(&document).unwrap();
    let one = &file["agents"][0];
    assert_eq!(one["agent_id"], "helper");
    assert_eq!(one["params"]["top_p"], 0.5);
    assert_eq!(one["app_preset"]["suggested_questions"], json!(["Why?"]));
    assert_eq!(one["app_preset"]["theme_color"], "#123");
    assert_eq!(one["app_preset"]["creation_date"], date.as_str());
    assert_eq!(one["context_policy"]["maxMessages"], 8);

    // An older file without a date gets one on import; its unknown keys survive.
    let old = json!({"format": "confab-agents", "version": 1, "agents": [
        {"agent_id": "old", "params": {"max_tokens": 50},
         "app_preset": {"name": "Old", "suggested_questions": ["a", "b"], "mood": "calm"}}
    ]});
    let imported = agents::import(db, &old.to_string()).await.unwrap();
    assert_eq!(imported[0].params.max_tokens, Some(50));
    assert_eq!(imported[0].app_preset.suggested_questions, ["a", "b"]);
    assert_eq!(imported[0].app_preset.extra["mood"], "calm");
    assert!(imported[0].app_preset.creation_date.is_some());
}
