//! Analyses: pure functions from graphs and facts to findings. One file per
//! analysis, each documented in the same sections: what it finds, why it
//! matters, an example, its limits.
//!
//! **Invariant:** nothing here touches the file system or prints; sinks in
//! `report/` format the findings.

pub mod baseline;
pub mod coupling;
pub mod cycles;
pub mod debt;
pub mod decoupling;
pub mod duplicates;
pub mod impact;
pub mod measures;
pub mod near;
pub mod rules;
pub mod symbol_impact;
pub mod trace;
