//! `vantage resolutions PATH` (hidden): every import and reference with what
//! it resolved to, one JSON object per line, for checking resolvers against
//! real code (bench/resolution_share.py reads it).

use clap::Args;
use serde::Serialize;

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::resolve::Resolution;

#[derive(Args, Debug)]
pub struct ResolutionsArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    line: u32,
    specifier: &'a str,
    kind: &'static str,
    reference: bool,
    outcome: &'static str,
    targets: Vec<&'a str>,
}

pub fn run(args: &ResolutionsArgs) -> Result<i32, Error> {
    let analysis = analyze(
        &args.common.path,
        &args.common.options(Extraction::ImportsOnly),
    )?;
    args.common.write_output(|out| {
        for (id, (facts, resolved)) in analysis.facts.iter().zip(&analysis.resolutions).enumerate()
        {
            for (import, resolution) in facts.imports.iter().zip(resolved) {
                let (outcome, targets): (&str, Vec<&str>) = match resolution {
                    Resolution::Files(files) => (
                        "files",
                        files.iter().map(|&f| analysis.project.path(f)).collect(),
                    ),
                    Resolution::Ambiguous(files) => (
                        "ambiguous",
                        files.iter().map(|&f| analysis.project.path(f)).collect(),
                    ),
                    Resolution::Namespace => ("namespace", Vec::new()),
                    Resolution::Asset(path) => ("asset", vec![path.as_str()]),
                    Resolution::Stdlib => ("stdlib", Vec::new()),
                    Resolution::External { .. } => ("external", Vec::new()),
                    Resolution::Undeclared { .. } => ("undeclared", Vec::new()),
                    Resolution::Unresolved => ("unresolved", Vec::new()),
                    Resolution::Local => ("local", Vec::new()),
                };
                let line = Line {
                    path: analysis.project.path(id),
                    line: import.line,
                    specifier: &import.specifier,
                    kind: import.kind.as_str(),
                    reference: import.reference,
                    outcome,
                    targets,
                };
                serde_json::to_writer(&mut *out, &line).map_err(std::io::Error::from)?;
                writeln!(out)?;
            }
        }
        Ok(())
    })?;
    Ok(EXIT_OK)
}
