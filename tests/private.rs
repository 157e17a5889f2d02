//! `[[forbid]] private = true`: a module may use another only through its
//! public definitions. fixtures/private holds one pair of modules per
//! language; its README.md works out by hand each use the rule flags and
//! each it lets pass.

mod common;

use std::path::Path;
use std::process::Output;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

fn vantage(args: &[&str]) -> Output {
    std::process::Command::cargo_bin("vantage")
        .unwrap()
        .args(args)
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap()
}

fn copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("private"), dir.path());
    dir
}

/// `check --format json`: each violation as (rule, `path:line`, what the
/// message says after its rule part).
fn check(root: &Path) -> (i32, Vec<(String, String, String)>) {
    let output = vantage(&["check", root.to_str().unwrap(), "--format", "json"]);
    let code = output.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut found: Vec<(String, String, String)> = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let l = &v["location"];
            let message = v["message"].as_str().unwrap();
            (
                v["rule"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}",
                    l["path"].as_str().unwrap(),
                    l["start_line"].as_u64().unwrap()
                ),
                message
                    .split_once(": ")
                    .map_or(message, |(_, said)| said)
                    .to_string(),
            )
        })
        .collect();
    found.sort();
    (code, found)
}

/// The sixteen uses of fixtures/private/README.md, as (place, use).
const EXPECTED: [(&str, &str); 16] = [
    (
        "php/src/App/Main.php:12",
        "`Shop\\App\\Main::run` calls `Shop\\Lib\\Store::flush`, which is private",
    ),
    (
        "php/src/App/Main.php:13",
        "`Shop\\App\\Main::run` calls `Shop\\Lib\\Registry::reset`, which is private",
    ),
    (
        "php/src/App/Main.php:13",
        "`Shop\\App\\Main::run` reads `Shop\\Lib\\Registry`, which is private",
    ),
    (
        "py/app/service.py:11",
        "`app.service.run` calls `lib.core.Store._write`, which is private",
    ),
    (
        "py/app/service.py:12",
        "`app.service.run` calls `lib.core._Cache.get`, which is private",
    ),
    (
        "py/app/service.py:12",
        "`app.service.run` instantiates `lib.core._Cache`, which is private",
    ),
    (
        "py/app/service.py:2",
        "`app.service` imports `lib.core._Cache`, which is private",
    ),
    (
        "py/app/service.py:2",
        "`app.service` imports `lib.core._normalise`, which is private",
    ),
    (
        "py/app/service.py:7",
        "`app.service.run` calls `lib.core._normalise`, which is private",
    ),
    (
        "rust/src/app/mod.rs:5",
        "`engine::app::run` calls `engine::core::Engine::refuel`, which is private",
    ),
    (
        "rust/src/app/mod.rs:6",
        "`engine::app::run` calls `engine::core::__private_api`, which is private",
    ),
    (
        "rust/src/app/mod.rs:7",
        "`engine::app::run` calls `engine::core::helper`, which is private",
    ),
    (
        "rust/src/app/mod.rs:7",
        "`engine::app::run` reads `engine::core::Engine::fuel`, which is private",
    ),
    (
        "ts/app/main.ts:1",
        "`ts/app/main.ts` imports `ts/lib/store.ts#resetForTests`, which is private",
    ),
    (
        "ts/app/main.ts:6",
        "`ts/app/main.ts#main` calls `ts/lib/store.ts#Store.flush`, which is private",
    ),
    (
        "ts/app/main.ts:7",
        "`ts/app/main.ts#main` calls `ts/lib/store.ts#resetForTests`, which is private",
    ),
];

fn expected(keep: impl Fn(&str) -> bool) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = EXPECTED
        .iter()
        .filter(|(place, _)| keep(place))
        .map(|(place, said)| {
            (
                "dependency.private".to_string(),
                place.to_string(),
                said.to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn edit(root: &Path, relative: &str, old: &str, new: &str) {
    let path = root.join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(old), "{relative} lacks {old:?}");
    std::fs::write(&path, text.replace(old, new)).unwrap();
}

#[test]
fn every_use_of_a_private_definition_across_modules_fails_the_check() {
    let (code, found) = check(&common::fixture("private"));
    assert_eq!(code, 1);
    assert_eq!(found, expected(|_| true));
}

#[test]
fn the_rule_judges_only_the_module_pairs_it_names() {
    let repo = copy();
    edit(
        repo.path(),
        "vantage.toml",
        "from = \"*\"\nto = \"*\"",
        "from = \"py_app\"\nto = \"py_lib\"",
    );
    let (code, found) = check(repo.path());
    assert_eq!(code, 1);
    assert_eq!(found, expected(|place| place.starts_with("py/")));
    // The other way round nothing is used.
    edit(
        repo.path(),
        "vantage.toml",
        "from = \"py_app\"\nto = \"py_lib\"",
        "from = \"py_lib\"\nto = \"py_app\"",
    );
    let (code, found) = check(repo.path());
    assert_eq!((code, found), (0, Vec::new()));
}

#[test]
fn making_a_definition_public_or_moving_the_use_clears_its_findings() {
    let repo = copy();
    // Python: `_normalise` renamed `normalise` everywhere is public.
    for file in ["py/lib/core.py", "py/app/service.py"] {
        edit(repo.path(), file, "_normalise", "normalise");
    }
    // TypeScript: the `@internal` tag of `flush` removed.
    edit(
        repo.path(),
        "ts/lib/store.ts",
        "  /** @internal */\n  flush",
        "  flush",
    );
    // PHP: Main.php moved into the library's own module.
    std::fs::rename(
        repo.path().join("php/src/App/Main.php"),
        repo.path().join("php/src/Lib/Main.php"),
    )
    .unwrap();
    edit(
        repo.path(),
        "php/src/Lib/Main.php",
        "namespace Shop\\App;",
        "namespace Shop\\Lib;",
    );
    // Rust: `refuel` made `pub`, `__private_api` no longer hidden.
    edit(
        repo.path(),
        "rust/src/core/mod.rs",
        "pub(crate) fn refuel",
        "pub fn refuel",
    );
    edit(repo.path(), "rust/src/core/mod.rs", "#[doc(hidden)]\n", "");
    let (code, found) = check(repo.path());
    assert_eq!(code, 1);
    let gone = [
        "_normalise",
        "Store.flush",
        "Shop\\",
        "Engine::refuel",
        "__private_api",
    ];
    let want: Vec<_> = expected(|_| true)
        .into_iter()
        .filter(|(_, _, said)| !gone.iter().any(|g| said.contains(g)))
        .collect();
    assert_eq!(found, want);
    assert_eq!(found.len(), 8, "{found:#?}");
}

#[test]
fn analyze_writes_one_private_use_flag_per_module_pair_to_the_user() {
    let repo = copy();
    let store = repo.path().join("flags.db");
    let run = || {
        let output = vantage(&[
            "analyze",
            repo.path().to_str().unwrap(),
            "--flags",
            "--store",
            store.to_str().unwrap(),
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run();
    let rows = || -> Vec<(String, String, String, String)> {
        let conn = rusqlite::Connection::open(&store).unwrap();
        let mut rows: Vec<(String, String, String, String)> = conn
            .prepare(
                "SELECT target_agent, status, change_description, json_extract(context, '$.definitions') FROM flags WHERE json_extract(context, '$.kind') = 'private_use'",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        rows
    };
    let first = rows();
    let agents: Vec<(&str, &str)> = first.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
    assert_eq!(
        agents,
        [
            ("@acolyte.php_app", "pending"),
            ("@acolyte.py_app", "pending"),
            ("@acolyte.rs_app", "pending"),
            ("@acolyte.ts_app", "pending"),
        ]
    );
    let python = &first[1];
    assert_eq!(
        python.2,
        "Module `py_app` uses 4 private definitions of `py_lib`, which vantage.toml lets it use only through its public ones (modules talk through their public API): `lib.core.Store._write`; `lib.core._Cache`; `lib.core._Cache.get`; and 1 more."
    );
    assert_eq!(
        python.3,
        r#"["lib.core.Store._write","lib.core._Cache","lib.core._Cache.get","lib.core._normalise"]"#
    );
    // The TypeScript uses removed: its FLAG completes, the others stay.
    edit(
        repo.path(),
        "ts/app/main.ts",
        "  store.flush();\n  resetForTests();\n",
        "",
    );
    edit(repo.path(), "ts/app/main.ts", "resetForTests, ", "");
    run();
    let statuses: Vec<(String, String)> = rows().into_iter().map(|r| (r.0, r.1)).collect();
    assert_eq!(
        statuses,
        [
            ("@acolyte.php_app".to_string(), "pending".to_string()),
            ("@acolyte.py_app".to_string(), "pending".to_string()),
            ("@acolyte.rs_app".to_string(), "pending".to_string()),
            ("@acolyte.ts_app".to_string(), "completed".to_string()),
        ]
    );
}
