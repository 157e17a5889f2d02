//! JSON documents: the versioned contract described in docs/output.md.
//! Every list is sorted; paths are repository-relative with `/`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{CyclesView, ImpactView};
use super::{
    EdgeView, ImportCounts, Level, ReferenceCounts, SCHEMA_VERSION, external_imports,
    import_counts, module_sizes, parsed_by_language, undeclared_packages,
};
use crate::analysis::coupling::Coupling;
use crate::analysis::cycles::{CycleKind, Hop};
use crate::pipeline::Analysis;

#[derive(Serialize)]
pub(super) struct Tool {
    name: &'static str,
    version: &'static str,
}

pub(super) const TOOL: Tool = Tool {
    name: "vantage",
    version: env!("CARGO_PKG_VERSION"),
};

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    language: &'static str,
    module: &'a str,
    lines: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    syntax_error_line: Option<u32>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    non_utf8: bool,
    /// Why the file has no facts (it was not parsed); see `skipped`.
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<&'static str>,
}

#[derive(Serialize)]
struct ModuleJson<'a> {
    name: &'a str,
    files: usize,
    /// Import sites between files of this module.
    internal_sites: usize,
}

#[derive(Serialize)]
struct SiteJson<'a> {
    /// The importing file.
    path: &'a str,
    line: u32,
    kind: &'static str,
    specifier: &'a str,
    /// The imported file (module level only: at file level it is the edge's `to`).
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
}

#[derive(Serialize)]
struct EdgeJson<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
    sites: Vec<SiteJson<'a>>,
}

#[derive(Serialize)]
struct UnresolvedJson<'a> {
    path: &'a str,
    line: u32,
    specifier: &'a str,
    class: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<&'a str>,
    /// A name used in code (PHP, Rust), not an import statement.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reference: bool,
}

#[derive(Serialize)]
struct SkippedJson<'a> {
    path: &'a str,
    reason: &'static str,
    detail: String,
}

#[derive(Serialize)]
struct GraphJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    level: &'static str,
    files: Vec<FileJson<'a>>,
    modules: Vec<ModuleJson<'a>>,
    edges: Vec<EdgeJson<'a>>,
    unresolved: Vec<UnresolvedJson<'a>>,
    skipped: Vec<SkippedJson<'a>>,
}

fn files(analysis: &Analysis) -> Vec<FileJson<'_>> {
    analysis
        .project
        .files()
        .iter()
        .zip(&analysis.facts)
        .zip(&analysis.modules.of_file)
        .map(|((file, facts), &module)| FileJson {
            path: &file.path,
            language: file.language.family().as_str(),
            module: analysis.modules.name(module),
            lines: facts.lines,
            syntax_error_line: facts.syntax_error_line,
            non_utf8: facts.non_utf8,
            skipped: file.skipped.as_ref().map(|r| r.key()),
        })
        .collect()
}

fn modules(analysis: &Analysis) -> Vec<ModuleJson<'_>> {
    let sizes = module_sizes(analysis);
    analysis
        .modules
        .names
        .iter()
        .enumerate()
        .map(|(id, name)| ModuleJson {
            name,
            files: sizes[id],
            internal_sites: analysis.module_graph.internal_sites[id],
        })
        .collect()
}

fn edge_json<'a>(analysis: &'a Analysis, level: Level, edge: &EdgeView<'a>) -> EdgeJson<'a> {
    EdgeJson {
        from: edge.from,
        to: edge.to,
        kind: edge.kind.as_str(),
        sites: edge
            .sites
            .iter()
            .map(|site| SiteJson {
                path: analysis.project.path(site.from),
                line: site.line,
                kind: site.kind.as_str(),
                specifier: &analysis.facts[site.from].imports[site.import].specifier,
                to: (level == Level::Module).then(|| analysis.project.path(site.to)),
            })
            .collect(),
    }
}

fn unresolved(analysis: &Analysis) -> Vec<UnresolvedJson<'_>> {
    external_imports(analysis)
        .into_iter()
        .map(|i| UnresolvedJson {
            path: i.path,
            line: i.line,
            specifier: i.specifier,
            class: i.class.as_str(),
            kind: i.kind.as_str(),
            package: i.package,
            reference: i.reference,
        })
        .collect()
}

fn skipped(analysis: &Analysis) -> Vec<SkippedJson<'_>> {
    analysis
        .skipped
        .iter()
        .map(|s| SkippedJson {
            path: &s.path,
            reason: s.reason.key(),
            detail: s.reason.to_string(),
        })
        .collect()
}

pub(super) fn write_json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

pub fn write_graph(out: &mut dyn Write, view: &super::GraphView) -> io::Result<()> {
    let (analysis, level) = (view.analysis, view.level);
    let mut shown_files = files(analysis);
    if view.between.is_some() {
        let kept: std::collections::BTreeSet<&str> = view
            .edges()
            .iter()
            .flat_map(|e| {
                e.sites
                    .iter()
                    .flat_map(|s| [analysis.project.path(s.from), analysis.project.path(s.to)])
            })
            .collect();
        shown_files.retain(|f| kept.contains(f.path));
    }
    let doc = GraphJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "graph",
        level: level.as_str(),
        files: shown_files,
        modules: modules(analysis),
        edges: view
            .edges()
            .iter()
            .map(|edge| edge_json(analysis, level, edge))
            .collect(),
        unresolved: external_imports(analysis)
            .into_iter()
            .filter(|i| view.shows_unresolved(i.class))
            .map(|i| UnresolvedJson {
                path: i.path,
                line: i.line,
                specifier: i.specifier,
                class: i.class.as_str(),
                kind: i.kind.as_str(),
                package: i.package,
                reference: i.reference,
            })
            .collect(),
        skipped: skipped(analysis),
    };
    write_json(out, &doc)
}

#[derive(Serialize)]
struct FileCounts {
    parsed: usize,
    skipped: usize,
    by_language: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct EdgeCounts {
    file: usize,
    module: usize,
    /// Import sites behind the file edges.
    sites: usize,
}

#[derive(Serialize)]
struct SyntaxErrorJson<'a> {
    path: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct PackageCount<'a> {
    package: &'a str,
    imports: usize,
}

#[derive(Serialize)]
struct AnalyzeJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    files: FileCounts,
    modules: Vec<ModuleJson<'a>>,
    edges: EdgeCounts,
    imports: ImportCounts,
    references: ReferenceCounts,
    /// Only the imports of class `unresolved` or `ambiguous`; `graph --format
    /// json` lists all.
    unresolved: Vec<UnresolvedJson<'a>>,
    undeclared_packages: Vec<PackageCount<'a>>,
    syntax_errors: Vec<SyntaxErrorJson<'a>>,
    non_utf8: Vec<&'a str>,
    skipped: Vec<SkippedJson<'a>>,
    excluded_dirs: &'a [String],
    /// Findings of the rules this run evaluated (docs/rules.md): imports
    /// of what does not exist always; with --flags, every rule FLAGs carry.
    findings: Vec<FindingJson<'a>>,
    /// What `--flags` wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    flags: Option<FlagOutcomeJson<'a>>,
}

pub fn write_summary(
    out: &mut dyn Write,
    analysis: &Analysis,
    findings: &[crate::analysis::rules::Finding],
    flagged: Option<&crate::cli::FlagReport>,
) -> io::Result<()> {
    let by_language = parsed_by_language(analysis);
    let (imports, references) = import_counts(analysis);
    let paths = analysis.project.files();
    let doc = AnalyzeJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "analyze",
        files: FileCounts {
            parsed: by_language.values().sum(),
            skipped: analysis.skipped.len(),
            by_language,
        },
        modules: modules(analysis),
        edges: EdgeCounts {
            file: analysis.file_graph.edge_count(),
            module: analysis.module_graph.graph.edge_count(),
            sites: analysis
                .file_graph
                .edges()
                .map(|(_, _, d)| d.sites.len())
                .sum(),
        },
        imports,
        references,
        unresolved: unresolved(analysis)
            .into_iter()
            .filter(|u| matches!(u.class, "unresolved" | "ambiguous"))
            .collect(),
        undeclared_packages: undeclared_packages(analysis)
            .into_iter()
            .map(|(package, imports)| PackageCount { package, imports })
            .collect(),
        syntax_errors: paths
            .iter()
            .zip(&analysis.facts)
            .filter_map(|(f, facts)| {
                facts.syntax_error_line.map(|line| SyntaxErrorJson {
                    path: &f.path,
                    line,
                })
            })
            .collect(),
        non_utf8: paths
            .iter()
            .zip(&analysis.facts)
            .filter(|(_, facts)| facts.non_utf8)
            .map(|(f, _)| f.path.as_str())
            .collect(),
        skipped: skipped(analysis),
        excluded_dirs: &analysis.excluded_dirs,
        findings: findings
            .iter()
            .map(|f| FindingJson::of(analysis, f))
            .collect(),
        flags: flagged.map(FlagOutcomeJson::of),
    };
    write_json(out, &doc)
}

#[derive(Serialize)]
struct SiteRef<'a> {
    path: &'a str,
    line: u32,
    kind: &'static str,
}

#[derive(Serialize)]
struct HopJson<'a> {
    from: &'a str,
    to: &'a str,
    sites: Vec<SiteRef<'a>>,
}

#[derive(Serialize)]
struct ComponentJson<'a> {
    fingerprint: String,
    kind: &'static str,
    size: usize,
    edges: usize,
    sites: usize,
    members: Vec<&'a str>,
    witness: Vec<HopJson<'a>>,
    cut: Vec<HopJson<'a>>,
    cut_sites: usize,
}

#[derive(Serialize)]
struct CycleCounts {
    cycles: usize,
    type_only: usize,
}

#[derive(Serialize)]
struct CyclesJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    level: &'static str,
    runtime_only: bool,
    counts: CycleCounts,
    components: Vec<ComponentJson<'a>>,
}

fn hops<'a>(found: &'a CyclesView, hops: &'a [Hop]) -> Vec<HopJson<'a>> {
    hops.iter()
        .map(|hop| HopJson {
            from: found.name(hop.from),
            to: found.name(hop.to),
            sites: hop
                .sites
                .iter()
                .map(|s| SiteRef {
                    path: found.analysis.project.path(s.from),
                    line: s.line,
                    kind: s.kind.as_str(),
                })
                .collect(),
        })
        .collect()
}

pub fn write_cycles(out: &mut dyn Write, found: &CyclesView) -> io::Result<()> {
    let components: Vec<ComponentJson> = found
        .components
        .iter()
        .map(|c| ComponentJson {
            fingerprint: found.fingerprint(c),
            kind: c.kind.as_str(),
            size: c.members.len(),
            edges: c.edges,
            sites: c.sites,
            members: c.members.iter().map(|&m| found.name(m)).collect(),
            witness: hops(found, &c.witness),
            cut: hops(found, &c.cut),
            cut_sites: c.cut_sites(),
        })
        .collect();
    let strong = found
        .components
        .iter()
        .filter(|c| c.kind == CycleKind::Cycle)
        .count();
    let doc = CyclesJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "cycles",
        level: found.level.as_str(),
        runtime_only: found.options.runtime_only,
        counts: CycleCounts {
            cycles: strong,
            type_only: found.components.len() - strong,
        },
        components,
    };
    write_json(out, &doc)
}

/// A ratio rounded to 4 decimals, so that output is stable and readable.
fn rounded(value: Option<f64>) -> Option<f64> {
    value.map(|v| (v * 10_000.0).round() / 10_000.0)
}

#[derive(Serialize)]
struct MetricsJson<'a> {
    name: &'a str,
    files: usize,
    ca: usize,
    ce: usize,
    instability: Option<f64>,
    abstractness: Option<f64>,
    distance: Option<f64>,
    types: usize,
    abstract_types: usize,
    dependents: usize,
    dependencies: usize,
}

#[derive(Serialize)]
struct CellJson<'a> {
    from: &'a str,
    to: &'a str,
    sites: usize,
    files: usize,
}

#[derive(Serialize)]
struct PairJson<'a> {
    a: &'a str,
    b: &'a str,
    a_to_b: usize,
    b_to_a: usize,
    sites: usize,
}

#[derive(Serialize)]
struct ViolationJson<'a> {
    from: &'a str,
    to: &'a str,
    from_instability: Option<f64>,
    to_instability: Option<f64>,
    sites: usize,
}

#[derive(Serialize)]
struct DsmJson<'a> {
    order: Vec<&'a str>,
    cycles: Vec<Vec<&'a str>>,
}

#[derive(Serialize)]
struct CouplingJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    modules: Vec<MetricsJson<'a>>,
    matrix: Vec<CellJson<'a>>,
    dsm: DsmJson<'a>,
    pairs: Vec<PairJson<'a>>,
    violations: Vec<ViolationJson<'a>>,
}

pub fn write_coupling(
    out: &mut dyn Write,
    analysis: &Analysis,
    coupling: &Coupling,
) -> io::Result<()> {
    let name = |m: usize| analysis.modules.name(m);
    let mut cycles: Vec<Vec<&str>> = Vec::new();
    for &m in &coupling.dsm_order {
        if let Some(cycle) = coupling.cycle_of[m] {
            if cycles.len() <= cycle {
                cycles.resize(cycle + 1, Vec::new());
            }
            cycles[cycle].push(name(m));
        }
    }
    let doc = CouplingJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "coupling",
        modules: coupling
            .modules
            .iter()
            .map(|m| MetricsJson {
                name: name(m.module),
                files: m.files,
                ca: m.ca,
                ce: m.ce,
                instability: rounded(m.instability),
                abstractness: rounded(m.abstractness),
                distance: rounded(m.distance),
                types: m.types,
                abstract_types: m.abstract_types,
                dependents: m.dependents,
                dependencies: m.dependencies,
            })
            .collect(),
        matrix: coupling
            .matrix
            .iter()
            .map(|c| CellJson {
                from: name(c.from),
                to: name(c.to),
                sites: c.sites,
                files: c.files,
            })
            .collect(),
        dsm: DsmJson {
            order: coupling.dsm_order.iter().map(|&m| name(m)).collect(),
            cycles,
        },
        pairs: coupling
            .pairs
            .iter()
            .map(|p| PairJson {
                a: name(p.a),
                b: name(p.b),
                a_to_b: p.a_to_b,
                b_to_a: p.b_to_a,
                sites: p.sites(),
            })
            .collect(),
        violations: coupling
            .violations
            .iter()
            .map(|v| ViolationJson {
                from: name(v.from),
                to: name(v.to),
                from_instability: rounded(Some(v.from_instability)),
                to_instability: rounded(Some(v.to_instability)),
                sites: v.sites,
            })
            .collect(),
    };
    write_json(out, &doc)
}

#[derive(Serialize)]
struct DefinitionJson<'a> {
    path: &'a str,
    name: &'a str,
    kind: &'a str,
    start_line: u32,
    end_line: u32,
}

#[derive(Serialize)]
struct TargetJson<'a> {
    kind: &'static str,
    query: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    module: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    renamed_from: Option<&'a str>,
    whole_file: bool,
    files: Vec<&'a str>,
    definitions: Vec<DefinitionJson<'a>>,
    /// Names the change removed (changes).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    removed: &'a [String],
    /// The member of a `Type.member` target.
    #[serde(skip_serializing_if = "Option::is_none")]
    member: Option<&'a str>,
    /// Definitions of the symbol graph it names (symbols) or the change
    /// touches (changes), by qualified name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    symbols: Vec<&'a str>,
}

#[derive(Serialize)]
struct ImpactedJson<'a> {
    path: &'a str,
    module: &'a str,
    depth: usize,
    via: &'static str,
    test: bool,
    /// Reached only through lazy, dynamic or type-only imports.
    weak: bool,
    /// The target's name it imports.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    /// The changed definition of the target file that `name` uses.
    #[serde(skip_serializing_if = "Option::is_none")]
    carried_by: Option<&'a str>,
    /// `path:line` of each import on the way, then the target reached.
    why: Vec<String>,
    /// Hops of a long chain left out before its last one (0 for chains of
    /// up to 32 hops).
    #[serde(skip_serializing_if = "is_zero")]
    why_omitted: usize,
    chain_kind: &'static str,
}

#[derive(Serialize)]
struct ModuleCountJson<'a> {
    name: &'a str,
    files: usize,
}

#[derive(Serialize)]
struct RiskJson {
    level: &'static str,
    fan_in: usize,
    files: usize,
    modules: usize,
    max_depth: usize,
    tests: usize,
    broken: usize,
    weak: usize,
}

#[derive(Serialize)]
struct ImpactJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    depth_limit: Option<usize>,
    runtime_only: bool,
    targets: Vec<TargetJson<'a>>,
    impacted: Vec<ImpactedJson<'a>>,
    modules: Vec<ModuleCountJson<'a>>,
    tests: Vec<&'a str>,
    risk: RiskJson,
    /// Definitions reached (symbol level).
    symbols: Vec<ReachedSymbolJson<'a>>,
    /// The tests to run: files, or cases by the runner's id.
    tests_to_run: Vec<TestToRunJson<'a>>,
    /// The HTTP endpoints whose handler is reached.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    endpoints: Vec<ReachedEndpointJson<'a>>,
    /// What `--flags` wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    flags: Option<FlagOutcomeJson<'a>>,
}

#[derive(Serialize)]
struct ReachedEndpointJson<'a> {
    methods: &'a [String],
    path: &'a str,
    framework: &'static str,
    /// The definition reached the endpoint starts from.
    through: &'a str,
    depth: usize,
    weak: bool,
    site: String,
}

#[derive(Serialize)]
struct ReachedSymbolJson<'a> {
    name: &'a str,
    kind: &'static str,
    path: &'a str,
    line: u32,
    depth: usize,
    via: &'static str,
    weak: bool,
    /// From this definition back to a target: `path:line` of each use,
    /// with the definition used.
    why: Vec<SymbolHopJson<'a>>,
    #[serde(skip_serializing_if = "is_zero")]
    why_omitted: usize,
}

#[derive(Serialize)]
struct SymbolHopJson<'a> {
    from: &'a str,
    path: &'a str,
    line: u32,
    to: &'a str,
    via: &'static str,
}

#[derive(Serialize)]
struct TestToRunJson<'a> {
    id: &'a str,
    path: &'a str,
    weak: bool,
}

#[derive(Serialize)]
struct WrittenFlagJson<'a> {
    /// `created`, `kept` or `not_raised`.
    outcome: &'static str,
    id: Option<i64>,
    kind: &'static str,
    fingerprint: &'a str,
    target_agent: Option<&'a str>,
    flag_type: &'static str,
    impact_level: &'static str,
}

/// What a FLAG write did, in a command's JSON document.
#[derive(Serialize)]
struct FlagOutcomeJson<'a> {
    store: String,
    repository: &'a str,
    /// The analysed folder within the repository (`""`: all of it).
    scope: &'a str,
    /// Whether the run saw only part of the repository (nothing completed).
    partial: bool,
    created: &'a [i64],
    kept: &'a [i64],
    updated: &'a [i64],
    completed: &'a [i64],
    not_raised: usize,
    flags: Vec<WrittenFlagJson<'a>>,
    notes: &'a [String],
}

impl<'a> FlagOutcomeJson<'a> {
    fn of(report: &'a crate::cli::FlagReport) -> Self {
        let (batch, outcome) = (&report.batch, &report.outcome);
        FlagOutcomeJson {
            store: report.store.display().to_string(),
            repository: &batch.repository,
            scope: &batch.scope,
            partial: batch.partial,
            created: &outcome.created,
            kept: &outcome.kept,
            updated: &outcome.updated,
            completed: &outcome.completed,
            not_raised: outcome.not_raised,
            flags: batch
                .flags
                .iter()
                .zip(&outcome.per_flag)
                .map(|(flag, (state, id))| WrittenFlagJson {
                    outcome: state,
                    id: *id,
                    kind: flag.kind,
                    fingerprint: &flag.fingerprint,
                    target_agent: flag.target_agent.as_deref(),
                    flag_type: flag.flag_type,
                    impact_level: flag.impact_level,
                })
                .collect(),
            notes: &report.notes,
        }
    }
}

pub fn write_impact(
    out: &mut dyn Write,
    view: &ImpactView,
    flagged: Option<&crate::cli::FlagReport>,
) -> io::Result<()> {
    write_json(out, &impact_doc(view, flagged, usize::MAX))
}

/// The impact document as a JSON value, its files and symbols cut at
/// `limit` (with `impacted_total`, `symbols_total` beside them when cut):
/// the MCP answer, built without the part it would throw away (a change
/// of a much-used file reaches thousands of definitions).
pub fn impact_value(view: &ImpactView, limit: usize) -> serde_json::Value {
    let mut value = serde_json::to_value(impact_doc(view, None, limit)).expect("plain data");
    let reached = view.set.symbols.iter().filter(|r| r.depth > 0).count();
    if let Some(object) = value.as_object_mut() {
        for (key, total) in [
            ("impacted_total", view.set.impacted.len()),
            ("symbols_total", reached),
        ] {
            if total > limit {
                object.insert(key.to_string(), serde_json::json!(total));
            }
        }
    }
    value
}

fn impact_doc<'a>(
    view: &'a ImpactView<'a>,
    flagged: Option<&'a crate::cli::FlagReport>,
    limit: usize,
) -> ImpactJson<'a> {
    let analysis = view.analysis;
    let path = |f: usize| analysis.project.path(f);
    let targets = view
        .targets
        .iter()
        .map(|t| TargetJson {
            kind: t.kind,
            query: &t.query,
            module: t.module.as_deref(),
            status: t.status,
            renamed_from: t.renamed_from.as_deref(),
            whole_file: t.whole_file,
            removed: &t.removed,
            member: t.member.as_deref(),
            symbols: t
                .symbols
                .iter()
                .map(|&n| analysis.symbols.nodes[n].name.as_str())
                .collect(),
            files: t.files.iter().map(|&f| path(f)).collect(),
            definitions: t
                .definitions
                .iter()
                .map(|&(f, i)| {
                    let d = &analysis.facts[f].definitions[i];
                    DefinitionJson {
                        path: path(f),
                        name: &d.name,
                        kind: &d.kind,
                        start_line: d.start_line,
                        end_line: d.end_line,
                    }
                })
                .collect(),
        })
        .collect();
    let set = view.set;
    ImpactJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "impact",
        depth_limit: view.options.depth,
        runtime_only: view.options.runtime_only,
        targets,
        impacted: set
            .impacted
            .iter()
            .map(|i| ImpactedJson {
                path: path(i.file),
                module: analysis.modules.name(analysis.modules.of_file[i.file]),
                depth: i.depth,
                via: i.via.as_str(),
                test: i.test,
                weak: i.weak,
                name: i.name.as_deref(),
                carried_by: i.carried_by.as_deref(),
                // The steps as they are: what was left out is a field.
                why: crate::analysis::impact::why_steps(&i.why, 0, path),
                why_omitted: i.why_omitted,
                chain_kind: i.chain_kind().as_str(),
            })
            .take(limit)
            .collect(),
        modules: set
            .modules
            .iter()
            .map(|&(m, files)| ModuleCountJson {
                name: analysis.modules.name(m),
                files,
            })
            .collect(),
        tests: set.tests.iter().map(|&t| path(t)).collect(),
        risk: RiskJson {
            level: set.risk.level,
            fan_in: set.risk.fan_in,
            files: set.risk.files,
            modules: set.risk.modules,
            max_depth: set.risk.max_depth,
            tests: set.risk.tests,
            broken: set.risk.broken,
            weak: set.risk.weak,
        },
        symbols: set
            .symbols
            .iter()
            .filter(|r| r.depth > 0)
            .map(|r| {
                let graph = &analysis.symbols;
                let node = &graph.nodes[r.node];
                ReachedSymbolJson {
                    name: &node.name,
                    kind: node.kind.as_str(),
                    path: path(node.file),
                    line: node.lines.0,
                    depth: r.depth,
                    via: r.via.as_str(),
                    weak: r.weak,
                    why: r
                        .why
                        .iter()
                        .map(|hop| SymbolHopJson {
                            from: &graph.nodes[hop.from].name,
                            path: path(graph.nodes[hop.from].file),
                            line: hop.line,
                            to: &graph.nodes[hop.to].name,
                            via: hop.via.as_str(),
                        })
                        .collect(),
                    why_omitted: r.why_omitted,
                }
            })
            .take(limit)
            .collect(),
        endpoints: super::reached_endpoints(analysis, set)
            .into_iter()
            .map(|e| ReachedEndpointJson {
                methods: &e.route.methods,
                path: &e.route.path,
                framework: e.route.framework.as_str(),
                through: &analysis.symbols.nodes[e.through].name,
                depth: e.depth,
                weak: e.weak,
                site: format!("{}:{}", path(e.route.site.file), e.route.site.line),
            })
            .take(limit)
            .collect(),
        tests_to_run: {
            let mut tests: Vec<TestToRunJson> = set
                .selection
                .iter()
                .map(|t| TestToRunJson {
                    id: &t.id,
                    path: path(t.file),
                    weak: t.weak,
                })
                .collect();
            // Test files reached through imports, where no symbol layer
            // selects cases.
            tests.extend(
                set.tests
                    .iter()
                    .filter(|&&f| {
                        analysis
                            .symbols
                            .module_of
                            .get(f)
                            .is_none_or(|m| m.is_none())
                    })
                    .map(|&f| TestToRunJson {
                        id: path(f),
                        path: path(f),
                        weak: set.impacted.iter().any(|i| i.file == f && i.weak),
                    }),
            );
            tests.sort_by(|a, b| a.id.cmp(b.id));
            tests
        },
        flags: flagged.map(FlagOutcomeJson::of),
    }
}

#[derive(Serialize)]
struct FlagsJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    flags: &'a [crate::store::FlagRow],
}

/// `vantage flags list --format json`: the rows as stored, every column.
pub fn write_flag_rows(out: &mut dyn Write, rows: &[crate::store::FlagRow]) -> io::Result<()> {
    write_json(
        out,
        &FlagsJson {
            schema_version: SCHEMA_VERSION,
            tool: TOOL,
            command: "flags",
            flags: rows,
        },
    )
}

#[derive(Serialize)]
struct DupesJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    mode: &'static str,
    min_tokens: usize,
    /// Classes found before `--cross-module` / `--top` kept some.
    found: super::ClassCounts,
    listed: super::ClassFilter,
    clone_classes: Vec<CloneClassJson<'a>>,
    duplication: DuplicationJson<'a>,
    generated: Vec<&'a str>,
    excluded: Vec<&'a str>,
    unclosed_ignores: Vec<UnclosedJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    near: Option<NearJson<'a>>,
}

#[derive(Serialize)]
struct NearJson<'a> {
    similarity: f64,
    min_tokens: usize,
    found: super::ClassCounts,
    classes: Vec<NearClassJson<'a>>,
    duplication: NearDuplicationJson<'a>,
}

#[derive(Serialize)]
struct NearClassJson<'a> {
    fingerprint: &'a str,
    /// The least similarity of a member to the first.
    similarity: f64,
    tokens: usize,
    cross_module: bool,
    modules: Vec<&'a str>,
    members: Vec<NearMemberJson<'a>>,
}

#[derive(Serialize)]
struct NearMemberJson<'a> {
    #[serde(flatten)]
    place: CloneMemberJson<'a>,
    tokens: usize,
    similarity: f64,
    differing_lines: &'a [u32],
    first_differing_lines: &'a [u32],
}

#[derive(Serialize)]
struct NearDuplicationJson<'a> {
    total_percent: f64,
    code_lines: usize,
    duplicated_lines: usize,
    by_module: Vec<ShareJson<'a>>,
}

/// A ratio from 0 to 1 to 3 decimals: the same bytes on every machine.
fn ratio(r: f64) -> f64 {
    (r * 1000.0).round() / 1000.0
}

#[derive(Serialize)]
struct UnclosedJson<'a> {
    path: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct CloneClassJson<'a> {
    fingerprint: &'a str,
    tokens: usize,
    lines: u32,
    cross_module: bool,
    modules: Vec<&'a str>,
    members: Vec<CloneMemberJson<'a>>,
}

#[derive(Serialize)]
struct CloneMemberJson<'a> {
    path: &'a str,
    module: &'a str,
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

fn member_json(p: super::MemberPlace) -> CloneMemberJson {
    CloneMemberJson {
        path: p.path,
        module: p.module,
        start_line: p.start_line,
        start_column: p.start_column,
        end_line: p.end_line,
        end_column: p.end_column,
    }
}

#[derive(Serialize)]
struct DuplicationJson<'a> {
    total_percent: f64,
    /// Tokens of the files compared (comments and whitespace not counted).
    tokens: usize,
    code_lines: usize,
    duplicated_lines: usize,
    by_module: Vec<ShareJson<'a>>,
    by_file: Vec<ShareJson<'a>>,
}

#[derive(Serialize)]
struct ShareJson<'a> {
    name: &'a str,
    percent: f64,
    code_lines: usize,
    duplicated_lines: usize,
}

/// `vantage dupes --format json`.
pub fn write_dupes(out: &mut dyn Write, view: &super::DupesView) -> io::Result<()> {
    let analysis = view.analysis;
    let share = |name, s: super::LineShare| ShareJson {
        name,
        percent: s.percent(),
        code_lines: s.code_lines,
        duplicated_lines: s.duplicated_lines,
    };
    let total = view.total();
    let near = view.near.as_ref().map(|near| {
        let total = crate::analysis::duplicates::total_share(near.files);
        NearJson {
            similarity: near.options.similarity,
            min_tokens: near.options.min_tokens,
            found: near.found,
            classes: near
                .classes
                .iter()
                .map(|class| {
                    let modules = view.near_modules(class);
                    NearClassJson {
                        fingerprint: &class.fingerprint,
                        similarity: ratio(class.similarity()),
                        tokens: class.tokens(),
                        cross_module: modules.len() > 1,
                        modules,
                        members: class
                            .members
                            .iter()
                            .map(|m| NearMemberJson {
                                place: member_json(view.place(&m.unit)),
                                tokens: m.unit.len,
                                similarity: ratio(m.similarity),
                                differing_lines: &m.differs,
                                first_differing_lines: &m.first_differs,
                            })
                            .collect(),
                    }
                })
                .collect(),
            duplication: NearDuplicationJson {
                total_percent: total.percent(),
                code_lines: total.code_lines,
                duplicated_lines: total.duplicated_lines,
                by_module: crate::analysis::duplicates::module_shares(
                    near.files,
                    &analysis.modules,
                )
                .into_iter()
                .enumerate()
                .filter(|(_, s)| s.duplicated_lines > 0)
                .map(|(m, s)| share(analysis.modules.name(m), s))
                .collect(),
            },
        }
    });
    let doc = DupesJson {
        near,
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "dupes",
        mode: view.options.mode.as_str(),
        min_tokens: view.options.min_tokens,
        found: view.found,
        listed: view.filter,
        clone_classes: view
            .classes
            .iter()
            .map(|class| {
                let modules = view.modules(class);
                CloneClassJson {
                    fingerprint: &class.fingerprint,
                    tokens: class.tokens,
                    lines: view.lines(class),
                    cross_module: modules.len() > 1,
                    modules,
                    members: class
                        .members
                        .iter()
                        .map(|m| member_json(view.place(m)))
                        .collect(),
                }
            })
            .collect(),
        duplication: DuplicationJson {
            total_percent: total.percent(),
            tokens: view.tokens(),
            code_lines: total.code_lines,
            duplicated_lines: total.duplicated_lines,
            by_module: view
                .by_module()
                .into_iter()
                .map(|(name, s)| share(name, s))
                .collect(),
            by_file: view
                .files
                .iter()
                .enumerate()
                .filter(|(_, f)| f.duplicated_lines > 0)
                .map(|(file, f)| {
                    share(
                        analysis.project.path(file),
                        super::LineShare {
                            code_lines: f.code_lines,
                            duplicated_lines: f.duplicated_lines,
                        },
                    )
                })
                .collect(),
        },
        generated: view
            .generated
            .iter()
            .map(|&f| analysis.project.path(f))
            .collect(),
        excluded: view
            .excluded
            .iter()
            .map(|&f| analysis.project.path(f))
            .collect(),
        unclosed_ignores: view
            .unclosed
            .iter()
            .map(|&(file, line)| UnclosedJson {
                path: analysis.project.path(file),
                line,
            })
            .collect(),
    };
    write_json(out, &doc)
}

#[derive(Serialize)]
struct LocationJson<'a> {
    path: &'a str,
    start_line: u32,
    end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

impl<'a> LocationJson<'a> {
    fn of(location: &'a crate::analysis::rules::Location) -> Self {
        LocationJson {
            path: &location.path,
            start_line: location.start_line,
            end_line: location.end_line,
            note: location.note.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct FindingJson<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    fingerprint: &'a str,
    location: Option<LocationJson<'a>>,
    related: Vec<LocationJson<'a>>,
    modules: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<f64>,
}

impl<'a> FindingJson<'a> {
    fn of(analysis: &'a Analysis, f: &'a crate::analysis::rules::Finding) -> Self {
        FindingJson {
            rule: f.rule.id(),
            severity: f.severity.as_str(),
            message: &f.message,
            fingerprint: &f.fingerprint,
            location: f.location.as_ref().map(LocationJson::of),
            related: f.related.iter().map(LocationJson::of).collect(),
            modules: f
                .modules
                .iter()
                .map(|&m| analysis.modules.name(m))
                .collect(),
            value: f.value,
            limit: f.limit,
        }
    }
}

#[derive(Serialize)]
struct CheckViolationJson<'a> {
    rule: &'static str,
    severity: &'static str,
    /// `new`, `known` (in the baseline, or before the change) or `worse`.
    status: &'static str,
    /// Whether it fails the check.
    fails: bool,
    message: &'a str,
    fingerprint: &'a str,
    location: Option<LocationJson<'a>>,
    related: Vec<LocationJson<'a>>,
    modules: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<f64>,
    /// The known value a `worse` finding grew from.
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<f64>,
}

#[derive(Serialize)]
struct RuleJson {
    id: &'static str,
    summary: &'static str,
    measured: String,
    violations: usize,
    failing: usize,
}

#[derive(Serialize)]
struct ComparedJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    merge_base: Option<&'a str>,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    passed: bool,
    compared_with: ComparedJson<'a>,
    rules: Vec<RuleJson>,
    violations: Vec<CheckViolationJson<'a>>,
    /// Baseline entries no longer found.
    gone: &'a [crate::analysis::baseline::Known],
}

/// `vantage check --format json`: every violation, failing or known.
pub fn write_check(out: &mut dyn Write, view: &super::CheckView) -> io::Result<()> {
    use crate::analysis::baseline::Status;
    let violations: Vec<CheckViolationJson> = view
        .findings
        .iter()
        .zip(view.statuses)
        .map(|(f, status)| CheckViolationJson {
            rule: f.rule.id(),
            severity: f.severity.as_str(),
            status: status.as_str(),
            fails: status.fails() && f.severity == crate::analysis::rules::Severity::Error,
            message: &f.message,
            fingerprint: &f.fingerprint,
            location: f.location.as_ref().map(LocationJson::of),
            related: f.related.iter().map(LocationJson::of).collect(),
            modules: view.module_names(f),
            value: f.value,
            limit: f.limit,
            before: match status {
                Status::Worse { before } => Some(*before),
                _ => None,
            },
        })
        .collect();
    let rules = view
        .measured
        .iter()
        .map(|(rule, measured)| RuleJson {
            id: rule.id(),
            summary: rule.summary(),
            measured: measured.clone(),
            violations: violations.iter().filter(|v| v.rule == rule.id()).count(),
            failing: violations
                .iter()
                .filter(|v| v.rule == rule.id() && v.fails)
                .count(),
        })
        .collect();
    let doc = CheckJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "check",
        passed: !view.failed(),
        compared_with: ComparedJson {
            baseline: view.comparison.baseline.as_deref(),
            since: view.comparison.since.as_ref().map(|(r, _)| r.as_str()),
            merge_base: view.comparison.since.as_ref().map(|(_, b)| b.as_str()),
        },
        rules,
        violations,
        gone: view.gone,
    };
    write_json(out, &doc)
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
