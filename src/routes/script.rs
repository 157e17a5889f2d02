//! TypeScript's and JavaScript's web frameworks: Express (applications,
//! routers, `use` mounts and middleware, `route()` chains) and NestJS
//! (controllers, method decorators, `@UseGuards`, the global prefix).

use std::collections::BTreeMap;

use crate::facts::{Arg, Expr};
use crate::lang::LanguageFamily;
use crate::project::FileId;
use crate::symbols::Followed;

use super::{
    Attached, Framework, Guard, Handler, Key, MAX_DEPTH, Mounts, Prefixes, Reader, Route, Site,
    last, local_key, made_key, symbols, text_of,
};

const METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "options", "head", "all",
];

pub(super) fn read(r: &mut Reader) {
    let files: Vec<FileId> = (0..r.facts.len())
        .filter(|&f| {
            matches!(
                r.project.get(f).language.family(),
                LanguageFamily::TypeScript | LanguageFamily::JavaScript
            ) && r.facts[f]
                .symbols
                .as_ref()
                .is_some_and(|s| !s.calls.is_empty())
        })
        .collect();
    if files.is_empty() {
        return;
    }
    Express::new(r, &files).read(r);
    nest(r, &files);
}

/// Whether a middleware or guard named so authenticates or authorises.
fn is_guard(name: &str) -> bool {
    let last = last(name).to_ascii_lowercase();
    [
        "auth",
        "login",
        "jwt",
        "token",
        "permission",
        "role",
        "guard",
        "passport",
        "admin",
    ]
    .iter()
    .any(|w| last.contains(w))
}

/// A middleware's name: `requireAuth`, `requireRole('admin')` is
/// `requireRole`, `passport.authenticate('jwt')` is
/// `passport.authenticate`.
fn middleware_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) => Some(p.clone()),
        Expr::Call { receiver, name, .. } => match (receiver.as_deref(), name.is_empty()) {
            (Some(Expr::Path(p)), false) => Some(format!("{p}.{name}")),
            (None, false) => Some(name.clone()),
            (Some(r), true) => middleware_name(r),
            _ => None,
        },
        _ => None,
    }
}

/// Express's join of a mount path and a route path: `/api/orders` and
/// `/` is `/api/orders`.
fn join(prefix: &str, path: &str) -> String {
    let path = if path == "/" { "" } else { path };
    let joined = format!("{}{path}", prefix.trim_end_matches('/'));
    if joined.is_empty() {
        "/".to_string()
    } else {
        joined
    }
}

/// Whether `path` is `prefix` or below it, segment by segment (`/admin`
/// is not under `/adm`).
fn under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

struct Object {
    app: bool,
    site: Site,
}

struct Mount {
    parent: Key,
    child: Key,
    prefix: String,
    site: Site,
    guards: Vec<Guard>,
    others: Vec<Guard>,
}

/// `router.use(middleware)`: it runs before every route registered on
/// the object after it (under its path, when one is given).
struct Use {
    object: Key,
    site: Site,
    prefix: String,
    guard: Guard,
    is_guard: bool,
}

struct Registration {
    object: Key,
    rule: String,
    method: String,
    handler: Option<Handler>,
    written: Option<String>,
    site: Site,
    guards: Vec<Guard>,
    others: Vec<Guard>,
}

struct Express {
    objects: BTreeMap<Key, Object>,
    mounts: Vec<Mount>,
    uses: Vec<Use>,
    registrations: Vec<Registration>,
}

impl Express {
    fn new(r: &mut Reader, files: &[FileId]) -> Express {
        let mut e = Express {
            objects: BTreeMap::new(),
            mounts: Vec::new(),
            uses: Vec::new(),
            registrations: Vec::new(),
        };
        for &file in files {
            let s = symbols(r, file);
            for call in s.calls.iter().filter(|c| !c.decorator) {
                let (Some(_), Some((receiver, name, _, line))) =
                    (&call.target, call.value.as_call())
                else {
                    continue;
                };
                let app = match (receiver, name) {
                    (None, "express") => true,
                    (None | Some(Expr::Path(_)), "Router") => false,
                    _ => continue,
                };
                let Some(key) = made_key(r, file, call) else {
                    continue;
                };
                e.objects.insert(
                    key,
                    Object {
                        app,
                        site: Site { file, line },
                    },
                );
            }
        }
        // Even with no application found: a route on an object not
        // followed is listed.
        for &file in files {
            let s = symbols(r, file);
            for call in s
                .calls
                .iter()
                .filter(|c| !c.decorator && c.target.is_none())
            {
                e.note(r, file, call.scope, &call.value);
            }
        }
        e
    }

    /// The object a receiver names from a scope.
    fn key(
        &self,
        r: &Reader,
        file: FileId,
        scope: Option<u32>,
        path: &str,
        line: u32,
    ) -> Option<Key> {
        if !path.contains('.')
            && let Some(local) = local_key(r, file, scope, path, &self.objects)
        {
            return Some(local);
        }
        let (met, _) = r.lookup.follow(file, scope, path, line);
        met.map(Key::Node).filter(|k| self.objects.contains_key(k))
    }

    fn note(&mut self, r: &mut Reader, file: FileId, scope: Option<u32>, value: &Expr) {
        let Some((Some(receiver), name, args, line)) = value.as_call() else {
            return;
        };
        let site = Site { file, line };
        match receiver {
            Expr::Path(written) => {
                let Some(object) = self.key(r, file, scope, written, line) else {
                    // `adminApp.get('/flows', auth, handler)` on an object
                    // not followed (made by a factory, passed in): a route
                    // by its shape, listed so that the miss shows. (A
                    // client's `http.get('/x')` has no handler after it.)
                    let routeish = METHODS.contains(&name)
                        && args.len() >= 2
                        && args[0].value.as_str().is_some_and(|p| p.starts_with('/'))
                        && args[1..].iter().all(|a| {
                            matches!(
                                a.value,
                                Expr::Path(_) | Expr::Function(..) | Expr::Call { .. }
                            )
                        });
                    if routeish {
                        r.dynamic(
                            site,
                            Framework::Express,
                            format!(
                                "a route on an object not followed: {written}.{name}('{}', ...)",
                                args[0].value.as_str().unwrap_or_default()
                            ),
                        );
                    }
                    return;
                };
                if name == "use" {
                    self.use_(r, file, scope, object, args, site);
                } else if METHODS.contains(&name) {
                    let Some(rule) = args.first() else { return };
                    let Some(rule) = text_of(r, file, scope, &rule.value, &[], 0) else {
                        r.dynamic(
                            site,
                            Framework::Express,
                            format!("a route not read statically: {}", value.text()),
                        );
                        return;
                    };
                    self.register(r, file, scope, object, rule, name, &args[1..], site);
                }
            }
            // `router.route('/x').get(h).put(h2)`: one route per method.
            Expr::Call { .. } if METHODS.contains(&name) => {
                let mut chain = vec![(name, args, line)];
                let mut at = receiver;
                loop {
                    match at.as_call() {
                        Some((Some(inner), method, inner_args, inner_line))
                            if METHODS.contains(&method) && matches!(inner, Expr::Call { .. }) =>
                        {
                            chain.push((method, inner_args, inner_line));
                            at = inner;
                        }
                        Some((Some(Expr::Path(object)), "route", route_args, route_line)) => {
                            let Some(object) = self.key(r, file, scope, object, route_line) else {
                                return;
                            };
                            let Some(rule) = route_args
                                .first()
                                .and_then(|a| text_of(r, file, scope, &a.value, &[], 0))
                            else {
                                r.dynamic(
                                    Site {
                                        file,
                                        line: route_line,
                                    },
                                    Framework::Express,
                                    format!("a route not read statically: {}", at.text()),
                                );
                                return;
                            };
                            for (method, handlers, line) in chain.into_iter().rev() {
                                let site = Site { file, line };
                                self.register(
                                    r,
                                    file,
                                    scope,
                                    object.clone(),
                                    rule.clone(),
                                    method,
                                    handlers,
                                    site,
                                );
                            }
                            return;
                        }
                        _ => return,
                    }
                }
            }
            _ => {}
        }
    }

    /// `x.use([path,] ...middleware or routers)`.
    fn use_(
        &mut self,
        r: &mut Reader,
        file: FileId,
        scope: Option<u32>,
        object: Key,
        args: &[Arg],
        site: Site,
    ) {
        let mut rest = args;
        let mut prefix = String::new();
        if let Some(first) = args.first()
            && let Some(path) = text_of(r, file, scope, &first.value, &[], 0)
        {
            prefix = path;
            rest = &args[1..];
        }
        let mut guards = Vec::new();
        let mut others = Vec::new();
        for arg in rest {
            if let Expr::Path(p) = &arg.value
                && let Some(child) = self.key(r, file, scope, p, site.line)
            {
                self.mounts.push(Mount {
                    parent: object.clone(),
                    child,
                    prefix: prefix.clone(),
                    site,
                    guards: guards.clone(),
                    others: others.clone(),
                });
                continue;
            }
            let Some(name) = middleware_name(&arg.value) else {
                continue;
            };
            let guard = Guard {
                name,
                site,
                on: Attached::Group,
            };
            let is_guard = is_guard(&guard.name);
            if is_guard {
                guards.push(guard.clone());
            } else {
                others.push(guard.clone());
            }
            self.uses.push(Use {
                object: object.clone(),
                site,
                prefix: prefix.clone(),
                guard,
                is_guard,
            });
        }
    }

    /// A route: the last handler handles it, the ones before it are
    /// middleware of this route only.
    #[allow(clippy::too_many_arguments)]
    fn register(
        &mut self,
        r: &mut Reader,
        file: FileId,
        scope: Option<u32>,
        object: Key,
        rule: String,
        method: &str,
        handlers: &[Arg],
        site: Site,
    ) {
        let Some((handler, middleware)) = handlers.split_last() else {
            return;
        };
        let mut guards = Vec::new();
        let mut others = Vec::new();
        for m in middleware {
            if let Some(name) = middleware_name(&m.value) {
                let guard = Guard {
                    name,
                    site,
                    on: Attached::Route,
                };
                if is_guard(&guard.name) {
                    guards.push(guard);
                } else {
                    others.push(guard);
                }
            }
        }
        let (handler, written) = match &handler.value {
            Expr::Function(..) => (None, Some("inline function".to_string())),
            Expr::Path(p) => {
                let (met, value) = r.lookup.follow(file, scope, p, site.line);
                match met {
                    Some(view) => (Some(Handler { view, method: None }), None),
                    None if value == Followed::External => (None, Some(p.clone())),
                    None => {
                        r.dynamic(
                            site,
                            Framework::Express,
                            format!("a handler not followed: {p}"),
                        );
                        return;
                    }
                }
            }
            other => {
                r.dynamic(
                    site,
                    Framework::Express,
                    format!("a handler not read statically: {}", other.text()),
                );
                return;
            }
        };
        self.registrations.push(Registration {
            object,
            rule,
            method: if method == "all" {
                "*".to_string()
            } else {
                method.to_ascii_uppercase()
            },
            handler,
            written,
            site,
            guards,
            others,
        });
    }

    /// The middleware `use`d on an object before `site` (in its file),
    /// under `path`.
    fn used_before(&self, object: &Key, site: Site, path: &str) -> (Vec<Guard>, Vec<Guard>) {
        let mut guards = Vec::new();
        let mut others = Vec::new();
        for u in self.uses.iter().filter(|u| {
            u.object == *object
                && (u.site.file != site.file || u.site.line < site.line)
                && under(path, &u.prefix)
        }) {
            if u.is_guard {
                guards.push(u.guard.clone());
            } else {
                others.push(u.guard.clone());
            }
        }
        (guards, others)
    }

    fn read(self, r: &mut Reader) {
        let mut cache: BTreeMap<Key, Prefixes> = BTreeMap::new();
        for reg in &self.registrations {
            if !cache.contains_key(&reg.object) {
                let p = self.prefixes(r, &reg.object, &mut Vec::new());
                cache.insert(reg.object.clone(), p);
            }
            let (g, o) = self.used_before(&reg.object, reg.site, &reg.rule);
            for (prefix, guards, others) in &cache[&reg.object] {
                let mut all_guards = guards.clone();
                all_guards.extend(g.iter().cloned());
                all_guards.extend(reg.guards.iter().cloned());
                let mut all_others = others.clone();
                all_others.extend(o.iter().cloned());
                all_others.extend(reg.others.iter().cloned());
                r.routes.push(Route {
                    methods: vec![reg.method.clone()],
                    path: join(prefix, &reg.rule),
                    framework: Framework::Express,
                    handler: reg.handler,
                    view_written: reg.written.clone(),
                    name: None,
                    site: reg.site,
                    guards: all_guards,
                    decorators: all_others,
                });
            }
        }
    }
}

impl Mounts for Express {
    fn made(&self, key: &Key) -> (Site, Framework) {
        let object = &self.objects[key];
        (object.site, Framework::Express)
    }

    /// Every path an object is served under, with what runs before it.
    fn mounted(&self, r: &mut Reader, key: &Key, stack: &mut Vec<Key>) -> Prefixes {
        let parents: Vec<&Mount> = self.mounts.iter().filter(|m| m.child == *key).collect();
        if parents.is_empty() || stack.len() > MAX_DEPTH {
            let object = &self.objects[key];
            if !object.app {
                r.dynamic(
                    object.site,
                    Framework::Express,
                    "a router never mounted where vantage can see it: its routes are listed from /"
                        .to_string(),
                );
            }
            return vec![(String::new(), Vec::new(), Vec::new())];
        }
        let mut out = Vec::new();
        for m in parents {
            for (outer, mut guards, mut others) in self.prefixes_below(r, &m.parent, key, stack) {
                let (g, o) = self.used_before(&m.parent, m.site, &m.prefix);
                guards.extend(g);
                guards.extend(m.guards.iter().cloned());
                others.extend(o);
                others.extend(m.others.iter().cloned());
                let prefix = if m.prefix.is_empty() || m.prefix == "/" {
                    outer
                } else {
                    format!("{}{}", outer.trim_end_matches('/'), m.prefix)
                };
                out.push((prefix, guards, others));
            }
        }
        out
    }
}

/// NestJS: `@Controller(path)` classes, their methods' `@Get(path)`...
/// decorators, `@UseGuards(...)` on either, under the prefix
/// `setGlobalPrefix` gives.
fn nest(r: &mut Reader, files: &[FileId]) {
    let mut global = String::new();
    for &file in files {
        for call in &symbols(r, file).calls {
            if let Some((Some(_), "setGlobalPrefix", args, _)) = call.value.as_call()
                && let Some(prefix) = args.first().and_then(|a| a.value.as_str())
            {
                global = prefix.to_string();
            }
        }
    }
    for &file in files {
        let s = symbols(r, file);
        let decorators = |def: u32| {
            s.calls
                .iter()
                .filter(move |c| c.decorator && c.scope == Some(def))
        };
        for (class, def) in s.defs.iter().enumerate() {
            if !def.kind.is_type() {
                continue;
            }
            let class = class as u32;
            let controller = decorators(class).find_map(|c| match c.value.as_call() {
                Some((None, "Controller", args, _)) => Some(match args.first().map(|a| &a.value) {
                    Some(Expr::Str(path)) => path.clone(),
                    Some(Expr::Map(pairs)) => pairs
                        .iter()
                        .find(|(k, _)| k.as_str() == Some("path"))
                        .and_then(|(_, v)| v.as_str())
                        .unwrap_or("")
                        .to_string(),
                    _ => String::new(),
                }),
                _ => None,
            });
            let Some(controller) = controller else {
                continue;
            };
            let Some(view) = r.graph.node(file, class) else {
                continue;
            };
            let class_guards = use_guards(decorators(class).map(|c| (&c.value, c.line)), file);
            for (method, m) in s.defs.iter().enumerate() {
                if m.parent != Some(class) || !m.kind.is_callable() {
                    continue;
                }
                let method = method as u32;
                let mut routes: Vec<(String, String, u32)> = Vec::new();
                let mut others = Vec::new();
                for c in decorators(method) {
                    match c.value.as_call() {
                        Some((None, verb, args, _))
                            if METHODS.iter().any(|m| m.eq_ignore_ascii_case(verb))
                                && verb.starts_with(char::is_uppercase) =>
                        {
                            let verb = if verb == "All" {
                                "*".to_string()
                            } else {
                                verb.to_ascii_uppercase()
                            };
                            let paths: Vec<String> = match args.first().map(|a| &a.value) {
                                None => vec![String::new()],
                                Some(Expr::Str(p)) => vec![p.clone()],
                                Some(Expr::List(items)) => items
                                    .iter()
                                    .filter_map(|i| i.as_str().map(str::to_string))
                                    .collect(),
                                Some(other) => {
                                    r.dynamic(
                                        Site { file, line: c.line },
                                        Framework::Nest,
                                        format!("a route not read statically: {}", other.text()),
                                    );
                                    continue;
                                }
                            };
                            for p in paths {
                                routes.push((verb.clone(), p, c.line));
                            }
                        }
                        Some((None, "UseGuards", ..)) => {}
                        _ => {
                            if let Some(name) = middleware_name(&c.value) {
                                others.push(Guard {
                                    name,
                                    site: Site { file, line: c.line },
                                    on: Attached::Handler,
                                });
                            }
                        }
                    }
                }
                if routes.is_empty() {
                    continue;
                }
                let mut guards = class_guards.clone();
                guards.extend(use_guards(
                    decorators(method).map(|c| (&c.value, c.line)),
                    file,
                ));
                let handler_method = r.graph.node(file, method);
                for (verb, path, line) in routes {
                    let segments: Vec<&str> = [global.as_str(), controller.as_str(), path.as_str()]
                        .into_iter()
                        .map(|p| p.trim_matches('/'))
                        .filter(|p| !p.is_empty())
                        .collect();
                    r.routes.push(Route {
                        methods: vec![verb],
                        path: format!("/{}", segments.join("/")),
                        framework: Framework::Nest,
                        handler: Some(Handler {
                            view,
                            method: handler_method,
                        }),
                        view_written: None,
                        name: None,
                        site: Site { file, line },
                        guards: guards.clone(),
                        decorators: others.clone(),
                    });
                }
            }
        }
    }
}

/// The guards `@UseGuards(A, new B(), C('jwt'))` names, each at its
/// decorator's line.
fn use_guards<'e>(decorators: impl Iterator<Item = (&'e Expr, u32)>, file: FileId) -> Vec<Guard> {
    let mut out = Vec::new();
    for (value, line) in decorators {
        if let Some((None, "UseGuards", args, _)) = value.as_call() {
            for a in args {
                if let Some(name) = middleware_name(&a.value) {
                    out.push(Guard {
                        name: last(&name).to_string(),
                        site: Site { file, line },
                        on: Attached::Handler,
                    });
                }
            }
        }
    }
    out
}
