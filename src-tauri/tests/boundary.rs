//! The shell holds no rule and reaches nothing below `confab_core::api`: no database
//! connection, no keychain call of its own. These are the patterns that would show it.

use std::path::{Path, PathBuf};

/// What shell code must not contain, and why.
const FORBIDDEN: [(&str, &str); 5] = [
    (
        ".conn()",
        "the database is reached through confab_core::api",
    ),
    (".db()", "the database is reached through confab_core::api"),
    (
        "store::Db",
        "the database is reached through confab_core::api",
    ),
    (
        "spawn_blocking",
        "keychain calls go through the core's async keychain",
    ),
    ("Keychain", "keychain calls go through confab_core::api"),
];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn the_shell_calls_only_the_core_api() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(
        files.len() > 10,
        "the shell's sources were found: {files:?}"
    );
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source file");
        for (number, line) in text.lines().enumerate() {
            for (pattern, why) in FORBIDDEN {
                if line.contains(pattern) {
                    broken.push(format!(
                        "{}:{}: {pattern}: {why}",
                        file.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
