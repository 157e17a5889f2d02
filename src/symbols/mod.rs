//! The symbol graph: definitions at every depth and the uses between
//! them, beside the file graph.
//!
//! ## What it finds
//! One node per module (a file's own top-level code) and per definition,
//! named as its language names it (`pkg.mod.Class.method`,
//! `src/a.ts#Class.method`); one edge per (user, used, kind) with the
//! lines of every use: `call`, `instantiate`, `inherit`, `type`,
//! `reference`, and the implicit dependencies of tests (`fixture`: a
//! pytest fixture named by a test's parameter, an autouse fixture, a
//! `usefixtures` mark). Uses that cannot be followed are kept as
//! unresolved, with the name as written and why (an unknown receiver, a
//! name a module or class does not have), never guessed.
//!
//! ## Why it matters
//! "What breaks if this changes" is a question about definitions: the
//! callers of a function, not every importer of its file. A change to a
//! method reaches its callers and theirs; the tests a change needs are the
//! tests that reach it.
//!
//! ## Example
//! `app/views.py` `def order_detail(request): return OrderService().get(1)`
//! gives `app.views.order_detail -> app.services.OrderService`
//! (instantiate) and `-> app.services.OrderService.get` (call): the
//! receiver's type is known from the instantiation.
//!
//! ## Limits
//! Receivers are typed only where the code says so locally: an
//! instantiation, an annotation (parameter, variable, return), `self.x =`
//! in a method, a property's return annotation. Values from containers,
//! from untyped parameters or from the framework (a Django manager) stay
//! unresolved. Dynamic dispatch is followed through inheritance
//! (overrides are reached by impact, see `analysis::symbol_impact`).

mod python;
mod resolve;
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
use serde::Serialize;

use crate::facts::{DefKind, FileFacts, SymbolDef, UseKind};
use crate::lang::LanguageFamily;
use crate::project::{FileId, ProjectFiles};
use crate::resolve::{Resolution, Resolvers};

pub use tests::{TestKind, test_id};

/// A node of the symbol graph: an index into [`SymbolGraph::nodes`].
pub type SymbolId = usize;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A file's own top-level code (what runs when it loads).
    Module,
    Def(DefKind),
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Module => "module",
            NodeKind::Def(kind) => kind.as_str(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct SymbolNode {
    /// The language's qualified name; unique in the graph.
    pub name: String,
    pub file: FileId,
    pub kind: NodeKind,
    /// The definitions of the file it stands for (indexes into
    /// `SymbolFacts::defs`): one, or several alternatives of one name
    /// (`if PY3: def f` / `else: def f`). Empty for a module.
    pub defs: Vec<u32>,
    /// First and last line (of its first definition; the whole file for a
    /// module).
    pub lines: (u32, u32),
    /// A test: a test function or method, or the module of a test file.
    pub test: Option<TestKind>,
    /// A class with a base outside the repository (or unknown): that base
    /// may call the class's methods back (a framework, `MutableSet`).
    pub open_bases: bool,
}

/// How one definition uses another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    Call,
    Instantiate,
    Inherit,
    Type,
    Reference,
    /// A test's fixture (pytest: by parameter name, autouse, usefixtures;
    /// unittest's `setUp` and friends).
    Fixture,
    /// A module imports the definition by name (`from m import f`,
    /// `import { f } from`): the import breaks when it is removed.
    Import,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Call => "call",
            EdgeKind::Instantiate => "instantiate",
            EdgeKind::Inherit => "inherit",
            EdgeKind::Type => "type",
            EdgeKind::Reference => "reference",
            EdgeKind::Fixture => "fixture",
            EdgeKind::Import => "import",
        }
    }

    fn of(kind: UseKind, target: DefKind) -> EdgeKind {
        match kind {
            UseKind::Call if target.is_type() => EdgeKind::Instantiate,
            UseKind::Call => EdgeKind::Call,
            UseKind::New => EdgeKind::Instantiate,
            UseKind::Inherit => EdgeKind::Inherit,
            UseKind::Type => EdgeKind::Type,
            UseKind::Reference => EdgeKind::Reference,
        }
    }
}

/// Where a use is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UseSite {
    pub line: u32,
    /// Runs when the user's module loads (see `facts::Use::load`).
    pub load: bool,
    /// A call through an instance whose class may be a subclass (`x.m()`,
    /// `self.m()`): it may run an override. Not a constructor, `super()`
    /// or `Class.m(self)`.
    pub dispatch: bool,
}

/// One edge: `from` uses `to` in this way, at these lines.
#[derive(Clone, Debug)]
pub struct SymbolEdge {
    pub kind: EdgeKind,
    /// Sorted and unique.
    pub sites: Vec<UseSite>,
}

/// Why a use was not followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnresolvedReason {
    /// The receiver's type is not known (an untyped parameter, a value
    /// from a container or from outside the repository).
    UnknownReceiver,
    /// The name is bound nowhere the file shows (a global set elsewhere,
    /// a wildcard import from outside).
    UnknownName,
    /// A module or class of the repository was asked for a name it does
    /// not define (removed, dynamic, or added by a framework).
    Missing,
}

impl UnresolvedReason {
    pub fn as_str(self) -> &'static str {
        match self {
            UnresolvedReason::UnknownReceiver => "unknown_receiver",
            UnresolvedReason::UnknownName => "unknown_name",
            UnresolvedReason::Missing => "missing",
        }
    }
}

/// A use that could not be followed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unresolved {
    pub from: SymbolId,
    /// As written (`self.repo.fetch`).
    pub path: String,
    pub line: u32,
    pub kind: UseKind,
    pub load: bool,
    pub reason: UnresolvedReason,
    /// For [`UnresolvedReason::Missing`]: the node asked (a module or a
    /// class) and the name it lacks. A removed definition is found here.
    pub missing: Option<(SymbolId, String)>,
}

impl Unresolved {
    /// A special method an operator or a builtin implies (`a == b` is
    /// `a.__eq__`, `repr(x)` `x.__repr__`): kept for impact, which matches
    /// it by name, but not listed among the uses not followed.
    pub fn is_implied(&self) -> bool {
        let last = self.path.rsplit('.').next().unwrap_or(&self.path);
        self.path.contains('.') && last.starts_with("__") && last.ends_with("__") && last.len() > 4
    }
}

/// Definitions and their uses, for every file with symbol facts.
#[derive(Default)]
pub struct SymbolGraph {
    pub nodes: Vec<SymbolNode>,
    /// By file: its module node (files without symbol facts have none).
    pub module_of: Vec<Option<SymbolId>>,
    /// By file, by index into its `SymbolFacts::defs`: the node.
    pub node_of_def: Vec<Vec<SymbolId>>,
    /// Node index = [`SymbolId`]; edges added in (from, to, kind) order.
    pub graph: DiGraph<SymbolId, SymbolEdge>,
    /// Sorted by (from, line, path).
    pub unresolved: Vec<Unresolved>,
    /// (a module, a module whose every name it passes on): `export *
    /// from`, `from m import *`. Sorted.
    pub wildcards: Vec<(SymbolId, SymbolId)>,
    /// Each file's index and answer, and every use numbered (sorted),
    /// kept for [`update`].
    indexes: Vec<Arc<resolve::FileIndex>>,
    raw: Vec<resolve::FileRaw>,
    numbered: Vec<Resolved>,
    /// [`resolve::World::globals_key`] of the world it was built in.
    globals: u64,
}

impl SymbolGraph {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Edges as (from, to, edge), in (from, to, kind) order.
    pub fn edges(&self) -> impl Iterator<Item = (SymbolId, SymbolId, &SymbolEdge)> {
        self.graph
            .edge_references()
            .map(|e| (e.source().index(), e.target().index(), e.weight()))
    }

    /// What uses `node`: (user, edge).
    pub fn users(&self, node: SymbolId) -> impl Iterator<Item = (SymbolId, &SymbolEdge)> {
        self.graph
            .edges_directed(NodeIndex::new(node), petgraph::Direction::Incoming)
            .map(|e| (e.source().index(), e.weight()))
    }

    /// What `node` uses: (used, edge).
    pub fn used(&self, node: SymbolId) -> impl Iterator<Item = (SymbolId, &SymbolEdge)> {
        self.graph
            .edges_directed(NodeIndex::new(node), petgraph::Direction::Outgoing)
            .map(|e| (e.target().index(), e.weight()))
    }

    /// The definition a node stands for (its first, for alternatives).
    pub fn def<'f>(&self, facts: &'f [FileFacts], node: SymbolId) -> Option<&'f SymbolDef> {
        let n = &self.nodes[node];
        let d = *n.defs.first()?;
        facts.get(n.file)?.symbols.as_ref()?.defs.get(d as usize)
    }

    /// Whether a node is a private definition ([`SymbolDef::private`]):
    /// all of its alternatives are (a PHP class's `private $name` and its
    /// public `name()` share a node).
    pub fn is_private(&self, facts: &[FileFacts], node: SymbolId) -> bool {
        let n = &self.nodes[node];
        let Some(defs) = facts.get(n.file).and_then(|f| f.symbols.as_ref()) else {
            return false;
        };
        !n.defs.is_empty()
            && n.defs
                .iter()
                .all(|&d| defs.defs.get(d as usize).is_some_and(|d| d.private))
    }

    /// The node of a definition of a file.
    pub fn node(&self, file: FileId, def: u32) -> Option<SymbolId> {
        self.node_of_def.get(file)?.get(def as usize).copied()
    }

    /// The innermost definition of `file` whose lines hold `line`, else
    /// the module.
    pub fn at_line(&self, facts: &FileFacts, file: FileId, line: u32) -> Option<SymbolId> {
        let symbols = facts.symbols.as_ref()?;
        let innermost = symbols
            .defs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.start_line <= line && line <= d.end_line)
            .max_by_key(|(i, d)| (d.start_line, *i))
            .map(|(i, _)| i as u32);
        match innermost {
            Some(def) => self.node(file, def),
            None => self.module_of.get(file).copied().flatten(),
        }
    }

    /// Nodes named `query`: exactly, or ending in it at a separator
    /// (`Order.cancel` finds `shop.models.Order.cancel`).
    pub fn find(&self, query: &str) -> Vec<SymbolId> {
        let exact: Vec<SymbolId> = (0..self.nodes.len())
            .filter(|&n| self.nodes[n].name == query)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        let normalised = query.replace("::", ".").replace(['\\', '#'], ".");
        (0..self.nodes.len())
            .filter(|&n| {
                let name = self.nodes[n]
                    .name
                    .replace("::", ".")
                    .replace(['\\', '#'], ".");
                name.len() > normalised.len()
                    && name.ends_with(&normalised)
                    && name.as_bytes()[name.len() - normalised.len() - 1] == b'.'
            })
            .collect()
    }

    /// How many uses went unresolved, by reason.
    pub fn unresolved_counts(&self) -> BTreeMap<UnresolvedReason, usize> {
        let mut counts = BTreeMap::new();
        for u in self.unresolved.iter().filter(|u| !u.is_implied()) {
            *counts.entry(u.reason).or_insert(0) += 1;
        }
        counts
    }
}

/// What a written path is, as [`Lookup::follow`] tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Followed<D> {
    /// A definition (a function, a class, a variable).
    Def(D),
    /// An instance of a class.
    Instance(D),
    /// A file's module.
    Module(FileId),
    /// Something outside the repository.
    External,
    Unknown,
}

/// Written paths followed after the graph is built, the way its uses
/// were (`routes` names views, routers and applications).
pub struct Lookup<'a> {
    graph: &'a SymbolGraph,
    world: resolve::World<'a>,
}

impl<'a> Lookup<'a> {
    pub fn new(
        graph: &'a SymbolGraph,
        project: &'a ProjectFiles,
        facts: &'a [FileFacts],
        resolvers: &'a Resolvers<'a>,
    ) -> Self {
        Lookup {
            graph,
            world: resolve::World::new(project, facts, resolvers, graph.indexes.clone()),
        }
    }

    /// The node of the last definition `path` meets from `scope` of
    /// `file` (`views.OrderView` names the class; `bp`, an imported
    /// module variable, names that variable), and what its value is.
    pub fn follow(
        &self,
        file: FileId,
        scope: Option<u32>,
        path: &str,
        line: u32,
    ) -> (Option<SymbolId>, Followed<SymbolId>) {
        if self.graph.indexes.len() <= file {
            return (None, Followed::Unknown);
        }
        let (met, value) = self.world.follow(file, scope, path, line);
        let node = |(f, d): (FileId, u32)| self.graph.node(f, d);
        let value = match value {
            Followed::Def(d) => node(d).map_or(Followed::Unknown, Followed::Def),
            Followed::Instance(d) => node(d).map_or(Followed::Unknown, Followed::Instance),
            Followed::Module(f) => Followed::Module(f),
            Followed::External => Followed::External,
            Followed::Unknown => Followed::Unknown,
        };
        (met.and_then(node), value)
    }

    /// A class's linearisation as nodes (itself first, its bases in the
    /// repository in method resolution order), and whether a base is
    /// outside the repository or unknown.
    pub fn linearisation(&self, class: SymbolId) -> (Vec<SymbolId>, bool) {
        let n = &self.graph.nodes[class];
        let Some(&def) = n.defs.first() else {
            return (vec![class], false);
        };
        let (classes, open) = self.world.linearisation(n.file, def);
        let nodes = classes
            .into_iter()
            .filter_map(|(f, d)| self.graph.node(f, d))
            .collect();
        (nodes, open)
    }
}

/// One resolved use, before edges are merged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Resolved {
    from: SymbolId,
    to: SymbolId,
    kind: EdgeKind,
    site: UseSite,
}

/// Builds the symbol graph of the files that carry symbol facts.
pub fn build(
    project: &ProjectFiles,
    facts: &[FileFacts],
    resolutions: &[Vec<Resolution>],
    resolvers: &Resolvers,
) -> SymbolGraph {
    let indexes: Vec<Arc<resolve::FileIndex>> = (0..facts.len())
        .into_par_iter()
        .map(|file| {
            Arc::new(resolve::index_file(
                project,
                facts,
                resolutions,
                resolvers,
                file,
            ))
        })
        .collect();
    let world = resolve::World::new(project, facts, resolvers, indexes.clone());
    let raw: Vec<resolve::FileRaw> = (0..facts.len())
        .into_par_iter()
        .map(|file| world.resolve_file(file))
        .collect();
    let globals = world.globals_key();
    assemble(project, facts, resolvers, indexes, raw, globals)
}

/// The graph after an edit of `changed` (the same files, new facts for
/// these): their index is built again, and only the files whose answer
/// read one of them (or that are one of them) are resolved again. When
/// the edited files define the same names as before, nodes keep their ids
/// and only the edges and unresolved uses of the files resolved again are
/// replaced. The result equals [`build`]'s.
pub fn update(
    previous: SymbolGraph,
    project: &ProjectFiles,
    facts: &[FileFacts],
    resolutions: &[Vec<Resolution>],
    resolvers: &Resolvers,
    changed: &[FileId],
) -> SymbolGraph {
    let SymbolGraph {
        mut nodes,
        module_of,
        mut node_of_def,
        indexes: mut index,
        mut raw,
        numbered,
        unresolved,
        globals,
        ..
    } = previous;
    if index.len() != facts.len() || raw.len() != facts.len() {
        return build(project, facts, resolutions, resolvers);
    }
    // A Rust file's module path comes from the `mod` items of others.
    let names = module_names(project, facts, resolvers);
    // (A module named as another node of the graph is told apart by its
    // path, `dump@tests/dump.rs`: that is no rename.)
    let renamed = names
        .iter()
        .zip(&module_of)
        .enumerate()
        .any(|(file, (name, node))| {
            let had = node.map(|n| nodes[n].name.as_str());
            name.as_deref() != had
                && !name.as_ref().zip(had).is_some_and(|(name, had)| {
                    had.strip_prefix(name.as_str())
                        .and_then(|rest| rest.strip_prefix('@'))
                        == Some(project.path(file))
                })
        });
    if renamed {
        return build(project, facts, resolutions, resolvers);
    }
    let changed: std::collections::BTreeSet<FileId> = changed.iter().copied().collect();
    // Files whose interface changed: only their readers need resolving
    // again (an edit of a body or a comment keeps it).
    let mut moved: std::collections::BTreeSet<FileId> = std::collections::BTreeSet::new();
    for &file in &changed {
        let fresh = Arc::new(resolve::index_file(
            project,
            facts,
            resolutions,
            resolvers,
            file,
        ));
        if fresh.interface != index[file].interface {
            moved.insert(file);
        }
        index[file] = fresh;
    }
    let redo: Vec<FileId> = (0..facts.len())
        .filter(|file| changed.contains(file) || raw[*file].reads.iter().any(|r| moved.contains(r)))
        .collect();
    let world = resolve::World::new(project, facts, resolvers, index.clone());
    if world.globals_key() != globals {
        return build(project, facts, resolutions, resolvers);
    }
    let fresh: Vec<(FileId, resolve::FileRaw)> = redo
        .par_iter()
        .map(|&file| (file, world.resolve_file(file)))
        .collect();
    for (file, answer) in fresh {
        raw[file] = answer;
    }
    // Nodes keep their ids when each edited file names the same
    // definitions, in the same order (a body or a line moved).
    for &file in &changed {
        let same = module_of[file]
            .zip(facts[file].symbols.as_ref())
            .and_then(|(start, _)| {
                let end = start + nodes[start..].iter().take_while(|n| n.file == file).count();
                let (own, offsets) = file_nodes(project, facts, file, &nodes[start].name);
                let same = own.len() == end - start
                    && own
                        .iter()
                        .zip(&nodes[start..end])
                        .all(|(a, b)| a.name == b.name && a.kind == b.kind);
                same.then_some((start, own, offsets))
            });
        let Some((start, own, offsets)) = same else {
            return assemble(project, facts, resolvers, index, raw, globals);
        };
        node_of_def[file] = offsets.into_iter().map(|o| start + o).collect();
        for (i, node) in own.into_iter().enumerate() {
            nodes[start + i] = node;
        }
    }
    let again: std::collections::BTreeSet<FileId> = redo.iter().copied().collect();
    let (fresh_numbered, fresh_unresolved) = number(
        &raw,
        &again.iter().copied().collect::<Vec<_>>(),
        &module_of,
        &node_of_def,
    );
    let keep_numbered = numbered
        .into_iter()
        .filter(|r| !again.contains(&nodes[r.from].file));
    let keep_unresolved = unresolved
        .into_iter()
        .filter(|u| !again.contains(&nodes[u.from].file));
    let numbered = merge_sorted(keep_numbered.collect(), fresh_numbered);
    let unresolved = merge_sorted(keep_unresolved.collect(), fresh_unresolved);
    finish(
        (nodes, module_of, node_of_def),
        index,
        raw,
        (numbered, unresolved),
        globals,
    )
}

/// Two sorted lists as one, sorted and without repeats.
fn merge_sorted<T: Ord>(a: Vec<T>, b: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x <= y => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        if let Some(item) = next
            && out.last() != Some(&item)
        {
            out.push(item);
        }
    }
    out
}

/// The answers of some files in nodes: edges and unresolved uses, each
/// sorted and without repeats.
fn number(
    raw: &[resolve::FileRaw],
    files: &[FileId],
    module_of: &[Option<SymbolId>],
    node_of_def: &[Vec<SymbolId>],
) -> (Vec<Resolved>, Vec<Unresolved>) {
    let node = |file: FileId, def: Option<u32>| match def {
        Some(d) => node_of_def[file].get(d as usize).copied(),
        None => module_of[file],
    };
    let mut resolved: Vec<Resolved> = Vec::new();
    let mut unresolved: Vec<Unresolved> = Vec::new();
    for &file in files {
        let answer = &raw[file];
        for edge in &answer.edges {
            if let (Some(from), Some(to)) =
                (node(file, edge.from), node(edge.to.0, Some(edge.to.1)))
            {
                resolved.push(Resolved {
                    from,
                    to,
                    kind: edge.kind,
                    site: edge.site,
                });
            }
        }
        for u in &answer.unresolved {
            let Some(from) = node(file, u.from) else {
                continue;
            };
            unresolved.push(Unresolved {
                from,
                path: u.path.clone(),
                line: u.line,
                kind: u.kind,
                load: u.load,
                reason: u.reason,
                missing: u
                    .missing
                    .as_ref()
                    .and_then(|((f, d), name)| Some((node(*f, *d)?, name.clone()))),
            });
        }
    }
    resolved.par_sort_unstable();
    resolved.dedup();
    unresolved.par_sort_unstable();
    unresolved.dedup();
    (resolved, unresolved)
}

/// The graph of per-file answers: nodes named, edges numbered, merged by
/// (from, to, kind) and added in that order.
fn assemble(
    project: &ProjectFiles,
    facts: &[FileFacts],
    resolvers: &Resolvers,
    indexes: Vec<Arc<resolve::FileIndex>>,
    raw: Vec<resolve::FileRaw>,
    globals: u64,
) -> SymbolGraph {
    let (nodes, module_of, node_of_def) = name_nodes(project, facts, resolvers);
    let all: Vec<FileId> = (0..raw.len()).collect();
    let (numbered, unresolved) = number(&raw, &all, &module_of, &node_of_def);
    finish(
        (nodes, module_of, node_of_def),
        indexes,
        raw,
        (numbered, unresolved),
        globals,
    )
}

/// The petgraph of numbered edges (sorted), and the rest of the graph.
fn finish(
    (mut nodes, module_of, node_of_def): Naming,
    indexes: Vec<Arc<resolve::FileIndex>>,
    raw: Vec<resolve::FileRaw>,
    (numbered, unresolved): (Vec<Resolved>, Vec<Unresolved>),
    globals: u64,
) -> SymbolGraph {
    for (file, answer) in raw.iter().enumerate() {
        for &class in &answer.open_classes {
            if let Some(&node) = node_of_def[file].get(class as usize) {
                nodes[node].open_bases = true;
            }
        }
    }
    let mut wildcards: Vec<(SymbolId, SymbolId)> = Vec::new();
    for (file, index) in indexes.iter().enumerate() {
        for &source in index.stars() {
            if let (Some(from), Some(to)) = (module_of[file], module_of[source]) {
                wildcards.push((from, to));
            }
        }
    }
    wildcards.sort_unstable();
    wildcards.dedup();
    let mut graph: DiGraph<SymbolId, SymbolEdge> =
        DiGraph::with_capacity(nodes.len(), numbered.len());
    for id in 0..nodes.len() {
        graph.add_node(id);
    }
    let mut i = 0;
    while i < numbered.len() {
        let (from, to, kind) = (numbered[i].from, numbered[i].to, numbered[i].kind);
        let mut sites = Vec::new();
        while i < numbered.len()
            && (numbered[i].from, numbered[i].to, numbered[i].kind) == (from, to, kind)
        {
            sites.push(numbered[i].site);
            i += 1;
        }
        sites.dedup();
        graph.add_edge(
            NodeIndex::new(from),
            NodeIndex::new(to),
            SymbolEdge { kind, sites },
        );
    }
    SymbolGraph {
        nodes,
        module_of,
        node_of_def,
        graph,
        unresolved,
        wildcards,
        indexes,
        raw,
        numbered,
        globals,
    }
}

/// Each definition's name inside its file (`Class.method`), by index.
pub fn local_names(symbols: &crate::facts::SymbolFacts) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(symbols.defs.len());
    for def in &symbols.defs {
        let name = match def.parent {
            Some(p) => format!("{}.{}", names[p as usize], def.name),
            None => def.name.clone(),
        };
        names.push(name);
    }
    names
}

type Naming = (Vec<SymbolNode>, Vec<Option<SymbolId>>, Vec<Vec<SymbolId>>);

/// The nodes: per file in file order, its module, then its definitions in
/// source order, one node per qualified name.
fn name_nodes(project: &ProjectFiles, facts: &[FileFacts], resolvers: &Resolvers) -> Naming {
    let module_names = module_names(project, facts, resolvers);
    let mut nodes: Vec<SymbolNode> = Vec::new();
    let mut module_of = vec![None; facts.len()];
    let mut node_of_def = vec![Vec::new(); facts.len()];
    for (file, name) in module_names.iter().enumerate() {
        let Some(module) = name else { continue };
        let (mut own, offsets) = file_nodes(project, facts, file, module);
        let base = nodes.len();
        module_of[file] = Some(base);
        node_of_def[file] = offsets.into_iter().map(|o| base + o).collect();
        nodes.append(&mut own);
    }
    // One name declared by two files (PHP classes of a polyfill, Rust
    // items under `#[cfg]` in two files): the later ones say where.
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for id in 0..nodes.len() {
        if let Some(first) = seen.insert(nodes[id].name.clone(), id)
            && nodes[first].file != nodes[id].file
        {
            nodes[id].name = format!("{}@{}", nodes[id].name, project.path(nodes[id].file));
        }
    }
    (nodes, module_of, node_of_def)
}

/// One file's nodes: its module, then one per qualified name of its
/// definitions, tests marked; and each definition's node, as an offset
/// into them.
fn file_nodes(
    project: &ProjectFiles,
    facts: &[FileFacts],
    file: FileId,
    module: &str,
) -> (Vec<SymbolNode>, Vec<usize>) {
    let file_facts = &facts[file];
    let Some(symbols) = &file_facts.symbols else {
        return (Vec::new(), Vec::new());
    };
    let family = project.get(file).language.family();
    let mut nodes = vec![SymbolNode {
        name: module.to_string(),
        file,
        kind: NodeKind::Module,
        defs: Vec::new(),
        lines: (1, file_facts.lines.max(1)),
        test: None,
        open_bases: false,
    }];
    let mut qualified: Vec<String> = Vec::with_capacity(symbols.defs.len());
    let mut by_name: std::collections::HashMap<String, usize> = Default::default();
    let mut offsets = Vec::with_capacity(symbols.defs.len());
    for (i, def) in symbols.defs.iter().enumerate() {
        let name = match def.parent {
            Some(p) => format!(
                "{}{}{}",
                qualified[p as usize],
                member_separator(family),
                def.name
            ),
            // PHP's declarations are named by their namespace, not their file.
            None if family == LanguageFamily::Php => match symbols.namespace_at(def.start_line) {
                "" => def.name.clone(),
                namespace => format!("{namespace}\\{}", def.name),
            },
            None => top_name(family, module, &def.name),
        };
        qualified.push(name.clone());
        let id = *by_name.entry(name.clone()).or_insert_with(|| {
            nodes.push(SymbolNode {
                name,
                file,
                kind: NodeKind::Def(def.kind),
                defs: Vec::new(),
                lines: (def.start_line, def.end_line),
                test: None,
                open_bases: false,
            });
            nodes.len() - 1
        });
        // Alternatives of one name (overloads and their implementation,
        // a property's getter and setter) span all.
        let lines = &mut nodes[id].lines;
        *lines = (lines.0.min(def.start_line), lines.1.max(def.end_line));
        nodes[id].defs.push(i as u32);
        offsets.push(id);
    }
    tests::mark_tests(project, facts, &mut nodes);
    (nodes, offsets)
}

/// What joins a definition to its parent's name.
fn member_separator(family: LanguageFamily) -> &'static str {
    match family {
        LanguageFamily::Php | LanguageFamily::Rust => "::",
        _ => ".",
    }
}

/// A top-level definition's name from its module's.
fn top_name(family: LanguageFamily, module: &str, name: &str) -> String {
    match family {
        LanguageFamily::Python => format!("{module}.{name}"),
        LanguageFamily::TypeScript | LanguageFamily::JavaScript => format!("{module}#{name}"),
        LanguageFamily::Php | LanguageFamily::Rust => format!("{module}::{name}"),
    }
}

/// Each file's module name, unique: Python's dotted import name (the
/// repository-relative dotted path where two files would share one),
/// Rust's module path under its crate (`shop::models::order`), others
/// their path.
fn module_names(
    project: &ProjectFiles,
    facts: &[FileFacts],
    resolvers: &Resolvers,
) -> Vec<Option<String>> {
    let mut names: Vec<Option<String>> = facts
        .iter()
        .enumerate()
        .map(|(file, f)| {
            f.symbols.as_ref()?;
            let path = project.path(file);
            Some(match project.get(file).language.family() {
                LanguageFamily::Python => {
                    python::module_name(project, path, resolvers.python_roots())
                }
                LanguageFamily::Rust => resolvers
                    .rust_module_name(file)
                    .unwrap_or_else(|| path.to_string()),
                _ => path.to_string(),
            })
        })
        .collect();
    let mut seen: std::collections::HashMap<String, Vec<FileId>> = Default::default();
    for (file, name) in names.iter().enumerate() {
        if let Some(name) = name {
            seen.entry(name.clone()).or_default().push(file);
        }
    }
    for (name, files) in seen.iter().filter(|(_, f)| f.len() > 1) {
        for (i, &file) in files.iter().enumerate() {
            if project.get(file).language.family() == LanguageFamily::Rust {
                // A package's library and binary share its name: the
                // first in path order (`src/lib.rs`) keeps it.
                if i > 0 {
                    names[file] = Some(format!("{name}@{}", project.path(file)));
                }
                continue;
            }
            names[file] = Some(python::dotted_path(project.path(file)));
        }
    }
    names
}

/// Which way [`SymbolGraph::walk`] goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// What uses the start (callers, instantiators, subclasses...).
    Users,
    /// What the start uses.
    Used,
}

/// A node met by [`SymbolGraph::walk`], with the edge that reached it
/// first (breadth-first: a shortest chain).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walked {
    pub node: SymbolId,
    pub depth: usize,
    /// The edge between it and the node one step closer to a start: for
    /// users, `node` uses `toward`; for used, `toward` uses `node`.
    pub toward: SymbolId,
    pub kind: EdgeKind,
    /// The lines of that edge's uses (in the user's file).
    pub lines: Vec<u32>,
}

impl SymbolGraph {
    /// Breadth-first from `starts`, up to `depth` steps, through edges of
    /// the kinds `keep` accepts; nodes in order of depth, then id.
    pub fn walk(
        &self,
        starts: &[SymbolId],
        direction: Direction,
        depth: usize,
        keep: impl Fn(EdgeKind) -> bool,
    ) -> Vec<Walked> {
        let mut seen: std::collections::BTreeSet<SymbolId> = starts.iter().copied().collect();
        let mut level: Vec<SymbolId> = seen.iter().copied().collect();
        let mut out = Vec::new();
        for d in 1..=depth {
            let mut next: BTreeMap<SymbolId, Walked> = BTreeMap::new();
            for &at in &level {
                let neighbours: Vec<(SymbolId, &SymbolEdge)> = match direction {
                    Direction::Users => self.users(at).collect(),
                    Direction::Used => self.used(at).collect(),
                };
                for (other, edge) in neighbours {
                    if !keep(edge.kind) || seen.contains(&other) {
                        continue;
                    }
                    let walked = Walked {
                        node: other,
                        depth: d,
                        toward: at,
                        kind: edge.kind,
                        lines: edge.sites.iter().map(|s| s.line).collect(),
                    };
                    // The same node reached twice at one depth: the first
                    // by (toward, kind), for a stable answer.
                    let better = next
                        .get(&other)
                        .is_none_or(|w| (walked.toward, walked.kind) < (w.toward, w.kind));
                    if better {
                        next.insert(other, walked);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            level = next.keys().copied().collect();
            seen.extend(level.iter().copied());
            out.extend(next.into_values());
        }
        out
    }
}
