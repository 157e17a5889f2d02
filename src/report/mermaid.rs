//! Mermaid flowcharts (renders in GitHub and GitLab Markdown). Node ids are
//! positional (`n0`, `n1`, ...) because paths are not valid ids; labels carry
//! the names. Type-only, lazy and dynamic edges are dotted.

use std::collections::HashMap;
use std::io::{self, Write};

use super::{CyclesView, Level, edges, graph_at};
use crate::analysis::cycles::CycleKind;
use crate::pipeline::Analysis;

fn label(s: &str) -> String {
    // Mermaid labels are quoted; a quote inside is written as an entity.
    s.replace('"', "#quot;")
}

pub fn write_graph(out: &mut dyn Write, analysis: &Analysis, level: Level) -> io::Result<()> {
    let names: Vec<&str> = match level {
        Level::File => analysis
            .project
            .files()
            .iter()
            .map(|f| f.path.as_str())
            .collect(),
        Level::Module => analysis.modules.names.iter().map(String::as_str).collect(),
    };
    let ids: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    writeln!(out, "flowchart LR")?;
    for (i, name) in names.iter().enumerate() {
        writeln!(out, "  n{i}[\"{}\"]", label(name))?;
    }
    for edge in edges(analysis, level) {
        let arrow = if edge.kind.is_runtime()
            && !matches!(
                edge.kind,
                crate::facts::ImportKind::Lazy | crate::facts::ImportKind::Dynamic
            ) {
            "-->"
        } else {
            "-.->"
        };
        writeln!(out, "  n{} {arrow} n{}", ids[edge.from], ids[edge.to])?;
    }
    Ok(())
}

/// The cycles alone: one subgraph per component, cut edges in red.
pub fn write_cycles(out: &mut dyn Write, found: &CyclesView) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    let graph = graph_at(found.analysis, found.level);
    let mut ids: HashMap<usize, usize> = HashMap::new();
    let mut links = 0;
    let mut red = Vec::new();
    for (n, component) in found.components.iter().enumerate() {
        writeln!(
            out,
            "  subgraph c{n}[\"{} {}\"]",
            component.kind.as_str(),
            found.fingerprint(component)
        )?;
        for &m in &component.members {
            let next = ids.len();
            let id = *ids.entry(m).or_insert(next);
            writeln!(out, "    n{id}[\"{}\"]", label(found.name(m)))?;
        }
        writeln!(out, "  end")?;
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
            let arrow = if counted == 0 { "-.->" } else { "-->" };
            writeln!(out, "  n{} {arrow} n{}", ids[&from], ids[&to])?;
            if component.cut.iter().any(|h| h.from == from && h.to == to) {
                red.push(links);
            }
            links += 1;
        }
    }
    for link in red {
        writeln!(out, "  linkStyle {link} stroke:red,stroke-width:2px")?;
    }
    Ok(())
}
