//! Python's web frameworks: Django (urlconfs, class-based views, REST
//! framework routers and viewsets), Flask (applications, blueprints,
//! `add_url_rule`, `MethodView`) and FastAPI (applications, routers).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::facts::{Arg, CallFact, Expr, SymbolFacts, argument, keyword};
use crate::lang::LanguageFamily;
use crate::project::FileId;
use crate::symbols::{Followed, NodeKind, SymbolId};

use super::{
    Attached, Bound, Framework, Guard, Handler, Key, MAX_DEPTH, Mounts, Prefixes, Reader, Route,
    Site, code_scope, last, made_key, symbols, symbols_of, text_of,
};

const HTTP_METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];

pub(super) fn read(r: &mut Reader) {
    let files: Vec<FileId> = (0..r.facts.len())
        .filter(|&f| {
            r.project.get(f).language.family() == LanguageFamily::Python
                && r.facts[f]
                    .symbols
                    .as_ref()
                    .is_some_and(|s| !s.calls.is_empty())
        })
        .collect();
    if files.is_empty() {
        return;
    }
    Django::new(r, &files).read(r);
    Mounted::new(r, &files).read(r);
}

/// The name a decorator or wrapper is known by: `login_required`,
/// `method_decorator(login_required)` → `login_required`,
/// `permission_required('x')` → `permission_required`.
fn decorator_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) => Some(p.clone()),
        Expr::Call {
            receiver,
            name,
            args,
            ..
        } => {
            if name == "method_decorator" {
                return args.first().and_then(|a| match &a.value {
                    Expr::List(items) => items.first().and_then(decorator_name),
                    other => decorator_name(other),
                });
            }
            match (receiver, name.is_empty()) {
                (Some(r), true) => decorator_name(r),
                (Some(r), false) => match r.as_ref() {
                    Expr::Path(p) => Some(format!("{p}.{name}")),
                    _ => Some(name.clone()),
                },
                (None, _) => Some(name.clone()),
            }
        }
        _ => None,
    }
}

/// Whether a decorator, wrapper, mixin or dependency named so
/// authenticates or authorises.
fn is_guard(name: &str) -> bool {
    let last = last(name).to_ascii_lowercase();
    [
        "login_required",
        "permission",
        "auth",
        "jwt",
        "staff_member",
        "superuser",
        "roles_",
        "user_passes_test",
        "token_required",
        "admin_required",
        "current_user",
        "current_active_user",
        "require_user",
        "requires_user",
        "loginrequired",
        "accessmixin",
    ]
    .iter()
    .any(|w| last.contains(w))
}

/// Uppercase method names of a list of string literals.
fn methods_of(expr: Option<&Expr>) -> Option<Vec<String>> {
    match expr? {
        Expr::List(items) => Some(
            items
                .iter()
                .filter_map(Expr::as_str)
                .map(str::to_ascii_uppercase)
                .collect(),
        ),
        Expr::Str(s) => Some(vec![s.to_ascii_uppercase()]),
        _ => None,
    }
}

/// Methods (or viewset actions) a framework class outside the repository
/// supplies, by its name.
fn outside_methods(base: &str) -> Option<&'static [&'static str]> {
    Some(match base {
        "View" | "APIView" | "GenericAPIView" | "MethodView" | "ContextMixin" => &[],
        "TemplateView" | "ListView" | "DetailView" | "ArchiveIndexView" | "YearArchiveView"
        | "MonthArchiveView" | "WeekArchiveView" | "DayArchiveView" | "TodayArchiveView"
        | "DateDetailView" | "ListAPIView" | "RetrieveAPIView" => &["get"],
        // `ProcessFormView` answers `put` as `post`.
        "FormView"
        | "CreateView"
        | "UpdateView"
        | "LoginView"
        | "PasswordChangeView"
        | "PasswordResetView"
        | "PasswordResetConfirmView" => &["get", "post", "put"],
        "DeleteView" => &["get", "post", "delete"],
        "RedirectView" => &["get", "post", "put", "patch", "delete"],
        "CreateAPIView" => &["post"],
        "DestroyAPIView" => &["delete"],
        "UpdateAPIView" => &["put", "patch"],
        "ListCreateAPIView" => &["get", "post"],
        "RetrieveUpdateAPIView" => &["get", "put", "patch"],
        "RetrieveDestroyAPIView" => &["get", "delete"],
        "RetrieveUpdateDestroyAPIView" => &["get", "put", "patch", "delete"],
        _ => return None,
    })
}

fn outside_actions(base: &str) -> Option<&'static [&'static str]> {
    Some(match base {
        "ViewSet" | "GenericViewSet" | "ViewSetMixin" => &[],
        "ModelViewSet" => &[
            "list",
            "create",
            "retrieve",
            "update",
            "partial_update",
            "destroy",
        ],
        "ReadOnlyModelViewSet" => &["list", "retrieve"],
        "ListModelMixin" => &["list"],
        "CreateModelMixin" => &["create"],
        "RetrieveModelMixin" => &["retrieve"],
        "UpdateModelMixin" => &["update", "partial_update"],
        "DestroyModelMixin" => &["destroy"],
        _ => return None,
    })
}

/// What REST framework's router maps a viewset action to: (method, on the
/// detail path).
fn router_action(action: &str) -> Option<(&'static str, bool)> {
    Some(match action {
        "list" => ("GET", false),
        "create" => ("POST", false),
        "retrieve" => ("GET", true),
        "update" => ("PUT", true),
        "partial_update" => ("PATCH", true),
        "destroy" => ("DELETE", true),
        _ => return None,
    })
}

/// What is known of a class of the repository: its linearisation, the
/// names of its bases outside the repository, and its members.
struct Class {
    mro: Vec<SymbolId>,
    /// Some base is outside the repository or unknown.
    open: bool,
    /// Last names of the bases outside the repository, in order.
    outside: Vec<String>,
}

impl Class {
    fn of(r: &Reader, class: SymbolId) -> Class {
        let (mro, open) = r.lookup.linearisation(class);
        let mut outside = Vec::new();
        if open {
            for &c in &mro {
                let n = &r.graph.nodes[c];
                let Some(def) = r.graph.def(r.facts, c) else {
                    continue;
                };
                for base in &def.bases {
                    let (met, _) = r.lookup.follow(n.file, def.parent, base, n.lines.0);
                    let inside = met.is_some_and(
                        |m| matches!(r.graph.nodes[m].kind, NodeKind::Def(k) if k.is_type()),
                    );
                    if !inside {
                        outside.push(last(base).to_string());
                    }
                }
            }
        }
        Class { mro, open, outside }
    }

    /// The first callable named `name` along the linearisation.
    fn member(&self, r: &Reader, name: &str) -> Option<SymbolId> {
        self.mro.iter().find_map(|&c| child(r, c, name, true))
    }

    /// The first class-level name `name` along the linearisation, with
    /// its value as written and its line.
    fn attribute<'r>(&self, r: &'r Reader, name: &str) -> Option<(FileId, &'r Expr, u32)> {
        for &c in &self.mro {
            let n = &r.graph.nodes[c];
            let Some(&def) = n.defs.first() else { continue };
            let s = symbols_of(r, n.file)?;
            let in_class = |scope: Option<u32>| {
                scope == Some(def)
                    || scope.is_some_and(|d| {
                        let d = &s.defs[d as usize];
                        d.parent == Some(def) && !d.kind.is_callable()
                    })
            };
            if let Some(c) = s
                .calls
                .iter()
                .find(|c| c.target.as_deref() == Some(name) && in_class(c.scope))
            {
                return Some((n.file, &c.value, c.line));
            }
        }
        None
    }
}

/// A definition named `name` directly inside the node's definition.
fn child(r: &Reader, node: SymbolId, name: &str, callable: bool) -> Option<SymbolId> {
    let n = &r.graph.nodes[node];
    let &def = n.defs.first()?;
    let s = r.facts[n.file].symbols.as_ref()?;
    s.defs
        .iter()
        .enumerate()
        .find(|(_, d)| {
            d.parent == Some(def) && d.name == name && (!callable || d.kind.is_callable())
        })
        .and_then(|(i, _)| r.graph.node(n.file, i as u32))
}

/// The decorators of a definition, with their lines.
fn decorators<'r>(r: &'r Reader, node: SymbolId) -> Vec<(&'r Expr, u32)> {
    let n = &r.graph.nodes[node];
    let Some(&def) = n.defs.first() else {
        return Vec::new();
    };
    symbols(r, n.file)
        .calls
        .iter()
        .filter(|c| c.decorator && c.scope == Some(def))
        .map(|c| (&c.value, c.line))
        .collect()
}

/// Guards and other decorators of a view (its decorators, and a class's
/// mixins, `permission_classes` and method decorators).
fn view_guards(
    r: &Reader,
    view: SymbolId,
    class: Option<&Class>,
    methods: &[SymbolId],
    guards: &mut Vec<Guard>,
    others: &mut Vec<Guard>,
) {
    let mut holders = vec![view];
    holders.extend(methods.iter().copied());
    if let Some(class) = class
        && let Some(dispatch) = class.member(r, "dispatch")
    {
        holders.push(dispatch);
    }
    for holder in holders {
        let file = r.graph.nodes[holder].file;
        for (expr, line) in decorators(r, holder) {
            let Some(name) = decorator_name(expr) else {
                continue;
            };
            let site = Site { file, line };
            if is_route_decorator(expr) {
                continue;
            }
            // `@permission_classes([IsAuthenticated])`: each class a
            // guard, `AllowAny` none (as the class attribute).
            if let Some((None, "permission_classes", args, _)) = expr.as_call() {
                let classes: &[Expr] = match args.first().map(|a| &a.value) {
                    Some(Expr::List(items)) => items,
                    Some(other) => std::slice::from_ref(other),
                    None => &[],
                };
                for class in classes {
                    if let Some(name) = decorator_name(class)
                        && last(&name) != "AllowAny"
                    {
                        guards.push(Guard {
                            name: last(&name).to_string(),
                            site,
                            on: Attached::Handler,
                        });
                    }
                }
                continue;
            }
            let guard = Guard {
                name,
                site,
                on: Attached::Handler,
            };
            if is_guard(&guard.name) {
                guards.push(guard);
            } else {
                others.push(guard);
            }
        }
    }
    let Some(class) = class else { return };
    for &c in &class.mro {
        let n = &r.graph.nodes[c];
        let Some(def) = r.graph.def(r.facts, c) else {
            continue;
        };
        for base in &def.bases {
            let name = last(base);
            if name.ends_with("Mixin") && is_guard(name) {
                guards.push(Guard {
                    name: name.to_string(),
                    site: Site {
                        file: n.file,
                        line: n.lines.0,
                    },
                    on: Attached::Handler,
                });
            }
        }
    }
    // REST framework's `permission_classes = [IsAuthenticated]`: each
    // class a guard; `[AllowAny]` alone says the view is public. Flask's
    // `decorators = [login_required]` on a `MethodView`.
    for attribute in ["permission_classes", "decorators"] {
        let Some((file, value, line)) = class.attribute(r, attribute) else {
            continue;
        };
        let items: &[Expr] = match value {
            Expr::List(items) => items,
            other => std::slice::from_ref(other),
        };
        for item in items {
            let Some(name) = decorator_name(item) else {
                continue;
            };
            if last(&name) == "AllowAny" {
                continue;
            }
            let guard = Guard {
                name: last(&name).to_string(),
                site: Site { file, line },
                on: Attached::Handler,
            };
            if attribute != "decorators" || is_guard(&name) {
                guards.push(guard);
            } else {
                others.push(guard);
            }
        }
    }
}

/// A decorator that registers a route or restricts methods, not a guard.
fn is_route_decorator(expr: &Expr) -> bool {
    let name = match expr {
        Expr::Path(p) => last(p).to_string(),
        Expr::Call { name, .. } => name.clone(),
        _ => return false,
    };
    matches!(
        name.as_str(),
        "route"
            | "get"
            | "post"
            | "put"
            | "patch"
            | "delete"
            | "head"
            | "options"
            | "api_route"
            | "websocket"
            | "action"
            | "api_view"
            | "require_http_methods"
            | "require_GET"
            | "require_POST"
            | "require_safe"
    )
}

/// Joins Django route strings: each without its regex anchors.
fn django_join(prefix: &str, route: &str) -> String {
    let route = route.strip_prefix('^').unwrap_or(route);
    let route = route.strip_prefix("\\A").unwrap_or(route);
    let route = route.strip_suffix('$').unwrap_or(route);
    let route = route.strip_suffix("\\Z").unwrap_or(route);
    format!("{prefix}{route}")
}

/// `router.register(prefix, viewset, basename=...)`.
#[derive(Clone)]
struct Registered {
    prefix: Expr,
    viewset: Expr,
    basename: Option<String>,
    site: Site,
    scope: Option<u32>,
}

/// The values given to a name, each with its line and scope, in order.
type Values = Vec<(Expr, u32, Option<u32>)>;

struct Router {
    trailing_slash: &'static str,
    registered: Vec<Registered>,
}

struct Django {
    /// Module files by dotted name.
    modules: HashMap<String, FileId>,
    /// The values given to module-level names that hold patterns
    /// (`urlpatterns`, `extra = [path(...)]`), by (file, name): each
    /// value with its line and scope, in order.
    lists: HashMap<(FileId, String), Values>,
    routers: BTreeMap<SymbolId, Router>,
    /// `ROOT_URLCONF` values found in settings.
    root_names: BTreeSet<String>,
    /// Urlconfs included from another one (to find the roots when no
    /// settings name one).
    included: BTreeSet<FileId>,
}

/// What applies to every pattern under an include.
#[derive(Clone, Default)]
struct Scope {
    prefix: String,
    guards: Vec<Guard>,
    others: Vec<Guard>,
    depth: usize,
}

impl Django {
    fn new(r: &Reader, files: &[FileId]) -> Django {
        let modules = r
            .graph
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Module)
            .filter(|n| r.project.get(n.file).language.family() == LanguageFamily::Python)
            .map(|n| (n.name.clone(), n.file))
            .collect();
        let mut django = Django {
            modules,
            lists: HashMap::new(),
            routers: BTreeMap::new(),
            root_names: BTreeSet::new(),
            included: BTreeSet::new(),
        };
        for &file in files {
            let s = symbols(r, file);
            for call in &s.calls {
                django.note(r, file, s, call);
            }
        }
        for f in 0..r.facts.len() {
            let Some(s) = r.facts[f].symbols.as_ref() else {
                continue;
            };
            for b in s.bindings.iter().filter(|b| b.name == "ROOT_URLCONF") {
                let value = b.value.trim();
                let unquoted = value
                    .strip_prefix(['\'', '"'])
                    .and_then(|v| v.strip_suffix(['\'', '"']));
                if let Some(name) = unquoted {
                    django.root_names.insert(name.to_string());
                }
            }
        }
        django
    }

    /// Reads one call of a file: a list of patterns given to a name, a
    /// router made or registered with.
    fn note(&mut self, r: &Reader, file: FileId, s: &SymbolFacts, call: &CallFact) {
        let at_module = code_scope(s, call.scope).is_none();
        if call.decorator || call.iterates || !at_module {
            return;
        }
        if let Some(target) = &call.target {
            if let Some((_, name, args, _)) = call.value.as_call()
                && matches!(name, "DefaultRouter" | "SimpleRouter")
            {
                let Some(node) = call
                    .scope
                    .filter(|&d| s.defs[d as usize].name == *target)
                    .and_then(|d| r.graph.node(file, d))
                else {
                    return;
                };
                let slash = match keyword(args, "trailing_slash") {
                    Some(Expr::Other(v)) if v == "False" => "",
                    Some(Expr::Str(s)) if s.is_empty() => "",
                    _ => "/",
                };
                self.routers.entry(node).or_insert(Router {
                    trailing_slash: slash,
                    registered: Vec::new(),
                });
                return;
            }
            if matches!(call.value, Expr::Call { .. }) && target != "urlpatterns" {
                return;
            }
            let list = self.lists.entry((file, target.clone())).or_default();
            if call.augmented {
                list.push((call.value.clone(), call.line, call.scope));
                return;
            }
            // `urlpatterns = [...] + urlpatterns` keeps what it had.
            let previous = std::mem::take(list);
            let parts = match &call.value {
                Expr::Concat(parts) => parts.clone(),
                value => vec![value.clone()],
            };
            // `urlpatterns = format_suffix_patterns(urlpatterns)`: the
            // name inside stands for what it held.
            let held = Expr::List(previous.iter().map(|(e, ..)| e.clone()).collect());
            for part in parts {
                if matches!(&part, Expr::Path(p) if p == target) {
                    list.extend(previous.iter().cloned());
                } else {
                    list.push((substitute(&part, target, &held), call.line, call.scope));
                }
            }
            return;
        }
        let Some((Some(Expr::Path(receiver)), name, args, line)) = call.value.as_call() else {
            return;
        };
        match name {
            "append" | "insert" | "extend" => {
                let Some(value) = args.iter().rev().find(|a| a.name.is_none()) else {
                    return;
                };
                let value = if name == "extend" {
                    value.value.clone()
                } else {
                    Expr::List(vec![value.value.clone()])
                };
                self.lists
                    .entry((file, receiver.clone()))
                    .or_default()
                    .push((value, line, call.scope));
            }
            "register" => {
                let (Some(prefix), Some(viewset)) =
                    (argument(args, 0, "prefix"), argument(args, 1, "viewset"))
                else {
                    return;
                };
                let (met, _) = r.lookup.follow(file, call.scope, receiver, line);
                // The router is read after every file: kept by node.
                let basename = keyword(args, "basename")
                    .or_else(|| keyword(args, "base_name"))
                    .and_then(Expr::as_str)
                    .map(str::to_string);
                if let Some(router) = met {
                    self.routers
                        .entry(router)
                        .or_insert(Router {
                            trailing_slash: "/",
                            registered: Vec::new(),
                        })
                        .registered
                        .push(Registered {
                            prefix: prefix.clone(),
                            viewset: viewset.clone(),
                            basename,
                            site: Site { file, line },
                            scope: call.scope,
                        });
                }
            }
            _ => {}
        }
    }

    fn read(mut self, r: &mut Reader) {
        // Routers registered with but never made as one are no routers.
        let made: BTreeSet<SymbolId> = self
            .routers
            .keys()
            .copied()
            .filter(|&n| {
                let node = &r.graph.nodes[n];
                symbols(r, node.file).calls.iter().any(|c| {
                    c.target.as_deref() == node.name.rsplit('.').next()
                        && matches!(
                            c.value.as_call(),
                            Some((_, "DefaultRouter" | "SimpleRouter", ..))
                        )
                })
            })
            .collect();
        self.routers.retain(|n, _| made.contains(n));
        let confs: Vec<FileId> = self
            .lists
            .keys()
            .filter(|(_, name)| name == "urlpatterns")
            .map(|(f, _)| *f)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if confs.is_empty() {
            return;
        }
        let named: Vec<FileId> = self
            .root_names
            .iter()
            .filter_map(|n| self.modules.get(n).copied())
            .filter(|f| confs.contains(f))
            .collect();
        let roots = if named.is_empty() {
            // No settings name the root: every urlconf no other includes
            // (found by reading them all once, the answer thrown away).
            let (routes, dynamic) = (r.routes.len(), r.dynamic.len());
            for &conf in &confs {
                self.conf(r, conf, &Scope::default(), &mut vec![conf]);
            }
            r.routes.truncate(routes);
            r.dynamic.truncate(dynamic);
            confs
                .iter()
                .copied()
                .filter(|c| !self.included.contains(c))
                .collect()
        } else {
            named
        };
        for root in roots {
            let scope = Scope {
                prefix: "/".to_string(),
                ..Scope::default()
            };
            self.conf(r, root, &scope, &mut vec![root]);
        }
    }

    /// The patterns of a urlconf, under `scope`.
    fn conf(&mut self, r: &mut Reader, file: FileId, scope: &Scope, stack: &mut Vec<FileId>) {
        let Some(values) = self.lists.get(&(file, "urlpatterns".to_string())).cloned() else {
            return;
        };
        for (value, line, at) in values {
            self.items(r, file, at, &value, line, scope, stack);
        }
    }

    /// The patterns a value holds.
    #[allow(clippy::too_many_arguments)]
    fn items(
        &mut self,
        r: &mut Reader,
        file: FileId,
        at: Option<u32>,
        value: &Expr,
        line: u32,
        scope: &Scope,
        stack: &mut Vec<FileId>,
    ) {
        if scope.depth > MAX_DEPTH {
            return;
        }
        let site = |line| Site { file, line };
        match value {
            Expr::List(items) | Expr::Concat(items) => {
                for item in items {
                    self.items(r, file, at, item, line, scope, stack);
                }
            }
            Expr::Call {
                receiver: None,
                name,
                args,
                line,
            } => match name.as_str() {
                "path" | "re_path" | "url" => self.pattern(r, file, at, args, *line, scope, stack),
                "i18n_patterns" | "format_suffix_patterns" => {
                    for a in args
                        .iter()
                        .filter(|a| a.name.is_none() || a.name.as_deref() == Some("*"))
                    {
                        self.items(r, file, at, &a.value, *line, scope, stack);
                    }
                }
                // Static files, served in development only.
                "static" | "staticfiles_urlpatterns" => {}
                _ => r.dynamic(
                    site(*line),
                    Framework::Django,
                    format!("patterns from a call: {}", value.text()),
                ),
            },
            Expr::Path(path) => {
                if !self.included_path(r, file, at, path, line, scope, stack) {
                    r.dynamic(
                        site(line),
                        Framework::Django,
                        format!("patterns from a name not followed: {path}"),
                    );
                }
            }
            _ => r.dynamic(
                site(line),
                Framework::Django,
                format!("patterns not read statically: {}", value.text()),
            ),
        }
    }

    /// A name holding patterns: a router's `urls`, a module, a list.
    /// `false` when it is none of these.
    #[allow(clippy::too_many_arguments)]
    fn included_path(
        &mut self,
        r: &mut Reader,
        file: FileId,
        at: Option<u32>,
        path: &str,
        line: u32,
        scope: &Scope,
        stack: &mut Vec<FileId>,
    ) -> bool {
        if let Some(router) = path.strip_suffix(".urls") {
            let (met, value) = r.lookup.follow(file, at, router, line);
            if let Some(node) = met
                && self.routers.contains_key(&node)
            {
                self.router(r, node, scope);
                return true;
            }
            if let Followed::Module(f) = value {
                return self.include_module(r, f, scope, stack);
            }
            // `admin.site.urls`: patterns from outside.
            if value == Followed::External || met.is_none() && value != Followed::Unknown {
                return true;
            }
        }
        let (met, value) = r.lookup.follow(file, at, path, line);
        if let Followed::Module(f) = value {
            return self.include_module(r, f, scope, stack);
        }
        if value == Followed::External {
            return true;
        }
        if let Some(node) = met {
            let n = &r.graph.nodes[node];
            let name = last(&n.name).to_string();
            if let Some(values) = self.lists.get(&(n.file, name)).cloned() {
                let inner = Scope {
                    depth: scope.depth + 1,
                    ..scope.clone()
                };
                for (value, line, at) in values {
                    self.items(r, n.file, at, &value, line, &inner, stack);
                }
                return true;
            }
        }
        false
    }

    fn include_module(
        &mut self,
        r: &mut Reader,
        file: FileId,
        scope: &Scope,
        stack: &mut Vec<FileId>,
    ) -> bool {
        if !self.lists.contains_key(&(file, "urlpatterns".to_string())) {
            return false;
        }
        self.included.insert(file);
        if stack.contains(&file) || stack.len() > MAX_DEPTH {
            return true;
        }
        stack.push(file);
        let inner = Scope {
            depth: scope.depth + 1,
            ..scope.clone()
        };
        self.conf(r, file, &inner, stack);
        stack.pop();
        true
    }

    /// `path(route, view, name=...)`.
    #[allow(clippy::too_many_arguments)]
    fn pattern(
        &mut self,
        r: &mut Reader,
        file: FileId,
        at: Option<u32>,
        args: &[Arg],
        line: u32,
        scope: &Scope,
        stack: &mut Vec<FileId>,
    ) {
        let site = Site { file, line };
        let route = argument(args, 0, "route").or_else(|| keyword(args, "regex"));
        let Some(route) = route.and_then(|e| text_of(r, file, at, e, &[], 0)) else {
            let written = route.map_or_else(|| "nothing".to_string(), Expr::text);
            r.dynamic(
                site,
                Framework::Django,
                format!("a route not read statically: {written}"),
            );
            return;
        };
        let route = route.as_str();
        let Some(view) = argument(args, 1, "view") else {
            r.dynamic(
                site,
                Framework::Django,
                "a pattern without a view".to_string(),
            );
            return;
        };
        let inner = Scope {
            prefix: django_join(&scope.prefix, route),
            depth: scope.depth + 1,
            ..scope.clone()
        };
        let name = keyword(args, "name")
            .and_then(Expr::as_str)
            .map(str::to_string);
        self.view(r, file, at, view, site, &inner, name, stack);
    }

    /// The view of a pattern, or what it includes.
    #[allow(clippy::too_many_arguments)]
    fn view(
        &mut self,
        r: &mut Reader,
        file: FileId,
        at: Option<u32>,
        view: &Expr,
        site: Site,
        scope: &Scope,
        name: Option<String>,
        stack: &mut Vec<FileId>,
    ) {
        if scope.depth > MAX_DEPTH {
            return;
        }
        match view {
            Expr::Call {
                receiver: None,
                name: include,
                args,
                ..
            } if include == "include" => {
                self.include(r, file, at, args, site, scope, stack);
            }
            Expr::Call {
                receiver: Some(class),
                name: as_view,
                args,
                ..
            } if as_view == "as_view" => {
                // `View.as_view()`, or on an instance: `View().as_view()`.
                let path = match class.as_ref() {
                    Expr::Path(path) => path.clone(),
                    Expr::Call {
                        receiver: None,
                        name,
                        ..
                    } => name.clone(),
                    Expr::Call {
                        receiver: Some(receiver),
                        name,
                        ..
                    } if matches!(receiver.as_ref(), Expr::Path(_)) && !name.is_empty() => {
                        format!("{}.{name}", receiver.text())
                    }
                    _ => {
                        r.dynamic(
                            site,
                            Framework::Django,
                            format!("a view not read statically: {}", view.text()),
                        );
                        return;
                    }
                };
                let path = path.as_str();
                let (met, value) = r.lookup.follow(file, at, path, site.line);
                let class_node = met
                    .filter(|&m| matches!(r.graph.nodes[m].kind, NodeKind::Def(k) if k.is_type()));
                match class_node {
                    Some(class) => {
                        let actions = match argument(args, 0, "actions") {
                            Some(Expr::Map(pairs)) => Some(pairs.as_slice()),
                            _ => None,
                        };
                        self.class_view(r, class, actions, site, scope, name);
                    }
                    None => outside_view(r, path, value, site, scope, name, Framework::Django),
                }
            }
            // A function of the repository that makes the view
            // (`static_file_with_host_resolver('js/sw.js')`): the function
            // it returns.
            Expr::Call {
                receiver,
                name: callee,
                ..
            } if !callee.is_empty()
                && receiver
                    .as_deref()
                    .is_none_or(|r| matches!(r, Expr::Path(_)))
                && self.made_view(r, file, at, view, site).is_some() =>
            {
                let made = self.made_view(r, file, at, view, site).expect("checked");
                function_view(r, made, site, scope, name);
            }
            // A wrapper: `login_required(view)`, `csrf_exempt(view)`,
            // `cache_page(60)(view)`.
            Expr::Call { args, .. } if args.first().is_some_and(|a| a.name.is_none()) => {
                let wrapped = &args[0].value;
                let mut inner = scope.clone();
                if let Some(wrapper) = decorator_name(view) {
                    let guard = Guard {
                        name: wrapper,
                        site,
                        on: Attached::Route,
                    };
                    if is_guard(&guard.name) {
                        inner.guards.push(guard);
                    } else {
                        inner.others.push(guard);
                    }
                }
                self.view(r, file, at, wrapped, site, &inner, name, stack);
            }
            Expr::Path(path) => {
                let (met, value) = r.lookup.follow(file, at, path, site.line);
                match met.map(|m| (m, r.graph.nodes[m].kind)) {
                    Some((node, NodeKind::Def(k))) if k.is_callable() => {
                        function_view(r, node, site, scope, name);
                    }
                    Some((node, NodeKind::Def(k))) if k.is_type() => {
                        self.class_view(r, node, None, site, scope, name);
                    }
                    _ => {
                        if !self.included_path(r, file, at, path, site.line, scope, stack) {
                            outside_view(r, path, value, site, scope, name, Framework::Django);
                        }
                    }
                }
            }
            // A lambda: an endpoint, with no definition to name.
            Expr::Function(..) => r.routes.push(Route {
                methods: vec!["*".to_string()],
                path: scope.prefix.clone(),
                framework: Framework::Django,
                handler: None,
                view_written: Some("inline function".to_string()),
                name,
                site,
                guards: scope.guards.clone(),
                decorators: scope.others.clone(),
            }),
            other => r.dynamic(
                site,
                Framework::Django,
                format!("a view not read statically: {}", other.text()),
            ),
        }
    }

    /// The function a call of a view factory of the repository returns:
    /// a function defined inside it, named by its `return`.
    fn made_view(
        &self,
        r: &Reader,
        file: FileId,
        at: Option<u32>,
        call: &Expr,
        site: Site,
    ) -> Option<SymbolId> {
        let Expr::Call {
            receiver,
            name,
            args,
            ..
        } = call
        else {
            return None;
        };
        // A call given a view is a wrapper (`staff_required(views.home)`,
        // a decorator of the repository), not a factory.
        let wraps_a_view = args
            .iter()
            .filter(|a| a.name.is_none())
            .any(|a| match &a.value {
                Expr::Path(p) => r.lookup.follow(file, at, p, site.line).0.is_some_and(|n| {
                    matches!(r.graph.nodes[n].kind, NodeKind::Def(k) if k.is_callable() || k.is_type())
                }),
                Expr::Call { name, .. } => name == "as_view",
                _ => false,
            });
        if wraps_a_view {
            return None;
        }
        let callee = match receiver.as_deref() {
            Some(r) => format!("{}.{name}", r.text()),
            None => name.clone(),
        };
        let (met, _) = r.lookup.follow(file, at, &callee, site.line);
        let factory = met?;
        if !matches!(r.graph.nodes[factory].kind, NodeKind::Def(k) if k.is_callable()) {
            return None;
        }
        let returned = r.graph.def(r.facts, factory)?.returned.as_deref()?;
        child(r, factory, returned, true)
    }

    /// `include(module)`, `include([patterns])`, `include((patterns,
    /// app_name))`, `include(router.urls)`: patterns under `scope`.
    #[allow(clippy::too_many_arguments)]
    fn include(
        &mut self,
        r: &mut Reader,
        file: FileId,
        at: Option<u32>,
        args: &[Arg],
        site: Site,
        scope: &Scope,
        stack: &mut Vec<FileId>,
    ) {
        let Some(target) = argument(args, 0, "arg") else {
            return;
        };
        // `include((patterns, app_name), namespace=...)`.
        let target = match target {
            // (A list of two patterns is two patterns.)
            Expr::List(items) if items.len() == 2 && !matches!(items[1], Expr::Call { .. }) => {
                &items[0]
            }
            t => t,
        };
        match target {
            // A module outside the repository
            // (`django.contrib.auth.urls`) is not the code's.
            Expr::Str(module) => {
                if let Some(&f) = self.modules.get(module.as_str())
                    && !self.include_module(r, f, scope, stack)
                {
                    r.dynamic(
                        site,
                        Framework::Django,
                        format!("an include of a module without urlpatterns: {module}"),
                    );
                }
            }
            Expr::List(_) | Expr::Concat(_) => {
                self.items(r, file, at, target, site.line, scope, stack)
            }
            Expr::Path(path) => {
                if !self.included_path(r, file, at, path, site.line, scope, stack) {
                    r.dynamic(
                        site,
                        Framework::Django,
                        format!("an include of a name not followed: {path}"),
                    );
                }
            }
            other => r.dynamic(
                site,
                Framework::Django,
                format!("an include not read statically: {}", other.text()),
            ),
        }
    }

    /// A class-based view: one route per method it handles.
    fn class_view(
        &mut self,
        r: &mut Reader,
        class: SymbolId,
        actions: Option<&[(Expr, Expr)]>,
        site: Site,
        scope: &Scope,
        name: Option<String>,
    ) {
        let info = Class::of(r, class);
        let mut handled: Vec<(String, Option<SymbolId>)> = Vec::new();
        if let Some(actions) = actions {
            for (method, action) in actions {
                if let (Some(m), Some(a)) = (method.as_str(), action.as_str()) {
                    handled.push((m.to_ascii_uppercase(), info.member(r, a)));
                }
            }
        } else {
            for m in HTTP_METHODS {
                if let Some(node) = info.member(r, m) {
                    handled.push((m.to_ascii_uppercase(), Some(node)));
                }
            }
            for base in &info.outside {
                for m in outside_methods(base).unwrap_or(&[]) {
                    let upper = m.to_ascii_uppercase();
                    if !handled.iter().any(|(h, _)| *h == upper) {
                        handled.push((upper, None));
                    }
                }
            }
            let known = info
                .outside
                .iter()
                .all(|b| outside_methods(b).is_some() || outside_actions(b).is_some());
            if handled.is_empty() && info.open && !known {
                handled.push(("*".to_string(), None));
            }
        }
        // `http_method_names = ['get']`: Django answers the rest with 405.
        if let Some((_, Expr::List(allowed), _)) = info.attribute(r, "http_method_names") {
            let allowed: Vec<String> = allowed
                .iter()
                .filter_map(Expr::as_str)
                .map(str::to_ascii_uppercase)
                .collect();
            handled.retain(|(m, _)| m == "*" || allowed.contains(m));
        }
        for (method, node) in handled {
            let mut guards = scope.guards.clone();
            let mut others = scope.others.clone();
            let methods: Vec<SymbolId> = node.into_iter().collect();
            view_guards(r, class, Some(&info), &methods, &mut guards, &mut others);
            r.routes.push(Route {
                methods: vec![method],
                path: scope.prefix.clone(),
                framework: Framework::Django,
                handler: Some(Handler {
                    view: class,
                    method: node,
                }),
                view_written: None,
                name: name.clone(),
                site,
                guards,
                decorators: others,
            });
        }
    }

    /// A REST framework router's endpoints, under `scope`.
    fn router(&mut self, r: &mut Reader, router: SymbolId, scope: &Scope) {
        let Some(Router {
            trailing_slash,
            registered,
        }) = self.routers.get(&router).map(|router| Router {
            trailing_slash: router.trailing_slash,
            registered: router.registered.clone(),
        })
        else {
            return;
        };
        for Registered {
            prefix,
            viewset,
            basename,
            site,
            scope: at,
        } in registered
        {
            let Some(prefix) = text_of(r, site.file, at, &prefix, &[], 0) else {
                r.dynamic(
                    site,
                    Framework::Django,
                    format!("a router prefix not read statically: {}", prefix.text()),
                );
                continue;
            };
            let Expr::Path(path) = &viewset else {
                r.dynamic(
                    site,
                    Framework::Django,
                    format!("a viewset not read statically: {}", viewset.text()),
                );
                continue;
            };
            let (met, value) = r.lookup.follow(site.file, at, path, site.line);
            // `register('', V)`: REST framework drops the slash a
            // prefix would have.
            let base = if prefix.is_empty() {
                scope.prefix.trim_end_matches('/').to_string()
            } else {
                format!("{}{prefix}", scope.prefix)
            };
            let Some(class) =
                met.filter(|&m| matches!(r.graph.nodes[m].kind, NodeKind::Def(k) if k.is_type()))
            else {
                let at_prefix = Scope {
                    prefix: format!("{base}{trailing_slash}"),
                    ..scope.clone()
                };
                outside_view(r, path, value, site, &at_prefix, None, Framework::Django);
                continue;
            };
            let info = Class::of(r, class);
            let lookup = viewset_lookup(r, &info);
            // REST framework names routes `{basename}-list`; without a
            // basename, after the model of the viewset's queryset.
            let basename = basename.or_else(|| {
                let (_, value, _) = info.attribute(r, "queryset")?;
                root_name(value).map(str::to_ascii_lowercase)
            });
            let route_name = |suffix: &str| basename.as_ref().map(|b| format!("{b}-{suffix}"));
            let mut actions: Vec<(String, Option<SymbolId>)> = Vec::new();
            for action in [
                "list",
                "create",
                "retrieve",
                "update",
                "partial_update",
                "destroy",
            ] {
                if let Some(node) = info.member(r, action) {
                    actions.push((action.to_string(), Some(node)));
                } else if info
                    .outside
                    .iter()
                    .any(|b| outside_actions(b).is_some_and(|a| a.contains(&action)))
                {
                    actions.push((action.to_string(), None));
                }
            }
            for (action, node) in actions {
                let (method, detail) = router_action(&action).expect("a router action");
                let path = if detail {
                    format!("{base}/{lookup}{trailing_slash}")
                } else {
                    format!("{base}{trailing_slash}")
                };
                let name = route_name(if detail { "detail" } else { "list" });
                self.viewset_route(
                    r,
                    class,
                    &info,
                    node,
                    (vec![method.to_string()], path, name),
                    site,
                    scope,
                );
            }
            // `@action(detail=..., methods=[...], url_path=...)`.
            let mut seen = BTreeSet::new();
            for &c in &info.mro {
                for (def_node, expr, _) in action_methods(r, c) {
                    let method_name = last(&r.graph.nodes[def_node].name).to_string();
                    if !seen.insert(method_name.clone()) {
                        continue;
                    }
                    let Some((_, _, args, _)) = expr.as_call() else {
                        continue;
                    };
                    let detail =
                        matches!(keyword(args, "detail"), Some(Expr::Other(v)) if v == "True");
                    let methods = methods_of(keyword(args, "methods"))
                        .unwrap_or_else(|| vec!["GET".to_string()]);
                    let url_path = keyword(args, "url_path")
                        .and_then(Expr::as_str)
                        .map_or(method_name.clone(), str::to_string);
                    let path = if detail {
                        format!("{base}/{lookup}/{url_path}{trailing_slash}")
                    } else {
                        format!("{base}/{url_path}{trailing_slash}")
                    };
                    let url_name = keyword(args, "url_name")
                        .and_then(Expr::as_str)
                        .map_or(method_name.replace('_', "-"), str::to_string);
                    let name = route_name(&url_name);
                    self.viewset_route(
                        r,
                        class,
                        &info,
                        Some(def_node),
                        (methods, path, name),
                        site,
                        scope,
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn viewset_route(
        &self,
        r: &mut Reader,
        class: SymbolId,
        info: &Class,
        method: Option<SymbolId>,
        (methods, path, name): (Vec<String>, String, Option<String>),
        site: Site,
        scope: &Scope,
    ) {
        let methods = match info.attribute(r, "http_method_names") {
            Some((_, Expr::List(allowed), _)) => {
                let allowed: Vec<String> = allowed
                    .iter()
                    .filter_map(Expr::as_str)
                    .map(str::to_ascii_uppercase)
                    .collect();
                methods
                    .into_iter()
                    .filter(|m| allowed.contains(m))
                    .collect()
            }
            _ => methods,
        };
        if methods.is_empty() {
            return;
        }
        let mut guards = scope.guards.clone();
        let mut others = scope.others.clone();
        let handlers: Vec<SymbolId> = method.into_iter().collect();
        view_guards(r, class, Some(info), &handlers, &mut guards, &mut others);
        r.routes.push(Route {
            methods,
            path,
            framework: Framework::Django,
            handler: Some(Handler {
                view: class,
                method,
            }),
            view_written: None,
            name,
            site,
            guards,
            decorators: others,
        });
    }
}

/// An expression with every `name` in it replaced by `value`.
fn substitute(expr: &Expr, name: &str, value: &Expr) -> Expr {
    let each = |items: &[Expr]| items.iter().map(|e| substitute(e, name, value)).collect();
    match expr {
        Expr::Path(p) if p == name => value.clone(),
        Expr::List(items) => Expr::List(each(items)),
        Expr::Concat(items) => Expr::Concat(each(items)),
        Expr::Call {
            receiver,
            name: called,
            args,
            line,
        } => Expr::Call {
            receiver: receiver
                .as_ref()
                .map(|r| Box::new(substitute(r, name, value))),
            name: called.clone(),
            args: args
                .iter()
                .map(|a| Arg {
                    name: a.name.clone(),
                    value: substitute(&a.value, name, value),
                })
                .collect(),
            line: *line,
        },
        other => other.clone(),
    }
}

/// A viewset's lookup group, as REST framework's router writes it.
fn viewset_lookup(r: &Reader, info: &Class) -> String {
    let text = |name: &str| {
        info.attribute(r, name)
            .and_then(|(_, v, _)| v.as_str().map(str::to_string))
    };
    let field = text("lookup_url_kwarg")
        .or_else(|| text("lookup_field"))
        .unwrap_or_else(|| "pk".to_string());
    let regex = text("lookup_value_regex").unwrap_or_else(|| "[^/.]+".to_string());
    format!("(?P<{field}>{regex})")
}

/// The first name of an expression (`Order.objects.all()`: `Order`).
fn root_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Path(p) => p.split('.').next(),
        Expr::Call {
            receiver: Some(r), ..
        } => root_name(r),
        Expr::Call { name, .. } => Some(name),
        _ => None,
    }
}

/// The methods of a class decorated with `@action(...)`.
fn action_methods(r: &Reader, class: SymbolId) -> Vec<(SymbolId, Expr, u32)> {
    let n = &r.graph.nodes[class];
    let Some(&def) = n.defs.first() else {
        return Vec::new();
    };
    let s = symbols(r, n.file);
    s.calls
        .iter()
        .filter(|c| c.decorator)
        .filter_map(|c| {
            let d = c.scope?;
            (s.defs[d as usize].parent == Some(def)).then_some(())?;
            let (_, name, _, _) = c.value.as_call()?;
            (name == "action").then_some(())?;
            Some((r.graph.node(n.file, d)?, c.value.clone(), c.line))
        })
        .collect()
}

/// A function view: its methods from the decorators that restrict them.
fn function_view(r: &mut Reader, view: SymbolId, site: Site, scope: &Scope, name: Option<String>) {
    let mut methods: Option<Vec<String>> = None;
    for (expr, _) in decorators(r, view) {
        let found = match expr {
            Expr::Path(p) => match last(p) {
                "require_GET" => Some(vec!["GET".to_string()]),
                "require_POST" => Some(vec!["POST".to_string()]),
                "require_safe" => Some(vec!["GET".to_string(), "HEAD".to_string()]),
                "api_view" => Some(vec!["GET".to_string()]),
                _ => None,
            },
            Expr::Call { name, args, .. } => match name.as_str() {
                "require_http_methods" => methods_of(argument(args, 0, "request_method_list")),
                "api_view" => methods_of(argument(args, 0, "http_method_names"))
                    .or_else(|| Some(vec!["GET".to_string()])),
                _ => None,
            },
            _ => None,
        };
        if found.is_some() {
            methods = found;
        }
    }
    let mut guards = scope.guards.clone();
    let mut others = scope.others.clone();
    view_guards(r, view, None, &[], &mut guards, &mut others);
    r.routes.push(Route {
        methods: methods.unwrap_or_else(|| vec!["*".to_string()]),
        path: scope.prefix.clone(),
        framework: Framework::Django,
        handler: Some(Handler { view, method: None }),
        view_written: None,
        name,
        site,
        guards,
        decorators: others,
    });
}

/// A view that is not a definition of the repository: outside it (listed
/// without a handler) or not followed (dynamic).
fn outside_view(
    r: &mut Reader,
    written: &str,
    value: Followed<SymbolId>,
    site: Site,
    scope: &Scope,
    name: Option<String>,
    framework: Framework,
) {
    if value == Followed::External {
        r.routes.push(Route {
            methods: vec!["*".to_string()],
            path: scope.prefix.clone(),
            framework,
            handler: None,
            view_written: Some(written.to_string()),
            name,
            site,
            guards: scope.guards.clone(),
            decorators: scope.others.clone(),
        });
    } else {
        r.dynamic(
            site,
            framework,
            format!("a view not followed: {written} (at {})", scope.prefix),
        );
    }
}

struct Object {
    framework: Framework,
    /// An application (served at the root), not a group.
    app: bool,
    /// Its own prefix (`Blueprint(url_prefix=)`, `APIRouter(prefix=)`).
    prefix: String,
    /// A Flask blueprint's name: its endpoints are `name.endpoint`.
    name: Option<String>,
    /// Dependencies given to every route of it.
    guards: Vec<Guard>,
    others: Vec<Guard>,
    site: Site,
}

struct Mount {
    parent: Key,
    child: Key,
    prefix: Option<String>,
    guards: Vec<Guard>,
    others: Vec<Guard>,
}

struct Registration {
    object: Key,
    rule: String,
    methods: Vec<String>,
    handler: Option<Handler>,
    /// The view as written, when it is outside the repository.
    written: Option<String>,
    name: Option<String>,
    site: Site,
    guards: Vec<Guard>,
    others: Vec<Guard>,
}

/// Flask and FastAPI: routes registered on objects, objects mounted on
/// others.
struct Mounted {
    objects: BTreeMap<Key, Object>,
    mounts: Vec<Mount>,
    registrations: Vec<Registration>,
}

/// FastAPI's dependencies (`dependencies=[Depends(auth)]`), as guards or
/// others.
fn dependencies(expr: Option<&Expr>, site: Site, on: Attached) -> (Vec<Guard>, Vec<Guard>) {
    let mut guards = Vec::new();
    let mut others = Vec::new();
    let Some(Expr::List(items)) = expr else {
        return (guards, others);
    };
    for item in items {
        let Some((_, kind, args, line)) = item.as_call() else {
            continue;
        };
        let Some(name) = args.first().and_then(|a| decorator_name(&a.value)) else {
            continue;
        };
        let guard = Guard {
            name: name.clone(),
            site: Site { line, ..site },
            on,
        };
        if kind == "Security" || is_guard(&name) {
            guards.push(guard);
        } else {
            others.push(guard);
        }
    }
    (guards, others)
}

impl Mounted {
    fn new(r: &mut Reader, files: &[FileId]) -> Mounted {
        let mut m = Mounted {
            objects: BTreeMap::new(),
            mounts: Vec::new(),
            registrations: Vec::new(),
        };
        // Objects first: registrations name them.
        for &file in files {
            let s = symbols(r, file);
            for call in s.calls.iter().filter(|c| !c.iterates && !c.decorator) {
                let (Some(_), Some((receiver, kind, args, line))) =
                    (&call.target, call.value.as_call())
                else {
                    continue;
                };
                let site = Site { file, line };
                let (framework, app, class) = match kind {
                    "Flask" | "Quart" | "APIFlask" => (Framework::Flask, true, None),
                    "Blueprint" | "APIBlueprint" => (Framework::Flask, false, None),
                    "FastAPI" => (Framework::Fastapi, true, None),
                    "APIRouter" => (Framework::Fastapi, false, None),
                    _ => {
                        // A class of the repository deriving from one.
                        let callee = match receiver {
                            Some(r) => format!("{}.{kind}", r.text()),
                            None => kind.to_string(),
                        };
                        match framework_class(r, file, call.scope, &callee, line) {
                            Some((framework, app, class)) => (framework, app, Some(class)),
                            None => continue,
                        }
                    }
                };
                let Some(key) = made_key(r, file, call) else {
                    continue;
                };
                let prefix_kw = if framework == Framework::Flask {
                    "url_prefix"
                } else {
                    "prefix"
                };
                let prefix = match keyword(args, prefix_kw) {
                    Some(e) => text_of(r, file, call.scope, e, &[], 0),
                    None => match class {
                        Some(class) => class_prefix(r, class, args, file, call.scope),
                        None => Some(String::new()),
                    },
                };
                let Some(prefix) = prefix else {
                    r.dynamic(
                        site,
                        framework,
                        format!("a prefix not read statically: {}", call.value.text()),
                    );
                    continue;
                };
                let (guards, others) =
                    dependencies(keyword(args, "dependencies"), site, Attached::Group);
                let name = (framework == Framework::Flask && !app)
                    .then(|| {
                        argument(args, 0, "name")
                            .and_then(|e| text_of(r, file, call.scope, e, &[], 0))
                    })
                    .flatten();
                m.objects.insert(
                    key,
                    Object {
                        framework,
                        app,
                        prefix,
                        name,
                        guards,
                        others,
                        site,
                    },
                );
            }
        }
        if m.objects.is_empty() {
            return m;
        }
        for &file in files {
            let s = symbols(r, file);
            for call in &s.calls {
                m.note(r, file, call);
            }
        }
        m
    }

    /// The objects a receiver names from a scope: a local variable of an
    /// application factory, a module variable (imported or not), each
    /// router a loop goes over, what a factory of the repository returns.
    fn keys(
        &self,
        r: &Reader,
        file: FileId,
        scope: Option<u32>,
        path: &str,
        line: u32,
    ) -> Vec<Key> {
        self.keys_at(r, file, scope, path, line, 0)
    }

    fn keys_at(
        &self,
        r: &Reader,
        file: FileId,
        scope: Option<u32>,
        path: &str,
        line: u32,
        depth: usize,
    ) -> Vec<Key> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let s = symbols(r, file);
        if !path.contains('.') {
            let mut code = code_scope(s, scope);
            loop {
                if let Some(c) = code {
                    let local = Key::Local(file, c, path.to_string());
                    if self.objects.contains_key(&local) {
                        return vec![local];
                    }
                }
                // `for router in ROUTERS:` around the use.
                if let Some(each) = s.calls.iter().rfind(|c| {
                    c.iterates
                        && c.target.as_deref() == Some(path)
                        && code_scope(s, c.scope) == code
                        && c.line <= line
                }) {
                    return self.each(r, file, each.scope, &each.value, each.line, depth + 1);
                }
                // `api_app = create_api_app()`: what the factory returns.
                if let Some(c) = code
                    && let Some(binding) = s
                        .bindings
                        .iter()
                        .rfind(|b| b.scope == Some(c) && b.name == path && b.line <= line)
                    && let Some(callee) = binding
                        .value
                        .strip_suffix(')')
                        .and_then(|v| v.split_once('('))
                        .map(|(c, _)| c)
                    && let (Some(factory), _) =
                        r.lookup.follow(file, scope, callee.trim(), binding.line)
                    && let Some(returned) = r
                        .graph
                        .def(r.facts, factory)
                        .and_then(|d| d.returned.as_deref())
                {
                    let n = &r.graph.nodes[factory];
                    if let Some(&def) = n.defs.first() {
                        let made = Key::Local(n.file, def, returned.to_string());
                        if self.objects.contains_key(&made) {
                            return vec![made];
                        }
                    }
                }
                match code {
                    Some(c) => code = code_scope(s, s.defs[c as usize].parent),
                    None => break,
                }
            }
        }
        let (met, _) = r.lookup.follow(file, scope, path, line);
        let Some(node) = met else {
            return Vec::new();
        };
        if self.objects.contains_key(&Key::Node(node)) {
            return vec![Key::Node(node)];
        }
        // A module variable holding a list of objects.
        let n = &r.graph.nodes[node];
        let name = last(&n.name);
        let Some(held) = symbols(r, n.file).calls.iter().find(|c| {
            c.target.as_deref() == Some(name) && !c.iterates && c.scope == n.defs.first().copied()
        }) else {
            return Vec::new();
        };
        self.each(r, n.file, held.scope, &held.value, held.line, depth + 1)
    }

    /// The objects a list (or a name of one) holds.
    fn each(
        &self,
        r: &Reader,
        file: FileId,
        scope: Option<u32>,
        value: &Expr,
        line: u32,
        depth: usize,
    ) -> Vec<Key> {
        match value {
            Expr::List(items) | Expr::Concat(items) => items
                .iter()
                .flat_map(|item| self.each(r, file, scope, item, line, depth + 1))
                .collect(),
            Expr::Path(p) => self.keys_at(r, file, scope, p, line, depth + 1),
            _ => Vec::new(),
        }
    }

    fn key(
        &self,
        r: &Reader,
        file: FileId,
        scope: Option<u32>,
        path: &str,
        line: u32,
    ) -> Option<Key> {
        let keys = self.keys(r, file, scope, path, line);
        (keys.len() == 1).then(|| keys.into_iter().next()).flatten()
    }

    fn note(&mut self, r: &mut Reader, file: FileId, call: &CallFact) {
        let Some((Some(Expr::Path(receiver)), name, args, line)) = call.value.as_call() else {
            return;
        };
        let Some(object) = self.key(r, file, call.scope, receiver, line) else {
            // Only these names say a registration was made on an object
            // not followed (a blueprint passed in as a parameter); `get`
            // or `register` on an unknown object may be anything.
            let framework = match name {
                "add_url_rule" | "register_blueprint" => Some(Framework::Flask),
                "include_router" | "add_api_route" => Some(Framework::Fastapi),
                _ => None,
            };
            if let Some(framework) = framework
                && !call.decorator
            {
                r.dynamic(
                    Site { file, line },
                    framework,
                    format!("a registration on an object not followed: {receiver}.{name}(...)"),
                );
            }
            return;
        };
        let framework = self.objects[&object].framework;
        let site = Site { file, line };
        if call.decorator {
            self.decorated(r, file, call, object, framework, name, args, site);
            return;
        }
        match name {
            "register_blueprint" | "include_router" | "mount" => {
                self.mount(r, file, call, object, framework, name, args, site);
            }
            "add_url_rule" | "add_api_route" => {
                self.add_rule(r, file, call, object, framework, name, args, site);
            }
            _ => {}
        }
    }

    /// A route decorator: `@app.route('/x')`, `@router.get('/x')`.
    #[allow(clippy::too_many_arguments)]
    fn decorated(
        &mut self,
        r: &mut Reader,
        file: FileId,
        call: &CallFact,
        object: Key,
        framework: Framework,
        name: &str,
        args: &[Arg],
        site: Site,
    ) {
        let Some(view) = call.scope.and_then(|d| r.graph.node(file, d)) else {
            return;
        };
        let methods = match (framework, name) {
            (Framework::Flask, "route") | (Framework::Fastapi, "api_route") => {
                methods_of(keyword(args, "methods")).unwrap_or_else(|| vec!["GET".to_string()])
            }
            (_, "get" | "post" | "put" | "patch" | "delete") => {
                vec![name.to_ascii_uppercase()]
            }
            (Framework::Fastapi, "head" | "options" | "trace") => {
                vec![name.to_ascii_uppercase()]
            }
            _ => return,
        };
        let Some(rule) = argument(
            args,
            0,
            if framework == Framework::Flask {
                "rule"
            } else {
                "path"
            },
        ) else {
            return;
        };
        let Some(rule) = text_of(r, file, call.scope, rule, &[], 0) else {
            r.dynamic(
                site,
                framework,
                format!("a route not read statically: {}", rule.text()),
            );
            return;
        };
        let rule = rule.as_str();
        let (mut guards, mut others) =
            dependencies(keyword(args, "dependencies"), site, Attached::Route);
        view_guards(r, view, None, &[], &mut guards, &mut others);
        if framework == Framework::Fastapi {
            parameter_dependencies(r, view, &mut guards, &mut others);
        }
        // Flask names an endpoint after its function unless told.
        let name = match framework {
            Framework::Flask => keyword(args, "endpoint")
                .and_then(Expr::as_str)
                .map(str::to_string)
                .or_else(|| Some(last(&r.graph.nodes[view].name).to_string())),
            _ => keyword(args, "name")
                .and_then(Expr::as_str)
                .map(str::to_string),
        };
        self.registrations.push(Registration {
            object,
            rule: rule.to_string(),
            methods,
            handler: Some(Handler { view, method: None }),
            written: None,
            name,
            site,
            guards,
            others,
        });
    }

    /// `register_blueprint`, `include_router`, `mount`: a group mounted
    /// on another.
    #[allow(clippy::too_many_arguments)]
    fn mount(
        &mut self,
        r: &mut Reader,
        file: FileId,
        call: &CallFact,
        object: Key,
        framework: Framework,
        name: &str,
        args: &[Arg],
        site: Site,
    ) {
        let line = site.line;
        let child = match name {
            "mount" => argument(args, 1, "app"),
            "include_router" => argument(args, 0, "router"),
            _ => argument(args, 0, "blueprint"),
        };
        let Some(Expr::Path(child)) = child else {
            r.dynamic(
                site,
                framework,
                format!("a group mounted from an expression: {}", call.value.text()),
            );
            return;
        };
        let children = self.keys(r, file, call.scope, child, line);
        if children.is_empty() {
            if name != "mount" {
                r.dynamic(
                    site,
                    framework,
                    format!("a group not followed: {}", call.value.text()),
                );
            }
            return;
        }
        let prefix = match name {
            "mount" => argument(args, 0, "path"),
            "include_router" => keyword(args, "prefix"),
            _ => keyword(args, "url_prefix"),
        };
        let prefix = match prefix {
            Some(e) => match text_of(r, file, call.scope, e, &[], 0) {
                Some(p) => Some(p),
                None => {
                    r.dynamic(
                        site,
                        framework,
                        format!("a prefix not read statically: {}", e.text()),
                    );
                    return;
                }
            },
            None => None,
        };
        let (guards, others) = dependencies(keyword(args, "dependencies"), site, Attached::Group);
        for child in children {
            self.mounts.push(Mount {
                parent: object.clone(),
                child,
                prefix: prefix.clone(),
                guards: guards.clone(),
                others: others.clone(),
            });
        }
    }

    /// `add_url_rule`, `add_api_route`: a view registered by a call.
    #[allow(clippy::too_many_arguments)]
    fn add_rule(
        &mut self,
        r: &mut Reader,
        file: FileId,
        call: &CallFact,
        object: Key,
        framework: Framework,
        name: &str,
        args: &[Arg],
        site: Site,
    ) {
        let line = site.line;
        let (rule_kw, view_kw, view_at) = if name == "add_url_rule" {
            ("rule", "view_func", 2)
        } else {
            ("path", "endpoint", 1)
        };
        let Some(rule) =
            argument(args, 0, rule_kw).and_then(|e| text_of(r, file, call.scope, e, &[], 0))
        else {
            r.dynamic(
                site,
                framework,
                format!("a rule not read statically: {}", call.value.text()),
            );
            return;
        };
        let Some(view) = argument(args, view_at, view_kw) else {
            return;
        };
        let explicit = methods_of(keyword(args, "methods"));
        let endpoint = keyword(args, "endpoint")
            .filter(|_| name == "add_url_rule")
            .or_else(|| argument(args, 1, "endpoint").filter(|_| name == "add_url_rule"))
            .and_then(Expr::as_str)
            .map(str::to_string);
        let (path, class_view, view_name) = match view {
            Expr::Path(p) => (p.clone(), false, None),
            Expr::Call {
                receiver: Some(class),
                name: as_view,
                args: view_args,
                ..
            } if as_view == "as_view" => match class.as_ref() {
                Expr::Path(p) => (
                    p.clone(),
                    true,
                    argument(view_args, 0, "name")
                        .and_then(Expr::as_str)
                        .map(str::to_string),
                ),
                _ => {
                    r.dynamic(
                        site,
                        framework,
                        format!("a view not read statically: {}", view.text()),
                    );
                    return;
                }
            },
            other => {
                r.dynamic(
                    site,
                    framework,
                    format!("a view not read statically: {}", other.text()),
                );
                return;
            }
        };
        let (met, value) = r.lookup.follow(file, call.scope, &path, line);
        let name = endpoint
            .or(view_name)
            .or_else(|| (name == "add_url_rule").then(|| last(&path).to_string()));
        let Some(node) = met else {
            if value == Followed::External {
                self.registrations.push(Registration {
                    object,
                    rule: rule.clone(),
                    methods: explicit.unwrap_or_else(|| vec!["GET".to_string()]),
                    handler: None,
                    written: Some(path.clone()),
                    name,
                    site,
                    guards: Vec::new(),
                    others: Vec::new(),
                });
            } else {
                r.dynamic(site, framework, format!("a view not followed: {path}"));
            }
            return;
        };
        let is_class = matches!(r.graph.nodes[node].kind, NodeKind::Def(k) if k.is_type());
        if class_view || is_class {
            let info = Class::of(r, node);
            // A view class's own `methods = [...]`.
            let explicit = explicit.or_else(|| {
                info.attribute(r, "methods")
                    .and_then(|(_, v, _)| methods_of(Some(v)))
            });
            let mut handled: Vec<(String, Option<SymbolId>)> = Vec::new();
            for m in HTTP_METHODS {
                if let Some(h) = info.member(r, m) {
                    handled.push((m.to_ascii_uppercase(), Some(h)));
                }
            }
            if let Some(explicit) = explicit {
                handled.retain(|(m, _)| explicit.contains(m));
                for m in explicit {
                    if !handled.iter().any(|(h, _)| *h == m) {
                        handled.push((m, None));
                    }
                }
            }
            for (method, h) in handled {
                let mut guards = Vec::new();
                let mut others = Vec::new();
                let methods: Vec<SymbolId> = h.into_iter().collect();
                view_guards(r, node, Some(&info), &methods, &mut guards, &mut others);
                self.registrations.push(Registration {
                    object: object.clone(),
                    rule: rule.to_string(),
                    methods: vec![method],
                    handler: Some(Handler {
                        view: node,
                        method: h,
                    }),
                    written: None,
                    name: name.clone(),
                    site,
                    guards,
                    others,
                });
            }
        } else {
            let mut guards = Vec::new();
            let mut others = Vec::new();
            view_guards(r, node, None, &[], &mut guards, &mut others);
            if framework == Framework::Fastapi {
                parameter_dependencies(r, node, &mut guards, &mut others);
            }
            self.registrations.push(Registration {
                object,
                rule: rule.to_string(),
                methods: explicit.unwrap_or_else(|| vec!["GET".to_string()]),
                handler: Some(Handler {
                    view: node,
                    method: None,
                }),
                written: None,
                name,
                site,
                guards,
                others,
            });
        }
    }

    fn read(self, r: &mut Reader) {
        let mut cache: BTreeMap<Key, Prefixes> = BTreeMap::new();
        for reg in &self.registrations {
            if !cache.contains_key(&reg.object) {
                let p = self.prefixes(r, &reg.object, &mut Vec::new());
                cache.insert(reg.object.clone(), p);
            }
            let object = &self.objects[&reg.object];
            let framework = object.framework;
            let name = match (&object.name, &reg.name) {
                (Some(bp), Some(endpoint)) => Some(format!("{bp}.{endpoint}")),
                (_, name) => name.clone(),
            };
            for (prefix, guards, others) in &cache[&reg.object] {
                let path = match framework {
                    Framework::Flask => flask_join(prefix, &reg.rule),
                    _ => format!("{prefix}{}", reg.rule),
                };
                let mut all_guards = guards.clone();
                all_guards.extend(reg.guards.iter().cloned());
                let mut all_others = others.clone();
                all_others.extend(reg.others.iter().cloned());
                r.routes.push(Route {
                    methods: reg.methods.clone(),
                    path,
                    framework,
                    handler: reg.handler,
                    view_written: reg.written.clone(),
                    name: name.clone(),
                    site: reg.site,
                    guards: all_guards,
                    decorators: all_others,
                });
            }
        }
    }
}

impl Mounts for Mounted {
    fn made(&self, key: &Key) -> (Site, Framework) {
        let object = &self.objects[key];
        (object.site, object.framework)
    }

    /// Every prefix an object is served under, with what its mounts add.
    fn mounted(&self, r: &mut Reader, key: &Key, stack: &mut Vec<Key>) -> Prefixes {
        let object = &self.objects[key];
        let own = |p: &str| p.to_string();
        let parents: Vec<&Mount> = self.mounts.iter().filter(|m| m.child == *key).collect();
        if parents.is_empty() || stack.len() > MAX_DEPTH {
            if !object.app {
                r.dynamic(
                    object.site,
                    object.framework,
                    "a group never mounted where vantage can see it: its routes are listed under its own prefix".to_string(),
                );
            }
            return vec![(
                own(&object.prefix),
                object.guards.clone(),
                object.others.clone(),
            )];
        }
        let mut out = Vec::new();
        for mount in parents {
            for (outer, guards, others) in self.prefixes_below(r, &mount.parent, key, stack) {
                let prefix = match object.framework {
                    Framework::Flask => {
                        let own = mount.prefix.as_deref().unwrap_or(&object.prefix);
                        flask_join(&outer, own)
                    }
                    _ => format!(
                        "{outer}{}{}",
                        mount.prefix.as_deref().unwrap_or(""),
                        object.prefix
                    ),
                };
                let mut guards = guards.clone();
                guards.extend(mount.guards.iter().cloned());
                guards.extend(object.guards.iter().cloned());
                let mut others = others.clone();
                others.extend(mount.others.iter().cloned());
                others.extend(object.others.iter().cloned());
                out.push((prefix, guards, others));
            }
        }
        out
    }
}

/// Flask's join of a prefix and a rule.
fn flask_join(prefix: &str, rule: &str) -> String {
    if rule.is_empty() {
        return prefix.to_string();
    }
    if prefix.is_empty() {
        return rule.to_string();
    }
    format!(
        "{}/{}",
        prefix.trim_end_matches('/'),
        rule.trim_start_matches('/')
    )
}

/// FastAPI's dependencies written as parameter defaults:
/// `user = Depends(get_current_user)`.
fn parameter_dependencies(
    r: &Reader,
    view: SymbolId,
    guards: &mut Vec<Guard>,
    others: &mut Vec<Guard>,
) {
    let n = &r.graph.nodes[view];
    let Some(def) = r.graph.def(r.facts, view) else {
        return;
    };
    let s = symbols(r, n.file);
    let own = n.defs.first().copied();
    for kind in ["Depends(", "Security("] {
        for (at, _) in def.signature.match_indices(kind) {
            let rest = &def.signature[at + kind.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            if name.is_empty() {
                continue;
            }
            let line = s
                .uses
                .iter()
                .find(|u| u.scope == own && u.path == name)
                .map_or(n.lines.0, |u| u.line);
            let guard = Guard {
                name: name.clone(),
                site: Site { file: n.file, line },
                on: Attached::Handler,
            };
            if kind == "Security(" || is_guard(&name) {
                guards.push(guard);
            } else {
                others.push(guard);
            }
        }
    }
}

/// A class of the repository deriving from a framework's application or
/// group class: (framework, whether an application, the class).
fn framework_class(
    r: &Reader,
    file: FileId,
    scope: Option<u32>,
    callee: &str,
    line: u32,
) -> Option<(Framework, bool, SymbolId)> {
    let (met, _) = r.lookup.follow(file, scope, callee, line);
    let class = met?;
    if !matches!(r.graph.nodes[class].kind, NodeKind::Def(k) if k.is_type()) {
        return None;
    }
    let info = Class::of(r, class);
    info.outside.iter().find_map(|base| {
        let (framework, app) = match base.as_str() {
            "Flask" | "Quart" | "APIFlask" => (Framework::Flask, true),
            "Blueprint" | "APIBlueprint" => (Framework::Flask, false),
            "FastAPI" => (Framework::Fastapi, true),
            "APIRouter" => (Framework::Fastapi, false),
            _ => return None,
        };
        Some((framework, app, class))
    })
}

/// The prefix a framework class of the repository gives its instances
/// when the call names none: `kwargs.setdefault('url_prefix', '/' +
/// name)` in its constructor, with `name` bound to the call's argument.
/// `Some("")` when no constructor sets one; `None` when one does in a
/// way not read.
fn class_prefix(
    r: &Reader,
    class: SymbolId,
    args: &[Arg],
    file: FileId,
    scope: Option<u32>,
) -> Option<String> {
    let info = Class::of(r, class);
    // The first constructor along the linearisation that sets a prefix;
    // a constructor before it may only pass everything on
    // (`def __init__(self, *args, **kwargs): super().__init__(*args, **kwargs)`).
    let mut found = None;
    for &c in &info.mro {
        let Some(init) = child(r, c, "__init__", true) else {
            continue;
        };
        let n = &r.graph.nodes[init];
        let &def = n.defs.first()?;
        let s = symbols(r, n.file);
        let set = s.calls.iter().find(|c| {
            c.scope == Some(def)
                && matches!(c.value.as_call(), Some((Some(_), "setdefault", a, _))
                    if a.first().and_then(|a| a.value.as_str()).is_some_and(|k| k.contains("prefix")))
        });
        if let Some(set) = set {
            found = Some((n, def, s, set));
            break;
        }
        let forwards = s.defs[def as usize]
            .params
            .iter()
            .skip(1)
            .all(|p| matches!(p.trim_start_matches('*'), "args" | "kwargs"));
        if !forwards {
            break;
        }
    }
    let Some((n, def, s, set)) = found else {
        return Some(String::new());
    };
    let (_, _, set_args, _) = set.value.as_call()?;
    let value = &set_args.get(1)?.value;
    let params: Vec<Bound> = s.defs[def as usize]
        .params
        .iter()
        .skip(1)
        .enumerate()
        .filter_map(|(i, name)| {
            let given = keyword(args, name).or_else(|| {
                args.iter()
                    .filter(|a| a.name.is_none())
                    .nth(i)
                    .map(|a| &a.value)
            })?;
            Some((name.as_str(), given, file, scope))
        })
        .collect();
    text_of(r, n.file, Some(def), value, &params, 0)
}
