//! SARIF 2.1.0 (OASIS), for code-scanning tools: one `reportingDescriptor`
//! per rule checked, one result per violation (failing or known, with its
//! `baselineState`), `partialFingerprints` from vantage's fingerprints, and
//! regions with lines. Paths are relative to the repository root
//! (`%SRCROOT%`), so the document is the same on every machine.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::CheckView;
use crate::analysis::baseline::Status;
use crate::analysis::rules::{Location, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn location(place: &Location) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(&place.path), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": place.start_line, "endLine": place.end_line},
        }
    })
}

/// A relative URI reference: path segments percent-encoded where RFC 3986
/// requires it (a file name may hold spaces, `#`, `%` or worse).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    severity.as_str()
}

pub fn write_check(out: &mut dyn Write, view: &CheckView) -> io::Result<()> {
    let rules = view.rules();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id(),
                "name": rule.name(),
                "shortDescription": {"text": rule.summary()},
                "fullDescription": {"text": rule.help()},
                "help": {"text": format!("{} Configured by `{}` in vantage.toml; `{}` shows more.", rule.help(), rule.key(), rule.more())},
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": [rule.category().to_lowercase().replace(' ', "-"), "architecture"]},
            })
        })
        .collect();
    let results: Vec<Value> = view
        .findings
        .iter()
        .zip(view.statuses)
        .map(|(finding, status)| {
            let index = rules
                .iter()
                .position(|r| *r == finding.rule)
                .expect("findings come from checked rules");
            let mut result = json!({
                "ruleId": finding.rule.id(),
                "ruleIndex": index,
                "level": level(finding.severity),
                "message": {"text": finding.message},
                "partialFingerprints": {"vantage/v1": finding.fingerprint},
                "baselineState": match status {
                    Status::New => "new",
                    Status::Known => "unchanged",
                    Status::Worse { .. } => "updated",
                },
                "properties": {"modules": view.module_names(finding)},
            });
            if let Some(place) = &finding.location {
                result["locations"] = json!([location(place)]);
            }
            if !finding.related.is_empty() {
                result["relatedLocations"] = finding
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, place)| {
                        let mut related = location(place);
                        related["id"] = json!(i + 1);
                        if let Some(note) = &place.note {
                            related["message"] = json!({"text": note});
                        }
                        related
                    })
                    .collect();
            }
            if let Some(value) = finding.value {
                result["properties"]["value"] = json!(value);
            }
            if let Some(limit) = finding.limit {
                result["properties"]["limit"] = json!(limit);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vantage",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }},
            "automationDetails": {"id": "vantage/check/"},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    super::json::write_json(out, &doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_what_a_path_may_hold() {
        assert_eq!(uri("src/a b#1%.py"), "src/a%20b%231%25.py");
        assert_eq!(uri("src/<img>.py"), "src/%3Cimg%3E.py");
        assert_eq!(uri("src/é.py"), "src/%C3%A9.py");
    }
}
