//! Hostile trees: what a repository can hold that no fixture in git can.
//! Each is built in a temporary folder and analysed as a user would; the
//! run must finish, say what it left out and why, and keep to what it was
//! asked: no file outside the root read, no name breaking a line of its
//! output, no 500 MB read to find out a file is too large.
#![cfg(unix)]

mod common;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use common::skipped;
use serde_json::Value;

/// What a run printed, how it ended and its peak memory.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    max_rss_kb: i64,
}

/// Runs vantage on `root` (without a cache, with an empty HOME) and
/// measures its peak memory with wait4, which reports it for this one
/// child, whatever else the test process runs meanwhile.
#[allow(clippy::zombie_processes)] // waited for by wait4, not by Child::wait
fn run(root: &Path, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let out = tempfile::tempfile().unwrap();
    let err = tempfile::tempfile().unwrap();
    let child = Command::cargo_bin("vantage")
        .unwrap()
        .args(args)
        .arg("--no-cache")
        .arg(root)
        .env("HOME", home.path())
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our child's, not yet waited for; both pointers
    // are to live locals.
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(waited, child.id() as libc::pid_t, "wait4");
    let status = std::process::ExitStatus::from_raw(status);
    let read = |mut file: std::fs::File| {
        use std::io::{Read, Seek};
        file.seek(std::io::SeekFrom::Start(0)).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        String::from_utf8(bytes).expect("vantage prints UTF-8")
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: read(out),
        stderr: read(err),
        max_rss_kb: usage.ru_maxrss,
    }
}

fn json(run: &Run) -> Value {
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn edges(doc: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_hundred_thousand_files_in_one_folder() {
    // One folder of generated modules, each importing the next: one
    // import cycle through all of them (a path as long as the graph, which
    // a recursive walk of it does not survive).
    let dir = tempfile::tempdir().unwrap();
    let count = 100_000;
    let folder = dir.path().join("generated");
    std::fs::create_dir(&folder).unwrap();
    for i in 0..count {
        std::fs::write(
            folder.join(format!("m{i}.py")),
            format!("from generated.m{} import X\n", (i + 1) % count),
        )
        .unwrap();
    }
    let run = run(dir.path(), &["cycles", "--format", "json", "-j", "2"]);
    let doc = json(&run);
    let components = doc["components"].as_array().unwrap();
    assert_eq!(components.len(), 1, "one cycle");
    assert_eq!(components[0]["size"].as_u64(), Some(count as u64));
    assert_eq!(components[0]["members"].as_array().unwrap().len(), count);
    // Its cheapest cut: any one of its imports.
    assert_eq!(components[0]["cut_sites"].as_u64(), Some(1));
}

#[test]
fn a_500_mb_file_is_skipped_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Sparse: 500 MB to anyone who asks its size, no disk used.
    let huge = std::fs::File::create(root.join("huge.py")).unwrap();
    huge.set_len(500 * 1024 * 1024).unwrap();
    drop(huge);
    write(root, "app.py", "import huge\nimport util\n");
    write(root, "util.py", "X = 1\n");

    let limited = run(root, &["analyze", "--format", "json"]);
    let doc = json(&limited);
    assert_eq!(
        skipped(&doc),
        [("huge.py".to_string(), "too_large".to_string())]
    );
    // Still a file others import: both edges stand.
    assert_eq!(doc["edges"]["file"].as_u64(), Some(2));

    // Allowed by the size limit, it is all NUL bytes: known binary from
    // its first 8 KB, never read whole.
    let allowed = run(
        root,
        &[
            "analyze",
            "--format",
            "json",
            "--max-file-size",
            "600000000",
        ],
    );
    let doc = json(&allowed);
    assert_eq!(
        skipped(&doc),
        [("huge.py".to_string(), "binary".to_string())]
    );
    for (what, run) in [("too large", &limited), ("binary", &allowed)] {
        assert!(
            run.max_rss_kb < 200 * 1024,
            "{what}: peak memory {} MB",
            run.max_rss_kb / 1024
        );
    }
}

#[test]
fn links_out_of_the_root_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "lib/secret_module.py", "TOKEN = 'x'\n");
    write(outside.path(), "other_secret.py", "TOKEN = 'y'\n");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "app/main.py",
        "from app.lib import secret_module\nfrom app import other_secret\nfrom app.shared import tools\n",
    );
    write(root, "real/tools.py", "X = 1\n");
    symlink(outside.path().join("lib"), root.join("app/lib")).unwrap();
    symlink(
        outside.path().join("other_secret.py"),
        root.join("app/other_secret.py"),
    )
    .unwrap();
    // A link inside the root, followed when asked.
    symlink(root.join("real"), root.join("app/shared")).unwrap();

    let not_followed = json(&run(root, &["analyze", "--format", "json"]));
    assert_eq!(
        skipped(&not_followed),
        [
            ("app/lib".to_string(), "symlink".to_string()),
            ("app/other_secret.py".to_string(), "symlink".to_string()),
            ("app/shared".to_string(), "symlink".to_string()),
        ]
    );

    let followed = run(root, &["graph", "--format", "json", "--follow-symlinks"]);
    let doc = json(&followed);
    assert_eq!(
        skipped(&doc),
        [
            ("app/lib".to_string(), "symlink_outside".to_string()),
            (
                "app/other_secret.py".to_string(),
                "symlink_outside".to_string()
            ),
        ]
    );
    // The link inside is read as the files it points to; nothing from
    // outside is a node.
    let nodes: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert!(nodes.contains(&"app/shared/tools.py"), "{nodes:?}");
    assert!(
        !followed.stdout.contains("secret_module.py"),
        "a file outside the root became a node: {nodes:?}"
    );
    assert!(
        edges(&doc).contains(&("app/main.py".to_string(), "app/shared/tools.py".to_string())),
        "{:?}",
        edges(&doc)
    );
}

#[test]
fn names_differing_only_in_case_are_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "pkg/__init__.py", "");
    write(root, "pkg/models.py", "LOWER = 1\n");
    if root.join("pkg/Models.py").exists() {
        eprintln!("note: not run: this file system folds case");
        return;
    }
    write(root, "pkg/Models.py", "UPPER = 1\n");
    write(root, "pkg/use_lower.py", "from pkg.models import LOWER\n");
    write(root, "pkg/use_upper.py", "from pkg.Models import UPPER\n");
    let doc = json(&run(root, &["graph", "--format", "json"]));
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 5, "{files:?}");
    assert_eq!(
        edges(&doc),
        [
            ("pkg/use_lower.py".to_string(), "pkg/models.py".to_string()),
            ("pkg/use_upper.py".to_string(), "pkg/Models.py".to_string()),
        ]
    );
}

#[test]
fn names_with_newlines_escapes_and_invalid_utf8_stay_on_their_line() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // PHP may require a file whose name holds a newline (a string literal
    // may hold one): such a file is analysed like any other.
    write(
        root,
        "app/main.php",
        "<?php\nrequire __DIR__ . \"/fake\nline.php\";\nrequire __DIR__ . \"/red\u{1b}[31m.php\";\n",
    );
    write(
        root,
        "app/fake\nline.php",
        "<?php\nrequire __DIR__ . \"/util.php\";\n",
    );
    write(root, "app/red\u{1b}[31m.php", "<?php\n");
    write(root, "app/util.php", "<?php\n");
    let invalid = root.join(std::ffi::OsStr::from_bytes(b"app/bad\xffname.php"));
    std::fs::write(invalid, "<?php\n").unwrap();

    let doc = json(&run(root, &["graph", "--format", "json"]));
    // JSON says the names as they are; a name that is not UTF-8 is
    // skipped, said with its invalid bytes replaced.
    assert_eq!(
        skipped(&doc),
        [(
            "app/bad\u{fffd}name.php".to_string(),
            "non_utf8_name".to_string()
        )]
    );
    assert_eq!(
        edges(&doc),
        [
            ("app/fake\nline.php".to_string(), "app/util.php".to_string()),
            ("app/main.php".to_string(), "app/fake\nline.php".to_string()),
            (
                "app/main.php".to_string(),
                "app/red\u{1b}[31m.php".to_string()
            ),
        ]
    );

    // Text, DOT and Mermaid: each edge on its line, the names escaped, no
    // escape sequence reaching the terminal.
    for format in ["text", "dot", "mermaid"] {
        let out = run(root, &["graph", "--format", format]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!out.stdout.contains('\u{1b}'), "{format}: {}", out.stdout);
        assert!(
            !out.stdout.lines().any(|l| l.starts_with("line.php")),
            "{format}: {}",
            out.stdout
        );
        // DOT escapes the escape's backslash once more.
        let backslash = if format == "dot" { "\\\\" } else { "\\" };
        assert!(
            out.stdout.contains(&format!("fake{backslash}nline.php"))
                && out
                    .stdout
                    .contains(&format!("red{backslash}u{{1b}}[31m.php")),
            "{format}: {}",
            out.stdout
        );
    }
    let text = run(root, &["graph"]).stdout;
    assert!(
        text.lines()
            .any(|l| l == "app/main.php -> app/fake\\nline.php  [require] 2"),
        "{text}"
    );
    let analyze = run(root, &["analyze"]);
    assert!(
        analyze
            .stdout
            .lines()
            .any(|l| l.trim_start().starts_with("app/bad\u{fffd}name.php  ")),
        "{}",
        analyze.stdout
    );
}

#[test]
fn a_git_file_in_place_of_the_folder() {
    // A worktree or submodule checkout: `.git` is a file naming the real
    // one, here one that does not exist.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".git", "gitdir: ../nowhere/.git/worktrees/app\n");
    write(root, ".gitignore", "build/\n");
    write(root, "app/main.py", "from app import util\n");
    write(root, "app/util.py", "X = 1\n");
    write(root, "build/app/main.py", "from app import util\n");
    let doc = json(&run(root, &["graph", "--format", "json"]));
    assert_eq!(
        edges(&doc),
        [("app/main.py".to_string(), "app/util.py".to_string())],
        "the .gitignore holds without a git folder"
    );
    // Asking git about it is an error that says so, not a crash.
    let since = run(root, &["impact", "--since", "HEAD"]);
    assert_eq!(since.code, 2, "{}", since.stderr);
    assert!(since.stderr.contains("git"), "{}", since.stderr);
}

#[test]
fn deep_nesting_in_every_language_is_read_or_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let depth = 50_000;
    let open = |s: &str| s.repeat(depth);
    write(
        root,
        "py/deep.py",
        &format!("import os\nx = {}{}\n", open("["), open("]")),
    );
    write(
        root,
        "ts/deep.ts",
        &format!(
            "import {{ a }} from './a';\nconst x = {}1{};\n",
            open("["),
            open("]")
        ),
    );
    write(root, "ts/a.ts", "export const a = 1;\n");
    write(
        root,
        "php/deep.php",
        &format!("<?php\nuse App\\A;\n$x = {}1{};\n", open("["), open("]")),
    );
    write(
        root,
        "rs/deep.rs",
        &format!(
            "use crate::a;\nfn f() {{ let x = {}1{}; }}\n",
            open("("),
            open(")")
        ),
    );
    for args in [
        &["dupes", "--format", "json"][..],
        &["graph", "--level", "symbol", "--format", "json"][..],
    ] {
        let run = run(root, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let _: Value = serde_json::from_str(&run.stdout).unwrap();
    }
    let doc = json(&run(root, &["analyze", "--format", "json"]));
    // Each deep file is parsed or said skipped with its reason: none is
    // lost.
    let parsed = doc["files"]["parsed"].as_u64().unwrap() as usize;
    assert_eq!(parsed + skipped(&doc).len(), 5, "{doc}");
    let graph = json(&run(root, &["graph", "--format", "json"]));
    assert!(
        edges(&graph).contains(&("ts/deep.ts".to_string(), "ts/a.ts".to_string())),
        "the import before the nesting is read: {:?}",
        edges(&graph)
    );
}

#[test]
fn a_read_only_repository_is_analysed_without_a_cache() {
    // A checkout the user may read but not write (a CI cache mount, another
    // user's tree): the default cache folder cannot be made in it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    common::copy_dir(&common::fixture("polyglot"), &root);
    let _ = std::fs::remove_dir_all(root.join(".vantage"));
    folders_mode(&root, 0o555);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let Some(mut command) = common::unprivileged_vantage() else {
        eprintln!("note: not run: root writes anywhere, and nobody cannot run vantage here");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let output = command
        .args(["graph", "--format", "json"])
        .arg(&root)
        .env("HOME", home.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("without the facts cache") && stderr.contains(".vantage"),
        "{stderr}"
    );
    assert!(!root.join(".vantage").exists());
    let uncached = Command::cargo_bin("vantage")
        .unwrap()
        .args(["graph", "--format", "json", "--no-cache"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(output.stdout, uncached.stdout);
    // Writable again, for the temporary folder's removal.
    folders_mode(&root, 0o755);
}

/// Sets the mode of `root` and of every folder below it.
fn folders_mode(root: &Path, mode: u32) {
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        // Readable first, so that it can be listed whatever the mode.
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            }
        }
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[test]
fn a_hostile_git_config_makes_git_run_nothing() {
    // The repository is not the user's: its .git/config may name commands
    // (an fsmonitor hook, a textconv driver) that git would run on the
    // `diff` and `ls-files` behind `--since`. And a revision is never an
    // option (`git diff --output=FILE` writes a file).
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let marks = tempfile::tempdir().unwrap();
    write(root, "app/main.py", "from app import util\n");
    write(root, "app/util.py", "X = 1\n");
    write(root, ".gitattributes", "*.py diff=evil filter=evil\n");
    common::git(root, &["init", "-q"]);
    common::git(root, &["add", "."]);
    common::git(root, &["commit", "-qm", "one"]);
    let hook = marks.path().join("hook.sh");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ntouch {}/$(basename \"$0\")-ran\ncat \"$@\" 2>/dev/null\n",
            marks.path().display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let command = |name: &str| {
        let path = marks.path().join(name);
        std::fs::copy(&hook, &path).unwrap();
        path.to_str().unwrap().to_string()
    };
    let (textconv, clean, smudge, gpg) = (
        command("textconv.sh"),
        command("clean.sh"),
        command("smudge.sh"),
        command("gpg.sh"),
    );
    common::git(root, &["config", "core.fsmonitor", hook.to_str().unwrap()]);
    common::git(root, &["config", "diff.evil.textconv", &textconv]);
    common::git(root, &["config", "filter.evil.clean", &clean]);
    common::git(root, &["config", "filter.evil.smudge", &smudge]);
    common::git(root, &["config", "log.showSignature", "true"]);
    common::git(root, &["config", "gpg.program", &gpg]);
    write(root, "app/util.py", "X = 2\n");
    // git itself runs them (the test's own check that they are live).
    for args in [&["diff", "HEAD"][..], &["archive", "HEAD"][..]] {
        let _ = Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .unwrap();
    }
    // The hooks that ran, each leaving a mark.
    let ran = || -> Vec<String> {
        std::fs::read_dir(marks.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with("-ran"))
            .collect()
    };
    let ran_by_git = ran();
    for hook in ["textconv.sh-ran", "clean.sh-ran", "smudge.sh-ran"] {
        assert!(
            ran_by_git.iter().any(|r| r == hook),
            "git ran no {hook}: the test proves nothing ({ran_by_git:?})"
        );
    }
    for name in ran_by_git {
        std::fs::remove_file(marks.path().join(name)).unwrap();
    }

    let impact = run(root, &["impact", "--since", "HEAD", "--format", "json"]);
    let doc = json(&impact);
    assert_eq!(doc["targets"].as_array().unwrap().len(), 1, "{doc}");
    // The base tree is read through `git archive`; the churn through
    // `git log`.
    let check = run(root, &["check", "--since", "HEAD"]);
    assert!(check.code <= 1, "{}", check.stderr);
    let report = run(root, &["report", "-o", "/dev/null"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert_eq!(
        ran(),
        Vec::<String>::new(),
        "vantage made git run a command"
    );

    let output = marks.path().join("written");
    let option = format!("--since=--output={}", output.display());
    let refused = run(root, &["impact", &option]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("no git revision"),
        "{}",
        refused.stderr
    );
    assert!(!output.exists());
}

#[test]
fn git_runs_only_where_history_is_asked_for_and_only_reads() {
    // A `git` ahead of the real one on PATH writes down every call.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    common::copy_dir(&common::fixture("polyglot"), &root);
    let _ = std::fs::remove_dir_all(root.join(".vantage"));
    common::git(&root, &["init", "-q"]);
    common::git(&root, &["add", "."]);
    common::git(&root, &["commit", "-qm", "one"]);
    let real = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|dir| dir.join("git"))
        .find(|path| path.is_file())
        .expect("git on PATH");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = dir.path().join("calls");
    std::fs::write(
        bin.join("git"),
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(bin.join("git"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin.clone())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let calls = |args: &[&str]| -> Vec<String> {
        let _ = std::fs::remove_file(&log);
        let output = Command::cargo_bin("vantage")
            .unwrap()
            .args(args)
            .arg("--no-cache")
            .arg(&root)
            .env("PATH", &path)
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        // The subcommand of each call: what follows git's own options.
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(|line| {
                let mut words = line.split(' ');
                loop {
                    match words.next() {
                        Some("-C" | "-c") => {
                            words.next();
                        }
                        Some("--no-pager") => {}
                        Some(word) => break word.to_string(),
                        None => break String::new(),
                    }
                }
            })
            .collect()
    };
    for args in [
        &["analyze"][..],
        &["graph", "--level", "symbol"][..],
        &["cycles"][..],
        &["coupling"][..],
        &["dupes"][..],
        &["check"][..],
        &["impact", "--file", "backend/shop/auth/tokens.py"][..],
    ] {
        assert_eq!(calls(args), Vec::<String>::new(), "{args:?} ran git");
    }
    let store = dir.path().join("flags.db");
    let reading = [
        "rev-parse",
        "merge-base",
        "diff",
        "config",
        "ls-files",
        "cat-file",
        "archive",
        "log",
    ];
    for args in [
        &["impact", "--since", "HEAD"][..],
        &["check", "--since", "HEAD"][..],
        &["report", "-o", "/dev/null"][..],
        &["analyze", "--flags", "--store", store.to_str().unwrap()][..],
    ] {
        let made = calls(args);
        assert!(!made.is_empty(), "{args:?} asked git nothing");
        for call in made {
            assert!(reading.contains(&call.as_str()), "{args:?} ran git {call}");
        }
    }
}

#[test]
fn an_output_file_is_replaced_whole_and_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    write(&root, "app/main.py", "from app import util\n");
    write(&root, "app/util.py", "X = 1\n");
    let out = dir.path().join("graph.json");
    std::fs::write(&out, "yesterday's graph\n").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    let done = run(
        &root,
        &["graph", "--format", "json", "-o", out.to_str().unwrap()],
    );
    assert_eq!(done.code, 0, "{}", done.stderr);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(edges(&doc).len(), 1);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the report kept private stays so");
    // Nothing of the writing is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}
