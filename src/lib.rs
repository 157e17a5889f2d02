//! vantage: static analysis of backend repositories.
//!
//! The pipeline (see ARCHITECTURE.md) runs discover → parse → resolve →
//! graph → modules; [`pipeline::analyze`] runs it all and returns an
//! [`pipeline::Analysis`] that the sinks in [`report`] format.

pub mod analysis;
pub mod cache;
pub mod changes;
pub mod cli;
pub mod config;
pub mod discover;
mod error;
pub mod facts;
pub mod graph;
pub mod lang;
pub mod mcp;
pub mod models;
pub mod modules;
pub mod pipeline;
mod progress;
pub mod project;
pub mod report;
pub mod resolve;
pub mod routes;
pub mod session;
pub mod store;
pub mod symbols;

pub use error::Error;

/// Runs the command line with `args` (the first is the program name) and
/// returns the exit code; `main` is this and nothing else.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    cli::run(args)
}
