//! Sinks: formatters over a finished [`Analysis`]. A sink never recomputes
//! analysis and never touches the file system; it writes to the `Write` it
//! is given.

pub mod codeclimate;
pub mod dot;
pub mod flags;
pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod models;
pub mod routes;
pub mod sarif;
pub mod symbols;
pub mod text;
pub mod trace;

use std::collections::BTreeMap;

use crate::facts::ImportKind;
use crate::graph::Site;
use crate::pipeline::Analysis;
use crate::project::FileId;
use crate::resolve::{ImportClass, Resolution};

/// Version of every JSON document vantage writes; bumped when a documented
/// key is renamed or removed (docs/output.md).
pub const SCHEMA_VERSION: u32 = 1;

/// What a coupling-matrix cell counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Cells {
    /// Import sites from the row module into the column module.
    Sites,
    /// Distinct files of the row module importing the column module.
    Files,
}

impl Cells {
    pub fn of(self, cell: &crate::analysis::coupling::Cell) -> usize {
        match self {
            Cells::Sites => cell.sites,
            Cells::Files => cell.files,
        }
    }
}

/// Cycles found at a level, with what the sinks need to name them.
pub struct CyclesView<'a> {
    pub analysis: &'a Analysis,
    pub level: Level,
    pub options: crate::analysis::cycles::CycleOptions,
    pub components: &'a [crate::analysis::cycles::Component],
}

impl CyclesView<'_> {
    pub fn name(&self, id: usize) -> &str {
        node_name(self.analysis, self.level, id)
    }

    pub fn fingerprint(&self, component: &crate::analysis::cycles::Component) -> String {
        component.fingerprint(self.level.as_str(), |id| self.name(id).to_string())
    }

    /// Which imports count, in words.
    pub fn counted(&self) -> &'static str {
        if self.options.runtime_only {
            "imports that run at load time: extends, implements, static, re-export, top-level require"
        } else {
            "every import but type-only ones: static, re-export, require, dynamic, lazy"
        }
    }

    /// For each component, the component holding it, if any: a cycle inside
    /// a bigger component that only type-only imports close. Drawings nest
    /// the first inside the second, so no node is declared twice.
    pub fn enclosing(&self) -> Vec<Option<usize>> {
        let components = self.components;
        components
            .iter()
            .enumerate()
            .map(|(i, inner)| {
                components.iter().enumerate().position(|(j, outer)| {
                    j != i
                        && outer.members.len() > inner.members.len()
                        && inner
                            .members
                            .iter()
                            .all(|m| outer.members.binary_search(m).is_ok())
                })
            })
            .collect()
    }

    /// The edges to draw, each once: between members of a component, and
    /// not type-only-only inside a plain cycle. With whether any component
    /// cuts it, and whether any of its sites counts.
    pub fn drawn_edges(&self) -> Vec<DrawnEdge<'_>> {
        let graph = graph_at(self.analysis, self.level);
        let mut drawn = Vec::new();
        for (from, to, dependency) in graph.edges() {
            let holding: Vec<&crate::analysis::cycles::Component> = self
                .components
                .iter()
                .filter(|c| {
                    c.members.binary_search(&from).is_ok() && c.members.binary_search(&to).is_ok()
                })
                .collect();
            let counted = dependency.sites.iter().any(|s| self.options.counts(s.kind));
            let shown = holding
                .iter()
                .any(|c| counted || c.kind != crate::analysis::cycles::CycleKind::Cycle);
            if !shown {
                continue;
            }
            drawn.push(DrawnEdge {
                from,
                to,
                dependency,
                counted,
                cut: holding
                    .iter()
                    .any(|c| c.cut.iter().any(|h| h.from == from && h.to == to)),
            });
        }
        drawn
    }

    /// `path:line` of a site, with its kind when not static.
    pub fn site(&self, site: &Site) -> String {
        let mut text = format!("{}:{}", self.analysis.project.path(site.from), site.line);
        if site.kind != ImportKind::Static {
            text.push_str(&format!(" ({})", site.kind.as_str()));
        }
        text
    }
}

/// How many clone classes a run found, before any filter.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct ClassCounts {
    pub classes: usize,
    pub cross_module: usize,
}

impl ClassCounts {
    /// All the classes, and those `across` says span modules.
    pub fn of<T>(classes: &[T], across: impl Fn(&T) -> bool) -> ClassCounts {
        ClassCounts {
            classes: classes.len(),
            cross_module: classes.iter().filter(|c| across(c)).count(),
        }
    }
}

/// Which classes a listing keeps (`--cross-module`, `--top N`).
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct ClassFilter {
    pub cross_module: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top: Option<usize>,
}

/// Clone classes found, with what the sinks need to show them.
pub struct DupesView<'a> {
    pub analysis: &'a Analysis,
    pub options: crate::analysis::duplicates::DupeOptions,
    /// The classes listed (after the filter), largest first.
    pub classes: &'a [crate::analysis::duplicates::CloneClass],
    pub found: ClassCounts,
    pub filter: ClassFilter,
    /// By `FileId`.
    pub files: &'a [crate::analysis::duplicates::FileDuplication],
    /// Files whose header says they are generated: in no clone.
    pub generated: Vec<FileId>,
    /// Files `[dupes] exclude` leaves out.
    pub excluded: Vec<FileId>,
    /// Files with a `vantage-ignore-start` never closed, and its line.
    pub unclosed: Vec<(FileId, u32)>,
    /// The source text of each class's first member (text output).
    pub fragments: Vec<String>,
    /// Near-miss clones, when asked for (`--near`).
    pub near: Option<NearView<'a>>,
}

/// Near-miss classes found, as listed.
pub struct NearView<'a> {
    pub options: crate::analysis::near::NearOptions,
    /// The classes listed (after the filter), largest first.
    pub classes: &'a [crate::analysis::near::NearClass],
    pub found: ClassCounts,
    /// Per file (by `FileId`): code lines and lines inside a member.
    pub files: &'a [crate::analysis::duplicates::FileDuplication],
}

/// Where a clone member lies.
pub struct MemberPlace<'a> {
    pub path: &'a str,
    pub module: &'a str,
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

pub use crate::analysis::duplicates::LineShare;

impl DupesView<'_> {
    pub fn place(&self, member: &crate::analysis::duplicates::Fragment) -> MemberPlace<'_> {
        let analysis = self.analysis;
        let stream = analysis.facts[member.file]
            .tokens
            .as_ref()
            .expect("clone members have tokens");
        let first = &stream.tokens[member.start];
        let last = &stream.tokens[member.start + member.len - 1];
        let (start_line, start_column) = stream.position(first.start);
        let (end_line, end_column) = stream.position(last.end.max(last.start + 1) - 1);
        MemberPlace {
            path: analysis.project.path(member.file),
            module: analysis.modules.name(analysis.modules.of_file[member.file]),
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }

    /// The modules a class's members are in, sorted.
    pub fn modules(&self, class: &crate::analysis::duplicates::CloneClass) -> Vec<&str> {
        let names: std::collections::BTreeSet<&str> = class
            .members
            .iter()
            .map(|m| {
                self.analysis
                    .modules
                    .name(self.analysis.modules.of_file[m.file])
            })
            .collect();
        names.into_iter().collect()
    }

    /// The modules a near-miss class's members are in, sorted.
    pub fn near_modules(&self, class: &crate::analysis::near::NearClass) -> Vec<&str> {
        let modules = &self.analysis.modules;
        let names: std::collections::BTreeSet<&str> = class
            .members
            .iter()
            .map(|m| modules.name(modules.of_file[m.unit.file]))
            .collect();
        names.into_iter().collect()
    }

    /// Lines of a class (its first member).
    pub fn lines(&self, class: &crate::analysis::duplicates::CloneClass) -> u32 {
        let place = self.place(&class.members[0]);
        place.end_line - place.start_line + 1
    }

    /// Tokens of the files compared.
    pub fn tokens(&self) -> usize {
        let left_out: std::collections::BTreeSet<FileId> = self
            .generated
            .iter()
            .chain(&self.excluded)
            .copied()
            .collect();
        self.analysis
            .facts
            .iter()
            .enumerate()
            .filter(|(f, _)| !left_out.contains(f))
            .filter_map(|(_, facts)| facts.tokens.as_ref())
            .map(|t| t.tokens.len())
            .sum()
    }

    pub fn total(&self) -> LineShare {
        crate::analysis::duplicates::total_share(self.files)
    }

    /// Per module, by name: only modules with code.
    pub fn by_module(&self) -> Vec<(&str, LineShare)> {
        let modules = &self.analysis.modules;
        crate::analysis::duplicates::module_shares(self.files, modules)
            .into_iter()
            .enumerate()
            .filter(|(_, s)| s.code_lines > 0)
            .map(|(m, s)| (modules.name(m), s))
            .collect()
    }
}

/// An edge of a cycles drawing.
pub struct DrawnEdge<'a> {
    pub from: usize,
    pub to: usize,
    pub dependency: &'a crate::graph::Dependency,
    /// Whether a site of it counts towards cycles (else it is type-only).
    pub counted: bool,
    /// Whether a component's cut holds it.
    pub cut: bool,
}

/// What an impact query asked about, as given and as found.
#[derive(Clone, Debug)]
pub struct Target {
    /// `file`, `symbol`, `module` or `change`.
    pub kind: &'static str,
    /// As given: a path, a symbol name, a module, or a changed path.
    pub query: String,
    /// The module found (module targets).
    pub module: Option<String>,
    pub files: Vec<FileId>,
    /// Definitions matched (symbols) or touched (changes), as (file, index
    /// in its definitions).
    pub definitions: Vec<(FileId, usize)>,
    /// `added`, `modified`, `deleted`, `renamed` (changes).
    pub status: Option<&'static str>,
    /// Renamed from this path (changes).
    pub renamed_from: Option<String>,
    /// Names the change removed from the file (changes), and a member
    /// (symbol targets like `Order.cancel`).
    pub removed: Vec<String>,
    pub member: Option<String>,
    /// The change reaches beyond definitions: the whole file is a target.
    pub whole_file: bool,
    /// Definitions of the symbol graph the target names (symbols) or the
    /// change touches (changes).
    pub symbols: Vec<crate::symbols::SymbolId>,
}

impl Target {
    fn new(kind: &'static str, query: &str) -> Target {
        Target {
            kind,
            query: query.to_string(),
            module: None,
            files: Vec::new(),
            definitions: Vec::new(),
            status: None,
            renamed_from: None,
            removed: Vec::new(),
            member: None,
            whole_file: false,
            symbols: Vec::new(),
        }
    }

    pub fn file(path: &str, file: FileId) -> Target {
        Target {
            files: vec![file],
            whole_file: true,
            ..Target::new("file", path)
        }
    }

    pub fn symbol(query: &str, definitions: Vec<(FileId, usize)>) -> Target {
        let mut files: Vec<FileId> = definitions.iter().map(|(f, _)| *f).collect();
        files.dedup();
        Target {
            files,
            definitions,
            ..Target::new("symbol", query)
        }
    }

    /// Definitions of the symbol graph a symbol query found.
    pub fn symbol_nodes(
        query: &str,
        graph: &crate::symbols::SymbolGraph,
        nodes: Vec<crate::symbols::SymbolId>,
    ) -> Target {
        let mut files: Vec<FileId> = nodes.iter().map(|&n| graph.nodes[n].file).collect();
        files.sort_unstable();
        files.dedup();
        Target {
            files,
            symbols: nodes,
            ..Target::new("symbol", query)
        }
    }

    pub fn module(query: &str, module: String, files: Vec<FileId>) -> Target {
        Target {
            module: Some(module),
            files,
            whole_file: true,
            ..Target::new("module", query)
        }
    }

    /// A changed file; `seeds` are what it seeds (symbols, or the file).
    pub fn change(
        change: crate::changes::FileChange,
        file: Option<FileId>,
        seeds: Vec<crate::analysis::impact::Seed>,
        facts: &[crate::facts::FileFacts],
    ) -> Target {
        use crate::analysis::impact::Seed;
        use crate::changes::Status;
        let mut definitions = Vec::new();
        let mut removed = Vec::new();
        let mut whole_file = false;
        let mut symbols = Vec::new();
        for seed in &seeds {
            match seed {
                Seed::Definition(node) | Seed::Signature(node) => symbols.push(*node),
                Seed::File(_) => whole_file = true,
                Seed::Symbol { file, name } => {
                    if let Some(index) = facts[*file]
                        .definitions
                        .iter()
                        .position(|d| &d.name == name)
                    {
                        definitions.push((*file, index));
                    }
                }
                Seed::Removed { name, .. } | Seed::Missing { name, .. } => {
                    removed.push(name.clone())
                }
                Seed::Member { .. } => {}
            }
        }
        let (status, renamed_from) = match change.status {
            Status::Added => ("added", None),
            Status::Modified => ("modified", None),
            Status::Deleted => ("deleted", None),
            Status::Renamed(from) => ("renamed", Some(from)),
        };
        Target {
            files: file.into_iter().collect(),
            definitions,
            status: Some(status),
            renamed_from,
            removed,
            whole_file,
            symbols,
            ..Target::new("change", &change.path)
        }
    }
}

/// An impact set with what the sinks need to name it.
pub struct ImpactView<'a> {
    pub analysis: &'a Analysis,
    pub targets: &'a [Target],
    pub set: &'a crate::analysis::impact::ImpactSet,
    pub options: crate::analysis::impact::ImpactOptions,
}

/// What a check's findings were compared with.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    /// The baseline file, as given.
    pub baseline: Option<String>,
    /// The revision, and the merge base with it.
    pub since: Option<(String, String)>,
}

/// A check's findings, each with how it compares with what was known.
pub struct CheckView<'a> {
    pub analysis: &'a Analysis,
    /// Sorted by rule, place and fingerprint.
    pub findings: &'a [crate::analysis::rules::Finding],
    /// By finding.
    pub statuses: &'a [crate::analysis::baseline::Status],
    /// Each rule checked, with what it measured.
    pub measured: &'a [(crate::analysis::rules::Rule, String)],
    /// Baseline entries no finding matched.
    pub gone: &'a [crate::analysis::baseline::Known],
    pub comparison: Comparison,
    pub root_label: String,
}

impl CheckView<'_> {
    /// Findings that fail the gate, with their status.
    pub fn failing(
        &self,
    ) -> impl Iterator<
        Item = (
            &crate::analysis::rules::Finding,
            crate::analysis::baseline::Status,
        ),
    > {
        self.findings
            .iter()
            .zip(self.statuses.iter().copied())
            .filter(|(f, s)| s.fails() && f.severity == crate::analysis::rules::Severity::Error)
    }

    pub fn failed(&self) -> bool {
        self.failing().next().is_some()
    }

    /// The rules checked, in report order.
    pub fn rules(&self) -> Vec<crate::analysis::rules::Rule> {
        self.measured.iter().map(|(r, _)| *r).collect()
    }

    /// Module names of a finding.
    pub fn module_names(&self, finding: &crate::analysis::rules::Finding) -> Vec<&str> {
        finding
            .modules
            .iter()
            .map(|&m| self.analysis.modules.name(m))
            .collect()
    }
}

/// Graph granularity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    File,
    Module,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::File => "file",
            Level::Module => "module",
        }
    }
}

/// A node-to-node edge of either graph, with names resolved for output.
pub struct EdgeView<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub kind: ImportKind,
    pub sites: &'a [Site],
}

/// The name of node `id` of the graph at a level.
pub fn node_name(analysis: &Analysis, level: Level, id: usize) -> &str {
    match level {
        Level::File => analysis.project.path(id),
        Level::Module => analysis.modules.name(id),
    }
}

/// The graph at a level.
pub fn graph_at(analysis: &Analysis, level: Level) -> &crate::graph::DependencyGraph {
    match level {
        Level::File => &analysis.file_graph,
        Level::Module => &analysis.module_graph.graph,
    }
}

/// A graph to print: a level, and what of it (`graph --between A B`,
/// `--no-externals`).
#[derive(Clone, Copy)]
pub struct GraphView<'a> {
    pub analysis: &'a Analysis,
    pub level: Level,
    /// Only the edges between these two modules, both ways.
    pub between: Option<(usize, usize)>,
    /// Leave out imports of the standard library and third-party packages.
    pub no_externals: bool,
}

impl<'a> GraphView<'a> {
    /// The whole graph at a level.
    pub fn new(analysis: &'a Analysis, level: Level) -> Self {
        GraphView {
            analysis,
            level,
            between: None,
            no_externals: false,
        }
    }

    /// The edges shown, in (from, to) order.
    pub fn edges(&self) -> Vec<EdgeView<'a>> {
        let analysis = self.analysis;
        let module = |id: usize| match self.level {
            Level::File => analysis.modules.of_file[id],
            Level::Module => id,
        };
        graph_at(analysis, self.level)
            .edges()
            .filter(|(a, b, _)| match self.between {
                None => true,
                Some((x, y)) => {
                    let (ma, mb) = (module(*a), module(*b));
                    (ma, mb) == (x, y) || (ma, mb) == (y, x)
                }
            })
            .map(|(a, b, dep)| EdgeView {
                from: node_name(analysis, self.level, a),
                to: node_name(analysis, self.level, b),
                kind: dep.kind,
                sites: &dep.sites,
            })
            .collect()
    }

    /// Node ids shown: all, or those the edges between two modules touch
    /// (and the two modules, at module level).
    pub fn nodes(&self) -> Vec<usize> {
        let count = graph_at(self.analysis, self.level).node_count();
        let Some((x, y)) = self.between else {
            return (0..count).collect();
        };
        let mut kept = std::collections::BTreeSet::new();
        if self.level == Level::Module {
            kept.extend([x, y]);
        }
        let module = |id: usize| match self.level {
            Level::File => self.analysis.modules.of_file[id],
            Level::Module => id,
        };
        for (a, b, _) in graph_at(self.analysis, self.level).edges() {
            let (ma, mb) = (module(a), module(b));
            if (ma, mb) == (x, y) || (ma, mb) == (y, x) {
                kept.extend([a, b]);
            }
        }
        kept.into_iter().collect()
    }

    /// Whether an import without a source file is listed.
    pub fn shows_unresolved(&self, class: ImportClass) -> bool {
        self.between.is_none()
            && !(self.no_externals
                && matches!(
                    class,
                    ImportClass::Stdlib | ImportClass::External | ImportClass::Undeclared
                ))
    }
}

/// An import that reached no source file of the repository.
pub struct ExternalImport<'a> {
    pub path: &'a str,
    pub line: u32,
    pub specifier: &'a str,
    pub kind: ImportKind,
    pub class: ImportClass,
    pub package: Option<&'a str>,
    pub reference: bool,
}

/// Imports with a class (stdlib, external, undeclared, unresolved), in
/// (path, line, specifier) order.
pub fn external_imports(analysis: &Analysis) -> Vec<ExternalImport<'_>> {
    let mut out = Vec::new();
    for (id, (facts, resolved)) in analysis.facts.iter().zip(&analysis.resolutions).enumerate() {
        for (import, resolution) in facts.imports.iter().zip(resolved) {
            let Some(class) = resolution.class() else {
                continue;
            };
            let package = match resolution {
                Resolution::External { package } | Resolution::Undeclared { package } => {
                    Some(package.as_str())
                }
                _ => None,
            };
            out.push(ExternalImport {
                path: analysis.project.path(id),
                line: import.line,
                specifier: &import.specifier,
                kind: import.kind,
                class,
                package,
                reference: import.reference,
            });
        }
    }
    // Files are in path order already; a stable sort keeps statement order.
    out.sort_by(|a, b| (a.path, a.line, a.specifier).cmp(&(b.path, b.line, b.specifier)));
    out
}

/// Counts of import statements by outcome.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ImportCounts {
    pub total: usize,
    /// Reached at least one source file.
    pub internal: usize,
    /// Internal Python namespace packages (no file).
    pub namespace: usize,
    /// Repository files that are not source (`.json`, `.css`).
    pub asset: usize,
    pub stdlib: usize,
    pub external: usize,
    pub undeclared: usize,
    pub unresolved: usize,
    /// Names declared by several files (PHP).
    pub ambiguous: usize,
    /// Names of the importing file itself.
    pub local: usize,
}

/// Counts of references (qualified names used in code: PHP, Rust).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ReferenceCounts {
    pub total: usize,
    /// Reached another file of the repository.
    pub internal: usize,
    /// Looked internal and named nothing that exists.
    pub unresolved: usize,
    pub ambiguous: usize,
    /// The importing file itself, or outside the repository.
    pub other: usize,
}

pub fn import_counts(analysis: &Analysis) -> (ImportCounts, ReferenceCounts) {
    let mut counts = ImportCounts::default();
    let mut references = ReferenceCounts::default();
    let imports = analysis.facts.iter().flat_map(|f| &f.imports);
    for (import, resolution) in imports.zip(analysis.resolutions.iter().flatten()) {
        if import.reference {
            references.total += 1;
            let slot = match resolution {
                Resolution::Files(_) => &mut references.internal,
                Resolution::Unresolved => &mut references.unresolved,
                Resolution::Ambiguous(_) => &mut references.ambiguous,
                _ => &mut references.other,
            };
            *slot += 1;
            continue;
        }
        counts.total += 1;
        let slot = match resolution {
            Resolution::Files(_) => &mut counts.internal,
            Resolution::Namespace => &mut counts.namespace,
            Resolution::Asset(_) => &mut counts.asset,
            Resolution::Stdlib => &mut counts.stdlib,
            Resolution::External { .. } => &mut counts.external,
            Resolution::Undeclared { .. } => &mut counts.undeclared,
            Resolution::Unresolved => &mut counts.unresolved,
            Resolution::Ambiguous(_) => &mut counts.ambiguous,
            Resolution::Local => &mut counts.local,
        };
        *slot += 1;
    }
    (counts, references)
}

/// Third-party packages imported but declared in no manifest, with the
/// number of imports of each, by name.
pub fn undeclared_packages(analysis: &Analysis) -> BTreeMap<&str, usize> {
    let mut out = BTreeMap::new();
    for resolution in analysis.resolutions.iter().flatten() {
        if let Resolution::Undeclared { package } = resolution {
            *out.entry(package.as_str()).or_insert(0) += 1;
        }
    }
    out
}

/// Lines as ranges: `3, 7-9` (the lines a near-miss member differs in).
pub fn line_ranges(lines: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            lines[i].to_string()
        } else {
            format!("{}-{}", lines[i], lines[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// Parsed files (skipped ones left out) per language, by name.
pub fn parsed_by_language(analysis: &Analysis) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for file in analysis
        .project
        .files()
        .iter()
        .filter(|f| f.skipped.is_none())
    {
        *counts.entry(file.language.family().as_str()).or_insert(0) += 1;
    }
    counts
}

/// Files per module, by `ModuleId`.
pub fn module_sizes(analysis: &Analysis) -> Vec<usize> {
    let mut sizes = vec![0; analysis.modules.names.len()];
    for &module in &analysis.modules.of_file {
        sizes[module] += 1;
    }
    sizes
}

/// The endpoints an impact reaches (its definitions, at the symbol level).
pub fn reached_endpoints<'a>(
    analysis: &'a crate::pipeline::Analysis,
    set: &crate::analysis::impact::ImpactSet,
) -> Vec<crate::routes::Reached<'a>> {
    if analysis.routes.routes.is_empty() || set.symbols.is_empty() {
        return Vec::new();
    }
    let reached: Vec<(crate::symbols::SymbolId, usize, bool)> = set
        .symbols
        .iter()
        .map(|s| (s.node, s.depth, s.weak))
        .collect();
    analysis
        .routes
        .reached(|r| crate::cli::trace::starts_of(analysis, r), &reached)
}
