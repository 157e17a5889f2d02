//! `vantage graph`: the dependency graph of files or modules.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report::{self, GraphView, Level};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

/// What the graph's nodes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphLevel {
    /// Files, with their imports.
    File,
    /// Modules: the file graph contracted.
    Module,
    /// Definitions (functions, methods, classes, module variables) and
    /// modules, with calls, instantiations, bases, types and references.
    Symbol,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Nodes are files, modules (the file graph contracted) or symbols.
    #[arg(long, value_enum, default_value_t = GraphLevel::File)]
    pub level: GraphLevel,

    /// Output format; json is the versioned contract in docs/output.md.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,

    /// Only the dependencies between these two modules, both ways (at file
    /// level, the file edges that cross between them).
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub between: Option<Vec<String>>,

    /// Leave out imports of the standard library and of third-party
    /// packages (JSON `unresolved`).
    #[arg(long)]
    pub no_externals: bool,
}

pub fn run(args: &GraphArgs) -> Result<i32, Error> {
    let level = match args.level {
        GraphLevel::File => Level::File,
        GraphLevel::Module => Level::Module,
        GraphLevel::Symbol => return run_symbols(args),
    };
    let analysis = analyze(
        &args.common.path,
        &args.common.options(Extraction::ImportsOnly),
    )?;
    args.common.print_stats(&analysis);
    let module = |query: &String| {
        analysis.modules.id(query).ok_or_else(|| Error::Target {
            what: "module",
            query: query.clone(),
            suggestion: crate::config::closest(
                query,
                analysis.modules.names.iter().map(String::as_str),
            )
            .map(str::to_string),
        })
    };
    let between = match &args.between {
        Some(pair) => Some((module(&pair[0])?, module(&pair[1])?)),
        None => None,
    };
    let view = GraphView {
        between,
        no_externals: args.no_externals,
        ..GraphView::new(&analysis, level)
    };
    args.common.write_output(|out| match args.format {
        GraphFormat::Text => report::text::write_graph(out, &view),
        GraphFormat::Json => report::json::write_graph(out, &view),
        GraphFormat::Dot => report::dot::write_graph(out, &view),
        GraphFormat::Mermaid => report::mermaid::write_graph(out, &view),
    })?;
    Ok(EXIT_OK)
}

/// `--level symbol`: the symbol graph, in JSON or text.
fn run_symbols(args: &GraphArgs) -> Result<i32, Error> {
    if args.between.is_some() || !matches!(args.format, GraphFormat::Text | GraphFormat::Json) {
        return Err(Error::Usage {
            message: "--level symbol is written as text or json, without --between".to_string(),
        });
    }
    let analysis = analyze(&args.common.path, &args.common.options(Extraction::Symbols))?;
    args.common.print_stats(&analysis);
    args.common.write_output(|out| match args.format {
        GraphFormat::Json => report::symbols::write_symbol_graph_json(out, &analysis),
        _ => report::symbols::write_symbol_graph_text(out, &analysis),
    })?;
    Ok(EXIT_OK)
}
