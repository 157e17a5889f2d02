//! PHP: reading names and `use` statements, and resolving fully qualified
//! class names to the files that declare them.
//!
//! The reader does PHP's own name resolution, which is purely syntactic:
//! each name is qualified against the current namespace and its `use`
//! table (`use A\B`, `use A\{B, C as D}`, `use function`, `use const`), so
//! every import and reference leaves the parse stage as a fully qualified
//! name. A `use` loads nothing by itself: it is a type-only import, and the
//! names used in code carry the real kinds (`new`, static calls, `extends`,
//! `implements`, traits; type declarations, `instanceof`, `catch` and
//! attributes load nothing, so they are type-only too).
//!
//! The resolver then finds the file of a class the way autoloaders do:
//! composer.json `autoload`/`autoload-dev` PSR-4 and PSR-0 rules (every
//! composer.json of the repository, each relative to its folder); else the
//! index of every class, interface, trait and enum the repository declares
//! (composer's classmap); else the namespace-to-path convention (a file
//! whose path ends with the name). A name declared by two files is
//! ambiguous and reported, never guessed. `require`/`include` of a literal
//! path (or `__DIR__ . '/x.php'`) resolve from the including file's folder.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use tree_sitter::{Node, Query};

use crate::facts::{Definition, FileFacts, ImportKind, RawImport};
use crate::lang::{Language, Scan, captures_by_name, each_match, line_of, node_text};
use crate::project::{FileId, ProjectFiles, file_name, join, parent};
use crate::resolve::{Resolution, Resolve};

/// `names[0]` of a `use function` / `use const` import or a function
/// reference, and of an include.
const FUNCTION: &str = "function";
const CONSTANT: &str = "const";
const INCLUDE: &str = "include";

/// What a capture says, in document order.
enum Event {
    Namespace {
        name: String,
        end: Option<usize>,
    },
    Use {
        name: String,
        alias: Option<String>,
        prefix: Option<String>,
        of: Option<&'static str>,
        line: u32,
    },
    Reference {
        text: String,
        kind: ImportKind,
        function: bool,
        line: u32,
    },
    Include {
        path: String,
        from_dir: bool,
        line: u32,
    },
}

/// Reads the matches of `queries/php/imports.scm`.
pub(crate) fn read_imports(
    query: &Query,
    root: Node,
    source: &[u8],
    scan: &Scan,
    facts: &mut FileFacts,
) {
    let names = query.capture_names();
    let mut events: Vec<(usize, Event)> = Vec::new();
    each_match(query, root, source, scan, |m| {
        let captured = captures_by_name(names, m);
        let text = |key: &str| captured.get(key).map(|n| compact(&node_text(*n, source)));
        if let Some(definition) = captured.get("namespace.definition") {
            let end = definition
                .child_by_field_name("body")
                .map(|_| definition.end_byte());
            events.push((
                definition.start_byte(),
                Event::Namespace {
                    name: text("namespace.name").unwrap_or_default(),
                    end,
                },
            ));
        } else if let (Some(clause), Some(declaration)) =
            (captured.get("use.clause"), captured.get("use.declaration"))
        {
            let of = use_type(*clause).or_else(|| use_type(*declaration));
            events.push((
                clause.start_byte(),
                Event::Use {
                    name: text("use.name").unwrap_or_default(),
                    alias: text("use.alias"),
                    prefix: text("use.prefix"),
                    of,
                    line: line_of(*clause),
                },
            ));
        } else if let Some(statement) = captured.get("include.statement") {
            events.push((
                statement.start_byte(),
                Event::Include {
                    // A path as written: spaces are part of file names.
                    path: captured
                        .get("include.path")
                        .map(|n| node_text(*n, source))
                        .unwrap_or_default(),
                    from_dir: captured.contains_key("include.dir"),
                    line: line_of(*statement),
                },
            ));
        } else {
            for (key, kind, function) in [
                ("ref.new", ImportKind::Static, false),
                ("ref.static", ImportKind::Static, false),
                ("ref.trait", ImportKind::Static, false),
                ("ref.function", ImportKind::Static, true),
                ("ref.extends", ImportKind::Extends, false),
                ("ref.implements", ImportKind::Implements, false),
                ("ref.type", ImportKind::TypeOnly, false),
                ("ref.attribute", ImportKind::TypeOnly, false),
            ] {
                if let Some(node) = captured.get(key) {
                    events.push((
                        node.start_byte(),
                        Event::Reference {
                            text: compact(&node_text(*node, source)),
                            kind,
                            function,
                            line: line_of(*node),
                        },
                    ));
                }
            }
        }
    });
    events.sort_by_key(|(offset, _)| *offset);

    let mut scope = Scope::default();
    for (offset, event) in events {
        if scope.end.is_some_and(|end| offset >= end) {
            scope = Scope::default();
        }
        match event {
            Event::Namespace { name, end } => {
                scope = Scope {
                    namespace: name,
                    end,
                    ..Scope::default()
                };
            }
            Event::Use {
                name,
                alias,
                prefix,
                of,
                line,
            } => {
                let name = name.trim_start_matches('\\');
                let fqn = match prefix {
                    Some(prefix) => format!("{}\\{name}", prefix.trim_start_matches('\\')),
                    None => name.to_string(),
                };
                let alias = alias.unwrap_or_else(|| last_segment(&fqn).to_string());
                // Only class names are qualified through the table: function
                // and constant calls the query reads are qualified already.
                if of.is_none() {
                    scope
                        .classes
                        .insert(alias.to_ascii_lowercase(), fqn.clone());
                }
                facts.imports.push(RawImport {
                    // The alias the `use` binds, when it is not the last
                    // segment (the symbol layer qualifies names with it).
                    aliases: if last_segment(&fqn) == alias {
                        Vec::new()
                    } else {
                        vec![(fqn.clone(), alias)]
                    },
                    specifier: fqn,
                    names: of.map(|o| vec![o.to_string()]).unwrap_or_default(),
                    line,
                    kind: ImportKind::TypeOnly,
                    reference: false,
                    reexport: false,
                });
            }
            Event::Reference {
                text,
                kind,
                function,
                line,
            } => {
                if let Some(fqn) = scope.qualify(&text) {
                    facts.imports.push(RawImport {
                        specifier: fqn,
                        names: if function {
                            vec![FUNCTION.to_string()]
                        } else {
                            Vec::new()
                        },
                        line,
                        kind,
                        reference: true,
                        reexport: false,
                        aliases: Vec::new(),
                    });
                }
            }
            Event::Include {
                path,
                from_dir,
                line,
            } => {
                if path.is_empty() {
                    continue;
                }
                let specifier = if from_dir {
                    format!("./{}", path.trim_start_matches('/'))
                } else {
                    path
                };
                facts.imports.push(RawImport {
                    specifier,
                    names: vec![INCLUDE.to_string()],
                    line,
                    kind: ImportKind::Require,
                    reference: false,
                    reexport: false,
                    aliases: Vec::new(),
                });
            }
        }
    }
    // One site per name, line and kind: `new A(A::X)` names A once there.
    let mut seen = HashSet::new();
    facts
        .imports
        .retain(|i| seen.insert((i.specifier.clone(), i.line, i.kind, i.reference)));
}

/// `function` or `const` when a use clause or declaration has that type.
fn use_type(node: Node) -> Option<&'static str> {
    match node.child_by_field_name("type")?.kind() {
        "function" => Some(FUNCTION),
        "const" => Some(CONSTANT),
        _ => None,
    }
}

/// A name as written, without whitespace or comments between its parts.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn last_segment(fqn: &str) -> &str {
    fqn.rsplit('\\').next().unwrap_or(fqn)
}

/// The namespace and `use` tables in force at a point of the file.
#[derive(Default)]
struct Scope {
    namespace: String,
    /// End of a bracketed `namespace X { }` block.
    end: Option<usize>,
    /// Lowercase alias → fully qualified name.
    classes: HashMap<String, String>,
}

impl Scope {
    fn qualify(&self, name: &str) -> Option<String> {
        qualify(name, &self.namespace, &self.classes)
    }
}

/// The fully qualified name a class (or namespaced function) name written
/// in `namespace` stands for, under the file's `use` table (lowercase
/// alias → name); `None` for `self`, `static` and `parent`.
pub(crate) fn qualify(
    name: &str,
    namespace: &str,
    classes: &HashMap<String, String>,
) -> Option<String> {
    let in_namespace = |name: &str| {
        if namespace.is_empty() {
            name.to_string()
        } else {
            format!("{namespace}\\{name}")
        }
    };
    {
        if let Some(absolute) = name.strip_prefix('\\') {
            return Some(absolute.to_string());
        }
        if let Some(relative) = name.strip_prefix("namespace\\") {
            return Some(in_namespace(relative));
        }
        let (first, rest) = match name.split_once('\\') {
            Some((first, rest)) => (first, Some(rest)),
            None => (name, None),
        };
        let lower = first.to_ascii_lowercase();
        if rest.is_none() && matches!(lower.as_str(), "self" | "static" | "parent") {
            return None;
        }
        Some(match (classes.get(&lower), rest) {
            (Some(target), Some(rest)) => format!("{target}\\{rest}"),
            (Some(target), None) => target.clone(),
            (None, _) => in_namespace(name),
        })
    }
}

/// Qualifies definition names with the namespace they are declared in.
pub(crate) fn qualify_definitions(root: Node, source: &[u8], definitions: &mut [Definition]) {
    // (first line, last line, name) of each namespace, from the top level.
    let mut namespaces: Vec<(u32, u32, String)> = Vec::new();
    let mut cursor = root.walk();
    for child in root.named_children(&mut cursor) {
        if child.kind() != "namespace_definition" {
            continue;
        }
        let name = child
            .child_by_field_name("name")
            .map(|n| compact(&node_text(n, source)))
            .unwrap_or_default();
        let last = if child.child_by_field_name("body").is_some() {
            u32::try_from(child.end_position().row + 1).unwrap_or(u32::MAX)
        } else {
            u32::MAX
        };
        if let Some(previous) = namespaces.last_mut()
            && previous.1 == u32::MAX
        {
            previous.1 = line_of(child).saturating_sub(1);
        }
        namespaces.push((line_of(child), last, name));
    }
    for definition in definitions.iter_mut() {
        let namespace = namespaces
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&definition.start_line));
        if let Some((_, _, name)) = namespace.filter(|(_, _, n)| !n.is_empty()) {
            definition.name = format!("{name}\\{}", definition.name);
        }
    }
}

/// Definition kinds that autoloaders load.
const CLASS_KINDS: &[&str] = &["class", "abstract_class", "interface", "trait", "enum"];

/// An autoload rule of a composer.json.
struct AutoloadRule {
    /// Lowercase namespace prefix, with its trailing `\` (`app\`), or empty.
    prefix: String,
    dirs: Vec<String>,
    psr0: bool,
}

pub struct PhpResolver<'a> {
    project: &'a ProjectFiles,
    /// Lowercase fully qualified class name → declaring files.
    classes: HashMap<String, Vec<FileId>>,
    /// Lowercase fully qualified function or constant → declaring files.
    functions: HashMap<String, Vec<FileId>>,
    /// Lowercase namespaces declared, with every prefix of them.
    namespaces: HashSet<String>,
    /// Lowercase first segments of the repository's namespaces.
    roots: HashSet<String>,
    /// Longest prefix first.
    autoload: Vec<AutoloadRule>,
    /// Lowercase file name without `.php` → PHP files, for the convention.
    by_stem: HashMap<String, Vec<FileId>>,
}

impl<'a> PhpResolver<'a> {
    pub fn new(project: &'a ProjectFiles, facts: &[FileFacts]) -> Self {
        let mut classes: HashMap<String, Vec<FileId>> = HashMap::new();
        let mut functions: HashMap<String, Vec<FileId>> = HashMap::new();
        let mut namespaces = HashSet::new();
        let mut by_stem: HashMap<String, Vec<FileId>> = HashMap::new();
        for (id, file) in project.files().iter().enumerate() {
            if file.language != Language::Php {
                continue;
            }
            let stem = file_name(&file.path)
                .trim_end_matches(".php")
                .to_ascii_lowercase();
            by_stem.entry(stem).or_default().push(id);
            for definition in &facts[id].definitions {
                let name = definition.name.to_ascii_lowercase();
                if let Some((namespace, _)) = name.rsplit_once('\\') {
                    let mut prefix = namespace;
                    loop {
                        namespaces.insert(prefix.to_string());
                        match prefix.rsplit_once('\\') {
                            Some((shorter, _)) => prefix = shorter,
                            None => break,
                        }
                    }
                }
                let index = if CLASS_KINDS.contains(&definition.kind.as_str()) {
                    &mut classes
                } else {
                    &mut functions
                };
                let files = index.entry(name).or_default();
                if !files.contains(&id) {
                    files.push(id);
                }
            }
        }
        let autoload = autoload_rules(project);
        let mut roots: HashSet<String> = namespaces
            .iter()
            .map(|n| n.split('\\').next().unwrap_or_default().to_string())
            .collect();
        roots.extend(autoload.iter().filter_map(|r| {
            r.prefix
                .split('\\')
                .next()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        }));
        PhpResolver {
            project,
            classes,
            functions,
            namespaces,
            roots,
            autoload,
            by_stem,
        }
    }

    fn one(&self, files: &[FileId]) -> Resolution {
        match files {
            [one] => Resolution::Files(vec![*one]),
            many => {
                let mut many = many.to_vec();
                many.sort_unstable();
                Resolution::Ambiguous(many)
            }
        }
    }

    /// The file an autoload rule maps a class to, if it exists.
    fn autoloaded(&self, fqn: &str) -> Option<FileId> {
        let lower = fqn.to_ascii_lowercase();
        for rule in &self.autoload {
            if !lower.starts_with(&rule.prefix) {
                continue;
            }
            let relative = if rule.psr0 {
                // PSR-0: the whole name, and `_` in the class name, are folders.
                let (namespace, class) = fqn.rsplit_once('\\').unwrap_or(("", fqn));
                let mut path = namespace.replace('\\', "/");
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(&class.replace('_', "/"));
                path
            } else {
                // ASCII folding keeps byte offsets: the prefix length holds.
                let Some(rest) = fqn.get(rule.prefix.len()..) else {
                    continue;
                };
                rest.replace('\\', "/")
            };
            for dir in &rule.dirs {
                if let Some(id) =
                    join(dir, &format!("{relative}.php")).and_then(|p| self.project.file(&p))
                {
                    return Some(id);
                }
            }
        }
        None
    }

    /// Files whose path ends with the name's path (`A\B\C` → `.../A/B/C.php`).
    fn by_convention(&self, fqn: &str) -> Vec<FileId> {
        let path = fqn.replace('\\', "/").to_ascii_lowercase();
        let Some(candidates) = self.by_stem.get(path.rsplit('/').next().unwrap_or(&path)) else {
            return Vec::new();
        };
        candidates
            .iter()
            .copied()
            .filter(|&id| {
                let file = self.project.path(id).to_ascii_lowercase();
                let stem = file.trim_end_matches(".php");
                stem == path || stem.ends_with(&format!("/{path}"))
            })
            .collect()
    }

    fn include(&self, from: FileId, path: &str) -> Resolution {
        let dir = parent(self.project.path(from));
        let candidates = [join(dir, path), join("", path)];
        for candidate in candidates.into_iter().flatten() {
            if let Some(id) = self.project.file(&candidate) {
                return Resolution::Files(vec![id]);
            }
            if self.project.is_other(&candidate) {
                return Resolution::Asset(candidate);
            }
        }
        Resolution::Unresolved
    }

    /// What a name that no file declares is.
    fn outside(&self, fqn: &str, reference: bool) -> Resolution {
        let lower = fqn.to_ascii_lowercase();
        let first = lower.split('\\').next().unwrap_or_default();
        if self.roots.contains(first) && lower.contains('\\') {
            return Resolution::Unresolved;
        }
        if reference {
            return Resolution::Local;
        }
        if !lower.contains('\\') {
            // The global namespace: PHP's own classes and functions.
            return Resolution::Stdlib;
        }
        let package: Vec<&str> = fqn.split('\\').take(2).collect();
        Resolution::External {
            package: package.join("\\"),
        }
    }
}

impl Resolve for PhpResolver<'_> {
    fn resolve(&self, from: FileId, import: &RawImport) -> Resolution {
        let kind = import.names.first().map(String::as_str);
        if kind == Some(INCLUDE) {
            return self.include(from, &import.specifier);
        }
        let fqn = import.specifier.trim_start_matches('\\');
        let lower = fqn.to_ascii_lowercase();
        let found = if matches!(kind, Some(FUNCTION) | Some(CONSTANT)) {
            self.functions.get(&lower).map(|files| self.one(files))
        } else if let Some(id) = self.autoloaded(fqn) {
            Some(Resolution::Files(vec![id]))
        } else if let Some(files) = self.classes.get(&lower) {
            Some(self.one(files))
        } else if fqn.contains('\\') {
            // The convention needs a namespace: a global name matches every
            // file of that name.
            let files = self.by_convention(fqn);
            (!files.is_empty()).then(|| self.one(&files))
        } else {
            None
        };
        match found {
            Some(Resolution::Files(files)) if files == [from] => Resolution::Local,
            Some(found) => found,
            None if self.namespaces.contains(&lower) => Resolution::Namespace,
            None => self.outside(fqn, import.reference),
        }
    }
}

/// PSR-4 and PSR-0 rules of every composer.json, folders made
/// repository-relative; longest prefix first.
fn autoload_rules(project: &ProjectFiles) -> Vec<AutoloadRule> {
    let mut rules = Vec::new();
    for path in project.others_named("composer.json") {
        let Some(json) = project
            .read_text(path)
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        else {
            continue;
        };
        let base = parent(path);
        for section in ["autoload", "autoload-dev"] {
            for (standard, psr0) in [("psr-4", false), ("psr-0", true)] {
                let Some(Value::Object(map)) = json.get(section).and_then(|s| s.get(standard))
                else {
                    continue;
                };
                for (prefix, dirs) in map {
                    let dirs: Vec<&str> = match dirs {
                        Value::String(d) => vec![d.as_str()],
                        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                        _ => Vec::new(),
                    };
                    rules.push(AutoloadRule {
                        prefix: prefix.to_ascii_lowercase(),
                        dirs: dirs.iter().filter_map(|d| join(base, d)).collect(),
                        psr0,
                    });
                }
            }
        }
    }
    rules.sort_by(|a, b| {
        b.prefix
            .len()
            .cmp(&a.prefix.len())
            .then(a.prefix.cmp(&b.prefix))
    });
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        let mut scope = Scope {
            namespace: "App\\Http".into(),
            ..Scope::default()
        };
        scope
            .classes
            .insert("user".into(), "App\\Models\\User".into());
        scope.classes.insert("models".into(), "App\\Models".into());
        scope
    }

    #[test]
    fn names_qualify_against_namespace_and_use_table() {
        let s = scope();
        assert_eq!(s.qualify("\\Exception").as_deref(), Some("Exception"));
        assert_eq!(s.qualify("User").as_deref(), Some("App\\Models\\User"));
        assert_eq!(s.qualify("user").as_deref(), Some("App\\Models\\User"));
        assert_eq!(
            s.qualify("Models\\Post").as_deref(),
            Some("App\\Models\\Post")
        );
        assert_eq!(
            s.qualify("Controller").as_deref(),
            Some("App\\Http\\Controller")
        );
        assert_eq!(
            s.qualify("Sub\\Thing").as_deref(),
            Some("App\\Http\\Sub\\Thing")
        );
        assert_eq!(
            s.qualify("namespace\\Local").as_deref(),
            Some("App\\Http\\Local")
        );
        assert_eq!(s.qualify("static"), None);
        assert_eq!(s.qualify("parent"), None);
    }
}
