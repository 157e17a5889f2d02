//! `vantage models` on the fixture repositories of fixtures/models: each
//! model list equals its `expected.json`, written by hand from the code
//! and the ORMs' documentation and checked against the ORMs' own view
//! (bench/models/check_fixtures.py for Django, SQLAlchemy and
//! Flask-SQLAlchemy,
//! bench/models/check_php.php for Eloquent and Doctrine).

mod common;

use serde_json::Value;
use vantage::lang::Extraction;
use vantage::pipeline::{Analysis, Options, analyze};
use vantage::report::models::{ModelFilter, listed, write_json, write_mermaid};

fn analysed(path: &str) -> Analysis {
    let options = Options {
        extraction: Extraction::Symbols,
        ..Options::default()
    };
    analyze(&common::fixture(path), &options).expect("fixture analyses")
}

fn models_json(analysis: &Analysis) -> Value {
    let models = listed(analysis, &ModelFilter::default(), 8);
    let mut out = Vec::new();
    write_json(&mut out, analysis, &models).unwrap();
    serde_json::from_slice(&out).unwrap()
}

/// Every field the fixture's list gives, compared model by model, then
/// entry by entry, so that a difference names itself.
fn assert_fixture(name: &str) {
    let analysis = analysed(&format!("models/{name}"));
    let got = models_json(&analysis);
    let text =
        std::fs::read_to_string(common::fixture(&format!("models/{name}/expected.json"))).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    let symbols = |doc: &Value| -> Vec<String> {
        doc["models"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["symbol"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        symbols(&got),
        symbols(&expected),
        "{name}: the models, in order"
    );
    for (have, want) in got["models"]
        .as_array()
        .unwrap()
        .iter()
        .zip(expected["models"].as_array().unwrap())
    {
        let symbol = want["symbol"].as_str().unwrap();
        for (key, value) in want.as_object().unwrap() {
            match value {
                Value::Array(items)
                    if ["fields", "relations", "indexes"].contains(&key.as_str()) =>
                {
                    let theirs = have[key].as_array().unwrap();
                    for (i, item) in items.iter().enumerate() {
                        assert_eq!(theirs.get(i), Some(item), "{name}: {symbol}.{key}[{i}]");
                    }
                    assert_eq!(
                        theirs.len(),
                        items.len(),
                        "{name}: {symbol}.{key}: how many"
                    );
                }
                _ => assert_eq!(&have[key], value, "{name}: {symbol}.{key}"),
            }
        }
    }
    assert!(
        got["dynamic"].as_array().unwrap().is_empty(),
        "{name}: nothing left unread: {}",
        got["dynamic"]
    );
}

#[test]
fn django_models_fields_relations_and_meta() {
    assert_fixture("django_shop");
}

#[test]
fn sqlalchemy_declarative_and_legacy_models() {
    assert_fixture("sqlalchemy_shop");
}

/// Flask-SQLAlchemy: `db.Model` classes, tables named in snake case when
/// not written, `WriteOnlyMapped` collections, a single-table child.
#[test]
fn flask_sqlalchemy_models() {
    assert_fixture("flask_sqlalchemy_shop");
}

#[test]
fn eloquent_models_and_relation_methods() {
    assert_fixture("eloquent_shop");
}

#[test]
fn doctrine_entities_from_attributes() {
    assert_fixture("doctrine_shop");
}

#[test]
fn diesel_tables_and_joins() {
    assert_fixture("diesel_shop");
}

/// The endpoints a model is reached by come from the request flow: on
/// trace_shop, `GET /orders/<int:pk>/` runs `Order.objects...get()` in a
/// repository two calls below its view; nothing reaches `Customer` (the
/// order's customer is joined in the query, never named).
#[test]
fn endpoints_reach_models_through_their_traces() {
    let analysis = analysed("routes/trace_shop");
    let got = models_json(&analysis);
    let endpoints = |symbol: &str| -> Vec<String> {
        got["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["symbol"] == symbol)
            .unwrap_or_else(|| panic!("model {symbol} listed"))["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(endpoints("orders.models.Order"), ["GET /orders/<int:pk>/"]);
    assert!(endpoints("orders.models.Customer").is_empty());
    // One call deep reaches the service only: no model yet.
    let shallow = listed(&analysis, &ModelFilter::default(), 1);
    assert!(shallow.iter().all(|l| l.endpoints.is_empty()));
}

/// The diagram draws each relation once, from its owning side, between
/// tables: a Django foreign key, and the reverse one-to-many SQLAlchemy
/// writes beside its many-to-one, are one line each.
#[test]
fn mermaid_er_diagram_draws_each_relation_once() {
    let analysis = analysed("models/sqlalchemy_shop");
    let models = listed(&analysis, &ModelFilter::default(), 1);
    let mut out = Vec::new();
    write_mermaid(&mut out, &analysis, &models).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("erDiagram\n"), "{text}");
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("--")).collect();
    // Order.customer (many-to-one) and User.orders (its one-to-many
    // reverse) are one line.
    let between: Vec<&&str> = lines
        .iter()
        .filter(|l| l.contains("orders") && l.contains("users") && !l.contains("order_lines"))
        .collect();
    assert_eq!(between.len(), 1, "{text}");
    assert!(between[0].starts_with("  orders }o--|| users"), "{text}");
    // Abstract models and mixins are no entities.
    assert!(!text.contains("TimestampedModel"), "{text}");
}
