//! `vantage routes` on the fixture applications of fixtures/routes: each
//! endpoint list equals its `expected.json`, written by hand and checked
//! against the frameworks' own resolvers (bench/routes/check_fixtures.py).

mod common;

use std::collections::BTreeSet;

use serde_json::Value;
use vantage::lang::Extraction;
use vantage::pipeline::{Analysis, Options, analyze};
use vantage::report::routes::{RouteFilter, selected, write_json};

fn analysed(name: &str) -> Analysis {
    let options = Options {
        extraction: Extraction::Symbols,
        ..Options::default()
    };
    analyze(&common::fixture(&format!("routes/{name}")), &options).expect("fixture analyses")
}

fn routes_json(analysis: &Analysis) -> Value {
    let routes = selected(analysis, &RouteFilter::default());
    let mut out = Vec::new();
    write_json(&mut out, analysis, &routes).unwrap();
    serde_json::from_slice(&out).unwrap()
}

/// What is compared of a route: every field the spec gives, guards
/// sorted.
fn route_key(r: &Value) -> String {
    let handler = &r["handler"];
    let mut guards: Vec<String> = r["guards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| format!("{}@{}:{}({})", g["name"], g["file"], g["line"], g["on"]))
        .collect();
    guards.sort();
    format!(
        "{} {} -> {} {} {}:{} name={} at {}:{} guards=[{}]",
        r["methods"],
        r["path"].as_str().unwrap(),
        handler["symbol"],
        handler["method"],
        handler["file"],
        handler["line"],
        r["name"],
        r["site"]["file"],
        r["site"]["line"],
        guards.join(", ")
    )
}

fn dynamic_key(d: &Value) -> String {
    format!("{}:{} {}", d["file"], d["line"], d["framework"])
}

fn keys(doc: &Value, field: &str, key: fn(&Value) -> String) -> BTreeSet<String> {
    doc[field].as_array().unwrap().iter().map(key).collect()
}

fn assert_fixture(name: &str) {
    let analysis = analysed(name);
    let got = routes_json(&analysis);
    let text =
        std::fs::read_to_string(common::fixture(&format!("routes/{name}/expected.json"))).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    for (field, key) in [
        ("routes", route_key as fn(&Value) -> String),
        ("dynamic", dynamic_key),
    ] {
        let want = keys(&expected, field, key);
        let have = keys(&got, field, key);
        let missing: Vec<_> = want.difference(&have).collect();
        let extra: Vec<_> = have.difference(&want).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name} {field}:\nmissing {missing:#?}\nextra {extra:#?}"
        );
    }
}

#[test]
fn django_urlconfs_views_and_rest_framework_routers() {
    assert_fixture("django_shop");
}

#[test]
fn flask_applications_blueprints_and_method_views() {
    assert_fixture("flask_shop");
}

#[test]
fn fastapi_applications_routers_and_dependencies() {
    assert_fixture("fastapi_shop");
}

#[test]
fn the_text_lists_unguarded_endpoints_and_what_was_not_read() {
    let analysis = analysed("django_shop");
    let filter = RouteFilter {
        unguarded: true,
        ..RouteFilter::default()
    };
    let routes = selected(&analysis, &filter);
    assert!(routes.iter().all(|r| r.guards.is_empty()));
    let mut out = Vec::new();
    vantage::report::routes::write_text(&mut out, &analysis, &routes).unwrap();
    let text = String::from_utf8(out).unwrap();
    // The home page has no guard; the profile (login_required) is left out.
    assert!(text.contains("shop_site.views.home"), "{text}");
    assert!(!text.contains("accounts.views.profile"), "{text}");
    // The route built in a loop is reported, with its site.
    assert!(text.contains("orders/urls.py:20 (django)"), "{text}");
}

#[test]
fn the_same_endpoints_at_any_thread_count() {
    let at = |threads| {
        let options = Options {
            extraction: Extraction::Symbols,
            threads: Some(threads),
            ..Options::default()
        };
        let analysis = analyze(&common::fixture("routes/django_shop"), &options).unwrap();
        routes_json(&analysis).to_string()
    };
    assert_eq!(at(1), at(4));
}
