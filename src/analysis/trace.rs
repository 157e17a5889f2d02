//! The request flow of an endpoint: what its handler calls, transitively,
//! through the symbol graph, and what leaves the code on the way.
//!
//! ## What it finds
//! From an endpoint's handler (its method, or a class-based view's
//! methods when the framework supplies the handler), the definitions it
//! calls and instantiates, breadth-first (each reached once, by a
//! shortest chain, with the lines of the calls); in each, the calls that
//! leave the repository, classified: database (an ORM manager or query,
//! a session, a cursor), HTTP client, cache, queue; the modules crossed,
//! in order; and where resolution stopped (calls the symbol graph keeps
//! as unresolved).
//!
//! ## Why it matters
//! "Trace the request flow for this endpoint" is how an architect reads a
//! backend: which services, repositories and models one request touches,
//! which modules it crosses, where it talks to the database or another
//! service.
//!
//! ## Example
//! `GET /orders/<int:pk>/` handled by `OrderDetail.get`, which calls
//! `OrderService.fetch`, which calls `OrderRepository.by_id`, which runs
//! `Order.objects.select_related("customer").get(pk=pk)`: three steps and
//! a database effect in the repository.
//!
//! ## Limits
//! Only calls the symbol graph resolves are followed; a call on a value
//! of unknown type stops the chain and is listed. Effects are recognised
//! by the names written (`objects`, `session`, `cursor`, `requests`,
//! `httpx`, `cache`, `delay`...): a client wrapped in the repository's own
//! class is reached as a definition, and its effect is seen inside it.

use crate::pipeline::Analysis;
use crate::symbols::{Direction, EdgeKind, NodeKind, SymbolId, Walked};

/// What leaves the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EffectKind {
    Database,
    Http,
    Cache,
    Queue,
}

impl EffectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EffectKind::Database => "database",
            EffectKind::Http => "http",
            EffectKind::Cache => "cache",
            EffectKind::Queue => "queue",
        }
    }
}

/// A call leaving the repository, in a reached definition.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Effect {
    pub from: SymbolId,
    pub line: u32,
    pub kind: EffectKind,
    /// As written: `Order.objects.select_related.get`.
    pub call: String,
}

/// A call in a reached definition that resolution could not follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    pub from: SymbolId,
    pub line: u32,
    pub call: String,
    pub reason: &'static str,
}

#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub starts: Vec<SymbolId>,
    /// Breadth-first, each node once.
    pub steps: Vec<Walked>,
    pub effects: Vec<Effect>,
    pub stopped: Vec<Stop>,
    /// Module names, in order of first appearance.
    pub modules: Vec<String>,
}

impl Trace {
    /// Every node of the trace: the starts, then the steps.
    pub fn nodes(&self) -> impl Iterator<Item = SymbolId> + '_ {
        self.starts
            .iter()
            .copied()
            .chain(self.steps.iter().map(|w| w.node))
    }
}

/// The flow from `starts`, `depth` steps deep.
pub fn trace(analysis: &Analysis, starts: &[SymbolId], depth: usize) -> Trace {
    let graph = &analysis.symbols;
    let steps = graph.walk(starts, Direction::Used, depth, |kind| {
        matches!(kind, EdgeKind::Call | EdgeKind::Instantiate)
    });
    let mut trace = Trace {
        starts: starts.to_vec(),
        steps,
        ..Trace::default()
    };
    let reached: Vec<SymbolId> = trace.nodes().collect();
    let in_trace: std::collections::BTreeSet<SymbolId> = reached.iter().copied().collect();
    for &node in &reached {
        let module = analysis
            .modules
            .name(analysis.modules.of_file[graph.nodes[node].file]);
        if !trace.modules.iter().any(|m| m == module) {
            trace.modules.push(module.to_string());
        }
        trace.effects.extend(effects_of(analysis, node));
    }
    for u in graph
        .unresolved
        .iter()
        .filter(|u| in_trace.contains(&u.from) && !u.is_implied())
    {
        let effect = trace
            .effects
            .iter()
            .any(|e| e.from == u.from && e.line == u.line && e.call == u.path);
        if !effect && matches!(u.kind, crate::facts::UseKind::Call) {
            trace.stopped.push(Stop {
                from: u.from,
                line: u.line,
                call: u.path.clone(),
                reason: u.reason.as_str(),
            });
        }
    }
    // In the order the trace reaches their definitions; a chain
    // (`Order.objects.filter().get`) is one effect: its longest call on
    // the line.
    let position: std::collections::BTreeMap<SymbolId, usize> =
        reached.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    trace.effects.sort_by_key(|e| {
        (
            position[&e.from],
            e.line,
            e.kind,
            std::cmp::Reverse(e.call.len()),
            e.call.clone(),
        )
    });
    trace
        .effects
        .dedup_by(|b, a| a.from == b.from && a.line == b.line && a.kind == b.kind);
    trace
}

/// The calls of a definition that leave the repository and are known
/// for what they do. A call the graph resolves into the repository is
/// followed instead (its effect is seen where it happens).
fn effects_of(analysis: &Analysis, node: SymbolId) -> Vec<Effect> {
    let graph = &analysis.symbols;
    let n = &graph.nodes[node];
    let Some(symbols) = analysis.facts[n.file].symbols.as_ref() else {
        return Vec::new();
    };
    let own: Option<u32> = match n.kind {
        NodeKind::Module => None,
        NodeKind::Def(_) => match n.defs.first() {
            Some(&d) => Some(d),
            None => return Vec::new(),
        },
    };
    // The calls the graph resolved: (line, name called).
    let resolved: std::collections::BTreeSet<(u32, &str)> = graph
        .used(node)
        .filter(|(_, e)| matches!(e.kind, EdgeKind::Call | EdgeKind::Instantiate))
        .flat_map(|(to, e)| {
            let name = last_name(&graph.nodes[to].name);
            e.sites.iter().map(move |s| (s.line, name))
        })
        .collect();
    let mut out = Vec::new();
    for u in symbols.uses.iter().filter(|u| {
        u.scope == own
            && matches!(
                u.kind,
                crate::facts::UseKind::Call | crate::facts::UseKind::New
            )
    }) {
        let Some(kind) = classify(&u.path) else {
            continue;
        };
        // A method of the repository's own class named like a query
        // (`self.repo.save`) is followed, not an effect.
        let called = last_name(u.path.trim_end_matches("()"));
        if resolved.contains(&(u.line, called)) {
            continue;
        }
        out.push(Effect {
            from: node,
            line: u.line,
            kind,
            call: u.path.clone(),
        });
    }
    out
}

/// The last name of a qualified name, whatever its separators.
fn last_name(name: &str) -> &str {
    name.rsplit(['.', '#', ':', '\\']).next().unwrap_or(name)
}

/// What a call written so does, when its names say it.
pub fn classify(path: &str) -> Option<EffectKind> {
    let segments: Vec<&str> = path.split('.').map(|s| s.trim_end_matches("()")).collect();
    let root = segments.first().copied().unwrap_or("");
    let last = segments.last().copied().unwrap_or("");
    let has = |name: &str| segments.contains(&name);
    if matches!(
        root,
        "requests" | "httpx" | "aiohttp" | "urllib3" | "fetch" | "axios" | "got" | "superagent"
    ) || last == "urlopen"
    {
        return Some(EffectKind::Http);
    }
    if matches!(
        last,
        "delay" | "apply_async" | "send_task" | "enqueue" | "basic_publish" | "send_message"
    ) {
        return Some(EffectKind::Queue);
    }
    if (root == "cache" || root == "caches" || has("redis") || has("cache"))
        && matches!(
            last,
            "get"
                | "set"
                | "delete"
                | "get_many"
                | "set_many"
                | "incr"
                | "decr"
                | "get_or_set"
                | "add"
                | "touch"
                | "expire"
                | "hget"
                | "hset"
        )
    {
        return Some(EffectKind::Cache);
    }
    if has("objects")
        || matches!(root, "cursor" | "connection" | "session" | "db")
        || has("session") && matches!(last, "query" | "execute" | "add" | "commit" | "scalars")
        || matches!(
            last,
            "execute"
                | "executemany"
                | "raw"
                | "select_related"
                | "prefetch_related"
                | "bulk_create"
                | "bulk_update"
                | "get_or_create"
                | "update_or_create"
                | "values_list"
                | "refresh_from_db"
        )
    {
        return Some(EffectKind::Database);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_classified_by_the_names_written() {
        assert_eq!(
            classify("Order.objects.select_related.get"),
            Some(EffectKind::Database)
        );
        assert_eq!(classify("cursor.execute"), Some(EffectKind::Database));
        assert_eq!(classify("requests.post"), Some(EffectKind::Http));
        assert_eq!(classify("cache.get"), Some(EffectKind::Cache));
        assert_eq!(classify("send_receipt.delay"), Some(EffectKind::Queue));
        // A dictionary's `get` or a list's `count` is nothing of these.
        assert_eq!(classify("data.get"), None);
        assert_eq!(classify("items.count"), None);
    }
}
