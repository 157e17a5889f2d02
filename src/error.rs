//! Errors that stop a run. Each says what was wrong, with the bad input, and
//! how to fix it; all map to exit code 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot analyse {path}: {reason}")]
    Root { path: PathBuf, reason: String },

    #[error("invalid exclude glob `{glob}`: {message}")]
    BadGlob { glob: String, message: String },

    #[error("invalid configuration in {path}: {message}")]
    Config { path: PathBuf, message: String },

    #[error("cannot write {path}: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },

    #[error("{message}")]
    Git { message: String },

    #[error("no {what} `{query}` in the repository{}", .suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    Target {
        what: &'static str,
        query: String,
        suggestion: Option<String>,
    },

    #[error("FLAG store {path}: {message}")]
    Store { path: PathBuf, message: String },

    #[error("a FLAG breaks the store's rules ({fingerprint}): {message}")]
    FlagRule {
        message: String,
        fingerprint: String,
    },

    #[error("FLAG {id} {message}")]
    Flag { id: i64, message: String },

    #[error("{message}")]
    Usage { message: String },

    #[error("cannot read the baseline {path}: {message}")]
    Baseline { path: PathBuf, message: String },
}

impl Error {
    /// One line telling the user how to get past the error.
    pub fn help(&self) -> &'static str {
        match self {
            Error::Root { .. } => "pass the path of a readable directory (the repository root)",
            Error::BadGlob { .. } => {
                "globs use gitignore syntax, e.g. --exclude 'tests/**' --exclude '*.min.js'"
            }
            Error::Config { .. } => "see docs/configuration.md for the keys vantage.toml accepts",
            Error::Output { .. } => "check that the folder exists and is writable",
            Error::Threads { .. } => "lower --threads",
            Error::Git { .. } => {
                "--since needs a git repository and a revision it knows (a branch, tag or commit)"
            }
            Error::Store { .. } => {
                "give --store the path of a writable SQLite database (or of one to create); docs/output.md (FLAGs) describes the flags table"
            }
            Error::FlagRule { .. } => {
                "nothing was written; this is a bug in vantage's FLAG texts, please report it"
            }
            Error::Flag { .. } => "`vantage flags list --all` shows the FLAGs and their ids",
            Error::Usage { .. } => "see `vantage <command> --help`",
            Error::Baseline { .. } => {
                "write one with `vantage check --write-baseline FILE`; docs/output.md describes the format"
            }
            Error::Target { .. } => {
                "give a path (relative to PATH, or absolute inside it), a definition's name (or qualified name, or `Type.member`), or a module name as `vantage analyze` lists them"
            }
        }
    }
}
