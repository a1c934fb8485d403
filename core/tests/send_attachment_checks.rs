//! What keeps an attachment from being sent, and what is known before sending: a model that
//! cannot see images (refused before anything is stored or sent), a missing blob, the
//! limits, whether a document fits the context budget. Real SQLite, aimock on 127.0.0.1.

mod common;
#[path = "common/images.rs"]
mod images;
#[path = "common/sending.rs"]
mod sending;

use common::stream::{channel, new_conversation, stored};
use common::{Aimock, TempDb, engine_with_settings, problem_of, row_count, test_settings};
use confab_core::agents::{self, AgentInput};
use confab_core::chat::{ChatEvent, ContextPolicy, attachment_fit};
use confab_core::providers::builtin;
use confab_core::providers::vision::{self, CapabilitySource, ModelCapabilities};
use confab_core::settings::Settings;
use confab_core::store::{blobs, conversations};
use confab_core::vocab::Part;
use confab_core::{Error, ErrorCode, Rule};
use sending::{Setup, document, fixtures, image, requests, send, setup, sha_of};

/// How the attachment `sha256` fits conversation `id`.
async fn fit_of(
    db: &confab_core::store::Db,
    id: &str,
    sha256: &str,
) -> confab_core::Result<confab_core::chat::AttachmentFit> {
    let conversation = conversations::find(db.conn(), id).await?;
    attachment_fit(db.conn(), &conversation, sha256).await
}

#[tokio::test]
async fn a_model_that_cannot_see_refuses_images_before_anything_is_stored_or_sent() {
    let Setup {
        server,
        temp,
        engine,
        conversation,
        photo,
    } = setup("deepseek-chat").await;

    let refused = send(&engine, &conversation, "Look", vec![photo.clone()]).await;
    let error = refused.expect_err("refused");
    assert_eq!(
        problem_of(&error),
        ("attachments".to_string(), Rule::ModelCannotSeeImages)
    );
    let Error::InvalidInput(problems) = &error else {
        unreachable!()
    };
    assert_eq!(problems[0].params.value.as_deref(), Some("deepseek-chat"));
    assert_eq!(row_count(&temp.db, "messages").await, 0, "nothing stored");
    assert!(requests(&server).await.is_empty(), "nothing sent");
    assert!(!engine.is_streaming(&conversation));

    // A document is only text: any model reads it.
    let notes = document(&temp.db, "notes.md", &["plain text"]).await;
    send(&engine, &conversation, "", vec![notes])
        .await
        .expect("a file goes to any model");

    // The person says the model sees images: now it is sent.
    let said = vision::set_vision(temp.db.conn(), builtin::ID, "deepseek-chat", Some(true))
        .await
        .expect("set");
    assert_eq!(
        said,
        ModelCapabilities {
            vision: true,
            source: CapabilitySource::User
        }
    );
    send(&engine, &conversation, "Look", vec![photo.clone()])
        .await
        .expect("sent");
    assert_eq!(requests(&server).await.len(), 2);

    // Back to what is known: regenerating the answer to the image is refused, and so is a
    // text message whose history carries the image; nothing is added or sent.
    let known = vision::set_vision(temp.db.conn(), builtin::ID, "deepseek-chat", None)
        .await
        .expect("forgotten");
    assert_eq!(
        (known.vision, known.source),
        (false, CapabilitySource::Known)
    );
    let before = row_count(&temp.db, "messages").await;
    let (sink, _rx) = channel();
    let error = engine
        .regenerate(&conversation, sink)
        .await
        .expect_err("refused");
    assert_eq!(problem_of(&error).1, Rule::ModelCannotSeeImages);
    let error = send(&engine, &conversation, "And now?", Vec::new())
        .await
        .expect_err("refused");
    assert_eq!(problem_of(&error).1, Rule::ModelCannotSeeImages);
    let last_user = stored(&temp.db, &conversation)
        .await
        .into_iter()
        .rfind(|message| message.role == confab_core::vocab::Role::User)
        .expect("a user message");
    let (sink, _rx) = channel();
    let error = engine
        .edit_and_resend(&last_user.id, "Look again", vec![photo], sink)
        .await
        .expect_err("refused");
    assert_eq!(problem_of(&error).1, Rule::ModelCannotSeeImages);
    assert_eq!(row_count(&temp.db, "messages").await, before);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn capabilities_come_from_the_name_or_the_person_and_need_a_provider() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    // The built-in provider row exists in every database.
    let known = vision::capabilities(conn, builtin::ID, "gpt-4o")
        .await
        .expect("read");
    assert_eq!(
        (known.vision, known.source),
        (true, CapabilitySource::Known)
    );
    let guess = vision::capabilities(conn, builtin::ID, "my-model")
        .await
        .expect("read");
    assert_eq!(
        (guess.vision, guess.source),
        (false, CapabilitySource::Guess)
    );
    vision::set_vision(conn, builtin::ID, " my-model ", Some(true))
        .await
        .expect("set");
    let said = vision::capabilities(conn, builtin::ID, "my-model")
        .await
        .expect("read");
    assert_eq!((said.vision, said.source), (true, CapabilitySource::User));
    let missing = vision::capabilities(conn, "nope", "gpt-4o")
        .await
        .expect_err("no provider");
    assert_eq!(missing.code(), ErrorCode::NotFound);
    let blank = vision::set_vision(conn, builtin::ID, " ", Some(true)).await;
    assert_eq!(problem_of(&blank.expect_err("refused")).1, Rule::Required);
}

#[tokio::test]
async fn missing_attachments_and_limits_are_refused_with_nothing_stored() {
    let server = Aimock::start(fixtures());
    let temp = TempDb::new().await;
    let settings = Settings {
        max_message_attachments_mib: 1,
        ..test_settings()
    };
    let engine = engine_with_settings(&temp.db, server.endpoint(), settings).await;
    let conversation = new_conversation(&temp.db).await;
    let refused = |result: confab_core::Result<Vec<ChatEvent>>| {
        let error = result.expect_err("refused");
        let Error::InvalidInput(problems) = &error else {
            panic!("invalid input expected: {error}");
        };
        (
            problems[0].path.clone(),
            problems[0].rule,
            problems[0].params.clone(),
        )
    };

    // No such blob: named by the name the person knows it by.
    let ghost = Part::Image {
        sha256: "0".repeat(64),
        mime: "image/png".into(),
        name: Some("ghost.png".into()),
        width: 1,
        height: 1,
    };
    let (path, rule, params) = refused(send(&engine, &conversation, "x", vec![ghost]).await);
    assert_eq!(
        (path.as_str(), rule),
        ("attachments", Rule::AttachmentMissing)
    );
    assert_eq!(params.value.as_deref(), Some("ghost.png"));
    // A blob without the text read from it cannot be sent as a file.
    let bare = blobs::put(temp.db.conn(), "application/pdf", b"%PDF-1.7")
        .await
        .expect("put");
    let file = match document(&temp.db, "a.pdf", &["a"]).await {
        Part::File { name, mime, .. } => Part::File {
            sha256: bare,
            name,
            mime,
            bytes: 8,
            chars: 1,
            pages: None,
            tokens: 1,
            truncated: false,
            pages_sent: None,
        },
        _ => unreachable!(),
    };
    let (_, rule, _) = refused(send(&engine, &conversation, "x", vec![file]).await);
    assert_eq!(rule, Rule::AttachmentMissing);

    // Only images and files.
    let (path, rule, _) =
        refused(send(&engine, &conversation, "x", vec![Part::text("sneaky")]).await);
    assert_eq!((path.as_str(), rule), ("attachments.0", Rule::NotAChoice));

    // At most 20 on one message.
    let photo = image(&temp.db, "photo.png").await;
    let (path, rule, params) =
        refused(send(&engine, &conversation, "x", vec![photo.clone(); 21]).await);
    assert_eq!(
        (path.as_str(), rule),
        ("attachments", Rule::TooManyAttachments)
    );
    assert_eq!(params.max, Some(20));

    // At most 1 MiB together (this test's setting): two documents of 600 KB are too much.
    let big = "word ".repeat(120_000);
    let first = document(&temp.db, "one.txt", &[big.as_str()]).await;
    let second = document(&temp.db, "two.txt", &[big.as_str(), "more"]).await;
    let (path, rule, params) =
        refused(send(&engine, &conversation, "x", vec![first.clone(), second]).await);
    assert_eq!((path.as_str(), rule), ("attachments", Rule::TooLarge));
    assert_eq!(params.max, Some(1 << 20));

    assert_eq!(row_count(&temp.db, "messages").await, 0, "nothing stored");
    assert!(requests(&server).await.is_empty(), "nothing sent");
    send(&engine, &conversation, "", vec![first, photo])
        .await
        .expect("within the limits");
}

#[tokio::test]
async fn attachment_fit_says_how_many_first_pages_fit_the_budget() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    let page = "hello ".repeat(12_000);
    let long = document(&temp.db, "long.pdf", &[&page, &page, &page, &page]).await;
    let short = document(&temp.db, "short.pdf", &["A short note."]).await;
    let photo = image(&temp.db, "photo.png").await;

    // No agent: the default budget (32,000 tokens).
    let plain = conversations::create(conn, None).await.expect("created");
    let fit = fit_of(&temp.db, &plain.id, &sha_of(&long))
        .await
        .expect("fit");
    assert_eq!(fit.budget, Some(32_000));
    assert!(fit.tokens > 40_000, "{fit:?}");
    assert_eq!(
        fit.pages_that_fit,
        Some(2),
        "two pages of ~12,000 tokens fit"
    );
    let fit = fit_of(&temp.db, &plain.id, &sha_of(&short))
        .await
        .expect("fit");
    assert_eq!(fit.pages_that_fit, None, "it fits whole");
    let fit = fit_of(&temp.db, &plain.id, &sha_of(&photo))
        .await
        .expect("fit");
    assert_eq!((fit.tokens, fit.pages_that_fit), (425, None));

    // An agent without a token budget: everything fits.
    let agent = agents::create(
        conn,
        AgentInput {
            agent_id: "unbounded".into(),
            context_policy: ContextPolicy {
                max_messages: None,
                max_context_tokens: None,
            },
            ..AgentInput::default()
        },
    )
    .await
    .expect("agent");
    let unbounded = conversations::create_with_agent(conn, None, Some(&agent.id))
        .await
        .expect("created");
    let fit = fit_of(&temp.db, &unbounded.id, &sha_of(&long))
        .await
        .expect("fit");
    assert_eq!((fit.budget, fit.pages_that_fit), (None, None));

    let unknown = fit_of(&temp.db, &plain.id, &"f".repeat(64)).await;
    assert_eq!(unknown.expect_err("unknown").code(), ErrorCode::NotFound);
}
