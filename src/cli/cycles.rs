//! `vantage cycles`: strongly connected components of the file or module
//! graph, with a witness cycle and the cheapest edges to cut.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::analysis::cycles::{CycleOptions, find_cycles};
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report::{self, Level, graph_at};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CyclesFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

#[derive(Args, Debug)]
pub struct CyclesArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Cycles between files, or between modules.
    #[arg(long, value_enum, default_value_t = Level::File)]
    pub level: Level,

    /// Only imports that run when a file loads (static, re-export, top-level
    /// require): lazy, dynamic and type-only imports are left out.
    #[arg(long)]
    pub runtime_only: bool,

    /// Output format; json is the versioned contract in docs/output.md; dot
    /// and mermaid draw the cycles only, cut edges in red.
    #[arg(long, value_enum, default_value_t = CyclesFormat::Text)]
    pub format: CyclesFormat,
}

pub fn run(args: &CyclesArgs) -> Result<i32, Error> {
    let analysis = analyze(
        &args.common.path,
        &args.common.options(Extraction::ImportsOnly),
    )?;
    let options = CycleOptions {
        runtime_only: args.runtime_only,
    };
    let components = find_cycles(graph_at(&analysis, args.level), options);
    args.common.print_stats(&analysis);
    let label = args.common.path.display().to_string();
    let found = report::CyclesView {
        analysis: &analysis,
        level: args.level,
        options,
        components: &components,
    };
    args.common.write_output(|out| match args.format {
        CyclesFormat::Text => report::text::write_cycles(out, &found, &label),
        CyclesFormat::Json => report::json::write_cycles(out, &found),
        CyclesFormat::Dot => report::dot::write_cycles(out, &found),
        CyclesFormat::Mermaid => report::mermaid::write_cycles(out, &found),
    })?;
    Ok(EXIT_OK)
}
