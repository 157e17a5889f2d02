//! `vantage analyze`: the summary of a repository.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK, FlagArgs};
use crate::Error;
use crate::analysis::coupling;
use crate::analysis::cycles::{CycleOptions, find_cycles};
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
];

pub fn run(args: &AnalyzeArgs) -> Result<i32, Error> {
    let analysis = analyze(&args.common.path, &args.common.options(Extraction::Full))?;
    args.common.print_stats(&analysis);
    let label = args.common.path.display().to_string();
    let write_flags = args.flags.wanted(&analysis.config);
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
        let build = |agents: &[String]| {
            report::flags::analysis_flags(&analysis, &cycles, &coupling, &analysis.config, agents)
        };
        // JSON on standard output stays one document: the account goes to
        // standard error then.
        match args.format {
            SummaryFormat::Text => {
                let mut out = std::io::stdout().lock();
                args.flags
                    .write(&analysis, FLAG_KINDS.to_vec(), build, &mut out)?;
            }
            SummaryFormat::Json => {
                let mut out = std::io::stderr().lock();
                args.flags
                    .write(&analysis, FLAG_KINDS.to_vec(), build, &mut out)?;
            }
        }
    }
    Ok(EXIT_OK)
}
