//! Fuzzing on stable Rust: mutation-based, no nightly toolchain. Each target
//! takes inputs grown from real seeds (every fixture file of its kind) by
//! random edits that matter to parsers: bytes flipped, inserted and cut;
//! language tokens (brackets, quotes, heredocs, raw strings, `?>`, f-strings,
//! template literals) dropped in; ranges repeated into deep nesting;
//! splices of two seeds; non-UTF-8 bytes. A target passes when no input
//! panics and none runs past the per-input limit.
//!
//! `cargo test` runs a fixed, seeded number of inputs per target, then
//! every input saved under tests/fuzz/<target>/ (each one a crash found
//! once, kept as a regression test). `bench/fuzz.sh` runs each target for a
//! set time instead (`VANTAGE_FUZZ_SECONDS`, `VANTAGE_FUZZ_SEED`); a crash is
//! saved to target/fuzz/crashes/<target>/ and the run fails naming it, a
//! hang aborts the run with the input left in target/fuzz/current.
//!
//! Targets: `facts` (every language's fact extraction with imports only,
//! whole, tokens only and symbols: the import scans, the queries, the
//! token lexers and the symbol reader), `project` (a repository of one
//! file per language and every manifest vantage reads, mutated together,
//! through the whole pipeline: resolvers, symbol graph, clones, cycles,
//! coupling and every check rule), `config` (vantage.toml), `baseline`
//! (baseline files) and `mcp` (JSON-RPC lines into a running server).

mod common;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use vantage::lang::{Extraction, Language};

/// One input may take this long before the run counts it as a hang
/// (debug builds, a loaded machine: far above any honest input).
const HANG: Duration = Duration::from_secs(60);

/// Inputs per target in a plain `cargo test` (seeded: the same inputs on
/// every run).
fn quick_runs(target: &str) -> usize {
    match target {
        "facts" => 400,
        "project" => 25,
        "mcp" => 120,
        _ => 1500,
    }
}

/// Either a count of inputs or a time per target.
enum Budget {
    Runs(usize),
    Time(Duration),
}

fn budget(target: &str) -> Budget {
    match std::env::var("VANTAGE_FUZZ_SECONDS") {
        Ok(seconds) => Budget::Time(Duration::from_secs_f64(
            seconds.parse().expect("VANTAGE_FUZZ_SECONDS is a number"),
        )),
        Err(_) => Budget::Runs(quick_runs(target)),
    }
}

fn seed() -> u64 {
    std::env::var("VANTAGE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed)
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under fixtures/ whose name `keep` accepts, sorted.
fn fixture_files(keep: &dyn Fn(&str) -> bool) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![manifest_dir().join("fixtures")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let name = path.to_string_lossy().into_owned();
                if keep(&name)
                    && let Ok(bytes) = std::fs::read(&path)
                    && bytes.len() < 64 * 1024
                {
                    out.push((name, bytes));
                }
            }
        }
    }
    out.sort();
    out
}

/// What parsers trip on, for every language at once.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    "\"",
    "'",
    "`",
    "${",
    "#{",
    "/*",
    "*/",
    "//",
    "#",
    "\\",
    "\n",
    "\r\n",
    "\t",
    "    ",
    ";",
    ",",
    ":",
    "::",
    "=>",
    "->",
    "?",
    "@",
    "&",
    "|",
    "=",
    "/",
    "/=/",
    "<?php",
    "?>",
    "<?=",
    "<<<EOT\n",
    "\nEOT;\n",
    "<<<'N'\n",
    "r#\"",
    "\"#",
    "br\"",
    "b'",
    "'a",
    "'static",
    "f\"",
    "f'{",
    "rb'",
    "\"\"\"",
    "'''",
    "{{",
    "}}",
    "import ",
    "from ",
    "import * as ns from ",
    "export * from ",
    "export default ",
    "require(",
    "import(",
    "use ",
    "use super::",
    "mod ",
    "pub(crate) ",
    "macro_rules! m { () => {} }",
    "include!(",
    "class ",
    "def ",
    "async ",
    "await ",
    "lambda ",
    "yield ",
    "fn ",
    "impl ",
    "trait ",
    "struct ",
    "function ",
    "=> {",
    "namespace ",
    "new ",
    "self.",
    "this.",
    "$this->",
    "Self::",
    "super()",
    "__getattr__",
    "__all__ = [",
    "if TYPE_CHECKING:",
    "#[cfg(test)]",
    "#[path = \"x.rs\"]",
    "@decorator\n",
    "<div>",
    "</div>",
    "<>",
    "</>",
    "\u{feff}",
    "\u{2028}",
    "é",
    "\u{0}",
];

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

/// One to four edits of `input`; `others` for splices.
fn mutate(rng: &mut fastrand::Rng, input: &[u8], others: &[&[u8]]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.usize(1..=4) {
        let len = out.len();
        let at = rng.usize(..=len);
        match rng.u8(..10) {
            0 if len > 0 => {
                let i = rng.usize(..len);
                out[i] ^= 1 << rng.u8(..8);
            }
            1 => out.insert(at, rng.u8(..)),
            2 if len > 0 => {
                let end = (at + rng.usize(1..=32)).min(len);
                out.drain(at..end);
            }
            3 | 4 => {
                let token = pick(rng, TOKENS).as_bytes().to_vec();
                out.splice(at..at, token);
            }
            5 if len > 0 => {
                // A range repeated: deep nesting, long lines, many items.
                let start = rng.usize(..len);
                let end = (start + rng.usize(1..=16)).min(len);
                let piece = out[start..end].to_vec();
                let times = if rng.bool() {
                    rng.usize(2..50)
                } else {
                    rng.usize(500..20_000)
                };
                let repeated: Vec<u8> = piece.repeat(times);
                out.splice(end..end, repeated);
            }
            6 if !others.is_empty() => {
                let other = pick(rng, others);
                let from = rng.usize(..=other.len());
                let to = (from + rng.usize(..=256)).min(other.len());
                out.splice(at..at, other[from..to].iter().copied());
            }
            7 => out.truncate(at),
            8 => {
                const BAD: [&[u8]; 5] = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\0", b"\r"];
                let bad: &[u8] = pick::<&[u8]>(rng, &BAD);
                out.splice(at..at, bad.iter().copied());
            }
            _ => {
                // Nesting of brackets of one kind, unclosed or closed.
                let (open, close) = *pick(rng, &[("(", ")"), ("[", "]"), ("{", "}"), ("<", ">")]);
                let depth = rng.usize(1..3000);
                let mut nest = open.repeat(depth);
                if rng.bool() {
                    nest.push_str(&close.repeat(depth));
                }
                out.splice(at..at, nest.into_bytes());
            }
        }
    }
    out
}

/// The input being run, and since when (for the watchdog).
struct Current {
    target: &'static str,
    input: Vec<u8>,
}

static STARTED: AtomicU64 = AtomicU64::new(0);
static CURRENT: OnceLock<Mutex<Option<Current>>> = OnceLock::new();

fn epoch() -> &'static Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now)
}

fn fuzz_dir() -> PathBuf {
    manifest_dir().join("target").join("fuzz")
}

/// Aborts the process when one input runs past [`HANG`], leaving it in
/// target/fuzz/current (a hang cannot be caught like a panic).
fn watchdog() {
    static STARTED_DOG: OnceLock<()> = OnceLock::new();
    STARTED_DOG.get_or_init(|| {
        std::thread::spawn(|| {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let started = STARTED.load(Ordering::Relaxed);
                if started == 0 {
                    continue;
                }
                let now = epoch().elapsed().as_millis() as u64;
                if now.saturating_sub(started) > HANG.as_millis() as u64 {
                    if let Some(current) = CURRENT.get().and_then(|c| c.lock().ok()?.take()) {
                        let path = fuzz_dir().join("current");
                        let _ = std::fs::create_dir_all(fuzz_dir());
                        let _ = std::fs::write(&path, &current.input);
                        eprintln!(
                            "fuzz: target {} ran one input for over {HANG:?}: a hang; the input is in {}",
                            current.target,
                            path.display()
                        );
                    }
                    std::process::abort();
                }
            }
        });
    });
}

/// Runs `target` on `input`, with the watchdog told; a panic is returned.
fn run_one(name: &'static str, input: &[u8], target: &dyn Fn(&[u8])) -> Option<String> {
    let current = CURRENT.get_or_init(|| Mutex::new(None));
    *current.lock().unwrap() = Some(Current {
        target: name,
        input: input.to_vec(),
    });
    STARTED.store(
        epoch().elapsed().as_millis().max(1) as u64,
        Ordering::Relaxed,
    );
    let result = catch_unwind(AssertUnwindSafe(|| target(input)));
    STARTED.store(0, Ordering::Relaxed);
    *current.lock().unwrap() = None;
    result.err().map(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".to_string())
    })
}

/// The saved regression inputs of a target: tests/fuzz/<target>/*.
fn regressions(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = manifest_dir().join("tests").join("fuzz").join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs a target over its regressions, then over mutated seeds within the
/// budget; fails listing every crashing input (saved for replay).
fn fuzz(name: &'static str, seeds: &[Vec<u8>], target: &dyn Fn(&[u8])) {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    watchdog();
    let mut crashes: Vec<String> = Vec::new();
    for (file, input) in regressions(name) {
        if let Some(message) = run_one(name, &input, target) {
            crashes.push(format!("tests/fuzz/{name}/{file}: {message}"));
        }
    }
    let mut rng = fastrand::Rng::with_seed(seed() ^ fxhash(name.as_bytes()));
    let others: Vec<&[u8]> = seeds.iter().map(Vec::as_slice).collect();
    let started = Instant::now();
    let mut executions = 0usize;
    let mut largest = 0usize;
    let mut slowest = (Duration::ZERO, 0usize);
    loop {
        match budget(name) {
            Budget::Runs(n) if executions >= n => break,
            Budget::Time(t) if started.elapsed() >= t => break,
            _ => {}
        }
        // Seeds as they are first, then mutants (of mutants, a third of the
        // time: edits pile up).
        let input = if executions < seeds.len() {
            seeds[executions].clone()
        } else {
            let base = pick(&mut rng, seeds);
            let once = mutate(&mut rng, base, &others);
            if rng.u8(..3) == 0 {
                mutate(&mut rng, &once, &others)
            } else {
                once
            }
        };
        largest = largest.max(input.len());
        executions += 1;
        let began = Instant::now();
        let crashed = run_one(name, &input, target);
        let took = began.elapsed();
        if took > slowest.0 {
            slowest = (took, input.len());
            // Kept for a look: the slowest input of the last run.
            let _ = std::fs::create_dir_all(fuzz_dir().join("slowest"));
            let _ = std::fs::write(fuzz_dir().join("slowest").join(name), &input);
        }
        if let Some(message) = crashed {
            let dir = fuzz_dir().join("crashes").join(name);
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{:016x}", fxhash(&input)));
            std::fs::write(&path, &input).unwrap();
            crashes.push(format!("{}: {message}", path.display()));
        }
    }
    let elapsed = started.elapsed();
    println!(
        "fuzz {name}: {executions} inputs in {:.1} s ({:.0}/s), largest {} bytes, slowest {:.0} ms ({} bytes), {} crashes, seed {}",
        elapsed.as_secs_f64(),
        executions as f64 / elapsed.as_secs_f64().max(1e-9),
        largest,
        slowest.0.as_secs_f64() * 1e3,
        slowest.1,
        crashes.len(),
        seed()
    );
    assert!(
        crashes.is_empty(),
        "{name}: {} crashing inputs:\n{}",
        crashes.len(),
        crashes.join("\n")
    );
}

/// FNV-1a: names saved crashes by their bytes, the same on every machine.
fn fxhash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

#[test]
fn facts() {
    // The language rides in the input's first byte, so that a saved crash
    // replays alone.
    let seeds: Vec<Vec<u8>> = fixture_files(&|name| Language::from_path(name).is_some())
        .into_iter()
        .map(|(name, bytes)| {
            let language = Language::from_path(&name).unwrap();
            let index = Language::ALL.iter().position(|l| *l == language).unwrap() as u8;
            let mut input = vec![index];
            input.extend(bytes);
            input
        })
        .collect();
    // Inputs that make tree-sitter slow are expected (deep, unclosed
    // nesting); the product's limit stops them, set low here so that one
    // costs 2 s of the budget, not 10.
    vantage::lang::set_parse_timeout(Duration::from_secs(2));
    fuzz("facts", &seeds, &|input| {
        let Some((&first, source)) = input.split_first() else {
            return;
        };
        let language = Language::ALL[usize::from(first) % Language::COUNT];
        for extraction in [
            Extraction::ImportsOnly,
            Extraction::Full,
            Extraction::Tokens,
            Extraction::SymbolsWithTokens,
        ] {
            let _ = vantage::lang::extract_with(language, source, extraction);
        }
    });
}

/// The files of the `project` target, in input order: one source file per
/// language and every manifest the resolvers read.
const PROJECT_FILES: &[&str] = &[
    "app/main.py",
    "app/models.py",
    "web/src/index.ts",
    "web/src/view.tsx",
    "web/lib/util.js",
    "api/src/Http/Controller.php",
    "core/src/lib.rs",
    "core/src/store.rs",
    "pyproject.toml",
    "web/package.json",
    "web/tsconfig.json",
    "api/composer.json",
    "core/Cargo.toml",
    "Cargo.toml",
    "package.json",
];

/// The seed project: files that import each other across the languages'
/// own resolution rules.
fn project_seed() -> BTreeMap<&'static str, Vec<u8>> {
    let texts: [(&str, &str); 15] = [
        (
            "app/main.py",
            "from app.models import User, _helper\nimport app.models as m\n\ndef run():\n    u = User()\n    return m.User.save(u), _helper()\n",
        ),
        (
            "app/models.py",
            "class Base:\n    def save(self):\n        return self\n\nclass User(Base):\n    pass\n\ndef _helper():\n    return User().save()\n",
        ),
        (
            "web/src/index.ts",
            "import { View } from './view';\nimport * as util from '@lib/util';\nexport * from './view';\nexport class App { run(): View { return new View(util.id(1)); } }\n",
        ),
        (
            "web/src/view.tsx",
            "import util from '../lib/util';\nexport class View { constructor(public n: number) {} render() { return <div>{util.id(this.n)}</div>; } }\n",
        ),
        (
            "web/lib/util.js",
            "const path = require('path');\nexports.id = (x) => x;\nmodule.exports.default = { id: exports.id };\n",
        ),
        (
            "api/src/Http/Controller.php",
            "<?php\nnamespace Api\\Http;\n\nuse Api\\Domain\\{User, Order};\n\nclass Controller extends Base\n{\n    public function show(): User\n    {\n        return (new User())->load($this->id);\n    }\n}\n",
        ),
        (
            "core/src/lib.rs",
            "pub mod store;\npub use store::Store;\n\npub fn run() -> Store {\n    let s = Store::new();\n    s.flush();\n    s\n}\n",
        ),
        (
            "core/src/store.rs",
            "pub struct Store;\nimpl Store {\n    pub fn new() -> Self { Store }\n    pub(crate) fn flush(&self) {}\n}\n#[cfg(test)]\nmod tests { use super::*; #[test] fn t() { Store::new().flush(); } }\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"app\"\n\n[tool.setuptools.package-dir]\napp = \"app\"\n",
        ),
        (
            "web/package.json",
            "{\"name\": \"web\", \"exports\": {\".\": \"./src/index.ts\", \"./util\": {\"import\": \"./lib/util.js\"}}, \"imports\": {\"#v\": \"./src/view.tsx\"}, \"dependencies\": {\"react\": \"1\"}}\n",
        ),
        (
            "web/tsconfig.json",
            "{\n  // comments are allowed\n  \"extends\": \"./tsconfig.base.json\",\n  \"compilerOptions\": {\"baseUrl\": \".\", \"paths\": {\"@lib/*\": [\"lib/*\"]}, \"jsx\": \"react-jsx\"},\n}\n",
        ),
        (
            "api/composer.json",
            "{\"name\": \"acme/api\", \"autoload\": {\"psr-4\": {\"Api\\\\\": \"src/\", \"\": \"lib/\"}, \"files\": [\"src/helpers.php\"]}}\n",
        ),
        (
            "core/Cargo.toml",
            "[package]\nname = \"core\"\nedition = \"2021\"\n\n[lib]\npath = \"src/lib.rs\"\n\n[dependencies]\nserde = \"1\"\n",
        ),
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"core\", \"crates/*\"]\n",
        ),
        (
            "package.json",
            "{\"private\": true, \"workspaces\": [\"web\", \"packages/*\"]}\n",
        ),
    ];
    texts
        .into_iter()
        .map(|(path, text)| (path, text.as_bytes().to_vec()))
        .collect()
}

/// A project as one input: a byte naming the file each edit went to would
/// not survive splices, so the files are joined by a separator that the
/// mutator's tokens never hold.
const SEPARATOR: &[u8] = b"\n\x01\x02FILE\x02\x01\n";

fn join_project(files: &BTreeMap<&str, Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    for path in PROJECT_FILES {
        out.extend(&files[path]);
        out.extend(SEPARATOR);
    }
    out
}

fn split_project(input: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut rest = input;
    while let Some(at) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        parts.push(rest[..at].to_vec());
        rest = &rest[at + SEPARATOR.len()..];
    }
    parts.push(rest.to_vec());
    PROJECT_FILES
        .iter()
        .zip(parts)
        .map(|(path, bytes)| (*path, bytes))
        .collect()
}

#[test]
fn project() {
    // Seeds: the project, and the project with each file swapped for a
    // fixture of its kind.
    let base = project_seed();
    let mut seeds = vec![join_project(&base)];
    let manifests = fixture_files(&|name| {
        [
            "package.json",
            "tsconfig.json",
            "composer.json",
            "Cargo.toml",
            "pyproject.toml",
        ]
        .iter()
        .any(|m| name.ends_with(m))
    });
    for (name, bytes) in &manifests {
        let file = name.rsplit('/').next().unwrap();
        for path in PROJECT_FILES.iter().filter(|p| p.ends_with(file)) {
            let mut files = base.clone();
            files.insert(path, bytes.clone());
            seeds.push(join_project(&files));
        }
    }
    let rules = "[modules]\napp = \"app\"\nweb = \"web\"\napi = \"api\"\ncore = \"core\"\n\n[check]\nmax_duplication = 1.0\nmax_module_duplication = 1.0\nmax_clone_lines = 2\nmodule_cycles = \"forbid\"\nmax_cycle_files = 1\nmax_instability = 0.1\nmax_distance = 0.1\ndistance_min_files = 1\ndangling_imports = \"forbid\"\n\n[[forbid]]\nfrom = \"*\"\nto = \"*\"\nprivate = true\n\n[[layers]]\nlayers = [\"app\", \"web\", [\"api\", \"core\"]]\n\n[[independent]]\nmodules = [\"api\", \"core\"]\n\n[dupes]\nmin_tokens = 10\n";
    let work = tempfile::tempdir().unwrap();
    let counter = AtomicU64::new(0);
    fuzz("project", &seeds, &|input| {
        let root = work
            .path()
            .join(counter.fetch_add(1, Ordering::Relaxed).to_string());
        for (path, bytes) in split_project(input) {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        std::fs::write(root.join("vantage.toml"), rules).unwrap();
        analyse_everything(&root);
        std::fs::remove_dir_all(&root).unwrap();
    });
}

/// The whole pipeline and every analysis over it.
fn analyse_everything(root: &Path) {
    use vantage::analysis::measures::Measures;
    use vantage::analysis::rules::{self, RuleSet};
    let options = vantage::pipeline::Options {
        extraction: Extraction::SymbolsWithTokens,
        threads: Some(1),
        ..vantage::pipeline::Options::default()
    };
    let Ok(analysis) = vantage::pipeline::analyze(root, &options) else {
        return;
    };
    let measures = Measures::new(&analysis);
    let _ = measures.module_cycles().len() + measures.file_cycles().len();
    let _ = measures.coupling().modules.len();
    let _ = measures.clones().classes.len();
    let rule_set = RuleSet::check(&analysis.config);
    let project = &analysis.project;
    let sources =
        |file: usize| std::fs::read_to_string(project.root().join(project.path(file))).ok();
    let _ = rules::evaluate(&measures, &rule_set, &sources);
    // Every report of the run, written to nowhere.
    let mut sink = std::io::sink();
    let _ = vantage::report::json::write_graph(
        &mut sink,
        &vantage::report::GraphView::new(&analysis, vantage::report::Level::File),
    );
    let _ = vantage::report::symbols::write_symbol_graph_json(&mut sink, &analysis);
    let _ = vantage::report::symbols::write_symbol_graph_text(&mut sink, &analysis);
}

#[test]
fn config() {
    let mut seeds: Vec<Vec<u8>> = fixture_files(&|name| name.ends_with("vantage.toml"))
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect();
    // The documented examples, every key.
    let docs = std::fs::read_to_string(manifest_dir().join("docs/configuration.md")).unwrap();
    for block in docs.split("```toml\n").skip(1) {
        seeds.push(block.split("```").next().unwrap().as_bytes().to_vec());
    }
    let modules: Vec<String> = ["api", "domain", "infra", "plugins/a", "(root)"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    fuzz("config", &seeds, &|input| {
        let Ok(text) = std::str::from_utf8(input) else {
            return;
        };
        if let Ok(config) = vantage::config::Config::parse(text, None) {
            let _ = config.check_module_names(&modules);
            let _ = vantage::analysis::rules::RuleSet::check(&config).rules(&config);
        }
    });
}

#[test]
fn baseline() {
    let known = r#"{"schema_version": 1, "tool": "vantage 0.1.0", "violations": [{"rule": "cycle.module", "fingerprint": "0123456789abcdef", "message": "modules a, b import each other", "location": "a.py:1", "members": ["a", "b"]}, {"rule": "duplication.total", "fingerprint": "x", "value": 3.5}]}"#;
    let seeds = vec![
        known.as_bytes().to_vec(),
        br#"{"schema_version": 1, "tool": "t", "violations": []}"#.to_vec(),
    ];
    fuzz("baseline", &seeds, &|input| {
        if let Ok(text) = std::str::from_utf8(input) {
            let _ = vantage::analysis::baseline::parse(text);
        }
    });
}

#[test]
fn mcp() {
    use serde_json::{Value, json};
    let repo = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("symbols/python"), repo.path());
    let options = vantage::pipeline::Options {
        threads: Some(1),
        progress: false,
        ..vantage::pipeline::Options::default()
    };
    let server = vantage::mcp::Server::start(
        repo.path().to_path_buf(),
        Some(repo.path().join("flags.db")),
        options,
        false,
    )
    .unwrap();
    let server = Arc::new(Mutex::new(server));
    let call = |tool: &str, arguments: Value| json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": tool, "arguments": arguments}});
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "ping"}),
        json!([{"jsonrpc": "2.0", "id": 4, "method": "ping"}, {"jsonrpc": "2.0", "method": "x"}]),
        call(
            "impact",
            json!({"file": "shop/orders.py", "level": "symbol", "limit": 3}),
        ),
        call("impact", json!({"symbol": "Order.total", "depth": 2})),
        call("callers", json!({"symbol": "Order", "depth": 3})),
        call("callees", json!({"symbol": "checkout"})),
        call("tests_for", json!({"file": "shop/orders.py"})),
        call("dependencies", json!({"file": "shop/orders.py"})),
        call("dependents", json!({"module": "shop"})),
        call("cycles", json!({"level": "module"})),
        call("coupling", json!({"module": "shop"})),
        call("duplicates", json!({"min_tokens": 10, "limit": 2})),
        call("check", json!({})),
        call("flags_list", json!({"agent": "@acolyte.shop"})),
        call("flags_complete", json!({"id": 1, "note": "done"})),
    ];
    let seeds: Vec<Vec<u8>> = messages
        .iter()
        .map(|m| serde_json::to_vec(m).unwrap())
        .collect();
    fuzz("mcp", &seeds, &|input| {
        // A JSON-aware edit half the time: a value swapped for a hostile
        // one, which byte edits seldom reach through the syntax.
        // Byte edits mostly break the JSON, which tests only the first
        // gate; so an input that is not JSON is, half the time, taken as
        // the choice of a seed message with one value swapped instead.
        let mut rng = fastrand::Rng::with_seed(fxhash(input));
        let edited = match serde_json::from_slice::<Value>(input) {
            Ok(value) => rng.bool().then_some(value),
            Err(_) => rng.bool().then(|| pick(&mut rng, &messages).clone()),
        };
        let line = match edited {
            Some(mut value) => {
                swap_a_value(&mut rng, &mut value);
                serde_json::to_vec(&value).unwrap()
            }
            None => input.to_vec(),
        };
        let _ = server.lock().unwrap().handle_line(&line);
    });
}

fn swap_a_value(rng: &mut fastrand::Rng, value: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let hostile = [
        Value::Null,
        json!(-1),
        json!(0),
        json!(u64::MAX),
        json!(1e308),
        json!(""),
        json!("../../../../etc/passwd"),
        json!("/"),
        json!("a\nb\0c"),
        json!("x".repeat(100_000)),
        json!([]),
        json!({}),
        json!(true),
        json!("*"),
        json!("HEAD~100000"),
        json!("--output=/tmp/x"),
    ];
    fn count(value: &Value) -> usize {
        1 + match value {
            Value::Array(items) => items.iter().map(count).sum(),
            Value::Object(map) => map.values().map(count).sum(),
            _ => 0,
        }
    }
    fn nth<'a>(value: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
        if *n == 0 {
            return Some(value);
        }
        *n -= 1;
        match value {
            Value::Array(items) => items.iter_mut().find_map(|v| nth(v, n)),
            Value::Object(map) => map.values_mut().find_map(|v| nth(v, n)),
            _ => None,
        }
    }
    let mut n = rng.usize(..count(value));
    if let Some(slot) = nth(value, &mut n) {
        *slot = pick(rng, &hostile).clone();
    }
}
