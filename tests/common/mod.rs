//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use vantage::pipeline::{Analysis, Options, analyze};
use vantage::report::{self, Level};
use vantage::resolve::Resolution;

pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

pub fn analyze_fixture(relative: &str) -> Analysis {
    analyze(&fixture(relative), &Options::default()).expect("fixture analyses")
}

fn graph_text(analysis: &Analysis, level: Level) -> String {
    let mut out = Vec::new();
    report::text::write_graph(&mut out, &report::GraphView::new(analysis, level)).unwrap();
    String::from_utf8(out).unwrap()
}

/// The sections of a fixture's `expected.txt`, rendered from an analysis.
pub fn render(analysis: &Analysis) -> String {
    let mut out = String::new();
    out.push_str("## modules\n");
    for (id, name) in analysis.modules.names.iter().enumerate() {
        let files: Vec<&str> = analysis
            .modules
            .of_file
            .iter()
            .enumerate()
            .filter(|(_, m)| **m == id)
            .map(|(f, _)| analysis.project.path(f))
            .collect();
        writeln!(out, "{name}: {}", files.join(" ")).unwrap();
    }
    out.push_str("\n## file edges\n");
    out.push_str(&graph_text(analysis, Level::File));
    out.push_str("\n## module edges\n");
    out.push_str(&graph_text(analysis, Level::Module));
    out.push_str("\n## imports without a source file\n");
    for (id, (facts, resolved)) in analysis.facts.iter().zip(&analysis.resolutions).enumerate() {
        for (import, resolution) in facts.imports.iter().zip(resolved) {
            // Local: the importing file itself, or a name used in code that
            // is not the repository's (PHP globals, Rust std paths).
            let class = match resolution {
                Resolution::Files(_) | Resolution::Local => continue,
                Resolution::Namespace => "namespace",
                Resolution::Asset(_) => "asset",
                other => other.class().unwrap().as_str(),
            };
            writeln!(
                out,
                "{}:{} {} {class}",
                analysis.project.path(id),
                import.line,
                import.specifier
            )
            .unwrap();
        }
    }
    out
}

/// `expected.txt` without its `#` comment lines.
pub fn expected(relative: &str) -> String {
    let path = fixture(relative).join("expected.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !(l.starts_with("# ") || *l == "#"))
        .collect();
    let mut out = kept.join("\n").trim_start().to_string();
    out.push('\n');
    out
}

/// Asserts that a fixture's analysis renders exactly its `expected.txt`,
/// showing the differing lines when not.
pub fn assert_fixture(relative: &str) {
    let actual = render(&analyze_fixture(relative));
    let expected = expected(relative);
    if actual != expected {
        let mut diff = String::new();
        let (a, e): (Vec<&str>, Vec<&str>) = (actual.lines().collect(), expected.lines().collect());
        for line in &e {
            if !a.contains(line) {
                writeln!(diff, "- {line}").unwrap();
            }
        }
        for line in &a {
            if !e.contains(line) {
                writeln!(diff, "+ {line}").unwrap();
            }
        }
        panic!(
            "fixtures/{relative}: analysis differs from expected.txt (- expected only, + actual only)\n{diff}\n--- actual ---\n{actual}"
        );
    }
}

/// Copies a folder tree (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        // Caches of earlier runs on the fixture are not the fixture.
        if entry.file_name() == ".vantage" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs git in `dir` as a throwaway identity; the test fails if git does.
pub fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// Whether the tests run as root (for whom no file is unreadable).
#[cfg(unix)]
pub fn running_as_root() -> bool {
    // /proc/self is owned by the process's effective user.
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// The binary as an unprivileged user can run it, when the tests run as
/// root (for whom no file is unreadable): a copy in a folder anyone may
/// enter, since the checkout may sit where only root can (`/root`, a
/// `mktemp -d` folder). `None` when the tests do not run as root, or when
/// the copy cannot run as `nobody` (a `noexec` temporary folder): then the
/// run keeps root's rights and says so.
#[cfg(unix)]
pub fn nobody_binary() -> Option<&'static Path> {
    use std::os::unix::fs::PermissionsExt;
    static BINARY: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    BINARY
        .get_or_init(|| {
            if !running_as_root() {
                return None;
            }
            // One fixed folder, so that runs leave one copy behind, not one
            // each; written under a temporary name, then renamed.
            let dir = std::env::temp_dir().join("vantage-tests-nobody");
            std::fs::create_dir_all(&dir).ok()?;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).ok()?;
            let binary = dir.join("vantage");
            let partial = dir.join(format!("vantage.{}", std::process::id()));
            std::fs::copy(assert_cmd::cargo::cargo_bin("vantage"), &partial).ok()?;
            std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o755)).ok()?;
            std::fs::rename(&partial, &binary).ok()?;
            use std::os::unix::process::CommandExt;
            let works = std::process::Command::new(&binary)
                .arg("--version")
                .uid(65534)
                .gid(65534)
                .output()
                .is_ok_and(|o| o.status.success());
            if !works {
                eprintln!(
                    "note: {} cannot run as nobody; the bad-input tests run as root, and no file is unreadable to root",
                    binary.display()
                );
            }
            works.then_some(binary)
        })
        .as_deref()
}

/// vantage as a user file permissions bind: `nobody` when the tests run
/// as root, `None` when that cannot be (see [`nobody_binary`]); the
/// current user otherwise.
#[cfg(unix)]
pub fn unprivileged_vantage() -> Option<std::process::Command> {
    use std::os::unix::process::CommandExt;
    if !running_as_root() {
        return Some(std::process::Command::new(assert_cmd::cargo::cargo_bin(
            "vantage",
        )));
    }
    let mut command = std::process::Command::new(nobody_binary()?);
    command.uid(65534).gid(65534);
    Some(command)
}

/// An external program a test needs (a browser, a validator), found by
/// trying each candidate with `--version`. When none runs: under CI (the
/// `CI` variable set, as `.ci/run` sets it) the test fails, since CI
/// installs it; elsewhere it prints once that the test was not run and
/// why, and the caller returns. A test never passes silently without its
/// tool.
pub fn external_tool(candidates: &[&str], test: &str, install: &str) -> Option<PathBuf> {
    for candidate in candidates {
        if std::process::Command::new(candidate)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(PathBuf::from(candidate));
        }
    }
    let tool = candidates[0];
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{test} needs {tool}, which CI must install: {install}");
    }
    // Straight to the standard error stream: the test harness captures
    // `eprintln!` of a passing test, and this must be seen.
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "NOT RUN: {test} needs {tool}, which is not installed ({install}; .ci/run installs it)"
    );
    None
}

/// The `skipped` list of a JSON document: (path, reason) pairs.
pub fn skipped(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc["skipped"]
        .as_array()
        .expect("a skipped list")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
