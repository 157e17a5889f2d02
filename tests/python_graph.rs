//! Python import resolution on fixtures whose expected graphs were worked
//! out by hand (fixtures/python/*/expected.txt).

mod common;

#[test]
fn absolute_relative_namespace_type_checking_lazy_and_dynamic_imports() {
    common::assert_fixture("python/imports");
}

#[test]
fn src_layout_is_a_root_for_tests_and_its_package_is_split_into_modules() {
    common::assert_fixture("python/src_layout");
}

#[test]
fn vantage_toml_modules_roots_packages_and_excludes() {
    common::assert_fixture("python/config");
}

#[test]
fn django_models_named_by_strings_resolve_through_app_labels() {
    common::assert_fixture("python/django_models");
}
