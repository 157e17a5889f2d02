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

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::facts::{FileFacts, ImportKind, RawImport};
use crate::graph::DependencyGraph;
use crate::lang::{Language, LanguageFamily};
use crate::modules::ModuleMap;
use crate::project::{FileId, ProjectFiles, file_name, parent};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImpactOptions {
    /// Deepest level reported (1 = direct dependents only).
    pub depth: Option<usize>,
    /// Leave type-only imports out.
    pub runtime_only: bool,
}

/// What the analysis starts from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seed {
    /// Everything that imports the file.
    File(FileId),
    /// What imports the name defined in the file.
    Symbol { file: FileId, name: String },
}

/// How a direct dependent reaches a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Via {
    /// It imports the symbol by name.
    Name,
    /// It imports the symbol's whole module (may use the symbol).
    Module,
    /// It imports an impacted or target file (file-level).
    File,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Name => "name",
            Via::Module => "module",
            Via::File => "file",
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
    /// From this file to a target, one hop per import.
    pub why: Vec<Hop>,
    pub test: bool,
}

impl Impacted {
    /// The weakest import kind along the why-chain: whether the chain holds
    /// when the files load (`static`, `extends`, ...) or only once a
    /// function runs (`lazy`), a dynamic import resolves, or the type
    /// checker looks (`type_only`). Another, longer chain may be stronger.
    pub fn chain_kind(&self) -> ImportKind {
        self.why
            .iter()
            .map(|h| h.kind)
            .max()
            .unwrap_or(ImportKind::Static)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Risk {
    /// Files depending on a target directly.
    pub fan_in: usize,
    pub files: usize,
    pub modules: usize,
    pub max_depth: usize,
    pub tests: usize,
    /// `low`, `medium` or `high` (see [`risk_level`]).
    pub level: &'static str,
}

#[derive(Clone, Debug)]
pub struct ImpactSet {
    /// Files the targets are in, ascending.
    pub target_files: Vec<FileId>,
    /// By (depth, file).
    pub impacted: Vec<Impacted>,
    /// Impacted files per module, most first.
    pub modules: Vec<(usize, usize)>,
    /// Impacted test files, ascending.
    pub tests: Vec<FileId>,
    pub risk: Risk,
}

/// An importer and the sites (line, kind, import index) that count,
/// strongest kind first.
type Importer = (FileId, Vec<(u32, ImportKind, usize)>);

/// Importers of each file, by importer; self-imports left out.
fn reverse(graph: &DependencyGraph, options: ImpactOptions) -> Vec<Vec<Importer>> {
    let mut importers: Vec<Vec<Importer>> = vec![Vec::new(); graph.node_count()];
    for (from, to, dependency) in graph.edges() {
        if from == to {
            continue;
        }
        let mut sites: Vec<(u32, ImportKind, usize)> = dependency
            .sites
            .iter()
            .filter(|s| !(options.runtime_only && s.kind == ImportKind::TypeOnly))
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
        _ => import.reexport && (named || import.specifier.split("::").any(|s| s == symbol)),
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

/// The breadth-first search state: every file found with its depth, how it
/// was reached and the hop toward a target; buckets of files by depth,
/// each taken in file order, so chains are shortest and the same every run.
struct Search<'t> {
    targets: &'t BTreeSet<FileId>,
    limit: usize,
    found: BTreeMap<FileId, (usize, Via, Option<Hop>)>,
    buckets: Vec<BTreeSet<FileId>>,
}

impl Search<'_> {
    fn reach(&mut self, file: FileId, depth: usize, via: Via, hop: Hop) {
        if self.targets.contains(&file) || depth > self.limit {
            return;
        }
        let better = self
            .found
            .get(&file)
            .is_none_or(|(d, v, _)| (depth, via) < (*d, *v));
        if better {
            self.found.insert(file, (depth, via, Some(hop)));
            if self.buckets.len() <= depth {
                self.buckets.resize(depth + 1, BTreeSet::new());
            }
            self.buckets[depth].insert(file);
        }
    }
}

pub fn impact(
    project: &ProjectFiles,
    facts: &[FileFacts],
    graph: &DependencyGraph,
    modules: &ModuleMap,
    seeds: &[Seed],
    options: ImpactOptions,
) -> ImpactSet {
    let importers = reverse(graph, options);
    let limit = options.depth.unwrap_or(usize::MAX);
    let targets: BTreeSet<FileId> = seeds
        .iter()
        .map(|seed| match seed {
            Seed::File(file) | Seed::Symbol { file, .. } => *file,
        })
        .collect();
    let mut search = Search {
        targets: &targets,
        limit,
        found: BTreeMap::new(),
        buckets: vec![BTreeSet::new()],
    };

    // Level 0: the targets. A file seed spreads to every importer; a symbol
    // seed to the importers naming the symbol, through re-exports.
    let mut pass_through: BTreeSet<FileId> = BTreeSet::new();
    for seed in seeds {
        match seed {
            Seed::File(file) => {
                search.buckets[0].insert(*file);
            }
            Seed::Symbol { file, name } => {
                let mut users: BTreeSet<FileId> = BTreeSet::new();
                let mut exposers: VecDeque<(FileId, String, usize)> =
                    VecDeque::from([(*file, name.clone(), 0)]);
                let mut seen = BTreeSet::from([(*file, name.clone())]);
                while let Some((exposer, name, depth)) = exposers.pop_front() {
                    let name = name.as_str();
                    let stem = file_name(project.path(exposer))
                        .split('.')
                        .next()
                        .unwrap_or_default();
                    for (importer, sites) in &importers[exposer] {
                        let language = project.get(*importer).language;
                        for &(line, kind, index) in sites {
                            let import = &facts[*importer].imports[index];
                            let Some(via) = names_symbol(language, import, name, stem) else {
                                continue;
                            };
                            let hop = Hop {
                                from: *importer,
                                line,
                                kind,
                                to: exposer,
                            };
                            search.reach(*importer, depth + 1, via, hop);
                            let passed = passes_on(language, import, name);
                            if passed.is_none()
                                || !only_passes_on(language, project.path(*importer))
                            {
                                users.insert(*importer);
                            }
                            if let Some(exposed) = passed
                                && seen.insert((*importer, exposed.clone()))
                            {
                                exposers.push_back((*importer, exposed, depth + 1));
                            }
                        }
                    }
                }
                // A file that only re-exports the symbol does not use it: its
                // other importers are not reached through it.
                pass_through.extend(
                    seen.into_iter()
                        .map(|(f, _)| f)
                        .filter(|f| f != file && !users.contains(f)),
                );
            }
        }
    }
    // The cascade, file-level, level by level.
    let mut depth = 0;
    while depth < search.buckets.len() {
        let level: Vec<FileId> = search.buckets[depth].iter().copied().collect();
        for file in level {
            let settled = search.found.get(&file).map(|(d, _, _)| *d);
            if pass_through.contains(&file) || settled.is_some_and(|d| d != depth) {
                continue;
            }
            for (importer, sites) in &importers[file] {
                let (line, kind, _) = sites[0];
                let hop = Hop {
                    from: *importer,
                    line,
                    kind,
                    to: file,
                };
                search.reach(*importer, depth + 1, Via::File, hop);
            }
        }
        depth += 1;
    }
    let found = search.found;

    let mut impacted: Vec<Impacted> = found
        .iter()
        .map(|(&file, &(depth, via, _))| {
            let mut why = Vec::new();
            let mut current = file;
            while let Some((_, _, Some(hop))) = found.get(&current) {
                why.push(*hop);
                current = hop.to;
                if why.len() > depth {
                    break; // cannot happen: chains shorten toward targets
                }
            }
            Impacted {
                file,
                depth,
                via,
                why,
                test: is_test_file(project.path(file)),
            }
        })
        .collect();
    impacted.sort_by_key(|i| (i.depth, i.file));

    let mut per_module: BTreeMap<usize, usize> = BTreeMap::new();
    for i in &impacted {
        *per_module.entry(modules.of_file[i.file]).or_insert(0) += 1;
    }
    let mut module_counts: Vec<(usize, usize)> = per_module.into_iter().collect();
    module_counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let tests: Vec<FileId> = impacted
        .iter()
        .filter(|i| i.test)
        .map(|i| i.file)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let fan_in = impacted.iter().filter(|i| i.depth == 1).count();
    let risk = Risk {
        fan_in,
        files: impacted.len(),
        modules: module_counts.len(),
        max_depth: impacted.iter().map(|i| i.depth).max().unwrap_or(0),
        tests: tests.len(),
        level: risk_level(fan_in, module_counts.len()),
    };
    ImpactSet {
        target_files: targets.into_iter().collect(),
        impacted,
        modules: module_counts,
        tests,
        risk,
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
