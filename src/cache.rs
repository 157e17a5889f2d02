//! The facts cache: what the parse stage extracted from each file, kept
//! between runs so that a run after a small edit parses only what changed.
//!
//! An entry is keyed by the file's path and what was extracted (imports,
//! definitions, tokens), and holds the content hash it was made from, the
//! version of vantage (and of this build of it: the binary's size and
//! time), of its queries and of its grammars, and the facts
//! (postcard, a compact serde format) with their own checksum. A file whose
//! bytes, or whose vantage, differ from the entry's is parsed again: a
//! stale, foreign, truncated or corrupt entry is never used.
//!
//! The store is one SQLite file (the bundled SQLite vantage already links
//! for the FLAG store): atomic commits, so a run killed mid-write leaves
//! the last good state; a busy timeout, so concurrent runs wait for each
//! other; WAL, so readers never block. A file that is not a database (a
//! crash of the disk, someone's garbage) is set aside and started afresh.
//! The folder is vantage's own: it carries a `.gitignore`, discovery never
//! reads hidden folders, and it is bounded in size, the entries unused for
//! longest evicted first.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};
use xxhash_rust::xxh3::xxh3_64;

use crate::facts::FileFacts;
use crate::lang::{Extraction, Language};

/// Bumped when the layout of [`FileFacts`] changes, or what extraction
/// puts in it (2: the TypeScript/JavaScript statement scan; 3: long
/// literals as words; 4: a Rust `use` in a body is no barrier; 6: the
/// registrations `routes` reads, `SymbolFacts::calls`).
const FORMAT: u32 = 9;
/// The cache's size limit when none is configured.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;
const BUSY: Duration = Duration::from_secs(30);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS facts (
    path TEXT NOT NULL,
    mode TEXT NOT NULL,
    hash INTEGER NOT NULL,
    version TEXT NOT NULL,
    payload BLOB NOT NULL,
    checksum INTEGER NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (path, mode)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
";

/// Fault injection for the tests (tests/killed.rs kills a run in the
/// middle of its cache write): with `VANTAGE_TEST_CACHE_DELAY_MS` set, the
/// write is announced on standard error once its transaction is open, and
/// each entry is stored after that pause.
fn test_delay() -> Option<Duration> {
    let ms = std::env::var("VANTAGE_TEST_CACHE_DELAY_MS")
        .ok()?
        .parse::<u64>()
        .ok()?;
    eprintln!("vantage: cache write begun, transaction open");
    Some(Duration::from_millis(ms))
}

/// Where and how large.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheOptions {
    pub dir: PathBuf,
    pub max_bytes: u64,
}

/// What makes facts the same: this vantage, its queries, its grammars.
fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut identity = format!("{}|{FORMAT}", env!("CARGO_PKG_VERSION"));
        // This very build: what extraction does lives in code as much as in
        // queries, and a rebuilt binary (a newer commit of the same version)
        // must not read the facts an older one made.
        if let Some(meta) = std::env::current_exe()
            .ok()
            .and_then(|exe| std::fs::metadata(exe).ok())
        {
            let modified = meta
                .modified()
                .ok()
                .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            identity.push_str(&format!("|exe:{}:{modified}", meta.len()));
        }
        for language in Language::ALL {
            let spec = language.spec();
            let grammar = language.grammar();
            identity.push_str(&format!(
                "|{language:?}:{}:{}:{}",
                grammar.abi_version(),
                grammar.node_kind_count(),
                grammar.field_count()
            ));
            identity.push_str(spec.imports_query);
            identity.push_str(spec.definitions_query);
        }
        format!(
            "{}-{FORMAT}-{:016x}",
            env!("CARGO_PKG_VERSION"),
            xxh3_64(identity.as_bytes())
        )
    })
}

fn mode(extraction: Extraction) -> &'static str {
    match extraction {
        Extraction::Full => "full",
        Extraction::ImportsOnly => "imports",
        Extraction::Tokens => "tokens",
        Extraction::FullWithTokens => "full+tokens",
        Extraction::Symbols => "symbols",
        Extraction::SymbolsWithTokens => "symbols+tokens",
    }
}

/// A content hash, as stored (SQLite integers are signed).
pub fn content_hash(bytes: &[u8]) -> i64 {
    xxh3_64(bytes) as i64
}

/// An entry made this run, to store.
pub struct Fresh {
    pub path: String,
    pub hash: i64,
    pub payload: Vec<u8>,
}

impl Fresh {
    pub fn new(path: &str, hash: i64, facts: &FileFacts) -> Option<Fresh> {
        Some(Fresh {
            path: path.to_string(),
            hash,
            payload: postcard::to_allocvec(facts).ok()?,
        })
    }
}

pub struct FactsCache {
    conn: Connection,
    path: PathBuf,
    mode: &'static str,
    max_bytes: u64,
    /// The last run's number when this one opened the store.
    run: i64,
    entries: Entries,
}

/// The entries of one mode and version, by path: (hash, payload). Apart
/// from the connection so that workers can read them in parallel.
pub struct Entries(HashMap<String, Entry>);

struct Entry {
    hash: i64,
    payload: Vec<u8>,
    /// The run that last used it.
    used: i64,
}

/// An entry used within this many runs is recent enough: touching every
/// entry on every run would rewrite the whole store each time.
const RECENT: i64 = 16;

impl Entries {
    /// The facts of `path` when the cache has them for these bytes.
    pub fn get(&self, path: &str, hash: i64) -> Option<FileFacts> {
        let entry = self.0.get(path)?;
        if entry.hash != hash {
            return None;
        }
        postcard::from_bytes(&entry.payload).ok()
    }

    /// The content hash the entry for `path` was made from.
    pub fn hash(&self, path: &str) -> Option<i64> {
        self.0.get(path).map(|entry| entry.hash)
    }
}

fn sql(err: rusqlite::Error) -> String {
    err.to_string()
}

impl FactsCache {
    /// Opens (or creates) the cache in `options.dir` and loads the entries
    /// of this extraction. An error means "run without a cache".
    pub fn open(options: &CacheOptions, extraction: Extraction) -> Result<FactsCache, String> {
        std::fs::create_dir_all(&options.dir).map_err(|e| e.to_string())?;
        let ignore = options.dir.join(".gitignore");
        if !ignore.exists() {
            // The cache never belongs in version control.
            let _ = std::fs::write(&ignore, "# vantage's facts cache\n*\n");
        }
        let path = options.dir.join("facts.db");
        let conn = match Self::connect(&path) {
            Ok(conn) => conn,
            Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error {
                    code: rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt,
                    ..
                },
                _,
            )) => {
                // Not a database (or a broken one): it is only a cache. Any
                // other error (busy, read-only) may be another run's live
                // file, left alone.
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                Self::connect(&path).map_err(sql)?
            }
            Err(err) => return Err(sql(err)),
        };
        let mode = mode(extraction);
        let run: i64 = conn
            .query_row(
                "SELECT coalesce(max(value), 0) FROM meta WHERE key = 'run'",
                [],
                |row| row.get(0),
            )
            .map_err(sql)?;
        let mut entries = HashMap::new();
        {
            let mut statement = conn
                .prepare("SELECT path, hash, payload, checksum, used FROM facts WHERE mode = ?1 AND version = ?2")
                .map_err(sql)?;
            let rows = statement
                .query_map(params![mode, version()], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, Vec<u8>>(2)?,
                        row.get::<_, i64>(3)?,
                        row.get::<_, i64>(4)?,
                    ))
                })
                .map_err(sql)?;
            for row in rows {
                // A row that does not read is a row not to use.
                let Ok((path, hash, payload, checksum, used)) = row else {
                    continue;
                };
                if xxh3_64(&payload) as i64 == checksum {
                    entries.insert(
                        path,
                        Entry {
                            hash,
                            payload,
                            used,
                        },
                    );
                }
            }
        }
        Ok(FactsCache {
            conn,
            path,
            mode,
            max_bytes: options.max_bytes,
            run,
            entries: Entries(entries),
        })
    }

    fn connect(path: &Path) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY)?;
        // Reading the schema tells a file that is not a database.
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        conn.execute_batch(SCHEMA)?;
        let _: i64 = conn.query_row("SELECT count(*) FROM facts", [], |row| row.get(0))?;
        Ok(conn)
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn entries(&self) -> &Entries {
        &self.entries
    }

    /// Stores what this run made and marks what it used; evicts the
    /// entries unused for longest beyond the size limit. One transaction.
    pub fn finish(mut self, used: &[&str], fresh: Vec<Fresh>) -> Result<(), String> {
        let stale: Vec<&str> = used
            .iter()
            .copied()
            .filter(|path| {
                self.entries
                    .0
                    .get(*path)
                    .is_none_or(|entry| entry.used + RECENT <= self.run)
            })
            .collect();
        if fresh.is_empty() && stale.is_empty() {
            // Nothing new and nothing about to look unused: no write at all.
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let run: i64 = tx
            .query_row(
                "INSERT INTO meta (key, value) VALUES ('run', 1)
                 ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value",
                [],
                |row| row.get(0),
            )
            .map_err(sql)?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO facts (path, mode, hash, version, payload, checksum, used)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(sql)?;
            let delay = test_delay();
            for entry in &fresh {
                if let Some(pause) = delay {
                    std::thread::sleep(pause);
                }
                insert
                    .execute(params![
                        entry.path,
                        self.mode,
                        entry.hash,
                        version(),
                        entry.payload,
                        xxh3_64(&entry.payload) as i64,
                        run
                    ])
                    .map_err(sql)?;
            }
            let mut touch = tx
                .prepare_cached("UPDATE facts SET used = ?3 WHERE path = ?1 AND mode = ?2")
                .map_err(sql)?;
            for path in stale {
                touch.execute(params![path, self.mode, run]).map_err(sql)?;
            }
        }
        // Entries of another vantage are of no use any more.
        tx.execute("DELETE FROM facts WHERE version != ?1", params![version()])
            .map_err(sql)?;
        let total: i64 = tx
            .query_row(
                "SELECT coalesce(sum(length(payload)), 0) FROM facts",
                [],
                |row| row.get(0),
            )
            .map_err(sql)?;
        if total as u64 > self.max_bytes {
            // Oldest first, down to three quarters of the limit.
            let target = (self.max_bytes / 4 * 3) as i64;
            tx.execute(
                "DELETE FROM facts WHERE rowid IN (
                     SELECT rowid FROM (
                         SELECT rowid, sum(length(payload)) OVER (ORDER BY used DESC, rowid DESC) AS kept
                         FROM facts)
                     WHERE kept > ?1)",
                params![target],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }
}
