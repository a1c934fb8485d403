//! The index file beside the database: the engine's own serialization followed by a
//! trailer of ours that says what the file holds and carries a CRC-32 of it.
//!
//! The engine reads its payload with trust (a flipped neighbour id becomes a read out of
//! bounds, which aborts the process), so a file is checked before the engine sees it: the
//! trailer's magic and version, the payload's length against the file's, the dimensions,
//! and the checksum over every payload byte. The file is read and written whole through
//! Rust's own file calls (the engine's take a narrow-character path, which on Windows
//! fails for a user folder with non-ASCII letters), and what is checked is the very bytes
//! handed to the engine. A file is written to a temporary name beside its place and
//! renamed over it once complete and synced, so a crash mid-save leaves the previous file.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::IndexError;

const MAGIC: &[u8; 8] = b"CFBVIDX1";
const VERSION: u32 = 1;
/// version u32, dimensions u32, payload length u64, CRC-32 u32, magic.
const TRAILER: usize = 4 + 4 + 8 + 4 + 8;

/// Writes `payload` and its trailer to `path` atomically.
pub(super) fn save(path: &Path, dimensions: usize, payload: &[u8]) -> Result<(), IndexError> {
    let dims = u32::try_from(dimensions).map_err(|_| damaged("too many dimensions"))?;
    let mut trailer = Vec::with_capacity(TRAILER);
    trailer.extend_from_slice(&VERSION.to_le_bytes());
    trailer.extend_from_slice(&dims.to_le_bytes());
    trailer.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    trailer.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    trailer.extend_from_slice(MAGIC);
    let temp = temp_path(path);
    let written = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(payload)?;
        file.write_all(&trailer)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    sync_dir(path);
    Ok(())
}

/// The payload of the file at `path`, once it is known whole and holding
/// `dimensions`-value vectors.
pub(super) fn read(path: &Path, dimensions: usize) -> Result<Vec<u8>, IndexError> {
    let mut bytes = std::fs::read(path)?;
    let Some(payload_len) = bytes.len().checked_sub(TRAILER) else {
        return Err(damaged("shorter than its trailer"));
    };
    let (payload, trailer) = bytes.split_at(payload_len);
    let (version, rest) = trailer.split_at(4);
    let (dims, rest) = rest.split_at(4);
    let (length, rest) = rest.split_at(8);
    let (crc, magic) = rest.split_at(4);
    if magic != MAGIC {
        return Err(damaged(
            "no index trailer (cut short, or not an index file)",
        ));
    }
    if u32_at(version) != VERSION {
        return Err(damaged(
            "written by a version of the index this build cannot read",
        ));
    }
    if u64::from_le_bytes(length.try_into().unwrap_or_default()) != payload_len as u64 {
        return Err(damaged("its length does not match its trailer"));
    }
    if crc32fast::hash(payload) != u32_at(crc) {
        return Err(damaged("the checksum does not match"));
    }
    if u32_at(dims) as usize != dimensions {
        return Err(IndexError::Dimensions {
            expected: dimensions,
            got: u32_at(dims) as usize,
        });
    }
    bytes.truncate(payload_len);
    Ok(bytes)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    path.with_file_name(name)
}

/// Makes the rename durable where directories can be synced (not on Windows).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().and_then(|dir| File::open(dir).ok()) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn u32_at(bytes: &[u8]) -> u32 {
    u32::from_le_bytes(bytes.try_into().unwrap_or_default())
}

fn damaged(reason: &str) -> IndexError {
    IndexError::Damaged {
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(dir: &Path, payload: &[u8]) -> PathBuf {
        let path = dir.join("vectors.idx");
        save(&path, 8, payload).unwrap();
        path
    }

    #[test]
    fn a_whole_file_reads_back_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved(dir.path(), b"engine bytes");
        assert_eq!(read(&path, 8).unwrap(), b"engine bytes");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(matches!(
            read(&path, 9),
            Err(IndexError::Dimensions {
                expected: 9,
                got: 8
            })
        ));
    }

    #[test]
    fn every_flipped_bit_and_every_cut_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved(dir.path(), b"engine bytes");
        let whole = std::fs::read(&path).unwrap();
        for at in 0..whole.len() {
            for bit in 0..8 {
                let mut bytes = whole.clone();
                bytes[at] ^= 1 << bit;
                std::fs::write(&path, &bytes).unwrap();
                assert!(read(&path, 8).is_err(), "byte {at} bit {bit} flipped");
            }
            std::fs::write(&path, &whole[..at]).unwrap();
            assert!(
                matches!(read(&path, 8), Err(IndexError::Damaged { .. })),
                "cut at {at}"
            );
        }
    }

    #[test]
    fn a_failed_save_leaves_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved(dir.path(), b"first");
        // A directory where the file should go cannot be replaced by a rename.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("inside")).unwrap();
        assert!(save(&blocked, 8, b"second").is_err());
        assert_eq!(read(&path, 8).unwrap(), b"first");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
