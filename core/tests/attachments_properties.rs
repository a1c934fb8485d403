//! Property tests for attaching documents on a real SQLite file: a PDF, a DOCX, a PPTX, an
//! XLSX, an HTML page and a text file made by the test, then mutated. Each case must end in
//! a file part whose text is stored and described truly, or in one `invalid_input` problem
//! at `file` with nothing new stored, never a panic, and within a bounded time. Case counts
//! are in RELIABILITY.md.

mod common;
mod documents;
#[path = "common/mutation.rs"]
mod mutation;

use std::time::{Duration, Instant};

use common::{TempDb, row_count};
use confab_core::attachments;
use confab_core::store::blob_texts;
use confab_core::vocab::{Part, count_tokens};
use confab_core::{Error, ErrorCode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const CASES_PER_FORMAT: u32 = 128;
/// Far above what any case takes (milliseconds), far below a hang.
const MOST_TIME: Duration = Duration::from_secs(30);

fn check(name: &str, base: &[u8], strategy: impl Strategy<Value = Vec<mutation::Mutation>>) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let temp = runtime.block_on(TempDb::new());
    let mut runner = TestRunner::new(Config {
        cases: CASES_PER_FORMAT,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |mutations| {
            let bytes = mutation::mutate(base, &mutations);
            runtime.block_on(attach_one(&temp, name, bytes))
        })
        .unwrap_or_else(|failure| panic!("{name}: {failure}"));
}

async fn attach_one(temp: &TempDb, name: &str, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let blobs_before = row_count(&temp.db, "blobs").await;
    let started = Instant::now();
    let outcome = attachments::attach(temp.db.conn(), name, bytes).await;
    let took = started.elapsed();
    prop_assert!(took < MOST_TIME, "took {took:?}");
    match outcome {
        Ok(Part::File {
            sha256,
            chars,
            tokens,
            ..
        }) => {
            let stored = blob_texts::get(temp.db.conn(), &sha256)
                .await
                .map_err(|error| TestCaseError::fail(error.to_string()))?
                .ok_or_else(|| TestCaseError::fail("no text stored"))?;
            prop_assert_eq!(chars as usize, stored.text.chars().count());
            prop_assert_eq!(tokens, count_tokens(&stored.text));
        }
        // A mutation can turn a document into a picture's first bytes; the image reader has
        // its own property tests.
        Ok(Part::Image { .. }) => {}
        Ok(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
        Err(error) => {
            prop_assert_eq!(error.code(), ErrorCode::InvalidInput, "{}", error);
            let one_at_file = matches!(
                &error,
                Error::InvalidInput(problems) if problems.len() == 1 && problems[0].path == "file"
            );
            prop_assert!(one_at_file, "{:?}", error);
            prop_assert_eq!(row_count(&temp.db, "blobs").await, blobs_before);
        }
    }
    Ok(())
}

fn binary() -> impl Strategy<Value = Vec<mutation::Mutation>> {
    prop::collection::vec(mutation::binary_mutation(), 1..5)
}

fn text() -> impl Strategy<Value = Vec<mutation::Mutation>> {
    prop::collection::vec(mutation::text_mutation(), 1..5)
}

#[test]
fn mutated_pdfs_end_in_text_or_a_problem() {
    let pdf = documents::pdf(&[Some("First page"), None, Some("Third page")]);
    check("a.pdf", &pdf, binary());
}

#[test]
fn mutated_office_files_end_in_text_or_a_problem() {
    check("a.docx", &documents::docx(&["One", "Two"]), binary());
    check(
        "a.pptx",
        &documents::pptx(&[&["Slide"], &["More"]]),
        binary(),
    );
    let rows: &[&[&str]] = &[&["a", "1"], &["b", "2"]];
    check("a.xlsx", &documents::xlsx(&[("S", rows)]), binary());
}

#[test]
fn mutated_html_and_text_end_in_text_or_a_problem() {
    let html = "<!DOCTYPE html><html><body><h1>Title</h1><table><tr><td>x</td></tr></table>\
                <ul><li>one</li></ul></body></html>";
    check("a.html", html.as_bytes(), text());
    check("a.csv", "名前,数\nfig,3\n".as_bytes(), text());
}
