//! End-to-end benchmark over the corpus fetched by ../shared/bench/corpus.sh.
//!
//! For each corpus folder: discovery, a parse-only pass (read + parse, drop
//! the tree: the floor), and the whole `graph` pipeline, measured
//! interleaved in the same run; reports files/s, MB/s and the ratio
//! whole/parse-only (target <= 1.3).
//!
//!   cargo bench --bench e2e                   # corpus in ./.bench/corpus
//!   VANTAGE_BENCH_DIR=/path cargo bench --bench e2e -- django rxjs
//!   VANTAGE_BENCH_ROUNDS=5 ...                 # rounds per folder (default 3)

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use vantage::discover::{DiscoverOptions, discover};
use vantage::pipeline::{self, Options};

const FOLDERS: &[(&str, &str)] = &[
    ("django", "python/django/django"),
    ("django-sdist", "python/django"),
    ("rxjs", "ts/rxjs"),
    ("symfony", "php/symfony"),
    ("tokio", "rust/tokio"),
    ("mono", "mono"),
    ("mono-ts", "mono/services/ts-rxjs"),
];

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = std::env::var_os("VANTAGE_BENCH_DIR")
        .map_or_else(|| PathBuf::from(".bench"), PathBuf::from);
    let corpus = dir.join("corpus");
    if !corpus.is_dir() {
        eprintln!(
            "no corpus at {}: run `bash ../shared/bench/corpus.sh {}` first",
            corpus.display(),
            dir.display()
        );
        std::process::exit(2);
    }
    let rounds: usize = std::env::var("VANTAGE_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    println!(
        "{:<14} {:>6} {:>8} {:>10} {:>10} {:>10} {:>9} {:>9} {:>7}",
        "folder", "files", "MB", "discover", "parse", "graph", "files/s", "MB/s", "ratio"
    );
    for (name, relative) in FOLDERS {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let root = corpus.join(relative);
        if !root.is_dir() {
            println!("{name:<14} missing: {}", root.display());
            continue;
        }
        bench_folder(name, &root, rounds);
    }
}

fn bench_folder(name: &str, root: &Path, rounds: usize) {
    let options = Options::default();
    let (mut t_discover, mut t_parse, mut t_graph) = (Vec::new(), Vec::new(), Vec::new());
    let mut files = 0;
    let mut bytes = 0;
    // Warm the page cache once so that no variant pays for the disk.
    let warm = discover(root, &DiscoverOptions::default()).expect("discover");
    pipeline::with_threads(None, || pipeline::parse_only(root, &warm.candidates)).expect("pool");
    for _ in 0..rounds {
        let start = Instant::now();
        let found = discover(root, &DiscoverOptions::default()).expect("discover");
        t_discover.push(start.elapsed());

        let start = Instant::now();
        let (n, b) = pipeline::with_threads(None, || pipeline::parse_only(root, &found.candidates))
            .expect("pool");
        t_parse.push(start.elapsed());
        (files, bytes) = (n, b);

        let start = Instant::now();
        let analysis = pipeline::analyze(root, &options).expect("analyze");
        let mut sink = std::io::sink();
        vantage::report::json::write_graph(&mut sink, &analysis, vantage::report::Level::File)
            .expect("write");
        t_graph.push(start.elapsed());
        if std::env::var_os("VANTAGE_BENCH_STAGES").is_some() {
            let stages: Vec<String> = analysis
                .timings
                .iter()
                .map(|(stage, d)| format!("{stage} {:.1}ms", d.as_secs_f64() * 1e3))
                .collect();
            eprintln!("  {name}: {}", stages.join(", "));
        }
        drop(analysis);
    }
    let (d, p, g) = (median(t_discover), median(t_parse), median(t_graph));
    let mb = bytes as f64 / 1e6;
    // The parse-only pass does not walk the tree; add discovery to compare
    // like with like (the graph run discovers too).
    let floor = d + p;
    println!(
        "{:<14} {:>6} {:>8.2} {:>9.0}ms {:>9.0}ms {:>9.0}ms {:>9.0} {:>9.2} {:>7.2}",
        name,
        files,
        mb,
        d.as_secs_f64() * 1e3,
        p.as_secs_f64() * 1e3,
        g.as_secs_f64() * 1e3,
        files as f64 / g.as_secs_f64(),
        mb / g.as_secs_f64(),
        g.as_secs_f64() / floor.as_secs_f64()
    );
}
