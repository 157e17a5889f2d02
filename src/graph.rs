//! The file dependency graph and its contraction to modules.
//!
//! Both are a [`DependencyGraph`]: a petgraph `DiGraph` whose node index
//! equals the `FileId` / `ModuleId`, with edges added in (from, to) order, so
//! that iteration order — and every output built from it — is the same on
//! every run.

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::facts::{FileFacts, ImportKind};
use crate::modules::ModuleMap;
use crate::project::FileId;
use crate::resolve::Resolution;

/// One place in the source where a dependency is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Site {
    /// The importing file.
    pub from: FileId,
    pub line: u32,
    /// The imported file.
    pub to: FileId,
    pub kind: ImportKind,
    /// Index of the import in the importing file's `FileFacts::imports`.
    pub import: usize,
}

/// An edge: every site that makes `from` depend on `to`.
#[derive(Clone, Debug)]
pub struct Dependency {
    /// The strongest kind among the sites (`static` beats `type_only`).
    pub kind: ImportKind,
    /// Sorted by (from, line, to): reading order.
    pub sites: Vec<Site>,
}

impl Dependency {
    fn new(mut sites: Vec<Site>) -> Self {
        sites.sort();
        // Two names of one `use` line make one site.
        sites.dedup_by(|a, b| (a.from, a.line, a.to, a.kind) == (b.from, b.line, b.to, b.kind));
        let kind = sites
            .iter()
            .map(|s| s.kind)
            .min()
            .unwrap_or(ImportKind::Static);
        Dependency { kind, sites }
    }
}

/// Nodes `0..n` (file or module ids) and their dependencies.
pub struct DependencyGraph {
    pub graph: DiGraph<usize, Dependency>,
}

impl DependencyGraph {
    /// Builds the graph from sites grouped by (from, to).
    pub(crate) fn from_sites(nodes: usize, edges: BTreeMap<(usize, usize), Vec<Site>>) -> Self {
        let mut graph = DiGraph::with_capacity(nodes, edges.len());
        for id in 0..nodes {
            graph.add_node(id);
        }
        for ((from, to), sites) in edges {
            graph.add_edge(
                NodeIndex::new(from),
                NodeIndex::new(to),
                Dependency::new(sites),
            );
        }
        DependencyGraph { graph }
    }

    /// Edges as (from, to, dependency), in (from, to) order.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize, &Dependency)> {
        self.graph
            .edge_references()
            .map(|e| (e.source().index(), e.target().index(), e.weight()))
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }
}

/// Files and their imports. Self-loops are kept (a file importing itself).
pub type FileGraph = DependencyGraph;

/// Modules and the imports between them; imports inside one module are
/// counted in `internal_sites`, not drawn as self-loops.
pub struct ModuleGraph {
    pub graph: DependencyGraph,
    /// Import sites between two files of the same module, per module.
    pub internal_sites: Vec<usize>,
}

/// The file graph of resolved imports.
pub fn file_graph(
    file_count: usize,
    facts: &[FileFacts],
    resolutions: &[Vec<Resolution>],
) -> FileGraph {
    let mut edges: BTreeMap<(FileId, FileId), Vec<Site>> = BTreeMap::new();
    for (from, (file_facts, resolved)) in facts.iter().zip(resolutions).enumerate() {
        for (index, (import, resolution)) in file_facts.imports.iter().zip(resolved).enumerate() {
            let Resolution::Files(targets) = resolution else {
                continue;
            };
            for &to in targets {
                edges.entry((from, to)).or_default().push(Site {
                    from,
                    line: import.line,
                    to,
                    kind: import.kind,
                    import: index,
                });
            }
        }
    }
    DependencyGraph::from_sites(file_count, edges)
}

impl ModuleGraph {
    /// Contracts the file graph: an edge between two modules carries every
    /// site of every file edge between them.
    pub fn contract(files: &FileGraph, modules: &ModuleMap) -> Self {
        let mut edges: BTreeMap<(usize, usize), Vec<Site>> = BTreeMap::new();
        let mut internal_sites = vec![0; modules.names.len()];
        for (from, to, dependency) in files.edges() {
            let (a, b) = (modules.of_file[from], modules.of_file[to]);
            if a == b {
                internal_sites[a] += dependency.sites.len();
            } else {
                edges
                    .entry((a, b))
                    .or_default()
                    .extend_from_slice(&dependency.sites);
            }
        }
        ModuleGraph {
            graph: DependencyGraph::from_sites(modules.names.len(), edges),
            internal_sites,
        }
    }
}
