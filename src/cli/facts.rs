//! `vantage facts FILE` (hidden): what the queries extract from one file.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::EXIT_OK;
use crate::Error;
use crate::lang::{Extraction, Language, extract_with};

#[derive(Args, Debug)]
pub struct FactsArgs {
    /// A source file.
    pub file: PathBuf,

    /// Also the symbol facts (definitions at every depth, uses, bindings).
    #[arg(long)]
    pub symbols: bool,

    /// The syntax tree instead, as an S-expression (to write queries).
    #[arg(long)]
    pub tree: bool,
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
    if args.tree {
        let tree = crate::lang::syntax_tree(language, &bytes)
            .ok_or_else(|| fail("no syntax tree".into()))?;
        let _ = writeln!(std::io::stdout().lock(), "{tree}");
        return Ok(EXIT_OK);
    }
    let extraction = if args.symbols {
        Extraction::Symbols
    } else {
        Extraction::Full
    };
    let facts =
        extract_with(language, &bytes, extraction).map_err(|_| fail("no syntax tree".into()))?;
    // A closed pipe (`| head`) ends the output, not the process in a panic.
    let _ = writeln!(std::io::stdout().lock(), "{facts:#?}");
    Ok(EXIT_OK)
}
