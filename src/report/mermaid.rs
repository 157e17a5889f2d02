//! Mermaid flowcharts (renders in GitHub and GitLab Markdown). Node ids are
//! positional (`n0`, `n1`, ...) because paths are not valid ids; labels carry
//! the names. Type-only, lazy and dynamic edges are dotted.

use std::collections::HashMap;
use std::io::{self, Write};

use super::CyclesView;

fn label(s: &str) -> String {
    // Mermaid labels are quoted; a quote inside is written as an entity.
    // A newline would end the node's line: control characters are shown
    // as their escapes.
    crate::project::shown(s).replace('"', "#quot;")
}

pub fn write_graph(out: &mut dyn Write, view: &super::GraphView) -> io::Result<()> {
    let names: Vec<&str> = view
        .nodes()
        .into_iter()
        .map(|id| super::node_name(view.analysis, view.level, id))
        .collect();
    let ids: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    writeln!(out, "flowchart LR")?;
    for (i, name) in names.iter().enumerate() {
        writeln!(out, "  n{i}[\"{}\"]", label(name))?;
    }
    for edge in view.edges() {
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
    let mut ids: HashMap<usize, usize> = HashMap::new();
    let enclosing = found.enclosing();
    let mut node = |out: &mut dyn Write, m: usize, indent: &str| -> io::Result<()> {
        let next = ids.len();
        let id = *ids.entry(m).or_insert(next);
        writeln!(out, "{indent}n{id}[\"{}\"]", label(found.name(m)))
    };
    let title = |n: usize| {
        let component = &found.components[n];
        format!(
            "c{n}[\"{} {}\"]",
            component.kind.as_str(),
            found.fingerprint(component)
        )
    };
    // A cycle inside a bigger, type-only component is a nested subgraph,
    // so each node is declared once.
    for (n, component) in found.components.iter().enumerate() {
        if enclosing[n].is_some() {
            continue;
        }
        writeln!(out, "  subgraph {}", title(n))?;
        let inner: Vec<usize> = (0..enclosing.len())
            .filter(|&i| enclosing[i] == Some(n))
            .collect();
        for &i in &inner {
            writeln!(out, "    subgraph {}", title(i))?;
            for &m in &found.components[i].members {
                node(out, m, "      ")?;
            }
            writeln!(out, "    end")?;
        }
        for &m in &component.members {
            if !inner
                .iter()
                .any(|&i| found.components[i].members.binary_search(&m).is_ok())
            {
                node(out, m, "    ")?;
            }
        }
        writeln!(out, "  end")?;
    }
    let mut red = Vec::new();
    for (link, edge) in found.drawn_edges().iter().enumerate() {
        let arrow = if edge.counted { "-->" } else { "-.->" };
        writeln!(out, "  n{} {arrow} n{}", ids[&edge.from], ids[&edge.to])?;
        if edge.cut {
            red.push(link);
        }
    }
    for link in red {
        writeln!(out, "  linkStyle {link} stroke:red,stroke-width:2px")?;
    }
    Ok(())
}
