//! TypeScript/JavaScript import resolution on fixtures whose expected graphs
//! were worked out by hand (fixtures/ts/*/expected.txt).

mod common;

#[test]
fn relative_specifiers_probe_extensions_and_index_and_keep_their_kinds() {
    common::assert_fixture("ts/relative");
}

#[test]
fn tsconfig_paths_base_url_extends_and_package_imports() {
    common::assert_fixture("ts/tsconfig_paths");
}

#[test]
fn workspace_packages_resolve_to_their_source() {
    common::assert_fixture("ts/workspaces");
}
