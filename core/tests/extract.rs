//! Document extraction over files of each format made here: the text that comes out,
//! pages, the scanned-PDF case, and the hostile files (bombs, huge, deep, slow).

mod documents;

use std::time::Duration;

use confab_core::extract::{ExtractError, Kind, Limits, extract};

fn read(name: &str, bytes: &[u8]) -> confab_core::extract::Extracted {
    extract(name, bytes, &Limits::default()).expect("extracts")
}

#[test]
fn text_kinds_keep_their_text_and_take_their_kind_from_the_name() {
    let csv = read("data.csv", b"name,qty\nfig,3\n");
    assert_eq!(
        (csv.kind, csv.text.as_str(), csv.pages),
        (Kind::Csv, "name,qty\nfig,3", None)
    );
    assert_eq!(read("t.tsv", b"a\tb").kind, Kind::Tsv);
    assert_eq!(read("x.json", br#"{"a": 1}"#).text, r#"{"a": 1}"#);
    assert_eq!(read("lib.rs", b"fn main() {}").kind, Kind::Code);
    let md = read("notes.md", "# 标题\n\n正文".as_bytes());
    assert_eq!((md.kind, md.chars), (Kind::Markdown, 8));
}

#[test]
fn utf16_with_a_bom_is_read_and_invalid_utf8_is_refused() {
    let mut le = vec![0xFF, 0xFE];
    le.extend("héllo wörld".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(read("a.txt", &le).text, "héllo wörld");
    assert_eq!(
        extract("a.txt", b"caf\xE9 au lait", &Limits::default()),
        Err(ExtractError::NotText)
    );
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert!(matches!(
        extract("a.txt", png, &Limits::default()),
        Err(ExtractError::Unsupported { .. })
    ));
}

#[test]
fn html_gives_the_readable_text_without_tags_scripts_or_styles() {
    let html = "<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style>\
        <script>alert('x')</script></head><body><h1>Report</h1><p>First &amp; <b>bold</b>.</p>\
        <ul><li>one</li><li>two</li></ul></body></html>";
    let out = read("page.txt", html.as_bytes());
    assert_eq!(
        out.kind,
        Kind::Html,
        "sniffed by content, whatever the name"
    );
    // Laid out as light Markdown: headings, emphasis and lists stay visible to a model.
    for word in ["# Report", "First & **bold**.", "* one", "* two"] {
        assert!(out.text.contains(word), "{word:?} in {:?}", out.text);
    }
    for gone in ["<", "alert", "color"] {
        assert!(!out.text.contains(gone), "{gone:?} in {:?}", out.text);
    }
}

#[test]
fn pdf_text_comes_page_by_page() {
    let out = read(
        "report.bin",
        &documents::pdf(&[Some("Hello first page"), Some("Second page here")]),
    );
    assert_eq!((out.kind, out.pages), (Kind::Pdf, Some(2)));
    let second = out.page_starts[1] as usize;
    assert!(
        out.text[..second].contains("## Page 1") && out.text[..second].contains("Hello first page")
    );
    assert!(
        out.text[second..].starts_with("## Page 2")
            && out.text[second..].contains("Second page here")
    );
    assert!(!out.truncated);
}

#[test]
fn a_pdf_without_a_text_layer_is_a_scanned_document() {
    let scan = documents::pdf(&[None, None, None]);
    let err = extract("scan.pdf", &scan, &Limits::default()).expect_err("no text");
    assert_eq!(err, ExtractError::ScannedDocument { pages: 3 });
    assert_eq!(
        err.to_string(),
        "no text found — this looks like a scanned document"
    );
    // One page of text among scans is not a scan.
    let mixed = read("m.pdf", &documents::pdf(&[None, Some("Typed cover")]));
    assert!(mixed.text.contains("Typed cover"));
}

#[test]
fn a_malformed_pdf_is_an_error_not_a_panic() {
    let mut pdf = documents::pdf(&[Some("Hello")]);
    pdf.truncate(pdf.len() / 3);
    assert!(extract("x.pdf", &pdf, &Limits::default()).is_err());
    let garbage = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF";
    assert!(extract("x.pdf", garbage, &Limits::default()).is_err());
}

#[test]
fn docx_gives_its_paragraphs_in_order() {
    let out = read(
        "letter.docx",
        &documents::docx(&["Dear team,", "Fish &amp; chips at 5.", "再见"]),
    );
    assert_eq!(out.kind, Kind::Docx);
    assert_eq!(out.text, "Dear team,\nFish & chips at 5.\n再见");
    assert_eq!(out.pages, None);
}

#[test]
fn pptx_gives_slide_text_slide_by_slide() {
    let out = read(
        "deck.pptx",
        &documents::pptx(&[&["Title slide", "by Ann"], &["Agenda"]]),
    );
    assert_eq!((out.kind, out.pages), (Kind::Pptx, Some(2)));
    assert_eq!(
        out.text,
        "## Slide 1\n\nTitle slide\nby Ann\n\n## Slide 2\n\nAgenda"
    );
}

#[test]
fn xlsx_gives_each_sheet_as_a_markdown_table() {
    let bytes = documents::xlsx(&[
        (
            "People",
            &[&["Name", "Age"], &["Ann", "31"], &["Bo|b", "7.5"]],
        ),
        ("Empty", &[]),
    ]);
    let out = read("book.xlsx", &bytes);
    assert_eq!((out.kind, out.pages), (Kind::Xlsx, Some(2)));
    assert_eq!(
        out.text,
        "## Sheet: People\n\n| Name | Age |\n| --- | --- |\n| Ann | 31 |\n| Bo\\|b | 7.5 |\n\n## Sheet: Empty\n\n(empty sheet)"
    );
}

#[test]
fn a_sheet_with_one_far_away_cell_is_not_laid_out_as_a_grid() {
    let data = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#;
    let out = read(
        "far.xlsx",
        &documents::xlsx_sheets(&[("Far", data.to_owned())]),
    );
    // Two rows, 256 columns, the rest left out and said so.
    assert!(out.truncated, "{:?}", &out.text[..out.text.len().min(300)]);
    assert_eq!(out.text.lines().filter(|l| l.starts_with('|')).count(), 3);
    assert!(out.text.len() < 4000, "{}", out.text.len());
}

#[test]
fn output_past_the_character_cap_is_cut_and_says_so() {
    let limits = Limits {
        max_chars: 10,
        ..Limits::default()
    };
    let out = extract("a.txt", "0123456789abcdef".as_bytes(), &limits).expect("cut");
    assert_eq!(
        (out.text.as_str(), out.chars, out.truncated),
        ("0123456789", 10, true)
    );
    let docx = documents::docx(&["x".repeat(50).as_str(); 100]);
    let out = extract("a.docx", &docx, &limits).expect("cut");
    assert!(out.truncated && out.chars == 10);
}

#[test]
fn a_file_over_the_input_cap_is_refused_before_reading() {
    let limits = Limits {
        max_input_bytes: 1000,
        ..Limits::default()
    };
    let err = extract("big.txt", &vec![b'a'; 1001], &limits);
    assert_eq!(
        err,
        Err(ExtractError::TooLarge {
            size: 1001,
            max: 1000
        })
    );
}

#[test]
fn an_entry_declaring_two_gigabytes_is_refused_before_inflating() {
    let mut docx = documents::docx(&["tiny"]);
    documents::declare_size(&mut docx, "word/document.xml", 2_000_000_000);
    let err = extract("bomb.docx", &docx, &Limits::default());
    assert_eq!(
        err,
        Err(ExtractError::InflatesTooMuch {
            max: Limits::default().max_inflated_bytes
        })
    );
}

#[test]
fn a_zip_bomb_that_hides_its_size_is_stopped_while_inflating() {
    let limits = Limits {
        max_inflated_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let body = "<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>".repeat(40_000);
    let mut docx = documents::docx_with_body(&body);
    assert!(docx.len() < 100_000, "compresses well: {}", docx.len());
    let honest = extract("bomb.docx", &docx, &limits);
    assert_eq!(
        honest,
        Err(ExtractError::InflatesTooMuch { max: 1024 * 1024 })
    );
    documents::declare_size(&mut docx, "word/document.xml", 100);
    let lying = extract("bomb.docx", &docx, &limits);
    // The zip reader itself stops at the declared size: the lie is a damaged file (our
    // own count of inflated bytes stays as the second net).
    assert!(
        matches!(
            lying,
            Err(ExtractError::Malformed {
                kind: Some(Kind::Docx),
                ..
            })
        ),
        "{lying:?}"
    );
}

#[test]
fn an_xlsx_bomb_is_stopped_before_the_spreadsheet_reader_sees_it() {
    let limits = Limits {
        max_inflated_bytes: 64 * 1024,
        ..Limits::default()
    };
    let row: &[&str] = &["padding padding padding padding padding padding"];
    let rows = vec![row; 5000];
    let err = extract("b.xlsx", &documents::xlsx(&[("S", &rows)]), &limits);
    assert_eq!(err, Err(ExtractError::InflatesTooMuch { max: 64 * 1024 }));
}

#[test]
fn too_many_entries_are_refused() {
    let names: Vec<String> = (0..50).map(|i| format!("word/media/{i}.xml")).collect();
    let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    entries.push(("word/document.xml", b"<w:document/>"));
    let limits = Limits {
        max_entries: 20,
        ..Limits::default()
    };
    assert_eq!(
        extract("many.docx", &documents::zip(&entries), &limits),
        Err(ExtractError::TooManyEntries { max: 20 })
    );
}

#[test]
fn deeply_nested_xml_is_refused() {
    let body = format!(
        "{}<w:t>deep</w:t>{}",
        "<w:x>".repeat(10_000),
        "</w:x>".repeat(10_000)
    );
    let err = extract(
        "deep.docx",
        &documents::docx_with_body(&body),
        &Limits::default(),
    );
    assert_eq!(err, Err(ExtractError::TooDeep { max: 256 }));
}

#[test]
fn the_time_budget_stops_a_long_extraction() {
    let limits = Limits {
        time_budget: Duration::ZERO,
        ..Limits::default()
    };
    let pages = vec![Some("page"); 50];
    std::thread::sleep(Duration::from_millis(1));
    for (name, bytes) in [
        ("a.pdf", documents::pdf(&pages)),
        ("a.docx", documents::docx(&["p"; 5000])),
    ] {
        assert_eq!(
            extract(name, &bytes, &limits),
            Err(ExtractError::TimedOut { seconds: 0 }),
            "{name}"
        );
    }
}

#[test]
fn a_zip_that_is_not_an_office_document_is_named() {
    let err = extract(
        "a.docx",
        &documents::zip(&[("readme.txt", b"hi")]),
        &Limits::default(),
    );
    assert_eq!(
        err,
        Err(ExtractError::Unsupported {
            what: "a zip archive".into()
        })
    );
}

#[test]
fn a_raised_cancel_flag_stops_the_read() {
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let limits = Limits {
        cancel: Some(cancel),
        ..Limits::default()
    };
    for (name, bytes) in [
        ("a.pdf", documents::pdf(&[Some("page")])),
        ("a.docx", documents::docx(&["p"])),
        ("a.pptx", documents::pptx(&[&["slide"]])),
        ("a.xlsx", documents::xlsx(&[("S", &[&["cell"]])])),
        ("a.html", b"<html><body>x</body></html>".to_vec()),
    ] {
        assert_eq!(
            extract(name, &bytes, &limits),
            Err(ExtractError::Cancelled),
            "{name}"
        );
    }
}
