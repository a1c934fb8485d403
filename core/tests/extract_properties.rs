//! Property tests of document extraction over hostile files: documents of each format,
//! mutated (in their bytes, and for Office files also in the XML inside the zip), must
//! end in text or a typed error — never a panic, and within the time budget.

mod documents;

use std::time::{Duration, Instant};

use confab_core::extract::{Limits, extract};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};

const CASES: u32 = 160;
const BUDGET: Duration = Duration::from_secs(2);
/// The budget is checked between steps; one step (a page, a part) may overrun it a little.
const DEADLINE: Duration = Duration::from_secs(6);

/// Tokens that steer a parser somewhere interesting when spliced in.
const TOKENS: &[&str] = &[
    "<w:p>",
    "</w:t>",
    "<a:t>",
    "<row r=\"1048576\">",
    "<c r=\"XFD1\"><v>1</v></c>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "<![CDATA[",
    "obj",
    "endobj",
    "stream",
    "endstream",
    "<<",
    ">>",
    "/Length 99999999",
    "/FlateDecode",
    "/Count -1",
    "/Kids [1 0 R]",
    "R",
    "xref",
    "trailer",
    "%%EOF",
    "4294967295",
    "-1",
    "\u{feff}",
    "\0",
    "<script>",
    "<table><tr><td>",
];

#[derive(Debug, Clone)]
enum Edit {
    Flip(Index, u8),
    Splice(Index, &'static str),
    Cut(Index, usize),
    Copy(Index, Index, usize),
    End(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), 1u8..=255).prop_map(|(i, x)| Edit::Flip(i, x)),
        (any::<Index>(), prop::sample::select(TOKENS)).prop_map(|(i, t)| Edit::Splice(i, t)),
        (any::<Index>(), 1usize..64).prop_map(|(i, n)| Edit::Cut(i, n)),
        (any::<Index>(), any::<Index>(), 1usize..512).prop_map(|(a, b, n)| Edit::Copy(a, b, n)),
        any::<Index>().prop_map(Edit::End),
    ]
}

fn apply(base: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for edit in edits {
        let len = bytes.len().max(1);
        match edit {
            Edit::Flip(i, x) if !bytes.is_empty() => bytes[i.index(len)] ^= x,
            Edit::Splice(i, token) => {
                let at = i.index(len + 1).min(bytes.len());
                bytes.splice(at..at, token.bytes());
            }
            Edit::Cut(i, n) if !bytes.is_empty() => {
                let at = i.index(len);
                bytes.drain(at..(at + n).min(bytes.len()));
            }
            Edit::Copy(from, to, n) if !bytes.is_empty() => {
                let from = from.index(len);
                let piece = bytes[from..(from + n).min(bytes.len())].to_vec();
                let to = to.index(len + 1).min(bytes.len());
                bytes.splice(to..to, piece);
            }
            Edit::End(i) => bytes.truncate(i.index(len + 1)),
            _ => {}
        }
    }
    bytes
}

fn limits() -> Limits {
    Limits {
        time_budget: BUDGET,
        max_inflated_bytes: 32 * 1024 * 1024,
        ..Limits::default()
    }
}

/// Extracts `bytes`; failing (typed errors are fine) is not a failure, a slow one is.
fn survives(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let result = extract(name, bytes, &limits());
    let took = started.elapsed();
    prop_assert!(took < DEADLINE, "{name} took {took:?}: {result:?}");
    if let Ok(done) = result {
        prop_assert_eq!(done.chars as usize, done.text.chars().count());
        prop_assert!(
            done.page_starts
                .iter()
                .all(|s| done.text.is_char_boundary(*s as usize))
        );
    }
    Ok(())
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Runs `check` over mutations of `base`.
fn mutations(base: &[u8], check: impl Fn(Vec<u8>) -> Result<(), TestCaseError>) {
    runner()
        .run(&prop::collection::vec(edit(), 1..8), |edits| {
            check(apply(base, &edits))
        })
        .expect("no panic, no hang");
}

fn run(name: &str, base: &[u8]) {
    mutations(base, |bytes| survives(name, &bytes));
}

/// Mutates one XML part of an Office file, then zips it again (so the CRC holds and the
/// parsers, not the zip check, meet the damage).
fn run_part(name: &str, build: impl Fn(&str) -> Vec<u8>, part: &str) {
    mutations(part.as_bytes(), |bytes| {
        survives(name, &build(&String::from_utf8_lossy(&bytes)))
    });
}

#[test]
fn mutated_text_html_and_csv() {
    run("a.txt", "plain text, ünïcødé\nline two\n".as_bytes());
    run("a.csv", b"name,qty\n\"fig, dried\",3\n");
    run(
        "a.html",
        b"<!DOCTYPE html><html><body><h1>T</h1><table><tr><td>a</td><td colspan=9>b</td></tr></table>\
          <ul><li><ol><li>x</ol></ul><pre>code</pre><a href='x'>link</a></body></html>",
    );
}

#[test]
fn mutated_pdfs() {
    run(
        "a.pdf",
        &documents::pdf(&[Some("Hello page one"), None, Some("Page three")]),
    );
}

#[test]
fn mutated_docx() {
    run("a.docx", &documents::docx(&["First paragraph", "Second"]));
    let body = "<w:p><w:r><w:t>one</w:t><w:tab/><w:t>two</w:t></w:r></w:p>\
                <w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
    run_part("a.docx", documents::docx_with_body, body);
}

#[test]
fn mutated_pptx() {
    run(
        "a.pptx",
        &documents::pptx(&[&["Title", "Sub"], &["Agenda"]]),
    );
    run_part(
        "a.pptx",
        |text| documents::pptx(&[&[text]]),
        "Slide <a:br/> text",
    );
}

#[test]
fn mutated_xlsx() {
    let rows: &[&[&str]] = &[&["Name", "Qty"], &["fig", "3"], &["pear", "1.5"]];
    run("a.xlsx", &documents::xlsx(&[("S", rows)]));
    run_part(
        "a.xlsx",
        |cell| documents::xlsx(&[("S", &[&[cell, "2"]])]),
        "cell text",
    );
}

#[test]
fn random_bytes_with_each_signature() {
    for (name, head) in [
        ("a.pdf", &b"%PDF-1.7\n"[..]),
        ("a.docx", b"PK\x03\x04"),
        ("a.txt", b"\xFF\xFE"),
    ] {
        runner()
            .run(&prop::collection::vec(any::<u8>(), 0..2048), |tail| {
                survives(name, &[head, &tail[..]].concat())
            })
            .expect("no panic, no hang");
    }
}
