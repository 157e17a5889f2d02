//! TypeScript and JavaScript: reading import matches, and resolving
//! specifiers the way TypeScript's bundler/node resolution would find the
//! *source* files of this repository.
//!
//! Order for a bare specifier: `tsconfig.json` `paths`, then `baseUrl`, then
//! the repository's own packages (workspaces and self-references, mapped
//! from their published `exports`/`main` back to source), then Node.js
//! builtins, then third-party packages (declared in a package.json above the
//! file, or not). Relative specifiers probe extensions (`.js` written for a
//! `.ts` source included) and `index` files.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use tree_sitter::{Node, Query};

use crate::facts::{FileFacts, ImportKind, RawImport};
use crate::lang::{Scan, Scope, apply_scopes, each_match, line_of, node_text, stdlib};
use crate::project::{FileId, ProjectFiles, child, join, parent};
use crate::resolve::{Resolution, Resolve};

/// Reads the matches of `queries/{typescript,javascript}/imports.scm`.
pub(crate) fn read_imports(
    query: &Query,
    root: Node,
    source: &[u8],
    scan: &Scan,
    facts: &mut FileFacts,
) {
    let names = query.capture_names();
    let mut imports: Vec<(usize, RawImport)> = Vec::new();
    let mut scopes = Vec::new();
    // Statement start → the names it imports or re-exports.
    // (names, aliases) per statement start.
    type Names = (Vec<String>, Vec<(String, String)>);
    let mut imported: HashMap<usize, Names> = HashMap::new();
    let mut exports: HashSet<usize> = HashSet::new();
    let unquoted = |node: Node| {
        node_text(node, source)
            .trim_matches(['"', '\''])
            .to_string()
    };
    each_match(query, root, source, scan, |m| {
        let mut of = None;
        let mut name = None;
        let mut alias = None;
        for capture in m.captures() {
            match names[capture.index as usize] {
                "name.of" => of = Some(capture.node.start_byte()),
                // `import x from`: the default, bound as `x`.
                "name.default" => {
                    name = Some("default".to_string());
                    alias = Some(unquoted(capture.node));
                }
                "name.all" => name = Some("*".to_string()),
                "name.imported" => name = Some(unquoted(capture.node)),
                "name.alias" => alias = Some(unquoted(capture.node)),
                "name.namespace" => {
                    name = Some("*".to_string());
                    alias = Some(unquoted(capture.node));
                }
                _ => {}
            }
        }
        if let (Some(of), Some(name)) = (of, name) {
            let (names, aliases) = imported.entry(of).or_default();
            if let Some(alias) = alias.filter(|a| *a != name) {
                aliases.push((name.clone(), alias));
            }
            names.push(name);
            return;
        }
        let mut site = None;
        let mut specifier = None;
        let mut calls_require = false;
        for capture in m.captures() {
            let node = capture.node;
            let kind = match names[capture.index as usize] {
                "import.source" => {
                    specifier = Some(node_text(node, source));
                    continue;
                }
                "import.statement" => statement_kind(node),
                "import.reexport" => {
                    exports.insert(node.start_byte());
                    reexport_kind(node)
                }
                "import.call" => ImportKind::Dynamic,
                "import.function" => {
                    calls_require = node.kind() == "identifier";
                    continue;
                }
                "import.reference" => {
                    specifier = reference_path(node, source);
                    ImportKind::TypeOnly
                }
                "scope.type_only" => {
                    scopes.push(Scope::of(node, ImportKind::TypeOnly));
                    continue;
                }
                "scope.lazy" => {
                    scopes.push(Scope::of(node, ImportKind::Lazy));
                    continue;
                }
                _ => continue,
            };
            site = Some((node, kind));
        }
        if let (Some((node, mut kind)), Some(specifier)) = (site, specifier) {
            if kind == ImportKind::Dynamic && calls_require {
                kind = ImportKind::Require;
            }
            imports.push((
                node.start_byte(),
                RawImport {
                    specifier,
                    names: Vec::new(),
                    line: line_of(node),
                    kind,
                    reference: false,
                    reexport: false,
                    aliases: Vec::new(),
                },
            ));
        }
    });
    for (offset, import) in &mut imports {
        import.reexport = exports.contains(offset);
        if let Some((found, aliases)) = imported.remove(offset) {
            import.names = found;
            import.aliases = aliases;
        } else if import.reexport {
            // `export * from` (and `export * as ns from`) re-exports all.
            import.names = vec!["*".to_string()];
        }
    }
    apply_scopes(scopes, &mut imports);
    facts.imports = imports.into_iter().map(|(_, import)| import).collect();
}

/// The path of a `/// <reference path="x" />` directive, made relative
/// (`x` means `./x` there).
fn reference_path(comment: Node, source: &[u8]) -> Option<String> {
    let text = node_text(comment, source);
    let rest = text
        .split_once("path")?
        .1
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let path = rest[1..].split(quote).next()?;
    if path.is_empty() {
        return None;
    }
    Some(if path.starts_with("./") || path.starts_with("../") {
        path.to_string()
    } else {
        format!("./{path}")
    })
}

/// `import type ...`, `import typeof ...` (Flow), and imports whose every
/// named specifier is `type`-qualified are erased by the compiler.
fn statement_kind(statement: Node) -> ImportKind {
    if has_type_keyword(statement) {
        return ImportKind::TypeOnly;
    }
    let mut cursor = statement.walk();
    let clause = statement
        .named_children(&mut cursor)
        .find(|n| n.kind() == "import_clause");
    let Some(clause) = clause else {
        return ImportKind::Static;
    };
    let mut cursor = clause.walk();
    let parts: Vec<Node> = clause.named_children(&mut cursor).collect();
    if let [named] = parts.as_slice()
        && named.kind() == "named_imports"
    {
        let mut cursor = named.walk();
        let specifiers: Vec<Node> = named.named_children(&mut cursor).collect();
        if !specifiers.is_empty() && specifiers.iter().all(|s| has_type_keyword(*s)) {
            return ImportKind::TypeOnly;
        }
    }
    ImportKind::Static
}

fn reexport_kind(statement: Node) -> ImportKind {
    if has_type_keyword(statement) {
        ImportKind::TypeOnly
    } else {
        ImportKind::Reexport
    }
}

/// Whether a node has an anonymous `type`/`typeof` keyword child.
fn has_type_keyword(node: Node) -> bool {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .take(3)
        .any(|c| !c.is_named() && matches!(c.kind(), "type" | "typeof"))
}

/// Extensions probed for a specifier without one, in TypeScript's order.
const PROBE_EXTENSIONS: &[&str] = &[
    ".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mts", ".d.mts", ".mjs", ".cts", ".d.cts", ".cjs",
];

/// Endings of compiled output, stripped to find the source stem.
const OUTPUT_EXTENSIONS: &[&str] = &[".d.ts", ".d.mts", ".d.cts", ".js", ".jsx", ".mjs", ".cjs"];

/// Folder names that build tools write compiled output to.
const OUTPUT_DIRS: &[&str] = &[
    "dist", "build", "out", "lib", "esm", "cjs", "es", "types", "typings", "umd", "esm5",
    "esm2015", "es2015", "es5", "module", "modules", "commonjs", "node", "browser", "mjs",
];

/// The effective module options of one tsconfig.json / jsconfig.json, with
/// `extends` applied and every path made repository-relative.
#[derive(Clone, Debug, Default)]
struct TsConfig {
    base_url: Option<String>,
    /// `paths` patterns and their targets, targets already joined onto the
    /// directory they are relative to.
    paths: Vec<(String, Vec<String>)>,
    out_dir: Option<String>,
    root_dir: Option<String>,
}

/// A package.json of the repository.
#[derive(Debug)]
struct Package {
    dir: String,
    name: Option<String>,
    exports: Option<Value>,
    imports: Option<Value>,
    /// `source`, `types`, `typings`, `module`, `main`, in that order.
    entries: Vec<String>,
    dependencies: Vec<String>,
}

pub struct TsResolver<'a> {
    project: &'a ProjectFiles,
    /// Directory of a tsconfig.json/jsconfig.json → its effective options.
    configs: HashMap<String, TsConfig>,
    /// Directory of a package.json → the package.
    packages: HashMap<String, Package>,
    /// Package name → directory, for the repository's own packages.
    by_name: HashMap<String, String>,
}

impl<'a> TsResolver<'a> {
    pub fn new(project: &'a ProjectFiles) -> Self {
        let mut configs = HashMap::new();
        for name in ["tsconfig.json", "jsconfig.json"] {
            for path in project.others_named(name) {
                let dir = parent(path).to_string();
                configs.entry(dir).or_insert_with(|| {
                    load_tsconfig(project, path, &mut Vec::new()).unwrap_or_default()
                });
            }
        }
        let mut packages = HashMap::new();
        let mut by_name = HashMap::new();
        // Shallowest first, then by path: a name clash (a published copy
        // in `lib/`, a test fixture) goes to the package nearest the root.
        let mut manifests: Vec<&str> = project.others_named("package.json").collect();
        manifests.sort_by_key(|p| (p.matches('/').count(), *p));
        for path in manifests {
            let Some(package) = project
                .read_text(path)
                .and_then(|t| parse_package(parent(path), &t))
            else {
                continue;
            };
            if let Some(name) = &package.name {
                by_name
                    .entry(name.clone())
                    .or_insert_with(|| package.dir.clone());
            }
            packages.insert(package.dir.clone(), package);
        }
        TsResolver {
            project,
            configs,
            packages,
            by_name,
        }
    }

    /// The nearest tsconfig.json/jsconfig.json above a directory.
    fn config_for(&self, mut dir: &str) -> Option<&TsConfig> {
        loop {
            if let Some(config) = self.configs.get(dir) {
                return Some(config);
            }
            if dir.is_empty() {
                return None;
            }
            dir = parent(dir);
        }
    }

    /// package.json files from a directory up to the root, nearest first.
    fn packages_above<'s>(&'s self, mut dir: &'s str) -> impl Iterator<Item = &'s Package> + 's {
        let mut done = false;
        std::iter::from_fn(move || {
            while !done {
                let found = self.packages.get(dir);
                if dir.is_empty() {
                    done = true;
                } else {
                    dir = parent(dir);
                }
                if found.is_some() {
                    return found;
                }
            }
            None
        })
    }

    /// Finds the source a module path names: the file itself, its `.ts`
    /// twin when a `.js` is written, the path with each extension, or the
    /// directory's `index`.
    fn probe(&self, path: &str) -> Option<Resolution> {
        if let Some(id) = self.project.file(path) {
            return Some(Resolution::Files(vec![id]));
        }
        let stem = OUTPUT_EXTENSIONS
            .iter()
            .find_map(|ext| path.strip_suffix(ext))
            .unwrap_or(path);
        for ext in PROBE_EXTENSIONS {
            if let Some(id) = self.project.file(&format!("{stem}{ext}")) {
                return Some(Resolution::Files(vec![id]));
            }
        }
        if self.project.is_dir(path) {
            if let Some(package) = self.packages.get(path)
                && let Some(found) = self.package_entry(package)
            {
                return Some(found);
            }
            for ext in PROBE_EXTENSIONS {
                if let Some(id) = self.project.file(&child(path, &format!("index{ext}"))) {
                    return Some(Resolution::Files(vec![id]));
                }
            }
        }
        self.project
            .is_other(path)
            .then(|| Resolution::Asset(path.to_string()))
    }

    /// Maps a published path of a package (`./dist/esm/x.js`) back to the
    /// source that builds it: the path itself, the tsconfig `outDir` →
    /// `rootDir` swap, then with leading output folders peeled off, under
    /// `src/` or at the package root.
    fn probe_published(&self, package: &Package, target: &str) -> Option<Resolution> {
        let relative = join(&package.dir, target)?;
        if let Some(found) = self.probe(&relative) {
            return Some(found);
        }
        let within = strip_dir(&relative, &package.dir);
        if let Some(config) = self.configs.get(&package.dir)
            && let (Some(out), Some(root)) = (&config.out_dir, &config.root_dir)
            && is_under(&relative, out)
            && let Some(found) = self.probe(&child(root, strip_dir(&relative, out)))
        {
            return Some(found);
        }
        let mut parts: Vec<&str> = within.split('/').collect();
        while parts.len() > 1 && OUTPUT_DIRS.contains(&parts[0]) {
            parts.remove(0);
            let rest = parts.join("/");
            for candidate in [
                child(&child(&package.dir, "src"), &rest),
                child(&package.dir, &rest),
            ] {
                if let Some(found) = self.probe(&candidate) {
                    return Some(found);
                }
            }
        }
        None
    }

    fn package_entry(&self, package: &Package) -> Option<Resolution> {
        if let Some(exports) = &package.exports
            && let Some(found) = self.resolve_exports(package, exports, ".")
        {
            return Some(found);
        }
        for entry in &package.entries {
            if let Some(found) = self.probe_published(package, entry) {
                return Some(found);
            }
        }
        ["src/index", "index"]
            .iter()
            .find_map(|candidate| self.probe(&child(&package.dir, candidate)))
    }

    /// Resolves `./sub` (or `.`) through an `exports` or `imports` map.
    fn resolve_exports(&self, package: &Package, map: &Value, key: &str) -> Option<Resolution> {
        let target = match map {
            Value::Object(entries)
                if entries
                    .keys()
                    .any(|k| k.starts_with('.') || k.starts_with('#')) =>
            {
                match_subpath(entries, key)?
            }
            // A bare string, array or conditions object is the "." entry.
            other if key == "." => (other.clone(), String::new()),
            _ => return None,
        };
        let (value, star) = target;
        condition_targets(&value)
            .into_iter()
            .find_map(|t| self.probe_published(package, &t.replace('*', &star)))
    }

    /// A specifier naming one of the repository's packages, `name/sub`.
    fn resolve_own_package(&self, specifier: &str) -> Option<Option<Resolution>> {
        let name = package_name(specifier);
        let dir = self.by_name.get(name)?;
        let package = self.packages.get(dir)?;
        let subpath = specifier[name.len()..].trim_start_matches('/');
        if subpath.is_empty() {
            return Some(self.package_entry(package));
        }
        if let Some(exports) = &package.exports {
            let key = format!("./{subpath}");
            if let Some(found) = self.resolve_exports(package, exports, &key) {
                return Some(Some(found));
            }
        }
        let found = [subpath.to_string(), format!("src/{subpath}")]
            .iter()
            .find_map(|candidate| self.probe_published(package, candidate));
        Some(found)
    }

    fn resolve_bare(&self, from_dir: &str, specifier: &str) -> Resolution {
        let mut matched_pattern = false;
        if let Some(config) = self.config_for(from_dir) {
            for (pattern, targets) in matching_paths(&config.paths, specifier) {
                matched_pattern |= pattern != "*";
                if let Some(found) = targets.iter().find_map(|t| self.probe(t)) {
                    return found;
                }
            }
            if let Some(base) = &config.base_url
                && let Some(found) = join(base, specifier).and_then(|p| self.probe(&p))
            {
                return found;
            }
        }
        if let Some(found) = self.resolve_own_package(specifier) {
            return found.unwrap_or(Resolution::Unresolved);
        }
        if stdlib::is_node_builtin(specifier) {
            return Resolution::Stdlib;
        }
        if matched_pattern {
            return Resolution::Unresolved;
        }
        let package = package_name(specifier).to_string();
        let declared = self
            .packages_above(from_dir)
            .any(|p| p.dependencies.contains(&package));
        if declared {
            Resolution::External { package }
        } else {
            Resolution::Undeclared { package }
        }
    }

    /// `#internal` specifiers, through the nearest package.json `imports`.
    fn resolve_hash(&self, from_dir: &str, specifier: &str) -> Resolution {
        let Some(package) = self.packages_above(from_dir).next() else {
            return Resolution::Unresolved;
        };
        let Some(Value::Object(imports)) = &package.imports else {
            return Resolution::Unresolved;
        };
        let Some((value, star)) = match_subpath(imports, specifier) else {
            return Resolution::Unresolved;
        };
        for target in condition_targets(&value) {
            let target = target.replace('*', &star);
            if target.starts_with("./") {
                if let Some(found) = self.probe_published(package, &target) {
                    return found;
                }
            } else {
                return self.resolve_bare(from_dir, &target);
            }
        }
        Resolution::Unresolved
    }
}

impl Resolve for TsResolver<'_> {
    fn resolve(&self, from: FileId, import: &RawImport) -> Resolution {
        let from_dir = parent(self.project.path(from));
        let specifier = import.specifier.as_str();
        // Loader queries and fragments (`./x.svg?raw`) are not part of the path.
        let specifier = specifier
            .split(['?', '#'])
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or(specifier);
        if specifier.starts_with("./")
            || specifier.starts_with("../")
            || specifier == "."
            || specifier == ".."
        {
            return join(from_dir, specifier)
                .and_then(|path| self.probe(&path))
                .unwrap_or(Resolution::Unresolved);
        }
        if import.specifier.starts_with('#') {
            return self.resolve_hash(from_dir, &import.specifier);
        }
        if specifier.starts_with('/') || specifier.is_empty() {
            return Resolution::Unresolved;
        }
        self.resolve_bare(from_dir, specifier)
    }
}

/// `@scope/name` or `name`: the package part of a bare specifier.
fn package_name(specifier: &str) -> &str {
    let mut slashes = specifier.match_indices('/').map(|(i, _)| i);
    let end = if specifier.starts_with('@') {
        slashes.nth(1)
    } else {
        slashes.next()
    };
    &specifier[..end.unwrap_or(specifier.len())]
}

fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// `path` relative to `dir` (unchanged when it is not under it).
fn strip_dir<'p>(path: &'p str, dir: &str) -> &'p str {
    if dir.is_empty() {
        return path;
    }
    path.strip_prefix(dir)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(path)
}

/// The `paths` patterns matching a specifier, most specific (longest
/// prefix) first, with targets' `*` replaced.
fn matching_paths<'c>(
    paths: &'c [(String, Vec<String>)],
    specifier: &str,
) -> Vec<(&'c str, Vec<String>)> {
    let mut hits: Vec<(usize, &str, Vec<String>)> = Vec::new();
    for (pattern, targets) in paths {
        let star = match pattern.split_once('*') {
            None if pattern == specifier => Some(String::new()),
            None => None,
            Some((prefix, suffix)) => specifier
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .map(str::to_string),
        };
        if let Some(star) = star {
            let prefix_len = pattern.find('*').unwrap_or(pattern.len() + 1);
            let targets = targets.iter().map(|t| t.replace('*', &star)).collect();
            hits.push((prefix_len, pattern, targets));
        }
    }
    hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    hits.into_iter().map(|(_, p, t)| (p, t)).collect()
}

/// Matches `key` (`./sub`, `#x`) against an exports/imports subpath map:
/// exact keys first, then `*` patterns and legacy `dir/` keys, longest
/// prefix first. Returns the value and the text that `*` stands for.
fn match_subpath(entries: &serde_json::Map<String, Value>, key: &str) -> Option<(Value, String)> {
    if let Some(value) = entries.get(key) {
        return Some((value.clone(), String::new()));
    }
    let mut best: Option<(usize, &Value, String)> = None;
    for (pattern, value) in entries {
        let hit = if let Some((prefix, suffix)) = pattern.split_once('*') {
            key.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .map(|star| (prefix.len(), star.to_string()))
        } else if pattern.ends_with('/') {
            key.strip_prefix(pattern.as_str())
                .map(|rest| (pattern.len(), rest.to_string()))
        } else {
            None
        };
        if let Some((len, star)) = hit
            && best.as_ref().is_none_or(|(l, _, _)| len > *l)
        {
            best = Some((len, value, star));
        }
    }
    best.map(|(_, value, star)| {
        // A legacy `dir/` key maps by appending, not by `*`.
        let value = match value {
            Value::String(s) if s.ends_with('/') && !s.contains('*') => {
                Value::String(format!("{s}*"))
            }
            other => other.clone(),
        };
        (value, star)
    })
}

/// Every target string of an exports value, in the order Node would try
/// them with every condition on: source-mapping picks the first that leads
/// to a source file.
fn condition_targets(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(s) => out.push(s.clone()),
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => stack.extend(map.values().rev()),
            _ => {}
        }
    }
    out
}

fn parse_jsonc(text: &str) -> Option<Value> {
    jsonc_parser::parse_to_serde_value::<Value>(text, &Default::default()).ok()
}

fn parse_package(dir: &str, text: &str) -> Option<Package> {
    let json = parse_jsonc(text)?;
    let string = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_string);
    let mut dependencies = Vec::new();
    for field in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ] {
        if let Some(Value::Object(deps)) = json.get(field) {
            dependencies.extend(deps.keys().cloned());
        }
    }
    Some(Package {
        dir: dir.to_string(),
        name: string("name"),
        exports: json.get("exports").cloned(),
        imports: json.get("imports").cloned(),
        entries: ["source", "types", "typings", "module", "main"]
            .iter()
            .filter_map(|k| string(k))
            .collect(),
        dependencies,
    })
}

/// Loads a tsconfig and what it extends (relative paths only: configs
/// published in node_modules are not part of the repository). `loading`
/// holds the configs being loaded, so an `extends` cycle stops.
fn load_tsconfig(
    project: &ProjectFiles,
    path: &str,
    loading: &mut Vec<String>,
) -> Option<TsConfig> {
    if loading.iter().any(|p| p == path) || loading.len() > 16 {
        return None;
    }
    let json = parse_jsonc(&project.read_text(path)?)?;
    loading.push(path.to_string());
    let config = read_tsconfig(project, path, &json, loading);
    loading.pop();
    Some(config)
}

fn read_tsconfig(
    project: &ProjectFiles,
    path: &str,
    json: &Value,
    loading: &mut Vec<String>,
) -> TsConfig {
    let dir = parent(path);
    let mut config = TsConfig::default();
    let extends: Vec<&str> = match json.get("extends") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for parent_spec in extends {
        if !parent_spec.starts_with('.') {
            continue;
        }
        let Some(mut parent_path) = join(dir, parent_spec) else {
            continue;
        };
        if !parent_path.ends_with(".json") {
            parent_path.push_str(".json");
        }
        // Entries of an `extends` array apply in order, each over the last.
        if let Some(inherited) = load_tsconfig(project, &parent_path, loading) {
            config.base_url = inherited.base_url.or(config.base_url);
            config.out_dir = inherited.out_dir.or(config.out_dir);
            config.root_dir = inherited.root_dir.or(config.root_dir);
            if !inherited.paths.is_empty() {
                config.paths = inherited.paths;
            }
        }
    }
    let options = json.get("compilerOptions");
    let option = |key: &str| options.and_then(|o| o.get(key)).and_then(Value::as_str);
    if let Some(base) = option("baseUrl") {
        config.base_url = join(dir, base);
    }
    if let Some(out) = option("outDir") {
        config.out_dir = join(dir, out);
    }
    if let Some(root) = option("rootDir") {
        config.root_dir = join(dir, root);
    }
    if let Some(Value::Object(paths)) = options.and_then(|o| o.get("paths")) {
        // Targets are relative to baseUrl when set, else to this file.
        let base = config.base_url.clone().unwrap_or_else(|| dir.to_string());
        config.paths = paths
            .iter()
            .map(|(pattern, targets)| {
                let targets = targets
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter_map(|t| join(&base, t))
                    .collect();
                (pattern.clone(), targets)
            })
            .collect();
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names() {
        assert_eq!(package_name("react"), "react");
        assert_eq!(package_name("react/jsx-runtime"), "react");
        assert_eq!(package_name("@scope/pkg/sub/x"), "@scope/pkg");
        assert_eq!(package_name("@scope"), "@scope");
    }

    #[test]
    fn paths_prefer_the_longest_prefix() {
        let paths = vec![
            ("*".to_string(), vec!["src/*".to_string()]),
            ("@app/*".to_string(), vec!["src/app/*".to_string()]),
            ("@app/core".to_string(), vec!["src/core/index".to_string()]),
        ];
        let hits = matching_paths(&paths, "@app/core");
        assert_eq!(hits[0], ("@app/core", vec!["src/core/index".to_string()]));
        assert_eq!(hits[1], ("@app/*", vec!["src/app/core".to_string()]));
        assert_eq!(hits[2], ("*", vec!["src/@app/core".to_string()]));
    }

    #[test]
    fn exports_subpaths_and_conditions() {
        let exports: Value = serde_json::from_str(
            r#"{".": {"types": "./dist/index.d.ts", "default": "./dist/index.js"},
                "./internal/*": {"import": "./dist/internal/*.js"},
                "./internal/secret/*": null,
                "./legacy/": "./lib/"}"#,
        )
        .unwrap();
        let Value::Object(map) = exports else {
            panic!()
        };
        let (value, star) = match_subpath(&map, "./internal/a/b").unwrap();
        assert_eq!(star, "a/b");
        assert_eq!(condition_targets(&value), ["./dist/internal/*.js"]);
        let (value, _) = match_subpath(&map, "./internal/secret/x").unwrap();
        assert!(condition_targets(&value).is_empty());
        let (value, star) = match_subpath(&map, "./legacy/x.js").unwrap();
        assert_eq!(
            (condition_targets(&value), star.as_str()),
            (vec!["./lib/*".to_string()], "x.js")
        );
        let (value, _) = match_subpath(&map, ".").unwrap();
        assert_eq!(
            condition_targets(&value),
            ["./dist/index.d.ts", "./dist/index.js"]
        );
        assert!(match_subpath(&map, "./other").is_none());
    }
}
