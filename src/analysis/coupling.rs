//! Coupling between modules: the matrix, Robert C. Martin's package metrics,
//! and the dependencies that point the wrong way.
//!
//! ## What it finds
//! - The module × module matrix: for each pair, the import sites from one
//!   module into the other, and the distinct files of the first that import
//!   the second.
//! - Per module, file-based (a file stands for Martin's class): afferent
//!   coupling **Ca** (files outside the module that import a file inside),
//!   efferent coupling **Ce** (files inside that import a file outside),
//!   instability **I = Ce / (Ca + Ce)** (none for a module nothing touches),
//!   abstractness **A** (abstract types — interfaces, abstract classes,
//!   Rust traits, Protocols and ABCs — over all types the module defines,
//!   as each language's reference tool counts them: PHP traits are mixins
//!   of code, in neither count, as in PHP_Depend; none when the module
//!   defines no type), and the distance from the main sequence
//!   **D = |A + I − 1|**.
//! - The most coupled pairs (sites both ways), and stable-dependencies
//!   violations: a module depending on a module less stable than itself
//!   (higher I).
//! - A dependency-structure-matrix order: dependencies before dependents,
//!   the members of each module cycle together (ordered to point backwards
//!   where they can), so that every mark above the diagonal is part of a
//!   cycle, and cycles show as blocks.
//!
//! ## Why it matters
//! Unstable modules (I near 1) change easily and should not be depended on;
//! stable ones (I near 0) should be abstract, or they are hard to change and
//! everything depends on them (the "zone of pain", A = 0 and I = 0). The
//! matrix shows who talks to whom, and how much.
//!
//! ## Example
//! `api` imports `domain` at 3 sites from 2 files; `domain` is imported by 4
//! files outside it and imports from 2 of its own files: Ca = 4, Ce = 2,
//! I = 0.33; with 2 of its 5 classes abstract, A = 0.4 and D = 0.27.
//!
//! ## Limits
//! Every import kind counts, type-only ones included (they are
//! dependencies of the code as written). Types are the top-level definitions
//! the queries extract; a Python class is abstract when it derives from
//! `Protocol` or `ABC` or has `metaclass=ABCMeta`, whatever its methods.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::cycles::{components_of, dependencies_first};
use crate::facts::FileFacts;
use crate::graph::{DependencyGraph, ModuleGraph};
use crate::modules::ModuleMap;
use crate::project::ProjectFiles;

/// Pairs listed as the most coupled.
pub const TOP_PAIRS: usize = 10;

#[derive(Clone, Debug, PartialEq)]
pub struct ModuleMetrics {
    pub module: usize,
    pub files: usize,
    /// Files outside the module importing a file inside.
    pub ca: usize,
    /// Files inside the module importing a file outside.
    pub ce: usize,
    pub instability: Option<f64>,
    pub types: usize,
    pub abstract_types: usize,
    pub abstractness: Option<f64>,
    pub distance: Option<f64>,
    /// Modules depending on this one / this one depends on.
    pub dependents: usize,
    pub dependencies: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub from: usize,
    pub to: usize,
    pub sites: usize,
    /// Distinct files of `from` importing `to`.
    pub files: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// `a < b`.
    pub a: usize,
    pub b: usize,
    pub a_to_b: usize,
    pub b_to_a: usize,
}

impl Pair {
    pub fn sites(&self) -> usize {
        self.a_to_b + self.b_to_a
    }
}

/// `from` depends on `to`, which is less stable (higher instability).
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub from: usize,
    pub to: usize,
    pub from_instability: f64,
    pub to_instability: f64,
    pub sites: usize,
}

#[derive(Clone, Debug)]
pub struct Coupling {
    /// By module id.
    pub modules: Vec<ModuleMetrics>,
    /// Cells with at least one site, by (from, to).
    pub matrix: Vec<Cell>,
    /// Module ids in dependency-structure-matrix order.
    pub dsm_order: Vec<usize>,
    /// For each module, the index of its cycle in DSM order, if any.
    pub cycle_of: Vec<Option<usize>>,
    /// Most coupled first, at most [`TOP_PAIRS`].
    pub pairs: Vec<Pair>,
    /// Largest instability gap first.
    pub violations: Vec<Violation>,
}

pub fn measure(
    project: &ProjectFiles,
    files: &DependencyGraph,
    modules: &ModuleMap,
    module_graph: &ModuleGraph,
    facts: &[FileFacts],
) -> Coupling {
    let count = modules.names.len();
    let of = &modules.of_file;
    let mut importers_in: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
    let mut importers_out: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
    let mut cell_files: BTreeMap<(usize, usize), BTreeSet<usize>> = BTreeMap::new();
    for (from, to, _) in files.edges() {
        let (a, b) = (of[from], of[to]);
        if a != b {
            importers_in[b].insert(from);
            importers_out[a].insert(from);
            cell_files.entry((a, b)).or_default().insert(from);
        }
    }
    let mut sizes = vec![0; count];
    let mut types = vec![0; count];
    let mut abstract_types = vec![0; count];
    for (file, file_facts) in facts.iter().enumerate() {
        let m = of[file];
        sizes[m] += 1;
        let type_kinds = project.get(file).language.spec().type_kinds;
        for definition in &file_facts.definitions {
            if type_kinds.contains(&definition.kind.as_str()) {
                types[m] += 1;
                abstract_types[m] += usize::from(definition.is_abstract);
            }
        }
    }
    let matrix: Vec<Cell> = module_graph
        .graph
        .edges()
        .map(|(from, to, dependency)| Cell {
            from,
            to,
            sites: dependency.sites.len(),
            files: cell_files.get(&(from, to)).map_or(0, BTreeSet::len),
        })
        .collect();
    let mut dependents = vec![0; count];
    let mut dependencies = vec![0; count];
    for cell in &matrix {
        dependents[cell.to] += 1;
        dependencies[cell.from] += 1;
    }
    let metrics: Vec<ModuleMetrics> = (0..count)
        .map(|m| {
            let (ca, ce) = (importers_in[m].len(), importers_out[m].len());
            let instability = (ca + ce > 0).then(|| ce as f64 / (ca + ce) as f64);
            let abstractness = (types[m] > 0).then(|| abstract_types[m] as f64 / types[m] as f64);
            let distance = instability
                .zip(abstractness)
                .map(|(i, a)| (a + i - 1.0).abs());
            ModuleMetrics {
                module: m,
                files: sizes[m],
                ca,
                ce,
                instability,
                types: types[m],
                abstract_types: abstract_types[m],
                abstractness,
                distance,
                dependents: dependents[m],
                dependencies: dependencies[m],
            }
        })
        .collect();

    let mut pair_sites: BTreeMap<(usize, usize), Pair> = BTreeMap::new();
    for cell in &matrix {
        let (a, b) = (cell.from.min(cell.to), cell.from.max(cell.to));
        let pair = pair_sites.entry((a, b)).or_insert(Pair {
            a,
            b,
            a_to_b: 0,
            b_to_a: 0,
        });
        if cell.from == a {
            pair.a_to_b += cell.sites;
        } else {
            pair.b_to_a += cell.sites;
        }
    }
    let mut pairs: Vec<Pair> = pair_sites.into_values().collect();
    pairs.sort_by(|x, y| y.sites().cmp(&x.sites()).then((x.a, x.b).cmp(&(y.a, y.b))));
    pairs.truncate(TOP_PAIRS);

    let mut violations: Vec<Violation> = matrix
        .iter()
        .filter_map(|cell| {
            let from_i = metrics[cell.from].instability?;
            let to_i = metrics[cell.to].instability?;
            (to_i > from_i).then_some(Violation {
                from: cell.from,
                to: cell.to,
                from_instability: from_i,
                to_instability: to_i,
                sites: cell.sites,
            })
        })
        .collect();
    violations.sort_by(|x, y| {
        let gap = |v: &Violation| v.to_instability - v.from_instability;
        gap(y)
            .total_cmp(&gap(x))
            .then((x.from, x.to).cmp(&(y.from, y.to)))
    });

    let (dsm_order, cycle_of) = dsm_order(&module_graph.graph, count);
    Coupling {
        modules: metrics,
        matrix,
        dsm_order,
        cycle_of,
        pairs,
        violations,
    }
}

/// Dependencies first: the module cycles (every import kind counts) are
/// contracted and the resulting DAG is laid out by Kahn's algorithm, taking
/// among the ready groups the one with the lowest id. Inside a cycle,
/// members are ordered so that most of their import sites point backwards
/// (below the diagonal).
fn dsm_order(graph: &DependencyGraph, count: usize) -> (Vec<usize>, Vec<Option<usize>>) {
    let mut group_of: Vec<usize> = (0..count).collect();
    let mut groups: Vec<Vec<usize>> = (0..count).map(|m| vec![m]).collect();
    let mut cycle_group = vec![false; count];
    for members in components_of(graph, |_| true)
        .into_iter()
        .filter(|m| m.len() > 1)
    {
        let leader = members[0];
        for &m in &members {
            group_of[m] = leader;
            groups[m].clear();
        }
        groups[leader] = dependencies_first(graph, &members);
        cycle_group[leader] = true;
    }
    // Kahn on groups: a group is ready when every group it depends on is placed.
    let mut waiting: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
    let mut dependents: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
    for (from, to, _) in graph.edges() {
        let (a, b) = (group_of[from], group_of[to]);
        if a != b {
            waiting[a].insert(b);
            dependents[b].insert(a);
        }
    }
    let mut ready: BTreeSet<usize> = (0..count)
        .filter(|&g| !groups[g].is_empty() && waiting[g].is_empty())
        .collect();
    let mut order = Vec::with_capacity(count);
    let mut cycle_of = vec![None; count];
    let mut cycles = 0;
    while let Some(group) = ready.pop_first() {
        if cycle_group[group] {
            for &m in &groups[group] {
                cycle_of[m] = Some(cycles);
            }
            cycles += 1;
        }
        order.extend_from_slice(&groups[group]);
        for &dependent in &dependents[group] {
            waiting[dependent].remove(&group);
            if waiting[dependent].is_empty() {
                ready.insert(dependent);
            }
        }
    }
    (order, cycle_of)
}
