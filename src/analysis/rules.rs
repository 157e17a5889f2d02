//! Rules: what counts as a violation, decided once, for every sink.
//!
//! ## What it finds
//! [`evaluate`] turns a finished analysis and a [`RuleSet`] into
//! [`Finding`]s: each with a stable rule id (docs/rules.md lists them), a
//! severity, a message, a primary location and related ones (path and
//! lines), the modules involved, the measured value and its limit, and a
//! fingerprint that survives unrelated edits and line moves. The text,
//! JSON, SARIF, GitHub and Code Climate emitters and the FLAG writer are
//! thin formatters over this one list: none of them decides what is a
//! violation.
//!
//! ## Why it matters
//! A CI gate, an agent's FLAG and an architect's report must agree on what
//! is wrong, and a baseline must recognise the same finding on the next
//! run: one producer, one fingerprint.
//!
//! ## Example
//! `[[forbid]] from = "payments", to = "auth"` and `payments/charge.py:8`
//! importing `auth/tokens.py`: one `dependency.forbidden` finding at
//! `payments/charge.py:8`, modules `payments` and `auth`, fingerprint from
//! the rule and the two paths (not the line: moving the import keeps it).
//!
//! ## Limits
//! Dependency rules judge file edges between modules; imports inside a
//! module are never a dependency rule's business. Type-only imports are
//! exempt unless a rule says `type_only = true`. Module-wide measures
//! (duplication, instability, distance) have no line of code of their own:
//! they point at the line of vantage.toml that sets the limit.

use std::collections::BTreeSet;

use xxhash_rust::xxh3::xxh3_64;

use super::coupling::ModuleMetrics;
use super::cycles::{Component, CycleKind};
use super::duplicates::{CloneClass, LineShare};
use super::measures::Measures;
use crate::config::{Config, Policy, RuleScope};
use crate::facts::DefKind;
use crate::facts::ImportKind;
use crate::graph::Site;
use crate::pipeline::Analysis;
use crate::project::FileId;
use crate::resolve::Resolution;
use crate::symbols::{EdgeKind, NodeKind, SymbolId};

/// Every rule vantage knows, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    ModuleCycle,
    FileCycle,
    ForbiddenDependency,
    PrivateUse,
    LayerViolation,
    IndependenceViolation,
    DanglingImport,
    Instability,
    StableDependencies,
    MainSequenceDistance,
    LongClone,
    CrossModuleClone,
    Duplication,
    ModuleDuplication,
    /// `check.max_near_duplication`: code lines in near-miss clones.
    NearDuplication,
    /// Functions copied and edited across modules (FLAGs only).
    CrossModuleNearClone,
}

/// How bad a finding is; SARIF's levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl Rule {
    pub const ALL: [Rule; 16] = [
        Rule::ModuleCycle,
        Rule::FileCycle,
        Rule::ForbiddenDependency,
        Rule::PrivateUse,
        Rule::LayerViolation,
        Rule::IndependenceViolation,
        Rule::DanglingImport,
        Rule::Instability,
        Rule::StableDependencies,
        Rule::MainSequenceDistance,
        Rule::LongClone,
        Rule::CrossModuleClone,
        Rule::Duplication,
        Rule::ModuleDuplication,
        Rule::NearDuplication,
        Rule::CrossModuleNearClone,
    ];

    /// The stable id (docs/rules.md): baselines, SARIF and FLAGs use it.
    pub fn id(self) -> &'static str {
        match self {
            Rule::ModuleCycle => "cycle.module",
            Rule::FileCycle => "cycle.files",
            Rule::ForbiddenDependency => "dependency.forbidden",
            Rule::PrivateUse => "dependency.private",
            Rule::LayerViolation => "layer.violation",
            Rule::IndependenceViolation => "dependency.independent",
            Rule::DanglingImport => "import.dangling",
            Rule::Instability => "coupling.instability",
            Rule::StableDependencies => "coupling.stable_dependencies",
            Rule::MainSequenceDistance => "coupling.distance",
            Rule::LongClone => "duplication.clone",
            Rule::CrossModuleClone => "duplication.cross_module",
            Rule::Duplication => "duplication.total",
            Rule::ModuleDuplication => "duplication.module",
            Rule::NearDuplication => "duplication.near",
            Rule::CrossModuleNearClone => "duplication.cross_module_near",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// A PascalCase name (SARIF's `name`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::ModuleCycle => "ModuleCycle",
            Rule::FileCycle => "FileCycleTooLarge",
            Rule::ForbiddenDependency => "ForbiddenDependency",
            Rule::PrivateUse => "PrivateDefinitionUsed",
            Rule::LayerViolation => "LayerViolation",
            Rule::IndependenceViolation => "IndependenceViolation",
            Rule::DanglingImport => "DanglingImport",
            Rule::Instability => "InstabilityTooHigh",
            Rule::StableDependencies => "StableDependenciesViolation",
            Rule::MainSequenceDistance => "FarFromMainSequence",
            Rule::LongClone => "CloneTooLong",
            Rule::CrossModuleClone => "CloneAcrossModules",
            Rule::Duplication => "DuplicationTooHigh",
            Rule::ModuleDuplication => "ModuleDuplicationTooHigh",
            Rule::NearDuplication => "NearDuplicationTooHigh",
            Rule::CrossModuleNearClone => "NearCloneAcrossModules",
        }
    }

    /// One line: what the rule finds.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::ModuleCycle => "Modules import each other in a cycle.",
            Rule::FileCycle => "A cycle of files is larger than the limit.",
            Rule::ForbiddenDependency => "A module depends on a module vantage.toml forbids it.",
            Rule::PrivateUse => "A module uses another module's private definition.",
            Rule::LayerViolation => "A layer depends on a layer above it.",
            Rule::IndependenceViolation => {
                "A module depends on another that must stay independent of it."
            }
            Rule::DanglingImport => {
                "An import names a file of the repository, or a name of one, that does not exist."
            }
            Rule::Instability => "A module's instability is above its limit.",
            Rule::StableDependencies => "A module depends on a less stable module.",
            Rule::MainSequenceDistance => "A module lies far from the main sequence.",
            Rule::LongClone => "A copied fragment is longer than the limit.",
            Rule::CrossModuleClone => "Code is copied across modules.",
            Rule::Duplication => "The duplicated share of code lines is above the limit.",
            Rule::ModuleDuplication => {
                "The duplicated share of a module's code lines is above its limit."
            }
            Rule::NearDuplication => {
                "The share of code lines in functions copied and edited is above the limit."
            }
            Rule::CrossModuleNearClone => "A function is copied and edited across modules.",
        }
    }

    /// Why it matters and how to fix it (SARIF's `fullDescription`).
    pub fn help(self) -> &'static str {
        match self {
            Rule::ModuleCycle => {
                "Modules in a cycle cannot be understood, tested, released or owned apart. Remove the cheapest imports to cut (listed): move what both sides need into a module both may depend on, or invert a dependency with an interface."
            }
            Rule::FileCycle => {
                "A large cycle of files loads as one block and changes as one block. Cut it where the fewest imports cross (`vantage cycles --level file` lists the cut)."
            }
            Rule::ForbiddenDependency => {
                "vantage.toml's [[forbid]] says this module must not depend on that one. Remove the import, move the code it needs, or invert the dependency."
            }
            Rule::PrivateUse => {
                "vantage.toml's [[forbid]] with private = true lets this module use only the other's public definitions; this one is private (`private`, Rust without `pub`, Python's `_name`, `@internal`, `#[doc(hidden)]`). Use or ask for a public entry point, or move the code to where it is used."
            }
            Rule::LayerViolation => {
                "vantage.toml's [[layers]] puts modules in layers, top first; a layer may use only the layers below it. Move the code or invert the dependency with an interface owned by the lower layer."
            }
            Rule::IndependenceViolation => {
                "vantage.toml's [[independent]] says none of these modules may depend on another. Move what they share into a module below them."
            }
            Rule::DanglingImport => {
                "The import names a file, package or namespace of the repository that is not there: it fails when it runs, or resolves to something else. Fix the path or restore what it names."
            }
            Rule::Instability => {
                "Instability I = Ce / (Ca + Ce): a module meant to be stable depends on too much outside it. Move those dependencies behind interfaces it owns."
            }
            Rule::StableDependencies => {
                "A module should depend only on modules at least as stable as itself, or a change in the unstable one forces changes in the stable one."
            }
            Rule::MainSequenceDistance => {
                "D = |A + I - 1|: a stable module should be abstract and an unstable one concrete. Near A = 0, I = 0 every change ripples (the zone of pain); near A = 1, I = 1 abstractions go unused."
            }
            Rule::LongClone => {
                "A long copied fragment drifts apart from its copies: a fix applied to one is missed in the others. Extract one shared implementation."
            }
            Rule::CrossModuleClone => {
                "Code copied between modules is a candidate for shared code both may depend on."
            }
            Rule::Duplication => {
                "Too much of the repository's code is copied. `vantage dupes` lists the clone classes, longest first."
            }
            Rule::ModuleDuplication => {
                "Too much of this module's code is copied. `vantage dupes` lists the clone classes, longest first."
            }
            Rule::NearDuplication => {
                "Too much of the repository's code is in functions copied and then edited: copies that drift apart, a fix applied to one and missed in the others. `vantage dupes --near` lists them with the lines that differ."
            }
            Rule::CrossModuleNearClone => {
                "A function copied into another module and edited there is business logic that has begun to drift: a fix applied to one copy is missed in the other. Compare the lines that differ, then keep one implementation both modules may use."
            }
        }
    }

    /// The command that shows more.
    pub fn more(self) -> &'static str {
        match self {
            Rule::ModuleCycle => "vantage cycles --level module",
            Rule::FileCycle => "vantage cycles --level file",
            Rule::ForbiddenDependency | Rule::LayerViolation | Rule::IndependenceViolation => {
                "vantage graph --level module"
            }
            Rule::PrivateUse => "vantage callers",
            Rule::DanglingImport => "vantage analyze",
            Rule::Instability | Rule::StableDependencies | Rule::MainSequenceDistance => {
                "vantage coupling"
            }
            Rule::LongClone
            | Rule::CrossModuleClone
            | Rule::Duplication
            | Rule::ModuleDuplication => "vantage dupes",
            Rule::NearDuplication => "vantage dupes --near",
            Rule::CrossModuleNearClone => "vantage dupes --near --cross-module",
        }
    }

    /// The key of vantage.toml that turns the rule on.
    pub fn key(self) -> &'static str {
        match self {
            Rule::ModuleCycle => "check.module_cycles",
            Rule::FileCycle => "check.max_cycle_files",
            Rule::ForbiddenDependency => "[[forbid]]",
            Rule::PrivateUse => "[[forbid]] private",
            Rule::LayerViolation => "[[layers]]",
            Rule::IndependenceViolation => "[[independent]]",
            Rule::DanglingImport => "check.dangling_imports",
            Rule::Instability => "check.max_instability",
            Rule::StableDependencies => "thresholds.instability_gap",
            Rule::MainSequenceDistance => "check.max_distance",
            Rule::LongClone => "check.max_clone_lines",
            Rule::CrossModuleClone => "thresholds.clone_tokens",
            Rule::Duplication => "check.max_duplication",
            Rule::ModuleDuplication => "check.max_module_duplication",
            Rule::NearDuplication => "check.max_near_duplication",
            Rule::CrossModuleNearClone => "thresholds.near_clones",
        }
    }

    /// Code Climate's category.
    pub fn category(self) -> &'static str {
        match self {
            Rule::LongClone
            | Rule::CrossModuleClone
            | Rule::Duplication
            | Rule::ModuleDuplication
            | Rule::NearDuplication
            | Rule::CrossModuleNearClone => "Duplication",
            Rule::DanglingImport => "Bug Risk",
            _ => "Complexity",
        }
    }

    /// Rules whose findings are sets (a cycle's members): a finding made
    /// of members an earlier one already had is not new, whatever its
    /// fingerprint.
    pub fn matches_by_members(self) -> bool {
        matches!(self, Rule::ModuleCycle | Rule::FileCycle)
    }
}

/// A place in the repository (or in vantage.toml), lines 1-based.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Repository-relative, `/`-separated.
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
    /// What this place is, for related locations.
    pub note: Option<String>,
}

impl Location {
    pub fn line(path: &str, line: u32) -> Location {
        Location {
            path: path.to_string(),
            start_line: line,
            end_line: line,
            note: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Location {
        self.note = Some(note.into());
        self
    }

    /// `path:line` or `path:first-last`.
    pub fn text(&self) -> String {
        if self.end_line > self.start_line {
            format!("{}:{}-{}", self.path, self.start_line, self.end_line)
        } else {
            format!("{}:{}", self.path, self.start_line)
        }
    }

    /// Whether it overlaps a line range.
    pub fn touches(&self, range: &std::ops::RangeInclusive<u32>) -> bool {
        self.start_line <= *range.end() && *range.start() <= self.end_line
    }
}

/// Which dependency rule of vantage.toml judged an edge (index in its list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Contract {
    Forbid(usize),
    Layers(usize),
    Independent(usize),
}

/// What a finding rests on, for sinks that show more than the message.
#[derive(Clone, Debug)]
pub enum Evidence {
    /// A file edge a dependency rule forbids: the sites that count.
    Edge {
        contract: Contract,
        sites: Vec<Site>,
    },
    /// A cyclic component of the module or file graph.
    Cycle(Component),
    /// A module pair against the stable-dependencies principle: every
    /// site from `from` into `to`.
    ModulePair {
        from: usize,
        to: usize,
        sites: Vec<Site>,
        from_instability: f64,
        to_instability: f64,
    },
    /// A module's coupling metrics.
    Module(ModuleMetrics),
    /// A clone class.
    Clone(CloneClass),
    /// A near-miss class: its first member and the members near it in
    /// other modules.
    NearClone(crate::analysis::near::NearClass),
    /// Duplicated lines, of the repository or of `module`.
    Share {
        module: Option<usize>,
        share: LineShare,
    },
    /// An import that names nothing (index in the file's imports).
    Import { file: FileId, import: usize },
    /// A use of a private definition across modules (`[[forbid]] private
    /// = true`): the user, the definition used, how, and the lines.
    Use {
        contract: Contract,
        from: SymbolId,
        to: SymbolId,
        kind: EdgeKind,
        lines: Vec<u32>,
    },
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    pub related: Vec<Location>,
    /// Module ids, ascending.
    pub modules: Vec<usize>,
    /// Stable across runs, unrelated edits and line moves.
    pub fingerprint: String,
    /// What the finding is made of, by name (a cycle's members, a clone's
    /// files): a later finding with no member this one lacks is not new.
    pub members: Vec<String>,
    pub value: Option<f64>,
    pub limit: Option<f64>,
    pub evidence: Evidence,
}

/// A fixed hash of the parts: the same on every machine and run.
pub fn fingerprint(parts: &[&str]) -> String {
    format!("{:016x}", xxh3_64(parts.join("\0").as_bytes()))
}

/// Which rules to evaluate, with their limits.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    pub module_cycles: bool,
    pub max_cycle_files: Option<usize>,
    /// `[[forbid]]`, `[[layers]]` and `[[independent]]` of the config.
    pub dependency_rules: bool,
    /// A `[[forbid]]` rule says `private = true`: the symbol graph is
    /// needed.
    pub private_uses: bool,
    pub dangling_imports: bool,
    pub max_instability: bool,
    /// Stable-dependencies violations from this instability gap.
    pub stable_dependencies_gap: Option<f64>,
    /// Distance from the main sequence, for modules of that many files.
    pub max_distance: Option<(f64, usize)>,
    pub max_clone_lines: Option<u32>,
    /// Clones across modules from this many tokens.
    pub cross_module_clone_tokens: Option<usize>,
    pub max_duplication: Option<f64>,
    pub max_module_duplication: bool,
    pub max_near_duplication: Option<f64>,
    /// Near-miss clones across modules from this many tokens a side.
    pub cross_module_near_tokens: Option<usize>,
    pub severity: Option<Severity>,
}

impl RuleSet {
    /// What `vantage check` gates on: `[check]` and the dependency rules.
    /// Every finding is an error (it fails the gate).
    pub fn check(config: &Config) -> RuleSet {
        let check = &config.check;
        RuleSet {
            module_cycles: check.module_cycles == Policy::Forbid,
            max_cycle_files: check.max_cycle_files,
            dependency_rules: true,
            private_uses: config.forbid.iter().any(|r| r.private),
            dangling_imports: check.dangling_imports == Policy::Forbid,
            max_instability: check.max_instability.is_some(),
            stable_dependencies_gap: None,
            max_distance: check.max_distance.map(|d| (d, check.distance_min_files)),
            max_clone_lines: check.max_clone_lines,
            cross_module_clone_tokens: None,
            max_duplication: check.max_duplication,
            max_module_duplication: check.max_module_duplication.is_some(),
            max_near_duplication: check.max_near_duplication,
            cross_module_near_tokens: None,
            severity: Some(Severity::Error),
        }
    }

    /// What `vantage analyze --flags` tells the module agents: module
    /// cycles, the dependency rules, imports of what does not exist,
    /// stable-dependencies violations and
    /// clones across modules (`[thresholds]`), modules far from the main
    /// sequence when `[thresholds] distance` is set.
    pub fn flags(config: &Config) -> RuleSet {
        let thresholds = &config.thresholds;
        RuleSet {
            module_cycles: true,
            dependency_rules: true,
            private_uses: config.forbid.iter().any(|r| r.private),
            dangling_imports: true,
            stable_dependencies_gap: Some(thresholds.instability_gap),
            max_distance: thresholds
                .distance
                .map(|d| (d, thresholds.distance_min_files)),
            cross_module_clone_tokens: Some(thresholds.clone_tokens),
            cross_module_near_tokens: thresholds.near_clones.then_some(thresholds.clone_tokens),
            ..RuleSet::default()
        }
    }

    /// The rules this set evaluates, in report order.
    pub fn rules(&self, config: &Config) -> Vec<Rule> {
        Rule::ALL
            .into_iter()
            .filter(|rule| match rule {
                Rule::ModuleCycle => self.module_cycles,
                Rule::FileCycle => self.max_cycle_files.is_some(),
                Rule::ForbiddenDependency => {
                    self.dependency_rules && config.forbid.iter().any(|r| !r.private)
                }
                Rule::PrivateUse => {
                    self.dependency_rules && config.forbid.iter().any(|r| r.private)
                }
                Rule::LayerViolation => self.dependency_rules && !config.layers.is_empty(),
                Rule::IndependenceViolation => {
                    self.dependency_rules && !config.independent.is_empty()
                }
                Rule::DanglingImport => self.dangling_imports,
                Rule::Instability => self.max_instability,
                Rule::StableDependencies => self.stable_dependencies_gap.is_some(),
                Rule::MainSequenceDistance => self.max_distance.is_some(),
                Rule::LongClone => self.max_clone_lines.is_some(),
                Rule::CrossModuleClone => self.cross_module_clone_tokens.is_some(),
                Rule::Duplication => self.max_duplication.is_some(),
                Rule::ModuleDuplication => self.max_module_duplication,
                Rule::NearDuplication => self.max_near_duplication.is_some(),
                Rule::CrossModuleNearClone => self.cross_module_near_tokens.is_some(),
            })
            .collect()
    }

    /// Whether evaluating needs clone detection (and so tokens).
    pub fn needs_clones(&self) -> bool {
        self.max_clone_lines.is_some()
            || self.cross_module_clone_tokens.is_some()
            || self.max_duplication.is_some()
            || self.max_module_duplication
            || self.max_near_duplication.is_some()
            || self.cross_module_near_tokens.is_some()
    }

    /// What the files must give for these rules: tokens for clones,
    /// definitions for abstractness and for the names an import takes
    /// (a module answering any name with `__getattr__` is a definition).
    pub fn extraction(&self) -> crate::lang::Extraction {
        use crate::lang::Extraction;
        let extraction = if self.needs_clones() {
            Extraction::FullWithTokens
        } else if self.max_distance.is_some() || self.dangling_imports {
            Extraction::Full
        } else {
            Extraction::ImportsOnly
        };
        if self.private_uses {
            extraction.with_symbols()
        } else {
            extraction
        }
    }
}

/// Every finding of the rules in `rules`, sorted by rule, place and
/// fingerprint. `sources` reads a file's text, for the few rules that look
/// at it (a name missing from a file).
pub fn evaluate(measures: &Measures, rules: &RuleSet, sources: &Sources) -> Vec<Finding> {
    let analysis = measures.analysis;
    let mut findings = Vec::new();
    if rules.module_cycles {
        module_cycles(analysis, measures.module_cycles(), &mut findings);
    }
    if let Some(limit) = rules.max_cycle_files {
        file_cycles(analysis, measures.file_cycles(), limit, &mut findings);
    }
    if rules.dependency_rules {
        dependency_rules(analysis, &mut findings);
        private_uses(analysis, &mut findings);
    }
    if rules.dangling_imports {
        dangling_imports(analysis, sources, &mut findings);
    }
    coupling_rules(measures, rules, &mut findings);
    if rules.needs_clones() {
        clone_rules(measures, rules, &mut findings);
    }
    for finding in &mut findings {
        if let Some(severity) = rules.severity {
            finding.severity = severity;
        }
        finding.modules.sort_unstable();
        finding.modules.dedup();
        // One line importing several files is one place to show.
        let mut seen: BTreeSet<(String, u32, u32)> = BTreeSet::new();
        if let Some(l) = &finding.location {
            seen.insert((l.path.clone(), l.start_line, l.end_line));
        }
        finding
            .related
            .retain(|l| seen.insert((l.path.clone(), l.start_line, l.end_line)));
    }
    findings.sort_by(|a, b| {
        (a.rule, &a.location, &a.fingerprint).cmp(&(b.rule, &b.location, &b.fingerprint))
    });
    findings
}

fn site_location(analysis: &Analysis, site: &Site) -> Location {
    Location::line(analysis.project.path(site.from), site.line)
}

/// The line of vantage.toml that sets a limit, as a location.
fn config_location(analysis: &Analysis, key: &str, note: &str) -> Option<Location> {
    let config = &analysis.config;
    let path = config.relative_path.as_deref()?;
    let line = config.check.lines.get(key).copied()?;
    Some(Location::line(path, line).with_note(note))
}

fn module_cycles(analysis: &Analysis, cycles: &[Component], findings: &mut Vec<Finding>) {
    let name = |m: usize| analysis.modules.name(m);
    for component in cycles.iter().filter(|c| c.kind == CycleKind::Cycle) {
        let members: Vec<String> = component
            .members
            .iter()
            .map(|&m| name(m).to_string())
            .collect();
        let mut witness: Vec<&str> = component.witness.iter().map(|h| name(h.from)).collect();
        witness.extend(witness.first().copied());
        let cut: Vec<&Site> = component.cut.iter().flat_map(|h| h.sites.iter()).collect();
        let message = format!(
            "modules {} import each other in a cycle ({}); the cheapest cut removes {}",
            members.join(", "),
            if witness.len() > 9 {
                format!("a shortest cycle has {} modules", witness.len() - 1)
            } else {
                witness.join(" -> ")
            },
            plural(cut.len(), "import site")
        );
        findings.push(Finding {
            rule: Rule::ModuleCycle,
            severity: Severity::Error,
            message,
            location: cut.first().map(|s| site_location(analysis, s)),
            related: cut
                .iter()
                .skip(1)
                .map(|s| site_location(analysis, s).with_note("an import of the cheapest cut"))
                .collect(),
            modules: component.members.clone(),
            fingerprint: component.fingerprint("module", |m| name(m).to_string()),
            value: Some(members.len() as f64),
            limit: None,
            members,
            evidence: Evidence::Cycle(component.clone()),
        });
    }
}

fn file_cycles(
    analysis: &Analysis,
    cycles: &[Component],
    limit: usize,
    findings: &mut Vec<Finding>,
) {
    let path = |f: usize| analysis.project.path(f);
    for component in cycles
        .iter()
        .filter(|c| c.kind == CycleKind::Cycle && c.members.len() > limit)
    {
        let members: Vec<String> = component
            .members
            .iter()
            .map(|&f| path(f).to_string())
            .collect();
        let cut: Vec<&Site> = component.cut.iter().flat_map(|h| h.sites.iter()).collect();
        let mut witness: Vec<String> = component
            .witness
            .iter()
            .map(|h| format!("{}:{}", path(h.from), h.sites[0].line))
            .collect();
        if let Some(first) = component.witness.first() {
            witness.push(path(first.from).to_string());
        }
        let modules: Vec<usize> = component
            .members
            .iter()
            .map(|&f| analysis.modules.of_file[f])
            .collect();
        findings.push(Finding {
            rule: Rule::FileCycle,
            severity: Severity::Error,
            message: format!(
                "{} files import each other in a cycle (limit {limit}); a shortest cycle: {}; the cheapest cut removes {}",
                members.len(),
                if witness.len() > 9 {
                    format!("{} files long", witness.len() - 1)
                } else {
                    witness.join(" -> ")
                },
                plural(cut.len(), "import site")
            ),
            location: cut.first().map(|s| site_location(analysis, s)),
            related: cut
                .iter()
                .skip(1)
                .map(|s| site_location(analysis, s).with_note("an import of the cheapest cut"))
                .collect(),
            modules,
            fingerprint: component.fingerprint("file", |f| path(f).to_string()),
            value: Some(members.len() as f64),
            limit: Some(limit as f64),
            members,
            evidence: Evidence::Cycle(component.clone()),
        });
    }
}

/// The sites of a dependency a rule's scope counts.
fn counted_sites(sites: &[Site], scope: &RuleScope) -> Vec<Site> {
    sites
        .iter()
        .filter(|s| scope.type_only || s.kind != ImportKind::TypeOnly)
        .copied()
        .collect()
}

/// Uses of private definitions across the module pairs a `[[forbid]]
/// private = true` rule covers: one finding per user and definition used.
/// A class's use of what its own base classes keep private is exempt
/// (Python's `_hook` methods are for subclasses too), and so are type
/// uses unless the rule says `type_only = true`.
fn private_uses(analysis: &Analysis, findings: &mut Vec<Finding>) {
    let config = &analysis.config;
    let symbols = &analysis.symbols;
    if symbols.is_empty() || !config.forbid.iter().any(|r| r.private) {
        return;
    }
    let def = |node: SymbolId| symbols.def(&analysis.facts, node);
    let private = |node: SymbolId| symbols.is_private(&analysis.facts, node);
    // The class a member belongs to (a Rust impl's methods: the impl).
    let owner = |node: SymbolId| -> Option<SymbolId> {
        let n = &symbols.nodes[node];
        let mut at = def(node)?.parent;
        let defs = &analysis.facts[n.file].symbols.as_ref()?.defs;
        while let Some(p) = at {
            if defs[p as usize].kind.is_type() {
                return symbols.node(n.file, p);
            }
            at = defs[p as usize].parent;
        }
        None
    };
    let inherits = |class: SymbolId, base: SymbolId| {
        let mut seen = BTreeSet::from([class]);
        let mut stack = vec![class];
        while let Some(c) = stack.pop() {
            if c == base {
                return true;
            }
            for (used, edge) in symbols.used(c) {
                if edge.kind == EdgeKind::Inherit && seen.insert(used) {
                    stack.push(used);
                }
            }
        }
        false
    };
    let name = |m: usize| analysis.modules.name(m);
    for (from, to, edge) in symbols.edges() {
        // A private module on the way to a member (`crate::trace::leaf`)
        // is judged by the member.
        let namespace = symbols.nodes[to].kind == NodeKind::Def(DefKind::Namespace);
        if edge.kind == EdgeKind::Fixture || namespace || !private(to) {
            continue;
        }
        let (file_a, file_b) = (symbols.nodes[from].file, symbols.nodes[to].file);
        let (a, b) = (
            analysis.modules.of_file[file_a],
            analysis.modules.of_file[file_b],
        );
        if a == b {
            continue;
        }
        if let (Some(user), Some(base)) = (owner(from), owner(to))
            && inherits(user, base)
        {
            continue;
        }
        let (ma, mb) = (name(a), name(b));
        for (i, rule) in config.forbid.iter().enumerate() {
            if !(rule.private && rule.from.matches(ma) && rule.to.matches(mb)) {
                continue;
            }
            if edge.kind == EdgeKind::Type && !rule.scope.type_only {
                continue;
            }
            let lines: Vec<u32> = edge.sites.iter().map(|s| s.line).collect();
            let Some(&first) = lines.first() else {
                continue;
            };
            let reason = rule
                .scope
                .reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            let (user, used) = (&symbols.nodes[from], &symbols.nodes[to]);
            let mut related = vec![
                Location::line(analysis.project.path(file_b), used.lines.0)
                    .with_note(format!("the private {}", used.kind.as_str())),
            ];
            related.extend(lines.iter().skip(1).map(|&line| {
                Location::line(analysis.project.path(file_a), line).with_note("another use")
            }));
            if let (Some(config_path), Some(line)) =
                (config.relative_path.as_deref(), rule.scope.line)
            {
                related.push(Location::line(config_path, line).with_note("the rule"));
            }
            let contract_key = format!("{}\0{}\0private", rule.from.text, rule.to.text);
            findings.push(Finding {
                rule: Rule::PrivateUse,
                severity: Severity::Error,
                message: format!(
                    "module `{ma}` may use only the public definitions of `{mb}`{reason}: `{}` {} `{}`, which is private",
                    user.name,
                    verb(edge.kind),
                    used.name
                ),
                location: Some(Location::line(analysis.project.path(file_a), first)),
                related,
                modules: if a < b { vec![a, b] } else { vec![b, a] },
                fingerprint: fingerprint(&[
                    Rule::PrivateUse.id(),
                    &contract_key,
                    &user.name,
                    verb(edge.kind),
                    &used.name,
                ]),
                members: Vec::new(),
                value: Some(lines.len() as f64),
                limit: None,
                evidence: Evidence::Use {
                    contract: Contract::Forbid(i),
                    from,
                    to,
                    kind: edge.kind,
                    lines,
                },
            });
        }
    }
}

/// How a use reads in a sentence: `calls`, `instantiates`.
pub fn verb(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Call => "calls",
        EdgeKind::Instantiate => "instantiates",
        EdgeKind::Inherit => "extends",
        EdgeKind::Type => "names the type",
        EdgeKind::Reference => "reads",
        EdgeKind::Fixture => "uses the fixture",
        EdgeKind::Import => "imports",
    }
}

fn dependency_rules(analysis: &Analysis, findings: &mut Vec<Finding>) {
    let config = &analysis.config;
    if config.forbid.is_empty() && config.layers.is_empty() && config.independent.is_empty() {
        return;
    }
    let name = |m: usize| analysis.modules.name(m);
    let path = |f: usize| analysis.project.path(f);
    for (from, to, dependency) in analysis.file_graph.edges() {
        let (a, b) = (analysis.modules.of_file[from], analysis.modules.of_file[to]);
        if a == b {
            continue;
        }
        let (ma, mb) = (name(a), name(b));
        let mut judged: Vec<(Rule, Contract, &RuleScope, String, String)> = Vec::new();
        for (i, rule) in config.forbid.iter().enumerate() {
            if !rule.private && rule.from.matches(ma) && rule.to.matches(mb) {
                judged.push((
                    Rule::ForbiddenDependency,
                    Contract::Forbid(i),
                    &rule.scope,
                    format!("{}\0{}", rule.from.text, rule.to.text),
                    format!("module `{ma}` may not depend on `{mb}`"),
                ));
            }
        }
        for (i, rule) in config.layers.iter().enumerate() {
            if let (Some(la), Some(lb)) = (rule.layer_of(ma), rule.layer_of(mb))
                && lb < la
            {
                let layers: Vec<String> =
                    (0..rule.layers.len()).map(|l| rule.layer_text(l)).collect();
                let named = rule
                    .name
                    .as_deref()
                    .map(|n| format!("layering `{n}`: "))
                    .unwrap_or_default();
                let of_layer = |l: usize, m: &str| {
                    let layer = rule.layer_text(l);
                    if layer == m {
                        String::new()
                    } else {
                        format!(" (layer {layer})")
                    }
                };
                judged.push((
                    Rule::LayerViolation,
                    Contract::Layers(i),
                    &rule.scope,
                    layers.join("\0"),
                    format!(
                        "{named}module `{ma}`{} may not use `{mb}`{}, a layer above it",
                        of_layer(la, ma),
                        of_layer(lb, mb)
                    ),
                ));
            }
        }
        for (i, rule) in config.independent.iter().enumerate() {
            if rule.covers(ma) && rule.covers(mb) {
                let named = rule
                    .name
                    .as_deref()
                    .map(|n| format!(" (`{n}`)"))
                    .unwrap_or_default();
                let patterns: Vec<&str> = rule.modules.iter().map(|p| p.text.as_str()).collect();
                judged.push((
                    Rule::IndependenceViolation,
                    Contract::Independent(i),
                    &rule.scope,
                    patterns.join("\0"),
                    format!("modules `{ma}` and `{mb}` must stay independent{named}"),
                ));
            }
        }
        for (rule, contract, scope, contract_key, said) in judged {
            let sites = counted_sites(&dependency.sites, scope);
            let Some(first) = sites.first() else {
                continue;
            };
            let reason = scope
                .reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            let kinds = match first.kind {
                ImportKind::Static => String::new(),
                ImportKind::TypeOnly => " (a type-only import)".to_string(),
                kind => format!(" (a {} import)", kind.as_str()),
            };
            let mut related: Vec<Location> = sites
                .iter()
                .skip(1)
                .map(|s| site_location(analysis, s).with_note("another import of the same file"))
                .collect();
            if let (Some(config_path), Some(line)) = (config.relative_path.as_deref(), scope.line) {
                related.push(Location::line(config_path, line).with_note("the rule"));
            }
            findings.push(Finding {
                rule,
                severity: Severity::Error,
                message: format!("{said}{reason}: imports {}{kinds}", path(to)),
                location: Some(site_location(analysis, first)),
                related,
                modules: vec![a, b],
                fingerprint: fingerprint(&[rule.id(), &contract_key, path(from), path(to)]),
                members: Vec::new(),
                value: Some(sites.len() as f64),
                limit: None,
                evidence: Evidence::Edge { contract, sites },
            });
        }
    }
}

fn dangling_imports(analysis: &Analysis, sources: &Sources, findings: &mut Vec<Finding>) {
    for (file, (facts, resolved)) in analysis.facts.iter().zip(&analysis.resolutions).enumerate() {
        let path = analysis.project.path(file);
        for (index, (import, resolution)) in facts.imports.iter().zip(resolved).enumerate() {
            let (message, key) = match resolution {
                // Into a file the run leaves out: not missing, unseen.
                Resolution::Unresolved if points_into_excluded(analysis, file, import) => continue,
                Resolution::Unresolved => {
                    let what = if import.reference { "names" } else { "imports" };
                    (
                        format!(
                            "{what} `{}`, which names nothing in the repository",
                            import.specifier
                        ),
                        import.specifier.clone(),
                    )
                }
                Resolution::Files(targets) => {
                    let missing = missing_names(analysis, sources, file, import, targets);
                    let Some((name, target)) = missing.into_iter().next() else {
                        continue;
                    };
                    (
                        format!(
                            "imports `{name}` from {}, which has no such name",
                            analysis.project.path(target)
                        ),
                        format!("{}\0{name}", import.specifier),
                    )
                }
                _ => continue,
            };
            findings.push(Finding {
                rule: Rule::DanglingImport,
                severity: Severity::Error,
                message,
                location: Some(Location::line(path, import.line)),
                related: Vec::new(),
                modules: vec![analysis.modules.of_file[file]],
                fingerprint: fingerprint(&[Rule::DanglingImport.id(), path, &key]),
                members: Vec::new(),
                value: None,
                limit: None,
                evidence: Evidence::Import {
                    file,
                    import: index,
                },
            });
        }
    }
}

/// Whether an import that found nothing may name a file the run leaves
/// out (an exclude glob, a default exclude): the paths it would be at, as
/// far as the specifier tells. Names used in code (PHP, Rust) have no path
/// of their own: with excludes in force they are not judged.
fn points_into_excluded(
    analysis: &Analysis,
    file: FileId,
    import: &crate::facts::RawImport,
) -> bool {
    use crate::lang::LanguageFamily;
    let excluded = |path: &str| {
        crate::discover::would_exclude(path, &analysis.excluded_dirs, &analysis.excludes)
    };
    let from = analysis.project.path(file);
    let dir = crate::project::parent(from);
    let spec = import.specifier.as_str();
    let family = analysis.project.get(file).language.family();
    let base = match family {
        LanguageFamily::TypeScript | LanguageFamily::JavaScript => {
            if !spec.starts_with('.') {
                // A package name: where it would be is the resolver's.
                return !analysis.excludes.is_empty();
            }
            crate::project::join(dir, spec)
        }
        LanguageFamily::Python => {
            let level = spec.chars().take_while(|c| *c == '.').count();
            let rest = spec[level..].replace('.', "/");
            let mut base = if level == 0 {
                Some(String::new())
            } else {
                Some(dir.to_string())
            };
            for _ in 1..level {
                base = base.and_then(|b| crate::project::join(&b, ".."));
            }
            base.map(|b| crate::project::child(&b, &rest))
        }
        LanguageFamily::Php | LanguageFamily::Rust => return !analysis.excludes.is_empty(),
    };
    let Some(base) = base else { return false };
    let base = base.trim_matches('/');
    let extensions = [
        "",
        ".py",
        "/__init__.py",
        ".ts",
        ".tsx",
        ".d.ts",
        ".js",
        ".jsx",
        ".mjs",
        "/index.ts",
        "/index.js",
        "/x",
    ];
    !base.is_empty() && extensions.iter().any(|e| excluded(&format!("{base}{e}")))
}

/// The source text of a file, read by the caller (rules never touch the
/// file system).
pub type Sources<'a> = dyn Fn(FileId) -> Option<String> + 'a;

/// Names an import takes from a file of the repository that the file does
/// not offer (Python `from m import name`, TypeScript and JavaScript
/// `import { name }`), with the file. Only when it is sure: a name the file
/// defines, imports or passes on is there; a file that passes everything
/// of another on (`export *`, `from x import *`) or answers any name
/// (`__getattr__`) is not judged; and a name that occurs anywhere in the
/// file's text (assigned in an `if`, a `try`, a loop) counts as there.
fn missing_names(
    analysis: &Analysis,
    sources: &Sources,
    from: FileId,
    import: &crate::facts::RawImport,
    targets: &[FileId],
) -> Vec<(String, FileId)> {
    use crate::lang::LanguageFamily;
    let family = analysis.project.get(from).language.family();
    // PHP and Rust names are used in code, not taken by an import list.
    let checked = match family {
        LanguageFamily::Python | LanguageFamily::TypeScript | LanguageFamily::JavaScript => true,
        LanguageFamily::Php | LanguageFamily::Rust => false,
    };
    if !checked || import.reference || import.names.is_empty() {
        return Vec::new();
    }
    // A target's name as a module: its stem, or its folder's for a
    // package's `__init__`/`index`.
    let module_name = |f: FileId| {
        let path = analysis.project.path(f);
        let stem = crate::project::file_name(path)
            .split('.')
            .next()
            .unwrap_or_default();
        if matches!(stem, "__init__" | "index") {
            crate::project::file_name(crate::project::parent(path)).to_string()
        } else {
            stem.to_string()
        }
    };
    // `from pkg import sub` resolves to the submodule; the other names are
    // looked up in what the import names itself.
    let (submodules, bases): (Vec<FileId>, Vec<FileId>) = targets
        .iter()
        .partition(|&&t| import.names.contains(&module_name(t)));
    // What each target offers, worked out once for all the names.
    let judged: Vec<(FileId, std::collections::BTreeSet<String>)> = bases
        .iter()
        .filter(|&&target| target != from && analysis.project.get(target).skipped.is_none())
        .filter_map(|&target| {
            let source = analysis.project.get(target);
            let facts = &analysis.facts[target];
            let opaque = facts.imports.iter().any(|i| {
                i.names.iter().any(|n| n == "*") && (i.reexport || family == LanguageFamily::Python)
            }) || facts.definitions.iter().any(|d| d.name == "__getattr__");
            (!opaque).then(|| {
                let offered = crate::analysis::impact::exposed_names(source.language, facts);
                (target, offered)
            })
        })
        .collect();
    let mut texts: Vec<Option<Option<String>>> = vec![None; judged.len()];
    let mut missing = Vec::new();
    for name in &import.names {
        if matches!(name.as_str(), "*" | "default")
            || submodules.iter().any(|&t| module_name(t) == *name)
        {
            continue;
        }
        for (slot, (target, offered)) in judged.iter().enumerate() {
            if offered.contains(name) {
                continue;
            }
            // Read only when a name is not among the offered ones, once.
            let Some(text) = texts[slot].get_or_insert_with(|| sources(*target)) else {
                continue;
            };
            let occurs = text.match_indices(name.as_str()).any(|(at, _)| {
                let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
                !text[..at].chars().next_back().is_some_and(word)
                    && !text[at + name.len()..].chars().next().is_some_and(word)
            });
            if !occurs {
                missing.push((name.clone(), *target));
            }
        }
    }
    missing
}

fn coupling_rules(measures: &Measures, rules: &RuleSet, findings: &mut Vec<Finding>) {
    let analysis = measures.analysis;
    let config = &analysis.config;
    let name = |m: usize| analysis.modules.name(m);
    if rules.max_instability
        && let Some(limits) = &config.check.max_instability
    {
        for metrics in &measures.coupling().modules {
            let (Some(instability), Some(limit)) =
                (metrics.instability, limits.limit_for(name(metrics.module)))
            else {
                continue;
            };
            if instability <= limit + 1e-9 {
                continue;
            }
            let m = metrics.module;
            let related = outgoing_sites(analysis, m)
                .into_iter()
                .take(20)
                .map(|s| site_location(analysis, &s).with_note("an import out of the module"))
                .collect();
            findings.push(Finding {
                rule: Rule::Instability,
                severity: Severity::Error,
                message: format!(
                    "module `{}` has instability {instability:.2} (Ce {}: its files importing other modules; Ca {}: files importing it), above its limit {limit:.2}",
                    name(m),
                    metrics.ce,
                    metrics.ca
                ),
                location: config_location(analysis, "max_instability", "the limit"),
                related,
                modules: vec![m],
                fingerprint: fingerprint(&[Rule::Instability.id(), name(m)]),
                members: Vec::new(),
                value: Some(round2(instability)),
                limit: Some(limit),
                evidence: Evidence::Module(metrics.clone()),
            });
        }
    }
    if let Some(gap) = rules.stable_dependencies_gap {
        for violation in &measures.coupling().violations {
            if violation.to_instability - violation.from_instability < gap {
                continue;
            }
            let (from, to) = (violation.from, violation.to);
            let sites: Vec<Site> = analysis
                .module_graph
                .graph
                .edges()
                .filter(|(f, t, _)| *f == from && *t == to)
                .flat_map(|(_, _, d)| d.sites.iter().copied())
                .collect();
            findings.push(Finding {
                rule: Rule::StableDependencies,
                severity: Severity::Warning,
                message: format!(
                    "module `{}` (instability {:.2}) depends on the less stable module `{}` (instability {:.2}) through {} import site{}",
                    name(from),
                    violation.from_instability,
                    name(to),
                    violation.to_instability,
                    violation.sites,
                    if violation.sites == 1 { "" } else { "s" }
                ),
                location: sites.first().map(|s| site_location(analysis, s)),
                related: sites
                    .iter()
                    .skip(1)
                    .take(20)
                    .map(|s| site_location(analysis, s))
                    .collect(),
                modules: vec![from, to],
                // The FLAG fingerprint of earlier versions: kept.
                fingerprint: fingerprint(&["unstable_dependency", name(from), name(to)]),
                members: Vec::new(),
                value: Some(round2(violation.to_instability - violation.from_instability)),
                limit: Some(gap),
                evidence: Evidence::ModulePair {
                    from,
                    to,
                    sites,
                    from_instability: violation.from_instability,
                    to_instability: violation.to_instability,
                },
            });
        }
    }
    if let Some((limit, min_files)) = rules.max_distance {
        for metrics in &measures.coupling().modules {
            let Some(distance) = metrics.distance else {
                continue;
            };
            if distance <= limit + 1e-9 || metrics.files < min_files {
                continue;
            }
            let m = metrics.module;
            findings.push(Finding {
                rule: Rule::MainSequenceDistance,
                severity: Severity::Warning,
                message: format!(
                    "module `{}` lies {distance:.2} from the main sequence (instability {:.2}, abstractness {:.2}, {} files), beyond the limit {limit:.2}",
                    name(m),
                    metrics.instability.unwrap_or(0.0),
                    metrics.abstractness.unwrap_or(0.0),
                    metrics.files
                ),
                location: config_location(analysis, "max_distance", "the limit"),
                related: Vec::new(),
                modules: vec![m],
                // The FLAG fingerprint of earlier versions: kept.
                fingerprint: fingerprint(&["main_sequence_distance", name(m)]),
                members: Vec::new(),
                value: Some(round2(distance)),
                limit: Some(limit),
                evidence: Evidence::Module(metrics.clone()),
            });
        }
    }
}

/// Import sites from files of module `m` into other modules, in order.
fn outgoing_sites(analysis: &Analysis, m: usize) -> Vec<Site> {
    analysis
        .module_graph
        .graph
        .edges()
        .filter(|(f, t, _)| *f == m && *t != m)
        .flat_map(|(_, _, d)| d.sites.iter().copied())
        .collect()
}

/// `1 import site`, `2 import sites`.
fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn clone_rules(measures: &Measures, rules: &RuleSet, findings: &mut Vec<Finding>) {
    let analysis = measures.analysis;
    let clones = measures.clones();
    let path = |f: usize| analysis.project.path(f);
    let module_of = |f: usize| analysis.modules.of_file[f];
    let clone_finding = |rule: Rule, class: &CloneClass, message: String, limit: Option<f64>| {
        let places = clones.places(class);
        let locations: Vec<Location> = places
            .iter()
            .map(|&(file, first, last)| Location {
                path: path(file).to_string(),
                start_line: first,
                end_line: last,
                note: None,
            })
            .collect();
        let mut members: Vec<String> = places.iter().map(|p| path(p.0).to_string()).collect();
        members.sort();
        Finding {
            rule,
            severity: Severity::Error,
            message,
            location: locations.first().cloned(),
            related: locations
                .iter()
                .skip(1)
                .map(|l| l.clone().with_note("another copy"))
                .collect(),
            modules: places.iter().map(|p| module_of(p.0)).collect(),
            fingerprint: class.fingerprint.clone(),
            members,
            value: Some(clones.lines(class) as f64),
            limit,
            evidence: Evidence::Clone(class.clone()),
        }
    };
    let elsewhere = |class: &CloneClass| -> String {
        let places = clones.places(class);
        let others: Vec<String> = places
            .iter()
            .skip(1)
            .take(4)
            .map(|&(f, a, b)| format!("{}:{a}-{b}", path(f)))
            .collect();
        let more = places.len().saturating_sub(5);
        if more > 0 {
            format!("{}, and {more} more", others.join(", "))
        } else {
            others.join(", ")
        }
    };
    if let Some(limit) = rules.max_clone_lines {
        for class in &clones.classes {
            let lines = clones.lines(class);
            if lines <= limit {
                continue;
            }
            let message = format!(
                "a {lines}-line clone ({} tokens) in {} places (limit {limit} lines); also at {}",
                class.tokens,
                class.members.len(),
                elsewhere(class)
            );
            findings.push(clone_finding(
                Rule::LongClone,
                class,
                message,
                Some(limit as f64),
            ));
        }
    }
    if let Some(min_tokens) = rules.cross_module_clone_tokens {
        for class in clones.classes.iter().filter(|c| c.tokens >= min_tokens) {
            let modules: BTreeSet<&str> = class
                .members
                .iter()
                .map(|m| analysis.modules.name(module_of(m.file)))
                .collect();
            if modules.len() < 2 {
                continue;
            }
            let names: Vec<&str> = modules.into_iter().collect();
            let message = format!(
                "{} tokens copied across modules {} in {} places; also at {}",
                class.tokens,
                names.join(", "),
                class.members.len(),
                elsewhere(class)
            );
            let mut finding = clone_finding(Rule::CrossModuleClone, class, message, None);
            finding.severity = Severity::Warning;
            finding.value = Some(class.tokens as f64);
            findings.push(finding);
        }
    }
    if let Some(min_tokens) = rules.cross_module_near_tokens {
        for class in &measures.near().classes {
            if let Some(finding) = near_across_modules(analysis, class, min_tokens) {
                findings.push(finding);
            }
        }
    }
    if let Some(limit) = rules.max_duplication {
        let share = clones.total();
        if share.percent() > limit {
            let message = format!(
                "{:.2}% of code lines are duplicated ({} of {}), above the limit {limit:.2}%",
                share.percent(),
                share.duplicated_lines,
                share.code_lines
            );
            findings.push(share_finding(
                analysis,
                Rule::Duplication,
                (share, &clones.files),
                message,
                limit,
            ));
        }
    }
    if let Some(limit) = rules.max_near_duplication {
        let near = measures.near();
        let share = super::duplicates::total_share(&near.files);
        if share.percent() > limit {
            let message = format!(
                "{:.2}% of code lines are in near-miss clones ({} of {}; {} at similarity {:.2} or more), above the limit {limit:.2}%",
                share.percent(),
                share.duplicated_lines,
                share.code_lines,
                plural_classes(near.classes.len()),
                near.options.similarity,
            );
            findings.push(share_finding(
                analysis,
                Rule::NearDuplication,
                (share, &near.files),
                message,
                limit,
            ));
        }
    }
    if rules.max_module_duplication
        && let Some(limits) = &analysis.config.check.max_module_duplication
    {
        for (m, share) in clones.by_module(analysis).into_iter().enumerate() {
            let name = analysis.modules.name(m);
            let Some(limit) = limits.limit_for(name) else {
                continue;
            };
            if share.code_lines == 0 || share.percent() <= limit {
                continue;
            }
            findings.push(Finding {
                rule: Rule::ModuleDuplication,
                severity: Severity::Error,
                message: format!(
                    "{:.2}% of module `{name}`'s code lines are duplicated ({} of {}), above its limit {limit:.2}%",
                    share.percent(),
                    share.duplicated_lines,
                    share.code_lines
                ),
                location: config_location(analysis, "max_module_duplication", "the limit"),
                related: worst_files(analysis, &clones.files, Some(m), "duplicated lines"),
                modules: vec![m],
                fingerprint: fingerprint(&[Rule::ModuleDuplication.id(), name]),
                members: Vec::new(),
                value: Some(share.percent()),
                limit: Some(limit),
                evidence: Evidence::Share {
                    module: Some(m),
                    share,
                },
            });
        }
    }
}

/// A near-miss class as a finding when its first member has near copies
/// in other modules, both sides of `min_tokens` tokens or more: the class
/// narrowed to the first member and those copies. A copy under renaming
/// (similarity 1) is left out: `duplication.cross_module` has it.
fn near_across_modules(
    analysis: &Analysis,
    class: &crate::analysis::near::NearClass,
    min_tokens: usize,
) -> Option<Finding> {
    let module_of = |m: &crate::analysis::near::NearMember| analysis.modules.of_file[m.unit.file];
    let first = &class.members[0];
    if first.unit.len < min_tokens {
        return None;
    }
    let copies: Vec<&crate::analysis::near::NearMember> = class.members[1..]
        .iter()
        .filter(|m| {
            module_of(m) != module_of(first) && m.unit.len >= min_tokens && m.similarity < 1.0
        })
        .collect();
    if copies.is_empty() {
        return None;
    }
    let narrowed = crate::analysis::near::NearClass {
        members: std::iter::once(first).chain(copies).cloned().collect(),
        fingerprint: class.fingerprint.clone(),
    };
    let path = |m: &crate::analysis::near::NearMember| analysis.project.path(m.unit.file);
    let place = |m: &crate::analysis::near::NearMember| {
        let (first, last) = analysis.lines_of(&m.unit);
        Location {
            path: path(m).to_string(),
            start_line: first,
            end_line: last,
            note: None,
        }
    };
    let modules: BTreeSet<usize> = narrowed.members.iter().map(module_of).collect();
    let mut others: Vec<String> = narrowed.members[1..]
        .iter()
        .take(4)
        .map(|m| format!("{} ({:.2})", place(m).text(), m.similarity))
        .collect();
    if narrowed.members.len() > 5 {
        others.push(format!("and {} more", narrowed.members.len() - 5));
    }
    let mut members: Vec<String> = narrowed
        .members
        .iter()
        .map(|m| path(m).to_string())
        .collect();
    members.sort();
    Some(Finding {
        rule: Rule::CrossModuleNearClone,
        severity: Severity::Warning,
        message: format!(
            "a function of {} tokens copied and edited across modules {}: near copies at {}",
            first.unit.len,
            modules
                .iter()
                .map(|&m| analysis.modules.name(m))
                .collect::<Vec<_>>()
                .join(", "),
            others.join(", ")
        ),
        location: Some(place(first)),
        related: narrowed.members[1..]
            .iter()
            .map(|m| place(m).with_note(format!("a near copy, similarity {:.2}", m.similarity)))
            .collect(),
        modules: modules.into_iter().collect(),
        fingerprint: narrowed.fingerprint.clone(),
        members,
        value: Some(narrowed.similarity()),
        limit: None,
        evidence: Evidence::NearClone(narrowed),
    })
}

/// The files with the most duplicated lines (of one module), at most ten.
/// A share of the whole repository over its limit: no place of its own
/// (the limit's line), the files with most lines as related places.
fn share_finding(
    analysis: &Analysis,
    rule: Rule,
    (share, files): (LineShare, &[super::duplicates::FileDuplication]),
    message: String,
    limit: f64,
) -> Finding {
    let key = rule.key().trim_start_matches("check.");
    Finding {
        rule,
        severity: Severity::Error,
        message,
        location: config_location(analysis, key, "the limit"),
        related: worst_files(
            analysis,
            files,
            None,
            if rule == Rule::NearDuplication {
                "lines in near-miss clones"
            } else {
                "duplicated lines"
            },
        ),
        modules: Vec::new(),
        fingerprint: fingerprint(&[rule.id()]),
        members: Vec::new(),
        value: Some(share.percent()),
        limit: Some(limit),
        evidence: Evidence::Share {
            module: None,
            share,
        },
    }
}

fn plural_classes(n: usize) -> String {
    if n == 1 {
        "1 class".to_string()
    } else {
        format!("{n} classes")
    }
}

fn worst_files(
    analysis: &Analysis,
    files: &[super::duplicates::FileDuplication],
    module: Option<usize>,
    what: &str,
) -> Vec<Location> {
    let mut worst: Vec<(usize, usize)> = files
        .iter()
        .enumerate()
        .filter(|(f, d)| {
            d.duplicated_lines > 0 && module.is_none_or(|m| analysis.modules.of_file[*f] == m)
        })
        .map(|(f, d)| (f, d.duplicated_lines))
        .collect();
    worst.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    worst
        .into_iter()
        .take(10)
        .map(|(f, n)| Location::line(analysis.project.path(f), 1).with_note(format!("{n} {what}")))
        .collect()
}

/// One line on what a checked rule measured, whether or not it found a
/// violation: `2.13% of code lines (limit 3.00%)`.
pub fn measured(measures: &Measures, rules: &RuleSet, rule: Rule) -> String {
    let analysis = measures.analysis;
    let config = &analysis.config;
    let name = |m: usize| analysis.modules.name(m);
    let count = |n: usize, what: &str| {
        let plural = match n {
            1 => "",
            _ if what.ends_with('s') => "es",
            _ => "s",
        };
        format!("{n} {what}{plural}")
    };
    match rule {
        Rule::ModuleCycle => count(
            measures
                .module_cycles()
                .iter()
                .filter(|c| c.kind == CycleKind::Cycle)
                .count(),
            "module cycle",
        ),
        Rule::FileCycle => {
            let largest = measures
                .file_cycles()
                .iter()
                .filter(|c| c.kind == CycleKind::Cycle)
                .map(|c| c.members.len())
                .max();
            match largest {
                Some(n) => format!(
                    "largest file cycle {n} files (limit {})",
                    rules.max_cycle_files.unwrap_or(0)
                ),
                None => "no file cycle".to_string(),
            }
        }
        Rule::ForbiddenDependency => {
            count(config.forbid.iter().filter(|r| !r.private).count(), "rule")
        }
        Rule::PrivateUse => count(config.forbid.iter().filter(|r| r.private).count(), "rule"),
        Rule::LayerViolation => count(config.layers.len(), "rule"),
        Rule::IndependenceViolation => count(config.independent.len(), "rule"),
        Rule::DanglingImport => count(
            analysis
                .facts
                .iter()
                .zip(&analysis.resolutions)
                .enumerate()
                .flat_map(|(file, (facts, resolved))| {
                    facts
                        .imports
                        .iter()
                        .zip(resolved)
                        .map(move |(i, r)| (file, i, r))
                })
                .filter(|(file, import, r)| {
                    **r == Resolution::Unresolved && !points_into_excluded(analysis, *file, import)
                })
                .count(),
            "dangling import",
        ),
        Rule::Instability => {
            let limits = config.check.max_instability.as_ref();
            let worst = measures
                .coupling()
                .modules
                .iter()
                .filter_map(|m| {
                    let limit = limits?.limit_for(name(m.module))?;
                    Some((m.instability? - limit, m.module, m.instability?, limit))
                })
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            match worst {
                Some((_, m, i, limit)) => {
                    format!(
                        "closest to its limit: `{}` {i:.2} (limit {limit:.2})",
                        name(m)
                    )
                }
                None => "no module has both a limit and dependencies".to_string(),
            }
        }
        Rule::StableDependencies => count(measures.coupling().violations.len(), "violation"),
        Rule::MainSequenceDistance => {
            let (limit, min_files) = rules.max_distance.unwrap_or((1.0, 0));
            let worst = measures
                .coupling()
                .modules
                .iter()
                .filter(|m| m.files >= min_files)
                .filter_map(|m| Some((m.distance?, m.module)))
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            match worst {
                Some((d, m)) => format!("farthest `{}` {d:.2} (limit {limit:.2})", name(m)),
                None => format!("no module of {min_files} files or more has types"),
            }
        }
        Rule::LongClone => {
            let clones = measures.clones();
            let longest = clones.classes.iter().map(|c| clones.lines(c)).max();
            format!(
                "longest clone {} lines (limit {})",
                longest.unwrap_or(0),
                rules.max_clone_lines.unwrap_or(0)
            )
        }
        Rule::CrossModuleClone => count(measures.clones().classes.len(), "clone class"),
        Rule::CrossModuleNearClone => count(measures.near().classes.len(), "near-miss class"),
        Rule::Duplication => format!(
            "{:.2}% of code lines (limit {:.2}%)",
            measures.clones().total().percent(),
            rules.max_duplication.unwrap_or(0.0)
        ),
        Rule::NearDuplication => format!(
            "{:.2}% of code lines in near-miss clones (limit {:.2}%)",
            crate::analysis::duplicates::total_share(&measures.near().files).percent(),
            rules.max_near_duplication.unwrap_or(0.0)
        ),
        Rule::ModuleDuplication => {
            let limits = config.check.max_module_duplication.as_ref();
            let worst = measures
                .clones()
                .by_module(analysis)
                .into_iter()
                .enumerate()
                .filter(|(_, s)| s.code_lines > 0)
                .filter_map(|(m, s)| {
                    let limit = limits?.limit_for(name(m))?;
                    Some((s.percent() - limit, m, s.percent(), limit))
                })
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            match worst {
                Some((_, m, p, limit)) => format!(
                    "closest to its limit: `{}` {p:.2}% (limit {limit:.2}%)",
                    name(m)
                ),
                None => "no module with code has a limit".to_string(),
            }
        }
    }
}
