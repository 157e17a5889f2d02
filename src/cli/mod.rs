//! The command line: clap definitions and one file per subcommand. No
//! analysis happens here; commands call the library and a sink.

mod analyze;
pub(crate) mod callers;
pub(crate) mod check;
mod coupling;
mod cycles;
pub(crate) mod dupes;
mod facts;
mod flags;
mod graph;
pub(crate) mod impact;
mod init;
mod mcp;
mod models;
mod report;
mod resolutions;
mod routes;
pub mod trace;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::Error;
use crate::discover::{DEFAULT_MAX_FILE_SIZE, DiscoverOptions};
use crate::pipeline::Options;

/// Exit codes (documented in README.md).
pub const EXIT_OK: i32 = 0;
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "vantage",
    version,
    about = "Dependency graphs, cycles, coupling and change impact of Python, TypeScript/JavaScript, PHP and Rust backends",
    long_about = None,
    after_help = "Exit codes: 0 success, 1 a gate failed, 2 usage, configuration or input error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Summarise a repository: files per language, modules, edges, imports by
    /// class, unresolved imports, syntax errors and skipped files.
    Analyze(analyze::AnalyzeArgs),
    /// Print the dependency graph of files or modules.
    Graph(graph::GraphArgs),
    /// Find import cycles: strongly connected components with a shortest
    /// witness cycle and the cheapest edges to cut.
    Cycles(cycles::CyclesArgs),
    /// Measure coupling between modules: the matrix, Ca, Ce, instability,
    /// abstractness, distance, the most coupled pairs and
    /// stable-dependencies violations.
    Coupling(coupling::CouplingArgs),
    /// The CI gate: check the rules of vantage.toml (limits on cycles,
    /// coupling and duplication; forbidden, layered and independent
    /// modules), against a baseline or a revision; exit 1 on a new
    /// violation.
    Check(check::CheckArgs),
    /// Write a starting vantage.toml from today's repository: its modules
    /// pinned, limits at today's values, the layering of today's module
    /// graph, and a baseline of today's violations, so that `check` passes
    /// now and fails on the next regression.
    Init(init::InitArgs),
    /// Find copied code: clone classes over normalised tokens, and the
    /// duplicated share of code lines per file, module and in total.
    Dupes(dupes::DupesArgs),
    /// What breaks if a file, a symbol or a module changes, or what a
    /// change since a git revision reaches: dependents with depth and a
    /// "why" chain of import sites, modules, tests, risk.
    Impact(impact::ImpactArgs),
    /// What uses a definition (calls, instantiations, references, bases,
    /// types, fixtures), through the symbol graph; `--depth` for callers
    /// of callers.
    Callers(callers::CallersArgs),
    /// What a definition uses, through the symbol graph.
    Callees(callers::CallersArgs),
    /// Every HTTP endpoint the code registers (Django, Flask, FastAPI,
    /// Express, NestJS, Symfony, Laravel): methods, full path, view, guards, where it is
    /// registered.
    Routes(routes::RoutesArgs),
    /// The request flow of an endpoint (`GET /api/orders/{id}`) or a
    /// definition: what its handler calls, transitively, the database,
    /// HTTP, cache and queue calls on the way, the modules crossed.
    Trace(trace::TraceArgs),
    /// ORM models and their relations (Django, SQLAlchemy, Eloquent,
    /// Doctrine, Diesel): tables, columns, keys, indexes, and the
    /// endpoints whose request flow reaches each; `--format mermaid` for
    /// an entity-relation diagram.
    Models(models::ModelsArgs),
    /// One document about the whole system: a self-contained HTML page
    /// (module graph, matrix, coupling, cycles, clones, impact explorer,
    /// debt, decoupling) or a Markdown summary.
    Report(report::ReportArgs),
    /// A Model Context Protocol server over stdio for coding agents: impact,
    /// callers, tests, endpoints and their traces, dependencies,
    /// dependents, cycles, coupling, duplicates, check and FLAG tools over
    /// one warm analysis that follows edits.
    Mcp(mcp::McpArgs),
    /// List, complete, lock and unlock FLAGs in the agents' store.
    Flags(flags::FlagsArgs),
    /// Print the facts extracted from one file (for debugging queries).
    #[command(hide = true)]
    Facts(facts::FactsArgs),
    /// Print every import with what it resolved to, as JSON lines (for
    /// checking resolvers).
    #[command(hide = true)]
    Resolutions(resolutions::ResolutionsArgs),
}

/// What every analysing command accepts.
#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// Repository root to analyse.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Leave out files matching this glob (gitignore syntax, repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Also analyse node_modules, vendor, virtualenvs and build output.
    #[arg(long)]
    pub no_default_excludes: bool,

    /// Follow symbolic links inside the root (loops are detected and
    /// reported; links leaving the root are never followed).
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Skip source files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,

    /// Stop parsing a file after this many seconds and report it skipped
    /// (`parse_timeout`); 0 for no limit.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = parse_seconds)]
    pub parse_timeout: f64,

    /// Configuration file [default: <PATH>/vantage.toml when present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Worker threads [default: one per core]. Output is the same for any value.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Print the time each stage took to standard error.
    #[arg(long)]
    pub stats: bool,

    /// Write the output to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Parse every file, neither reading nor writing the facts cache.
    #[arg(long)]
    pub no_cache: bool,

    /// The facts cache [default: <PATH>/.vantage/cache, or `[cache] dir`].
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,

    /// No progress bars.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Where findings go as FLAGs (docs/output.md, FLAGs).
#[derive(Args, Debug, Clone)]
pub struct FlagArgs {
    /// Write the findings as FLAGs to the agents' store.
    #[arg(long)]
    pub flags: bool,

    /// Write no FLAGs, even when vantage.toml's `[flags] write` asks to.
    #[arg(long, conflicts_with = "flags")]
    pub no_flags: bool,

    /// The FLAG store [default: <PATH>/.claude/memory/project.db, else
    /// ~/.claude/memory/project.db, when present; else the first, created].
    #[arg(long, value_name = "DB")]
    pub store: Option<PathBuf>,
}

/// Which earlier FLAGs a run may complete, and the note it leaves.
pub struct FlagPlan {
    pub complete_kinds: Vec<&'static str>,
    pub complete_scope: Vec<(&'static str, String)>,
    pub gone_note: String,
}

impl FlagArgs {
    pub fn wanted(&self, config: &crate::config::Config) -> bool {
        !self.no_flags && (self.flags || config.flags.write)
    }

    /// Opens the store, routes each module to its agent, builds the FLAGs
    /// and writes them in one transaction. FLAGs of `plan.complete_kinds`
    /// whose finding is gone are completed only when this run saw the
    /// whole repository (no --exclude or size limit of its own, files
    /// found): a narrower run does not know. The account goes to the
    /// report; `print` says it for people (standard output, or standard
    /// error when a JSON document holds it).
    pub fn write(
        &self,
        analysis: &crate::pipeline::Analysis,
        common: &CommonArgs,
        plan: FlagPlan,
        build: impl FnOnce(&[String]) -> Vec<crate::store::NewFlag>,
    ) -> Result<FlagReport, Error> {
        use crate::store::{Batch, Store, handle};
        let root = analysis.project.root();
        let mut store = Store::open(root, self.store.as_deref())?;
        let config = &analysis.config;
        let (agents, mut notes) = store.route_all(&analysis.modules.names, &config.flags.agents)?;
        let flags = build(&agents);
        // The repository: as vantage.toml names it, else the git work tree
        // holding the root, else the root; the root's place in it is the
        // scope of the run's FLAGs.
        let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let top = crate::changes::toplevel(root).filter(|top| canonical.starts_with(top));
        let scope = top
            .as_ref()
            .and_then(|top| canonical.strip_prefix(top).ok())
            .map(|rest| {
                rest.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        let repository = config.flags.repository.clone().unwrap_or_else(|| {
            top.as_ref()
                .unwrap_or(&canonical)
                .to_string_lossy()
                .into_owned()
        });
        let empty = analysis.project.files().is_empty();
        if empty {
            notes.push(format!(
                "no source file under {}: nothing is flagged and no FLAG completed",
                root.display()
            ));
        }
        let whole = !common.narrowed() && !empty;
        let batch = Batch {
            source: handle(&config.flag_source()),
            repository,
            complete_kinds: plan.complete_kinds,
            complete_scope: plan.complete_scope,
            gone_note: plan.gone_note,
            partial: !whole,
            scope,
            flags,
        };
        let outcome = store.write(&batch)?;
        Ok(FlagReport {
            store: store.path.clone(),
            batch,
            outcome,
            notes,
        })
    }
}

/// What a FLAG write did.
pub struct FlagReport {
    pub store: PathBuf,
    pub batch: crate::store::Batch,
    pub outcome: crate::store::Outcome,
    /// Routing and catalog warnings, an empty run.
    pub notes: Vec<String>,
}

impl FlagReport {
    /// The account for people: on standard output, or on standard error
    /// when standard output holds a JSON document.
    pub fn print(&self, json_on_stdout: bool) -> Result<(), Error> {
        let mut out: Box<dyn Write> = if json_on_stdout {
            Box::new(io::stderr().lock())
        } else {
            Box::new(io::stdout().lock())
        };
        crate::report::text::write_flag_outcome(&mut out, self).map_err(|source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        })
    }
}

impl CommonArgs {
    /// Whether the run leaves part of the repository out on purpose
    /// (`--exclude`, a size limit of its own, default excludes off).
    pub fn narrowed(&self) -> bool {
        !self.exclude.is_empty()
            || self.no_default_excludes
            || self.max_file_size != DEFAULT_MAX_FILE_SIZE
    }

    /// A rule naming a module the run left out is no typo; otherwise it
    /// must name one (config errors say the nearest).
    pub fn check_rules(&self, analysis: &crate::pipeline::Analysis) -> Result<(), Error> {
        if self.exclude.is_empty() {
            analysis
                .config
                .check_module_names(&analysis.modules.names)?;
        }
        Ok(())
    }

    pub fn options(&self, extraction: crate::lang::Extraction) -> Options {
        // Process-wide: every parse of this run, the warm session's too.
        crate::lang::set_parse_timeout(std::time::Duration::from_secs_f64(self.parse_timeout));
        Options {
            extraction,
            discover: DiscoverOptions {
                excludes: self.exclude.clone(),
                default_excludes: !self.no_default_excludes,
                follow_symlinks: self.follow_symlinks,
                max_file_size: self.max_file_size,
            },
            threads: self.threads.map(usize::from),
            config: self.config.clone(),
            deleted: Vec::new(),
            cache: (!self.no_cache).then(|| crate::pipeline::CacheRequest {
                dir: self.cache_dir.clone(),
            }),
            progress: !self.quiet,
        }
    }

    /// Prints stage timings to standard error when `--stats` is on.
    pub fn print_stats(&self, analysis: &crate::pipeline::Analysis) {
        if !self.stats {
            return;
        }
        let total: std::time::Duration = analysis.timings.iter().map(|(_, d)| *d).sum();
        for (stage, time) in &analysis.timings {
            eprintln!("{stage:>10} {:>9.1} ms", time.as_secs_f64() * 1e3);
        }
        eprintln!(
            "{:>10} {:>9.1} ms  ({} files)",
            "total",
            total.as_secs_f64() * 1e3,
            analysis.project.files().len()
        );
    }

    /// Runs `write` against the output file or a buffered standard output.
    pub fn write_output(
        &self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Error> {
        match &self.output {
            Some(path) => write_file(path, write),
            None => {
                let stdout = io::stdout();
                let mut out = io::BufWriter::new(stdout.lock());
                match write(&mut out).and_then(|()| out.flush()) {
                    // A closed pipe (`vantage graph | head`) is not an error.
                    Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    Err(source) => Err(Error::Output {
                        path: PathBuf::from("<stdout>"),
                        source,
                    }),
                    Ok(()) => Ok(()),
                }
            }
        }
    }
}

/// Writes a file through `write`: a regular file (or a new one) is
/// written beside its place and renamed over it once complete, keeping the
/// old file's mode, so that a full disk or a killed run leaves the old
/// file, never half a new one; a device, pipe or symlink, or a file in a
/// folder vantage may not write, is written in place.
fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let error = |source: io::Error| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let existing = std::fs::symlink_metadata(path).ok();
    let beside = if existing
        .as_ref()
        .is_some_and(|meta| !meta.file_type().is_file())
    {
        None
    } else {
        match new_beside(path) {
            Ok(file) => Some(file),
            // A writable file in a folder that is not: written in place,
            // as before; nothing else can be done.
            Err(err) if err.kind() == io::ErrorKind::PermissionDenied && existing.is_some() => None,
            Err(err) => return Err(error(err)),
        }
    };
    let Some(mut file) = beside else {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .map_err(error)?;
        let mut out = io::BufWriter::new(file);
        return write(&mut out).and_then(|()| out.flush()).map_err(error);
    };
    if let Some(meta) = &existing {
        // The file keeps the mode it had (a report kept private stays so).
        file.as_file()
            .set_permissions(meta.permissions())
            .map_err(error)?;
    }
    {
        let mut out = io::BufWriter::new(file.as_file_mut());
        write(&mut out).and_then(|()| out.flush()).map_err(error)?;
    }
    file.as_file().sync_all().map_err(error)?;
    file.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// A temporary file in `path`'s folder, readable as a file the user
/// creates would be (the umask applies, not tempfile's private 0600).
fn new_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".vantage-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Writes `bytes` to `path` whole or not at all (see [`write_file`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_file(path, |out| out.write_all(bytes))
}

/// A non-negative, finite number of seconds.
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && (0.0..=86_400.0).contains(&seconds) => Ok(seconds),
        _ => Err(format!(
            "`{text}` is no number of seconds from 0 to 86400 (e.g. 10, 0.5; 0: no limit)"
        )),
    }
}

/// Reads a file of the project (for the rules that look at a file's text).
pub fn source_reader(
    project: &crate::project::ProjectFiles,
) -> impl Fn(usize) -> Option<String> + '_ {
    |file| std::fs::read_to_string(project.root().join(project.path(file))).ok()
}

/// Parses arguments and runs a command; returns the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            };
        }
    };
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Cycles(args) => cycles::run(&args),
        Command::Coupling(args) => coupling::run(&args),
        Command::Impact(args) => impact::run(&args),
        Command::Callers(args) => callers::run(&args, crate::symbols::Direction::Users),
        Command::Callees(args) => callers::run(&args, crate::symbols::Direction::Used),
        Command::Routes(args) => routes::run(&args),
        Command::Models(args) => models::run(&args),
        Command::Trace(args) => trace::run(&args),
        Command::Dupes(args) => dupes::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Mcp(args) => mcp::run(&args),
        Command::Flags(args) => flags::run(&args),
        Command::Facts(args) => facts::run(&args),
        Command::Resolutions(args) => resolutions::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            eprintln!("help: {}", err.help());
            EXIT_ERROR
        }
    }
}
