//! The retrieval-quality check for BENCHMARKS.md: the corpus in `tools/data/kb-quality/`
//! (30 short documents on distinct topics, 6 in Chinese) indexed through the real `Api`,
//! then every question of `questions.json` searched as a reply would search it (k = 5).
//! A question is found when the file that answers it is among the top 5 hits (recall@5);
//! the stricter "passage" figure asks for the hit whose text holds the answering phrase.
//! Given per kind of question (literal, paraphrase, Chinese, cross-language).
//!
//! Keyword search (FTS5) needs nothing. Hybrid (keyword + vector, fused) needs a real
//! embedding model, reached through any OpenAI-compatible `/embeddings`:
//!
//!   npm run bench:quality
//!   npm run bench:quality -- --provider-url http://localhost:11434/v1 --model nomic-embed-text
//!   npm run bench:quality -- --provider-url https://api.openai.com/v1 \
//!       --model text-embedding-3-small --key-env OPENAI_API_KEY
//!
//! or a built-in model run here on the CPU (a folder with `config.json`, `tokenizer.json`
//! and `model.safetensors`; `scripts/fetch-minilm.sh` puts all-MiniLM-L6-v2 in one),
//! served as such an `/embeddings` on 127.0.0.1:
//!
//!   cargo run --release -p confab-tools --features local-model --bin kb-quality -- \
//!       --local-model target/models/all-minilm-l6-v2
//!
//! A key is kept in the OS keychain under a service of this run's own and removed at the
//! end (on a desktop without a keychain daemon: `bash scripts/with-keychain.sh npm run ...`).
//! `--verbose` lists each question's outcome. Figures go to stdout.

#[path = "../kb_rig.rs"]
#[allow(dead_code)] // the memory and read figures are the ingestion bench's
mod kb_rig;
#[cfg(feature = "local-model")]
#[path = "../local_embeddings.rs"]
mod local_embeddings;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use confab_core::api::Api;
use confab_core::knowledge::KnowledgeHit;
use confab_core::providers::builtin::{self, BuiltinEnv};
use confab_core::secrets::Secret;
use kb_rig::Failure;
use serde_json::Value;

const K: u32 = 5;
const LIMIT: Duration = Duration::from_secs(1_800);

struct Question {
    kind: String,
    file: String,
    phrase: String,
    text: String,
}

/// Where one question's answer came in the hits (1-based), by file and by passage.
struct Ranked {
    file: Option<usize>,
    passage: Option<usize>,
    /// Hits the vector search found (alone or with the keyword search).
    by_vector: usize,
}

fn main() -> std::process::ExitCode {
    let outcome = tokio::runtime::Runtime::new()
        .map_err(Failure::from)
        .and_then(|runtime| runtime.block_on(run()));
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kb-quality: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/kb-quality");
    let (mut url, mut model, mut key_env, mut verbose) = (None, None, None, false);
    let mut local_model: Option<PathBuf> = None;
    let mut iter = args.iter();
    while let Some(flag) = iter.next() {
        let mut value = || {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--provider-url" => url = Some(value()?),
            "--model" => model = Some(value()?),
            "--key-env" => key_env = Some(value()?),
            "--data" => data = PathBuf::from(value()?),
            "--local-model" => local_model = Some(PathBuf::from(value()?)),
            "--verbose" => verbose = true,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    let corpus = data.join("corpus");
    let questions = questions(&data.join("questions.json"), &corpus)?;
    let files = std::fs::read_dir(&corpus)?.count();
    println!(
        "{} questions over {files} documents; recall@{K}: the answering file among the top {K} \
         hits (passage: the hit holding the answering phrase)",
        questions.len()
    );

    if let Some(folder) = &local_model {
        if url.is_some() {
            return Err("--local-model and --provider-url exclude each other".into());
        }
        url = Some(local_server(folder).await?);
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned());
        model = Some(name.unwrap_or_else(|| "local".into()));
    }
    let embedding = match (url, model) {
        (Some(url), Some(model)) => Some((url, model)),
        (None, None) => None,
        _ => return Err("--provider-url and --model go together".into()),
    };
    let api_key = match &key_env {
        Some(var) => Some(Secret::new(
            std::env::var(var).map_err(|_| format!("{var} is not set"))?,
        )),
        None => None,
    };
    let temp = tempfile::tempdir()?;
    let provider = embedding.as_ref().map(|(url, model)| BuiltinEnv {
        base_url: Some(url.clone()),
        model: Some(model.clone()),
        api_key,
    });
    let (api, _keychain) = kb_rig::open_api(temp.path(), provider).await?;

    let keyword = measure(&api, &corpus, &questions, None, verbose).await?;
    report("keyword only (FTS5 trigram)", &questions, &keyword, false);
    match &embedding {
        None => println!(
            "\nOnly keyword recall was measured: hybrid (keyword + vector) needs a real embedding \
             model. Run again with --provider-url URL --model NAME [--key-env VAR]."
        ),
        Some((url, model)) => {
            let found = measure(&api, &corpus, &questions, Some(model), verbose).await;
            if key_env.is_some() {
                api.clear_provider_api_key(builtin::ID).await?;
            }
            report(
                &format!("hybrid: keyword + {model} at {url}, fused (RRF)"),
                &questions,
                &found?,
                true,
            );
        }
    }
    api.shutdown(Duration::from_secs(5)).await;
    Ok(())
}

/// The model in `folder` behind an `/embeddings` on 127.0.0.1; its base URL.
#[cfg(feature = "local-model")]
async fn local_server(folder: &Path) -> Result<String, Failure> {
    // all-MiniLM-L6-v2 was trained on inputs of up to 256 tokens.
    local_embeddings::serve(folder, 256).await
}

#[cfg(not(feature = "local-model"))]
async fn local_server(_folder: &Path) -> Result<String, Failure> {
    Err("--local-model needs the tool built with --features local-model".into())
}

/// The questions, each checked against its file: the phrase must be in it.
fn questions(path: &Path, corpus: &Path) -> Result<Vec<Question>, Failure> {
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let list = json["questions"]
        .as_array()
        .ok_or("questions.json: no questions array")?;
    let field = |q: &Value, name: &str| {
        q[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("questions.json: a question without {name}: {q}"))
    };
    let mut out = Vec::new();
    for q in list {
        let question = Question {
            kind: field(q, "kind")?,
            file: field(q, "file")?,
            phrase: field(q, "phrase")?,
            text: field(q, "question")?,
        };
        let body = std::fs::read_to_string(corpus.join(&question.file))
            .map_err(|e| format!("{}: {e}", question.file))?;
        if !body.contains(&question.phrase) {
            return Err(format!("{} does not hold {:?}", question.file, question.phrase).into());
        }
        out.push(question);
    }
    Ok(out)
}

/// Indexes the corpus into a new knowledge base (embedded by the built-in provider with
/// `model`, or keyword-only) and searches every question.
async fn measure(
    api: &Api,
    corpus: &Path,
    questions: &[Question],
    model: Option<&String>,
    verbose: bool,
) -> Result<Vec<Ranked>, Failure> {
    let embedding = model.map(|m| (builtin::ID, m.as_str()));
    let name = if model.is_some() { "Hybrid" } else { "Keyword" };
    let kb = api
        .create_knowledge_base(&kb_rig::base_input(name, embedding)?)
        .await?;
    api.add_knowledge_source(&kb.id, &corpus.to_string_lossy())
        .await?;
    let (progress, _) = kb_rig::settle(api, &kb.id, Duration::from_millis(20), LIMIT).await?;
    let counts = kb_rig::base(api, &kb.id).await?.counts;
    if progress.stopped_by.is_some() || counts.indexed != counts.files {
        return Err(format!("the corpus was not indexed: {progress:?}, {counts:?}").into());
    }
    let mut ranked = Vec::new();
    let mut semantic_errors = BTreeMap::new();
    for question in questions {
        let found = api.search_knowledge(&kb.id, &question.text, K).await?;
        if model.is_some() && !found.semantic {
            let error = found.semantic_error.unwrap_or_else(|| "unknown".into());
            *semantic_errors.entry(error).or_insert(0) += 1;
        }
        let rank = ranks(&found.hits, question);
        if verbose {
            let titles: Vec<&str> = found.hits.iter().map(|h| h.title.as_str()).collect();
            println!(
                "  [{}] {:<18} file {:>2} passage {:>2}  {}  → {titles:?}",
                name.chars().next().unwrap_or(' '),
                question.kind,
                show(rank.file),
                show(rank.passage),
                question.text
            );
        }
        ranked.push(rank);
    }
    if !semantic_errors.is_empty() {
        return Err(format!(
            "the vector search did not run for some questions ({semantic_errors:?}): \
             no hybrid figure"
        )
        .into());
    }
    Ok(ranked)
}

fn ranks(hits: &[KnowledgeHit], question: &Question) -> Ranked {
    let squeeze = |text: &str| text.split_whitespace().collect::<String>();
    let phrase = squeeze(&question.phrase);
    Ranked {
        file: hits
            .iter()
            .position(|h| h.title == question.file)
            .map(|p| p + 1),
        passage: hits
            .iter()
            .position(|h| h.title == question.file && squeeze(&h.text).contains(&phrase))
            .map(|p| p + 1),
        by_vector: hits
            .iter()
            .filter(|h| h.via.iter().any(|v| v == "vector"))
            .count(),
    }
}

fn show(rank: Option<usize>) -> String {
    rank.map_or_else(|| "-".into(), |r| r.to_string())
}

/// Recall@5 (file and passage) and the mean reciprocal rank of the file, overall and per
/// kind; for a hybrid run, how many hits the vector search brought.
fn report(title: &str, questions: &[Question], ranked: &[Ranked], hybrid: bool) {
    println!("\n{title}");
    let mut kinds: BTreeMap<&str, Vec<&Ranked>> = BTreeMap::new();
    for (question, rank) in questions.iter().zip(ranked) {
        kinds.entry(question.kind.as_str()).or_default().push(rank);
    }
    let line = |label: &str, ranks: &[&Ranked]| {
        let n = ranks.len().max(1) as f64;
        let files = ranks.iter().filter(|r| r.file.is_some()).count();
        let passages = ranks.iter().filter(|r| r.passage.is_some()).count();
        let mrr: f64 = ranks
            .iter()
            .filter_map(|r| r.file)
            .fold(0.0, |sum, r| sum + 1.0 / r as f64)
            / n;
        println!(
            "  {label:<20} recall@{K} {:.2} ({files}/{}), passage {:.2} ({passages}/{}), \
             MRR {mrr:.2}",
            files as f64 / n,
            ranks.len(),
            passages as f64 / n,
            ranks.len()
        );
    };
    let all: Vec<&Ranked> = ranked.iter().collect();
    line("all", &all);
    let by_vector: usize = ranked.iter().map(|r| r.by_vector).sum();
    if hybrid {
        println!(
            "  ({by_vector} of the hits, top {K} of each question, came from the vector search)"
        );
    }
    for (kind, ranks) in &kinds {
        line(kind, ranks);
    }
}
