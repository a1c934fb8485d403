//! Sending attachments end to end: a real SQLite file, aimock on 127.0.0.1. What the
//! provider receives for an image and a document, what is stored, and that regenerate,
//! edit & resend and the context editor's exclusions treat attachments as part of the
//! message.

mod common;
#[path = "common/images.rs"]
mod images;
#[path = "common/sending.rs"]
mod sending;

use base64::Engine as _;
use common::stream::{channel, stored};
use common::{TempDb, events_until_end, row_count};
use confab_core::chat::{
    ATTACHMENT_GONE, ChatEvent, ContextOverride, message_tokens, preview_context,
};
use confab_core::store::messages::{self, NewMessage};
use confab_core::store::{blobs, conversations};
use confab_core::vocab::{Part, Role};
use sending::{Setup, document, first_pages, last_content, requests, send, setup, sha_of};
use serde_json::json;

const PAGES: [&str; 3] = [
    "## Page 1\nRevenue grew.\n",
    "## Page 2\nCosts fell.\n",
    "## Page 3\nSECRET APPENDIX\n",
];

#[tokio::test]
async fn an_image_goes_as_a_data_url_and_a_document_as_its_pages_sent() {
    let Setup {
        server,
        temp,
        engine,
        conversation,
        photo,
    } = setup("gpt-4o-mini").await;
    let report = document(&temp.db, "report.pdf", &PAGES).await;
    // What the webview says is not believed, except the name (cleaned) and the pages sent.
    let lying = match first_pages(&report, 2) {
        Part::File {
            sha256, pages_sent, ..
        } => Part::File {
            sha256,
            name: "C:\\Users\\me\\report.pdf".into(),
            mime: "text/x-lie".into(),
            bytes: 1,
            chars: 1,
            pages: Some(99),
            tokens: 1,
            truncated: true,
            pages_sent,
        },
        _ => unreachable!(),
    };

    let events = send(
        &engine,
        &conversation,
        "What do these say?",
        vec![photo.clone(), lying],
    )
    .await
    .expect("sent");
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })));

    let content = last_content(&server).await;
    let parts = content.as_array().expect("an array content");
    assert_eq!(parts.len(), 3);
    assert_eq!(
        parts[0],
        json!({"type": "text", "text": "What do these say?"})
    );
    assert_eq!(
        parts[2],
        json!({"type": "text", "text": format!("<file name=\"report.pdf\">\n{}{}\n</file>", PAGES[0], PAGES[1])}),
        "only the first two pages"
    );
    assert_eq!(parts[1]["type"], "image_url", "attachments in their order");
    let url = parts[1]["image_url"]["url"].as_str().expect("a URL");
    let stored_image = blobs::get(temp.db.conn(), &sha_of(&photo))
        .await
        .expect("blob");
    let prefix = format!("data:{};base64,", stored_image.mime);
    assert!(url.starts_with(&prefix), "{}", &url[..30]);
    let sent = base64::engine::general_purpose::STANDARD
        .decode(&url[prefix.len()..])
        .expect("base64");
    assert!(sent == stored_image.data, "the stored image, byte for byte");

    // The message stores its text, then the attachments as the store knows them, and uses
    // their blobs.
    let messages = stored(&temp.db, &conversation).await;
    let Part::File {
        sha256,
        chars,
        pages,
        tokens,
        ..
    } = report
    else {
        unreachable!()
    };
    let kept = Part::File {
        sha256,
        name: "report.pdf".into(),
        mime: "application/pdf".into(),
        bytes: PAGES.concat().len() as u64,
        chars,
        pages,
        tokens,
        truncated: false,
        pages_sent: Some(2),
    };
    assert_eq!(
        messages[0].parts,
        vec![Part::text("What do these say?"), photo.clone(), kept]
    );
    assert!(matches!(
        &photo,
        Part::Image {
            width: 640,
            height: 480,
            ..
        }
    ));
    assert_eq!(row_count(&temp.db, "message_blobs").await, 2);
}

#[tokio::test]
async fn regenerate_and_edit_and_resend_keep_attachments() {
    let Setup {
        server,
        temp,
        engine,
        conversation,
        photo,
    } = setup("gpt-4o-mini").await;
    // Attachments alone, no text: the conversation is named after the first one.
    send(&engine, &conversation, "", vec![photo.clone()])
        .await
        .expect("sent");
    let named = conversations::get(temp.db.conn(), &conversation)
        .await
        .expect("read");
    assert_eq!(named.title, "photo.png");
    let only_image =
        json!([{"type": "image_url", "image_url": {"url": data_url(&temp, &photo).await}}]);
    assert!(
        last_content(&server).await == only_image,
        "no empty text part"
    );

    let (sink, mut rx) = channel();
    engine
        .regenerate(&conversation, sink)
        .await
        .expect("regenerated");
    events_until_end(&mut rx).await;
    let content = last_content(&server).await;
    assert_eq!(content[0]["type"], "image_url", "the regenerated request");

    let user = stored(&temp.db, &conversation).await.remove(0);
    let report = document(&temp.db, "notes.md", &["Remember the milk."]).await;
    let (sink, mut rx) = channel();
    engine
        .edit_and_resend(
            &user.id,
            "And this?",
            vec![photo.clone(), report.clone()],
            sink,
        )
        .await
        .expect("resent");
    events_until_end(&mut rx).await;
    let content = last_content(&server).await;
    assert_eq!(content[0], json!({"type": "text", "text": "And this?"}));
    assert_eq!(content[1]["type"], "image_url");
    assert_eq!(
        content[2]["text"],
        "<file name=\"notes.md\">\nRemember the milk.\n</file>"
    );
    let edited = stored(&temp.db, &conversation).await.remove(0);
    assert_eq!((edited.version, edited.versions), (2, 2));
    assert_eq!(edited.parts.len(), 3);

    // Without attachments, text is still required.
    let (sink, _rx) = channel();
    let refused = engine
        .edit_and_resend(&edited.id, " ", Vec::new(), sink)
        .await;
    assert_eq!(
        common::problem_of(&refused.expect_err("refused")),
        ("text".to_string(), confab_core::Rule::Required)
    );
}

async fn data_url(temp: &TempDb, part: &Part) -> String {
    let blob = blobs::get(temp.db.conn(), &sha_of(part))
        .await
        .expect("blob");
    let data = base64::engine::general_purpose::STANDARD.encode(&blob.data);
    format!("data:{};base64,{data}", blob.mime)
}

#[tokio::test]
async fn excluded_attachments_are_not_sent_and_attachments_count_in_the_budget() {
    let Setup {
        server,
        temp,
        engine,
        conversation,
        photo,
    } = setup("gpt-4o-mini").await;
    let report = document(&temp.db, "report.pdf", &PAGES).await;
    send(
        &engine,
        &conversation,
        "Both",
        vec![photo.clone(), report.clone()],
    )
    .await
    .expect("sent");
    // The preview lists each message's attachments and counts them.
    let model = conversations::find(temp.db.conn(), &conversation)
        .await
        .expect("found");
    let preview = preview_context(temp.db.conn(), &model)
        .await
        .expect("preview");
    let first = &preview.messages[0];
    assert_eq!(first.attachments.len(), 2);
    let text_alone = message_tokens(&confab_core::chat::PromptMessage::new(
        first.role,
        first.content.clone(),
    ));
    assert_eq!(
        message_tokens(first),
        text_alone
            + confab_core::chat::attachment_tokens(&photo)
            + confab_core::chat::attachment_tokens(&report),
    );
    // 640 × 480: two 512-pixel tiles, as OpenAI counts them.
    assert_eq!(confab_core::chat::attachment_tokens(&photo), 85 + 2 * 170);

    conversations::set_context_override(
        temp.db.conn(),
        &conversation,
        ContextOverride {
            excluded_attachments: Some(vec![sha_of(&photo)]),
            ..ContextOverride::default()
        },
    )
    .await
    .expect("override");
    let (sink, mut rx) = channel();
    engine
        .regenerate(&conversation, sink)
        .await
        .expect("regenerated");
    events_until_end(&mut rx).await;
    let content = last_content(&server).await;
    let kinds: Vec<_> = content
        .as_array()
        .expect("array")
        .iter()
        .map(|part| part["type"].as_str().expect("type").to_string())
        .collect();
    assert_eq!(kinds, ["text", "text"], "the photo is left out");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_attachment_no_longer_stored_goes_as_a_note_and_the_conversation_goes_on() {
    let Setup {
        server,
        temp,
        engine,
        conversation,
        ..
    } = setup("gpt-4o-mini").await;
    // An earlier message (imported without its files) names an image and a document whose
    // bytes are not stored.
    let lost_image = Part::Image {
        sha256: "a".repeat(64),
        mime: "image/png".into(),
        name: Some("lost.png".into()),
        width: 10,
        height: 10,
    };
    let lost_file = Part::File {
        sha256: "b".repeat(64),
        name: "lost.pdf".into(),
        mime: "application/pdf".into(),
        bytes: 1,
        chars: 1,
        pages: None,
        tokens: 1,
        truncated: false,
        pages_sent: None,
    };
    let earlier = NewMessage {
        parts: vec![Part::text("Look at these"), lost_image, lost_file],
        ..NewMessage::text(&conversation, Role::User, "")
    };
    messages::append(temp.db.conn(), earlier)
        .await
        .expect("stored");
    let answer = NewMessage::text(&conversation, Role::Assistant, "I see them.");
    messages::append(temp.db.conn(), answer)
        .await
        .expect("stored");

    let events = send(&engine, &conversation, "What do these say?", vec![])
        .await
        .expect("sent");
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })));
    let request = requests(&server).await.pop().expect("a request");
    let earlier = request
        .as_array()
        .expect("messages")
        .iter()
        .find(|message| message["content"].to_string().contains("Look at these"))
        .expect("the earlier message is sent");
    let note = |name: &str| json!({"type": "text", "text": format!("<file name=\"{name}\">\n{ATTACHMENT_GONE}\n</file>")});
    assert_eq!(
        earlier["content"],
        json!([{"type": "text", "text": "Look at these"}, note("lost.png"), note("lost.pdf")]),
        "each lost attachment as a note, in its place"
    );
}
