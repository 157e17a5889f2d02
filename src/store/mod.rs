//! The FLAG store: the SQLite database the agents of the coordinating
//! system talk through (`../shared/flag-store.md` is the contract). The only
//! module that talks SQL.
//!
//! vantage is one more client of a database others own: it creates the
//! `flags` table only when absent, never alters a table, writes each batch in
//! one short `BEGIN IMMEDIATE` transaction under a busy timeout (other agents
//! write concurrently), and uses parameterised SQL only.

use std::collections::BTreeSet;
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

/// The `context` of a vantage FLAG whose `source` is vantage, for rows
/// whose context may be anything (other clients write there too).
const VANTAGE_ROW: &str =
    "CASE WHEN json_valid(context) THEN json_extract(context, '$.source') END = 'vantage'";

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
    /// kinds whose finding is gone is completed.
    pub complete_kinds: Vec<&'static str>,
    pub flags: Vec<NewFlag>,
}

/// What a batch did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub created: Vec<i64>,
    /// Pending FLAGs of the same findings, left as they are.
    pub kept: Vec<i64>,
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
        if self.created {
            // WAL lets readers go on while an agent writes.
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                .map_err(|e| self.error(e))?;
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
        // The contract's `session_id` references `sessions`, which a store
        // vantage created has not: checking keys there would refuse every
        // insert. Where the table exists, keys are checked (our rows are
        // valid: the open session, an origin of this batch).
        let has_sessions: bool = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sessions'",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| self.error(e))?;
        self.conn
            .pragma_update(None, "foreign_keys", has_sessions)
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
    /// NULL, when such a table (with those columns) exists.
    fn session_id(conn: &Connection) -> rusqlite::Result<Option<String>> {
        let columns: BTreeSet<String> = conn
            .prepare("SELECT name FROM pragma_table_info('sessions')")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !columns.contains("id") || !columns.contains("ended_at") {
            return Ok(None);
        }
        conn.query_row(
            "SELECT CAST(id AS TEXT) FROM sessions WHERE ended_at IS NULL ORDER BY rowid DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()
    }

    /// The agent a module's FLAGs go to: the one `vantage.toml` names for
    /// it, else the catalog's acolyte, else `@acolyte.<last segment>`.
    pub fn route(
        &self,
        module: &str,
        configured: &std::collections::BTreeMap<String, String>,
    ) -> Result<String, Error> {
        if let Some(agent) = configured.get(module) {
            return Ok(handle(agent));
        }
        let last = last_segment(module);
        if let Some(agent) = self.catalog_agent(module, &last)? {
            return Ok(agent);
        }
        Ok(format!("@acolyte.{last}"))
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
                 WHERE type = 'acolyte' AND name IS NOT NULL
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
                "SELECT id, chain_origin_id, CAST(session_id AS TEXT), flag_type, source_agent,
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
                let context: Option<String> = row.get(14)?;
                Ok(FlagRow {
                    id: row.get(0)?,
                    chain_origin_id: row.get(1)?,
                    session_id: row.get(2)?,
                    flag_type: row.get(3)?,
                    source_agent: row.get(4)?,
                    target_agent: row.get(5)?,
                    change_description: row.get(6)?,
                    action_required: row.get(7)?,
                    impact_level: row.get(8)?,
                    status: row.get(9)?,
                    locked: row.get::<_, Option<bool>>(10)?.unwrap_or(false),
                    related_files: row.get(11)?,
                    code_location: row.get(12)?,
                    example_usage: row.get(13)?,
                    // Kept as text when another client stored no JSON.
                    context: context.map(|c| serde_json::from_str(&c).unwrap_or(Value::String(c))),
                    created_at: row.get(15)?,
                    acknowledged_at: row.get(16)?,
                    completed_at: row.get(17)?,
                    completed_by: row.get(18)?,
                    notes: row.get(19)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.error(e))?;
        Ok(rows)
    }

    /// Marks a pending FLAG completed.
    pub fn complete(&mut self, id: i64, by: &str, note: Option<&str>) -> Result<(), Error> {
        let status = self.status_of(id)?;
        if status.as_deref() == Some("completed") {
            return Err(Error::Flag {
                id,
                message: "is already completed".to_string(),
            });
        }
        self.update(
            id,
            &format!(
                "UPDATE flags SET status = 'completed', completed_at = {NOW}, completed_by = ?2,
                 notes = COALESCE(?3, notes) WHERE id = ?1"
            ),
            params![id, handle(by), note],
        )
    }

    /// Sets or clears `locked` (waiting for an answer).
    pub fn lock(&mut self, id: i64, locked: bool) -> Result<(), Error> {
        self.status_of(id)?;
        self.update(
            id,
            "UPDATE flags SET locked = ?2 WHERE id = ?1",
            params![id, locked],
        )
    }

    fn status_of(&self, id: i64) -> Result<Option<String>, Error> {
        self.conn
            .query_row("SELECT status FROM flags WHERE id = ?1", [id], |row| {
                row.get::<_, Option<String>>(0)
            })
            .optional()
            .map_err(|e| self.error(e))?
            .ok_or(Error::Flag {
                id,
                message: "does not exist".to_string(),
            })
    }

    fn update(&mut self, _id: i64, sql: &str, values: impl rusqlite::Params) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&path, e))?;
        tx.execute(sql, values).map_err(|e| sql_error(&path, e))?;
        tx.commit().map_err(|e| sql_error(&path, e))
    }
}

/// The contract's rules, checked before anything is written.
pub fn validate(flag: &NewFlag, source: &str) -> Result<(), String> {
    if !source.starts_with('@') {
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
        && !target.starts_with('@')
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

fn write_batch(tx: &rusqlite::Transaction, batch: &Batch) -> rusqlite::Result<Outcome> {
    let session = Store::session_id(tx)?;
    let mut outcome = Outcome::default();
    // Row id of each batch FLAG, new or kept, for chains.
    let mut ids: Vec<Option<i64>> = Vec::with_capacity(batch.flags.len());
    let mut current: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    for flag in &batch.flags {
        current.insert((flag.fingerprint.clone(), flag.target_agent.clone()));
        let mut statement = tx.prepare_cached(&format!(
            "SELECT id, status, completed_by FROM flags
             WHERE {VANTAGE_ROW}
               AND json_extract(context, '$.repository') = ?1
               AND json_extract(context, '$.fingerprint') = ?2
               AND target_agent IS ?3
             ORDER BY id"
        ))?;
        let earlier: Vec<(i64, Option<String>, Option<String>)> = statement
            .query_map(
                params![batch.repository, flag.fingerprint, flag.target_agent],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        if let Some((id, _, _)) = earlier
            .iter()
            .find(|(_, status, _)| status.as_deref() != Some("completed"))
        {
            outcome.kept.push(*id);
            outcome.per_flag.push(("kept", Some(*id)));
            ids.push(Some(*id));
            continue;
        }
        // Completed by an agent while the finding stayed: raised again once.
        let closed_by_agents = earlier
            .iter()
            .filter(|(_, _, by)| by.as_deref() != Some(batch.source.as_str()))
            .count();
        if closed_by_agents >= 2 {
            outcome.not_raised += 1;
            let last = earlier.last().map(|(id, _, _)| *id);
            outcome.per_flag.push(("not_raised", last));
            ids.push(last);
            continue;
        }
        let mut context = json!({
            "source": "vantage",
            "kind": flag.kind,
            "fingerprint": flag.fingerprint,
            "repository": batch.repository,
        });
        if let (Value::Object(map), Value::Object(details)) = (&mut context, &flag.details) {
            for (key, value) in details {
                map.entry(key.clone()).or_insert(value.clone());
            }
        }
        let origin = flag.chained_to.and_then(|i| ids.get(i).copied().flatten());
        let related = (!flag.related_files.is_empty()).then(|| flag.related_files.join(", "));
        tx.prepare_cached(&format!(
            "INSERT INTO flags (chain_origin_id, session_id, flag_type, source_agent, target_agent,
                 change_description, action_required, impact_level, status, locked,
                 related_files, code_location, example_usage, context, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, ?9, ?10, ?11, ?12, {NOW})"
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
        ])?;
        let id = tx.last_insert_rowid();
        test_delay();
        outcome.created.push(id);
        outcome.per_flag.push(("created", Some(id)));
        ids.push(Some(id));
    }
    if !batch.complete_kinds.is_empty() {
        let mut statement = tx.prepare(&format!(
            "SELECT id, json_extract(context, '$.kind'), json_extract(context, '$.fingerprint'), target_agent
             FROM flags
             WHERE {VANTAGE_ROW} AND status = 'pending'
               AND json_extract(context, '$.repository') = ?1
             ORDER BY id"
        ))?;
        // (id, kind, fingerprint, target)
        type Pending = (i64, Option<String>, Option<String>, Option<String>);
        let pending: Vec<Pending> = statement
            .query_map([&batch.repository], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, kind, fingerprint, target) in pending {
            let in_scope = kind
                .as_deref()
                .is_some_and(|k| batch.complete_kinds.contains(&k));
            let gone = !current.contains(&(fingerprint.unwrap_or_default(), target));
            if in_scope && gone {
                tx.execute(
                    &format!(
                        "UPDATE flags SET status = 'completed', completed_at = {NOW}, completed_by = ?2,
                         notes = 'No longer detected by vantage: the finding is gone.' WHERE id = ?1"
                    ),
                    params![id, batch.source],
                )?;
                outcome.completed.push(id);
            }
        }
    }
    Ok(outcome)
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
