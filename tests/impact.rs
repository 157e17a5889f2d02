//! `vantage impact` on fixtures/impact, whose answers were worked out by
//! hand from its twelve files (see its README):
//!
//! `User` (src/models/user.ts) is used by the two other definitions of its
//! file: `Group` (`members: User[]`) and `makeUser` (returns a `User`), so
//! a change to it reaches what imports those too, each saying that `User`
//! carried it. Then:
//! - src/api/all.ts imports the whole module (`import * as models`):
//!   depth 1, via the module;
//! - src/models/index.ts (`export * from './user'`) and src/index.ts
//!   (`export { User }`, `export { makeUser as newUser }`) only pass names
//!   on: they are transparent (depth 1, via `reexport`, not counted for the
//!   risk), and their importers sit at the depth they would have without
//!   them: src/api/profile.ts imports `{ User }` from src/index.ts (depth
//!   1), src/api/signup.ts imports `newUser` (depth 1, carried by `User`);
//! - src/api/groups.ts imports `Group` from user.ts: depth 1, carried by
//!   `User`;
//! - profile.ts uses it: everything that imports profile.ts is reached at
//!   depth 2 (profile.test.ts, views/card.ts, views/page.ts, cycle/a.ts),
//!   then app.ts (imports both views; card comes first in path order, so
//!   the chain goes through card) and cycle/b.ts at depth 3.
//!
//! `makeUser` is re-exported by src/index.ts as `newUser`: signup.ts is
//! reached under the new name, profile.ts is not.

mod common;

use std::path::Path;

use serde_json::Value;

fn run_impact(root: &Path, args: &[&str]) -> Value {
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .arg("impact")
        .arg(root)
        .args(args)
        // These tests pin the import-level cascade (tests/symbols.rs the
        // definition level).
        .args(["--format", "json", "--level", "file"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn impact(args: &[&str]) -> Value {
    run_impact(&common::fixture("impact"), args)
}

/// `depth path via`, one per impacted file, in report order, ` weak` after
/// those reached only through lazy, dynamic or type-only imports.
fn impacted(doc: &Value) -> Vec<String> {
    doc["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}{}",
                f["depth"],
                f["path"].as_str().unwrap(),
                f["via"].as_str().unwrap(),
                if f["weak"] == true { " weak" } else { "" }
            )
        })
        .collect()
}

/// The why-chain of one impacted file as `path:line -> ... -> target`.
fn chain(doc: &Value, path: &str) -> String {
    let file = doc["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not impacted"));
    let hops: Vec<&str> = file["why"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    hops.join(" -> ")
}

#[test]
fn a_symbol_reaches_through_barrels_and_then_cascades() {
    let doc = impact(&["--symbol", "User"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 src/api/all.ts module",
            "1 src/api/groups.ts name",
            "1 src/api/profile.ts name",
            "1 src/api/signup.ts name",
            "1 src/index.ts reexport",
            "1 src/models/index.ts reexport",
            "2 src/api/profile.test.ts file",
            "2 src/cycle/a.ts file",
            "2 src/views/card.ts file",
            "2 src/views/page.ts file",
            "3 src/app.ts file",
            "3 src/cycle/b.ts file",
        ]
    );
    let carried: Vec<(String, String)> = doc["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["carried_by"].is_string())
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                format!(
                    "{} by {}",
                    f["name"].as_str().unwrap(),
                    f["carried_by"].as_str().unwrap()
                ),
            )
        })
        .collect();
    assert_eq!(
        carried,
        [
            ("src/api/groups.ts".to_string(), "Group by User".to_string()),
            (
                "src/api/signup.ts".to_string(),
                "newUser by User".to_string()
            ),
        ]
    );
    assert_eq!(
        chain(&doc, "src/api/profile.ts"),
        "src/api/profile.ts:1 -> src/index.ts:1 -> src/models/index.ts:1 -> src/models/user.ts"
    );
    assert_eq!(
        chain(&doc, "src/app.ts"),
        "src/app.ts:2 -> src/views/card.ts:1 -> src/api/profile.ts:1 -> src/index.ts:1 \
         -> src/models/index.ts:1 -> src/models/user.ts"
    );
    let modules: Vec<String> = doc["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| format!("{} {}", m["name"].as_str().unwrap(), m["files"]))
        .collect();
    // The barrels count for no module: src/models holds only one.
    assert_eq!(
        modules,
        ["src/api 5", "src/cycle 2", "src/views 2", "src 1"]
    );
    assert_eq!(doc["tests"], serde_json::json!(["src/api/profile.test.ts"]));
    // Fan-in counts direct dependents, barrels aside (all, groups, profile,
    // signup): 4; four modules make it high.
    assert_eq!(
        doc["risk"],
        serde_json::json!({"level": "high", "fan_in": 4, "files": 10, "modules": 4, "max_depth": 3, "tests": 1, "broken": 0, "weak": 0})
    );
    let target = &doc["targets"][0];
    assert_eq!(target["kind"], "symbol");
    assert_eq!(target["definitions"][0]["kind"], "class");
    assert_eq!(target["definitions"][0]["start_line"], 1);
}

#[test]
fn a_symbol_nobody_passes_on_stays_local() {
    let doc = impact(&["--symbol", "Group"]);
    // Nothing else in user.ts uses `Group`.
    assert_eq!(
        impacted(&doc),
        [
            "1 src/api/all.ts module",
            "1 src/api/groups.ts name",
            "1 src/models/index.ts reexport",
        ]
    );
    // index.ts re-exports only `User` and `makeUser`: the barrel chain ends.
    // Two direct dependents in one module: low.
    assert_eq!(doc["risk"]["level"], "low");
    assert_eq!(doc["risk"]["fan_in"], 2);
}

#[test]
fn a_renamed_re_export_is_followed_under_its_new_name() {
    let doc = impact(&["--symbol", "makeUser"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 src/api/all.ts module",
            "1 src/api/signup.ts name",
            "1 src/index.ts reexport",
            "1 src/models/index.ts reexport",
        ]
    );
    assert_eq!(
        chain(&doc, "src/api/signup.ts"),
        "src/api/signup.ts:1 -> src/index.ts:2 -> src/models/index.ts:1 -> src/models/user.ts"
    );
}

#[test]
fn a_file_target_and_a_depth_limit() {
    let doc = impact(&["--file", "src/api/profile.ts"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 src/api/profile.test.ts file",
            "1 src/cycle/a.ts file",
            "1 src/views/card.ts file",
            "1 src/views/page.ts file",
            "2 src/app.ts file",
            "2 src/cycle/b.ts file",
        ]
    );
    let doc = impact(&["--symbol", "User", "--depth", "1"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 src/api/all.ts module",
            "1 src/api/groups.ts name",
            "1 src/api/profile.ts name",
            "1 src/api/signup.ts name",
            "1 src/index.ts reexport",
            "1 src/models/index.ts reexport",
        ]
    );
    assert_eq!(doc["depth_limit"], 1);
}

#[test]
fn a_module_target_counts_only_what_is_outside_it() {
    // src/views: page.ts and card.ts; only app.ts imports them.
    let doc = impact(&["--module", "src/views"]);
    assert_eq!(impacted(&doc), ["1 src/app.ts file"]);
    assert_eq!(
        doc["targets"][0]["files"],
        serde_json::json!(["src/views/card.ts", "src/views/page.ts"])
    );
}

#[test]
fn a_qualified_symbol_names_its_module_or_the_package_above() {
    for query in ["models.user.User", "src/models/user:User", "models.User"] {
        let doc = impact(&["--symbol", query]);
        assert_eq!(
            doc["targets"][0]["files"],
            serde_json::json!(["src/models/user.ts"]),
            "{query}"
        );
    }
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .arg("impact")
        .arg(common::fixture("impact"))
        .args(["--symbol", "api.User"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_unknown_target_is_a_usage_error() {
    for args in [
        ["--symbol", "Nobody"],
        ["--file", "src/missing.ts"],
        ["--module", "nowhere"],
    ] {
        let output = assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .arg("impact")
            .arg(common::fixture("impact"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(args[1]), "{args:?}: {stderr}");
    }
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A large module: alpha, beta and gamma among forty other functions.
fn big() -> String {
    let mut text = String::from("def alpha():\n    return 1\n\n\ndef beta():\n    return 2\n\n\n");
    for n in 10..30 {
        text.push_str(&format!("def filler_{n}():\n    return {n}\n\n\n"));
    }
    text.push_str("def gamma():\n    return 3\n\n\n");
    for n in 30..50 {
        text.push_str(&format!("def filler_{n}():\n    return {n}\n\n\n"));
    }
    text
}

/// A commit on top of the base edits `beta`, the working tree edits
/// `gamma` (unstaged) and adds a comment line, small changes in a
/// 43-function file, adds pkg/extra.py (staged) and pkg/untracked.py (not
/// added), which imports extra.py. `alpha` is untouched,
/// so uses_alpha.py is not impacted; uses_module.py imports the module
/// whole and is.
#[test]
fn since_maps_commits_and_working_tree_edits_to_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "pkg/__init__.py", "");
    write(root, "pkg/big.py", &big());
    write(root, "pkg/uses_alpha.py", "from pkg.big import alpha\n");
    write(root, "pkg/uses_beta.py", "from pkg.big import beta\n");
    write(
        root,
        "pkg/uses_gamma_lazily.py",
        "def f():\n    from pkg.big import gamma\n",
    );
    write(root, "pkg/uses_module.py", "import pkg.big\n");
    common::git(root, &["init", "-q", "-b", "base"]);
    common::git(root, &["add", "."]);
    common::git(root, &["commit", "-q", "-m", "base"]);
    common::git(root, &["checkout", "-q", "-b", "topic"]);
    write(
        root,
        "pkg/big.py",
        &big().replace("return 2\n", "return -2\n"),
    );
    common::git(root, &["commit", "-q", "-am", "beta"]);
    write(
        root,
        "pkg/big.py",
        &big()
            .replace("return 2\n", "return -2\n")
            .replace("return 3\n", "return -3\n")
            // A comment between definitions changes no symbol.
            .replace(
                "\n\n\ndef filler_12",
                "\n\n# why filler 12 stays\ndef filler_12",
            ),
    );
    write(root, "pkg/extra.py", "X = 1\n");
    common::git(root, &["add", "pkg/extra.py"]);
    write(root, "pkg/untracked.py", "from pkg.extra import X\n");

    let doc = run_impact(root, &["--since", "base"]);
    let targets: Vec<String> = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let names: Vec<&str> = t["definitions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["name"].as_str().unwrap())
                .collect();
            format!(
                "{} {} {} whole={} [{}]",
                t["kind"].as_str().unwrap(),
                t["query"].as_str().unwrap(),
                t["status"].as_str().unwrap(),
                t["whole_file"],
                names.join(" ")
            )
        })
        .collect();
    assert_eq!(
        targets,
        [
            "change pkg/big.py modified whole=false [beta gamma]",
            "change pkg/extra.py added whole=true []",
            "change pkg/untracked.py added whole=true []",
        ]
    );
    assert_eq!(
        impacted(&doc),
        // untracked.py imports extra.py but is a changed file itself: targets
        // are not listed as impacted. The lazy import holds only once f()
        // runs: listed apart, after what the change reaches when the code
        // loads.
        [
            "1 pkg/uses_beta.py name",
            "1 pkg/uses_module.py module",
            "1 pkg/uses_gamma_lazily.py name weak",
        ]
    );
    assert_eq!(doc["risk"]["fan_in"], 2);
    assert_eq!(doc["risk"]["weak"], 1);
    // The chain of the lazy import says it holds only once f() runs.
    let lazy = doc["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "pkg/uses_gamma_lazily.py")
        .unwrap();
    assert_eq!(
        lazy["why"],
        serde_json::json!(["pkg/uses_gamma_lazily.py:2", "pkg/big.py"])
    );
    assert_eq!(lazy["chain_kind"], "lazy");
    let beta = doc["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "pkg/uses_beta.py")
        .unwrap();
    assert_eq!(beta["chain_kind"], "static");
}

/// A change deletes pkg/old.py and renames pkg/moved.py to pkg/renamed.py
/// without updating their importers: uses_old.py (`from pkg.old import f`)
/// and uses_moved.py (`import pkg.moved`) break directly (what they import
/// is gone: `via` is `removed`), uses_uses.py through uses_old.py (which
/// it imports whole, and which has `f`). fine.py imports nothing that changed; uses_util.py
/// imports a module that became a package of the same name, which it
/// still finds.
#[test]
fn since_follows_deleted_and_renamed_files_to_who_still_imports_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "pkg/__init__.py", "");
    write(root, "pkg/old.py", "def f():\n    return 1\n");
    write(root, "pkg/moved.py", "def g():\n    return 2\n");
    write(root, "pkg/uses_old.py", "from pkg.old import f\n");
    write(root, "pkg/uses_uses.py", "import pkg.uses_old\n");
    write(root, "pkg/uses_moved.py", "import pkg.moved\n");
    write(root, "pkg/fine.py", "import os\n");
    // Becomes a package: `import pkg.util` still works.
    write(root, "pkg/util.py", "def h():\n    return 3\n");
    write(root, "pkg/uses_util.py", "import pkg.util\n");
    common::git(root, &["init", "-q", "-b", "base"]);
    common::git(root, &["add", "."]);
    common::git(root, &["commit", "-q", "-m", "base"]);
    common::git(root, &["rm", "-q", "pkg/old.py"]);
    common::git(root, &["mv", "pkg/moved.py", "pkg/renamed.py"]);
    std::fs::create_dir(root.join("pkg/util")).unwrap();
    common::git(root, &["mv", "pkg/util.py", "pkg/util/__init__.py"]);
    common::git(root, &["commit", "-q", "-m", "tidy"]);

    let doc = run_impact(root, &["--since", "HEAD~1"]);
    let targets: Vec<String> = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                t["query"].as_str().unwrap(),
                t["status"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        targets,
        [
            "pkg/old.py deleted",
            "pkg/renamed.py renamed",
            "pkg/util/__init__.py renamed"
        ]
    );
    assert_eq!(
        impacted(&doc),
        [
            "1 pkg/uses_moved.py removed",
            "1 pkg/uses_old.py removed",
            "1 pkg/uses_util.py file",
            "2 pkg/uses_uses.py module",
        ]
    );
    assert_eq!(
        chain(&doc, "pkg/uses_old.py"),
        "pkg/uses_old.py:1 -> pkg/old.py"
    );
    assert_eq!(
        chain(&doc, "pkg/uses_moved.py"),
        "pkg/uses_moved.py:1 -> pkg/moved.py"
    );
    // A file moved counts whole; its importers are reached through its new
    // path, as the old one now names nothing.
    assert_eq!(
        chain(&doc, "pkg/uses_util.py"),
        "pkg/uses_util.py:1 -> pkg/util/__init__.py"
    );
}

#[test]
fn since_outside_a_git_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", "import b\n");
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .arg("impact")
        .arg(dir.path())
        .args(["--since", "main"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("git"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Python: what a package's `__init__.py` imports is an attribute of the
/// package, under its alias if it has one.
#[test]
fn python_packages_pass_names_on_under_their_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "pkg/__init__.py",
        "from .core import Engine as Motor\n",
    );
    write(
        root,
        "pkg/core.py",
        "class Engine:\n    pass\n\n\nclass Other:\n    pass\n",
    );
    write(root, "app/uses_motor.py", "from pkg import Motor\n");
    write(root, "app/uses_engine.py", "from pkg import Engine\n");
    write(root, "app/uses_other.py", "from pkg.core import Other\n");
    write(
        root,
        "app/service.py",
        "from pkg.core import Engine\n\n\nclass Service(Engine):\n    pass\n",
    );
    write(root, "app/api.py", "from app.service import Service\n");
    write(root, "app/whole.py", "import pkg\n");
    write(root, "app/via_init.py", "from app import api\n");
    let doc = run_impact(root, &["--symbol", "Engine"]);
    // pkg has no attribute `Engine` (it was bound as `Motor`), so
    // uses_engine.py does not reach it; uses_other.py names another class.
    // service.py passes `Engine` on too, but a plain module that imports a
    // name uses it: what imports service.py is reached (api.py, then
    // via_init.py, which imports the submodule api by name). The package
    // __init__ is a facade, transparent: what takes `Motor` or the whole
    // package from it is at depth 1, as if it imported core.py itself.
    assert_eq!(
        impacted(&doc),
        [
            "1 app/service.py name",
            "1 app/uses_motor.py name",
            "1 app/whole.py module",
            "1 pkg/__init__.py reexport",
            "2 app/api.py file",
            "3 app/via_init.py file",
        ]
    );
}
