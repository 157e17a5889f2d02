//! `vantage trace ENDPOINT`: the request flow of an endpoint (or of a
//! definition) through the symbol graph.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::lang::Extraction;
use crate::pipeline::{Analysis, analyze};
use crate::report::trace::{self, Traced};
use crate::routes::Route;
use crate::symbols::{NodeKind, SymbolId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    Text,
    Json,
    Mermaid,
}

#[derive(Args, Debug)]
pub struct TraceArgs {
    /// An endpoint (`GET /api/orders/{id}`, a path alone, or a concrete
    /// path such as `/api/orders/7/`), or a view's or any definition's
    /// symbol (`orders.views.OrderView`).
    pub target: String,

    #[command(flatten)]
    pub common: CommonArgs,

    /// How many calls deep to follow.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub depth: u16,

    #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
    pub format: TraceFormat,
}

pub fn run(args: &TraceArgs) -> Result<i32, Error> {
    let analysis = analyze(&args.common.path, &args.common.options(Extraction::Symbols))?;
    args.common.print_stats(&analysis);
    let traced = traces(&analysis, &args.target, usize::from(args.depth))?;
    args.common.write_output(|out| match args.format {
        TraceFormat::Text => trace::write_text(out, &analysis, &traced),
        TraceFormat::Json => trace::write_json(out, &analysis, &args.target, &traced),
        TraceFormat::Mermaid => trace::write_mermaid(out, &analysis, &traced),
    })?;
    Ok(EXIT_OK)
}

/// The traces a target asks for: one per endpoint it names, else one of
/// the definitions it names. Nothing named is an error with the nearest
/// endpoint or name.
pub fn traces<'a>(
    analysis: &'a Analysis,
    target: &str,
    depth: usize,
) -> Result<Vec<Traced<'a>>, Error> {
    let routes = analysis.routes.matching(&analysis.symbols, target);
    if !routes.is_empty() {
        return Ok(routes
            .into_iter()
            .map(|r| Traced {
                route: Some(r),
                trace: crate::analysis::trace::trace(analysis, &starts_of(analysis, r), depth),
            })
            .collect());
    }
    if !target.trim_start().starts_with('/') && !target.contains(' ') {
        let found = analysis.symbols.find(target);
        if !found.is_empty() {
            return Ok(vec![Traced {
                route: None,
                trace: crate::analysis::trace::trace(analysis, &found, depth),
            }]);
        }
    }
    let paths = analysis
        .routes
        .routes
        .iter()
        .map(|r| r.path.as_str())
        .collect::<Vec<_>>();
    let asked = target
        .split_once(' ')
        .map_or(target, |(_, path)| path)
        .trim();
    let hint = crate::config::closest(asked, paths.iter().copied())
        .map(|p| format!("the nearest endpoint is `{p}`"))
        .unwrap_or_else(|| {
            if analysis.routes.routes.is_empty() {
                "no endpoints were found (vantage routes lists them)".to_string()
            } else {
                "vantage routes lists the endpoints".to_string()
            }
        });
    Err(Error::Usage {
        message: format!("no endpoint or definition named `{target}`; {hint}"),
    })
}

/// Where an endpoint's flow starts: the method handling it, else the
/// view (a function, or a class and the methods the repository gives it,
/// which the framework calls).
pub fn starts_of(analysis: &Analysis, route: &Route) -> Vec<SymbolId> {
    let Some(handler) = route.handler else {
        return Vec::new();
    };
    if let Some(method) = handler.method {
        return vec![method];
    }
    let graph = &analysis.symbols;
    let view = &graph.nodes[handler.view];
    let mut starts = vec![handler.view];
    if matches!(view.kind, NodeKind::Def(k) if k.is_type())
        && let (Some(&class), Some(symbols)) = (
            view.defs.first(),
            analysis.facts[view.file].symbols.as_ref(),
        )
    {
        for (i, d) in symbols.defs.iter().enumerate() {
            if d.parent == Some(class)
                && d.kind.is_callable()
                && let Some(node) = graph.node(view.file, i as u32)
            {
                starts.push(node);
            }
        }
    }
    starts
}
