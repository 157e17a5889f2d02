//! The pipeline, end to end: discover → parse → resolve → graph → modules.
//!
//! Runs inside its own rayon pool so that `--threads` holds; every stage
//! collects results in input order, which is why output does not depend on
//! the thread count.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::Error;
use crate::cache::{CacheOptions, FactsCache, Fresh, content_hash};
use crate::config::Config;
use crate::discover::{Candidate, DiscoverOptions, Discovery, SkipReason, Skipped, discover};
use crate::facts::FileFacts;
use crate::graph::{self, FileGraph, ModuleGraph};
use crate::lang;
use crate::modules::{self, ModuleMap};
use crate::project::{ProjectFiles, SourceFile};
use crate::resolve::{Resolution, Resolvers};
use crate::symbols::SymbolGraph;

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub discover: DiscoverOptions,
    /// Worker threads; `None` uses one per core.
    pub threads: Option<usize>,
    /// `--config`; else `<root>/vantage.toml` when present.
    pub config: Option<PathBuf>,
    /// What the parse stage reads of each file.
    pub extraction: lang::Extraction,
    /// Source files a change deleted: graph nodes without facts, so that
    /// imports still naming them resolve, and show who they break.
    pub deleted: Vec<String>,
    /// The facts cache; `None` parses every file (library default, and
    /// `--no-cache`). `[cache]` in vantage.toml can still turn it off.
    pub cache: Option<CacheRequest>,
    /// Progress bars on a terminal for a run longer than a second.
    pub progress: bool,
}

/// The cache as the command line asks for it.
#[derive(Clone, Debug, Default)]
pub struct CacheRequest {
    /// `--cache-dir`; else `[cache] dir`; else `<root>/.vantage/cache`.
    pub dir: Option<PathBuf>,
}

impl Options {
    /// Where the cache lives for this root and configuration, if anywhere.
    pub fn cache_options(&self, root: &Path, config: &Config) -> Option<CacheOptions> {
        let request = self.cache.as_ref()?;
        if !config.cache.enabled {
            return None;
        }
        let dir = match (&request.dir, &config.cache.dir) {
            (Some(dir), _) => dir.clone(),
            (None, Some(dir)) => root.join(dir),
            (None, None) => root.join(".vantage").join("cache"),
        };
        Some(CacheOptions {
            dir,
            max_bytes: config.cache.max_mb.saturating_mul(1024 * 1024),
        })
    }
}

/// Everything one run knows about a repository.
pub struct Analysis {
    pub project: ProjectFiles,
    pub config: Config,
    /// By `FileId`.
    pub facts: Vec<FileFacts>,
    /// By `FileId`, then by import index.
    pub resolutions: Vec<Vec<Resolution>>,
    /// Files passed over, with the reason; sorted by path.
    pub skipped: Vec<Skipped>,
    /// Folders the default excludes left out.
    pub excluded_dirs: Vec<String>,
    /// The exclude globs the run applied (`--exclude` and vantage.toml).
    pub excludes: Vec<String>,
    pub modules: ModuleMap,
    pub file_graph: FileGraph,
    pub module_graph: ModuleGraph,
    /// Definitions and their uses, when the extraction read symbols
    /// (empty otherwise).
    pub symbols: SymbolGraph,
    /// HTTP endpoints, read with the symbol graph (empty without it).
    pub routes: crate::routes::Routes,
    /// ORM models, read with the symbol graph (empty without it).
    pub models: crate::models::Models,
    /// Wall time of each stage, in pipeline order (for `--stats`).
    pub timings: Vec<(&'static str, Duration)>,
}

impl Analysis {
    /// First and last line of a clone's or unit's tokens, 1-based.
    pub fn lines_of(&self, fragment: &crate::analysis::duplicates::Fragment) -> (u32, u32) {
        let stream = self.facts[fragment.file]
            .tokens
            .as_ref()
            .expect("fragments are read from token streams");
        fragment.lines(stream)
    }

    /// Coupling between the modules of this analysis.
    pub fn coupling(&self) -> crate::analysis::coupling::Coupling {
        crate::analysis::coupling::measure(
            &self.project,
            &self.file_graph,
            &self.modules,
            &self.module_graph,
            &self.facts,
        )
    }
}

/// Runs the closure in a pool of `threads` workers (all cores if `None`).
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    job: impl FnOnce() -> T + Send,
) -> Result<T, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().map_err(|err| Error::Threads {
        threads: threads.unwrap_or(0),
        message: err.to_string(),
    })?;
    Ok(pool.install(job))
}

/// Checks the root and loads its configuration, merging config excludes.
pub fn prepare(root: &Path, options: &Options) -> Result<(Config, DiscoverOptions), Error> {
    if !root.is_dir() {
        return Err(Error::Root {
            path: root.to_path_buf(),
            reason: if root.exists() {
                "not a directory".to_string()
            } else {
                "no such directory".to_string()
            },
        });
    }
    let config = Config::load(root, options.config.as_deref())?;
    let mut discover_options = options.discover.clone();
    discover_options
        .excludes
        .extend(config.exclude.iter().cloned());
    Ok((config, discover_options))
}

pub fn analyze(root: &Path, options: &Options) -> Result<Analysis, Error> {
    let (config, discover_options) = prepare(root, options)?;
    with_threads(options.threads, || {
        let start = Instant::now();
        let discovery = discover(root, &discover_options)?;
        let discovered = start.elapsed();
        let cache = options.cache_options(root, &config);
        let mut analysis = build(
            root,
            config,
            discovery,
            Parse {
                extraction: options.extraction,
                cache: cache.as_ref(),
                progress: options.progress,
            },
            (&options.deleted, &discover_options.excludes),
        );
        analysis.timings.insert(0, ("discover", discovered));
        Ok(analysis)
    })?
}

/// How the parse stage runs.
#[derive(Clone, Copy)]
pub struct Parse<'a> {
    pub extraction: lang::Extraction,
    pub cache: Option<&'a CacheOptions>,
    pub progress: bool,
}

/// What reading a candidate gave: its facts, or why it has none, and the
/// content hash and stamp it was read with (for the cache and for a warm
/// session's re-checks).
pub struct Read {
    pub result: Result<FileFacts, SkipReason>,
    pub hash: Option<i64>,
}

/// Reads, hashes and extracts every candidate, in candidate order: the
/// cache's entries for unchanged bytes, a parse for the rest.
pub fn parse_all(
    root: &Path,
    candidates: &[Candidate],
    parse: Parse,
    lap: &mut dyn FnMut(&'static str),
) -> Vec<Read> {
    let cache = parse.cache.and_then(|options| {
        FactsCache::open(options, parse.extraction)
            .map_err(|err| {
                eprintln!(
                    "vantage: running without the facts cache ({}): {err}",
                    options.dir.join("facts.db").display()
                )
            })
            .ok()
    });
    if parse.cache.is_some() {
        lap("cache");
    }
    let entries = cache.as_ref().map(FactsCache::entries);
    let progress =
        crate::progress::Progress::new(parse.progress, candidates.len() as u64, "parsing");
    // First what the cache knows, so that queries are compiled only for
    // the languages of files that need a parse.
    let mut reads: Vec<(Option<Vec<u8>>, Read)> = candidates
        .par_iter()
        .map(|c| match read_source(root, c) {
            Err(reason) => (
                None,
                Read {
                    result: Err(reason),
                    hash: None,
                },
            ),
            Ok(bytes) => {
                let hash = content_hash(&bytes);
                match entries.and_then(|entries| entries.get(&c.path, hash)) {
                    Some(facts) => {
                        progress.inc();
                        (
                            None,
                            Read {
                                result: Ok(facts),
                                hash: Some(hash),
                            },
                        )
                    }
                    None => (
                        Some(bytes),
                        Read {
                            result: Err(SkipReason::ParseFailed),
                            hash: Some(hash),
                        },
                    ),
                }
            }
        })
        .collect();
    lap("read");
    let mut languages: Vec<_> = candidates
        .iter()
        .zip(&reads)
        .filter(|(_, (bytes, _))| bytes.is_some())
        .map(|(c, _)| c.language)
        .collect();
    languages.sort();
    languages.dedup();
    lang::warm_queries(&languages, parse.extraction);
    lap("queries");
    // Largest first, one file per task: a large file started last would
    // leave the other workers idle at the end.
    let mut order: Vec<(usize, usize)> = reads
        .iter()
        .enumerate()
        .filter_map(|(i, (bytes, _))| Some((bytes.as_ref()?.len(), i)))
        .collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    let extracted: Vec<(usize, Result<FileFacts, SkipReason>)> = order
        .par_iter()
        .with_max_len(1)
        .map(|&(_, i)| {
            let bytes = reads[i].0.as_deref().expect("kept for the parse");
            let result = lang::extract_with(candidates[i].language, bytes, parse.extraction)
                .map_err(SkipReason::from);
            progress.inc();
            (i, result)
        })
        .collect();
    for (i, result) in extracted {
        reads[i].0 = None;
        reads[i].1.result = result;
    }
    progress.finish();
    lap("parse");
    let reads: Vec<Read> = reads.into_iter().map(|(_, read)| read).collect();
    if let Some(cache) = cache {
        let mut used = Vec::new();
        let mut fresh = Vec::new();
        for (candidate, read) in candidates.iter().zip(&reads) {
            let (Ok(facts), Some(hash)) = (&read.result, read.hash) else {
                continue;
            };
            if cache.entries().hash(&candidate.path) == Some(hash) {
                used.push(candidate.path.as_str());
            } else if let Some(entry) = Fresh::new(&candidate.path, hash, facts) {
                fresh.push(entry);
            }
        }
        let path = cache.path().to_path_buf();
        if let Err(err) = cache.finish(&used, fresh) {
            // The run's answer stands: the cache only saves the next one work.
            eprintln!(
                "vantage: the facts cache ({}) was not updated: {err}",
                path.display()
            );
        }
        lap("store");
    }
    reads
}

fn build(
    root: &Path,
    config: Config,
    mut discovery: Discovery,
    parse: Parse,
    (deleted, exclude): (&[String], &[String]),
) -> Analysis {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str| {
        timings.push((stage, clock.elapsed()));
        clock = Instant::now();
    };
    let candidates = std::mem::take(&mut discovery.candidates);
    let parsed: Vec<Result<FileFacts, SkipReason>> = parse_all(root, &candidates, parse, &mut lap)
        .into_iter()
        .map(|read| read.result)
        .collect();
    let mut analysis = assemble(
        root,
        config,
        discovery,
        candidates.into_iter().zip(parsed).collect(),
        (deleted, exclude),
    );
    timings.append(&mut analysis.timings);
    analysis.timings = timings;
    analysis
}

/// The analysis of parsed candidates: nodes (with those skipped and those
/// a change deleted), resolution, modules, graphs. `discovery` brings the
/// other files, the skipped ones and the excluded folders.
pub fn assemble(
    root: &Path,
    config: Config,
    discovery: Discovery,
    parsed: Vec<(Candidate, Result<FileFacts, SkipReason>)>,
    (deleted, exclude): (&[String], &[String]),
) -> Analysis {
    let Discovery {
        candidates: _,
        others,
        mut skipped,
        excluded_dirs,
        folders: _,
    } = discovery;
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str| {
        timings.push((stage, clock.elapsed()));
        clock = Instant::now();
    };
    let mut nodes: Vec<(SourceFile, FileFacts)> = Vec::with_capacity(parsed.len());
    for (candidate, result) in parsed {
        match result {
            Ok(file_facts) => nodes.push((
                SourceFile {
                    path: candidate.path,
                    language: candidate.language,
                    skipped: None,
                },
                file_facts,
            )),
            Err(reason) => skipped.push(Skipped {
                path: candidate.path,
                reason,
            }),
        }
    }
    skipped.sort();
    // Skipped source files still exist: keep them as nodes without facts.
    for entry in skipped.iter().filter(|s| s.reason.keeps_node()) {
        if let Some(language) = lang::Language::from_path(&entry.path) {
            let file = SourceFile {
                path: entry.path.clone(),
                language,
                skipped: Some(entry.reason.clone()),
            };
            nodes.push((file, FileFacts::default()));
        }
    }
    // A deleted file whose name a present file now answers to (`util.py`
    // become `util/__init__.py`, `foo.ts` become `foo/index.ts` or
    // `foo.js`) breaks no import: it is left out, as are paths discovery
    // would have left out.
    let stems: std::collections::HashSet<&str> = nodes
        .iter()
        .map(|(file, _)| module_stem(&file.path))
        .collect();
    let mut gone: Vec<(SourceFile, FileFacts)> = Vec::new();
    for path in deleted {
        if let Some(language) = lang::Language::from_path(path)
            && !stems.contains(module_stem(path))
            && !crate::discover::would_exclude(path, &excluded_dirs, exclude)
        {
            let file = SourceFile {
                path: path.clone(),
                language,
                skipped: Some(SkipReason::Deleted),
            };
            gone.push((file, FileFacts::default()));
        }
    }
    nodes.extend(gone);
    nodes.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let (files, facts): (Vec<SourceFile>, Vec<FileFacts>) = nodes.into_iter().unzip();
    lap("files");

    let project = ProjectFiles::new(root.to_path_buf(), files, others);
    let resolvers = Resolvers::new(&project, &config, &facts);
    lap("resolvers");
    let resolutions = resolvers.resolve_all(&project, &facts);
    lap("resolve");
    let modules = modules::detect(&project, &config);
    let file_graph = graph::file_graph(project.files().len(), &facts, &resolutions);
    let module_graph = ModuleGraph::contract(&file_graph, &modules);
    lap("graph");
    let symbols = crate::symbols::build(&project, &facts, &resolutions, &resolvers);
    if !symbols.is_empty() {
        lap("symbols");
    }
    let routes = crate::routes::find(&project, &facts, &symbols, &resolvers);
    if !routes.is_empty() {
        lap("routes");
    }
    let models = crate::models::find(&project, &facts, &symbols, &resolvers);
    if !models.is_empty() {
        lap("models");
    }
    drop(resolvers);
    Analysis {
        project,
        config,
        facts,
        resolutions,
        skipped,
        excluded_dirs,
        excludes: exclude.to_vec(),
        modules,
        file_graph,
        module_graph,
        symbols,
        routes,
        models,
        timings,
    }
}

/// Replaces the facts of files whose bytes changed and re-resolves only
/// their imports, when nothing the resolvers build from the facts of every
/// file (PHP's class index, Rust's module tree, Django's app labels) can
/// differ; the file set must be the same. Gives the facts back otherwise:
/// the caller assembles the analysis again.
pub fn update(
    analysis: &mut Analysis,
    changed: Vec<(usize, FileFacts)>,
) -> Result<(), Vec<(usize, FileFacts)>> {
    let project = &analysis.project;
    let same_inputs = changed.iter().all(|(id, new)| {
        let old = &analysis.facts[*id];
        project.get(*id).skipped.is_none()
            && resolver_inputs_equal(project.get(*id).language, old, new)
    });
    if !same_inputs {
        return Err(changed);
    }
    let ids: Vec<usize> = changed.iter().map(|(id, _)| *id).collect();
    for (id, new) in changed {
        analysis.facts[id] = new;
    }
    let resolvers = Resolvers::new(project, &analysis.config, &analysis.facts);
    for &id in &ids {
        analysis.resolutions[id] = resolvers.resolve_file(project, id, &analysis.facts[id]);
    }
    analysis.symbols = crate::symbols::update(
        std::mem::take(&mut analysis.symbols),
        project,
        &analysis.facts,
        &analysis.resolutions,
        &resolvers,
        &ids,
    );
    analysis.routes = crate::routes::find(project, &analysis.facts, &analysis.symbols, &resolvers);
    analysis.models = crate::models::find(project, &analysis.facts, &analysis.symbols, &resolvers);
    analysis.file_graph = graph::file_graph(
        project.files().len(),
        &analysis.facts,
        &analysis.resolutions,
    );
    analysis.module_graph = ModuleGraph::contract(&analysis.file_graph, &analysis.modules);
    Ok(())
}

/// Whether what the resolvers read of a file's facts when built (not
/// its own imports, which only it resolves) is the same in both.
fn resolver_inputs_equal(language: lang::Language, old: &FileFacts, new: &FileFacts) -> bool {
    use crate::facts::ImportKind;
    use lang::LanguageFamily;
    match language.family() {
        // The TypeScript resolver reads the file tree and manifests only.
        LanguageFamily::TypeScript | LanguageFamily::JavaScript => true,
        LanguageFamily::Php => old.definitions == new.definitions,
        // Django's app labels and user model come from model references.
        LanguageFamily::Python => {
            let refs = |f: &FileFacts| -> Vec<crate::facts::RawImport> {
                f.imports
                    .iter()
                    .filter(|i| i.kind == ImportKind::ModelRef)
                    .cloned()
                    .collect()
            };
            old.definitions == new.definitions && refs(old) == refs(new)
        }
        // The module tree: `mod` items, `pub use`, `#[path]`, definitions.
        LanguageFamily::Rust => {
            old.imports == new.imports
                && old.definitions == new.definitions
                && old.module_files == new.module_files
        }
    }
}

/// The name imports know a file by: its path without the extension, or
/// its folder for a package's `__init__`, `index` or `mod` file.
fn module_stem(path: &str) -> &str {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let base = name.rsplit_once('.').map_or(name, |(base, _)| base);
    if matches!(base, "__init__" | "index" | "mod") {
        dir
    } else {
        &path[..dir.len() + usize::from(!dir.is_empty()) + base.len()]
    }
}

/// How much of a file is checked for NUL bytes (as git and ripgrep do).
const BINARY_SNIFF: usize = 8192;

/// A candidate's bytes: the first few checked for NUL before the rest is
/// read, and never more than its size limit (a binary or a file grown
/// since discovery is not read whole to find out).
pub fn read_source(root: &Path, candidate: &Candidate) -> Result<Vec<u8>, SkipReason> {
    use std::io::Read as _;
    let unreadable = |err: std::io::Error| SkipReason::Unreadable(err.to_string());
    let file = std::fs::File::open(root.join(&candidate.path)).map_err(unreadable)?;
    let expected = file.metadata().map_or(0, |meta| meta.len());
    let limit = candidate.max_size;
    let mut bytes = Vec::with_capacity(expected.min(limit) as usize + 1);
    let mut reader = file.take(limit.saturating_add(1));
    (&mut reader)
        .take(BINARY_SNIFF as u64)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if memchr::memchr(0, &bytes).is_some() {
        return Err(SkipReason::Binary);
    }
    reader.read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(SkipReason::TooLarge {
            size: expected.max(bytes.len() as u64),
            limit,
        });
    }
    Ok(bytes)
}

/// The floor for the benchmark: read and parse every candidate, extract
/// nothing. Returns (files parsed, bytes parsed).
pub fn parse_only(root: &Path, candidates: &[Candidate]) -> (usize, u64) {
    candidates
        .par_iter()
        .filter_map(|c| {
            let bytes = read_source(root, c).ok()?;
            lang::parse_only(c.language, &bytes).then_some((1, bytes.len() as u64))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}
