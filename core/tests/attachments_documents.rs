//! Documents attached on a real SQLite file, each format made by the tests: the file part
//! (characters, pages, tokens, cut or not), the bytes and the text stored beside them, the
//! token count of the request budget, and the hostile files (bombs, scans, locked and
//! damaged files, a stopped read) ending in typed problems with nothing stored. Search
//! finds a word that only a document's text holds.

mod common;
mod documents;

use std::sync::atomic::Ordering;

use common::stream::new_conversation;
use common::{TempDb, params_of, problem_of, row_count};
use confab_core::Rule;
use confab_core::attachments::{self, Reading};
use confab_core::chat::message_tokens;
use confab_core::extract::Limits;
use confab_core::store::blob_texts::{self, BlobText};
use confab_core::store::messages::{self, NewMessage};
use confab_core::store::{blobs, search};
use confab_core::vocab::{Part, PromptMessage, Role};

/// The file part's fields that describe the text: (mime, chars, pages, tokens, truncated).
fn described(part: &Part) -> (&str, u32, Option<u32>, u32, bool) {
    match part {
        Part::File {
            mime,
            chars,
            pages,
            tokens,
            truncated,
            ..
        } => (mime, *chars, *pages, *tokens, *truncated),
        other => panic!("a file part: {other:?}"),
    }
}

fn sha_of(part: &Part) -> &str {
    match part {
        Part::File { sha256, .. } | Part::Image { sha256, .. } => sha256,
        other => panic!("an attachment: {other:?}"),
    }
}

/// Attaches `bytes` as `name` and returns the part with its stored text.
async fn attached(temp: &TempDb, name: &str, bytes: Vec<u8>) -> (Part, BlobText) {
    let part = attachments::attach(temp.db.conn(), name, bytes.clone())
        .await
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    let sha256 = sha_of(&part);
    let blob = blobs::get(temp.db.conn(), sha256).await.expect("bytes");
    assert_eq!(blob.data, bytes, "{name}: stored as given");
    let text = blob_texts::get(temp.db.conn(), sha256)
        .await
        .expect("read")
        .unwrap_or_else(|| panic!("{name}: its text is stored"));
    (part, text)
}

/// Tokens of `text` as a request's budget counts them (less the message framing).
fn budget_tokens(text: &str) -> u32 {
    let message = PromptMessage {
        role: Role::User,
        content: text.to_string(),
    };
    message_tokens(&message)
        - message_tokens(&PromptMessage {
            role: Role::User,
            content: String::new(),
        })
}

/// A file, the type it is stored as, its pages, and words its text must hold.
type Case = (
    &'static str,
    Vec<u8>,
    &'static str,
    Option<u32>,
    &'static [&'static str],
);

#[tokio::test]
async fn every_format_is_read_to_text_and_counted_as_requests_count() {
    let temp = TempDb::new().await;
    let html = "<!DOCTYPE html><html><head><style>p{color:red}</style><script>var secret=1;\
                </script></head><body><h1>Quarterly</h1><p>Revenue grew.</p></body></html>";
    let cases: Vec<Case> = vec![
        (
            "notes.txt",
            b"plain words here".to_vec(),
            "text/plain",
            None,
            &["plain words here"],
        ),
        (
            "说明.md",
            "# 标题\n\n正文 *Markdown*".as_bytes().to_vec(),
            "text/markdown",
            None,
            &["正文"],
        ),
        (
            "main.rs",
            b"fn main() { println!(\"hi\"); }".to_vec(),
            "text/plain",
            None,
            &["println!"],
        ),
        (
            "data.csv",
            b"fruit,qty\nfig,3\n".to_vec(),
            "text/csv",
            None,
            &["fig,3"],
        ),
        (
            "data.tsv",
            b"fruit\tqty\nfig\t3\n".to_vec(),
            "text/tab-separated-values",
            None,
            &["fig\t3"],
        ),
        (
            "config.json",
            br#"{"model": "gpt"}"#.to_vec(),
            "application/json",
            None,
            &["\"model\""],
        ),
        (
            "page.html",
            html.as_bytes().to_vec(),
            "text/html",
            None,
            &["Quarterly", "Revenue grew."],
        ),
        (
            "paper.pdf",
            documents::pdf(&[Some("First page words"), Some("Second page words")]),
            "application/pdf",
            Some(2),
            &[
                "## Page 1",
                "First page words",
                "## Page 2",
                "Second page words",
            ],
        ),
        (
            "report.docx",
            documents::docx(&["Dear reader,", "the plan is ready."]),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            None,
            &["Dear reader,\nthe plan is ready."],
        ),
        (
            "deck.pptx",
            documents::pptx(&[&["Welcome"], &["Roadmap", "Q3 launch"]]),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            Some(2),
            &["## Slide 1", "Welcome", "## Slide 2", "Q3 launch"],
        ),
        (
            "sheet.xlsx",
            documents::xlsx(&[("Prices", &[&["item", "price"], &["tea", "4.5"]])]),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Some(1),
            &["## Sheet: Prices", "| item | price |", "| tea | 4.5 |"],
        ),
    ];
    for (name, bytes, mime, pages, expected) in cases {
        let size = bytes.len() as u64;
        let (part, text) = attached(&temp, name, bytes).await;
        for words in expected {
            assert!(
                text.text.contains(words),
                "{name}: {words:?} in {:?}",
                text.text
            );
        }
        if name == "page.html" {
            assert!(
                !text.text.contains("secret") && !text.text.contains('<'),
                "{}",
                text.text
            );
        }
        let chars = text.text.chars().count() as u32;
        let tokens = budget_tokens(&text.text);
        assert!(tokens > 0, "{name}");
        assert_eq!(
            described(&part),
            (mime, chars, pages, tokens, false),
            "{name}"
        );
        assert_eq!(
            (text.chars, text.tokens, text.pages),
            (chars, tokens, pages),
            "{name}"
        );
        let Part::File {
            name: stored,
            bytes: stored_size,
            pages_sent,
            ..
        } = &part
        else {
            unreachable!()
        };
        assert_eq!(
            (stored.as_str(), *stored_size, *pages_sent),
            (name, size, None)
        );
    }
    assert_eq!(row_count(&temp.db, "blob_texts").await, 11);
}

#[tokio::test]
async fn the_same_bytes_under_another_name_keep_the_text_stored_first() {
    let temp = TempDb::new().await;
    let html = b"<html><body><p>Hello <b>there</b></p></body></html>".to_vec();
    let (first, text) = attached(&temp, "page.html", html.clone()).await;
    let (second, again) = attached(&temp, "page.md", html).await;
    assert_eq!(text, again);
    let numbers = |part: &Part| {
        let (_, chars, pages, tokens, truncated) = described(part);
        (chars, pages, tokens, truncated)
    };
    assert_eq!(numbers(&first), numbers(&second));
    assert!(!again.text.contains('<'), "{}", again.text);
    assert_eq!(row_count(&temp.db, "blob_texts").await, 1);
}

#[tokio::test]
async fn a_text_longer_than_what_is_read_is_cut_and_says_so() {
    let temp = TempDb::new().await;
    let max = Limits::default().max_chars;
    // Six characters a word: the cut falls inside one, not on a space that would be trimmed.
    let long = "wordy ".repeat(max / 6 + 1000);
    let (part, text) = attached(&temp, "long.txt", long.into_bytes()).await;
    let (_, chars, _, tokens, truncated) = described(&part);
    assert_eq!((chars as usize, truncated), (max, true));
    assert!(text.truncated);
    assert_eq!(
        tokens,
        budget_tokens(&text.text),
        "the text kept is what is counted"
    );
}

#[tokio::test]
async fn a_zip_bomb_docx_is_refused_before_it_is_inflated() {
    let temp = TempDb::new().await;
    let mut docx = documents::docx(&["tiny"]);
    documents::declare_size(&mut docx, "word/document.xml", 2_000_000_000);
    let error = attachments::attach(temp.db.conn(), "bomb.docx", docx)
        .await
        .expect_err("refused");
    assert_eq!(problem_of(&error), ("file".into(), Rule::DecompressionBomb));
    let max = Limits::default().max_inflated_bytes;
    assert_eq!(params_of(&error).max, Some(max as i64));

    let body = format!(
        "{}<w:t>deep</w:t>{}",
        "<w:x>".repeat(5000),
        "</w:x>".repeat(5000)
    );
    let deep = documents::docx_with_body(&body);
    let error = attachments::attach(temp.db.conn(), "deep.docx", deep)
        .await
        .expect_err("refused");
    assert_eq!(problem_of(&error), ("file".into(), Rule::DecompressionBomb));
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
}

#[tokio::test]
async fn a_scanned_pdf_says_so_with_its_pages() {
    let temp = TempDb::new().await;
    let scan = documents::pdf(&[None, None, None]);
    let error = attachments::attach(temp.db.conn(), "scan.pdf", scan)
        .await
        .expect_err("no text");
    assert_eq!(problem_of(&error), ("file".into(), Rule::ScannedDocument));
    assert_eq!(params_of(&error).count, Some(3));
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
}

#[tokio::test]
async fn a_locked_and_a_damaged_document_say_which() {
    let temp = TempDb::new().await;
    let mut locked = documents::docx(&["secret plans"]);
    documents::set_encrypted(&mut locked);
    let error = attachments::attach(temp.db.conn(), "locked.docx", locked)
        .await
        .expect_err("locked");
    assert_eq!(problem_of(&error), ("file".into(), Rule::EncryptedDocument));

    let docx = documents::docx(&["text"]);
    let mut cut = docx[..docx.len() - 30].to_vec();
    cut.extend_from_slice(&[0; 30]);
    let error = attachments::attach(temp.db.conn(), "cut.docx", cut)
        .await
        .expect_err("damaged");
    assert_eq!(problem_of(&error).1, Rule::DamagedFile);
    assert!(
        params_of(&error).detail.is_some(),
        "the reader's words are kept"
    );
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
}

#[tokio::test]
async fn a_stopped_read_ends_as_cancelled_with_nothing_stored() {
    let temp = TempDb::new().await;
    for (name, bytes) in [
        ("a.pdf", documents::pdf(&[Some("page")])),
        ("a.docx", documents::docx(&["paragraph"])),
        ("a.txt", b"text".to_vec()),
    ] {
        let reading = Reading::new(1 << 20);
        reading.cancel.store(true, Ordering::Relaxed);
        let error = attachments::attach_with(temp.db.conn(), name, bytes, &reading)
            .await
            .expect_err(name);
        assert_eq!(
            problem_of(&error),
            ("file".into(), Rule::Cancelled),
            "{name}"
        );
    }
    assert_eq!(row_count(&temp.db, "blobs").await, 0);
}

#[tokio::test]
async fn search_finds_a_word_that_only_a_pdf_holds() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    let conversation = new_conversation(&temp.db).await;
    let pdf = documents::pdf(&[Some("Intro"), Some("The quokka census of Rottnest")]);
    let (part, _) = attached(&temp, "census.pdf", pdf).await;
    // Not found while no message uses the file.
    assert!(
        search::search(conn, "quokka", 10)
            .await
            .expect("searched")
            .is_empty()
    );
    let message = messages::append(
        conn,
        NewMessage {
            parts: vec![Part::text("the census, read it"), part],
            ..NewMessage::text(&conversation, Role::User, "the census, read it")
        },
    )
    .await
    .expect("sent");
    let hits = search::search(conn, "QUOKKA census", 10)
        .await
        .expect("searched");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].message_id.as_deref(), Some(message.id.as_str()));
    assert_eq!(hits[0].conversation_id, conversation);
    let marked: Vec<&str> = hits[0]
        .snippet
        .iter()
        .filter(|part| part.hit)
        .map(|part| part.text.as_str())
        .collect();
    assert!(marked.contains(&"quokka"), "{:?}", hits[0].snippet);

    // A short word is looked for in the text the index found.
    let hits = search::search(conn, "quokka of", 10)
        .await
        .expect("searched");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hits = search::search(conn, "quokka xy", 10)
        .await
        .expect("searched");
    assert!(hits.is_empty(), "{hits:?}");

    // A message whose own text matches too shows once, by its text.
    let hits = search::search(conn, "census", 10).await.expect("searched");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let shown: String = hits[0]
        .snippet
        .iter()
        .map(|part| part.text.as_str())
        .collect();
    assert_eq!(shown, "the census, read it");
}

#[tokio::test]
async fn a_match_deep_in_a_long_document_is_shown_in_its_snippet() {
    let temp = TempDb::new().await;
    let conn = temp.db.conn();
    let conversation = new_conversation(&temp.db).await;
    let text = format!(
        "{} the zebrafish study {}",
        "filler ".repeat(50_000),
        "tail ".repeat(1000)
    );
    let (part, _) = attached(&temp, "long.txt", text.into_bytes()).await;
    messages::append(
        conn,
        NewMessage {
            parts: vec![part],
            ..NewMessage::text(&conversation, Role::User, "")
        },
    )
    .await
    .expect("sent");
    let hits = search::search(conn, "Zebrafish", 10)
        .await
        .expect("searched");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let snippet = &hits[0].snippet;
    assert_eq!(snippet.first().map(|part| part.text.as_str()), Some("…"));
    assert!(
        snippet
            .iter()
            .any(|part| part.hit && part.text == "zebrafish"),
        "{snippet:?}"
    );
    let shown: usize = snippet.iter().map(|part| part.text.chars().count()).sum();
    assert!(shown < 200, "{shown}");
}
