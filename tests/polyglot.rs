//! The polyglot fixture (Python, TypeScript, PHP, Rust; modules declared in
//! its vantage.toml), whose expected graph was worked out by hand.

mod common;

#[test]
fn four_languages_in_one_graph_with_declared_modules() {
    common::assert_fixture("polyglot");
}
