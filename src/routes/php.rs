//! Symfony's attribute routing: `#[Route]` on controller methods, with a
//! class-level `#[Route]` as their prefix, and `#[IsGranted]` guards.

use super::{Attached, Framework, Guard, Handler, Reader, Route, Site, symbols};
use crate::facts::{Arg, Expr, FileFacts, argument, keyword};
use crate::lang::Language;
use crate::project::FileId;

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
            let methods = if !d.methods.is_empty() {
                d.methods.clone()
            } else if !prefix.methods.is_empty() {
                prefix.methods.clone()
            } else {
                vec!["*".to_string()]
            };
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
