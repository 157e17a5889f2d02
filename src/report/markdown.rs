//! `vantage report --format markdown`: the facts of the HTML report that
//! fit a pull-request comment or a wiki page — the overview, the check,
//! the coupling table, the largest cycles with their cuts, the largest
//! clones, and the module graph as Mermaid when it is small enough to
//! render.

use std::io::{self, Write};

use super::html::ReportView;
use crate::analysis::cycles::CycleKind;

/// Modules and edges beyond which Mermaid is not drawn (GitHub renders
/// slowly, and the picture stops being readable).
const MERMAID_MODULES: usize = 40;
const MERMAID_EDGES: usize = 120;

/// Markdown table cells: pipes and line breaks escaped, `<` and `>` as
/// entities (renderers take raw HTML in cells).
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

/// Inline code: a backtick fence longer than any run inside.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!(
        "{fence}{pad}{}{pad}{fence}",
        text.replace(['\n', '\r'], " ")
    )
}

/// Inline code in a table cell: GitHub splits cells at `|` even there.
fn cell_code(text: &str) -> String {
    code(text).replace('|', "\\|")
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |x| format!("{x:.2}"))
}

pub fn write_markdown(out: &mut dyn Write, view: &ReportView) -> io::Result<()> {
    let analysis = view.analysis;
    let measures = view.measures;
    let coupling = measures.coupling();
    let clones = measures.clones();
    let name = |m: usize| analysis.modules.name(m);
    let path = |f: usize| analysis.project.path(f);
    let module_cycles: Vec<_> = measures
        .module_cycles()
        .iter()
        .filter(|c| c.kind == CycleKind::Cycle)
        .collect();
    let file_cycles: Vec<_> = measures
        .file_cycles()
        .iter()
        .filter(|c| c.kind == CycleKind::Cycle)
        .collect();
    let total = clones.total();
    let parsed = super::parsed_by_language(analysis);
    writeln!(out, "# vantage report: {}\n", cell(&view.label))?;
    writeln!(
        out,
        "| files | languages | modules | dependencies | module cycles | files in cycles | duplication |"
    )?;
    writeln!(out, "|---:|---|---:|---:|---:|---:|---:|")?;
    writeln!(
        out,
        "| {} | {} | {} | {} files, {} modules | {} | {} | {:.2}% ({} of {} lines) |\n",
        parsed.values().sum::<usize>(),
        parsed
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        analysis.modules.names.len(),
        analysis.file_graph.edge_count(),
        analysis.module_graph.graph.edge_count(),
        module_cycles.len(),
        file_cycles.iter().map(|c| c.members.len()).sum::<usize>(),
        total.percent(),
        total.duplicated_lines,
        total.code_lines
    )?;

    if let Some(check) = view.check {
        let failing: Vec<_> = check.failing().collect();
        writeln!(
            out,
            "## Check: {}\n",
            if failing.is_empty() {
                "passed"
            } else {
                "**FAILED**"
            }
        )?;
        writeln!(out, "| rule | measured | violations |")?;
        writeln!(out, "|---|---|---:|")?;
        for (rule, measured) in check.measured {
            let n = check.findings.iter().filter(|f| f.rule == *rule).count();
            writeln!(
                out,
                "| {} | {} | {n} |",
                cell_code(rule.id()),
                cell(measured)
            )?;
        }
        writeln!(out)?;
        for (finding, _) in failing.iter().take(20) {
            let place = finding
                .location
                .as_ref()
                .map(|l| l.text())
                .unwrap_or_default();
            writeln!(
                out,
                "- {} {}: {}",
                code(finding.rule.id()),
                code(&place),
                cell(&finding.message)
            )?;
        }
        if failing.len() > 20 {
            writeln!(out, "- … and {} more", failing.len() - 20)?;
        }
        writeln!(out)?;
    }

    writeln!(out, "## Coupling\n")?;
    writeln!(out, "| module | files | Ca | Ce | I | A | D |")?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|")?;
    let mut modules: Vec<_> = coupling.modules.iter().filter(|m| m.files > 0).collect();
    modules.sort_by(|x, y| {
        y.distance
            .unwrap_or(-1.0)
            .total_cmp(&x.distance.unwrap_or(-1.0))
            .then(x.module.cmp(&y.module))
    });
    for m in &modules {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell_code(name(m.module)),
            m.files,
            m.ca,
            m.ce,
            num(m.instability),
            num(m.abstractness),
            num(m.distance)
        )?;
    }
    writeln!(out)?;

    writeln!(out, "## Module graph\n")?;
    let edges: Vec<_> = analysis.module_graph.graph.edges().collect();
    if analysis.modules.names.len() <= MERMAID_MODULES && edges.len() <= MERMAID_EDGES {
        writeln!(out, "```mermaid")?;
        super::mermaid::write_graph(out, &super::GraphView::new(analysis, super::Level::Module))?;
        writeln!(out, "```\n")?;
    } else {
        writeln!(
            out,
            "{} modules and {} dependencies: too many to draw here. The HTML report (`vantage report -o report.html`) lays them out; `vantage graph --level module --format mermaid` prints the whole chart.\n",
            analysis.modules.names.len(),
            edges.len()
        )?;
    }

    writeln!(out, "## Cycles\n")?;
    if module_cycles.is_empty() && file_cycles.is_empty() {
        writeln!(out, "No import cycle.\n")?;
    }
    for component in module_cycles.iter().take(5) {
        let members: Vec<String> = component.members.iter().map(|&m| code(name(m))).collect();
        writeln!(
            out,
            "- **Module cycle** of {}: {}; cut {}",
            members.len(),
            members.join(", "),
            cut_text(component, |s| format!("{}:{}", path(s.from), s.line))
        )?;
    }
    let mut largest = file_cycles.clone();
    largest.sort_by_key(|c| std::cmp::Reverse(c.members.len()));
    for component in largest.iter().take(5) {
        writeln!(
            out,
            "- **File cycle** of {} files, from {}; cut {}",
            component.members.len(),
            code(path(component.members[0])),
            cut_text(component, |s| format!("{}:{}", path(s.from), s.line))
        )?;
    }
    writeln!(out)?;

    writeln!(out, "## Copied code\n")?;
    if clones.classes.is_empty() {
        writeln!(out, "No clone of the minimum size.\n")?;
    } else {
        writeln!(out, "| tokens | lines | places | where |")?;
        writeln!(out, "|---:|---:|---:|---|")?;
        for class in clones.classes.iter().take(10) {
            let places: Vec<String> = clones
                .places(class)
                .iter()
                .take(4)
                .map(|&(f, a, b)| cell_code(&format!("{}:{a}-{b}", path(f))))
                .collect();
            let more = class.members.len().saturating_sub(4);
            writeln!(
                out,
                "| {} | {} | {} | {}{} |",
                class.tokens,
                clones.lines(class),
                class.members.len(),
                places.join(", "),
                and_more(more)
            )?;
        }
        writeln!(out)?;
    }
    let near = measures.near();
    writeln!(out, "## Copied and edited\n")?;
    if near.classes.is_empty() {
        writeln!(
            out,
            "No function copied and edited (similarity {} or more) of the minimum size.\n",
            near.options.similarity
        )?;
    } else {
        writeln!(
            out,
            "Functions and methods copied and then edited: {} at similarity {} or more, {:.2}% of code lines.\n",
            if near.classes.len() == 1 {
                "1 class".to_string()
            } else {
                format!("{} classes", near.classes.len())
            },
            near.options.similarity,
            crate::analysis::duplicates::total_share(&near.files).percent()
        )?;
        writeln!(out, "| similarity | tokens (first) | members | where |")?;
        writeln!(out, "|---:|---:|---:|---|")?;
        for class in near.classes.iter().take(10) {
            let places: Vec<String> = class
                .members
                .iter()
                .take(4)
                .map(|m| {
                    let (a, b) = analysis.lines_of(&m.unit);
                    cell_code(&format!("{}:{a}-{b}", path(m.unit.file)))
                })
                .collect();
            let more = class.members.len().saturating_sub(4);
            writeln!(
                out,
                "| {:.2} | {} | {} | {}{} |",
                class.similarity(),
                class.members[0].unit.len,
                class.members.len(),
                places.join(", "),
                and_more(more)
            )?;
        }
        writeln!(out)?;
    }
    write_endpoints(out, analysis)?;
    write_models(out, analysis)?;
    writeln!(
        out,
        "<sub>vantage {} · `vantage report -o report.html` draws the whole system.</sub>",
        env!("CARGO_PKG_VERSION")
    )
}

/// The endpoints: how many, how many without a guard, and a table of
/// the first ones (those without a guard first).
fn write_endpoints(out: &mut dyn Write, analysis: &crate::pipeline::Analysis) -> io::Result<()> {
    let routes = &analysis.routes;
    if routes.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "## Endpoints
"
    )?;
    let open: Vec<&crate::routes::Route> = routes
        .routes
        .iter()
        .filter(|r| r.guards.is_empty())
        .collect();
    writeln!(
        out,
        "{} endpoints, {} without a guard, {} registrations not read statically (`vantage routes`).\n",
        routes.routes.len(),
        open.len(),
        routes.dynamic.len()
    )?;
    if routes.routes.is_empty() {
        return Ok(());
    }
    writeln!(out, "| method | path | handler | guards |")?;
    writeln!(out, "|---|---|---|---|")?;
    let listed = routes
        .routes
        .iter()
        .filter(|r| r.guards.is_empty())
        .chain(routes.routes.iter().filter(|r| !r.guards.is_empty()))
        .take(30);
    for r in listed {
        let handler = match (r.handler, &r.view_written) {
            (Some(h), _) => {
                let graph = &analysis.symbols;
                graph.nodes[h.method.unwrap_or(h.view)].name.clone()
            }
            (None, Some(w)) => w.clone(),
            (None, None) => "?".to_string(),
        };
        let guards: Vec<&str> = r.guards.iter().map(|g| g.name.as_str()).collect();
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&r.methods.join(",")),
            cell_code(&r.path),
            cell_code(&handler),
            if guards.is_empty() {
                "**none**".to_string()
            } else {
                cell(&guards.join(", "))
            }
        )?;
    }
    let more = routes.routes.len().saturating_sub(30);
    if more > 0 {
        writeln!(out, "\nAnd {more} more (`vantage routes` lists them all).")?;
    }
    writeln!(out)
}

/// The ORM models: a table (those most endpoints reach first) and, for
/// a schema small enough to read, the entity-relation diagram.
fn write_models(out: &mut dyn Write, analysis: &crate::pipeline::Analysis) -> io::Result<()> {
    /// Rows in the table; entities in the diagram.
    const SHOWN: usize = 30;
    const DRAWN: usize = 40;
    if analysis.models.models.is_empty() {
        return Ok(());
    }
    let mut listed = super::models::listed(analysis, &super::models::ModelFilter::default(), 8);
    let relations: usize = listed.iter().map(|l| l.model.relations.len()).sum();
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "## Models\n\n{}, {} (`vantage models`).\n",
        plural(listed.len(), "model"),
        plural(relations, "relation")
    )?;
    listed.sort_by_key(|l| std::cmp::Reverse(l.endpoints.len()));
    writeln!(
        out,
        "| model | ORM | table | columns | relations | endpoints reaching it |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for l in listed.iter().take(SHOWN) {
        let m = l.model;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell_code(&m.symbol),
            m.orm.as_str(),
            m.table.as_deref().map_or_else(
                || if m.is_abstract {
                    "(abstract)".to_string()
                } else {
                    "?".to_string()
                },
                cell_code
            ),
            m.fields.len(),
            m.relations.len(),
            l.endpoints.len()
        )?;
    }
    let more = listed.len().saturating_sub(SHOWN);
    if more > 0 {
        writeln!(out, "\nAnd {more} more (`vantage models` lists them all).")?;
    }
    writeln!(out)?;
    let concrete = listed.iter().filter(|l| !l.model.is_abstract).count();
    if concrete <= DRAWN {
        writeln!(out, "```mermaid")?;
        super::models::write_mermaid(out, analysis, &listed)?;
        writeln!(out, "```\n")?;
    } else {
        writeln!(
            out,
            "{concrete} tables are too many for one diagram: `vantage models --format mermaid --module M` draws a module's.\n"
        )?;
    }
    Ok(())
}

/// `a:1, b:2 (and N more)` for a component's cut.
fn cut_text(
    component: &crate::analysis::cycles::Component,
    site: impl Fn(&crate::graph::Site) -> String,
) -> String {
    let sites: Vec<String> = component
        .cut
        .iter()
        .flat_map(|h| h.sites.iter())
        .map(|s| code(&site(s)))
        .collect();
    let shown = sites.iter().take(4).cloned().collect::<Vec<_>>().join(", ");
    if sites.len() > 4 {
        format!("{shown} and {} more", sites.len() - 4)
    } else {
        shown
    }
}

/// ` and N more`, or nothing when none is left out.
fn and_more(n: usize) -> String {
    if n > 0 {
        format!(" and {n} more")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_break_tables_or_code() {
        assert_eq!(cell("a|b<i>\n"), "a\\|b&lt;i&gt; ");
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(cell_code("a|b"), "`a\\|b`");
    }
}
