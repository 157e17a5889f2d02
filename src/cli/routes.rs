//! `vantage routes [PATH]`: every HTTP endpoint the code registers.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report::routes::{self, RouteFilter};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoutesFormat {
    Text,
    Json,
    Csv,
}

#[derive(Args, Debug)]
pub struct RoutesArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Only endpoints whose path starts with this (`/api/`).
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,

    /// Only endpoints whose view is in this module.
    #[arg(long, value_name = "MODULE")]
    pub module: Option<String>,

    /// Only endpoints answering this method (`GET`).
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,

    /// Only endpoints with no authentication or permission guard.
    #[arg(long)]
    pub unguarded: bool,

    #[arg(long, value_enum, default_value_t = RoutesFormat::Text)]
    pub format: RoutesFormat,
}

pub fn run(args: &RoutesArgs) -> Result<i32, Error> {
    let analysis = analyze(&args.common.path, &args.common.options(Extraction::Symbols))?;
    args.common.print_stats(&analysis);
    let filter = RouteFilter {
        prefix: args.prefix.clone(),
        module: args.module.clone(),
        method: args.method.clone(),
        unguarded: args.unguarded,
    };
    let selected = routes::selected(&analysis, &filter);
    args.common.write_output(|out| match args.format {
        RoutesFormat::Text => routes::write_text(out, &analysis, &selected),
        RoutesFormat::Json => routes::write_json(out, &analysis, &selected),
        RoutesFormat::Csv => routes::write_csv(out, &analysis, &selected),
    })?;
    Ok(EXIT_OK)
}
