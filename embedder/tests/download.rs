//! The downloader against a real HTTP server on 127.0.0.1 serving the tiny test model:
//! progress, resume, checksums, size caps, a body cut short, a stalled server, cancel.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::server::{Serve, Server};
use confab_embedder::{Downloader, Embedder, EmbedderError, ModelFile, ModelSpec, Progress};
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The tiny model served by `server`, and its catalogue entry pointing there.
fn serve_tiny(server: &Server) -> (ModelSpec, Vec<(&'static str, Vec<u8>)>) {
    let files = common::tiny::files();
    let spec = ModelSpec {
        id: "tiny".into(),
        display_name: "Tiny test BERT".into(),
        dimensions: common::tiny::HIDDEN,
        max_tokens: 32,
        multilingual: false,
        files: files
            .iter()
            .map(|(name, bytes)| {
                server.set(name, Serve::File(bytes.clone()));
                ModelFile {
                    name: name.to_string(),
                    url: server.url(name),
                    size: bytes.len() as u64,
                    sha256: sha256(bytes),
                }
            })
            .collect(),
    };
    (spec, files)
}

fn downloader() -> Downloader {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    Downloader::new(client).with_stall_limit(Duration::from_millis(500))
}

async fn run(
    spec: &ModelSpec,
    folder: &Path,
    cancel: &CancellationToken,
) -> (Result<(), EmbedderError>, Vec<Progress>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let mut progress = move |p: Progress| sink.lock().expect("progress").push(p);
    let result = downloader()
        .download(spec, folder, cancel, &mut progress)
        .await;
    let seen = seen.lock().expect("progress").clone();
    (result, seen)
}

async fn succeed(spec: &ModelSpec, folder: &Path, what: &str) {
    run(spec, folder, &CancellationToken::new())
        .await
        .0
        .expect(what);
}

fn assert_holds(folder: &Path, name: &str, bytes: &[u8]) {
    assert!(
        std::fs::read(folder.join(name)).expect("file") == bytes,
        "{name} differs"
    );
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn downloads_checks_and_reports_progress_then_loads() {
    let server = Server::start().await;
    let (spec, files) = serve_tiny(&server);
    let data = tempfile::tempdir().expect("temp");
    let folder = spec.folder(data.path());
    assert!(!spec.is_installed(&folder));

    let (result, seen) = run(&spec, &folder, &CancellationToken::new()).await;
    result.expect("download");
    assert!(spec.is_installed(&folder));
    assert_eq!(
        names(&folder),
        ["config.json", "model.safetensors", "tokenizer.json"]
    );
    for (name, bytes) in &files {
        assert_eq!(&std::fs::read(folder.join(name)).expect("file"), bytes);
    }
    // Progress only grows, covers the model's bytes, and ends at the total.
    assert!(seen.len() > 3, "{} reports", seen.len());
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done));
    assert!(
        seen.iter()
            .all(|p| p.total == spec.total_size() && p.done <= p.total)
    );
    assert_eq!(seen.last().map(|p| p.done), Some(spec.total_size()));

    let embedder = Embedder::load(&folder, spec.max_tokens).expect("load");
    assert_eq!(embedder.dimensions(), spec.dimensions);

    // A second download finds every file in place and fetches nothing.
    let before = server.requests().len();
    succeed(&spec, &folder, "again").await;
    assert_eq!(server.requests().len(), before);
}

#[tokio::test]
async fn a_wrong_checksum_keeps_nothing() {
    let server = Server::start().await;
    let (mut spec, _) = serve_tiny(&server);
    spec.files[2].sha256 = sha256(b"something else");
    let data = tempfile::tempdir().expect("temp");
    let folder = spec.folder(data.path());

    let (result, _) = run(&spec, &folder, &CancellationToken::new()).await;
    assert!(
        matches!(&result, Err(EmbedderError::ChecksumMismatch { file }) if file == "model.safetensors"),
        "{result:?}"
    );
    // The files before it are kept (checked); the bad one is neither there nor in a .part.
    assert_eq!(names(&folder), ["config.json", "tokenizer.json"]);
    assert!(!spec.is_installed(&folder));
}

#[tokio::test]
async fn a_body_cut_short_is_resumed_where_it_stopped() {
    let server = Server::start().await;
    let (spec, files) = serve_tiny(&server);
    let weights = files[2].1.clone();
    let cut = weights.len() / 3;
    server.set("model.safetensors", Serve::CutAfter(weights.clone(), cut));
    let data = tempfile::tempdir().expect("temp");
    let folder = spec.folder(data.path());

    let (result, _) = run(&spec, &folder, &CancellationToken::new()).await;
    assert!(
        matches!(
            &result,
            Err(EmbedderError::Network { .. } | EmbedderError::Truncated { .. })
        ),
        "{result:?}"
    );
    assert!(!folder.join("model.safetensors").exists());
    let part = std::fs::metadata(folder.join("model.safetensors.part")).expect("part kept");
    assert_eq!(part.len() as usize, cut);

    server.set("model.safetensors", Serve::File(weights.clone()));
    succeed(&spec, &folder, "resumed").await;
    assert_holds(&folder, "model.safetensors", &weights);
    let last = server.requests().pop().expect("a request");
    assert_eq!(
        last,
        ("/model.safetensors".into(), Some(format!("bytes={cut}-")))
    );
}

#[tokio::test]
async fn a_server_that_ignores_the_range_is_read_from_the_start() {
    let server = Server::start().await;
    let (spec, files) = serve_tiny(&server);
    let weights = files[2].1.clone();
    let data = tempfile::tempdir().expect("temp");
    let folder = spec.folder(data.path());
    std::fs::create_dir_all(&folder).expect("folder");
    // A stale .part whose bytes are not the file's start.
    std::fs::write(folder.join("model.safetensors.part"), vec![0xAB; 1000]).expect("part");
    server.set("model.safetensors", Serve::IgnoreRange(weights.clone()));

    succeed(&spec, &folder, "download").await;
    assert_holds(&folder, "model.safetensors", &weights);
}

#[tokio::test]
async fn more_bytes_than_the_catalogue_says_are_refused() {
    let server = Server::start().await;
    let (spec, files) = serve_tiny(&server);
    let mut longer = files[2].1.clone();
    longer.extend_from_slice(&[0; 10_000]);
    let data = tempfile::tempdir().expect("temp");
    let folder = spec.folder(data.path());

    // Announced by Content-Length: refused before the body is read.
    server.set("model.safetensors", Serve::File(longer.clone()));
    let (result, _) = run(&spec, &folder, &CancellationToken::new()).await;
    assert!(
        matches!(&result, Err(EmbedderError::TooLarge { .. })),
        "{result:?}"
    );
    // Not announced: refused at the first byte past the size, nothing kept.
    server.set("model.safetensors", Serve::NoLength(longer));
    let (result, _) = run(&spec, &folder, &CancellationToken::new()).await;
    assert!(
        matches!(&result, Err(EmbedderError::TooLarge { .. })),
        "{result:?}"
    );
    assert!(!folder.join("model.safetensors.part").exists());
    assert!(!folder.join("model.safetensors").exists());
}

#[tokio::test]
async fn an_error_status_and_a_stalled_server_fail_typed() {
    let server = Server::start().await;
    let (spec, files) = serve_tiny(&server);
    let data = tempfile::tempdir().expect("temp");
    let folder = spec.folder(data.path());

    server.set("config.json", Serve::Status(503));
    let (result, _) = run(&spec, &folder, &CancellationToken::new()).await;
    assert!(
        matches!(&result, Err(EmbedderError::Status { status: 503, file }) if file == "config.json"),
        "{result:?}"
    );

    server.set("config.json", Serve::File(files[0].1.clone()));
    server.set(
        "model.safetensors",
        Serve::StallAfter(files[2].1.clone(), 5000),
    );
    let (result, _) = run(&spec, &folder, &CancellationToken::new()).await;
    assert!(
        matches!(&result, Err(EmbedderError::Stalled { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn cancel_stops_at_once_and_the_next_try_resumes() {
    let server = Server::start().await;
    let (spec, files) = serve_tiny(&server);
    let weights = files[2].1.clone();
    server.set(
        "model.safetensors",
        Serve::StallAfter(weights.clone(), 8192),
    );
    let data = tempfile::tempdir().expect("temp");
    let folder = spec.folder(data.path());

    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let first_two = (files[0].1.len() + files[1].1.len()) as u64;
    let mut progress = move |p: Progress| {
        if p.done >= first_two + 8192 {
            stop.cancel();
        }
    };
    let started = std::time::Instant::now();
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let result = Downloader::new(client) // the default stall limit: only the cancel can end it
        .download(&spec, &folder, &cancel, &mut progress)
        .await;
    assert!(
        matches!(result, Err(EmbedderError::Cancelled)),
        "{result:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let part = std::fs::read(folder.join("model.safetensors.part")).expect("part kept");
    assert_eq!(part, weights[..8192]);

    server.set("model.safetensors", Serve::File(weights.clone()));
    succeed(&spec, &folder, "resumed").await;
    assert_holds(&folder, "model.safetensors", &weights);
    assert_eq!(
        server.requests().pop(),
        Some(("/model.safetensors".into(), Some("bytes=8192-".into())))
    );
}

#[tokio::test]
async fn a_damaged_installed_file_is_fetched_again() {
    let server = Server::start().await;
    let (spec, files) = serve_tiny(&server);
    let data = tempfile::tempdir().expect("temp");
    let folder = spec.folder(data.path());
    succeed(&spec, &folder, "download").await;
    let mut damaged = files[1].1.clone();
    damaged[10] ^= 0xFF; // same size: only the checksum tells
    std::fs::write(folder.join("tokenizer.json"), &damaged).expect("damage");

    succeed(&spec, &folder, "repaired").await;
    assert_holds(&folder, "tokenizer.json", &files[1].1);

    confab_embedder::download::delete(&folder)
        .await
        .expect("delete");
    assert!(!folder.exists());
    confab_embedder::download::delete(&folder)
        .await
        .expect("delete twice");
}
