//! The file dependency graph and its contraction to modules.
//!
//! Both are petgraph `DiGraph`s whose node index equals the `FileId` /
//! `ModuleId`, with edges added in (from, to) order, so that iteration order
//! — and every output built from it — is the same on every run.

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::facts::{FileFacts, ImportKind};
use crate::modules::{ModuleId, ModuleMap};
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
        sites.dedup();
        let kind = sites
            .iter()
            .map(|s| s.kind)
            .min()
            .unwrap_or(ImportKind::Static);
        Dependency { kind, sites }
    }
}

/// Files and their imports. Self-loops are kept (a file importing itself).
pub struct FileGraph {
    pub graph: DiGraph<FileId, Dependency>,
}

/// Modules and the imports between them; imports inside one module are
/// counted in `internal_sites`, not drawn as self-loops.
pub struct ModuleGraph {
    pub graph: DiGraph<ModuleId, Dependency>,
    /// Import sites between two files of the same module, per module.
    pub internal_sites: Vec<usize>,
}

impl FileGraph {
    pub fn build(file_count: usize, facts: &[FileFacts], resolutions: &[Vec<Resolution>]) -> Self {
        let mut edges: BTreeMap<(FileId, FileId), Vec<Site>> = BTreeMap::new();
        for (from, (file_facts, resolved)) in facts.iter().zip(resolutions).enumerate() {
            for (index, (import, resolution)) in file_facts.imports.iter().zip(resolved).enumerate()
            {
                let Resolution::Files(targets) = resolution else {
                    continue;
                };
                for &to in targets {
                    edges.entry((from, to)).or_default().push(Site {
                        from,
                        to,
                        line: import.line,
                        kind: import.kind,
                        import: index,
                    });
                }
            }
        }
        let mut graph = DiGraph::with_capacity(file_count, edges.len());
        for id in 0..file_count {
            graph.add_node(id);
        }
        for ((from, to), sites) in edges {
            graph.add_edge(
                NodeIndex::new(from),
                NodeIndex::new(to),
                Dependency::new(sites),
            );
        }
        FileGraph { graph }
    }

    /// Edges as (from, to, dependency), in (from, to) order.
    pub fn edges(&self) -> impl Iterator<Item = (FileId, FileId, &Dependency)> {
        self.graph
            .edge_references()
            .map(|e| (e.source().index(), e.target().index(), e.weight()))
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}

impl ModuleGraph {
    /// Contracts the file graph: an edge between two modules carries every
    /// site of every file edge between them.
    pub fn contract(files: &FileGraph, modules: &ModuleMap) -> Self {
        let mut edges: BTreeMap<(ModuleId, ModuleId), Vec<Site>> = BTreeMap::new();
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
        let mut graph = DiGraph::with_capacity(modules.names.len(), edges.len());
        for id in 0..modules.names.len() {
            graph.add_node(id);
        }
        for ((a, b), sites) in edges {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), Dependency::new(sites));
        }
        ModuleGraph {
            graph,
            internal_sites,
        }
    }

    pub fn edges(&self) -> impl Iterator<Item = (ModuleId, ModuleId, &Dependency)> {
        self.graph
            .edge_references()
            .map(|e| (e.source().index(), e.target().index(), e.weight()))
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}
