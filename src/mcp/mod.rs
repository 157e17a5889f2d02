//! `vantage mcp`: a Model Context Protocol server over stdio, for the
//! coordinating agent. One JSON-RPC 2.0 message per line in, one per line
//! out; logs on standard error.
//!
//! Why not rmcp, the reference Rust SDK: it is built on tokio, and this
//! server's work is CPU-bound rayon work answered one call at a time over
//! stdio; the part of the protocol a tools-only server speaks (initialize
//! with version negotiation, ping, tools/list, tools/call, notifications)
//! is small and specified to the field, and the integration tests and
//! `bench/mcp_client.py` (the Python SDK's own client) hold it to the
//! specification.
//!
//! The analysis is built in the background as soon as the server starts
//! (initialize answers at once), kept warm in a [`Session`], and brought
//! up to date before each call. A call's failure (an unknown file, a
//! revision git does not know) is a tool result with `isError`, so the
//! agent reads the message; a malformed message is a JSON-RPC error; the
//! server keeps serving either way.

mod tools;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

use serde_json::{Value, json};

use crate::Error;
use crate::pipeline::Options;
use crate::session::Session;

/// Newest first; an unknown version asked for gets the newest.
pub const PROTOCOL_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const INTERNAL_ERROR: i64 = -32603;

enum State {
    Starting(JoinHandle<Result<Session, Error>>),
    Ready(Box<Session>),
    Failed(String),
}

pub struct Server {
    root: PathBuf,
    /// `--store`: the FLAG store the flags tools use.
    store: Option<PathBuf>,
    pool: Arc<rayon::ThreadPool>,
    state: Option<State>,
    /// The protocol version agreed at initialize.
    version: &'static str,
}

impl Server {
    /// Starts building the analysis of `root` in the background.
    pub fn start(
        root: PathBuf,
        store: Option<PathBuf>,
        options: Options,
        watch: bool,
    ) -> Result<Server, Error> {
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(n) = options.threads {
            builder = builder.num_threads(n);
        }
        let pool = Arc::new(builder.build().map_err(|err| Error::Threads {
            threads: options.threads.unwrap_or(0),
            message: err.to_string(),
        })?);
        // Usage errors (no such folder, a broken vantage.toml) fail now,
        // before any client waits on them.
        crate::pipeline::prepare(&root, &options)?;
        let handle = {
            let (root, pool) = (root.clone(), Arc::clone(&pool));
            std::thread::spawn(move || pool.install(|| Session::open(&root, options, watch)))
        };
        Ok(Server {
            root,
            store,
            pool,
            state: Some(State::Starting(handle)),
            version: PROTOCOL_VERSIONS[0],
        })
    }

    /// Serves until the input ends.
    pub fn serve(&mut self, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
        for line in split_lines(input) {
            let line = line?;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if let Some(reply) = self.handle_line(&line) {
                let mut text = serde_json::to_vec(&reply).expect("replies serialise");
                text.push(b'\n');
                output.write_all(&text)?;
                output.flush()?;
            }
        }
        Ok(())
    }

    /// The reply to one line, if it needs one.
    pub fn handle_line(&mut self, line: &[u8]) -> Option<Value> {
        let message: Value = match serde_json::from_slice(line) {
            Ok(message) => message,
            Err(err) => {
                return Some(error(
                    Value::Null,
                    PARSE_ERROR,
                    &format!("parse error: {err}"),
                ));
            }
        };
        match message {
            // A batch (protocol 2025-03-26).
            Value::Array(items) if items.is_empty() => {
                Some(error(Value::Null, INVALID_REQUEST, "an empty batch"))
            }
            Value::Array(items) => {
                let replies: Vec<Value> =
                    items.into_iter().filter_map(|m| self.handle(m)).collect();
                (!replies.is_empty()).then_some(Value::Array(replies))
            }
            message => self.handle(message),
        }
    }

    fn handle(&mut self, message: Value) -> Option<Value> {
        let Value::Object(object) = message else {
            return Some(error(
                Value::Null,
                INVALID_REQUEST,
                "a message is a JSON object",
            ));
        };
        let id = object.get("id").cloned();
        let id_ok = matches!(id, None | Some(Value::String(_)) | Some(Value::Number(_)));
        if object.get("jsonrpc") != Some(&json!("2.0")) || !id_ok {
            return Some(error(
                id.filter(|_| id_ok).unwrap_or(Value::Null),
                INVALID_REQUEST,
                "not a JSON-RPC 2.0 request: it needs \"jsonrpc\": \"2.0\", a \"method\" and a string or number \"id\"",
            ));
        }
        let Some(method) = object.get("method").and_then(Value::as_str) else {
            // A response to us (we send no requests) or garbage.
            return id.map(|id| error(id, INVALID_REQUEST, "a request needs a \"method\""));
        };
        let params = object.get("params").cloned().unwrap_or(Value::Null);
        let Some(id) = id else {
            // Notifications (initialized, cancelled, ...) need no answer.
            return None;
        };
        let result = match method {
            "initialize" => Ok(self.initialize(&params)),
            "ping" => Ok(json!({})),
            "tools/list" => Ok(json!({ "tools": tools::list() })),
            "tools/call" => self.call(&params),
            "resources/list" => Ok(json!({ "resources": [] })),
            "prompts/list" => Ok(json!({ "prompts": [] })),
            _ => Err((METHOD_NOT_FOUND, format!("no method `{method}`"))),
        };
        Some(match result {
            Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
            Err((code, message)) => error(id, code, &message),
        })
    }

    fn initialize(&mut self, params: &Value) -> Value {
        let asked = params.get("protocolVersion").and_then(Value::as_str);
        self.version = PROTOCOL_VERSIONS
            .iter()
            .find(|v| Some(**v) == asked)
            .copied()
            .unwrap_or(PROTOCOL_VERSIONS[0]);
        json!({
            "protocolVersion": self.version,
            "capabilities": { "tools": { "listChanged": false } },
            "serverInfo": {
                "name": "vantage",
                "title": "vantage: dependency graph, impact, cycles, coupling and clones",
                "version": env!("CARGO_PKG_VERSION"),
            },
            "instructions": format!(
                "Static analysis of the repository at {}: the dependency graph of its files and modules (Python, TypeScript/JavaScript, PHP, Rust). Ask `impact` what a change to a file, symbol or module breaks before making it; `dependencies`/`dependents` for direct imports with file:line sites; `cycles`, `coupling`, `duplicates` and `check` for the architecture; `flags_list`/`flags_complete` for the agents' FLAG store. The graph stays warm and follows edits to the files.",
                self.root.display()
            ),
        })
    }

    fn call(&mut self, params: &Value) -> Result<Value, (i64, String)> {
        let name = params
            .get("name")
            .and_then(Value::as_str)
            .ok_or((INVALID_PARAMS, "tools/call needs a tool `name`".to_string()))?;
        let tool = tools::find(name).ok_or_else(|| {
            let names: Vec<&str> = tools::list_names();
            (
                INVALID_PARAMS,
                format!("no tool `{name}`; the tools are {}", names.join(", ")),
            )
        })?;
        let empty = serde_json::Map::new();
        let arguments = match params.get("arguments") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(arguments)) => arguments,
            Some(_) => return Ok(tool_error("`arguments` must be an object")),
        };
        if tool.needs_analysis {
            self.ready().map_err(|message| (INTERNAL_ERROR, message))?;
        }
        let session = match &mut self.state {
            Some(State::Ready(session)) => Some(session.as_mut()),
            _ => None,
        };
        let context = tools::Context {
            root: &self.root,
            store: self.store.as_deref(),
            session,
        };
        let pool = &self.pool;
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| (tool.run)(context, arguments))
        }));
        Ok(match answer {
            Ok(Ok(value)) => tool_result(value),
            Ok(Err(message)) => tool_error(&message),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                eprintln!("vantage mcp: `{name}` failed: {what}");
                tool_error(&format!(
                    "internal error in `{name}`: {what} (a bug in vantage; the server goes on)"
                ))
            }
        })
    }

    /// Waits for the first analysis, once.
    fn ready(&mut self) -> Result<(), String> {
        let state = self.state.take().expect("a state");
        let state = match state {
            State::Starting(handle) => match handle.join() {
                Ok(Ok(session)) => State::Ready(Box::new(session)),
                Ok(Err(err)) => State::Failed(err.to_string()),
                Err(_) => State::Failed("the analysis stopped on an internal error".to_string()),
            },
            other => other,
        };
        let outcome = match &state {
            State::Failed(message) => {
                Err(format!("the repository could not be analysed: {message}"))
            }
            _ => Ok(()),
        };
        self.state = Some(state);
        outcome
    }
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

/// A tool's answer: the structured result, and the same as text for
/// clients that read only `content`.
fn tool_result(value: Value) -> Value {
    let text = serde_json::to_string(&value).expect("results serialise");
    json!({
        "content": [{ "type": "text", "text": text }],
        "structuredContent": value,
        "isError": false,
    })
}

fn tool_error(message: &str) -> Value {
    json!({
        "content": [{ "type": "text", "text": message }],
        "isError": true,
    })
}

/// Lines as bytes (a line that is not UTF-8 is a parse error, not the end).
fn split_lines(input: impl BufRead) -> impl Iterator<Item = std::io::Result<Vec<u8>>> {
    input.split(b'\n').map(|line| {
        line.map(|mut line| {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            line
        })
    })
}
