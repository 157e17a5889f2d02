//! End-to-end benchmark over the corpus of ../shared/bench/corpus.sh, with
//! the peer tools of ../shared/bench/peers.sh measured side by side.
//!
//!   cargo bench --bench e2e                      # corpus in ./.bench
//!   cargo bench --bench e2e -- django rxjs       # only folders matching
//!   VANTAGE_BENCH_DIR=/path VANTAGE_BENCH_ROUNDS=7 cargo bench --bench e2e
//!   cargo bench --bench e2e -- --warm django    # only the warm section
//!   cargo bench --bench e2e -- --shortcuts      # only the import equality check
//!
//! 1. Processes, side by side in alternating rounds: `vantage graph` against
//!    grimp's cold build on the Django package, and against
//!    dependency-cruiser and madge on rxjs and on the TypeScript folder of the
//!    polyglot copy; wall time (median) and peak RSS (max) of each.
//! 2. In process, per corpus folder, interleaved rounds (median): discovery,
//!    a parse-only pass (read and parse every file, drop the tree: the
//!    floor), the `graph` pipeline (imports only, as `vantage graph` runs)
//!    and the `analyze` pipeline (every fact). Reports files/s, MB/s and each
//!    run's ratio to discovery + parse-only (target for graph: <= 1.3), and
//!    the time cycles (both levels) and coupling add (target: < 5% of graph),
//!    and one impact query: every definition of the most imported file, as
//!    symbols, plus the file itself; and `dupes` (token parse and clone
//!    search) over discover + parse-only (target: <= 1.3). jscpd 5 races
//!    `vantage dupes` in part 1.
//! 3. Warm (on copies, one file edited before each warm round): `vantage
//!    impact` cold (`--no-cache`) and with the facts cache, grimp's cold
//!    and cached builds, and `impact` calls to a running `vantage mcp`
//!    (first call, unchanged tree, right after an edit), on Django and the
//!    mono corpus (targets: warm CLI < 15% of cold, MCP after an edit
//!    < 50 ms on Django).
//! 4. Checks, over every corpus file, that the shortcuts (the keyword
//!    prefilter and the Python statement scan) find exactly the imports of a
//!    query over the whole tree; exits 1 if any file differs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vantage::discover::{DiscoverOptions, discover};
use vantage::lang::{self, Extraction};
use vantage::pipeline::{self, Options};

const FOLDERS: &[(&str, &str)] = &[
    ("django", "python/django/django"),
    ("django-sdist", "python/django"),
    ("rxjs", "ts/rxjs"),
    ("symfony", "php/symfony"),
    ("tokio", "rust/tokio"),
    ("mono", "mono"),
    ("mono-ts", "mono/services/ts-rxjs"),
    // bench/fetch_extra.sh: a large TypeScript library.
    ("effect", "../extra/effect/package/src"),
];

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let dir = std::env::var_os("VANTAGE_BENCH_DIR")
        .map_or_else(|| PathBuf::from(".bench"), PathBuf::from);
    // Absolute: the peers run in their folders.
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
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
        .unwrap_or(5)
        .max(1);
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let selected =
        |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));

    let extra = dir.join("extra");
    let shortcuts = || check_shortcuts(&corpus) & (!extra.is_dir() || check_shortcuts(&extra));
    if std::env::args().any(|a| a == "--shortcuts") {
        std::process::exit(if shortcuts() { 0 } else { 1 });
    }
    if std::env::args().any(|a| a == "--warm") {
        println!("## warm: the facts cache and the MCP server, after a one-file edit\n");
        warm(&dir, &corpus, rounds, &selected);
        return;
    }
    // The peers first: a child inherits its parent's peak RSS at exec time
    // on Linux, so they must be started while this process is still small.
    println!(
        "## side by side with the peer tools ({rounds} rounds after a warm-up: median wall, max peak RSS)\n"
    );
    peers(&dir, &corpus, rounds, &selected);
    println!("\n## warm: the facts cache and the MCP server, after a one-file edit\n");
    warm(&dir, &corpus, rounds, &selected);

    println!(
        "\n## in process (median of at least {rounds} rounds, more for small folders; {} threads)\n",
        rayon::current_num_threads()
    );
    println!(
        "{:<13} {:>6} {:>7} {:>9} {:>10} {:>9} {:>9} {:>8} {:>7} {:>7} {:>8} {:>9} {:>6} {:>8} {:>9} {:>6}",
        "folder",
        "files",
        "MB",
        "discover",
        "parse-only",
        "graph",
        "analyze",
        "files/s",
        "MB/s",
        "graph/",
        "analyze/",
        "findings",
        "/graph",
        "impact",
        "dupes",
        "dupes/"
    );
    for (name, relative) in FOLDERS.iter().filter(|(n, _)| selected(n)) {
        let root = corpus.join(relative);
        if root.is_dir() {
            bench_folder(name, &root, rounds);
        } else {
            println!("{name:<13} missing: {}", root.display());
        }
    }
    println!(
        "\n(graph/ and analyze/: time over discover + parse-only, the floor being a full parse; findings:\n cycles at file and module level plus coupling, computed on the analysis, and their share of\n the graph run; impact: one query on the most imported file, its definitions and itself; dupes:\n the token parse and the clone search, and its ratio to discover + parse-only (target <= 1.3))"
    );

    println!("\n## shortcuts against a whole-tree query\n");
    if !shortcuts() {
        std::process::exit(1);
    }
}

fn bench_folder(name: &str, root: &Path, rounds: usize) {
    let graph = Options {
        extraction: Extraction::ImportsOnly,
        ..Options::default()
    };
    let full = Options::default();
    let (mut t_discover, mut t_parse, mut t_graph, mut t_analyze) =
        (vec![], vec![], vec![], vec![]);
    let (mut t_findings, mut t_impact, mut t_dupes) = (Vec::new(), Vec::new(), Vec::new());
    let tokens = Options {
        extraction: Extraction::Tokens,
        ..Options::default()
    };
    let (mut files, mut bytes) = (0, 0);
    // Warm the page cache and the compiled queries, so no variant pays for them.
    let warm = discover(root, &DiscoverOptions::default()).expect("discover");
    pipeline::with_threads(None, || pipeline::parse_only(root, &warm.candidates)).expect("pool");
    let start = Instant::now();
    pipeline::analyze(root, &full).expect("analyze");
    // Small folders get more rounds: at least about two seconds of samples.
    let rounds = rounds
        .max((2.0 / start.elapsed().as_secs_f64().max(1e-3)) as usize / 3)
        .min(200);
    for _ in 0..rounds {
        let start = Instant::now();
        let found = discover(root, &DiscoverOptions::default()).expect("discover");
        t_discover.push(start.elapsed());

        let start = Instant::now();
        (files, bytes) =
            pipeline::with_threads(None, || pipeline::parse_only(root, &found.candidates))
                .expect("pool");
        t_parse.push(start.elapsed());

        // `vantage dupes`: the token parse and the clone search.
        let start = Instant::now();
        let analysis = pipeline::analyze(root, &tokens).expect("analyze");
        let streams: Vec<Option<&vantage::lang::tokens::TokenStream>> = analysis
            .facts
            .iter()
            .map(|f| f.tokens.as_ref().filter(|t| !t.generated))
            .collect();
        let paths: Vec<&str> = (0..streams.len())
            .map(|f| analysis.project.path(f))
            .collect();
        let classes =
            vantage::analysis::duplicates::find_clones(&streams, &paths, Default::default());
        std::hint::black_box(vantage::analysis::duplicates::duplication(
            &streams, &classes,
        ));
        t_dupes.push(start.elapsed());
        drop(analysis);

        for (options, times) in [(&graph, &mut t_graph), (&full, &mut t_analyze)] {
            let start = Instant::now();
            let analysis = pipeline::analyze(root, options).expect("analyze");
            vantage::report::json::write_graph(
                &mut std::io::sink(),
                &vantage::report::GraphView::new(&analysis, vantage::report::Level::File),
            )
            .expect("write");
            times.push(start.elapsed());
            if options.extraction == Extraction::Full {
                t_findings.push(findings(&analysis));
                t_impact.push(impact_query(&analysis));
            }
        }
    }
    let (d, p, g, a) = (
        median(t_discover),
        median(t_parse),
        median(t_graph),
        median(t_analyze),
    );
    let f = median(t_findings);
    let i = median(t_impact);
    let dd = median(t_dupes);
    let mb = bytes as f64 / 1e6;
    let floor = (d + p).as_secs_f64();
    println!(
        "{:<13} {:>6} {:>7.2} {:>7.0}ms {:>8.0}ms {:>7.0}ms {:>7.0}ms {:>8.0} {:>7.1} {:>7.2} {:>8.2} {:>7.1}ms {:>5.1}% {:>6.2}ms {:>7.0}ms {:>6.2}",
        name,
        files,
        mb,
        ms(d),
        ms(p),
        ms(g),
        ms(a),
        files as f64 / g.as_secs_f64(),
        mb / g.as_secs_f64(),
        g.as_secs_f64() / floor,
        a.as_secs_f64() / floor,
        ms(f),
        100.0 * f.as_secs_f64() / g.as_secs_f64(),
        ms(i),
        ms(dd),
        dd.as_secs_f64() / floor,
    );
}

/// Cycles at both levels and coupling, on a finished analysis: the cost of
/// the findings over the graph they are computed from.
fn findings(analysis: &pipeline::Analysis) -> Duration {
    use vantage::analysis::cycles;
    let start = Instant::now();
    for graph in [&analysis.file_graph, &analysis.module_graph.graph] {
        std::hint::black_box(cycles::find_cycles(graph, cycles::CycleOptions::default()));
    }
    std::hint::black_box(analysis.coupling());
    start.elapsed()
}

/// `vantage impact` after the analysis: the most imported file (lowest id
/// on a tie) as a file seed, and each of its definitions as a symbol seed.
fn impact_query(analysis: &pipeline::Analysis) -> Duration {
    use vantage::analysis::impact::{ImpactOptions, Seed, impact};
    let mut fan_in = vec![0usize; analysis.project.files().len()];
    for (_, to, _) in analysis.file_graph.edges() {
        fan_in[to] += 1;
    }
    let Some(file) = (0..fan_in.len()).max_by_key(|&f| (fan_in[f], std::cmp::Reverse(f))) else {
        return Duration::ZERO;
    };
    let start = Instant::now();
    let mut seeds = vec![Seed::File(file)];
    seeds.extend(
        analysis.facts[file]
            .definitions
            .iter()
            .map(|d| Seed::Symbol {
                file,
                name: d.name.clone(),
            }),
    );
    std::hint::black_box(impact(
        &analysis.project,
        &analysis.facts,
        &analysis.file_graph,
        &analysis.modules,
        &analysis.symbols,
        &seeds,
        ImpactOptions::default(),
        &|_, _| false,
    ));
    start.elapsed()
}

fn check_shortcuts(corpus: &Path) -> bool {
    let found = discover(corpus, &DiscoverOptions::default()).expect("discover");
    let (mut files, mut imports, mut differ) = (0, 0, 0);
    for candidate in &found.candidates {
        let Ok(source) = std::fs::read(corpus.join(&candidate.path)) else {
            continue;
        };
        let Ok(reference) = lang::extract_facts_without_prefilter(candidate.language, &source)
        else {
            continue;
        };
        files += 1;
        imports += reference.imports.len();
        for (label, extraction) in [
            ("prefilter", Extraction::Full),
            ("imports-only", Extraction::ImportsOnly),
        ] {
            let facts = lang::extract_with(candidate.language, &source, extraction).expect("parse");
            if facts.imports != reference.imports {
                differ += 1;
                println!("  {label} differs: {}", candidate.path);
            }
        }
    }
    println!("{files} files, {imports} imports: {differ} differ");
    differ == 0
}

/// A finished run of a peer or of vantage.
struct Run {
    wall: Duration,
    peak_rss_kb: i64,
    stdout: String,
}

/// Runs a command to completion; measures wall time and peak RSS (wait4).
fn measure(command: &mut Command) -> Option<Run> {
    use std::io::Read;
    let start = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = String::new();
    child.stdout.take()?.read_to_string(&mut stdout).ok()?;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, which std has not reaped.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    (pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0).then_some(Run {
        wall,
        peak_rss_kb: usage.ru_maxrss,
        stdout,
    })
}

struct Contender {
    label: String,
    command: Box<dyn Fn() -> Command>,
    /// Reads a tool's own timing of its work from its output, when it has one.
    inner: Option<fn(&str) -> Option<Duration>>,
}

fn race(title: &str, contenders: &[Contender], rounds: usize) {
    println!("{title}");
    let mut walls: Vec<Vec<Duration>> = vec![Vec::new(); contenders.len()];
    let mut inner: Vec<Vec<Duration>> = vec![Vec::new(); contenders.len()];
    let mut peaks = vec![0i64; contenders.len()];
    let mut failed = vec![false; contenders.len()];
    for _ in 0..rounds + 1 {
        for (i, contender) in contenders.iter().enumerate() {
            match measure(&mut (contender.command)()) {
                Some(run) => {
                    walls[i].push(run.wall);
                    peaks[i] = peaks[i].max(run.peak_rss_kb);
                    if let Some(read) = contender.inner.and_then(|f| f(&run.stdout)) {
                        inner[i].push(read);
                    }
                }
                None => failed[i] = true,
            }
        }
    }
    let base = median(walls[0][1..].to_vec());
    for (i, contender) in contenders.iter().enumerate() {
        if failed[i] || walls[i].len() < 2 {
            println!("  {:<34} failed to run", contender.label);
            continue;
        }
        // The first round only warms caches.
        let wall = median(walls[i][1..].to_vec());
        let mut line = format!(
            "  {:<34} {:>8.0} ms {:>7.1} MB peak  {:>6.2}x vantage",
            contender.label,
            ms(wall),
            peaks[i] as f64 / 1024.0,
            wall.as_secs_f64() / base.as_secs_f64()
        );
        if inner[i].len() > 1 {
            let own = median(inner[i][1..].to_vec());
            line.push_str(&format!(
                "  (its own timing: {:.0} ms; vantage is {:.2}x that)",
                ms(own),
                base.as_secs_f64() / own.as_secs_f64()
            ));
        }
        println!("{line}");
    }
}

fn peers(dir: &Path, corpus: &Path, rounds: usize, selected: &dyn Fn(&str) -> bool) {
    let vantage = PathBuf::from(env!("CARGO_BIN_EXE_vantage"));
    let peers = dir.join("peers");
    let bin = peers.join("npm/node_modules/.bin");
    let python = peers.join("venv/bin/python");
    if !bin.join("depcruise").exists() || !python.exists() {
        println!(
            "peer tools missing in {}: run `bash ../shared/bench/peers.sh {}`",
            peers.display(),
            dir.display()
        );
        return;
    }
    let vantage_graph = |root: PathBuf| -> Contender {
        let vantage = vantage.clone();
        Contender {
            label: "vantage graph --format json".into(),
            command: Box::new(move || {
                let mut c = Command::new(&vantage);
                c.args(["graph", "--format", "json", "--no-cache"])
                    .arg(&root);
                c
            }),
            inner: None,
        }
    };

    let sdist = corpus.join("python/django");
    if selected("django") && sdist.join("django").is_dir() {
        let script = "import sys,time\nsys.path.insert(0, sys.argv[1])\nimport grimp\nt=time.perf_counter()\ngrimp.build_graph('django', cache_dir=None)\nprint(time.perf_counter()-t)\n";
        let (python, sdist2) = (python.clone(), sdist.clone());
        race(
            "Django package (django/ alone)",
            &[
                vantage_graph(sdist.join("django")),
                Contender {
                    label: "grimp.build_graph(cache_dir=None)".into(),
                    command: Box::new(move || {
                        let mut c = Command::new(&python);
                        c.arg("-c").arg(script).arg(&sdist2);
                        c
                    }),
                    inner: Some(|out| out.trim().parse::<f64>().ok().map(Duration::from_secs_f64)),
                },
            ],
            rounds,
        );
    }
    // Duplicates: vantage dupes (renamed mode, 50 tokens) and jscpd 5 at
    // 50 tokens, over the languages vantage reads, with the JSON reporter.
    let jscpd = peers.join("npm-jscpd5/node_modules/.bin/jscpd");
    let out_dir = std::env::temp_dir().join("vantage-bench-jscpd");
    for (name, folder) in [
        ("django", "python/django/django"),
        ("rxjs", "ts/rxjs"),
        ("symfony", "php/symfony"),
        ("tokio", "rust/tokio"),
    ] {
        let root = corpus.join(folder);
        if !selected(name) || !root.is_dir() || !jscpd.exists() {
            continue;
        }
        let (vantage1, root1, jscpd1, root2, out1) = (
            vantage.clone(),
            root.clone(),
            jscpd.clone(),
            root.clone(),
            out_dir.clone(),
        );
        race(
            &format!("duplicates, {name} ({folder})"),
            &[
                Contender {
                    label: "vantage dupes --format json".into(),
                    command: Box::new(move || {
                        let mut c = Command::new(&vantage1);
                        c.args(["dupes", "--format", "json", "--no-cache"])
                            .arg(&root1);
                        c
                    }),
                    inner: None,
                },
                Contender {
                    label: "jscpd --min-tokens 50 -r json".into(),
                    command: Box::new(move || {
                        let mut c = Command::new(&jscpd1);
                        c.args([
                            "--min-tokens",
                            "50",
                            "--format",
                            "python,javascript,typescript,tsx,jsx,php,rust",
                            "-r",
                            "json",
                            "--silent",
                            "-o",
                        ])
                        .arg(&out1)
                        .arg(&root2);
                        c
                    }),
                    inner: None,
                },
            ],
            rounds,
        );
    }
    // dependency-cruiser on `src`, with the folder's tsconfig.json if any.
    let depcruise = |root: PathBuf, tsconfig: bool| {
        let bin = bin.clone();
        Contender {
            label: "depcruise --ts-pre-compilation-deps".into(),
            command: Box::new(move || {
                let mut c = Command::new(bin.join("depcruise"));
                c.current_dir(&root).args([
                    "--no-config",
                    "--output-type",
                    "json",
                    "--ts-pre-compilation-deps",
                ]);
                if tsconfig {
                    c.args(["--ts-config", "tsconfig.json"]);
                }
                c.arg("src");
                c
            }),
            inner: None,
        }
    };
    let effect = dir.join("extra/effect/package");
    if selected("effect") && effect.join("src").is_dir() {
        race(
            "effect (bench/fetch_extra.sh: 360 TypeScript files, 9 MB)",
            &[
                vantage_graph(effect.join("src")),
                depcruise(effect.clone(), false),
            ],
            rounds,
        );
    }
    for (name, folder) in [("rxjs", "ts/rxjs"), ("mono-ts", "mono/services/ts-rxjs")] {
        let root = corpus.join(folder);
        if !selected(name) || !root.join("src").is_dir() {
            continue;
        }
        let (bin2, root2) = (bin.clone(), root.clone());
        race(
            &format!("{name} ({folder})"),
            &[
                vantage_graph(root.clone()),
                depcruise(root.clone(), true),
                Contender {
                    label: "madge --json".into(),
                    command: Box::new(move || {
                        let mut c = Command::new(bin2.join("madge"));
                        c.current_dir(&root2).args([
                            "--json",
                            "--extensions",
                            "ts,tsx,js,jsx,mjs,cjs",
                            "--ts-config",
                            "tsconfig.json",
                            "src",
                        ]);
                        c
                    }),
                    inner: None,
                },
            ],
            rounds,
        );
    }
}

/// A copy of a corpus folder to edit, and the file edited each round.
struct Scratch {
    _dir: tempfile::TempDir,
    root: PathBuf,
    edited: PathBuf,
    original: String,
}

impl Scratch {
    fn new(from: &Path, edited: &str) -> Option<Scratch> {
        let dir = tempfile::tempdir().ok()?;
        let root = dir.path().join("repo");
        let status = Command::new("cp")
            .arg("-r")
            .arg(from)
            .arg(&root)
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
        let _ = std::fs::remove_dir_all(root.join(".vantage"));
        let edited = root.join(edited);
        let original = std::fs::read_to_string(&edited).ok()?;
        Some(Scratch {
            _dir: dir,
            root,
            edited,
            original,
        })
    }
}

/// Changes the file's bytes (a new comment each time), as an agent's edit.
fn touch(file: &Path, original: &str, comment: &str) {
    static ROUND: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let round = ROUND.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::fs::write(
        file,
        format!("{original}\n{comment} vantage bench edit {round}\n"),
    )
    .expect("the scratch copy is writable");
}

/// Cold and warm CLI runs, grimp cold and cached, and `impact` calls to a
/// running `vantage mcp` after an edit, on copies of Django and the mono
/// corpus.
fn warm(dir: &Path, corpus: &Path, rounds: usize, selected: &dyn Fn(&str) -> bool) {
    let vantage = PathBuf::from(env!("CARGO_BIN_EXE_vantage"));
    let python = dir.join("peers/venv/bin/python");
    // (name, corpus folder copied, analysed folder within it, file edited
    // and file asked about within that, comment syntax.) Django: the
    // package alone, the files grimp builds its graph of.
    // Last, the definition `callers` is asked about (in the edited file).
    let cases = [
        (
            "django",
            "python/django",
            "django",
            "utils/text.py",
            "db/models/base.py",
            "#",
            "django.utils.text.get_text_list",
        ),
        (
            "mono",
            "mono",
            "",
            "services/ts-rxjs/src/internal/util/noop.ts",
            "services/ts-rxjs/src/internal/util/noop.ts",
            "//",
            "services/ts-rxjs/src/internal/util/noop.ts#noop",
        ),
    ];
    for (name, folder, sub, edited, target, comment, symbol) in cases {
        let from = corpus.join(folder);
        if !selected(name) || !from.is_dir() {
            continue;
        }
        let Some(mut scratch) = Scratch::new(&from, &Path::new(sub).join(edited).to_string_lossy())
        else {
            println!("{name}: could not copy {}", from.display());
            continue;
        };
        // grimp imports from the copy; vantage reads the package.
        let python_path = scratch.root.clone();
        scratch.root = scratch.root.join(sub);
        let scratch = std::sync::Arc::new(scratch);
        let cache = scratch.root.join(".vantage/cache");
        let impact = |extra: &'static [&'static str]| {
            let (vantage, scratch) = (vantage.clone(), scratch.clone());
            move || {
                let mut c = Command::new(&vantage);
                c.args(["impact", "--format", "json", "--file", target])
                    .args(extra)
                    .arg(&scratch.root);
                c
            }
        };
        let cold = impact(&["--no-cache"]);
        let warm_run = impact(&[]);
        let edit_then_warm = {
            let scratch = scratch.clone();
            move || {
                touch(&scratch.edited, &scratch.original, comment);
                warm_run()
            }
        };
        // The cache holds the tree before the first warm round.
        let _ = measure(&mut impact(&[])());
        let mut contenders = vec![
            Contender {
                label: "vantage impact, cold (--no-cache)".into(),
                command: Box::new(cold),
                inner: None,
            },
            Contender {
                label: "vantage impact, warm, 1 file edited".into(),
                command: Box::new(edit_then_warm),
                inner: None,
            },
        ];
        if name == "django" && python.exists() {
            let grimp = |cached: bool| {
                let (python, scratch, python_path) =
                    (python.clone(), scratch.clone(), python_path.clone());
                let cache_dir = python_path.join(".grimp_cache");
                move || {
                    if cached {
                        touch(&scratch.edited, &scratch.original, comment);
                    }
                    let script = format!(
                        "import sys,time\nsys.path.insert(0, sys.argv[1])\nimport grimp\nt=time.perf_counter()\ngrimp.build_graph('django', cache_dir={})\nprint(time.perf_counter()-t)\n",
                        if cached { "sys.argv[2]" } else { "None" }
                    );
                    let mut c = Command::new(&python);
                    c.arg("-c").arg(script).arg(&python_path).arg(&cache_dir);
                    c
                }
            };
            let _ = measure(&mut grimp(true)());
            for (cached, label) in [
                (false, "grimp.build_graph, cold"),
                (true, "grimp.build_graph, cached, 1 file edited"),
            ] {
                contenders.push(Contender {
                    label: label.into(),
                    command: Box::new(grimp(cached)),
                    inner: Some(|out| out.trim().parse::<f64>().ok().map(Duration::from_secs_f64)),
                });
            }
        }
        race(
            &format!("{name} ({folder}), --file {target}"),
            &contenders,
            rounds,
        );
        let _ = std::fs::remove_dir_all(&cache);
        mcp_latency(
            &vantage,
            &scratch.root,
            &scratch.edited,
            &scratch.original,
            comment,
            (target, symbol),
            rounds,
        );
        let _ = std::fs::write(&scratch.edited, &scratch.original);
    }
}

/// One `vantage mcp` process: the first `impact` call (the analysis built
/// in the background), calls with nothing changed, and calls right after
/// an edit. Median of each.
fn mcp_latency(
    vantage: &Path,
    root: &Path,
    edited: &Path,
    original: &str,
    comment: &str,
    (target, symbol): (&str, &str),
    rounds: usize,
) {
    use std::io::{BufRead, BufReader, Write};
    let Ok(mut child) = Command::new(vantage)
        .arg("mcp")
        .arg(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        println!("  vantage mcp did not start");
        return;
    };
    let mut stdin = child.stdin.take().expect("piped");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut id = 0;
    let mut call = |method: &str, params: &str| -> (Duration, String) {
        id += 1;
        let clock = Instant::now();
        writeln!(
            stdin,
            r#"{{"jsonrpc":"2.0","id":{id},"method":"{method}","params":{params}}}"#
        )
        .expect("the server reads");
        stdin.flush().expect("the server reads");
        let mut line = String::new();
        stdout.read_line(&mut line).expect("the server answers");
        (clock.elapsed(), line)
    };
    call(
        "initialize",
        r#"{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"0"}}"#,
    );
    let question = format!(r#"{{"name":"impact","arguments":{{"file":"{target}","limit":20}}}}"#);
    let (first, reply) = call("tools/call", &question);
    if !reply.contains(r#""isError":false"#) {
        println!("  mcp impact failed: {}", &reply[..reply.len().min(300)]);
        return;
    }
    let callers = format!(r#"{{"name":"callers","arguments":{{"symbol":"{symbol}","limit":20}}}}"#);
    let (mut quiet, mut edited_calls, mut callers_calls) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds.max(5) * 2 {
        quiet.push(call("tools/call", &question).0);
        touch(edited, original, comment);
        let (took, reply) = call("tools/call", &question);
        assert!(
            reply.contains(r#""reparsed""#),
            "the edit was not seen: {reply}"
        );
        edited_calls.push(took);
        touch(edited, original, comment);
        let (took, reply) = call("tools/call", &callers);
        assert!(
            reply.contains(r#""isError":false"#) && reply.contains(r#""reparsed""#),
            "callers after the edit: {}",
            &reply[..reply.len().min(300)]
        );
        callers_calls.push(took);
    }
    // Linux: the server's peak resident memory.
    let peak = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|status| {
            let line = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))?
                .to_string();
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or_else(String::new, |kb| format!(", {:.0} MB peak", kb / 1024.0));
    println!(
        "  vantage mcp impact: first call {:.0} ms (cold cache), unchanged tree {:.1} ms, after a one-file edit {:.1} ms (median of {}){peak}",
        ms(first),
        ms(median(quiet)),
        ms(median(edited_calls.clone())),
        edited_calls.len()
    );
    println!(
        "  vantage mcp callers {symbol}: after a one-file edit {:.1} ms (median of {})",
        ms(median(callers_calls.clone())),
        callers_calls.len()
    );
    drop(stdin);
    let _ = child.wait();
}
