//! Fills a Confab database with generated history, for benchmarks and for trying the UI at
//! scale: conversations of varied length (one of 10,000 messages when there are enough),
//! short questions and long answers with code blocks, about 30% Chinese, several agents and
//! models, token counts and latencies, some failed, partial and cancelled replies, spread
//! over six months.
//!
//! The file is opened with `Db::open`, so it has the real schema and migrations; the
//! full-text index is kept in step by the schema's own triggers. Rows are streamed: one
//! batch of messages is in memory at a time.
//!
//! Run (release build; the defaults are 10,000 conversations and 1,000,000 messages):
//!   cargo run --release -p confab-tools --bin seed -- --path /tmp/confab-seed.db
//!   options: --conversations N  --messages N  --path FILE  --seed N  --force
//!            --versions N   each reply in N versions (the last one shown; extra rows)
//!            --before-tree  the schema and rows as they were before messages formed a tree
//!                           (migration 13), to time the upgrade on the next open

mod replies;
mod rows;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

struct Args {
    conversations: u64,
    messages: u64,
    path: PathBuf,
    seed: u64,
    force: bool,
    versions: u64,
    before_tree: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        conversations: 10_000,
        messages: 1_000_000,
        path: std::env::temp_dir().join("confab-seed.db"),
        seed: 1,
        force: false,
        versions: 1,
        before_tree: false,
    };
    let mut iter = std::env::args().skip(1);
    while let Some(flag) = iter.next() {
        let mut value = || iter.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |text: String| {
            text.replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {text}"))
        };
        match flag.as_str() {
            "--conversations" => args.conversations = number(value()?)?,
            "--messages" => args.messages = number(value()?)?,
            "--seed" => args.seed = number(value()?)?,
            "--path" => args.path = PathBuf::from(value()?),
            "--force" => args.force = true,
            "--versions" => args.versions = number(value()?)?.max(1),
            "--before-tree" => args.before_tree = true,
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    if args.conversations == 0 {
        return Err("--conversations must be at least 1".into());
    }
    if args.before_tree && args.versions > 1 {
        return Err("--versions needs the tree: not with --before-tree".into());
    }
    Ok(args)
}

const USAGE: &str = "usage: seed [--conversations N] [--messages N] [--path FILE] [--seed N] \
                     [--force] [--versions N] [--before-tree]\n  --force replaces an existing file";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("seed failed: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), String> {
    if args.path.exists() {
        if !args.force {
            return Err(format!(
                "{} exists; pass --force to replace it",
                args.path.display()
            ));
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", args.path.display()));
            if file.exists() {
                std::fs::remove_file(&file)
                    .map_err(|error| format!("cannot remove {}: {error}", file.display()))?;
            }
        }
    }
    let started = Instant::now();
    let db = if args.before_tree {
        let db = confab_core::store::Db::open_with::<BeforeTree>(&args.path)
            .await
            .map_err(|error| error.to_string())?;
        confab_core::startup::seed(db.conn())
            .await
            .map_err(|error| error.to_string())?;
        db
    } else {
        confab_core::startup::open_db(&args.path)
            .await
            .map_err(|error| error.to_string())?
    };
    let mut seeder = rows::Seeder::new(db.conn(), args);
    seeder.agents().await?;
    let counts = rows::message_counts(&mut fastrand::Rng::with_seed(args.seed), args);
    seeder.history(&counts).await?;
    let fts_rows = seeder.checkpoint_and_count_fts().await?;
    let elapsed = started.elapsed();
    let messages = seeder.messages_written();
    db.close().await.map_err(|error| error.to_string())?;

    let size = std::fs::metadata(&args.path).map_or(0, |meta| meta.len());
    println!(
        "seeded {} conversations, {messages} messages in {:.1} s ({:.0} messages/s)",
        counts.len(),
        elapsed.as_secs_f64(),
        messages as f64 / elapsed.as_secs_f64().max(0.001)
    );
    println!("full-text index rows: {fts_rows} (messages: {messages})");
    println!(
        "file {}: {:.1} MiB ({:.1} MiB per million messages)",
        args.path.display(),
        size as f64 / 1048576.0,
        size as f64 / 1048576.0 / (messages.max(1) as f64 / 1e6)
    );
    if let Some(peak) = peak_rss_kib() {
        println!("peak RSS: {:.1} MiB", peak as f64 / 1024.0);
    }
    if fts_rows != messages {
        return Err("the full-text index is not in step with the messages".into());
    }
    Ok(())
}

/// The schema before messages formed a tree: the first 13 migrations.
struct BeforeTree;

impl migrations::MigratorTrait for BeforeTree {
    fn migrations() -> Vec<Box<dyn migrations::MigrationTrait>> {
        let mut all = migrations::Migrator::migrations();
        all.truncate(13);
        all
    }
}

/// The process's peak resident memory (Linux: VmHWM), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
