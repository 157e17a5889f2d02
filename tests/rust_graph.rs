//! Rust resolution on fixtures whose expected graphs were worked out by hand
//! (fixtures/rust/*/expected.txt).

mod common;

#[test]
fn workspace_crates_mod_tree_use_trees_reexports_and_paths() {
    common::assert_fixture("rust/workspace");
}

#[test]
fn a_package_with_bin_and_test_crates_and_declarations_in_macros() {
    common::assert_fixture("rust/single_crate");
}

fn write(root: &std::path::Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Two crates re-exporting each other's item (Cargo allows the loop through
/// a dev-dependency) must end the walk, not overflow the stack. A library
/// at the package root (`[lib] path = "lib.rs"`) owns the modules it
/// declares.
#[test]
fn crates_re_exporting_each_other_and_a_root_level_library() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let manifest = |name: &str, other: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[dependencies]\n{other} = {{ path = \"../{other}\" }}\n"
        )
    };
    write(root, "a/Cargo.toml", &manifest("a", "b"));
    write(root, "a/src/lib.rs", "pub use b::T;\n");
    write(root, "b/Cargo.toml", &manifest("b", "a"));
    write(root, "b/src/lib.rs", "pub use a::T;\n");
    write(
        root,
        "c/Cargo.toml",
        "[package]\nname = \"c\"\nversion = \"0.1.0\"\n\n[lib]\npath = \"lib.rs\"\n",
    );
    write(
        root,
        "c/lib.rs",
        "mod inner;\npub use crate::inner::Thing;\n",
    );
    write(root, "c/inner.rs", "pub struct Thing;\n");
    write(root, "c/build.rs", "fn main() {}\n");

    let analysis =
        vantage::pipeline::analyze(root, &vantage::pipeline::Options::default()).unwrap();
    let edges: Vec<(&str, &str)> = analysis
        .file_graph
        .edges()
        .map(|(from, to, _)| (analysis.project.path(from), analysis.project.path(to)))
        .collect();
    // a's `b::T` walks into b, whose `a::T` walks back: no item is found,
    // and each path ends at the crate it names.
    assert_eq!(
        edges,
        [
            ("a/src/lib.rs", "b/src/lib.rs"),
            ("b/src/lib.rs", "a/src/lib.rs"),
            ("c/lib.rs", "c/inner.rs"),
        ]
    );
}

#[test]
fn every_cargo_target_form_is_a_crate() {
    common::assert_fixture("rust/targets");
}

/// `crate::graph::Node` where lib.rs holds `pub mod graph { pub use
/// crate::imp::Node; }`: the path goes on into the inline module and its
/// re-export, to the file defining `Node` (rust-analyzer's answer), not to
/// lib.rs.
#[test]
fn a_re_export_inside_an_inline_module_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"g\"\nversion = \"0.1.0\"\n",
    );
    write(
        root,
        "src/lib.rs",
        "mod imp;\nmod user;\n\npub mod graph {\n    pub use crate::imp::Node;\n}\n",
    );
    write(root, "src/imp.rs", "pub struct Node;\n");
    write(
        root,
        "src/user.rs",
        "use crate::graph::Node;\n\npub fn f(_: Node) {}\n",
    );
    let analysis = vantage::pipeline::analyze(root, &Default::default()).unwrap();
    let edges: Vec<(String, String)> = analysis
        .file_graph
        .edges()
        .map(|(a, b, _)| {
            (
                analysis.project.path(a).to_string(),
                analysis.project.path(b).to_string(),
            )
        })
        .collect();
    assert!(
        edges.contains(&("src/user.rs".to_string(), "src/imp.rs".to_string())),
        "{edges:?}"
    );
    assert!(
        !edges.contains(&("src/user.rs".to_string(), "src/lib.rs".to_string())),
        "{edges:?}"
    );
}

#[test]
fn cfg_alternatives_globs_macro_renames_and_path_module_children() {
    common::assert_fixture("rust/alternatives");
}

/// At module level a line that reaches two alternative files of the target
/// module (`Lock` under two `#[cfg]`s) is one site, printed once: app.rs
/// lines 1-3 and prelude.rs line 2 (fixtures/rust/alternatives/expected.txt).
#[test]
fn a_module_edge_prints_each_line_once() {
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .args(["graph", "--level", "module", "--no-cache"])
        .arg(common::fixture("rust/alternatives"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("src -> src/sync "))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        line,
        "src -> src/sync  [static] src/app.rs:1, src/app.rs:2, src/app.rs:3, src/prelude.rs:2 (reexport)"
    );
}
