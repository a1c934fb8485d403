//! The core's layers point one way: `problem` and `vocab` at the bottom, `store` and `llm` above it,
//! `settings` and `attachments` above the store, `knowledge` beside the providers, the rest above them. A module names another through a `crate::` path, so reading the source
//! of the low modules and listing the modules their `crate::` paths reach is enough to keep
//! the arrows from pointing up.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each low module may reach in the crate (besides itself). `settings` names the
/// default provider but must not import `providers`, which reads the settings.
const RULES: [(&str, &[&str]); 8] = [
    ("problem", &[]),
    // Reading documents is pure: bytes in, text out, nothing of the crate.
    ("extract", &[]),
    ("vocab", &["error", "problem"]),
    ("store", &["error", "problem", "vocab"]),
    ("llm", &["error", "problem", "vocab", "logging", "secrets"]),
    ("settings", &["error", "problem", "vocab", "store"]),
    (
        "attachments",
        &["error", "problem", "vocab", "store", "extract"],
    ),
    // Knowledge bases sit beside the providers, below the chat engine (which reaches them
    // only through its `Retriever`) and the api.
    (
        "knowledge",
        &[
            "error",
            "problem",
            "vocab",
            "store",
            "llm",
            "secrets",
            "extract",
            "attachments",
            "providers",
        ],
    ),
];

/// What lib.rs re-exports at the crate root, and from where.
const ROOT_REEXPORTS: [(&str, &str); 7] = [
    ("AppError", "error"),
    ("Error", "error"),
    ("ErrorCode", "error"),
    ("Result", "error"),
    ("Problem", "problem"),
    ("ProblemParams", "problem"),
    ("Rule", "problem"),
];

/// The module a root name stands for: itself, or where a root re-export comes from.
fn home(name: String) -> String {
    ROOT_REEXPORTS
        .iter()
        .find(|(reexport, _)| *reexport == name)
        .map_or(name, |(_, module)| (*module).to_string())
}

/// The top-level modules that the `crate::` paths of `source` name, comments left out.
fn crate_modules(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in source.lines() {
        let code = strip_comment(line);
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + "crate::".len()..];
            rest = after;
            // `confab_crate::` or `my_crate::` is another name, not this crate.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = after.strip_prefix('{') {
                found.extend(group_heads(group).into_iter().map(home));
            } else {
                found.extend(ident(after).map(home));
            }
        }
    }
    found
}

/// The code of one line: everything before `//`, except the `//` of a URL (`http://`).
fn strip_comment(line: &str) -> &str {
    let mut from = 0;
    while let Some(at) = line[from..].find("//") {
        let at = from + at;
        if at > 0 && line.as_bytes()[at - 1] == b':' {
            from = at + 2;
            continue;
        }
        return &line[..at];
    }
    line
}

fn ident(text: &str) -> Option<String> {
    let name: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The first name of each item of `use crate::{a::b, c, d::{e, f}}` (the text after `{`).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item_start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && !c.is_whitespace() => {
                heads.extend(ident(&group[i..]));
                item_start = false;
            }
            _ => {}
        }
    }
    heads
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

/// Every `crate::` path in `module` that leaves the modules it may reach, as
/// `file: module`.
fn violations(src: &Path, module: &str, allowed: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    let single = src.join(format!("{module}.rs"));
    if single.is_file() {
        files.push(single);
    } else {
        rust_files(&src.join(module), &mut files);
    }
    assert!(!files.is_empty(), "no source found for {module}");
    let mut found = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("readable source");
        for reached in crate_modules(&source) {
            if reached != module && !allowed.contains(&reached.as_str()) {
                found.push(format!("{}: crate::{reached}", file.display()));
            }
        }
    }
    found
}

#[test]
fn low_modules_import_nothing_above_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for (module, allowed) in RULES {
        found.extend(violations(&src, module, allowed));
    }
    assert!(
        found.is_empty(),
        "imports that point up a layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_upward_paths_in_every_form() {
    let sample = r#"
        //! Docs may name crate::chat::ContextOverride freely.
        use crate::error::Result;
        crate::Error::Internal;
        use crate::{vocab::Role, chat::{self, PromptMessage}, agents};
        pub use crate::settings::Settings;
        fn f() -> crate::llm::Endpoint { todo!() } // not crate::api
        let url = "http://x"; crate::providers::find(db, id);
        confab_crate::store::Db;
    "#;
    let found = crate_modules(sample);
    let expected: BTreeSet<String> = [
        "agents",
        "chat",
        "error",
        "llm",
        "providers",
        "settings",
        "vocab",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(found, expected);

    // And a store file with one of them is reported.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    std::fs::create_dir_all(store.join("entities")).expect("dirs");
    std::fs::write(store.join("mod.rs"), "use crate::vocab::Role;\n").expect("write");
    std::fs::write(
        store.join("entities").join("x.rs"),
        "fn seed() { crate::agents::ensure_default_agent(db); }\n",
    )
    .expect("write");
    let found = violations(dir.path(), "store", &["error", "vocab"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with("x.rs: crate::agents"), "{found:?}");
}
