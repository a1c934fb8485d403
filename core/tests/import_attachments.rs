//! Attachments through Confab JSON, against real SQLite files with the real migrations:
//! the export carries each blob once, the import restores the bytes exactly and reads a
//! document's text again from them; a file whose attachments are damaged, of an unknown
//! type or too large imports nothing; a file from before the list still imports.

#[path = "common/attached.rs"]
mod attached;
mod common;
#[path = "common/images.rs"]
mod images;

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use common::{TempDb, problems_of, row_count};
use confab_core::store::blob_texts::{self, BlobText};
use confab_core::store::{Db, blobs};
use confab_core::transfer::{ExportFormat, ImportKind, ImportLimits, export_to_file, import_file};
use confab_core::vocab::Part;
use confab_core::{Error, ErrorCode, Rule};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use attached::{DOCUMENT, sha256};

async fn import_with(db: &Db, path: &Path, limits: ImportLimits) -> Result<(), Error> {
    import_file(db.conn(), path, ImportKind::Confab, limits, |_| {})
        .await
        .map(|_| ())
}

async fn import(db: &Db, path: &Path) -> Result<(), Error> {
    import_with(db, path, ImportLimits::default()).await
}

async fn export(temp: &TempDb) -> PathBuf {
    let path = temp.dir.path().join("export.json");
    export_to_file(temp.db.conn(), None, ExportFormat::Json, &path)
        .await
        .expect("exported");
    path
}

/// Rows in every table an import of attachments writes.
async fn rows(db: &Db) -> [i64; 5] {
    let mut counts = [0; 5];
    let tables = [
        "conversations",
        "messages",
        "blobs",
        "message_blobs",
        "blob_texts",
    ];
    for (count, table) in counts.iter_mut().zip(tables) {
        *count = row_count(db, table).await;
    }
    counts
}

/// The parts of every message of `conversation`, in stored order.
async fn parts(db: &Db, conversation: &str) -> Vec<Vec<Part>> {
    common::stream::stored(db, conversation)
        .await
        .into_iter()
        .map(|message| message.parts)
        .collect()
}

/// Documents whose text the full-text index finds `word` in.
async fn text_hits(db: &Db, word: &str) -> i64 {
    let row = db
        .conn()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT count(*) FROM blob_texts_fts WHERE blob_texts_fts MATCH ?",
            [format!("\"{word}\"").into()],
        ))
        .await
        .expect("searched")
        .expect("a row");
    row.try_get_by_index(0).expect("a count")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read")).expect("JSON")
}

fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(value).expect("JSON")).expect("written");
    path
}

#[tokio::test]
async fn a_round_trip_restores_the_bytes_the_parts_and_the_text() {
    let source = TempDb::new().await;
    let seeded = attached::seed(&source.db).await;
    let file = export(&source).await;

    let document = read_json(&file);
    let listed = document["attachments"].as_array().expect("a list");
    assert_eq!(
        listed.len(),
        2,
        "each blob once, though the image is used twice"
    );
    let image = listed
        .iter()
        .find(|entry| entry["sha256"] == sha256(&seeded.image))
        .expect("the image is listed");
    assert_eq!(image["mime"], "image/png");
    let data = BASE64_STANDARD
        .decode(image["data"].as_str().expect("base64"))
        .expect("decodes");
    assert_eq!(data, seeded.image_bytes);

    let target = TempDb::new().await;
    import(&target.db, &file).await.expect("imported");

    let stored = blobs::get(target.db.conn(), sha256(&seeded.image))
        .await
        .expect("the image is stored");
    assert_eq!(stored.data, seeded.image_bytes, "the same bytes");
    assert_eq!(stored.mime, "image/png");
    let doc = blobs::get(target.db.conn(), sha256(&seeded.document))
        .await
        .expect("the document is stored");
    assert_eq!(doc.data, DOCUMENT.as_bytes());
    assert_eq!(
        row_count(&target.db, "message_blobs").await,
        3,
        "each message linked to what it uses"
    );
    let text = blob_texts::get(target.db.conn(), sha256(&seeded.document))
        .await
        .expect("read")
        .expect("the document's text is read again");
    assert_eq!(
        parts(&target.db, &seeded.conversation).await,
        described(parts(&source.db, &seeded.conversation).await, &text),
        "every part as it was, the document's saying what was read"
    );
    // Read as the attachments code reads text: the trailing line end goes.
    assert_eq!(text.text, DOCUMENT.trim_end());
    assert_eq!(text.kind, "markdown");
    assert_eq!(text.chars, DOCUMENT.trim_end().chars().count() as u32);
    assert!(text.tokens > 5, "tokens counted: {}", text.tokens);
    assert_eq!(text_hits(&target.db, "zanzibarite").await, 1);
    assert_eq!(text_hits(&target.db, "季度报告").await, 1);
}

/// `messages`' parts with each file part telling the facts of `text`.
fn described(messages: Vec<Vec<Part>>, text: &BlobText) -> Vec<Vec<Part>> {
    let mut messages = messages;
    for part in messages.iter_mut().flatten() {
        if let Part::File {
            chars,
            pages,
            tokens,
            truncated,
            ..
        } = part
        {
            (*chars, *pages, *tokens, *truncated) =
                (text.chars, text.pages, text.tokens, text.truncated);
        }
    }
    messages
}

#[tokio::test]
async fn what_a_file_part_says_of_its_document_comes_from_the_bytes() {
    let source = TempDb::new().await;
    let seeded = attached::seed(&source.db).await;
    let mut document = read_json(&export(&source).await);
    let part = &mut document["conversations"][0]["messages"][0]["parts"][2];
    assert_eq!(part["type"], "file", "{part}");
    part["mime"] = json!("application/pdf");
    part["bytes"] = json!(999_999_999);
    part["chars"] = json!(1);
    part["tokens"] = json!(1);
    part["pages"] = json!(3);
    let path = write_json(source.dir.path(), "claims.json", &document);
    let target = TempDb::new().await;

    import(&target.db, &path).await.expect("imported");

    let stored = &parts(&target.db, &seeded.conversation).await[0][2];
    let Part::File {
        mime,
        bytes,
        chars,
        tokens,
        pages,
        name,
        ..
    } = stored
    else {
        panic!("a file part: {stored:?}");
    };
    assert_eq!(name, "notes.md");
    assert_eq!(mime, "text/markdown");
    assert_eq!(*bytes, DOCUMENT.len() as u64);
    assert_eq!(*chars, DOCUMENT.trim_end().chars().count() as u32);
    assert!(*tokens > 5);
    assert_eq!(*pages, None);
}

#[tokio::test]
async fn the_text_comes_from_the_bytes_and_the_list_may_come_first() {
    let source = TempDb::new().await;
    let seeded = attached::seed(&source.db).await;
    let mut document = read_json(&export(&source).await);
    // A file that claims another text for its document, its list before the conversations.
    let mut list = document["attachments"].take();
    for entry in list.as_array_mut().expect("a list") {
        entry["text"] = json!("not what the document says");
    }
    let conversations = document["conversations"].take();
    let text = format!(
        r#"{{"format":"confab-conversations","version":1,"attachments":{list},"conversations":{conversations}}}"#
    );
    let path = source.dir.path().join("first.json");
    std::fs::write(&path, text).expect("written");
    let target = TempDb::new().await;

    import(&target.db, &path).await.expect("imported");

    let text = blob_texts::get(target.db.conn(), sha256(&seeded.document))
        .await
        .expect("read")
        .expect("a text");
    // Read as the attachments code reads text: the trailing line end goes.
    assert_eq!(text.text, DOCUMENT.trim_end());
    assert_eq!(row_count(&target.db, "message_blobs").await, 3);
}

/// Imports `document` after `edit` into a database holding another history, and checks
/// that nothing of it was written and that the one problem is `(path, rule)`.
async fn refused(
    edit: impl FnOnce(&mut Value),
    limits: ImportLimits,
    expected: (&str, Rule),
) -> Error {
    let source = TempDb::new().await;
    attached::seed(&source.db).await;
    let mut document = read_json(&export(&source).await);
    edit(&mut document);
    let path = write_json(source.dir.path(), "hostile.json", &document);
    let target = TempDb::new().await;
    attached::seed(&target.db).await;
    let before = rows(&target.db).await;

    let error = import_with(&target.db, &path, limits)
        .await
        .expect_err("refused");

    assert_eq!(error.code(), ErrorCode::InvalidInput, "{error}");
    assert_eq!(
        problems_of(&error),
        vec![(expected.0.to_string(), expected.1)]
    );
    assert_eq!(rows(&target.db).await, before, "nothing imported");
    error
}

fn entry(document: &mut Value, index: usize) -> &mut Value {
    &mut document["attachments"][index]
}

#[tokio::test]
async fn bytes_that_do_not_match_their_sha256_import_nothing() {
    let error = refused(
        |document| entry(document, 1)["data"] = json!(BASE64_STANDARD.encode(b"other bytes")),
        ImportLimits::default(),
        ("attachments[1].data", Rule::DamagedFile),
    )
    .await;
    assert!(error.to_string().contains("SHA-256"), "{error}");
}

/// Bytes with an image's type that are no image.
const NOT_AN_IMAGE: &[u8] = b"MZ\x90\x00 a program, not a picture";

fn blob_entry(bytes: &[u8], mime: &str) -> Value {
    json!({
        "sha256": blobs::sha256_hex(bytes),
        "mime": mime,
        "data": BASE64_STANDARD.encode(bytes),
    })
}

#[tokio::test]
async fn damaged_or_unknown_attachments_import_nothing() {
    type Edit = fn(&mut Value);
    let cases: [(Edit, &str, Rule); 5] = [
        (
            |document| entry(document, 0)["data"] = json!("not*base64!"),
            "attachments[0].data",
            Rule::DamagedFile,
        ),
        (
            |document| entry(document, 0)["mime"] = json!("application/x-msdownload"),
            "attachments[0].mime",
            Rule::UnsupportedFile,
        ),
        (
            |document| *entry(document, 0) = blob_entry(NOT_AN_IMAGE, "image/png"),
            "attachments[0].data",
            Rule::DamagedFile,
        ),
        (
            |document| entry(document, 0)["sha256"] = json!("../../etc/passwd"),
            "attachments[0].sha256",
            Rule::Malformed,
        ),
        (
            |document| {
                entry(document, 1)
                    .as_object_mut()
                    .expect("an object")
                    .remove("sha256");
            },
            "attachments[1].sha256",
            Rule::Required,
        ),
    ];
    for (edit, path, rule) in cases {
        refused(edit, ImportLimits::default(), (path, rule)).await;
    }
}

#[tokio::test]
async fn an_attachment_over_the_limit_imports_nothing() {
    // Just over: decoded, then refused.
    let limits = ImportLimits {
        max_blob_bytes: DOCUMENT.len() as u64 - 1,
        ..ImportLimits::default()
    };
    let error = refused(
        |document| {
            let list = document["attachments"].as_array_mut().expect("a list");
            list.retain(|entry| entry["mime"] != "image/png");
        },
        limits,
        ("attachments[0].data", Rule::TooLarge),
    )
    .await;
    assert!(
        error
            .to_string()
            .contains(&format!("{}", DOCUMENT.len() - 1))
    );
    // Far over: the reader stops before holding it.
    let huge = vec![b'a'; 200_000];
    let limits = ImportLimits {
        max_blob_bytes: 1024,
        ..ImportLimits::default()
    };
    refused(
        |document| *entry(document, 1) = blob_entry(&huge, "text/plain"),
        limits,
        ("attachments[1].data", Rule::TooLarge),
    )
    .await;
}

#[tokio::test]
async fn a_file_without_the_list_imports_its_parts_without_their_bytes() {
    let source = TempDb::new().await;
    let seeded = attached::seed(&source.db).await;
    let mut document = read_json(&export(&source).await);
    document
        .as_object_mut()
        .expect("an object")
        .remove("attachments");
    let path = write_json(source.dir.path(), "older.json", &document);

    let target = TempDb::new().await;
    import(&target.db, &path).await.expect("imported");
    assert_eq!(
        parts(&target.db, &seeded.conversation).await,
        parts(&source.db, &seeded.conversation).await
    );
    assert_eq!(
        rows(&target.db).await[2..],
        [0, 0, 0],
        "no bytes came along"
    );

    // Into a database that has the blobs already, the messages use them.
    let again = TempDb::new().await;
    blobs::put(again.db.conn(), "image/png", &seeded.image_bytes)
        .await
        .expect("put");
    blobs::put(again.db.conn(), "text/markdown", DOCUMENT.as_bytes())
        .await
        .expect("put");
    import(&again.db, &path).await.expect("imported");
    assert_eq!(row_count(&again.db, "blobs").await, 2);
    assert_eq!(row_count(&again.db, "message_blobs").await, 3);
}
