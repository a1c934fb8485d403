//! Attachments for the sending tests: an image attached the app's way, a document stored
//! with its text page by page (as reading a PDF stores it), and what aimock was sent.
//! Included beside `common` and `common/images.rs` (`#[path]`).

#![allow(dead_code)] // each test binary uses a part of it

use std::sync::Arc;

use confab_core::chat::{ChatEngine, ChatEvent};
use confab_core::store::blob_texts::{self, BlobText};
use confab_core::store::{Db, blobs};
use confab_core::vocab::Part;
use image::ImageFormat;

use crate::common::stream::{channel, new_conversation};
use crate::common::{Aimock, TempDb, engine, events_until_end, test_keychain};
use crate::images::{encoded, opaque};

/// A 640 × 480 PNG attached as `name` (stored as the app stores images).
pub async fn image(db: &Db, name: &str) -> Part {
    let png = encoded(&opaque(640, 480), ImageFormat::Png);
    confab_core::attachments::attach(db.conn(), name, png)
        .await
        .expect("image attached")
}

/// A document of `pages` stored with its text, and the part the composer holds for it
/// (sending all pages).
pub async fn document(db: &Db, name: &str, pages: &[&str]) -> Part {
    let text: String = pages.concat();
    let mut page_starts = Vec::new();
    let mut at = 0;
    for page in pages {
        page_starts.push(u32::try_from(at).expect("small"));
        at += page.len();
    }
    let sha256 = blobs::put(db.conn(), "application/pdf", text.as_bytes())
        .await
        .expect("blob stored");
    let stored = BlobText {
        kind: "pdf".into(),
        chars: u32::try_from(text.chars().count()).expect("small"),
        tokens: confab_core::chat::message_tokens(&confab_core::chat::PromptMessage::new(
            confab_core::vocab::Role::User,
            text.as_str(),
        )),
        text,
        pages: Some(u32::try_from(pages.len()).expect("small")),
        page_starts,
        truncated: false,
    };
    blob_texts::put(db.conn(), &sha256, &stored)
        .await
        .expect("text stored");
    Part::File {
        sha256,
        name: name.into(),
        mime: "application/pdf".into(),
        bytes: 0,
        chars: stored.chars,
        pages: stored.pages,
        tokens: stored.tokens,
        truncated: false,
        pages_sent: None,
    }
}

/// `part` sending only its first `pages` pages.
pub fn first_pages(part: &Part, pages: u32) -> Part {
    let mut part = part.clone();
    if let Part::File { pages_sent, .. } = &mut part {
        *pages_sent = Some(pages);
    }
    part
}

/// The SHA-256 an attachment names.
pub fn sha_of(part: &Part) -> String {
    match part {
        Part::Image { sha256, .. } | Part::File { sha256, .. } => sha256.clone(),
        other => panic!("not an attachment: {other:?}"),
    }
}

/// Sends `text` with `attachments` and waits for the reply's end.
pub async fn send(
    engine: &Arc<ChatEngine>,
    conversation: &str,
    text: &str,
    attachments: Vec<Part>,
) -> confab_core::Result<Vec<ChatEvent>> {
    let (sink, mut rx) = channel();
    engine
        .send_message(conversation, text, attachments, sink)
        .await?;
    Ok(events_until_end(&mut rx).await)
}

/// The `messages` of every chat request aimock received, oldest first.
pub async fn requests(server: &Aimock) -> Vec<serde_json::Value> {
    let journal = server.journal().await;
    journal
        .as_array()
        .expect("the journal is a list")
        .iter()
        .filter_map(|entry| entry.pointer("/body/messages").cloned())
        .collect()
}

/// The content of the last message of the last chat request.
pub async fn last_content(server: &Aimock) -> serde_json::Value {
    let all = requests(server).await;
    let messages = all
        .last()
        .expect("a chat request")
        .as_array()
        .expect("a list");
    messages.last().expect("a message")["content"].clone()
}

/// A catch-all fixture: every request gets the same short reply.
pub fn fixtures() -> serde_json::Value {
    serde_json::json!({"fixtures": [{"match": {}, "response": {"content": "Seen."}}]})
}

/// What most sending tests start from: aimock answering everything, a database, an engine
/// whose replies come from `model` there, a new conversation and an image attached.
pub struct Setup {
    pub server: Aimock,
    pub temp: TempDb,
    pub engine: Arc<ChatEngine>,
    pub conversation: String,
    pub photo: Part,
}

pub async fn setup(model: &str) -> Setup {
    let server = Aimock::start(fixtures());
    let temp = TempDb::new().await;
    let endpoint = confab_core::llm::Endpoint {
        model: model.into(),
        ..server.endpoint()
    };
    let engine = engine(&temp.db, test_keychain(), endpoint).await;
    let conversation = new_conversation(&temp.db).await;
    let photo = image(&temp.db, "photo.png").await;
    Setup {
        server,
        temp,
        engine,
        conversation,
        photo,
    }
}
