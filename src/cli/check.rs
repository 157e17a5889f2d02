//! `vantage check`: the CI gate. Evaluates the rules of vantage.toml
//! (`[check]`, `[[forbid]]`, `[[layers]]`, `[[independent]]`), compares the
//! violations with a baseline or with the tree a change started from, and
//! exits 1 when a violation is new.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::analysis::baseline::{self, BaselineFile, Known, Status};
use crate::analysis::measures::Measures;
use crate::analysis::rules::{self, Finding, Rule, RuleSet};
use crate::changes::{self, FileChange, Status as ChangeStatus};
use crate::pipeline::{Analysis, Options, analyze};
use crate::report::{self, CheckView, Comparison};

/// Exit code when a violation is new.
const EXIT_VIOLATION: i32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A summary for a CI log.
    Text,
    /// The versioned contract in docs/output.md.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the diff).
    Github,
    /// GitLab's Code Quality report (Code Climate JSON).
    Codeclimate,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Fail only on violations this baseline (from --write-baseline) does
    /// not hold; list the ones it holds that no longer occur.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record today's violations in FILE as the baseline, and pass.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Fail only on what the change since the merge base with REV
    /// introduced: new dependencies, new or grown cycles, clones touching
    /// changed lines, measures that grew past their limit.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

pub fn run(args: &CheckArgs) -> Result<i32, Error> {
    let root = &args.common.path;
    let config = crate::config::Config::load(root, args.common.config.as_deref())?;
    let rule_set = RuleSet::check(&config);
    let options = args.common.options(rule_set.extraction());
    // Read before the analysis: a missing baseline is a usage error, not a
    // reason to parse the repository first.
    // --baseline, else the one vantage.toml names (relative to the root);
    // --write-baseline records afresh and compares with none.
    let baseline_path = args.baseline.clone().or_else(|| {
        let named = config.check.baseline.as_ref()?;
        args.write_baseline.is_none().then(|| root.join(named))
    });
    let known_baseline = baseline_path.as_deref().map(read_baseline).transpose()?;
    let no_rules = rule_set
        .rules(&config)
        .is_empty()
        .then(|| no_rules(root, &config));
    if let Some(why) = &no_rules
        && args.format == CheckFormat::Text
        && args.write_baseline.is_none()
    {
        // Nothing to gate: said once, and no analysis to pay for.
        println!("vantage check {}: {why}", root.display());
        return Ok(EXIT_OK);
    }
    let analysis = analyze(root, &options)?;
    args.common.check_rules(&analysis)?;
    args.common.print_stats(&analysis);
    let Gate {
        findings,
        measured,
        mut statuses,
        gone,
    } = gate(&analysis, &rule_set, known_baseline.as_deref());

    if let Some(path) = &args.write_baseline {
        let file = BaselineFile::of(&findings);
        let text = serde_json::to_string_pretty(&file).expect("a baseline serialises") + "\n";
        super::write_atomically(path, text.as_bytes())?;
        eprintln!(
            "vantage check: {} violation{} recorded in {} ({} rules checked); `vantage check --baseline {}` fails only on new ones",
            file.violations.len(),
            if file.violations.len() == 1 { "" } else { "s" },
            path.display(),
            measured.len(),
            path.display()
        );
        return Ok(EXIT_OK);
    }

    let mut comparison = Comparison {
        baseline: baseline_path.as_ref().map(|p| p.display().to_string()),
        ..Comparison::default()
    };
    if let Some(revision) = &args.since {
        let (base, known, changed) = known_at_base(root, revision, &options, &rule_set)?;
        let (against, _) = baseline::compare(&findings, &known);
        for ((status, finding), before) in statuses.iter_mut().zip(&findings).zip(against) {
            let before = introduced(finding, before, &changed);
            // New only if new against both the baseline and the base.
            *status = status.best(before);
        }
        comparison.since = Some((revision.clone(), base));
    }
    let view = CheckView {
        analysis: &analysis,
        findings: &findings,
        statuses: &statuses,
        measured: &measured,
        gone: &gone,
        comparison,
        root_label: root.display().to_string(),
    };
    args.common.write_output(|out| match args.format {
        CheckFormat::Text => report::text::write_check(out, &view),
        CheckFormat::Json => report::json::write_check(out, &view),
        CheckFormat::Sarif => report::sarif::write_check(out, &view),
        CheckFormat::Github => report::github::write_check(out, &view),
        CheckFormat::Codeclimate => report::codeclimate::write_check(out, &view),
    })?;
    if let Some(why) = &no_rules {
        eprintln!("vantage check: {why}");
    }
    Ok(if view.failed() {
        EXIT_VIOLATION
    } else {
        EXIT_OK
    })
}

/// Why there is nothing to check, and where to start.
fn no_rules(root: &Path, config: &crate::config::Config) -> String {
    let init = |flags: &str| format!("`vantage init {flags}{}`", root.display());
    match &config.path {
        None => format!(
            "no rules to check: there is no vantage.toml; {} writes one with limits just above today's measures, the module layering of today's graph and a baseline of today's violations",
            init("")
        ),
        Some(path) => format!(
            "no rules to check: {} sets no [check] limit and has no [[forbid]], [[layers]] or [[independent]] rule (docs/configuration.md; {} proposes them from today's measures, keeping the old file as .bak)",
            path.display(),
            init("--force ")
        ),
    }
}

/// What the gate finds, before `--since`: every finding, what each rule
/// checked measured, and each finding's status against the baseline
/// (all new without one) with the baseline's entries that are gone.
pub struct Gate {
    pub findings: Vec<rules::Finding>,
    pub measured: Vec<(Rule, String)>,
    pub statuses: Vec<Status>,
    pub gone: Vec<Known>,
}

/// `vantage check`'s findings on an analysis (the CLI's and the MCP
/// tool's).
pub fn gate(analysis: &Analysis, rule_set: &RuleSet, baseline: Option<&[Known]>) -> Gate {
    let measures = Measures::new(analysis);
    let sources = super::source_reader(&analysis.project);
    let findings = rules::evaluate(&measures, rule_set, &sources);
    let measured = rule_set
        .rules(&analysis.config)
        .into_iter()
        .map(|rule| (rule, rules::measured(&measures, rule_set, rule)))
        .collect();
    let (statuses, gone) = match baseline {
        Some(known) => {
            let (statuses, vanished) = baseline::compare(&findings, known);
            (
                statuses,
                vanished.into_iter().map(|i| known[i].clone()).collect(),
            )
        }
        None => (vec![Status::New; findings.len()], Vec::new()),
    };
    Gate {
        findings,
        measured,
        statuses,
        gone,
    }
}

pub fn read_baseline(path: &Path) -> Result<Vec<Known>, Error> {
    let bad = |message: String| Error::Baseline {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|err| bad(err.to_string()))?;
    baseline::parse(&text).map_err(bad)
}

/// The findings of the same rules on the tree at the merge base with
/// `revision`, under today's names of renamed files; the base commit; and
/// what changed since.
fn known_at_base(
    root: &Path,
    revision: &str,
    options: &Options,
    rule_set: &RuleSet,
) -> Result<(String, Vec<Known>, Vec<FileChange>), Error> {
    let base = changes::merge_base(root, revision)?;
    let changed = changes::changed_since(root, revision)?;
    let dir = tempfile::tempdir().map_err(|source| Error::Output {
        path: std::env::temp_dir(),
        source,
    })?;
    if !changes::export_tree(root, &base, dir.path())? {
        // The analysed folder did not exist then: everything is new.
        return Ok((base, Vec::new(), changed));
    }
    // Today's rules judge the old tree.
    let mut options = options.clone();
    let config = crate::config::Config::load(root, options.config.as_deref())?;
    options.config = config.path.clone();
    // The old tree's files are mostly today's: the root's cache knows them.
    options.cache =
        options
            .cache_options(root, &config)
            .map(|cache| crate::pipeline::CacheRequest {
                dir: Some(cache.dir),
            });
    let mut old: Analysis = analyze(dir.path(), &options)?;
    // Texts are read under the old names, where the old tree has them.
    let old_paths: Vec<String> = old.project.files().iter().map(|f| f.path.clone()).collect();
    let renamed: std::collections::HashMap<&str, &str> = changed
        .iter()
        .filter_map(|c| match &c.status {
            ChangeStatus::Renamed(from) => Some((from.as_str(), c.path.as_str())),
            _ => None,
        })
        .collect();
    old.project
        .rename(|path| renamed.get(path).map(|new| new.to_string()));
    old.config.relative_path = config.relative_path.clone();
    let measures = Measures::new(&old);
    let sources = |file: usize| std::fs::read_to_string(dir.path().join(&old_paths[file])).ok();
    let known = rules::evaluate(&measures, rule_set, &sources)
        .iter()
        .map(Known::of)
        .collect();
    Ok((base, known, changed))
}

/// A clone is the change's only when a copy touches a changed line (or
/// lies in a new file): a copy of unchanged code is found through the new
/// copy, and a clone nobody touched is not the change's doing.
fn introduced(finding: &Finding, status: Status, changed: &[FileChange]) -> Status {
    let clone = matches!(finding.rule, Rule::LongClone | Rule::CrossModuleClone);
    if !clone || status != Status::New {
        return status;
    }
    let places = finding.location.iter().chain(&finding.related);
    let touched = places.into_iter().any(|place| {
        changed.iter().any(|change| {
            change.path == place.path
                && match change.status {
                    ChangeStatus::Added => true,
                    ChangeStatus::Deleted => false,
                    _ => change.lines.iter().any(|range| place.touches(range)),
                }
        })
    });
    if touched { Status::New } else { Status::Known }
}
