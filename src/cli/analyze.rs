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
    "layer_violation",
    "independence_violation",
    "main_sequence_distance",
    "cross_module_clone",
];

pub fn run(args: &AnalyzeArgs) -> Result<i32, Error> {
    // FLAGs need the clones, hence the tokens: known before the parse.
    let config = crate::config::Config::load(&args.common.path, args.common.config.as_deref())?;
    let write_flags = args.flags.wanted(&config);
    let extraction = if write_flags {
        Extraction::FullWithTokens
    } else {
        Extraction::Full
    };
    let analysis = analyze(&args.common.path, &args.common.options(extraction))?;
    args.common.print_stats(&analysis);
    let label = args.common.path.display().to_string();
    if write_flags {
        analysis
            .config
            .check_module_names(&analysis.modules.names)?;
    }
    args.common.write_output(|out| match args.format {
        SummaryFormat::Text => report::text::write_summary(out, &analysis, &label),
        SummaryFormat::Json => report::json::write_summary(out, &analysis),
    })?;
    if write_flags {
        let measures = Measures::new(&analysis);
        let findings = rules::evaluate(&measures, &RuleSet::flags(&analysis.config));
        let build = |agents: &[String]| report::flags::finding_flags(&analysis, &findings, agents);
        let plan = FlagPlan {
            complete_kinds: FLAG_KINDS.to_vec(),
            complete_scope: Vec::new(),
            gone_note: "No longer detected by vantage (or now routed to another agent): the finding is gone here."
                .to_string(),
        };
        let json_on_stdout = args.format != SummaryFormat::Text;
        args.flags
            .write(&analysis, &args.common, plan, build, json_on_stdout)?;
    }
    Ok(EXIT_OK)
}
