//! Cycles: strongly connected components of the dependency graph.
//!
//! ## What it finds
//! Every strongly connected component (SCC) of the file or module graph that
//! holds a cycle (two or more nodes, or one node importing itself), with:
//! its members; the number of edges and import sites inside; one *shortest*
//! cycle through it as a witness, each hop with its import sites; and a set
//! of edges whose removal breaks every cycle of the component, chosen to
//! change as few import sites as possible.
//!
//! Which imports count: by default every kind but type-only (static,
//! re-export, require, dynamic and lazy imports; never a Django model named
//! by a string, which exists to avoid an import); a component that exists
//! only because of type-only imports is reported apart, as a weaker finding
//! (`kind: type_only`). With `runtime_only`, only imports that run when the
//! importing file loads count (static, re-export, top-level require): lazy,
//! dynamic and type-only imports are left out, and no type-only component
//! is reported.
//!
//! ## Why it matters
//! Files or modules in a cycle cannot be understood, tested, released or
//! owned apart; a runtime cycle can break at import time. The component is
//! the unit of untangling, and the cut says where to start.
//!
//! ## Example
//! `a.py -> b.py -> c.py -> a.py` plus `b.py -> a.py`: one component of 3
//! files; witness `a.py -> b.py -> a.py`; if `a.py -> b.py` has one import
//! site and the others two each, the cut is `a.py -> b.py`, which breaks both
//! cycles.
//!
//! ## Limits
//! Elementary cycles are never enumerated (there can be exponentially many):
//! components are. The witness is a shortest cycle, found by a breadth-first
//! search from every member (from the 256 best-connected members of a larger
//! component, so it may then be a short cycle rather than the shortest). The
//! cut is a heuristic: minimum feedback arc sets are NP-hard. vantage orders
//! the members with the weighted Eades–Lin–Smyth heuristic (weights = import
//! sites), takes the edges pointing backwards in that order, then puts back
//! every cut edge whose return closes no cycle, most expensive first. The
//! result is minimal (no edge of it can be kept) but not always minimum.

use std::collections::HashSet;

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use xxhash_rust::xxh3::xxh3_64;

use crate::facts::ImportKind;
use crate::graph::{DependencyGraph, Site};

/// Members of a component beyond which the witness search starts from the
/// best-connected members only.
const WITNESS_STARTS: usize = 256;

/// Which import kinds count as a dependency for cycles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CycleOptions {
    /// Only imports that run when the importing file loads.
    pub runtime_only: bool,
}

impl CycleOptions {
    /// Whether a site counts towards cycles. A Django model named by a
    /// string never does: that is how models refer to each other without
    /// importing each other.
    pub fn counts(self, kind: ImportKind) -> bool {
        if kind == ImportKind::ModelRef {
            false
        } else if self.runtime_only {
            kind.loads()
        } else {
            kind != ImportKind::TypeOnly
        }
    }
}

/// How strong a component's cycles are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CycleKind {
    /// Made of the imports that count (see [`CycleOptions`]).
    Cycle,
    /// Closed only by type-only imports: the types are tangled, the running
    /// code is not.
    TypeOnly,
}

impl CycleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CycleKind::Cycle => "cycle",
            CycleKind::TypeOnly => "type_only",
        }
    }
}

/// An edge of a component with the import sites that make it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub from: usize,
    pub to: usize,
    pub sites: Vec<Site>,
}

/// One strongly connected component holding a cycle.
#[derive(Clone, Debug)]
pub struct Component {
    pub kind: CycleKind,
    /// Node ids, ascending.
    pub members: Vec<usize>,
    /// Edges between members (self-loops included).
    pub edges: usize,
    /// Import sites on those edges.
    pub sites: usize,
    /// A shortest cycle, starting at its lowest node id (at one of the
    /// best-connected members searched from, in a component too big to
    /// search from every member).
    pub witness: Vec<Hop>,
    /// Edges to remove to break every cycle of the component, most sites
    /// first.
    pub cut: Vec<Hop>,
}

impl Component {
    /// A fingerprint of the finding: the level, the kind and the member names
    /// (repository-relative), hashed with a fixed hash: the same on every
    /// machine, run and thread count.
    pub fn fingerprint(&self, level: &str, name: impl Fn(usize) -> String) -> String {
        let mut text = format!("cycle\0{level}\0{}", self.kind.as_str());
        let mut names: Vec<String> = self.members.iter().map(|&m| name(m)).collect();
        names.sort();
        for n in names {
            text.push('\0');
            text.push_str(&n);
        }
        format!("{:016x}", xxh3_64(text.as_bytes()))
    }

    pub fn cut_sites(&self) -> usize {
        self.cut.iter().map(|h| h.sites.len()).sum()
    }
}

/// The counting sites of every edge, by edge, in the graph's edge order.
fn counting_sites(
    graph: &DependencyGraph,
    keep: impl Fn(ImportKind) -> bool,
) -> Vec<(usize, usize, Vec<Site>)> {
    graph
        .edges()
        .filter_map(|(from, to, dependency)| {
            let sites: Vec<Site> = dependency
                .sites
                .iter()
                .filter(|s| keep(s.kind))
                .copied()
                .collect();
            (!sites.is_empty()).then_some((from, to, sites))
        })
        .collect()
}

/// Strongly connected components with a cycle, members ascending, in order
/// of their lowest member.
fn cyclic_components(nodes: usize, edges: &[(usize, usize, Vec<Site>)]) -> Vec<Vec<usize>> {
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(nodes, edges.len());
    for _ in 0..nodes {
        graph.add_node(());
    }
    let mut self_loop = vec![false; nodes];
    for (from, to, _) in edges {
        graph.add_edge(NodeIndex::new(*from), NodeIndex::new(*to), ());
        if from == to {
            self_loop[*from] = true;
        }
    }
    // Kosaraju, not Tarjan: petgraph's Tarjan recurses once per node of a
    // path, and a cycle through 100 000 files overflowed the stack.
    let mut components: Vec<Vec<usize>> = kosaraju_scc(&graph)
        .into_iter()
        .map(|c| {
            let mut members: Vec<usize> = c.into_iter().map(NodeIndex::index).collect();
            members.sort_unstable();
            members
        })
        .filter(|m| m.len() > 1 || self_loop[m[0]])
        .collect();
    components.sort();
    components
}

/// Members of each cyclic component counting the edges with a site `keep`
/// accepts, members ascending, in order of their lowest member.
pub fn components_of(
    graph: &DependencyGraph,
    keep: impl Fn(ImportKind) -> bool,
) -> Vec<Vec<usize>> {
    cyclic_components(graph.node_count(), &counting_sites(graph, keep))
}

/// `members` (one component) ordered so that most import sites point from a
/// later member to an earlier one: dependencies first, as in a dependency
/// structure matrix. The reverse of the Eades–Lin–Smyth order used for cuts.
pub fn dependencies_first(graph: &DependencyGraph, members: &[usize]) -> Vec<usize> {
    let edges = counting_sites(graph, |_| true);
    let (local, _) = Local::new(members, &edges);
    let mut incoming: Vec<Vec<(usize, usize)>> = vec![Vec::new(); members.len()];
    for (a, targets) in local.out.iter().enumerate() {
        for &(b, edge) in targets {
            incoming[b].push((a, edge));
        }
    }
    let weight = |edge: usize| edges[edge].2.len();
    let mut order: Vec<usize> = eades_lin_smyth(&local, &incoming, &weight)
        .into_iter()
        .map(|n| members[n])
        .collect();
    order.reverse();
    order
}

/// The cyclic components of a graph.
pub fn find_cycles(graph: &DependencyGraph, options: CycleOptions) -> Vec<Component> {
    let nodes = graph.node_count();
    let counting = counting_sites(graph, |k| options.counts(k));
    let mut found: Vec<Component> = cyclic_components(nodes, &counting)
        .into_iter()
        .map(|members| component(CycleKind::Cycle, members, &counting, None))
        .collect();
    if !options.runtime_only {
        let all = counting_sites(graph, |_| true);
        let counted: HashSet<(usize, usize)> = counting.iter().map(|(f, t, _)| (*f, *t)).collect();
        let type_only: HashSet<(usize, usize)> = all
            .iter()
            .map(|(f, t, _)| (*f, *t))
            .filter(|pair| !counted.contains(pair))
            .collect();
        let strong: HashSet<Vec<usize>> = found.iter().map(|c| c.members.clone()).collect();
        for members in cyclic_components(nodes, &all) {
            if strong.contains(&members) {
                continue;
            }
            // Cycles that need a type-only edge: the witness goes through
            // one, and only type-only edges are cut (the rest are cut in the
            // components above).
            found.push(component(
                CycleKind::TypeOnly,
                members,
                &all,
                Some(&type_only),
            ));
        }
    }
    found.sort_by(|a, b| (a.members[0], a.kind).cmp(&(b.members[0], b.kind)));
    found
}

/// Local view of one component: members renumbered 0..k.
struct Local {
    members: Vec<usize>,
    /// Per local node: (local target, global edge index), targets ascending.
    out: Vec<Vec<(usize, usize)>>,
}

impl Local {
    fn new(members: &[usize], edges: &[(usize, usize, Vec<Site>)]) -> (Local, Vec<usize>) {
        let local = |id: usize| members.binary_search(&id).ok();
        let mut out = vec![Vec::new(); members.len()];
        let mut inside = Vec::new();
        for (index, (from, to, _)) in edges.iter().enumerate() {
            if let (Some(a), Some(b)) = (local(*from), local(*to)) {
                out[a].push((b, index));
                inside.push(index);
            }
        }
        for targets in &mut out {
            targets.sort_unstable();
        }
        (
            Local {
                members: members.to_vec(),
                out,
            },
            inside,
        )
    }
}

fn component(
    kind: CycleKind,
    members: Vec<usize>,
    edges: &[(usize, usize, Vec<Site>)],
    must_use: Option<&HashSet<(usize, usize)>>,
) -> Component {
    let (local, inside) = Local::new(&members, edges);
    let hop = |index: usize| Hop {
        from: edges[index].0,
        to: edges[index].1,
        sites: edges[index].2.clone(),
    };
    let weight = |index: usize| edges[index].2.len();
    let required: Option<Vec<bool>> = must_use.map(|pairs| {
        (0..edges.len())
            .map(|i| pairs.contains(&(edges[i].0, edges[i].1)))
            .collect()
    });
    let witness = shortest_cycle(&local, required.as_deref())
        .into_iter()
        .map(hop)
        .collect();
    let cuttable = |index: usize| required.as_ref().is_none_or(|r| r[index]);
    let mut cut: Vec<Hop> = feedback_edges(&local, &weight, &cuttable)
        .into_iter()
        .map(hop)
        .collect();
    cut.sort_by(|a, b| {
        b.sites
            .len()
            .cmp(&a.sites.len())
            .then((a.from, a.to).cmp(&(b.from, b.to)))
    });
    Component {
        kind,
        edges: inside.len(),
        sites: inside.iter().map(|&i| weight(i)).sum(),
        members,
        witness,
        cut,
    }
}

/// A shortest cycle, as global edge indices, starting at the first search
/// start that reaches the shortest length: its lowest node, when every
/// member is a start (see [`WITNESS_STARTS`]); with `required`, a shortest cycle through at least one required
/// edge. Breadth-first from each start node, neighbours in ascending order,
/// so ties resolve the same way every run.
fn shortest_cycle(local: &Local, required: Option<&[bool]>) -> Vec<usize> {
    let k = local.members.len();
    let mut starts: Vec<usize> = (0..k).collect();
    if k > WITNESS_STARTS {
        let mut degree = vec![0usize; k];
        for (a, targets) in local.out.iter().enumerate() {
            degree[a] += targets.len();
            for (b, _) in targets {
                degree[*b] += 1;
            }
        }
        starts.sort_by(|a, b| degree[*b].cmp(&degree[*a]).then(a.cmp(b)));
        starts.truncate(WITNESS_STARTS);
        starts.sort_unstable();
    }
    let mut best: Option<Vec<usize>> = None;
    // State: (node, whether a required edge was used); without a
    // requirement the flag stays true.
    let states = 2 * k;
    for &start in &starts {
        let mut parent: Vec<Option<(usize, usize)>> = vec![None; states];
        let mut seen = vec![false; states];
        let id = |node: usize, used: bool| node * 2 + usize::from(used);
        let first = id(start, required.is_none());
        seen[first] = true;
        let mut queue = std::collections::VecDeque::from([first]);
        let mut found = None;
        'search: while let Some(state) = queue.pop_front() {
            let (node, used) = (state / 2, state % 2 == 1);
            for &(next, edge) in &local.out[node] {
                let used = used || required.is_some_and(|r| r[edge]);
                let next_state = id(next, used);
                if next == start && used {
                    found = Some((state, edge));
                    break 'search;
                }
                if !seen[next_state] {
                    seen[next_state] = true;
                    parent[next_state] = Some((state, edge));
                    queue.push_back(next_state);
                }
            }
        }
        let Some((mut state, closing)) = found else {
            continue;
        };
        let mut path = vec![closing];
        while let Some((previous, edge)) = parent[state] {
            path.push(edge);
            state = previous;
        }
        path.reverse();
        if best.as_ref().is_none_or(|b| path.len() < b.len()) {
            best = Some(path);
        }
    }
    best.unwrap_or_default()
}

/// Edges (global indices) whose removal leaves no cycle through a cuttable
/// edge: chosen by the weighted Eades–Lin–Smyth ordering when every edge may
/// be cut, else all cuttable edges; then made minimal by putting back each
/// edge that then lies on no cycle, most import sites first.
fn feedback_edges(
    local: &Local,
    weight: &dyn Fn(usize) -> usize,
    cuttable: &dyn Fn(usize) -> bool,
) -> Vec<usize> {
    let k = local.members.len();
    let mut incoming: Vec<Vec<(usize, usize)>> = vec![Vec::new(); k];
    for (a, targets) in local.out.iter().enumerate() {
        for &(b, edge) in targets {
            incoming[b].push((a, edge));
        }
    }
    let mut cut: Vec<usize> = Vec::new();
    let all_cuttable = local.out.iter().flatten().all(|&(_, edge)| cuttable(edge));
    if all_cuttable {
        let order = eades_lin_smyth(local, &incoming, weight);
        let mut position = vec![0; k];
        for (p, &node) in order.iter().enumerate() {
            position[node] = p;
        }
        for (a, targets) in local.out.iter().enumerate() {
            for &(b, edge) in targets {
                if position[b] <= position[a] {
                    cut.push(edge);
                }
            }
        }
    } else {
        // Cycles of the edges that may not be cut are not this component's
        // to break: start from every cuttable edge and put back below.
        cut = local
            .out
            .iter()
            .flatten()
            .map(|&(_, e)| e)
            .filter(|&e| cuttable(e))
            .collect();
    }
    // Put back what closes no cycle, most expensive first.
    cut.sort_by(|x, y| weight(*y).cmp(&weight(*x)).then(x.cmp(y)));
    let mut removed: std::collections::HashSet<usize> = cut.iter().copied().collect();
    let mut kept = Vec::new();
    for &edge in &cut {
        removed.remove(&edge);
        if creates_cycle(local, &removed, edge) {
            removed.insert(edge);
            kept.push(edge);
        }
    }
    kept
}

/// Whether the edge `edge` lies on a cycle of the component without the
/// `removed` edges: a path from its target back to its source.
fn creates_cycle(local: &Local, removed: &std::collections::HashSet<usize>, edge: usize) -> bool {
    let Some((source, target)) = local.out.iter().enumerate().find_map(|(a, targets)| {
        targets
            .iter()
            .find(|(_, e)| *e == edge)
            .map(|(b, _)| (a, *b))
    }) else {
        return false;
    };
    let mut seen = vec![false; local.members.len()];
    let mut stack = vec![target];
    seen[target] = true;
    while let Some(node) = stack.pop() {
        if node == source {
            return true;
        }
        for &(next, e) in &local.out[node] {
            if !removed.contains(&e) && !seen[next] {
                seen[next] = true;
                stack.push(next);
            }
        }
    }
    false
}

/// The Eades–Lin–Smyth vertex ordering with edge weights: repeatedly take
/// sinks to the back and sources to the front, else the node with the
/// largest (out-weight − in-weight) to the front; ties go to the lowest id.
fn eades_lin_smyth(
    local: &Local,
    incoming: &[Vec<(usize, usize)>],
    weight: &dyn Fn(usize) -> usize,
) -> Vec<usize> {
    let k = local.members.len();
    let mut alive = vec![true; k];
    let mut out_w: Vec<i64> = vec![0; k];
    let mut in_w: Vec<i64> = vec![0; k];
    let mut out_n = vec![0usize; k];
    let mut in_n = vec![0usize; k];
    for (a, targets) in local.out.iter().enumerate() {
        for &(b, edge) in targets {
            if a == b {
                continue; // a self-loop is always cut; it does not order
            }
            let w = weight(edge) as i64;
            out_w[a] += w;
            in_w[b] += w;
            out_n[a] += 1;
            in_n[b] += 1;
        }
    }
    let mut front = Vec::with_capacity(k);
    let mut back = Vec::new();
    let mut left = k;
    let remove = |node: usize,
                  alive: &mut Vec<bool>,
                  out_w: &mut Vec<i64>,
                  in_w: &mut Vec<i64>,
                  out_n: &mut Vec<usize>,
                  in_n: &mut Vec<usize>| {
        alive[node] = false;
        for &(b, edge) in &local.out[node] {
            if b != node && alive[b] {
                in_w[b] -= weight(edge) as i64;
                in_n[b] -= 1;
            }
        }
        for &(a, edge) in &incoming[node] {
            if a != node && alive[a] {
                out_w[a] -= weight(edge) as i64;
                out_n[a] -= 1;
            }
        }
    };
    while left > 0 {
        let mut progressed = true;
        while progressed {
            progressed = false;
            for node in 0..k {
                if alive[node] && out_n[node] == 0 {
                    back.push(node);
                    remove(
                        node, &mut alive, &mut out_w, &mut in_w, &mut out_n, &mut in_n,
                    );
                    left -= 1;
                    progressed = true;
                } else if alive[node] && in_n[node] == 0 {
                    front.push(node);
                    remove(
                        node, &mut alive, &mut out_w, &mut in_w, &mut out_n, &mut in_n,
                    );
                    left -= 1;
                    progressed = true;
                }
            }
        }
        if left == 0 {
            break;
        }
        let pick = (0..k).filter(|&n| alive[n]).max_by(|&a, &b| {
            (out_w[a] - in_w[a])
                .cmp(&(out_w[b] - in_w[b]))
                .then(b.cmp(&a))
        });
        if let Some(node) = pick {
            front.push(node);
            remove(
                node, &mut alive, &mut out_w, &mut in_w, &mut out_n, &mut in_n,
            );
            left -= 1;
        }
    }
    back.reverse();
    front.extend(back);
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(from: usize, to: usize, line: u32, kind: ImportKind) -> Site {
        Site {
            from,
            line,
            to,
            kind,
            import: 0,
        }
    }

    /// Builds a graph from (from, to, sites, kind) rows.
    fn graph(nodes: usize, rows: &[(usize, usize, u32, ImportKind)]) -> DependencyGraph {
        let mut edges: std::collections::BTreeMap<(usize, usize), Vec<Site>> = Default::default();
        for &(from, to, sites, kind) in rows {
            for line in 0..sites {
                edges
                    .entry((from, to))
                    .or_default()
                    .push(site(from, to, line + 1, kind));
            }
        }
        DependencyGraph::from_sites(nodes, edges)
    }

    fn pairs(hops: &[Hop]) -> Vec<(usize, usize)> {
        hops.iter().map(|h| (h.from, h.to)).collect()
    }

    use ImportKind::{Extends, Implements, Lazy, Static, TypeOnly};

    #[test]
    fn nested_cycles_are_one_component_with_the_cheap_cut() {
        // 0 -> 1 -> 0 and 1 -> 2 -> 0; 0 -> 1 has one site, the rest two.
        let g = graph(
            3,
            &[
                (0, 1, 1, Static),
                (1, 0, 2, Static),
                (1, 2, 2, Static),
                (2, 0, 2, Static),
            ],
        );
        let found = find_cycles(&g, CycleOptions::default());
        assert_eq!(found.len(), 1);
        let c = &found[0];
        assert_eq!((c.members.clone(), c.edges, c.sites), (vec![0, 1, 2], 4, 7));
        assert_eq!(pairs(&c.witness), [(0, 1), (1, 0)]);
        assert_eq!(pairs(&c.cut), [(0, 1)]);
    }

    #[test]
    fn a_self_loop_is_a_cycle_and_isolated_nodes_are_not() {
        let g = graph(3, &[(1, 1, 1, Static), (0, 2, 1, Static)]);
        let found = find_cycles(&g, CycleOptions::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].members, [1]);
        assert_eq!(pairs(&found[0].witness), [(1, 1)]);
        assert_eq!(pairs(&found[0].cut), [(1, 1)]);
    }

    #[test]
    fn type_only_cycles_are_weaker_and_runtime_only_drops_lazy_edges() {
        // 0 <-> 1 type-only; 2 -> 3 static, 3 -> 2 lazy.
        let g = graph(
            4,
            &[
                (0, 1, 1, TypeOnly),
                (1, 0, 1, TypeOnly),
                (2, 3, 1, Static),
                (3, 2, 1, Lazy),
            ],
        );
        let found = find_cycles(&g, CycleOptions::default());
        let kinds: Vec<(Vec<usize>, CycleKind)> =
            found.iter().map(|c| (c.members.clone(), c.kind)).collect();
        assert_eq!(
            kinds,
            [
                (vec![0, 1], CycleKind::TypeOnly),
                (vec![2, 3], CycleKind::Cycle)
            ]
        );
        let runtime = find_cycles(&g, CycleOptions { runtime_only: true });
        assert!(runtime.is_empty());
    }

    #[test]
    fn runtime_only_keeps_what_loads_with_a_class() {
        // PHP: 0 extends 1, 1 implements 2, 2 uses 0 statically; 3 <-> 4
        // through a lazy edge.
        let g = graph(
            5,
            &[
                (0, 1, 1, Extends),
                (1, 2, 1, Implements),
                (2, 0, 1, Static),
                (3, 4, 1, Static),
                (4, 3, 1, Lazy),
            ],
        );
        let runtime = find_cycles(&g, CycleOptions { runtime_only: true });
        let members: Vec<Vec<usize>> = runtime.iter().map(|c| c.members.clone()).collect();
        assert_eq!(members, [vec![0, 1, 2]]);
    }

    #[test]
    fn a_component_closed_by_a_type_only_edge_cuts_only_type_only_edges() {
        // 0 <-> 1 static (a cycle), and 1 -> 2 static, 2 -> 0 type-only: the
        // bigger component {0, 1, 2} exists only through the type-only edge.
        let g = graph(
            3,
            &[
                (0, 1, 3, Static),
                (1, 0, 3, Static),
                (1, 2, 1, Static),
                (2, 0, 1, TypeOnly),
            ],
        );
        let found = find_cycles(&g, CycleOptions::default());
        assert_eq!(found.len(), 2);
        let weak = found
            .iter()
            .find(|c| c.kind == CycleKind::TypeOnly)
            .unwrap();
        assert_eq!(weak.members, [0, 1, 2]);
        assert_eq!(pairs(&weak.witness), [(0, 1), (1, 2), (2, 0)]);
        assert_eq!(pairs(&weak.cut), [(2, 0)]);
    }

    #[test]
    fn every_cut_leaves_the_component_acyclic_and_is_minimal() {
        // A dense component: every ordered pair of 6 nodes but a few, weights vary.
        let mut rows = Vec::new();
        for a in 0..6usize {
            for b in 0..6usize {
                if a != b && (a * 7 + b * 3) % 5 != 0 {
                    rows.push((a, b, ((a + 2 * b) % 4 + 1) as u32, Static));
                }
            }
        }
        let g = graph(6, &rows);
        let found = find_cycles(&g, CycleOptions::default());
        assert_eq!(found.len(), 1);
        let cut: Vec<(usize, usize)> = pairs(&found[0].cut);
        let without: Vec<(usize, usize, u32, ImportKind)> = rows
            .iter()
            .copied()
            .filter(|(a, b, _, _)| !cut.contains(&(*a, *b)))
            .collect();
        assert!(find_cycles(&graph(6, &without), CycleOptions::default()).is_empty());
        for kept in &cut {
            let mut with_one_back = without.clone();
            with_one_back.push(*rows.iter().find(|(a, b, _, _)| (*a, *b) == *kept).unwrap());
            assert!(
                !find_cycles(&graph(6, &with_one_back), CycleOptions::default()).is_empty(),
                "cut edge {kept:?} was not needed"
            );
        }
    }

    #[test]
    fn fingerprints_depend_on_names_not_ids() {
        let g = graph(2, &[(0, 1, 1, Static), (1, 0, 1, Static)]);
        let c = &find_cycles(&g, CycleOptions::default())[0];
        let names = ["b.py", "a.py"];
        let swapped = ["a.py", "b.py"];
        assert_eq!(
            c.fingerprint("file", |i| names[i].to_string()),
            c.fingerprint("file", |i| swapped[i].to_string())
        );
        assert_ne!(
            c.fingerprint("file", |i| names[i].to_string()),
            c.fingerprint("module", |i| names[i].to_string())
        );
    }
}
