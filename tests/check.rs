//! `vantage check`, the CI gate: every rule failing and passing on
//! fixtures/check (its README.md works out each violation by hand),
//! baselines, `--since` in git repositories the tests build, every output
//! format (SARIF against the published schema), and configuration errors.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

fn vantage(args: &[&str]) -> Output {
    std::process::Command::cargo_bin("vantage")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A copy of fixtures/check in a temporary folder.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        common::copy_dir(&common::fixture("check"), dir.path());
        Repo { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    /// Replaces `old` (which must occur) in a file.
    fn edit(&self, relative: &str, old: &str, new: &str) {
        let text = self.read(relative);
        assert!(text.contains(old), "{relative} lacks {old:?}");
        self.write(relative, &text.replacen(old, new, 1));
    }

    fn check(&self, extra: &[&str]) -> Output {
        let root = self.root().to_str().unwrap();
        let mut args = vec!["check", root];
        args.extend_from_slice(extra);
        vantage(&args)
    }

    /// `check --format json` (plus `extra`): the exit code and the document.
    fn check_json(&self, extra: &[&str]) -> (i32, Value) {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let output = self.check(&args);
        let code = output.status.code().unwrap();
        assert!(code == 0 || code == 1, "exit {code}: {}", stderr(&output));
        (code, serde_json::from_str(&stdout(&output)).unwrap())
    }

    fn git(&self, args: &[&str]) {
        common::git(self.root(), args);
    }
}

/// (rule, `path:line` or `path:first-last`, status) of each violation.
fn violations(doc: &Value) -> Vec<(String, String, String)> {
    doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let place = match &v["location"] {
                Value::Null => String::new(),
                l => {
                    let (start, end) = (
                        l["start_line"].as_u64().unwrap(),
                        l["end_line"].as_u64().unwrap(),
                    );
                    if start == end {
                        format!("{}:{start}", l["path"].as_str().unwrap())
                    } else {
                        format!("{}:{start}-{end}", l["path"].as_str().unwrap())
                    }
                }
            };
            (
                v["rule"].as_str().unwrap().to_string(),
                place,
                v["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The failing violations, as (rule, place).
fn failing(doc: &Value) -> Vec<(String, String)> {
    doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .zip(violations(doc))
        .filter(|(v, _)| v["fails"] == true)
        .map(|(_, (rule, place, _))| (rule, place))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The eleven violations of fixtures/check/README.md, in report order.
const EXPECTED: [(&str, &str); 11] = [
    ("cycle.module", "api/views.py:1"),
    ("cycle.files", "domain/orders.py:1"),
    ("dependency.forbidden", "plugins/paypal/refund.py:1"),
    ("layer.violation", "domain/pricing.py:4"),
    ("dependency.independent", "plugins/stripe/charge.py:1"),
    ("import.dangling", "api/views.py:2"),
    ("coupling.instability", "vantage.toml:8"),
    ("coupling.distance", "vantage.toml:9"),
    ("duplication.clone", "api/export.py:1-24"),
    ("duplication.total", "vantage.toml:12"),
    ("duplication.module", "vantage.toml:13"),
];

#[test]
fn every_rule_finds_its_violation_in_the_check_fixture() {
    let root = common::fixture("check");
    let output = vantage(&["check", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let doc: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(doc["passed"], false);
    assert_eq!(failing(&doc), pairs(&EXPECTED));
    let value = |rule: &str| {
        let v = doc["violations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["rule"] == rule)
            .unwrap();
        (v["value"].as_f64().unwrap(), v["limit"].as_f64())
    };
    assert_eq!(value("coupling.instability"), (0.67, Some(0.5)));
    assert_eq!(value("coupling.distance"), (1.0, Some(0.7)));
    assert_eq!(value("duplication.clone"), (24.0, Some(20.0)));
    assert_eq!(value("duplication.total"), (60.76, Some(50.0)));
    assert_eq!(value("duplication.module"), (88.89, Some(50.0)));
    assert_eq!(value("cycle.files"), (4.0, Some(3.0)));
    // The module violations name their modules.
    let modules = |rule: &str| -> Vec<String> {
        doc["violations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["rule"] == rule)
            .unwrap()["modules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(modules("duplication.module"), ["infra"]);
    assert_eq!(
        modules("dependency.independent"),
        ["plugins/paypal", "plugins/stripe"]
    );
    assert_eq!(modules("cycle.module"), ["api", "domain"]);

    // The text: the verdict, each violation with its place, the next step.
    let text = stdout(&vantage(&["check", root.to_str().unwrap()]));
    assert!(
        text.starts_with(&format!(
            "vantage check {}: FAILED: 11 violations\n",
            root.display()
        )),
        "{text}"
    );
    assert!(text.contains("\nerror layer.violation  domain/pricing.py:4\n  layering `service`: module `domain` may not use `api`, a layer above it: imports api/views.py\n"), "{text}");
    assert!(
        text.contains("  fail duplication.total            60.76% of code lines (limit 50.00%)\n"),
        "{text}"
    );
    assert!(text.contains("\nsee more: "), "{text}");
}

/// Each rule alone: a limit it breaks, then one it keeps (or the fixture
/// changed so that it keeps it).
#[test]
fn each_rule_fails_over_its_limit_and_passes_within_it() {
    struct Case {
        rule: &'static str,
        failing: &'static str,
        passing: &'static str,
        /// A file edit that makes the failing configuration pass.
        fix: Option<(&'static str, &'static str, &'static str)>,
        place: &'static str,
    }
    let cases = [
        Case {
            rule: "cycle.module",
            failing: "[check]\nmodule_cycles = \"forbid\"\n",
            passing: "[check]\nmodule_cycles = \"forbid\"\n",
            fix: Some((
                "domain/pricing.py",
                "from api import views\nfrom api.views import show\n",
                "views = show = None\n",
            )),
            place: "api/views.py:1",
        },
        Case {
            rule: "cycle.files",
            failing: "[check]\nmax_cycle_files = 3\n",
            passing: "[check]\nmax_cycle_files = 4\n",
            fix: None,
            place: "domain/orders.py:1",
        },
        Case {
            rule: "dependency.forbidden",
            failing: "[[forbid]]\nfrom = \"plugins/*\"\nto = \"infra\"\n",
            passing: "[[forbid]]\nfrom = \"plugins/*\"\nto = \"domain\"\n",
            fix: None,
            place: "plugins/paypal/refund.py:1",
        },
        Case {
            // Without its static imports of api, only the type-only one
            // is left: exempt.
            rule: "layer.violation",
            failing: "[[layers]]\nlayers = [\"api\", \"domain\", \"infra\"]\n",
            passing: "[[layers]]\nlayers = [\"api\", \"domain\", \"infra\"]\n",
            fix: Some((
                "domain/pricing.py",
                "from api import views\nfrom api.views import show\n",
                "views = show = None\n",
            )),
            place: "domain/pricing.py:4",
        },
        Case {
            rule: "dependency.independent",
            failing: "[[independent]]\nmodules = [\"plugins/*\"]\n",
            passing: "[[independent]]\nmodules = [\"plugins/stripe\", \"infra\"]\n",
            fix: None,
            place: "plugins/stripe/charge.py:1",
        },
        Case {
            rule: "import.dangling",
            failing: "[check]\ndangling_imports = \"forbid\"\n",
            passing: "[check]\ndangling_imports = \"forbid\"\n",
            fix: Some((
                "api/views.py",
                "import domain.gone\n",
                "import domain.tax\n",
            )),
            place: "api/views.py:2",
        },
        Case {
            rule: "coupling.instability",
            failing: "[check]\nmax_instability = { domain = 0.5 }\n",
            passing: "[check]\nmax_instability = { domain = 0.7 }\n",
            fix: None,
            place: "vantage.toml:2",
        },
        Case {
            rule: "coupling.distance",
            failing: "[check]\nmax_distance = 0.7\ndistance_min_files = 3\n",
            passing: "[check]\nmax_distance = 0.7\ndistance_min_files = 4\n",
            fix: None,
            place: "vantage.toml:2",
        },
        Case {
            rule: "duplication.clone",
            failing: "[check]\nmax_clone_lines = 23\n",
            passing: "[check]\nmax_clone_lines = 24\n",
            fix: None,
            place: "api/export.py:1-24",
        },
        Case {
            rule: "duplication.total",
            failing: "[check]\nmax_duplication = 60.7\n",
            passing: "[check]\nmax_duplication = 60.8\n",
            fix: None,
            place: "vantage.toml:2",
        },
        Case {
            rule: "duplication.module",
            failing: "[check]\nmax_module_duplication = 88\n",
            passing: "[check]\nmax_module_duplication = { infra = 89, api = 78, \"*\" = 0 }\n",
            fix: None,
            place: "vantage.toml:2",
        },
    ];
    for case in cases {
        let repo = Repo::new();
        repo.write("vantage.toml", case.failing);
        let (code, doc) = repo.check_json(&[]);
        assert_eq!(code, 1, "{}: {doc}", case.rule);
        assert_eq!(
            failing(&doc),
            pairs(&[(case.rule, case.place)]),
            "{}",
            case.rule
        );
        repo.write("vantage.toml", case.passing);
        if let Some((file, old, new)) = case.fix {
            repo.edit(file, old, new);
        }
        let (code, doc) = repo.check_json(&[]);
        assert_eq!(code, 0, "{}: {doc}", case.rule);
        assert_eq!(doc["passed"], true, "{}", case.rule);
        assert_eq!(doc["violations"], Value::Array(Vec::new()), "{}", case.rule);
        let rules: Vec<&str> = doc["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(rules, [case.rule], "the rule was checked");
    }
}

#[test]
fn type_only_imports_count_when_a_rule_says_so() {
    let repo = Repo::new();
    repo.edit(
        "domain/pricing.py",
        "from api import views\nfrom api.views import show\n",
        "views = show = None\n",
    );
    repo.write(
        "vantage.toml",
        "[[layers]]\nlayers = [\"api\", \"domain\", \"infra\"]\ntype_only = true\n",
    );
    let (code, doc) = repo.check_json(&[]);
    assert_eq!(code, 1);
    // `from api import schemas` under TYPE_CHECKING, now line 7.
    assert_eq!(
        failing(&doc),
        pairs(&[("layer.violation", "domain/pricing.py:7")])
    );
    let message = doc["violations"][0]["message"].as_str().unwrap();
    assert!(
        message.ends_with("imports api/schemas.py (a type-only import)"),
        "{message}"
    );
}

#[test]
fn dangling_imports_alone_see_a_module_that_answers_any_name() {
    // With only this rule, the check still reads definitions: `thing`
    // occurs nowhere in domain/lazy.py, but its `__getattr__` answers it.
    // The one dangling import is the fixture's own (api/views.py:2).
    let repo = Repo::new();
    repo.write("vantage.toml", "[check]\ndangling_imports = \"forbid\"\n");
    repo.write(
        "domain/lazy.py",
        "def __getattr__(name):\n    return name.upper()\n",
    );
    repo.write("api/lazy_user.py", "from domain.lazy import thing\n");
    let (code, doc) = repo.check_json(&[]);
    assert_eq!(code, 1, "{doc}");
    assert_eq!(
        failing(&doc),
        pairs(&[("import.dangling", "api/views.py:2")])
    );
    // Without the `__getattr__`, the name is missing.
    repo.write("domain/lazy.py", "def other(name):\n    return name\n");
    let (_, doc) = repo.check_json(&[]);
    assert_eq!(
        failing(&doc),
        pairs(&[
            ("import.dangling", "api/lazy_user.py:1"),
            ("import.dangling", "api/views.py:2"),
        ])
    );
}

#[test]
fn a_per_module_limit_written_as_a_subtable_is_located_at_its_header() {
    let repo = Repo::new();
    repo.write(
        "vantage.toml",
        "# limits\n\n[check.max_instability]\ndomain = 0.5\n",
    );
    let (code, doc) = repo.check_json(&[]);
    assert_eq!(code, 1, "{doc}");
    assert_eq!(
        failing(&doc),
        pairs(&[("coupling.instability", "vantage.toml:3")])
    );
}

#[test]
fn a_baseline_fails_only_on_what_is_new_and_lists_what_is_gone() {
    let repo = Repo::new();
    let baseline = repo.path("baseline.json");
    let baseline = baseline.to_str().unwrap();
    let output = repo.check(&["--write-baseline", baseline]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("11 violations recorded in"),
        "{}",
        stderr(&output)
    );
    let written: Value = serde_json::from_str(&repo.read("baseline.json")).unwrap();
    assert_eq!(written["violations"].as_array().unwrap().len(), 11);

    // Nothing changed: everything is known.
    let (code, doc) = repo.check_json(&["--baseline", baseline]);
    assert_eq!(code, 0, "{doc}");
    assert!(
        violations(&doc)
            .iter()
            .all(|(_, _, status)| status == "known")
    );
    assert_eq!(doc["gone"], Value::Array(Vec::new()));

    // A new forbidden import, a copy more of the clone (the total grows
    // and the clone class gains a member), and the dangling import fixed.
    repo.edit(
        "plugins/stripe/charge.py",
        "from plugins.paypal import refund\n",
        "from plugins.paypal import refund\nfrom infra import db\n",
    );
    repo.write("plugins/stripe/export.py", &repo.read("api/export.py"));
    repo.edit("api/views.py", "import domain.gone\n", "");
    let (code, doc) = repo.check_json(&["--baseline", baseline]);
    assert_eq!(code, 1, "{doc}");
    let mut found = failing(&doc);
    found.sort();
    // The copy also makes plugins/stripe's share of copied lines new.
    assert_eq!(
        found,
        pairs(&[
            ("dependency.forbidden", "plugins/stripe/charge.py:2"),
            ("duplication.clone", "api/export.py:1-24"),
            ("duplication.module", "vantage.toml:13"),
            ("duplication.total", "vantage.toml:12"),
        ])
    );
    let worse = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "duplication.total")
        .unwrap();
    assert_eq!(worse["status"], "worse");
    assert_eq!(worse["before"], 60.76);
    // stripe -> paypal was there: the same edge, known though its file
    // changed.
    let independent = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "dependency.independent")
        .unwrap();
    assert_eq!(independent["status"], "known", "{independent}");
    let gone: Vec<&str> = doc["gone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["rule"].as_str().unwrap())
        .collect();
    // The clone class with two places is gone: the one with three is
    // another (its fingerprint holds its files).
    assert_eq!(gone, ["duplication.clone", "import.dangling"]);
    // The text says what to do with what is gone.
    let text = stdout(&repo.check(&["--baseline", baseline]));
    assert!(
        text.contains(
            "2 violations in the baseline no longer found (tighten it with --write-baseline):\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n  import.dangling  api/views.py:2  imports `domain.gone`"),
        "{text}"
    );

    // A grown cycle is new, a shrunk one is known.
    let repo = Repo::new();
    repo.check(&["--write-baseline", repo.path("b.json").to_str().unwrap()]);
    repo.edit(
        "infra/db.py",
        "class Database:",
        "from domain import tax\n\n\nclass Database:",
    );
    let b = repo.path("b.json");
    let (_, doc) = repo.check_json(&["--baseline", b.to_str().unwrap()]);
    let cycle = violations(&doc)
        .into_iter()
        .find(|(rule, _, _)| rule == "cycle.module")
        .unwrap();
    assert_eq!(cycle.2, "new", "{doc}");
}

#[test]
fn failing_findings_do_not_hide_in_the_baseline_statuses() {
    // The independence finding above was known although charge.py changed:
    // a finding is its rule and its file edge, not its lines.
    let repo = Repo::new();
    let b = repo.path("b.json");
    repo.check(&["--write-baseline", b.to_str().unwrap()]);
    repo.edit(
        "plugins/stripe/charge.py",
        "from plugins",
        "\n\nfrom plugins",
    );
    let (code, doc) = repo.check_json(&["--baseline", b.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc}");
    assert!(violations(&doc).contains(&(
        "dependency.independent".to_string(),
        "plugins/stripe/charge.py:3".to_string(),
        "known".to_string()
    )));
}

/// A repository with the fixture committed on `main`.
fn committed() -> Repo {
    let repo = Repo::new();
    repo.git(&["init", "-q", "-b", "main"]);
    repo.git(&["add", "."]);
    repo.git(&["commit", "-q", "-m", "fixture"]);
    repo
}

#[test]
fn since_fails_on_what_the_change_introduced() {
    let repo = committed();
    // Unchanged tree: nothing is the change's.
    let (code, doc) = repo.check_json(&["--since", "main"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["compared_with"]["since"], "main");

    // On a branch: a forbidden import in a new line, a copy of unchanged
    // code (export_rows) in a new file, a file with a violation renamed,
    // a file deleted, a comment added inside the old clone.
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.edit(
        "plugins/stripe/charge.py",
        "from plugins.paypal import refund\n",
        "from plugins.paypal import refund\nfrom infra import db\n",
    );
    repo.write("domain/report.py", &repo.read("api/export.py"));
    repo.git(&[
        "mv",
        "plugins/paypal/refund.py",
        "plugins/paypal/refunds.py",
    ]);
    repo.edit(
        "plugins/stripe/charge.py",
        "from plugins.paypal import refund\n",
        "from plugins.paypal import refunds as refund\n",
    );
    repo.git(&["rm", "-q", "domain/tax.py"]);
    repo.edit(
        "domain/pricing.py",
        "from domain import tax\n",
        "tax = None\n",
    );
    repo.edit(
        "infra/csv_export.py",
        "    total = 0\n",
        "    # the footer\n    total = 0\n",
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "change"]);
    let (code, doc) = repo.check_json(&["--since", "main"]);
    assert_eq!(code, 1, "{doc}");
    let mut found = failing(&doc);
    found.sort();
    assert_eq!(
        found,
        pairs(&[
            ("dependency.forbidden", "plugins/stripe/charge.py:2"),
            ("duplication.clone", "api/export.py:1-24"),
            ("duplication.module", "vantage.toml:13"),
            ("duplication.total", "vantage.toml:12"),
        ]),
        "{doc}"
    );
    // The renamed file keeps its forbidden import: known, not new.
    assert!(
        violations(&doc).contains(&(
            "dependency.forbidden".to_string(),
            "plugins/paypal/refunds.py:1".to_string(),
            "known".to_string()
        )),
        "{doc}"
    );
    // domain now copies code: its duplication share is new past the limit.
    let module = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "duplication.module" && v["fails"] == true)
        .unwrap();
    assert_eq!(module["modules"][0], "domain", "{module}");
    assert!(doc["compared_with"]["merge_base"].as_str().unwrap().len() >= 40);
}

#[test]
fn since_a_folder_that_did_not_exist_makes_everything_new() {
    let top = tempfile::tempdir().unwrap();
    common::git(top.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(top.path().join("README.md"), "empty\n").unwrap();
    common::git(top.path(), &["add", "README.md"]);
    common::git(top.path(), &["commit", "-q", "-m", "start"]);
    let service = top.path().join("service");
    common::copy_dir(&common::fixture("check"), &service);
    common::git(top.path(), &["add", "."]);
    common::git(top.path(), &["commit", "-q", "-m", "service"]);
    let output = vantage(&[
        "check",
        service.to_str().unwrap(),
        "--since",
        "HEAD~1",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let doc: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(failing(&doc), pairs(&EXPECTED));
    // Since HEAD, all of it was there already.
    let output = vantage(&[
        "check",
        service.to_str().unwrap(),
        "--since",
        "HEAD",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn sarif_validates_against_the_published_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixture("sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let repo = Repo::new();
    // A hostile file name with a violation, to check URIs.
    repo.write("plugins/stripe/we ird#%<b>.py", "from infra import db\n");
    let output = repo.check(&["--format", "sarif"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let sarif: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A negative control: the validator does reject a broken document.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    let run = &sarif["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules.len(), 11);
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(result["ruleId"], rules[index]);
        assert_eq!(
            result["partialFingerprints"]["vantage/v1"]
                .as_str()
                .unwrap()
                .len(),
            16
        );
        assert!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
    let uris: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"plugins/stripe/we%20ird%23%25%3Cb%3E.py"),
        "{uris:?}"
    );
}

#[test]
fn github_and_codeclimate_formats() {
    let repo = Repo::new();
    repo.write(
        "vantage.toml",
        "[[forbid]]\nfrom = \"plugins/*\"\nto = \"infra\"\nreason = \"a, b: c\"\n",
    );
    let output = repo.check(&["--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "::error file=plugins/paypal/refund.py,line=1,endLine=1,title=vantage dependency.forbidden::module `plugins/paypal` may not depend on `infra` (a, b: c): imports infra/db.py (see `vantage graph --level module`)\nvantage check: 1 violation(s) fail the check (0 known)\n"
    );
    let output = repo.check(&["--format", "codeclimate"]);
    assert_eq!(output.status.code(), Some(1));
    let issues: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let issue = &issues[0];
    assert_eq!(issues.as_array().unwrap().len(), 1);
    assert_eq!(issue["type"], "issue");
    assert_eq!(issue["check_name"], "dependency.forbidden");
    assert_eq!(issue["severity"], "major");
    assert_eq!(issue["location"]["path"], "plugins/paypal/refund.py");
    assert_eq!(issue["location"]["lines"]["begin"], 1);
    assert_eq!(issue["categories"][0], "Complexity");
    assert_eq!(issue["fingerprint"].as_str().unwrap().len(), 16);
}

#[test]
fn configuration_errors_name_the_key_and_the_way_out() {
    let repo = Repo::new();
    let cases = [
        (
            "[check]\nmax_dupliction = 3.0\n",
            &["max_dupliction", "did you mean `max_duplication`?"][..],
        ),
        (
            "[check]\nmax_duplication = 300\n",
            &["check.max_duplication is 300", "from 0 to 100"][..],
        ),
        (
            "[check]\nmodule_cycles = \"deny\"\n",
            &[
                "check.module_cycles is \"deny\"",
                "expected \"forbid\" or \"allow\"",
            ][..],
        ),
        (
            "[[forbid]]\nfrom = \"plugin/*\"\nto = \"infra\"\n",
            &[
                "[[forbid]] from names `plugin/*`, which matches no module (the modules: api, domain, infra, plugins/paypal, plugins/stripe)",
            ][..],
        ),
        (
            "[[forbid]]\nfrom = \"domian\"\nto = \"infra\"\n",
            &["did you mean `domain`?"][..],
        ),
        (
            "[[layers]]\nlayers = [\"api\"]\n",
            &["[[layers]] needs at least two layers"][..],
        ),
        (
            "[check]\nmax_instability = { domain = \"high\" }\n",
            &["check.max_instability.domain", "expected a number"][..],
        ),
    ];
    for (config, expected) in cases {
        repo.write("vantage.toml", config);
        let output = repo.check(&[]);
        assert_eq!(output.status.code(), Some(2), "{config}");
        let err = stderr(&output);
        assert!(err.contains("vantage.toml"), "names the file: {err}");
        for part in expected {
            assert!(err.contains(part), "{config}: {part:?} not in {err}");
        }
        assert!(err.contains("help: see docs/configuration.md"), "{err}");
    }
    // A missing or broken baseline is an error too, before any parsing.
    repo.write("vantage.toml", "");
    let output = repo.check(&["--baseline", "/nonexistent/b.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read the baseline /nonexistent/b.json"));
    repo.write("b.json", "{\"schema_version\": 1, \"tool\": \"x\", \"violations\": [{\"rule\": \"no.such\", \"fingerprint\": \"1\"}]}");
    let output = repo.check(&["--baseline", repo.path("b.json").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown rule `no.such`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn without_rules_the_check_passes_and_says_so() {
    let repo = Repo::new();
    std::fs::remove_file(repo.path("vantage.toml")).unwrap();
    let output = repo.check(&[]);
    assert_eq!(output.status.code(), Some(0));
    // Said once, pointing to `vantage init` (tests/init.rs has more).
    assert!(
        stdout(&output).contains("no rules to check: there is no vantage.toml"),
        "{}",
        stdout(&output)
    );
    assert_eq!(stderr(&output), "");
    // A machine format still gets its document; people get the note.
    let output = repo.check(&["--format", "sarif"]);
    assert_eq!(output.status.code(), Some(0));
    let sarif: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert!(stderr(&output).contains("no rules to check"));
}

#[test]
fn check_output_is_the_same_at_any_thread_count() {
    let root = common::fixture("check");
    let root = root.to_str().unwrap();
    let one = stdout(&vantage(&["check", root, "--format", "sarif", "-j", "1"]));
    let two = stdout(&vantage(&["check", root, "--format", "sarif", "-j", "2"]));
    assert_eq!(one, two);
}

#[test]
fn layer_and_independence_violations_become_flags() {
    let repo = Repo::new();
    let store = repo.path("flags.db");
    let home = tempfile::tempdir().unwrap();
    let output = std::process::Command::cargo_bin("vantage")
        .unwrap()
        .args([
            "analyze",
            repo.root().to_str().unwrap(),
            "--flags",
            "--store",
            store.to_str().unwrap(),
        ])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let conn = rusqlite::Connection::open(&store).unwrap();
    let mut rows: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT target_agent, json_extract(context, '$.kind'), change_description FROM flags",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.sort();
    let kinds: Vec<(&str, &str)> = rows
        .iter()
        .map(|(a, k, _)| (a.as_str(), k.as_str()))
        .collect();
    assert!(
        kinds.contains(&("@acolyte.domain", "layer_violation")),
        "{rows:#?}"
    );
    assert!(
        kinds.contains(&("@acolyte.stripe", "independence_violation")),
        "{rows:#?}"
    );
    assert!(
        kinds.contains(&("@acolyte.paypal", "forbidden_dependency")),
        "{rows:#?}"
    );
    let layer = rows.iter().find(|r| r.1 == "layer_violation").unwrap();
    assert_eq!(
        layer.2,
        "Module `domain` depends on `api`, a layer above it in layering `service`, through 2 import sites, which vantage.toml's [[layers]] forbids."
    );
}
