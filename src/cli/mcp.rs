//! `vantage mcp`: the Model Context Protocol server over stdio.

use std::path::PathBuf;

use clap::Args;

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::lang::Extraction;

#[derive(Args, Debug)]
pub struct McpArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// The FLAG store of `flags_list` and `flags_complete` [default: as
    /// for `vantage flags`].
    #[arg(long, value_name = "DB")]
    pub store: Option<PathBuf>,

    /// Do not watch the files; each call still re-checks every file's
    /// size, times and inode, and reads again those that moved.
    #[arg(long)]
    pub no_watch: bool,
}

pub fn run(args: &McpArgs) -> Result<i32, Error> {
    // Every tool is answered from one analysis: definitions for symbols,
    // tokens for clones.
    let mut options = args.common.options(Extraction::SymbolsWithTokens);
    // Standard error may be the client's log pane, not a terminal.
    options.progress = false;
    let root = args.common.path.clone();
    let mut server = crate::mcp::Server::start(root, args.store.clone(), options, !args.no_watch)?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    server
        .serve(stdin.lock(), stdout.lock())
        .map_err(|source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        })?;
    Ok(EXIT_OK)
}
