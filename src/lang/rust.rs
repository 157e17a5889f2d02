//! Rust: reading `use` trees and paths, and resolving them through the
//! module trees of the repository's crates.
//!
//! Crates come from every Cargo.toml, as Cargo finds its targets: the
//! library (`[lib] path` or `src/lib.rs`), binaries (`src/main.rs`,
//! `src/bin/x.rs`, `src/bin/x/main.rs`), tests, benches and examples (a file
//! of `tests/`, `benches/`, `examples/`, or a folder there with a
//! `main.rs`), the `path` of every `[[bin]]`, `[[test]]`, `[[bench]]` and
//! `[[example]]` table, and the build script; `autobins`, `autotests`,
//! `autobenches`, `autoexamples = false` turn a convention off. Each is a
//! crate of its own that can use the library by name. Dependencies are read with their renames (`package =`)
//! and paths; a path dependency, or a dependency on a package of the
//! workspace, resolves into that crate's files.
//!
//! A file's module is where it sits below its crate root's folder
//! (`src/a/b.rs` and `src/a/b/mod.rs` are `crate::a::b`), unless a
//! `#[path = "..."]` attribute says otherwise. This follows `mod`
//! declarations wherever they are, inside `cfg_*!` macros too, which the
//! grammar cannot see into.
//!
//! A path is walked segment by segment: `crate`, `self`, `super`, a child
//! module, a name brought in by a `use` of the same file, a dependency, or
//! the standard library; then through modules while the segments name
//! modules. The first segment that names an item stops the walk, and the
//! item's module file is the target, unless that module re-exports the item
//! (`pub use`, globs included): then the re-export is followed to the file
//! that defines it. Inline `mod x { }` modules belong to their file.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tree_sitter::{Node, Query};

use crate::facts::{Definition, FileFacts, ImportKind, RawImport};
use crate::lang::{Language, Scan, captures_by_name, each_match, line_of, node_text};
use crate::project::{FileId, ProjectFiles, below, file_name, join, parent};
use crate::resolve::{Resolution, Resolve};

/// First segments that name the standard library.
const STD_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// `names[0]` of a glob import.
const GLOB: &str = "*";

/// Reads the matches of `queries/rust/imports.scm`.
pub(crate) fn read_imports(
    query: &Query,
    root: Node,
    source: &[u8],
    scan: &Scan,
    facts: &mut FileFacts,
) {
    let names = query.capture_names();
    let mut statements: Vec<Range<usize>> = Vec::new();
    let mut found: Vec<(usize, RawImport)> = Vec::new();
    let mut paths: Vec<Node> = Vec::new();
    let mut token_trees: Vec<Node> = Vec::new();
    let mut inline_modules: Vec<(Range<usize>, String)> = Vec::new();
    each_match(query, root, source, scan, |m| {
        let captured = captures_by_name(names, m);
        if let Some(&statement) = captured.get("import.statement") {
            statements.push(statement.byte_range());
            let line = line_of(statement);
            if let Some(&tree) = captured.get("import.use") {
                let kind = if captured.contains_key("import.visibility") {
                    ImportKind::Reexport
                } else {
                    ImportKind::Static
                };
                for (path, exported) in flatten_use_tree(tree, source) {
                    found.push((
                        statement.start_byte(),
                        import(path, vec![exported], line, kind, false),
                    ));
                }
            } else if let Some(&name) = captured.get("import.extern") {
                let name = node_text(name, source);
                // `extern crate foo as bar;` binds `bar`.
                let bound = captured
                    .get("import.alias")
                    .map_or_else(|| name.clone(), |alias| node_text(*alias, source));
                found.push((
                    statement.start_byte(),
                    import(vec![name], vec![bound], line, ImportKind::Static, false),
                ));
            }
        } else if let Some(&path) = captured.get("import.path") {
            paths.push(path);
        } else if let Some(&tokens) = captured.get("import.tokens") {
            token_trees.push(tokens);
        } else if let (Some(&attribute), Some(&path)) =
            (captured.get("mod.attribute"), captured.get("mod.path"))
        {
            if let Some(name) = attributed_module(attribute, source) {
                facts.module_files.push((name, node_text(path, source)));
            }
        } else if let (Some(&name), Some(&body)) = (
            captured.get("scope.module.name"),
            captured.get("scope.module"),
        ) {
            inline_modules.push((body.byte_range(), node_text(name, source)));
        }
    });

    // Paths in code: the outermost of nested paths, outside use statements.
    paths.sort_by_key(|p| (p.start_byte(), std::cmp::Reverse(p.end_byte())));
    statements.sort_by_key(|r| r.start);
    let mut covered_until = 0;
    for path in paths {
        if path.start_byte() < covered_until || inside(&statements, path.start_byte()) {
            continue;
        }
        covered_until = path.end_byte();
        let segments = segments(&node_text(path, source));
        if is_reference_worth_keeping(&segments) {
            found.push((
                path.start_byte(),
                import(
                    segments,
                    Vec::new(),
                    line_of(path),
                    ImportKind::Static,
                    true,
                ),
            ));
        }
    }
    // Declarations inside macro arguments: a token tree is read with the
    // trees nested in it, each once (a nested tree may meet no keyword).
    let mut declared: HashSet<usize> = HashSet::new();
    for tree in token_trees {
        if !declared.contains(&tree.start_byte()) {
            module_declarations(tree, source, facts, &mut inline_modules, &mut declared);
        }
        if memchr::memmem::find(&source[tree.byte_range()], b"::").is_some() {
            token_tree_paths(tree, source, &mut found);
        }
    }

    // An inline module inside another (`mod sync { mod atomic { } }`) is a
    // module of this file too, which paths go on into; the definitions
    // query sees only the outermost.
    for (range, name) in &inline_modules {
        let nested = inline_modules
            .iter()
            .any(|(outer, _)| outer.start < range.start && range.end <= outer.end);
        let known = facts
            .definitions
            .iter()
            .any(|d| d.kind == "module" && d.name == *name);
        if nested && !known {
            let line = memchr::memchr_iter(b'\n', &source[..range.start]).count() as u32 + 1;
            facts.definitions.push(Definition {
                name: name.clone(),
                kind: "module".to_string(),
                start_line: line,
                end_line: line,
                is_abstract: false,
            });
        }
    }

    // `self` and `super` inside an inline module are relative to it: make
    // them relative to the file's module.
    inline_modules.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    found.sort_by_key(|(offset, _)| *offset);
    for (offset, import) in &mut found {
        let chain: Vec<&str> = inline_modules
            .iter()
            .filter(|(r, _)| r.contains(offset))
            .map(|(_, n)| n.as_str())
            .collect();
        if !chain.is_empty() {
            import.specifier = relative_to_file(&import.specifier, &chain);
        }
    }
    facts.imports = found.into_iter().map(|(_, i)| i).collect();
}

/// The name of the `mod name;` an attribute belongs to: the first item after
/// it past other attributes and comments.
fn attributed_module(attribute: Node, source: &[u8]) -> Option<String> {
    let mut next = attribute.next_named_sibling();
    while let Some(node) = next {
        match node.kind() {
            "attribute_item" | "line_comment" | "block_comment" => next = node.next_named_sibling(),
            "mod_item" if node.child_by_field_name("body").is_none() => {
                return node
                    .child_by_field_name("name")
                    .map(|n| node_text(n, source));
            }
            _ => return None,
        }
    }
    None
}

fn import(
    segments: Vec<String>,
    names: Vec<String>,
    line: u32,
    kind: ImportKind,
    reference: bool,
) -> RawImport {
    // `use a::B as C` keeps `C` as the name; the alias pair lets symbol
    // impact follow `B` under its new name.
    let aliases = match (segments.last(), names.as_slice()) {
        (Some(last), [name]) if name != last && name != GLOB => vec![(last.clone(), name.clone())],
        _ => Vec::new(),
    };
    RawImport {
        specifier: segments.join("::"),
        names,
        line,
        reexport: kind == ImportKind::Reexport,
        kind,
        reference,
        aliases,
    }
}

fn inside(sorted: &[Range<usize>], offset: usize) -> bool {
    let i = sorted.partition_point(|r| r.start <= offset);
    i > 0 && sorted[i - 1].contains(&offset)
}

/// Path segments, without whitespace, generic arguments or a leading `::`.
fn segments(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_whitespace() => plain.push(c),
            _ => {}
        }
    }
    plain
        .split("::")
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s == "$crate" {
                "crate".to_string()
            } else {
                s.to_string()
            }
        })
        .collect()
}

/// Paths worth resolving: two segments or more, from `crate`, `self`,
/// `super` or a lowercase name (a module or a crate; `Type::method` paths
/// name an item in scope, not another file).
fn is_module_like(segments: &[String]) -> bool {
    segments.len() >= 2
        && segments[0]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
}

/// A path used in code can only make an edge if it may name something of
/// the repository: `std::mem::swap` never does (a `use std::...` is kept:
/// it is an import).
fn is_reference_worth_keeping(segments: &[String]) -> bool {
    is_module_like(segments) && !STD_CRATES.contains(&segments[0].as_str())
}

/// Every leaf of a use tree as (path segments, name it is imported as).
/// Iterative: use trees nest.
fn flatten_use_tree(tree: Node, source: &[u8]) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<(Node, Vec<String>)> = vec![(tree, Vec::new())];
    while let Some((node, prefix)) = stack.pop() {
        let joined = |path: &[String]| -> Vec<String> {
            prefix.iter().cloned().chain(path.iter().cloned()).collect()
        };
        match node.kind() {
            "scoped_use_list" => {
                let path = node
                    .child_by_field_name("path")
                    .map(|p| segments(&node_text(p, source)))
                    .unwrap_or_default();
                if let Some(list) = node.child_by_field_name("list") {
                    stack.push((list, joined(&path)));
                }
            }
            "use_list" => {
                let mut cursor = node.walk();
                let children: Vec<Node> = node.named_children(&mut cursor).collect();
                for child in children.into_iter().rev() {
                    stack.push((child, prefix.clone()));
                }
            }
            "use_as_clause" => {
                let (Some(path), Some(alias)) = (
                    node.child_by_field_name("path"),
                    node.child_by_field_name("alias"),
                ) else {
                    continue;
                };
                let path = joined(&segments(&node_text(path, source)));
                out.push((self_leaf(path), node_text(alias, source)));
            }
            "use_wildcard" => {
                let mut cursor = node.walk();
                let inner = node.named_children(&mut cursor).next();
                let path = inner
                    .map(|p| segments(&node_text(p, source)))
                    .unwrap_or_default();
                out.push((joined(&path), GLOB.to_string()));
            }
            _ => {
                let path = self_leaf(joined(&segments(&node_text(node, source))));
                let exported = path.last().cloned().unwrap_or_default();
                if !path.is_empty() {
                    out.push((path, exported));
                }
            }
        }
    }
    out
}

/// `a::b::self` (from `use a::b::{self}`) is `a::b`.
fn self_leaf(mut path: Vec<String>) -> Vec<String> {
    if path.len() > 1 && path.last().is_some_and(|s| s == "self") {
        path.pop();
    }
    path
}

/// Paths in the tokens of a macro argument (`cfg_rt! { use crate::x::Y; }`):
/// runs of names joined by `::`. A run after `use` is an import (a
/// re-export after `pub use`); others are references. Module declarations
/// there count too: `#[path = "x.rs"] mod name;` and inline `mod name { }`.
fn token_tree_paths(tree: Node, source: &[u8], out: &mut Vec<(usize, RawImport)>) {
    // Tokens as slices of the source: most are punctuation, never kept.
    let text = |node: Node| std::str::from_utf8(&source[node.byte_range()]).unwrap_or("");
    let mut cursor = tree.walk();
    let mut run: Vec<&str> = Vec::new();
    let mut run_start: Option<Node> = None;
    let mut after_separator = false;
    // The two tokens before the current run, to see `pub use`.
    let mut before: [&str; 2] = ["", ""];
    let mut previous: [&str; 2] = ["", ""];
    // A `use` path before `as`, waiting for its alias.
    let mut aliased: Option<(Vec<&str>, Option<Node>, [&str; 2])> = None;
    for child in tree.children(&mut cursor) {
        let kind = child.kind();
        let token = text(child);
        let segment = matches!(
            kind,
            "identifier" | "crate" | "self" | "super" | "metavariable"
        );
        if let Some((mut path, start, seen)) = aliased.take() {
            // `use a::B as C;`: the import of `a::B`, named `C`.
            let alias = (kind == "identifier").then(|| token.to_string());
            let emit = alias.clone().map_or(Emit::Last, Emit::As);
            emit_run(&mut path, start, seen, emit, source, out);
            if alias.is_some() {
                previous = [previous[1], token];
                continue;
            }
        }
        if kind == "as" && !run.is_empty() && before[1] == "use" {
            aliased = Some((std::mem::take(&mut run), run_start.take(), before));
            after_separator = false;
            previous = [previous[1], token];
            continue;
        }
        if kind == "*" && after_separator && !run.is_empty() && before[1] == "use" {
            // `use a::*;`
            emit_run(&mut run, run_start.take(), before, Emit::Glob, source, out);
            after_separator = false;
            previous = [previous[1], token];
            continue;
        }
        if segment {
            if !run.is_empty() && !after_separator {
                emit_run(&mut run, run_start, before, Emit::Last, source, out);
            }
            if run.is_empty() {
                run_start = Some(child);
                before = previous;
            }
            run.push(token);
            after_separator = false;
        } else if kind == "::" && !run.is_empty() {
            after_separator = true;
        } else {
            // `use a::b::{c, d as e}`: the group belongs to the path.
            let emit = if after_separator && kind == "token_tree" && token.starts_with('{') {
                Emit::Group(child)
            } else {
                Emit::Last
            };
            emit_run(&mut run, run_start.take(), before, emit, source, out);
            after_separator = false;
        }
        previous = [previous[1], token];
    }
    if let Some((mut path, start, seen)) = aliased {
        emit_run(&mut path, start, seen, Emit::Last, source, out);
    }
    emit_run(&mut run, run_start, before, Emit::Last, source, out);
}

/// What a `use` path of a token tree brings in.
enum Emit<'tree> {
    /// `use a::{b, c as d}`: each leaf of the group.
    Group(Node<'tree>),
    /// The path's last segment.
    Last,
    /// `as` this.
    As(String),
    /// `::*`: everything.
    Glob,
}

/// Emits the path in `run` (cleared), seen after the tokens `before`; a
/// `use` path followed by a `{...}` group emits one import per leaf.
fn emit_run(
    run: &mut Vec<&str>,
    start: Option<Node>,
    before: [&str; 2],
    emit: Emit,
    source: &[u8],
    out: &mut Vec<(usize, RawImport)>,
) {
    let segments: Vec<String> = run
        .drain(..)
        .map(|s| {
            if s == "$crate" {
                "crate".to_string()
            } else {
                s.to_string()
            }
        })
        .collect();
    let Some(start) = start else { return };
    let is_use = before[1] == "use";
    // `pub use`, or `pub(crate) use` (the `(crate)` is one token tree).
    let public = before[0] == "pub" || before[0].starts_with('(');
    let kind = if is_use && public {
        ImportKind::Reexport
    } else {
        ImportKind::Static
    };
    let line = line_of(start);
    if let (true, Emit::Group(group)) = (is_use, &emit) {
        let group = *group;
        for (path, exported) in group_leaves(group, source) {
            let full: Vec<String> = segments.iter().cloned().chain(path).collect();
            if is_module_like(&full) {
                out.push((
                    start.start_byte(),
                    import(self_leaf(full), vec![exported], line, kind, false),
                ));
            }
        }
        return;
    }
    let keep = if is_use {
        is_module_like(&segments)
    } else {
        is_reference_worth_keeping(&segments)
    };
    if !keep {
        return;
    }
    let names = match emit {
        _ if !is_use => Vec::new(),
        Emit::As(alias) => vec![alias],
        Emit::Glob => vec![GLOB.to_string()],
        _ => vec![segments.last().cloned().unwrap_or_default()],
    };
    out.push((
        start.start_byte(),
        import(segments, names, line, kind, !is_use),
    ));
}

/// The leaves of a `{a, b::c, d as e, self, *}` group of tokens, as (path,
/// name imported as); nested groups are read too.
fn group_leaves(group: Node, source: &[u8]) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<(Node, Vec<String>)> = vec![(group, Vec::new())];
    while let Some((tree, prefix)) = stack.pop() {
        let mut cursor = tree.walk();
        let mut path: Vec<String> = prefix.clone();
        let mut alias: Option<String> = None;
        let mut after_as = false;
        let mut finish = |path: &mut Vec<String>, alias: &mut Option<String>| {
            if path.len() > prefix.len() {
                let exported = alias
                    .take()
                    .unwrap_or_else(|| path.last().cloned().unwrap_or_default());
                out.push((std::mem::take(path), exported));
            }
            *path = prefix.clone();
            *alias = None;
        };
        for token in tree.children(&mut cursor) {
            let text = node_text(token, source);
            match token.kind() {
                "," => {
                    finish(&mut path, &mut alias);
                    after_as = false;
                }
                "as" => after_as = true,
                "*" => {
                    path.push(GLOB.to_string());
                }
                "token_tree" if text.starts_with('{') => {
                    stack.push((token, path.clone()));
                    path = prefix.clone();
                }
                "identifier" | "self" | "super" | "crate" if after_as => {
                    alias = Some(text);
                    after_as = false;
                }
                "identifier" | "self" | "super" | "crate" => path.push(text),
                _ => {}
            }
        }
        finish(&mut path, &mut alias);
    }
    // A glob leaf `a::*` is the import of `a` as `*`.
    out.into_iter()
        .map(|(mut path, name)| {
            if path.last().is_some_and(|s| s == GLOB) {
                path.pop();
                (path, GLOB.to_string())
            } else {
                (path, name)
            }
        })
        .collect()
}

/// Declarations among a token tree's tokens, which the grammar cannot see
/// inside a macro argument (`cfg_rt! { ... }`): `#[path = "x"] mod name;`,
/// inline `mod name { ... }`, `macro_rules! name`, and items (`struct`,
/// `fn`, ...) as definitions.
fn module_declarations(
    tree: Node,
    source: &[u8],
    facts: &mut FileFacts,
    inline_modules: &mut Vec<(Range<usize>, String)>,
    declared: &mut HashSet<usize>,
) {
    let mut trees = vec![tree];
    while let Some(tree) = trees.pop() {
        declared.insert(tree.start_byte());
        declarations_in(tree, source, facts, inline_modules, &mut trees);
    }
}

/// The declarations among one token tree's own tokens; nested trees are
/// pushed on `nested`.
fn declarations_in<'tree>(
    tree: Node<'tree>,
    source: &[u8],
    facts: &mut FileFacts,
    inline_modules: &mut Vec<(Range<usize>, String)>,
    nested: &mut Vec<Node<'tree>>,
) {
    let mut cursor = tree.walk();
    let tokens: Vec<Node> = tree.children(&mut cursor).collect();
    let mut pending_path: Option<String> = None;
    for (i, token) in tokens.iter().enumerate() {
        match token.kind() {
            "token_tree" => {
                nested.push(*token);
                // `[path = "x"]`: look before copying (trees can be large).
                let bytes = &source[token.byte_range()];
                let inner = bytes.strip_prefix(b"[").map(<[u8]>::trim_ascii_start);
                if inner.is_some_and(|i| i.starts_with(b"path")) {
                    let text = node_text(*token, source);
                    let inner = text.trim_start_matches('[').trim_end_matches(']').trim();
                    if let Some(value) = inner
                        .strip_prefix("path")
                        .map(str::trim)
                        .and_then(|r| r.strip_prefix('='))
                    {
                        pending_path = Some(value.trim().trim_matches('"').to_string());
                    }
                }
            }
            "mod" => {
                let (Some(name), Some(after)) = (tokens.get(i + 1), tokens.get(i + 2)) else {
                    continue;
                };
                if name.kind() != "identifier" {
                    continue;
                }
                let name = node_text(*name, source);
                if after.kind() == ";" {
                    if let Some(path) = pending_path.take() {
                        facts.module_files.push((name, path));
                    }
                } else if after.kind() == "token_tree" && source[after.start_byte()] == b'{' {
                    facts.definitions.push(Definition {
                        name: name.clone(),
                        kind: "module".to_string(),
                        start_line: line_of(*token),
                        end_line: line_of(*token),
                        is_abstract: false,
                    });
                    inline_modules.push((after.byte_range(), name));
                }
            }
            "struct" | "enum" | "trait" | "fn" | "const" | "static" | "type" | "union" => {
                if let Some(name) = tokens.get(i + 1).filter(|n| n.kind() == "identifier") {
                    let kind = match token.kind() {
                        "struct" | "union" => "struct",
                        "fn" => "function",
                        "const" | "static" => "constant",
                        other => other,
                    };
                    facts.definitions.push(Definition {
                        name: node_text(*name, source),
                        kind: kind.to_string(),
                        start_line: line_of(*token),
                        end_line: line_of(*token),
                        is_abstract: kind == "trait",
                    });
                }
            }
            "identifier" if &source[token.byte_range()] == b"macro_rules" => {
                if let (Some(bang), Some(name)) = (tokens.get(i + 1), tokens.get(i + 2))
                    && bang.kind() == "!"
                    && name.kind() == "identifier"
                {
                    facts.definitions.push(Definition {
                        name: node_text(*name, source),
                        kind: "macro".to_string(),
                        start_line: line_of(*token),
                        end_line: line_of(*token),
                        is_abstract: false,
                    });
                }
            }
            ";" | "}" => pending_path = None,
            _ => {}
        }
    }
}

/// Rewrites `self::`/`super::` paths written inside inline modules `chain`
/// (outermost first) to be relative to the file's own module.
fn relative_to_file(specifier: &str, chain: &[&str]) -> String {
    let segments: Vec<&str> = specifier.split("::").collect();
    let supers = segments.iter().take_while(|s| **s == "super").count();
    let rewritten: Vec<&str> = if segments.first() == Some(&"self") {
        std::iter::once("self")
            .chain(chain.iter().copied())
            .chain(segments[1..].iter().copied())
            .collect()
    } else if supers > 0 {
        if supers <= chain.len() {
            std::iter::once("self")
                .chain(chain[..chain.len() - supers].iter().copied())
                .chain(segments[supers..].iter().copied())
                .collect()
        } else {
            std::iter::repeat_n("super", supers - chain.len())
                .chain(segments[supers..].iter().copied())
                .collect()
        }
    } else {
        return specifier.to_string();
    };
    rewritten.join("::")
}

/// A dependency as a crate sees it.
#[derive(Clone, Debug)]
enum Dependency {
    /// A crate of the repository, by index.
    Internal(usize),
    /// A package from a registry or git.
    External(String),
}

/// A compilation target: library, binary, test, example or bench.
#[derive(Debug)]
struct Crate {
    root: FileId,
    /// How its items are named (`tokio`, a binary's or test's file stem).
    name: String,
    /// Folder of the root file: the module tree lives below it.
    dir: String,
    /// Whether the folder's files belong to this crate by convention, even
    /// when its root does not declare them (not for `build.rs` and other
    /// roots directly in the package folder: they take what they declare).
    owns_dir: bool,
    /// Name as used in code → dependency.
    dependencies: HashMap<String, Dependency>,
}

/// A package's targets before dependencies are known.
struct Package {
    dir: String,
    name: String,
    lib_name: String,
    lib: Option<usize>,
    targets: Vec<usize>,
    /// (name in code, package name, path) of each dependency.
    dependencies: Vec<(String, String, Option<String>)>,
}

pub struct RustResolver<'a> {
    facts: &'a [FileFacts],
    crates: Vec<Crate>,
    /// Per file: its crate and module path.
    place: Vec<Option<(usize, Vec<String>)>>,
    /// (crate, `a::b`) → file.
    modules: HashMap<(usize, String), FileId>,
    /// Per file: re-exported name → indices of the `pub use` imports
    /// (several: alternatives under `#[cfg]`).
    reexports: HashMap<FileId, HashMap<String, Vec<usize>>>,
    /// Per file: indices of its `pub use ...::*` imports.
    glob_reexports: HashMap<FileId, Vec<usize>>,
    /// Per file: name brought in by a `use` → indices of those imports.
    bindings: HashMap<FileId, HashMap<String, Vec<usize>>>,
    /// (crate, name) → the file defining a `macro_rules!` of that name;
    /// `#[macro_export]` puts them at the crate root whatever their file.
    macros: HashMap<(usize, String), FileId>,
}

/// What one resolution has worked out: items and glob imports, by where
/// they were looked up.
type Memo = std::cell::RefCell<HashMap<Key, Vec<FileId>>>;

#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    /// (crate, file, name, module it is looked up in).
    Item(usize, FileId, String, String),
    /// (crate, module).
    Glob(usize, String),
}

/// The end of a path walk.
enum Found {
    Module(usize, Vec<String>),
    /// The files an item may be in: one, or each alternative under
    /// `#[cfg]` (a definition and a re-export, two re-exports), sorted.
    Items(Vec<FileId>),
    External(String),
    Std,
    /// An item of the importing file itself.
    Here,
    Unknown,
    Missing,
}

impl<'a> RustResolver<'a> {
    pub fn new(project: &'a ProjectFiles, facts: &'a [FileFacts]) -> Self {
        let mut crates: Vec<Crate> = Vec::new();
        let mut packages: Vec<Package> = Vec::new();
        for manifest in project.others_named("Cargo.toml") {
            let Some(table) = project.read_toml(manifest) else {
                continue;
            };
            if let Some(package) = read_package(project, manifest, &table, &mut crates) {
                packages.push(package);
            }
        }
        // Dependencies, now that every package's library is known.
        for package in &packages {
            let mut dependencies: HashMap<String, Dependency> = HashMap::new();
            for (code_name, package_name, path) in &package.dependencies {
                let internal = packages.iter().find(|other| {
                    other.lib.is_some()
                        && (path.as_deref() == Some(other.dir.as_str())
                            || (path.is_none() && other.name == *package_name))
                });
                let dependency = match internal.and_then(|p| p.lib) {
                    Some(lib) => Dependency::Internal(lib),
                    None => Dependency::External(package_name.clone()),
                };
                dependencies.insert(code_name.clone(), dependency);
            }
            for &target in &package.targets {
                let mut own = dependencies.clone();
                if let Some(lib) = package.lib.filter(|&lib| lib != target) {
                    own.insert(package.lib_name.clone(), Dependency::Internal(lib));
                }
                crates[target].dependencies = own;
            }
        }

        let mut place: Vec<Option<(usize, Vec<String>)>> = vec![None; project.files().len()];
        let roots: HashMap<FileId, usize> = crates
            .iter()
            .enumerate()
            .map(|(i, c)| (c.root, i))
            .collect();
        for (index, krate) in crates.iter().enumerate() {
            place[krate.root] = Some((index, Vec::new()));
        }
        // Top-level modules each crate root declares (`mod cli;`).
        let declared: Vec<HashSet<&str>> = crates
            .iter()
            .map(|c| {
                facts[c.root]
                    .definitions
                    .iter()
                    .filter(|d| d.kind == "module")
                    .map(|d| d.name.as_str())
                    .collect()
            })
            .collect();
        // Each file goes to the crate of the deepest folder holding it
        // (`examples/y/` is y's, not that of `examples/x.rs`); in one
        // folder, to a root that declares its top module (src/main.rs's
        // `mod cli;` beside src/lib.rs), else to the first crate (libraries
        // first). A root in the package folder itself (build.rs, `[lib]
        // path = "lib.rs"`) takes only the modules it declares.
        for (id, file) in project.files().iter().enumerate() {
            if file.language != Language::Rust || roots.contains_key(&id) {
                continue;
            }
            let mut best: Option<((usize, bool), usize, Vec<String>)> = None;
            for (index, krate) in crates.iter().enumerate() {
                let Some(relative) = below(&file.path, &krate.dir) else {
                    continue;
                };
                let path = module_path(relative);
                let declares = path
                    .first()
                    .is_some_and(|m| declared[index].contains(m.as_str()));
                if !declares && !krate.owns_dir {
                    continue;
                }
                let key = (krate.dir.len(), declares);
                if best.as_ref().is_none_or(|(k, _, _)| key > *k) {
                    best = Some((key, index, path));
                }
            }
            place[id] = best.map(|(_, index, path)| (index, path));
        }
        place_path_modules(project, facts, &mut place);
        let mut modules = HashMap::new();
        for (id, slot) in place.iter().enumerate() {
            let Some((krate, module)) = slot else {
                continue;
            };
            modules.entry((*krate, module.join("::"))).or_insert(id);
            // Crates of the same folder declaring the same module share its
            // files (tests/a.rs and tests/b.rs both with `mod common;`).
            let Some(top) = module.first() else { continue };
            for (other, c) in crates.iter().enumerate() {
                if other != *krate
                    && c.dir == crates[*krate].dir
                    && declared[other].contains(top.as_str())
                {
                    modules.entry((other, module.join("::"))).or_insert(id);
                }
            }
        }

        let mut reexports: HashMap<FileId, HashMap<String, Vec<usize>>> = HashMap::new();
        let mut glob_reexports: HashMap<FileId, Vec<usize>> = HashMap::new();
        let mut bindings: HashMap<FileId, HashMap<String, Vec<usize>>> = HashMap::new();
        for (id, file_facts) in facts.iter().enumerate() {
            if project.get(id).language != Language::Rust {
                continue;
            }
            // Each (name, path) once: the walks follow every alternative
            // a name has, and a `use` repeated 18 000 times over (found by
            // fuzzing) made as many walks at every level of a path.
            let mut seen: std::collections::HashSet<(&str, &str, ImportKind)> =
                std::collections::HashSet::new();
            for (index, import) in file_facts.imports.iter().enumerate() {
                if import.reference {
                    continue;
                }
                let Some(name) = import.names.first() else {
                    continue;
                };
                if !seen.insert((name.as_str(), import.specifier.as_str(), import.kind)) {
                    continue;
                }
                if name == GLOB {
                    if import.kind == ImportKind::Reexport {
                        glob_reexports.entry(id).or_default().push(index);
                    }
                    continue;
                }
                bindings
                    .entry(id)
                    .or_default()
                    .entry(name.clone())
                    .or_default()
                    .push(index);
                if import.kind == ImportKind::Reexport {
                    reexports
                        .entry(id)
                        .or_default()
                        .entry(name.clone())
                        .or_default()
                        .push(index);
                }
            }
        }
        let mut macros = HashMap::new();
        for (id, slot) in place.iter().enumerate() {
            let Some((krate, _)) = slot else { continue };
            for definition in facts[id].definitions.iter().filter(|d| d.kind == "macro") {
                macros
                    .entry((*krate, definition.name.clone()))
                    .or_insert(id);
            }
        }
        RustResolver {
            facts,
            macros,
            crates,
            place,
            modules,
            reexports,
            glob_reexports,
            bindings,
        }
    }

    /// The path of import `index` of `file`, by segment.
    fn import_path(&self, file: FileId, index: usize) -> Vec<&str> {
        self.facts[file].imports[index]
            .specifier
            .split("::")
            .collect()
    }

    fn module_file(&self, krate: usize, module: &[String]) -> Option<FileId> {
        self.modules.get(&(krate, module.join("::"))).copied()
    }

    fn defines(&self, file: FileId, name: &str) -> bool {
        // An `impl` block names its type but does not define it.
        self.facts[file]
            .definitions
            .iter()
            .any(|d| d.name == name && d.kind != "impl")
    }

    /// Walks a path from `module` of `krate`, seen from file `from`.
    fn walk(
        &self,
        memo: &Memo,
        krate: usize,
        module: &[String],
        from: FileId,
        path: &[&str],
        depth: usize,
    ) -> Found {
        if depth > 8 || path.is_empty() {
            return Found::Unknown;
        }
        let first = path[0];
        let (krate, start, rest): (usize, Vec<String>, &[&str]) = match first {
            "crate" => (krate, Vec::new(), &path[1..]),
            "self" => (krate, module.to_vec(), &path[1..]),
            "super" => {
                let mut start = module.to_vec();
                let supers = path.iter().take_while(|s| **s == "super").count();
                for _ in 0..supers {
                    if start.pop().is_none() {
                        return Found::Missing;
                    }
                }
                (krate, start, &path[supers..])
            }
            name => {
                let mut child = module.to_vec();
                child.push(name.to_string());
                if self.module_file(krate, &child).is_some() {
                    (krate, module.to_vec(), path)
                } else if let Some(indices) = self.bindings.get(&from).and_then(|b| b.get(name)) {
                    // A name a `use` of this file brought in (by each of
                    // its alternatives): continue from it.
                    let mut found = Vec::new();
                    for &index in indices {
                        let mut substituted = self.import_path(from, index);
                        if substituted.first() == Some(&name) && substituted.len() == 1 {
                            found.push(self.start_crate(memo, krate, name, from, path, depth));
                            continue;
                        }
                        substituted.extend_from_slice(&path[1..]);
                        found.push(self.walk(memo, krate, module, from, &substituted, depth + 1));
                    }
                    return merge(found);
                } else {
                    return self.start_crate(memo, krate, name, from, path, depth);
                }
            }
        };
        self.descend(memo, krate, start, rest, depth)
    }

    /// A first segment that is no module here: a crate, or an item.
    fn start_crate(
        &self,
        memo: &Memo,
        krate: usize,
        name: &str,
        from: FileId,
        path: &[&str],
        depth: usize,
    ) -> Found {
        match self.crates[krate].dependencies.get(name) {
            // The depth carries on: crates re-exporting each other's items
            // (`a` has `pub use b::T`, `b` has `pub use a::T`) must not loop.
            Some(Dependency::Internal(other)) => {
                self.descend(memo, *other, Vec::new(), &path[1..], depth + 1)
            }
            Some(Dependency::External(package)) => Found::External(package.clone()),
            None if STD_CRATES.contains(&name) => Found::Std,
            None if self.defines(from, name) => Found::Here,
            None => Found::Unknown,
        }
    }

    /// Walks down modules from `module`; the first item stops the walk.
    /// An item that cannot be seen (generated by a macro) is taken to be
    /// where the path puts it when it ends the path (`crate::x::spawn`); in
    /// the middle of one (`crate::x::Missing::new`), it must be found.
    fn descend(
        &self,
        memo: &Memo,
        krate: usize,
        module: Vec<String>,
        rest: &[&str],
        depth: usize,
    ) -> Found {
        self.descend_from(memo, krate, module, None, rest, depth)
    }

    /// [`RustResolver::descend`], starting inside an inline `mod x { }`
    /// when `inline` is the file holding it (whose definitions and
    /// re-exports are the inline module's).
    fn descend_from(
        &self,
        memo: &Memo,
        krate: usize,
        mut module: Vec<String>,
        mut inline: Option<FileId>,
        rest: &[&str],
        depth: usize,
    ) -> Found {
        for (i, segment) in rest.iter().enumerate() {
            if inline.is_none() {
                module.push((*segment).to_string());
                if self.module_file(krate, &module).is_some() {
                    continue;
                }
                module.pop();
            }
            let Some(file) = inline.or_else(|| self.module_file(krate, &module)) else {
                return Found::Missing;
            };
            let last = i + 1 == rest.len();
            if !last && self.declares_inline(file, segment) {
                // `crate::graph::NodeIndex` with `pub mod graph { pub use
                // ...::NodeIndex; }` in lib.rs: on into the inline module.
                inline = Some(file);
                module.push((*segment).to_string());
                continue;
            }
            let found = self.find_item(memo, krate, &module, file, segment, depth);
            if !last && depth <= 8 {
                // An inline module passed on by a glob (`pub use
                // self::std::*` of a file with `pub mod sync { .. }`), by
                // each alternative that has it.
                let inside: Vec<Found> = found
                    .iter()
                    .filter(|&&holder| self.declares_inline(holder, segment))
                    .filter_map(|&holder| {
                        let (k, m) = self.place[holder].as_ref()?;
                        let mut m = m.clone();
                        m.push((*segment).to_string());
                        Some(self.descend_from(
                            memo,
                            *k,
                            m,
                            Some(holder),
                            &rest[i + 1..],
                            depth + 1,
                        ))
                    })
                    .collect();
                if !inside.is_empty() {
                    return merge(inside);
                }
            }
            return match found {
                found if !found.is_empty() => Found::Items(found),
                _ if last => Found::Items(vec![file]),
                _ => Found::Missing,
            };
        }
        match inline {
            Some(file) => Found::Items(vec![file]),
            None => Found::Module(krate, module),
        }
    }

    /// The file of module `module` and the files of every item its `pub
    /// use`s pass on, through its glob re-exports too, sorted.
    fn glob_targets(
        &self,
        memo: &Memo,
        krate: usize,
        module: &[String],
        depth: usize,
    ) -> Vec<FileId> {
        let key = Key::Glob(krate, module.join("::"));
        memoized(memo, key, || {
            self.glob_targets_uncached(memo, krate, module, depth)
        })
    }

    fn glob_targets_uncached(
        &self,
        memo: &Memo,
        krate: usize,
        module: &[String],
        depth: usize,
    ) -> Vec<FileId> {
        let Some(file) = self.module_file(krate, module) else {
            return Vec::new();
        };
        let mut found = vec![file];
        if depth > 4 {
            return found;
        }
        // In name order: with the memo, the order decides which of two
        // re-exports naming each other is cut, and output must not vary.
        let mut names: Vec<&String> = self
            .reexports
            .get(&file)
            .into_iter()
            .flat_map(|r| r.keys())
            .collect();
        names.sort_unstable();
        for name in names {
            found.extend(self.find_item(memo, krate, module, file, name, depth + 1));
        }
        for &index in self.glob_reexports.get(&file).into_iter().flatten() {
            let path = self.import_path(file, index);
            if let Found::Module(k, m) = self.walk(memo, krate, module, file, &path, depth + 1) {
                found.extend(self.glob_targets(memo, k, &m, depth + 1));
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Whether `file` holds an inline `mod name { }`.
    fn declares_inline(&self, file: FileId, name: &str) -> bool {
        self.facts[file]
            .definitions
            .iter()
            .any(|d| d.kind == "module" && d.name == name)
    }

    /// The files that may define item `name` of module `module` (file
    /// `file`), sorted: the file itself when it defines it, and wherever
    /// each `pub use` of the name leads (both: alternatives under `#[cfg]`
    /// — a change to either breaks the user in some build); else a
    /// private `use` of it, then glob re-exports; `#[macro_export]` macros
    /// at the crate root. Empty when the item is nowhere to be seen.
    fn find_item(
        &self,
        memo: &Memo,
        krate: usize,
        module: &[String],
        file: FileId,
        name: &str,
        depth: usize,
    ) -> Vec<FileId> {
        // Worked out once per resolution: alternatives branch at every
        // step, and a walk meets the same items again and again. An item
        // met again while being worked out is a cycle of re-exports: it
        // adds nothing there.
        let key = Key::Item(krate, file, name.to_string(), module.join("::"));
        memoized(memo, key, || {
            self.find_item_uncached(memo, krate, module, file, name, depth)
        })
    }

    fn find_item_uncached(
        &self,
        memo: &Memo,
        krate: usize,
        module: &[String],
        file: FileId,
        name: &str,
        depth: usize,
    ) -> Vec<FileId> {
        let mut found = Vec::new();
        if self.defines(file, name) {
            found.push(file);
        }
        if depth > 8 {
            return found;
        }
        // The file's imports are written relative to the file (`super::`
        // in an inline module was rewritten on extraction): walked from
        // the file's own module.
        let base = match &self.place[file] {
            Some((k, m)) if *k == krate => m.as_slice(),
            _ => module,
        };
        let follow = |index: usize, found: &mut Vec<FileId>| {
            let path = self.import_path(file, index);
            let before = found.len();
            match self.walk(memo, krate, base, file, &path, depth + 1) {
                Found::Items(targets) => found.extend(targets),
                Found::Module(k, m) => found.extend(self.module_file(k, &m)),
                _ => {}
            }
            // Re-exported from outside the repository (`pub use
            // std::pin::Pin`): this file is where the path finds it.
            if found.len() == before {
                found.push(file);
            }
        };
        for &index in named(&self.reexports, file, name) {
            follow(index, &mut found);
        }
        if found.is_empty() {
            // Brought in by a private `use`: visible to the module's
            // children (`super::queue` from a child module).
            for &index in named(&self.bindings, file, name) {
                follow(index, &mut found);
            }
        }
        if found.is_empty() {
            for &index in self.glob_reexports.get(&file).into_iter().flatten() {
                let path = self.import_path(file, index);
                if let Found::Module(k, m) = self.walk(memo, krate, base, file, &path, depth + 1)
                    && let Some(glob_file) = self.module_file(k, &m)
                {
                    let mut child = m.clone();
                    child.push(name.to_string());
                    match self.module_file(k, &child) {
                        Some(child_file) => found.push(child_file),
                        None => {
                            found.extend(self.find_item(memo, k, &m, glob_file, name, depth + 1))
                        }
                    }
                }
            }
        }
        if found.is_empty() && module.is_empty() {
            found.extend(self.macros.get(&(krate, name.to_string())).copied());
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// `#[path]` modules override the convention: a module declared with
/// `#[path = "..."]` is the file named, and that file's own children
/// follow it (with `#[path = "unix/mod.rs"] mod imp;`, unix/orphan.rs is
/// `imp::orphan`).
fn place_path_modules(
    project: &ProjectFiles,
    facts: &[FileFacts],
    place: &mut [Option<(usize, Vec<String>)>],
) {
    for (id, file_facts) in facts.iter().enumerate() {
        let Some((krate, module)) = place[id].clone() else {
            continue;
        };
        for (name, path) in &file_facts.module_files {
            let Some(target) = join(parent(project.path(id)), path).and_then(|p| project.file(&p))
            else {
                continue;
            };
            let mut child = module.clone();
            child.push(name.clone());
            let target_path = project.path(target);
            let stem = file_name(target_path).trim_end_matches(".rs");
            let children = match stem {
                "mod" => parent(target_path).to_string(),
                _ => crate::project::child(parent(target_path), stem),
            };
            for (other, file) in project.files().iter().enumerate() {
                let Some(relative) = below(&file.path, &children) else {
                    continue;
                };
                if other == target || file.language != Language::Rust {
                    continue;
                }
                let mut path = child.clone();
                path.extend(module_path(relative));
                place[other] = Some((krate, path));
            }
            place[target] = Some((krate, child));
        }
    }
}

/// The module path of a file path relative to a module folder:
/// `a/b.rs` and `a/b/mod.rs` are `a::b`.
fn module_path(relative: &str) -> Vec<String> {
    let mut path: Vec<String> = relative
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if path.last().is_some_and(|s| s == "mod") {
        path.pop();
    }
    path
}

/// The walks of a name's alternatives as one: every item file when they
/// found items, else the first that found something (a module, a crate),
/// else the first.
fn merge(found: Vec<Found>) -> Found {
    let mut items: Vec<FileId> = Vec::new();
    let mut first: Option<Found> = None;
    let mut something: Option<Found> = None;
    for f in found {
        match f {
            Found::Items(files) => items.extend(files),
            Found::Unknown | Found::Missing => {
                first.get_or_insert(f);
            }
            f => {
                something.get_or_insert(f);
            }
        }
    }
    if items.is_empty() {
        return something.or(first).unwrap_or(Found::Unknown);
    }
    items.sort_unstable();
    items.dedup();
    Found::Items(items)
}

/// The imports of `file` that bring in `name` (a `HashMap` of names per
/// file), none when it has none.
fn named<'m>(
    map: &'m HashMap<FileId, HashMap<String, Vec<usize>>>,
    file: FileId,
    name: &str,
) -> &'m [usize] {
    map.get(&file)
        .and_then(|names| names.get(name))
        .map_or(&[], Vec::as_slice)
}

/// Looks `key` up in the resolution's memo, else works it out with
/// `work`; while it is being worked out, a lookup of it (a cycle) finds
/// nothing.
fn memoized(memo: &Memo, key: Key, work: impl FnOnce() -> Vec<FileId>) -> Vec<FileId> {
    if let Some(found) = memo.borrow().get(&key) {
        return found.clone();
    }
    memo.borrow_mut().insert(key.clone(), Vec::new());
    let found = work();
    memo.borrow_mut().insert(key, found.clone());
    found
}

impl RustResolver<'_> {
    /// The path a file's items are named under: its crate's name and its
    /// module path (`tokio::runtime::handle`).
    pub fn module_name(&self, file: FileId) -> Option<String> {
        let (krate, module) = self.place[file].as_ref()?;
        let mut name = self.crates[*krate].name.clone();
        for segment in module {
            name.push_str("::");
            name.push_str(segment);
        }
        Some(name)
    }
}

impl Resolve for RustResolver<'_> {
    fn resolve(&self, from: FileId, import: &RawImport) -> Resolution {
        let path: Vec<&str> = import.specifier.split("::").collect();
        let internal = matches!(path.first(), Some(&("crate" | "self" | "super")));
        let memo = &Memo::default();
        let found = match &self.place[from] {
            Some((krate, module)) => self.walk(memo, *krate, module, from, &path, 0),
            None if STD_CRATES.contains(&path[0]) => Found::Std,
            None => Found::Unknown,
        };
        let glob = !import.reference && import.names.first().is_some_and(|n| n == GLOB);
        let files = match found {
            // `use m::*` brings in every item `m` passes on: the files
            // defining them are used too (a change there reaches the
            // importer as surely as one to `m`).
            Found::Module(krate, module) if glob => self.glob_targets(memo, krate, &module, 0),
            Found::Module(krate, module) => self.module_file(krate, &module).into_iter().collect(),
            Found::Items(files) => files,
            Found::Here => return Resolution::Local,
            Found::External(_) | Found::Std | Found::Unknown if import.reference => {
                return Resolution::Local;
            }
            Found::External(package) => return Resolution::External { package },
            Found::Std => return Resolution::Stdlib,
            Found::Unknown if !internal => {
                return Resolution::Undeclared {
                    package: path[0].to_string(),
                };
            }
            Found::Unknown | Found::Missing => Vec::new(),
        };
        if files.is_empty() {
            return Resolution::Unresolved;
        }
        let others: Vec<FileId> = files.into_iter().filter(|&f| f != from).collect();
        if others.is_empty() {
            Resolution::Local
        } else {
            Resolution::Files(others)
        }
    }
}

/// Reads one Cargo.toml: adds its targets to `crates`, returns the package.
fn read_package(
    project: &ProjectFiles,
    manifest: &str,
    table: &toml::Table,
    crates: &mut Vec<Crate>,
) -> Option<Package> {
    let package = table.get("package")?;
    let dir = parent(manifest).to_string();
    let name = package
        .get("name")
        .and_then(toml::Value::as_str)
        .unwrap_or(file_name(&dir))
        .to_string();
    let in_dir = |relative: &str| join(&dir, relative).and_then(|p| project.file(&p));
    let lib_table = table.get("lib");
    let lib_name = lib_table
        .and_then(|l| l.get("name"))
        .and_then(toml::Value::as_str)
        .unwrap_or(&name)
        .replace('-', "_");
    let mut targets = Vec::new();
    let add = |root: FileId, crates: &mut Vec<Crate>, targets: &mut Vec<usize>| -> usize {
        if let Some(known) = crates.iter().position(|c| c.root == root) {
            return known;
        }
        let root_dir = parent(project.path(root)).to_string();
        let stem = file_name(project.path(root)).trim_end_matches(".rs");
        let crate_name = match stem {
            "lib" | "main" => lib_name.clone(),
            // `tests/it/main.rs`: the folder names the target.
            _ if file_name(project.path(root)) == "main.rs" => file_name(&root_dir).to_string(),
            _ => stem.replace('-', "_"),
        };
        crates.push(Crate {
            root,
            name: crate_name,
            owns_dir: root_dir != dir,
            dir: root_dir,
            dependencies: HashMap::new(),
        });
        targets.push(crates.len() - 1);
        crates.len() - 1
    };
    let lib_path = lib_table
        .and_then(|l| l.get("path"))
        .and_then(toml::Value::as_str)
        .unwrap_or("src/lib.rs");
    let lib = in_dir(lib_path).map(|root| add(root, crates, &mut targets));
    let mut roots: Vec<FileId> = Vec::new();
    roots.extend(in_dir("src/main.rs"));
    // Targets named in tables, at their `path` (Cargo's defaults for a
    // table without one are the conventional places, found below).
    for section in ["bin", "test", "bench", "example"] {
        for target in table
            .get(section)
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(path) = target.get("path").and_then(toml::Value::as_str) {
                roots.extend(in_dir(path));
            }
        }
    }
    if let Some(build) = package.get("build").and_then(toml::Value::as_str) {
        roots.extend(in_dir(build));
    }
    // `autotests = false` and its kin turn the conventions off.
    let auto = |key: &str| {
        package
            .get(key)
            .and_then(toml::Value::as_bool)
            .unwrap_or(true)
    };
    let (bins, tests, benches, examples) = (
        auto("autobins"),
        auto("autotests"),
        auto("autobenches"),
        auto("autoexamples"),
    );
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    for (id, file) in project.files().iter().enumerate() {
        let Some(relative) = file
            .path
            .strip_prefix(&prefix)
            .filter(|_| file.language == Language::Rust)
        else {
            continue;
        };
        let parts: Vec<&str> = relative.split('/').collect();
        // Cargo's target auto-discovery: a file of the folder, or a folder
        // with a `main.rs`.
        let target = match parts.as_slice() {
            ["src", "bin", _] | ["src", "bin", _, "main.rs"] => bins,
            ["tests", _] | ["tests", _, "main.rs"] => tests,
            ["benches", _] | ["benches", _, "main.rs"] => benches,
            ["examples", _] | ["examples", _, "main.rs"] => examples,
            ["build.rs"] => package
                .get("build")
                .is_none_or(|b| b.as_bool() != Some(false)),
            _ => false,
        };
        if target {
            roots.push(id);
        }
    }
    for root in roots {
        add(root, crates, &mut targets);
    }
    let mut dependencies = Vec::new();
    let mut sections: Vec<&toml::Value> =
        ["dependencies", "dev-dependencies", "build-dependencies"]
            .iter()
            .filter_map(|s| table.get(*s))
            .collect();
    if let Some(targets) = table.get("target").and_then(toml::Value::as_table) {
        for target in targets.values() {
            for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
                sections.extend(target.get(section));
            }
        }
    }
    for section in sections {
        for (key, spec) in section.as_table().into_iter().flatten() {
            let package_name = spec
                .get("package")
                .and_then(toml::Value::as_str)
                .unwrap_or(key)
                .to_string();
            let path = spec
                .get("path")
                .and_then(toml::Value::as_str)
                .and_then(|p| join(&dir, p));
            dependencies.push((key.replace('-', "_"), package_name, path));
        }
    }
    Some(Package {
        dir,
        name,
        lib_name,
        lib,
        targets,
        dependencies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_drop_generics_and_whitespace() {
        assert_eq!(segments("Vec::<u8>::new"), ["Vec", "new"]);
        assert_eq!(segments("crate :: a::b"), ["crate", "a", "b"]);
        assert_eq!(segments("::std::mem"), ["std", "mem"]);
        assert_eq!(segments("$crate::x"), ["crate", "x"]);
        assert_eq!(segments("a::B<C<D>>::e"), ["a", "B", "e"]);
    }

    #[test]
    fn self_and_super_in_inline_modules_become_file_relative() {
        assert_eq!(relative_to_file("self::x", &["tests"]), "self::tests::x");
        assert_eq!(relative_to_file("super::x", &["tests"]), "self::x");
        assert_eq!(relative_to_file("super::super::x", &["a", "b"]), "self::x");
        assert_eq!(relative_to_file("super::super::x", &["a"]), "super::x");
        assert_eq!(relative_to_file("crate::x", &["a"]), "crate::x");
    }
}
