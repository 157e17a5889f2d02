//! Known findings: which of today's findings were there before.
//!
//! ## What it finds
//! Given today's findings and the ones known before (a baseline file, or
//! the findings of the tree a change started from), each finding is
//! `new`, `known`, or `worse` (known, but its measure grew: duplication,
//! instability, distance); and the known findings that no longer occur.
//!
//! ## Why it matters
//! A gate on a codebase with a past must fail on what a change makes
//! worse, not on everything it inherited; and it must say when the past
//! got better, so that the baseline is tightened.
//!
//! ## Example
//! A baseline holds the module cycle {orders, payments}. Today the cycle is
//! {orders, payments, billing}: new (it grew). Tomorrow {orders, payments}
//! again: known. A cycle of {orders} alone would be known too (it is made of
//! members the known one had).
//!
//! ## Limits
//! Findings are matched by rule and fingerprint; cycles by their members
//! (a subset of a known cycle is known); clones by fingerprint, and a class
//! with a copy in a file the known one did not have is new. A module
//! renamed in `[modules]` makes its findings new.

use serde::{Deserialize, Serialize};

use super::rules::{Finding, Rule};

/// A finding as a baseline file keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Known {
    pub rule: String,
    pub fingerprint: String,
    /// For people reading the file; not compared.
    #[serde(default)]
    pub message: String,
    /// `path:line`, for people; not compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

impl Known {
    pub fn of(finding: &Finding) -> Known {
        Known {
            rule: finding.rule.id().to_string(),
            fingerprint: finding.fingerprint.clone(),
            message: finding.message.clone(),
            location: finding.location.as_ref().map(|l| l.text()),
            members: finding.members.clone(),
            value: finding.value,
        }
    }
}

/// How a finding compares with what was known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Status {
    New,
    Known,
    /// Known, but its measure grew from `before`.
    Worse {
        before: f64,
    },
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Known => "known",
            Status::Worse { .. } => "worse",
        }
    }

    /// Whether the finding fails a gate.
    pub fn fails(self) -> bool {
        self != Status::Known
    }

    /// The better of two comparisons of one finding: known beats worse
    /// beats new.
    pub fn best(self, other: Status) -> Status {
        match (self, other) {
            (Status::Known, _) | (_, Status::Known) => Status::Known,
            (Status::Worse { before }, _) | (_, Status::Worse { before }) => {
                Status::Worse { before }
            }
            _ => Status::New,
        }
    }
}

/// Rules whose value is a measure that must not grow.
fn ratchets(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::Instability
            | Rule::StableDependencies
            | Rule::MainSequenceDistance
            | Rule::Duplication
            | Rule::ModuleDuplication
            | Rule::NearDuplication
    )
}

/// Whether every item of `small` is in `big`, counting repeats.
fn within(small: &[String], big: &[String]) -> bool {
    let mut big: Vec<&String> = big.iter().collect();
    big.sort();
    let mut small: Vec<&String> = small.iter().collect();
    small.sort();
    let mut i = 0;
    for item in small {
        while i < big.len() && big[i] < item {
            i += 1;
        }
        if i == big.len() || big[i] != item {
            return false;
        }
        i += 1;
    }
    true
}

/// The status of each finding, and the indexes of the known findings no
/// finding matched (gone).
pub fn compare(findings: &[Finding], known: &[Known]) -> (Vec<Status>, Vec<usize>) {
    let mut matched = vec![false; known.len()];
    let statuses = findings
        .iter()
        .map(|finding| {
            let id = finding.rule.id();
            let mut status = Status::New;
            for (i, k) in known.iter().enumerate() {
                if k.rule != id {
                    continue;
                }
                let same = if finding.rule.matches_by_members() {
                    k.fingerprint == finding.fingerprint || within(&finding.members, &k.members)
                } else {
                    k.fingerprint == finding.fingerprint && within(&finding.members, &k.members)
                };
                if !same {
                    continue;
                }
                matched[i] = true;
                let grew = match (ratchets(finding.rule), finding.value, k.value) {
                    (true, Some(now), Some(before)) if now > before + 1e-9 => Some(before),
                    _ => None,
                };
                let this = match grew {
                    None => Status::Known,
                    Some(before) => Status::Worse { before },
                };
                status = status.best(this);
            }
            status
        })
        .collect();
    let gone = (0..known.len()).filter(|&i| !matched[i]).collect();
    (statuses, gone)
}

/// A baseline file: the findings known at some point, sorted.
#[derive(Debug, Serialize, Deserialize)]
pub struct BaselineFile {
    pub schema_version: u32,
    pub tool: String,
    pub violations: Vec<Known>,
}

impl BaselineFile {
    pub fn of(findings: &[Finding]) -> BaselineFile {
        let mut violations: Vec<Known> = findings.iter().map(Known::of).collect();
        violations.sort_by(|a, b| {
            (&a.rule, &a.fingerprint, &a.location).cmp(&(&b.rule, &b.fingerprint, &b.location))
        });
        violations.dedup_by(|a, b| a.rule == b.rule && a.fingerprint == b.fingerprint);
        BaselineFile {
            schema_version: crate::report::SCHEMA_VERSION,
            tool: format!("vantage {}", env!("CARGO_PKG_VERSION")),
            violations,
        }
    }
}

/// A baseline file's text read and checked: this vantage's schema, rules
/// it knows.
pub fn parse(text: &str) -> Result<Vec<Known>, String> {
    let file: BaselineFile = serde_json::from_str(text).map_err(|err| err.to_string())?;
    if file.schema_version != crate::report::SCHEMA_VERSION {
        return Err(format!(
            "schema_version {} is not {}",
            file.schema_version,
            crate::report::SCHEMA_VERSION
        ));
    }
    for known in &file.violations {
        if Rule::from_id(&known.rule).is_none() {
            return Err(format!("unknown rule `{}`", known.rule));
        }
    }
    Ok(file.violations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_count_repeats() {
        let s = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(within(&s(&["a", "b"]), &s(&["b", "c", "a"])));
        assert!(within(&s(&[]), &s(&["a"])));
        assert!(!within(&s(&["a", "a"]), &s(&["a", "b"])));
        assert!(within(&s(&["a", "a"]), &s(&["a", "b", "a"])));
        assert!(!within(&s(&["d"]), &s(&["a", "b"])));
    }
}
