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
