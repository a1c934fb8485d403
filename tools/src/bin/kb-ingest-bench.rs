//! Knowledge-base ingestion measured for BENCHMARKS.md: a seeded folder of `--files` files
//! (default 1,000: about 800 Markdown files of 2–20 KB with headings, paragraphs, lists,
//! code and some Chinese, and about 200 PDFs of 1–8 text pages, in nested folders) added
//! to a keyword-only knowledge base through the real `Api` on a database opened the app's
//! way. Timed from the add until indexing ends: files/s, chunks/s, MB/s, and the process's
//! peak RSS (VmHWM, reset after the folder is written). Then a rescan with nothing
//! changed: its time and the bytes read meanwhile (`rchar`: no file is read again).
//!
//! Keyword-only, so no provider time is counted: what is measured is the walk, reading
//! (PDF text layers included), hashing, chunking and the writes to SQLite and its FTS5
//! index; embedding time is the provider's and is not part of it.
//!
//!   npm run bench:ingest                       (1,000 files)
//!   npm run bench:ingest -- --files 200 --seed 7
//!
//! Linux only for the memory and read figures. Figures go to stdout.

#[path = "../kb_rig.rs"]
mod kb_rig;

use std::path::Path;
use std::time::{Duration, Instant};

use kb_rig::{Failure, bytes_read, load_average, mib, reset_peak, settle, status_kib};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

const LIMIT: Duration = Duration::from_secs(3_600);

fn main() -> std::process::ExitCode {
    let outcome = tokio::runtime::Runtime::new()
        .map_err(Failure::from)
        .and_then(|runtime| runtime.block_on(run()));
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kb-ingest-bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Failure> {
    let (mut files, mut seed) = (1_000usize, 17u64);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut iter = args.iter();
    while let Some(flag) = iter.next() {
        let value = iter.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--files" => files = value.replace('_', "").parse()?,
            "--seed" => seed = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    let temp = tempfile::tempdir()?;
    let folder = temp.path().join("library");
    let started = Instant::now();
    let corpus = write_corpus(&folder, files, seed)?;
    println!(
        "corpus (seed {seed}): {} Markdown ({:.1} MB), {} PDF ({:.1} MB, {} pages), \
         written in {:.1} s",
        corpus.markdown,
        corpus.markdown_bytes as f64 / 1e6,
        corpus.pdfs,
        corpus.pdf_bytes as f64 / 1e6,
        corpus.pages,
        started.elapsed().as_secs_f64()
    );
    let total_bytes = corpus.markdown_bytes + corpus.pdf_bytes;

    let (api, _keychain) = kb_rig::open_api(temp.path(), None).await?;
    let kb = api
        .create_knowledge_base(&kb_rig::base_input("Bench library", None)?)
        .await?;
    println!(
        "knowledge base: keyword only, chunks of {} tokens with {} overlap (the app's defaults)",
        kb.chunk_tokens, kb.chunk_overlap
    );
    let reset = reset_peak();
    let rss_before = status_kib("VmRSS:");
    let started = Instant::now();
    api.add_knowledge_source(&kb.id, &folder.to_string_lossy())
        .await?;
    let (progress, sampled) = settle(&api, &kb.id, Duration::from_millis(20), LIMIT).await?;
    let took = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:").max(sampled);
    if progress.stopped_by.is_some() {
        return Err(format!("indexing stopped: {progress:?}").into());
    }
    let counts = kb_rig::base(&api, &kb.id).await?.counts;
    println!(
        "\nindexed in {took:.2} s (load average {}): {} files ({} indexed, {} no text, {} failed, \
         {} pending), {} chunks",
        load_average(),
        counts.files,
        counts.indexed,
        counts.no_text,
        counts.failed,
        counts.pending,
        counts.chunks
    );
    println!(
        "  {:.0} files/s, {:.0} chunks/s, {:.2} MB/s of input",
        f64::from(counts.files) / took,
        f64::from(counts.chunks) / took,
        total_bytes as f64 / 1e6 / took
    );
    println!(
        "  memory: RSS {:.1} MiB before the add, peak {:.1} MiB during the run ({}), \
         {:.1} MiB after",
        mib(rss_before),
        mib(peak),
        if reset {
            "VmHWM reset after the folder was written"
        } else {
            "VmHWM of the whole process: it could not be reset"
        },
        mib(status_kib("VmRSS:"))
    );
    println!(
        "  database: {:.1} MB file + {:.1} MB write-ahead log on disk; the chunks' own count: \
         {:.1} MB",
        file_mb(&temp.path().join("confab.db")),
        file_mb(&temp.path().join("confab.db-wal")),
        counts.bytes as f64 / 1e6
    );

    let read_before = bytes_read();
    let started = Instant::now();
    api.reindex_knowledge(&kb.id).await?;
    // Asked every millisecond: the rescan takes a few tens of them.
    let (progress, _) = settle(&api, &kb.id, Duration::from_millis(1), LIMIT).await?;
    let took = started.elapsed();
    let read = bytes_read().saturating_sub(read_before);
    let again = kb_rig::base(&api, &kb.id).await?.counts;
    println!(
        "\nrescan with nothing changed: {:.1} ms for {} files; {:.2} MB read meanwhile \
         (the files hold {:.1} MB); chunks {} → {}; {:?}",
        took.as_secs_f64() * 1e3,
        again.files,
        read as f64 / 1e6,
        total_bytes as f64 / 1e6,
        counts.chunks,
        again.chunks,
        progress.state
    );
    if again.chunks != counts.chunks || again.indexed != counts.indexed {
        return Err("the rescan changed the index though no file changed".into());
    }
    api.shutdown(Duration::from_secs(5)).await;
    Ok(())
}

/// A file's size in MB; 0 when it is not there.
fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |meta| meta.len() as f64 / 1e6)
}

/// What was written.
#[derive(Default)]
struct Corpus {
    markdown: usize,
    markdown_bytes: u64,
    pdfs: usize,
    pdf_bytes: u64,
    pages: usize,
}

/// `n` files under `root`, one in five a PDF, in folders two to four deep.
fn write_corpus(root: &Path, n: usize, seed: u64) -> Result<Corpus, Failure> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let words = Words::new(&mut rng);
    let mut corpus = Corpus::default();
    for i in 0..n {
        let mut dir = root.join(format!("area-{:02}", rng.usize(..10)));
        dir.push(format!("topic-{}", rng.usize(..6)));
        if rng.bool() {
            dir.push(format!("part-{}", rng.usize(..3)));
        }
        std::fs::create_dir_all(&dir)?;
        if i % 5 == 4 {
            let pages = rng.usize(1..=8);
            let bytes = pdf(&words.pdf_pages(&mut rng, pages))?;
            std::fs::write(dir.join(format!("report-{i:04}.pdf")), &bytes)?;
            corpus.pdfs += 1;
            corpus.pdf_bytes += bytes.len() as u64;
            corpus.pages += pages;
        } else {
            let size = rng.usize(2_048..=20_480);
            let text = words.markdown(&mut rng, size);
            std::fs::write(dir.join(format!("note-{i:04}.md")), &text)?;
            corpus.markdown += 1;
            corpus.markdown_bytes += text.len() as u64;
        }
    }
    Ok(corpus)
}

const COMMON: &str = "the of and to in is that for it as with was on be by at this are from \
or have an they which one you were all we when there can been has more if will would about \
system data time water light river city market engine garden method window paper result \
process energy memory signal network library music season journey harbour winter summer \
mountain village letter number history science theory practice language council budget";
const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可\
主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理\
起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全\
表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很\
情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少\
图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质信知识库\
检索段落语义向量模型数据文件";

/// The words files are made of: common English words, a few thousand made-up ones (so the
/// vocabulary is large, as in real notes), and Chinese characters.
struct Words {
    common: Vec<&'static str>,
    made: Vec<String>,
    han: Vec<char>,
}

impl Words {
    fn new(rng: &mut fastrand::Rng) -> Self {
        const SYLLABLES: [&str; 24] = [
            "ka", "ro", "mi", "ten", "lu", "sha", "vor", "el", "in", "dra", "po", "qui", "ste",
            "bel", "nor", "za", "fi", "gan", "tho", "ur", "wey", "lix", "mon", "ae",
        ];
        let made = (0..4_000)
            .map(|_| {
                (0..rng.usize(2..=4))
                    .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
                    .collect()
            })
            .collect();
        Self {
            common: COMMON.split_whitespace().collect(),
            made,
            han: HAN.chars().collect(),
        }
    }

    /// One word: mostly common ones, the made-up ones skewed so some recur often.
    fn word(&self, rng: &mut fastrand::Rng) -> &str {
        if rng.u8(..10) < 6 {
            self.common[rng.usize(..self.common.len())]
        } else {
            let skewed = rng.f64().powi(3) * self.made.len() as f64;
            &self.made[(skewed as usize).min(self.made.len() - 1)]
        }
    }

    fn sentence(&self, rng: &mut fastrand::Rng, out: &mut String) {
        let start = out.len();
        for n in 0..rng.usize(6..=22) {
            if n > 0 {
                out.push(' ');
            }
            out.push_str(self.word(rng));
        }
        if let Some(first) = out[start..].chars().next() {
            let upper = first.to_ascii_uppercase().to_string();
            out.replace_range(start..start + first.len_utf8(), &upper);
        }
        out.push_str(". ");
    }

    fn chinese(&self, rng: &mut fastrand::Rng, out: &mut String) {
        for _ in 0..rng.usize(3..=8) {
            out.extend((0..rng.usize(8..=30)).map(|_| self.han[rng.usize(..self.han.len())]));
            out.push('。');
        }
    }

    /// A Markdown note of about `size` bytes.
    fn markdown(&self, rng: &mut fastrand::Rng, size: usize) -> String {
        let mut text = format!("# {} {}\n\n", self.word(rng), self.word(rng));
        let chinese = rng.u8(..100) < 15;
        while text.len() < size {
            let level = if rng.u8(..4) == 0 { "###" } else { "##" };
            text.push_str(&format!(
                "{level} {} {}\n\n",
                self.word(rng),
                self.word(rng)
            ));
            for _ in 0..rng.usize(1..=4) {
                match rng.u8(..12) {
                    0 => {
                        text.push_str("```rust\n");
                        for _ in 0..rng.usize(3..=10) {
                            text.push_str(&format!(
                                "let {} = {}({});\n",
                                self.word(rng),
                                self.word(rng),
                                rng.u32(..1000)
                            ));
                        }
                        text.push_str("```\n\n");
                    }
                    1 => {
                        for _ in 0..rng.usize(2..=6) {
                            text.push_str("- ");
                            self.sentence(rng, &mut text);
                            text.push('\n');
                        }
                        text.push('\n');
                    }
                    2 | 3 if chinese => {
                        self.chinese(rng, &mut text);
                        text.push_str("\n\n");
                    }
                    _ => {
                        for _ in 0..rng.usize(2..=7) {
                            self.sentence(rng, &mut text);
                        }
                        text.push_str("\n\n");
                    }
                }
            }
        }
        text
    }

    /// `pages` pages of about 35 lines each (the standard PDF fonts write Latin text only).
    fn pdf_pages(&self, rng: &mut fastrand::Rng, pages: usize) -> Vec<Vec<String>> {
        (0..pages)
            .map(|_| {
                let mut lines = Vec::new();
                let mut line = String::new();
                while lines.len() < 35 {
                    self.sentence(rng, &mut line);
                    if line.len() > 80 {
                        lines.push(std::mem::take(&mut line).trim_end().to_string());
                    }
                }
                lines
            })
            .collect()
    }
}

/// A PDF with one page per item, each line of text written with a standard font (the same
/// kind of file the documents tests write by hand).
fn pdf(pages: &[Vec<String>]) -> Result<Vec<u8>, Failure> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![50.into(), 750.into()]),
        ];
        for line in lines {
            operations.push(Operation::new("Tj", vec![Object::string_literal(&**line)]));
            operations.push(Operation::new("T*", vec![]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }.encode()?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        })));
    }
    let count = i64::try_from(kids.len())?;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)?;
    Ok(bytes)
}
