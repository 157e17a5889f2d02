//! Findings as FLAGs: the texts an agent reads at its next start. Pure: it
//! builds [`NewFlag`]s from finished analyses; `store/` writes them.
//!
//! Each FLAG says what was found and where (paths and lines), and what to
//! do, within the contract's lengths (../shared/flag-store.md). Lists are
//! capped so that a FLAG stays readable; the counts say what was left out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::ImpactView;
use crate::analysis::coupling::ModuleMetrics;
use crate::analysis::cycles::Component;
use crate::analysis::duplicates::CloneClass;
use crate::analysis::near::NearMember;
use crate::analysis::rules::{Contract, Evidence, Finding, Rule, fingerprint};
use crate::graph::Site;
use crate::pipeline::Analysis;
use crate::store::NewFlag;

/// Import sites listed in one FLAG at most.
const SITES_SHOWN: usize = 8;
/// Files listed in one FLAG's text at most (`related_files` holds more).
const FILES_SHOWN: usize = 6;
/// Paths in `related_files` at most.
const RELATED_MAX: usize = 40;

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
    capped_with(items, shown, "; ")
}

fn capped_with(items: &[String], shown: usize, separator: &str) -> String {
    let mut text = items
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join(separator);
    if items.len() > shown {
        text.push_str(&format!("{separator}and {} more", items.len() - shown));
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

/// FLAGs of `vantage analyze --flags`, one per finding and agent: the
/// rules decided what is a finding (`analysis::rules`); this only words
/// them for the agents and groups a dependency rule's file edges by module
/// pair. `agents` gives each module's agent, by module id.
pub fn finding_flags(analysis: &Analysis, findings: &[Finding], agents: &[String]) -> Vec<NewFlag> {
    let mut flags = Vec::new();
    // File edges of one rule between one module pair make one FLAG, and
    // the imports of what does not exist one per module.
    let mut edges: BTreeMap<(Rule, usize, usize), Vec<&Finding>> = BTreeMap::new();
    let mut dangling: BTreeMap<usize, Vec<&Finding>> = BTreeMap::new();
    // Uses of private definitions by module pair: one FLAG to the user's
    // agent.
    let mut private: BTreeMap<(usize, usize), Vec<&Finding>> = BTreeMap::new();
    // Clones by module pair: one FLAG per pair and agent, not per class.
    let mut clones: BTreeMap<(usize, usize), Vec<&CloneClass>> = BTreeMap::new();
    // Near-miss copies by module pair: the first member of a class and a
    // copy of it in the other module.
    let mut near: BTreeMap<(usize, usize), Vec<(&NearMember, &NearMember)>> = BTreeMap::new();
    for finding in findings {
        let before = flags.len();
        match &finding.evidence {
            Evidence::Cycle(component) if finding.rule == Rule::ModuleCycle => {
                cycle_flags(
                    analysis,
                    component,
                    &finding.fingerprint,
                    agents,
                    &mut flags,
                );
            }
            Evidence::ModulePair {
                from,
                to,
                sites,
                from_instability,
                to_instability,
            } => flags.push(unstable_flag(
                analysis,
                (*from, *to),
                sites,
                (*from_instability, *to_instability),
                agents,
            )),
            Evidence::Edge { sites, .. } => {
                let (from, to) = (
                    analysis.modules.of_file[sites[0].from],
                    analysis.modules.of_file[sites[0].to],
                );
                edges
                    .entry((finding.rule, from, to))
                    .or_default()
                    .push(finding);
            }
            Evidence::Module(metrics) if finding.rule == Rule::MainSequenceDistance => {
                flags.push(distance_flag(analysis, metrics, agents));
            }
            Evidence::Clone(class) if finding.rule == Rule::CrossModuleClone => {
                let modules: BTreeSet<usize> = class
                    .members
                    .iter()
                    .map(|m| analysis.modules.of_file[m.file])
                    .collect();
                let modules: Vec<usize> = modules.into_iter().collect();
                for (i, &a) in modules.iter().enumerate() {
                    for &b in &modules[i + 1..] {
                        clones.entry((a, b)).or_default().push(class);
                    }
                }
            }
            Evidence::NearClone(class) if finding.rule == Rule::CrossModuleNearClone => {
                let module_of = |m: &NearMember| analysis.modules.of_file[m.unit.file];
                let first = &class.members[0];
                for copy in &class.members[1..] {
                    let (x, y) = (module_of(first), module_of(copy));
                    near.entry((x.min(y), x.max(y)))
                        .or_default()
                        .push((first, copy));
                }
            }
            Evidence::Use { from, to, .. } => {
                let module =
                    |node: usize| analysis.modules.of_file[analysis.symbols.nodes[node].file];
                private
                    .entry((module(*from), module(*to)))
                    .or_default()
                    .push(finding);
            }
            Evidence::Import { file, .. } => {
                dangling
                    .entry(analysis.modules.of_file[*file])
                    .or_default()
                    .push(finding);
            }
            _ => {}
        }
        for flag in &mut flags[before..] {
            flag.details["rule"] = json!(finding.rule.id());
        }
    }
    for ((rule, from, to), group) in edges {
        flags.push(dependency_flag(analysis, rule, (from, to), &group, agents));
    }
    for (module, group) in dangling {
        flags.push(dangling_flag(analysis, module, &group, agents));
    }
    for ((from, to), group) in private {
        flags.push(private_flag(analysis, (from, to), &group, agents));
    }
    for ((a, b), classes) in clones {
        let before = flags.len();
        flags.extend(clone_flags(analysis, (a, b), &classes, agents));
        for flag in &mut flags[before..] {
            flag.details["rule"] = json!(Rule::CrossModuleClone.id());
        }
    }
    for ((a, b), pairs) in near {
        let before = flags.len();
        flags.extend(near_clone_flags(analysis, (a, b), &pairs, agents));
        for flag in &mut flags[before..] {
            flag.details["rule"] = json!(Rule::CrossModuleNearClone.id());
        }
    }
    flags
}

/// One module's uses of another's private definitions (`[[forbid]] private
/// = true`), as one FLAG to the using module's agent.
fn private_flag(
    analysis: &Analysis,
    (from, to): (usize, usize),
    group: &[&Finding],
    agents: &[String],
) -> NewFlag {
    let name = |m: usize| analysis.modules.name(m);
    let symbols = &analysis.symbols;
    let mut used: Vec<&str> = Vec::new();
    let mut listed: Vec<String> = Vec::new();
    let mut files: BTreeSet<String> = BTreeSet::new();
    let mut reason = None;
    for finding in group {
        let Evidence::Use {
            contract: Contract::Forbid(i),
            from: user,
            to: definition,
            kind,
            lines,
        } = &finding.evidence
        else {
            continue;
        };
        reason = reason.or(analysis.config.forbid[*i].scope.reason.as_deref());
        let (user, definition) = (&symbols.nodes[*user], &symbols.nodes[*definition]);
        used.push(&definition.name);
        files.insert(analysis.project.path(user.file).to_string());
        files.insert(analysis.project.path(definition.file).to_string());
        listed.push(format!(
            "{}:{} `{}` {} `{}`",
            analysis.project.path(user.file),
            lines[0],
            user.name,
            crate::analysis::rules::verb(*kind),
            definition.name
        ));
    }
    used.sort_unstable();
    used.dedup();
    // Two rules over one pair judge the same uses.
    listed.sort();
    listed.dedup();
    let reason = reason.map(|r| format!(" ({r})")).unwrap_or_default();
    let names: Vec<String> = used.iter().map(|n| format!("`{n}`")).collect();
    NewFlag {
        flag_type: "refactor",
        target_agent: Some(agents[from].clone()),
        change_description: format!(
            "Module `{}` uses {} private definition{} of `{}`, which vantage.toml lets it use only through its public ones{reason}: {}.",
            name(from),
            used.len(),
            if used.len() == 1 { "" } else { "s" },
            name(to),
            capped(&names, 3)
        ),
        action_required: format!(
            "Replace each use with a public entry point of `{}` (ask its agent for one if there is none), or move the code to `{}`: {}. Then `vantage analyze --flags` completes this FLAG.",
            name(to),
            name(from),
            capped(&listed, SITES_SHOWN)
        ),
        impact_level: "medium",
        related_files: files.into_iter().take(RELATED_MAX).collect(),
        code_location: group
            .first()
            .and_then(|f| f.location.as_ref())
            .map(|l| l.text()),
        example_usage: None,
        kind: "private_use",
        fingerprint: fingerprint(&["private_use", name(from), name(to)]),
        details: json!({"rule": Rule::PrivateUse.id(), "from": name(from), "to": name(to), "definitions": used}),
        chained_to: None,
        similar: None,
    }
}

/// A module's imports of files or names of the repository that do not
/// exist: they fail when they run.
fn dangling_flag(
    analysis: &Analysis,
    module: usize,
    group: &[&Finding],
    agents: &[String],
) -> NewFlag {
    let name = analysis.modules.name(module);
    let listed: Vec<String> = group
        .iter()
        .map(|f| {
            let place = f.location.as_ref().map(|l| l.text()).unwrap_or_default();
            format!("{place} {}", f.message)
        })
        .collect();
    let files: BTreeSet<String> = group
        .iter()
        .filter_map(|f| f.location.as_ref().map(|l| l.path.clone()))
        .collect();
    NewFlag {
        flag_type: "breaking_change",
        target_agent: Some(agents[module].clone()),
        change_description: format!(
            "Module `{name}` has {} of files or names of the repository that do not exist: {}.",
            if group.len() == 1 {
                "1 import".to_string()
            } else {
                format!("{} imports", group.len())
            },
            capped(&listed, 3)
        ),
        action_required: format!(
            "Each of these fails when it runs (or resolves to something else): point it at the file or name that exists now, restore what it names, or remove it. {}. `vantage analyze` lists them.",
            capped(&listed, SITES_SHOWN)
        ),
        impact_level: "high",
        related_files: files.into_iter().take(RELATED_MAX).collect(),
        code_location: group.first().and_then(|f| {
            f.location
                .as_ref()
                .map(|l| format!("{}:{}", l.path, l.start_line))
        }),
        example_usage: None,
        kind: "dangling_import",
        fingerprint: fingerprint(&["dangling_import", name]),
        details: json!({
            "rule": Rule::DanglingImport.id(),
            "module": name,
            "imports": group.iter().map(|f| f.fingerprint.as_str()).collect::<Vec<_>>(),
        }),
        chained_to: None,
        similar: None,
    }
}

/// One FLAG per module holding cut imports of a module cycle: its agent
/// removes them.
fn cycle_flags(
    analysis: &Analysis,
    component: &Component,
    print: &str,
    agents: &[String],
    flags: &mut Vec<NewFlag>,
) {
    let name = |m: usize| analysis.modules.name(m);
    let members: Vec<&str> = component.members.iter().map(|&m| name(m)).collect();
    let member_list: Vec<String> = members.iter().map(|m| m.to_string()).collect();
    let mut witness: Vec<&str> = component.witness.iter().map(|h| name(h.from)).collect();
    if let Some(first) = witness.first().copied() {
        witness.push(first);
    }
    let mut by_owner: BTreeMap<usize, Vec<&crate::analysis::cycles::Hop>> = BTreeMap::new();
    for hop in &component.cut {
        by_owner.entry(hop.from).or_default().push(hop);
    }
    let owners: Vec<usize> = by_owner.keys().copied().collect();
    let witness_text = if witness.len() > SITES_SHOWN + 1 {
        format!("a shortest cycle has {} modules", witness.len() - 1)
    } else {
        witness.join(" -> ")
    };
    for (owner, hops) in by_owner {
        let sites: Vec<&Site> = hops.iter().flat_map(|h| h.sites.iter()).collect();
        let targets: Vec<&str> = hops.iter().map(|h| name(h.to)).collect();
        let listed: Vec<String> = sites.iter().map(|s| site_text(analysis, s)).collect();
        let others: Vec<String> = owners
            .iter()
            .filter(|&&o| o != owner)
            .map(|&o| format!("`{}`", name(o)))
            .collect();
        let share = if others.is_empty() {
            "holds the cheapest imports to cut".to_string()
        } else {
            format!(
                "holds part of the cheapest cut (the rest is in {})",
                others.join(", ")
            )
        };
        let change_description = format!(
            "Import cycle between modules {} ({} modules, {} import sites inside): {}. Module `{}` {share}, toward {}.",
            capped_with(&member_list, SITES_SHOWN, ", "),
            members.len(),
            component.sites,
            witness_text,
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
            // Per owner: two owners routed to one agent are two FLAGs.
            fingerprint: fingerprint(&[print, name(owner)]),
            details: json!({"modules": members, "module": name(owner), "cut_sites": listed}),
            chained_to: None,
            // A cycle that gains or loses a member is the same cycle.
            similar: Some(crate::store::Similar {
                group: name(owner).to_string(),
                members: member_list.clone(),
            }),
        });
    }
}

fn unstable_flag(
    analysis: &Analysis,
    (from, to): (usize, usize),
    sites: &[Site],
    (from_instability, to_instability): (f64, f64),
    agents: &[String],
) -> NewFlag {
    let name = |m: usize| analysis.modules.name(m);
    let sites: Vec<&Site> = sites.iter().collect();
    let listed: Vec<String> = sites.iter().map(|s| site_text(analysis, s)).collect();
    let change_description = format!(
        "Module `{}` (instability {:.2}) depends on the less stable module `{}` (instability {:.2}) through {}: a change there is likely to force changes here.",
        name(from),
        from_instability,
        name(to),
        to_instability,
        plural_sites(sites.len())
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
    NewFlag {
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
            "from_instability": from_instability,
            "to_instability": to_instability,
        }),
        chained_to: None,
        similar: None,
    }
}

/// The file edges one dependency rule forbids between two modules, as one
/// FLAG to the depending module's agent.
fn dependency_flag(
    analysis: &Analysis,
    rule: Rule,
    (from, to): (usize, usize),
    group: &[&Finding],
    agents: &[String],
) -> NewFlag {
    let name = |m: usize| analysis.modules.name(m);
    let config = &analysis.config;
    let mut all: Vec<Site> = group
        .iter()
        .flat_map(|f| match &f.evidence {
            Evidence::Edge { sites, .. } => sites.clone(),
            _ => Vec::new(),
        })
        .collect();
    all.sort();
    all.dedup_by(|a, b| (a.from, a.line, a.to, a.kind) == (b.from, b.line, b.to, b.kind));
    let sites: Vec<&Site> = all.iter().collect();
    let listed: Vec<String> = sites.iter().map(|s| site_text(analysis, s)).collect();
    let contract = match &group[0].evidence {
        Evidence::Edge { contract, .. } => *contract,
        _ => unreachable!("grouped by edge evidence"),
    };
    let scope = match contract {
        Contract::Forbid(i) => &config.forbid[i].scope,
        Contract::Layers(i) => &config.layers[i].scope,
        Contract::Independent(i) => &config.independent[i].scope,
    };
    let reason = scope
        .reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let (kind, change_description, remedy) = match contract {
        Contract::Forbid(_) => (
            "forbidden_dependency",
            format!(
                "Module `{}` depends on `{}` through {}, which vantage.toml forbids{reason}.",
                name(from),
                name(to),
                plural_sites(sites.len())
            ),
            format!(
                "Move what is needed into `{}` or a module both may use, or invert the dependency with an interface owned by `{}`",
                name(from),
                name(from)
            ),
        ),
        Contract::Layers(i) => {
            let layers = &config.layers[i];
            // The layer, when it is more than the module's own name.
            let layer = |m: usize| {
                let text = layers
                    .layer_of(name(m))
                    .map(|l| layers.layer_text(l))
                    .unwrap_or_default();
                if text == name(m) {
                    String::new()
                } else {
                    format!(" (layer {text})")
                }
            };
            let layering = layers
                .name
                .as_deref()
                .map(|n| format!(" in layering `{n}`"))
                .unwrap_or_default();
            (
                "layer_violation",
                format!(
                    "Module `{}`{} depends on `{}`{}, a layer above it{layering}, through {}, which vantage.toml's [[layers]] forbids{reason}.",
                    name(from),
                    layer(from),
                    name(to),
                    layer(to),
                    plural_sites(sites.len())
                ),
                format!(
                    "Move what `{}` needs down to its own layer or below, or invert the dependency with an interface `{}` owns and `{}` implements",
                    name(from),
                    name(from),
                    name(to)
                ),
            )
        }
        Contract::Independent(_) => (
            "independence_violation",
            format!(
                "Module `{}` depends on `{}` through {}, but vantage.toml's [[independent]] says they must stay independent{reason}.",
                name(from),
                name(to),
                plural_sites(sites.len())
            ),
            "Move what both need into a module below them both may use".to_string(),
        ),
    };
    let action_required = format!(
        "Remove every import of `{}` from `{}`: {}. {remedy}; then `vantage analyze --flags` completes this FLAG.",
        name(to),
        name(from),
        capped(&listed, SITES_SHOWN),
    );
    NewFlag {
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
        kind,
        fingerprint: fingerprint(&[kind, name(from), name(to)]),
        details: json!({"rule": rule.id(), "from": name(from), "to": name(to), "reason": scope.reason}),
        chained_to: None,
        similar: None,
    }
}

fn distance_flag(analysis: &Analysis, metrics: &ModuleMetrics, agents: &[String]) -> NewFlag {
    let name = |m: usize| analysis.modules.name(m);
    let (distance, instability, abstractness) = (
        metrics.distance.unwrap_or(0.0),
        metrics.instability.unwrap_or(0.0),
        metrics.abstractness.unwrap_or(0.0),
    );
    let m = metrics.module;
    let (zone, advice) = if abstractness + instability < 1.0 {
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
    NewFlag {
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
            "Bring `{}` toward the main sequence (A + I = 1): {advice}. {} files outside import it (Ca), {} of its files import outside (Ce); `vantage coupling` shows the matrix.",
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
        similar: None,
    }
}

/// FLAGs for the clones two modules share: one to each module's agent (one
/// in all when an agent has both), listing the classes largest first, as
/// candidates for shared code.
fn clone_flags(
    analysis: &Analysis,
    (a, b): (usize, usize),
    classes: &[&CloneClass],
    agents: &[String],
) -> Vec<NewFlag> {
    let module_of = |f: usize| analysis.modules.of_file[f];
    let name = |m: usize| analysis.modules.name(m);
    let place = |m: &crate::analysis::duplicates::Fragment| {
        let (first, last) = analysis.lines_of(m);
        (
            format!("{}:{first}-{last}", analysis.project.path(m.file)),
            last - first + 1,
        )
    };
    let in_pair = |m: &&crate::analysis::duplicates::Fragment| {
        module_of(m.file) == a || module_of(m.file) == b
    };
    let mut classes: Vec<&CloneClass> = classes.to_vec();
    classes.sort_by(|x, y| {
        y.tokens
            .cmp(&x.tokens)
            .then(x.fingerprint.cmp(&y.fingerprint))
    });
    let tokens: usize = classes.iter().map(|c| c.tokens).sum();
    let largest = classes
        .iter()
        .flat_map(|c| c.members.iter().map(|m| place(m).1))
        .max()
        .unwrap_or(0);
    let files: Vec<String> = classes
        .iter()
        .flat_map(|c| c.members.iter().filter(in_pair))
        .map(|m| analysis.project.path(m.file).to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(RELATED_MAX)
        .collect();
    let mut flags = Vec::new();
    for (agent, own) in owners((a, b), agents) {
        let mine: Vec<String> = classes
            .iter()
            .flat_map(|c| c.members.iter())
            .filter(|m| own.contains(&module_of(m.file)))
            .map(|m| place(m).0)
            .collect();
        let other = other_module(&own, (a, b));
        let listed: Vec<String> = classes
            .iter()
            .map(|c| {
                let copies: Vec<String> = c
                    .members
                    .iter()
                    .filter(in_pair)
                    .map(|m| place(m).0)
                    .collect();
                format!("{} ({} tokens)", copies.join(" = "), c.tokens)
            })
            .collect();
        let holds = match other {
            None => "both are yours".to_string(),
            Some(_) => format!(
                "module `{}` holds {}",
                name(own[0]),
                capped(&mine, FILES_SHOWN)
            ),
        };
        let agree = match other {
            None => "Merge each into one implementation both modules may use".to_string(),
            Some(other) => format!(
                "Agree with the agent of `{}` ({}) on one shared implementation (a module both may depend on) for each, largest first, then replace your copies with uses of it",
                name(other),
                agents[other]
            ),
        };
        flags.push(NewFlag {
            flag_type: "refactor",
            target_agent: Some(agent),
            change_description: format!(
                "Code copied between modules `{}` and `{}`: {} ({tokens} tokens, the longest copy {largest} lines); {holds}.",
                name(a),
                name(b),
                if classes.len() == 1 {
                    "1 fragment occurs in both".to_string()
                } else {
                    format!("{} fragments occur in both", classes.len())
                }
            ),
            action_required: format!(
                "{agree}: {}. `vantage dupes --cross-module` shows the fragments.",
                capped(&listed, FILES_SHOWN)
            ),
            impact_level: "low",
            related_files: files.clone(),
            code_location: mine.first().map(|p| {
                let (path, lines) = p.rsplit_once(':').unwrap_or((p, "1"));
                format!("{path}:{}", lines.split('-').next().unwrap_or("1"))
            }),
            example_usage: None,
            kind: "cross_module_clone",
            fingerprint: fingerprint(&["cross_module_clone", name(a), name(b)]),
            details: json!({
                "modules": [name(a), name(b)],
                "classes": classes.iter().map(|c| c.fingerprint.as_str()).collect::<Vec<_>>(),
                "tokens": tokens,
            }),
            chained_to: None,
            similar: None,
        });
    }
    flags
}

/// The agents of a module pair, each with its modules of the two: one
/// agent for both modules gets one FLAG about both.
fn owners((a, b): (usize, usize), agents: &[String]) -> Vec<(String, Vec<usize>)> {
    let mut owners: Vec<(String, Vec<usize>)> = Vec::new();
    for module in [a, b] {
        match owners
            .iter_mut()
            .find(|(agent, _)| *agent == agents[module])
        {
            Some((_, modules)) => modules.push(module),
            None => owners.push((agents[module].clone(), vec![module])),
        }
    }
    owners
}

/// The module of the pair an agent does not own, if any.
fn other_module(own: &[usize], (a, b): (usize, usize)) -> Option<usize> {
    if own.len() == 2 {
        None
    } else if own[0] == a {
        Some(b)
    } else {
        Some(a)
    }
}

/// FLAGs for the functions two modules copied and edited: one to each
/// module's agent (one in all when an agent has both), each pair with its
/// similarity and the lines that differ on both sides, least similar
/// last.
fn near_clone_flags(
    analysis: &Analysis,
    (a, b): (usize, usize),
    pairs: &[(&NearMember, &NearMember)],
    agents: &[String],
) -> Vec<NewFlag> {
    let module_of = |m: &NearMember| analysis.modules.of_file[m.unit.file];
    let name = |m: usize| analysis.modules.name(m);
    let place = |m: &NearMember| {
        let (first, last) = analysis.lines_of(&m.unit);
        format!("{}:{first}-{last}", analysis.project.path(m.unit.file))
    };
    let mut pairs: Vec<(&NearMember, &NearMember)> = pairs.to_vec();
    pairs.sort_by(|x, y| {
        y.1.similarity
            .total_cmp(&x.1.similarity)
            .then((y.0.unit.len + y.1.unit.len).cmp(&(x.0.unit.len + x.1.unit.len)))
            .then_with(|| place(x.0).cmp(&place(y.0)))
            .then_with(|| place(x.1).cmp(&place(y.1)))
    });
    let listed: Vec<String> = pairs
        .iter()
        .map(|(first, copy)| {
            let differs = |lines: &[u32]| {
                if lines.is_empty() {
                    "none".to_string()
                } else {
                    super::line_ranges(lines)
                }
            };
            format!(
                "{} ~ {} (similarity {:.2}; lines that differ: {} in the first, {} in the second)",
                place(first),
                place(copy),
                copy.similarity,
                differs(&copy.first_differs),
                differs(&copy.differs)
            )
        })
        .collect();
    let files: Vec<String> = pairs
        .iter()
        .flat_map(|(x, y)| [*x, *y])
        .map(|m| analysis.project.path(m.unit.file).to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(RELATED_MAX)
        .collect();
    let mut flags = Vec::new();
    for (agent, own) in owners((a, b), agents) {
        let mine: Vec<&NearMember> = pairs
            .iter()
            .flat_map(|(x, y)| [*x, *y])
            .filter(|m| own.contains(&module_of(m)))
            .collect();
        let holds = match other_module(&own, (a, b)) {
            None => "both are yours".to_string(),
            Some(_) => {
                let places: Vec<String> = mine.iter().map(|m| place(m)).collect();
                let places: Vec<String> = places
                    .into_iter()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                format!(
                    "module `{}` holds {}",
                    name(own[0]),
                    capped(&places, FILES_SHOWN)
                )
            }
        };
        let agree = match other_module(&own, (a, b)) {
            None => "Compare each pair's differing lines: where a difference is a fix one side lacks, apply it to the other; then merge the two into one implementation both modules may use".to_string(),
            Some(other) => format!(
                "Compare each pair's differing lines: where a difference is a fix one side lacks, tell the agent of `{}` ({}) or apply it to yours; then agree with that agent on one implementation both modules may use",
                name(other),
                agents[other]
            ),
        };
        // Cut, not rounded: "0.95 or more" must hold of every pair.
        let similarity = (pairs
            .iter()
            .map(|(_, copy)| copy.similarity)
            .fold(1.0, f64::min)
            * 100.0)
            .floor()
            / 100.0;
        flags.push(NewFlag {
            flag_type: "refactor",
            target_agent: Some(agent),
            change_description: format!(
                "Functions copied between modules `{}` and `{}` and edited apart: {} (similarity {:.2} or more); {holds}.",
                name(a),
                name(b),
                if pairs.len() == 1 {
                    "1 pair of near copies".to_string()
                } else {
                    format!("{} pairs of near copies", pairs.len())
                },
                similarity,
            ),
            action_required: format!(
                "{agree}: {}. `vantage dupes --near --cross-module` shows them.",
                capped(&listed, FILES_SHOWN)
            ),
            impact_level: "low",
            related_files: files.clone(),
            code_location: mine.first().map(|m| {
                format!(
                    "{}:{}",
                    analysis.project.path(m.unit.file),
                    analysis.lines_of(&m.unit).0
                )
            }),
            example_usage: None,
            kind: "cross_module_near_clone",
            fingerprint: fingerprint(&["cross_module_near_clone", name(a), name(b)]),
            details: json!({
                "modules": [name(a), name(b)],
                "pairs": pairs.len(),
                "similarity": similarity,
            }),
            chained_to: None,
            similar: None,
        });
    }
    flags
}

/// FLAGs of `vantage impact --since REV --flags`: one origin FLAG for the
/// change, then one for each other module the change reaches, chained to
/// it. Directness sets the level: a module with a direct dependent is
/// high, one reached at depth 2 medium, deeper low.
pub fn impact_flags(view: &ImpactView, revision: &str, agents: &[String]) -> Vec<NewFlag> {
    let analysis = view.analysis;
    let path = |f: usize| analysis.project.path(f);
    let module_of = |f: usize| analysis.modules.of_file[f];
    let changes: Vec<&super::Target> = view.targets.iter().filter(|t| t.kind == "change").collect();
    // Source files only: a changed README is no change to the code.
    let changed: Vec<&super::Target> = changes
        .iter()
        .copied()
        .filter(|t| !t.files.is_empty())
        .collect();
    let removed: Vec<&super::Target> = changes
        .iter()
        .copied()
        .filter(|t| {
            let old_path = t.renamed_from.as_deref().unwrap_or(&t.query);
            matches!(t.status, Some("deleted" | "renamed"))
                && crate::lang::Language::from_path(old_path).is_some()
        })
        .collect();
    if changed.is_empty() && removed.is_empty() {
        return Vec::new();
    }
    // A source file gone from its path breaks what imported it.
    let flag_type = if removed.is_empty() {
        "change"
    } else {
        "breaking_change"
    };
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
    let mut change_texts: Vec<String> = changed.iter().map(|t| describe(t)).collect();
    for t in &removed {
        match (&t.renamed_from, t.status) {
            (Some(from), _) => change_texts.push(format!("{from} (moved to {})", t.query)),
            (None, _) => change_texts.push(format!("{} (deleted)", t.query)),
        }
    }
    change_texts.sort();
    change_texts.dedup();
    let origin_print = fingerprint(&change_texts.iter().map(String::as_str).collect::<Vec<_>>());

    // The module of the change: of its first changed file, else (a change
    // that only removes files) of a file beside the first removed one.
    let changed_modules: BTreeSet<usize> = changed
        .iter()
        .flat_map(|t| t.files.iter().map(|&f| module_of(f)))
        .collect();
    let beside = |removed_path: &str| {
        let dir = crate::project::parent(removed_path);
        analysis
            .project
            .files()
            .iter()
            .position(|f| crate::project::parent(&f.path) == dir)
            .map(module_of)
    };
    let origin_module = changed_modules.iter().next().copied().or_else(|| {
        removed
            .iter()
            .find_map(|t| beside(t.renamed_from.as_deref().unwrap_or(&t.query)))
    });
    let mut changed_names: Vec<&str> = changed_modules
        .iter()
        .map(|&m| analysis.modules.name(m))
        .collect();
    if changed_names.is_empty() {
        changed_names.extend(origin_module.map(|m| analysis.modules.name(m)));
    }

    // Impacted files by module, but for the origin's module: its agent has
    // the origin FLAG.
    let mut reached: BTreeMap<usize, Vec<&crate::analysis::impact::Impacted>> = BTreeMap::new();
    for impacted in &view.set.impacted {
        let m = module_of(impacted.file);
        if Some(m) != origin_module {
            reached.entry(m).or_default().push(impacted);
        }
    }
    let set = view.set;
    let risk = &set.risk;
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
        .unwrap_or_else(|| format!("{}:1", changes[0].query));
    let nearest: Vec<String> = set
        .impacted
        .iter()
        .filter(|i| i.depth == 1)
        .map(|i| path(i.file).to_string())
        .collect();
    let tests: Vec<String> = set.tests.iter().map(|&t| path(t).to_string()).collect();
    let removed_note = if removed.is_empty() {
        String::new()
    } else {
        " The direct dependents of a removed path still import it: each must import from the new place or stop using it.".to_string()
    };
    let endpoint_flags = changed_endpoints(view, revision, agents, &origin_print);
    let origin = NewFlag {
        flag_type,
        target_agent: origin_module.map(|m| agents[m].clone()),
        change_description: format!(
            "Change under review since `{revision}` in module(s) {}: {}. It reaches {} file(s) in {} module(s), {} directly.",
            if changed_names.is_empty() {
                "unknown".to_string()
            } else {
                changed_names.join(", ")
            },
            capped(&change_texts, FILES_SHOWN),
            risk.files,
            risk.modules,
            risk.fan_in
        ),
        action_required: format!(
            "Coordinate this change ({} risk): {} chained FLAG(s) went to the agents of {}{}. Before merging, review the direct dependents ({}) and run the tests that reach the change ({}). `vantage impact --since {revision}` lists every chain.{removed_note}",
            risk.level,
            reached.len() + endpoint_flags.len(),
            if reached_names.is_empty() {
                "no other module".to_string()
            } else {
                reached_names.join(", ")
            },
            if endpoint_flags.is_empty() {
                String::new()
            } else {
                format!(
                    " and, for the API endpoints it changes, of {}",
                    endpoint_flags
                        .iter()
                        .filter_map(|f| f.details["module"].as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
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
        // A removed file breaks its importers; without a target the level
        // stays below high (the contract's rule).
        impact_level: match (origin_module, removed.is_empty()) {
            (Some(_), false) => "high",
            (Some(_), true) => risk.level,
            (None, _) => "medium",
        },
        related_files: changes
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
        similar: None,
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
                let hops = crate::analysis::impact::why_steps(&i.why, i.why_omitted, path);
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
            flag_type,
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
                    format!(
                        "Run this module's tests that reach it: {}. ",
                        capped(&module_tests, FILES_SHOWN)
                    )
                }
            ),
            impact_level: level,
            related_files: files
                .iter()
                .take(RELATED_MAX)
                .map(|i| path(i.file).to_string())
                .collect(),
            code_location: nearest_hop.map(|h| format!("{}:{}", path(h.from), h.line)),
            example_usage: None,
            kind: "change_impact",
            fingerprint: fingerprint(&[&origin_print, module]),
            details: json!({"revision": revision, "module": module, "files": files.len(), "nearest_depth": depth}),
            chained_to: Some(0),
            similar: None,
        });
    }
    flags.extend(endpoint_flags);
    flags
}

/// "Changed API endpoints": for each module serving endpoints the change
/// reaches (their handler, or what the handler calls, changed), one FLAG
/// to its agent, chained to the origin: the endpoints to test again,
/// each with the definition it reaches the change through and how deep.
fn changed_endpoints(
    view: &ImpactView,
    revision: &str,
    agents: &[String],
    origin_print: &str,
) -> Vec<NewFlag> {
    let analysis = view.analysis;
    let graph = &analysis.symbols;
    let reached = super::reached_endpoints(analysis, view.set);
    let mut by_module: BTreeMap<usize, Vec<&crate::routes::Reached>> = BTreeMap::new();
    for r in &reached {
        let file = r
            .route
            .handler
            .map_or(r.route.site.file, |h| graph.nodes[h.view].file);
        by_module
            .entry(analysis.modules.of_file[file])
            .or_default()
            .push(r);
    }
    let mut flags = Vec::new();
    for (m, endpoints) in by_module {
        let module = analysis.modules.name(m);
        let named =
            |r: &crate::routes::Reached| format!("{} {}", r.route.methods.join(","), r.route.path);
        let names: Vec<String> = endpoints.iter().map(|r| named(r)).collect();
        let chains: Vec<String> = endpoints
            .iter()
            .map(|r| {
                let how = match r.depth {
                    0 => "its handler changed".to_string(),
                    d => format!(
                        "the changed code runs {d} call(s) below its handler `{}`",
                        graph.nodes[r.through].name
                    ),
                };
                format!(
                    "{} ({}{})",
                    named(r),
                    how,
                    if r.weak {
                        ", through a use resolved only by name"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        let direct = endpoints.iter().any(|r| r.depth == 0 && !r.weak);
        let first = endpoints[0];
        flags.push(NewFlag {
            flag_type: "change",
            target_agent: Some(agents[m].clone()),
            change_description: format!(
                "Changed API endpoints: a change under review since `{revision}` reaches {} endpoint(s) served by module `{module}`: {}.",
                endpoints.len(),
                capped(&names, FILES_SHOWN)
            ),
            action_required: format!(
                "Test these endpoints again before merging, and tell their clients if a response changes: {}. `vantage trace \"{}\"` shows an endpoint's flow; the origin FLAG of this chain describes the whole change.",
                capped(&chains, FILES_SHOWN),
                names[0]
            ),
            impact_level: if direct { "high" } else { "medium" },
            related_files: endpoints
                .iter()
                .filter_map(|r| r.route.handler.map(|h| analysis.project.path(graph.nodes[h.view].file).to_string()))
                .collect::<BTreeSet<String>>()
                .into_iter()
                .take(RELATED_MAX)
                .collect(),
            code_location: Some(format!(
                "{}:{}",
                analysis.project.path(first.route.site.file),
                first.route.site.line
            )),
            example_usage: Some(format!("vantage trace \"{}\"", names[0])),
            kind: "changed_endpoints",
            fingerprint: fingerprint(&[origin_print, "endpoints", module]),
            details: json!({"revision": revision, "module": module, "endpoints": names}),
            chained_to: Some(0),
            similar: None,
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
