//! The symbol level: `graph --level symbol` on fixtures/symbols/{python,ts}
//! against the edges worked out by hand (each fixture's README.md says
//! why each edge is there; expected.txt holds them), and `impact` through
//! the symbol graph on copies of those fixtures made git repositories and
//! changed: a body edit reaches callers of callers and the tests that
//! reach them; a removed or re-signatured definition breaks what still
//! uses it; a fixture reaches the tests that take it.

mod common;

use std::path::Path;

use serde_json::Value;

fn vantage(args: &[&str]) -> String {
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn graph_text(root: &Path) -> String {
    vantage(&["graph", root.to_str().unwrap(), "--level", "symbol"])
}

#[test]
fn python_symbol_graph_is_the_hand_worked_one() {
    let root = common::fixture("symbols/python");
    let expected = std::fs::read_to_string(root.join("expected.txt")).unwrap();
    assert_eq!(graph_text(&root), expected);
}

#[test]
fn typescript_symbol_graph_is_the_hand_worked_one() {
    let root = common::fixture("symbols/ts");
    let expected = std::fs::read_to_string(root.join("expected.txt")).unwrap();
    assert_eq!(graph_text(&root), expected);
}

#[test]
fn php_symbol_graph_is_the_hand_worked_one() {
    let root = common::fixture("symbols/php");
    let expected = std::fs::read_to_string(root.join("expected.txt")).unwrap();
    assert_eq!(graph_text(&root), expected);
}

/// `Model::validate` is called by `Model::save` (`$this->validate()`) and
/// by `Order::validate` (`parent::validate()`); `save` by `Order::cancel`
/// and `OrderService::open`; those by `OrderService::cancel` and the
/// PHPUnit case `testOpen`, whose file is the test to run.
#[test]
fn a_php_method_reaches_callers_of_callers_and_the_phpunit_file() {
    let doc: Value = serde_json::from_str(&vantage(&[
        "impact",
        common::fixture("symbols/php").to_str().unwrap(),
        "--symbol",
        "App\\Models\\Model::validate",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        reached(&doc),
        [
            "1 App\\Models\\Model::save call",
            "1 App\\Models\\Order::validate call",
            "2 App\\Models\\Order::cancel call",
            "2 App\\Services\\OrderService::open call",
            "3 App\\Services\\OrderService::cancel call",
            "3 Tests\\OrderServiceTest::testOpen call",
        ]
    );
    assert_eq!(tests_to_run(&doc), ["tests/OrderServiceTest.php"]);
}

/// `Customer::isActive` deleted: the two methods still calling it on a
/// `Customer` break (through a promoted property, and on what
/// `Order::customer()` returns).
#[test]
fn a_removed_php_method_breaks_its_callers() {
    let repo = Repo::new("symbols/php");
    repo.edit(
        "src/Models/Customer.php",
        "    public function isActive(): bool\n    {\n        return true;\n    }\n",
        "",
    );
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(
        reached(&doc),
        [
            "1 App\\Models\\Order::validate broken",
            "1 App\\Services\\OrderService::cancel broken",
        ]
    );
}

#[test]
fn the_json_graph_names_symbols_marks_tests_and_lists_what_was_not_followed() {
    let root = common::fixture("symbols/python");
    let path = root.to_str().unwrap();
    let text = vantage(&[
        "graph", path, "--level", "symbol", "--format", "json", "-j", "1",
    ]);
    assert_eq!(
        text,
        vantage(&[
            "graph", path, "--level", "symbol", "--format", "json", "-j", "2"
        ]),
        "the same bytes at any thread count"
    );
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["level"], "symbol");
    let symbols = doc["symbols"].as_array().unwrap();
    let find = |name: &str| {
        symbols
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name} is a symbol"))
    };
    let checkout = find("shop.services.OrderService.checkout");
    assert_eq!(checkout["kind"], "method");
    assert_eq!(checkout["path"], "shop/services.py");
    // The decorator is part of the definition.
    assert_eq!(
        (checkout["line"].as_u64(), checkout["end_line"].as_u64()),
        (Some(16), Some(23))
    );
    assert_eq!(find("shop.services")["kind"], "module");
    // Two conftest.py modules would share the name `conftest`: both are
    // named by their paths.
    assert_eq!(find("tests.unit.conftest.service")["kind"], "function");
    let tests: Vec<(&str, &str)> = symbols
        .iter()
        .filter_map(|s| Some((s["name"].as_str()?, s["test"].as_str()?)))
        .collect();
    assert_eq!(
        tests,
        [
            ("test_checkout", "file"),
            ("test_checkout.test_checkout", "case"),
            ("test_checkout.TestRepo.test_get", "case"),
            ("test_checkout.RepoCase.test_missing", "case"),
        ]
    );
    let unresolved = &doc["unresolved"];
    assert_eq!(unresolved["total"], 2);
    assert_eq!(
        unresolved["uses"],
        serde_json::json!([
            {"from": "shop.repo.OrderRepo.missing", "path": "shop/repo.py", "line": 9,
             "name": "Order.nothing_here", "kind": "call", "reason": "missing",
             "missing_in": "shop.models.Order"},
            {"from": "shop.services.OrderService.lookup", "path": "shop/services.py", "line": 26,
             "name": "other.frobnicate", "kind": "call", "reason": "unknown_receiver"},
        ])
    );
    let edge = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["from"] == "shop.services.OrderService.checkout" && e["to"] == "shop.services.audit"
        })
        .expect("the decorator's call");
    assert_eq!(edge["kind"], "call");
    assert_eq!(
        edge["sites"],
        serde_json::json!([{"line": 16, "load": true}])
    );
}

/// A copy of a fixture as a git repository, one commit on `base`.
struct Repo(tempfile::TempDir);

impl Repo {
    fn new(fixture: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        common::copy_dir(&common::fixture(fixture), dir.path());
        std::fs::remove_file(dir.path().join("expected.txt")).ok();
        common::git(dir.path(), &["init", "-q", "-b", "base"]);
        common::git(dir.path(), &["add", "."]);
        common::git(dir.path(), &["commit", "-q", "-m", "base"]);
        Repo(dir)
    }

    fn path(&self) -> &str {
        self.0.path().to_str().unwrap()
    }

    fn edit(&self, file: &str, old: &str, new: &str) {
        let path = self.0.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(old), "{file} lacks {old:?}");
        std::fs::write(path, text.replacen(old, new, 1)).unwrap();
    }

    fn impact(&self, args: &[&str]) -> Value {
        let mut all = vec!["impact", self.path()];
        all.extend(args);
        all.extend(["--format", "json"]);
        serde_json::from_str(&vantage(&all)).unwrap()
    }

    fn tests(&self) -> String {
        vantage(&["impact", self.path(), "--since", "base", "--tests"])
    }
}

/// `depth name via`, strong first, then ` weak` ones.
fn reached(doc: &Value) -> Vec<String> {
    doc["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {} {}{}",
                s["depth"],
                s["name"].as_str().unwrap(),
                s["via"].as_str().unwrap(),
                if s["weak"] == true { " weak" } else { "" }
            )
        })
        .collect()
}

fn tests_to_run(doc: &Value) -> Vec<String> {
    doc["tests_to_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

/// `Base.validate` is called by `Base.save` and by `Audited.validate`
/// (through `super()`); `save` by `checkout` (on an `Order`, whose
/// linearisation reaches `Base.save`), `checkout` by `test_checkout` (on
/// the fixture nearest to it, whose value is an `OrderService`).
#[test]
fn a_method_reaches_callers_of_callers_and_the_test_that_runs_them() {
    let doc: Value = serde_json::from_str(&vantage(&[
        "impact",
        common::fixture("symbols/python").to_str().unwrap(),
        "--symbol",
        "shop.models.Base.validate",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        reached(&doc),
        [
            "1 shop.models.Base.save call",
            "1 shop.models.Audited.validate call",
            "2 shop.services.OrderService.checkout call",
            "3 test_checkout.test_checkout call",
        ]
    );
    let why = &doc["symbols"][3]["why"];
    assert_eq!(
        why,
        &serde_json::json!([
            {"from": "test_checkout.test_checkout", "path": "tests/unit/test_checkout.py", "line": 9,
             "to": "shop.services.OrderService.checkout", "via": "call"},
            {"from": "shop.services.OrderService.checkout", "path": "shop/services.py", "line": 19,
             "to": "shop.models.Base.save", "via": "call"},
            {"from": "shop.models.Base.save", "path": "shop/models.py", "line": 3,
             "to": "shop.models.Base.validate", "via": "call"},
        ])
    );
    assert_eq!(
        tests_to_run(&doc),
        ["tests/unit/test_checkout.py::test_checkout"]
    );
}

/// `helper` comes into services.py through `from shop.util import *`;
/// only `checkout` calls it, and only `test_checkout` calls `checkout`
/// (the other two cases of its file are not selected).
#[test]
fn a_body_edit_selects_only_the_tests_that_reach_it() {
    let repo = Repo::new("symbols/python");
    repo.edit("shop/util.py", "return x", "return x + 0");
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(
        reached(&doc),
        [
            "1 shop.services.OrderService.checkout call",
            "2 test_checkout.test_checkout call",
        ]
    );
    assert_eq!(repo.tests(), "tests/unit/test_checkout.py::test_checkout\n");
}

/// `Order.total` deleted: `checkout` still calls `order.total()` on an
/// `Order`, whose bases are all in the repository, so the name is
/// missing: broken; the test calling `checkout` follows.
#[test]
fn a_removed_method_breaks_its_callers() {
    let repo = Repo::new("symbols/python");
    repo.edit(
        "shop/models.py",
        "\n    def total(self) -> int:\n        return self.price() + 1\n",
        "",
    );
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(doc["targets"][0]["removed"], serde_json::json!(["total"]));
    assert_eq!(
        reached(&doc),
        [
            "1 shop.services.OrderService.checkout broken",
            "2 test_checkout.test_checkout call",
        ]
    );
    assert_eq!(doc["risk"]["level"], "high");
    assert_eq!(doc["risk"]["broken"], 1);
}

/// An autouse fixture of tests/conftest.py applies to every case below
/// it: the three cases of test_checkout.py, none of which names it but
/// `TestRepo` (through `usefixtures`).
#[test]
fn an_autouse_fixture_reaches_every_case_below_it() {
    let repo = Repo::new("symbols/python");
    repo.edit("tests/conftest.py", "    yield\n", "    yield None\n");
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(
        reached(&doc),
        [
            "1 test_checkout.test_checkout fixture",
            "1 test_checkout.TestRepo.test_get fixture",
            "1 test_checkout.RepoCase.test_missing fixture",
        ]
    );
    assert_eq!(
        repo.tests(),
        "tests/unit/test_checkout.py::RepoCase::test_missing\ntests/unit/test_checkout.py::TestRepo::test_get\ntests/unit/test_checkout.py::test_checkout\n"
    );
}

/// A new parameter of `OrderRepo.get` breaks each use of it (checkout,
/// lookup, test_get), and what calls those.
#[test]
fn a_changed_signature_breaks_every_use() {
    let repo = Repo::new("symbols/python");
    repo.edit(
        "shop/repo.py",
        "def get(self, order_id)",
        "def get(self, order_id, strict)",
    );
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(
        reached(&doc),
        [
            "1 shop.services.OrderService.checkout broken",
            "1 shop.services.OrderService.lookup broken",
            "1 test_checkout.TestRepo.test_get broken",
            "2 test_checkout.test_checkout call",
        ]
    );
    assert_eq!(
        tests_to_run(&doc),
        [
            "tests/unit/test_checkout.py::TestRepo::test_get",
            "tests/unit/test_checkout.py::test_checkout",
        ]
    );
}

/// `--level file` keeps the import cascade: every importer of an
/// importer of util.py (services.py, the conftest files importing it,
/// none of the test file's imports reach util.py).
#[test]
fn the_file_level_keeps_the_import_cascade() {
    let repo = Repo::new("symbols/python");
    repo.edit("shop/util.py", "return x", "return x + 0");
    let doc = repo.impact(&["--since", "base", "--level", "file"]);
    let files: Vec<&str> = doc["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "shop/services.py",
            "tests/conftest.py",
            "tests/unit/conftest.py"
        ]
    );
    assert_eq!(doc["symbols"], serde_json::json!([]));
}

/// TypeScript's two name spaces: `Guest` is a value and a type; deleting
/// the value breaks the value use (`return Guest`, line 29), not the type
/// use (`guest(): Guest`, line 28), even through the barrel's `export *`.
#[test]
fn a_deleted_value_breaks_value_uses_and_not_type_uses() {
    let repo = Repo::new("symbols/ts");
    repo.edit(
        "src/models/user.ts",
        "export const Guest = new User(\"guest\");\n",
        "",
    );
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(doc["targets"][0]["removed"], serde_json::json!(["Guest"]));
    assert_eq!(reached(&doc), ["1 src/service.ts#UserService.guest broken"]);
    assert_eq!(doc["symbols"][0]["why"][0]["line"], 29);
}

/// A change to what `find` returns reaches `rename` (through the
/// constructor's parameter property `repo`), then the test module, whose
/// case calls `rename` on what `makeService` returns; and `exercise` and
/// `walk`, whose callbacks' `repo`, `each` are `UserRepo`s by `Batch`'s
/// signature.
#[test]
fn a_typescript_method_reaches_the_test_file_through_properties() {
    let repo = Repo::new("symbols/ts");
    repo.edit(
        "src/repo.ts",
        "return new User(id);",
        "return new User(id.trim());",
    );
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(
        reached(&doc),
        [
            "1 src/repo.ts#exercise call",
            "1 src/repo.ts#walk call",
            "1 src/service.ts#UserService.rename call",
            "2 test/service.test.ts call",
        ]
    );
    assert_eq!(repo.tests(), "test/service.test.ts\n");
}

#[test]
fn rust_symbol_graph_is_the_hand_worked_one() {
    let root = common::fixture("symbols/rust");
    let expected = std::fs::read_to_string(root.join("expected.txt")).unwrap();
    assert_eq!(graph_text(&root), expected);
}

/// `Order::close` deleted: `OrderService::close` still calls it on the
/// `Order` that `Repository::find` returns, and breaks; nothing else
/// named `close` is in the repository, so nothing else is reached.
#[test]
fn a_removed_rust_method_breaks_its_callers() {
    let repo = Repo::new("symbols/rust");
    repo.edit(
        "src/models/order.rs",
        "    pub fn close(&mut self) {\n        self.status = Status::Closed;\n    }\n",
        "",
    );
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(
        reached(&doc),
        ["1 shop::service::OrderService::close broken"]
    );
}

/// The compiler's and the test runner's word on the Rust fixture: each
/// function of the package made to panic in turn (`panic!` as its first
/// statement), `cargo test` says which tests fail; vantage's tests to
/// run after that change must name every one of them (libtest's names).
#[test]
fn rust_tests_to_run_cover_what_cargo_test_fails_after_each_mutation() {
    const MUTANTS: &[(&str, &str)] = &[
        ("src/models/mod.rs", "    fn validate(&self) -> bool {"),
        ("src/models/order.rs", "    pub fn new(id: u64) -> Self {"),
        ("src/models/order.rs", "    pub fn total(&self) -> u64 {"),
        ("src/models/order.rs", "    pub fn close(&mut self) {"),
        (
            "src/models/order.rs",
            "    fn problems(&self) -> Vec<String> {",
        ),
        ("src/util.rs", "pub fn round(cents: u64) -> u64 {"),
        (
            "src/service.rs",
            "    pub fn new(repo: Box<dyn Repository>) -> Self {",
        ),
        (
            "src/service.rs",
            "    pub fn open(&mut self, id: u64) -> Order {",
        ),
        (
            "src/service.rs",
            "    pub fn close(&mut self, id: u64) -> Option<OrderStatus> {",
        ),
        (
            "src/service.rs",
            "pub fn describe(repo: &dyn Repository, id: u64) -> String {",
        ),
        (
            "src/service.rs",
            "        fn find(&self, _id: u64) -> Option<Order> {",
        ),
        (
            "tests/checkout.rs",
            "    fn find(&self, id: u64) -> Option<Order> {",
        ),
        (
            "tests/checkout.rs",
            "    fn save(&mut self, order: Order) {",
        ),
    ];
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let target = tempfile::tempdir().unwrap();
    let run_tests = |dir: &str| -> (bool, Vec<String>) {
        let output = std::process::Command::new(&cargo)
            .args(["test", "--offline", "--no-fail-fast"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target.path())
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .output()
            .expect("cargo runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(
            !text.contains("error[") && !text.contains("error:") || text.contains("test result"),
            "the fixture builds: {text}"
        );
        let failing = text
            .lines()
            .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
            .map(str::to_string)
            .collect();
        (output.status.success(), failing)
    };
    let repo = Repo::new("symbols/rust");
    let (green, none) = run_tests(repo.path());
    assert!(
        green && none.is_empty(),
        "the fixture's tests pass: {none:?}"
    );
    let mut killed = 0;
    for (file, line) in MUTANTS {
        repo.edit(
            file,
            line,
            &format!("{line}\n        panic!(\"vantage-mutant\");"),
        );
        let (_, failing) = run_tests(repo.path());
        let doc = repo.impact(&["--since", "base"]);
        let selected = tests_to_run(&doc);
        for test in &failing {
            assert!(
                selected.contains(test),
                "{file}: `{line}` fails {test}, not among {selected:?}"
            );
        }
        killed += usize::from(!failing.is_empty());
        common::git(repo.0.path(), &["checkout", "-q", "--", "."]);
    }
    // The oracle itself works: most mutants fail a test.
    assert!(
        killed >= 8,
        "{killed} of {} mutants failed a test",
        MUTANTS.len()
    );
}

/// A getter's body changed: `badgeLabel` reads it on the `Badge` that the
/// static arrow `Badge.of` returns (a strong edge); `labelOf` reads a
/// `label` of unknown type (weak, by name).
#[test]
fn a_typescript_getter_reaches_its_readers() {
    let repo = Repo::new("symbols/ts");
    repo.edit(
        "src/models/user.ts",
        "return this.owner.name;",
        "return this.owner.name.trim();",
    );
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(
        reached(&doc),
        [
            "1 src/service.ts#badgeLabel reference",
            "1 src/service.ts#labelOf unresolved weak",
        ]
    );
}

/// A change inside a getter of an object literal changes the function
/// that builds the literal: both are seeds, and the test module calling
/// the function is reached strongly.
#[test]
fn a_definition_inside_a_function_seeds_the_function_too() {
    let repo = Repo::new("symbols/ts");
    repo.edit(
        "src/service.ts",
        "      return user.name;",
        "      return user.name.trim();",
    );
    let doc = repo.impact(&["--since", "base"]);
    assert_eq!(
        doc["targets"][0]["symbols"],
        serde_json::json!([
            "src/service.ts#describeUser",
            "src/service.ts#describeUser.title"
        ])
    );
    assert_eq!(reached(&doc), ["1 test/service.test.ts call"]);
    assert_eq!(tests_to_run(&doc), ["test/service.test.ts"]);
}

/// JavaScript: a parameter of a function passed to a call (`(e, error) =>
/// error.message`) names its value inside that function only; before it,
/// and outside it, `error` is the imported function.
#[test]
fn a_passed_functions_parameter_hides_no_import_outside_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.js"),
        "import { error } from \"./log.js\";\n\nexport function f(p) {\n  error(\"x\");\n  p.catch((e, error) => error.message);\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("log.js"),
        "export function error(m) {\n  return m;\n}\n",
    )
    .unwrap();
    assert_eq!(
        graph_text(dir.path()),
        "a.js (a.js:1)\n  -> log.js#error [import] line 1\na.js#f (a.js:3)\n  -> log.js#error [call] line 4\n\n4 symbols, 2 edges; 1 uses unresolved (1 unknown receiver)\n"
    );
}
