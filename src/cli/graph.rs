//! `vantage graph`: the dependency graph of files or modules.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report::{self, Level};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Nodes are files, or modules (the file graph contracted).
    #[arg(long, value_enum, default_value_t = Level::File)]
    pub level: Level,

    /// Output format; json is the versioned contract in docs/output.md.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
}

pub fn run(args: &GraphArgs) -> Result<i32, Error> {
    let analysis = analyze(
        &args.common.path,
        &args.common.options(Extraction::ImportsOnly),
    )?;
    args.common.print_stats(&analysis);
    args.common.write_output(|out| match args.format {
        GraphFormat::Text => report::text::write_graph(out, &analysis, args.level),
        GraphFormat::Json => report::json::write_graph(out, &analysis, args.level),
        GraphFormat::Dot => report::dot::write_graph(out, &analysis, args.level),
        GraphFormat::Mermaid => report::mermaid::write_graph(out, &analysis, args.level),
    })?;
    Ok(EXIT_OK)
}
