//! The command line: help, exit codes, error messages, output formats, and
//! byte-identical output at any thread count.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn vantage() -> Command {
    Command::cargo_bin("vantage").unwrap()
}

fn stdout_of(args: &[&str]) -> String {
    let output = vantage().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn fixture(relative: &str) -> String {
    common::fixture(relative).to_string_lossy().into_owned()
}

#[test]
fn every_command_has_help() {
    vantage()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("analyze").and(predicate::str::contains("graph")));
    vantage()
        .args(["graph", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--level").and(predicate::str::contains("mermaid")));
    vantage()
        .args(["cycles", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("--runtime-only").and(predicate::str::contains("--level")),
        );
    vantage()
        .args(["coupling", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("dsm").and(predicate::str::contains("--cells")));
    vantage()
        .args(["analyze", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("--exclude").and(predicate::str::contains("--max-file-size")),
        );
}

#[test]
fn a_missing_root_is_an_input_error_with_help() {
    vantage()
        .args(["analyze", "/nonexistent/vantage-test"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no such directory").and(predicate::str::contains("help:")),
        );
}

#[test]
fn usage_errors_exit_2() {
    vantage()
        .args(["graph", "--level", "galaxy"])
        .assert()
        .code(2);
    vantage().args(["frobnicate"]).assert().code(2);
    vantage()
        .args(["graph", "--exclude", "a[", &fixture("python/imports")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid exclude glob `a[`"));
}

#[test]
fn a_bad_config_names_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vantage.toml"), "[modules]\nauth = 42\n").unwrap();
    std::fs::write(dir.path().join("a.py"), "import os\n").unwrap();
    vantage()
        .arg("analyze")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("vantage.toml").and(predicate::str::contains("module `auth`")),
        );
}

#[test]
fn graph_json_carries_the_documented_keys() {
    let doc: Value = serde_json::from_str(&stdout_of(&[
        "graph",
        "--format",
        "json",
        &fixture("ts/workspaces"),
    ]))
    .unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["level"], "file");
    let file = &doc["files"][0];
    for key in ["path", "language", "module"] {
        assert!(file.get(key).is_some(), "files[].{key}");
    }
    let edge = &doc["edges"][0];
    for key in ["from", "to", "kind", "sites"] {
        assert!(edge.get(key).is_some(), "edges[].{key}");
    }
    assert!(edge["sites"][0]["line"].is_u64());
    let unresolved = &doc["unresolved"][0];
    for key in ["path", "line", "specifier", "class"] {
        assert!(unresolved.get(key).is_some(), "unresolved[].{key}");
    }
    // Paths are repository-relative and /-separated: no trace of where the
    // repository lies on this machine.
    let text = doc.to_string();
    assert!(
        !text.contains(env!("CARGO_MANIFEST_DIR")),
        "absolute path in output"
    );
    assert!(!text.contains('\\'), "backslash in output");
}

#[test]
fn module_level_json_names_modules_and_the_files_behind_each_site() {
    let doc: Value = serde_json::from_str(&stdout_of(&[
        "graph",
        "--level",
        "module",
        "--format",
        "json",
        &fixture("ts/workspaces"),
    ]))
    .unwrap();
    let edges = doc["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2);
    assert_eq!(
        (edges[1]["from"].as_str(), edges[1]["to"].as_str()),
        (Some("packages/web"), Some("packages/api"))
    );
    let site = &edges[1]["sites"][0];
    assert_eq!(site["path"], "packages/web/index.js");
    assert_eq!(site["to"], "packages/api/src/index.ts");
    assert_eq!(site["kind"], "require");
}

#[test]
fn output_is_byte_identical_at_any_thread_count() {
    for case in ["python/imports", "ts/relative", "ts/workspaces"] {
        for level in ["file", "module"] {
            let runs: Vec<String> = ["1", "2", "4", "16"]
                .iter()
                .map(|j| {
                    stdout_of(&[
                        "graph",
                        "--format",
                        "json",
                        "--level",
                        level,
                        "-j",
                        j,
                        &fixture(case),
                    ])
                })
                .collect();
            assert!(
                runs.windows(2).all(|w| w[0] == w[1]),
                "{case} at --level {level} differs across -j"
            );
        }
    }
}

#[test]
fn dot_and_mermaid_draw_the_same_edges() {
    let dot = stdout_of(&["graph", "--format", "dot", &fixture("ts/workspaces")]);
    assert!(dot.starts_with("digraph vantage {"));
    assert!(dot.trim_end().ends_with('}'));
    assert!(
        dot.contains("\"packages/web/index.js\" -> \"packages/api/src/index.ts\" [label=\"1\"];"),
        "{dot}"
    );
    assert!(dot.contains("subgraph \"cluster_packages/core\""), "{dot}");
    assert_eq!(dot.matches(" -> ").count(), 5);

    let mermaid = stdout_of(&[
        "graph",
        "--format",
        "mermaid",
        "--level",
        "module",
        &fixture("ts/workspaces"),
    ]);
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert!(
        mermaid.contains("n0[\"packages/api\"]") && mermaid.contains("n2[\"packages/web\"]"),
        "{mermaid}"
    );
    assert!(mermaid.contains("n2 --> n0"), "{mermaid}");
    assert!(mermaid.contains("n0 --> n1"), "{mermaid}");
}

#[test]
fn analyze_summarises_files_modules_edges_and_imports() {
    let text = stdout_of(&["analyze", &fixture("python/imports")]);
    assert!(text.contains("12 parsed (python 12), 0 skipped"), "{text}");
    assert!(
        text.contains(
            "modules   5: app (3), app/plugins (1), app/services (3), nstools (2), scripts (3)"
        ),
        "{text}"
    );
    assert!(text.contains("edges     16 between files"), "{text}");
    assert!(text.contains("toml (1 import)"), "{text}");
    assert!(
        text.contains("app/services/__init__.py:4  ..missing"),
        "{text}"
    );

    let doc: Value = serde_json::from_str(&stdout_of(&[
        "analyze",
        "--format",
        "json",
        &fixture("python/imports"),
    ]))
    .unwrap();
    assert_eq!(doc["command"], "analyze");
    assert_eq!(doc["files"]["by_language"]["python"], 12);
    assert_eq!(doc["imports"]["unresolved"], 1);
    // `import nstools` and `from nstools import sub` (a namespace subpackage).
    assert_eq!(doc["imports"]["namespace"], 2);
    assert_eq!(doc["undeclared_packages"][0]["package"], "toml");
}

#[test]
fn output_goes_to_a_file_with_dash_o() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph.json");
    vantage()
        .args(["graph", "--format", "json", "-o"])
        .arg(&out)
        .arg(fixture("ts/relative"))
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(doc["edges"].as_array().unwrap().len(), 15);
}

/// Filters that keep answers small for agents reading JSON. In
/// fixtures/polyglot the modules payments and orders import each other:
/// payments/charge.py:5 imports the orders package, orders/service.py:4
/// imports payments/charge.py (fixtures/polyglot/expected.txt).
#[test]
fn graph_between_two_modules_and_without_externals() {
    let root = fixture("polyglot");
    let text = stdout_of(&["graph", &root, "--between", "payments", "orders"]);
    assert_eq!(
        text,
        "backend/shop/orders/service.py -> backend/shop/payments/charge.py  [static] 4\n\
         backend/shop/payments/charge.py -> backend/shop/orders/__init__.py  [static] 5\n"
    );
    let doc: Value = serde_json::from_str(&stdout_of(&[
        "graph",
        &root,
        "--between",
        "orders",
        "payments",
        "--level",
        "module",
        "--format",
        "json",
    ]))
    .unwrap();
    let edges: Vec<(&str, &str)> = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["from"].as_str().unwrap(), e["to"].as_str().unwrap()))
        .collect();
    assert_eq!(edges, [("orders", "payments"), ("payments", "orders")]);
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "backend/shop/orders/__init__.py",
            "backend/shop/orders/service.py",
            "backend/shop/payments/charge.py"
        ]
    );
    assert_eq!(doc["unresolved"], serde_json::json!([]));
    // The whole graph lists stdlib and third-party imports; --no-externals
    // keeps only what names the repository (none here).
    let all: Value =
        serde_json::from_str(&stdout_of(&["graph", &root, "--format", "json"])).unwrap();
    assert!(!all["unresolved"].as_array().unwrap().is_empty());
    let internal: Value = serde_json::from_str(&stdout_of(&[
        "graph",
        &root,
        "--no-externals",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(internal["unresolved"], serde_json::json!([]));
    // A misspelt module is an error with the nearest name.
    vantage()
        .args(["graph", &root, "--between", "payment", "orders"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `payments`?"));
}

/// Two clone classes: one inside billing (a.py, b.py: a function), one
/// across billing and shipping (c.py, d.py: a longer class).
#[test]
fn dupes_lists_cross_module_classes_and_the_largest() {
    let dir = tempfile::tempdir().unwrap();
    let summing = |name: &str| {
        format!(
            "def {name}(items, rate):\n    total = 0\n    for item in items:\n        if item.price > 0:\n            total = total + item.price * rate\n    return total\n"
        )
    };
    let scaling = |name: &str| {
        let mut text =
            format!("class {name}:\n    def __init__(self, base):\n        self.base = base\n");
        for n in 0..6 {
            text.push_str(&format!("        self.level_{n} = base * {n} - {n}\n"));
        }
        text
    };
    for (path, text) in [
        ("billing/a.py", summing("alpha")),
        ("billing/b.py", summing("beta")),
        ("billing/c.py", scaling("Gamma")),
        ("shipping/d.py", scaling("Delta")),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let root = dir.path().to_str().unwrap();
    let json = |extra: &[&str]| -> Value {
        let mut args = vec![
            "dupes",
            root,
            "--min-tokens",
            "20",
            "--mode",
            "strict",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        serde_json::from_str(&stdout_of(&args)).unwrap()
    };
    let all = json(&[]);
    assert_eq!(all["found"]["classes"], 2, "{all}");
    assert_eq!(all["found"]["cross_module"], 1, "{all}");
    let cross = json(&["--cross-module"]);
    let listed = cross["clone_classes"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0]["modules"],
        serde_json::json!(["billing", "shipping"])
    );
    // The shares still count every class.
    assert_eq!(cross["duplication"], all["duplication"]);
    assert_eq!(cross["listed"]["cross_module"], true);
    let top = json(&["--top", "1"]);
    assert_eq!(top["clone_classes"].as_array().unwrap().len(), 1);
    assert_eq!(top["clone_classes"][0], all["clone_classes"][0]);
    assert_eq!(top["listed"]["top"], 1);
}
