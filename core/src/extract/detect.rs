//! Telling a document's format by its content; the name only breaks ties between
//! kinds of text (a `.csv` and a `.txt` are the same bytes).

use serde::Serialize;
use specta::Type;

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Markdown,
    Code,
    Csv,
    Tsv,
    Json,
    Html,
    Pdf,
    Docx,
    Pptx,
    Xlsx,
}

impl Kind {
    pub(super) fn is_paged(self) -> bool {
        matches!(self, Kind::Pdf | Kind::Pptx | Kind::Xlsx)
    }
}

pub(super) enum Sniffed {
    Pdf,
    Zip,
    Text,
    /// A known binary format that is not a document read here.
    Binary(&'static str),
}

/// Signatures of common binary files, so their error names them.
const BINARY: &[(&[u8], &str)] = &[
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "a legacy Office file (.doc, .xls, .ppt)",
    ),
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7FELF", "a program"),
    (b"MZ", "a program"),
    (b"{\\rtf", "an RTF document"),
];

pub(super) fn sniff(name: &str, bytes: &[u8]) -> Sniffed {
    // Readers accept junk before `%PDF-`, and so do we, within the first KiB.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Sniffed::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if let Some((_, what)) = BINARY.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        // `MZ` and `RIFF` are also plausible first letters of a text file.
        let text_like = std::str::from_utf8(head).is_ok_and(|s| !s.contains('\0'));
        if !text_like || extension(name).is_none_or(|e| !is_text_extension(&e)) {
            return Sniffed::Binary(what);
        }
    }
    Sniffed::Text
}

fn extension(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

fn is_text_extension(ext: &str) -> bool {
    text_kind_by_extension(ext).is_some() || ext == "txt"
}

const CODE: &[&str] = &[
    "rs",
    "py",
    "js",
    "mjs",
    "cjs",
    "ts",
    "tsx",
    "jsx",
    "java",
    "kt",
    "kts",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "cxx",
    "cs",
    "go",
    "rb",
    "php",
    "swift",
    "m",
    "mm",
    "scala",
    "sh",
    "bash",
    "zsh",
    "fish",
    "ps1",
    "sql",
    "r",
    "lua",
    "pl",
    "dart",
    "ex",
    "exs",
    "erl",
    "hs",
    "ml",
    "clj",
    "vue",
    "svelte",
    "css",
    "scss",
    "less",
    "toml",
    "yaml",
    "yml",
    "ini",
    "cfg",
    "xml",
    "gradle",
    "cmake",
    "make",
    "dockerfile",
    "proto",
    "graphql",
    "tex",
    "zig",
    "nim",
    "jl",
];

fn text_kind_by_extension(ext: &str) -> Option<Kind> {
    Some(match ext {
        "md" | "markdown" | "mdx" => Kind::Markdown,
        "csv" => Kind::Csv,
        "tsv" | "tab" => Kind::Tsv,
        "json" | "jsonl" | "ndjson" | "geojson" => Kind::Json,
        "html" | "htm" | "xhtml" => Kind::Html,
        e if CODE.contains(&e) => Kind::Code,
        _ => return None,
    })
}

/// The kind of a decoded text: HTML when it looks like HTML whatever its name, else
/// the name's kind, else plain text.
pub(super) fn text_kind(name: &str, text: &str) -> Kind {
    let by_name = extension(name).and_then(|e| text_kind_by_extension(&e));
    if by_name == Some(Kind::Html) || (by_name.is_none() && looks_like_html(text)) {
        return Kind::Html;
    }
    by_name.unwrap_or(Kind::Text)
}

fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let head: String = start
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with('<') && (head.contains("<head") || head.contains("<body")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_wins_over_the_name() {
        assert!(matches!(sniff("notes.txt", b"%PDF-1.7\n"), Sniffed::Pdf));
        assert!(matches!(sniff("a.pdf", b"PK\x03\x04rest"), Sniffed::Zip));
        assert!(matches!(
            sniff("a.docx", b"\x89PNG\r\n"),
            Sniffed::Binary(_)
        ));
        assert_eq!(text_kind("page.txt", "<!DOCTYPE html><p>x"), Kind::Html);
        assert_eq!(text_kind("data.csv", "a,b\n1,2"), Kind::Csv);
        assert_eq!(text_kind("main.rs", "fn main() {}"), Kind::Code);
        assert_eq!(text_kind("README", "# Title"), Kind::Text);
    }

    #[test]
    fn text_that_starts_like_a_signature_stays_text() {
        assert!(matches!(sniff("names.txt", b"MZ Smith\n"), Sniffed::Text));
    }
}
