//! A full disk: every file vantage writes (the FLAG store, an `-o` report,
//! a baseline, the facts cache) on a file system with no room left. What
//! must be written whole (the store, outputs) fails with exit 2 and a
//! message naming the file, leaving what was there as it was; the cache,
//! which only saves the next run work, is given up with a warning and the
//! run's answer stands.
//!
//! The disk is a 1 MB tmpfs filled to the last byte when the tests may
//! mount one (root); otherwise the run is given a file-size limit of 0
//! (RLIMIT_FSIZE, SIGXFSZ ignored), which fails every write that would
//! grow a file as a full disk does (`VANTAGE_TEST_DISK=limit` takes this
//! way where a mount would work). Which one ran is printed.
#![cfg(target_os = "linux")]

mod common;

use std::io::Write as _;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use rusqlite::Connection;

enum Disk {
    /// A mounted tmpfs, unmounted when dropped.
    Tmpfs(tempfile::TempDir),
    /// A folder; the run itself is limited.
    Limited(tempfile::TempDir),
}

impl Disk {
    fn new() -> Disk {
        let dir = tempfile::tempdir().unwrap();
        // VANTAGE_TEST_DISK=limit takes the fallback where a mount works.
        let mount = std::env::var("VANTAGE_TEST_DISK").as_deref() != Ok("limit");
        if mount && common::running_as_root() {
            let mounted = Command::new("mount")
                .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
                .arg(dir.path())
                .output()
                .is_ok_and(|o| o.status.success());
            if mounted {
                println!("disk: a 1 MB tmpfs at {}", dir.path().display());
                return Disk::Tmpfs(dir);
            }
        }
        println!("disk: no tmpfs can be mounted here; runs get RLIMIT_FSIZE 0");
        Disk::Limited(dir)
    }

    fn path(&self) -> &Path {
        match self {
            Disk::Tmpfs(dir) | Disk::Limited(dir) => dir.path(),
        }
    }

    /// Takes every byte left.
    fn fill(&self) {
        if let Disk::Tmpfs(dir) = self {
            let mut filler = std::fs::File::create(dir.path().join("filler")).unwrap();
            let chunk = vec![b'x'; 4096];
            while filler.write_all(&chunk).is_ok() {}
            // Tail pieces smaller than a chunk.
            while filler.write_all(b"x").is_ok() {}
            let _ = filler.sync_all();
        }
    }

    /// Gives the room back.
    fn free(&self) {
        if let Disk::Tmpfs(dir) = self {
            std::fs::remove_file(dir.path().join("filler")).unwrap();
        }
    }

    /// vantage, with room (no limit); it must succeed.
    fn plain(&self, args: &[&str]) -> std::process::Output {
        let output = Command::cargo_bin("vantage")
            .unwrap()
            .env("HOME", self.path().join("no-home"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// vantage, writing to this disk once it is full.
    fn vantage(&self) -> Command {
        let mut command = Command::cargo_bin("vantage").unwrap();
        command.env("HOME", self.path().join("no-home"));
        if let Disk::Limited(_) = self {
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                command.pre_exec(|| {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let none = libc::rlimit {
                        rlim_cur: 0,
                        rlim_max: 0,
                    };
                    if libc::setrlimit(libc::RLIMIT_FSIZE, &none) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        command
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        if let Disk::Tmpfs(dir) = self {
            let _ = Command::new("umount").arg(dir.path()).status();
        }
    }
}

fn polyglot() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("polyglot"), dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join(".vantage"));
    dir
}

/// Every FLAG row, without the times.
fn flags(db: &Path) -> Vec<(i64, String, String)> {
    let conn = Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mut statement = conn
        .prepare("SELECT id, target_agent, change_description FROM flags ORDER BY id")
        .unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// What is left in the disk's folder besides what the test put there.
fn leftovers(disk: &Disk, expected: &[&str]) -> Vec<PathBuf> {
    std::fs::read_dir(disk.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name != "filler" && !expected.contains(&name)
        })
        .collect()
}

#[test]
fn a_full_disk_fails_the_flag_store_and_outputs_whole_and_spares_the_run() {
    let disk = Disk::new();
    let repo = polyglot();
    let root = repo.path().to_str().unwrap().to_string();
    let db = disk.path().join("flags.db");
    let db_arg = db.to_str().unwrap().to_string();

    // The store as the agents have it: created by a run that saw neither
    // of the fixture's two findings (both in payments, left out; which
    // leaves an import dangling, a FLAG of its own).
    let flag_run = [
        "analyze",
        root.as_str(),
        "--flags",
        "--no-cache",
        "--store",
        db_arg.as_str(),
    ];
    // Prepared before the disk is full, without any limit.
    disk.plain(&[&flag_run[..], &["--exclude", "backend/shop/payments/**"]].concat());
    let before = flags(&db);
    assert_eq!(before.len(), 1, "{before:?}");
    let report = disk.path().join("report.html");
    std::fs::write(&report, "the report of yesterday\n").unwrap();
    let baseline = disk.path().join("baseline.json");
    std::fs::write(&baseline, "{}\n").unwrap();
    disk.fill();

    // The FLAG store: two FLAGs to write, no room.
    let output = disk.vantage().args(flag_run).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("FLAG store") && stderr.contains(&db_arg),
        "{stderr}"
    );
    assert!(
        stderr.contains("full") || stderr.contains("disk I/O"),
        "{stderr}"
    );

    // An output file: the old one stays, no temporary file is left.
    for (args, file, old) in [
        (
            vec!["report", root.as_str(), "--no-cache", "-o"],
            &report,
            "the report of yesterday\n",
        ),
        (
            vec!["check", root.as_str(), "--no-cache", "--write-baseline"],
            &baseline,
            "{}\n",
        ),
    ] {
        let output = disk.vantage().args(&args).arg(file).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(file.to_str().unwrap()),
            "{args:?}: {stderr}"
        );
        assert_eq!(std::fs::read_to_string(file).unwrap(), old, "{args:?}");
    }
    assert_eq!(
        // SQLite's own journal files of the store may stay: they are the
        // store's, and SQLite reads them back.
        leftovers(
            &disk,
            &[
                "flags.db",
                "flags.db-wal",
                "flags.db-shm",
                "report.html",
                "baseline.json",
                "no-home"
            ]
        ),
        Vec::<PathBuf>::new()
    );

    // The cache: given up, said, and the answer the same as without it.
    let cache = disk.path().join("cache");
    let cached = disk
        .vantage()
        .args(["graph", &root, "--format", "json", "--cache-dir"])
        .arg(&cache)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&cached.stderr);
    assert!(cached.status.success(), "{stderr}");
    assert!(stderr.contains(cache.to_str().unwrap()), "{stderr}");
    let uncached = disk.plain(&["graph", &root, "--format", "json", "--no-cache"]);
    assert_eq!(cached.stdout, uncached.stdout);

    // Room again (SQLite needs some to open a WAL store at all): the store
    // is as it was, and the same run writes its two FLAGs (and completes
    // the dangling import's).
    disk.free();
    assert_eq!(flags(&db), before, "nothing half-written");
    let _ = std::fs::remove_dir_all(&cache);
    disk.plain(&flag_run);
    assert_eq!(flags(&db).len(), before.len() + 2);
}
