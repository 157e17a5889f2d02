//! The FLAG store against the contract (../shared/flag-store.md): rows read
//! back exactly, from a store vantage creates and from a fuller one other
//! agents share; idempotent re-runs; concurrent writers; a writer killed in
//! the middle of a batch; files that are not a store; hostile names.
//!
//! fixtures/polyglot has two findings, worked out by hand from its sources:
//! the module cycle orders <-> payments (backend/shop/payments/charge.py:5
//! imports shop.orders, orders/service.py imports shop.payments; the cut is
//! charge.py:5), and the forbidden dependency payments -> auth of its
//! vantage.toml (charge.py:8, `from shop.auth.tokens import verify` under
//! TYPE_CHECKING). Both go to payments' agent, `@backend.payments`.
#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use rusqlite::{Connection, params};
use serde_json::Value;

/// vantage run with `args` and an empty HOME (no machine-wide store is
/// found); it must succeed. Its standard output.
fn vantage_ok(args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("vantage")
        .unwrap()
        .args(args)
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A copy of the polyglot fixture that everyone can read, and an empty HOME
/// (so that no `~/.claude/memory/project.db` of the machine is found).
struct Repo {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Repo {
    fn polyglot() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        common::copy_dir(&common::fixture("polyglot"), dir.path());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        Repo {
            dir,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn default_store(&self) -> PathBuf {
        self.root().join(".claude/memory/project.db")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("vantage").unwrap();
        command.args(args).env("HOME", self.home.path());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// `analyze --flags` on the repository, which must succeed.
    fn analyze(&self, extra: &[&str]) -> String {
        let root = self.root().to_str().unwrap().to_string();
        let mut args = vec!["analyze", root.as_str(), "--flags"];
        args.extend_from_slice(extra);
        let output = self.run(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn without_forbid_rule(&self) {
        let path = self.root().join("vantage.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let kept = &text[..text.find("[[forbid]]").unwrap()];
        std::fs::write(path, kept).unwrap();
    }
}

fn open(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(60))
        .unwrap();
    conn
}

/// Every column of every row, by id, as JSON values.
fn rows(conn: &Connection) -> Vec<serde_json::Map<String, Value>> {
    let mut statement = conn.prepare("SELECT * FROM flags ORDER BY id").unwrap();
    let names: Vec<String> = statement.column_names().map(str::to_string).collect();
    statement
        .query_map([], |row| {
            let mut map = serde_json::Map::new();
            for (i, name) in names.iter().enumerate() {
                let value = match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(n) => Value::from(n),
                    rusqlite::types::ValueRef::Real(x) => Value::from(x),
                    rusqlite::types::ValueRef::Text(t) => {
                        Value::from(String::from_utf8_lossy(t).into_owned())
                    }
                    rusqlite::types::ValueRef::Blob(_) => Value::from("<blob>"),
                };
                map.insert(name.clone(), value);
            }
            Ok(map)
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn context(row: &serde_json::Map<String, Value>) -> Value {
    serde_json::from_str(row["context"].as_str().unwrap()).unwrap()
}

fn is_local_minute(text: &Value) -> bool {
    let t = text.as_str().unwrap_or_default().as_bytes();
    t.len() == 16
        && t.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ',
            13 => *b == b':',
            _ => b.is_ascii_digit(),
        })
}

const CYCLE_TEXT: &str = "Import cycle between modules orders, payments (2 modules, 2 import sites inside): orders -> payments -> orders. Module `payments` holds the cheapest imports to cut, toward orders.";
const FORBID_TEXT: &str = "Module `payments` depends on `auth` through 1 import site, which vantage.toml forbids (payments reads the user from the request context, not from auth).";

#[test]
fn a_store_vantage_creates_holds_the_contract_rows() {
    let repo = Repo::polyglot();
    let stdout = repo.analyze(&[]);
    assert!(
        stdout.contains("2 created, 0 kept, 0 completed"),
        "{stdout}"
    );
    let store = repo.default_store();
    assert!(
        store.is_file(),
        "created at <root>/.claude/memory/project.db"
    );
    let conn = open(&store);

    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        tables,
        ["flags", "sqlite_sequence"],
        "just the table vantage needs"
    );
    let columns: Vec<(String, String, bool, Option<String>)> = conn
        .prepare("SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info('flags')")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let expected = [
        ("id", "INTEGER", false, None),
        ("chain_origin_id", "INTEGER", false, None),
        ("session_id", "TEXT", false, None),
        ("flag_type", "TEXT", true, None),
        ("source_agent", "TEXT", true, None),
        ("target_agent", "TEXT", false, None),
        ("change_description", "TEXT", true, None),
        ("action_required", "TEXT", true, None),
        ("impact_level", "TEXT", false, Some("'medium'")),
        ("status", "TEXT", false, Some("'pending'")),
        ("locked", "BOOLEAN", false, Some("FALSE")),
        ("related_files", "TEXT", false, None),
        ("code_location", "TEXT", false, None),
        ("example_usage", "TEXT", false, None),
        ("context", "JSON", false, None),
        ("created_at", "TEXT", true, None),
        ("acknowledged_at", "TEXT", false, None),
        ("completed_at", "TEXT", false, None),
        ("completed_by", "TEXT", false, None),
        ("notes", "TEXT", false, None),
    ];
    let expected: Vec<(String, String, bool, Option<String>)> = expected
        .iter()
        .map(|(n, t, nn, d)| (n.to_string(), t.to_string(), *nn, d.map(str::to_string)))
        .collect();
    assert_eq!(columns, expected);

    let found = rows(&conn);
    assert_eq!(found.len(), 2);
    let repository = std::fs::canonicalize(repo.root()).unwrap();
    // The cycle comes first: findings in kind order.
    let cycle = &found[0];
    assert_eq!(cycle["flag_type"], "refactor");
    assert_eq!(cycle["source_agent"], "@coordinator.backend");
    assert_eq!(cycle["target_agent"], "@backend.payments");
    assert_eq!(cycle["impact_level"], "medium");
    assert_eq!(cycle["status"], "pending");
    assert_eq!(cycle["locked"], 0);
    assert_eq!(cycle["chain_origin_id"], Value::Null);
    assert_eq!(cycle["session_id"], Value::Null);
    assert_eq!(cycle["change_description"], CYCLE_TEXT);
    assert!(
        cycle["action_required"]
            .as_str()
            .unwrap()
            .contains("backend/shop/payments/charge.py:5 imports backend/shop/orders/__init__.py"),
        "{cycle:?}"
    );
    assert_eq!(cycle["code_location"], "backend/shop/payments/charge.py:5");
    assert_eq!(
        cycle["related_files"],
        "backend/shop/orders/__init__.py, backend/shop/payments/charge.py"
    );
    assert_eq!(cycle["example_usage"], Value::Null);
    assert!(
        is_local_minute(&cycle["created_at"]),
        "{}",
        cycle["created_at"]
    );
    for column in ["acknowledged_at", "completed_at", "completed_by", "notes"] {
        assert_eq!(cycle[column], Value::Null, "{column}");
    }
    let cycle_context = context(cycle);
    assert_eq!(cycle_context["source"], "vantage");
    assert_eq!(cycle_context["kind"], "module_cycle");
    assert_eq!(cycle_context["repository"], repository.to_str().unwrap());
    assert_eq!(cycle_context["fingerprint"].as_str().unwrap().len(), 16);

    let forbid = &found[1];
    assert_eq!(forbid["impact_level"], "high");
    assert_eq!(forbid["target_agent"], "@backend.payments");
    assert_eq!(forbid["change_description"], FORBID_TEXT);
    assert_eq!(forbid["code_location"], "backend/shop/payments/charge.py:8");
    assert_eq!(context(forbid)["kind"], "forbidden_dependency");
}

#[test]
fn re_runs_keep_complete_and_raise_again_once() {
    let repo = Repo::polyglot();
    repo.analyze(&[]);
    let stdout = repo.analyze(&[]);
    assert!(
        stdout.contains("0 created, 2 kept, 0 completed"),
        "{stdout}"
    );
    let conn = open(&repo.default_store());
    assert_eq!(rows(&conn).len(), 2);

    // A run over part of the repository completes nothing.
    repo.without_forbid_rule();
    let stdout = repo.analyze(&["--exclude", "gateway/**"]);
    assert!(
        stdout.contains("0 created, 1 kept, 0 completed"),
        "{stdout}"
    );
    // A locked FLAG waits for its answer: not completed either.
    conn.execute(
        "UPDATE flags SET locked = 1, notes = 'asked auth' WHERE id = 2",
        [],
    )
    .unwrap();
    let stdout = repo.analyze(&[]);
    assert!(
        stdout.contains("0 created, 1 kept, 0 completed"),
        "{stdout}"
    );
    conn.execute("UPDATE flags SET locked = 0 WHERE id = 2", [])
        .unwrap();
    // Now its finding is gone: completed by the writer, the note appended.
    let stdout = repo.analyze(&[]);
    assert!(
        stdout.contains("0 created, 1 kept, 1 completed"),
        "{stdout}"
    );
    let found = rows(&conn);
    assert_eq!(found[1]["status"], "completed");
    assert_eq!(found[1]["completed_by"], "@coordinator.backend");
    assert!(is_local_minute(&found[1]["completed_at"]));
    let notes = found[1]["notes"].as_str().unwrap();
    assert!(
        notes.starts_with("asked auth\nNo longer detected"),
        "{notes}"
    );

    // An agent completes the cycle's FLAG, but the cycle stays: raised
    // again, once.
    conn.execute(
        "UPDATE flags SET status = 'completed', completed_by = '@backend.payments' WHERE id = 1",
        [],
    )
    .unwrap();
    let stdout = repo.analyze(&[]);
    assert!(
        stdout.contains("1 created, 0 kept, 0 completed"),
        "{stdout}"
    );
    assert_eq!(rows(&conn).len(), 3);
    // The new FLAG says how the one it replaces was closed.
    assert_eq!(
        rows(&conn)[2]["notes"],
        "Raised again: the finding is still there. FLAG #1 was completed by @backend.payments."
    );
    // Completed through `vantage flags` under the writer's own handle: an
    // agent's completion all the same.
    let root = repo.root().to_str().unwrap().to_string();
    let output = repo.run(&["flags", "--root", &root, "complete", "3"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = repo.analyze(&[]);
    assert!(
        stdout.contains("0 created, 0 kept, 0 completed, 1 not raised again"),
        "{stdout}"
    );
    assert_eq!(rows(&conn).len(), 3);
}

/// Two owners of one cycle's cut, both routed to one agent: two FLAGs, each
/// naming the other part.
#[test]
fn a_cut_shared_by_two_modules_gives_each_its_flag() {
    // a <-> b and b <-> c; b's imports weigh two sites each, a's and c's
    // one: the cheapest cut is a -> b and c -> b.
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "a/x.ts",
        "import { y } from '../b/y';\nexport const x = y;\n",
    );
    write(
        "c/z.ts",
        "import { y } from '../b/y';\nexport const z = y;\n",
    );
    write(
        "b/y.ts",
        "import { x } from '../a/x';\nimport { x as x2 } from '../a/x';\nimport { z } from '../c/z';\nimport { z as z2 } from '../c/z';\nexport const y = 1;\n",
    );
    write(
        "vantage.toml",
        "[flags]\nagents = { a = \"@team.one\", c = \"@team.one\" }\n",
    );
    let store = dir.path().join("s.db");
    vantage_ok(&[
        "analyze",
        dir.path().to_str().unwrap(),
        "--flags",
        "--store",
        store.to_str().unwrap(),
    ]);
    let found = rows(&open(&store));
    let texts: Vec<(&str, &str)> = found
        .iter()
        .map(|r| {
            (
                r["target_agent"].as_str().unwrap(),
                r["change_description"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts.iter().all(|(t, _)| *t == "@team.one"));
    assert!(
        texts[0]
            .1
            .contains("Module `a` holds part of the cheapest cut (the rest is in `c`)"),
        "{texts:?}"
    );
    assert!(
        texts[1]
            .1
            .contains("Module `c` holds part of the cheapest cut (the rest is in `a`)"),
        "{texts:?}"
    );
}

/// The contract's order: the repository's store before the home one, the
/// home one when the repository has none.
#[test]
fn the_store_is_found_in_the_contracts_order() {
    let repo = Repo::polyglot();
    let home_store = repo.home.path().join(".claude/memory/project.db");
    std::fs::create_dir_all(home_store.parent().unwrap()).unwrap();
    drop(open(&home_store));
    repo.analyze(&[]);
    assert_eq!(
        rows(&open(&home_store)).len(),
        2,
        "the home store, the repository having none"
    );
    assert!(!repo.default_store().exists());

    std::fs::create_dir_all(repo.default_store().parent().unwrap()).unwrap();
    drop(open(&repo.default_store()));
    repo.analyze(&[]);
    assert_eq!(
        rows(&open(&repo.default_store())).len(),
        2,
        "the repository's store first"
    );
    assert_eq!(rows(&open(&home_store)).len(), 2);
}

/// A store shared with other agents: more tables, an open session, a
/// catalog, foreign keys on, a rollback journal, a row of another client
/// whose context is no JSON, and an extra column on `flags`.
#[test]
fn a_fuller_shared_store_is_used_as_it_is() {
    let repo = Repo::polyglot();
    repo.without_forbid_rule();
    // No `[flags] agents`: payments is routed through the catalog.
    let config = repo.root().join("vantage.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("agents = { payments = \"@backend.payments\" }", ""),
    )
    .unwrap();

    let store = repo.default_store();
    std::fs::create_dir_all(store.parent().unwrap()).unwrap();
    let conn = open(&store);
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         CREATE TABLE sessions (id TEXT PRIMARY KEY, started_at TEXT, ended_at TEXT);
         CREATE TABLE agents_memory (id INTEGER PRIMARY KEY, agent TEXT, note TEXT);
         CREATE TABLE agents_catalog (id INTEGER PRIMARY KEY, name TEXT UNIQUE, type TEXT,
             module TEXT, sub_module TEXT, role JSON, tech_stack JSON, scenarios JSON,
             tags JSON, connections JSON);
         CREATE TABLE flags (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             chain_origin_id INTEGER REFERENCES flags(id) ON DELETE SET NULL,
             session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
             flag_type TEXT NOT NULL, source_agent TEXT NOT NULL, target_agent TEXT,
             change_description TEXT NOT NULL, action_required TEXT NOT NULL,
             impact_level TEXT DEFAULT 'medium', status TEXT DEFAULT 'pending',
             locked BOOLEAN DEFAULT FALSE, related_files TEXT, code_location TEXT,
             example_usage TEXT, context JSON, created_at TEXT NOT NULL,
             acknowledged_at TEXT, completed_at TEXT, completed_by TEXT, notes TEXT,
             priority INTEGER NOT NULL DEFAULT 0);
         INSERT INTO sessions VALUES ('s-old', '2026-11-01 10:00', '2026-11-01 11:00');
         INSERT INTO sessions VALUES ('s-open', '2026-11-25 09:00', NULL);
         INSERT INTO agents_memory (agent, note) VALUES ('@acolyte.auth', 'remember');
         INSERT INTO agents_catalog (name, type, module) VALUES ('backend.payments-owner', 'backend', 'payments');
         INSERT INTO agents_catalog (name, type, module) VALUES ('acolyte.billing', 'acolyte', 'payments');
         INSERT INTO flags (flag_type, source_agent, target_agent, change_description,
             action_required, context, created_at)
         VALUES ('change', '@backend.nodejs', '@backend.payments', 'x', 'y', 'free text, no JSON',
             '2026-11-24 08:00');",
    )
    .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");

    let stdout = repo.analyze(&[]);
    assert!(
        stdout.contains("1 created, 0 kept, 0 completed"),
        "{stdout}"
    );
    let found = rows(&conn);
    assert_eq!(found.len(), 2);
    // The other client's row is untouched.
    assert_eq!(found[0]["context"], "free text, no JSON");
    assert_eq!(found[0]["status"], "pending");
    let cycle = &found[1];
    // The catalog's acolyte row, `@` added; the open session.
    assert_eq!(cycle["target_agent"], "@acolyte.billing");
    assert_eq!(cycle["session_id"], "s-open");
    assert_eq!(cycle["priority"], 0);
    assert_eq!(cycle["change_description"], CYCLE_TEXT);

    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        mode, "delete",
        "the journal mode of a store vantage did not create stays"
    );
    let memory: i64 = conn
        .query_row("SELECT count(*) FROM agents_memory", [], |r| r.get(0))
        .unwrap();
    assert_eq!(memory, 1);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let dangling: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_foreign_key_check('flags')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(dangling, 0);
}

/// Writes of several processes at once: seven vantage runs (fourteen FLAGs
/// from seven repositories) racing to create one store; seven runs on one
/// repository (its two FLAGs, once); then seven more repositories while a
/// plain SQLite client holds write transactions on the store. Nothing is
/// lost or doubled, and no run fails on a lock.
#[test]
fn concurrent_writers_lose_and_duplicate_nothing() {
    let shared = tempfile::tempdir().unwrap();
    let store = shared.path().join("project.db");
    let store_arg = store.to_str().unwrap().to_string();
    let spawn_round = |repos: &[Repo]| {
        let children: Vec<_> = repos
            .iter()
            .map(|repo| {
                repo.command(&[
                    "analyze",
                    repo.root().to_str().unwrap(),
                    "--flags",
                    "--store",
                    &store_arg,
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{stderr}");
            assert!(!stderr.contains("locked"), "{stderr}");
        }
    };
    let first: Vec<Repo> = (0..7).map(|_| Repo::polyglot()).collect();
    spawn_round(&first);
    // Seven runs at once on one repository: its two FLAGs, once each.
    let same = Repo::polyglot();
    let children: Vec<_> = (0..7)
        .map(|_| {
            same.command(&[
                "analyze",
                same.root().to_str().unwrap(),
                "--flags",
                "--store",
                &store_arg,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let same_repository = std::fs::canonicalize(same.root()).unwrap();
    let same_rows = rows(&open(&store))
        .iter()
        .filter(|r| context(r)["repository"] == same_repository.to_str().unwrap())
        .count();
    assert_eq!(same_rows, 2);

    let second: Vec<Repo> = (0..7).map(|_| Repo::polyglot()).collect();
    let writer_store = store.clone();
    let writer = std::thread::spawn(move || {
        let mut conn = open(&writer_store);
        for i in 0..20 {
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .unwrap();
            tx.execute(
                "INSERT INTO flags (flag_type, source_agent, target_agent, change_description,
                     action_required, created_at)
                 VALUES ('change', '@other.writer', '@acolyte.auth', ?1, 'do it', '2026-11-25 10:00')",
                params![format!("plain write {i}")],
            )
            .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(40));
            tx.commit().unwrap();
        }
    });
    spawn_round(&second);
    writer.join().unwrap();

    let conn = open(&store);
    let found = rows(&conn);
    let plain = found
        .iter()
        .filter(|r| r["source_agent"] == "@other.writer")
        .count();
    assert_eq!(plain, 20);
    let mut keys: Vec<(String, String)> = found
        .iter()
        .filter(|r| r["source_agent"] == "@coordinator.backend")
        .map(|r| {
            let c = context(r);
            (
                c["repository"].as_str().unwrap().to_string(),
                c["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(keys.len(), 30, "two FLAGs for each of fifteen repositories");
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 30, "no FLAG twice");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn a_writer_killed_in_the_middle_of_a_batch_leaves_no_partial_batch() {
    let repo = Repo::polyglot();
    let store = repo.root().join("kill.db");
    let mut child = repo
        .command(&[
            "analyze",
            repo.root().to_str().unwrap(),
            "--flags",
            "--store",
            store.to_str().unwrap(),
        ])
        .env("VANTAGE_TEST_WRITE_DELAY_MS", "30000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first of the two FLAGs is inserted, the transaction still open.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("FLAG inserted") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "vantage ended first"
        );
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let conn = open(&store);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(rows(&conn).len(), 0, "the batch is gone whole");
    drop(conn);
    let output = repo.run(&[
        "analyze",
        repo.root().to_str().unwrap(),
        "--flags",
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    assert_eq!(rows(&open(&store)).len(), 2);
}

/// `analyze --flags --store PATH`; with `unprivileged`, as nobody when the
/// tests run as root (file permissions would not apply to root): `None`
/// when that cannot be (see `common::nobody_binary`).
fn analyze_into(repo: &Repo, store: &Path, unprivileged: bool) -> Option<(i32, String)> {
    let args = [
        "analyze",
        repo.root().to_str().unwrap(),
        "--flags",
        "--store",
        store.to_str().unwrap(),
    ];
    let mut command = repo.command(&args);
    if unprivileged {
        command = common::unprivileged_vantage()?;
        command.args(args).env("HOME", repo.home.path());
    }
    let output = command.output().unwrap();
    Some((
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

#[test]
fn what_is_no_usable_store_is_a_clear_error_and_stays_as_it_was() {
    let repo = Repo::polyglot();

    let text_file = repo.root().join("notes.db");
    std::fs::write(&text_file, "these are notes, not a database\n").unwrap();
    let (code, stderr) = analyze_into(&repo, &text_file, false).expect("runs as the current user");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a database"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&text_file).unwrap(),
        "these are notes, not a database\n"
    );

    // A store nobody may write.
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let read_only = dir.path().join("ro.db");
    let conn = open(&read_only);
    conn.execute_batch(
        "CREATE TABLE flags (id INTEGER PRIMARY KEY AUTOINCREMENT, chain_origin_id INTEGER,
             session_id TEXT, flag_type TEXT NOT NULL, source_agent TEXT NOT NULL,
             target_agent TEXT, change_description TEXT NOT NULL, action_required TEXT NOT NULL,
             impact_level TEXT DEFAULT 'medium', status TEXT DEFAULT 'pending',
             locked BOOLEAN DEFAULT FALSE, related_files TEXT, code_location TEXT,
             example_usage TEXT, context JSON, created_at TEXT NOT NULL, acknowledged_at TEXT,
             completed_at TEXT, completed_by TEXT, notes TEXT);",
    )
    .unwrap();
    drop(conn);
    let before = std::fs::read(&read_only).unwrap();
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    match analyze_into(&repo, &read_only, true) {
        Some((code, stderr)) => {
            assert_eq!(code, 2, "{stderr}");
            assert!(
                stderr.contains("FLAG store") && stderr.contains("readonly"),
                "{stderr}"
            );
            assert_eq!(std::fs::read(&read_only).unwrap(), before);
        }
        None => {
            eprintln!("note: not checked: a read-only store, as root cannot drop privileges here")
        }
    }

    // An older flags table, without columns of the contract: left alone.
    let old = repo.root().join("old.db");
    let conn = open(&old);
    conn.execute_batch(
        "CREATE TABLE flags (id INTEGER PRIMARY KEY, flag_type TEXT NOT NULL, source_agent TEXT NOT NULL,
             change_description TEXT NOT NULL, action_required TEXT NOT NULL, created_at TEXT NOT NULL);",
    )
    .unwrap();
    let schema = |conn: &Connection| -> String {
        conn.query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'flags'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let old_schema = schema(&conn);
    let (code, stderr) = analyze_into(&repo, &old, false).expect("runs as the current user");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("lacks the column"), "{stderr}");
    assert_eq!(schema(&conn), old_schema);

    // A newer table whose extra column vantage cannot fill: nothing written.
    let newer = repo.root().join("newer.db");
    let conn = open(&newer);
    conn.execute_batch(
        "CREATE TABLE flags (id INTEGER PRIMARY KEY AUTOINCREMENT, chain_origin_id INTEGER,
             session_id TEXT, flag_type TEXT NOT NULL, source_agent TEXT NOT NULL,
             target_agent TEXT, change_description TEXT NOT NULL, action_required TEXT NOT NULL,
             impact_level TEXT DEFAULT 'medium', status TEXT DEFAULT 'pending',
             locked BOOLEAN DEFAULT FALSE, related_files TEXT, code_location TEXT,
             example_usage TEXT, context JSON, created_at TEXT NOT NULL, acknowledged_at TEXT,
             completed_at TEXT, completed_by TEXT, notes TEXT, team TEXT NOT NULL);",
    )
    .unwrap();
    let (code, stderr) = analyze_into(&repo, &newer, false).expect("runs as the current user");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("team"), "{stderr}");
    assert_eq!(rows(&conn).len(), 0);
}

/// Folder and file names with quotes, semicolons, a newline and
/// non-ASCII letters (PHP strings may hold a raw newline): stored as they
/// are.
#[test]
fn hostile_names_are_stored_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let a = "a'b; DROP TABLE flags;--";
    let b = "ünï cøde";
    let file = "we\nird.php";
    std::fs::create_dir_all(dir.path().join(a)).unwrap();
    std::fs::create_dir_all(dir.path().join(b)).unwrap();
    std::fs::write(
        dir.path().join(a).join(file),
        format!("<?php\nrequire __DIR__ . \"/../{b}/y.php\";\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(b).join("y.php"),
        format!("<?php\nrequire __DIR__ . \"/../{a}/{file}\";\n"),
    )
    .unwrap();
    let store = dir.path().join("s.db");
    vantage_ok(&[
        "analyze",
        dir.path().to_str().unwrap(),
        "--flags",
        "--store",
        store.to_str().unwrap(),
    ]);
    let conn = open(&store);
    let found = rows(&conn);
    assert_eq!(
        found.len(),
        1,
        "one cycle between the two folders: {found:?}"
    );
    let description = found[0]["change_description"].as_str().unwrap();
    assert!(
        description.contains(a) && description.contains(b),
        "{description}"
    );
    let related = found[0]["related_files"].as_str().unwrap();
    assert_eq!(related, format!("{a}/{file}, {b}/y.php"));
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'flags'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1);
}

/// core/models.py changes; api imports it directly (depth 1: high), web
/// through api (depth 2: medium). The origin FLAG goes to core's agent.
#[test]
fn a_change_writes_an_origin_and_a_chained_flag_per_module() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("core/__init__.py", "");
    write("core/models.py", "class User:\n    name = 'a'\n");
    write("api/__init__.py", "");
    write(
        "api/views.py",
        "from core.models import User\n\n\ndef show():\n    return User()\n",
    );
    write("web/__init__.py", "");
    write("web/page.py", "from api.views import show\n");
    common::git(root, &["init", "-q", "-b", "base"]);
    common::git(root, &["add", "."]);
    common::git(root, &["commit", "-q", "-m", "base"]);
    write("core/models.py", "class User:\n    name = 'b'\n");

    let store = root.join(".git/flags.db");
    let run = || {
        vantage_ok(&[
            "impact",
            root.to_str().unwrap(),
            "--since",
            "base",
            // The import-level chains this test words (tests/symbols.rs
            // writes the definition level's).
            "--level",
            "file",
            "--flags",
            "--store",
            store.to_str().unwrap(),
        ])
    };
    let stdout = run();
    assert!(stdout.contains("3 created, 0 kept"), "{stdout}");
    let found = rows(&open(&store));
    let summary: Vec<(i64, Value, String, String, String)> = found
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["chain_origin_id"].clone(),
                r["target_agent"].as_str().unwrap().to_string(),
                r["impact_level"].as_str().unwrap().to_string(),
                context(r)["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                1,
                Value::Null,
                "@acolyte.core".into(),
                "medium".into(),
                "change_origin".into()
            ),
            (
                2,
                Value::from(1),
                "@acolyte.api".into(),
                "high".into(),
                "change_impact".into()
            ),
            (
                3,
                Value::from(1),
                "@acolyte.web".into(),
                "medium".into(),
                "change_impact".into()
            ),
        ]
    );
    let web = &found[2];
    assert!(
        web["action_required"]
            .as_str()
            .unwrap()
            .contains("web/page.py (depth 2): web/page.py:1 -> api/views.py:1 -> core/models.py"),
        "{web:?}"
    );
    assert_eq!(web["code_location"], "web/page.py:1");
    assert_eq!(found[0]["code_location"], "core/models.py:1");

    let stdout = run();
    assert!(stdout.contains("0 created, 3 kept"), "{stdout}");

    // Another change for the same revision: the model is back as it was,
    // api/views.py is deleted. The earlier chain is superseded; the new
    // origin breaks what imported the file and goes to the agent of api,
    // the module of the files beside it; web/page.py still imports the
    // deleted file, so web's agent gets a FLAG chained to it, high (a
    // direct dependent).
    write("core/models.py", "class User:\n    name = 'a'\n");
    std::fs::remove_file(root.join("api/views.py")).unwrap();
    let stdout = run();
    assert!(
        stdout.contains("2 created, 0 kept, 3 completed"),
        "{stdout}"
    );
    let found = rows(&open(&store));
    let origin = &found[3];
    assert_eq!(origin["flag_type"], "breaking_change");
    assert_eq!(origin["impact_level"], "high");
    assert_eq!(origin["target_agent"], "@acolyte.api");
    assert!(
        origin["change_description"]
            .as_str()
            .unwrap()
            .contains("api/views.py (deleted)"),
        "{origin:?}"
    );
    let broken = &found[4];
    assert_eq!(broken["target_agent"], "@acolyte.web");
    assert_eq!(broken["impact_level"], "high");
    assert_eq!(broken["chain_origin_id"], origin["id"]);
    assert_eq!(broken["code_location"], "web/page.py:1");
    assert!(found[..3].iter().all(|r| r["status"] == "completed"));
}

#[test]
fn agents_list_lock_and_complete_their_flags() {
    let repo = Repo::polyglot();
    repo.analyze(&[]);
    let root = repo.root().to_str().unwrap().to_string();
    let flags = |args: &[&str]| {
        let mut all = vec!["flags", "--root", root.as_str()];
        all.extend_from_slice(args);
        repo.run(&all)
    };
    let list = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["list", "--format", "json"];
        all.extend_from_slice(args);
        let output = flags(&all);
        assert!(output.status.success());
        let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
        doc["flags"].as_array().unwrap().clone()
    };
    // Highest impact first: the forbidden dependency (high), then the cycle.
    let pending = list(&["--agent", "backend.payments"]);
    let ids: Vec<i64> = pending.iter().map(|f| f["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [2, 1]);
    assert!(list(&["--agent", "@acolyte.auth"]).is_empty());

    assert!(flags(&["lock", "1"]).status.success());
    assert_eq!(list(&[])[1]["locked"], true);
    assert!(flags(&["unlock", "1"]).status.success());
    assert_eq!(list(&[])[1]["locked"], false);

    let done = flags(&[
        "complete",
        "2",
        "--by",
        "backend.payments",
        "--note",
        "moved to the context",
    ]);
    assert!(done.status.success());
    assert_eq!(list(&[]).len(), 1);
    let all = list(&["--all"]);
    let completed = all.iter().find(|f| f["id"] == 2).unwrap();
    assert_eq!(completed["status"], "completed");
    assert_eq!(completed["completed_by"], "@backend.payments");
    assert_eq!(completed["notes"], "moved to the context");

    for (args, message) in [
        (vec!["complete", "2"], "already completed"),
        (vec!["complete", "99"], "does not exist"),
        (vec!["lock", "99"], "does not exist"),
    ] {
        let output = flags(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(message),
            "{args:?}"
        );
    }
}

/// A clone shared by billing and shipping (fixtures/dupes/python, at 36
/// tokens): one FLAG per module pair to each module's agent, listing the
/// classes the pair shares with every copy, and naming the other agent.
#[test]
fn clones_across_modules_are_flagged_to_each_module() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("dupes/python"), dir.path());
    std::fs::write(
        dir.path().join("vantage.toml"),
        // broken.py is a near copy across the pair too: the subject of
        // near_copies_across_modules_are_flagged_with_the_lines_that_differ.
        "[dupes]\nmin_tokens = 36\n\n[thresholds]\nclone_tokens = 36\nnear_clones = false\n",
    )
    .unwrap();
    let store = dir.path().join("s.db");
    vantage_ok(&[
        "analyze",
        dir.path().to_str().unwrap(),
        "--flags",
        "--store",
        store.to_str().unwrap(),
    ]);
    let found = rows(&open(&store));
    let summary: Vec<(String, String)> = found
        .iter()
        .map(|r| {
            (
                r["target_agent"].as_str().unwrap().to_string(),
                context(r)["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "@acolyte.billing".to_string(),
                "cross_module_clone".to_string()
            ),
            (
                "@acolyte.shipping".to_string(),
                "cross_module_clone".to_string()
            ),
        ]
    );
    let billing = found[0]["change_description"].as_str().unwrap();
    assert!(
        billing.starts_with(
            "Code copied between modules `billing` and `shipping`: 1 fragment occurs in both ("
        ),
        "{billing}"
    );
    assert!(
        billing.ends_with("module `billing` holds billing/invoice.py:1-7; billing/receipt.py:1-7."),
        "{billing}"
    );
    let action = found[0]["action_required"].as_str().unwrap();
    assert!(
        action.starts_with("Agree with the agent of `shipping` (@acolyte.shipping)"),
        "{action}"
    );
    assert!(
        action
            .contains("billing/invoice.py:1-7 = billing/receipt.py:1-7 = shipping/cost.py:4-10 ("),
        "{action}"
    );
    assert_eq!(found[1]["code_location"], "shipping/cost.py:4");
    // Both FLAGs are about one pair: one fingerprint, two agents.
    assert_eq!(
        context(&found[0])["fingerprint"],
        context(&found[1])["fingerprint"]
    );
    assert_eq!(
        context(&found[0])["modules"],
        serde_json::json!(["billing", "shipping"])
    );
}

/// fixtures/near's pair (tests/dupes.rs works it out: `validate_invoice`,
/// 55 tokens, and `validate_order`, 50, similarity 0.952, lines 3, 5, 7
/// of the invoice and 4, 6 of the order differing) lies across modules
/// `invoices` and `orders`: at `clone_tokens = 50` both sides count, one
/// FLAG to each agent with the pair; at 51 the order is too small; with
/// `near_clones = false` the FLAGs are completed as gone. The exact clone
/// the run finds (48 tokens of the order in accounts/check.py) is under
/// the limit: no FLAG of its own.
#[test]
fn near_copies_across_modules_are_flagged_with_the_lines_that_differ() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("near"), dir.path());
    let config = |extra: &str| {
        std::fs::write(
            dir.path().join("vantage.toml"),
            format!("[dupes]\nmin_tokens = 36\n\n[thresholds]\n{extra}"),
        )
        .unwrap();
    };
    let store = dir.path().join("s.db");
    config("clone_tokens = 51\n");
    flag_run(dir.path(), &store, &[]);
    assert!(rows(&open(&store)).is_empty());

    config("clone_tokens = 50\n");
    flag_run(dir.path(), &store, &[]);
    let found = rows(&open(&store));
    let summary: Vec<(&str, String, &str)> = found
        .iter()
        .map(|r| {
            (
                r["target_agent"].as_str().unwrap(),
                context(r)["kind"].as_str().unwrap().to_string(),
                r["code_location"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "@acolyte.invoices",
                "cross_module_near_clone".to_string(),
                "invoices/validate.py:1"
            ),
            (
                "@acolyte.orders",
                "cross_module_near_clone".to_string(),
                "orders/validate.py:1"
            ),
        ]
    );
    assert_eq!(
        found[0]["change_description"],
        "Functions copied between modules `invoices` and `orders` and edited apart: 1 pair of near copies (similarity 0.95 or more); module `invoices` holds invoices/validate.py:1-10."
    );
    assert_eq!(
        found[1]["action_required"],
        "Compare each pair's differing lines: where a difference is a fix one side lacks, tell the agent of `invoices` (@acolyte.invoices) or apply it to yours; then agree with that agent on one implementation both modules may use: invoices/validate.py:1-10 ~ orders/validate.py:1-9 (similarity 0.95; lines that differ: 3, 5, 7 in the first, 4, 6 in the second). `vantage dupes --near --cross-module` shows them."
    );
    let details = context(&found[0]);
    assert_eq!(details["rule"], "duplication.cross_module_near");
    assert_eq!(details["pairs"], 1);
    assert_eq!(
        details["modules"],
        serde_json::json!(["invoices", "orders"])
    );

    config("clone_tokens = 50\nnear_clones = false\n");
    flag_run(dir.path(), &store, &[]);
    let found = rows(&open(&store));
    assert_eq!(found.len(), 2);
    assert!(
        found.iter().all(|r| r["status"] == "completed"),
        "{found:?}"
    );
}

/// Writes `files` under a fresh folder; returns it.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `analyze --flags` into `store`, with `extra` arguments: standard output.
fn flag_run(root: &Path, store: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "analyze",
        root.to_str().unwrap(),
        "--flags",
        "--store",
        store.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    vantage_ok(&args)
}

/// a -> b (1 site), b -> a and b -> c (2 each), c -> a (2): two cycles
/// through a -> b, the cheapest cut (owned by `a`).
const CYCLE_OF_THREE: [(&str, &str); 3] = [
    (
        "a/x.ts",
        "import { y } from '../b/y';\nexport const x = y;\n",
    ),
    (
        "b/y.ts",
        "import { z } from '../c/z';\nimport { z as z2 } from '../c/z';\nimport { x } from '../a/x';\nimport { x as x2 } from '../a/x';\nexport const y = 1;\n",
    ),
    (
        "c/z.ts",
        "import { x } from '../a/x';\nimport { x as x3 } from '../a/x';\nexport const z = 1;\n",
    ),
];

#[test]
fn a_cycle_that_loses_a_member_keeps_its_flag() {
    let dir = tree(&CYCLE_OF_THREE);
    let store = dir.path().join("s.db");
    let stdout = flag_run(dir.path(), &store, &[]);
    assert!(
        stdout.contains("1 created, 0 kept, 0 completed"),
        "{stdout}"
    );
    let first = rows(&open(&store));
    assert_eq!(first.len(), 1);
    assert!(
        first[0]["change_description"]
            .as_str()
            .unwrap()
            .starts_with("Import cycle between modules a, b, c (3 modules"),
        "{first:?}"
    );
    // c stops importing a: the cycle is a <-> b, the cut still a -> b.
    std::fs::write(dir.path().join("c/z.ts"), "export const z = 1;\n").unwrap();
    let stdout = flag_run(dir.path(), &store, &[]);
    assert!(
        stdout.contains("0 created, 1 kept (1 updated in place), 0 completed"),
        "{stdout}"
    );
    let second = rows(&open(&store));
    assert_eq!(second.len(), 1, "no FLAG completed, none created");
    assert_eq!(second[0]["id"], first[0]["id"]);
    assert_eq!(second[0]["status"], "pending");
    assert!(
        second[0]["change_description"]
            .as_str()
            .unwrap()
            .starts_with("Import cycle between modules a, b (2 modules"),
        "{second:?}"
    );
    assert_ne!(
        context(&second[0])["fingerprint"],
        context(&first[0])["fingerprint"]
    );
    assert_eq!(
        context(&second[0])["members"],
        serde_json::json!(["a", "b"])
    );
}

#[test]
fn a_partial_run_neither_duplicates_nor_closes() {
    let mut files = CYCLE_OF_THREE.to_vec();
    files.push(("vantage.toml", "[[forbid]]\nfrom = \"c\"\nto = \"a\"\n"));
    let dir = tree(&files);
    let store = dir.path().join("s.db");
    let stdout = flag_run(dir.path(), &store, &[]);
    assert!(
        stdout.contains("2 created, 0 kept, 0 completed"),
        "{stdout}"
    );
    let before = rows(&open(&store));
    // Without c/ the run sees a smaller cycle and no forbidden import: the
    // cycle is the same FLAG, untouched; the forbid FLAG stays pending.
    let stdout = flag_run(dir.path(), &store, &["--exclude", "c/**"]);
    assert!(
        stdout.contains("0 created, 1 kept, 0 completed (part of the repository: nothing completed, no text refreshed)"),
        "{stdout}"
    );
    let after = rows(&open(&store));
    assert_eq!(after.len(), 2);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a["status"], "pending");
        assert_eq!(a["change_description"], b["change_description"]);
        assert_eq!(a["context"], b["context"]);
    }
}

#[test]
fn clones_make_one_flag_per_agent_per_module_pair() {
    // Three functions differing in one operator, copied in order from
    // billing to shipping. Worked by hand, two clone classes: the whole
    // file (all three functions), and the stretch from one operator to
    // the next (the end of one function and the start of the next, 47
    // tokens), which occurs twice in each file. One pair of modules: one
    // FLAG per agent, naming both.
    let body = |name: &str, op: &str| {
        format!(
            "def {name}(items, rate):\n    total = 0\n    for item in items:\n        if item.price {op} 0:\n            total = total + item.price * rate\n        else:\n            total = total - item.discount\n    return round(total, 2)\n\n\n"
        )
    };
    let billing = [body("a", ">"), body("b", "<"), body("c", "==")].concat();
    let shipping = [body("x", ">"), body("y", "<"), body("z", "==")].concat();
    let dir = tree(&[
        ("billing/invoice.py", &billing),
        ("shipping/cost.py", &shipping),
        (
            "vantage.toml",
            // The three functions differ by an operator: near copies of
            // each other as well, which near_clones = false leaves out.
            "[dupes]\nmin_tokens = 30\n\n[thresholds]\nclone_tokens = 30\nnear_clones = false\n",
        ),
    ]);
    let store = dir.path().join("s.db");
    flag_run(dir.path(), &store, &[]);
    let found = rows(&open(&store));
    let summary: Vec<(String, String)> = found
        .iter()
        .map(|r| {
            (
                r["target_agent"].as_str().unwrap().to_string(),
                context(r)["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "@acolyte.billing".to_string(),
                "cross_module_clone".to_string()
            ),
            (
                "@acolyte.shipping".to_string(),
                "cross_module_clone".to_string()
            ),
        ]
    );
    for row in &found {
        let classes = context(row)["classes"].as_array().unwrap().len();
        assert_eq!(classes, 2, "{row:?}");
        let text = row["change_description"].as_str().unwrap();
        assert!(
            text.starts_with(
                "Code copied between modules `billing` and `shipping`: 2 fragments occur in both"
            ),
            "{text}"
        );
    }
}

#[test]
fn modules_sharing_a_last_segment_get_agents_of_their_own() {
    let dir = tree(&[
        (
            "examples/app/client/x.py",
            "from packages.client import y\n",
        ),
        (
            "packages/client/y.py",
            "from examples.app.client import x\n",
        ),
        (
            "vantage.toml",
            "[modules]\n\"examples/app/client\" = \"examples/app/client\"\n\"packages/client\" = \"packages/client\"\n\n[[forbid]]\nfrom = \"examples/app/client\"\nto = \"packages/client\"\n\n[[forbid]]\nfrom = \"packages/client\"\nto = \"examples/app/client\"\n",
        ),
    ]);
    let store = dir.path().join("s.db");
    let stdout = flag_run(dir.path(), &store, &[]);
    assert!(
        stdout.contains("note: modules `examples/app/client`, `packages/client` share the name `client`: routed by a longer name (`examples/app/client` to app.client, `packages/client` to packages.client)"),
        "{stdout}"
    );
    let agents: BTreeSet<String> = rows(&open(&store))
        .iter()
        .map(|r| r["target_agent"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        agents,
        BTreeSet::from([
            "@acolyte.app.client".to_string(),
            "@acolyte.packages.client".to_string()
        ])
    );
}

#[test]
fn a_malformed_catalog_and_an_empty_repository_are_said() {
    let repo = Repo::polyglot();
    let store = repo.root().join("s.db");
    open(&store)
        .execute_batch("CREATE TABLE agents_catalog (name TEXT, type TEXT);")
        .unwrap();
    let stdout = flag_run(repo.root(), &store, &[]);
    assert!(
        stdout.contains("note: the agents_catalog table lacks the column(s) module, sub_module"),
        "{stdout}"
    );
    let empty = tempfile::tempdir().unwrap();
    let stdout = flag_run(empty.path(), &store, &[]);
    assert!(stdout.contains("note: no source file under"), "{stdout}");
    assert!(
        stdout.contains("0 created, 0 kept, 0 completed"),
        "{stdout}"
    );
}

#[test]
fn json_output_carries_what_the_flags_did() {
    let repo = Repo::polyglot();
    let store = repo.root().join("s.db");
    let output = repo.run(&[
        "analyze",
        repo.root().to_str().unwrap(),
        "--flags",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(output.status.success());
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let flags = &doc["flags"];
    assert_eq!(flags["created"], serde_json::json!([1, 2]));
    assert_eq!(flags["partial"], false);
    let kinds: Vec<&str> = flags["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["module_cycle", "forbidden_dependency"]);
    // The account for people goes to standard error then.
    assert!(String::from_utf8_lossy(&output.stderr).contains("2 created, 0 kept"));
}

/// "Changed API endpoints": on trace_shop, a change to
/// `OrderRepository.by_id` reaches the order detail endpoint (its handler
/// calls the service that calls it) and no other; the orders module's
/// agent gets one FLAG naming it, chained to the change's origin.
#[test]
fn a_change_flags_the_endpoints_it_reaches_to_their_module() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_dir(&common::fixture("routes/trace_shop"), root);
    common::git(root, &["init", "-q", "-b", "base"]);
    common::git(root, &["add", "."]);
    common::git(root, &["commit", "-q", "-m", "base"]);
    let path = root.join("orders/repositories.py");
    let source = std::fs::read_to_string(&path).unwrap();
    let edited = source.replace(
        ".select_related(\"customer\").get(pk=pk)",
        ".select_related(\"customer\", \"lines\").get(pk=pk)",
    );
    assert_ne!(source, edited);
    std::fs::write(&path, edited).unwrap();

    let store = root.join(".git/flags.db");
    vantage_ok(&[
        "impact",
        root.to_str().unwrap(),
        "--since",
        "base",
        "--flags",
        "--store",
        store.to_str().unwrap(),
    ]);
    let found = rows(&open(&store));
    let endpoints: Vec<&serde_json::Map<String, Value>> = found
        .iter()
        .filter(|r| context(r)["kind"] == "changed_endpoints")
        .collect();
    assert_eq!(endpoints.len(), 1, "{found:#?}");
    let flag = endpoints[0];
    assert_eq!(flag["target_agent"], "@acolyte.orders");
    assert_eq!(flag["flag_type"], "change");
    // Reached two calls below the handler, not by a change of it.
    assert_eq!(flag["impact_level"], "medium");
    let origin = found
        .iter()
        .find(|r| context(r)["kind"] == "change_origin")
        .expect("an origin FLAG");
    assert_eq!(flag["chain_origin_id"], origin["id"]);
    let description = flag["change_description"].as_str().unwrap();
    assert!(
        description
            .contains("reaches 1 endpoint(s) served by module `orders`: GET /orders/<int:pk>/."),
        "{description}"
    );
    let action = flag["action_required"].as_str().unwrap();
    assert!(
        action.contains("GET /orders/<int:pk>/ (the changed code runs 2 call(s) below its handler `orders.views.OrderDetail.get`)"),
        "{action}"
    );
    assert!(!description.contains("summary"), "{description}");
    assert_eq!(flag["code_location"], "orders/urls.py:6", "{flag:?}");
}
