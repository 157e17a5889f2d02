//! Symfony's attribute routing (`#[Route]` on controller methods, with a
//! class-level `#[Route]` as their prefix, and `#[IsGranted]` guards) and
//! Laravel's route files (`Route::get(...)`, groups with prefixes, names
//! and middleware, resources).

use std::collections::BTreeMap;

use super::{Attached, Framework, Guard, Handler, Reader, Route, Site, symbols};
use crate::facts::{Arg, Expr, FileFacts, argument, keyword};
use crate::lang::Language;
use crate::project::FileId;
use crate::symbols::{NodeKind, SymbolId};

pub(super) fn read(r: &mut Reader) {
    let files: Vec<FileId> = (0..r.facts.len())
        .filter(|&f| {
            r.project.get(f).language == Language::Php
                && r.facts[f]
                    .symbols
                    .as_ref()
                    .is_some_and(|s| s.calls.iter().any(|c| c.decorator))
        })
        .collect();
    for file in files {
        if imports_routing(&r.facts[file]) {
            symfony(r, file);
        }
    }
    laravel(r);
}

/// Whether a file imports Symfony's routing (`Route` is a common name).
fn imports_routing(facts: &FileFacts) -> bool {
    facts.imports.iter().any(|i| {
        let spec = i.specifier.trim_start_matches('\\');
        spec.starts_with("Symfony\\Component\\Routing\\")
            || spec.starts_with("Symfony\\Bundle\\FrameworkBundle\\")
    })
}

/// An attribute's last name (`Route`, `IsGranted`).
fn short(name: &str) -> &str {
    name.rsplit('\\').next().unwrap_or(name)
}

/// What one `#[Route]` says.
struct Declared {
    /// (path, name suffix for a localized path)
    paths: Vec<(String, Option<String>)>,
    name: Option<String>,
    methods: Vec<String>,
    line: u32,
}

fn declared(args: &[Arg], line: u32) -> Result<Declared, String> {
    let paths = match argument(args, 0, "path") {
        None => vec![(String::new(), None)],
        Some(Expr::Str(p)) => vec![(p.clone(), None)],
        // Localized paths: one route per locale, named `name.locale`.
        Some(Expr::Map(pairs)) => {
            let mut out = Vec::new();
            for (locale, path) in pairs {
                match (locale.as_str(), path.as_str()) {
                    (Some(l), Some(p)) => out.push((p.to_string(), Some(l.to_string()))),
                    _ => {
                        return Err(format!(
                            "a localized path not read statically: {}",
                            path.text()
                        ));
                    }
                }
            }
            out
        }
        Some(other) => {
            return Err(format!(
                "a route path not read statically: {}",
                other.text()
            ));
        }
    };
    let methods = match keyword(args, "methods") {
        None => Vec::new(),
        Some(Expr::Str(m)) => m.split('|').map(str::to_ascii_uppercase).collect(),
        Some(Expr::List(items)) => items
            .iter()
            .filter_map(Expr::as_str)
            .map(str::to_ascii_uppercase)
            .collect(),
        Some(other) => {
            return Err(format!(
                "route methods not read statically: {}",
                other.text()
            ));
        }
    };
    Ok(Declared {
        paths,
        name: argument(args, 1, "name")
            .and_then(Expr::as_str)
            .map(str::to_string),
        methods,
        line,
    })
}

/// Symfony's name for a route written without one
/// (FrameworkBundle's `getDefaultRouteName`):
/// `App\Controller\BlogController::show` is `app_blog_show`; an
/// `...Action` method loses `action`; the method's second unnamed route
/// gets `_1`, its third `_2`.
fn default_name(class: &str, method: &str, index: usize) -> String {
    let mut name = format!("{}_{method}", class.replace('\\', "_")).to_lowercase();
    if index > 0 {
        name.push_str(&format!("_{index}"));
    }
    let mut name = name.replace("bundle_", "_").replace("controller_", "_");
    if method.ends_with("Action") || method.ends_with("_action") {
        // `action(_\d+)?$` keeps only the index.
        let digits = name.trim_end_matches(|c: char| c.is_ascii_digit());
        let (stem, tail) = match digits.strip_suffix('_') {
            Some(stem) if digits.len() < name.len() => (stem, &name[digits.len() - 1..]),
            _ => (name.as_str(), ""),
        };
        if let Some(bare) = stem.strip_suffix("action") {
            name = format!("{bare}{tail}");
        }
    }
    name.replace("__", "_")
}

fn symfony(r: &mut Reader, file: FileId) {
    let s = symbols(r, file);
    let attributes = |def: u32| {
        s.calls
            .iter()
            .filter(move |c| c.decorator && c.scope == Some(def))
            .filter_map(|c| {
                let (_, name, args, line) = c.value.as_call()?;
                Some((short(name), args, line, &c.value))
            })
    };
    let guards_of = |def: u32| -> Vec<Guard> {
        attributes(def)
            .filter(|(name, ..)| matches!(*name, "IsGranted" | "Security"))
            .map(|(_, _, line, value)| Guard {
                name: value.text(),
                site: Site { file, line },
                on: Attached::Handler,
            })
            .collect()
    };
    let mut found = Vec::new();
    let mut unread = Vec::new();
    for (class, def) in s.defs.iter().enumerate() {
        if !def.kind.is_type() {
            continue;
        }
        let class = class as u32;
        let Some(view) = r.graph.node(file, class) else {
            continue;
        };
        let class_name = r.graph.nodes[view].name.clone();
        let mut prefix = Declared {
            paths: vec![(String::new(), None)],
            name: None,
            methods: Vec::new(),
            line: def.start_line,
        };
        let mut class_routed = false;
        for (name, args, line, _) in attributes(class) {
            if name != "Route" {
                continue;
            }
            match declared(args, line) {
                Ok(d) => {
                    prefix = d;
                    class_routed = true;
                }
                Err(reason) => unread.push((line, reason)),
            }
        }
        let class_guards = guards_of(class);
        let mut routes_of_class = 0;
        let mut invoke = None;
        for (method, m) in s.defs.iter().enumerate() {
            if m.parent != Some(class) || !m.kind.is_callable() {
                continue;
            }
            let method = method as u32;
            if m.name == "__invoke" {
                invoke = Some((method, m.name.clone()));
            }
            let routes: Vec<(Declared, u32)> = attributes(method)
                .filter(|(name, ..)| *name == "Route")
                .filter_map(|(_, args, line, _)| match declared(args, line) {
                    Ok(d) => Some((d, line)),
                    Err(reason) => {
                        unread.push((line, reason));
                        None
                    }
                })
                .collect();
            if routes.is_empty() {
                continue;
            }
            let mut guards = class_guards.clone();
            guards.extend(guards_of(method));
            let decorators: Vec<Guard> = attributes(method)
                .filter(|(name, ..)| !matches!(*name, "Route" | "IsGranted" | "Security"))
                .map(|(_, _, line, value)| Guard {
                    name: value.text(),
                    site: Site { file, line },
                    on: Attached::Handler,
                })
                .collect();
            for (d, _) in routes {
                routes_of_class += 1;
                found.push((
                    view,
                    r.graph.node(file, method),
                    m.name.clone(),
                    d,
                    guards.clone(),
                    decorators.clone(),
                ));
            }
        }
        // An invokable controller routed by its class alone.
        if class_routed
            && routes_of_class == 0
            && let Some((method, name)) = invoke
        {
            let d = Declared {
                paths: std::mem::take(&mut prefix.paths),
                name: prefix.name.take(),
                methods: std::mem::take(&mut prefix.methods),
                line: prefix.line,
            };
            let guards = class_guards.clone();
            prefix = Declared {
                paths: vec![(String::new(), None)],
                name: None,
                methods: Vec::new(),
                line: d.line,
            };
            found.push((
                view,
                r.graph.node(file, method),
                name,
                d,
                guards,
                Vec::new(),
            ));
        }
        // Unnamed routes of one method are numbered (`_1`, `_2`).
        let mut unnamed: std::collections::BTreeMap<String, usize> = Default::default();
        for (view, method, method_name, d, guards, decorators) in found.drain(..) {
            let index = if d.name.is_none() {
                let n = unnamed.entry(method_name.clone()).or_default();
                *n += 1;
                *n - 1
            } else {
                0
            };
            // Symfony merges the class's methods with the method's.
            let mut methods: Vec<String> =
                prefix.methods.iter().chain(&d.methods).cloned().collect();
            if methods.is_empty() {
                methods.push("*".to_string());
            }
            for (prefix_path, _) in &prefix.paths {
                for (path, locale) in &d.paths {
                    let mut full = format!("{prefix_path}{path}");
                    if !full.starts_with('/') {
                        full.insert(0, '/');
                    }
                    // The class's name prefix goes before a default name too.
                    let own = match &d.name {
                        Some(n) => n.clone(),
                        None => default_name(&class_name_of(&class_name), &method_name, index),
                    };
                    let base = format!("{}{own}", prefix.name.as_deref().unwrap_or(""));
                    let name = match locale {
                        Some(l) => format!("{base}.{l}"),
                        None => base,
                    };
                    let mut sorted = methods.clone();
                    sorted.sort();
                    sorted.dedup();
                    r.routes.push(Route {
                        methods: sorted,
                        path: full,
                        framework: Framework::Symfony,
                        handler: Some(Handler { view, method }),
                        view_written: None,
                        name: Some(name),
                        site: Site { file, line: d.line },
                        guards: guards.clone(),
                        decorators: decorators.clone(),
                    });
                }
            }
        }
    }
    for (line, reason) in unread {
        r.dynamic(Site { file, line }, Framework::Symfony, reason);
    }
}

// Laravel.

/// One call of a chain written on the `Route` facade:
/// `Route::prefix('admin')->middleware('auth')->group(...)` is
/// `prefix`, `middleware`, `group`.
type Link<'a> = (&'a str, &'a [Arg], u32);

/// A chain's calls from the facade out, when it starts at `Route::`.
fn facade_chain(value: &Expr) -> Option<Vec<Link<'_>>> {
    let mut links = Vec::new();
    let mut current = value;
    for _ in 0..super::MAX_DEPTH {
        let (receiver, name, args, line) = current.as_call()?;
        links.push((name, args, line));
        match receiver {
            Some(Expr::Path(root))
                if root.trim_start_matches('\\') == "Route" || root.ends_with("\\Route") =>
            {
                links.reverse();
                return Some(links);
            }
            Some(inner) => current = inner,
            None => return None,
        }
    }
    None
}

/// What a group (or a route file) gives the routes inside it.
#[derive(Clone, Debug, Default)]
struct Scope {
    prefix: Vec<String>,
    name: String,
    controller: Option<String>,
    /// `group(['namespace' => 'API'])`: the namespace string controllers
    /// (`'AuthController@login'`) are under, below `App\Http\Controllers`.
    namespace: Vec<String>,
    /// Middleware as written, with where and how it was attached.
    middleware: Vec<(String, Site, Attached)>,
}

/// A group's closure: the lines it spans in a file, and what it gives.
struct Group {
    file: FileId,
    lines: (u32, u32),
    scope: Scope,
}

/// Laravel's middleware that authenticates or authorises: `auth`,
/// `auth:sanctum`, `jwt.auth`, `os.auth`, `can:update,post`, `verified`,
/// a role or permission check.
fn laravel_guard(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let head = n.split(':').next().unwrap_or(&n);
    head.split(['.', '_', '-']).any(|w| w.starts_with("auth"))
        || head == "can"
        || head == "verified"
        || head == "password.confirm"
        || ["role", "permission", "admin", "abilit"]
            .iter()
            .any(|w| head.contains(w))
}

/// The strings of a middleware argument (`'auth'`, `['auth', 'verified']`).
fn strings(args: &[Arg]) -> Vec<String> {
    let mut out = Vec::new();
    for a in args {
        match &a.value {
            Expr::Str(s) => out.push(s.clone()),
            Expr::List(items) => {
                out.extend(items.iter().filter_map(Expr::as_str).map(str::to_string))
            }
            _ => {}
        }
    }
    out
}

/// What one chain link adds to a scope.
fn attribute(scope: &mut Scope, (name, args, line): Link, file: FileId, on: Attached) {
    match name {
        "prefix" => {
            if let Some(p) = args.first().and_then(|a| a.value.as_str()) {
                scope.prefix.push(p.to_string());
            }
        }
        "name" | "as" => {
            if let Some(n) = args.first().and_then(|a| a.value.as_str()) {
                scope.name.push_str(n);
            }
        }
        "controller" => {
            if let Some(Expr::Path(c) | Expr::Str(c)) = args.first().map(|a| &a.value) {
                scope.controller = Some(c.clone());
            }
        }
        "namespace" => {
            if let Some(n) = args.first().and_then(|a| a.value.as_str()) {
                scope.namespace.push(n.trim_matches('\\').to_string());
            }
        }
        "middleware" => {
            for m in strings(args) {
                scope.middleware.push((m, Site { file, line }, on));
            }
        }
        _ => {}
    }
}

/// `Route::group(['prefix' => 'x', 'middleware' => 'auth'], fn)`.
fn group_array(scope: &mut Scope, pairs: &[(Expr, Expr)], file: FileId, line: u32) {
    for (k, v) in pairs {
        let arg = [Arg {
            name: None,
            value: v.clone(),
        }];
        match k.as_str() {
            Some("prefix") => attribute(scope, ("prefix", &arg, line), file, Attached::Group),
            Some("as") => attribute(scope, ("name", &arg, line), file, Attached::Group),
            Some("middleware") => {
                attribute(scope, ("middleware", &arg, line), file, Attached::Group)
            }
            Some("controller") => {
                attribute(scope, ("controller", &arg, line), file, Attached::Group)
            }
            Some("namespace") => {
                if let Some(n) = v.as_str() {
                    scope.namespace.push(n.trim_matches('\\').to_string());
                }
            }
            _ => {}
        }
    }
}

/// A route file named in PHP (`base_path('routes/api.php')`,
/// `__DIR__.'/../routes/api.php'`): the file of the repository whose
/// path ends so.
fn route_file(r: &Reader, expr: &Expr) -> Option<FileId> {
    let text = match expr {
        Expr::Str(s) => s.clone(),
        Expr::Call { args, .. } => args.first()?.value.as_str()?.to_string(),
        Expr::Concat(parts) => parts.iter().filter_map(Expr::as_str).collect(),
        _ => return None,
    };
    let tail = text.trim_start_matches("/..").trim_start_matches('/');
    let tail = tail.trim_start_matches("../");
    (0..r.facts.len()).find(|&f| {
        let p = r.project.path(f);
        p == tail || p.ends_with(&format!("/{tail}"))
    })
}

/// The resource routes Laravel makes: (action, methods, path under the
/// resource, with the parameter).
const RESOURCE: [(&str, &[&str], &str); 7] = [
    ("index", &["GET"], ""),
    ("create", &["GET"], "/create"),
    ("store", &["POST"], ""),
    ("show", &["GET"], "/{}"),
    ("edit", &["GET"], "/{}/edit"),
    ("update", &["PATCH", "PUT"], "/{}"),
    ("destroy", &["DELETE"], "/{}"),
];

/// A resource's route parameter: its name in the singular (`photos`:
/// `photo`).
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "shes", "ches", "xes", "uses"] {
        if let Some(stem) = word.strip_suffix(ending) {
            return format!("{stem}{}", &ending[..ending.len() - 2]);
        }
    }
    word.strip_suffix('s').unwrap_or(word).replace('-', "_")
}

/// What Laravel's route files hold: every chain on the `Route` facade,
/// the scopes route files are loaded under, the groups, and the classes
/// by qualified name.
struct Laravel<'a> {
    chains: Vec<(FileId, Vec<Link<'a>>, u32)>,
    loaded: BTreeMap<FileId, Scope>,
    groups: Vec<Group>,
    classes: Classes<'a>,
}

fn laravel_files<'a>(r: &Reader<'a>) -> Option<Laravel<'a>> {
    let facts = r.facts;
    let graph = r.graph;
    // Every chain on the facade, by file, and the route files a provider
    // or `bootstrap/app.php` loads with their prefixes.
    let mut chains: Vec<(FileId, Vec<Link>, u32)> = Vec::new();
    let mut loaded: BTreeMap<FileId, Scope> = BTreeMap::new();
    let mut api_prefix = "api".to_string();
    let mut named_files: Vec<(String, FileId)> = Vec::new();
    for (file, fact) in facts.iter().enumerate() {
        if r.project.get(file).language != Language::Php {
            continue;
        }
        let Some(s) = fact.symbols.as_ref() else {
            continue;
        };
        for call in s
            .calls
            .iter()
            .filter(|c| !c.decorator && c.target.is_none())
        {
            if let Some(links) = facade_chain(&call.value) {
                chains.push((file, links, call.line));
                continue;
            }
            // `->withRouting(web: ..., api: ..., apiPrefix: 'api/v1')`.
            let mut current = &call.value;
            while let Some((receiver, name, args, _)) = current.as_call() {
                if name == "withRouting" {
                    if let Some(p) = keyword(args, "apiPrefix").and_then(Expr::as_str) {
                        api_prefix = p.to_string();
                    }
                    for kind in ["web", "api"] {
                        if let Some(f) = keyword(args, kind).and_then(|e| route_file(r, e)) {
                            named_files.push((kind.to_string(), f));
                        }
                    }
                }
                match receiver {
                    Some(inner) => current = inner,
                    None => break,
                }
            }
        }
    }
    if chains.is_empty() {
        return None;
    }
    let classes: Classes = (0..graph.nodes.len())
        .filter(|&n| matches!(graph.nodes[n].kind, NodeKind::Def(k) if k.is_type()))
        .map(|n| (graph.nodes[n].name.as_str(), n))
        .collect();
    // A provider's `Route::prefix('api')->group(base_path('routes/api.php'))`.
    for (file, links, _) in &chains {
        let Some(&(last, args, _)) = links.last() else {
            continue;
        };
        if last != "group" {
            continue;
        }
        let Some(target) = args.last().and_then(|a| route_file(r, &a.value)) else {
            continue;
        };
        let mut scope = Scope::default();
        for &link in &links[..links.len() - 1] {
            attribute(&mut scope, link, *file, Attached::Group);
        }
        // The framework's own `web` and `api` groups are no finding.
        scope.middleware.retain(|(m, ..)| m != "web" && m != "api");
        loaded.insert(target, scope);
    }
    for (kind, f) in named_files {
        loaded.entry(f).or_insert_with(|| Scope {
            prefix: if kind == "api" {
                vec![api_prefix.clone()]
            } else {
                Vec::new()
            },
            ..Scope::default()
        });
    }
    // Laravel's default: `routes/api.php` under `api`.
    for file in 0..r.facts.len() {
        if r.project.path(file).ends_with("routes/api.php") {
            loaded.entry(file).or_insert_with(|| Scope {
                prefix: vec![api_prefix.clone()],
                ..Scope::default()
            });
        }
    }
    // Groups: a chain ending in `group(closure)`.
    let mut groups: Vec<Group> = Vec::new();
    for (file, links, _) in &chains {
        let Some(&(last, args, line)) = links.last() else {
            continue;
        };
        if last != "group" {
            continue;
        }
        let Some(Expr::Function(start, end)) = args.last().map(|a| &a.value) else {
            continue;
        };
        let mut scope = Scope::default();
        for &link in &links[..links.len() - 1] {
            attribute(&mut scope, link, *file, Attached::Group);
        }
        if let Some(Expr::Map(pairs)) = args.first().map(|a| &a.value) {
            group_array(&mut scope, pairs, *file, line);
        }
        groups.push(Group {
            file: *file,
            lines: (*start, *end),
            scope,
        });
    }
    Some(Laravel {
        chains,
        loaded,
        groups,
        classes,
    })
}

fn laravel(r: &mut Reader) {
    let Some(Laravel {
        chains,
        loaded,
        groups,
        classes,
    }) = laravel_files(r)
    else {
        return;
    };
    for (file, links, line) in &chains {
        // The registering call: the first verb of the chain; what is
        // written before it (`Route::middleware('auth:sanctum')->get(...)`)
        // and after it applies to the route.
        let Some(at) = links.iter().position(|l| {
            matches!(
                l.0,
                "get"
                    | "post"
                    | "put"
                    | "patch"
                    | "delete"
                    | "options"
                    | "any"
                    | "redirect"
                    | "permanentRedirect"
                    | "view"
                    | "match"
                    | "resource"
                    | "apiResource"
            )
        }) else {
            continue;
        };
        let (verb, args, _) = links[at];
        let modifiers: Vec<Link> = links
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != at)
            .map(|(_, &l)| l)
            .collect();
        let methods: Vec<String> = match verb {
            "get" | "post" | "put" | "patch" | "delete" | "options" => {
                vec![verb.to_ascii_uppercase()]
            }
            "any" | "redirect" | "permanentRedirect" => vec!["*".to_string()],
            "view" => vec!["GET".to_string()],
            "match" => match args.first().map(|a| &a.value) {
                Some(Expr::List(items)) => items
                    .iter()
                    .filter_map(Expr::as_str)
                    .map(str::to_ascii_uppercase)
                    .collect(),
                Some(Expr::Str(m)) => vec![m.to_ascii_uppercase()],
                _ => Vec::new(),
            },
            "resource" | "apiResource" => Vec::new(),
            _ => continue,
        };
        // The groups around it, outermost first; then the file's own.
        let mut around: Vec<&Group> = groups
            .iter()
            .filter(|g| g.file == *file && g.lines.0 <= *line && *line <= g.lines.1)
            .collect();
        around.sort_by_key(|g| (g.lines.0, std::cmp::Reverse(g.lines.1)));
        let mut scope = loaded.get(file).cloned().unwrap_or_default();
        // What a provider gave the file is the group's, not the route's.
        for g in around {
            scope.prefix.extend(g.scope.prefix.iter().cloned());
            scope.name.push_str(&g.scope.name);
            if g.scope.controller.is_some() {
                scope.controller = g.scope.controller.clone();
            }
            scope.middleware.extend(g.scope.middleware.iter().cloned());
            scope.namespace.extend(g.scope.namespace.iter().cloned());
        }
        // An action written as an array of options (`['as' => 'x',
        // 'uses' => 'C@m', 'middleware' => 'auth']`): its parts.
        let action_at = if verb == "match" { 2 } else { 1 };
        let options = match args.get(action_at).map(|a| &a.value) {
            Some(Expr::Map(pairs)) => Some(pairs),
            _ => None,
        };
        let mut own = Scope::default();
        if let Some(pairs) = options {
            for (k, v) in pairs {
                let arg = [Arg {
                    name: None,
                    value: v.clone(),
                }];
                match k.as_str() {
                    Some("as") => {
                        attribute(&mut own, ("name", &arg, *line), *file, Attached::Route)
                    }
                    Some("middleware") => attribute(
                        &mut own,
                        ("middleware", &arg, *line),
                        *file,
                        Attached::Route,
                    ),
                    _ => {}
                }
            }
        }
        for &link in &modifiers {
            attribute(&mut own, link, *file, Attached::Route);
        }
        // `->withoutMiddleware('auth')` takes one back.
        let without: Vec<String> = modifiers
            .iter()
            .filter(|l| l.0 == "withoutMiddleware")
            .flat_map(|l| strings(l.1))
            .collect();
        scope.middleware.retain(|(m, ..)| !without.contains(m));
        own.middleware.retain(|(m, ..)| !without.contains(m));
        let mut guards = Vec::new();
        let mut decorators = Vec::new();
        for (m, site, on) in scope.middleware.iter().chain(own.middleware.iter()) {
            let g = Guard {
                name: m.clone(),
                site: *site,
                on: *on,
            };
            if laravel_guard(m) {
                guards.push(g);
            } else {
                decorators.push(g);
            }
        }
        let site = Site {
            file: *file,
            line: *line,
        };
        let join = |extra: &[&str]| {
            let segments: Vec<&str> = scope
                .prefix
                .iter()
                .chain(own.prefix.iter())
                .map(String::as_str)
                .chain(extra.iter().copied())
                .flat_map(|p| p.split('/'))
                .filter(|p| !p.is_empty())
                .collect();
            format!("/{}", segments.join("/"))
        };
        if matches!(verb, "resource" | "apiResource") {
            let made = Made {
                site,
                guards: &guards,
                decorators: &decorators,
                join: &join,
            };
            resource_routes(r, &classes, *file, verb, args, &modifiers, &scope, &made);
            continue;
        }
        let uri_at = if verb == "match" { 1 } else { 0 };
        let Some(uri) = args.get(uri_at).and_then(|a| a.value.as_str()) else {
            r.dynamic(
                site,
                Framework::Laravel,
                "a route path not read statically".to_string(),
            );
            continue;
        };
        // An options array's `uses` is the action.
        let action = match options {
            Some(pairs) => pairs
                .iter()
                .find(|(k, _)| k.as_str() == Some("uses"))
                .map(|(_, v)| v),
            None => args.get(action_at).map(|a| &a.value),
        };
        let (handler, written) = match (verb, action) {
            ("view", Some(v)) => (None, Some(format!("view {}", v.text()))),
            ("redirect" | "permanentRedirect", Some(v)) => {
                (None, Some(format!("redirect to {}", v.text())))
            }
            (_, Some(Expr::Function(..))) => (None, Some("inline function".to_string())),
            (_, Some(Expr::List(pair))) if pair.len() == 2 => {
                match (class_of(r, &classes, *file, &pair[0]), pair[1].as_str()) {
                    (Some(c), Some(m)) => (
                        Some(Handler {
                            view: c,
                            method: member(r, c, m),
                        }),
                        None,
                    ),
                    _ => (None, Some(pair[0].text())),
                }
            }
            // `'OrderController@show'`, or a method of the group's
            // controller (`Route::controller(...)->group(...)`).
            (_, Some(Expr::Str(text))) => {
                let (class, method) = match text.split_once('@') {
                    Some((c, m)) => (Some(c.to_string()), m),
                    None => (scope.controller.clone(), text.as_str()),
                };
                match class.as_deref().and_then(|c| {
                    controller_of(
                        r,
                        &classes,
                        *file,
                        &Expr::Str(c.to_string()),
                        &scope.namespace,
                    )
                }) {
                    Some(c) => (
                        Some(Handler {
                            view: c,
                            method: member(r, c, method),
                        }),
                        None,
                    ),
                    None => (None, Some(text.clone())),
                }
            }
            // An invokable controller.
            (_, Some(e @ Expr::Path(_))) => match class_of(r, &classes, *file, e) {
                Some(c) => (
                    Some(Handler {
                        view: c,
                        method: member(r, c, "__invoke"),
                    }),
                    None,
                ),
                None => (None, Some(e.text())),
            },
            (_, other) => {
                r.dynamic(
                    site,
                    Framework::Laravel,
                    format!(
                        "a route action not read statically: {}",
                        other.map_or_else(|| "none".to_string(), Expr::text)
                    ),
                );
                continue;
            }
        };
        let mut sorted = methods;
        sorted.sort();
        sorted.dedup();
        r.routes.push(Route {
            methods: sorted,
            path: join(&[uri]),
            framework: Framework::Laravel,
            handler,
            view_written: written,
            name: (!own.name.is_empty()).then(|| format!("{}{}", scope.name, own.name)),
            site,
            guards,
            decorators,
        });
    }
}

/// Where a route is registered and what applies to it, as its chain and
/// groups give them.
struct Made<'m> {
    site: Site,
    guards: &'m [Guard],
    decorators: &'m [Guard],
    /// The full path of a uri under the route's prefixes.
    join: &'m dyn Fn(&[&str]) -> String,
}

/// The routes `resource` (seven) or `apiResource` (five) registers, as
/// `only`/`except` (chained or in the options array) keep them.
#[allow(clippy::too_many_arguments)]
fn resource_routes(
    r: &mut Reader,
    classes: &Classes,
    file: FileId,
    verb: &str,
    args: &[Arg],
    modifiers: &[Link],
    scope: &Scope,
    made: &Made,
) {
    let (Some(name), Some(controller)) = (
        args.first().and_then(|a| a.value.as_str()),
        args.get(1).map(|a| &a.value),
    ) else {
        r.dynamic(
            made.site,
            Framework::Laravel,
            "a resource not read statically".to_string(),
        );
        return;
    };
    let class = controller_of(r, classes, file, controller, &scope.namespace);
    let keep = |action: &str| -> bool {
        // `->only([...])`, `->except('a', 'b')`, or the options
        // array (`['only' => [...]]`).
        let listed = |m: &str| {
            modifiers
                .iter()
                .find(|l| l.0 == m)
                .map(|l| strings(l.1))
                .or_else(|| match args.get(2).map(|a| &a.value) {
                    Some(Expr::Map(pairs)) => pairs
                        .iter()
                        .find(|(k, _)| k.as_str() == Some(m))
                        .map(|(_, v)| {
                            strings(&[Arg {
                                name: None,
                                value: v.clone(),
                            }])
                        }),
                    _ => None,
                })
        };
        (verb == "resource" || !matches!(action, "create" | "edit"))
            && listed("only").is_none_or(|only| only.iter().any(|a| a == action))
            && listed("except").is_none_or(|except| !except.iter().any(|a| a == action))
    };
    // `admin/photos`: under `admin`, named `photos`;
    // `photos.comments`: `/photos/{photo}/comments/{comment}`.
    let (under, name) = name.rsplit_once('/').unwrap_or(("", name));
    let parts: Vec<&str> = name.split('.').collect();
    let mut base: Vec<String> = under
        .split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    for (i, p) in parts.iter().enumerate() {
        base.push(p.to_string());
        if i + 1 < parts.len() {
            base.push(format!("{{{}}}", singular(p)));
        }
    }
    let parameter = singular(parts.last().copied().unwrap_or(name));
    for (action, verbs, tail) in RESOURCE {
        if !keep(action) {
            continue;
        }
        let tail = tail.replace("{}", &format!("{{{parameter}}}"));
        let mut extra: Vec<&str> = base.iter().map(String::as_str).collect();
        extra.push(&tail);
        r.routes.push(Route {
            methods: verbs.iter().map(|v| v.to_string()).collect(),
            path: (made.join)(&extra),
            framework: Framework::Laravel,
            handler: class.map(|c| Handler {
                view: c,
                method: member(r, c, action),
            }),
            view_written: class.is_none().then(|| match controller {
                Expr::Str(c) => c.clone(),
                other => other.text(),
            }),
            name: Some(format!("{}{name}.{action}", scope.name)),
            site: made.site,
            guards: made.guards.to_vec(),
            decorators: made.decorators.to_vec(),
        });
    }
}

/// The controller class a PHP expression names (`OrderController::class`,
/// `'App\Http\Controllers\OrderController'`), through the file's `use`
/// statements, else by its qualified name, else under Laravel's
/// controllers namespace.
fn class_of(r: &Reader, classes: &Classes, file: FileId, expr: &Expr) -> Option<SymbolId> {
    let (Expr::Path(name) | Expr::Str(name)) = expr else {
        return None;
    };
    let is_class = |n: SymbolId| matches!(r.graph.nodes[n].kind, NodeKind::Def(k) if k.is_type());
    if let (Some(n), _) = r.lookup.follow(file, None, name, 0)
        && is_class(n)
    {
        return Some(n);
    }
    let bare = name.trim_start_matches('\\');
    [bare.to_string(), format!("App\\Http\\Controllers\\{bare}")]
        .iter()
        .find_map(|q| classes.get(q.as_str()).copied())
}

/// The classes of the repository by qualified name.
type Classes<'a> = BTreeMap<&'a str, SymbolId>;

/// A controller named in a route: a string in a group with a
/// `namespace` under `App\Http\Controllers\<namespace>` first, else as
/// [`class_of`] finds it.
fn controller_of(
    r: &Reader,
    classes: &Classes,
    file: FileId,
    expr: &Expr,
    namespace: &[String],
) -> Option<SymbolId> {
    // A string is under its group's namespace, as Laravel prefixes it
    // (`'ReportController@show'` in `namespace => 'Legacy'`); a class
    // named with `::class` is what the file's `use` says.
    if let Expr::Str(name) = expr
        && !namespace.is_empty()
        && !name.starts_with('\\')
    {
        let qualified = format!("App\\Http\\Controllers\\{}\\{name}", namespace.join("\\"));
        if let Some(&c) = classes.get(qualified.as_str()) {
            return Some(c);
        }
    }
    class_of(r, classes, file, expr)
}

/// A method of a class node, by name.
fn member(r: &Reader, class: SymbolId, name: &str) -> Option<SymbolId> {
    let n = &r.graph.nodes[class];
    let &def = n.defs.first()?;
    let s = r.facts[n.file].symbols.as_ref()?;
    s.defs
        .iter()
        .position(|d| d.parent == Some(def) && d.name == name && d.kind.is_callable())
        .and_then(|i| r.graph.node(n.file, i as u32))
}

/// The class's fully qualified name, from its symbol (`App\X\Y`).
fn class_name_of(symbol: &str) -> String {
    symbol.trim_start_matches('\\').to_string()
}

#[cfg(test)]
mod tests {
    use super::default_name;

    #[test]
    fn symfony_default_route_names() {
        let name = default_name;
        assert_eq!(
            name("App\\Controller\\BlogController", "show", 0),
            "app_blog_show"
        );
        assert_eq!(
            name("App\\Controller\\BlogController", "show", 1),
            "app_blog_show_1"
        );
        assert_eq!(
            name("App\\Controller\\Admin\\UserController", "listAction", 0),
            "app_admin_user_list"
        );
        assert_eq!(
            name("App\\Controller\\Admin\\UserController", "listAction", 2),
            "app_admin_user_list_2"
        );
        // Only a method named `...Action` loses it.
        assert_eq!(
            name("App\\Controller\\TxController", "transaction", 0),
            "app_tx_transaction"
        );
        assert_eq!(
            name(
                "Acme\\DemoBundle\\Controller\\DefaultController",
                "index",
                0
            ),
            "acme_demo_default_index"
        );
    }
}
