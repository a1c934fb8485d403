//! Storage benchmark: the queries the app runs, timed on a seeded database (see `seed`).
//!
//! Each figure is p50 / p95 / max over `--runs` runs (default 200) through the same core
//! functions the commands call:
//!   - list page: a page of 50 conversations, the first page and pages at random depths;
//!   - open: the last 100 messages of a random conversation, then the 100 before them;
//!   - switch version: in the longest conversation, a reply 5,000 deep gets two more
//!     versions, then each run shows the next or the one before and reads the last 100
//!     messages of the branch now shown (the versions are deleted again at the end);
//!   - search: full-text search (50 hits with snippets) for English and Chinese terms, and
//!     two-character Chinese terms (too short for the trigram index: the LIKE fallback);
//!   - insert: one message appended to a random conversation (WAL; the rows are deleted
//!     again at the end, so the file stays as seeded);
//!   - cold open: opening the file as the app does at start (connection pool, pragmas,
//!     migration check, default agent), then one query. The OS file cache is warm.
//!
//! The first open is timed on its own: when the file was seeded by an older version it
//! includes the pre-migration backup and the upgrade.
//!
//! Run: `cargo run --release -p confab-tools --bin store-bench -- --path FILE [--runs N]`
//! (`npm run bench:store` seeds `target/bench-seed.db` first when it is missing).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use confab_core::store::conversations::{self, ConversationQuery};
use confab_core::store::entities::message::{MessageState, Role};
use confab_core::store::messages::{self, NewMessage, Parent};
use confab_core::store::{branches, search, tree};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

const PAGE: u32 = 50;
const MESSAGES: u64 = 100;
const HITS: u32 = 50;
const EN_TERMS: &[&str] = &[
    "borrow checker",
    "write-ahead",
    "readiness probes",
    "connection",
    "rebase conflicts",
];
const ZH_TERMS: &[&str] = &[
    "生命周期",
    "内存泄漏",
    "预写日志",
    "响应式布局",
    "拥有所有权",
];
const ZH_SHORT_TERMS: &[&str] = &["瓶颈", "索引", "日志"];

struct Args {
    path: PathBuf,
    runs: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut path = None;
    let mut runs = 200;
    let mut iter = std::env::args().skip(1);
    while let Some(flag) = iter.next() {
        let mut value = || iter.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--path" => path = Some(PathBuf::from(value()?)),
            "--runs" => {
                let text = value()?;
                runs = text
                    .parse()
                    .map_err(|_| format!("--runs: not a number: {text}"))?;
            }
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    let path = path.ok_or_else(|| format!("--path is required\n{USAGE}"))?;
    if !path.exists() {
        return Err(format!(
            "{} does not exist: make one with `cargo run --release -p confab-tools --bin seed \
             -- --path {}`",
            path.display(),
            path.display()
        ));
    }
    if runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(Args { path, runs })
}

const USAGE: &str = "usage: store-bench --path FILE [--runs N]";

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
            eprintln!("store-bench failed: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `$body` (an async block's contents returning `Result<(), String>`) `$runs` times
/// and gives the duration of each run.
macro_rules! timed {
    ($runs:expr, |$run:ident| $body:block) => {{
        let mut samples = Vec::with_capacity($runs);
        for $run in 0..$runs {
            let start = Instant::now();
            let result: Result<(), String> = async { $body }.await;
            result?;
            samples.push(start.elapsed());
        }
        samples
    }};
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| {
        let index = ((samples.len() as f64 * q).ceil() as usize).saturating_sub(1);
        samples.get(index).copied().unwrap_or_default()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| {name} | {:.2} | {:.2} | {:.2} | {} |",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(samples.last().copied().unwrap_or_default()),
        samples.len()
    );
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> Result<i64, String> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no row")?;
    row.try_get_by_index::<i64>(0).map_err(|e| e.to_string())
}

async fn conversation_ids(db: &DatabaseConnection) -> Result<Vec<String>, String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM conversations",
        ))
        .await
        .map_err(|e| e.to_string())?;
    rows.iter()
        .map(|row| row.try_get_by_index::<String>(0).map_err(|e| e.to_string()))
        .collect()
}

async fn run(args: &Args) -> Result<(), String> {
    let runs = args.runs;
    let mut rng = fastrand::Rng::with_seed(7);

    let start = Instant::now();
    let db = confab_core::startup::open_db(&args.path)
        .await
        .map_err(|e| e.to_string())?;
    let first_open = start.elapsed();
    let conn = db.conn();

    let message_count = scalar(conn, "SELECT COUNT(*) FROM messages").await?;
    let ids = conversation_ids(conn).await?;
    if ids.is_empty() {
        return Err("the database has no conversations: seed it first".into());
    }
    let size = std::fs::metadata(&args.path).map_or(0, |meta| meta.len());
    let mib = size as f64 / (1024.0 * 1024.0);
    println!("database: {}", args.path.display());
    println!(
        "{} conversations, {message_count} messages, {mib:.0} MiB ({:.0} MiB per million \
         messages)",
        ids.len(),
        mib * 1_000_000.0 / message_count.max(1) as f64
    );
    println!(
        "first open (includes any pending upgrade and its backup): {:.1} ms",
        first_open.as_secs_f64() * 1000.0
    );
    println!();
    println!("| operation | p50 ms | p95 ms | max ms | runs |");
    println!("|---|---:|---:|---:|---:|");

    let e = |error: confab_core::Error| error.to_string();

    let samples = timed!(runs, |_run| {
        conversations::list(conn, &ConversationQuery::active(PAGE))
            .await
            .map_err(e)?;
        Ok(())
    });
    report("list: first page of 50 conversations", samples);

    let deepest = u32::try_from(ids.len())
        .unwrap_or(u32::MAX)
        .saturating_sub(PAGE);
    let samples = timed!(runs, |_run| {
        let query = ConversationQuery {
            offset: rng.u32(0..=deepest),
            ..ConversationQuery::active(PAGE)
        };
        conversations::list(conn, &query).await.map_err(e)?;
        Ok(())
    });
    report("list: a page of 50 at a random depth", samples);

    let picks: Vec<&str> = (0..runs)
        .map(|_| ids[rng.usize(..ids.len())].as_str())
        .collect();
    let mut firsts = vec![None; runs];
    let samples = timed!(runs, |run| {
        let (page, _) = tree::page(conn, picks[run], None, MESSAGES)
            .await
            .map_err(e)?;
        firsts[run] = page.first().map(|m| m.id.clone());
        Ok(())
    });
    report("open: last 100 messages of a conversation", samples);
    let samples = timed!(runs, |run| {
        if let Some(first) = firsts[run].as_deref() {
            tree::page(conn, picks[run], Some(first), MESSAGES)
                .await
                .map_err(e)?;
        }
        Ok(())
    });
    report("open: page back (the 100 before those)", samples);

    switch_versions(conn, runs).await?;

    for (name, terms) in [
        ("search: English terms", EN_TERMS),
        ("search: Chinese terms (3+ characters)", ZH_TERMS),
        (
            "search: Chinese 2-character terms (LIKE fallback)",
            ZH_SHORT_TERMS,
        ),
    ] {
        let mut hits = 0;
        let samples = timed!(runs, |run| {
            let term = terms[run % terms.len()];
            hits += search::search(conn, term, HITS).await.map_err(e)?.len();
            Ok(())
        });
        if hits == 0 {
            return Err(format!("{name}: no hits at all; is this a seeded file?"));
        }
        report(name, samples);
    }

    let mut inserted = Vec::with_capacity(runs);
    let samples = timed!(runs, |run| {
        let message = messages::append(
            conn,
            NewMessage::text(
                picks[run],
                Role::User,
                "One more question about the benchmark, please.",
            ),
        )
        .await
        .map_err(e)?;
        inserted.push(message.id);
        Ok(())
    });
    report("insert: one message (WAL)", samples);
    // Newest first: a conversation picked twice has the second below the first.
    for id in inserted.iter().rev() {
        branches::delete_subtree(conn, id).await.map_err(e)?;
    }
    db.close().await.map_err(e)?;

    let samples = timed!(runs.min(50), |_run| {
        let db = confab_core::startup::open_db(&args.path).await.map_err(e)?;
        conversations::list(db.conn(), &ConversationQuery::active(PAGE))
            .await
            .map_err(e)?;
        db.close().await.map_err(e)?;
        Ok(())
    });
    report("cold open: open the file + first page", samples);
    Ok(())
}

/// Times switching between three versions of a reply 5,000 messages deep in the longest
/// conversation, as the app does it: choose the version, then read the branch now shown.
async fn switch_versions(conn: &DatabaseConnection, runs: usize) -> Result<(), String> {
    let e = |error: confab_core::Error| error.to_string();
    let rows = conn
        .query_all_raw(Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT id FROM messages WHERE seq = 5000 AND role = 'assistant'
             AND conversation_id = (SELECT conversation_id FROM messages
                                    WHERE seq = 10000 LIMIT 1)
             ORDER BY chosen_at DESC LIMIT 1",
        ))
        .await
        .map_err(|error| error.to_string())?;
    let Some(row) = rows.first() else {
        println!("| switch version 5,000 deep | (no conversation of 10,000 messages) | | | |");
        return Ok(());
    };
    let shown: String = row.try_get_by_index(0).map_err(|error| error.to_string())?;
    let original = messages::get(conn, &shown).await.map_err(e)?;
    let mut added = Vec::new();
    for text in ["Another answer.", "A third answer."] {
        let version = messages::append(
            conn,
            NewMessage {
                parent: Parent::Under(original.parent_id.as_deref()),
                state: MessageState::Complete,
                ..NewMessage::text(&original.conversation_id, Role::Assistant, text)
            },
        )
        .await
        .map_err(e)?;
        added.push(version.id);
    }
    let mut at = messages::get(conn, &added[1]).await.map_err(e)?;
    let samples = timed!(runs, |_run| {
        let step = if at.version == at.versions { -1 } else { 1 };
        at = branches::switch_version(conn, &at.id, step)
            .await
            .map_err(e)?;
        tree::page(conn, &at.conversation_id, None, MESSAGES)
            .await
            .map_err(e)?;
        Ok(())
    });
    report(
        "switch version 5,000 deep in 10,000 + read the branch",
        samples,
    );
    for id in &added {
        branches::delete_subtree(conn, id).await.map_err(e)?;
    }
    branches::show(conn, &shown).await.map_err(e)?;
    Ok(())
}
