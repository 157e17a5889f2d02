//! Graphviz DOT. At file level, files are grouped in one cluster per module.
//! Type-only edges are dashed; lazy and dynamic ones dotted.

use std::io::{self, Write};

use super::{CyclesView, Level, edges, graph_at};
use crate::analysis::cycles::CycleKind;
use crate::facts::ImportKind;
use crate::pipeline::Analysis;

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn style(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::TypeOnly => ", style=dashed",
        ImportKind::Lazy | ImportKind::Dynamic => ", style=dotted",
        _ => "",
    }
}

pub fn write_graph(out: &mut dyn Write, analysis: &Analysis, level: Level) -> io::Result<()> {
    writeln!(out, "digraph vantage {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [shape=box, fontname=\"Helvetica\", fontsize=10];"
    )?;
    match level {
        Level::File => {
            for (module_id, module) in analysis.modules.names.iter().enumerate() {
                writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{module}")))?;
                writeln!(out, "    label={};", quote(module))?;
                for (file, _) in analysis
                    .modules
                    .of_file
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| **m == module_id)
                {
                    writeln!(out, "    {};", quote(analysis.project.path(file)))?;
                }
                writeln!(out, "  }}")?;
            }
        }
        Level::Module => {
            for module in &analysis.modules.names {
                writeln!(out, "  {};", quote(module))?;
            }
        }
    }
    for edge in edges(analysis, level) {
        writeln!(
            out,
            "  {} -> {} [label=\"{}\"{}];",
            quote(edge.from),
            quote(edge.to),
            edge.sites.len(),
            style(edge.kind)
        )?;
    }
    writeln!(out, "}}")
}

/// The cycles alone: one cluster per component, its internal edges, cut
/// edges in red.
pub fn write_cycles(out: &mut dyn Write, found: &CyclesView) -> io::Result<()> {
    writeln!(out, "digraph cycles {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [shape=box, fontname=\"Helvetica\", fontsize=10];"
    )?;
    let graph = graph_at(found.analysis, found.level);
    for (n, component) in found.components.iter().enumerate() {
        writeln!(out, "  subgraph \"cluster_{n}\" {{")?;
        writeln!(
            out,
            "    label={};",
            quote(&format!(
                "{} {}",
                component.kind.as_str(),
                found.fingerprint(component)
            ))
        )?;
        for &m in &component.members {
            writeln!(out, "    {};", quote(found.name(m)))?;
        }
        writeln!(out, "  }}")?;
        for (from, to, dependency) in graph.edges() {
            if component.members.binary_search(&from).is_err()
                || component.members.binary_search(&to).is_err()
            {
                continue;
            }
            let counted = dependency
                .sites
                .iter()
                .filter(|s| found.options.counts(s.kind))
                .count();
            if counted == 0 && component.kind == CycleKind::Cycle {
                continue;
            }
            let is_cut = component.cut.iter().any(|h| h.from == from && h.to == to);
            let mut attributes = format!(
                "label=\"{}\"{}",
                dependency.sites.len(),
                style(dependency.kind)
            );
            if is_cut {
                attributes.push_str(", color=red, fontcolor=red, penwidth=2");
            }
            writeln!(
                out,
                "  {} -> {} [{attributes}];",
                quote(found.name(from)),
                quote(found.name(to))
            )?;
        }
    }
    writeln!(out, "}}")
}
