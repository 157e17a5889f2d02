//! Impact at the definition level: what a changed, removed or
//! re-signatured definition reaches through the symbol graph.
//!
//! ## What it finds
//! From seeds (definitions that changed, names a change removed,
//! definitions whose signature changed), every definition that depends on
//! them, with its depth and one shortest chain of use sites back to a
//! seed:
//! - a changed definition reaches what calls, instantiates, inherits,
//!   references it or takes it as a fixture, and their users in turn
//!   (callers of callers);
//! - a removed or re-signatured one **breaks** (depth 1) whatever still
//!   names it: uses that now fail to resolve to it (a module or class
//!   asked for a name it lacks), its type uses and imports too; what
//!   breaks then reaches its own users;
//! - a use that runs when its module loads (top-level code, a class body,
//!   a decorator) reaches that module; a module reached so reaches the
//!   modules that import it when they load (an import runs it), and a
//!   `conftest.py` the tests below it;
//! - a method reaches, weakly, the callers of the methods it overrides
//!   (a call through the base may dispatch to it), and the unresolved
//!   calls of its name (`x.save()` on a value of unknown type).
//!
//! ## Why it matters
//! "Which tests must run for this change" is the set of tests that reach
//! it; file-level reach (every importer of an importer) selects most of a
//! suite for a change to one function.
//!
//! ## Example
//! `OrderService.cancel` calls `OrderRepo.get`; a change to `get` reaches
//! `cancel` (depth 1, call), then `test_cancel` (depth 2, call), not the
//! other functions of the files importing `repo.py`.
//!
//! ## Limits
//! What the symbol graph does not resolve is reached only by name (weak),
//! never through types it cannot see; values from frameworks (routes,
//! signals, dependency injection) are followed only as far as references
//! go.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::facts::FileFacts;
use crate::graph::DependencyGraph;
use crate::project::{FileId, ProjectFiles, file_name, parent};
use crate::symbols::{EdgeKind, NodeKind, SymbolGraph, SymbolId, UnresolvedReason};

/// Where the analysis starts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SymbolSeed {
    /// A definition (or a module's top-level code) that changed.
    Changed(SymbolId),
    /// A name a module or class (`container`) no longer has.
    Removed { container: SymbolId, name: String },
    /// A definition whose parameters or return annotation changed: its
    /// users break as if it were removed, and it changed.
    Resignatured(SymbolId),
}

/// How a definition is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SymbolVia {
    /// It names a removed or re-signatured definition: it breaks.
    Broken,
    /// It uses a reached definition this way.
    Edge(EdgeKind),
    /// Its module's loading runs reached code (top-level code, a class
    /// body, a decorator), or imports a module whose loading does.
    Load,
    /// It calls a method the reached one overrides (weak).
    Override,
    /// An unresolved use of the reached definition's name (weak).
    Unresolved,
}

impl SymbolVia {
    pub fn as_str(self) -> &'static str {
        match self {
            SymbolVia::Broken => "broken",
            SymbolVia::Edge(kind) => kind.as_str(),
            SymbolVia::Load => "load",
            SymbolVia::Override => "override",
            SymbolVia::Unresolved => "unresolved",
        }
    }

    fn weak(self) -> bool {
        matches!(self, SymbolVia::Override | SymbolVia::Unresolved)
    }
}

/// One hop of a why-chain: `from` uses `to` at `from`'s file, `line`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SymbolHop {
    pub from: SymbolId,
    pub line: u32,
    pub to: SymbolId,
    pub via: SymbolVia,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImpactedSymbol {
    pub node: SymbolId,
    /// 0: a seed; 1: uses one directly.
    pub depth: usize,
    pub via: SymbolVia,
    /// From this node back to a seed (shortened as a file's why-chain is:
    /// [`crate::analysis::impact::MAX_WHY`]), `why_omitted` hops left out.
    pub why: Vec<SymbolHop>,
    pub why_omitted: usize,
    /// Whether every hop of the whole chain binds when the files load.
    pub loads: bool,
    /// Reached only through an override or an unresolved name.
    pub weak: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct SymbolImpactOptions {
    pub depth: Option<usize>,
    /// Leave the weak reach out.
    pub strong_only: bool,
}

#[derive(Clone, Debug)]
struct Reach {
    depth: usize,
    via: SymbolVia,
    hop: Option<SymbolHop>,
}

/// What one search reads besides the seeds.
struct Inputs<'a> {
    graph: &'a SymbolGraph,
    project: &'a ProjectFiles,
    /// Importers of each file whose import runs when the importer loads,
    /// with the line of one such import.
    loaders: Vec<Vec<(FileId, u32)>>,
    /// Unresolved calls by the last name of their path.
    unresolved_by_name: HashMap<&'a str, Vec<usize>>,
    /// Nodes by name.
    by_name: HashMap<&'a str, SymbolId>,
    limit: usize,
}

/// Definitions reached from the seeds, strong first; each with its chain.
pub fn symbol_impact(
    graph: &SymbolGraph,
    project: &ProjectFiles,
    file_graph: &DependencyGraph,
    seeds: &[SymbolSeed],
    options: SymbolImpactOptions,
) -> Vec<ImpactedSymbol> {
    let mut loaders: Vec<Vec<(FileId, u32)>> = vec![Vec::new(); file_graph.node_count()];
    for (from, to, dependency) in file_graph.edges() {
        if from == to {
            continue;
        }
        let Some(site) = dependency.sites.iter().find(|s| s.kind.loads()) else {
            continue;
        };
        loaders[to].push((from, site.line));
        // Importing `pkg/sub/mod.py` runs `pkg/__init__.py` and
        // `pkg/sub/__init__.py` first.
        if project.get(to).language.family() == crate::lang::LanguageFamily::Python {
            let mut dir = parent(project.path(to));
            while !dir.is_empty() {
                if let Some(init) = project.file(&format!("{dir}/__init__.py"))
                    && init != to
                    && init != from
                {
                    loaders[init].push((from, site.line));
                }
                dir = parent(dir);
            }
        }
    }
    for list in &mut loaders {
        list.sort_unstable();
        list.dedup_by_key(|(importer, _)| *importer);
    }
    let mut unresolved_by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, u) in graph.unresolved.iter().enumerate() {
        if u.reason == UnresolvedReason::Missing {
            continue;
        }
        let last = u.path.rsplit('.').next().unwrap_or(&u.path);
        unresolved_by_name.entry(last).or_default().push(i);
        // `validator(value)` on a value of unknown type may call any
        // class's `__call__`.
        if u.kind == crate::facts::UseKind::Call && !u.path.contains('.') {
            unresolved_by_name.entry("__call__").or_default().push(i);
        }
    }
    let inputs = Inputs {
        graph,
        project,
        loaders,
        unresolved_by_name,
        by_name: graph
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.as_str(), i))
            .collect(),
        limit: options.depth.unwrap_or(usize::MAX),
    };
    let strong = search(&inputs, seeds, false);
    let mut out = chains(&strong, false);
    if !options.strong_only {
        let all = search(&inputs, seeds, true);
        let mut weak = chains(&all, true);
        weak.retain(|i| !strong.contains_key(&i.node));
        out.extend(weak);
    }
    out.sort_by_key(|i| (i.weak, i.depth, i.node));
    out
}

fn chains(found: &BTreeMap<SymbolId, Reach>, weak: bool) -> Vec<ImpactedSymbol> {
    let nodes: Vec<SymbolId> = found.keys().copied().collect();
    let whys = crate::analysis::impact::why_chains(
        &nodes,
        |node| found.get(&node).and_then(|reach| reach.hop),
        |hop: &SymbolHop| hop.to,
        true,
        |loads, hop| loads && hop.via == SymbolVia::Load,
    );
    found
        .iter()
        .zip(whys)
        .map(
            |((&node, reach), (why, why_omitted, loads))| ImpactedSymbol {
                node,
                depth: reach.depth,
                via: reach.via,
                why,
                why_omitted,
                loads,
                weak,
            },
        )
        .collect()
}

/// Breadth-first, level by level in node order: each node's chain is a
/// shortest one, the same on every run.
fn search(inputs: &Inputs, seeds: &[SymbolSeed], weak: bool) -> BTreeMap<SymbolId, Reach> {
    let graph = inputs.graph;
    let mut found: BTreeMap<SymbolId, Reach> = BTreeMap::new();
    let mut buckets: Vec<BTreeSet<SymbolId>> = vec![BTreeSet::new()];
    let mut reach = |found: &mut BTreeMap<SymbolId, Reach>,
                     buckets: &mut Vec<BTreeSet<SymbolId>>,
                     node: SymbolId,
                     r: Reach| {
        if r.depth > inputs.limit || (!weak && r.via.weak()) {
            return;
        }
        let better = found
            .get(&node)
            .is_none_or(|old| (r.depth, r.via) < (old.depth, old.via));
        if better {
            let depth = r.depth;
            found.insert(node, r);
            if buckets.len() <= depth {
                buckets.resize(depth + 1, BTreeSet::new());
            }
            buckets[depth].insert(node);
        }
    };
    for seed in seeds {
        match seed {
            SymbolSeed::Changed(node) => {
                reach(
                    &mut found,
                    &mut buckets,
                    *node,
                    Reach {
                        depth: 0,
                        via: SymbolVia::Edge(EdgeKind::Call),
                        hop: None,
                    },
                );
                // A class's field is part of what the class is: its
                // instances change too.
                if let Some(class) = owning_class(inputs, *node) {
                    reach(
                        &mut found,
                        &mut buckets,
                        class,
                        Reach {
                            depth: 0,
                            via: SymbolVia::Edge(EdgeKind::Call),
                            hop: None,
                        },
                    );
                }
            }
            SymbolSeed::Resignatured(node) => {
                reach(
                    &mut found,
                    &mut buckets,
                    *node,
                    Reach {
                        depth: 0,
                        via: SymbolVia::Edge(EdgeKind::Call),
                        hop: None,
                    },
                );
                for (user, edge) in graph.users(*node) {
                    let line = edge.sites[0].line;
                    broken(
                        &mut found,
                        &mut buckets,
                        &mut reach,
                        inputs,
                        user,
                        line,
                        *node,
                        edge.sites.iter().any(|s| s.load),
                    );
                }
            }
            SymbolSeed::Removed { container, name } => {
                // A name asked of a module that passes on the container's
                // names (`export * from`) is asked of the container.
                let mut containers = BTreeSet::from([*container]);
                let mut grew = true;
                while grew {
                    grew = false;
                    for &(module, source) in &graph.wildcards {
                        if containers.contains(&source) && containers.insert(module) {
                            grew = true;
                        }
                    }
                }
                for u in graph.unresolved.iter().filter(|u| {
                    u.missing
                        .as_ref()
                        .is_some_and(|(c, n)| containers.contains(c) && n == name)
                }) {
                    broken(
                        &mut found,
                        &mut buckets,
                        &mut reach,
                        inputs,
                        u.from,
                        u.line,
                        *container,
                        u.load,
                    );
                }
            }
        }
    }
    // Depths only grow, and a reach replaces another only when it is
    // strictly closer: a base method's users, or the uses of a name on
    // unknown values, expanded once give all they can (the same answer,
    // its why-chain through the first node that got there).
    let mut expanded_bases: BTreeSet<SymbolId> = BTreeSet::new();
    let mut expanded_names: BTreeSet<&str> = BTreeSet::new();
    let mut depth = 0;
    while depth < buckets.len() {
        let level: Vec<SymbolId> = buckets[depth].iter().copied().collect();
        for node in level {
            if found.get(&node).is_none_or(|r| r.depth != depth) {
                continue;
            }
            let next = depth + 1;
            // Users of a changed definition.
            for (user, edge) in graph.users(node) {
                if matches!(edge.kind, EdgeKind::Type | EdgeKind::Import) {
                    continue;
                }
                let hop = SymbolHop {
                    from: user,
                    line: edge.sites[0].line,
                    to: node,
                    via: SymbolVia::Edge(edge.kind),
                };
                reach(
                    &mut found,
                    &mut buckets,
                    user,
                    Reach {
                        depth: next,
                        via: SymbolVia::Edge(edge.kind),
                        hop: Some(hop),
                    },
                );
                // A call that runs when its module loads (a decorator, a
                // class body, top-level code) changes the load; a name
                // only read there does not run.
                let runs = matches!(
                    edge.kind,
                    EdgeKind::Call | EdgeKind::Instantiate | EdgeKind::Inherit
                );
                if runs
                    && let Some(site) = edge.sites.iter().find(|s| s.load)
                    && let Some(module) = graph.module_of[graph.nodes[user].file]
                    && module != user
                {
                    reach(
                        &mut found,
                        &mut buckets,
                        module,
                        Reach {
                            depth: next,
                            via: SymbolVia::Load,
                            hop: Some(SymbolHop {
                                from: module,
                                line: site.line,
                                to: node,
                                via: SymbolVia::Load,
                            }),
                        },
                    );
                }
            }
            let n = &graph.nodes[node];
            if n.kind == NodeKind::Module {
                // Importing a module runs it.
                for &(importer, line) in &inputs.loaders[n.file] {
                    if let Some(module) = graph.module_of[importer] {
                        reach(
                            &mut found,
                            &mut buckets,
                            module,
                            Reach {
                                depth: next,
                                via: SymbolVia::Load,
                                hop: Some(SymbolHop {
                                    from: module,
                                    line,
                                    to: node,
                                    via: SymbolVia::Load,
                                }),
                            },
                        );
                    }
                }
                // pytest loads a conftest.py for every test below it.
                let path = inputs.project.path(n.file);
                if file_name(path) == "conftest.py" {
                    let dir = parent(path);
                    for (other, m) in graph.nodes.iter().enumerate() {
                        let below = dir.is_empty()
                            || inputs.project.path(m.file).starts_with(&format!("{dir}/"));
                        if m.kind == NodeKind::Module && m.test.is_some() && below && other != node
                        {
                            reach(
                                &mut found,
                                &mut buckets,
                                other,
                                Reach {
                                    depth: next,
                                    via: SymbolVia::Load,
                                    hop: Some(SymbolHop {
                                        from: other,
                                        line: 1,
                                        to: node,
                                        via: SymbolVia::Load,
                                    }),
                                },
                            );
                        }
                    }
                }
                continue;
            }
            // What a class holds is part of what it is: a class variable
            // reached reaches its class; so does a constructor (a class
            // may be instantiated where it is only named: `OPTIONS_CLASS =
            // SchemaOpts`, then `cls.OPTIONS_CLASS(...)`).
            if let Some(class) =
                owning_class(inputs, node).or_else(|| constructed_class(inputs, node))
            {
                reach(
                    &mut found,
                    &mut buckets,
                    class,
                    Reach {
                        depth: next,
                        via: SymbolVia::Edge(EdgeKind::Reference),
                        hop: Some(SymbolHop {
                            from: class,
                            line: graph.nodes[node].lines.0,
                            to: node,
                            via: SymbolVia::Edge(EdgeKind::Reference),
                        }),
                    },
                );
            }
            if !weak {
                continue;
            }
            // A method of a class with a base outside the repository may
            // be called back by that base: what makes the class reaches it.
            if let Some(class) = method_class(inputs, node)
                && graph.nodes[class].open_bases
            {
                for (user, edge) in graph.users(class) {
                    if edge.kind != EdgeKind::Instantiate {
                        continue;
                    }
                    let line = edge.sites[0].line;
                    let by = override_reach(next, user, line, node);
                    reach(&mut found, &mut buckets, user, by);
                }
            }
            // A method (or class variable) overriding others: uses through
            // the base may reach it.
            for overridden in overridden(inputs, node) {
                if !expanded_bases.insert(overridden) {
                    continue;
                }
                for (user, edge) in graph.users(overridden) {
                    // Only a use through an instance may run an override
                    // (not `super()`, a constructor, `Base.m(self)`).
                    let through_instance =
                        matches!(edge.kind, EdgeKind::Call | EdgeKind::Reference)
                            && edge.sites.iter().any(|s| s.dispatch);
                    if !through_instance {
                        continue;
                    }
                    let line = edge.sites[0].line;
                    let by = override_reach(next, user, line, node);
                    reach(&mut found, &mut buckets, user, by);
                }
            }
            // Uses of its name on values of unknown type (a method, or a
            // class's variable read or called through an instance).
            let short = short_name(&n.name);
            let member = match n.kind {
                NodeKind::Def(kind) if kind.is_callable() => true,
                NodeKind::Def(
                    crate::facts::DefKind::Variable | crate::facts::DefKind::Constant,
                ) => member_owner(inputs, node).is_some(),
                _ => false,
            };
            if member
                && expanded_names.insert(short)
                && let Some(uses) = inputs.unresolved_by_name.get(short)
            {
                for &i in uses {
                    let u = &graph.unresolved[i];
                    reach(
                        &mut found,
                        &mut buckets,
                        u.from,
                        Reach {
                            depth: next,
                            via: SymbolVia::Unresolved,
                            hop: Some(SymbolHop {
                                from: u.from,
                                line: u.line,
                                to: node,
                                via: SymbolVia::Unresolved,
                            }),
                        },
                    );
                }
            }
        }
        depth += 1;
    }
    found
}

/// A user of a removed or re-signatured definition: broken, at depth 1;
/// its module too when the use runs at load.
#[allow(clippy::too_many_arguments)]
fn broken(
    found: &mut BTreeMap<SymbolId, Reach>,
    buckets: &mut Vec<BTreeSet<SymbolId>>,
    reach: &mut impl FnMut(
        &mut BTreeMap<SymbolId, Reach>,
        &mut Vec<BTreeSet<SymbolId>>,
        SymbolId,
        Reach,
    ),
    inputs: &Inputs,
    user: SymbolId,
    line: u32,
    to: SymbolId,
    load: bool,
) {
    let hop = SymbolHop {
        from: user,
        line,
        to,
        via: SymbolVia::Broken,
    };
    reach(
        found,
        buckets,
        user,
        Reach {
            depth: 1,
            via: SymbolVia::Broken,
            hop: Some(hop),
        },
    );
    let graph = inputs.graph;
    if load
        && let Some(module) = graph.module_of[graph.nodes[user].file]
        && module != user
    {
        reach(
            found,
            buckets,
            module,
            Reach {
                depth: 1,
                via: SymbolVia::Broken,
                hop: Some(SymbolHop {
                    from: module,
                    line,
                    to,
                    via: SymbolVia::Broken,
                }),
            },
        );
    }
}

/// The class (or other type) a member is defined in.
fn member_owner(inputs: &Inputs, node: SymbolId) -> Option<SymbolId> {
    let n = &inputs.graph.nodes[node];
    let short = short_name(&n.name);
    let owner = n.name[..n.name.len() - short.len()].trim_end_matches(['.', ':', '#']);
    let &class = inputs.by_name.get(owner)?;
    matches!(inputs.graph.nodes[class].kind, NodeKind::Def(kind) if kind.is_type()).then_some(class)
}

/// A weak reach of `user` through an override of `node`.
fn override_reach(depth: usize, user: SymbolId, line: u32, node: SymbolId) -> Reach {
    Reach {
        depth,
        via: SymbolVia::Override,
        hop: Some(SymbolHop {
            from: user,
            line,
            to: node,
            via: SymbolVia::Override,
        }),
    }
}

/// The class holding a field (a variable defined in a class body), when
/// that class is made inside a function: then the function's run makes
/// the field's value. (A module-level class's field is read where it is
/// used, and those uses are edges of their own.)
fn owning_class(inputs: &Inputs, node: SymbolId) -> Option<SymbolId> {
    use crate::facts::DefKind;
    let n = &inputs.graph.nodes[node];
    if !matches!(n.kind, NodeKind::Def(DefKind::Variable | DefKind::Constant)) {
        return None;
    }
    let class = member_owner(inputs, node)?;
    let maker = enclosing(inputs, class)?;
    matches!(inputs.graph.nodes[maker].kind, NodeKind::Def(kind) if kind.is_callable())
        .then_some(class)
}

/// The definition a definition is written in (by its qualified name).
fn enclosing(inputs: &Inputs, node: SymbolId) -> Option<SymbolId> {
    let n = &inputs.graph.nodes[node];
    let short = short_name(&n.name);
    let owner = n.name[..n.name.len() - short.len()].trim_end_matches(['.', ':', '#']);
    inputs.by_name.get(owner).copied()
}

/// The class whose constructor a method is (`__init__`, `__new__`,
/// `constructor`).
fn constructed_class(inputs: &Inputs, node: SymbolId) -> Option<SymbolId> {
    let n = &inputs.graph.nodes[node];
    if !matches!(short_name(&n.name), "__init__" | "__new__" | "constructor") {
        return None;
    }
    method_class(inputs, node)
}

/// The class of a method.
fn method_class(inputs: &Inputs, node: SymbolId) -> Option<SymbolId> {
    use crate::facts::DefKind;
    matches!(
        inputs.graph.nodes[node].kind,
        NodeKind::Def(DefKind::Method)
    )
    .then(|| member_owner(inputs, node))
    .flatten()
}

/// The last segment of a qualified name.
fn short_name(name: &str) -> &str {
    let cut = name.rfind(['.', '#', ':', '\\']).map_or(0, |i| i + 1);
    &name[cut..]
}

/// The methods of the ancestors of a method's class that it overrides.
fn overridden(inputs: &Inputs, method: SymbolId) -> Vec<SymbolId> {
    use crate::facts::DefKind;
    let graph = inputs.graph;
    let n = &graph.nodes[method];
    if !matches!(
        n.kind,
        NodeKind::Def(DefKind::Method | DefKind::Variable | DefKind::Constant)
    ) {
        return Vec::new();
    }
    let short = short_name(&n.name);
    let Some(class) = member_owner(inputs, method) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![class];
    let mut seen = BTreeSet::new();
    while let Some(c) = stack.pop() {
        if !seen.insert(c) {
            continue;
        }
        for (base, edge) in graph.used(c) {
            if edge.kind != EdgeKind::Inherit {
                continue;
            }
            let base_name = &graph.nodes[base].name;
            let separator = if base_name.contains("::") { "::" } else { "." };
            if let Some(&m) = inputs
                .by_name
                .get(format!("{base_name}{separator}{short}").as_str())
            {
                out.push(m);
            }
            stack.push(base);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The test files and test ids among reached symbols: a test file whose
/// module is reached runs whole; else its reached cases.
pub fn tests_to_run(
    graph: &SymbolGraph,
    project: &ProjectFiles,
    facts: &[FileFacts],
    reached: &[ImpactedSymbol],
) -> Vec<TestSelection> {
    use crate::symbols::TestKind;
    let mut whole: BTreeMap<FileId, bool> = BTreeMap::new();
    let mut cases: BTreeMap<FileId, BTreeMap<String, bool>> = BTreeMap::new();
    for r in reached {
        let node = &graph.nodes[r.node];
        match node.test {
            Some(TestKind::File) => {
                let weak = whole.entry(node.file).or_insert(r.weak);
                *weak &= r.weak;
            }
            Some(TestKind::Case) => {
                let id = crate::symbols::test_id(project, facts, node);
                let weak = cases
                    .entry(node.file)
                    .or_default()
                    .entry(id)
                    .or_insert(r.weak);
                *weak &= r.weak;
            }
            None => {}
        }
    }
    let mut out = Vec::new();
    let files: BTreeSet<FileId> = whole.keys().chain(cases.keys()).copied().collect();
    for file in files {
        let strong_whole = whole.get(&file) == Some(&false);
        if !strong_whole {
            // The cases reached strongly, and (weak) the file when only a
            // weak link reaches it whole.
            for (id, weak) in cases.get(&file).into_iter().flatten() {
                if whole.contains_key(&file) && *weak {
                    continue;
                }
                out.push(TestSelection {
                    file,
                    id: id.clone(),
                    weak: *weak,
                });
            }
        }
        if whole.contains_key(&file) {
            out.push(TestSelection {
                file,
                id: project.path(file).to_string(),
                weak: !strong_whole,
            });
        }
    }
    out
}

/// A test to run: a whole file, or one case by the runner's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestSelection {
    pub file: FileId,
    /// A path, or `path::Class::test_x` (pytest).
    pub id: String,
    /// Reached only through a weak link.
    pub weak: bool,
}

/// One file entry per file holding a reached definition: the closest one
/// (strong first), with the chain's hops as file hops.
pub fn files_reached(
    graph: &SymbolGraph,
    project: &ProjectFiles,
    reached: &[ImpactedSymbol],
) -> Vec<crate::analysis::impact::Impacted> {
    use crate::analysis::impact::{Hop, Impacted, Via, is_test_file};
    use crate::facts::ImportKind;
    let mut best: BTreeMap<FileId, &ImpactedSymbol> = BTreeMap::new();
    // A file is a test file when a test in it is reached (a Rust file's
    // `mod tests`), whichever definition reached it first.
    let mut tests: BTreeSet<FileId> = BTreeSet::new();
    for r in reached.iter().filter(|r| r.depth > 0) {
        let file = graph.nodes[r.node].file;
        if graph.nodes[r.node].test.is_some() {
            tests.insert(file);
        }
        let better = best
            .get(&file)
            .is_none_or(|old| (r.weak, r.depth, r.node) < (old.weak, old.depth, old.node));
        if better {
            best.insert(file, r);
        }
    }
    best.into_iter()
        .map(|(file, r)| {
            let via = match r.via {
                SymbolVia::Broken => Via::Broken,
                SymbolVia::Edge(kind) => Via::Uses(kind),
                SymbolVia::Load => Via::Load,
                SymbolVia::Override => Via::Override,
                SymbolVia::Unresolved => Via::Unresolved,
            };
            let why = r
                .why
                .iter()
                .map(|hop| Hop {
                    from: graph.nodes[hop.from].file,
                    line: hop.line,
                    // A load-time hop binds when the file loads; a use in a
                    // body once it runs.
                    kind: if hop.via == SymbolVia::Load {
                        ImportKind::Static
                    } else {
                        ImportKind::Lazy
                    },
                    to: graph.nodes[hop.to].file,
                })
                .collect();
            Impacted {
                file,
                depth: r.depth,
                via,
                why,
                why_omitted: r.why_omitted,
                chain: if r.loads {
                    ImportKind::Static
                } else {
                    ImportKind::Lazy
                },
                test: tests.contains(&file) || is_test_file(project.path(file)),
                weak: r.weak,
                name: Some(graph.nodes[r.node].name.clone()),
                carried_by: None,
            }
        })
        .collect()
}
