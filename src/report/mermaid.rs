//! Mermaid flowcharts (renders in GitHub and GitLab Markdown). Node ids are
//! positional (`n0`, `n1`, ...) because paths are not valid ids; labels carry
//! the names. Type-only, lazy and dynamic edges are dotted.

use std::collections::HashMap;
use std::io::{self, Write};

use super::{Level, edges};
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
