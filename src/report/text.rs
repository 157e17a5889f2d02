//! Plain text for people at a terminal.

use std::collections::HashMap;
use std::io::{self, Write};

use super::{Cells, CyclesView, ImpactView};
use super::{
    Level, external_imports, import_counts, module_sizes, parsed_by_language, undeclared_packages,
};
use crate::analysis::coupling::Coupling;
use crate::analysis::cycles::{Component, CycleKind, Hop};
use crate::pipeline::Analysis;
use crate::project::shown;
use crate::resolve::ImportClass;

/// How many entries of a long list the summary shows before "... and N more".
const LIST_LIMIT: usize = 20;

/// One line per edge: `from -> to  [kind] sites`, where a site is a line
/// (`path:line` at module level), followed by its own kind in parentheses
/// when it differs from the edge's.
pub fn write_graph(out: &mut dyn Write, view: &super::GraphView) -> io::Result<()> {
    let (analysis, level) = (view.analysis, view.level);
    for edge in view.edges() {
        let mut lines: Vec<String> = Vec::new();
        for site in edge.sites {
            let mut line = match level {
                Level::File => site.line.to_string(),
                Level::Module => {
                    format!("{}:{}", shown(analysis.project.path(site.from)), site.line)
                }
            };
            if site.kind != edge.kind {
                line.push_str(&format!(" ({})", site.kind.as_str()));
            }
            lines.push(line);
        }
        // At module level one line reaching two files of the target module
        // (a name re-exported under two `#[cfg]`s) is one site to read.
        lines.dedup();
        writeln!(
            out,
            "{} -> {}  [{}] {}",
            shown(edge.from),
            shown(edge.to),
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

pub fn write_summary(
    out: &mut dyn Write,
    analysis: &Analysis,
    findings: &[crate::analysis::rules::Finding],
    root_label: &str,
) -> io::Result<()> {
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
        .map(|(name, n)| format!("{} ({n})", shown(name)))
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
    let (c, references) = import_counts(analysis);
    let mut parts = vec![format!("{} internal", c.internal)];
    for (n, label) in [
        (c.namespace, "namespace package"),
        (c.asset, "non-source file"),
        (c.stdlib, "stdlib"),
        (c.external, "external"),
        (c.undeclared, "undeclared external"),
        (c.unresolved, "unresolved"),
        (c.ambiguous, "ambiguous"),
        (c.local, "local"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    writeln!(out, "  imports   {}: {}", c.total, parts.join(", "))?;
    if references.total > 0 {
        let mut parts = vec![format!("{} to other files", references.internal)];
        for (n, label) in [
            (references.unresolved, "unresolved"),
            (references.ambiguous, "ambiguous"),
            (
                references.other,
                "to the same file or outside the repository",
            ),
        ] {
            if n > 0 {
                parts.push(format!("{n} {label}"));
            }
        }
        writeln!(
            out,
            "  names     {} qualified names used in code: {}",
            references.total,
            parts.join(", ")
        )?;
    }

    let undeclared: Vec<(&str, usize)> = undeclared_packages(analysis).into_iter().collect();
    list(
        out,
        "undeclared packages (imported, declared in no manifest)",
        &undeclared,
        |(package, n)| format!("{package} ({})", plural(*n, "import")),
    )?;
    let unresolved: Vec<_> = external_imports(analysis)
        .into_iter()
        .filter(|i| matches!(i.class, ImportClass::Unresolved | ImportClass::Ambiguous))
        .collect();
    list(out, "unresolved imports and names", &unresolved, |i| {
        let ambiguous = if i.class == ImportClass::Ambiguous {
            "  (declared by several files)"
        } else {
            ""
        };
        format!(
            "{}:{}  {}{ambiguous}",
            shown(i.path),
            i.line,
            shown(i.specifier)
        )
    })?;
    // Names imported from a file of the repository that does not have them
    // (an import of a file that is not there is listed just above).
    let missing: Vec<&crate::analysis::rules::Finding> = findings
        .iter()
        .filter(|f| {
            f.rule == crate::analysis::rules::Rule::DanglingImport
                && matches!(f.evidence, crate::analysis::rules::Evidence::Import { file, import }
                    if analysis.resolutions[file][import] != crate::resolve::Resolution::Unresolved)
        })
        .collect();
    list(out, "imports of names that do not exist", &missing, |f| {
        let place = f.location.as_ref().map(|l| l.text()).unwrap_or_default();
        format!("{place}  {}", f.message)
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
        |(path, line)| format!("{}:{line}", shown(path)),
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
        |path| shown(path).into_owned(),
    )?;
    list(out, "skipped", &analysis.skipped, |s| {
        format!("{}  {}", shown(&s.path), s.reason)
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

/// Cycles as a report: a header, then each component with its members,
/// witness (one hop a line) and cut.
pub fn write_cycles(out: &mut dyn Write, found: &CyclesView, root_label: &str) -> io::Result<()> {
    let unit = match found.level {
        Level::File => "files",
        Level::Module => "modules",
    };
    let strong = found
        .components
        .iter()
        .filter(|c| c.kind == CycleKind::Cycle)
        .count();
    let weak = found.components.len() - strong;
    writeln!(
        out,
        "vantage cycles {root_label} (between {unit}; counting {})",
        found.counted()
    )?;
    let mut summary = plural(strong, "cycle");
    if !found.options.runtime_only {
        summary.push_str(&format!(", {weak} closed only by type-only imports"));
    }
    writeln!(out, "{summary}")?;
    for kind in [CycleKind::Cycle, CycleKind::TypeOnly] {
        let of_kind: Vec<&Component> = found.components.iter().filter(|c| c.kind == kind).collect();
        for (n, component) in of_kind.iter().enumerate() {
            let title = match kind {
                CycleKind::Cycle => "cycle",
                CycleKind::TypeOnly => "type-only cycle",
            };
            writeln!(out)?;
            writeln!(
                out,
                "{title} {} of {}  [{}]  {}, {}, {}",
                n + 1,
                of_kind.len(),
                found.fingerprint(component),
                plural(component.members.len(), &unit[..unit.len() - 1]),
                plural(component.edges, "edge"),
                plural(component.sites, "import site")
            )?;
            let members: Vec<String> = component
                .members
                .iter()
                .map(|&m| shown(found.name(m)).into_owned())
                .collect();
            writeln!(out, "  members  {}", capped(&members, MEMBERS_SHOWN))?;
            write_hops(out, found, "witness", &component.witness)?;
            writeln!(
                out,
                "  cut      {} to break it, {} to change:",
                plural(component.cut.len(), "edge"),
                plural(component.cut_sites(), "import site")
            )?;
            write_hops(out, found, "", &component.cut)?;
        }
    }
    Ok(())
}

/// Import sites shown per edge of a cycle, and members per cycle, in
/// text; `--format json` lists them all.
const SITES_SHOWN: usize = 6;
const MEMBERS_SHOWN: usize = 40;

/// The first `shown` items, and how many more there are.
fn capped(items: &[String], shown: usize) -> String {
    if items.len() <= shown {
        return items.join(", ");
    }
    format!(
        "{}, and {} more (--format json lists them all)",
        items[..shown].join(", "),
        items.len() - shown
    )
}

/// `1 file`, `2 files`.
fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn write_hops(
    out: &mut dyn Write,
    found: &CyclesView,
    label: &str,
    hops: &[Hop],
) -> io::Result<()> {
    for (i, hop) in hops.iter().enumerate() {
        let sites: Vec<String> = hop.sites.iter().map(|s| found.site(s)).collect();
        let lead = if i == 0 { label } else { "" };
        writeln!(
            out,
            "  {lead:<8} {} -> {}   {}",
            shown(found.name(hop.from)),
            shown(found.name(hop.to)),
            capped(&sites, SITES_SHOWN)
        )?;
    }
    Ok(())
}

fn ratio(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

/// Metrics, most coupled pairs, stable-dependencies violations and the
/// matrix.
pub fn write_coupling(
    out: &mut dyn Write,
    analysis: &Analysis,
    coupling: &Coupling,
    cells: Cells,
    root_label: &str,
) -> io::Result<()> {
    let name = |m: usize| shown(analysis.modules.name(m));
    let width = analysis
        .modules
        .names
        .iter()
        .map(|name| shown(name).len())
        .max()
        .unwrap_or(6)
        .max(6);
    writeln!(
        out,
        "vantage coupling {root_label} ({} modules)",
        coupling.modules.len()
    )?;
    writeln!(
        out,
        "Ca/Ce: files outside importing in / inside importing out; I = Ce/(Ca+Ce); A = abstract/all types; D = |A+I-1|"
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<width$}  {:>5}  {:>5}  {:>5}  {:>5}  {:>5}  {:>5}  {:>5}  {:>8}",
        "module", "files", "Ca", "Ce", "I", "A", "D", "types", "abstract"
    )?;
    for m in &coupling.modules {
        writeln!(
            out,
            "{:<width$}  {:>5}  {:>5}  {:>5}  {:>5}  {:>5}  {:>5}  {:>5}  {:>8}",
            name(m.module),
            m.files,
            m.ca,
            m.ce,
            ratio(m.instability),
            ratio(m.abstractness),
            ratio(m.distance),
            m.types,
            m.abstract_types
        )?;
    }
    if !coupling.pairs.is_empty() {
        writeln!(out, "\nmost coupled pairs (import sites, both ways)")?;
        for pair in &coupling.pairs {
            let mut ways = Vec::new();
            for (from, to, sites) in [(pair.a, pair.b, pair.a_to_b), (pair.b, pair.a, pair.b_to_a)]
            {
                if sites > 0 {
                    ways.push(format!("{} -> {} {sites}", name(from), name(to)));
                }
            }
            writeln!(
                out,
                "  {:>5}  {} <-> {}  ({})",
                pair.sites(),
                name(pair.a),
                name(pair.b),
                ways.join(", ")
            )?;
        }
    }
    if !coupling.violations.is_empty() {
        writeln!(
            out,
            "\nstable-dependencies violations (a module depending on a less stable one)"
        )?;
        for v in &coupling.violations {
            writeln!(
                out,
                "  {} (I {:.2}) -> {} (I {:.2})  {}",
                name(v.from),
                v.from_instability,
                name(v.to),
                v.to_instability,
                plural(v.sites, "import site")
            )?;
        }
    }
    writeln!(
        out,
        "\nmatrix ({}; rows import columns)",
        match cells {
            Cells::Sites => "import sites",
            Cells::Files => "importing files",
        }
    )?;
    let order: Vec<usize> = (0..coupling.modules.len()).collect();
    write_matrix(out, analysis, coupling, cells, &order, false)
}

/// A square matrix over `order`, with row numbers standing for column heads.
fn write_matrix(
    out: &mut dyn Write,
    analysis: &Analysis,
    coupling: &Coupling,
    cells: Cells,
    order: &[usize],
    mark_cycles: bool,
) -> io::Result<()> {
    let mut value = vec![vec![0usize; coupling.modules.len()]; coupling.modules.len()];
    for cell in &coupling.matrix {
        value[cell.from][cell.to] = cells.of(cell);
    }
    let width = analysis
        .modules
        .names
        .iter()
        .map(|name| shown(name).len())
        .max()
        .unwrap_or(6);
    let digits = coupling
        .matrix
        .iter()
        .map(|c| cells.of(c).to_string().len())
        .chain([order.len().to_string().len()])
        .max()
        .unwrap_or(1);
    let number_width = order.len().to_string().len();
    write!(out, "{:>number_width$} {:<width$} ", "", "")?;
    for column in 1..=order.len() {
        write!(out, " {column:>digits$}")?;
    }
    writeln!(out)?;
    for (row, &m) in order.iter().enumerate() {
        write!(
            out,
            "{:>number_width$} {:<width$} ",
            row + 1,
            analysis.modules.name(m)
        )?;
        for (column, &n) in order.iter().enumerate() {
            let text = if row == column {
                "-".to_string()
            } else if value[m][n] == 0 {
                ".".to_string()
            } else {
                value[m][n].to_string()
            };
            write!(out, " {text:>digits$}")?;
        }
        if mark_cycles && let Some(cycle) = coupling.cycle_of[m] {
            write!(out, "   cycle {}", cycle + 1)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The dependency-structure matrix: modules in dependency order (a module's
/// dependencies come before it), so that a mark above the diagonal is a
/// dependency on a later module: only cycles put marks there, as blocks.
pub fn write_dsm(
    out: &mut dyn Write,
    analysis: &Analysis,
    coupling: &Coupling,
    cells: Cells,
) -> io::Result<()> {
    writeln!(
        out,
        "dependency-structure matrix ({}; rows import columns; dependencies first, so marks above the diagonal are cycles)",
        match cells {
            Cells::Sites => "import sites",
            Cells::Files => "importing files",
        }
    )?;
    write_matrix(out, analysis, coupling, cells, &coupling.dsm_order, true)
}

/// RFC 4180 quoting, for names with commas or quotes.
pub(super) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The matrix as CSV: a header of module names, then one row per importing
/// module.
pub fn write_coupling_csv(
    out: &mut dyn Write,
    analysis: &Analysis,
    coupling: &Coupling,
    cells: Cells,
) -> io::Result<()> {
    let names = &analysis.modules.names;
    let mut value = vec![vec![0usize; names.len()]; names.len()];
    for cell in &coupling.matrix {
        value[cell.from][cell.to] = cells.of(cell);
    }
    let header: Vec<String> = names.iter().map(|n| csv_field(n)).collect();
    writeln!(out, "module,{}", header.join(","))?;
    for (m, row) in value.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(usize::to_string).collect();
        writeln!(out, "{},{}", csv_field(&names[m]), cells.join(","))?;
    }
    Ok(())
}

/// Impacted files listed per depth before "... and N more".
const IMPACT_LIMIT: usize = 25;

/// `a.py:3 -> b.py:7 -> target.py`
fn why_chain(analysis: &Analysis, why: &[crate::analysis::impact::Hop], omitted: usize) -> String {
    crate::analysis::impact::why_steps(why, omitted, |file| shown(analysis.project.path(file)))
        .join(" -> ")
}

fn definition_label(analysis: &Analysis, file: usize, index: usize) -> String {
    let definition = &analysis.facts[file].definitions[index];
    format!(
        "{} {} ({}:{}-{})",
        definition.kind,
        definition.name,
        shown(analysis.project.path(file)),
        definition.start_line,
        definition.end_line
    )
}

pub fn write_impact(out: &mut dyn Write, view: &ImpactView, root_label: &str) -> io::Result<()> {
    let analysis = view.analysis;
    let set = view.set;
    writeln!(out, "vantage impact {root_label}")?;
    writeln!(out, "targets")?;
    let mut others = 0;
    for target in view.targets {
        // Changed files vantage does not read (docs, manifests) are counted,
        // not listed; deleted source files are listed.
        let not_source = target.kind == "change"
            && target.files.is_empty()
            && crate::lang::Language::from_path(&target.query).is_none();
        if not_source {
            others += 1;
            continue;
        }
        let graph = &analysis.symbols;
        let label = |n: usize| {
            let node = &graph.nodes[n];
            format!(
                "{} {} ({}:{}-{})",
                node.kind.as_str(),
                node.name,
                shown(analysis.project.path(node.file)),
                node.lines.0,
                node.lines.1
            )
        };
        match target.kind {
            "symbol" if !target.symbols.is_empty() => {
                let found: Vec<String> = target.symbols.iter().map(|&n| label(n)).collect();
                if let [one] = found.as_slice() {
                    writeln!(out, "  symbol `{}`: {one}", target.query)?;
                } else {
                    writeln!(
                        out,
                        "  symbol `{}`: {} definitions (qualify the name to pick one)",
                        target.query,
                        found.len()
                    )?;
                    for label in &found {
                        writeln!(out, "    {label}")?;
                    }
                }
            }
            "symbol" => {
                let found: Vec<String> = target
                    .definitions
                    .iter()
                    .map(|&(f, i)| definition_label(analysis, f, i))
                    .collect();
                if let Some(member) = &target.member {
                    writeln!(
                        out,
                        "  member `{member}` of {} (files using the type that mention `{member}`: by name, a heuristic)",
                        found.join(", ")
                    )?;
                } else if let [one] = found.as_slice() {
                    writeln!(out, "  symbol `{}`: {one}", target.query)?;
                } else {
                    // Several definitions share the name: one per line, and
                    // how to pick one.
                    writeln!(
                        out,
                        "  symbol `{}`: {} definitions (qualify the name to pick one)",
                        target.query,
                        found.len()
                    )?;
                    for label in &found {
                        writeln!(out, "    {label}")?;
                    }
                }
            }
            "module" => writeln!(
                out,
                "  module `{}`: {} ({})",
                target.query,
                target.module.as_deref().unwrap_or_default(),
                plural(target.files.len(), "file")
            )?,
            "change" => {
                let mut what: Vec<String> = target
                    .definitions
                    .iter()
                    .map(|&(f, i)| {
                        let d = &analysis.facts[f].definitions[i];
                        format!("{} {}", d.kind, d.name)
                    })
                    .collect();
                what.extend(target.symbols.iter().map(|&n| {
                    let node = &graph.nodes[n];
                    format!("{} {}", node.kind.as_str(), node.name)
                }));
                if target.whole_file {
                    what.insert(0, "the whole file".to_string());
                }
                if !target.removed.is_empty() {
                    let removed: Vec<String> =
                        target.removed.iter().map(|n| format!("`{n}`")).collect();
                    what.push(format!("removed {}", removed.join(", ")));
                }
                let from = target
                    .renamed_from
                    .as_deref()
                    .map(|f| format!(" from {f}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  change {} ({}{from}){}",
                    target.query,
                    target.status.unwrap_or_default(),
                    if what.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", what.join(", "))
                    }
                )?;
            }
            _ => writeln!(out, "  file {}", target.query)?,
        }
    }
    if others > 0 {
        writeln!(
            out,
            "  and {} that vantage does not read (--format json lists them)",
            plural(others, "other changed file")
        )?;
    }
    let risk = &set.risk;
    let tests = if risk.tests > 0 {
        format!("{} reached", plural(risk.tests, "test file"))
    } else {
        "no test file reached".to_string()
    };
    let broken = if risk.broken > 0 {
        let symbolic = set.symbols.iter().any(|r| r.depth > 0);
        format!(
            "; {} a removed {}: broken",
            match (risk.broken, symbolic) {
                (1, false) => "1 file imports".to_string(),
                (n, false) => format!("{n} files import"),
                (1, true) => "1 file uses".to_string(),
                (n, true) => format!("{n} files use"),
            },
            if symbolic {
                "or re-signatured definition"
            } else {
                "name"
            }
        )
    } else {
        String::new()
    };
    // Through the symbol graph, a file depends on a change through calls
    // (which run later), not only through what runs as it loads.
    let when = if set.symbols.iter().any(|r| r.depth > 0) {
        ""
    } else {
        " when the code loads"
    };
    writeln!(
        out,
        "risk {}: {} in {} {} on it{when}, {} directly, depth up to {}; {}{broken}",
        risk.level,
        plural(risk.files, "file"),
        plural(risk.modules, "module"),
        if risk.files == 1 { "depends" } else { "depend" },
        risk.fan_in,
        risk.max_depth,
        tests
    )?;
    let strong: Vec<&crate::analysis::impact::Impacted> =
        set.impacted.iter().filter(|i| !i.weak).collect();
    let weak: Vec<&crate::analysis::impact::Impacted> =
        set.impacted.iter().filter(|i| i.weak).collect();
    write_impacted(out, analysis, &strong, "")?;
    if !weak.is_empty() {
        // Symbol level: weak is an override or a use by name; file
        // level: an import that is lazy, dynamic or only for types.
        let how = if set.symbols.is_empty() {
            "through lazy, dynamic or type-only imports"
        } else {
            "weakly (an override, a use by name on a value of unknown type, or a lazy import)"
        };
        writeln!(
            out,
            "reached only {how} (not in the risk): {}",
            plural(weak.len(), "file")
        )?;
        write_impacted(out, analysis, &weak, "  ")?;
    }
    write_reached_symbols(out, analysis, set)?;
    if !set.modules.is_empty() {
        let modules: Vec<String> = set
            .modules
            .iter()
            .map(|(m, n)| format!("{} {n}", shown(analysis.modules.name(*m))))
            .collect();
        writeln!(out, "modules  {}", modules.join(", "))?;
    }
    if !set.tests.is_empty() {
        let tests: Vec<String> = set
            .tests
            .iter()
            .map(|&t| shown(analysis.project.path(t)).into_owned())
            .collect();
        list(out, "tests", &tests, |t| t.to_string())?;
    }
    Ok(())
}

/// The definitions reached (symbol level), by depth: each with how and
/// the use that reached it; then the tests to run.
fn write_reached_symbols(
    out: &mut dyn Write,
    analysis: &Analysis,
    set: &crate::analysis::impact::ImpactSet,
) -> io::Result<()> {
    let graph = &analysis.symbols;
    let reached: Vec<_> = set.symbols.iter().filter(|r| r.depth > 0).collect();
    if reached.is_empty() {
        return Ok(());
    }
    let strong = reached.iter().filter(|r| !r.weak).count();
    writeln!(
        out,
        "definitions reached: {}{}",
        strong,
        if strong < reached.len() {
            format!(
                ", and {} weakly (an override, or an unresolved use of the name)",
                reached.len() - strong
            )
        } else {
            String::new()
        }
    )?;
    // Counted once: a chain 100 000 deep has as many depths.
    let mut counts: HashMap<(usize, bool), usize> = HashMap::new();
    for r in &set.symbols {
        *counts.entry((r.depth, r.weak)).or_default() += 1;
    }
    let mut depth = usize::MAX;
    let mut weak = false;
    let mut listed = 0;
    for r in reached {
        if (r.depth, r.weak) != (depth, weak) {
            depth = r.depth;
            weak = r.weak;
            listed = 0;
            let count = counts[&(depth, weak)];
            writeln!(
                out,
                "  {}depth {depth}: {count}",
                if weak { "weak, " } else { "" }
            )?;
        }
        listed += 1;
        if listed > IMPACT_LIMIT {
            if listed == IMPACT_LIMIT + 1 {
                writeln!(out, "    ... (--format json lists all)")?;
            }
            continue;
        }
        let node = &graph.nodes[r.node];
        let how = match r.why.first() {
            Some(hop) => format!(
                "{} `{}` at {}:{}",
                r.via.as_str(),
                graph.nodes[hop.to].name,
                shown(analysis.project.path(graph.nodes[hop.from].file)),
                hop.line
            ),
            None => r.via.as_str().to_string(),
        };
        writeln!(out, "    {} {}  ({how})", node.kind.as_str(), node.name)?;
    }
    if !set.selection.is_empty() {
        let ids: Vec<String> = set
            .selection
            .iter()
            .map(|t| {
                if t.weak {
                    format!("{} (weak)", t.id)
                } else {
                    t.id.clone()
                }
            })
            .collect();
        list(out, "tests to run", &ids, |t| t.to_string())?;
    }
    let endpoints: Vec<String> = super::reached_endpoints(analysis, set)
        .iter()
        .map(|e| {
            format!(
                "{} {}  (through {}{})",
                e.route.methods.join(","),
                e.route.path,
                analysis.symbols.nodes[e.through].name,
                if e.weak { ", weak" } else { "" }
            )
        })
        .collect();
    if !endpoints.is_empty() {
        list(out, "endpoints reached", &endpoints, |t| t.to_string())?;
    }
    Ok(())
}

/// The tests to run, one per line (`impact --tests`): the symbol level's
/// selection, and the test files reached through imports in languages
/// without a symbol layer.
pub fn write_test_selection(
    out: &mut dyn Write,
    analysis: &Analysis,
    set: &crate::analysis::impact::ImpactSet,
) -> io::Result<()> {
    for id in test_ids(analysis, set) {
        writeln!(out, "{id}")?;
    }
    Ok(())
}

/// The ids of [`write_test_selection`].
pub fn test_ids<'a>(
    analysis: &'a Analysis,
    set: &'a crate::analysis::impact::ImpactSet,
) -> Vec<&'a str> {
    let mut ids: Vec<&str> = set.selection.iter().map(|t| t.id.as_str()).collect();
    ids.extend(
        set.tests
            .iter()
            .filter(|&&f| {
                analysis
                    .symbols
                    .module_of
                    .get(f)
                    .is_none_or(|m| m.is_none())
            })
            .map(|&f| analysis.project.path(f)),
    );
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Impacted files by depth, each with how it was reached and its chain.
fn write_impacted(
    out: &mut dyn Write,
    analysis: &Analysis,
    impacted: &[&crate::analysis::impact::Impacted],
    indent: &str,
) -> io::Result<()> {
    use crate::analysis::impact::Via;
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for i in impacted {
        *counts.entry(i.depth).or_default() += 1;
    }
    let mut depth = 0;
    let mut listed = 0;
    for impacted_file in impacted {
        if impacted_file.depth != depth {
            depth = impacted_file.depth;
            listed = 0;
            let count = counts[&depth];
            writeln!(out, "{indent}depth {depth}: {}", plural(count, "file"))?;
        }
        listed += 1;
        if listed > IMPACT_LIMIT {
            if listed == IMPACT_LIMIT + 1 {
                let count = counts[&depth];
                writeln!(
                    out,
                    "{indent}  ... and {} more (--format json lists all)",
                    count - IMPACT_LIMIT
                )?;
            }
            continue;
        }
        let name = impacted_file.name.as_deref().unwrap_or_default();
        let by_string = impacted_file
            .why
            .first()
            .is_some_and(|h| h.kind == crate::facts::ImportKind::ModelRef);
        let how = match impacted_file.via {
            Via::Name | Via::Removed if by_string => {
                format!("names the model `{name}` by a string")
            }
            Via::Module if by_string => format!("names the user model, which may be `{name}`"),
            Via::Removed => format!("imports `{name}`, which no longer exists: broken"),
            Via::Name => format!("imports `{name}`"),
            Via::Member => format!("uses `{name}` and mentions the member (by name)"),
            Via::Module => format!("imports a module that has `{name}`, whole"),
            Via::Reexport => format!("only passes `{name}` on"),
            Via::File => "imports a file reached".to_string(),
            Via::Uses(kind) => format!("`{name}` {} a reached definition", uses_verb(kind)),
            Via::Load => format!("loading it runs reached code (`{name}`)"),
            Via::Override => format!("`{name}` calls a method the reached one overrides"),
            Via::Unresolved => format!("`{name}` has an unresolved use of a reached name"),
            Via::Broken => format!("`{name}` uses a removed or re-signatured definition: broken"),
        };
        let carried = impacted_file
            .carried_by
            .as_deref()
            .map(|c| format!(", which uses the changed `{c}`"))
            .unwrap_or_default();
        // Chains that hold only once a function runs, a dynamic import
        // resolves or the type checker looks, say so.
        let kind = impacted_file.chain_kind();
        let chain_kind = if !kind.loads() {
            format!("  [{}]", kind.as_str())
        } else {
            String::new()
        };
        writeln!(
            out,
            "{indent}  {}  ({how}{carried})  {}{chain_kind}",
            shown(analysis.project.path(impacted_file.file)),
            why_chain(analysis, &impacted_file.why, impacted_file.why_omitted)
        )?;
    }
    Ok(())
}

/// How a symbol-level edge reads in a sentence.
fn uses_verb(kind: crate::symbols::EdgeKind) -> &'static str {
    use crate::symbols::EdgeKind;
    match kind {
        EdgeKind::Call => "calls",
        EdgeKind::Instantiate => "instantiates",
        EdgeKind::Inherit => "inherits",
        EdgeKind::Type => "names as a type",
        EdgeKind::Reference => "refers to",
        EdgeKind::Fixture => "takes as a fixture",
        EdgeKind::Import => "imports",
    }
}

/// What a FLAG batch did, and how an agent reads its FLAGs.
pub fn write_flag_outcome(out: &mut dyn Write, report: &crate::cli::FlagReport) -> io::Result<()> {
    let (store, batch, outcome) = (&report.store, &report.batch, &report.outcome);
    writeln!(
        out,
        "flags  {}: {} created, {} kept{}, {} completed{}{}",
        store.display(),
        outcome.created.len(),
        outcome.kept.len(),
        if outcome.updated.is_empty() {
            String::new()
        } else {
            format!(" ({} updated in place)", outcome.updated.len())
        },
        outcome.completed.len(),
        if outcome.not_raised > 0 {
            format!(", {} not raised again", outcome.not_raised)
        } else {
            String::new()
        },
        if batch.partial {
            " (part of the repository: nothing completed, no text refreshed)"
        } else {
            ""
        }
    )?;
    for note in &report.notes {
        writeln!(out, "  note: {note}")?;
    }
    for (flag, (state, id)) in batch.flags.iter().zip(&outcome.per_flag) {
        let id = id.map_or_else(|| "-".to_string(), |id| format!("#{id}"));
        writeln!(
            out,
            "  {id:>5} {state:<8} {:<24} {:<24} {}",
            flag.target_agent.as_deref().unwrap_or("-"),
            format!("{}/{}", flag.flag_type, flag.impact_level),
            shorten(&flag.change_description, 90)
        )?;
    }
    if !outcome.completed.is_empty() {
        let ids: Vec<String> = outcome
            .completed
            .iter()
            .map(|id| format!("#{id}"))
            .collect();
        writeln!(out, "  completed (finding gone): {}", ids.join(" "))?;
    }
    if let Some(agent) = batch.flags.iter().find_map(|f| f.target_agent.as_deref()) {
        writeln!(
            out,
            "  an agent lists its FLAGs with: vantage flags list --store {} --agent {agent}",
            store.display()
        )?;
    }
    Ok(())
}

/// The first `max` characters of a text, on one line, with `...` if cut.
fn shorten(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max - 3).collect();
        format!("{cut}...")
    }
}

/// FLAGs as a table: one line each, then the texts indented.
pub fn write_flag_rows(out: &mut dyn Write, rows: &[crate::store::FlagRow]) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "no FLAGs");
    }
    for row in rows {
        writeln!(
            out,
            "#{} {} {}/{} {} -> {}{}{}  {}",
            row.id,
            row.status.as_deref().unwrap_or("pending"),
            row.flag_type,
            row.impact_level.as_deref().unwrap_or("medium"),
            row.source_agent,
            row.target_agent.as_deref().unwrap_or("-"),
            if row.locked { " [locked]" } else { "" },
            row.chain_origin_id
                .map(|o| format!(" (chained to #{o})"))
                .unwrap_or_default(),
            row.created_at
        )?;
        writeln!(out, "  what: {}", row.change_description)?;
        writeln!(out, "  do:   {}", row.action_required)?;
        if let Some(location) = &row.code_location {
            writeln!(out, "  at:   {location}")?;
        }
        if let Some(notes) = &row.notes {
            writeln!(out, "  note: {notes}")?;
        }
    }
    Ok(())
}

/// Clone classes shown in full, at most; the rest are counted.
const CLONES_SHOWN: usize = 30;
/// Lines of a fragment shown, at most.
const FRAGMENT_LINES: usize = 12;

/// `vantage dupes`: duplication, then each clone class with its places and
/// the code of its first place.
pub fn write_dupes(
    out: &mut dyn Write,
    view: &super::DupesView,
    root_label: &str,
) -> io::Result<()> {
    let total = view.total();
    writeln!(out, "vantage dupes {root_label}")?;
    writeln!(
        out,
        "duplication {:.2}%: {} of {} code lines; {} ({} across modules); mode {}, at least {} tokens",
        total.percent(),
        total.duplicated_lines,
        total.code_lines,
        plural(view.found.classes, "clone class").replace("classs", "classes"),
        view.found.cross_module,
        view.options.mode.as_str(),
        view.options.min_tokens
    )?;
    if view.filter.cross_module || view.filter.top.is_some() {
        writeln!(
            out,
            "listed     {} of them{}{}",
            view.classes.len(),
            if view.filter.cross_module {
                ", across modules only"
            } else {
                ""
            },
            view.filter
                .top
                .map(|n| format!(", the {n} largest"))
                .unwrap_or_default()
        )?;
    }
    if !view.generated.is_empty() || !view.excluded.is_empty() {
        writeln!(
            out,
            "left out   {} generated, {} excluded by [dupes] exclude",
            plural(view.generated.len(), "file"),
            view.excluded.len()
        )?;
    }
    for &(file, line) in &view.unclosed {
        writeln!(
            out,
            "unclosed   {}:{line}: vantage-ignore-start with no vantage-ignore-end; the rest of the file is ignored",
            shown(view.analysis.project.path(file))
        )?;
    }
    let modules: Vec<String> = view
        .by_module()
        .into_iter()
        .filter(|(_, s)| s.duplicated_lines > 0)
        .map(|(name, s)| format!("{} {:.2}%", shown(name), s.percent()))
        .collect();
    if !modules.is_empty() {
        writeln!(out, "modules    {}", modules.join(", "))?;
    }
    for (n, class) in view.classes.iter().enumerate().take(CLONES_SHOWN) {
        let modules = view.modules(class);
        let across = if modules.len() > 1 {
            let modules: Vec<_> = modules.iter().map(|m| shown(m)).collect();
            format!(", across modules {}", modules.join(" and "))
        } else {
            String::new()
        };
        writeln!(
            out,
            "\nclone {} of {}: {} tokens, {} lines, {} places{across}  [{}]",
            n + 1,
            view.classes.len(),
            class.tokens,
            view.lines(class),
            class.members.len(),
            class.fingerprint
        )?;
        for member in &class.members {
            let place = view.place(member);
            writeln!(
                out,
                "  {}:{}:{}-{}:{}",
                shown(place.path),
                place.start_line,
                place.start_column,
                place.end_line,
                place.end_column
            )?;
        }
        if let Some(fragment) = view.fragments.get(n) {
            let lines: Vec<&str> = fragment.lines().collect();
            for line in lines.iter().take(FRAGMENT_LINES) {
                writeln!(out, "    | {line}")?;
            }
            if lines.len() > FRAGMENT_LINES {
                writeln!(out, "    | ... {} more lines", lines.len() - FRAGMENT_LINES)?;
            }
        }
    }
    if view.classes.len() > CLONES_SHOWN {
        writeln!(
            out,
            "\n... and {} more clone classes (--format json lists all)",
            view.classes.len() - CLONES_SHOWN
        )?;
    }
    if let Some(near) = &view.near {
        write_near(out, view, near)?;
    }
    Ok(())
}

/// The near-miss section of `vantage dupes --near`: each class's first
/// member, then each other with its similarity and the lines that differ
/// on both sides.
fn write_near(
    out: &mut dyn Write,
    view: &super::DupesView,
    near: &super::NearView,
) -> io::Result<()> {
    let total = crate::analysis::duplicates::total_share(near.files);
    writeln!(
        out,
        "\nnear-miss clones: {} ({} across modules), similarity at least {:.2}, units of at least {} tokens; {:.2}% of code lines ({} of {}) in them",
        plural(near.found.classes, "class").replace("classs", "classes"),
        near.found.cross_module,
        near.options.similarity,
        near.options.min_tokens,
        total.percent(),
        total.duplicated_lines,
        total.code_lines,
    )?;
    for (n, class) in near.classes.iter().enumerate().take(CLONES_SHOWN) {
        let modules = view.near_modules(class);
        let across = match modules.len() {
            0 | 1 => String::new(),
            n if n > 4 => {
                let first: Vec<_> = modules.iter().take(3).map(|m| shown(m)).collect();
                format!(
                    ", across {n} modules: {} and {} more",
                    first.join(", "),
                    n - 3
                )
            }
            _ => {
                let modules: Vec<_> = modules.iter().map(|m| shown(m)).collect();
                format!(", across modules {}", modules.join(" and "))
            }
        };
        writeln!(
            out,
            "\nnear {} of {}: {} units, similarity {:.2} or more{across}  [{}]",
            n + 1,
            near.classes.len(),
            class.members.len(),
            class.similarity(),
            class.fingerprint
        )?;
        for (i, member) in class.members.iter().enumerate() {
            let place = view.place(&member.unit);
            let at = format!(
                "{}:{}-{}",
                shown(place.path),
                place.start_line,
                place.end_line
            );
            if i == 0 {
                writeln!(out, "  {at}  ({} tokens)", member.unit.len)?;
            } else if member.differs.is_empty() && member.first_differs.is_empty() {
                writeln!(
                    out,
                    "  {at}  {:.2}, a copy of the first renamed",
                    member.similarity
                )?;
            } else {
                let lines = |at: &[u32]| {
                    if at.is_empty() {
                        "none".to_string()
                    } else if at.len() == 1 {
                        format!("line {}", at[0])
                    } else {
                        format!("lines {}", super::line_ranges(at))
                    }
                };
                writeln!(
                    out,
                    "  {at}  {:.2}; differing here: {}; in the first: {}",
                    member.similarity,
                    lines(&member.differs),
                    lines(&member.first_differs)
                )?;
            }
        }
    }
    if near.classes.len() > CLONES_SHOWN {
        writeln!(
            out,
            "\n... and {} more near-miss classes (--format json lists all)",
            near.classes.len() - CLONES_SHOWN
        )?;
    }
    Ok(())
}

/// `vantage check` for a CI log: the verdict first, then each failing
/// violation with its place, rule and message, then what was known and
/// what is gone, and where to look next.
pub fn write_check(out: &mut dyn Write, view: &super::CheckView) -> io::Result<()> {
    use crate::analysis::baseline::Status;
    use crate::analysis::rules::Rule;
    let failing: Vec<_> = view.failing().collect();
    let known = view
        .statuses
        .iter()
        .filter(|s| **s == Status::Known)
        .count();
    let worse = failing
        .iter()
        .filter(|(_, s)| matches!(s, Status::Worse { .. }))
        .count();
    let compared = match (&view.comparison.baseline, &view.comparison.since) {
        (Some(file), Some((rev, _))) => format!("in the baseline {file} or before {rev}"),
        (Some(file), None) => format!("in the baseline {file}"),
        (None, Some((rev, base))) => {
            format!("before {rev} (merge base {})", &base[..base.len().min(12)])
        }
        (None, None) => String::new(),
    };
    let new = if compared.is_empty() { "" } else { "new " };
    let mut verdict = if failing.is_empty() {
        format!("passed: no {new}violation")
    } else {
        let worse = if worse > 0 {
            format!(", {worse} of them worse than known")
        } else {
            String::new()
        };
        format!(
            "FAILED: {} {new}violation{}{worse}",
            failing.len(),
            if failing.len() == 1 { "" } else { "s" }
        )
    };
    if !compared.is_empty() {
        verdict.push_str(&format!(" ({known} known {compared})"));
    }
    writeln!(out, "vantage check {}: {verdict}", view.root_label)?;
    if view.measured.is_empty() {
        writeln!(
            out,
            "  no rules: vantage.toml sets no [check] limit and has no [[forbid]], [[layers]] or [[independent]] rule (docs/configuration.md)"
        )?;
    }
    for (rule, measured) in view.measured {
        let n = failing.iter().filter(|(f, _)| f.rule == *rule).count();
        let mark = if n > 0 { "fail" } else { "ok" };
        let known = view
            .findings
            .iter()
            .zip(view.statuses)
            .filter(|(f, s)| f.rule == *rule && **s == Status::Known)
            .count();
        let known = if known > 0 {
            format!("; {known} known")
        } else {
            String::new()
        };
        writeln!(out, "  {mark:<4} {:<28} {measured}{known}", rule.id())?;
    }
    for (finding, status) in &failing {
        writeln!(out)?;
        let place = finding
            .location
            .as_ref()
            .map(|l| shown(&l.text()).into_owned())
            .unwrap_or_else(|| "(no file)".to_string());
        let how = match status {
            Status::Worse { before } => format!("  worse: was {before:.2}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "{} {}  {place}{how}",
            finding.severity.as_str(),
            finding.rule.id()
        )?;
        writeln!(out, "  {}", shown(&finding.message))?;
        let with_related = matches!(
            finding.rule,
            Rule::ModuleCycle
                | Rule::FileCycle
                | Rule::Duplication
                | Rule::ModuleDuplication
                | Rule::NearDuplication
        );
        if with_related && !finding.related.is_empty() {
            let related: Vec<String> = finding
                .related
                .iter()
                .take(3)
                .map(|l| match &l.note {
                    Some(note) => format!("{} ({})", shown(&l.text()), shown(note)),
                    None => shown(&l.text()).into_owned(),
                })
                .collect();
            let more = finding.related.len().saturating_sub(3);
            let tail = if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            };
            writeln!(out, "  also: {}{tail}", related.join(", "))?;
        }
    }
    if !view.gone.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{} in the baseline no longer found (tighten it with --write-baseline):",
            plural(view.gone.len(), "violation")
        )?;
        for known in view.gone.iter().take(LIST_LIMIT) {
            let place = known
                .location
                .as_deref()
                .map(|l| format!("{l}  "))
                .unwrap_or_default();
            writeln!(out, "  {}  {place}{}", known.rule, known.message)?;
        }
        if view.gone.len() > LIST_LIMIT {
            writeln!(
                out,
                "  ... and {} more (--format json lists all)",
                view.gone.len() - LIST_LIMIT
            )?;
        }
    }
    if !failing.is_empty() {
        let mut more: Vec<&str> = failing.iter().map(|(f, _)| f.rule.more()).collect();
        more.sort();
        more.dedup();
        writeln!(out)?;
        writeln!(out, "see more: {}", more.join("; "))?;
    }
    Ok(())
}

#[cfg(test)]
mod capped_tests {
    #[test]
    fn long_lists_say_how_many_more() {
        let items: Vec<String> = (1..=9).map(|i| format!("a.py:{i}")).collect();
        assert_eq!(
            super::capped(&items, 6),
            "a.py:1, a.py:2, a.py:3, a.py:4, a.py:5, a.py:6, and 3 more (--format json lists them all)"
        );
        assert_eq!(super::capped(&items[..2], 6), "a.py:1, a.py:2");
    }
}
