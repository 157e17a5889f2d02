//! `vantage callers SYMBOL` and `vantage callees SYMBOL`: what uses a
//! definition, and what it uses, through the symbol graph.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report;
use crate::symbols::{Direction, EdgeKind, NodeKind, SymbolId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CallersFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct CallersArgs {
    /// A definition, qualified as its language names it
    /// (`pkg.mod.Class.method`, `src/a.ts#Class.method`) or by its tail
    /// (`Class.method`, `method`).
    pub symbol: String,

    #[command(flatten)]
    pub common: CommonArgs,

    /// How many steps to follow (1: direct only).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub depth: u16,

    /// Only calls and instantiations, not references, types, bases,
    /// fixtures or imports.
    #[arg(long)]
    pub calls_only: bool,

    #[arg(long, value_enum, default_value_t = CallersFormat::Text)]
    pub format: CallersFormat,
}

pub fn run(args: &CallersArgs, direction: Direction) -> Result<i32, Error> {
    let analysis = analyze(&args.common.path, &args.common.options(Extraction::Symbols))?;
    args.common.print_stats(&analysis);
    let starts = find(&analysis, &args.symbol)?;
    let calls_only = args.calls_only;
    let keep =
        move |kind: EdgeKind| !calls_only || matches!(kind, EdgeKind::Call | EdgeKind::Instantiate);
    let walked = analysis
        .symbols
        .walk(&starts, direction, usize::from(args.depth), keep);
    let view = report::symbols::NeighboursView {
        analysis: &analysis,
        query: &args.symbol,
        starts: &starts,
        direction,
        walked: &walked,
    };
    args.common.write_output(|out| match args.format {
        CallersFormat::Text => report::symbols::write_neighbours_text(out, &view),
        CallersFormat::Json => report::symbols::write_neighbours_json(out, &view),
    })?;
    Ok(EXIT_OK)
}

/// The definitions a query names; an unknown one is an error with the
/// nearest name.
pub fn find(analysis: &crate::pipeline::Analysis, query: &str) -> Result<Vec<SymbolId>, Error> {
    let graph = &analysis.symbols;
    let found = graph.find(query);
    if !found.is_empty() {
        return Ok(found);
    }
    let suggestion = crate::config::closest(
        query,
        graph
            .nodes
            .iter()
            .filter(|n| n.kind != NodeKind::Module)
            .map(|n| n.name.as_str()),
    )
    .map(str::to_string);
    Err(Error::Target {
        what: "definition",
        query: query.to_string(),
        suggestion,
    })
}
