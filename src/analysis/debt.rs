//! Technical debt: hot spots, the files where change is costly and likely.
//!
//! ## What it finds
//! Every file scored from four parts, each from 0 to 1 and shown apart:
//! fan-in (files importing it, over the most any file has), churn (commits
//! touching it in the git history read, over the most), membership in a
//! file-level cycle (1 or 0), and its duplicated share of code lines.
//! The score is their sum (0 to 4); files are ranked by it.
//!
//! ## Why it matters
//! A file many others import, that changes often, that sits in a cycle and
//! carries copies is where a change ripples furthest and breaks most: the
//! first place to pay debt back.
//!
//! ## Example
//! `db/models/query.py`: imported by 180 files (the most: 1.0), 60 of the
//! 400 commits read (the most: 1.0), in a 40-file cycle (1.0), 3% copied
//! (0.03): score 3.03.
//!
//! ## Limits
//! Churn needs a git repository (else the part is 0 for every file) and
//! counts commits, not lines. Fan-in counts every import kind. Weights are
//! equal on purpose: the parts are shown so that a reader can weigh them.

use super::cycles::{Component, CycleKind};
use super::duplicates::FileDuplication;
use crate::pipeline::Analysis;
use crate::project::FileId;

#[derive(Clone, Debug, PartialEq)]
pub struct HotSpot {
    pub file: FileId,
    /// Distinct files importing it.
    pub fan_in: usize,
    /// Commits touching it, when the history was read.
    pub churn: Option<usize>,
    /// Files in its cycle, if it is in one.
    pub cycle: Option<usize>,
    pub duplicated_lines: usize,
    pub code_lines: usize,
    /// Fan-in, churn, cycle, duplication: each from 0 to 1.
    pub parts: [f64; 4],
    pub score: f64,
}

/// Every file with a score above zero, highest first (then by path).
/// `churn` is by `FileId` when the history was read; `duplication` by
/// `FileId` when clones were searched.
pub fn hot_spots(
    analysis: &Analysis,
    file_cycles: &[Component],
    duplication: Option<&[FileDuplication]>,
    churn: Option<&[usize]>,
) -> Vec<HotSpot> {
    let count = analysis.project.files().len();
    let mut fan_in = vec![0usize; count];
    for (from, to, _) in analysis.file_graph.edges() {
        if from != to {
            fan_in[to] += 1;
        }
    }
    let mut cycle = vec![None; count];
    for component in file_cycles.iter().filter(|c| c.kind == CycleKind::Cycle) {
        for &f in &component.members {
            cycle[f] = Some(component.members.len());
        }
    }
    let max_fan_in = fan_in.iter().copied().max().unwrap_or(0).max(1) as f64;
    let max_churn = churn
        .and_then(|c| c.iter().copied().max())
        .unwrap_or(0)
        .max(1) as f64;
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let mut spots: Vec<HotSpot> = (0..count)
        .map(|file| {
            let (duplicated_lines, code_lines) = duplication
                .map(|d| (d[file].duplicated_lines, d[file].code_lines))
                .unwrap_or((0, 0));
            let commits = churn.map(|c| c[file]);
            let parts = [
                round(fan_in[file] as f64 / max_fan_in),
                round(commits.unwrap_or(0) as f64 / max_churn),
                if cycle[file].is_some() { 1.0 } else { 0.0 },
                if code_lines == 0 {
                    0.0
                } else {
                    round(duplicated_lines as f64 / code_lines as f64)
                },
            ];
            HotSpot {
                file,
                fan_in: fan_in[file],
                churn: commits,
                cycle: cycle[file],
                duplicated_lines,
                code_lines,
                parts,
                score: round(parts.iter().sum()),
            }
        })
        .filter(|s| s.score > 0.0)
        .collect();
    spots.sort_by(|x, y| {
        y.score.total_cmp(&x.score).then_with(|| {
            analysis
                .project
                .path(x.file)
                .cmp(analysis.project.path(y.file))
        })
    });
    spots
}
