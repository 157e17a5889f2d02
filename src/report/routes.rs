//! `vantage routes`: the endpoint list as text, JSON (docs/output.md) and
//! CSV.

use std::io::{self, Write};

use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::pipeline::Analysis;
use crate::routes::{Guard, Route, Site};

#[derive(Serialize)]
struct SiteJson<'a> {
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct HandlerJson<'a> {
    symbol: &'a str,
    method: Option<&'a str>,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct GuardJson<'a> {
    name: &'a str,
    file: &'a str,
    line: u32,
    on: &'static str,
}

#[derive(Serialize)]
struct RouteJson<'a> {
    methods: &'a [String],
    path: &'a str,
    framework: &'static str,
    handler: Option<HandlerJson<'a>>,
    /// The view as written, when it is outside the repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    outside: Option<&'a str>,
    name: Option<&'a str>,
    site: SiteJson<'a>,
    guards: Vec<GuardJson<'a>>,
    decorators: Vec<GuardJson<'a>>,
    module: &'a str,
}

#[derive(Serialize)]
struct DynamicJson<'a> {
    file: &'a str,
    line: u32,
    framework: &'static str,
    reason: &'a str,
}

#[derive(Serialize)]
struct RoutesJson<'a> {
    schema_version: u32,
    tool: super::json::Tool,
    command: &'static str,
    routes: Vec<RouteJson<'a>>,
    dynamic: Vec<DynamicJson<'a>>,
}

fn site<'a>(analysis: &'a Analysis, site: Site) -> SiteJson<'a> {
    SiteJson {
        file: analysis.project.path(site.file),
        line: site.line,
    }
}

fn guard<'a>(analysis: &'a Analysis, g: &'a Guard) -> GuardJson<'a> {
    GuardJson {
        name: &g.name,
        file: analysis.project.path(g.site.file),
        line: g.site.line,
        on: g.on.as_str(),
    }
}

/// The routes kept by a filter (a path prefix or a module).
pub fn selected<'a>(analysis: &'a Analysis, filter: &RouteFilter) -> Vec<&'a Route> {
    analysis
        .routes
        .routes
        .iter()
        .filter(|r| filter.keeps(analysis, r))
        .collect()
}

/// Which routes a command lists.
#[derive(Clone, Debug, Default)]
pub struct RouteFilter {
    /// Paths starting with this.
    pub prefix: Option<String>,
    /// Routes whose handler (or site) is in this module.
    pub module: Option<String>,
    /// Routes with this method (or any method).
    pub method: Option<String>,
    /// Only routes without a guard.
    pub unguarded: bool,
}

impl RouteFilter {
    fn keeps(&self, analysis: &Analysis, r: &Route) -> bool {
        self.prefix
            .as_ref()
            .is_none_or(|p| r.path.starts_with(p.as_str()))
            && self
                .module
                .as_ref()
                .is_none_or(|m| module_of(analysis, r) == m.as_str())
            && self.method.as_ref().is_none_or(|m| {
                r.methods
                    .iter()
                    .any(|x| x == "*" || x.eq_ignore_ascii_case(m))
            })
            && (!self.unguarded || r.guards.is_empty())
    }
}

/// A route's module: its view's, else its registration's.
pub fn module_of<'a>(analysis: &'a Analysis, r: &Route) -> &'a str {
    let file = r
        .handler
        .map_or(r.site.file, |h| analysis.symbols.nodes[h.view].file);
    analysis.modules.name(analysis.modules.of_file[file])
}

/// A definition's first line, its decorators included (a TypeScript
/// decorator written before `export class` is outside the class's span).
fn first_line(analysis: &Analysis, node: crate::symbols::SymbolId) -> u32 {
    let n = &analysis.symbols.nodes[node];
    let decorated = n.defs.first().and_then(|&def| {
        analysis.facts[n.file]
            .symbols
            .as_ref()?
            .calls
            .iter()
            .filter(|c| c.decorator && c.scope == Some(def))
            .map(|c| c.line)
            .min()
    });
    decorated.map_or(n.lines.0, |d| d.min(n.lines.0))
}

fn route_json<'a>(analysis: &'a Analysis, r: &'a Route) -> RouteJson<'a> {
    let graph = &analysis.symbols;
    RouteJson {
        methods: &r.methods,
        path: &r.path,
        framework: r.framework.as_str(),
        handler: r.handler.map(|h| {
            let view = &graph.nodes[h.view];
            HandlerJson {
                symbol: &view.name,
                method: h.method.map(|m| graph.nodes[m].name.as_str()),
                file: analysis.project.path(view.file),
                line: first_line(analysis, h.view),
            }
        }),
        outside: r.view_written.as_deref(),
        name: r.name.as_deref(),
        site: site(analysis, r.site),
        guards: r.guards.iter().map(|g| guard(analysis, g)).collect(),
        decorators: r.decorators.iter().map(|g| guard(analysis, g)).collect(),
        module: module_of(analysis, r),
    }
}

/// One route as its JSON entry.
pub fn route_value(analysis: &Analysis, r: &Route) -> serde_json::Value {
    serde_json::to_value(route_json(analysis, r)).expect("a route serialises")
}

pub fn write_json(out: &mut dyn Write, analysis: &Analysis, routes: &[&Route]) -> io::Result<()> {
    let doc = RoutesJson {
        schema_version: SCHEMA_VERSION,
        tool: super::json::TOOL,
        command: "routes",
        routes: routes.iter().map(|r| route_json(analysis, r)).collect(),
        dynamic: analysis
            .routes
            .dynamic
            .iter()
            .map(|d| DynamicJson {
                file: analysis.project.path(d.site.file),
                line: d.site.line,
                framework: d.framework.as_str(),
                reason: &d.reason,
            })
            .collect(),
    };
    super::json::write_json(out, &doc)
}

/// The view of a route as a reader names it.
fn view_name<'a>(analysis: &'a Analysis, r: &'a Route) -> &'a str {
    match (r.handler, &r.view_written) {
        (Some(h), _) => {
            let graph = &analysis.symbols;
            h.method
                .map_or(&graph.nodes[h.view].name, |m| &graph.nodes[m].name)
        }
        (None, Some(w)) => w,
        (None, None) => "?",
    }
}

pub fn write_text(out: &mut dyn Write, analysis: &Analysis, routes: &[&Route]) -> io::Result<()> {
    if routes.is_empty() {
        writeln!(
            out,
            "no endpoints found (Django, Flask, FastAPI, Express, NestJS, Symfony and Laravel registrations are read)"
        )?;
    }
    let width = routes
        .iter()
        .map(|r| r.methods.join(",").len())
        .max()
        .unwrap_or(0);
    let path_width = routes
        .iter()
        .map(|r| r.path.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    for r in routes {
        let guards = if r.guards.is_empty() {
            "no guard".to_string()
        } else {
            r.guards
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let outside = match (&r.handler, r.view_written.as_deref()) {
            (None, Some("inline function")) => "",
            (None, Some(_)) => " (outside the repository)",
            _ => "",
        };
        writeln!(
            out,
            "{:<width$}  {:<path_width$}  {}{}  [{}]  {}:{}",
            r.methods.join(","),
            r.path,
            view_name(analysis, r),
            outside,
            guards,
            analysis.project.path(r.site.file),
            r.site.line,
        )?;
    }
    let dynamic = &analysis.routes.dynamic;
    if !dynamic.is_empty() {
        writeln!(out)?;
        writeln!(out, "not read statically ({}):", dynamic.len())?;
        for d in dynamic {
            writeln!(
                out,
                "  {}:{} ({}) {}",
                analysis.project.path(d.site.file),
                d.site.line,
                d.framework.as_str(),
                d.reason
            )?;
        }
    }
    let guarded = routes.iter().filter(|r| !r.guards.is_empty()).count();
    writeln!(
        out,
        "{} endpoints, {} with a guard, {} not read statically",
        routes.len(),
        guarded,
        dynamic.len()
    )
}

pub fn write_csv(out: &mut dyn Write, analysis: &Analysis, routes: &[&Route]) -> io::Result<()> {
    writeln!(
        out,
        "methods,path,framework,handler,handler_file,handler_line,name,site_file,site_line,guards,module"
    )?;
    for r in routes {
        let (file, line) = r.handler.map_or((String::new(), String::new()), |h| {
            let view = &analysis.symbols.nodes[h.view];
            (
                analysis.project.path(view.file).to_string(),
                first_line(analysis, h.view).to_string(),
            )
        });
        let guards: Vec<&str> = r.guards.iter().map(|g| g.name.as_str()).collect();
        let fields = [
            r.methods.join(" "),
            r.path.clone(),
            r.framework.as_str().to_string(),
            view_name(analysis, r).to_string(),
            file,
            line,
            r.name.clone().unwrap_or_default(),
            analysis.project.path(r.site.file).to_string(),
            r.site.line.to_string(),
            guards.join("; "),
            module_of(analysis, r).to_string(),
        ];
        let fields: Vec<String> = fields.iter().map(|f| super::text::csv_field(f)).collect();
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}
