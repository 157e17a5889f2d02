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
                sites: edge
                    .sites
                    .iter()
                    .map(|s| UseSiteJson {
                        line: s.line,
                        load: s.load,
                    })
                    .collect(),
            })
            .collect(),
        unresolved: UnresolvedSummary {
            total: graph.unresolved.len(),
            by_reason,
            uses: graph
                .unresolved
                .iter()
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
            let lines: Vec<String> = edge.sites.iter().map(|s| s.line.to_string()).collect();
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
