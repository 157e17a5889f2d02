//! Graphviz DOT. At file level, files are grouped in one cluster per module.
//! Type-only edges are dashed; lazy and dynamic ones dotted.

use std::io::{self, Write};

use super::{Level, edges};
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
