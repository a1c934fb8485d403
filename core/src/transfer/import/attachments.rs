//! The `attachments` list of a Confab file: the bytes of the images and files its
//! messages name.
//!
//! Each blob is checked on the reading thread (its base64, its size, its SHA-256 against
//! its bytes, its type) and stored inside the import's transaction; one that fails any
//! check is a problem, so nothing is imported. Messages name their blobs by SHA-256 and
//! may come before or after the list, so blobs are linked to their messages once the
//! whole file is read. A document's text is never taken from the file: it is read again
//! from the stored bytes, and its file parts are made to say what was read.

use std::collections::HashMap;

use ::image::ImageFormat;
use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::attachments::{image, index_document};
use crate::error::Result;
use crate::problem::{Problem, Rule};
use crate::store::entities::message;
use crate::store::messages::{Message, stored_parts};
use crate::store::{blob_texts, blobs};
use crate::vocab::Part;

/// Largest attachment imported: the largest the per-file setting allows.
pub const MAX_IMPORT_BLOB_BYTES: u64 = 512 << 20;

/// Document types a blob may have besides `text/*` and the images Confab stores.
const DOCUMENT_MIMES: [&str; 5] = [
    "application/json",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// One checked blob of the file.
pub struct IncomingBlob {
    pub sha256: String,
    pub mime: String,
    pub data: Vec<u8>,
}

/// The JSON bytes one element of the list may take while it is read: its bytes in base64
/// and room for its other fields.
pub fn max_element_bytes(max_blob_bytes: u64) -> u64 {
    max_blob_bytes.div_ceil(3).saturating_mul(4) + (64 << 10)
}

/// Checks element `index` of the list: a problem at its path, or the blob.
pub fn check(value: &Value, index: usize, max_bytes: u64) -> Result<IncomingBlob, Box<Problem>> {
    let at = |field: &str| format!("attachments[{index}].{field}");
    let Some(object) = value.as_object() else {
        let problem = Problem::new(format!("attachments[{index}]"), Rule::Malformed);
        return Err(problem.detail("expected an object").into());
    };
    let text = |field: &str| -> Result<&str, Box<Problem>> {
        match object.get(field) {
            Some(Value::String(text)) => Ok(text.as_str()),
            None | Some(Value::Null) => Err(Problem::required(at(field)).into()),
            Some(_) => {
                let problem = Problem::new(at(field), Rule::Malformed);
                Err(problem.detail("expected a string").into())
            }
        }
    };
    let sha256 = text("sha256")?.to_ascii_lowercase();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        let problem = Problem::new(at("sha256"), Rule::Malformed);
        return Err(problem
            .detail("not a SHA-256 (64 hexadecimal digits)")
            .into());
    }
    let mime = text("mime")?;
    if !known_mime(mime) {
        let problem = Problem::new(at("mime"), Rule::UnsupportedFile);
        return Err(problem.value(short(mime)).into());
    }
    let encoded = text("data")?;
    if encoded.len() as u64 > max_bytes.div_ceil(3).saturating_mul(4) {
        return Err(Problem::limit(at("data"), Rule::TooLarge, max_bytes).into());
    }
    let damaged = |detail: String| {
        let problem = Problem::new(at("data"), Rule::DamagedFile);
        Box::new(problem.value(mime).detail(detail))
    };
    let data = BASE64_STANDARD
        .decode(encoded)
        .map_err(|error| damaged(format!("not base64: {error}")))?;
    if data.len() as u64 > max_bytes {
        return Err(Problem::limit(at("data"), Rule::TooLarge, max_bytes).into());
    }
    if blobs::sha256_hex(&data) != sha256 {
        return Err(damaged("its bytes do not match its SHA-256".into()));
    }
    if let Some(format) = ImageFormat::from_mime_type(mime)
        && image::sniff(&data) != Some(format)
    {
        return Err(damaged(format!("the bytes are not a {mime} image")));
    }
    Ok(IncomingBlob {
        sha256,
        mime: mime.to_string(),
        data,
    })
}

/// Whether a blob of type `mime` is something Confab attaches: an image it stores, a text
/// type, or a document it reads.
fn known_mime(mime: &str) -> bool {
    if let Some(subtype) = mime.strip_prefix("text/") {
        return (1..=100).contains(&subtype.len())
            && subtype
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-+.".contains(&b));
    }
    ImageFormat::from_mime_type(mime).is_some_and(|format| image::ACCEPTED.contains(&format))
        || DOCUMENT_MIMES.contains(&mime)
}

/// A type from the file as shown in a problem: bounded.
fn short(mime: &str) -> String {
    mime.chars().take(100).collect()
}

/// The blobs stored from the file so far: type and size of each.
#[derive(Default)]
pub struct Attached {
    stored: HashMap<String, (String, u64)>,
}

/// What a file part says of its document's text.
type TextFacts = Option<(u32, Option<u32>, u32, bool)>;

impl Attached {
    pub async fn store(&mut self, db: &impl ConnectionTrait, blob: IncomingBlob) -> Result<()> {
        blobs::put(db, &blob.mime, &blob.data).await?;
        let bytes = blob.data.len() as u64;
        self.stored.insert(blob.sha256, (blob.mime, bytes));
        Ok(())
    }

    /// Links each imported message (stored id, its image and file parts) to the blobs it
    /// names that are stored, reads the text of each document stored from the file, and
    /// makes the file parts say what was stored and read, not what the file said.
    pub async fn finish(
        &self,
        db: &impl ConnectionTrait,
        messages: &[(String, Vec<Part>)],
    ) -> Result<()> {
        let mut read: HashMap<&str, TextFacts> = HashMap::new();
        for (id, parts) in messages {
            blobs::link(db, id, parts).await?;
            let mut describes = false;
            for part in parts {
                let Part::File { sha256, name, .. } = part else {
                    continue;
                };
                if !self.stored.contains_key(sha256) {
                    continue;
                }
                describes = true;
                if !read.contains_key(sha256.as_str()) {
                    let blob = blobs::get(db, sha256).await?;
                    index_document(db, sha256, name, &blob.data).await?;
                    let text = blob_texts::get(db, sha256).await?;
                    let facts = text.map(|t| (t.chars, t.pages, t.tokens, t.truncated));
                    read.insert(sha256, facts);
                }
            }
            if describes {
                self.describe_files(db, id, &read).await?;
            }
        }
        Ok(())
    }

    /// Rewrites the file parts of message `id` with the type and size of their stored
    /// blobs and the facts of their text as read (`texts`).
    async fn describe_files(
        &self,
        db: &impl ConnectionTrait,
        id: &str,
        texts: &HashMap<&str, TextFacts>,
    ) -> Result<()> {
        let Some(row) = message::Entity::find()
            .filter(message::Column::Id.eq(id))
            .one(db)
            .await?
        else {
            return Ok(());
        };
        let mut parts = Message::from(row).parts;
        for part in &mut parts {
            let Part::File {
                sha256,
                mime,
                bytes,
                chars,
                pages,
                tokens,
                truncated,
                ..
            } = part
            else {
                continue;
            };
            let Some((stored_mime, size)) = self.stored.get(sha256.as_str()) else {
                continue;
            };
            (*mime, *bytes) = (stored_mime.clone(), *size);
            if let Some(Some(facts)) = texts.get(sha256.as_str()) {
                (*chars, *pages, *tokens, *truncated) = *facts;
            }
        }
        message::Entity::update_many()
            .col_expr(message::Column::Parts, Expr::value(stored_parts(&parts)?))
            .filter(message::Column::Id.eq(id))
            .exec(db)
            .await?;
        Ok(())
    }
}
