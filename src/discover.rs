//! The discover stage: which files of the repository vantage analyses.
//!
//! Walks the root with the `ignore` crate (`.gitignore`, `.ignore`, hidden
//! files), applies vantage's default excludes (dependencies, virtualenvs,
//! build output) and the user's `--exclude` globs, and picks the language by
//! extension. Whatever is passed over for a reason other than an exclude is
//! recorded with that reason: nothing is dropped silently.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::overrides::OverrideBuilder;
use ignore::{DirEntry, WalkBuilder};

use crate::lang::Language;

/// Default size cap: syntax trees cost 13-35x their source, and source files
/// above this size are almost always generated or minified.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct DiscoverOptions {
    /// Extra globs to leave out, gitignore syntax (`tests/**`, `*.min.js`).
    pub excludes: Vec<String>,
    pub default_excludes: bool,
    pub follow_symlinks: bool,
    pub max_file_size: u64,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            excludes: Vec::new(),
            default_excludes: true,
            follow_symlinks: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Why a file that could have been analysed was not.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    TooLarge {
        size: u64,
        limit: u64,
    },
    Binary,
    Unreadable(String),
    SymlinkNotFollowed,
    /// With `--follow-symlinks`, a link whose target is outside the root:
    /// not followed, for what it holds is not the repository's (nor
    /// necessarily anyone's to read). Without it, every link is
    /// [`SkipReason::SymlinkNotFollowed`].
    SymlinkOutside,
    SymlinkLoop,
    NotRegularFile,
    NonUtf8Name,
    ParseFailed,
    /// The parse ran past `--parse-timeout` and was cancelled.
    ParseTimeout {
        limit_ms: u64,
    },
    /// Gone from the working tree: a change under analysis deleted (or
    /// renamed) it. Kept as a node so that the files still importing it,
    /// now broken, are found.
    Deleted,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::TooLarge { size, limit } => {
                write!(
                    f,
                    "too large: {size} bytes, limit {limit} (--max-file-size)"
                )
            }
            SkipReason::Binary => write!(f, "binary content (NUL bytes)"),
            SkipReason::Unreadable(err) => write!(f, "unreadable: {err}"),
            SkipReason::SymlinkNotFollowed => {
                write!(f, "symbolic link, not followed (--follow-symlinks)")
            }
            SkipReason::SymlinkLoop => write!(f, "symbolic link loop"),
            SkipReason::NotRegularFile => write!(f, "not a regular file"),
            SkipReason::SymlinkOutside => write!(
                f,
                "symbolic link to a place outside the repository, not followed"
            ),
            SkipReason::NonUtf8Name => write!(f, "file name is not UTF-8"),
            SkipReason::ParseFailed => write!(f, "the parser produced no syntax tree"),
            SkipReason::ParseTimeout { limit_ms } => write!(
                f,
                "reading it took longer than {limit_ms} ms (parse and queries) and was stopped (--parse-timeout)"
            ),
            SkipReason::Deleted => write!(f, "deleted by the change"),
        }
    }
}

impl SkipReason {
    /// Whether a source file skipped for this reason still exists as a
    /// file others may import (it stays a node of the graph, without facts).
    pub fn keeps_node(&self) -> bool {
        matches!(
            self,
            SkipReason::TooLarge { .. }
                | SkipReason::Binary
                | SkipReason::Unreadable(_)
                | SkipReason::SymlinkNotFollowed
                | SkipReason::SymlinkOutside
                | SkipReason::ParseFailed
                | SkipReason::ParseTimeout { .. }
                | SkipReason::Deleted
        )
    }

    /// A short stable key for summaries and JSON.
    pub fn key(&self) -> &'static str {
        match self {
            SkipReason::TooLarge { .. } => "too_large",
            SkipReason::Binary => "binary",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::SymlinkNotFollowed => "symlink",
            SkipReason::SymlinkOutside => "symlink_outside",
            SkipReason::SymlinkLoop => "symlink_loop",
            SkipReason::NotRegularFile => "not_regular_file",
            SkipReason::NonUtf8Name => "non_utf8_name",
            SkipReason::ParseFailed => "parse_failed",
            SkipReason::ParseTimeout { .. } => "parse_timeout",
            SkipReason::Deleted => "deleted",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub path: String,
    pub reason: SkipReason,
}

/// A file to parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub path: String,
    pub language: Language,
    /// The most bytes read of it (--max-file-size): a file that grows
    /// past it after discovery is still not read whole.
    pub max_size: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Discovery {
    /// Source files, sorted by path.
    pub candidates: Vec<Candidate>,
    /// Other files (manifests, assets), sorted.
    pub others: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// Directories left out by the default excludes, sorted.
    pub excluded_dirs: Vec<String>,
    /// Every folder walked below the root, sorted (empty ones too: a
    /// watcher of the tree needs them).
    pub folders: Vec<String>,
}

/// Directory names that hold third-party code or tool caches.
const EXCLUDED_DIR_NAMES: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "__pycache__",
    "site-packages",
    "dist-packages",
    "venv",
    "virtualenv",
];

/// Directory names that hold build output, unless a manifest says that the
/// folder is a package of its own (a workspace package named `build`).
const BUILD_DIR_NAMES: &[&str] = &["dist", "build", "out", "target"];
const PACKAGE_MARKERS: &[&str] = &[
    "__init__.py",
    "package.json",
    "Cargo.toml",
    "composer.json",
    "pyproject.toml",
    "setup.py",
];

fn is_default_excluded(entry: &DirEntry) -> bool {
    let Some(name) = entry.file_name().to_str() else {
        return false;
    };
    if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
        return false;
    }
    let path = entry.path();
    if EXCLUDED_DIR_NAMES.contains(&name) || name.ends_with(".egg-info") {
        return true;
    }
    if BUILD_DIR_NAMES.contains(&name) {
        return !PACKAGE_MARKERS.iter().any(|m| path.join(m).exists());
    }
    // A virtualenv under another usual name (`env`, `py311-env`); not every
    // folder is checked: a stat per folder costs more than the walk.
    name.contains("env") && path.join("pyvenv.cfg").is_file()
}

/// What one walk entry contributes.
enum Entry {
    Folder(String),
    Candidate(Candidate),
    Other(String),
    Skipped(Skipped),
}

fn classify(
    root: &Path,
    options: &DiscoverOptions,
    result: Result<DirEntry, ignore::Error>,
) -> Option<Entry> {
    let entry = match result {
        Ok(entry) => entry,
        Err(err) => return Some(Entry::Skipped(walk_error(root, &err))),
    };
    let file_type = entry.file_type()?;
    if file_type.is_dir() {
        return (entry.depth() > 0)
            .then(|| relative(root, entry.path()))
            .flatten()
            .map(Entry::Folder);
    }
    let skip = |path: String, reason: SkipReason| Some(Entry::Skipped(Skipped { path, reason }));
    let Some(path) = relative(root, entry.path()) else {
        return skip(relative_lossy(root, entry.path()), SkipReason::NonUtf8Name);
    };
    let language = Language::from_path(&path);
    if file_type.is_symlink() {
        // Only reached when links are not followed; links to folders may
        // hold source, so they are reported too.
        return (language.is_some() || entry.path().is_dir()).then_some(Entry::Skipped(Skipped {
            path,
            reason: SkipReason::SymlinkNotFollowed,
        }));
    }
    let Some(language) = language else {
        return file_type.is_file().then_some(Entry::Other(path));
    };
    if !file_type.is_file() {
        return skip(path, SkipReason::NotRegularFile);
    }
    match entry.metadata() {
        Ok(meta) if meta.len() > options.max_file_size => skip(
            path,
            SkipReason::TooLarge {
                size: meta.len(),
                limit: options.max_file_size,
            },
        ),
        Ok(_) => Some(Entry::Candidate(Candidate {
            path,
            language,
            max_size: options.max_file_size,
        })),
        Err(err) => skip(path, SkipReason::Unreadable(err.to_string())),
    }
}

/// Whether discovery would leave out a file at `path` had it been there (a
/// file a change deleted): under a folder the default excludes took or
/// named like one, hidden, or matched by an `--exclude` glob.
pub fn would_exclude(path: &str, excluded_dirs: &[String], excludes: &[String]) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let (folders, name) = parts.split_at(parts.len() - 1);
    if name[0].starts_with('.')
        || folders.iter().any(|f| {
            f.starts_with('.') || EXCLUDED_DIR_NAMES.contains(f) || f.ends_with(".egg-info")
        })
    {
        return true;
    }
    if excluded_dirs
        .iter()
        .any(|d| crate::project::below(path, d).is_some())
    {
        return true;
    }
    let mut overrides = OverrideBuilder::new("");
    for glob in excludes {
        // Checked when discovery ran: a bad glob never gets here.
        let _ = overrides.add(&format!("!{glob}"));
    }
    overrides
        .build()
        .is_ok_and(|o| o.matched(path, false).is_ignore())
}

/// Walks `root` and sorts what it finds into candidates, others and skipped.
pub fn discover(root: &Path, options: &DiscoverOptions) -> Result<Discovery, crate::Error> {
    let mut overrides = OverrideBuilder::new(root);
    let mut seen = std::collections::HashSet::new();
    for glob in options.excludes.iter().filter(|glob| seen.insert(*glob)) {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|err| crate::Error::BadGlob {
                glob: glob.clone(),
                message: err.to_string(),
            })?;
    }
    let overrides = overrides.build().map_err(|err| crate::Error::BadGlob {
        glob: options.excludes.join(", "),
        message: err.to_string(),
    })?;

    let excluded: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(true)
        .git_global(false)
        .require_git(false)
        .follow_links(options.follow_symlinks)
        .overrides(overrides);
    // Links leaving the root are pruned where they are met, with what is
    // under them: followed, they would read someone else's files as the
    // repository's (a link to $HOME, to /).
    let outside: Arc<Mutex<Vec<Skipped>>> = Arc::default();
    let canonical_root = options
        .follow_symlinks
        .then(|| root.canonicalize().ok())
        .flatten();
    if options.default_excludes || canonical_root.is_some() {
        let excluded = Arc::clone(&excluded);
        let outside = Arc::clone(&outside);
        let default_excludes = options.default_excludes;
        let root = root.to_path_buf();
        builder.filter_entry(move |entry| {
            if let Some(canonical_root) = &canonical_root
                && entry.path_is_symlink()
                && entry
                    .path()
                    .canonicalize()
                    .is_ok_and(|target| !target.starts_with(canonical_root))
            {
                // Said for what could hold source, as for links not followed.
                let source = entry.file_type().is_some_and(|t| t.is_dir())
                    || entry
                        .file_name()
                        .to_str()
                        .is_some_and(|name| Language::from_path(name).is_some());
                if !source {
                    return false;
                }
                let path = relative(&root, entry.path())
                    .unwrap_or_else(|| relative_lossy(&root, entry.path()));
                outside
                    .lock()
                    .unwrap_or_else(|poison| poison.into_inner())
                    .push(Skipped {
                        path,
                        reason: SkipReason::SymlinkOutside,
                    });
                return false;
            }
            let out = default_excludes && is_default_excluded(entry);
            if out {
                excluded
                    .lock()
                    .unwrap_or_else(|poison| poison.into_inner())
                    .push(entry.path().to_path_buf());
            }
            !out
        });
    }

    // Walk on as many threads as the pool has; order is restored by sorting.
    let entries: Mutex<Vec<Entry>> = Mutex::default();
    builder
        .threads(rayon::current_num_threads())
        .build_parallel()
        .run(|| {
            Box::new(|result| {
                if let Some(entry) = classify(root, options, result) {
                    entries
                        .lock()
                        .unwrap_or_else(|poison| poison.into_inner())
                        .push(entry);
                }
                ignore::WalkState::Continue
            })
        });
    let mut found = Discovery::default();
    for entry in entries
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner())
    {
        match entry {
            Entry::Candidate(c) => found.candidates.push(c),
            Entry::Other(path) => found.others.push(path),
            Entry::Skipped(s) => found.skipped.push(s),
            Entry::Folder(path) => found.folders.push(path),
        }
    }
    found.candidates.sort_by(|a, b| a.path.cmp(&b.path));
    found.candidates.dedup_by(|a, b| a.path == b.path);
    found.others.sort();
    found.others.dedup();
    found.skipped.extend(std::mem::take(
        &mut *outside.lock().unwrap_or_else(|poison| poison.into_inner()),
    ));
    found.skipped.sort();
    found.skipped.dedup();
    found.folders.sort();
    found.folders.dedup();
    let excluded =
        std::mem::take(&mut *excluded.lock().unwrap_or_else(|poison| poison.into_inner()));
    found.excluded_dirs = excluded.iter().filter_map(|p| relative(root, p)).collect();
    found.excluded_dirs.sort();
    Ok(found)
}

/// Repository-relative `/`-separated path, `None` when not UTF-8.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for component in relative.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(component.as_os_str().to_str()?);
    }
    Some(out)
}

/// A path that is not UTF-8, as it is said: relative to the root, the
/// invalid bytes replaced.
fn relative_lossy(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn walk_error(root: &Path, err: &ignore::Error) -> Skipped {
    let mut current = err;
    let mut path = None;
    loop {
        match current {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| p.clone());
                current = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                current = err
            }
            ignore::Error::Loop { child, .. } => {
                return Skipped {
                    path: relative(root, child).unwrap_or_else(|| relative_lossy(root, child)),
                    reason: SkipReason::SymlinkLoop,
                };
            }
            other => {
                let path = path.map_or_else(String::new, |p| {
                    relative(root, &p).unwrap_or_else(|| relative_lossy(root, &p))
                });
                return Skipped {
                    path,
                    reason: SkipReason::Unreadable(other.to_string()),
                };
            }
        }
    }
}
