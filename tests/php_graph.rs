//! PHP resolution on fixtures whose expected graphs were worked out by hand
//! (fixtures/php/*/expected.txt).

mod common;

#[test]
fn composer_psr4_psr0_classmap_use_forms_and_kinds() {
    common::assert_fixture("php/composer_app");
}

#[test]
fn without_composer_the_convention_and_the_declaration_index() {
    common::assert_fixture("php/no_composer");
}
