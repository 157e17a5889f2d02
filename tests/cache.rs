//! The facts cache: output is byte-identical with and without it, a run
//! after an edit sees the edit, and a corrupt, truncated, foreign or
//! stale store is never believed (README, The facts cache).

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::Connection;
use tempfile::TempDir;

/// What each command reads of a file differs (imports only, everything,
/// tokens): each is cached apart and each must come out the same.
const COMMANDS: &[&[&str]] = &[
    &["analyze", "--format", "json"],
    &["graph", "--format", "json"],
    &[
        "impact",
        "--file",
        "backend/shop/auth/tokens.py",
        "--format",
        "json",
    ],
    &["dupes", "--format", "json", "--min-tokens", "12"],
];

/// A copy of the polyglot fixture with a clone pair added, so that every
/// command has something to say; its own `.vantage` left behind.
fn repository() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("polyglot"), dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join(".vantage"));
    let dupes = common::fixture("dupes/python");
    common::copy_dir(&dupes, &dir.path().join("backend/copies"));
    let _ = std::fs::remove_dir_all(dir.path().join("backend/copies/.vantage"));
    dir
}

fn run(root: &Path, cache: Option<&Path>, args: &[&str]) -> String {
    let mut command = Command::cargo_bin("vantage").unwrap();
    command.args(args).arg(root).arg("--quiet");
    match cache {
        Some(dir) => command.arg("--cache-dir").arg(dir),
        None => command.arg("--no-cache"),
    };
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn uncached(root: &Path) -> Vec<String> {
    COMMANDS.iter().map(|args| run(root, None, args)).collect()
}

fn cached(root: &Path, cache: &Path) -> Vec<String> {
    COMMANDS
        .iter()
        .map(|args| run(root, Some(cache), args))
        .collect()
}

fn store(cache: &Path) -> PathBuf {
    cache.join("facts.db")
}

fn entries(cache: &Path) -> i64 {
    let conn = Connection::open(store(cache)).unwrap();
    conn.query_row("SELECT count(*) FROM facts", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn cold_and_warm_runs_print_what_an_uncached_run_prints() {
    let repo = repository();
    let cache = tempfile::tempdir().unwrap();
    let truth = uncached(repo.path());
    let dupes: serde_json::Value = serde_json::from_str(&truth[3]).unwrap();
    assert!(dupes["found"]["classes"].as_u64().unwrap() > 0, "{dupes}");
    let cold = cached(repo.path(), cache.path());
    let stored = entries(cache.path());
    // Four extraction modes (imports only, full, full with tokens, tokens)
    // over the same source files.
    assert!(stored > 4 * 15, "{stored} entries");
    let warm = cached(repo.path(), cache.path());
    assert_eq!(entries(cache.path()), stored);
    for ((truth, cold), warm) in truth.iter().zip(&cold).zip(&warm) {
        assert_eq!(truth, cold);
        assert_eq!(truth, warm);
    }
    let ignore = std::fs::read_to_string(cache.path().join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|line| line == "*"), "{ignore}");
}

#[test]
fn the_default_cache_lives_under_the_root_and_is_not_analysed() {
    let repo = repository();
    let args = ["analyze", "--format", "json"];
    let truth = run(repo.path(), None, &args);
    let mut command = Command::cargo_bin("vantage").unwrap();
    let output = command.args(args).arg(repo.path()).output().unwrap();
    assert!(output.status.success());
    assert!(repo.path().join(".vantage/cache/facts.db").is_file());
    let mut command = Command::cargo_bin("vantage").unwrap();
    let again = command.args(args).arg(repo.path()).output().unwrap();
    assert_eq!(String::from_utf8(again.stdout).unwrap(), truth);
    // `[cache] enabled = false` in vantage.toml turns it off.
    let toml = repo.path().join("vantage.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("\n[cache]\nenabled = false\ndir = \"elsewhere\"\n");
    std::fs::write(&toml, text).unwrap();
    std::fs::remove_dir_all(repo.path().join(".vantage")).unwrap();
    let mut command = Command::cargo_bin("vantage").unwrap();
    assert!(
        command
            .args(args)
            .arg(repo.path())
            .output()
            .unwrap()
            .status
            .success()
    );
    assert!(!repo.path().join(".vantage").exists());
    assert!(!repo.path().join("elsewhere").exists());
}

#[test]
fn an_edit_is_seen_even_with_the_same_size_and_time() {
    let repo = repository();
    let cache = tempfile::tempdir().unwrap();
    let args = ["graph", "--format", "json"];
    let before = run(repo.path(), Some(cache.path()), &args);
    let file = repo.path().join("backend/shop/orders/service.py");
    let text = std::fs::read_to_string(&file).unwrap();
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    // Same length: `payments` becomes `paymentz`, an import that no longer
    // resolves to the payments package.
    assert!(text.contains("payments"), "{text}");
    let edited = text.replace("payments", "paymentz");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&file, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let after = run(repo.path(), Some(cache.path()), &args);
    assert_ne!(before, after);
    assert_eq!(after, run(repo.path(), None, &args));
}

/// Rewrites every stored payload of `path` with `payload`, keeping the
/// checksum right: a well-formed entry that lies.
fn poison(cache: &Path, path: &str, payload: &[u8], version: Option<&str>) {
    let conn = Connection::open(store(cache)).unwrap();
    let checksum = xxhash_rust::xxh3::xxh3_64(payload) as i64;
    let changed = conn
        .execute(
            "UPDATE facts SET payload = ?2, checksum = ?3 WHERE path = ?1",
            rusqlite::params![path, payload, checksum],
        )
        .unwrap();
    assert!(changed > 0, "no entry for {path}");
    if let Some(version) = version {
        conn.execute("UPDATE facts SET version = ?1", [version])
            .unwrap();
    }
}

fn payload_of(cache: &Path, path: &str) -> Vec<u8> {
    let conn = Connection::open(store(cache)).unwrap();
    conn.query_row(
        "SELECT payload FROM facts WHERE path = ?1 AND mode = 'imports'",
        [path],
        |row| row.get(0),
    )
    .unwrap()
}

#[test]
fn entries_are_believed_only_for_this_vantage() {
    let repo = repository();
    let cache = tempfile::tempdir().unwrap();
    let args = ["graph", "--format", "json"];
    let truth = run(repo.path(), Some(cache.path()), &args);
    // Another file's facts under orders/service.py's name and hash: the
    // cache is read (the lie shows) ...
    let other = payload_of(cache.path(), "backend/shop/auth/tokens.py");
    poison(cache.path(), "backend/shop/orders/service.py", &other, None);
    assert_ne!(run(repo.path(), Some(cache.path()), &args), truth);
    // ... so an entry of another version would show too, were it believed.
    poison(
        cache.path(),
        "backend/shop/orders/service.py",
        &other,
        Some("0.0.0-other"),
    );
    assert_eq!(run(repo.path(), Some(cache.path()), &args), truth);
    // Bytes that do not decode, with a checksum that agrees.
    run(repo.path(), Some(cache.path()), &args);
    poison(
        cache.path(),
        "backend/shop/orders/service.py",
        b"\xff\xff\xff\xff",
        None,
    );
    assert_eq!(run(repo.path(), Some(cache.path()), &args), truth);
    // A checksum that disagrees.
    run(repo.path(), Some(cache.path()), &args);
    let conn = Connection::open(store(cache.path())).unwrap();
    conn.execute(
        "UPDATE facts SET payload = ?1 WHERE path = 'backend/shop/orders/service.py'",
        [&other],
    )
    .unwrap();
    drop(conn);
    assert_eq!(run(repo.path(), Some(cache.path()), &args), truth);
}

#[test]
fn a_truncated_or_garbage_store_is_replaced() {
    let repo = repository();
    let cache = tempfile::tempdir().unwrap();
    let truth = uncached(repo.path());
    cached(repo.path(), cache.path());
    let db = store(cache.path());
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() / 3]).unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    assert_eq!(cached(repo.path(), cache.path()), truth);
    std::fs::write(
        &db,
        b"this is not a database, it is a sentence. ".repeat(200),
    )
    .unwrap();
    assert_eq!(cached(repo.path(), cache.path()), truth);
    assert!(entries(cache.path()) > 0, "the store was started afresh");
    // The cache is an optimisation: an unusable folder costs only time.
    let blocked = cache.path().join("blocked");
    std::fs::write(&blocked, "a file where the folder would be").unwrap();
    let mut command = Command::cargo_bin("vantage").unwrap();
    let output = command
        .args(["graph", "--format", "json", "--cache-dir"])
        .arg(&blocked)
        .arg(repo.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap(), truth[1]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("without the facts cache"), "{stderr}");
}

#[test]
fn concurrent_runs_share_one_store() {
    let repo = repository();
    let cache = tempfile::tempdir().unwrap();
    let truth = uncached(repo.path());
    let children: Vec<_> = (0..4)
        .flat_map(|_| COMMANDS.iter())
        .map(|args| {
            std::process::Command::new(env!("CARGO_BIN_EXE_vantage"))
                .args(*args)
                .arg(repo.path())
                .arg("--cache-dir")
                .arg(cache.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (i, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(stderr.is_empty(), "{stderr}");
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            truth[i % COMMANDS.len()]
        );
    }
    let conn = Connection::open(store(cache.path())).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(cached(repo.path(), cache.path()), truth);
}

#[test]
fn a_rule_that_needs_tokens_reads_them_even_when_facts_are_cached() {
    // `check` without duplication limits reads imports and definitions;
    // with one it also needs tokens: a different extraction, cached apart.
    let repo = repository();
    let cache = tempfile::tempdir().unwrap();
    let args = ["check", "--format", "json"];
    let mut command = Command::cargo_bin("vantage").unwrap();
    let first = command
        .args(args)
        .arg(repo.path())
        .arg("--cache-dir")
        .arg(cache.path())
        .output()
        .unwrap();
    let toml = repo.path().join("vantage.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("\n[check]\nmax_duplication = 0.5\n");
    std::fs::write(&toml, text).unwrap();
    let with_cache = |cache: Option<&Path>| {
        let mut command = Command::cargo_bin("vantage").unwrap();
        command.args(args).arg(repo.path());
        match cache {
            Some(dir) => command.arg("--cache-dir").arg(dir),
            None => command.arg("--no-cache"),
        };
        command.output().unwrap()
    };
    let second = with_cache(Some(cache.path()));
    let truth = with_cache(None);
    assert_eq!(second.stdout, truth.stdout);
    assert_eq!(second.status.code(), Some(1), "the copies break the limit");
    assert_ne!(first.stdout, second.stdout);
    let stdout = String::from_utf8(second.stdout).unwrap();
    assert!(stdout.contains("duplication.total"), "{stdout}");
}
