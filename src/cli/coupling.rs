//! `vantage coupling`: the module matrix, Martin's metrics, the most coupled
//! pairs and stable-dependencies violations.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report::{self, Cells};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CouplingFormat {
    /// Metrics, pairs, violations and the matrix.
    Table,
    /// The matrix alone, one row per importing module.
    Csv,
    Json,
    /// The dependency-structure matrix: dependencies first, cycles as blocks.
    Dsm,
}

#[derive(Args, Debug)]
pub struct CouplingArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format; json is the versioned contract in docs/output.md.
    #[arg(long, value_enum, default_value_t = CouplingFormat::Table)]
    pub format: CouplingFormat,

    /// What a matrix cell counts: import sites, or distinct importing files.
    #[arg(long, value_enum, default_value_t = Cells::Sites)]
    pub cells: Cells,
}

pub fn run(args: &CouplingArgs) -> Result<i32, Error> {
    // Abstractness needs the definitions: every file is read whole.
    let analysis = analyze(&args.common.path, &args.common.options(Extraction::Full))?;
    let coupling = analysis.coupling();
    args.common.print_stats(&analysis);
    let label = args.common.path.display().to_string();
    args.common.write_output(|out| match args.format {
        CouplingFormat::Table => {
            report::text::write_coupling(out, &analysis, &coupling, args.cells, &label)
        }
        CouplingFormat::Csv => {
            report::text::write_coupling_csv(out, &analysis, &coupling, args.cells)
        }
        CouplingFormat::Json => report::json::write_coupling(out, &analysis, &coupling),
        CouplingFormat::Dsm => report::text::write_dsm(out, &analysis, &coupling, args.cells),
    })?;
    Ok(EXIT_OK)
}
