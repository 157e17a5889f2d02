//! The tools: their JSON schemas and what each answers. Answers reuse the
//! JSON documents of the commands (docs/output.md) without their header,
//! with long lists cut to `limit` items and the cut said (`truncated`, and
//! `<list>_total` beside each cut list).

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::analysis::cycles::{CycleOptions, find_cycles};
use crate::analysis::duplicates::{DupeMode, DupeOptions};
use crate::analysis::impact::ImpactLevel;
use crate::analysis::impact::{ImpactOptions, find_module};
use crate::analysis::rules::RuleSet;
use crate::cli::impact::{Question, Texts, answer, ask, deleted_by};
use crate::config::closest;
use crate::pipeline::Analysis;
use crate::report::{self, CyclesView, ImpactView, Level};
use crate::session::{Refreshed, Session};

type Arguments = Map<String, Value>;

/// What a call runs with: the repository, the FLAG store asked for, and
/// the warm analysis (for tools that need it).
pub struct Context<'a> {
    pub root: &'a Path,
    pub store: Option<&'a Path>,
    pub session: Option<&'a mut Session>,
}

pub struct Tool {
    pub name: &'static str,
    title: &'static str,
    description: &'static str,
    input: fn() -> Value,
    output: fn() -> Value,
    pub needs_analysis: bool,
    pub run: fn(Context, &Arguments) -> Result<Value, String>,
}

const DEFAULT_LIMIT: usize = 50;

const TOOLS: &[Tool] = &[
    Tool {
        name: "impact",
        title: "What breaks if this changes",
        description: "The files that depend on a file, a definition (`User`, `app.models.User`, a member `Order.cancel`), a module, or on what changed in the working tree since a git revision: each with its depth, how it is reached (removed, name, member, module, reexport, file), the import site chain back to the target as file:line, and a risk level (modules reached, direct dependents, tests, broken importers of removed names). Weak reach (lazy, dynamic, type-only imports) is marked `weak`.",
        input: impact_input,
        output: impact_output,
        needs_analysis: true,
        run: impact_tool,
    },
    Tool {
        name: "callers",
        title: "What uses a definition",
        description: "The definitions that use a definition (`pkg.mod.Class.method`, `src/a.ts#Class.method`, or a tail such as `Class.method`) through the symbol graph: calls, instantiations, references, bases, types, test fixtures; with `depth`, callers of callers. Each with its file:line, how it uses the one a step closer, and the lines.",
        input: symbol_walk_input,
        output: symbol_walk_output,
        needs_analysis: true,
        run: callers_tool,
    },
    Tool {
        name: "callees",
        title: "What a definition uses",
        description: "The definitions a definition uses (calls, instantiations, references, bases, types, fixtures) through the symbol graph; with `depth`, what those use in turn.",
        input: symbol_walk_input,
        output: symbol_walk_output,
        needs_analysis: true,
        run: callees_tool,
    },
    Tool {
        name: "tests_for",
        title: "The tests a change needs",
        description: "The tests to run for a change to definitions (`symbol`), files (`file`) or the working tree since a git revision (`since`): test cases by the runner's id (`tests/test_a.py::TestX::test_y`) or whole test files, each with how it reaches the change (a chain of use sites), through calls, fixtures (pytest's, by parameter name, autouse, usefixtures; unittest's setUp) and module loading. `weak` marks tests reached only through an override or an unresolved use of the name.",
        input: tests_for_input,
        output: tests_for_output,
        needs_analysis: true,
        run: tests_for_tool,
    },
    Tool {
        name: "routes",
        title: "HTTP endpoints",
        description: "Every HTTP endpoint the code registers (Django urlconfs and REST framework routers, Flask applications and blueprints, FastAPI applications and routers, Express applications and routers, NestJS controllers, Symfony `#[Route]` attributes, Laravel route files): methods, full path, the view that handles it (`pkg.views.OrderView`, and the method for a class-based view) with file:line, where it is registered, its name, and the guards that apply (login_required, permission_classes, a router's dependencies), each with where it is attached. `dynamic` lists registrations that cannot be read statically, with their site. Narrow with `prefix`, `module`, `method`, `unguarded`.",
        input: routes_input,
        output: object_output,
        needs_analysis: true,
        run: routes_tool,
    },
    Tool {
        name: "trace",
        title: "The request flow of an endpoint",
        description: "What an endpoint's handler calls, transitively, through the symbol graph: `endpoint` is `GET /api/orders/{id}`, a path alone, a concrete path (`/api/orders/7/`), or a view's or any definition's symbol. Each definition reached with its depth, how it is reached (call, instantiate), from what and at which lines; the calls leaving the code on the way, classified (database, http, cache, queue); the modules crossed in order; and where resolution stopped (calls not followed).",
        input: trace_input,
        output: object_output,
        needs_analysis: true,
        run: trace_tool,
    },
    Tool {
        name: "models",
        title: "ORM models and the endpoints that reach them",
        description: "The ORM models the code declares (Django models, SQLAlchemy declarative classes, Laravel Eloquent models, Doctrine entities, Diesel tables): table, primary key, parents, columns (type as written, primary, unique, indexed, nullable, foreign key), relations (many_to_one, one_to_one, one_to_many, many_to_many, with the target model's symbol, column, join table, reverse name), declared indexes, each with file:line; columns an abstract base gives are listed with `inherited_from`. `endpoints` names the endpoints whose request flow reaches the model (`GET /api/orders/<int:pk>/`). Narrow with `model` (a class name, symbol or table: `User`) or `module`.",
        input: models_input,
        output: object_output,
        needs_analysis: true,
        run: models_tool,
    },
    Tool {
        name: "dependencies",
        title: "What a file or module imports",
        description: "The direct dependencies of a file or module: each file or module it imports, with the import kind and every import site as file:line; for a file also the imports that name no file of the repository (standard library, third-party packages, unresolved).",
        input: neighbours_input,
        output: neighbours_output,
        needs_analysis: true,
        run: dependencies_tool,
    },
    Tool {
        name: "dependents",
        title: "What imports a file or module",
        description: "The direct dependents of a file or module: each file or module importing it, with the import kind and every import site as file:line. `impact` gives the transitive answer.",
        input: neighbours_input,
        output: neighbours_output,
        needs_analysis: true,
        run: dependents_tool,
    },
    Tool {
        name: "cycles",
        title: "Import cycles",
        description: "Import cycles of modules or files: each strongly connected component with its members, a shortest witness cycle with the file:line of every hop, and the cheapest edges to cut.",
        input: cycles_input,
        output: object_output,
        needs_analysis: true,
        run: cycles_tool,
    },
    Tool {
        name: "coupling",
        title: "Module coupling",
        description: "Coupling between modules: per module afferent and efferent coupling, instability, abstractness and distance from the main sequence; the module matrix of import sites; the most coupled pairs; stable-dependencies violations. Give `module` for one module's row.",
        input: coupling_input,
        output: object_output,
        needs_analysis: true,
        run: coupling_tool,
    },
    Tool {
        name: "duplicates",
        title: "Copied code",
        description: "Clone classes (every place one fragment occurs, file:line:column ranges, size in tokens and lines, modules spanned) and the duplicated share of code lines per file and module; for a file or module, the classes with a copy in it. With `near`, also near-miss clones: functions and methods copied and then edited, each member with its similarity and the lines that differ.",
        input: duplicates_input,
        output: object_output,
        needs_analysis: true,
        run: duplicates_tool,
    },
    Tool {
        name: "check",
        title: "The CI gate's rules",
        description: "Evaluates the rules of vantage.toml ([check] limits on cycles, coupling and duplication; [[forbid]], [[layers]], [[independent]]) and lists each violation with its rule, severity, message, file:line location and fingerprint; against a baseline file when given.",
        input: check_input,
        output: object_output,
        needs_analysis: true,
        run: check_tool,
    },
    Tool {
        name: "flags_list",
        title: "FLAGs in the agents' store",
        description: "Pending FLAGs of the shared store (the findings agents route to each other), highest impact first, then oldest; for one agent, or completed ones too.",
        input: flags_list_input,
        output: object_output,
        needs_analysis: false,
        run: flags_list_tool,
    },
    Tool {
        name: "flags_complete",
        title: "Complete a FLAG",
        description: "Marks a FLAG of the shared store completed, with who completed it and a resolution note.",
        input: flags_complete_input,
        output: flags_complete_output,
        needs_analysis: false,
        run: flags_complete_tool,
    },
];

pub fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|tool| tool.name == name)
}

pub fn list_names() -> Vec<&'static str> {
    TOOLS.iter().map(|tool| tool.name).collect()
}

pub fn list() -> Vec<Value> {
    TOOLS
        .iter()
        .map(|tool| {
            json!({
                "name": tool.name,
                "title": tool.title,
                "description": tool.description,
                "inputSchema": (tool.input)(),
                "outputSchema": (tool.output)(),
                "annotations": {
                    "title": tool.title,
                    "readOnlyHint": tool.name != "flags_complete",
                    "destructiveHint": false,
                    "idempotentHint": true,
                    "openWorldHint": false,
                },
            })
        })
        .collect()
}

// ---- schemas ----------------------------------------------------------

fn schema(properties: Value, required: &[&str]) -> Value {
    let mut properties = properties;
    properties.as_object_mut().expect("an object").insert(
        "limit".to_string(),
        json!({
            "type": "integer", "minimum": 1, "default": DEFAULT_LIMIT,
            "description": "Longest list in the answer; longer ones are cut and say so."
        }),
    );
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn names(what: &str) -> Value {
    json!({
        "description": what,
        "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" } }
        ]
    })
}

fn impact_input() -> Value {
    schema(
        json!({
            "file": names("File path(s), relative to the repository root."),
            "symbol": names("Definition name(s): `User`, `app.models.User`, `App\\Models\\User`, `crate::rt::Handle`, or a member `Order.cancel`."),
            "module": names("Module name(s) as `analyze` lists them, dotted, or a folder."),
            "since": { "type": "string", "description": "A git revision: what the working tree changed since its merge base (commits, staged, unstaged, untracked)." },
            "depth": { "type": "integer", "minimum": 1, "description": "Deepest level reported (1: direct dependents only)." },
            "runtime_only": { "type": "boolean", "default": false, "description": "Only imports that run when a file loads." },
            "level": { "type": "string", "enum": ["symbol", "file"], "default": "symbol", "description": "What the cascade follows: definitions and their uses (callers of callers; `symbols` and `tests_to_run` in the answer), or imports only (every importer of an impacted file)." }
        }),
        &[],
    )
}

/// The part every answer built from the warm analysis carries.
fn freshness() -> Value {
    json!({
        "type": "object",
        "description": "How current the analysis is: the generation (answers of one generation agree), the files read again before this answer, and how long that took.",
        "properties": {
            "generation": { "type": "integer" },
            "files": { "type": "integer" },
            "reparsed": { "type": "array", "items": { "type": "string" } },
            "added": { "type": "array", "items": { "type": "string" } },
            "removed": { "type": "array", "items": { "type": "string" } },
            "refresh_ms": { "type": "number" }
        },
        "required": ["generation", "files"]
    })
}

fn truncated() -> Value {
    json!({ "type": "boolean", "description": "Whether a list was cut to `limit` (see `<list>_total`)." })
}

fn impact_output() -> Value {
    json!({
        "type": "object",
        "properties": {
            "targets": { "type": "array", "items": { "type": "object" } },
            "impacted": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "path": { "type": "string" },
                        "module": { "type": "string" },
                        "depth": { "type": "integer" },
                        "via": { "type": "string" },
                        "why": { "type": "array", "items": { "type": "string" } }
                    },
                    "required": ["path", "depth", "via", "why"]
                }
            },
            "modules": { "type": "array", "items": { "type": "object" } },
            "tests": { "type": "array" },
            "risk": {
                "type": "object",
                "properties": { "level": { "type": "string", "enum": ["low", "medium", "high"] } },
                "required": ["level"]
            },
            "truncated": truncated(),
            "freshness": freshness()
        },
        "required": ["targets", "impacted", "risk", "truncated", "freshness"]
    })
}

fn routes_input() -> Value {
    schema(
        json!({
            "prefix": { "type": "string", "description": "Only endpoints whose path starts with this (`/api/`)." },
            "module": { "type": "string", "description": "Only endpoints whose view is in this module." },
            "method": { "type": "string", "description": "Only endpoints answering this HTTP method." },
            "unguarded": { "type": "boolean", "default": false, "description": "Only endpoints with no authentication or permission guard." }
        }),
        &[],
    )
}

fn models_input() -> Value {
    schema(
        json!({
            "model": { "type": "string", "description": "Only the model named so: its class (`User`), symbol (`accounts.models.User`) or table." },
            "module": { "type": "string", "description": "Only models declared in this module." },
            "depth": { "type": "integer", "minimum": 1, "default": 8, "description": "How many calls deep an endpoint's flow is followed to the models it reaches." }
        }),
        &[],
    )
}

fn trace_input() -> Value {
    schema(
        json!({
            "endpoint": { "type": "string", "description": "`GET /api/orders/{id}`, a path, a concrete path, or a symbol." },
            "depth": { "type": "integer", "minimum": 1, "default": 8, "description": "How many calls deep to follow." }
        }),
        &["endpoint"],
    )
}

fn symbol_walk_input() -> Value {
    schema(
        json!({
            "symbol": { "type": "string", "description": "A definition: qualified (`pkg.mod.Class.method`, `src/a.ts#Class.method`) or a tail of it (`Class.method`)." },
            "depth": { "type": "integer", "minimum": 1, "default": 1, "description": "How many steps to follow." },
            "calls_only": { "type": "boolean", "default": false, "description": "Only calls and instantiations." }
        }),
        &["symbol"],
    )
}

fn symbol_walk_output() -> Value {
    let symbol = json!({
        "type": "object",
        "properties": {
            "name": { "type": "string" },
            "kind": { "type": "string" },
            "path": { "type": "string" },
            "line": { "type": "integer" }
        },
        "required": ["name", "kind", "path", "line"]
    });
    json!({
        "type": "object",
        "properties": {
            "query": { "type": "string" },
            "targets": { "type": "array", "items": symbol },
            "symbols": { "type": "array", "items": { "type": "object", "properties": {
                "name": { "type": "string" },
                "depth": { "type": "integer" },
                "via": { "type": "string" },
                "toward": { "type": "string" },
                "lines": { "type": "array", "items": { "type": "integer" } }
            }, "required": ["name", "depth", "via", "toward", "lines"] } },
            "truncated": truncated(),
            "freshness": freshness()
        },
        "required": ["targets", "symbols", "truncated", "freshness"]
    })
}

fn tests_for_input() -> Value {
    schema(
        json!({
            "file": names("File path(s), relative to the repository root."),
            "symbol": names("Definition name(s), qualified or by a tail (`Order.cancel`)."),
            "since": { "type": "string", "description": "A git revision: what the working tree changed since its merge base." }
        }),
        &[],
    )
}

fn tests_for_output() -> Value {
    json!({
        "type": "object",
        "properties": {
            "tests": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "string" },
                "path": { "type": "string" },
                "weak": { "type": "boolean" },
                "why": { "type": "array", "items": { "type": "string" } }
            }, "required": ["id", "path", "weak", "why"] } },
            "truncated": truncated(),
            "freshness": freshness()
        },
        "required": ["tests", "truncated", "freshness"]
    })
}

fn neighbours_input() -> Value {
    schema(
        json!({
            "file": { "type": "string", "description": "A file path, relative to the repository root." },
            "module": { "type": "string", "description": "A module name as `analyze` lists them, dotted, or a folder." }
        }),
        &[],
    )
}

fn neighbours_output() -> Value {
    json!({
        "type": "object",
        "properties": {
            "of": { "type": "object", "properties": { "file": { "type": "string" }, "module": { "type": "string" } } },
            "edges": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "file": { "type": "string" },
                        "module": { "type": "string" },
                        "kind": { "type": "string" },
                        "sites": { "type": "array", "items": { "type": "string" } },
                        "site_count": { "type": "integer" }
                    },
                    "required": ["kind", "sites", "site_count"]
                }
            },
            "external": { "type": "array", "items": { "type": "object" } },
            "truncated": truncated(),
            "freshness": freshness()
        },
        "required": ["of", "edges", "truncated", "freshness"]
    })
}

fn object_output() -> Value {
    json!({
        "type": "object",
        "properties": { "truncated": truncated(), "freshness": freshness() },
        "required": ["truncated"]
    })
}

fn cycles_input() -> Value {
    schema(
        json!({
            "level": { "type": "string", "enum": ["module", "file"], "default": "module" },
            "runtime_only": { "type": "boolean", "default": false, "description": "Only imports that run when a file loads." }
        }),
        &[],
    )
}

fn coupling_input() -> Value {
    schema(
        json!({ "module": { "type": "string", "description": "One module: its metrics, matrix cells, pairs and violations." } }),
        &[],
    )
}

fn duplicates_input() -> Value {
    schema(
        json!({
            "file": { "type": "string", "description": "Only classes with a copy in this file." },
            "module": { "type": "string", "description": "Only classes with a copy in this module." },
            "min_tokens": { "type": "integer", "minimum": 5, "description": "Shortest clone in tokens [default: [dupes] min_tokens, else 50]." },
            "mode": { "type": "string", "enum": ["renamed", "strict", "blind"], "default": "renamed" },
            "cross_module": { "type": "boolean", "default": false, "description": "Only classes with copies in two modules or more." },
            "near": { "type": "boolean", "default": false, "description": "Also near-miss clones: functions and methods copied and then edited, with their similarity and the lines that differ (key `near`)." },
            "similarity": { "type": "number", "minimum": 0.5, "maximum": 1, "description": "Least similarity of a near-miss pair [default: [dupes] near_similarity, else 0.8]; with `near`." }
        }),
        &[],
    )
}

fn check_input() -> Value {
    schema(
        json!({ "baseline": { "type": "string", "description": "A baseline file from `vantage check --write-baseline`: its violations count as known." } }),
        &[],
    )
}

fn flags_list_input() -> Value {
    schema(
        json!({
            "agent": { "type": "string", "description": "Only FLAGs for this agent (`@` optional)." },
            "all": { "type": "boolean", "default": false, "description": "Completed ones too." }
        }),
        &[],
    )
}

fn flags_complete_input() -> Value {
    json!({
        "type": "object",
        "properties": {
            "id": { "type": "integer", "description": "The FLAG's id." },
            "by": { "type": "string", "description": "Who completes it [default: [flags] source, or @coordinator.backend]." },
            "note": { "type": "string", "description": "A resolution note." }
        },
        "required": ["id"],
        "additionalProperties": false
    })
}

fn flags_complete_output() -> Value {
    json!({
        "type": "object",
        "properties": { "completed": { "type": "integer" }, "by": { "type": "string" } },
        "required": ["completed", "by"]
    })
}

// ---- arguments --------------------------------------------------------

/// Arguments checked against the tool's schema by hand: an unknown key or
/// a wrong type is an answer the agent can correct.
struct Args<'a> {
    map: &'a Arguments,
}

impl<'a> Args<'a> {
    fn new(tool: &str, map: &'a Arguments) -> Result<Self, String> {
        let input = (find(tool).expect("a tool").input)();
        let known = input["properties"].as_object().expect("properties");
        for key in map.keys() {
            if !known.contains_key(key) {
                let mut names: Vec<&str> = known.keys().map(String::as_str).collect();
                names.sort_unstable();
                return Err(format!(
                    "`{tool}` has no argument `{key}`; it takes {}",
                    names.join(", ")
                ));
            }
        }
        Ok(Args { map })
    }

    fn string(&self, key: &str) -> Result<Option<&'a str>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<String>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("`{key}` must be a string or a list of strings"))
                })
                .collect(),
            Some(_) => Err(format!("`{key}` must be a string or a list of strings")),
        }
    }

    fn flag(&self, key: &str) -> Result<bool, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(format!("`{key}` must be true or false")),
        }
    }

    fn integer(&self, key: &str, min: i64) -> Result<Option<i64>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => match value.as_i64() {
                Some(n) if n >= min => Ok(Some(n)),
                _ => Err(format!("`{key}` must be an integer of at least {min}")),
            },
        }
    }

    fn ratio(&self, key: &str) -> Result<Option<f64>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => match value.as_f64() {
                Some(r) if (0.5..=1.0).contains(&r) => Ok(Some(r)),
                _ => Err(format!("`{key}` must be a number from 0.5 to 1")),
            },
        }
    }

    fn limit(&self) -> Result<usize, String> {
        Ok(self
            .integer("limit", 1)?
            .map_or(DEFAULT_LIMIT, |n| n as usize))
    }
}

// ---- answers ----------------------------------------------------------

/// A command's JSON document as a value, without the header every
/// document carries.
fn document(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Value {
    let mut bytes = Vec::new();
    write(&mut bytes).expect("writing to memory");
    let mut value: Value = serde_json::from_slice(&bytes).expect("the writers write JSON");
    if let Some(object) = value.as_object_mut() {
        for key in ["schema_version", "tool", "command"] {
            object.shift_remove(key);
        }
    }
    value
}

/// Cuts every list longer than `limit`, noting `<key>_total` beside it;
/// true if anything was cut.
fn cap(value: &mut Value, limit: usize) -> bool {
    let mut cut = false;
    match value {
        Value::Object(object) => {
            let mut totals = Vec::new();
            for (key, item) in object.iter_mut() {
                if let Value::Array(items) = item
                    && items.len() > limit
                {
                    totals.push((format!("{key}_total"), items.len()));
                    items.truncate(limit);
                }
                cut |= cap(item, limit);
            }
            cut |= !totals.is_empty();
            for (key, total) in totals {
                object.insert(key, json!(total));
            }
        }
        Value::Array(items) => {
            for item in items {
                cut |= cap(item, limit);
            }
        }
        _ => {}
    }
    cut
}

/// Cuts the answer, says whether it was cut, adds the freshness.
fn finish(mut value: Value, limit: usize, fresh: Option<(&Session, &Refreshed)>) -> Value {
    let cut = cap(&mut value, limit);
    let object = value.as_object_mut().expect("answers are objects");
    object.insert("truncated".to_string(), json!(cut));
    if let Some((session, refreshed)) = fresh {
        let mut freshness = json!({
            "generation": session.generation,
            "files": session.analysis().project.files().len(),
            "refresh_ms": (refreshed.millis * 10.0).round() / 10.0,
        });
        for (key, list) in [
            ("reparsed", &refreshed.reparsed),
            ("added", &refreshed.added),
            ("removed", &refreshed.removed),
        ] {
            if !list.is_empty() {
                freshness[key] = json!(list);
            }
        }
        object.insert("freshness".to_string(), freshness);
    }
    value
}

fn session<'s>(context: &'s mut Context) -> &'s mut Session {
    context
        .session
        .as_deref_mut()
        .expect("tools needing the analysis get it")
}

fn refresh(session: &mut Session, deleted: &[String]) -> Result<Refreshed, String> {
    session.refresh(deleted).map_err(|err| err.to_string())
}

fn impact_tool(mut context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("impact", arguments)?;
    let files = args.strings("file")?;
    let symbols = args.strings("symbol")?;
    let modules = args.strings("module")?;
    let since = args.string("since")?;
    let depth = args.integer("depth", 1)?;
    let runtime_only = args.flag("runtime_only")?;
    let level = match args.string("level")? {
        None | Some("symbol") => ImpactLevel::Symbol,
        Some("file") => ImpactLevel::File,
        Some(other) => return Err(format!("`level` is `symbol` or `file`, not `{other}`")),
    };
    let limit = args.limit()?;
    if files.is_empty() && symbols.is_empty() && modules.is_empty() && since.is_none() {
        return Err("name what changes: `file`, `symbol`, `module` or `since`".to_string());
    }
    let root = context.root.to_path_buf();
    let changes = match since {
        Some(revision) => {
            crate::changes::changed_since(&root, revision).map_err(|err| err.to_string())?
        }
        None => Vec::new(),
    };
    let session = session(&mut context);
    let refreshed = refresh(session, &deleted_by(&changes))?;
    let analysis = session.analysis();
    let texts = Texts::new(&analysis.project);
    let question = Question {
        files: &files,
        symbols: &symbols,
        modules: &modules,
        since: since.map(|revision| (revision, changes)),
    };
    let (seeds, targets) = ask(&root, analysis, &texts, question).map_err(|err| err.to_string())?;
    let options = ImpactOptions {
        depth: depth.map(|d| d as usize),
        runtime_only,
        level,
    };
    let set = answer(analysis, &texts, &seeds, options);
    let view = ImpactView {
        analysis,
        targets: &targets,
        set: &set,
        options,
    };
    let mut value = report::json::impact_value(&view, limit);
    if let Some(object) = value.as_object_mut() {
        for key in ["schema_version", "tool", "command"] {
            object.shift_remove(key);
        }
    }
    let cut = value.get("impacted_total").is_some() || value.get("symbols_total").is_some();
    let mut value = finish(value, limit, Some((session, &refreshed)));
    if cut {
        value["truncated"] = serde_json::json!(true);
    }
    Ok(value)
}

fn routes_tool(mut context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("routes", arguments)?;
    let filter = report::routes::RouteFilter {
        prefix: args.string("prefix")?.map(str::to_string),
        module: args.string("module")?.map(str::to_string),
        method: args.string("method")?.map(str::to_string),
        unguarded: args.flag("unguarded")?,
    };
    let limit = args.limit()?;
    let session = session(&mut context);
    let refreshed = refresh(session, &[])?;
    let analysis = session.analysis();
    if let Some(module) = &filter.module {
        known_module(analysis, module)?;
    }
    let routes = report::routes::selected(analysis, &filter);
    let value = document(|out| report::routes::write_json(out, analysis, &routes));
    Ok(finish(value, limit, Some((session, &refreshed))))
}

/// A module named by a tool's argument, else an error naming the nearest.
fn known_module(analysis: &crate::pipeline::Analysis, module: &str) -> Result<(), String> {
    if analysis.modules.id(module).is_some() {
        return Ok(());
    }
    Err(
        match closest(module, analysis.modules.names.iter().map(String::as_str)) {
            Some(name) => format!("no module named `{module}`; did you mean `{name}`?"),
            None => format!("no module named `{module}`"),
        },
    )
}

fn models_tool(mut context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("models", arguments)?;
    let filter = report::models::ModelFilter {
        module: args.string("module")?.map(str::to_string),
        model: args.string("model")?.map(str::to_string),
    };
    let depth = args.integer("depth", 1)?.map_or(8, |d| d as usize);
    let limit = args.limit()?;
    let session = session(&mut context);
    let refreshed = refresh(session, &[])?;
    let analysis = session.analysis();
    if let Some(module) = &filter.module {
        known_module(analysis, module)?;
    }
    let models = &analysis.models.models;
    if let Some(want) = &filter.model
        && !models.iter().any(|m| report::models::names(m, want))
    {
        let suggestion = closest(want, models.iter().map(|m| m.name.as_str()));
        return Err(match suggestion {
            Some(name) => format!("no model named `{want}`; did you mean `{name}`?"),
            None if models.is_empty() => "no models were found in this repository".to_string(),
            None => format!("no model named `{want}`"),
        });
    }
    let listed = report::models::listed(analysis, &filter, depth);
    let value = document(|out| report::models::write_json(out, analysis, &listed));
    Ok(finish(value, limit, Some((session, &refreshed))))
}

fn trace_tool(mut context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("trace", arguments)?;
    let endpoint = args
        .string("endpoint")?
        .ok_or_else(|| "name the endpoint: `endpoint`".to_string())?
        .to_string();
    let depth = args.integer("depth", 1)?.map_or(8, |d| d as usize);
    let limit = args.limit()?;
    let session = session(&mut context);
    let refreshed = refresh(session, &[])?;
    let analysis = session.analysis();
    let traced =
        crate::cli::trace::traces(analysis, &endpoint, depth).map_err(|err| err.to_string())?;
    let value = document(|out| report::trace::write_json(out, analysis, &endpoint, &traced));
    Ok(finish(value, limit, Some((session, &refreshed))))
}

fn callers_tool(context: Context, arguments: &Arguments) -> Result<Value, String> {
    symbol_walk(
        context,
        arguments,
        "callers",
        crate::symbols::Direction::Users,
    )
}

fn callees_tool(context: Context, arguments: &Arguments) -> Result<Value, String> {
    symbol_walk(
        context,
        arguments,
        "callees",
        crate::symbols::Direction::Used,
    )
}

fn symbol_walk(
    mut context: Context,
    arguments: &Arguments,
    tool: &str,
    direction: crate::symbols::Direction,
) -> Result<Value, String> {
    let args = Args::new(tool, arguments)?;
    let query = args
        .string("symbol")?
        .ok_or_else(|| "name the definition: `symbol`".to_string())?
        .to_string();
    let depth = args.integer("depth", 1)?.map_or(1, |d| d as usize);
    let calls_only = args.flag("calls_only")?;
    let limit = args.limit()?;
    let session = session(&mut context);
    let refreshed = refresh(session, &[])?;
    let analysis = session.analysis();
    let starts = crate::cli::callers::find(analysis, &query).map_err(|err| err.to_string())?;
    let walked = analysis.symbols.walk(&starts, direction, depth, |kind| {
        !calls_only
            || matches!(
                kind,
                crate::symbols::EdgeKind::Call | crate::symbols::EdgeKind::Instantiate
            )
    });
    let view = report::symbols::NeighboursView {
        analysis,
        query: &query,
        starts: &starts,
        direction,
        walked: &walked,
    };
    let value = document(|out| report::symbols::write_neighbours_json(out, &view));
    Ok(finish(value, limit, Some((session, &refreshed))))
}

fn tests_for_tool(mut context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("tests_for", arguments)?;
    let files = args.strings("file")?;
    let symbols = args.strings("symbol")?;
    let since = args.string("since")?;
    let limit = args.limit()?;
    if files.is_empty() && symbols.is_empty() && since.is_none() {
        return Err("name what changes: `file`, `symbol` or `since`".to_string());
    }
    let root = context.root.to_path_buf();
    let changes = match since {
        Some(revision) => {
            crate::changes::changed_since(&root, revision).map_err(|err| err.to_string())?
        }
        None => Vec::new(),
    };
    let session = session(&mut context);
    let refreshed = refresh(session, &deleted_by(&changes))?;
    let analysis = session.analysis();
    let texts = Texts::new(&analysis.project);
    let question = Question {
        files: &files,
        symbols: &symbols,
        modules: &[],
        since: since.map(|revision| (revision, changes)),
    };
    let (seeds, _) = ask(&root, analysis, &texts, question).map_err(|err| err.to_string())?;
    let set = answer(analysis, &texts, &seeds, ImpactOptions::default());
    let graph = &analysis.symbols;
    let path = |f: usize| analysis.project.path(f);
    let mut tests: Vec<Value> = set
        .selection
        .iter()
        .map(|t| {
            // The chain of the closest reached test definition of this id.
            let chain = set
                .symbols
                .iter()
                .filter(|r| {
                    let node = &graph.nodes[r.node];
                    node.file == t.file
                        && node.test.is_some()
                        && crate::symbols::test_id(&analysis.project, &analysis.facts, node) == t.id
                })
                .min_by_key(|r| (r.weak, r.depth))
                .map(|r| {
                    let mut chain = r
                        .why
                        .iter()
                        .map(|h| {
                            format!(
                                "{}:{} {} {}",
                                path(graph.nodes[h.from].file),
                                h.line,
                                h.via.as_str(),
                                graph.nodes[h.to].name
                            )
                        })
                        .collect::<Vec<String>>();
                    crate::analysis::impact::mark_omitted(&mut chain, r.why_omitted);
                    chain
                })
                .unwrap_or_default();
            json!({ "id": t.id, "path": path(t.file), "weak": t.weak, "why": chain })
        })
        .collect();
    // Test files reached through imports, where no symbol layer selects.
    for &f in &set.tests {
        if graph.module_of.get(f).is_none_or(|m| m.is_none()) {
            tests.push(json!({ "id": path(f), "path": path(f), "weak": false, "why": [] }));
        }
    }
    Ok(finish(
        json!({ "tests": tests }),
        limit,
        Some((session, &refreshed)),
    ))
}

/// A file or a module, from `file` or `module` (one of them).
enum Node {
    File(usize),
    Module(usize),
}

fn node(analysis: &Analysis, args: &Args) -> Result<Node, String> {
    let project = &analysis.project;
    match (args.string("file")?, args.string("module")?) {
        (Some(path), None) => {
            let path = path.trim_start_matches("./");
            project.file(path).map(Node::File).ok_or_else(|| {
                let near = closest(path, project.files().iter().map(|f| f.path.as_str()));
                unknown("source file", path, near)
            })
        }
        (None, Some(query)) => module_named(analysis, query).map(Node::Module),
        _ => Err("give either `file` or `module`".to_string()),
    }
}

/// The module a query names (a name, a folder, a file in it).
fn module_named(analysis: &Analysis, query: &str) -> Result<usize, String> {
    let (name, _) = find_module(&analysis.project, &analysis.modules, query).ok_or_else(|| {
        let near = closest(query, analysis.modules.names.iter().map(String::as_str));
        unknown("module", query, near)
    })?;
    Ok(analysis.modules.id(&name).expect("found modules exist"))
}

fn unknown(what: &str, query: &str, near: Option<&str>) -> String {
    let mut message = format!("no {what} `{query}` in the repository");
    if let Some(near) = near {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    message
}

fn dependencies_tool(context: Context, arguments: &Arguments) -> Result<Value, String> {
    neighbours(
        context,
        arguments,
        "dependencies",
        petgraph::Direction::Outgoing,
    )
}

fn dependents_tool(context: Context, arguments: &Arguments) -> Result<Value, String> {
    neighbours(
        context,
        arguments,
        "dependents",
        petgraph::Direction::Incoming,
    )
}

/// Direct edges of a file or module, one direction.
fn neighbours(
    mut context: Context,
    arguments: &Arguments,
    tool: &str,
    direction: petgraph::Direction,
) -> Result<Value, String> {
    use petgraph::graph::NodeIndex;
    let args = Args::new(tool, arguments)?;
    let limit = args.limit()?;
    let session = session(&mut context);
    let refreshed = refresh(session, &[])?;
    let analysis = session.analysis();
    let project = &analysis.project;
    let site = |s: &crate::graph::Site| format!("{}:{}", project.path(s.from), s.line);
    let (of, graph, id) = match node(analysis, &args)? {
        Node::File(id) => (
            json!({ "file": project.path(id), "module": analysis.modules.names[analysis.modules.of_file[id]] }),
            &analysis.file_graph,
            id,
        ),
        Node::Module(id) => (
            json!({ "module": analysis.modules.names[id] }),
            &analysis.module_graph.graph,
            id,
        ),
    };
    let file_level = of.get("file").is_some();
    let mut edges: Vec<(String, Value)> = graph
        .graph
        .edges_directed(NodeIndex::new(id), direction)
        .map(|edge| {
            use petgraph::visit::EdgeRef;
            let other = match direction {
                petgraph::Direction::Outgoing => edge.target().index(),
                petgraph::Direction::Incoming => edge.source().index(),
            };
            let dependency = edge.weight();
            let sites: Vec<String> = dependency
                .sites
                .iter()
                .map(|s| {
                    if file_level {
                        site(s)
                    } else {
                        format!("{} -> {}", site(s), project.path(s.to))
                    }
                })
                .collect();
            let entry = if file_level {
                json!({
                    "file": project.path(other),
                    "module": analysis.modules.names[analysis.modules.of_file[other]],
                    "kind": dependency.kind.as_str(),
                    "site_count": sites.len(),
                    "sites": sites,
                })
            } else {
                json!({
                    "module": analysis.modules.names[other],
                    "kind": dependency.kind.as_str(),
                    "site_count": sites.len(),
                    "sites": sites,
                })
            };
            let key = if file_level {
                project.path(other).to_string()
            } else {
                analysis.modules.names[other].clone()
            };
            (key, entry)
        })
        .collect();
    edges.sort_by(|a, b| a.0.cmp(&b.0));
    let mut answer = json!({
        "of": of,
        "edges": edges.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
    });
    if let (true, petgraph::Direction::Outgoing) = (file_level, direction) {
        let external: Vec<Value> = analysis.facts[id]
            .imports
            .iter()
            .zip(&analysis.resolutions[id])
            .filter_map(|(import, resolution)| {
                let class = resolution.class()?;
                let mut entry = json!({
                    "import": import.specifier,
                    "class": class.as_str(),
                    "site": format!("{}:{}", project.path(id), import.line),
                });
                if let crate::resolve::Resolution::External { package }
                | crate::resolve::Resolution::Undeclared { package } = resolution
                {
                    entry["package"] = json!(package);
                }
                Some(entry)
            })
            .collect();
        answer["external"] = json!(external);
    }
    Ok(finish(answer, limit, Some((session, &refreshed))))
}

fn cycles_tool(mut context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("cycles", arguments)?;
    let level = match args.string("level")? {
        None | Some("module") => Level::Module,
        Some("file") => Level::File,
        Some(other) => return Err(format!("`level` is `module` or `file`, not `{other}`")),
    };
    let options = CycleOptions {
        runtime_only: args.flag("runtime_only")?,
    };
    let limit = args.limit()?;
    let session = session(&mut context);
    let refreshed = refresh(session, &[])?;
    let analysis = session.analysis();
    let components = find_cycles(report::graph_at(analysis, level), options);
    let view = CyclesView {
        analysis,
        level,
        options,
        components: &components,
    };
    let value = document(|out| report::json::write_cycles(out, &view));
    Ok(finish(value, limit, Some((session, &refreshed))))
}

fn coupling_tool(mut context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("coupling", arguments)?;
    let limit = args.limit()?;
    let wanted = args.string("module")?;
    let session = session(&mut context);
    let refreshed = refresh(session, &[])?;
    let analysis = session.analysis();
    let module = wanted
        .map(|query| module_named(analysis, query).map(|id| analysis.modules.names[id].clone()))
        .transpose()?;
    let coupling = analysis.coupling();
    let mut value = document(|out| report::json::write_coupling(out, analysis, &coupling));
    if let (Some(name), Some(object)) = (&module, value.as_object_mut()) {
        let involves = |item: &Value| {
            ["name", "from", "to", "a", "b", "dependent", "dependency"]
                .iter()
                .any(|key| item.get(*key).and_then(Value::as_str) == Some(name))
        };
        object.remove("dsm");
        for (_, list) in object.iter_mut() {
            if let Value::Array(items) = list {
                items.retain(|item| involves(item));
            }
        }
    }
    Ok(finish(value, limit, Some((session, &refreshed))))
}

fn duplicates_tool(mut context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("duplicates", arguments)?;
    let limit = args.limit()?;
    let mode = match args.string("mode")? {
        None | Some("renamed") => DupeMode::Renamed,
        Some("strict") => DupeMode::Strict,
        Some("blind") => DupeMode::Blind,
        Some(other) => return Err(format!("`mode` is renamed, strict or blind, not `{other}`")),
    };
    let min_tokens = args.integer("min_tokens", 5)?;
    let cross_module = args.flag("cross_module")?;
    let similarity = args.ratio("similarity")?;
    let near = args.flag("near")?;
    if similarity.is_some() && !near {
        return Err(
            "`similarity` is the least similarity of near-miss clones: it needs `near: true`"
                .to_string(),
        );
    }
    let session = session(&mut context);
    let refreshed = refresh(session, &[])?;
    let analysis = session.analysis();
    let within = match (args.string("file")?, args.string("module")?) {
        (None, None) => None,
        _ => Some(node(analysis, &args)?),
    };
    let options = DupeOptions {
        min_tokens: min_tokens
            .map(|n| n as usize)
            .or(analysis.config.dupes.min_tokens)
            .unwrap_or(50),
        mode,
    };
    let near = near.then(|| crate::analysis::near::NearOptions {
        min_tokens: options.min_tokens,
        similarity: similarity
            .or(analysis.config.dupes.near_similarity)
            .unwrap_or(crate::analysis::near::DEFAULT_SIMILARITY),
    });
    let found = crate::cli::dupes::find(analysis, options, near);
    let touches = |mut files: &mut dyn Iterator<Item = usize>| match within {
        None => true,
        Some(Node::File(file)) => Iterator::any(&mut files, |f| f == file),
        Some(Node::Module(module)) => {
            Iterator::any(&mut files, |f| analysis.modules.of_file[f] == module)
        }
    };
    let classes: Vec<_> = found
        .classes
        .iter()
        .filter(|c| {
            touches(&mut c.members.iter().map(|m| m.file))
                && (!cross_module || crate::cli::dupes::spans_modules(analysis, c))
        })
        .cloned()
        .collect();
    let near_classes: Vec<_> = found
        .near
        .iter()
        .flat_map(|n| &n.classes)
        .filter(|c| {
            touches(&mut c.members.iter().map(|m| m.unit.file))
                && (!cross_module || crate::cli::dupes::near_spans_modules(analysis, c))
        })
        .cloned()
        .collect();
    let filter = report::ClassFilter {
        cross_module,
        top: None,
    };
    let mut view = found.view(analysis, &classes, filter, Vec::new());
    view.near = found.near.as_ref().map(|n| n.view(analysis, &near_classes));
    let mut value = document(|out| report::json::write_dupes(out, &view));
    // The shares of the file or module asked about, not of every one.
    if let Some(within) = &within
        && let Some(duplication) = value.get_mut("duplication")
    {
        let (key, name) = match within {
            Node::File(file) => ("by_file", analysis.project.path(*file).to_string()),
            Node::Module(module) => ("by_module", analysis.modules.names[*module].clone()),
        };
        for list in ["by_file", "by_module"] {
            if let Some(Value::Array(items)) = duplication.get_mut(list) {
                items.retain(|item| {
                    list == key
                        && [item.get("path"), item.get("name")]
                            .into_iter()
                            .flatten()
                            .any(|v| v.as_str() == Some(name.as_str()))
                });
            }
        }
    }
    Ok(finish(value, limit, Some((session, &refreshed))))
}

fn check_tool(mut context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("check", arguments)?;
    let limit = args.limit()?;
    let root = context.root.to_path_buf();
    let baseline = args.string("baseline")?;
    // An agent names a file of the repository: nothing outside it is read.
    let known = baseline
        .map(|path| {
            // Written inside (no absolute path, no `..` out), and not
            // leading out through a link either.
            let full = (!std::path::Path::new(path).is_absolute())
                .then(|| crate::project::join("", path))
                .flatten()
                .filter(|inside| !inside.is_empty())
                .map(|inside| root.join(inside))
                .filter(|full| {
                    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
                    full.canonicalize()
                        .map_or(true, |target| target.starts_with(&canonical_root))
                })
                .ok_or_else(|| format!("baseline `{path}` is no file inside the repository"))?;
            crate::cli::check::read_baseline(&full).map_err(|err| err.to_string())
        })
        .transpose()?;
    let session = session(&mut context);
    let refreshed = refresh(session, &[])?;
    let analysis = session.analysis();
    let rule_set = RuleSet::check(&analysis.config);
    let gate = crate::cli::check::gate(analysis, &rule_set, known.as_deref());
    let comparison = report::Comparison {
        baseline: baseline.map(str::to_string),
        ..report::Comparison::default()
    };
    let view = report::CheckView {
        analysis,
        findings: &gate.findings,
        statuses: &gate.statuses,
        measured: &gate.measured,
        gone: &gate.gone,
        comparison,
        root_label: root.display().to_string(),
    };
    let value = document(|out| report::json::write_check(out, &view));
    Ok(finish(value, limit, Some((session, &refreshed))))
}

fn flags_list_tool(context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("flags_list", arguments)?;
    let limit = args.limit()?;
    let store = crate::store::Store::open_existing(context.root, context.store)
        .map_err(|err| err.to_string())?;
    let rows = store
        .list(args.string("agent")?, args.flag("all")?)
        .map_err(|err| err.to_string())?;
    let value = document(|out| report::json::write_flag_rows(out, &rows));
    Ok(finish(value, limit, None))
}

fn flags_complete_tool(context: Context, arguments: &Arguments) -> Result<Value, String> {
    let args = Args::new("flags_complete", arguments)?;
    let id = args
        .integer("id", 1)?
        .ok_or("`id` is required: the FLAG to complete")?;
    let by = match args.string("by")? {
        Some(by) => by.to_string(),
        None => crate::config::Config::load(context.root, None)
            .map_err(|err| err.to_string())?
            .flag_source(),
    };
    let mut store = crate::store::Store::open_existing(context.root, context.store)
        .map_err(|err| err.to_string())?;
    store
        .complete(id, &by, args.string("note")?)
        .map_err(|err| err.to_string())?;
    Ok(json!({ "completed": id, "by": crate::store::handle(&by) }))
}
