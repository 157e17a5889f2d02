//! The shipped tree-sitter queries: they compile against their grammars,
//! use only the capture names the readers know, and the keyword prefilter
//! that limits where the imports query runs never loses an import.

mod common;

use std::path::Path;

use vantage::lang::{
    Extraction, Language, compile_queries, extract_facts, extract_facts_without_prefilter,
    extract_with,
};

#[test]
fn every_query_compiles_against_its_grammar() {
    for language in Language::ALL {
        let grammar = language.grammar();
        let abi = grammar.abi_version();
        assert!(
            (tree_sitter::MIN_COMPATIBLE_LANGUAGE_VERSION..=tree_sitter::LANGUAGE_VERSION)
                .contains(&abi),
            "{language:?} grammar ABI {abi}"
        );
        if let Err(err) = compile_queries(language) {
            panic!("{language:?}: {err}");
        }
    }
}

/// Captures the readers in src/lang/ act on, per language; `_x` captures
/// are private to a pattern's predicates.
fn import_captures(language: Language) -> &'static [&'static str] {
    match language {
        Language::Python => &[
            "import.statement",
            "import.module",
            "import.from",
            "import.name",
            "import.alias",
            "import.wildcard",
            "import.dynamic",
            "import.model",
            "import.user_model",
            "import.user_model_setting",
            "import.app_label",
            "scope.lazy",
            "scope.type_only",
        ],
        Language::TypeScript | Language::Tsx | Language::JavaScript => &[
            "import.statement",
            "import.reexport",
            "import.call",
            "import.function",
            "import.source",
            "import.reference",
            "name.of",
            "name.default",
            "name.imported",
            "name.all",
            "name.alias",
            "name.namespace",
            "scope.lazy",
            "scope.type_only",
        ],
        Language::Php => &[
            "namespace.definition",
            "namespace.name",
            "use.declaration",
            "use.prefix",
            "use.clause",
            "use.name",
            "use.alias",
            "ref.new",
            "ref.static",
            "ref.trait",
            "ref.function",
            "ref.extends",
            "ref.implements",
            "ref.type",
            "ref.attribute",
            "include.statement",
            "include.path",
            "include.dir",
        ],
        Language::Rust => &[
            "import.statement",
            "import.use",
            "import.visibility",
            "import.extern",
            "import.alias",
            "import.path",
            "import.tokens",
            "mod.attribute",
            "mod.path",
            "scope.module",
            "scope.module.name",
        ],
    }
}

const DEFINITION_KINDS: &[&str] = &[
    "class",
    "abstract_class",
    "interface",
    "trait",
    "struct",
    "function",
    "type",
    "enum",
    "constant",
    "namespace",
    "macro",
    "module",
    "impl",
    "span",
    "bases",
];

#[test]
fn queries_use_only_known_capture_names() {
    for language in Language::ALL {
        let queries = compile_queries(language).unwrap();
        for name in queries.imports.capture_names() {
            assert!(
                name.starts_with('_') || import_captures(language).contains(name),
                "{language:?} imports.scm: unknown capture @{name}"
            );
        }
        for name in queries.definitions.capture_names() {
            let kind = name
                .strip_prefix("definition.")
                .unwrap_or_else(|| panic!("@{name}"));
            assert!(
                DEFINITION_KINDS.contains(&kind),
                "{language:?} definitions.scm: unknown capture @{name}"
            );
        }
    }
}

/// The node kinds that start the top-level patterns of a query source: a
/// small reader of the query syntax (comments, strings, nesting).
fn pattern_root_kinds(source: &str) -> std::collections::BTreeSet<String> {
    let mut kinds = std::collections::BTreeSet::new();
    let chars: Vec<char> = source.chars().collect();
    let mut depth = 0usize;
    let mut i = 0;
    // Node kinds opened at the depth where a top-level form's root sits.
    let mut root_depth: Option<usize> = None;
    while i < chars.len() {
        match chars[i] {
            ';' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            '(' | '[' => {
                if depth == 0 {
                    root_depth = None;
                }
                let opens_node = chars[i] == '(';
                depth += 1;
                if opens_node {
                    let start = i + 1;
                    let mut end = start;
                    while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                        end += 1;
                    }
                    let name: String = chars[start..end].iter().collect();
                    if !name.is_empty() && root_depth.is_none_or(|d| d == depth) {
                        root_depth = Some(depth);
                        kinds.insert(name);
                    }
                }
            }
            ')' | ']' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    kinds
}

#[test]
fn pruned_scans_root_the_query_where_its_patterns_are_rooted() {
    assert_eq!(
        pattern_root_kinds("(a (b)) [(c) (d (e))] @x ((f) @y (#eq? @y \"(g\")) ; (h)"),
        ["a", "c", "d", "f"].iter().map(|s| s.to_string()).collect()
    );
    for language in [Language::Php, Language::Rust] {
        let spec = language.spec();
        let declared: std::collections::BTreeSet<String> =
            spec.pattern_roots.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            pattern_root_kinds(spec.imports_query),
            declared,
            "{language:?}"
        );
    }
}

fn source_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if Language::from_path(&path.to_string_lossy()).is_some() {
            out.push(path);
        }
    }
}

/// Both shortcuts (the keyword prefilter of the imports query, and the
/// statement scan of imports-only runs) must find exactly the imports a
/// query over the whole tree finds.
#[test]
fn shortcuts_find_every_import_a_whole_tree_query_finds() {
    let mut files = Vec::new();
    source_files(&common::fixture(""), &mut files);
    let mut imports = 0;
    for path in &files {
        let language = Language::from_path(&path.to_string_lossy()).unwrap();
        let source = std::fs::read(path).unwrap();
        let (Ok(fast), Ok(full)) = (
            extract_facts(language, &source),
            extract_facts_without_prefilter(language, &source),
        ) else {
            panic!("{} did not parse", path.display());
        };
        assert_eq!(fast.imports, full.imports, "prefilter: {}", path.display());
        let only = extract_with(language, &source, Extraction::ImportsOnly).unwrap();
        assert_eq!(
            only.imports,
            full.imports,
            "imports-only: {}",
            path.display()
        );
        imports += full.imports.len();
    }
    assert!(
        files.len() > 30 && imports > 80,
        "{} files, {imports} imports",
        files.len()
    );
}

#[test]
fn import_kinds_follow_their_scopes() {
    // f-strings name no module: `f"{app}.models"` is not `.models`.
    let python = b"import a\nif TYPE_CHECKING:\n    import b\nelse:\n    import c\ndef f():\n    import d\n    importlib.import_module('e')\n    import_module(f'{app}.models')\n    import_module(f'pkg.{n}')\n    import_module(F'plain')\nclass C:\n    import g\n";
    let facts = extract_facts(Language::Python, python).unwrap();
    let kinds: Vec<(&str, &str)> = facts
        .imports
        .iter()
        .map(|i| (i.specifier.as_str(), i.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("a", "static"),
            ("b", "type_only"),
            ("c", "static"),
            ("d", "lazy"),
            ("e", "dynamic"),
            ("g", "static")
        ]
    );

    let ts = b"import type { A } from './a';\nimport { type B, C } from './bc';\nexport type { D } from './d';\nlet x: import('./e').E;\nconst f = require('./f');\nfunction g() { return require('./g'); }\nimport('./h');\n";
    let facts = extract_facts(Language::TypeScript, ts).unwrap();
    let kinds: Vec<(&str, &str)> = facts
        .imports
        .iter()
        .map(|i| (i.specifier.as_str(), i.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("./a", "type_only"),
            ("./bc", "static"),
            ("./d", "type_only"),
            ("./e", "type_only"),
            ("./f", "require"),
            ("./g", "lazy"),
            ("./h", "dynamic")
        ]
    );
}

#[test]
fn the_keyword_prefilter_sees_past_comments_and_across_lines() {
    let ts = b"import x from /* why */ './y';\nimport z from // note\n  './w';\n";
    let php =
        b"<?php\ntry {\n} catch (\n    \\App\\FooException\n    | \\App\\BarException $e\n) {\n}\n";
    for (language, source, count) in [
        (Language::TypeScript, &ts[..], 2),
        (Language::Php, &php[..], 2),
    ] {
        let pruned = extract_facts(language, source).unwrap();
        assert_eq!(
            pruned.imports.len(),
            count,
            "{language:?}: {:?}",
            pruned.imports
        );
        assert_eq!(
            pruned.imports,
            extract_facts_without_prefilter(language, source)
                .unwrap()
                .imports,
            "{language:?}"
        );
    }
}

#[test]
fn keywords_in_comments_and_strings_start_no_import() {
    let ts = b"/**\n * import { x } from 'rxjs';\n */\nconst s = \"import y from 'z'\";\n";
    assert!(
        extract_facts(Language::TypeScript, ts)
            .unwrap()
            .imports
            .is_empty()
    );
    let py = b"\"\"\"Example:\n    import os\n\"\"\"\n# import sys\n";
    assert!(
        extract_facts(Language::Python, py)
            .unwrap()
            .imports
            .is_empty()
    );
}

#[test]
fn the_statement_scan_keeps_kinds_in_classes_branches_and_continuations() {
    let python = br#"
import a
@decorator
class Service(Base):
    """Docstring that mentions import b."""
    limit = 3

    def run(self):
        return 1

    @property
    def client(self):
        from c import Client
        return Client

    class Meta:
        def setup(self):
            import d

try:
    import e
except ImportError:
    import f
finally:
    x = 1

if TYPE_CHECKING:
    import g
else:
    value = 2 + \
        importlib.import_module("h")

sql = """
import i
"""
x = (
import_module("j"))
"#;
    let full = extract_facts_without_prefilter(Language::Python, python).unwrap();
    let only = extract_with(Language::Python, python, Extraction::ImportsOnly).unwrap();
    assert_eq!(only.imports, full.imports);
    let kinds: Vec<(&str, u32, &str)> = only
        .imports
        .iter()
        .map(|i| (i.specifier.as_str(), i.line, i.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("a", 2, "static"),
            ("c", 13, "lazy"),
            ("d", 18, "lazy"),
            ("e", 21, "static"),
            ("f", 23, "static"),
            ("g", 28, "type_only"),
            ("h", 31, "dynamic"),
            ("j", 37, "dynamic"),
        ]
    );
}
