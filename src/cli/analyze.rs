//! `vantage analyze`: the summary of a repository.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
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
}

pub fn run(args: &AnalyzeArgs) -> Result<i32, Error> {
    let analysis = analyze(&args.common.path, &args.common.options(Extraction::Full))?;
    args.common.print_stats(&analysis);
    let label = args.common.path.display().to_string();
    args.common.write_output(|out| match args.format {
        SummaryFormat::Text => report::text::write_summary(out, &analysis, &label),
        SummaryFormat::Json => report::json::write_summary(out, &analysis),
    })?;
    Ok(EXIT_OK)
}
