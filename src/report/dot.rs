//! Graphviz DOT. At file level, files are grouped in one cluster per module.
//! Type-only edges are dashed; lazy and dynamic ones dotted.

use std::io::{self, Write};

use super::{CyclesView, Level};
use crate::facts::ImportKind;

fn quote(s: &str) -> String {
    // A control character in a name (a newline) is shown as its escape.
    let s = crate::project::shown(s);
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn style(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::TypeOnly => ", style=dashed",
        ImportKind::Lazy | ImportKind::Dynamic => ", style=dotted",
        _ => "",
    }
}

pub fn write_graph(out: &mut dyn Write, view: &super::GraphView) -> io::Result<()> {
    let (analysis, level) = (view.analysis, view.level);
    let shown: std::collections::BTreeSet<usize> = view.nodes().into_iter().collect();
    writeln!(out, "digraph vantage {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [shape=box, fontname=\"Helvetica\", fontsize=10];"
    )?;
    match level {
        Level::File => {
            for (module_id, module) in analysis.modules.names.iter().enumerate() {
                let files: Vec<usize> = (0..analysis.modules.of_file.len())
                    .filter(|&f| analysis.modules.of_file[f] == module_id && shown.contains(&f))
                    .collect();
                if files.is_empty() {
                    continue;
                }
                writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{module}")))?;
                writeln!(out, "    label={};", quote(module))?;
                for file in files {
                    writeln!(out, "    {};", quote(analysis.project.path(file)))?;
                }
                writeln!(out, "  }}")?;
            }
        }
        Level::Module => {
            for &module in &shown {
                writeln!(out, "  {};", quote(analysis.modules.name(module)))?;
            }
        }
    }
    for edge in view.edges() {
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

/// The cycles alone: one cluster per component (a cycle inside a bigger,
/// type-only component nested in its cluster), each edge once, cut edges
/// in red.
pub fn write_cycles(out: &mut dyn Write, found: &CyclesView) -> io::Result<()> {
    writeln!(out, "digraph cycles {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [shape=box, fontname=\"Helvetica\", fontsize=10];"
    )?;
    let enclosing = found.enclosing();
    let cluster = |out: &mut dyn Write, n: usize, indent: &str| -> io::Result<()> {
        let component = &found.components[n];
        writeln!(out, "{indent}subgraph \"cluster_{n}\" {{")?;
        writeln!(
            out,
            "{indent}  label={};",
            quote(&format!(
                "{} {}",
                component.kind.as_str(),
                found.fingerprint(component)
            ))
        )?;
        Ok(())
    };
    for (n, component) in found.components.iter().enumerate() {
        if enclosing[n].is_some() {
            continue;
        }
        cluster(out, n, "  ")?;
        let inner: Vec<usize> = (0..enclosing.len())
            .filter(|&i| enclosing[i] == Some(n))
            .collect();
        for &i in &inner {
            cluster(out, i, "    ")?;
            for &m in &found.components[i].members {
                writeln!(out, "      {};", quote(found.name(m)))?;
            }
            writeln!(out, "    }}")?;
        }
        for &m in &component.members {
            let nested = inner
                .iter()
                .any(|&i| found.components[i].members.binary_search(&m).is_ok());
            if !nested {
                writeln!(out, "    {};", quote(found.name(m)))?;
            }
        }
        writeln!(out, "  }}")?;
    }
    for edge in found.drawn_edges() {
        let mut attributes = format!(
            "label=\"{}\"{}",
            edge.dependency.sites.len(),
            style(edge.dependency.kind)
        );
        if edge.cut {
            attributes.push_str(", color=red, fontcolor=red, penwidth=2");
        }
        writeln!(
            out,
            "  {} -> {} [{attributes}];",
            quote(found.name(edge.from)),
            quote(found.name(edge.to))
        )?;
    }
    writeln!(out, "}}")
}
