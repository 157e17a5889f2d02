//! The FLAG store: the SQLite database the agents of the coordinating
//! system talk through (`../shared/flag-store.md` is the contract). The only
//! module that talks SQL.
//!
//! vantage is one more client of a database others own: it creates the
//! `flags` table only when absent, never alters a table, writes each batch in
//! one short `BEGIN IMMEDIATE` transaction under a busy timeout (other agents
//! write concurrently), and uses parameterised SQL only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Value, json};

use crate::Error;

/// How long a write waits for other writers before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// The table vantage creates when the database has none; the columns,
/// types and defaults of the contract. `session_id` names no foreign key:
/// vantage does not create `sessions` (its owner does), and a key to a
/// missing table makes every insert fail for a client that enforces
/// foreign keys.
const CREATE_FLAGS: &str = "CREATE TABLE IF NOT EXISTS flags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chain_origin_id INTEGER REFERENCES flags(id) ON DELETE SET NULL,
    session_id TEXT,
    flag_type TEXT NOT NULL,
    source_agent TEXT NOT NULL,
    target_agent TEXT,
    change_description TEXT NOT NULL,
    action_required TEXT NOT NULL,
    impact_level TEXT DEFAULT 'medium',
    status TEXT DEFAULT 'pending',
    locked BOOLEAN DEFAULT FALSE,
    related_files TEXT,
    code_location TEXT,
    example_usage TEXT,
    context JSON,
    created_at TEXT NOT NULL,
    acknowledged_at TEXT,
    completed_at TEXT,
    completed_by TEXT,
    notes TEXT
)";

/// Columns vantage reads or writes; an existing `flags` table must have them.
const COLUMNS: &[&str] = &[
    "id",
    "chain_origin_id",
    "session_id",
    "flag_type",
    "source_agent",
    "target_agent",
    "change_description",
    "action_required",
    "impact_level",
    "status",
    "locked",
    "related_files",
    "code_location",
    "example_usage",
    "context",
    "created_at",
    "acknowledged_at",
    "completed_at",
    "completed_by",
    "notes",
];

pub const FLAG_TYPES: &[&str] = &[
    "breaking_change",
    "new_feature",
    "refactor",
    "deprecation",
    "enhancement",
    "change",
    "information_request",
    "security",
    "data_loss",
];

pub const IMPACT_LEVELS: &[&str] = &["low", "medium", "high", "critical"];

/// The writer when the configuration names none.
pub const DEFAULT_SOURCE: &str = "@coordinator.backend";

/// Local time as the contract writes it, computed by SQLite.
const NOW: &str = "strftime('%Y-%m-%d %H:%M', 'now', 'localtime')";

/// `@`-prefixed, as the contract wants handles.
pub fn handle(name: &str) -> String {
    let name = name.trim();
    if name.starts_with('@') {
        name.to_string()
    } else {
        format!("@{name}")
    }
}

/// A module's last segment, as catalogs name modules: `app/auth`,
/// `app.auth` and `App\Auth` give `auth`; `(root)` gives `root`.
pub fn last_segment(module: &str) -> String {
    let last = module
        .rsplit(['/', '.', '\\', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or(module);
    last.trim_matches(['(', ')']).to_string()
}

/// A FLAG to write: one finding for one target agent.
#[derive(Clone, Debug)]
pub struct NewFlag {
    pub flag_type: &'static str,
    pub target_agent: Option<String>,
    pub change_description: String,
    pub action_required: String,
    pub impact_level: &'static str,
    pub related_files: Vec<String>,
    pub code_location: Option<String>,
    pub example_usage: Option<String>,
    /// What the finding is (`module_cycle`, `impact`, ...): with the
    /// repository, the scope a run completes vanished findings in.
    pub kind: &'static str,
    /// Stable across runs; with the target, what "the same FLAG" means.
    pub fingerprint: String,
    /// More structured data for `context`.
    pub details: Value,
    /// Chained to the FLAG at this index of the batch (`chain_origin_id`).
    pub chained_to: Option<usize>,
    /// For findings whose identity drifts (a cycle gaining or losing a
    /// member): a pending FLAG of the same kind, target and group whose
    /// members overlap is this finding, updated in place.
    pub similar: Option<Similar>,
}

/// What makes two findings of a kind "the same" when their fingerprints
/// differ: a group (the module owning a cycle's cut) and members (the
/// cycle's modules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Similar {
    pub group: String,
    pub members: Vec<String>,
}

impl Similar {
    /// Whether `earlier` members make the same finding as these: half of
    /// the union in common; on a partial run, any subset of them (a run
    /// that saw less sees a smaller cycle).
    fn overlap(&self, earlier: &[String], partial: bool) -> Option<f64> {
        let now: BTreeSet<&String> = self.members.iter().collect();
        let then: BTreeSet<&String> = earlier.iter().collect();
        let common = now.intersection(&then).count();
        let union = now.union(&then).count().max(1);
        let jaccard = common as f64 / union as f64;
        let subset = common == now.len() && common > 0;
        (jaccard >= 0.5 || (partial && subset)).then_some(jaccard)
    }
}

/// One run's FLAGs for one repository.
#[derive(Clone, Debug)]
pub struct Batch {
    /// The writer, `@`-prefixed.
    pub source: String,
    /// Identifies the repository in `context`, so that one store can serve
    /// several repositories.
    pub repository: String,
    /// Finding kinds this run looked for in full: a pending FLAG of these
    /// kinds whose finding is gone is completed (unless locked).
    pub complete_kinds: Vec<&'static str>,
    /// More `context` keys a FLAG must match to be completed (impact FLAGs
    /// of the same `revision` only).
    pub complete_scope: Vec<(&'static str, String)>,
    /// The note appended to a FLAG completed because its finding is gone.
    pub gone_note: String,
    /// The run saw part of the repository (`--exclude`, a size limit, a
    /// subfolder): it completes nothing, refreshes no text, and takes a
    /// smaller cycle for the FLAG of the one it is part of.
    pub partial: bool,
    /// The analysed folder within the repository (`""` for all of it):
    /// FLAGs of one scope are never completed or matched by another's runs.
    pub scope: String,
    pub flags: Vec<NewFlag>,
}

/// What a batch did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub created: Vec<i64>,
    /// Pending FLAGs of the same findings, left as they are.
    pub kept: Vec<i64>,
    /// Of those, the FLAGs of a finding that drifted (a cycle that gained
    /// or lost a member), updated in place.
    pub updated: Vec<i64>,
    /// FLAGs completed because their finding is gone.
    pub completed: Vec<i64>,
    /// Findings whose FLAG was completed by an agent twice already while
    /// the finding stayed: not raised a third time.
    pub not_raised: usize,
    /// For each FLAG of the batch, in order: `created`, `kept` or
    /// `not_raised`, and its row.
    pub per_flag: Vec<(&'static str, Option<i64>)>,
}

/// A FLAG as stored, for `vantage flags list`.
#[derive(Clone, Debug, Serialize)]
pub struct FlagRow {
    pub id: i64,
    pub chain_origin_id: Option<i64>,
    pub session_id: Option<String>,
    pub flag_type: String,
    pub source_agent: String,
    pub target_agent: Option<String>,
    pub change_description: String,
    pub action_required: String,
    pub impact_level: Option<String>,
    pub status: Option<String>,
    pub locked: bool,
    pub related_files: Option<String>,
    pub code_location: Option<String>,
    pub example_usage: Option<String>,
    pub context: Option<Value>,
    pub created_at: String,
    pub acknowledged_at: Option<String>,
    pub completed_at: Option<String>,
    pub completed_by: Option<String>,
    pub notes: Option<String>,
}

pub struct Store {
    conn: Connection,
    pub path: PathBuf,
    /// Whether this run created the database file.
    pub created: bool,
}

/// Where the database is, in the contract's order; `true` when it exists.
pub fn locate(root: &Path, explicit: Option<&Path>) -> (PathBuf, bool) {
    if let Some(path) = explicit {
        return (path.to_path_buf(), path.exists());
    }
    let in_repository = root.join(".claude/memory/project.db");
    if in_repository.exists() {
        return (in_repository, true);
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let global = PathBuf::from(home).join(".claude/memory/project.db");
        if global.exists() {
            return (global, true);
        }
    }
    (in_repository, false)
}

fn sql_error(path: &Path, err: rusqlite::Error) -> Error {
    Error::Store {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

impl Store {
    /// Opens (or creates) the database the contract's order finds.
    pub fn open(root: &Path, explicit: Option<&Path>) -> Result<Store, Error> {
        let (path, exists) = locate(root, explicit);
        if !exists && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|err| Error::Store {
                path: path.clone(),
                message: format!("cannot create its folder: {err}"),
            })?;
        }
        if exists && !path.is_file() {
            return Err(Error::Store {
                path,
                message: "not a file".to_string(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(&path, flags).map_err(|err| sql_error(&path, err))?;
        let mut store = Store {
            conn,
            path,
            created: !exists,
        };
        store.prepare()?;
        Ok(store)
    }

    /// Opens a store that must exist already, with its `flags` table
    /// (`vantage flags`: reading or changing FLAGs creates nothing).
    pub fn open_existing(root: &Path, explicit: Option<&Path>) -> Result<Store, Error> {
        let (path, exists) = locate(root, explicit);
        if !exists {
            return Err(Error::Store {
                path,
                message: "no FLAG store there (vantage analyze --flags creates one)".to_string(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(&path, flags).map_err(|err| sql_error(&path, err))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|err| sql_error(&path, err))?;
        let has_flags: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'flags'",
                [],
                |row| row.get(0),
            )
            .map_err(|err| sql_error(&path, err))?;
        if has_flags == 0 {
            return Err(Error::Store {
                path,
                message: "it has no flags table".to_string(),
            });
        }
        Ok(Store {
            conn,
            path,
            created: false,
        })
    }

    fn error(&self, err: rusqlite::Error) -> Error {
        sql_error(&self.path, err)
    }

    fn prepare(&mut self) -> Result<(), Error> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| self.error(e))?;
        // Reading the schema also tells a file that is not a database.
        let has_flags: bool = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'flags'",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| self.error(e))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
            .map_err(|e| self.error(e))?;
        // Another client may have created the file since it was looked for:
        // only an empty database is vantage's to set up.
        if self.created && tables == 0 {
            // WAL lets readers go on while an agent writes.
            let mode: String = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
                .map_err(|e| self.error(e))?;
            if !mode.eq_ignore_ascii_case("wal") {
                eprintln!("vantage: the new FLAG store stays in {mode} journal mode (WAL refused)");
            }
        }
        if !has_flags {
            // IF NOT EXISTS: another client may create it meanwhile.
            let path = self.path.clone();
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| sql_error(&path, e))?;
            tx.execute_batch(CREATE_FLAGS)
                .map_err(|e| sql_error(&path, e))?;
            tx.commit().map_err(|e| sql_error(&path, e))?;
        }
        // Foreign keys are not enforced on this connection (the bundled
        // SQLite turns them on by default): a key of another client's
        // schema to a table that does not exist would refuse every insert.
        // vantage's rows are valid by construction (the open session, an
        // origin of the same batch) and it deletes nothing.
        self.conn
            .pragma_update(None, "foreign_keys", false)
            .map_err(|e| self.error(e))?;
        let mut statement = self
            .conn
            .prepare("SELECT name FROM pragma_table_info('flags')")
            .map_err(|e| self.error(e))?;
        let present: BTreeSet<String> = statement
            .query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        let missing: Vec<&str> = COLUMNS
            .iter()
            .copied()
            .filter(|c| !present.contains(*c))
            .collect();
        if !missing.is_empty() {
            return Err(Error::Store {
                path: self.path.clone(),
                message: format!(
                    "its flags table lacks the column(s) {} of the FLAG contract; vantage never alters a table others own",
                    missing.join(", ")
                ),
            });
        }
        Ok(())
    }

    /// The open session: the most recent `sessions` row whose `ended_at` is
    /// NULL, when such a table (with those columns) exists; its id as
    /// stored (text or integer).
    fn session_id(conn: &Connection) -> rusqlite::Result<Option<rusqlite::types::Value>> {
        let columns: BTreeSet<String> = conn
            .prepare("SELECT name FROM pragma_table_info('sessions')")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !columns.contains("id") || !columns.contains("ended_at") {
            return Ok(None);
        }
        // Most recent by start when the table says, else by insertion.
        let order = if columns.contains("started_at") {
            "started_at DESC, rowid DESC"
        } else {
            "rowid DESC"
        };
        let latest = |order: &str| {
            conn.query_row(
                &format!(
                    "SELECT id FROM sessions WHERE ended_at IS NULL AND id IS NOT NULL ORDER BY {order} LIMIT 1"
                ),
                [],
                |row| row.get::<_, rusqlite::types::Value>(0),
            )
            .optional()
        };
        // A WITHOUT ROWID table has no rowid to order by.
        latest(order).or_else(|_| {
            latest(if columns.contains("started_at") {
                "started_at DESC"
            } else {
                "1"
            })
        })
    }

    /// The agent of every module, and what the routing wants said. A
    /// module's agent is the one `vantage.toml` names for it, else the
    /// catalog's acolyte for its name or its short name, else
    /// `@acolyte.<short name>`. The short name is the last segment of the
    /// module (`auth` for `app/auth`); when modules share a last segment
    /// (`examples/app/client`, `packages/client`), it is the shortest tail
    /// that tells them apart (`app.client`, `packages.client`), never one
    /// agent for both without saying so.
    pub fn route_all(
        &self,
        modules: &[String],
        configured: &std::collections::BTreeMap<String, String>,
    ) -> Result<(Vec<String>, Vec<String>), Error> {
        let mut notes = self.catalog_warnings()?;
        let segments: Vec<Vec<&str>> = modules
            .iter()
            .map(|m| {
                m.split(['/', '.', '\\', ':'])
                    .filter(|s| !s.is_empty())
                    .map(|s| s.trim_matches(['(', ')']))
                    .collect()
            })
            .collect();
        let tail = |i: usize, n: usize| {
            let parts = &segments[i];
            parts[parts.len().saturating_sub(n)..].join(".")
        };
        let mut short: Vec<String> = (0..modules.len()).map(|i| tail(i, 1)).collect();
        let mut by_last: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, name) in short.iter().enumerate() {
            by_last.entry(name.clone()).or_default().push(i);
        }
        for (last, group) in by_last.iter().filter(|(_, g)| g.len() > 1) {
            let longest = group.iter().map(|&i| segments[i].len()).max().unwrap_or(1);
            let n = (2..=longest.max(2))
                .find(|&n| {
                    let tails: BTreeSet<String> = group.iter().map(|&i| tail(i, n)).collect();
                    tails.len() == group.len()
                })
                .unwrap_or(longest);
            for &i in group {
                short[i] = tail(i, n);
            }
            let routed: Vec<String> = group
                .iter()
                .filter(|&&i| !configured.contains_key(&modules[i]))
                .map(|&i| format!("`{}` to {}", modules[i], short[i]))
                .collect();
            if !routed.is_empty() {
                notes.push(format!(
                    "modules {} share the name `{last}`: routed by a longer name ({})",
                    group
                        .iter()
                        .map(|&i| format!("`{}`", modules[i]))
                        .collect::<Vec<_>>()
                        .join(", "),
                    routed.join(", ")
                ));
            }
        }
        let agents = modules
            .iter()
            .zip(&short)
            .map(|(module, short)| {
                if let Some(agent) = configured.get(module) {
                    return Ok(handle(agent));
                }
                if let Some(agent) = self.catalog_agent(module, short)? {
                    return Ok(agent);
                }
                Ok(format!("@acolyte.{short}"))
            })
            .collect::<Result<Vec<String>, Error>>()?;
        Ok((agents, notes))
    }

    /// What is wrong with an `agents_catalog` table, said once per run.
    fn catalog_warnings(&self) -> Result<Vec<String>, Error> {
        let columns: BTreeSet<String> = self
            .conn
            .prepare("SELECT name FROM pragma_table_info('agents_catalog')")
            .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
            .map_err(|e| self.error(e))?;
        if columns.is_empty() {
            return Ok(Vec::new());
        }
        let missing: Vec<&str> = ["name", "type", "module", "sub_module"]
            .into_iter()
            .filter(|c| !columns.contains(*c))
            .collect();
        if !missing.is_empty() {
            return Ok(vec![format!(
                "the agents_catalog table lacks the column(s) {}: FLAGs go to the `[flags] agents` of vantage.toml, else to @acolyte.<module> (docs/output.md, FLAGs)",
                missing.join(", ")
            )]);
        }
        let nameless: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM agents_catalog
                 WHERE type = 'acolyte' AND (name IS NULL OR trim(name) = ''
                       OR ((module IS NULL OR trim(module) = '')
                           AND (sub_module IS NULL OR trim(sub_module) = '')))",
                [],
                |row| row.get(0),
            )
            .map_err(|e| self.error(e))?;
        Ok(if nameless > 0 {
            vec![format!(
                "{nameless} acolyte row(s) of agents_catalog name no agent or no module: passed over"
            )]
        } else {
            Vec::new()
        })
    }

    /// The catalog's acolyte for a module: its `module` or `sub_module`
    /// equal to the module's name, else to its last segment.
    pub fn catalog_agent(&self, module: &str, last_segment: &str) -> Result<Option<String>, Error> {
        let columns: BTreeSet<String> = self
            .conn
            .prepare("SELECT name FROM pragma_table_info('agents_catalog')")
            .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
            .map_err(|e| self.error(e))?;
        if !["name", "type", "module", "sub_module"]
            .iter()
            .all(|c| columns.contains(*c))
        {
            return Ok(None);
        }
        self.conn
            .query_row(
                "SELECT name FROM agents_catalog
                 WHERE type = 'acolyte' AND name IS NOT NULL AND trim(name) != ''
                   AND (module IN (?1, ?2) OR sub_module IN (?1, ?2))
                 ORDER BY (module = ?1 OR sub_module = ?1) DESC, name
                 LIMIT 1",
                params![module, last_segment],
                |row| row.get::<_, String>(0),
            )
            .optional()
            .map(|name| name.map(|n| handle(&n)))
            .map_err(|e| self.error(e))
    }

    /// Writes a batch whole or not at all: new FLAGs for new findings,
    /// pending ones kept, FLAGs of vanished findings completed.
    pub fn write(&mut self, batch: &Batch) -> Result<Outcome, Error> {
        for flag in &batch.flags {
            validate(flag, &batch.source).map_err(|message| Error::FlagRule {
                message,
                fingerprint: flag.fingerprint.clone(),
            })?;
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&path, e))?;
        let outcome = write_batch(&tx, batch).map_err(|e| sql_error(&path, e))?;
        tx.commit().map_err(|e| sql_error(&path, e))?;
        Ok(outcome)
    }

    /// FLAGs, pending only unless `all`, for one agent or every one; by
    /// priority (critical first), then age.
    pub fn list(&self, agent: Option<&str>, all: bool) -> Result<Vec<FlagRow>, Error> {
        let agent = agent.map(handle);
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, chain_origin_id, session_id, flag_type, source_agent,
                        target_agent, change_description, action_required, impact_level,
                        status, locked, related_files, code_location, example_usage, context,
                        created_at, acknowledged_at, completed_at, completed_by, notes
                 FROM flags
                 WHERE (?1 IS NULL OR target_agent = ?1) AND (?2 OR status = 'pending')
                 ORDER BY CASE impact_level WHEN 'critical' THEN 0 WHEN 'high' THEN 1
                          WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
                          created_at, id",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map(params![agent, all], |row| {
                use rusqlite::types::ValueRef;
                // Other clients store what they like: read leniently.
                let text = |i: usize| -> rusqlite::Result<Option<String>> {
                    Ok(match row.get_ref(i)? {
                        ValueRef::Null => None,
                        ValueRef::Text(t) | ValueRef::Blob(t) => {
                            Some(String::from_utf8_lossy(t).into_owned())
                        }
                        ValueRef::Integer(n) => Some(n.to_string()),
                        ValueRef::Real(x) => Some(x.to_string()),
                    })
                };
                let locked = match row.get_ref(10)? {
                    ValueRef::Integer(n) => n != 0,
                    ValueRef::Real(x) => x != 0.0,
                    ValueRef::Text(t) => !matches!(
                        String::from_utf8_lossy(t)
                            .trim()
                            .to_ascii_lowercase()
                            .as_str(),
                        "" | "0" | "false"
                    ),
                    _ => false,
                };
                let context = text(14)?;
                Ok(FlagRow {
                    id: row.get(0)?,
                    chain_origin_id: row.get(1).unwrap_or(None),
                    session_id: text(2)?,
                    flag_type: text(3)?.unwrap_or_default(),
                    source_agent: text(4)?.unwrap_or_default(),
                    target_agent: text(5)?,
                    change_description: text(6)?.unwrap_or_default(),
                    action_required: text(7)?.unwrap_or_default(),
                    impact_level: text(8)?,
                    status: text(9)?,
                    locked,
                    related_files: text(11)?,
                    code_location: text(12)?,
                    example_usage: text(13)?,
                    // Kept as text when another client stored no JSON.
                    context: context.map(|c| serde_json::from_str(&c).unwrap_or(Value::String(c))),
                    created_at: text(15)?.unwrap_or_default(),
                    acknowledged_at: text(16)?,
                    completed_at: text(17)?,
                    completed_by: text(18)?,
                    notes: text(19)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    /// Marks a pending FLAG completed, unless someone completed it first.
    pub fn complete(&mut self, id: i64, by: &str, note: Option<&str>) -> Result<(), Error> {
        self.change(
            id,
            &format!(
                "UPDATE flags SET status = 'completed', completed_at = {NOW}, completed_by = ?2,
                 notes = COALESCE(?3, notes) WHERE id = ?1 AND status IS NOT 'completed'"
            ),
            params![id, handle(by), note],
            "is already completed",
        )
    }

    /// Sets or clears `locked` (waiting for an answer).
    pub fn lock(&mut self, id: i64, locked: bool) -> Result<(), Error> {
        self.change(
            id,
            "UPDATE flags SET locked = ?2 WHERE id = ?1",
            params![id, locked],
            "was not changed",
        )
    }

    /// One update of one row in its own short transaction; an error names
    /// the row when it does not exist or the update did not apply.
    fn change(
        &mut self,
        id: i64,
        sql: &str,
        values: impl rusqlite::Params,
        unchanged: &str,
    ) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&path, e))?;
        let exists = tx
            .query_row("SELECT 1 FROM flags WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map_err(|e| sql_error(&path, e))?
            .is_some();
        if !exists {
            return Err(Error::Flag {
                id,
                message: "does not exist".to_string(),
            });
        }
        let changed = tx.execute(sql, values).map_err(|e| sql_error(&path, e))?;
        if changed == 0 {
            return Err(Error::Flag {
                id,
                message: unchanged.to_string(),
            });
        }
        tx.commit().map_err(|e| sql_error(&path, e))
    }
}

/// The contract's rules, checked before anything is written.
pub fn validate(flag: &NewFlag, source: &str) -> Result<(), String> {
    if !source.starts_with('@') || source.len() < 2 {
        return Err(format!("the source agent `{source}` must start with @"));
    }
    if !FLAG_TYPES.contains(&flag.flag_type) {
        return Err(format!("unknown flag_type `{}`", flag.flag_type));
    }
    if !IMPACT_LEVELS.contains(&flag.impact_level) {
        return Err(format!("unknown impact_level `{}`", flag.impact_level));
    }
    if matches!(flag.flag_type, "security" | "data_loss") && flag.impact_level != "critical" {
        return Err(format!("a {} FLAG must be critical", flag.flag_type));
    }
    if matches!(flag.impact_level, "high" | "critical") && flag.target_agent.is_none() {
        return Err(format!(
            "a {} FLAG must name a target agent",
            flag.impact_level
        ));
    }
    if let Some(target) = &flag.target_agent
        && (!target.starts_with('@') || target.len() < 2)
    {
        return Err(format!("the target agent `{target}` must start with @"));
    }
    let description = flag.change_description.chars().count();
    if description < 50 {
        return Err(format!(
            "change_description has {description} characters, the contract asks for at least 50"
        ));
    }
    let action = flag.action_required.chars().count();
    if action < 100 {
        return Err(format!(
            "action_required has {action} characters, the contract asks for at least 100"
        ));
    }
    Ok(())
}

/// Fault injection for the tests (tests/store.rs kills a writer in the
/// middle of a batch): with `VANTAGE_TEST_WRITE_DELAY_MS` set, each insert
/// is announced on standard error and followed by that pause.
fn test_delay() {
    if let Some(ms) = std::env::var("VANTAGE_TEST_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        eprintln!("vantage: FLAG inserted, transaction open");
        std::thread::sleep(Duration::from_millis(ms));
    }
}

/// A vantage row of this repository, as the batch needs it.
struct Earlier {
    id: i64,
    pending: bool,
    locked: bool,
    /// Completed by vantage because the finding was gone (not by an agent).
    gone: bool,
    kind: Option<String>,
    target: Option<String>,
    /// The analysed folder of the run that wrote it.
    folder: String,
    group: Option<String>,
    members: Vec<String>,
    /// Who completed it, when, and what they said.
    completion: (Option<String>, Option<String>, Option<String>),
    /// Values of the batch's completion scope keys, in `context`.
    scope: Vec<Option<String>>,
}

fn write_batch(tx: &rusqlite::Transaction, batch: &Batch) -> rusqlite::Result<Outcome> {
    let session = Store::session_id(tx)?;
    // One read of vantage's rows for this repository, cheap filters first:
    // the write lock is held for this transaction, so it stays short
    // however many FLAGs the table has.
    let scope_columns: String = batch
        .complete_scope
        .iter()
        .map(|(key, _)| format!(", json_extract(context, '$.{key}')"))
        .collect();
    let mut statement = tx.prepare(&format!(
        "SELECT id, status, locked, target_agent,
                json_extract(context, '$.fingerprint'), json_extract(context, '$.kind'),
                json_extract(context, '$.gone'),
                COALESCE(json_extract(context, '$.scope'), ''),
                json_extract(context, '$.group'), json_extract(context, '$.members'),
                completed_by, completed_at, notes{scope_columns}
         FROM flags
         WHERE instr(context, '\"source\":\"vantage\"') > 0
           AND CASE WHEN json_valid(context)
                    THEN json_extract(context, '$.source') = 'vantage'
                         AND json_extract(context, '$.repository') = ?1
               END
         ORDER BY id"
    ))?;
    let mut earlier: BTreeMap<(String, Option<String>), Vec<Earlier>> = BTreeMap::new();
    let rows = statement.query_map([&batch.repository], |row| {
        let fingerprint: Option<String> = row.get(4)?;
        let target: Option<String> = row.get(3)?;
        let status: Option<String> = row.get(1)?;
        let scope = (0..batch.complete_scope.len())
            .map(|i| row.get::<_, Option<String>>(13 + i))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let members: Option<String> = row.get(9).unwrap_or(None);
        Ok((
            (fingerprint.unwrap_or_default(), target.clone()),
            Earlier {
                target,
                folder: row
                    .get::<_, Option<String>>(7)
                    .unwrap_or(None)
                    .unwrap_or_default(),
                group: row.get(8).unwrap_or(None),
                members: members
                    .and_then(|m| serde_json::from_str(&m).ok())
                    .unwrap_or_default(),
                completion: (
                    row.get(10).unwrap_or(None),
                    row.get(11).unwrap_or(None),
                    row.get(12).unwrap_or(None),
                ),
                id: row.get(0)?,
                pending: status.as_deref() != Some("completed"),
                locked: row
                    .get::<_, Option<bool>>(2)
                    .unwrap_or(None)
                    .unwrap_or(false),
                gone: row
                    .get::<_, Option<bool>>(6)
                    .unwrap_or(None)
                    .unwrap_or(false),
                kind: row.get(5)?,
                scope,
            },
        ))
    })?;
    for row in rows {
        let (key, found) = row?;
        earlier.entry(key).or_default().push(found);
    }
    drop(statement);

    let mut outcome = Outcome::default();
    // Each FLAG's pending row: of the same fingerprint and target, else
    // (for findings that drift) the most similar one no other FLAG of the
    // batch takes.
    let own_scope = |row: &Earlier| row.folder == batch.scope;
    let mut taken: BTreeSet<i64> = BTreeSet::new();
    let mut matches: Vec<Option<(&Earlier, bool)>> = batch
        .flags
        .iter()
        .map(|flag| {
            let key = (flag.fingerprint.clone(), flag.target_agent.clone());
            let row = earlier
                .get(&key)?
                .iter()
                .find(|r| r.pending && own_scope(r))?;
            taken.insert(row.id);
            Some((row, false))
        })
        .collect();
    for (flag, found) in batch.flags.iter().zip(matches.iter_mut()) {
        let Some(similar) = flag.similar.as_ref().filter(|_| found.is_none()) else {
            continue;
        };
        let best = earlier
            .values()
            .flatten()
            .filter(|r| {
                r.pending
                    && own_scope(r)
                    && !taken.contains(&r.id)
                    && r.kind.as_deref() == Some(flag.kind)
                    && r.target == flag.target_agent
                    && r.group.as_deref() == Some(similar.group.as_str())
            })
            .filter_map(|r| Some((similar.overlap(&r.members, batch.partial)?, r)))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.id.cmp(&a.1.id)));
        if let Some((_, row)) = best {
            taken.insert(row.id);
            *found = Some((row, true));
        }
    }
    // Row id of each batch FLAG, new or kept, for chains.
    let mut ids: Vec<Option<i64>> = Vec::with_capacity(batch.flags.len());
    let mut current: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    for (flag, found) in batch.flags.iter().zip(matches) {
        let key = (flag.fingerprint.clone(), flag.target_agent.clone());
        current.insert(key.clone());
        let rows = earlier.get(&key).map(Vec::as_slice).unwrap_or_default();
        let context = context_of(flag, batch);
        let related = (!flag.related_files.is_empty()).then(|| flag.related_files.join(", "));
        if let Some((row, drifted)) = found {
            // Kept, its texts brought up to date (lines move, a cycle
            // gains a member) unless an agent locked it to answer it, or
            // this run saw only part of the repository.
            if !row.locked && !batch.partial {
                tx.prepare_cached(
                    "UPDATE flags SET change_description = ?2, action_required = ?3,
                         related_files = ?4, code_location = ?5, context = ?6
                     WHERE id = ?1",
                )?
                .execute(params![
                    row.id,
                    flag.change_description,
                    flag.action_required,
                    related,
                    flag.code_location,
                    context.to_string(),
                ])?;
                if drifted {
                    outcome.updated.push(row.id);
                }
            }
            outcome.kept.push(row.id);
            outcome.per_flag.push(("kept", Some(row.id)));
            ids.push(Some(row.id));
            continue;
        }
        // Completed by an agent while the finding stayed: raised again once.
        let closed: Vec<&Earlier> = rows
            .iter()
            .filter(|r| own_scope(r) && !r.gone && !r.pending)
            .collect();
        if closed.len() >= 2 {
            outcome.not_raised += 1;
            let last = rows.last().map(|r| r.id);
            outcome.per_flag.push(("not_raised", last));
            ids.push(last);
            continue;
        }
        // The new row quotes how the one it replaces was closed.
        let notes = closed.last().map(|r| {
            let (by, at, note) = &r.completion;
            format!(
                "Raised again: the finding is still there. FLAG #{} was completed{}{}{}",
                r.id,
                by.as_deref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default(),
                at.as_deref()
                    .map(|a| format!(" on {a}"))
                    .unwrap_or_default(),
                note.as_deref()
                    .filter(|n| !n.trim().is_empty())
                    .map(|n| format!(", noting: {n}"))
                    .unwrap_or_else(|| ".".to_string())
            )
        });
        let origin = flag.chained_to.and_then(|i| ids.get(i).copied().flatten());
        tx.prepare_cached(&format!(
            "INSERT INTO flags (chain_origin_id, session_id, flag_type, source_agent, target_agent,
                 change_description, action_required, impact_level, status, locked,
                 related_files, code_location, example_usage, context, created_at, notes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, ?9, ?10, ?11, ?12, {NOW}, ?13)"
        ))?
        .execute(params![
            origin,
            session,
            flag.flag_type,
            batch.source,
            flag.target_agent,
            flag.change_description,
            flag.action_required,
            flag.impact_level,
            related,
            flag.code_location,
            flag.example_usage,
            context.to_string(),
            notes,
        ])?;
        let id = tx.last_insert_rowid();
        test_delay();
        outcome.created.push(id);
        outcome.per_flag.push(("created", Some(id)));
        ids.push(Some(id));
    }
    if batch.complete_kinds.is_empty() || batch.partial {
        return Ok(outcome);
    }
    for (key, rows) in &earlier {
        if current.contains(key) {
            continue;
        }
        for row in rows {
            let in_scope = own_scope(row)
                && row
                    .kind
                    .as_deref()
                    .is_some_and(|k| batch.complete_kinds.contains(&k))
                && batch
                    .complete_scope
                    .iter()
                    .zip(&row.scope)
                    .all(|((_, want), have)| have.as_deref() == Some(want.as_str()));
            // A locked FLAG waits for an answer: left to its agent.
            if !row.pending || row.locked || !in_scope || taken.contains(&row.id) {
                continue;
            }
            tx.execute(
                &format!(
                    "UPDATE flags SET status = 'completed', completed_at = {NOW}, completed_by = ?2,
                         notes = COALESCE(notes || char(10), '') || ?3,
                         context = json_set(context, '$.gone', json('true'))
                     WHERE id = ?1 AND status IS NOT 'completed'"
                ),
                params![row.id, batch.source, batch.gone_note],
            )?;
            outcome.completed.push(row.id);
        }
    }
    outcome.completed.sort_unstable();
    Ok(outcome)
}

/// The `context` of a FLAG: vantage's keys, then the finding's details.
fn context_of(flag: &NewFlag, batch: &Batch) -> Value {
    let mut context = json!({
        "source": "vantage",
        "kind": flag.kind,
        "fingerprint": flag.fingerprint,
        "repository": batch.repository,
    });
    if !batch.scope.is_empty() {
        context["scope"] = json!(batch.scope);
    }
    if let Some(similar) = &flag.similar {
        context["group"] = json!(similar.group);
        context["members"] = json!(similar.members);
    }
    if let (Value::Object(map), Value::Object(details)) = (&mut context, &flag.details) {
        for (key, value) in details {
            map.entry(key.clone()).or_insert(value.clone());
        }
    }
    context
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag() -> NewFlag {
        NewFlag {
            flag_type: "refactor",
            target_agent: Some("@acolyte.auth".to_string()),
            change_description: "d".repeat(50),
            action_required: "a".repeat(100),
            impact_level: "high",
            related_files: Vec::new(),
            code_location: None,
            example_usage: None,
            kind: "module_cycle",
            fingerprint: "0".repeat(16),
            details: Value::Null,
            chained_to: None,
            similar: None,
        }
    }

    #[test]
    fn the_contract_rules_are_checked_before_writing() {
        assert_eq!(validate(&flag(), "@coordinator.backend"), Ok(()));
        let broken = [
            (
                NewFlag {
                    change_description: "é".repeat(49),
                    ..flag()
                },
                "change_description has 49",
            ),
            (
                NewFlag {
                    action_required: "a".repeat(99),
                    ..flag()
                },
                "action_required has 99",
            ),
            (
                NewFlag {
                    target_agent: None,
                    ..flag()
                },
                "must name a target",
            ),
            (
                NewFlag {
                    target_agent: Some("acolyte.x".into()),
                    ..flag()
                },
                "must start with @",
            ),
            (
                NewFlag {
                    flag_type: "security",
                    ..flag()
                },
                "must be critical",
            ),
            (
                NewFlag {
                    flag_type: "chore",
                    ..flag()
                },
                "unknown flag_type",
            ),
            (
                NewFlag {
                    impact_level: "urgent",
                    ..flag()
                },
                "unknown impact_level",
            ),
        ];
        for (flag, message) in broken {
            let error = validate(&flag, "@coordinator.backend").unwrap_err();
            assert!(error.contains(message), "{error}");
        }
        // 50 characters, not bytes: "é" is two bytes.
        assert!(
            validate(
                &NewFlag {
                    change_description: "é".repeat(50),
                    ..flag()
                },
                "@w"
            )
            .is_ok()
        );
        assert!(validate(&flag(), "coordinator").is_err());
    }

    #[test]
    fn handles_and_segments() {
        assert_eq!(handle("acolyte.auth"), "@acolyte.auth");
        assert_eq!(handle("@x"), "@x");
        assert_eq!(last_segment("app/auth"), "auth");
        assert_eq!(last_segment("app.auth"), "auth");
        assert_eq!(last_segment("App\\Auth"), "Auth");
        assert_eq!(last_segment("(root)"), "root");
        assert_eq!(last_segment("crates/core"), "core");
    }
}
