//! `vantage report`: one self-contained HTML document about the whole
//! system (no network: the page's CSS and script are inline, its data a
//! JSON island), and the same facts as Markdown for a pull request.
//!
//! The page is drawn by `html/report.js` from the data below; every name,
//! path and fragment reaches the page as JSON and is set as text, never as
//! markup, and the page's content security policy runs no script but its
//! own.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::cycles::{Component, CycleKind};
use crate::analysis::debt::HotSpot;
use crate::analysis::decoupling::PairAdvice;
use crate::analysis::measures::Measures;
use crate::analysis::rules::Severity;
use crate::pipeline::Analysis;
use crate::project::FileId;
use crate::symbols::EdgeKind;

/// Clone classes listed at most (largest first), and those shown with
/// their code side by side.
pub const CLONES_LISTED: usize = 400;
pub const CLONES_WITH_CODE: usize = 60;
/// Lines of a fragment shown at most.
pub const FRAGMENT_LINES: usize = 80;
/// Near-miss classes listed at most (largest first), and those shown with
/// two members side by side.
pub const NEAR_LISTED: usize = 200;
pub const NEAR_WITH_CODE: usize = 40;
/// File-level cycles listed at most (largest first).
const FILE_CYCLES: usize = 30;
/// Hot spots listed at most.
const HOT_SPOTS: usize = 200;

/// What the report shows, computed by the caller.
pub struct ReportView<'a> {
    pub analysis: &'a Analysis,
    pub measures: &'a Measures<'a>,
    /// Ranked, highest first.
    pub hot_spots: &'a [HotSpot],
    pub advice: &'a [PairAdvice],
    /// The check of vantage.toml's rules, when it has any.
    pub check: Option<&'a super::CheckView<'a>>,
    /// The code of the first two copies of each class shown with code.
    pub fragments: &'a [Vec<String>],
    /// The first two members of each near-miss class shown with code.
    pub near_sides: &'a [[NearSide; 2]],
    /// Whether churn was read from git.
    pub churn: bool,
    pub label: String,
}

#[derive(Serialize)]
struct Data<'a> {
    root: &'a str,
    version: &'static str,
    summary: Summary,
    languages: Vec<(&'static str, usize)>,
    modules: Vec<ModuleData<'a>>,
    /// Each file: path, module id, lines.
    files: Vec<(&'a str, usize, u32)>,
    /// File edges: from, to, kind, sites, first line.
    edges: Vec<(usize, usize, &'static str, usize, u32)>,
    /// Module edges: from, to, sites, importing files, kind.
    module_edges: Vec<(usize, usize, usize, usize, &'static str)>,
    dsm: Dsm<'a>,
    cycles: Vec<CycleData>,
    clones: Vec<CloneData<'a>>,
    clones_found: usize,
    near: Vec<NearData<'a>>,
    hot: Vec<HotData>,
    churn: bool,
    decoupling: Vec<AdviceData<'a>>,
    /// The symbol graph, for the impact explorer.
    symbols: SymbolData<'a>,
    /// HTTP endpoints with their traces (the first `ENDPOINTS_LISTED`).
    endpoints: Vec<EndpointData>,
    endpoints_found: usize,
    /// Registrations not read statically: file, line, framework, reason.
    dynamic: Vec<(FileId, u32, &'static str, &'a str)>,
    check: Option<CheckData<'a>>,
}

/// The symbol graph, compact: a node's name is its parent's plus `name`
/// (`.save` under `shop.Order`), and each node lists who uses it.
#[derive(Serialize)]
struct SymbolData<'a> {
    /// Node kinds, indexed by a node's `kind`.
    kinds: Vec<&'static str>,
    /// Each node: name past its parent's, parent node (-1: none), kind,
    /// file, line, test (0: no, 1: a case, 2: a test file's module).
    nodes: Vec<(&'a str, i64, usize, FileId, u32, u8)>,
    /// By node: the nodes that use it, ascending.
    users: Vec<Vec<usize>>,
}

fn symbol_data(analysis: &Analysis) -> SymbolData<'_> {
    let graph = &analysis.symbols;
    let mut kinds: Vec<&'static str> = Vec::new();
    let mut nodes = Vec::with_capacity(graph.nodes.len());
    for (id, node) in graph.nodes.iter().enumerate() {
        // The enclosing definition, else the file's module.
        let parent = graph
            .def(&analysis.facts, id)
            .and_then(|d| d.parent)
            .and_then(|p| graph.node(node.file, p))
            .or_else(|| graph.module_of.get(node.file).copied().flatten())
            .filter(|&p| p != id && node.name.starts_with(graph.nodes[p].name.as_str()));
        let (suffix, parent) = match parent {
            Some(p) => (&node.name[graph.nodes[p].name.len()..], p as i64),
            None => (node.name.as_str(), -1),
        };
        let kind = node.kind.as_str();
        let kind = match kinds.iter().position(|&k| k == kind) {
            Some(k) => k,
            None => {
                kinds.push(kind);
                kinds.len() - 1
            }
        };
        let test = match node.test {
            None => 0,
            Some(crate::symbols::TestKind::Case) => 1,
            Some(crate::symbols::TestKind::File) => 2,
        };
        nodes.push((suffix, parent, kind, node.file, node.lines.0, test));
    }
    let users = (0..graph.nodes.len())
        .map(|id| {
            // As `impact` follows them: an import by name or a type
            // annotation does not run the definition.
            let mut users: Vec<usize> = graph
                .users(id)
                .filter(|(_, e)| !matches!(e.kind, EdgeKind::Import | EdgeKind::Type))
                .map(|(u, _)| u)
                .filter(|&u| u != id)
                .collect();
            users.sort_unstable();
            users.dedup();
            users
        })
        .collect();
    SymbolData {
        kinds,
        nodes,
        users,
    }
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    parsed: usize,
    skipped: usize,
    modules: usize,
    file_edges: usize,
    module_edges: usize,
    sites: usize,
    module_cycles: usize,
    files_in_cycles: usize,
    duplication: f64,
    duplicated_lines: usize,
    code_lines: usize,
    clone_classes: usize,
    near_classes: usize,
    near_similarity: f64,
    near_duplication: f64,
    unresolved: usize,
}

#[derive(Serialize)]
struct ModuleData<'a> {
    name: &'a str,
    files: usize,
    ca: usize,
    ce: usize,
    instability: Option<f64>,
    abstractness: Option<f64>,
    distance: Option<f64>,
    types: usize,
    abstract_types: usize,
    duplication: f64,
}

#[derive(Serialize)]
struct Dsm<'a> {
    order: &'a [usize],
    cycle_of: &'a [Option<usize>],
}

/// A site: file, line.
type SiteData = (FileId, u32);

#[derive(Serialize)]
struct HopData {
    from: usize,
    to: usize,
    sites: Vec<SiteData>,
}

#[derive(Serialize)]
struct CycleData {
    level: &'static str,
    members: Vec<usize>,
    edges: usize,
    sites: usize,
    witness: Vec<HopData>,
    cut: Vec<HopData>,
}

#[derive(Serialize)]
struct CloneData<'a> {
    tokens: usize,
    lines: u32,
    modules: Vec<usize>,
    /// File, first line, last line.
    places: Vec<(FileId, u32, u32)>,
    code: &'a [String],
}

#[derive(Serialize)]
struct NearData<'a> {
    similarity: f64,
    tokens: usize,
    modules: Vec<usize>,
    /// File, first line, last line, tokens, similarity to the first.
    members: Vec<(FileId, u32, u32, usize, f64)>,
    /// The first member and the second, when shown with code.
    sides: Option<&'a [NearSide; 2]>,
}

/// A member of a near-miss class as shown: its lines (at most
/// `FRAGMENT_LINES`), the first one's number, the lines that differ from
/// the other side, and how many lines it has in all.
#[derive(Clone, Debug, Default, Serialize)]
pub struct NearSide {
    pub first_line: u32,
    pub lines: Vec<String>,
    pub differs: Vec<u32>,
    pub total: u32,
}

#[derive(Serialize)]
struct HotData {
    file: FileId,
    fan_in: usize,
    churn: Option<usize>,
    cycle: Option<usize>,
    duplicated_lines: usize,
    code_lines: usize,
    parts: [f64; 4],
    score: f64,
}

#[derive(Serialize)]
struct AdviceData<'a> {
    a: usize,
    b: usize,
    a_to_b: usize,
    b_to_a: usize,
    cyclic: bool,
    /// User module, offering file, name, sites, importing files.
    interface: Vec<(usize, FileId, &'a str, usize, usize)>,
    /// File, to module, removed, added.
    moves: Vec<(FileId, usize, usize, usize)>,
}

#[derive(Serialize)]
struct CheckData<'a> {
    passed: bool,
    /// Rule, what it measured.
    rules: Vec<(&'static str, &'a str)>,
    /// Rule, severity, place, message, fails.
    violations: Vec<(&'static str, &'static str, String, &'a str, bool)>,
}

fn hops(hops: &[crate::analysis::cycles::Hop]) -> Vec<HopData> {
    hops.iter()
        .map(|h| HopData {
            from: h.from,
            to: h.to,
            sites: h.sites.iter().map(|s| (s.from, s.line)).collect(),
        })
        .collect()
}

fn cycle(level: &'static str, component: &Component) -> CycleData {
    CycleData {
        level,
        members: component.members.clone(),
        edges: component.edges,
        sites: component.sites,
        witness: hops(&component.witness),
        cut: hops(&component.cut),
    }
}

/// The near-miss classes listed, largest first; the first ones with the
/// code of two members (`sides`).
fn near_data<'a>(
    analysis: &Analysis,
    classes: &[crate::analysis::near::NearClass],
    sides: &'a [[NearSide; 2]],
) -> Vec<NearData<'a>> {
    classes
        .iter()
        .take(NEAR_LISTED)
        .enumerate()
        .map(|(i, class)| {
            let members: Vec<(FileId, u32, u32, usize, f64)> = class
                .members
                .iter()
                .map(|m| {
                    let (first, last) = analysis.lines_of(&m.unit);
                    (m.unit.file, first, last, m.unit.len, m.similarity)
                })
                .collect();
            let modules: BTreeSet<usize> = members
                .iter()
                .map(|m| analysis.modules.of_file[m.0])
                .collect();
            NearData {
                similarity: class.similarity(),
                tokens: class.tokens(),
                modules: modules.into_iter().collect(),
                members,
                sides: sides.get(i),
            }
        })
        .collect()
}

/// How many endpoints the page lists, each with its trace.
const ENDPOINTS_LISTED: usize = 1000;
/// How deep each endpoint's trace goes, and how many of its rows are
/// kept.
const TRACE_DEPTH: usize = 6;
const TRACE_ROWS: usize = 60;

/// An endpoint and its request flow, compact.
#[derive(Serialize)]
struct EndpointData {
    methods: String,
    path: String,
    framework: &'static str,
    /// The view (or the method handling it), else what is written.
    handler: String,
    /// Where the view is defined: file, line (-1: none).
    at: (i64, u32),
    site: (FileId, u32),
    /// Guards: name, file, line, where attached.
    guards: Vec<(String, FileId, u32, &'static str)>,
    module: usize,
    /// The trace, depth first: depth, how (`call`, `instantiate`, or an
    /// effect's kind), name, file, line.
    trace: Vec<(usize, &'static str, String, FileId, u32)>,
    /// Rows left out of the trace.
    trace_more: usize,
}

fn endpoint_data(analysis: &Analysis) -> Vec<EndpointData> {
    analysis
        .routes
        .routes
        .iter()
        .take(ENDPOINTS_LISTED)
        .map(|r| {
            let graph = &analysis.symbols;
            let (handler, at) = match (r.handler, &r.view_written) {
                (Some(h), _) => {
                    let shown = h.method.unwrap_or(h.view);
                    let n = &graph.nodes[shown];
                    (n.name.clone(), (n.file as i64, n.lines.0))
                }
                (None, Some(w)) => (w.clone(), (-1, 0)),
                (None, None) => ("?".to_string(), (-1, 0)),
            };
            let starts = crate::cli::trace::starts_of(analysis, r);
            let trace = crate::analysis::trace::trace(analysis, &starts, TRACE_DEPTH);
            let mut rows = super::trace::tree_rows(analysis, &trace);
            let more = rows.len().saturating_sub(TRACE_ROWS);
            rows.truncate(TRACE_ROWS);
            EndpointData {
                methods: r.methods.join(","),
                path: r.path.clone(),
                framework: r.framework.as_str(),
                handler,
                at,
                site: (r.site.file, r.site.line),
                guards: r
                    .guards
                    .iter()
                    .map(|g| (g.name.clone(), g.site.file, g.site.line, g.on.as_str()))
                    .collect(),
                module: analysis.modules.of_file
                    [r.handler.map_or(r.site.file, |h| graph.nodes[h.view].file)],
                trace: rows,
                trace_more: more,
            }
        })
        .collect()
}

fn data<'a>(view: &'a ReportView<'_>) -> Data<'a> {
    let analysis = view.analysis;
    let measures = view.measures;
    let coupling = measures.coupling();
    let clones = measures.clones();
    let near = measures.near();
    let shares = clones.by_module(analysis);
    let total = clones.total();
    let module_cycles: Vec<&Component> = measures
        .module_cycles()
        .iter()
        .filter(|c| c.kind == CycleKind::Cycle)
        .collect();
    let mut file_cycles: Vec<&Component> = measures
        .file_cycles()
        .iter()
        .filter(|c| c.kind == CycleKind::Cycle)
        .collect();
    let files_in_cycles = file_cycles.iter().map(|c| c.members.len()).sum();
    file_cycles.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.members.cmp(&b.members))
    });
    let (imports, _) = super::import_counts(analysis);
    let empty: &[String] = &[];
    Data {
        root: &view.label,
        version: env!("CARGO_PKG_VERSION"),
        summary: Summary {
            files: analysis.project.files().len(),
            parsed: analysis
                .project
                .files()
                .iter()
                .filter(|f| f.skipped.is_none())
                .count(),
            skipped: analysis.skipped.len(),
            modules: analysis.modules.names.len(),
            file_edges: analysis.file_graph.edge_count(),
            module_edges: analysis.module_graph.graph.edge_count(),
            sites: analysis
                .file_graph
                .edges()
                .map(|(_, _, d)| d.sites.len())
                .sum(),
            module_cycles: module_cycles.len(),
            files_in_cycles,
            duplication: total.percent(),
            duplicated_lines: total.duplicated_lines,
            code_lines: total.code_lines,
            clone_classes: clones.classes.len(),
            near_classes: near.classes.len(),
            near_similarity: near.options.similarity,
            near_duplication: crate::analysis::duplicates::total_share(&near.files).percent(),
            unresolved: imports.unresolved,
        },
        languages: super::parsed_by_language(analysis).into_iter().collect(),
        modules: coupling
            .modules
            .iter()
            .map(|m| ModuleData {
                name: analysis.modules.name(m.module),
                files: m.files,
                ca: m.ca,
                ce: m.ce,
                instability: m.instability,
                abstractness: m.abstractness,
                distance: m.distance,
                types: m.types,
                abstract_types: m.abstract_types,
                duplication: shares[m.module].percent(),
            })
            .collect(),
        files: analysis
            .project
            .files()
            .iter()
            .enumerate()
            .map(|(id, f)| {
                (
                    f.path.as_str(),
                    analysis.modules.of_file[id],
                    analysis.facts[id].lines,
                )
            })
            .collect(),
        edges: analysis
            .file_graph
            .edges()
            .map(|(a, b, d)| (a, b, d.kind.as_str(), d.sites.len(), d.sites[0].line))
            .collect(),
        module_edges: {
            let kinds: std::collections::HashMap<(usize, usize), &str> = analysis
                .module_graph
                .graph
                .edges()
                .map(|(a, b, d)| ((a, b), d.kind.as_str()))
                .collect();
            coupling
                .matrix
                .iter()
                .map(|cell| {
                    let kind = kinds
                        .get(&(cell.from, cell.to))
                        .copied()
                        .unwrap_or("static");
                    (cell.from, cell.to, cell.sites, cell.files, kind)
                })
                .collect()
        },
        dsm: Dsm {
            order: &coupling.dsm_order,
            cycle_of: &coupling.cycle_of,
        },
        cycles: module_cycles
            .iter()
            .map(|c| cycle("module", c))
            .chain(
                file_cycles
                    .iter()
                    .take(FILE_CYCLES)
                    .map(|c| cycle("file", c)),
            )
            .collect(),
        clones: clones
            .classes
            .iter()
            .take(CLONES_LISTED)
            .enumerate()
            .map(|(i, class)| {
                let places = clones.places(class);
                let modules: BTreeSet<usize> = places
                    .iter()
                    .map(|(f, _, _)| analysis.modules.of_file[*f])
                    .collect();
                CloneData {
                    tokens: class.tokens,
                    lines: clones.lines(class),
                    modules: modules.into_iter().collect(),
                    places,
                    code: view.fragments.get(i).map_or(empty, Vec::as_slice),
                }
            })
            .collect(),
        clones_found: clones.classes.len(),
        near: near_data(analysis, &near.classes, view.near_sides),
        hot: view
            .hot_spots
            .iter()
            .take(HOT_SPOTS)
            .map(|h| HotData {
                file: h.file,
                fan_in: h.fan_in,
                churn: h.churn,
                cycle: h.cycle,
                duplicated_lines: h.duplicated_lines,
                code_lines: h.code_lines,
                parts: h.parts,
                score: h.score,
            })
            .collect(),
        churn: view.churn,
        decoupling: view
            .advice
            .iter()
            .map(|p| AdviceData {
                a: p.a,
                b: p.b,
                a_to_b: p.a_to_b,
                b_to_a: p.b_to_a,
                cyclic: p.cyclic,
                interface: p
                    .interface
                    .iter()
                    .take(40)
                    .map(|u| (u.user, u.file, u.name.as_str(), u.sites, u.importers.len()))
                    .collect(),
                moves: p
                    .moves
                    .iter()
                    .take(15)
                    .map(|m| (m.file, m.to, m.removed, m.added))
                    .collect(),
            })
            .collect(),
        symbols: symbol_data(analysis),
        endpoints: endpoint_data(analysis),
        endpoints_found: analysis.routes.routes.len(),
        dynamic: analysis
            .routes
            .dynamic
            .iter()
            .map(|d| {
                (
                    d.site.file,
                    d.site.line,
                    d.framework.as_str(),
                    d.reason.as_str(),
                )
            })
            .collect(),
        check: view.check.map(|check| CheckData {
            passed: !check.failed(),
            rules: check
                .measured
                .iter()
                .map(|(rule, measured)| (rule.id(), measured.as_str()))
                .collect(),
            violations: check
                .findings
                .iter()
                .zip(check.statuses)
                .map(|(f, s)| {
                    (
                        f.rule.id(),
                        f.severity.as_str(),
                        f.location.as_ref().map(|l| l.text()).unwrap_or_default(),
                        f.message.as_str(),
                        s.fails() && f.severity == Severity::Error,
                    )
                })
                .collect(),
        }),
    }
}

/// JSON that can sit inside a `<script>` element whatever the strings
/// hold: `<`, `>` and `&` (and the two line separators JavaScript once
/// refused) as escapes.
fn script_json(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).expect("report data serialises");
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Text for an HTML element's content or attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const TEMPLATE: &str = include_str!("html/report.html");
const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

pub fn write_html(out: &mut dyn Write, view: &ReportView) -> io::Result<()> {
    let page = TEMPLATE
        .replace(
            "{{title}}",
            &escape(&format!("vantage report: {}", view.label)),
        )
        .replace("/*{{style}}*/", STYLE)
        .replace("/*{{script}}*/", SCRIPT)
        .replace("{{data}}", &script_json(&data(view)));
    out.write_all(page.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_close_its_script_element() {
        let json = script_json(&vec![
            "</script><img src=x onerror=alert(1)>",
            "a&b",
            "\u{2028}",
        ]);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert_eq!(
            serde_json::from_str::<Vec<String>>(&json).unwrap(),
            ["</script><img src=x onerror=alert(1)>", "a&b", "\u{2028}"]
        );
        assert_eq!(
            escape("<a href=\"x\">'&"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
    }
}
