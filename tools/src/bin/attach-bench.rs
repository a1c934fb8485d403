//! Attachments, measured for BENCHMARKS.md: how fast documents are read to text, how long
//! a file takes from the moment it is dropped until its part (the composer's chip) is
//! ready, and the peak memory of attaching a 100-page PDF and a 12-megapixel photo.
//!
//! The files are made here: a PDF of 100 pages of text through lopdf (the generator the
//! core's tests use), a 12-megapixel JPEG photo (4000 × 3000, a noisy gradient so that the
//! encoder has work), a 20 MiB Markdown file.
//!
//!   cargo run --release -p confab-tools --bin attach-bench
//!   /usr/bin/time -v target/release/attach-bench --peak pdf     (or photo, or none)
//!
//! The default run prints the throughput and drop-to-part times; `--peak` attaches one file
//! once through the core's API in a fresh database, so that "Maximum resident set size" of
//! the process is the peak of that one attach.

#[path = "../../../core/tests/documents/mod.rs"]
mod documents;

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use confab_core::api::{Api, StartConfig};
use confab_core::chat::EngineConfig;
use confab_core::extract::{self, Limits};
use confab_core::providers::builtin::BuiltinEnv;
use confab_core::secrets::Keychain;
use confab_core::store::Db;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

const PAGES: usize = 100;
const RUNS: usize = 5;

fn main() -> ExitCode {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("attach-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = tempfile::tempdir()?;
    let pdf_path = dir.path().join("report.pdf");
    std::fs::write(&pdf_path, pdf())?;
    let photo_path = dir.path().join("photo.jpg");
    std::fs::write(&photo_path, photo())?;
    if let Some(what) = args
        .iter()
        .position(|a| a == "--peak")
        .and_then(|i| args.get(i + 1))
    {
        let path = match what.as_str() {
            "pdf" => &pdf_path,
            "photo" => &photo_path,
            // The process with the files made and the app started, attaching nothing.
            "none" => {
                api(dir.path()).await?;
                return Ok(());
            }
            other => return Err(format!("--peak pdf|photo|none, not {other}").into()),
        };
        let api = api(dir.path()).await?;
        let started = Instant::now();
        api.attach_path("peak", &path.to_string_lossy()).await?;
        println!("attached {} in {:?}", path.display(), started.elapsed());
        return Ok(());
    }

    let limits = Limits::default();
    let pdf = std::fs::read(&pdf_path)?;
    let took = median(|| {
        let text = extract::extract("report.pdf", &pdf, &limits).expect("reads");
        assert_eq!(text.pages, Some(PAGES as u32));
    });
    println!(
        "PDF, {PAGES} pages ({} KiB): {:.1} ms, {:.0} pages/s",
        pdf.len() / 1024,
        ms(took),
        PAGES as f64 / took.as_secs_f64()
    );
    let markdown = markdown(20 * 1024 * 1024);
    let big = Limits {
        max_chars: usize::MAX,
        ..Limits::default()
    };
    let took = median(|| {
        extract::extract("notes.md", markdown.as_bytes(), &big).expect("reads");
    });
    println!(
        "Markdown, 20 MiB: {:.1} ms, {:.0} MB/s",
        ms(took),
        markdown.len() as f64 / 1e6 / took.as_secs_f64()
    );
    let paragraphs: Vec<String> = (0..2000).map(|_| words(240)).collect();
    let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let docx = documents::docx(&paragraphs);
    let took = median(|| {
        let text = extract::extract("report.docx", &docx, &limits).expect("reads");
        assert!(
            text.chars > 2000 * 230,
            "every paragraph read: {}",
            text.chars
        );
    });
    println!(
        "DOCX, 2,000 paragraphs ({} KiB zipped): {:.1} ms, {:.0} paragraphs/s",
        docx.len() / 1024,
        ms(took),
        2000.0 / took.as_secs_f64()
    );

    let api = api(dir.path()).await?;
    for (what, path) in [("PDF, 100 pages", &pdf_path), ("photo, 12 MP", &photo_path)] {
        let mut times = Vec::new();
        for run in 0..RUNS {
            let started = Instant::now();
            api.attach_path(&format!("run-{run}"), &path.to_string_lossy())
                .await?;
            times.push(started.elapsed());
        }
        times.sort();
        println!("drop to part, {what}: {:.1} ms", ms(times[RUNS / 2]));
    }
    Ok(())
}

async fn api(dir: &Path) -> Result<Api, Box<dyn std::error::Error>> {
    let db = Db::open(&dir.join(format!("bench-{}.db", fastrand::u32(..)))).await?;
    // No provider and no key is needed to attach: the keychain is never touched.
    let config = StartConfig {
        keychain: Keychain::new(format!("confab-bench-{}", fastrand::u32(..))),
        environment: BuiltinEnv::default(),
        engine: EngineConfig::default(),
    };
    Ok(Api::start(db, config).await?)
}

const PARAGRAPH: &str = "The quarterly figures show steady growth in every region, with \
    the strongest gains in the north, where new customers arrived faster than planned. \
    Costs stayed within the budget; the next quarter's plan keeps the same course.";

/// A PDF of [`PAGES`] pages, each with about 3,000 characters of text: words drawn at
/// random, so that the page streams do not compress to nothing as one repeated sentence
/// would.
fn pdf() -> Vec<u8> {
    let pages: Vec<String> = (0..PAGES).map(|_| words(3000)).collect();
    let pages: Vec<Option<&str>> = pages.iter().map(|page| Some(page.as_str())).collect();
    documents::pdf(&pages)
}

/// About `chars` characters of words drawn at random from [`PARAGRAPH`].
fn words(chars: usize) -> String {
    let vocabulary: Vec<&str> = PARAGRAPH.split_whitespace().collect();
    let mut text = String::with_capacity(chars + 16);
    while text.len() < chars {
        text.push_str(vocabulary[fastrand::usize(..vocabulary.len())]);
        text.push(' ');
    }
    text
}

/// A 4000 × 3000 JPEG whose pixels vary (a gradient with noise), as a photo's do.
fn photo() -> Vec<u8> {
    let image = RgbImage::from_fn(4000, 3000, |x, y| {
        let noise = fastrand::u8(..32);
        Rgb([
            ((x / 16) % 224) as u8 + noise,
            ((y / 12) % 224) as u8 + noise,
            (((x + y) / 28) % 224) as u8 + noise,
        ])
    });
    let mut bytes = Vec::new();
    DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut bytes), ImageFormat::Jpeg)
        .expect("encodes");
    bytes
}

/// `bytes` of Markdown: headings, paragraphs and lists, in English and Chinese.
fn markdown(bytes: usize) -> String {
    let block = format!(
        "## 第 N 节 Section\n\n{PARAGRAPH}\n\n- 要点一：增长稳定\n- point two: costs held\n\n"
    );
    block.repeat(bytes / block.len() + 1)
}

/// The median time of [`RUNS`] runs of `work`.
fn median(mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
