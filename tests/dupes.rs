//! `vantage dupes` on fixtures/dupes/<lang>, with clones planted and their
//! classes worked out by hand (at --min-tokens 36, so that the fixtures stay
//! small):
//!
//! python: `total` (41 tokens: `def total ( items , rate ) :` is 8, the body
//! 33) in billing/invoice.py:1-7 and shipping/cost.py:4-10 as written,
//! billing/receipt.py:1-7 with every name renamed one to one, and
//! billing/broken.py:1-7 where one `subtotal` became `other` (a renaming
//! that is not one to one: its consistent pieces are under 36 tokens).
//! Copies in a generated file, in an ignored region, an import block alone
//! and a table of tuples (self-repeating) make no clone. Code lines: 9, 7,
//! 7 and 8 (billing/invoice, receipt, broken; shipping/cost), 5 and 5
//! (imports), 8 (zones): 49; the ignored region counts none, the generated
//! file is left out.
//!
//! ts: `paginate` renamed as `window` across api and web (lines 1-9 and
//! 2-10), a third copy ignored, identical import blocks. php: one method
//! copied between src/Billing and src/Shipping; renamed mode reaches back to
//! `final class Invoice`/`final class Cost` (line 10), strict mode starts at
//! the `{` after the names (line 11); the `use` blocks between are barriers.
//! rust: `histogram` renamed as `tally` across two crates.

mod common;

use std::path::Path;

use serde_json::Value;

fn dupes(root: &Path, args: &[&str]) -> Value {
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .arg("dupes")
        .arg(root)
        .args(["--min-tokens", "36", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `path:start-end` of a member.
fn place(m: &Value) -> String {
    format!(
        "{}:{}-{}",
        m["path"].as_str().unwrap(),
        m["start_line"],
        m["end_line"]
    )
}

/// `tokens: path:start-end path:start-end`, one per class.
fn classes(doc: &Value) -> Vec<String> {
    doc["clone_classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let members: Vec<String> = c["members"].as_array().unwrap().iter().map(place).collect();
            format!("{}: {}", c["tokens"], members.join(" "))
        })
        .collect()
}

#[test]
fn python_modes_exact_renamed_and_blind() {
    let root = common::fixture("dupes/python");
    let renamed = dupes(&root, &[]);
    assert_eq!(
        classes(&renamed),
        ["41: billing/invoice.py:1-7 billing/receipt.py:1-7 shipping/cost.py:4-10"]
    );
    let class = &renamed["clone_classes"][0];
    assert_eq!(class["cross_module"], true);
    assert_eq!(class["modules"], serde_json::json!(["billing", "shipping"]));
    assert_eq!(class["lines"], 7);
    assert_eq!(
        renamed["generated"],
        serde_json::json!(["shipping/generated_rates.py"])
    );
    let duplication = &renamed["duplication"];
    assert_eq!(duplication["code_lines"], 49);
    assert_eq!(duplication["duplicated_lines"], 21);
    assert_eq!(duplication["total_percent"], 42.86);
    let modules: Vec<String> = duplication["by_module"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {}/{}",
                m["name"].as_str().unwrap(),
                m["duplicated_lines"],
                m["code_lines"]
            )
        })
        .collect();
    // billing: invoice 9 + receipt 7 + broken 7 + imports 5; shipping:
    // cost 8 + imports 5 + zones 8.
    assert_eq!(modules, ["billing 14/28", "shipping 7/21"]);

    let strict = dupes(&root, &["--mode", "strict"]);
    assert_eq!(
        classes(&strict),
        ["41: billing/invoice.py:1-7 shipping/cost.py:4-10"]
    );
    let blind = dupes(&root, &["--mode", "blind"]);
    assert_eq!(
        classes(&blind),
        [
            "41: billing/broken.py:1-7 billing/invoice.py:1-7 billing/receipt.py:1-7 shipping/cost.py:4-10"
        ]
    );
}

#[test]
fn typescript_php_and_rust() {
    let ts = dupes(&common::fixture("dupes/ts"), &[]);
    assert_eq!(classes(&ts), ["93: api/users.ts:1-9 web/list.ts:2-10"]);
    assert!(classes(&dupes(&common::fixture("dupes/ts"), &["--mode", "strict"])).is_empty());
    // api: users 9 + imports 4; web: list 9 + skip 1 (the line after the
    // ignored region) + imports 4.
    assert_eq!(ts["duplication"]["code_lines"], 27);

    let php = common::fixture("dupes/php");
    assert_eq!(
        classes(&dupes(&php, &[])),
        ["76: src/Billing/Invoice.php:10-23 src/Shipping/Cost.php:10-23"]
    );
    assert_eq!(
        classes(&dupes(&php, &["--mode", "strict"])),
        ["73: src/Billing/Invoice.php:11-23 src/Shipping/Cost.php:11-23"]
    );

    let rust = dupes(&common::fixture("dupes/rust"), &[]);
    assert_eq!(
        classes(&rust),
        ["75: crates/core/src/lib.rs:4-13 crates/web/src/lib.rs:5-14"]
    );
    assert_eq!(
        rust["clone_classes"][0]["modules"],
        serde_json::json!(["crates/core", "crates/web"])
    );
}

/// The fingerprint names the fragment, not where it sits in its file; the
/// output is the same bytes at any thread count.
#[test]
fn fingerprints_survive_moves_and_output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("dupes/python"), dir.path());
    let before = dupes(dir.path(), &[]);
    let cost = dir.path().join("shipping/cost.py");
    let text = std::fs::read_to_string(&cost).unwrap();
    std::fs::write(&cost, format!("\n\nMAX_PARCELS = 12\n\n{text}")).unwrap();
    let after = dupes(dir.path(), &[]);
    assert_eq!(
        classes(&after),
        ["41: billing/invoice.py:1-7 billing/receipt.py:1-7 shipping/cost.py:8-14"]
    );
    assert_eq!(
        before["clone_classes"][0]["fingerprint"],
        after["clone_classes"][0]["fingerprint"]
    );

    let run = |threads: &str| {
        assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .args([
                "dupes",
                "-j",
                threads,
                "--min-tokens",
                "36",
                "--format",
                "json",
            ])
            .arg(common::fixture("dupes/python"))
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn config_excludes_paths_and_the_gate_fails_over_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("dupes/python"), dir.path());
    std::fs::write(
        dir.path().join("vantage.toml"),
        "[dupes]\nexclude = [\"shipping\"]\nmin_tokens = 36\n",
    )
    .unwrap();
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .args(["dupes", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        classes(&doc),
        ["41: billing/invoice.py:1-7 billing/receipt.py:1-7"]
    );
    // shipping's five files: cost, generated_rates, legacy, imports, zones.
    assert_eq!(doc["excluded"].as_array().unwrap().len(), 5);

    let gate = |limit: &str| {
        assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .args(["dupes", "--min-tokens", "36", "--max-percent", limit])
            .arg(common::fixture("dupes/python"))
            .output()
            .unwrap()
    };
    assert_eq!(gate("50").status.code(), Some(0));
    let failed = gate("40");
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("42.86%"));

    // A window of 2 tokens would match every `x = 1`: refused, not run.
    std::fs::write(dir.path().join("vantage.toml"), "[dupes]\nmin_tokens = 2\n").unwrap();
    let refused = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .arg("dupes")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("dupes.min_tokens is 2"));
}

/// Text output shows the fragment of each class.
#[test]
fn text_output_shows_the_code() {
    let output = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .args(["dupes", "--min-tokens", "36"])
        .arg(common::fixture("dupes/python"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "clone 1 of 1: 41 tokens, 7 lines, 3 places, across modules billing and shipping"
        ),
        "{text}"
    );
    assert!(text.contains("    | def total(items, rate):"), "{text}");
    assert!(text.contains("  shipping/cost.py:4:1-10:30"), "{text}");
}

/// An ignored region never closed is reported, not silently taken to the
/// end of the file.
#[test]
fn an_unclosed_ignore_region_is_reported() {
    let fixture = dupes(&common::fixture("dupes/python"), &[]);
    assert_eq!(fixture["unclosed_ignores"], serde_json::json!([]));

    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("dupes/python"), dir.path());
    std::fs::write(
        dir.path().join("billing/open.py"),
        "x = 1\n# vantage-ignore-start: generated tables\ndef f():\n    return 2\n",
    )
    .unwrap();
    let doc = dupes(dir.path(), &[]);
    assert_eq!(
        doc["unclosed_ignores"],
        serde_json::json!([{"path": "billing/open.py", "line": 2}])
    );
    let text = assert_cmd::Command::cargo_bin("vantage")
        .unwrap()
        .args(["dupes", "--min-tokens", "36"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout).contains(
            "unclosed   billing/open.py:2: vantage-ignore-start with no vantage-ignore-end"
        )
    );
}

#[test]
fn a_copied_query_is_a_clone_its_docstrings_are_not() {
    // fixtures/dupes/sql/README.md: 86 tokens, the query's words among them.
    let doc = dupes(&common::fixture("dupes/sql"), &[]);
    assert_eq!(
        classes(&doc),
        ["86: orders/repository.py:5-17 reports/queries.py:6-18"]
    );
}

#[test]
fn a_region_repeating_itself_is_found_where_it_was_copied() {
    // fixtures/dupes/repeating/README.md works the five classes out.
    let doc = dupes(&common::fixture("dupes/repeating"), &[]);
    assert_eq!(
        classes(&doc),
        [
            "124: tests/test_orders.py:2-21 tests/test_refunds.py:3-22",
            "100: report/long.py:11-20 report/short.py:5-14",
            "79: api/format.ts:3-10 api/render.ts:3-10",
            "71: report/long.py:1-8 report/short.py:1-8",
            "65: ledger/audit.py:6-13 ledger/balance.py:2-9",
        ]
    );
}

/// `dupes --near` on fixtures/near, worked out by hand (units of 36 tokens
/// or more).
///
/// invoices/validate.py (`validate_invoice`, 55 tokens) is
/// orders/validate.py (`validate_order`, 50 tokens: 8 in the `def` line,
/// then 4, 6, 6, 7, 6, 5, 6 and 2) with `invoice.checked = True` (5
/// tokens) inserted as line 3, `order` renamed `invoice` one to one, and
/// two messages changed: a common subsequence of all 50, similarity
/// 2·50 / (50 + 55) = 0.952. The bigger one is the first member; the
/// lines that differ are the inserted one and those of the changed
/// literals (3, 5, 7 in the invoice; 4, 6 in the order); the renamed
/// names mark none. accounts/check.py has the order's shape with every
/// name and message other and one statement more: 4 of its 21 aligned
/// names and literals are written alike, under half, so it is near
/// nothing (the exact search pairs it with the order's first 48 tokens).
///
/// tasks/queue.rs: `drains_in_chunks`, written inside a macro call (98
/// tokens: 5, 14, 9, 13 three times, 6, 11, 4, 1, 8, 1), and
/// `drains_at_once`, the same without its third `push_back` (85 tokens):
/// similarity 2·85 / (98 + 85) = 0.929, line 7 of the first differing.
#[test]
fn near_misses_are_found_with_their_differences() {
    let doc = dupes(&common::fixture("near"), &["--near"]);
    let near = &doc["near"];
    assert_eq!(near["similarity"], 0.8);
    assert_eq!(near["found"]["classes"], 2);
    assert_eq!(near["found"]["cross_module"], 1);
    let classes: Vec<String> = near["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let members: Vec<String> = c["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    format!(
                        "{} {} {} {} {}",
                        place(m),
                        m["tokens"],
                        m["similarity"],
                        m["differing_lines"],
                        m["first_differing_lines"]
                    )
                })
                .collect();
            format!("{}: {}", c["similarity"], members.join(" | "))
        })
        .collect();
    assert_eq!(
        classes,
        [
            "0.929: tasks/queue.rs:2-13 98 1.0 [] [] | tasks/queue.rs:16-26 85 0.929 [] [7]",
            "0.952: invoices/validate.py:1-10 55 1.0 [] [] | orders/validate.py:1-9 50 0.952 [4,6] [3,5,7]",
        ]
    );
    assert_eq!(
        near["classes"][1]["modules"],
        serde_json::json!(["invoices", "orders"])
    );
    // Without --near, no near key: the contract of `dupes` is unchanged.
    assert!(dupes(&common::fixture("near"), &[]).get("near").is_none());
    // A stricter similarity keeps the closer pair only.
    let strict = dupes(
        &common::fixture("near"),
        &["--near", "--similarity", "0.94"],
    );
    assert_eq!(strict["near"]["found"]["classes"], 1);

    let run = |threads: &str| {
        assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .args(["dupes", "-j", threads, "--near", "--min-tokens", "36"])
            .arg(common::fixture("near"))
            .output()
            .unwrap()
            .stdout
    };
    let text = run("1");
    assert_eq!(text, run("2"));
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains(
            "orders/validate.py:1-9  0.95; differing here: lines 4, 6; in the first: lines 3, 5, 7"
        ),
        "{text}"
    );
    for bad in ["0.3", "1.5", "x"] {
        assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .args(["dupes", "--near", "--similarity", bad])
            .arg(common::fixture("near"))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("ratio from 0.5 to 1"));
    }
}

/// `[check] max_near_duplication` gates on the share `dupes --near`
/// reports: of fixtures/near's 54 code lines (9 + 10 + 10 in the Python
/// files, 25 in queue.rs), 42 are in its two near classes (9 + 10, and
/// 12 + 11 in queue.rs): 77.78%.
#[test]
fn check_gates_on_the_near_duplication_share() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("near"), dir.path());
    let check = |limit: &str| {
        std::fs::write(
            dir.path().join("vantage.toml"),
            format!("[dupes]\nmin_tokens = 36\n\n[check]\nmax_near_duplication = {limit}\n"),
        )
        .unwrap();
        assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .args(["check", "--format", "json", "--no-cache"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let over = check("50");
    assert_eq!(over.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&over.stdout).unwrap();
    let text = doc.to_string();
    assert!(text.contains("duplication.near"), "{text}");
    assert!(
        text.contains("77.78% of code lines are in near-miss clones (42 of 54; 2 classes"),
        "{text}"
    );
    let under = check("80");
    assert_eq!(
        under.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&under.stdout)
    );
}
