//! Where an attached file's bytes come from: a path (drop, file picker) or base64 text
//! (paste). Both are held to the read's size limit before the bytes are in memory, and
//! both run on a blocking thread.

use std::io::{ErrorKind, Read};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::{PATH, Reading};
use crate::error::{Error, Result};
use crate::problem::{Problem, Rule};

/// A file is read in slices this large, checking the cancel flag between them.
const CHUNK: usize = 1024 * 1024;

/// The bytes of the file at `path`. A file over the limit is refused by its size, before
/// anything of it is read; one that grows while it is read is refused at the limit.
pub(super) async fn read_file(path: &Path, reading: &Reading) -> Result<Vec<u8>> {
    let path = path.to_path_buf();
    let reading = reading.clone();
    tokio::task::spawn_blocking(move || read_file_blocking(&path, &reading))
        .await
        .map_err(|error| Error::internal("reading an attached file", error))?
}

fn read_file_blocking(path: &Path, reading: &Reading) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|error| io_problem(path, &error))?;
    let meta = file.metadata().map_err(|error| io_problem(path, &error))?;
    if meta.is_dir() {
        return Err(Error::invalid(Problem::new(PATH, Rule::IsFolder)));
    }
    reading.check_size(meta.len())?;
    let capacity = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    let mut limited = file.take(reading.max_bytes.saturating_add(1));
    let mut chunk = vec![0u8; CHUNK];
    loop {
        reading.check_cancelled()?;
        let n = match limited.read(&mut chunk) {
            Ok(n) => n,
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) => return Err(io_problem(path, &error)),
        };
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        reading.check_size(bytes.len() as u64)?;
    }
    Ok(bytes)
}

/// A file that cannot be opened or read: a problem, with the system's words as detail.
fn io_problem(path: &Path, error: &std::io::Error) -> Error {
    tracing::warn!(path = %path.display(), error = %error, "an attached file could not be read");
    let problem = match error.kind() {
        // Where opening a folder fails rather than the metadata saying it is one.
        ErrorKind::IsADirectory => Problem::new(PATH, Rule::IsFolder),
        _ => Problem::new(PATH, Rule::NotALocalFile).detail(error.to_string()),
    };
    Error::invalid(problem)
}

/// The bytes that `data` (base64, optionally a `data:` URL) stands for. Text that would
/// decode to more than the limit is refused before it is decoded.
pub(super) async fn decode_base64(data: String, reading: &Reading) -> Result<Vec<u8>> {
    let payload = match data.split_once(";base64,") {
        Some((head, rest)) if head.starts_with("data:") => rest,
        _ => data.as_str(),
    };
    // Four characters of base64 hold three bytes.
    reading.check_size((payload.trim_end_matches('=').len() as u64).saturating_mul(3) / 4)?;
    let offset = data.len() - payload.len();
    tokio::task::spawn_blocking(move || {
        let payload: Vec<u8> = data.as_bytes()[offset..]
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        STANDARD.decode(payload).map_err(|error| {
            Error::invalid(Problem::new("dataBase64", Rule::Malformed).detail(error.to_string()))
        })
    })
    .await
    .map_err(|error| Error::internal("decoding an attached file", error))?
}
