//! Tests as definitions, and what they depend on without calling it.
//!
//! pytest: test functions (`test*` in `test_*.py` / `*_test.py`), test
//! methods (`test*` in a `Test*` class or a `TestCase` subclass); a test
//! or fixture depends on the fixtures its parameters name (the nearest
//! definition: its class, its module, then `conftest.py` up the folders),
//! on the autouse fixtures above it, on `@pytest.mark.usefixtures(...)`
//! (on it or its class), and a test method on
//! its class's `setUp`/`setUpClass`/`setup_method`/... (through the
//! bases). TypeScript and JavaScript test files (`*.test.*`, `*.spec.*`,
//! `__tests__/`) are tests as modules: their cases are callbacks of their
//! top-level code. PHPUnit: `test*` or `#[Test]` methods of `*Test`
//! classes in `*Test.php`, after `setUp`. Rust: `#[test]` functions (and
//! the async runners' `#[tokio::test]`), named as libtest names them.

use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::impact::is_test_file;
use crate::facts::{DefKind, FileFacts, SymbolDef, SymbolFacts};
use crate::lang::LanguageFamily;
use crate::project::{FileId, ProjectFiles, file_name, parent};

use super::resolve::{Ctx, RawEdge, World};
use super::{EdgeKind, NodeKind, SymbolNode, UseSite};

/// What kind of test a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    /// A test function or method: runs alone (`path::Class::test_x`).
    Case,
    /// A test file as a whole (its module: a test module's top-level
    /// code, or a JavaScript test file whose cases are callbacks).
    File,
}

/// The unittest and pytest hooks a test method runs before and after it.
const SETUP: &[&str] = &[
    "setUp",
    "tearDown",
    "setUpClass",
    "tearDownClass",
    "asyncSetUp",
    "asyncTearDown",
    "setup_method",
    "teardown_method",
    "setup_class",
    "teardown_class",
];

/// The PHPUnit hooks a test method runs before and after it.
const PHPUNIT_SETUP: &[&str] = &[
    "setUp",
    "tearDown",
    "setUpBeforeClass",
    "tearDownAfterClass",
];

/// Whether pytest collects test functions from this file by default.
fn pytest_file(path: &str) -> bool {
    let name = file_name(path);
    (name.starts_with("test_") && name.ends_with(".py"))
        || name.ends_with("_test.py")
        || name == "tests.py"
}

fn is_test_class(def: &SymbolDef) -> bool {
    def.kind == DefKind::Class
        && (def.name.starts_with("Test")
            || def.bases.iter().any(|b| {
                b.rsplit('.')
                    .next()
                    .is_some_and(|last| last.ends_with("TestCase"))
            }))
}

/// Whether a definition is a test case pytest or unittest runs.
fn is_case(symbols: &SymbolFacts, def: &SymbolDef) -> bool {
    if !def.kind.is_callable() || !def.name.starts_with("test") {
        return false;
    }
    match def.parent {
        None => true,
        Some(p) => is_test_class(&symbols.defs[p as usize]),
    }
}

/// PHPUnit's test files: `*Test.php`.
fn phpunit_file(path: &str) -> bool {
    let name = file_name(path);
    name.ends_with("Test.php") && name.len() > "Test.php".len()
}

/// A PHPUnit test method: `test*`, or marked `#[Test]`, in a class named
/// `*Test` or deriving from a `*TestCase`.
fn is_phpunit_case(symbols: &SymbolFacts, def: &SymbolDef) -> bool {
    let marked = def
        .decorators
        .iter()
        .any(|d| d.rsplit('\\').next().is_some_and(|a| a == "Test"));
    let Some(class) = def.parent.map(|p| &symbols.defs[p as usize]) else {
        return false;
    };
    def.kind.is_callable()
        && (def.name.starts_with("test") || marked)
        && class.kind == DefKind::Class
        && (class.name.ends_with("Test")
            || class.bases.iter().any(|b| {
                b.rsplit('\\')
                    .next()
                    .is_some_and(|last| last.ends_with("TestCase"))
            }))
}

/// Whether a definition is a test case its language's runner runs alone.
fn runs_as_case(
    project: &ProjectFiles,
    symbols: &SymbolFacts,
    file: FileId,
    def: &SymbolDef,
) -> bool {
    let path = project.path(file);
    match project.get(file).language.family() {
        LanguageFamily::Python => pytest_file(path) && is_case(symbols, def),
        LanguageFamily::Php => phpunit_file(path) && is_phpunit_case(symbols, def),
        LanguageFamily::Rust => is_rust_test(def),
        _ => false,
    }
}

/// A Rust test: a function marked `#[test]` (or a runner's own,
/// `#[tokio::test]`, `#[rstest]`, `#[test_case(..)]`).
fn is_rust_test(def: &SymbolDef) -> bool {
    def.kind.is_callable()
        && def.decorators.iter().any(|d| {
            let name = d.split('(').next().unwrap_or(d).trim();
            matches!(
                name.rsplit("::").next(),
                Some("test" | "rstest" | "test_case" | "quickcheck" | "proptest")
            )
        })
}

/// Marks test cases and test files.
pub(super) fn mark_tests(project: &ProjectFiles, facts: &[FileFacts], nodes: &mut [SymbolNode]) {
    let mut files_with_cases: Vec<bool> = vec![false; facts.len()];
    for node in nodes.iter_mut() {
        let file = node.file;
        let Some(symbols) = facts[file].symbols.as_ref() else {
            continue;
        };
        let case = matches!(node.kind, NodeKind::Def(_))
            && node
                .defs
                .iter()
                .any(|&d| runs_as_case(project, symbols, file, &symbols.defs[d as usize]));
        if case {
            node.test = Some(TestKind::Case);
            files_with_cases[file] = true;
        }
    }
    for node in nodes.iter_mut().filter(|n| n.kind == NodeKind::Module) {
        let path = project.path(node.file);
        let test_file = match project.get(node.file).language.family() {
            LanguageFamily::TypeScript | LanguageFamily::JavaScript => {
                is_test_file(path) && !path.contains("/fixtures/")
            }
            LanguageFamily::Python | LanguageFamily::Php => files_with_cases[node.file],
            // A Rust file is not run on its own: its cases are.
            LanguageFamily::Rust => false,
        };
        if test_file {
            node.test = Some(TestKind::File);
        }
    }
}

/// A pytest fixture: its name and whether it applies to every test below
/// it.
struct Fixture {
    name: String,
    autouse: bool,
    def: u32,
    /// The class holding it, if any (it serves that class's tests).
    class: Option<u32>,
}

fn fixture_of(def: &SymbolDef) -> Option<(String, bool)> {
    def.decorators.iter().find_map(|d| {
        let callee = d.split('(').next().unwrap_or(d).trim();
        if !matches!(
            callee,
            "pytest.fixture" | "fixture" | "pytest_asyncio.fixture"
        ) {
            return None;
        }
        let autouse = d.replace(' ', "").contains("autouse=True");
        let name = keyword_string(d, "name").unwrap_or_else(|| def.name.clone());
        Some((name, autouse))
    })
}

/// The string given to `key=` in a decorator's arguments.
fn keyword_string(decorator: &str, key: &str) -> Option<String> {
    let compact = decorator.replace(' ', "");
    let at = compact.find(&format!("{key}="))? + key.len() + 1;
    let rest = &compact[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    Some(rest[1..].split(quote).next()?.to_string())
}

/// The fixture names of `@pytest.mark.usefixtures("a", "b")`.
fn usefixtures(decorator: &str) -> Vec<String> {
    let Some(args) = decorator
        .strip_prefix("pytest.mark.usefixtures(")
        .or_else(|| decorator.strip_prefix("mark.usefixtures("))
    else {
        return Vec::new();
    };
    args.split(',')
        .filter_map(|a| {
            let a = a.trim().trim_end_matches(')').trim();
            let quote = a.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            Some(a.trim_matches(quote).to_string())
        })
        .filter(|a| !a.is_empty())
        .collect()
}

/// Every pytest fixture of the repository, by the file defining it.
#[derive(Default)]
pub(super) struct Fixtures {
    by_file: HashMap<FileId, Vec<Fixture>>,
}

impl Fixtures {
    pub(super) fn new(project: &ProjectFiles, facts: &[FileFacts]) -> Self {
        let mut by_file: HashMap<FileId, Vec<Fixture>> = HashMap::new();
        for (file, f) in facts.iter().enumerate() {
            let Some(symbols) = &f.symbols else { continue };
            if project.get(file).language.family() != LanguageFamily::Python {
                continue;
            }
            for (i, def) in symbols.defs.iter().enumerate() {
                if !def.kind.is_callable() {
                    continue;
                }
                if let Some((name, autouse)) = fixture_of(def) {
                    let class = def
                        .parent
                        .filter(|&p| symbols.defs[p as usize].kind.is_type());
                    by_file.entry(file).or_default().push(Fixture {
                        name,
                        autouse,
                        def: i as u32,
                        class,
                    });
                }
            }
        }
        Fixtures { by_file }
    }

    /// The files whose fixtures a file sees: itself, then the conftest.py
    /// files pytest loads for it, nearest first.
    pub(super) fn visible(project: &ProjectFiles, file: FileId) -> Vec<FileId> {
        let mut out = vec![file];
        let mut dir = parent(project.path(file));
        loop {
            let path = if dir.is_empty() {
                "conftest.py".to_string()
            } else {
                format!("{dir}/conftest.py")
            };
            if let Some(c) = project.file(&path)
                && c != file
            {
                out.push(c);
            }
            if dir.is_empty() {
                break;
            }
            dir = parent(dir);
        }
        out
    }

    /// Whether pytest would ask this definition for fixtures by its
    /// parameters: a test case or a fixture, in a file pytest reads.
    pub(super) fn takes_fixtures(
        project: &ProjectFiles,
        symbols: &SymbolFacts,
        file: FileId,
        def: &SymbolDef,
    ) -> bool {
        let path = project.path(file);
        (pytest_file(path) || file_name(path) == "conftest.py")
            && (is_case(symbols, def) || fixture_of(def).is_some())
    }

    /// The nearest fixture of a name for a definition of `file` (in class
    /// `class`): the class's, the module's, then each conftest's up the
    /// folders.
    pub(super) fn find(
        &self,
        project: &ProjectFiles,
        file: FileId,
        class: Option<u32>,
        name: &str,
    ) -> Option<(FileId, u32)> {
        for holder in Self::visible(project, file) {
            let Some(list) = self.by_file.get(&holder) else {
                continue;
            };
            let local = |fx: &&Fixture| {
                fx.name == name && (fx.class.is_none() || (holder == file && fx.class == class))
            };
            if let Some(fx) = list
                .iter()
                .filter(local)
                .max_by_key(|fx| fx.class.is_some())
            {
                return Some((holder, fx.def));
            }
        }
        None
    }

    /// The autouse fixtures that apply to a test of `file` in `class`.
    fn autouse(
        &self,
        project: &ProjectFiles,
        file: FileId,
        class: Option<u32>,
    ) -> Vec<(FileId, u32)> {
        let mut out = Vec::new();
        for holder in Self::visible(project, file) {
            for fx in self.by_file.get(&holder).into_iter().flatten() {
                if fx.autouse && (fx.class.is_none() || (holder == file && fx.class == class)) {
                    out.push((holder, fx.def));
                }
            }
        }
        out
    }
}

/// The edges pytest and unittest make without a call, from the
/// definitions of one file: fixtures by parameter name, autouse fixtures,
/// usefixtures marks, setUp methods.
pub(super) fn file_implicit_edges(world: &World, ctx: &Ctx, file: FileId) -> Vec<RawEdge> {
    let project = world.project();
    let Some(symbols) = world.facts()[file].symbols.as_ref() else {
        return Vec::new();
    };
    let family = project.get(file).language.family();
    if !matches!(family, LanguageFamily::Python | LanguageFamily::Php) {
        return Vec::new();
    }
    let fixtures = world.fixtures();
    let takers: Vec<usize> = symbols
        .defs
        .iter()
        .enumerate()
        .filter(|(_, def)| {
            Fixtures::takes_fixtures(project, symbols, file, def)
                || (family == LanguageFamily::Php && runs_as_case(project, symbols, file, def))
        })
        .map(|(i, _)| i)
        .collect();
    if takers.is_empty() {
        return Vec::new();
    }
    // The conftest files whose fixtures it sees: an edit there changes
    // this file's answer.
    for holder in Fixtures::visible(project, file) {
        world.note_read(ctx, holder);
    }
    // setUp and friends of each test class, through its bases.
    let mut classes: Vec<u32> = takers
        .iter()
        .filter_map(|&i| symbols.defs[i].parent)
        .filter(|&p| symbols.defs[p as usize].kind.is_type())
        .collect();
    classes.sort_unstable();
    classes.dedup();
    let hooks = world.members_of_classes(
        ctx,
        file,
        &classes,
        if family == LanguageFamily::Php {
            PHPUNIT_SETUP
        } else {
            SETUP
        },
    );
    let mut edges = Vec::new();
    for i in takers {
        let def = &symbols.defs[i];
        let case = runs_as_case(project, symbols, file, def);
        let class = def
            .parent
            .filter(|&p| symbols.defs[p as usize].kind.is_type());
        let site = UseSite {
            line: def.start_line,
            load: false,
            dispatch: false,
        };
        let mut to: Vec<(FileId, u32)> = Vec::new();
        let mut wanted: Vec<String> = def
            .params
            .iter()
            .filter(|p| !matches!(p.as_str(), "self" | "cls"))
            .cloned()
            .collect();
        if case {
            wanted.extend(def.decorators.iter().flat_map(|d| usefixtures(d)));
            if let Some(c) = class {
                wanted.extend(
                    symbols.defs[c as usize]
                        .decorators
                        .iter()
                        .flat_map(|d| usefixtures(d)),
                );
                if let Ok(at) = classes.binary_search(&c) {
                    to.extend(hooks[at].iter().copied());
                }
            }
            to.extend(fixtures.autouse(project, file, class));
        }
        to.extend(
            wanted
                .iter()
                .filter_map(|name| fixtures.find(project, file, class, name)),
        );
        for target in to {
            if target != (file, i as u32) {
                edges.push(RawEdge {
                    from: Some(i as u32),
                    to: target,
                    kind: EdgeKind::Fixture,
                    site,
                });
            }
        }
    }
    edges
}

/// The id a test runner selects a test by: pytest's node id
/// (`tests/test_a.py::TestX::test_y`), libtest's test name
/// (`service::tests::opens`, given to `cargo test` with the test's
/// target), else the file.
pub fn test_id(project: &ProjectFiles, facts: &[FileFacts], node: &SymbolNode) -> String {
    let path = project.path(node.file);
    let family = project.get(node.file).language.family();
    if node.kind != NodeKind::Module && family == LanguageFamily::Rust {
        // libtest's name: the module path inside the crate.
        return match node.name.split_once("::") {
            Some((_, inside)) => inside.to_string(),
            None => node.name.clone(),
        };
    }
    if node.kind == NodeKind::Module || family != LanguageFamily::Python {
        return path.to_string();
    }
    let Some(symbols) = facts[node.file].symbols.as_ref() else {
        return path.to_string();
    };
    let Some(&def) = node.defs.first() else {
        return path.to_string();
    };
    let mut names = vec![symbols.defs[def as usize].name.as_str()];
    let mut up = symbols.defs[def as usize].parent;
    while let Some(p) = up {
        names.push(symbols.defs[p as usize].name.as_str());
        up = symbols.defs[p as usize].parent;
    }
    names.reverse();
    format!("{path}::{}", names.join("::"))
}
