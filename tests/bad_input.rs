//! Bad input: vantage completes, reports every problem file with its reason,
//! exits 0 and never panics. The committed fixture (fixtures/bad_input) holds
//! the syntax errors, a binary `.py`, non-UTF-8 bytes and empty files; the
//! test adds to a copy what git cannot hold or CI would not want to: a 20 MB
//! generated file, symlinks (one a loop), an unreadable file, a FIFO and
//! deeply nested code.
#![cfg(unix)]

mod common;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use common::skipped;
use serde_json::Value;

/// The fixture plus the hostile files, in a fresh directory everyone can read.
fn hostile_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_dir(&common::fixture("bad_input"), root);
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();

    // 20 MB of generated code: above the default --max-file-size (2 MiB).
    let line = "GENERATED_CONSTANT_WITH_A_LONG_NAME = 'x' * 10\n";
    std::fs::write(
        root.join("pkg/generated.py"),
        line.repeat(20 * 1024 * 1024 / line.len() + 1),
    )
    .unwrap();
    // A link to a folder above itself, and a file linking to itself.
    symlink("..", root.join("pkg/loop")).unwrap();
    symlink("self.py", root.join("pkg/self.py")).unwrap();
    // Unreadable (for anyone but root: see `run`).
    std::fs::write(root.join("pkg/secret.py"), "import os\n").unwrap();
    std::fs::set_permissions(
        root.join("pkg/secret.py"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // A FIFO: reading it would block forever.
    let status = Command::new("mkfifo")
        .arg(root.join("pkg/fifo.py"))
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo");
    // 50 000 levels of nesting, with imports before and after.
    let depth = 50_000;
    let deep = format!(
        "import os\nx = {}{}\nimport json\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(root.join("pkg/deep.py"), deep).unwrap();
    dir
}

/// Whether the runs cannot read `pkg/secret.py` (its mode is 000).
fn unreadable_is_unreadable() -> bool {
    !common::running_as_root() || common::nobody_binary().is_some()
}

/// Runs vantage on `root`, as `nobody` when the tests run as root.
fn run(root: &Path, args: &[&str]) -> (i32, String, String) {
    let mut command =
        common::unprivileged_vantage().unwrap_or_else(|| Command::cargo_bin("vantage").unwrap());
    // `nobody` may not write a cache into the copy; no run needs one.
    command.args(args).arg("--no-cache").arg(root);
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn every_bad_file_is_reported_and_the_run_succeeds() {
    let dir = hostile_copy();
    let (code, stdout, stderr) = run(dir.path(), &["graph", "--format", "json"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();

    let skipped = skipped(&doc);
    for (path, reason) in [
        ("pkg/binary.py", "binary"),
        ("pkg/generated.py", "too_large"),
        ("pkg/secret.py", "unreadable"),
        ("pkg/self.py", "symlink"),
        ("pkg/loop", "symlink"),
        ("pkg/fifo.py", "not_regular_file"),
    ] {
        if reason == "unreadable" && !unreadable_is_unreadable() {
            continue;
        }
        assert!(
            skipped.contains(&(path.to_string(), reason.to_string())),
            "{path} should be skipped as {reason}; skipped: {skipped:?}"
        );
    }

    let files = doc["files"].as_array().unwrap();
    let file = |path: &str| {
        files
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} missing"))
    };
    assert_eq!(file("pkg/syntax_error.py")["syntax_error_line"], 4);
    assert_eq!(file("broken.ts")["syntax_error_line"], 2);
    assert_eq!(file("pkg/latin1.py")["non_utf8"], true);
    assert_eq!(file("pkg/empty.py")["lines"], 0);
    // Skipped files that exist stay nodes, so that imports of them resolve.
    assert_eq!(file("pkg/generated.py")["skipped"], "too_large");

    let edges: Vec<(String, String, Vec<u64>)> = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let lines = e["sites"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["line"].as_u64().unwrap())
                .collect();
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
                lines,
            )
        })
        .collect();
    let has = |from: &str, to: &str, lines: &[u64]| {
        edges.contains(&(from.to_string(), to.to_string(), lines.to_vec()))
    };
    // Imports on both sides of a syntax error are kept.
    assert!(has("broken.ts", "ok.ts", &[1, 3]), "{edges:?}");
    assert!(
        has("pkg/syntax_error.py", "pkg/empty.py", &[8]),
        "{edges:?}"
    );
    assert!(has("pkg/latin1.py", "pkg/empty.py", &[3]), "{edges:?}");
    assert!(has("main.py", "pkg/generated.py", &[2]), "{edges:?}");
    // The deeply nested file is parsed to its end.
    let deep = doc["unresolved"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["path"] == "pkg/deep.py")
        .map(|u| u["specifier"].as_str().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(deep, ["os", "json"]);
}

#[test]
fn following_links_reports_the_loop() {
    let dir = hostile_copy();
    let (code, stdout, stderr) = run(
        dir.path(),
        &["graph", "--format", "json", "--follow-symlinks"],
    );
    assert_eq!(code, 0, "stderr: {stderr}");
    let skipped = skipped(&serde_json::from_str(&stdout).unwrap());
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p == "pkg/loop" && r == "symlink_loop"),
        "{skipped:?}"
    );
}

#[test]
fn the_summary_names_each_problem() {
    let dir = hostile_copy();
    let (code, stdout, stderr) = run(dir.path(), &["analyze"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    for needle in [
        "pkg/binary.py  binary content",
        "pkg/generated.py  too large",
        "pkg/secret.py  unreadable",
        "pkg/fifo.py  not a regular file",
        "pkg/syntax_error.py:4",
        "broken.ts:2",
        "pkg/latin1.py",
    ] {
        if needle.contains("unreadable") && !unreadable_is_unreadable() {
            continue;
        }
        assert!(
            stdout.contains(needle),
            "`{needle}` missing from:\n{stdout}"
        );
    }
}

/// A parse past `--parse-timeout` is cancelled and the file reported with
/// the reason; it stays a node (its importer's edge is kept), and the same
/// worker's next parse starts afresh (a cancelled tree-sitter parse would
/// otherwise resume on the next call).
#[test]
fn a_parse_past_the_time_limit_is_skipped_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut big = String::from("import os\n");
    for i in 0..30_000 {
        big.push_str(&format!("x{i} = [{i}, (lambda a: a + {i})({i})]\n"));
    }
    std::fs::write(root.join("big.py"), big).unwrap();
    std::fs::write(root.join("a.py"), "import big\nimport b\n").unwrap();
    std::fs::write(root.join("b.py"), "import c\n").unwrap();
    std::fs::write(root.join("c.py"), "X = 1\n").unwrap();
    let analyze = |timeout: &str| -> Value {
        let output = Command::cargo_bin("vantage")
            .unwrap()
            .args(["analyze", "--format", "json", "--no-cache", "-j", "1"])
            .args(["--parse-timeout", timeout])
            .arg(root)
            .output()
            .unwrap();
        assert!(output.status.success());
        serde_json::from_slice(&output.stdout).unwrap()
    };
    // a.py -> big.py, a.py -> b.py, b.py -> c.py: three file edges.
    let edges = |doc: &Value| doc["edges"]["file"].as_u64().unwrap();
    let all = 3;

    // 1.2 MB of Python takes far longer than a millisecond to parse.
    let cut = analyze("0.001");
    assert_eq!(
        skipped(&cut),
        [("big.py".to_string(), "parse_timeout".to_string())]
    );
    assert_eq!(edges(&cut), all);
    let unlimited = analyze("0");
    assert_eq!(skipped(&unlimited), []);
    assert_eq!(edges(&unlimited), all);
}

#[test]
fn queries_share_the_time_limit_with_the_parse() {
    // 100 000 unclosed `(` parse in milliseconds, but tree-sitter's query
    // cursor spends time on each node in proportion to its siblings: the
    // queries took seconds (7 s in release, more in a debug build), which
    // a limit on the parse alone let through.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let source = format!("const x = {}\n", "(".repeat(100_000));
    std::fs::write(root.join("deep.ts"), source).unwrap();
    std::fs::write(
        root.join("a.ts"),
        "import { y } from './b';\nexport const x = y;\n",
    )
    .unwrap();
    std::fs::write(root.join("b.ts"), "export const y = 1;\n").unwrap();
    let output = Command::cargo_bin("vantage")
        .unwrap()
        .args(["analyze", "--format", "json", "--no-cache", "-j", "1"])
        .args(["--parse-timeout", "1"])
        .arg(root)
        .output()
        .unwrap();
    assert!(output.status.success());
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        skipped(&doc),
        [("deep.ts".to_string(), "parse_timeout".to_string())]
    );
    assert_eq!(doc["edges"]["file"].as_u64(), Some(1));
}
