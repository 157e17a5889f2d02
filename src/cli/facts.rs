//! `vantage facts FILE` (hidden): what the queries extract from one file.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::EXIT_OK;
use crate::Error;
use crate::lang::{Language, extract_facts};

#[derive(Args, Debug)]
pub struct FactsArgs {
    /// A source file.
    pub file: PathBuf,
}

pub fn run(args: &FactsArgs) -> Result<i32, Error> {
    let fail = |reason: String| Error::Root {
        path: args.file.clone(),
        reason,
    };
    let name = args.file.to_string_lossy();
    let language = Language::from_path(&name)
        .ok_or_else(|| fail("not a file of a supported language".into()))?;
    let bytes = std::fs::read(&args.file).map_err(|e| fail(e.to_string()))?;
    let facts = extract_facts(language, &bytes).map_err(|_| fail("no syntax tree".into()))?;
    // A closed pipe (`| head`) ends the output, not the process in a panic.
    let _ = writeln!(std::io::stdout().lock(), "{facts:#?}");
    Ok(EXIT_OK)
}
