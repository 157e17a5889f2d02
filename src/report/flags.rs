//! Findings as FLAGs: the texts an agent reads at its next start. Pure: it
//! builds [`NewFlag`]s from finished analyses; `store/` writes them.
//!
//! Each FLAG says what was found and where (paths and lines), and what to
//! do, within the contract's lengths (../shared/flag-store.md). Lists are
//! capped so that a FLAG stays readable; the counts say what was left out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;
use xxhash_rust::xxh3::xxh3_64;

use super::ImpactView;
use crate::analysis::coupling::Coupling;
use crate::analysis::cycles::{Component, CycleKind};
use crate::config::Config;
use crate::graph::Site;
use crate::pipeline::Analysis;
use crate::store::NewFlag;

/// Import sites listed in one FLAG at most.
const SITES_SHOWN: usize = 8;
/// Files listed in one FLAG's text at most (`related_files` holds more).
const FILES_SHOWN: usize = 6;
/// Paths in `related_files` at most.
const RELATED_MAX: usize = 40;

fn fingerprint(parts: &[&str]) -> String {
    format!("{:016x}", xxh3_64(parts.join("\0").as_bytes()))
}

fn site_text(analysis: &Analysis, site: &Site) -> String {
    let kind = if site.kind == crate::facts::ImportKind::Static {
        String::new()
    } else {
        format!(" ({})", site.kind.as_str())
    };
    format!(
        "{}:{} imports {}{kind}",
        analysis.project.path(site.from),
        site.line,
        analysis.project.path(site.to)
    )
}

/// `the import site` or `these N import sites`.
fn these_sites(n: usize) -> String {
    if n == 1 {
        "the import site".to_string()
    } else {
        format!("these {n} import sites")
    }
}

/// `1 import site`, `2 import sites`.
fn plural_sites(n: usize) -> String {
    if n == 1 {
        "1 import site".to_string()
    } else {
        format!("{n} import sites")
    }
}

/// `a; b; c; and N more`.
fn capped(items: &[String], shown: usize) -> String {
    let mut text = items
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > shown {
        text.push_str(&format!("; and {} more", items.len() - shown));
    }
    text
}

fn related(analysis: &Analysis, sites: &[&Site]) -> Vec<String> {
    let files: BTreeSet<&str> = sites
        .iter()
        .flat_map(|s| [analysis.project.path(s.from), analysis.project.path(s.to)])
        .collect();
    files
        .into_iter()
        .take(RELATED_MAX)
        .map(str::to_string)
        .collect()
}

/// The import sites from module `from` into module `to`.
fn module_sites(analysis: &Analysis, from: usize, to: usize) -> Vec<&Site> {
    analysis
        .module_graph
        .graph
        .edges()
        .filter(|(f, t, _)| *f == from && *t == to)
        .flat_map(|(_, _, d)| d.sites.iter())
        .collect()
}

/// FLAGs of `vantage analyze --flags`: module cycles, stable-dependencies
/// violations, forbidden dependencies and (when configured) modules far
/// from the main sequence. `agents` gives each module's agent, by module id.
pub fn analysis_flags(
    analysis: &Analysis,
    module_cycles: &[Component],
    coupling: &Coupling,
    config: &Config,
    agents: &[String],
) -> Vec<NewFlag> {
    let name = |m: usize| analysis.modules.name(m);
    let mut flags = Vec::new();

    for component in module_cycles.iter().filter(|c| c.kind == CycleKind::Cycle) {
        let print = component.fingerprint("module", |m| name(m).to_string());
        let members: Vec<&str> = component.members.iter().map(|&m| name(m)).collect();
        let mut witness: Vec<&str> = component.witness.iter().map(|h| name(h.from)).collect();
        if let Some(first) = witness.first().copied() {
            witness.push(first);
        }
        // One FLAG per module holding cut imports: its agent removes them.
        let mut by_owner: BTreeMap<usize, Vec<&crate::analysis::cycles::Hop>> = BTreeMap::new();
        for hop in &component.cut {
            by_owner.entry(hop.from).or_default().push(hop);
        }
        for (owner, hops) in by_owner {
            let sites: Vec<&Site> = hops.iter().flat_map(|h| h.sites.iter()).collect();
            let targets: Vec<&str> = hops.iter().map(|h| name(h.to)).collect();
            let listed: Vec<String> = sites.iter().map(|s| site_text(analysis, s)).collect();
            let change_description = format!(
                "Import cycle between modules {} ({} modules, {} import sites inside): {}. Module `{}` holds the cheapest imports to cut, toward {}.",
                members.join(", "),
                members.len(),
                component.sites,
                witness.join(" -> "),
                name(owner),
                targets.join(", ")
            );
            let action_required = format!(
                "Break the cycle by removing {} of module `{}` (the cheapest cut): {}. Move the code both sides need into a module they may both depend on, or make `{}` depend on an interface that `{}` owns. Check with `vantage cycles --level module`.",
                these_sites(sites.len()),
                name(owner),
                capped(&listed, SITES_SHOWN),
                targets[0],
                name(owner)
            );
            flags.push(NewFlag {
                flag_type: "refactor",
                target_agent: Some(agents[owner].clone()),
                change_description,
                action_required,
                impact_level: "medium",
                related_files: related(analysis, &sites),
                code_location: sites
                    .first()
                    .map(|s| format!("{}:{}", analysis.project.path(s.from), s.line)),
                example_usage: None,
                kind: "module_cycle",
                fingerprint: print.clone(),
                details: json!({"modules": members, "module": name(owner), "cut_sites": listed}),
                chained_to: None,
            });
        }
    }

    let gap = config.thresholds.instability_gap;
    for violation in &coupling.violations {
        if violation.to_instability - violation.from_instability < gap {
            continue;
        }
        let (from, to) = (violation.from, violation.to);
        let sites = module_sites(analysis, from, to);
        let listed: Vec<String> = sites.iter().map(|s| site_text(analysis, s)).collect();
        let change_description = format!(
            "Module `{}` (instability {:.2}) depends on the less stable module `{}` (instability {:.2}) through {}: a change there is likely to force changes here.",
            name(from),
            violation.from_instability,
            name(to),
            violation.to_instability,
            plural_sites(violation.sites)
        );
        let action_required = format!(
            "Make `{}` depend on something at least as stable as itself: move what it uses from `{}` into `{}` or a stable shared module, or put an interface in `{}` that `{}` implements. The imports: {}.",
            name(from),
            name(to),
            name(from),
            name(from),
            name(to),
            capped(&listed, SITES_SHOWN)
        );
        flags.push(NewFlag {
            flag_type: "refactor",
            target_agent: Some(agents[from].clone()),
            change_description,
            action_required,
            impact_level: "low",
            related_files: related(analysis, &sites),
            code_location: sites
                .first()
                .map(|s| format!("{}:{}", analysis.project.path(s.from), s.line)),
            example_usage: None,
            kind: "unstable_dependency",
            fingerprint: fingerprint(&["unstable_dependency", name(from), name(to)]),
            details: json!({
                "from": name(from), "to": name(to),
                "from_instability": violation.from_instability,
                "to_instability": violation.to_instability,
            }),
            chained_to: None,
        });
    }

    for rule in &config.forbid {
        let (Some(from), Some(to)) = (
            module_id(analysis, &rule.from),
            module_id(analysis, &rule.to),
        ) else {
            continue;
        };
        let sites = module_sites(analysis, from, to);
        if sites.is_empty() {
            continue;
        }
        let listed: Vec<String> = sites.iter().map(|s| site_text(analysis, s)).collect();
        let reason = rule
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let change_description = format!(
            "Module `{}` depends on `{}` through {}, which vantage.toml forbids{reason}.",
            name(from),
            name(to),
            plural_sites(sites.len())
        );
        let action_required = format!(
            "Remove every import of `{}` from `{}`: {}. Move what is needed into `{}` or a module both may use, or invert the dependency with an interface owned by `{}`; then `vantage analyze --flags` completes this FLAG.",
            name(to),
            name(from),
            capped(&listed, SITES_SHOWN),
            name(from),
            name(from)
        );
        flags.push(NewFlag {
            flag_type: "refactor",
            target_agent: Some(agents[from].clone()),
            change_description,
            action_required,
            impact_level: "high",
            related_files: related(analysis, &sites),
            code_location: sites
                .first()
                .map(|s| format!("{}:{}", analysis.project.path(s.from), s.line)),
            example_usage: None,
            kind: "forbidden_dependency",
            fingerprint: fingerprint(&["forbidden_dependency", name(from), name(to)]),
            details: json!({"from": name(from), "to": name(to), "reason": rule.reason}),
            chained_to: None,
        });
    }

    if let Some(limit) = config.thresholds.distance {
        for metrics in &coupling.modules {
            let (Some(distance), Some(instability), Some(abstractness)) =
                (metrics.distance, metrics.instability, metrics.abstractness)
            else {
                continue;
            };
            if distance <= limit || metrics.files < config.thresholds.distance_min_files {
                continue;
            }
            let m = metrics.module;
            let (zone, advice) = if instability < 0.5 {
                (
                    "the zone of pain: stable and concrete, so every change ripples to its dependents",
                    "extract interfaces or abstract types its dependents can rely on, and move the concrete code behind them",
                )
            } else {
                (
                    "the zone of uselessness: abstract, yet little depends on it",
                    "fold unused abstractions into their one implementation, or make its dependents use them",
                )
            };
            flags.push(NewFlag {
                flag_type: "refactor",
                target_agent: Some(agents[m].clone()),
                change_description: format!(
                    "Module `{}` lies {:.2} from the main sequence (instability {:.2}, abstractness {:.2}, {} files): {zone}.",
                    name(m),
                    distance,
                    instability,
                    abstractness,
                    metrics.files
                ),
                action_required: format!(
                    "Bring `{}` toward the main sequence (A + I = 1): {advice}. {} files outside import it (Ca), it imports {} outside (Ce); `vantage coupling` shows the matrix.",
                    name(m),
                    metrics.ca,
                    metrics.ce
                ),
                impact_level: "low",
                related_files: Vec::new(),
                code_location: None,
                example_usage: None,
                kind: "main_sequence_distance",
                fingerprint: fingerprint(&["main_sequence_distance", name(m)]),
                details: json!({"module": name(m), "distance": distance}),
                chained_to: None,
            });
        }
    }
    flags
}

/// The id of a module named in the configuration.
pub fn module_id(analysis: &Analysis, name: &str) -> Option<usize> {
    analysis.modules.names.iter().position(|n| n == name)
}

/// FLAGs of `vantage impact --since REV --flags`: one origin FLAG for the
/// change, then one for each other module the change reaches, chained to
/// it. Directness sets the level: a module with a direct dependent is
/// high, one reached at depth 2 medium, deeper low.
pub fn impact_flags(view: &ImpactView, revision: &str, agents: &[String]) -> Vec<NewFlag> {
    let analysis = view.analysis;
    let path = |f: usize| analysis.project.path(f);
    let module_of = |f: usize| analysis.modules.of_file[f];
    let changed: Vec<&super::Target> = view
        .targets
        .iter()
        .filter(|t| t.kind == "change" && !t.files.is_empty())
        .collect();
    if changed.is_empty() {
        return Vec::new();
    }
    let describe = |t: &super::Target| -> String {
        let names: Vec<&str> = t
            .definitions
            .iter()
            .map(|&(f, i)| analysis.facts[f].definitions[i].name.as_str())
            .collect();
        let status = t.status.unwrap_or("modified");
        if t.whole_file || names.is_empty() {
            format!("{} ({status})", t.query)
        } else {
            format!("{} ({status}: {})", t.query, names.join(", "))
        }
    };
    let change_texts: Vec<String> = changed.iter().map(|t| describe(t)).collect();
    let changed_modules: BTreeSet<usize> = changed
        .iter()
        .flat_map(|t| t.files.iter().map(|&f| module_of(f)))
        .collect();
    let origin_module = *changed_modules.iter().next().expect("a changed file");
    let mut keys: Vec<String> = change_texts.clone();
    keys.sort();
    let origin_print = fingerprint(&keys.iter().map(String::as_str).collect::<Vec<_>>());

    // Impacted files by module, outside the changed modules.
    let mut reached: BTreeMap<usize, Vec<&crate::analysis::impact::Impacted>> = BTreeMap::new();
    for impacted in &view.set.impacted {
        let m = module_of(impacted.file);
        if !changed_modules.contains(&m) {
            reached.entry(m).or_default().push(impacted);
        }
    }
    let set = view.set;
    let risk = &set.risk;
    let changed_names: Vec<&str> = changed_modules
        .iter()
        .map(|&m| analysis.modules.name(m))
        .collect();
    let reached_names: Vec<&str> = reached.keys().map(|&m| analysis.modules.name(m)).collect();
    let first_line = changed
        .iter()
        .find_map(|t| {
            t.definitions.first().map(|&(f, i)| {
                format!(
                    "{}:{}",
                    path(f),
                    analysis.facts[f].definitions[i].start_line
                )
            })
        })
        .unwrap_or_else(|| format!("{}:1", changed[0].query));
    let nearest: Vec<String> = set
        .impacted
        .iter()
        .filter(|i| i.depth == 1)
        .map(|i| path(i.file).to_string())
        .collect();
    let tests: Vec<String> = set.tests.iter().map(|&t| path(t).to_string()).collect();
    let origin = NewFlag {
        flag_type: "change",
        target_agent: Some(agents[origin_module].clone()),
        change_description: format!(
            "Change under review since `{revision}` in module(s) {}: {}. It reaches {} file(s) in {} module(s), {} directly.",
            changed_names.join(", "),
            capped(&change_texts, FILES_SHOWN),
            risk.files,
            risk.modules,
            risk.fan_in
        ),
        action_required: format!(
            "Coordinate this change ({} risk): {} chained FLAG(s) went to the agents of {}. Before merging, review the direct dependents ({}) and run the tests that reach the change ({}). `vantage impact --since {revision}` lists every chain.",
            risk.level,
            reached.len(),
            if reached_names.is_empty() {
                "no other module".to_string()
            } else {
                reached_names.join(", ")
            },
            if nearest.is_empty() {
                "none".to_string()
            } else {
                capped(&nearest, FILES_SHOWN)
            },
            if tests.is_empty() {
                "none found".to_string()
            } else {
                capped(&tests, FILES_SHOWN)
            }
        ),
        impact_level: risk.level,
        related_files: changed
            .iter()
            .map(|t| t.query.clone())
            .take(RELATED_MAX)
            .collect(),
        code_location: Some(first_line),
        example_usage: None,
        kind: "change_origin",
        fingerprint: origin_print.clone(),
        details: json!({"revision": revision, "changes": change_texts, "risk": risk.level}),
        chained_to: None,
    };
    let mut flags = vec![origin];
    for (m, files) in reached {
        let module = analysis.modules.name(m);
        let depth = files.iter().map(|i| i.depth).min().unwrap_or(1);
        let level = match depth {
            1 => "high",
            2 => "medium",
            _ => "low",
        };
        let chains: Vec<String> = files
            .iter()
            .map(|i| {
                let mut hops: Vec<String> = i
                    .why
                    .iter()
                    .map(|h| format!("{}:{}", path(h.from), h.line))
                    .collect();
                if let Some(last) = i.why.last() {
                    hops.push(path(last.to).to_string());
                }
                format!(
                    "{} (depth {}): {}",
                    path(i.file),
                    i.depth,
                    hops.join(" -> ")
                )
            })
            .collect();
        let module_tests: Vec<String> = files
            .iter()
            .filter(|i| i.test)
            .map(|i| path(i.file).to_string())
            .collect();
        let nearest_hop = files[0].why.first();
        flags.push(NewFlag {
            flag_type: "change",
            target_agent: Some(agents[m].clone()),
            change_description: format!(
                "A change under review since `{revision}` ({}) reaches module `{module}`: {} of its files depend on it, the nearest at depth {depth}.",
                capped(&change_texts, 3),
                files.len()
            ),
            action_required: format!(
                "Check that these files of `{module}` still work with the change, nearest first: {}. {}The origin FLAG of this chain describes the whole change.",
                capped(&chains, FILES_SHOWN),
                if module_tests.is_empty() {
                    String::new()
                } else {
                    format!("Run this module's tests that reach it: {}. ", capped(&module_tests, FILES_SHOWN))
                }
            ),
            impact_level: level,
            related_files: files.iter().take(RELATED_MAX).map(|i| path(i.file).to_string()).collect(),
            code_location: nearest_hop.map(|h| format!("{}:{}", path(h.from), h.line)),
            example_usage: None,
            kind: "change_impact",
            fingerprint: fingerprint(&[&origin_print, module]),
            details: json!({"revision": revision, "module": module, "files": files.len(), "nearest_depth": depth}),
            chained_to: Some(0),
        });
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lists_say_what_they_leave_out() {
        let items: Vec<String> = (1..=5).map(|i| i.to_string()).collect();
        assert_eq!(capped(&items, 3), "1; 2; 3; and 2 more");
        assert_eq!(capped(&items[..2], 3), "1; 2");
    }
}
