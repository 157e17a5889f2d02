//! GitLab's Code Quality report: the Code Climate issue format, one issue
//! per violation (failing or known: GitLab compares the branches itself).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::CheckView;
use crate::analysis::baseline::Status;
use crate::analysis::rules::{Severity, fingerprint};

pub fn write_check(out: &mut dyn Write, view: &CheckView) -> io::Result<()> {
    let config = view
        .analysis
        .config
        .relative_path
        .clone()
        .unwrap_or_else(|| "vantage.toml".to_string());
    let issues: Vec<Value> = view
        .findings
        .iter()
        .zip(view.statuses)
        .map(|(finding, status)| {
            let (path, begin, end) = match &finding.location {
                Some(place) => (place.path.clone(), place.start_line, place.end_line),
                None => (config.clone(), 1, 1),
            };
            let severity = match (finding.severity, status) {
                (Severity::Error, Status::Known) => "minor",
                (Severity::Error, _) => "major",
                (Severity::Warning, _) => "minor",
                (Severity::Note, _) => "info",
            };
            json!({
                "type": "issue",
                "check_name": finding.rule.id(),
                "description": finding.message,
                "categories": [finding.rule.category()],
                "location": {"path": path, "lines": {"begin": begin, "end": end}},
                "severity": severity,
                // Unique per issue: the rule and the finding.
                "fingerprint": fingerprint(&[finding.rule.id(), &finding.fingerprint]),
            })
        })
        .collect();
    super::json::write_json(out, &issues)
}
