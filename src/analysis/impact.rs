//! Impact: what depends on a file, a symbol or a module, directly or not.
//!
//! ## What it finds
//! From targets (files, or symbols: top-level definitions), every file that
//! depends on them, with its depth (1 = imports a target directly) and one
//! shortest "why" chain of import sites back to a target; the modules
//! reached, with counts; the test files among them; and a risk summary.
//!
//! A symbol's direct dependents are the files that import *that name* where
//! the language shows it (`from m import Name`, `import { Name }`, `use
//! A\Name`, `use crate::m::Name`, a fully qualified name in code), not every
//! file importing its file. Files importing the whole module (`import m`,
//! `import * as m`, `require('m')`, a glob) may use it: they are dependents
//! too, marked `via: module`. Re-exports are followed: a barrel (`export {
//! Name } from`, `export * from`, `pub use`, a Python `from m import Name`)
//! passes the name on to its own importers. Beyond the direct dependents the
//! cascade is file-level: whoever imports an impacted file is impacted.
//!
//! ## Why it matters
//! Before a change, the coordinating agent learns which modules and owners
//! must adapt, and which tests cover the change; after a commit, which
//! modules to notify.
//!
//! ## Example
//! `User` in `app/models.py`; `app/views.py` does `from app.models import
//! User` (depth 1, via name), `app/admin.py` does `from app.models import
//! Group` (not impacted), `app/urls.py` imports `app.views` (depth 2, why:
//! `app/urls.py:3 -> app/views.py:1 -> app/models.py`).
//!
//! ## Limits
//! Names used through a module import (`m.User`) are not checked: such files
//! are kept, marked `via: module`. Renamed re-exports (`export { A as B }`)
//! are followed under the original name only. The cascade beyond the first
//! level does not look at names. Type-only imports count unless
//! `runtime_only`.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use crate::analysis::symbol_impact::{
    SymbolImpactOptions, SymbolSeed, symbol_impact, tests_to_run,
};
use crate::facts::{FileFacts, ImportKind, RawImport};
use crate::graph::DependencyGraph;
use crate::lang::{Language, LanguageFamily};
use crate::modules::ModuleMap;
use crate::project::{FileId, ProjectFiles, file_name, parent};
use crate::symbols::SymbolId;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImpactOptions {
    /// Deepest level reported (1 = direct dependents only).
    pub depth: Option<usize>,
    /// Only imports that run when the importing file loads
    /// ([`ImportKind::loads`]): lazy, dynamic and type-only reach is left
    /// out instead of listed apart.
    pub runtime_only: bool,
    /// What the cascade follows.
    pub level: ImpactLevel,
}

/// What an impact cascade follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ImpactLevel {
    /// Definitions and their uses (callers of callers), where the
    /// language has a symbol layer; imports elsewhere.
    #[default]
    Symbol,
    /// Imports only: every importer of an impacted file is impacted (the
    /// answer grimp's `find_downstream_modules` gives).
    File,
}

/// What the analysis starts from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seed {
    /// Everything that imports the file.
    File(FileId),
    /// What imports the name defined in the file.
    Symbol { file: FileId, name: String },
    /// A name the change removed from the file: whoever still imports it
    /// is broken.
    Removed { file: FileId, name: String },
    /// A member (method, field) of a type defined in the file: whoever
    /// imports the type and mentions the member (as far as names tell).
    Member {
        file: FileId,
        class: String,
        member: String,
    },
    /// A definition of the symbol graph that changed (a module node: its
    /// top-level code).
    Definition(crate::symbols::SymbolId),
    /// A name a module or class of the symbol graph no longer has.
    Missing {
        container: crate::symbols::SymbolId,
        name: String,
    },
    /// A definition whose signature changed: its users break.
    Signature(crate::symbols::SymbolId),
}

/// How a file reaches a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Via {
    /// It imports a name the change removed: broken.
    Removed,
    /// It imports the symbol by name.
    Name,
    /// It imports the type and mentions the member (a heuristic).
    Member,
    /// It imports the symbol's whole module (may use the symbol).
    Module,
    /// It only passes the symbol on (a barrel, a package `__init__.py`):
    /// transparent for depth and risk.
    Reexport,
    /// It imports an impacted or target file (file-level).
    File,
    /// A definition of it uses a reached definition this way (symbol
    /// level: call, instantiate, inherit, reference, fixture).
    Uses(crate::symbols::EdgeKind),
    /// Loading it runs reached code (its top-level code, a class body, a
    /// decorator, or an import of a module that does).
    Load,
    /// A definition of it calls a method the reached one overrides.
    Override,
    /// A definition of it has an unresolved use of a reached name.
    Unresolved,
    /// A definition of it uses one the change removed or re-signatured:
    /// broken (symbol level).
    Broken,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Removed => "removed",
            Via::Name => "name",
            Via::Member => "member",
            Via::Module => "module",
            Via::Reexport => "reexport",
            Via::File => "file",
            Via::Uses(kind) => kind.as_str(),
            Via::Load => "load",
            Via::Override => "override",
            Via::Unresolved => "unresolved",
            Via::Broken => "broken",
        }
    }
}

/// One hop of a why chain: `from` imports `to` at `from:line`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    pub from: FileId,
    pub line: u32,
    pub kind: ImportKind,
    pub to: FileId,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impacted {
    pub file: FileId,
    pub depth: usize,
    pub via: Via,
    /// From this file to a target, one hop per import; of a chain longer
    /// than [`MAX_WHY`] hops, the first ones and the last (into the
    /// target), with `why_omitted` hops left out between them.
    pub why: Vec<Hop>,
    pub why_omitted: usize,
    /// The weakest import kind along the whole chain.
    pub chain: ImportKind,
    pub test: bool,
    /// Reached only through lazy, dynamic or type-only imports: it breaks
    /// once a function runs or the type checker looks, not when the code
    /// loads. Left out of the risk.
    pub weak: bool,
    /// The target's name this file imports (name-level dependents).
    pub name: Option<String>,
    /// The changed definition of the target file that `name` uses (a
    /// private helper the change touched).
    pub carried_by: Option<String>,
}

impl Impacted {
    /// The weakest import kind along the why-chain: whether the chain holds
    /// when the files load (`static`, `extends`, ...) or only once a
    /// function runs (`lazy`), a dynamic import resolves, or the type
    /// checker looks (`type_only`). Another, longer chain may be stronger.
    pub fn chain_kind(&self) -> ImportKind {
        self.chain
    }

    /// Whether it counts for the risk: reached when the code loads, and
    /// not a file that only passes a name on.
    pub fn counts(&self) -> bool {
        !self.weak && self.via != Via::Reexport
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Risk {
    /// Files depending on a target directly (re-exporters aside).
    pub fan_in: usize,
    pub files: usize,
    pub modules: usize,
    pub max_depth: usize,
    pub tests: usize,
    /// Files that import a removed name.
    pub broken: usize,
    /// Files reached only through lazy, dynamic or type-only imports (not
    /// counted above).
    pub weak: usize,
    /// `low`, `medium` or `high` (see [`risk_level`]).
    pub level: &'static str,
}

#[derive(Clone, Debug)]
pub struct ImpactSet {
    /// Files the targets are in, ascending.
    pub target_files: Vec<FileId>,
    /// Reached when the code loads first, then the weak ones; each by
    /// (depth, file).
    pub impacted: Vec<Impacted>,
    /// Impacted files per module, most first (those counting for risk).
    pub modules: Vec<(usize, usize)>,
    /// Impacted test files, ascending (weak ones too: they are worth
    /// running).
    pub tests: Vec<FileId>,
    pub risk: Risk,
    /// Definitions reached (symbol level), strong first, by depth.
    pub symbols: Vec<crate::analysis::symbol_impact::ImpactedSymbol>,
    /// The tests to run: test files, or test cases by id (symbol level).
    pub selection: Vec<crate::analysis::symbol_impact::TestSelection>,
}

/// An importer and the sites (line, kind, import index) that count,
/// strongest kind first.
type Importer = (FileId, Vec<(u32, ImportKind, usize)>);

/// Importers of each file, by importer, with the sites `keep` accepts;
/// self-imports left out.
fn reverse(graph: &DependencyGraph, keep: impl Fn(ImportKind) -> bool) -> Vec<Vec<Importer>> {
    let mut importers: Vec<Vec<Importer>> = vec![Vec::new(); graph.node_count()];
    for (from, to, dependency) in graph.edges() {
        if from == to {
            continue;
        }
        let mut sites: Vec<(u32, ImportKind, usize)> = dependency
            .sites
            .iter()
            .filter(|s| keep(s.kind))
            .map(|s| (s.line, s.kind, s.import))
            .collect();
        // Strongest first, then by line: a why-chain shows the import that
        // binds hardest (a PHP `new X` rather than its `use` line).
        sites.sort_by_key(|&(line, kind, import)| (kind, line, import));
        if !sites.is_empty() {
            importers[to].push((from, sites));
        }
    }
    // Edges come in (from, to) order: importer lists are sorted by `from`.
    importers
}

/// Whether an import of `file` names `symbol`: by name, by the whole
/// module, or not at all.
fn names_symbol(
    language: Language,
    import: &RawImport,
    symbol: &str,
    file_stem: &str,
) -> Option<Via> {
    match language.family() {
        LanguageFamily::Python => {
            if import.names.is_empty() {
                return Some(Via::Module);
            }
            if import.names.iter().any(|n| n == symbol || n == "*") {
                return Some(Via::Name);
            }
            // `from pkg import module`: the name is the module itself.
            import
                .names
                .iter()
                .any(|n| n == file_stem)
                .then_some(Via::Module)
        }
        LanguageFamily::TypeScript | LanguageFamily::JavaScript => {
            // `export * from` passes each name on by name.
            let reexports_all = import.reexport
                && import.names.iter().any(|n| n == "*")
                && import.aliases.is_empty();
            if reexports_all || import.names.iter().any(|n| n == symbol) {
                Some(Via::Name)
            } else if import.names.is_empty()
                || import.names.iter().any(|n| n == "*" || n == "default")
            {
                Some(Via::Module)
            } else {
                None
            }
        }
        LanguageFamily::Php => {
            if import.names.first().is_some_and(|n| n == "include") {
                return Some(Via::Module);
            }
            let specifier = import.specifier.trim_start_matches('\\');
            let matches = specifier.eq_ignore_ascii_case(symbol)
                || specifier.rsplit('\\').next().is_some_and(|last| {
                    last.eq_ignore_ascii_case(symbol.rsplit('\\').next().unwrap_or(symbol))
                }) && !symbol.contains('\\');
            matches.then_some(Via::Name)
        }
        LanguageFamily::Rust => {
            if import.names.iter().any(|n| n == symbol)
                || import.specifier.split("::").any(|s| s == symbol)
            {
                Some(Via::Name)
            } else if import.names.iter().any(|n| n == "*") {
                Some(Via::Module)
            } else {
                None
            }
        }
    }
}

/// Whether a file that passes a name on can be taken not to use it itself:
/// `export ... from` binds no local name, and a package's `__init__.py`,
/// `lib.rs` or `mod.rs` is by convention a facade. A Python module or a
/// Rust file elsewhere that imports a name usually uses it too.
fn only_passes_on(language: Language, path: &str) -> bool {
    match language.family() {
        LanguageFamily::TypeScript | LanguageFamily::JavaScript => true,
        LanguageFamily::Python => file_name(path) == "__init__.py",
        LanguageFamily::Rust => matches!(file_name(path), "lib.rs" | "mod.rs"),
        LanguageFamily::Php => false,
    }
}

/// The name under which the importing file passes the symbol on to its own
/// importers, if it does.
fn passes_on(language: Language, import: &RawImport, symbol: &str) -> Option<String> {
    let named = import.names.iter().any(|n| n == symbol || n == "*");
    let passes = match language.family() {
        // Whatever a module imports at its top level is an attribute of it
        // (an import inside a function is a local name of the function).
        LanguageFamily::Python => named && import.kind != ImportKind::Lazy,
        LanguageFamily::TypeScript
        | LanguageFamily::JavaScript
        | LanguageFamily::Php
        | LanguageFamily::Rust => {
            import.reexport && (named || import.specifier.split("::").any(|s| s == symbol))
        }
    };
    if !passes {
        return None;
    }
    // `export * as ns from` passes everything on inside `ns`.
    let renamed = import
        .aliases
        .iter()
        .find(|(name, _)| name == symbol)
        .or_else(|| import.aliases.iter().find(|(name, _)| name == "*"));
    Some(renamed.map_or(symbol, |(_, alias)| alias).to_string())
}

/// `low`, `medium` or `high`: high when the change reaches three modules or
/// more, or ten direct dependents; medium from two modules or three direct
/// dependents; else low.
pub fn risk_level(fan_in: usize, modules: usize) -> &'static str {
    if modules >= 3 || fan_in >= 10 {
        "high"
    } else if modules >= 2 || fan_in >= 3 {
        "medium"
    } else {
        "low"
    }
}

/// Test files by their path, in each language's conventions: a `test`,
/// `tests`, `__tests__` or `spec` folder; `test_*.py`, `*_test.py`,
/// `tests.py`, `conftest.py`; `*.test.*`, `*.spec.*`; `*Test.php`; Rust
/// `tests.rs` and the `tests/` crates.
pub fn is_test_file(path: &str) -> bool {
    let folders = path.split('/').rev().skip(1);
    let in_test_folder = folders.clone().any(|f| {
        matches!(
            f.to_ascii_lowercase().as_str(),
            "test" | "tests" | "__tests__" | "spec" | "specs"
        )
    });
    let name = file_name(path);
    let stem = name.split('.').next().unwrap_or(name);
    in_test_folder
        || name.starts_with("test_")
        || stem.ends_with("_test")
        || matches!(name, "tests.py" | "conftest.py" | "tests.rs")
        || name.contains(".test.")
        || name.contains(".spec.")
        || (name.ends_with("Test.php") && name.len() > "Test.php".len())
}

/// How a file was found: its depth, how, the hop toward a target, and the
/// name it imports with the local definition that carried the change.
#[derive(Clone, Debug)]
struct Reach {
    depth: usize,
    via: Via,
    hop: Option<Hop>,
    name: Option<String>,
    carried_by: Option<String>,
}

/// The breadth-first search state: every file found with how it was
/// reached; buckets of files by depth, each taken in file order, so chains
/// are shortest and the same every run.
struct Search<'t> {
    targets: &'t BTreeSet<FileId>,
    limit: usize,
    found: BTreeMap<FileId, Reach>,
    buckets: Vec<BTreeSet<FileId>>,
}

impl Search<'_> {
    fn reach(&mut self, file: FileId, reach: Reach) {
        if self.targets.contains(&file) || reach.depth > self.limit {
            return;
        }
        let better = self
            .found
            .get(&file)
            .is_none_or(|r| (reach.depth, reach.via) < (r.depth, r.via));
        if better {
            let depth = reach.depth;
            self.found.insert(file, reach);
            if self.buckets.len() <= depth {
                self.buckets.resize(depth + 1, BTreeSet::new());
            }
            self.buckets[depth].insert(file);
        }
    }
}

/// What one search needs besides its seeds.
struct Inputs<'a> {
    project: &'a ProjectFiles,
    facts: &'a [FileFacts],
    /// The imports that count for this search, by name.
    importers: &'a [Vec<Importer>],
    /// The same, for the file-level cascade: a Django model named by a
    /// string depends on the model, not on every line of its file.
    cascade: &'a [Vec<Importer>],
    /// Every import: a removed name breaks whoever names it, whatever the
    /// kind of import.
    every: &'a [Vec<Importer>],
    /// The kinds of import this search counts.
    keep: &'a dyn Fn(ImportKind) -> bool,
    targets: &'a BTreeSet<FileId>,
    limit: usize,
    /// Whether a file mentions a member name (member targets).
    mentions: &'a dyn Fn(FileId, &str) -> bool,
}

/// A name the search follows through importers: where it is exposed, as
/// what, at which depth its importers are, and what it stands for.
struct Exposed {
    file: FileId,
    name: String,
    /// Importers of `file` are at this depth + 1.
    base: usize,
    removed: bool,
    member: Option<String>,
    carried_by: Option<String>,
}

/// Files reached from the seeds, with the imports `inputs.importers` holds.
fn search(inputs: &Inputs, seeds: &[(Seed, Option<String>)]) -> BTreeMap<FileId, Reach> {
    let mut search = Search {
        targets: inputs.targets,
        limit: inputs.limit,
        found: BTreeMap::new(),
        buckets: vec![BTreeSet::new()],
    };
    // Level 0: the targets. A file seed spreads to every importer; a name
    // to the importers naming it, through re-exports, files that only pass
    // it on being transparent (their importers are at their depth).
    let mut pass_through: BTreeSet<FileId> = BTreeSet::new();
    let mut exposed: VecDeque<Exposed> = VecDeque::new();
    for (seed, carried_by) in seeds {
        let (file, name, removed, member) = match seed {
            Seed::File(file) => {
                search.buckets[0].insert(*file);
                continue;
            }
            Seed::Symbol { file, name } => (*file, name.clone(), false, None),
            Seed::Removed { file, name } => (*file, name.clone(), true, None),
            Seed::Member {
                file,
                class,
                member,
            } => (*file, class.clone(), false, Some(member.clone())),
            // Symbol-level seeds are the symbol cascade's.
            Seed::Definition(_) | Seed::Missing { .. } | Seed::Signature(_) => continue,
        };
        exposed.push_back(Exposed {
            file,
            name,
            base: 0,
            removed,
            member,
            carried_by: carried_by.clone(),
        });
    }
    let mut users: BTreeSet<FileId> = BTreeSet::new();
    let mut seen: BTreeSet<(FileId, String, bool)> = exposed
        .iter()
        .map(|e| (e.file, e.name.clone(), e.removed))
        .collect();
    let mut passers: BTreeSet<FileId> = BTreeSet::new();
    while let Some(at) = exposed.pop_front() {
        let stem = file_name(inputs.project.path(at.file))
            .split('.')
            .next()
            .unwrap_or_default();
        let importers = if at.removed {
            &inputs.every[at.file]
        } else {
            &inputs.importers[at.file]
        };
        for (importer, sites) in importers {
            let language = inputs.project.get(*importer).language;
            for &(line, kind, index) in sites {
                let import = &inputs.facts[*importer].imports[index];
                let Some(named) = names_symbol(language, import, &at.name, stem) else {
                    continue;
                };
                // Naming a removed name breaks whatever the import's kind;
                // importing its module whole may not, and counts as usual.
                if at.removed && named != Via::Name && !(inputs.keep)(kind) {
                    continue;
                }
                let passed = passes_on(language, import, &at.name);
                let pure =
                    passed.is_some() && only_passes_on(language, inputs.project.path(*importer));
                // A member counts where the file mentions it; a file that
                // only passes the type on is followed all the same.
                if let Some(member) = &at.member
                    && !pure
                    && !(inputs.mentions)(*importer, member)
                {
                    continue;
                }
                // Whatever imports a deleted file is broken, by name or not.
                let gone = inputs.project.get(at.file).skipped
                    == Some(crate::discover::SkipReason::Deleted);
                let via = match (pure, named) {
                    (true, _) => Via::Reexport,
                    (false, Via::Name) if at.removed => Via::Removed,
                    (false, Via::Module) if at.removed && gone => Via::Removed,
                    (false, Via::Name) if at.member.is_some() => Via::Member,
                    (false, other) => other,
                };
                let hop = Hop {
                    from: *importer,
                    line,
                    kind,
                    to: at.file,
                };
                search.reach(
                    *importer,
                    Reach {
                        depth: at.base + 1,
                        via,
                        hop: Some(hop),
                        name: Some(at.name.clone()),
                        carried_by: at.carried_by.clone(),
                    },
                );
                if pure {
                    passers.insert(*importer);
                } else {
                    users.insert(*importer);
                }
                if let Some(name) = passed
                    && seen.insert((*importer, name.clone(), at.removed))
                {
                    exposed.push_back(Exposed {
                        file: *importer,
                        name,
                        base: if pure { at.base } else { at.base + 1 },
                        removed: at.removed,
                        member: at.member.clone(),
                        carried_by: at.carried_by.clone(),
                    });
                }
            }
        }
    }
    // A file that only passes the name on does not use it: its other
    // importers are not reached through it.
    pass_through.extend(passers.difference(&users));
    // The cascade, file-level, level by level.
    let mut depth = 0;
    while depth < search.buckets.len() {
        let level: Vec<FileId> = search.buckets[depth].iter().copied().collect();
        for file in level {
            let settled = search.found.get(&file).map(|r| r.depth);
            if pass_through.contains(&file) || settled.is_some_and(|d| d != depth) {
                continue;
            }
            for (importer, sites) in &inputs.cascade[file] {
                let (line, kind, _) = sites[0];
                let hop = Hop {
                    from: *importer,
                    line,
                    kind,
                    to: file,
                };
                search.reach(
                    *importer,
                    Reach {
                        depth: depth + 1,
                        via: Via::File,
                        hop: Some(hop),
                        name: None,
                        carried_by: None,
                    },
                );
            }
        }
        depth += 1;
    }
    search.found
}

/// The most hops of a why-chain kept (see [`Impacted::why`]): a chain of
/// 100 000 files, each file's chain written whole, took 24 GB.
pub const MAX_WHY: usize = 32;

/// Of a chain of `hops` in all, its first hops then its last, within
/// [`MAX_WHY`]; and how many were left out between them.
pub fn shortened<T: Copy>(
    first: impl Iterator<Item = T>,
    last: Option<T>,
    hops: usize,
) -> (Vec<T>, usize) {
    if hops <= MAX_WHY {
        return (first.take(hops).collect(), 0);
    }
    let mut kept: Vec<T> = first.take(MAX_WHY - 1).collect();
    kept.extend(last);
    (kept, hops - MAX_WHY)
}

/// Says where a shortened chain's hops were left out: `(N more hops)`
/// before its last step.
pub fn mark_omitted(steps: &mut Vec<String>, omitted: usize) {
    if omitted > 0 && steps.len() > 1 {
        steps.insert(steps.len() - 1, format!("({omitted} more hops)"));
    }
}

/// A why-chain in words: `path:line` of each import site, then the target
/// reached, with [`mark_omitted`]'s mark where hops were left out.
pub fn why_steps<S: std::fmt::Display>(
    why: &[Hop],
    omitted: usize,
    name: impl Fn(FileId) -> S,
) -> Vec<String> {
    let mut steps: Vec<String> = why
        .iter()
        .map(|hop| format!("{}:{}", name(hop.from), hop.line))
        .collect();
    mark_omitted(&mut steps, omitted);
    steps.extend(why.last().map(|hop| name(hop.to).to_string()));
    steps
}

/// The why-chain of each of `nodes` over a breadth-first search's links
/// (`hop`: the hop a node was reached by, toward a target; `next`: where
/// it leads), shortened to [`MAX_WHY`] with the hops left out counted, and
/// `fold` of every hop of the whole chain. Each chain's count, last hop and
/// fold come from the next node's: linear in the nodes, however deep.
pub fn why_chains<N, H, A>(
    nodes: &[N],
    hop: impl Fn(N) -> Option<H>,
    next: impl Fn(&H) -> N,
    start: A,
    fold: impl Fn(A, &H) -> A,
) -> Vec<(Vec<H>, usize, A)>
where
    N: Copy + Eq + std::hash::Hash,
    H: Copy,
    A: Copy,
{
    let mut whole: HashMap<N, (A, Option<H>, usize)> = HashMap::new();
    for &node in nodes {
        let mut path: Vec<(N, H)> = Vec::new();
        let mut current = node;
        let mut known = (start, None, 0);
        loop {
            if let Some(seen) = whole.get(&current) {
                known = *seen;
                break;
            }
            match hop(current) {
                // More hops than nodes cannot happen: chains end at targets.
                Some(h) if path.len() <= nodes.len() => {
                    path.push((current, h));
                    current = next(&h);
                }
                _ => {
                    whole.insert(current, known);
                    break;
                }
            }
        }
        for (at, h) in path.into_iter().rev() {
            known = (fold(known.0, &h), known.1.or(Some(h)), known.2 + 1);
            whole.insert(at, known);
        }
    }
    nodes
        .iter()
        .map(|&node| {
            let (folded, last, hops) = whole.get(&node).copied().unwrap_or((start, None, 0));
            let mut current = node;
            let walk = std::iter::from_fn(|| {
                let h = hop(current)?;
                current = next(&h);
                Some(h)
            });
            let (why, omitted) = shortened(walk, last, hops);
            (why, omitted, folded)
        })
        .collect()
}

/// The why-chain of each found file: hops back to a target.
fn chains(found: &BTreeMap<FileId, Reach>, project: &ProjectFiles, weak: bool) -> Vec<Impacted> {
    let files: Vec<FileId> = found.keys().copied().collect();
    let whys = why_chains(
        &files,
        |file| found.get(&file).and_then(|reach| reach.hop),
        |hop: &Hop| hop.to,
        None,
        |kind: Option<ImportKind>, hop| kind.max(Some(hop.kind)),
    );
    found
        .iter()
        .zip(whys)
        .map(|((&file, reach), (why, why_omitted, kind))| Impacted {
            file,
            depth: reach.depth,
            via: reach.via,
            why,
            why_omitted,
            chain: kind.unwrap_or(ImportKind::Static),
            test: is_test_file(project.path(file)),
            weak,
            name: reach.name.clone(),
            carried_by: reach.carried_by.clone(),
        })
        .collect()
}

/// Symbol seeds spread to the definitions of their file that use them,
/// transitively (the file's own references): each with the changed
/// definition that carried it.
fn local_spread(facts: &[FileFacts], seeds: &[Seed]) -> Vec<(Seed, Option<String>)> {
    let mut out: Vec<(Seed, Option<String>)> = seeds.iter().map(|s| (s.clone(), None)).collect();
    let mut taken: BTreeSet<(FileId, String)> = seeds
        .iter()
        .filter_map(|s| match s {
            Seed::Symbol { file, name } => Some((*file, name.clone())),
            _ => None,
        })
        .collect();
    for seed in seeds {
        let Seed::Symbol { file, name } = seed else {
            continue;
        };
        let facts = &facts[*file];
        let mut queue: VecDeque<u32> = facts
            .definitions
            .iter()
            .enumerate()
            .filter(|(_, d)| &d.name == name)
            .map(|(i, _)| i as u32)
            .collect();
        let mut visited: BTreeSet<u32> = queue.iter().copied().collect();
        while let Some(used) = queue.pop_front() {
            for &(user, _) in facts.local_uses.iter().filter(|(_, u)| *u == used) {
                if !visited.insert(user) {
                    continue;
                }
                queue.push_back(user);
                let user_name = &facts.definitions[user as usize].name;
                if taken.insert((*file, user_name.clone())) {
                    out.push((
                        Seed::Symbol {
                            file: *file,
                            name: user_name.clone(),
                        },
                        Some(name.clone()),
                    ));
                }
            }
        }
    }
    out
}

/// What depends on the seeds. `mentions(file, member)` tells whether a
/// file's text names a member (for member seeds; the caller reads files).
#[allow(clippy::too_many_arguments)]
pub fn impact(
    project: &ProjectFiles,
    facts: &[FileFacts],
    graph: &DependencyGraph,
    modules: &ModuleMap,
    symbols: &crate::symbols::SymbolGraph,
    seeds: &[Seed],
    options: ImpactOptions,
    mentions: &dyn Fn(FileId, &str) -> bool,
) -> ImpactSet {
    ImpactIndex::new(project, facts, graph, modules, symbols).impact(seeds, options, mentions)
}

/// The reverse edges every impact query walks, built once: a report or a
/// server asks many questions of one graph.
pub struct ImpactIndex<'a> {
    project: &'a ProjectFiles,
    facts: &'a [FileFacts],
    modules: &'a ModuleMap,
    graph: &'a DependencyGraph,
    symbols: &'a crate::symbols::SymbolGraph,
    /// Imports that run when the importer loads, by imported file.
    loading: Vec<Vec<Importer>>,
    every: Vec<Vec<Importer>>,
    /// The same without Django model references (the file-level cascade).
    loading_files: Vec<Vec<Importer>>,
    every_file: Vec<Vec<Importer>>,
}

impl<'a> ImpactIndex<'a> {
    pub fn new(
        project: &'a ProjectFiles,
        facts: &'a [FileFacts],
        graph: &'a DependencyGraph,
        modules: &'a ModuleMap,
        symbols: &'a crate::symbols::SymbolGraph,
    ) -> Self {
        let not_model = |kind: ImportKind| kind != ImportKind::ModelRef;
        ImpactIndex {
            project,
            facts,
            modules,
            graph,
            symbols,
            loading: reverse(graph, ImportKind::loads),
            every: reverse(graph, |_| true),
            loading_files: reverse(graph, |k| k.loads() && not_model(k)),
            every_file: reverse(graph, not_model),
        }
    }

    /// What depends on the seeds (see [`impact`]): through the symbol
    /// graph for the seeds in files it covers (unless the level is
    /// `File`), through imports for the rest.
    pub fn impact(
        &self,
        seeds: &[Seed],
        options: ImpactOptions,
        mentions: &dyn Fn(FileId, &str) -> bool,
    ) -> ImpactSet {
        let symbols = self.symbols;
        let symbolic = options.level == ImpactLevel::Symbol && !symbols.is_empty();
        let mut file_seeds: Vec<Seed> = Vec::new();
        let mut symbol_seeds: Vec<SymbolSeed> = Vec::new();
        let mut targets: BTreeSet<FileId> = BTreeSet::new();
        for seed in seeds {
            let file = match seed {
                Seed::File(file)
                | Seed::Symbol { file, .. }
                | Seed::Removed { file, .. }
                | Seed::Member { file, .. } => *file,
                Seed::Definition(node)
                | Seed::Signature(node)
                | Seed::Missing {
                    container: node, ..
                } => symbols.nodes[*node].file,
            };
            targets.insert(file);
            match symbolic.then(|| self.symbol_seeds(seed)).flatten() {
                Some(converted) => symbol_seeds.extend(converted),
                None => file_seeds.push(self.file_seed(seed)),
            }
        }
        let mut impacted = if file_seeds.is_empty() {
            Vec::new()
        } else {
            self.file_level(&file_seeds, options, mentions, &targets)
        };
        let mut reached = Vec::new();
        if !symbol_seeds.is_empty() {
            symbol_seeds.sort();
            symbol_seeds.dedup();
            reached = symbol_impact(
                symbols,
                self.project,
                self.graph,
                &symbol_seeds,
                SymbolImpactOptions {
                    depth: options.depth,
                    strong_only: options.runtime_only,
                },
            );
            let files =
                crate::analysis::symbol_impact::files_reached(symbols, self.project, &reached);
            // One entry per file: the closest, strong before weak.
            let mut best: BTreeMap<FileId, Impacted> =
                impacted.into_iter().map(|i| (i.file, i)).collect();
            for entry in files {
                if targets.contains(&entry.file) {
                    continue;
                }
                let better = best
                    .get(&entry.file)
                    .is_none_or(|old| (entry.weak, entry.depth) < (old.weak, old.depth));
                if better {
                    best.insert(entry.file, entry);
                }
            }
            impacted = best.into_values().collect();
        }
        impacted.sort_by_key(|i| (i.weak, i.depth, i.file));
        let mut set = summarise(self.modules, targets, impacted);
        set.selection = tests_to_run(symbols, self.project, self.facts, &reached);
        set.symbols = reached;
        set
    }

    /// A seed as symbol seeds, when the symbol graph covers its file.
    fn symbol_seeds(&self, seed: &Seed) -> Option<Vec<SymbolSeed>> {
        let graph = self.symbols;
        let top_level = |file: FileId, name: &str| -> Vec<SymbolId> {
            let Some(symbols) = self.facts[file].symbols.as_ref() else {
                return Vec::new();
            };
            let mut nodes: Vec<SymbolId> = symbols
                .defs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.parent.is_none() && d.name == name)
                .filter_map(|(i, _)| graph.node(file, i as u32))
                .collect();
            nodes.dedup();
            nodes
        };
        Some(match seed {
            Seed::Definition(node) => vec![SymbolSeed::Changed(*node)],
            Seed::Signature(node) => vec![SymbolSeed::Resignatured(*node)],
            Seed::Missing { container, name } => vec![SymbolSeed::Removed {
                container: *container,
                name: name.clone(),
            }],
            Seed::File(file) => {
                let module = graph.module_of[*file]?;
                let mut out = vec![SymbolSeed::Changed(module)];
                out.extend(
                    graph.node_of_def[*file]
                        .iter()
                        .map(|&n| SymbolSeed::Changed(n)),
                );
                out
            }
            Seed::Symbol { file, name } => {
                graph.module_of[*file]?;
                top_level(*file, name)
                    .into_iter()
                    .map(SymbolSeed::Changed)
                    .collect()
            }
            Seed::Removed { file, name } => vec![SymbolSeed::Removed {
                container: graph.module_of[*file]?,
                name: name.clone(),
            }],
            Seed::Member {
                file,
                class,
                member,
            } => {
                graph.module_of[*file]?;
                let mut out = Vec::new();
                for owner in top_level(*file, class) {
                    let wanted = format!("{}.{member}", graph.nodes[owner].name);
                    let wanted_colons = format!("{}::{member}", graph.nodes[owner].name);
                    out.extend(
                        graph.node_of_def[*file]
                            .iter()
                            .filter(|&&n| {
                                graph.nodes[n].name == wanted
                                    || graph.nodes[n].name == wanted_colons
                            })
                            .map(|&n| SymbolSeed::Changed(n)),
                    );
                }
                out.dedup();
                out
            }
        })
    }

    /// The import-level cascade (see [`impact`]).
    /// A seed the file level follows: a definition of the symbol graph
    /// becomes the top-level definition holding it (the unit imports
    /// name), or its whole file.
    fn file_seed(&self, seed: &Seed) -> Seed {
        let (Seed::Definition(node) | Seed::Signature(node)) = seed else {
            return seed.clone();
        };
        let node = &self.symbols.nodes[*node];
        let file = node.file;
        let top = self.facts[file].symbols.as_ref().and_then(|symbols| {
            let mut def = &symbols.defs[*node.defs.first()? as usize];
            while let Some(parent) = def.parent {
                def = &symbols.defs[parent as usize];
            }
            Some(def.name.clone())
        });
        match top {
            Some(name) if self.facts[file].definitions.iter().any(|d| d.name == name) => {
                Seed::Symbol { file, name }
            }
            _ => Seed::File(file),
        }
    }

    fn file_level(
        &self,
        seeds: &[Seed],
        options: ImpactOptions,
        mentions: &dyn Fn(FileId, &str) -> bool,
        targets: &BTreeSet<FileId>,
    ) -> Vec<Impacted> {
        let (project, facts) = (self.project, self.facts);
        let seeds = local_spread(facts, seeds);
        let limit = options.depth.unwrap_or(usize::MAX);
        let inputs = |importers, cascade, keep| Inputs {
            project,
            facts,
            importers,
            cascade,
            every: &self.every,
            keep,
            targets,
            limit,
            mentions,
        };
        // What breaks when the code loads first; then, unless runtime-only,
        // what lazy, dynamic and type-only imports add, listed apart.
        let strong = search(
            &inputs(&self.loading, &self.loading_files, &ImportKind::loads),
            &seeds,
        );
        let mut impacted = chains(&strong, project, false);
        if !options.runtime_only {
            let all = search(&inputs(&self.every, &self.every_file, &|_| true), &seeds);
            let weak: BTreeMap<FileId, Reach> = all
                .iter()
                .filter(|(f, _)| !strong.contains_key(f))
                .map(|(f, r)| (*f, r.clone()))
                .collect();
            // A weak file's chain is read in the full search, whose hops may
            // pass through strong files.
            let mut chained = chains(&all, project, true);
            chained.retain(|i| weak.contains_key(&i.file));
            impacted.extend(chained);
        }
        impacted
    }
}

/// Counts, modules, tests and the risk of what was reached.
fn summarise(modules: &ModuleMap, targets: BTreeSet<FileId>, impacted: Vec<Impacted>) -> ImpactSet {
    let counted: Vec<&Impacted> = impacted.iter().filter(|i| i.counts()).collect();
    let mut per_module: BTreeMap<usize, usize> = BTreeMap::new();
    for i in &counted {
        *per_module.entry(modules.of_file[i.file]).or_insert(0) += 1;
    }
    let mut module_counts: Vec<(usize, usize)> = per_module.into_iter().collect();
    module_counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let tests: Vec<FileId> = impacted
        .iter()
        .filter(|i| i.test && i.via != Via::Reexport)
        .map(|i| i.file)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let fan_in = counted.iter().filter(|i| i.depth == 1).count();
    let broken = counted
        .iter()
        .filter(|i| matches!(i.via, Via::Removed | Via::Broken))
        .count();
    let level = match risk_level(fan_in, module_counts.len()) {
        // Whatever the counts, a removed name that is still imported breaks.
        _ if broken > 0 => "high",
        level => level,
    };
    let risk = Risk {
        fan_in,
        files: counted.len(),
        modules: module_counts.len(),
        max_depth: counted.iter().map(|i| i.depth).max().unwrap_or(0),
        tests: counted.iter().filter(|i| i.test).count(),
        broken,
        weak: impacted.iter().filter(|i| i.weak).count(),
        level,
    };
    ImpactSet {
        target_files: targets.into_iter().collect(),
        impacted,
        modules: module_counts,
        tests,
        risk,
        symbols: Vec::new(),
        selection: Vec::new(),
    }
}

/// Separators of qualified names in the five languages.
fn split_qualified(query: &str) -> (Option<&str>, &str) {
    let cut = ["::", "\\", ".", "/", ":"]
        .iter()
        .filter_map(|sep| query.rfind(sep).map(|i| (i, sep.len())))
        // The separator ending last, the longer on a tie (`::`, not `:`).
        .max_by_key(|&(i, len)| (i + len, len));
    match cut {
        Some((i, len)) => (Some(&query[..i]), &query[i + len..]),
        None => (None, query),
    }
}

/// A file's path as a module path: no extension, no `__init__`, `mod`
/// or `index` file name.
fn module_like_path(path: &str) -> &str {
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    for tail in ["/__init__", "/mod", "/index", "/lib"] {
        if let Some(dir) = stem.strip_suffix(tail) {
            return dir;
        }
    }
    stem
}

/// Whether `a` ends with `b` at a `/` boundary.
fn ends_at_component(a: &str, b: &str) -> bool {
    a == b || a.strip_suffix(b).is_some_and(|rest| rest.ends_with('/'))
}

/// Definitions matching `Name`, or a qualified name (`pkg.mod.Name`,
/// `App\Models\Name`, `crate::m::Name`, `src/m.ts:Name`), as (file, index
/// in the file's definitions), in file order.
pub fn find_symbols(
    project: &ProjectFiles,
    facts: &[FileFacts],
    query: &str,
) -> Vec<(FileId, usize)> {
    let query = query.trim().trim_start_matches('\\');
    let (qualifier, name) = split_qualified(query);
    let qualifier = qualifier.map(|q| {
        q.replace("::", "/")
            .replace(['\\', '.', ':'], "/")
            .trim_start_matches("crate/")
            .to_string()
    });
    let mut found = Vec::new();
    for (file, file_facts) in facts.iter().enumerate() {
        let path = module_like_path(project.path(file));
        for (index, definition) in file_facts.definitions.iter().enumerate() {
            // A Rust `impl` block is found through its type.
            if definition.kind == "impl" {
                continue;
            }
            // PHP names are qualified already, and case-insensitive: the
            // whole name, or its last segment alone.
            let whole = project.get(file).language.family() == LanguageFamily::Php
                && (definition.name.eq_ignore_ascii_case(query)
                    || qualifier.is_none()
                        && definition
                            .name
                            .rsplit('\\')
                            .next()
                            .is_some_and(|n| n.eq_ignore_ascii_case(name)));
            let by_name = definition.name == name
                && qualifier.as_deref().is_none_or(|q| {
                    // The module itself, or the package above it, which
                    // usually re-exports it (`tokio::runtime::Handle`,
                    // `django.db.models.QuerySet`).
                    ends_at_component(path, q)
                        || ends_at_component(q, path)
                        || ends_at_component(parent(path), q)
                        || ends_at_component(q, parent(path))
                });
            if whole || by_name {
                found.push((file, index));
            }
        }
    }
    found
}

/// The names a file offers its importers: its top-level definitions (a
/// Rust `impl` aside), and the names it passes on (`export ... from`,
/// `pub use`, and in Python whatever it imports at its top level). A name
/// that was here before a change and is not after is removed.
pub fn exposed_names(language: Language, facts: &FileFacts) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = facts
        .definitions
        .iter()
        .filter(|d| d.kind != "impl")
        .map(|d| d.name.clone())
        .collect();
    for import in &facts.imports {
        let passes = match language.family() {
            LanguageFamily::Python => import.kind != ImportKind::Lazy && !import.reference,
            LanguageFamily::TypeScript
            | LanguageFamily::JavaScript
            | LanguageFamily::Php
            | LanguageFamily::Rust => import.reexport,
        };
        if !passes {
            continue;
        }
        for name in import.names.iter().filter(|n| *n != "*") {
            let alias = import
                .aliases
                .iter()
                .find(|(n, _)| n == name)
                .map_or(name, |(_, a)| a);
            names.insert(alias.clone());
        }
        if language.family() == LanguageFamily::Rust
            && import.names.is_empty()
            && let Some(last) = import.specifier.rsplit("::").next()
        {
            names.insert(last.to_string());
        }
    }
    names
}

/// Members (`Order.cancel`, `Order::cancel`, `Order->cancel`): the type's
/// definitions whose lines hold a definition of the member, read from
/// `text` (the caller's file reader). Returns (file, type name, member).
pub fn find_members(
    project: &ProjectFiles,
    facts: &[FileFacts],
    query: &str,
    text: &dyn Fn(FileId) -> Option<String>,
) -> Vec<(FileId, String, String)> {
    let (Some(owner), member) = split_qualified(query) else {
        return Vec::new();
    };
    if member.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (file, index) in find_symbols(project, facts, owner) {
        let definition = &facts[file].definitions[index];
        if !TYPE_KINDS.contains(&definition.kind.as_str()) {
            continue;
        }
        let Some(source) = text(file) else { continue };
        let lines: Vec<&str> = source.lines().collect();
        // The type's own span, and its `impl` blocks (Rust).
        let spans = facts[file]
            .definitions
            .iter()
            .filter(|d| d.name == definition.name)
            .map(|d| (d.start_line, d.end_line));
        let declares = spans.into_iter().any(|(start, end)| {
            lines
                .iter()
                .skip(start as usize - 1)
                .take((end - start + 1) as usize)
                .any(|line| declares_member(line, member))
        });
        if declares && !found.iter().any(|(f, _, _)| *f == file) {
            found.push((file, definition.name.clone(), member.to_string()));
        }
    }
    found
}

/// The members the types named `owner` declare (for "did you mean"), as
/// far as [`declares_member`] tells.
pub fn declared_members(
    project: &ProjectFiles,
    facts: &[FileFacts],
    owner: &str,
    text: &dyn Fn(FileId) -> Option<String>,
) -> Vec<String> {
    let mut members = BTreeSet::new();
    for (file, index) in find_symbols(project, facts, owner) {
        let definition = &facts[file].definitions[index];
        if !TYPE_KINDS.contains(&definition.kind.as_str()) {
            continue;
        }
        let Some(source) = text(file) else { continue };
        for d in facts[file]
            .definitions
            .iter()
            .filter(|d| d.name == definition.name)
        {
            for line in source
                .lines()
                .skip(d.start_line as usize - 1)
                .take((d.end_line - d.start_line + 1) as usize)
            {
                for word in line.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                    if !word.is_empty() && declares_member(line, word) {
                        members.insert(word.to_string());
                    }
                }
            }
        }
    }
    members.into_iter().collect()
}

/// Definition kinds that are types (members live in them).
const TYPE_KINDS: &[&str] = &[
    "class",
    "abstract_class",
    "interface",
    "trait",
    "struct",
    "enum",
];

/// Whether a line declares `member`: `def member(`, `fn member`,
/// `function member`, `member(...) {`, `member =`, `member:`, `$member`.
fn declares_member(line: &str, member: &str) -> bool {
    let line = line.trim_start();
    let mut from = 0;
    while let Some(at) = line[from..].find(member).map(|i| i + from) {
        from = at + member.len();
        let before = &line[..at];
        let after = line[from..].trim_start();
        let word_before = before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let word_after = line[from..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if word_after || (word_before && !before.ends_with('$')) {
            continue;
        }
        let keyword = ["def ", "fn ", "function ", "async def ", "const ", "let "]
            .iter()
            .any(|k| before.ends_with(k));
        let property = before.ends_with('$');
        let at_start = before.trim().is_empty()
            || before
                .split_whitespace()
                .all(|w| MODIFIERS.contains(&w.trim_end_matches(':')));
        let declares_here = after.starts_with('(')
            || after.starts_with('=')
            || after.starts_with(':')
            || after.starts_with('<')
            || after.starts_with(';')
            || after.starts_with('?');
        if keyword || property || (at_start && declares_here) {
            return true;
        }
    }
    false
}

/// Words that may stand before a member's name in its declaration.
const MODIFIERS: &[&str] = &[
    "pub",
    "public",
    "private",
    "protected",
    "static",
    "async",
    "readonly",
    "abstract",
    "final",
    "override",
    "get",
    "set",
    "var",
    "fn",
    "def",
    "function",
    "const",
    "let",
    "pub(crate)",
    "unsafe",
    "export",
    "declare",
];

/// The files of a module given by name (`db`, `django/db`, `django.db`), or
/// of a folder of the repository when no module has that name; `None` when
/// nothing matches. Returns the module name or folder, and the files.
pub fn find_module(
    project: &ProjectFiles,
    modules: &ModuleMap,
    query: &str,
) -> Option<(String, Vec<FileId>)> {
    let files_of = |m: usize| -> Vec<FileId> {
        (0..modules.of_file.len())
            .filter(|&f| modules.of_file[f] == m)
            .collect()
    };
    if let Some(id) = modules.id(query) {
        return Some((query.to_string(), files_of(id)));
    }
    let path = query.replace("::", "/").replace(['.', '\\'], "/");
    let path = path.trim_matches('/');
    let named = modules
        .names
        .iter()
        .position(|n| n == path || ends_at_component(path, n) || ends_at_component(n, path));
    if let Some(id) = named {
        return Some((modules.name(id).to_string(), files_of(id)));
    }
    // A folder: the path itself, or its tail when the root is inside it.
    let mut candidate = path;
    loop {
        let prefix = format!("{candidate}/");
        let files: Vec<FileId> = (0..project.files().len())
            .filter(|&f| project.path(f).starts_with(&prefix))
            .collect();
        if !files.is_empty() {
            return Some((candidate.to_string(), files));
        }
        candidate = candidate.split_once('/')?.1;
    }
}

/// Seeds for changed lines: each top-level definition a change touches is
/// a symbol seed; a change outside every definition (imports, module-level
/// code), or a new file, seeds the whole file. `text` is the file's new
/// text: changed lines outside definitions that are blank or comments
/// change nothing, and an attribute or decorator line (`#[derive]`, `@x`)
/// belongs to the definition below it.
pub fn seeds_for_change(
    facts: &FileFacts,
    file: FileId,
    lines: &[std::ops::RangeInclusive<u32>],
    added: bool,
    text: &str,
) -> Vec<Seed> {
    if added || lines.is_empty() {
        return vec![Seed::File(file)];
    }
    let source_lines: Vec<&str> = text.lines().collect();
    // An `impl` of a type defined elsewhere maps to no symbol of this file.
    let definitions: Vec<&crate::facts::Definition> = facts
        .definitions
        .iter()
        .filter(|definition| {
            definition.kind != "impl"
                || facts
                    .definitions
                    .iter()
                    .any(|d| d.name == definition.name && d.kind != "impl")
        })
        .collect();
    let symbol = |name: &str| Seed::Symbol {
        file,
        name: name.to_string(),
    };
    let mut seeds = BTreeSet::new();
    for range in lines {
        for line in range.clone() {
            if let Some(definition) = definitions
                .iter()
                .find(|d| (d.start_line..=d.end_line).contains(&line))
            {
                seeds.insert(symbol(&definition.name));
                continue;
            }
            let content = source_lines.get(line as usize - 1).map_or("", |l| l.trim());
            let comment = ["//", "/*", "*", "--"]
                .iter()
                .any(|c| content.starts_with(c))
                || (content.starts_with('#') && !content.starts_with("#["));
            if content.is_empty() || comment {
                continue;
            }
            let attribute = content.starts_with("#[") || content.starts_with('@');
            let below = definitions
                .iter()
                .filter(|d| d.start_line > line)
                .min_by_key(|d| d.start_line);
            match below {
                Some(definition) if attribute => {
                    seeds.insert(symbol(&definition.name));
                }
                _ => {
                    seeds.insert(Seed::File(file));
                }
            }
        }
    }
    // A whole-file seed covers its symbols.
    if seeds.contains(&Seed::File(file)) {
        return vec![Seed::File(file)];
    }
    seeds.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(name: &str, kind: &str, lines: (u32, u32)) -> crate::facts::Definition {
        crate::facts::Definition {
            name: name.to_string(),
            kind: kind.to_string(),
            start_line: lines.0,
            end_line: lines.1,
            is_abstract: false,
        }
    }

    #[test]
    fn changed_lines_map_to_definitions_impls_and_attributes() {
        // 1 use; 3-5 struct A; 6 #[derive]; 7 struct B; 9-11 impl A;
        // 13-15 impl Foreign (no such type here).
        let text = "use x::y;\n\nstruct A {\n    f: u8,\n}\n#[derive(Debug)]\nstruct B;\n// note\nimpl A {\n    fn g() {}\n}\n\nimpl Foreign {\n    fn h() {}\n}\n";
        let facts = FileFacts {
            definitions: vec![
                definition("A", "struct", (3, 5)),
                definition("B", "struct", (7, 7)),
                definition("A", "impl", (9, 11)),
                definition("Foreign", "impl", (13, 15)),
            ],
            ..FileFacts::default()
        };
        let seeds = |lines: &[std::ops::RangeInclusive<u32>]| {
            seeds_for_change(&facts, 0, lines, false, text)
        };
        let symbol = |name: &str| Seed::Symbol {
            file: 0,
            name: name.to_string(),
        };
        assert_eq!(seeds(&[10..=10]), [symbol("A")]);
        assert_eq!(seeds(&[6..=6, 8..=8]), [symbol("B")]);
        assert_eq!(seeds(&[2..=2]), []);
        assert_eq!(seeds(&[1..=1]), [Seed::File(0)]);
        assert_eq!(seeds(&[14..=14]), [Seed::File(0)]);
    }

    #[test]
    fn qualified_names_split_at_their_last_separator() {
        assert_eq!(
            split_qualified("runtime::Handle"),
            (Some("runtime"), "Handle")
        );
        assert_eq!(
            split_qualified("App\\Models\\User"),
            (Some("App\\Models"), "User")
        );
        assert_eq!(
            split_qualified("django.db.models.QuerySet"),
            (Some("django.db.models"), "QuerySet")
        );
        assert_eq!(split_qualified("src/m.ts:Name"), (Some("src/m.ts"), "Name"));
        assert_eq!(split_qualified("Name"), (None, "Name"));
    }

    #[test]
    fn test_files_by_convention() {
        for path in [
            "tests/test_x.py",
            "app/test_models.py",
            "app/models_test.py",
            "src/__tests__/a.ts",
            "src/a.test.ts",
            "src/a.spec.js",
            "tests/UserTest.php",
            "src/runtime/tests.rs",
            "crates/x/tests/smoke.rs",
            "pkg/conftest.py",
        ] {
            assert!(is_test_file(path), "{path}");
        }
        for path in [
            "src/testing.py",
            "src/contest.ts",
            "Test.php",
            "src/attestation.rs",
            "latest/x.py",
        ] {
            assert!(!is_test_file(path), "{path}");
        }
    }

    #[test]
    fn risk_levels() {
        assert_eq!(risk_level(0, 0), "low");
        assert_eq!(risk_level(3, 1), "medium");
        assert_eq!(risk_level(1, 2), "medium");
        assert_eq!(risk_level(10, 1), "high");
        assert_eq!(risk_level(1, 3), "high");
    }
}
