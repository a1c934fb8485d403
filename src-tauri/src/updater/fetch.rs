//! The two downloads of an update, each bounded in size and time: the release manifest
//! (`latest.json`) and the package it names. The bytes are outside data until the package's
//! signature is checked against Confab's key (`install`).

use std::time::Duration;

use tauri::Url;

/// The largest manifest read: version, date, notes and a URL and signature per platform.
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;
/// The largest package read (Confab's are tens of MiB).
pub const MAX_PACKAGE_BYTES: u64 = 512 * 1024 * 1024;
/// How long the manifest may take, whole.
const MANIFEST_TIME: Duration = Duration::from_secs(30);
/// How long a download may send nothing before it is given up.
const STALL: Duration = Duration::from_secs(30);
const CONNECT: Duration = Duration::from_secs(15);
const MAX_REDIRECTS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0} is not an https address (plain http only to this computer)")]
    Insecure(String),
    #[error("the server answered HTTP {0}")]
    Status(u16),
    #[error("the answer is larger than {0} bytes")]
    TooLarge(u64),
    #[error("{0}")]
    Transport(String),
}

impl From<reqwest::Error> for FetchError {
    fn from(error: reqwest::Error) -> Self {
        // The chain says what failed (connect, timeout, TLS); no secret is in it.
        let mut text = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            text = format!("{text}: {cause}");
            source = cause.source();
        }
        Self::Transport(text)
    }
}

/// https anywhere; plain http only to this computer (the end-to-end test's server).
pub fn allowed(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => match url.host_str() {
            Some("localhost") => true,
            Some(host) => host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback()),
            None => false,
        },
        _ => false,
    }
}

fn client(total: Option<Duration>) -> Result<reqwest::Client, FetchError> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS || !allowed(attempt.url()) {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    let mut builder = reqwest::Client::builder()
        // Nothing about this copy of Confab is sent: no version, no identifier.
        .user_agent("Confab")
        .connect_timeout(CONNECT)
        .read_timeout(STALL)
        .redirect(policy);
    if let Some(total) = total {
        builder = builder.timeout(total);
    }
    Ok(builder.build()?)
}

/// GETs `url` and reads at most `max` bytes of its body, telling `progress` the bytes read so
/// far and the announced total after each piece.
async fn get(
    url: &Url,
    total_time: Option<Duration>,
    max: u64,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, FetchError> {
    if !allowed(url) {
        return Err(FetchError::Insecure(url.to_string()));
    }
    let mut response = client(total_time)?.get(url.clone()).send().await?;
    let status = response.status();
    if status.is_redirection() {
        // A redirect the policy stopped: too many, or to a plain http address elsewhere.
        return Err(FetchError::Insecure(response.url().to_string()));
    }
    if !status.is_success() {
        return Err(FetchError::Status(status.as_u16()));
    }
    let announced = response.content_length();
    if announced.is_some_and(|length| length > max) {
        return Err(FetchError::TooLarge(max));
    }
    let capacity = usize::try_from(announced.unwrap_or(0).min(max)).unwrap_or(0);
    let mut body = Vec::with_capacity(capacity);
    while let Some(piece) = response.chunk().await? {
        if body.len() as u64 + piece.len() as u64 > max {
            return Err(FetchError::TooLarge(max));
        }
        body.extend_from_slice(&piece);
        progress(body.len() as u64, announced);
    }
    Ok(body)
}

/// The release manifest at `url`, as JSON.
pub async fn manifest(url: &Url) -> Result<serde_json::Value, FetchError> {
    let body = get(url, Some(MANIFEST_TIME), MAX_MANIFEST_BYTES, |_, _| {}).await?;
    serde_json::from_slice(&body)
        .map_err(|error| FetchError::Transport(format!("the manifest is not JSON: {error}")))
}

/// The package at `url`, with progress.
pub async fn package(
    url: &Url,
    progress: impl FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, FetchError> {
    get(url, None, MAX_PACKAGE_BYTES, progress).await
}
