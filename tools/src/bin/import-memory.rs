//! Peak memory of importing one very large conversation, for BENCHMARKS.md.
//!
//! Writes a Confab JSON file with a single conversation of `--mib` MiB (4 KiB messages) and
//! a ChatGPT `conversations.json` of the same size, then either imports one of them through
//! the core (`--import confab|chatgpt`) or, to measure how the importer used to read a
//! conversation, parses it whole into a `serde_json::Value` (`--value confab|chatgpt`). Run
//! each mode in its own process under `/usr/bin/time -v` and read "Maximum resident set
//! size":
//!
//!   cargo build -p confab-tools --bin import-memory
//!   /usr/bin/time -v target/debug/import-memory --mib 128 --import confab
//!   /usr/bin/time -v target/debug/import-memory --mib 128 --value confab

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use confab_core::transfer::{ImportKind, ImportLimits, import_file};

const MESSAGE_BYTES: usize = 4096;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("import-memory: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value_of = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let mib: usize = value_of("--mib").unwrap_or_else(|| "256".into()).parse()?;
    let (mode, kind) = match (value_of("--import"), value_of("--value")) {
        (Some(kind), None) => ("import", kind),
        (None, Some(kind)) => ("value", kind),
        _ => return Err("give --import KIND or --value KIND (confab or chatgpt)".into()),
    };
    let dir = std::env::temp_dir().join(format!("confab-import-memory-{mib}"));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join(format!("{kind}.json"));
    if !file.exists() {
        write_file(&file, &kind, mib)?;
    }
    let started = Instant::now();
    if mode == "value" {
        let reader = std::io::BufReader::new(std::fs::File::open(&file)?);
        let value: serde_json::Value = serde_json::from_reader(reader)?;
        println!(
            "parsed into a Value in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        drop(value);
        return Ok(());
    }
    let kind = if kind == "confab" {
        ImportKind::Confab
    } else {
        ImportKind::Chatgpt
    };
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let db_path = dir.join(format!("target-{}.db", uuid::Uuid::new_v4()));
        let db = confab_core::startup::open_db(&db_path).await?;
        let limits = ImportLimits {
            max_bytes: u64::MAX,
            ..ImportLimits::default()
        };
        let summary = import_file(db.conn(), &file, kind, limits, |_| {}).await?;
        println!(
            "imported {} messages in {:.1} s",
            summary.messages,
            started.elapsed().as_secs_f64()
        );
        db.close().await?;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = db_path.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}

fn text(i: usize) -> String {
    let line =
        format!("Message {i}: the quick brown fox jumps over the lazy dog. 敏捷的棕色狐狸。 ");
    let mut text = String::with_capacity(MESSAGE_BYTES);
    while text.len() + line.len() <= MESSAGE_BYTES {
        text.push_str(&line);
    }
    text
}

fn write_file(path: &Path, kind: &str, mib: usize) -> std::io::Result<()> {
    let count = mib * 1024 * 1024 / (MESSAGE_BYTES + 200);
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    if kind == "confab" {
        write!(
            out,
            r#"{{"format":"confab-conversations","version":1,"conversations":[{{"id":"big","title":"Big","createdAt":1700000000000,"updatedAt":1700000000000,"messages":["#
        )?;
        for i in 0..count {
            let role = if i % 2 == 0 { "user" } else { "assistant" };
            let message = serde_json::json!({
                "id": format!("m{i}"), "seq": i + 1, "role": role, "content": text(i),
                "createdAt": 1_700_000_000_000_i64 + i as i64, "state": "complete",
                "inContext": true, "meta": {}
            });
            if i > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut out, &message)?;
        }
        out.write_all(b"]}]}")?;
    } else {
        write!(
            out,
            r#"[{{"id":"big","title":"Big","create_time":1700000000.0,"update_time":1700000000.0,"current_node":"n{}","mapping":{{"#,
            count - 1
        )?;
        for i in 0..count {
            let role = if i % 2 == 0 { "user" } else { "assistant" };
            let parent = if i == 0 {
                serde_json::Value::Null
            } else {
                serde_json::Value::from(format!("n{}", i - 1))
            };
            let node = serde_json::json!({
                "id": format!("n{i}"), "parent": parent, "children": [format!("n{}", i + 1)],
                "message": {
                    "id": format!("n{i}"), "author": {"role": role, "name": null, "metadata": {}},
                    "create_time": 1_700_000_000.0 + i as f64,
                    "content": {"content_type": "text", "parts": [text(i)]},
                    "status": "finished_successfully", "recipient": "all",
                    "metadata": {"model_slug": "gpt-4o", "request_id": "r", "timestamp_": "absolute"}
                }
            });
            if i > 0 {
                out.write_all(b",")?;
            }
            write!(out, "\"n{i}\":")?;
            serde_json::to_writer(&mut out, &node)?;
        }
        out.write_all(b"}}]")?;
    }
    out.flush()
}
