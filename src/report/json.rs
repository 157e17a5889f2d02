//! JSON documents: the versioned contract described in docs/output.md.
//! Every list is sorted; paths are repository-relative with `/`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{
    EdgeView, ImportCounts, Level, SCHEMA_VERSION, edges, external_imports, import_counts,
    module_sizes, parsed_by_language, undeclared_packages,
};
use crate::pipeline::Analysis;

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
struct FileJson<'a> {
    path: &'a str,
    language: &'static str,
    module: &'a str,
    lines: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    syntax_error_line: Option<u32>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    non_utf8: bool,
    /// Why the file has no facts (it was not parsed); see `skipped`.
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<&'static str>,
}

#[derive(Serialize)]
struct ModuleJson<'a> {
    name: &'a str,
    files: usize,
    /// Import sites between files of this module.
    internal_sites: usize,
}

#[derive(Serialize)]
struct SiteJson<'a> {
    /// The importing file.
    path: &'a str,
    line: u32,
    kind: &'static str,
    specifier: &'a str,
    /// The imported file (module level only: at file level it is the edge's `to`).
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
}

#[derive(Serialize)]
struct EdgeJson<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
    sites: Vec<SiteJson<'a>>,
}

#[derive(Serialize)]
struct UnresolvedJson<'a> {
    path: &'a str,
    line: u32,
    specifier: &'a str,
    class: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<&'a str>,
}

#[derive(Serialize)]
struct SkippedJson<'a> {
    path: &'a str,
    reason: &'static str,
    detail: String,
}

#[derive(Serialize)]
struct GraphJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    level: &'static str,
    files: Vec<FileJson<'a>>,
    modules: Vec<ModuleJson<'a>>,
    edges: Vec<EdgeJson<'a>>,
    unresolved: Vec<UnresolvedJson<'a>>,
    skipped: Vec<SkippedJson<'a>>,
}

fn files(analysis: &Analysis) -> Vec<FileJson<'_>> {
    analysis
        .project
        .files()
        .iter()
        .zip(&analysis.facts)
        .zip(&analysis.modules.of_file)
        .map(|((file, facts), &module)| FileJson {
            path: &file.path,
            language: file.language.family().as_str(),
            module: analysis.modules.name(module),
            lines: facts.lines,
            syntax_error_line: facts.syntax_error_line,
            non_utf8: facts.non_utf8,
            skipped: file.skipped.as_ref().map(|r| r.key()),
        })
        .collect()
}

fn modules(analysis: &Analysis) -> Vec<ModuleJson<'_>> {
    let sizes = module_sizes(analysis);
    analysis
        .modules
        .names
        .iter()
        .enumerate()
        .map(|(id, name)| ModuleJson {
            name,
            files: sizes[id],
            internal_sites: analysis.module_graph.internal_sites[id],
        })
        .collect()
}

fn edge_json<'a>(analysis: &'a Analysis, level: Level, edge: &EdgeView<'a>) -> EdgeJson<'a> {
    EdgeJson {
        from: edge.from,
        to: edge.to,
        kind: edge.kind.as_str(),
        sites: edge
            .sites
            .iter()
            .map(|site| SiteJson {
                path: analysis.project.path(site.from),
                line: site.line,
                kind: site.kind.as_str(),
                specifier: &analysis.facts[site.from].imports[site.import].specifier,
                to: (level == Level::Module).then(|| analysis.project.path(site.to)),
            })
            .collect(),
    }
}

fn unresolved(analysis: &Analysis) -> Vec<UnresolvedJson<'_>> {
    external_imports(analysis)
        .into_iter()
        .map(|i| UnresolvedJson {
            path: i.path,
            line: i.line,
            specifier: i.specifier,
            class: i.class.as_str(),
            kind: i.kind.as_str(),
            package: i.package,
        })
        .collect()
}

fn skipped(analysis: &Analysis) -> Vec<SkippedJson<'_>> {
    analysis
        .skipped
        .iter()
        .map(|s| SkippedJson {
            path: &s.path,
            reason: s.reason.key(),
            detail: s.reason.to_string(),
        })
        .collect()
}

fn write_json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

pub fn write_graph(out: &mut dyn Write, analysis: &Analysis, level: Level) -> io::Result<()> {
    let doc = GraphJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "graph",
        level: level.as_str(),
        files: files(analysis),
        modules: modules(analysis),
        edges: edges(analysis, level)
            .iter()
            .map(|edge| edge_json(analysis, level, edge))
            .collect(),
        unresolved: unresolved(analysis),
        skipped: skipped(analysis),
    };
    write_json(out, &doc)
}

#[derive(Serialize)]
struct FileCounts {
    parsed: usize,
    skipped: usize,
    by_language: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct EdgeCounts {
    file: usize,
    module: usize,
    /// Import sites behind the file edges.
    sites: usize,
}

#[derive(Serialize)]
struct SyntaxErrorJson<'a> {
    path: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct PackageCount<'a> {
    package: &'a str,
    imports: usize,
}

#[derive(Serialize)]
struct AnalyzeJson<'a> {
    schema_version: u32,
    tool: Tool,
    command: &'static str,
    files: FileCounts,
    modules: Vec<ModuleJson<'a>>,
    edges: EdgeCounts,
    imports: ImportCounts,
    /// Only the imports of class `unresolved`; `graph --format json` lists all.
    unresolved: Vec<UnresolvedJson<'a>>,
    undeclared_packages: Vec<PackageCount<'a>>,
    syntax_errors: Vec<SyntaxErrorJson<'a>>,
    non_utf8: Vec<&'a str>,
    skipped: Vec<SkippedJson<'a>>,
    excluded_dirs: &'a [String],
}

pub fn write_summary(out: &mut dyn Write, analysis: &Analysis) -> io::Result<()> {
    let by_language = parsed_by_language(analysis);
    let paths = analysis.project.files();
    let doc = AnalyzeJson {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        command: "analyze",
        files: FileCounts {
            parsed: by_language.values().sum(),
            skipped: analysis.skipped.len(),
            by_language,
        },
        modules: modules(analysis),
        edges: EdgeCounts {
            file: analysis.file_graph.edge_count(),
            module: analysis.module_graph.graph.edge_count(),
            sites: analysis
                .file_graph
                .edges()
                .map(|(_, _, d)| d.sites.len())
                .sum(),
        },
        imports: import_counts(analysis),
        unresolved: unresolved(analysis)
            .into_iter()
            .filter(|u| u.class == "unresolved")
            .collect(),
        undeclared_packages: undeclared_packages(analysis)
            .into_iter()
            .map(|(package, imports)| PackageCount { package, imports })
            .collect(),
        syntax_errors: paths
            .iter()
            .zip(&analysis.facts)
            .filter_map(|(f, facts)| {
                facts.syntax_error_line.map(|line| SyntaxErrorJson {
                    path: &f.path,
                    line,
                })
            })
            .collect(),
        non_utf8: paths
            .iter()
            .zip(&analysis.facts)
            .filter(|(_, facts)| facts.non_utf8)
            .map(|(f, _)| f.path.as_str())
            .collect(),
        skipped: skipped(analysis),
        excluded_dirs: &analysis.excluded_dirs,
    };
    write_json(out, &doc)
}
