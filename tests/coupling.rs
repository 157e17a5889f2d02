//! Coupling on fixtures/coupling, with every number worked out by hand.
//!
//! Modules (top-level packages): api, domain, infra, util. File imports:
//!   api/views.py        -> domain/models, domain/ports, infra/db
//!   api/serializers.py  -> domain/models, util/text
//!   domain/models.py    -> util/text
//!   domain/events.py    -> infra/mail
//!   infra/db.py         -> domain/ports, domain/models, util/text
//!   infra/mail.py       -> domain/ports, api/serializers
//!
//! Ca = files outside importing a file inside; Ce = files inside importing
//! a file outside; I = Ce / (Ca + Ce):
//!   api:    Ca 1 (infra/mail)                                 Ce 2 (views, serializers)  I 2/3
//!   domain: Ca 4 (views, serializers, infra/db, infra/mail)   Ce 2 (models, events)      I 2/6 = 1/3
//!   infra:  Ca 2 (api/views, domain/events)                   Ce 2 (db, mail)            I 2/4 = 1/2
//!   util:   Ca 3 (serializers, models, infra/db)              Ce 0                       I 0
//! Types (top-level classes) and abstract ones (Protocol, ABC):
//!   api: View, Serializer -> A 0/2 = 0, D = |0 + 2/3 - 1| = 1/3
//!   domain: Order, Customer, Repository(Protocol), Notifier(ABC), OrderPlaced
//!           -> A 2/5 = 0.4, D = |0.4 + 1/3 - 1| = 0.2667
//!   infra: SqlRepository, Mailer -> A 0, D = |0 + 1/2 - 1| = 1/2
//!   util: no type -> A and D undefined
//! Matrix (sites, distinct importing files):
//!   api->domain 3 (2 files), api->infra 1 (1), api->util 1 (1),
//!   domain->infra 1 (1), domain->util 1 (1),
//!   infra->api 1 (1), infra->domain 3 (2), infra->util 1 (1)
//! Most coupled pairs: domain-infra 1+3 = 4, api-domain 3, api-infra 1+1 = 2,
//!   then api-util, domain-util, infra-util with 1.
//! Stable-dependencies violations (to more unstable): domain (1/3) -> infra
//!   (1/2), gap 1/6; infra (1/2) -> api (2/3), gap 1/6; equal gaps keep
//!   (from, to) order: domain first.
//! DSM: util depends on nothing and comes first; api, domain and infra form
//!   one cycle. Weighted Eades–Lin–Smyth on it (api->domain 3, api->infra 1,
//!   domain->infra 1, infra->api 1, infra->domain 3): out-in weights api
//!   4-1 = 3, domain 1-6 = -5, infra 4-2 = 2; api goes first; left with
//!   domain->infra 1 and infra->domain 3, infra has the larger out-in
//!   weight (2 against -2): api infra domain, reversed for dependencies
//!   first: domain, infra, api. Above the diagonal remain
//!   domain->infra and infra->api, one site each.

mod common;

use serde_json::{Value, json};

fn coupling(format: &str, extra: &[&str]) -> String {
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .args(["coupling", "--format", format])
        .args(extra)
        .arg(common::fixture("coupling"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn martin_metrics_match_the_hand_worked_answer() {
    let doc: Value = serde_json::from_str(&coupling("json", &[])).unwrap();
    let rows: Vec<Value> = doc["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            json!([
                m["name"],
                m["ca"],
                m["ce"],
                m["instability"],
                m["types"],
                m["abstract_types"],
                m["abstractness"],
                m["distance"]
            ])
        })
        .collect();
    assert_eq!(
        rows,
        [
            json!(["api", 1, 2, 0.6667, 2, 0, 0.0, 0.3333]),
            json!(["domain", 4, 2, 0.3333, 5, 2, 0.4, 0.2667]),
            json!(["infra", 2, 2, 0.5, 2, 0, 0.0, 0.5]),
            json!(["util", 3, 0, 0.0, 0, 0, null, null]),
        ]
    );
}

#[test]
fn matrix_pairs_violations_and_dsm_order() {
    let doc: Value = serde_json::from_str(&coupling("json", &[])).unwrap();
    let matrix: Vec<Value> = doc["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!([c["from"], c["to"], c["sites"], c["files"]]))
        .collect();
    assert_eq!(
        matrix,
        [
            json!(["api", "domain", 3, 2]),
            json!(["api", "infra", 1, 1]),
            json!(["api", "util", 1, 1]),
            json!(["domain", "infra", 1, 1]),
            json!(["domain", "util", 1, 1]),
            json!(["infra", "api", 1, 1]),
            json!(["infra", "domain", 3, 2]),
            json!(["infra", "util", 1, 1]),
        ]
    );
    let pairs: Vec<Value> = doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| json!([p["a"], p["b"], p["sites"]]))
        .collect();
    assert_eq!(
        pairs,
        [
            json!(["domain", "infra", 4]),
            json!(["api", "domain", 3]),
            json!(["api", "infra", 2]),
            json!(["api", "util", 1]),
            json!(["domain", "util", 1]),
            json!(["infra", "util", 1]),
        ]
    );
    let violations: Vec<Value> = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| json!([v["from"], v["to"]]))
        .collect();
    assert_eq!(
        violations,
        [json!(["domain", "infra"]), json!(["infra", "api"])]
    );
    assert_eq!(
        doc["dsm"]["order"],
        json!(["util", "domain", "infra", "api"])
    );
    assert_eq!(doc["dsm"]["cycles"], json!([["domain", "infra", "api"]]));
}

#[test]
fn the_dsm_shows_the_cycle_as_a_block_above_the_diagonal() {
    let dsm = coupling("dsm", &[]);
    let rows: Vec<&str> = dsm.lines().skip(2).collect();
    assert_eq!(
        rows,
        [
            "1 util    - . . .",
            "2 domain  1 - 1 .   cycle 1",
            "3 infra   1 3 - 1   cycle 1",
            "4 api     1 3 1 -   cycle 1",
        ]
    );
}

#[test]
fn csv_cells_count_sites_or_files() {
    assert_eq!(
        coupling("csv", &[]),
        "module,api,domain,infra,util\napi,0,3,1,1\ndomain,0,0,1,1\ninfra,1,3,0,1\nutil,0,0,0,0\n"
    );
    assert_eq!(
        coupling("csv", &["--cells", "files"]),
        "module,api,domain,infra,util\napi,0,2,1,1\ndomain,0,0,1,1\ninfra,1,2,0,1\nutil,0,0,0,0\n"
    );
}

#[test]
fn the_table_reads_as_a_report() {
    let table = coupling("table", &[]);
    assert!(
        table.contains("domain      4      4      2   0.33   0.40   0.27      5         2"),
        "{table}"
    );
    assert!(
        table.contains("util        2      3      0   0.00      -      -      0         0"),
        "{table}"
    );
    assert!(
        table.contains("4  domain <-> infra  (domain -> infra 1, infra -> domain 3)"),
        "{table}"
    );
    assert!(
        table.contains("domain (I 0.33) -> infra (I 0.50)  1 import site"),
        "{table}"
    );
}

#[test]
fn abstractness_counts_types_as_each_language_does() {
    // fixtures/coupling_traits/README.md: a PHP trait is in neither count,
    // a Rust trait is an abstract type.
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .args(["coupling", "--format", "json", "--no-cache"])
        .arg(common::fixture("coupling_traits"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows: Vec<Value> = doc["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            json!([
                m["name"],
                m["types"],
                m["abstract_types"],
                m["abstractness"]
            ])
        })
        .collect();
    assert_eq!(
        rows,
        [
            json!(["shapes", 3, 1, 0.3333]),
            json!(["view", 3, 2, 0.6667]),
        ]
    );
}
