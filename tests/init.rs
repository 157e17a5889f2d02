//! `vantage init` on fixtures/init (its README.md works the measures out by
//! hand): the proposal's modules, limits, layers and baseline; `check`
//! passing on the code as it is, then failing on each kind of regression
//! with exactly the rules that regression breaks; a moved module; files
//! never overwritten without --force; `check` without any configuration.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

fn vantage(root: &Path, args: &[&str]) -> Output {
    std::process::Command::cargo_bin("vantage")
        .unwrap()
        .args(args)
        .arg(root)
        .args(["--no-cache", "--quiet"])
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("init"), dir.path());
    dir
}

fn init(root: &Path) {
    let output = vantage(root, &["init"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
}

/// `check`'s failing rules, by id (JSON output), and its exit code.
fn failing(root: &Path) -> (BTreeSet<String>, i32) {
    let output = vantage(root, &["check", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&output.stderr)));
    let rules = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["fails"] == true)
        .map(|v| v["rule"].as_str().unwrap().to_string())
        .collect();
    (rules, output.status.code().unwrap())
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn edit(root: &Path, file: &str, change: impl FnOnce(String) -> String) {
    let path = root.join(file);
    let before = std::fs::read_to_string(&path).unwrap();
    let after = change(before.clone());
    assert_ne!(before, after, "{file} unchanged");
    std::fs::write(path, after).unwrap();
}

#[test]
fn the_proposal_holds_todays_measures() {
    let dir = repository();
    let root = dir.path();
    init(root);
    let written = std::fs::read_to_string(root.join("vantage.toml")).unwrap();
    let config: toml::Table = toml::from_str(&written).unwrap();

    // Pinned as detected: the lone package's folders, its __init__.py.
    let modules = config["modules"].as_table().unwrap();
    let pinned: Vec<(&str, &str)> = modules
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
        .collect();
    assert_eq!(
        pinned,
        [
            ("shop", "shop/__init__.py"),
            ("shop/api", "shop/api"),
            ("shop/domain", "shop/domain"),
            ("shop/infra", "shop/infra"),
            ("shop/jobs", "shop/jobs"),
            ("tests", "tests"),
        ]
    );

    let check = config["check"].as_table().unwrap();
    assert_eq!(check["baseline"].as_str(), Some("vantage-baseline.json"));
    // 22 of 39 code lines are the two copies of compact/sweep: 56.41%.
    assert_eq!(check["max_duplication"].as_float(), Some(56.5));
    assert_eq!(check["max_clone_lines"].as_integer(), Some(11));
    assert_eq!(check["max_cycle_files"].as_integer(), Some(1));
    assert_eq!(check["module_cycles"].as_str(), Some("forbid"));
    assert_eq!(check["dangling_imports"].as_str(), Some("forbid"));
    let limits = |key: &str| -> Vec<(String, f64)> {
        check[key]
            .as_table()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_float().unwrap()))
            .collect()
    };
    // shop/__init__.py has no code line: no share, no limit.
    assert_eq!(
        limits("max_module_duplication"),
        [
            ("shop/api".to_string(), 0.0),
            ("shop/domain".to_string(), 0.0),
            ("shop/infra".to_string(), 78.6),
            ("shop/jobs".to_string(), 100.0),
            ("tests".to_string(), 0.0),
        ]
    );
    // domain: Ce 1 (orders.py), Ca 2 (views.py, test_orders.py): 1/3.
    // infra: imported only. api and tests (1.0) get none; shop and jobs
    // neither import nor are imported.
    assert_eq!(
        limits("max_instability"),
        [
            ("shop/domain".to_string(), 0.34),
            ("shop/infra".to_string(), 0.0)
        ]
    );

    let layers = config["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 1);
    let order: Vec<Value> = layers[0]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| serde_json::to_value(l).unwrap())
        .collect();
    assert_eq!(
        order,
        [
            serde_json::json!(["shop/api", "tests"]),
            serde_json::json!("shop/domain"),
            serde_json::json!("shop/infra"),
        ]
    );

    // Today's one violation: views.py imports a name orders.py lacks.
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("vantage-baseline.json")).unwrap())
            .unwrap();
    let known: Vec<(&str, &str)> = baseline["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["rule"].as_str().unwrap(), v["location"].as_str().unwrap()))
        .collect();
    assert_eq!(known, [("import.dangling", "shop/api/views.py:1")]);

    // Same input, same bytes.
    let again = repository();
    init(again.path());
    assert_eq!(
        std::fs::read_to_string(again.path().join("vantage.toml")).unwrap(),
        written
    );
}

#[test]
fn check_passes_today_and_fails_on_each_regression() {
    let fresh = || {
        let dir = repository();
        init(dir.path());
        dir
    };
    let dir = fresh();
    assert_eq!(failing(dir.path()), (set(&[]), 0));
    let output = vantage(dir.path(), &["check"]);
    assert!(
        text(&output.stdout).contains("1 known in the baseline"),
        "{}",
        text(&output.stdout)
    );

    // infra importing the api: a cycle of modules and of two files, an
    // upward import across the layers, and infra's instability from 0 to
    // 1/3. Duplication falls (one more code line).
    let dir = fresh();
    edit(dir.path(), "shop/infra/db.py", |t| {
        format!("from shop.api.views import create\n{t}")
    });
    assert_eq!(
        failing(dir.path()),
        (
            set(&[
                "cycle.module",
                "cycle.files",
                "layer.violation",
                "coupling.instability"
            ]),
            1
        )
    );

    // A third copy of the clone, in a module of its own copies: the total
    // grows (33 of 50 lines), shop/jobs stays at 100%, no clone is longer.
    let dir = fresh();
    let copy = std::fs::read_to_string(dir.path().join("shop/jobs/cleanup.py"))
        .unwrap()
        .replace("sweep", "purge");
    std::fs::write(dir.path().join("shop/jobs/purge.py"), copy).unwrap();
    assert_eq!(failing(dir.path()), (set(&["duplication.total"]), 1));

    // A second import of a name that does not exist, on a file pair that
    // already depends: nothing else moves.
    let dir = fresh();
    edit(dir.path(), "shop/domain/orders.py", |t| {
        t.replace(
            "from shop.infra.db import save",
            "from shop.infra.db import save, vacuum",
        )
    });
    assert_eq!(failing(dir.path()), (set(&["import.dangling"]), 1));

    // The known violation deleted: passes, and says the baseline entry is
    // gone.
    let dir = fresh();
    edit(dir.path(), "shop/api/views.py", |t| {
        t.replace("import place, refund_all", "import place")
    });
    let output = vantage(dir.path(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["gone"].as_array().unwrap().len(), 1, "{doc}");

    // A module's folder moved: the configuration names a module that is
    // gone, which is an error naming it, not a silent pass.
    let dir = fresh();
    std::fs::rename(dir.path().join("shop/jobs"), dir.path().join("shop/tasks")).unwrap();
    let output = vantage(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("`shop/jobs`, which matches no module") && stderr.contains("shop/tasks"),
        "{stderr}"
    );
}

#[test]
fn nothing_is_overwritten_without_force() {
    let dir = repository();
    let root = dir.path();
    std::fs::write(root.join("vantage.toml"), "# mine\nexclude = [\"tests\"]\n").unwrap();
    let output = vantage(root, &["init"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("vantage.toml exists"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("vantage.toml")).unwrap(),
        "# mine\nexclude = [\"tests\"]\n"
    );
    assert!(!root.join("vantage-baseline.json").exists());

    // --force: the old file kept as .bak, its excludes carried over and
    // obeyed (no `tests` module any more).
    let output = vantage(root, &["init", "--force"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        std::fs::read_to_string(root.join("vantage.toml.bak")).unwrap(),
        "# mine\nexclude = [\"tests\"]\n"
    );
    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("vantage.toml")).unwrap()).unwrap();
    assert_eq!(
        config["exclude"].as_array().unwrap()[0].as_str(),
        Some("tests")
    );
    assert!(!config["modules"].as_table().unwrap().contains_key("tests"));
    assert_eq!(failing(root), (set(&[]), 0));
}

#[test]
fn check_without_rules_says_so_once_and_points_to_init() {
    let dir = repository();
    let output = vantage(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("no rules to check") && stdout.contains("vantage init"),
        "{stdout}"
    );
    assert_eq!(text(&output.stderr), "");

    // A configuration without rules: the same, naming the file.
    std::fs::write(dir.path().join("vantage.toml"), "exclude = [\"tests\"]\n").unwrap();
    let output = vantage(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("vantage.toml sets no [check] limit"),
        "{stdout}"
    );
}
