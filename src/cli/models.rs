//! `vantage models [PATH]`: ORM models, their relations, and the
//! endpoints that reach them.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report::models;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModelsFormat {
    Text,
    Json,
    /// A Mermaid entity-relation diagram.
    Mermaid,
}

#[derive(Args, Debug)]
pub struct ModelsArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Only models declared in this module.
    #[arg(long, value_name = "MODULE")]
    pub module: Option<String>,

    /// Only the model named so: its class (`User`), symbol or table.
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,

    /// How many calls deep an endpoint's flow is followed to the models
    /// it reaches.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub depth: u16,

    #[arg(long, value_enum, default_value_t = ModelsFormat::Text)]
    pub format: ModelsFormat,
}

pub fn run(args: &ModelsArgs) -> Result<i32, Error> {
    let analysis = analyze(&args.common.path, &args.common.options(Extraction::Symbols))?;
    args.common.print_stats(&analysis);
    if let Some(module) = &args.module
        && analysis.modules.id(module).is_none()
    {
        return Err(Error::Usage {
            message: format!(
                "no module named `{module}` (vantage graph --level module lists them)"
            ),
        });
    }
    let filter = models::ModelFilter {
        module: args.module.clone(),
        model: args.model.clone(),
    };
    if let Some(want) = &filter.model
        && !analysis
            .models
            .models
            .iter()
            .any(|m| models::names(m, want))
    {
        let hint =
            crate::config::closest(want, analysis.models.models.iter().map(|m| m.name.as_str()))
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
        return Err(Error::Usage {
            message: format!("no model named `{want}`{hint}"),
        });
    }
    let depth = match args.format {
        ModelsFormat::Mermaid => 0,
        _ => usize::from(args.depth),
    };
    let listed = models::listed(&analysis, &filter, depth);
    args.common.write_output(|out| match args.format {
        ModelsFormat::Text => models::write_text(out, &analysis, &listed),
        ModelsFormat::Json => models::write_json(out, &analysis, &listed),
        ModelsFormat::Mermaid => models::write_mermaid(out, &analysis, &listed),
    })?;
    Ok(EXIT_OK)
}
