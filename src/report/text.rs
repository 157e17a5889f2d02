//! Plain text for people at a terminal.

use std::io::{self, Write};

use super::{
    Level, edges, external_imports, import_counts, module_sizes, parsed_by_language,
    undeclared_packages,
};
use crate::pipeline::Analysis;
use crate::resolve::ImportClass;

/// How many entries of a long list the summary shows before "... and N more".
const LIST_LIMIT: usize = 20;

/// One line per edge: `from -> to  [kind] sites`, where a site is a line
/// (`path:line` at module level), followed by its own kind in parentheses
/// when it differs from the edge's.
pub fn write_graph(out: &mut dyn Write, analysis: &Analysis, level: Level) -> io::Result<()> {
    for edge in edges(analysis, level) {
        let mut lines: Vec<String> = Vec::new();
        for site in edge.sites {
            let mut line = match level {
                Level::File => site.line.to_string(),
                Level::Module => format!("{}:{}", analysis.project.path(site.from), site.line),
            };
            if site.kind != edge.kind {
                line.push_str(&format!(" ({})", site.kind.as_str()));
            }
            lines.push(line);
        }
        writeln!(
            out,
            "{} -> {}  [{}] {}",
            edge.from,
            edge.to,
            edge.kind.as_str(),
            lines.join(", ")
        )?;
    }
    Ok(())
}

fn list<T>(
    out: &mut dyn Write,
    title: &str,
    items: &[T],
    mut line: impl FnMut(&T) -> String,
) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "{title}")?;
    for item in items.iter().take(LIST_LIMIT) {
        writeln!(out, "  {}", line(item))?;
    }
    if items.len() > LIST_LIMIT {
        writeln!(
            out,
            "  ... and {} more (--format json lists all)",
            items.len() - LIST_LIMIT
        )?;
    }
    Ok(())
}

pub fn write_summary(out: &mut dyn Write, analysis: &Analysis, root_label: &str) -> io::Result<()> {
    let files = analysis.project.files();
    let by_language = parsed_by_language(analysis);
    let parsed: usize = by_language.values().sum();
    let languages: Vec<String> = by_language
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    writeln!(out, "vantage analyze {root_label}")?;
    writeln!(
        out,
        "  files     {} parsed ({}), {} skipped",
        parsed,
        if languages.is_empty() {
            "none".to_string()
        } else {
            languages.join(", ")
        },
        analysis.skipped.len()
    )?;
    let sizes = module_sizes(analysis);
    let modules: Vec<String> = analysis
        .modules
        .names
        .iter()
        .zip(&sizes)
        .map(|(name, n)| format!("{name} ({n})"))
        .collect();
    writeln!(out, "  modules   {}: {}", modules.len(), modules.join(", "))?;
    let sites: usize = analysis
        .file_graph
        .edges()
        .map(|(_, _, d)| d.sites.len())
        .sum();
    writeln!(
        out,
        "  edges     {} between files ({} import sites), {} between modules",
        analysis.file_graph.edge_count(),
        sites,
        analysis.module_graph.graph.edge_count()
    )?;
    let c = import_counts(analysis);
    let mut parts = vec![format!("{} internal", c.internal)];
    for (n, label) in [
        (c.namespace, "namespace package"),
        (c.asset, "non-source file"),
        (c.stdlib, "stdlib"),
        (c.external, "external"),
        (c.undeclared, "undeclared external"),
        (c.unresolved, "unresolved"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    writeln!(out, "  imports   {}: {}", c.total, parts.join(", "))?;

    let undeclared: Vec<(&str, usize)> = undeclared_packages(analysis).into_iter().collect();
    list(
        out,
        "undeclared packages (imported, declared in no manifest)",
        &undeclared,
        |(package, n)| format!("{package} ({n} import{})", if *n == 1 { "" } else { "s" }),
    )?;
    let unresolved: Vec<_> = external_imports(analysis)
        .into_iter()
        .filter(|i| i.class == ImportClass::Unresolved)
        .collect();
    list(out, "unresolved imports", &unresolved, |i| {
        format!("{}:{}  {}", i.path, i.line, i.specifier)
    })?;
    let errors: Vec<(&str, u32)> = files
        .iter()
        .zip(&analysis.facts)
        .filter_map(|(f, facts)| facts.syntax_error_line.map(|l| (f.path.as_str(), l)))
        .collect();
    list(
        out,
        "syntax errors (imports read from the rest of the file)",
        &errors,
        |(path, line)| format!("{path}:{line}"),
    )?;
    let non_utf8: Vec<&str> = files
        .iter()
        .zip(&analysis.facts)
        .filter(|(_, facts)| facts.non_utf8)
        .map(|(f, _)| f.path.as_str())
        .collect();
    list(
        out,
        "not UTF-8 (parsed; invalid bytes replaced in names)",
        &non_utf8,
        |path| path.to_string(),
    )?;
    list(out, "skipped", &analysis.skipped, |s| {
        format!("{}  {}", s.path, s.reason)
    })?;
    if !analysis.excluded_dirs.is_empty() {
        writeln!(
            out,
            "excluded by default: {} folders of dependencies, virtualenvs or build output (--no-default-excludes keeps them)",
            analysis.excluded_dirs.len()
        )?;
    }
    Ok(())
}
