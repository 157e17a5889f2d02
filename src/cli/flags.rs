//! `vantage flags`: the FLAG store for people and agents who prefer not to
//! write SQL. Reads and changes rows only through `store/`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::EXIT_OK;
use crate::Error;
use crate::config::Config;
use crate::store::Store;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct FlagsArgs {
    #[command(subcommand)]
    pub action: Action,

    /// The repository whose store is found first (<ROOT>/.claude/memory/project.db).
    #[arg(long, value_name = "DIR", default_value = ".", global = true)]
    pub root: PathBuf,

    /// The FLAG store [default: <ROOT>/.claude/memory/project.db, else
    /// ~/.claude/memory/project.db, when present; else the first, created].
    #[arg(long, value_name = "DB", global = true)]
    pub store: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Pending FLAGs, highest impact first, then oldest.
    List {
        /// Only those for this agent (`@` optional).
        #[arg(long, value_name = "AGENT")]
        agent: Option<String>,
        /// Completed ones too.
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Mark a FLAG completed.
    Complete {
        id: i64,
        /// Who completes it [default: the writer of vantage.toml, or @coordinator.backend].
        #[arg(long, value_name = "AGENT")]
        by: Option<String>,
        /// A resolution note.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Mark a FLAG as waiting for an answer (agents skip it).
    Lock { id: i64 },
    /// Clear the lock.
    Unlock { id: i64 },
}

pub fn run(args: &FlagsArgs) -> Result<i32, Error> {
    let mut store = Store::open_existing(&args.root, args.store.as_deref())?;
    match &args.action {
        Action::List { agent, all, format } => {
            let rows = store.list(agent.as_deref(), *all)?;
            let mut out = std::io::stdout().lock();
            let written = match format {
                ListFormat::Table => crate::report::text::write_flag_rows(&mut out, &rows),
                ListFormat::Json => crate::report::json::write_flag_rows(&mut out, &rows),
            };
            written.map_err(|source| Error::Output {
                path: PathBuf::from("<stdout>"),
                source,
            })?;
        }
        Action::Complete { id, by, note } => {
            let by = match by {
                Some(by) => by.clone(),
                None => Config::load(&args.root, None)?.flag_source(),
            };
            store.complete(*id, &by, note.as_deref())?;
            println!("FLAG {id} completed by {}", crate::store::handle(&by));
        }
        Action::Lock { id } => {
            store.lock(*id, true)?;
            println!("FLAG {id} locked");
        }
        Action::Unlock { id } => {
            store.lock(*id, false)?;
            println!("FLAG {id} unlocked");
        }
    }
    Ok(EXIT_OK)
}
