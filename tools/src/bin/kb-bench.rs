//! The knowledge-base vector index at scale, measured for BENCHMARKS.md: for each size,
//! the build time (vectors added from `--threads` threads), query latency p50 / p95 over
//! `--queries` queries (k = 10, one at a time, no embedding call), recall@10 against exact
//! f32 cosine search on the first `--sample` queries (with the load average: the machine is
//! shared), the memory the index takes (this
//! process's VmRSS before and after the build, and the engine's own count), the size of
//! the saved file, and the time and memory to open it in a fresh process.
//!
//! Data: seeded synthetic embeddings, 1,000 Gaussian clusters (random centres, noise of
//! 0.6 of their spread in every direction): in 768 dimensions the points of a cluster are
//! almost equally far apart, the hard case for a graph index and for quantization.
//! `--low-rank` makes each cluster vary along 16 directions of its own plus a little
//! noise instead, closer to how text embeddings vary (and easier). Vectors are made again from their seed when
//! needed, so the data never sits in memory beside the index.
//!
//!   npm run bench:knowledge                 (100,000 at 768 and 2048 dimensions)
//!   npm run bench:knowledge -- --quick      (20,000 at 768)
//!   npm run bench:knowledge -- --million    (adds 1,000,000 at 768: long, a few GB)
//!
//! Linux only for the memory figures (`/proc/self/status`). Figures go to stdout.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use confab_core::knowledge::index::{
    HnswIndex, HnswSettings, Quantization, VectorIndex, normalized,
};

const CLUSTERS: usize = 1_000;
const RANK: usize = 16;
const K: usize = 10;
const SEED: u64 = 0x6b62_2d62_656e_6368;
type Failure = Box<dyn std::error::Error>;

struct Options {
    cases: Vec<(usize, usize)>,
    threads: usize,
    settings: HnswSettings,
    efs: Vec<usize>,
    queries: usize,
    sample: usize,
    isotropic: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = if args.first().map(String::as_str) == Some("--open") {
        open_child(&args[1..])
    } else {
        options(&args).and_then(|options| run(&options))
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kb-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn options(args: &[String]) -> Result<Options, Failure> {
    let mut options = Options {
        cases: vec![(100_000, 768), (100_000, 2048)],
        threads: 2,
        settings: HnswSettings::default(),
        efs: Vec::new(),
        queries: 1_000,
        sample: 100,
        isotropic: true,
    };
    let mut iter = args.iter();
    while let Some(flag) = iter.next() {
        let mut value = || iter.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--quick" => options.cases = vec![(20_000, 768)],
            "--million" => options.cases.push((1_000_000, 768)),
            "--only-million" => options.cases = vec![(1_000_000, 768)],
            "--size" => options.cases = vec![pair(value()?)?],
            "--threads" => options.threads = value()?.parse()?,
            "--connectivity" => options.settings.connectivity = value()?.parse()?,
            "--expansion-add" => options.settings.expansion_add = value()?.parse()?,
            "--ef" => {
                options.efs = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?;
            }
            "--quantization" => {
                options.settings.quantization = match value()?.as_str() {
                    "i8" => Quantization::I8,
                    "f16" => Quantization::F16,
                    "f32" => Quantization::F32,
                    other => {
                        return Err(format!("--quantization: i8, f16 or f32, not {other}").into());
                    }
                }
            }
            "--queries" => options.queries = value()?.parse()?,
            "--sample" => options.sample = value()?.parse()?,
            "--low-rank" => options.isotropic = false,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    if options.efs.is_empty() {
        options.efs = vec![options.settings.expansion_search];
    }
    options.sample = options.sample.min(options.queries);
    Ok(options)
}

/// "N@D" or "N" (768 dimensions).
fn pair(text: &str) -> Result<(usize, usize), Failure> {
    let (n, dims) = text.split_once('@').unwrap_or((text, "768"));
    Ok((n.replace('_', "").parse()?, dims.parse()?))
}

fn run(options: &Options) -> Result<(), Failure> {
    let s = &options.settings;
    println!(
        "HNSW: connectivity {}, expansion_add {}, quantization {:?}; {} build threads; \
         {} queries, recall on {}; {} data",
        s.connectivity,
        s.expansion_add,
        s.quantization,
        options.threads,
        options.queries,
        options.sample,
        if options.isotropic {
            "isotropic"
        } else {
            "low-rank"
        }
    );
    let dir = tempfile::tempdir()?;
    for &(n, dims) in &options.cases {
        case(
            options,
            n,
            dims,
            &dir.path().join(format!("{n}x{dims}.vectors")),
        )?;
    }
    Ok(())
}

fn case(options: &Options, n: usize, dims: usize, path: &Path) -> Result<(), Failure> {
    println!("\n{n} vectors of {dims} dimensions");
    let data = Data::new(dims, options.isotropic);
    let queries: Vec<Vec<f32>> = (0..options.queries)
        .map(|q| data.vector((n + q) as u64))
        .collect();
    let truth = exact_top_k(&data, n, &queries[..options.sample], options.threads);

    let before = rss_kib();
    let index = HnswIndex::with_settings(dims, options.settings)?;
    let started = Instant::now();
    std::thread::scope(|scope| -> Result<(), Failure> {
        let workers: Vec<_> = (0..options.threads)
            .map(|t| {
                let (index, data) = (&index, &data);
                scope.spawn(move || -> Result<(), String> {
                    for key in (t..n).step_by(options.threads) {
                        let vector = data.vector(key as u64);
                        index.add(key as u64, &vector).map_err(|e| e.to_string())?;
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker.join().map_err(|_| "a build thread panicked")??;
        }
        Ok(())
    })?;
    let build = started.elapsed();
    let grown = rss_kib().saturating_sub(before);
    println!(
        "  build {:.1} s ({:.0} vectors/s; {:.0} s per million), index memory: RSS +{:.0} MiB, \
         engine {:.0} MiB",
        build.as_secs_f64(),
        n as f64 / build.as_secs_f64(),
        build.as_secs_f64() / n as f64 * 1e6,
        grown as f64 / 1024.0,
        index.memory_bytes() as f64 / 1048576.0
    );
    for &ef in &options.efs {
        index.set_expansion_search(ef);
        let (mut times, recall) = queried(&index, &queries, &truth)?;
        let (p50, p95) = (percentile(&mut times, 0.5), percentile(&mut times, 0.95));
        println!(
            "  expansion_search {ef:>4}: query p50 {p50:.2} ms, p95 {p95:.2} ms, max {:.2} ms; \
             recall@10 {recall:.3}; load average {}",
            percentile(&mut times, 1.0),
            load_average()
        );
    }
    let started = Instant::now();
    index.save(path)?;
    let saved = started.elapsed();
    drop(index);
    let size = std::fs::metadata(path)?.len();
    println!(
        "  saved in {:.1} s: {:.0} MiB on disk ({:.0} MiB per million)",
        saved.as_secs_f64(),
        size as f64 / 1048576.0,
        size as f64 / 1048576.0 / n as f64 * 1e6
    );
    let child = std::process::Command::new(std::env::current_exe()?)
        .arg("--open")
        .arg(path)
        .arg(dims.to_string())
        .output()?;
    if !child.status.success() {
        return Err(String::from_utf8_lossy(&child.stderr).into_owned().into());
    }
    print!("{}", String::from_utf8_lossy(&child.stdout));
    std::fs::remove_file(path)?;
    Ok(())
}

/// Each query timed alone; recall@10 over the queries that have a truth.
fn queried(
    index: &HnswIndex,
    queries: &[Vec<f32>],
    truth: &[Vec<u64>],
) -> Result<(Vec<f64>, f64), Failure> {
    for query in queries.iter().take(20) {
        index.search(query, K)?;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut found = 0;
    for (q, query) in queries.iter().enumerate() {
        let started = Instant::now();
        let hits = index.search(query, K)?;
        times.push(ms(started.elapsed()));
        if let Some(truth) = truth.get(q) {
            found += hits.iter().filter(|hit| truth.contains(&hit.key)).count();
        }
    }
    Ok((times, found as f64 / (truth.len() * K).max(1) as f64))
}

/// In a fresh process: open the saved index, then print the time and the memory it took.
fn open_child(args: &[String]) -> Result<(), Failure> {
    let [path, dims] = args else {
        return Err("--open FILE DIMENSIONS".into());
    };
    let before = rss_kib();
    let started = Instant::now();
    let index = HnswIndex::open(Path::new(path), dims.parse()?)?;
    let took = started.elapsed();
    println!(
        "  opened in a fresh process in {:.2} s: {} vectors, RSS +{:.0} MiB (peak {:.0} MiB)",
        took.as_secs_f64(),
        index.len(),
        rss_kib().saturating_sub(before) as f64 / 1024.0,
        status_kib("VmHWM:") as f64 / 1024.0
    );
    Ok(())
}

/// The true `K` nearest of each query among keys `0..n`, by f32 cosine over every vector.
fn exact_top_k(data: &Data, n: usize, queries: &[Vec<f32>], threads: usize) -> Vec<Vec<u64>> {
    let queries: Vec<Vec<f32>> = queries.iter().filter_map(|q| normalized(q)).collect();
    let partial: Vec<Vec<Vec<(f32, u64)>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|t| {
                let queries = &queries;
                scope.spawn(move || {
                    let mut best = vec![Vec::with_capacity(K + 1); queries.len()];
                    for key in (t..n).step_by(threads.max(1)) {
                        let Some(vector) = normalized(&data.vector(key as u64)) else {
                            continue;
                        };
                        for (query, best) in queries.iter().zip(&mut best) {
                            let dot: f32 = query.iter().zip(&vector).map(|(a, b)| a * b).sum();
                            keep_best(best, (dot, key as u64));
                        }
                    }
                    best
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    (0..queries.len())
        .map(|q| {
            let mut best = Vec::with_capacity(K + 1);
            for part in &partial {
                for &hit in &part[q] {
                    keep_best(&mut best, hit);
                }
            }
            best.into_iter().map(|(_, key)| key).collect()
        })
        .collect()
}

/// Keeps the `K` most similar, most similar first.
fn keep_best(best: &mut Vec<(f32, u64)>, hit: (f32, u64)) {
    if best.len() == K && best[K - 1].0 >= hit.0 {
        return;
    }
    let at = best.partition_point(|b| b.0 >= hit.0);
    best.insert(at, hit);
    best.truncate(K);
}

/// The synthetic embeddings: vector `key` is made from its own seed, the same every time.
struct Data {
    dims: usize,
    isotropic: bool,
    centres: Vec<f32>,
    /// `RANK` directions per cluster, each `dims` long.
    directions: Vec<f32>,
}

impl Data {
    fn new(dims: usize, isotropic: bool) -> Self {
        let mut rng = fastrand::Rng::with_seed(SEED ^ dims as u64);
        let centres = (0..CLUSTERS * dims).map(|_| gaussian(&mut rng)).collect();
        let directions = if isotropic {
            Vec::new()
        } else {
            (0..CLUSTERS * RANK * dims)
                .map(|_| gaussian(&mut rng) * 0.25)
                .collect()
        };
        Self {
            dims,
            isotropic,
            centres,
            directions,
        }
    }

    fn vector(&self, key: u64) -> Vec<f32> {
        let mut rng =
            fastrand::Rng::with_seed(SEED.wrapping_add(key.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        let cluster = rng.usize(..CLUSTERS);
        let d = self.dims;
        let mut vector = self.centres[cluster * d..(cluster + 1) * d].to_vec();
        let noise = if self.isotropic { 0.6 } else { 0.05 };
        if !self.isotropic {
            let directions = &self.directions[cluster * RANK * d..(cluster + 1) * RANK * d];
            for direction in directions.chunks_exact(d) {
                let weight = gaussian(&mut rng);
                vector
                    .iter_mut()
                    .zip(direction)
                    .for_each(|(v, x)| *v += weight * x);
            }
        }
        vector
            .iter_mut()
            .for_each(|v| *v += noise * gaussian(&mut rng));
        vector
    }
}

/// A standard normal value (Box-Muller).
fn gaussian(rng: &mut fastrand::Rng) -> f32 {
    let u = rng.f32().max(f32::MIN_POSITIVE);
    (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * rng.f32()).cos()
}

fn percentile(ms: &mut [f64], p: f64) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms[((ms.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

/// The 1-minute load average (the machine is shared: queries wait for a core).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

fn rss_kib() -> u64 {
    status_kib("VmRSS:")
}

/// A `kB` line of /proc/self/status; 0 when it cannot be read (not Linux).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
