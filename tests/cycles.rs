//! Cycles on fixtures/cycles, whose components were worked out by hand:
//!
//! Files, by id (path order): a b c d e l1 l2 main p q r self t1 t2 u1 u2.
//! - a <-> b: one site each way. Eades–Lin–Smyth takes the lowest id first
//!   on a tie, so `a` leads and the backward edge b -> a is the cut.
//! - c -> d -> e -> c: same reasoning, the cut is e -> c.
//! - l1 -> l2 is a require() inside a function (lazy), l2 -> l1 static: a
//!   cycle by default, none with --runtime-only. Cut l2 -> l1 (tie, l1 first).
//! - p -> q (1 site), q -> p (2), q -> r (2), r -> p (2): one component;
//!   shortest witness p -> q -> p; p -> q lies on both cycles and is the
//!   cheapest: cut {p -> q}, 1 site (q has the largest out-in weight, 3, and
//!   goes first; p becomes a sink, r a source: order q r p, and p -> q is
//!   the one backward edge).
//! - self -> self: a self-loop, cut itself.
//! - t1 <-> t2 type-only both ways, u1 -> u2 static and u2 -> u1 type-only:
//!   cycles closed only by type-only imports, reported apart; their cut is
//!   the type-only edge u2 -> u1, and for t1 <-> t2 the later edge t2 -> t1
//!   (both weigh 1; t1 -> t2 is put back first and closes no cycle alone).
//! - main imports a, c and p but is in no cycle.

mod common;

use serde_json::Value;

fn cycles(args: &[&str]) -> Value {
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .arg("cycles")
        .args(args)
        .arg(common::fixture("cycles"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `kind members | witness | cut`, one line per component, names without `src/`.
fn summary(doc: &Value) -> Vec<String> {
    let short = |v: &Value| {
        v.as_str()
            .unwrap()
            .trim_start_matches("src/")
            .trim_end_matches(".ts")
            .to_string()
    };
    let hops = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let lines: Vec<String> = h["sites"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["line"].to_string())
                    .collect();
                format!(
                    "{}>{}@{}",
                    short(&h["from"]),
                    short(&h["to"]),
                    lines.join("+")
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let members: Vec<String> = c["members"].as_array().unwrap().iter().map(short).collect();
            format!(
                "{} {} e{} s{} | {} | {}",
                c["kind"].as_str().unwrap(),
                members.join(","),
                c["edges"],
                c["sites"],
                hops(&c["witness"]),
                hops(&c["cut"])
            )
        })
        .collect()
}

#[test]
fn components_witnesses_and_cuts_match_the_hand_worked_answer() {
    let doc = cycles(&[]);
    assert_eq!(doc["counts"]["cycles"], 5);
    assert_eq!(doc["counts"]["type_only"], 2);
    assert_eq!(
        summary(&doc),
        [
            "cycle a,b e2 s2 | a>b@1 b>a@1 | b>a@1",
            "cycle c,d,e e3 s3 | c>d@1 d>e@1 e>c@1 | e>c@1",
            "cycle l1,l2 e2 s2 | l1>l2@2 l2>l1@1 | l2>l1@1",
            "cycle p,q,r e4 s7 | p>q@1 q>p@1+2 | p>q@1",
            "cycle self e1 s1 | self>self@1 | self>self@1",
            "type_only t1,t2 e2 s2 | t1>t2@1 t2>t1@1 | t2>t1@1",
            "type_only u1,u2 e2 s2 | u1>u2@1 u2>u1@1 | u2>u1@1",
        ]
    );
    let lazy = &doc["components"][2]["witness"][0]["sites"][0]["kind"];
    assert_eq!(lazy, "lazy");
}

#[test]
fn runtime_only_drops_lazy_and_type_only_cycles() {
    let doc = cycles(&["--runtime-only"]);
    assert_eq!(doc["runtime_only"], true);
    let kinds: Vec<String> = summary(&doc)
        .iter()
        .map(|s| s.split(" |").next().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "cycle a,b e2 s2",
            "cycle c,d,e e3 s3",
            "cycle p,q,r e4 s7",
            "cycle self e1 s1"
        ]
    );
}

#[test]
fn fingerprints_are_stable_and_distinct() {
    let first = cycles(&[]);
    let second = cycles(&["-j", "1"]);
    let prints = |d: &Value| -> Vec<String> {
        d["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(prints(&first), prints(&second));
    let mut unique = prints(&first);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 7);
    assert!(
        unique
            .iter()
            .all(|f| f.len() == 16 && f.chars().all(|c| c.is_ascii_hexdigit()))
    );
}

#[test]
fn module_cycles_of_the_polyglot_fixture() {
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .args(["cycles", "--level", "module", "--format", "json"])
        .arg(common::fixture("polyglot"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let components = doc["components"].as_array().unwrap();
    assert_eq!(components.len(), 1);
    assert_eq!(
        components[0]["members"],
        serde_json::json!(["orders", "payments"])
    );
    // orders -> payments (service.py:4) and payments -> orders (charge.py:5)
    // weigh one site each: the tie goes to the lower id, orders, first.
    assert_eq!(components[0]["cut"][0]["from"], "payments");
    assert_eq!(
        components[0]["cut"][0]["sites"][0]["path"],
        "backend/shop/payments/charge.py"
    );
    assert_eq!(components[0]["cut"][0]["sites"][0]["line"], 5);
}

#[test]
fn dot_and_mermaid_draw_only_the_cycles_with_cuts_in_red() {
    let run = |format: &str| {
        let output = assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .args(["cycles", "--format", format])
            .arg(common::fixture("cycles"))
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let dot = run("dot");
    assert!(!dot.contains("main.ts"), "{dot}");
    assert_eq!(dot.matches("subgraph").count(), 7);
    assert!(
        dot.contains("\"src/p.ts\" -> \"src/q.ts\" [label=\"1\", color=red"),
        "{dot}"
    );
    assert_eq!(dot.matches("penwidth=2").count(), 7);
    let mermaid = run("mermaid");
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert!(!mermaid.contains("main.ts"));
    assert_eq!(mermaid.matches("linkStyle").count(), 7);
}

/// a <-> b statically, b -> c, and c -> a type-only: the cycle {a, b} lies
/// inside the component {a, b, c} that the type-only import closes. The
/// drawings nest the first in the second: every node and edge once.
#[test]
fn a_cycle_inside_a_type_only_component_is_drawn_nested() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("a.ts", "import { b } from './b';\nexport const a = 1;\n"),
        (
            "b.ts",
            "import { a } from './a';\nimport { c } from './c';\nexport const b = 2;\n",
        ),
        (
            "c.ts",
            "import type { A } from './a';\nexport const c = 3;\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let run = |format: &str| {
        let output = assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .args(["cycles", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let dot = run("dot");
    for node in ["\"a.ts\";", "\"b.ts\";", "\"c.ts\";"] {
        assert_eq!(dot.matches(node).count(), 1, "{node}\n{dot}");
    }
    // Four edges: a -> b, b -> a, b -> c, c -> a.
    assert_eq!(dot.matches(" -> ").count(), 4, "{dot}");
    // Components in order of their first member, the smaller first on a
    // tie: 0 is the cycle {a, b}, 1 the type-only {a, b, c}, 0 inside 1.
    assert!(
        dot.contains("\n  subgraph \"cluster_1\" {\n    label=\"type_only "),
        "{dot}"
    );
    assert!(
        dot.contains("\n    subgraph \"cluster_0\" {\n      label=\"cycle "),
        "{dot}"
    );

    let mermaid = run("mermaid");
    assert_eq!(mermaid.matches("[\"a.ts\"]").count(), 1, "{mermaid}");
    assert_eq!(mermaid.matches("subgraph").count(), 2, "{mermaid}");
    assert!(mermaid.contains("\n    subgraph c0[\"cycle "), "{mermaid}");
    assert_eq!(
        mermaid.matches(" --> ").count() + mermaid.matches(" -.-> ").count(),
        4,
        "{mermaid}"
    );
}
