//! `vantage analyze`: the summary of a repository.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK, FlagArgs, FlagPlan};
use crate::Error;
use crate::analysis::measures::Measures;
use crate::analysis::rules::{self, RuleSet};
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format; json is the versioned contract in docs/output.md.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,

    #[command(flatten)]
    pub flags: FlagArgs,
}

/// The finding kinds `analyze --flags` looks for in full: their FLAGs are
/// completed when the finding is gone.
const FLAG_KINDS: &[&str] = &[
    "module_cycle",
    "unstable_dependency",
    "forbidden_dependency",
    "private_use",
    "layer_violation",
    "independence_violation",
    "main_sequence_distance",
    "cross_module_clone",
    "cross_module_near_clone",
    "dangling_import",
];

pub fn run(args: &AnalyzeArgs) -> Result<i32, Error> {
    // FLAGs need the clones, hence the tokens: known before the parse.
    let config = crate::config::Config::load(&args.common.path, args.common.config.as_deref())?;
    let write_flags = args.flags.wanted(&config);
    let extraction = if write_flags {
        // `[[forbid]] private = true` judges uses of definitions.
        if config.forbid.iter().any(|r| r.private) {
            Extraction::SymbolsWithTokens
        } else {
            Extraction::FullWithTokens
        }
    } else {
        Extraction::Full
    };
    let analysis = analyze(&args.common.path, &args.common.options(extraction))?;
    args.common.print_stats(&analysis);
    let label = args.common.path.display().to_string();
    if write_flags {
        args.common.check_rules(&analysis)?;
    }
    // Imports of what does not exist are findings of every run; FLAGs add
    // the other rules.
    let rule_set = if write_flags {
        RuleSet::flags(&analysis.config)
    } else {
        RuleSet {
            dangling_imports: true,
            ..RuleSet::default()
        }
    };
    let measures = Measures::new(&analysis);
    let sources = super::source_reader(&analysis.project);
    let findings = rules::evaluate(&measures, &rule_set, &sources);
    let flagged = if write_flags {
        let build = |agents: &[String]| report::flags::finding_flags(&analysis, &findings, agents);
        let plan = FlagPlan {
            complete_kinds: FLAG_KINDS.to_vec(),
            complete_scope: Vec::new(),
            gone_note: "No longer detected by vantage (or now routed to another agent): the finding is gone here."
                .to_string(),
        };
        Some(args.flags.write(&analysis, &args.common, plan, build)?)
    } else {
        None
    };
    args.common.write_output(|out| match args.format {
        SummaryFormat::Text => report::text::write_summary(out, &analysis, &findings, &label),
        SummaryFormat::Json => {
            report::json::write_summary(out, &analysis, &findings, flagged.as_ref())
        }
    })?;
    if let Some(flagged) = &flagged {
        flagged.print(args.format != SummaryFormat::Text)?;
    }
    Ok(EXIT_OK)
}
