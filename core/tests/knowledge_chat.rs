//! Knowledge in a reply, against aimock (a real OpenAI-compatible server: `/v1/embeddings`
//! and `/v1/chat/completions`): files embedded once each and never again while unchanged,
//! a question found by its meaning alone, the passages sent before the question and the
//! reply's citations stored with it, "nothing relevant" said, and a provider that refuses
//! the key stopping the run with the files kept pending.

#![allow(clippy::unwrap_used)]

mod common;

use common::knowledge::{Rig, embedding_requests, input};
use common::stream::channel;
use common::{Aimock, events_until_end};
use confab_core::agents::AgentInput;
use confab_core::chat::ChatEvent;
use confab_core::knowledge::FileStatus;
use confab_core::providers::builtin;
use confab_core::transfer::ExportFormat;
use confab_core::vocab::Part;
use serde_json::{Value, json};

const DIMS: usize = 1536;

/// A unit vector along axis `axis`, as aimock returns a fixture's embedding.
fn axis(axis: usize) -> Value {
    let mut vector = vec![0.0; DIMS];
    vector[axis] = 1.0;
    json!(vector)
}

fn server() -> Aimock {
    Aimock::start(json!({"fixtures": [
        // The passage and the question share a meaning (an embedding), not a word.
        {"match": {"inputText": "aurora"}, "response": {"embedding": axis(0)}},
        {"match": {"inputText": "northern lights"}, "response": {"embedding": axis(0)}},
        {"match": {"userMessage": "northern lights"}, "response": {"content": "The codeword is NIGHTINGALE [1]."}},
        {"match": {"userMessage": "volcano"}, "response": {"content": "I have nothing on that."}},
    ]}))
}

async fn sky_base(rig: &Rig) -> String {
    rig.write("aurora.md", "The aurora codeword is NIGHTINGALE.");
    rig.write(
        "bread.md",
        "Knead the dough for ten minutes, then let it rise for an hour.",
    );
    rig.write(
        "tides.txt",
        "The harbour tides turn twice a day; check the almanac first.",
    );
    let kb = rig.embedded_base("Sky", "text-embedding-3-small").await;
    rig.api
        .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
        .await
        .unwrap();
    rig.settle(&kb.id).await;
    kb.id
}

/// The messages of the last chat request aimock got.
async fn last_chat_request(server: &Aimock) -> Vec<Value> {
    let journal = server.journal().await;
    let entry = journal
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| {
            e["path"]
                .as_str()
                .is_some_and(|p| p.contains("chat/completions"))
        })
        .cloned()
        .unwrap();
    entry["body"]["messages"].as_array().cloned().unwrap()
}

async fn ask(rig: &Rig, conversation: &str, question: &str) -> (Vec<ChatEvent>, Vec<Part>) {
    let (sink, mut rx) = channel();
    rig.api
        .send_message(conversation, question, Vec::new(), sink)
        .await
        .unwrap();
    let events = events_until_end(&mut rx).await;
    let parts = match events.last() {
        Some(ChatEvent::Done { message }) => message.parts.clone(),
        other => panic!("the reply did not finish: {other:?}"),
    };
    (events, parts)
}

#[tokio::test]
async fn files_are_embedded_once_and_found_by_meaning() {
    let rig = Rig::new(Some(server())).await;
    let server = rig.server.as_ref().unwrap();
    let kb_id = sky_base(&rig).await;
    let base = rig.base(&kb_id).await;
    assert_eq!(
        (base.counts.indexed, base.dimensions),
        (3, Some(DIMS as u32))
    );
    let embedded = embedding_requests(server).await;
    assert_eq!(embedded, 3, "one request per file (each one chunk)");

    rig.api.reindex_knowledge(&kb_id).await.unwrap();
    rig.settle(&kb_id).await;
    assert_eq!(
        embedding_requests(server).await,
        3,
        "unchanged files are not embedded again"
    );

    let found = rig
        .api
        .search_knowledge(&kb_id, "Which bird guards the northern lights?", 5)
        .await
        .unwrap();
    assert!(found.semantic);
    assert_eq!(found.hits.len(), 1, "only the close passage: {found:?}");
    assert_eq!(found.hits[0].title, "aurora.md");
    assert_eq!(
        found.hits[0].via,
        ["vector"],
        "no shared word: found by meaning"
    );

    // Another model: every file is embedded again, with a warning the UI gives first.
    let before = embedding_requests(server).await;
    let mut changed = input("Sky", Some(builtin::ID));
    changed.embedding_model = "text-embedding-3-large".into();
    rig.api
        .update_knowledge_base(&kb_id, &changed)
        .await
        .unwrap();
    rig.settle(&kb_id).await;
    assert_eq!(embedding_requests(server).await, before + 3);
    assert_eq!(rig.base(&kb_id).await.counts.indexed, 3);
}

#[tokio::test]
async fn a_reply_gets_the_passages_and_cites_them_and_says_when_nothing_was_found() {
    let rig = Rig::new(Some(server())).await;
    let server = rig.server.as_ref().unwrap();
    let kb_id = sky_base(&rig).await;
    let agent = rig
        .api
        .create_agent(AgentInput {
            agent_id: "librarian".into(),
            ..AgentInput::default()
        })
        .await
        .unwrap();
    rig.api
        .set_agent_knowledge(&agent.id, std::slice::from_ref(&kb_id))
        .await
        .unwrap();
    assert_eq!(
        rig.api.agent_knowledge(&agent.id).await.unwrap(),
        std::slice::from_ref(&kb_id)
    );
    let conversation = rig
        .api
        .create_conversation_with_agent(None, &agent.id)
        .await
        .unwrap()
        .id;

    let (events, parts) = ask(
        &rig,
        &conversation,
        "Which bird guards the northern lights?",
    )
    .await;
    let retrieved = events.iter().find_map(|e| match e {
        ChatEvent::Retrieved { parts } => Some(parts.clone()),
        _ => None,
    });
    assert_eq!(
        retrieved.as_deref(),
        Some(&parts[..2]),
        "shown live, stored the same"
    );
    assert_eq!(
        parts[0],
        Part::Retrieval {
            bases: vec!["Sky".into()],
            passages: 1
        }
    );
    let Part::Citation {
        source,
        title,
        snippet,
        ..
    } = &parts[1]
    else {
        panic!("a citation: {parts:?}");
    };
    assert!(source.ends_with("aurora.md") && title == "aurora.md");
    assert!(snippet.contains("NIGHTINGALE"));
    assert_eq!(parts[2], Part::text("The codeword is NIGHTINGALE [1]."));
    let messages = last_chat_request(server).await;
    let context = &messages[messages.len() - 2];
    assert_eq!(context["role"], "system");
    let context = context["content"].as_str().unwrap();
    assert!(
        context.contains("[1] aurora.md") && context.contains("NIGHTINGALE"),
        "{context}"
    );
    assert_eq!(messages.last().unwrap()["role"], "user");

    // Stored: the conversation shows the sources after a reload.
    let detail = rig.api.get_conversation(&conversation).await.unwrap();
    let stored = detail.messages.last().unwrap();
    assert_eq!(stored.parts, parts);

    let (_, parts) = ask(&rig, &conversation, "What about the volcano?").await;
    assert_eq!(
        parts[0],
        Part::Retrieval {
            bases: vec!["Sky".into()],
            passages: 0
        }
    );
    assert!(!parts.iter().any(|p| matches!(p, Part::Citation { .. })));
    let messages = last_chat_request(server).await;
    assert!(
        !messages.iter().any(|m| m["content"]
            .as_str()
            .is_some_and(|c| c.contains("knowledge bases"))),
        "nothing found: no passages sent"
    );
    // The Markdown export lists each reply's sources, or says nothing was found.
    let file = rig.temp.dir.path().join("export.md");
    rig.api
        .export_conversations(
            Some(std::slice::from_ref(&conversation)),
            ExportFormat::Markdown,
            &file,
        )
        .await
        .unwrap();
    let markdown = std::fs::read_to_string(&file).unwrap();
    assert!(markdown.contains("**Sources** (Sky)"), "{markdown}");
    assert!(markdown.contains("1. **aurora.md**") && markdown.contains("> The aurora codeword"));
    assert!(markdown.contains("_Searched Sky: no relevant passages found._"));
    // The diagnostics report counts the base without naming it or its files.
    let report = rig.temp.dir.path().join("report.json");
    let config = confab_core::api::StartConfig {
        keychain: rig.keychain.clone(),
        environment: builtin::BuiltinEnv::default(),
        engine: common::test_config(),
    };
    let (storage, opened) = confab_core::api::open(&rig.temp.path(), config).await;
    let facts = confab_core::api::AppFacts {
        app_version: "0.0.0".into(),
        log_dir: None,
    };
    storage
        .export_diagnostics(opened.as_ref(), facts, &report)
        .await
        .unwrap();
    let report = std::fs::read_to_string(&report).unwrap();
    assert!(
        report.contains("\"knowledge\"") && report.contains("\"indexed\": 3"),
        "{report}"
    );
    assert!(!report.contains("aurora") && !report.contains("\"Sky\""));
    // Later requests carry the earlier reply's text, never its sources.
    assert!(messages.iter().all(|m| {
        m["content"]
            .as_str()
            .is_none_or(|c| !c.contains("aurora codeword"))
    }));
}

#[tokio::test]
async fn a_conversation_can_add_a_base_its_agent_lacks() {
    let rig = Rig::new(Some(server())).await;
    let kb_id = sky_base(&rig).await;
    let conversation = rig.api.create_conversation(None).await.unwrap().id;
    let (_, parts) = ask(
        &rig,
        &conversation,
        "Which bird guards the northern lights?",
    )
    .await;
    assert!(
        !parts.iter().any(|p| matches!(p, Part::Retrieval { .. })),
        "no base, no search"
    );
    rig.api
        .set_conversation_knowledge(&conversation, &[kb_id.clone(), "no-such-base".into()])
        .await
        .unwrap();
    assert_eq!(
        rig.api.conversation_knowledge(&conversation).await.unwrap(),
        [kb_id]
    );
    let (_, parts) = ask(
        &rig,
        &conversation,
        "Which bird guards the northern lights?",
    )
    .await;
    assert!(
        matches!(&parts[0], Part::Retrieval { passages: 1, .. }),
        "{parts:?}"
    );
}

#[tokio::test]
async fn a_refused_key_stops_the_run_and_keeps_the_files_pending() {
    let server =
        Aimock::start_with_env(json!({"fixtures": []}), &[("AIMOCK_API_KEYS", "right-key")]);
    let rig = Rig::new(Some(server)).await;
    common::set_builtin_key(&rig.temp.db, &rig.keychain, "wrong-key").await;
    rig.write("a.md", "Alpha notes.");
    rig.write("b.md", "Beta notes.");
    let kb = rig.embedded_base("Locked", "text-embedding-3-small").await;
    rig.api
        .add_knowledge_source(&kb.id, rig.folder().to_str().unwrap())
        .await
        .unwrap();
    let progress = rig.settle(&kb.id).await;
    assert_eq!(progress.stopped_by.as_deref(), Some("provider_auth"));
    let page = rig
        .api
        .list_knowledge_files(&kb.id, None, 0, 10)
        .await
        .unwrap();
    assert!(
        page.files.iter().all(|f| f.status == FileStatus::Pending),
        "{page:?}"
    );
    // Keyword search still works on nothing indexed yet, and says the vector search failed
    // only once there are vectors to search: here there are none, so it is not tried.
    let found = rig.api.search_knowledge(&kb.id, "alpha", 5).await.unwrap();
    assert!(found.hits.is_empty() && !found.semantic);
}
