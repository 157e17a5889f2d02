//! `vantage analyze`: the summary of a repository.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK, FlagArgs, FlagPlan};
use crate::Error;
use crate::analysis::coupling;
use crate::analysis::cycles::{CycleOptions, find_cycles};
use crate::analysis::duplicates::{DupeOptions, find_clones};
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
        // A rule naming no module is a typo, never silently nothing.
        for rule in &analysis.config.forbid {
            for name in [&rule.from, &rule.to] {
                if report::flags::module_id(&analysis, name).is_none() {
                    return Err(Error::Config {
                        path: analysis
                            .config
                            .path
                            .clone()
                            .unwrap_or_else(|| "vantage.toml".into()),
                        message: format!(
                            "[[forbid]] names the module `{name}`, which is not one of: {}",
                            analysis.modules.names.join(", ")
                        ),
                    });
                }
            }
        }
    }
    args.common.write_output(|out| match args.format {
        SummaryFormat::Text => report::text::write_summary(out, &analysis, &label),
        SummaryFormat::Json => report::json::write_summary(out, &analysis),
    })?;
    if write_flags {
        let cycles = find_cycles(&analysis.module_graph.graph, CycleOptions::default());
        let coupling = coupling::measure(
            &analysis.file_graph,
            &analysis.modules,
            &analysis.module_graph,
            &analysis.facts,
        );
        let input = super::dupes::CloneInput::of(&analysis);
        let options = DupeOptions {
            min_tokens: analysis.config.dupes.min_tokens.unwrap_or(50),
            ..DupeOptions::default()
        };
        let clones = find_clones(&input.streams, &input.paths, options);
        let build = |agents: &[String]| {
            let mut flags = report::flags::analysis_flags(
                &analysis,
                &cycles,
                &coupling,
                &analysis.config,
                agents,
            );
            flags.extend(report::flags::clone_flags(&analysis, &clones, agents));
            flags
        };
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
