//! HTTP endpoints, read from the registrations a web framework's code
//! writes: Django's `urlpatterns` and REST framework routers, Flask's
//! applications and blueprints, FastAPI's applications and routers.
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
//! factory); a route string must be a literal. Methods a framework class
//! outside the repository supplies are known for Django's and REST
//! framework's generic views and viewsets only; any other outside base
//! leaves the view's methods open (`*`). Views outside the repository
//! (`django.contrib.admin`) are listed without a handler.

mod python;

use serde::Serialize;

use crate::facts::FileFacts;
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
}

impl Framework {
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Django => "django",
            Framework::Flask => "flask",
            Framework::Fastapi => "fastapi",
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

impl Routes {
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
