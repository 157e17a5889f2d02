//! HTTP endpoints, read from the registrations a web framework's code
//! writes: Django's `urlpatterns` and REST framework routers, Flask's
//! applications and blueprints, FastAPI's applications and routers,
//! Express's applications and routers, NestJS's controllers, Symfony's
//! `#[Route]` attributes, Laravel's route files.
//!
//! ## What it finds
//! Every endpoint: its methods, its full path (the prefixes of every
//! `include`, blueprint and router it is mounted through, joined as the
//! framework joins them), the view that handles it as the symbol graph
//! names it (and, for a class-based view, the method), where it is
//! registered, and the guards that apply (a decorator on the view, a
//! mixin or `permission_classes` on its class, a wrapper at the
//! registration, a dependency of a router), each with where it is
//! written. A registration that cannot be read statically (a route built
//! in a loop, a view from a variable) is listed as dynamic with its site.
//!
//! ## Why it matters
//! The coordinator asks in endpoints: what does `GET /api/orders/{id}`
//! call, which endpoints have no guard, which changed. Endpoints are the
//! entry points of a backend's symbol graph.
//!
//! ## Example
//! `shop_site/urls.py`: `path('api/', include('orders.urls'))`, and
//! `orders/urls.py`: `path('<int:pk>/', views.OrderView.as_view())`
//! where `OrderView` defines `get`: `GET /api/<int:pk>/`, handled by
//! `orders.views.OrderView` (method `orders.views.OrderView.get`).
//!
//! ## Limits
//! Views and routers are followed the way the symbol graph follows names
//! (imports, module variables, local variables of an application
//! factory); a route string must be a literal, a module constant, a
//! concatenation of those or a constructor's parameter bound to one.
//! Guards applied globally (REST framework's `DEFAULT_PERMISSION_CLASSES`,
//! Flask's `before_request`, NestJS's `APP_GUARD`, a Django middleware)
//! are not read: such endpoints show without a guard. Methods a framework class
//! outside the repository supplies are known for Django's and REST
//! framework's generic views and viewsets only; any other outside base
//! leaves the view's methods open (`*`). Views outside the repository
//! (`django.contrib.admin`) are listed without a handler.

mod php;
mod python;
mod script;

use serde::Serialize;

use crate::facts::{Expr, FileFacts, SymbolFacts};
use crate::project::{FileId, ProjectFiles};
use crate::resolve::Resolvers;
use crate::symbols::{Lookup, SymbolGraph, SymbolId};

/// The web framework an endpoint is registered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    Django,
    Flask,
    Fastapi,
    Express,
    Nest,
    Symfony,
    Laravel,
}

impl Framework {
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Django => "django",
            Framework::Flask => "flask",
            Framework::Fastapi => "fastapi",
            Framework::Express => "express",
            Framework::Nest => "nest",
            Framework::Symfony => "symfony",
            Framework::Laravel => "laravel",
        }
    }
}

/// A place in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Site {
    pub file: FileId,
    pub line: u32,
}

/// Where a guard is attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attached {
    /// On the view: a decorator, a mixin, `permission_classes`.
    Handler,
    /// At the registration: `login_required(View.as_view())` in a
    /// urlconf, a route's `dependencies`.
    Route,
    /// On what the route is mounted through: a router's or an
    /// `include_router`'s dependencies.
    Group,
}

impl Attached {
    pub fn as_str(self) -> &'static str {
        match self {
            Attached::Handler => "handler",
            Attached::Route => "route",
            Attached::Group => "group",
        }
    }
}

/// Something that applies to an endpoint's requests before its view: an
/// authentication or permission guard, or another decorator, wrapper or
/// dependency.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Guard {
    /// As written: `login_required`, `permission_classes: IsAuthenticated`.
    pub name: String,
    pub site: Site,
    pub on: Attached,
}

/// The view of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Handler {
    /// A function, or the class of a class-based view.
    pub view: SymbolId,
    /// For a class: the method handling the endpoint's methods, when the
    /// repository defines it.
    pub method: Option<SymbolId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// Uppercase, sorted; `["*"]` when any method reaches the view.
    pub methods: Vec<String>,
    /// The full path, as the framework joins it, from `/`.
    pub path: String,
    pub framework: Framework,
    /// `None`: the view is outside the repository or was not found.
    pub handler: Option<Handler>,
    /// The view as written, when it is not in the repository.
    pub view_written: Option<String>,
    /// The route's name (Django's `name=`, Flask's endpoint).
    pub name: Option<String>,
    pub site: Site,
    /// Authentication and permission guards, sorted.
    pub guards: Vec<Guard>,
    /// Other decorators, wrappers and dependencies, sorted.
    pub decorators: Vec<Guard>,
}

/// A registration that cannot be read statically.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dynamic {
    pub site: Site,
    pub framework: Framework,
    pub reason: String,
}

/// Every endpoint of a repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Routes {
    /// Sorted by path, methods, then site.
    pub routes: Vec<Route>,
    /// Sorted by site.
    pub dynamic: Vec<Dynamic>,
}

impl Routes {
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty() && self.dynamic.is_empty()
    }
}

/// What every framework's reader shares.
pub(crate) struct Reader<'a> {
    pub project: &'a ProjectFiles,
    pub facts: &'a [FileFacts],
    pub graph: &'a SymbolGraph,
    pub lookup: Lookup<'a>,
    pub routes: Vec<Route>,
    pub dynamic: Vec<Dynamic>,
}

impl Reader<'_> {
    fn dynamic(&mut self, site: Site, framework: Framework, reason: String) {
        self.dynamic.push(Dynamic {
            site,
            framework,
            reason,
        });
    }
}

// What every framework's reader shares.

/// The prefixes an object is served under, with the guards and other
/// decorators its mounts add.
pub(crate) type Prefixes = Vec<(String, Vec<Guard>, Vec<Guard>)>;

/// How many paths one object is served under are kept (a router
/// mounted in many places).
pub(crate) const MAX_PREFIXES: usize = 64;

/// How deep includes, mounts and lists are followed: real projects need
/// a few levels; a cycle needs a stop.
pub(crate) const MAX_DEPTH: usize = 16;

pub(crate) fn symbols_of<'a>(r: &Reader<'a>, file: FileId) -> Option<&'a SymbolFacts> {
    r.facts[file].symbols.as_ref()
}

pub(crate) fn symbols<'a>(r: &Reader<'a>, file: FileId) -> &'a SymbolFacts {
    r.facts[file]
        .symbols
        .as_ref()
        .expect("files with calls have symbol facts")
}

/// The callable or class a scope is code of: a module variable's own
/// definition is no scope of code.
pub(crate) fn code_scope(symbols: &SymbolFacts, mut scope: Option<u32>) -> Option<u32> {
    while let Some(d) = scope {
        let def = &symbols.defs[d as usize];
        if def.kind.is_callable() || def.kind.is_type() {
            return Some(d);
        }
        scope = def.parent;
    }
    None
}

/// A written path's last name.
pub(crate) fn last(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// An application or group of routes: a Flask application or blueprint,
/// a FastAPI application or router, an Express application or router.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Key {
    /// A module variable (or any definition) of the repository.
    Node(SymbolId),
    /// A local variable of a function (an application factory).
    Local(FileId, u32, String),
}

/// A parameter of a constructor, bound to what the call gives it: the
/// argument and where it is written.
pub(crate) type Bound<'a> = (&'a str, &'a Expr, FileId, Option<u32>);

/// The text of a string expression: a literal, a concatenation, a module
/// constant (`API_PREFIX + "orders/"`), a parameter of a constructor
/// bound to its argument. `None` for anything computed otherwise.
pub(crate) fn text_of(
    r: &Reader,
    file: FileId,
    scope: Option<u32>,
    expr: &Expr,
    params: &[Bound],
    depth: usize,
) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    match expr {
        Expr::Str(s) => Some(s.clone()),
        Expr::Concat(parts) => parts
            .iter()
            .map(|p| text_of(r, file, scope, p, params, depth + 1))
            .collect(),
        Expr::Path(p) => {
            if let Some((_, value, f, at)) = params.iter().find(|(name, ..)| name == p) {
                return text_of(r, *f, *at, value, &[], depth + 1);
            }
            let (met, _) = r.lookup.follow(file, scope, p, 0);
            let node = &r.graph.nodes[met?];
            let def = r.graph.def(r.facts, met?)?;
            if def.kind.is_callable() || def.kind.is_type() {
                return None;
            }
            let held = symbols_of(r, node.file)?.calls.iter().find(|c| {
                c.target.as_deref() == Some(def.name.as_str())
                    && !c.iterates
                    && !c.augmented
                    && c.scope == node.defs.first().copied()
            })?;
            text_of(r, node.file, held.scope, &held.value, &[], depth + 1)
        }
        _ => None,
    }
}

/// Objects mounted on others (Flask blueprints, FastAPI and Express
/// routers): every path an object is served under.
pub(crate) trait Mounts {
    /// Where an object was made, and by which framework.
    fn made(&self, key: &Key) -> (Site, Framework);

    /// An object's prefixes through its mounts (`stack`: the objects
    /// below it on the way).
    fn mounted(&self, r: &mut Reader, key: &Key, stack: &mut Vec<Key>) -> Prefixes;

    fn prefixes(&self, r: &mut Reader, key: &Key, stack: &mut Vec<Key>) -> Prefixes {
        // A mount cycle (`a` in `b` in `a`) serves nothing more.
        if stack.contains(key) {
            let (site, framework) = self.made(key);
            r.dynamic(
                site,
                framework,
                "a mount cycle: the paths through it are listed once".to_string(),
            );
            return Vec::new();
        }
        self.mounted(r, key, stack)
    }

    /// The prefixes of `parent`, with `key` on the way (cycles stop; the
    /// fan-out of many mounts is cut).
    fn prefixes_below(
        &self,
        r: &mut Reader,
        parent: &Key,
        key: &Key,
        stack: &mut Vec<Key>,
    ) -> Prefixes {
        stack.push(key.clone());
        let mut found = self.prefixes(r, parent, stack);
        stack.pop();
        found.truncate(MAX_PREFIXES);
        found
    }
}

/// The object an assignment makes: `app = Flask(__name__)` at module
/// level is the variable's node; inside a function (an application
/// factory), that function's local.
pub(crate) fn made_key(r: &Reader, file: FileId, call: &crate::facts::CallFact) -> Option<Key> {
    let s = symbols(r, file);
    let target = call.target.as_ref()?;
    match code_scope(s, call.scope) {
        Some(code) => Some(Key::Local(file, code, target.clone())),
        None => call
            .scope
            .filter(|&d| s.defs[d as usize].name == *target)
            .and_then(|d| r.graph.node(file, d))
            .map(Key::Node),
    }
}

/// The local object a name stands for in a scope of a file (the
/// innermost function binding it first), among `known`.
pub(crate) fn local_key<V>(
    r: &Reader,
    file: FileId,
    scope: Option<u32>,
    name: &str,
    known: &std::collections::BTreeMap<Key, V>,
) -> Option<Key> {
    let s = symbols(r, file);
    let mut code = code_scope(s, scope);
    while let Some(c) = code {
        let local = Key::Local(file, c, name.to_string());
        if known.contains_key(&local) {
            return Some(local);
        }
        code = code_scope(s, s.defs[c as usize].parent);
    }
    None
}

/// Reads the endpoints of every framework found. Needs the symbol graph
/// (views are definitions); without symbol facts there are none.
pub fn find(
    project: &ProjectFiles,
    facts: &[FileFacts],
    graph: &SymbolGraph,
    resolvers: &Resolvers,
) -> Routes {
    if graph.is_empty()
        || !facts
            .iter()
            .any(|f| f.symbols.as_ref().is_some_and(|s| !s.calls.is_empty()))
    {
        return Routes::default();
    }
    let mut reader = Reader {
        project,
        facts,
        graph,
        lookup: Lookup::new(graph, project, facts, resolvers),
        routes: Vec::new(),
        dynamic: Vec::new(),
    };
    python::read(&mut reader);
    script::read(&mut reader);
    php::read(&mut reader);
    let Reader {
        mut routes,
        mut dynamic,
        ..
    } = reader;
    for r in &mut routes {
        r.methods.sort();
        r.methods.dedup();
        r.guards.sort();
        r.guards.dedup();
        r.decorators.sort();
        r.decorators.dedup();
    }
    let key = |r: &Route| {
        (
            r.path.clone(),
            r.methods.clone(),
            project.path(r.site.file).to_string(),
            r.site.line,
            r.handler,
        )
    };
    routes.sort_by_cached_key(key);
    routes.dedup();
    dynamic.sort_by(|a, b| {
        (project.path(a.site.file), a.site.line, &a.reason).cmp(&(
            project.path(b.site.file),
            b.site.line,
            &b.reason,
        ))
    });
    dynamic.dedup();
    Routes { routes, dynamic }
}

/// A path's segments with every parameter as `{}` (`<int:pk>`,
/// `(?P<pk>[^/.]+)`, `{id}`, `:id` alike), without empty segments, so
/// that paths written for different frameworks, or a concrete one,
/// compare.
pub fn shape(path: &str) -> Vec<String> {
    let mut out = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' | '{' => {
                let close = if c == '<' { '>' } else { '}' };
                for d in chars.by_ref() {
                    if d == close {
                        break;
                    }
                }
                out.push_str("{}");
            }
            '(' => {
                // A regex group, nested ones included.
                let mut depth = 1;
                for d in chars.by_ref() {
                    match d {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                out.push_str("{}");
            }
            '\\' => {
                // `\.` in a regex route is a dot.
                if let Some(d) = chars.next() {
                    out.push(d);
                }
            }
            '^' | '$' | '?' => {}
            _ => out.push(c),
        }
    }
    out.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with(':') {
                "{}".to_string()
            } else {
                s.to_string()
            }
        })
        .collect()
}

/// Whether a route's path answers a path asked (written with parameters
/// or concrete: `/api/orders/7/`).
pub fn path_matches(route: &str, asked: &str) -> bool {
    let (route, asked) = (shape(route), shape(asked));
    route.len() == asked.len()
        && route
            .iter()
            .zip(&asked)
            .all(|(r, a)| r == a || r == "{}" || a == "{}")
}

/// An endpoint a change reaches: its handler (or a method the framework
/// calls on its view) is among the definitions reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reached<'a> {
    pub route: &'a Route,
    /// The definition reached that the endpoint starts from.
    pub through: SymbolId,
    /// Its depth in the impact (0: changed itself).
    pub depth: usize,
    /// Reached only weakly.
    pub weak: bool,
}

impl Routes {
    /// The endpoints whose flow starts at one of `reached` (node, depth,
    /// weak), each through its shallowest, strong before weak; in the
    /// routes' order.
    pub fn reached<'a>(
        &'a self,
        starts: impl Fn(&Route) -> Vec<SymbolId>,
        reached: &[(SymbolId, usize, bool)],
    ) -> Vec<Reached<'a>> {
        let mut best: std::collections::HashMap<SymbolId, (bool, usize)> =
            std::collections::HashMap::new();
        for &(node, depth, weak) in reached {
            let entry = best.entry(node).or_insert((weak, depth));
            if (weak, depth) < *entry {
                *entry = (weak, depth);
            }
        }
        self.routes
            .iter()
            .filter_map(|route| {
                starts(route)
                    .into_iter()
                    .filter_map(|s| best.get(&s).map(|&(weak, depth)| (weak, depth, s)))
                    .min()
                    .map(|(weak, depth, through)| Reached {
                        route,
                        through,
                        depth,
                        weak,
                    })
            })
            .collect()
    }

    /// The routes a query names: `GET /api/orders/{id}`, a path alone,
    /// or a view's symbol (its qualified name or a tail of it).
    pub fn matching<'a>(&'a self, graph: &SymbolGraph, query: &str) -> Vec<&'a Route> {
        let query = query.trim();
        let (method, rest) = match query.split_once(char::is_whitespace) {
            Some((m, rest)) if m.chars().all(|c| c.is_ascii_alphabetic()) => {
                (Some(m.to_ascii_uppercase()), rest.trim())
            }
            _ => (None, query),
        };
        if rest.starts_with('/') {
            return self
                .routes
                .iter()
                .filter(|r| {
                    method
                        .as_ref()
                        .is_none_or(|m| r.methods.iter().any(|x| x == "*" || x == m))
                        && path_matches(&r.path, rest)
                })
                .collect();
        }
        let found: std::collections::BTreeSet<SymbolId> = graph.find(rest).into_iter().collect();
        self.routes
            .iter()
            .filter(|r| {
                r.handler.is_some_and(|h| {
                    found.contains(&h.view) || h.method.is_some_and(|m| found.contains(&m))
                })
            })
            .collect()
    }
}
