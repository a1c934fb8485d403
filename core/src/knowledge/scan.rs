//! Finding a source's files: a file, or a folder walked (hidden entries, dependency and
//! build folders skipped, symlinks not followed, depth and count bounded), compared with
//! what is stored so only new and changed files wait to be indexed again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use sea_orm::ConnectionTrait;

use super::files::{self, Known};
use super::types::{FileStatus, KnowledgeSource};
use crate::error::{Error, Result};

/// The most files one source may hold; past it the walk stops (and says so in the log).
pub const MAX_FILES_PER_SOURCE: usize = 100_000;
const MAX_DEPTH: usize = 32;

/// Folders never read: version control, dependencies, build output.
const SKIPPED_FOLDERS: [&str; 6] = [
    "node_modules",
    "target",
    "__pycache__",
    "dist",
    "build",
    "venv",
];

/// The file types a knowledge base reads (by extension; the reader checks the bytes).
const EXTENSIONS: [&str; 45] = [
    "md", "markdown", "mdx", "txt", "text", "rst", "org", "adoc", "tex", "csv", "tsv", "json",
    "html", "htm", "xhtml", "pdf", "docx", "pptx", "xlsx", "rs", "py", "js", "mjs", "ts", "tsx",
    "jsx", "go", "java", "kt", "c", "h", "cc", "cpp", "hpp", "cs", "rb", "php", "swift", "sh",
    "sql", "yaml", "yml", "toml", "xml", "ipynb",
];

/// The image types a knowledge base that indexes images reads (by extension; the decoder
/// checks the bytes).
const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "webp", "gif"];

fn has_extension(path: &Path, list: &[&str]) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| list.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Whether a knowledge base reads a document of this name.
pub fn is_readable_name(path: &Path) -> bool {
    has_extension(path, &EXTENSIONS)
}

/// Whether the name is an image's a knowledge base may index.
pub fn is_image_name(path: &Path) -> bool {
    has_extension(path, &IMAGE_EXTENSIONS)
}

/// Whether a knowledge base reads a file of this name: a document, or an image when it
/// indexes `images`.
pub fn is_taken(path: &Path, images: bool) -> bool {
    is_readable_name(path) || (images && is_image_name(path))
}

/// A file found on disk.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: String,
    pub size: i64,
    pub modified_at: i64,
}

/// The readable files of `root` (a file or a folder), images too with `images`, on a
/// blocking thread.
pub async fn walk(root: PathBuf, is_folder: bool, images: bool) -> Result<Vec<Found>> {
    tokio::task::spawn_blocking(move || walk_blocking(&root, is_folder, images))
        .await
        .map_err(|error| Error::internal("knowledge scan", error))
}

fn walk_blocking(root: &Path, is_folder: bool, images: bool) -> Vec<Found> {
    if !is_folder {
        // An image added alone is left out (and forgotten) while images are not indexed.
        return std::fs::metadata(root)
            .ok()
            .filter(|meta| meta.is_file() && (!is_image_name(root) || images))
            .map(|meta| vec![found(root, &meta)])
            .unwrap_or_default();
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .max_depth(MAX_DEPTH)
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_skipped(entry));
    for entry in walker.flatten() {
        if !entry.file_type().is_file() || !is_taken(entry.path(), images) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        out.push(found(entry.path(), &meta));
        if out.len() >= MAX_FILES_PER_SOURCE {
            tracing::warn!(
                max = MAX_FILES_PER_SOURCE,
                "a knowledge folder holds more files than are read"
            );
            break;
        }
    }
    out
}

fn is_skipped(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    name.starts_with('.')
        || (entry.file_type().is_dir() && SKIPPED_FOLDERS.contains(&name.as_ref()))
}

fn found(path: &Path, meta: &std::fs::Metadata) -> Found {
    let modified_at = meta
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| {
            i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
        });
    Found {
        path: path.to_string_lossy().into_owned(),
        size: i64::try_from(meta.len()).unwrap_or(i64::MAX),
        modified_at,
    }
}

/// What a scan changed.
#[derive(Debug, Default)]
pub struct Scanned {
    /// Files now waiting to be indexed.
    pub pending: usize,
    /// Chunks of files no longer there (to take out of the vector index).
    pub removed_chunks: Vec<i64>,
}

/// Compares what is on disk for `source` with what is stored: new and changed files (by
/// size and time; the content hash decides later whether they are read again) wait to be
/// indexed, and files that are gone are forgotten with their chunks.
pub async fn sync(
    db: &impl ConnectionTrait,
    kb_id: &str,
    source: &KnowledgeSource,
    on_disk: Vec<Found>,
) -> Result<Scanned> {
    let mut known: HashMap<String, Known> = files::known(db, &source.id).await?;
    let mut scanned = Scanned::default();
    for file in on_disk {
        let unchanged = known.remove(&file.path).is_some_and(|row| {
            row.size == file.size
                && row.modified_at == file.modified_at
                && row.status != FileStatus::Pending
        });
        if !unchanged {
            files::mark_pending(
                db,
                kb_id,
                &source.id,
                &file.path,
                file.size,
                file.modified_at,
            )
            .await?;
            scanned.pending += 1;
        }
    }
    let gone: Vec<i64> = known.values().map(|row| row.id).collect();
    scanned.removed_chunks = files::remove_missing(db, &source.id, &gone).await?;
    Ok(scanned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_and_code_are_read_and_binaries_are_not() {
        for name in ["a.md", "B.PDF", "c.docx", "notes.txt", "main.rs", "x.ipynb"] {
            assert!(is_readable_name(Path::new(name)), "{name}");
        }
        for name in ["a.png", "b.exe", "c", "d.zip", "e.mp4"] {
            assert!(!is_readable_name(Path::new(name)), "{name}");
        }
        for name in ["a.png", "b.JPG", "c.jpeg", "d.webp", "e.gif"] {
            assert!(is_taken(Path::new(name), true), "{name}");
            assert!(!is_taken(Path::new(name), false), "{name}");
        }
        assert!(!is_taken(Path::new("f.bmp"), true));
    }

    #[test]
    fn a_walk_skips_hidden_and_dependency_folders() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for (path, body) in [
            ("a.md", "a"),
            ("sub/b.txt", "b"),
            (".git/c.md", "c"),
            ("node_modules/d.md", "d"),
            ("sub/.hidden.md", "e"),
            ("sub/f.png", "f"),
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            std::fs::write(path, body).expect("write");
        }
        let names = |images| {
            let mut names: Vec<String> = walk_blocking(root, true, images)
                .into_iter()
                .map(|f| super::super::chunks::file_name(&f.path))
                .collect();
            names.sort();
            names
        };
        assert_eq!(names(false), ["a.md", "b.txt"]);
        assert_eq!(names(true), ["a.md", "b.txt", "f.png"]);
        let image = root.join("sub/f.png");
        assert!(walk_blocking(&image, false, false).is_empty());
        assert_eq!(walk_blocking(&image, false, true).len(), 1);
    }
}
