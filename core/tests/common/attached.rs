//! A conversation with attachments for the export and import tests: a real PNG and a
//! Markdown document attached the app's way, the image used by two messages.

#![allow(dead_code)] // each test binary uses a part of it

use confab_core::attachments;
use confab_core::store::messages::{self, Message, NewMessage};
use confab_core::store::{Db, blobs};
use confab_core::vocab::{Part, Role};
use image::ImageFormat;

use super::common::stream::new_conversation;
use super::images;

/// The document's text: a word no other test text has, and Chinese.
pub const DOCUMENT: &str = "# Notes\n\nThe quarterly zanzibarite figures.\n\n季度报告\n";

pub struct Attached {
    pub conversation: String,
    pub image: Part,
    pub document: Part,
    pub image_bytes: Vec<u8>,
}

/// A stored message with `parts` after the branch shown of `conversation`.
pub async fn send(db: &Db, conversation: &str, parts: Vec<Part>) -> Message {
    messages::append(
        db.conn(),
        NewMessage {
            parts,
            ..NewMessage::text(conversation, Role::User, "")
        },
    )
    .await
    .expect("stored")
}

/// A conversation: a message with text, an image and a document; a reply; a message with
/// the same image again and no text.
pub async fn seed(db: &Db) -> Attached {
    let conversation = new_conversation(db).await;
    let png = images::encoded(&images::half_transparent(40, 30), ImageFormat::Png);
    let image = attachments::attach(db.conn(), "photo.png", png)
        .await
        .expect("image attached");
    let document = attachments::attach(db.conn(), "notes.md", DOCUMENT.as_bytes().to_vec())
        .await
        .expect("document attached");
    send(
        db,
        &conversation,
        vec![
            Part::text("What do these say?"),
            image.clone(),
            document.clone(),
        ],
    )
    .await;
    let reply = NewMessage::text(&conversation, Role::Assistant, "They say hello.");
    messages::append(db.conn(), reply).await.expect("reply");
    send(db, &conversation, vec![image.clone()]).await;
    let image_bytes = blobs::get(db.conn(), sha256(&image))
        .await
        .expect("stored")
        .data;
    Attached {
        conversation,
        image,
        document,
        image_bytes,
    }
}

pub fn sha256(part: &Part) -> &str {
    match part {
        Part::Image { sha256, .. } | Part::File { sha256, .. } => sha256,
        other => panic!("not an attachment: {other:?}"),
    }
}

/// A file part naming the stored blob `sha256` as `name`.
pub fn file_part(sha256: &str, name: &str) -> Part {
    Part::File {
        sha256: sha256.to_string(),
        name: name.to_string(),
        mime: "text/plain".into(),
        bytes: 1,
        chars: 1,
        pages: None,
        tokens: 1,
        truncated: false,
        pages_sent: None,
    }
}
