//! A model's files fetched into its folder, each one at a time:
//!
//! 1. A file already there at its size and SHA-256 is kept; one that is not is removed.
//! 2. The bytes go to `<name>.part`. A `.part` left by an earlier try (cancelled, cut off)
//!    is resumed with a `Range` request; a server that answers with the whole file instead
//!    is read from the start.
//! 3. No more bytes than the catalogue's size are taken (a longer `Content-Length` is
//!    refused before reading), and a server silent for longer than the stall limit fails.
//! 4. The SHA-256 of the whole file is checked; only then is the `.part` synced and renamed
//!    to its name, so a name in the folder is always a complete, checked file. A mismatch
//!    removes the `.part` (the next try starts again).
//!
//! Cancelling keeps the `.part` so the next try resumes it.

use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, RANGE};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

use crate::{EmbedderError, ModelFile, ModelSpec};

/// How far a download has come, over all of a model's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The file being fetched.
    pub file: String,
    pub done: u64,
    pub total: u64,
}

/// Fetches models over a client the caller owns (its TLS, proxy and redirect policy).
pub struct Downloader {
    client: reqwest::Client,
    stall: Duration,
}

/// The longest a server may send nothing before the download fails.
const STALL: Duration = Duration::from_secs(30);

impl Downloader {
    pub fn new(client: reqwest::Client) -> Self {
        Self {
            client,
            stall: STALL,
        }
    }

    pub fn with_stall_limit(mut self, stall: Duration) -> Self {
        self.stall = stall;
        self
    }

    /// Fetches every file of `model` into `folder` (created if needed). `progress` is called
    /// as bytes arrive (and once at the end with `done == total`).
    pub async fn download(
        &self,
        model: &ModelSpec,
        folder: &Path,
        cancel: &CancellationToken,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(), EmbedderError> {
        tokio::fs::create_dir_all(folder)
            .await
            .map_err(EmbedderError::io(folder))?;
        let total = model.total_size();
        let mut before = 0;
        for file in &model.files {
            if cancel.is_cancelled() {
                return Err(EmbedderError::Cancelled);
            }
            let mut report = |done: u64| {
                progress(Progress {
                    file: file.name.clone(),
                    done: before + done,
                    total,
                })
            };
            self.fetch(file, folder, cancel, &mut report).await?;
            before += file.size;
        }
        Ok(())
    }

    async fn fetch(
        &self,
        file: &ModelFile,
        folder: &Path,
        cancel: &CancellationToken,
        report: &mut (dyn FnMut(u64) + Send),
    ) -> Result<(), EmbedderError> {
        let target = folder.join(&file.name);
        let part = folder.join(format!("{}.part", file.name));
        // A file longer than its size is removed unread.
        if let Some((len, hasher)) = hash_prefix(&target, file.size).await? {
            if len == file.size && hex(&hasher.finalize()) == file.sha256 {
                report(file.size);
                return Ok(());
            }
            remove(&target).await?;
        }

        let (mut have, mut hasher) = match hash_prefix(&part, file.size).await? {
            Some(resumed) => resumed,
            None => (0, Sha256::new()),
        };
        if have < file.size {
            have = self
                .receive(file, &part, have, &mut hasher, cancel, report)
                .await?;
        }
        if have < file.size {
            return Err(EmbedderError::Truncated {
                file: file.name.clone(),
                got: have,
                expected: file.size,
            });
        }
        if hex(&hasher.finalize()) != file.sha256 {
            remove(&part).await?;
            return Err(EmbedderError::ChecksumMismatch {
                file: file.name.clone(),
            });
        }
        let written = tokio::fs::OpenOptions::new()
            .write(true)
            .open(&part)
            .await
            .map_err(EmbedderError::io(&part))?;
        written.sync_all().await.map_err(EmbedderError::io(&part))?;
        drop(written);
        tokio::fs::rename(&part, &target)
            .await
            .map_err(EmbedderError::io(&target))?;
        report(file.size);
        Ok(())
    }

    /// Requests the file from byte `have` and appends what arrives to `part`; the bytes
    /// held when the body ends (or the error that stopped it).
    async fn receive(
        &self,
        file: &ModelFile,
        part: &Path,
        mut have: u64,
        hasher: &mut Sha256,
        cancel: &CancellationToken,
        report: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, EmbedderError> {
        let network = |source| EmbedderError::Network {
            file: file.name.clone(),
            source,
        };
        let mut request = self.client.get(&file.url);
        if have > 0 {
            request = request.header(RANGE, format!("bytes={have}-"));
        }
        let mut response = tokio::select! {
            () = cancel.cancelled() => return Err(EmbedderError::Cancelled),
            sent = tokio::time::timeout(self.stall, request.send()) => match sent {
                Err(_) => return Err(EmbedderError::Stalled { file: file.name.clone() }),
                Ok(sent) => sent.map_err(network)?,
            },
        };
        let resumed = have > 0
            && response.status() == StatusCode::PARTIAL_CONTENT
            && range_start(&response) == Some(have);
        if !resumed {
            if !response.status().is_success() || response.status() == StatusCode::PARTIAL_CONTENT {
                return Err(EmbedderError::Status {
                    file: file.name.clone(),
                    status: response.status().as_u16(),
                });
            }
            have = 0;
            *hasher = Sha256::new();
        }
        let too_large = || EmbedderError::TooLarge {
            file: file.name.clone(),
            limit: file.size,
        };
        if response
            .content_length()
            .is_some_and(|len| have.saturating_add(len) > file.size)
        {
            return Err(too_large());
        }
        let mut out = tokio::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(resumed)
            .truncate(!resumed)
            .open(part)
            .await
            .map_err(EmbedderError::io(part))?;
        report(have);
        loop {
            let chunk = tokio::select! {
                () = cancel.cancelled() => {
                    out.flush().await.map_err(EmbedderError::io(part))?;
                    return Err(EmbedderError::Cancelled);
                }
                chunk = tokio::time::timeout(self.stall, response.chunk()) => chunk,
            };
            let chunk = match chunk {
                Err(_) => {
                    out.flush().await.map_err(EmbedderError::io(part))?;
                    return Err(EmbedderError::Stalled {
                        file: file.name.clone(),
                    });
                }
                Ok(Err(source)) => {
                    // Cut off: what arrived stays for the next try to resume.
                    out.flush().await.map_err(EmbedderError::io(part))?;
                    if have < file.size {
                        return Err(network(source));
                    }
                    break;
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => chunk,
            };
            if have.saturating_add(chunk.len() as u64) > file.size {
                drop(out);
                remove(part).await?;
                return Err(too_large());
            }
            out.write_all(&chunk)
                .await
                .map_err(EmbedderError::io(part))?;
            hasher.update(&chunk);
            have += chunk.len() as u64;
            report(have);
        }
        out.flush().await.map_err(EmbedderError::io(part))?;
        Ok(have)
    }
}

/// The first byte of a `206` answer (`Content-Range: bytes START-END/TOTAL`).
fn range_start(response: &reqwest::Response) -> Option<u64> {
    let value = response.headers().get(CONTENT_RANGE)?.to_str().ok()?;
    let range = value.strip_prefix("bytes ")?;
    range.split('-').next()?.trim().parse().ok()
}

/// Reads a `.part` (or finished file) of at most `limit` bytes: its length and the hasher
/// over its bytes. A file longer than `limit` is removed; a missing one is `None`.
async fn hash_prefix(path: &Path, limit: u64) -> Result<Option<(u64, Sha256)>, EmbedderError> {
    let mut file = match tokio::fs::File::open(path).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(EmbedderError::io(path)(e)),
    };
    let len = file
        .metadata()
        .await
        .map_err(EmbedderError::io(path))?
        .len();
    if len > limit {
        drop(file);
        remove(path).await?;
        return Ok(None);
    }
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 20];
    let mut read = 0;
    loop {
        let n = file
            .read(&mut buffer)
            .await
            .map_err(EmbedderError::io(path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        read += n as u64;
    }
    Ok(Some((read, hasher)))
}

async fn remove(path: &Path) -> Result<(), EmbedderError> {
    match tokio::fs::remove_file(path).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(EmbedderError::io(path)(e)),
        _ => Ok(()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Removes a model's folder and everything in it (finished files and `.part`s).
pub async fn delete(folder: &Path) -> Result<(), EmbedderError> {
    match tokio::fs::remove_dir_all(folder).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(EmbedderError::io(folder)(e)),
        _ => Ok(()),
    }
}
