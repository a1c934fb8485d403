//! The attachments of a Markdown export: each written once to a folder beside the file
//! (`chat.md` → `chat_files/`) and linked from its messages by a relative path, so the
//! folder and the file can be moved together.
//!
//! Names come from messages (from anyone, imported files included): a name keeps only its
//! last component, loses what a file system refuses, and is made unique within the folder,
//! so every file lands inside the folder and none overwrites another. The folder is made
//! only when there is something to put in it; an existing one (an earlier export of the
//! same name) is written into, its files of the same names replaced.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use sea_orm::ConnectionTrait;

use crate::error::{ErrorCode, Result};
use crate::store::backup::io_error;
use crate::store::blobs;
use crate::vocab::Part;

/// Characters kept of a file name's stem.
const MAX_STEM_CHARS: usize = 80;

/// The attachments folder of one Markdown export.
pub struct Folder {
    dir: PathBuf,
    /// The folder's name as written in links.
    link_dir: String,
    /// Whether the folder is there (found or made).
    ready: bool,
    /// Whether this export made it.
    made: bool,
    /// Files this export wrote, removed again when it fails.
    written: Vec<PathBuf>,
    /// Blob → its file name: a blob used twice is written once.
    by_sha: HashMap<String, String>,
    /// File names used, lowercased (file systems that ignore case).
    taken: HashSet<String>,
}

impl Folder {
    /// The folder for the Markdown file `markdown`.
    pub fn beside(markdown: &Path) -> Self {
        let stem = markdown
            .file_stem()
            .map_or_else(|| "export".into(), |stem| stem.to_string_lossy());
        let name = format!("{stem}_files");
        Self {
            dir: markdown.with_file_name(&name),
            link_dir: encode(&name),
            ready: false,
            made: false,
            written: Vec::new(),
            by_sha: HashMap::new(),
            taken: HashSet::new(),
        }
    }

    /// The Markdown lines that link the attachments among `parts` (`![name](...)` for an
    /// image, `[name](...)` for a file), writing each file the first time it is used.
    pub async fn links(
        &mut self,
        db: &impl ConnectionTrait,
        parts: &[Part],
    ) -> Result<Vec<String>> {
        let mut lines = Vec::new();
        for part in parts {
            let (sha256, name, image) = match part {
                Part::Image { sha256, name, .. } => {
                    (sha256, name.as_deref().unwrap_or("image"), true)
                }
                Part::File { sha256, name, .. } => (sha256, name.as_str(), false),
                _ => continue,
            };
            let label = label(name);
            lines.push(match self.file_for(db, sha256, name).await? {
                Some(file) => {
                    let bang = if image { "!" } else { "" };
                    format!("{bang}[{label}]({}/{})", self.link_dir, encode(&file))
                }
                None => format!("_{label} (attachment not stored)_"),
            });
        }
        Ok(lines)
    }

    /// The file name of blob `sha256` in the folder, written now if it is not yet; `None`
    /// when the blob is not stored.
    async fn file_for(
        &mut self,
        db: &impl ConnectionTrait,
        sha256: &str,
        name: &str,
    ) -> Result<Option<String>> {
        if let Some(file) = self.by_sha.get(sha256) {
            return Ok(Some(file.clone()));
        }
        let blob = match blobs::get(db, sha256).await {
            Ok(blob) => blob,
            Err(error) if error.code() == ErrorCode::NotFound => return Ok(None),
            Err(error) => return Err(error),
        };
        let file = self.unique(&safe_name(name, &blob.mime));
        self.write(&file, &blob.data)?;
        self.by_sha.insert(sha256.to_string(), file.clone());
        Ok(Some(file))
    }

    /// `name`, or `name (2)`, `name (3)`... : the first not used yet.
    fn unique(&mut self, name: &str) -> String {
        let (stem, ext) = split_extension(name);
        let mut candidate = name.to_string();
        let mut n = 1;
        while !self.taken.insert(candidate.to_lowercase()) {
            n += 1;
            candidate = match ext {
                Some(ext) => format!("{stem} ({n}).{ext}"),
                None => format!("{stem} ({n})"),
            };
        }
        candidate
    }

    /// Writes `data` as `file` in the folder: under a temporary name first (a safe name never
    /// starts with a dot), then renamed, which replaces a link of that name rather than
    /// writing through it.
    fn write(&mut self, file: &str, data: &[u8]) -> Result<()> {
        self.prepare()?;
        let target = self.dir.join(file);
        let partial = self.dir.join(format!(".{file}.partial"));
        let _ = std::fs::remove_file(&partial);
        let written = crate::store::private::create_file(&partial)
            .and_then(|mut out| out.write_all(data).and_then(|()| out.sync_all()))
            .and_then(|()| std::fs::rename(&partial, &target));
        if let Err(error) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(io_error("write", &target, &error));
        }
        self.written.push(target);
        Ok(())
    }

    /// Makes the folder unless it is there; a link in its place is refused (the files
    /// would land wherever it points).
    fn prepare(&mut self) -> Result<()> {
        if self.ready {
            return Ok(());
        }
        match std::fs::symlink_metadata(&self.dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                let error = std::io::Error::other("not a folder");
                return Err(io_error("create", &self.dir, &error));
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir(&self.dir)
                    .map_err(|error| io_error("create", &self.dir, &error))?;
                self.made = true;
            }
            Err(error) => return Err(io_error("create", &self.dir, &error)),
        }
        self.ready = true;
        Ok(())
    }

    /// Removes what a failed export wrote: its files, and the folder if it made it.
    pub fn discard(self) {
        for file in &self.written {
            let _ = std::fs::remove_file(file);
        }
        if self.made {
            // Only when empty: nothing that was there before goes.
            let _ = std::fs::remove_dir(&self.dir);
        }
    }
}

/// A name that is safe as one file in the folder on every desktop system: no folders, no
/// characters Windows refuses, no leading or trailing dots or spaces, not a device name,
/// not too long; an image gets the extension of its type when it has none or another.
pub fn safe_name(name: &str, mime: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let (stem, ext) = split_extension(trimmed);
    // A stored image is encoded again (a `.webp` is kept as JPEG): its type names it.
    let ext = match image_extensions(mime) {
        Some(known) => match ext {
            Some(ext) if known.contains(&ext.to_ascii_lowercase().as_str()) => Some(ext.into()),
            _ => known.first().map(|ext| (*ext).to_string()),
        },
        None => ext.map(str::to_string),
    };
    let mut stem: String = stem.chars().take(MAX_STEM_CHARS).collect();
    stem = stem
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if stem.is_empty() {
        stem = "attachment".into();
    }
    if is_device_name(&stem) {
        stem.insert(0, '_');
    }
    match ext {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem,
    }
}

/// `report.pdf` → (`report`, `pdf`); an extension is 1 to 10 letters or digits.
fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=10).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            (stem, Some(ext))
        }
        _ => (name, None),
    }
}

/// The extensions of an image type, the usual one first.
fn image_extensions(mime: &str) -> Option<&'static [&'static str]> {
    Some(match mime {
        "image/jpeg" => &["jpg", "jpeg"],
        "image/png" => &["png"],
        "image/gif" => &["gif"],
        "image/webp" => &["webp"],
        _ => return None,
    })
}

/// Names Windows keeps for devices, whatever the extension (`con.txt`, `NUL`).
fn is_device_name(stem: &str) -> bool {
    let upper = stem.to_ascii_uppercase();
    let base = upper.split('.').next().unwrap_or_default().trim_end();
    matches!(base, "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit())
}

/// A name as the text of a link: on one line, brackets and backslashes escaped, tags shown
/// as text.
fn label(name: &str) -> String {
    let line = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '\\' | '[' | ']' | '*' | '_' | '`' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A path segment for a link: everything but unreserved ASCII percent-encoded (spaces,
/// parentheses, non-ASCII letters as UTF-8).
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_folder_and_are_valid_everywhere() {
        assert_eq!(safe_name("../../etc/passwd", "text/plain"), "passwd");
        assert_eq!(safe_name("..\\..\\boot.ini", "text/plain"), "boot.ini");
        assert_eq!(safe_name("..", "text/plain"), "attachment");
        assert_eq!(safe_name(".hidden", "text/plain"), "hidden");
        assert_eq!(safe_name("a<b>:c?.txt", "text/plain"), "a_b__c_.txt");
        assert_eq!(safe_name("con.txt", "text/plain"), "_con.txt");
        assert_eq!(safe_name("COM1", "text/plain"), "_COM1");
        assert_eq!(safe_name("photo", "image/jpeg"), "photo.jpg");
        assert_eq!(safe_name("photo.webp", "image/jpeg"), "photo.jpg");
        assert_eq!(safe_name("photo.JPEG", "image/jpeg"), "photo.JPEG");
        assert_eq!(safe_name("报告 1.md", "text/markdown"), "报告 1.md");
        let long = safe_name(&format!("{}.pdf", "x".repeat(500)), "application/pdf");
        assert_eq!(long.chars().count(), MAX_STEM_CHARS + 4);
    }

    #[test]
    fn links_are_encoded_and_labels_escaped() {
        assert_eq!(encode("a b(1).jpg"), "a%20b%281%29.jpg");
        assert_eq!(encode("图"), "%E5%9B%BE");
        assert_eq!(label("x] (y) <img>"), "x\\] (y) &lt;img>");
    }
}
