//! Runs killed with SIGKILL at random points of their writes, repeated over
//! a repository that changes between rounds (files edited, added, deleted
//! and renamed): the facts cache and the FLAG store must come out of every
//! kill whole (SQLite's integrity check), hold either what was there before
//! the run or what the run would have written, never a part of it, and the
//! next run must work and print what a run without any cache prints.
//!
//! The kill points are seeded (`VANTAGE_KILL_SEED`, printed): half are a
//! random time into the run, half a random pause after the write's
//! transaction opened (the writes are slowed for that by the test hooks
//! `VANTAGE_TEST_CACHE_DELAY_MS` and `VANTAGE_TEST_WRITE_DELAY_MS`, which
//! announce the open transaction on standard error).
#![cfg(unix)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use rusqlite::Connection;

fn seed() -> u64 {
    let seed = std::env::var("VANTAGE_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261207);
    println!("kill points seeded with {seed} (VANTAGE_KILL_SEED)");
    seed
}

/// Where a run is killed.
#[derive(Debug, Clone, Copy)]
enum KillPoint {
    /// This long after it started.
    After(Duration),
    /// This long after it announced its write's open transaction (or not at
    /// all, when it ends without one).
    IntoWrite(Duration),
}

impl KillPoint {
    fn random(rng: &mut fastrand::Rng, run: Duration, write: Duration) -> KillPoint {
        let within = |rng: &mut fastrand::Rng, span: Duration| {
            Duration::from_micros(rng.u64(0..=span.as_micros().max(1) as u64))
        };
        if rng.bool() {
            KillPoint::After(within(rng, run))
        } else {
            KillPoint::IntoWrite(within(rng, write))
        }
    }
}

/// Runs `command` and kills it at `point`. Whether the kill came before
/// the run ended by itself.
fn run_and_kill(mut command: Command, point: KillPoint) -> bool {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let stderr = child.stderr.take().unwrap();
    let (announced, heard) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if line.contains("transaction open") {
                let _ = announced.send(());
            }
        }
    });
    match point {
        KillPoint::After(wait) => std::thread::sleep(wait.saturating_sub(started.elapsed())),
        KillPoint::IntoWrite(wait) => {
            // The sender is dropped when the run's standard error closes:
            // it ended without a write.
            if heard.recv().is_ok() {
                std::thread::sleep(wait);
            }
        }
    }
    let killed = child.try_wait().unwrap().is_none() && child.kill().is_ok();
    child.wait().unwrap();
    reader.join().unwrap();
    killed
}

fn integrity(db: &Path) {
    if !db.exists() {
        return;
    }
    let conn = Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{}", db.display());
}

fn vantage() -> Command {
    let mut command = Command::cargo_bin("vantage").unwrap();
    // No store of the machine is found through HOME.
    command.env("HOME", std::env::temp_dir().join("vantage-killed-no-home"));
    command
}

fn output(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The commands whose cached output is compared: each reads files its own
/// way (imports only, everything, tokens) and is cached apart.
const COMMANDS: &[&[&str]] = &[
    &["analyze", "--format", "json"],
    &["dupes", "--format", "json", "--min-tokens", "20"],
];

/// A Python package of `count` modules importing each other, with shared
/// code for the clone detector, and a few TypeScript files.
fn write_repository(root: &Path, rng: &mut fastrand::Rng, count: usize) {
    for i in 0..count {
        write_module(root, rng, i, count);
    }
    std::fs::create_dir_all(root.join("web")).unwrap();
    for i in 0..count / 20 {
        std::fs::write(
            root.join(format!("web/page{i}.ts")),
            format!(
                "import {{ render }} from './page{}';\nexport function page{i}(n: number): string {{\n  return render(n) + '{i}';\n}}\n",
                (i + 1) % (count / 20).max(1)
            ),
        )
        .unwrap();
    }
}

fn module_path(root: &Path, i: usize) -> PathBuf {
    root.join(format!("app/part{}/m{i}.py", i % 10))
}

fn write_module(root: &Path, rng: &mut fastrand::Rng, i: usize, count: usize) {
    let path = module_path(root, i);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = String::new();
    for _ in 0..rng.usize(1..4) {
        let j = rng.usize(0..count);
        text.push_str(&format!("from app.part{}.m{j} import f{j}\n", j % 10));
    }
    text.push_str(&format!(
        "\n\ndef f{i}(items, limit={}):\n    total = 0\n    for item in items:\n        if item.price > limit:\n            total += item.price * item.quantity\n        else:\n            total -= item.discount\n    return total\n",
        rng.u32(0..1000)
    ));
    if rng.u8(0..4) == 0 {
        text.push_str(&format!(
            "\n\nclass C{i}:\n    def run(self):\n        return f{i}([], {})\n",
            rng.u32(0..9)
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// A tenth of the modules rewritten, a few deleted, added and renamed.
fn change(root: &Path, rng: &mut fastrand::Rng, count: usize) {
    for _ in 0..count / 10 {
        let i = rng.usize(0..count);
        write_module(root, rng, i, count);
    }
    for _ in 0..3 {
        let gone = module_path(root, rng.usize(0..count));
        let _ = std::fs::remove_file(&gone);
        let i = rng.usize(0..count);
        let from = module_path(root, i);
        if from.exists() {
            let to = from.with_file_name(format!("moved{}_{i}.py", rng.u32(..)));
            std::fs::rename(&from, &to).unwrap();
        }
        let added = count + rng.usize(0..count);
        write_module(root, rng, added, count);
    }
}

#[test]
fn cache_writes_killed_at_random_points_leave_a_cache_that_works() {
    let mut rng = fastrand::Rng::with_seed(seed());
    let repo = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let count = 300;
    write_repository(repo.path(), &mut rng, count);
    let db = cache.path().join("facts.db");
    let mut killed = 0;
    let mut into_write = 0;
    for round in 0..8 {
        if round > 0 {
            change(repo.path(), &mut rng, count);
        }
        let started = Instant::now();
        let truth: Vec<String> = COMMANDS
            .iter()
            .map(|args| output(vantage().args(*args).arg(repo.path()).arg("--no-cache")))
            .collect();
        let run = started.elapsed() / COMMANDS.len() as u32;
        // Each entry is stored a millisecond apart: the write of a cold
        // run spans about the number of files in milliseconds.
        let point = KillPoint::random(&mut rng, run * 2, Duration::from_millis(count as u64));
        let args = COMMANDS[rng.usize(0..COMMANDS.len())];
        let mut command = vantage();
        command
            .args(args)
            .arg(repo.path())
            .arg("--cache-dir")
            .arg(cache.path())
            .env("VANTAGE_TEST_CACHE_DELAY_MS", "1");
        if run_and_kill(command, point) {
            killed += 1;
            into_write += usize::from(matches!(point, KillPoint::IntoWrite(_)));
        }
        integrity(&db);
        for (args, truth) in COMMANDS.iter().zip(&truth) {
            let cached = output(
                vantage()
                    .args(*args)
                    .arg(repo.path())
                    .arg("--cache-dir")
                    .arg(cache.path()),
            );
            assert_eq!(
                &cached, truth,
                "round {round}, killed at {point:?}: {args:?}"
            );
        }
        integrity(&db);
    }
    println!("{killed} of 8 runs killed, {into_write} of them inside the cache write");
    assert!(killed >= 2, "the kills came too late to test anything");
}

/// A repository of twenty modules that each import `core`, which one
/// rule forbids: twenty FLAGs, one per module's agent.
fn flag_repository(root: &Path) {
    std::fs::create_dir_all(root.join("core")).unwrap();
    std::fs::write(root.join("core/__init__.py"), "").unwrap();
    std::fs::write(root.join("core/db.py"), "def query():\n    return 1\n").unwrap();
    let mut config = String::from("[modules]\ncore = \"core\"\n");
    for i in 0..20 {
        let module = format!("m{i:02}");
        std::fs::create_dir_all(root.join(&module)).unwrap();
        std::fs::write(root.join(&module).join("__init__.py"), "").unwrap();
        config.push_str(&format!("{module} = \"{module}\"\n"));
        set_import(root, i, true);
    }
    config.push_str(
        "\n[[forbid]]\nfrom = \"m*\"\nto = \"core\"\nreason = \"modules reach the database through their own repositories\"\n",
    );
    std::fs::write(root.join("vantage.toml"), config).unwrap();
}

fn set_import(root: &Path, i: usize, imports: bool) {
    let text = if imports {
        format!("from core.db import query\n\n\ndef f{i}():\n    return query()\n")
    } else {
        format!("def f{i}():\n    return {i}\n")
    };
    std::fs::write(root.join(format!("m{i:02}/svc.py")), text).unwrap();
}

/// The rows of the store as the agents read them, without the times.
fn flag_rows(db: &Path) -> Vec<Vec<String>> {
    if !db.exists() {
        return Vec::new();
    }
    let conn = Connection::open(db).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'flags'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if tables == 0 {
        return Vec::new();
    }
    let mut statement = conn
        .prepare(
            "SELECT id, flag_type, source_agent, target_agent, change_description, action_required,
                    impact_level, status, related_files, code_location, chain_origin_id
             FROM flags ORDER BY id",
        )
        .unwrap();
    statement
        .query_map([], |row| {
            (0..11)
                .map(|i| {
                    Ok(match row.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => "NULL".to_string(),
                        rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        other => format!("{other:?}"),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A copy of the store as it is now (through SQLite, whatever its journal
/// holds).
fn snapshot(db: &Path, to: &Path) {
    let _ = std::fs::remove_file(to);
    if db.exists() {
        let conn = Connection::open(db).unwrap();
        conn.execute("VACUUM INTO ?1", [to.to_str().unwrap()])
            .unwrap();
    }
}

fn flag_run(root: &Path, db: &Path) -> Command {
    let mut command = vantage();
    command
        .args(["analyze", "--flags", "--no-cache", "--store"])
        .arg(db)
        .arg(root);
    command
}

#[test]
fn flag_writes_killed_at_random_points_lose_and_double_nothing() {
    let mut rng = fastrand::Rng::with_seed(seed() ^ 0xf1a6);
    let repo = tempfile::tempdir().unwrap();
    let stores = tempfile::tempdir().unwrap();
    flag_repository(repo.path());
    let db = stores.path().join("flags.db");
    let twin = stores.path().join("twin.db");
    let mut importing = [true; 20];
    let mut killed = 0;
    for round in 0..10 {
        if round > 0 {
            // Modules stop and start importing core: FLAGs are completed,
            // raised again and created.
            for _ in 0..rng.usize(1..4) {
                let i = rng.usize(0..20);
                importing[i] = !importing[i];
                set_import(repo.path(), i, importing[i]);
            }
        }
        let before = flag_rows(&db);
        // What the run would write, on a copy.
        snapshot(&db, &twin);
        let started = Instant::now();
        output(&mut flag_run(repo.path(), &twin));
        let run = started.elapsed();
        let after = flag_rows(&twin);

        let point = KillPoint::random(&mut rng, run * 2, Duration::from_millis(20 * 5));
        let mut command = flag_run(repo.path(), &db);
        command.env("VANTAGE_TEST_WRITE_DELAY_MS", "5");
        if run_and_kill(command, point) {
            killed += 1;
        }
        integrity(&db);
        let now = flag_rows(&db);
        assert!(
            now == before || now == after,
            "round {round}, killed at {point:?}: a part of the batch was written\nbefore {before:?}\nnow {now:?}\nafter {after:?}"
        );
        // The next run writes what the run would have.
        output(&mut flag_run(repo.path(), &db));
        integrity(&db);
        let finished = flag_rows(&db);
        assert_eq!(finished, after, "round {round}, killed at {point:?}");
        let pending: Vec<_> = finished
            .iter()
            .filter(|row| row[7] == "pending")
            .map(|row| (row[3].clone(), row[4].clone()))
            .collect();
        let unique: BTreeSet<_> = pending.iter().collect();
        assert_eq!(unique.len(), pending.len(), "a FLAG pending twice");
        assert_eq!(
            pending.len(),
            importing.iter().filter(|i| **i).count(),
            "one pending FLAG per module importing core"
        );
    }
    println!("{killed} of 10 runs killed");
    assert!(killed >= 3, "the kills came too late to test anything");
}
