//! The symbol level: the symbol graph (`graph --level symbol`) in JSON and
//! text. The JSON shape is documented in docs/output.md.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::pipeline::Analysis;
use crate::symbols::{SymbolGraph, SymbolId, TestKind};

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

const TOOL: Tool = Tool {
    name: "vantage",
    version: env!("CARGO_PKG_VERSION"),
};

#[derive(Serialize)]
pub(super) struct SymbolJson<'a> {
    pub name: &'a str,
    pub kind: &'static str,
    pub path: &'a str,
    pub line: u32,
    pub end_line: u32,
    pub module: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<TestKind>,
    /// Private to where it is written (`[[forbid]] private = true`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
}

#[derive(Serialize)]
struct UseSiteJson {
    line: u32,
    /// Runs when the user's module loads.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    load: bool,
}

#[derive(Serialize)]
struct SymbolEdgeJson<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
    /// Lines in the file of `from`.
    sites: Vec<UseSiteJson>,
}

#[derive(Serialize)]
struct UnresolvedUseJson<'a> {
    from: &'a str,
    path: &'a str,
    line: u32,
    name: &'a str,
    kind: &'static str,
    reason: &'static str,
    /// The module or class asked, for a name it lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    missing_in: Option<&'a str>,
}

#[derive(Serialize)]
struct UnresolvedSummary<'a> {
    total: usize,
    by_reason: BTreeMap<&'static str, usize>,
    /// Calls, instantiations, bases and types only: a name read on a
    /// value of unknown type is not listed unless a known module or class
    /// lacks it.
    uses: Vec<UnresolvedUseJson<'a>>,
}

#[derive(Serialize)]
struct SymbolGraphJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    level: &'static str,
    symbols: Vec<SymbolJson<'a>>,
    edges: Vec<SymbolEdgeJson<'a>>,
    unresolved: UnresolvedSummary<'a>,
    /// Languages of the repository whose definitions are not read yet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    languages_without_symbols: Vec<&'static str>,
}

pub(super) fn symbol_json<'a>(analysis: &'a Analysis, id: SymbolId) -> SymbolJson<'a> {
    let node = &analysis.symbols.nodes[id];
    SymbolJson {
        name: &node.name,
        kind: node.kind.as_str(),
        path: analysis.project.path(node.file),
        line: node.lines.0,
        end_line: node.lines.1,
        module: analysis.modules.name(analysis.modules.of_file[node.file]),
        test: node.test,
        private: analysis.symbols.is_private(&analysis.facts, id),
    }
}

/// Languages present whose files carry no symbol facts.
pub fn languages_without_symbols(analysis: &Analysis) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = analysis
        .project
        .files()
        .iter()
        .zip(&analysis.facts)
        .filter(|(f, facts)| f.skipped.is_none() && facts.symbols.is_none())
        .filter(|(f, _)| f.language.spec().symbols.is_none())
        .map(|(f, _)| f.language.family().as_str())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

pub fn write_symbol_graph_json(out: &mut dyn Write, analysis: &Analysis) -> io::Result<()> {
    let graph: &SymbolGraph = &analysis.symbols;
    let name = |id: SymbolId| graph.nodes[id].name.as_str();
    let mut by_reason = BTreeMap::new();
    for (reason, count) in graph.unresolved_counts() {
        by_reason.insert(reason.as_str(), count);
    }
    let doc = SymbolGraphJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "graph",
        level: "symbol",
        symbols: (0..graph.nodes.len())
            .map(|id| symbol_json(analysis, id))
            .collect(),
        edges: graph
            .edges()
            .map(|(from, to, edge)| SymbolEdgeJson {
                from: name(from),
                to: name(to),
                kind: edge.kind.as_str(),
                // Two uses on one line (`A.of(x).label` meets `A` twice)
                // are one site here.
                sites: {
                    let mut sites: Vec<UseSiteJson> = edge
                        .sites
                        .iter()
                        .map(|s| UseSiteJson {
                            line: s.line,
                            load: s.load,
                        })
                        .collect();
                    sites.dedup_by_key(|s| (s.line, s.load));
                    sites
                },
            })
            .collect(),
        unresolved: UnresolvedSummary {
            total: graph.unresolved.iter().filter(|u| !u.is_implied()).count(),
            by_reason,
            uses: graph
                .unresolved
                .iter()
                .filter(|u| !u.is_implied())
                .map(|u| UnresolvedUseJson {
                    from: name(u.from),
                    path: analysis.project.path(graph.nodes[u.from].file),
                    line: u.line,
                    name: &u.path,
                    kind: u.kind.as_str(),
                    reason: u.reason.as_str(),
                    missing_in: u.missing.as_ref().map(|(at, _)| name(*at)),
                })
                .collect(),
        },
        languages_without_symbols: languages_without_symbols(analysis),
    };
    super::json::write_json(out, &doc)
}

/// One block per symbol that uses others: its name and place, then each
/// use with its kind and lines.
pub fn write_symbol_graph_text(out: &mut dyn Write, analysis: &Analysis) -> io::Result<()> {
    let graph = &analysis.symbols;
    for id in 0..graph.nodes.len() {
        let node = &graph.nodes[id];
        let mut used: Vec<_> = graph.used(id).collect();
        if used.is_empty() {
            continue;
        }
        used.sort_by(|a, b| {
            (&graph.nodes[a.0].name, a.1.kind).cmp(&(&graph.nodes[b.0].name, b.1.kind))
        });
        writeln!(
            out,
            "{} ({}:{})",
            node.name,
            analysis.project.path(node.file),
            node.lines.0
        )?;
        for (to, edge) in used {
            let mut lines: Vec<String> = edge.sites.iter().map(|s| s.line.to_string()).collect();
            lines.dedup();
            writeln!(
                out,
                "  -> {} [{}] line {}",
                graph.nodes[to].name,
                edge.kind.as_str(),
                lines.join(", ")
            )?;
        }
    }
    let counts = graph.unresolved_counts();
    let total: usize = counts.values().sum();
    let parts: Vec<String> = counts
        .iter()
        .map(|(reason, n)| format!("{n} {}", reason.as_str().replace('_', " ")))
        .collect();
    writeln!(
        out,
        "\n{} symbols, {} edges; {} uses unresolved{}",
        graph.nodes.len(),
        graph.graph.edge_count(),
        total,
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    )?;
    let missing = languages_without_symbols(analysis);
    if !missing.is_empty() {
        writeln!(out, "no symbol layer yet for: {}", missing.join(", "))?;
    }
    Ok(())
}

/// `callers` / `callees`: the definitions a query named, and what a walk
/// from them met.
pub struct NeighboursView<'a> {
    pub analysis: &'a Analysis,
    pub query: &'a str,
    pub starts: &'a [SymbolId],
    pub direction: crate::symbols::Direction,
    pub walked: &'a [crate::symbols::Walked],
}

impl NeighboursView<'_> {
    fn command(&self) -> &'static str {
        match self.direction {
            crate::symbols::Direction::Users => "callers",
            crate::symbols::Direction::Used => "callees",
        }
    }
}

#[derive(Serialize)]
struct NeighbourJson<'a> {
    #[serde(flatten)]
    symbol: SymbolJson<'a>,
    depth: usize,
    /// How it uses (callers) or is used by (callees) `toward`.
    via: &'static str,
    /// The definition one step closer to a target.
    toward: &'a str,
    /// Lines of those uses, in the user's file.
    lines: &'a [u32],
}

#[derive(Serialize)]
struct NeighboursJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    query: &'a str,
    targets: Vec<SymbolJson<'a>>,
    /// `callers`: what uses the targets; `callees`: what they use.
    symbols: Vec<NeighbourJson<'a>>,
}

pub fn write_neighbours_json(out: &mut dyn Write, view: &NeighboursView) -> io::Result<()> {
    let analysis = view.analysis;
    let graph = &analysis.symbols;
    let doc = NeighboursJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: view.command(),
        query: view.query,
        targets: view
            .starts
            .iter()
            .map(|&n| symbol_json(analysis, n))
            .collect(),
        symbols: view
            .walked
            .iter()
            .map(|w| NeighbourJson {
                symbol: symbol_json(analysis, w.node),
                depth: w.depth,
                via: w.kind.as_str(),
                toward: &graph.nodes[w.toward].name,
                lines: &w.lines,
            })
            .collect(),
    };
    super::json::write_json(out, &doc)
}

pub fn write_neighbours_text(out: &mut dyn Write, view: &NeighboursView) -> io::Result<()> {
    let analysis = view.analysis;
    let graph = &analysis.symbols;
    let place = |n: SymbolId| {
        let node = &graph.nodes[n];
        format!("{}:{}", analysis.project.path(node.file), node.lines.0)
    };
    for &start in view.starts {
        let node = &graph.nodes[start];
        writeln!(
            out,
            "{} {} ({})",
            node.kind.as_str(),
            node.name,
            place(start)
        )?;
    }
    if view.walked.is_empty() {
        let none = match view.direction {
            crate::symbols::Direction::Users => "nothing the symbol graph resolves uses it",
            crate::symbols::Direction::Used => "it uses nothing the symbol graph resolves",
        };
        writeln!(out, "  {none}")?;
        return Ok(());
    }
    for w in view.walked {
        let indent = "  ".repeat(w.depth);
        let lines: Vec<String> = w.lines.iter().map(u32::to_string).collect();
        let (user, used) = match view.direction {
            crate::symbols::Direction::Users => (w.node, w.toward),
            crate::symbols::Direction::Used => (w.toward, w.node),
        };
        let at = format!(
            "{}:{}",
            analysis.project.path(graph.nodes[user].file),
            lines.join(",")
        );
        let verb = match view.direction {
            crate::symbols::Direction::Users => {
                format!("{} `{}`", w.kind.as_str(), graph.nodes[used].name)
            }
            crate::symbols::Direction::Used => {
                format!("{} by `{}`", w.kind.as_str(), graph.nodes[user].name)
            }
        };
        writeln!(
            out,
            "{indent}{} {}  ({verb} at {at})",
            graph.nodes[w.node].kind.as_str(),
            graph.nodes[w.node].name
        )?;
    }
    Ok(())
}
