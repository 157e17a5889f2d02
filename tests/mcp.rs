//! `vantage mcp` driven over stdio as a client does: the handshake, the
//! tool list with schemas, every tool (answers checked against the graph
//! of fixtures/polyglot/expected.txt and validated against each tool's
//! output schema), an edit between two `impact` calls, and malformed
//! messages that leave the server serving.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next: i64,
    schemas: std::collections::HashMap<String, Value>,
}

impl Client {
    fn start(root: &Path, extra: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vantage"))
            .arg("mcp")
            .arg(root)
            .args(["--no-cache"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            stdout,
            next: 0,
            schemas: Default::default(),
        }
    }

    fn send_raw(&mut self, line: &str) -> Value {
        self.stdin.write_all(line.as_bytes()).unwrap();
        self.stdin.write_all(b"\n").unwrap();
        self.stdin.flush().unwrap();
        let mut reply = String::new();
        self.stdout.read_line(&mut reply).unwrap();
        assert!(reply.ends_with('\n'), "one message per line: {reply:?}");
        serde_json::from_str(&reply).unwrap_or_else(|e| panic!("{e}: {reply}"))
    }

    fn notify(&mut self, method: &str) {
        let line = json!({ "jsonrpc": "2.0", "method": method }).to_string();
        self.stdin
            .write_all(format!("{line}\n").as_bytes())
            .unwrap();
        self.stdin.flush().unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let reply = self.send_raw(
            &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string(),
        );
        assert_eq!(reply["jsonrpc"], "2.0");
        assert_eq!(reply["id"], id, "{reply}");
        reply
    }

    /// A successful tool call's structured result, checked against the
    /// tool's output schema and against its text content.
    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let reply = self.request(
            "tools/call",
            json!({ "name": tool, "arguments": arguments }),
        );
        let result = &reply["result"];
        assert_eq!(result["isError"], false, "{tool}: {reply}");
        let structured = result["structuredContent"].clone();
        let text = result["content"][0]["text"].as_str().unwrap();
        assert_eq!(serde_json::from_str::<Value>(text).unwrap(), structured);
        let schema = &self.schemas[tool];
        let validator = jsonschema::validator_for(schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&structured)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{tool}: {errors:?}\n{structured}");
        structured
    }

    /// A failed tool call's message.
    fn call_error(&mut self, tool: &str, arguments: Value) -> String {
        let reply = self.request(
            "tools/call",
            json!({ "name": tool, "arguments": arguments }),
        );
        assert_eq!(reply["result"]["isError"], true, "{reply}");
        reply["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn initialize(&mut self) {
        let reply = self.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": { "name": "vantage-tests", "version": "1" }
            }),
        );
        assert_eq!(reply["result"]["protocolVersion"], "2025-06-18");
        assert_eq!(reply["result"]["serverInfo"]["name"], "vantage");
        assert!(reply["result"]["capabilities"]["tools"].is_object());
        self.notify("notifications/initialized");
        let tools = self.request("tools/list", json!({}));
        for tool in tools["result"]["tools"].as_array().unwrap() {
            let name = tool["name"].as_str().unwrap().to_string();
            assert_eq!(tool["inputSchema"]["type"], "object", "{name}");
            assert!(!tool["description"].as_str().unwrap().is_empty());
            // Every schema compiles.
            jsonschema::validator_for(&tool["inputSchema"]).unwrap();
            self.schemas.insert(name, tool["outputSchema"].clone());
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("polyglot"), dir.path());
    // A copied client: a clone class for `duplicates`.
    std::fs::copy(
        dir.path().join("gateway/src/clients/orders.ts"),
        dir.path().join("gateway/src/clients/orders_copy.ts"),
    )
    .unwrap();
    dir
}

/// The paths of a clone class's members, in order.
fn member_paths(class: &Value) -> Vec<&str> {
    class["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect()
}

fn paths(answer: &Value, list: &str, key: &str) -> Vec<String> {
    let mut out: Vec<String> = answer[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn every_tool_answers_from_the_warm_graph_and_follows_an_edit() {
    let repo = repository();
    let mut client = Client::start(repo.path(), &[]);
    client.initialize();
    let mut names: Vec<&String> = client.schemas.keys().collect();
    names.sort();
    assert_eq!(
        names,
        [
            "callees",
            "callers",
            "check",
            "coupling",
            "cycles",
            "dependencies",
            "dependents",
            "duplicates",
            "flags_complete",
            "flags_list",
            "impact",
            "models",
            "routes",
            "tests_for",
            "trace",
        ]
    );

    // tokens.py is imported by service.py (line 3, at load) and by
    // charge.py (line 8, type-only); __init__.py imports service.py and
    // charge.py imports __init__.py: all three reached by loading imports.
    let before = client.call(
        "impact",
        json!({ "file": "backend/shop/auth/tokens.py", "level": "file" }),
    );
    assert_eq!(
        paths(&before, "impacted", "path"),
        [
            "backend/shop/orders/__init__.py",
            "backend/shop/orders/service.py",
            "backend/shop/payments/charge.py",
        ]
    );
    assert_eq!(before["risk"]["files"], 3);
    assert_eq!(before["truncated"], false);
    let service = before["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == "backend/shop/orders/service.py")
        .unwrap();
    assert_eq!(service["depth"], 1);
    assert_eq!(service["why"][0], "backend/shop/orders/service.py:3");

    // The edit: service.py stops importing tokens. Only charge.py's
    // type-only import is left: the same files are reached (service.py
    // imports charge.py, now at line 3, and __init__.py service.py), but
    // only through it, so all are weak and none is a risk.
    let service_py = repo.path().join("backend/shop/orders/service.py");
    let text = std::fs::read_to_string(&service_py).unwrap();
    std::fs::write(
        &service_py,
        text.replace("from shop.auth.tokens import verify\n", ""),
    )
    .unwrap();
    let after = client.call(
        "impact",
        json!({ "file": "backend/shop/auth/tokens.py", "level": "file" }),
    );
    let chains: Vec<(String, i64, bool, Value)> = after["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let path = i["path"].as_str().unwrap().to_string();
            (
                path,
                i["depth"].as_i64().unwrap(),
                i["weak"].as_bool().unwrap(),
                i["why"].clone(),
            )
        })
        .collect();
    assert_eq!(
        chains,
        [
            (
                "backend/shop/payments/charge.py".to_string(),
                1,
                true,
                json!([
                    "backend/shop/payments/charge.py:8",
                    "backend/shop/auth/tokens.py"
                ])
            ),
            (
                "backend/shop/orders/service.py".to_string(),
                2,
                true,
                json!([
                    "backend/shop/orders/service.py:3",
                    "backend/shop/payments/charge.py:8",
                    "backend/shop/auth/tokens.py"
                ])
            ),
            (
                "backend/shop/orders/__init__.py".to_string(),
                3,
                true,
                json!([
                    "backend/shop/orders/__init__.py:1",
                    "backend/shop/orders/service.py:3",
                    "backend/shop/payments/charge.py:8",
                    "backend/shop/auth/tokens.py"
                ])
            ),
        ]
    );
    assert_eq!(after["risk"]["files"], 0);
    assert_eq!(after["risk"]["weak"], 3);
    assert_eq!(after["risk"]["level"], "low");
    assert_eq!(
        after["freshness"]["reparsed"],
        json!(["backend/shop/orders/service.py"])
    );
    assert!(
        after["freshness"]["generation"].as_i64().unwrap()
            > before["freshness"]["generation"].as_i64().unwrap()
    );

    // A limit cuts the list and says so.
    let cut = client.call(
        "impact",
        json!({ "module": "clients", "limit": 1, "level": "file" }),
    );
    assert_eq!(cut["truncated"], true);
    assert_eq!(cut["impacted"].as_array().unwrap().len(), 1);
    assert!(cut["impacted_total"].as_u64().unwrap() >= 2, "{cut}");

    // A symbol: `Stock` is imported by main.rs through lib.rs's `pub use`.
    let stock = client.call(
        "impact",
        json!({ "symbol": "Stock", "depth": 1, "level": "file" }),
    );
    assert!(
        paths(&stock, "impacted", "path").contains(&"inventory/api/src/main.rs".to_string()),
        "{stock}"
    );

    let dependencies = client.call(
        "dependencies",
        json!({ "file": "backend/shop/orders/service.py" }),
    );
    assert_eq!(
        dependencies["edges"],
        json!([{
            "file": "backend/shop/payments/charge.py", "module": "payments", "kind": "static",
            "site_count": 1, "sites": ["backend/shop/orders/service.py:3"]
        }])
    );
    assert_eq!(
        dependencies["external"],
        json!([{ "import": "dataclasses", "class": "stdlib", "site": "backend/shop/orders/service.py:1" }])
    );
    let dependents = client.call("dependents", json!({ "module": "auth" }));
    assert_eq!(paths(&dependents, "edges", "module"), ["payments"]);
    assert_eq!(dependents["edges"][0]["kind"], "type_only");
    assert_eq!(
        dependents["edges"][0]["sites"],
        json!(["backend/shop/payments/charge.py:8 -> backend/shop/auth/tokens.py"])
    );

    let cycles = client.call("cycles", json!({}));
    assert_eq!(cycles["components"].as_array().unwrap().len(), 1);
    assert_eq!(
        cycles["components"][0]["members"],
        json!(["orders", "payments"])
    );

    let coupling = client.call("coupling", json!({ "module": "orders" }));
    assert_eq!(paths(&coupling, "modules", "name"), ["orders"]);
    // After the edit orders depends on payments only; payments on orders
    // and (type-only) on auth.
    assert_eq!(coupling["modules"][0]["ce"], 1, "{coupling}");

    let check = client.call("check", json!({}));
    let rules: Vec<&str> = check["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["dependency.forbidden"], "{check}");
    assert_eq!(
        check["violations"][0]["location"]["path"],
        "backend/shop/payments/charge.py"
    );

    let duplicates = client.call(
        "duplicates",
        json!({ "file": "gateway/src/clients/orders_copy.ts", "min_tokens": 20 }),
    );
    let class = &duplicates["clone_classes"][0];
    assert_eq!(
        member_paths(class),
        [
            "gateway/src/clients/orders.ts",
            "gateway/src/clients/orders_copy.ts"
        ],
        "{class}"
    );
    assert_eq!(
        paths(&duplicates["duplication"], "by_file", "name"),
        ["gateway/src/clients/orders_copy.ts"]
    );

    // Questions the graph cannot answer are tool errors the agent reads.
    let message = client.call_error("impact", json!({ "file": "backend/shop/orders/servce.py" }));
    assert!(
        message.contains("did you mean `backend/shop/orders/service.py`"),
        "{message}"
    );
    let message = client.call_error("impact", json!({}));
    assert!(
        message.contains("`file`, `symbol`, `module` or `since`"),
        "{message}"
    );
    let message = client.call_error("cycles", json!({ "level": "galaxy" }));
    assert!(message.contains("`module` or `file`"), "{message}");
    let message = client.call_error("dependents", json!({ "files": "x" }));
    assert!(message.contains("no argument `files`"), "{message}");
    let message = client.call_error(
        "impact",
        json!({ "file": "backend/shop/auth/tokens.py", "since": "no-such-rev" }),
    );
    assert!(message.contains("no-such-rev"), "{message}");
    // And the server still serves.
    let again = client.call(
        "impact",
        json!({ "file": "backend/shop/auth/tokens.py", "level": "file" }),
    );
    assert_eq!(again["impacted"], after["impacted"]);
}

#[test]
fn malformed_messages_get_json_rpc_errors_and_the_server_goes_on() {
    let repo = repository();
    let mut client = Client::start(repo.path(), &["--no-watch"]);
    let reply = client.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ");
    assert_eq!(reply["error"]["code"], -32700);
    assert_eq!(reply["id"], Value::Null);
    let reply = client.send_raw("\u{fffd} not json at all");
    assert_eq!(reply["error"]["code"], -32700);
    let reply = client.send_raw("[]");
    assert_eq!(reply["error"]["code"], -32600);
    let reply = client.send_raw("{\"id\": 7, \"method\": \"ping\"}");
    assert_eq!(reply["error"]["code"], -32600);
    assert_eq!(reply["id"], 7);
    let reply = client.send_raw("42");
    assert_eq!(reply["error"]["code"], -32600);
    let reply = client.request("no/such/method", json!({}));
    assert_eq!(reply["error"]["code"], -32601);
    let reply = client.request("tools/call", json!({ "name": "teleport" }));
    assert_eq!(reply["error"]["code"], -32602);
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("impact")
    );
    let reply = client.request(
        "tools/call",
        json!({ "name": "impact", "arguments": [1, 2] }),
    );
    assert_eq!(reply["result"]["isError"], true);
    // A protocol version it does not know gets the newest it speaks.
    let reply = client.request(
        "initialize",
        json!({ "protocolVersion": "1999-01-01", "capabilities": {}, "clientInfo": { "name": "old", "version": "0" } }),
    );
    assert_eq!(
        reply["result"]["protocolVersion"],
        vantage::mcp::PROTOCOL_VERSIONS[0]
    );
    // A batch answers each request in it, not its notifications.
    let reply = client.send_raw(
        &json!([
            { "jsonrpc": "2.0", "id": "a", "method": "ping" },
            { "jsonrpc": "2.0", "method": "notifications/initialized" },
            { "jsonrpc": "2.0", "id": "b", "method": "ping" }
        ])
        .to_string(),
    );
    assert_eq!(
        reply,
        json!([
            { "jsonrpc": "2.0", "id": "a", "result": {} },
            { "jsonrpc": "2.0", "id": "b", "result": {} }
        ])
    );
    let reply = client.request("ping", json!({}));
    assert_eq!(reply["result"], json!({}));

    // What an agent names reaches neither a file outside the repository
    // nor git as an option.
    client.initialize();
    for path in ["/etc/passwd", "../outside.json", "a/../../outside.json"] {
        let message = client.call_error("check", json!({ "baseline": path }));
        assert!(
            message.contains("no file inside the repository"),
            "{message}"
        );
    }
    let message = client.call_error("impact", json!({ "since": "--output=/tmp/x" }));
    assert!(message.contains("no git revision"), "{message}");
}

#[test]
fn flags_are_listed_and_completed() {
    let repo = repository();
    let store = repo.path().join("flags.db");
    let status = Command::new(env!("CARGO_BIN_EXE_vantage"))
        .args(["analyze", "--flags", "--no-cache", "--store"])
        .arg(&store)
        .arg(repo.path())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mut client = Client::start(repo.path(), &["--store", store.to_str().unwrap()]);
    client.initialize();
    let listed = client.call("flags_list", json!({}));
    let flags = listed["flags"].as_array().unwrap().clone();
    assert!(!flags.is_empty(), "{listed}");
    let id = flags[0]["id"].as_i64().unwrap();
    let done = client.call(
        "flags_complete",
        json!({ "id": id, "note": "fixed in the test" }),
    );
    assert_eq!(done["completed"], id);
    let listed = client.call("flags_list", json!({}));
    assert_eq!(listed["flags"].as_array().unwrap().len(), flags.len() - 1);
    let message = client.call_error("flags_complete", json!({ "id": 999_999 }));
    assert!(message.contains("999999"), "{message}");
}

/// The symbol tools over the warm graph of fixtures/symbols/python (its
/// README says why each edge is there), then after an edit that makes
/// `TestRepo.test_get` call `helper` too.
#[test]
fn callers_callees_and_tests_for_follow_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("symbols/python"), dir.path());
    let mut client = Client::start(dir.path(), &[]);
    client.initialize();
    let names = |answer: &Value, key: &str| -> Vec<String> {
        answer[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    let callers = client.call("callers", json!({ "symbol": "Base.validate", "depth": 3 }));
    assert_eq!(names(&callers, "targets"), ["shop.models.Base.validate"]);
    assert_eq!(
        names(&callers, "symbols"),
        [
            "shop.models.Base.save",
            "shop.models.Audited.validate",
            "shop.services.OrderService.checkout",
            "test_checkout.test_checkout",
        ]
    );
    assert_eq!(callers["symbols"][2]["toward"], "shop.models.Base.save");
    assert_eq!(callers["symbols"][2]["lines"], json!([19]));
    let callees = client.call(
        "callees",
        json!({ "symbol": "OrderService.lookup", "calls_only": true }),
    );
    assert_eq!(
        names(&callees, "symbols"),
        ["shop.models.Customer.display", "shop.repo.OrderRepo.get"]
    );
    let tests = client.call("tests_for", json!({ "symbol": "shop.util.helper" }));
    assert_eq!(
        tests["tests"],
        json!([{
            "id": "tests/unit/test_checkout.py::test_checkout",
            "path": "tests/unit/test_checkout.py",
            "weak": false,
            "why": [
                "tests/unit/test_checkout.py:9 call shop.services.OrderService.checkout",
                "shop/services.py:22 call shop.util.helper"
            ]
        }])
    );

    let test_file = dir.path().join("tests/unit/test_checkout.py");
    let text = std::fs::read_to_string(&test_file).unwrap();
    let text = text
        .replace(
            "from shop.repo import OrderRepo\n",
            "from shop.repo import OrderRepo\nfrom shop.util import helper\n",
        )
        .replace(
            "        assert OrderRepo().get(1)\n",
            "        assert OrderRepo().get(1)\n        helper(1)\n",
        );
    std::fs::write(&test_file, text).unwrap();
    let tests = client.call("tests_for", json!({ "symbol": "shop.util.helper" }));
    let ids: Vec<&str> = tests["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "tests/unit/test_checkout.py::TestRepo::test_get",
            "tests/unit/test_checkout.py::test_checkout",
        ]
    );
    assert_eq!(
        tests["tests"][0]["why"],
        json!(["tests/unit/test_checkout.py:17 call shop.util.helper"])
    );
    assert_eq!(
        tests["freshness"]["reparsed"],
        json!(["tests/unit/test_checkout.py"])
    );
}

/// `duplicates` with `near` over fixtures/near (tests/dupes.rs works the
/// two classes out): asked about module `orders`, the invoice/order pair
/// and not the Rust one, with its similarity and differing lines; then
/// after an edit that makes the order a copy of the invoice token for
/// token (renamed), no near class is left to it: the exact search has it.
#[test]
fn near_misses_are_asked_for_and_follow_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("near"), dir.path());
    let mut client = Client::start(dir.path(), &["--no-watch"]);
    client.initialize();
    let ask = json!({ "near": true, "min_tokens": 36, "module": "orders" });
    let answer = client.call("duplicates", ask.clone());
    let near = &answer["near"];
    let members: Vec<String> = near["classes"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}:{} {} {}",
                m["path"].as_str().unwrap(),
                m["start_line"],
                m["similarity"],
                m["differing_lines"]
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            "invoices/validate.py:1 1.0 []",
            "orders/validate.py:1 0.952 [4,6]"
        ],
        "{answer}"
    );
    assert_eq!(near["classes"].as_array().unwrap().len(), 1, "{answer}");
    // Without `near`, the answer is that of `dupes` alone.
    let plain = client.call("duplicates", json!({ "min_tokens": 36 }));
    assert!(plain.get("near").is_none(), "{plain}");
    let message = client.call_error("duplicates", json!({ "similarity": 0.9 }));
    assert!(message.contains("needs `near: true`"), "{message}");
    let message = client.call_error("duplicates", json!({ "near": true, "similarity": 2 }));
    assert!(message.contains("from 0.5 to 1"), "{message}");

    // The order becomes the invoice renamed: a clone, no near miss.
    let invoice = std::fs::read_to_string(dir.path().join("invoices/validate.py")).unwrap();
    std::fs::write(
        dir.path().join("orders/validate.py"),
        invoice.replace("invoice", "order"),
    )
    .unwrap();
    let answer = client.call("duplicates", ask);
    assert_eq!(answer["near"]["classes"], json!([]), "{answer}");
    assert_eq!(
        member_paths(&answer["clone_classes"][0]),
        ["invoices/validate.py", "orders/validate.py"],
        "{answer}"
    );
}

#[test]
fn routes_are_listed_narrowed_and_follow_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("routes/flask_shop"), dir.path());
    let mut client = Client::start(dir.path(), &["--no-watch"]);
    client.initialize();
    let endpoints = |answer: &Value| -> Vec<String> {
        answer["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{} {}", r["methods"], r["path"].as_str().unwrap()))
            .collect()
    };
    let catalog = json!({ "prefix": "/catalog/", "unguarded": true });
    let answer = client.call("routes", catalog.clone());
    assert_eq!(
        endpoints(&answer),
        ["[\"GET\"] /catalog/", "[\"GET\"] /catalog/<slug>"],
        "{answer}"
    );
    assert_eq!(
        answer["routes"][0]["handler"]["symbol"],
        "flask_shop.catalog.list_products"
    );
    let message = client.call_error("routes", json!({ "module": "flask_sho" }));
    assert!(message.contains("did you mean"), "{message}");

    // The product page gets a guard: it is no longer unguarded.
    let path = dir.path().join("flask_shop/catalog.py");
    let source = std::fs::read_to_string(&path).unwrap();
    let guarded = source.replacen(
        "def product_detail(",
        "@login_required\ndef product_detail(",
        1,
    );
    assert_ne!(source, guarded);
    std::fs::write(&path, guarded).unwrap();
    let answer = client.call("routes", catalog);
    assert_eq!(endpoints(&answer), ["[\"GET\"] /catalog/"], "{answer}");
}

#[test]
fn a_trace_is_answered_and_follows_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("routes/trace_shop"), dir.path());
    let mut client = Client::start(dir.path(), &["--no-watch"]);
    client.initialize();
    let ask = json!({ "endpoint": "GET /orders/3/" });
    let effects = |answer: &Value| -> Vec<String> {
        answer["traces"][0]["effects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["kind"].as_str().unwrap(),
                    e["call"].as_str().unwrap()
                )
            })
            .collect()
    };
    let answer = client.call("trace", ask.clone());
    assert_eq!(
        effects(&answer),
        [
            "queue send_receipt.delay",
            "database Order.objects.select_related().get"
        ],
        "{answer}"
    );
    let message = client.call_error("trace", json!({ "endpoint": "GET /nowhere/" }));
    assert!(message.contains("no endpoint"), "{message}");

    // The repository now reads through the cache first.
    let path = dir.path().join("orders/repositories.py");
    let source = std::fs::read_to_string(&path).unwrap();
    let cached = source
        .replace(
            "from orders.models import Order\n",
            "from django.core.cache import cache\n\nfrom orders.models import Order\n",
        )
        .replace(
            "        return Order",
            "        cache.get(pk)\n        return Order",
        );
    assert_ne!(source, cached);
    std::fs::write(&path, cached).unwrap();
    let answer = client.call("trace", ask);
    assert_eq!(
        effects(&answer),
        [
            "queue send_receipt.delay",
            "cache cache.get",
            "database Order.objects.select_related().get"
        ],
        "{answer}"
    );
}

#[test]
fn models_are_answered_and_follow_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("routes/trace_shop"), dir.path());
    let mut client = Client::start(dir.path(), &["--no-watch"]);
    client.initialize();
    let ask = json!({ "model": "Order" });
    let answer = client.call("models", ask.clone());
    let models = answer["models"].as_array().unwrap();
    assert_eq!(models.len(), 1, "{answer}");
    assert_eq!(models[0]["symbol"], "orders.models.Order");
    assert_eq!(models[0]["table"], "orders_order");
    assert_eq!(
        models[0]["relations"][0]["target"],
        "orders.models.Customer"
    );
    assert_eq!(models[0]["endpoints"], json!(["GET /orders/<int:pk>/"]));
    let message = client.call_error("models", json!({ "model": "Ordr" }));
    assert!(message.contains("did you mean `Order`"), "{message}");

    // The foreign key is dropped and a status added: the next answer
    // says so without a restart.
    let path = dir.path().join("orders/models.py");
    let source = std::fs::read_to_string(&path).unwrap();
    let edited = source.replace(
        "    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)\n",
        "    status = models.CharField(max_length=20, db_index=True)\n",
    );
    assert_ne!(source, edited);
    std::fs::write(&path, edited).unwrap();
    let answer = client.call("models", ask);
    let order = &answer["models"][0];
    assert_eq!(order["relations"], json!([]), "{answer}");
    assert_eq!(order["fields"][0]["name"], "status", "{answer}");
    assert_eq!(order["fields"][0]["index"], true, "{answer}");
}
