//! `vantage trace`: an endpoint's request flow as a tree (text), JSON
//! (docs/output.md) and a Mermaid sequence diagram.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::analysis::trace::Trace;
use crate::pipeline::Analysis;
use crate::routes::Route;
use crate::symbols::SymbolId;

/// One endpoint (or a definition asked for by name) and its flow.
pub struct Traced<'a> {
    pub route: Option<&'a Route>,
    pub trace: Trace,
}

#[derive(Serialize)]
struct NodeJson<'a> {
    symbol: &'a str,
    kind: &'static str,
    file: &'a str,
    line: u32,
    module: &'a str,
}

#[derive(Serialize)]
struct StepJson<'a> {
    #[serde(flatten)]
    node: NodeJson<'a>,
    depth: usize,
    via: &'static str,
    from: &'a str,
    lines: &'a [u32],
}

#[derive(Serialize)]
struct EffectJson<'a> {
    kind: &'static str,
    call: &'a str,
    from: &'a str,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct StopJson<'a> {
    call: &'a str,
    from: &'a str,
    file: &'a str,
    line: u32,
    reason: &'static str,
}

#[derive(Serialize)]
struct TraceJson<'a> {
    route: Option<serde_json::Value>,
    starts: Vec<NodeJson<'a>>,
    steps: Vec<StepJson<'a>>,
    effects: Vec<EffectJson<'a>>,
    stopped: Vec<StopJson<'a>>,
    modules: &'a [String],
}

#[derive(Serialize)]
struct TracesJson<'a> {
    schema_version: u32,
    tool: super::json::Tool,
    command: &'static str,
    query: &'a str,
    traces: Vec<TraceJson<'a>>,
}

fn node_json(analysis: &Analysis, id: SymbolId) -> NodeJson<'_> {
    let n = &analysis.symbols.nodes[id];
    NodeJson {
        symbol: &n.name,
        kind: n.kind.as_str(),
        file: analysis.project.path(n.file),
        line: n.lines.0,
        module: analysis.modules.name(analysis.modules.of_file[n.file]),
    }
}

fn name(analysis: &Analysis, id: SymbolId) -> &str {
    &analysis.symbols.nodes[id].name
}

fn file_of(analysis: &Analysis, id: SymbolId) -> &str {
    analysis.project.path(analysis.symbols.nodes[id].file)
}

pub fn write_json(
    out: &mut dyn Write,
    analysis: &Analysis,
    query: &str,
    traced: &[Traced],
) -> io::Result<()> {
    let traces = traced
        .iter()
        .map(|t| {
            let route = t.route.map(|r| super::routes::route_value(analysis, r));
            TraceJson {
                route,
                starts: t
                    .trace
                    .starts
                    .iter()
                    .map(|&n| node_json(analysis, n))
                    .collect(),
                steps: t
                    .trace
                    .steps
                    .iter()
                    .map(|w| StepJson {
                        node: node_json(analysis, w.node),
                        depth: w.depth,
                        via: w.kind.as_str(),
                        from: name(analysis, w.toward),
                        lines: &w.lines,
                    })
                    .collect(),
                effects: t
                    .trace
                    .effects
                    .iter()
                    .map(|e| EffectJson {
                        kind: e.kind.as_str(),
                        call: &e.call,
                        from: name(analysis, e.from),
                        file: file_of(analysis, e.from),
                        line: e.line,
                    })
                    .collect(),
                stopped: t
                    .trace
                    .stopped
                    .iter()
                    .map(|s| StopJson {
                        call: &s.call,
                        from: name(analysis, s.from),
                        file: file_of(analysis, s.from),
                        line: s.line,
                        reason: s.reason,
                    })
                    .collect(),
                modules: &t.trace.modules,
            }
        })
        .collect();
    let doc = TracesJson {
        schema_version: SCHEMA_VERSION,
        tool: super::json::TOOL,
        command: "trace",
        query,
        traces,
    };
    super::json::write_json(out, &doc)
}

/// Each node's children in the breadth-first tree, in order.
fn children(trace: &Trace) -> BTreeMap<SymbolId, Vec<usize>> {
    let mut out: BTreeMap<SymbolId, Vec<usize>> = BTreeMap::new();
    for (i, w) in trace.steps.iter().enumerate() {
        out.entry(w.toward).or_default().push(i);
    }
    out
}

/// The trace as rows, depth first: (depth, how, name, file, line); a
/// start is `start` at depth 0, an effect its kind one deeper than its
/// definition.
pub fn tree_rows(
    analysis: &Analysis,
    trace: &Trace,
) -> Vec<(usize, &'static str, String, crate::project::FileId, u32)> {
    let kids = children(trace);
    let mut out = Vec::new();
    fn walk(
        analysis: &Analysis,
        trace: &Trace,
        kids: &BTreeMap<SymbolId, Vec<usize>>,
        node: SymbolId,
        depth: usize,
        out: &mut Vec<(usize, &'static str, String, crate::project::FileId, u32)>,
    ) {
        let file = analysis.symbols.nodes[node].file;
        for e in trace.effects.iter().filter(|e| e.from == node) {
            out.push((depth + 1, e.kind.as_str(), e.call.clone(), file, e.line));
        }
        for &i in kids.get(&node).map_or(&[][..], Vec::as_slice) {
            let w = &trace.steps[i];
            let n = &analysis.symbols.nodes[w.node];
            out.push((
                depth + 1,
                w.kind.as_str(),
                n.name.clone(),
                n.file,
                n.lines.0,
            ));
            walk(analysis, trace, kids, w.node, depth + 1, out);
        }
    }
    for &start in &trace.starts {
        let n = &analysis.symbols.nodes[start];
        out.push((0, "start", n.name.clone(), n.file, n.lines.0));
        walk(analysis, trace, &kids, start, 0, &mut out);
    }
    out
}

fn lines_text(lines: &[u32]) -> String {
    let shown: Vec<String> = lines.iter().take(5).map(u32::to_string).collect();
    let more = if lines.len() > 5 { ", ..." } else { "" };
    let word = if lines.len() == 1 { "line" } else { "lines" };
    format!("{word} {}{more}", shown.join(", "))
}

pub fn write_text(out: &mut dyn Write, analysis: &Analysis, traced: &[Traced]) -> io::Result<()> {
    for (i, t) in traced.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        if let Some(r) = t.route {
            writeln!(
                out,
                "{} {}  registered at {}:{}",
                r.methods.join(","),
                r.path,
                analysis.project.path(r.site.file),
                r.site.line
            )?;
            let guards: Vec<String> = r
                .guards
                .iter()
                .map(|g| {
                    format!(
                        "{} ({}:{})",
                        g.name,
                        analysis.project.path(g.site.file),
                        g.site.line
                    )
                })
                .collect();
            writeln!(
                out,
                "  guards: {}",
                if guards.is_empty() {
                    "none".to_string()
                } else {
                    guards.join(", ")
                }
            )?;
        }
        let kids = children(&t.trace);
        let mut effects: BTreeMap<SymbolId, Vec<usize>> = BTreeMap::new();
        for (i, e) in t.trace.effects.iter().enumerate() {
            effects.entry(e.from).or_default().push(i);
        }
        for &start in &t.trace.starts {
            let n = &analysis.symbols.nodes[start];
            writeln!(
                out,
                "{}  {}:{}",
                n.name,
                analysis.project.path(n.file),
                n.lines.0
            )?;
            write_subtree(out, analysis, t, &kids, &effects, start, 1)?;
        }
        writeln!(out, "modules crossed: {}", t.trace.modules.join(" -> "))?;
        if !t.trace.stopped.is_empty() {
            let count = t.trace.stopped.len();
            let calls = if count == 1 { "call" } else { "calls" };
            writeln!(out, "resolution stopped at {count} {calls}:")?;
            for s in t.trace.stopped.iter().take(20) {
                writeln!(
                    out,
                    "  {}:{} {} ({})",
                    file_of(analysis, s.from),
                    s.line,
                    s.call,
                    s.reason
                )?;
            }
            if t.trace.stopped.len() > 20 {
                writeln!(out, "  and {} more", t.trace.stopped.len() - 20)?;
            }
        }
    }
    Ok(())
}

fn write_subtree(
    out: &mut dyn Write,
    analysis: &Analysis,
    t: &Traced,
    kids: &BTreeMap<SymbolId, Vec<usize>>,
    effects: &BTreeMap<SymbolId, Vec<usize>>,
    node: SymbolId,
    indent: usize,
) -> io::Result<()> {
    let pad = "  ".repeat(indent);
    for &e in effects.get(&node).map_or(&[][..], Vec::as_slice) {
        let e = &t.trace.effects[e];
        writeln!(
            out,
            "{pad}{} {}  (line {})",
            e.kind.as_str(),
            e.call,
            e.line
        )?;
    }
    for &i in kids.get(&node).map_or(&[][..], Vec::as_slice) {
        let w = &t.trace.steps[i];
        let n = &analysis.symbols.nodes[w.node];
        writeln!(
            out,
            "{pad}{} {}  {}:{}  ({})",
            w.kind.as_str(),
            n.name,
            analysis.project.path(n.file),
            n.lines.0,
            lines_text(&w.lines)
        )?;
        write_subtree(out, analysis, t, kids, effects, w.node, indent + 1)?;
    }
    Ok(())
}

/// Mermaid's text of a message or label: `#`, `;`, `<`, `>` as entity
/// codes.
fn mermaid_text(text: &str) -> String {
    text.replace('#', "#35;")
        .replace(';', "#59;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// A participant's id: its label's letters and digits.
fn mermaid_id(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// One sequence diagram per endpoint: the client, the module of each
/// definition reached (in order of first appearance), and the outside
/// systems the effects talk to.
pub fn write_mermaid(
    out: &mut dyn Write,
    analysis: &Analysis,
    traced: &[Traced],
) -> io::Result<()> {
    for (i, t) in traced.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "sequenceDiagram")?;
        let owner = |id: SymbolId| -> String {
            let file = analysis.symbols.nodes[id].file;
            analysis
                .symbols
                .module_of
                .get(file)
                .copied()
                .flatten()
                .map_or_else(
                    || analysis.project.path(file).to_string(),
                    |m| analysis.symbols.nodes[m].name.clone(),
                )
        };
        let short = |id: SymbolId| -> String {
            let name = &analysis.symbols.nodes[id].name;
            let module = owner(id);
            name.strip_prefix(&module)
                .map(|s| s.trim_start_matches(['.', '#', ':', '\\']))
                .filter(|s| !s.is_empty())
                .unwrap_or(name)
                .to_string()
        };
        let mut participants: Vec<String> = vec!["Client".to_string()];
        for id in t.trace.nodes() {
            let o = owner(id);
            if !participants.contains(&o) {
                participants.push(o);
            }
        }
        let mut outside: Vec<&'static str> = Vec::new();
        for e in &t.trace.effects {
            let label = match e.kind.as_str() {
                "database" => "Database",
                "http" => "HTTP",
                "cache" => "Cache",
                _ => "Queue",
            };
            if !outside.contains(&label) {
                outside.push(label);
            }
        }
        // Ids from the labels' letters, told apart when two labels give
        // one (`a.b`, `a_b`) or a module is named like an outside system.
        let mut taken: std::collections::BTreeSet<String> =
            ["Client", "Database", "HTTP", "Cache", "Queue"]
                .into_iter()
                .map(String::from)
                .collect();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        ids.insert("Client".to_string(), "Client".to_string());
        for p in participants.iter().skip(1) {
            let base = mermaid_id(p);
            let mut id = base.clone();
            let mut n = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}_{n}");
                n += 1;
            }
            ids.insert(p.clone(), id);
        }
        for p in &participants {
            writeln!(out, "    participant {} as {}", ids[p], mermaid_text(p))?;
        }
        let id_of = |node: SymbolId| ids[&owner(node)].clone();
        for p in &outside {
            writeln!(out, "    participant {p}")?;
        }
        let request = t.route.map_or("call".to_string(), |r| {
            format!("{} {}", r.methods.join(","), r.path)
        });
        let kids = children(&t.trace);
        for &start in &t.trace.starts {
            writeln!(
                out,
                "    Client->>{}: {}",
                id_of(start),
                mermaid_text(&format!("{request} ({})", short(start)))
            )?;
            mermaid_calls(out, t, &kids, start, &id_of, &short)?;
        }
    }
    Ok(())
}

fn mermaid_calls(
    out: &mut dyn Write,
    t: &Traced,
    kids: &BTreeMap<SymbolId, Vec<usize>>,
    node: SymbolId,
    id_of: &dyn Fn(SymbolId) -> String,
    short: &dyn Fn(SymbolId) -> String,
) -> io::Result<()> {
    let from = id_of(node);
    for e in t.trace.effects.iter().filter(|e| e.from == node) {
        let to = match e.kind.as_str() {
            "database" => "Database",
            "http" => "HTTP",
            "cache" => "Cache",
            _ => "Queue",
        };
        writeln!(out, "    {from}->>{to}: {}", mermaid_text(&e.call))?;
    }
    for &i in kids.get(&node).map_or(&[][..], Vec::as_slice) {
        let w = &t.trace.steps[i];
        writeln!(
            out,
            "    {from}->>{}: {}",
            id_of(w.node),
            mermaid_text(&short(w.node))
        )?;
        mermaid_calls(out, t, kids, w.node, id_of, short)?;
    }
    Ok(())
}
