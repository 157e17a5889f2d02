//! `vantage.toml`: what a repository tells vantage about itself.
//!
//! Read from `--config PATH`, else `<root>/vantage.toml` when it exists.
//! Unknown keys are errors, so that a typo never silently does nothing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::Error;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawConfig {
    exclude: Vec<String>,
    modules: toml::Table,
    python: PythonConfig,
    flags: FlagsConfig,
    thresholds: Thresholds,
    forbid: Vec<RawForbid>,
    layers: Vec<RawLayers>,
    independent: Vec<RawIndependent>,
    check: RawCheck,
    dupes: RawDupes,
    cache: CacheConfig,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForbid {
    from: String,
    to: String,
    reason: Option<String>,
    #[serde(default)]
    type_only: bool,
    #[serde(default)]
    private: bool,
}

/// A layer: one module glob, or several.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawLayer {
    One(String),
    Several(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayers {
    name: Option<String>,
    layers: Vec<RawLayer>,
    reason: Option<String>,
    #[serde(default)]
    type_only: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndependent {
    name: Option<String>,
    modules: Vec<String>,
    reason: Option<String>,
    #[serde(default)]
    type_only: bool,
}

/// A limit for every module, or per module glob.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawPerModule {
    All(f64),
    Each(toml::Table),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawCheck {
    max_duplication: Option<f64>,
    max_module_duplication: Option<RawPerModule>,
    max_near_duplication: Option<f64>,
    max_clone_lines: Option<u32>,
    module_cycles: Option<String>,
    max_cycle_files: Option<usize>,
    max_instability: Option<RawPerModule>,
    max_distance: Option<f64>,
    distance_min_files: Option<usize>,
    dangling_imports: Option<String>,
    baseline: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDupes {
    exclude: Vec<String>,
    min_tokens: Option<usize>,
    near_similarity: Option<f64>,
}

/// `[dupes]`: duplicate detection.
#[derive(Clone, Debug, Default)]
pub struct DupesConfig {
    /// Files left out of clone detection (tests, fixtures), as globs.
    pub exclude: Option<GlobSet>,
    /// The patterns, as written.
    pub exclude_patterns: Vec<String>,
    /// `--min-tokens` when the command line gives none.
    pub min_tokens: Option<usize>,
    /// `--similarity` of near-miss clones when the command line gives none.
    pub near_similarity: Option<f64>,
}

impl DupesConfig {
    pub fn excludes(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }
}

/// `[cache]`: the facts cache (README, The facts cache).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CacheConfig {
    /// `false` runs every command without the cache, as `--no-cache`.
    pub enabled: bool,
    /// The cache folder, relative to the repository root
    /// [default: `.vantage/cache`].
    pub dir: Option<PathBuf>,
    /// The size past which the entries unused longest are evicted.
    pub max_mb: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            enabled: true,
            dir: None,
            max_mb: 512,
        }
    }
}

/// `[flags]`: how findings reach the agents (docs/output.md, FLAGs).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FlagsConfig {
    /// Write FLAGs on every `analyze` and `impact --since` run, as with
    /// `--flags` (`--no-flags` turns it off for one run).
    pub write: bool,
    /// The writer's handle [default: `@coordinator.backend`].
    pub source: Option<String>,
    /// The repository's name in FLAG contexts [default: its absolute path]:
    /// set it when clones or worktrees of one repository share a store.
    pub repository: Option<String>,
    /// Module → the agent its FLAGs go to, before the catalog and the
    /// `@acolyte.<module>` convention.
    pub agents: std::collections::BTreeMap<String, String>,
}

/// `[thresholds]`: when coupling becomes a finding.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// A module depending on one less stable by at least this much
    /// instability breaks the stable-dependencies principle (0 to 1).
    pub instability_gap: f64,
    /// Modules farther than this from the main sequence, |A + I - 1|, with
    /// at least `distance_min_files` files; unset: not reported.
    pub distance: Option<f64>,
    pub distance_min_files: usize,
    /// Clones shared by modules become FLAGs from this many tokens.
    pub clone_tokens: usize,
    /// Near-miss clones shared by modules become FLAGs too (from
    /// `clone_tokens` tokens a side, at `[dupes] near_similarity`).
    pub near_clones: bool,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            instability_gap: 0.25,
            clone_tokens: 100,
            near_clones: true,
            distance: None,
            distance_min_files: 5,
        }
    }
}

/// Module names, as written in a rule: a name, or a glob over names
/// (`*` stops at `/`, `**` does not).
#[derive(Clone, Debug)]
pub struct ModulePattern {
    pub text: String,
    matcher: globset::GlobMatcher,
}

impl ModulePattern {
    fn new(text: &str) -> Result<ModulePattern, String> {
        let text = text.trim().trim_end_matches('/');
        if text.is_empty() {
            return Err("an empty module name".to_string());
        }
        let matcher = module_glob(text)
            .map_err(|e| format!("`{text}` is not a valid glob: {e}"))?
            .compile_matcher();
        Ok(ModulePattern {
            text: text.to_string(),
            matcher,
        })
    }

    /// `*` alone is every module; elsewhere `*` stops at `/`.
    pub fn matches(&self, module: &str) -> bool {
        self.text == module || self.text == "*" || self.matcher.is_match(module)
    }

    /// Whether it is a plain name rather than a glob.
    pub fn is_name(&self) -> bool {
        !self.text.contains(['*', '?', '[', '{'])
    }
}

/// What a dependency rule says about the edges it judges.
#[derive(Clone, Debug, Default)]
pub struct RuleScope {
    /// Why, told to whoever must remove the dependency.
    pub reason: Option<String>,
    /// Type-only imports count too (by default they are exempt).
    pub type_only: bool,
    /// The line of the rule's table header in the configuration file.
    pub line: Option<u32>,
}

/// `[[forbid]]`: modules that must not depend on others.
#[derive(Clone, Debug)]
pub struct ForbidRule {
    pub from: ModulePattern,
    pub to: ModulePattern,
    pub scope: RuleScope,
    /// `private = true`: `from` may depend on `to` and use its public
    /// definitions, not its private ones (`facts::SymbolDef::private`).
    pub private: bool,
}

/// `[[layers]]`: modules in layers, top first; a layer may depend only on
/// the layers below it (and on itself).
#[derive(Clone, Debug)]
pub struct LayersRule {
    pub name: Option<String>,
    /// Top first; each layer one or more module patterns.
    pub layers: Vec<Vec<ModulePattern>>,
    pub scope: RuleScope,
}

impl LayersRule {
    /// The layer (0 = top) of a module, if the rule places it.
    pub fn layer_of(&self, module: &str) -> Option<usize> {
        self.layers
            .iter()
            .position(|layer| layer.iter().any(|p| p.matches(module)))
    }

    /// The layer as written: `api` or `[a, b]`.
    pub fn layer_text(&self, index: usize) -> String {
        let names: Vec<&str> = self.layers[index].iter().map(|p| p.text.as_str()).collect();
        if names.len() == 1 {
            names[0].to_string()
        } else {
            format!("[{}]", names.join(", "))
        }
    }
}

/// `[[independent]]`: modules none of which may depend on another.
#[derive(Clone, Debug)]
pub struct IndependentRule {
    pub name: Option<String>,
    pub modules: Vec<ModulePattern>,
    pub scope: RuleScope,
}

impl IndependentRule {
    pub fn covers(&self, module: &str) -> bool {
        self.modules.iter().any(|p| p.matches(module))
    }
}

/// A limit for every module, or per module (the first matching pattern
/// wins; `*` is every module).
#[derive(Clone, Debug)]
pub enum PerModule {
    All(f64),
    Each(Vec<(ModulePattern, f64)>),
}

impl PerModule {
    pub fn limit_for(&self, module: &str) -> Option<f64> {
        match self {
            PerModule::All(limit) => Some(*limit),
            PerModule::Each(limits) => limits
                .iter()
                .find(|(p, _)| p.is_name() && p.matches(module))
                .or_else(|| limits.iter().find(|(p, _)| p.matches(module)))
                .map(|(_, limit)| *limit),
        }
    }

    /// The patterns, for checking that each names a module.
    pub fn patterns(&self) -> Vec<&ModulePattern> {
        match self {
            PerModule::All(_) => Vec::new(),
            PerModule::Each(limits) => limits.iter().map(|(p, _)| p).collect(),
        }
    }
}

/// Whether a kind of finding fails `vantage check`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Policy {
    #[default]
    Allow,
    Forbid,
}

/// `[check]`: the limits `vantage check` gates on. Unset, a rule is off.
#[derive(Clone, Debug, Default)]
pub struct CheckConfig {
    /// Duplicated code lines, percent of all code lines.
    pub max_duplication: Option<f64>,
    pub max_module_duplication: Option<PerModule>,
    /// Percent of code lines in near-miss clones.
    pub max_near_duplication: Option<f64>,
    /// No clone class longer than this many lines.
    pub max_clone_lines: Option<u32>,
    pub module_cycles: Policy,
    /// No file-level cycle with more files than this.
    pub max_cycle_files: Option<usize>,
    pub max_instability: Option<PerModule>,
    /// From the main sequence, for modules of `distance_min_files` files.
    pub max_distance: Option<f64>,
    pub distance_min_files: usize,
    /// Imports of internal files or names that do not exist.
    pub dangling_imports: Policy,
    /// The baseline `check` compares with when no --baseline is given,
    /// relative to the root (`vantage init` writes one).
    pub baseline: Option<String>,
    /// Line of each key in the configuration file, for locations.
    pub lines: std::collections::BTreeMap<&'static str, u32>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PythonConfig {
    /// Extra directories on `sys.path`, repository-relative.
    pub roots: Vec<String>,
    /// Top-level import names kept in a folder of another name
    /// (`django = "services/py-django"`), like setuptools' `package-dir`.
    pub packages: std::collections::BTreeMap<String, String>,
}

/// A module declared in `[modules]`: a name and the globs of its files.
#[derive(Clone, Debug)]
pub struct ModuleRule {
    pub name: String,
    pub globs: GlobSet,
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file this was read from, if any.
    pub path: Option<PathBuf>,
    /// That file relative to the repository root, `/`-separated, when it
    /// lies inside it (findings point at its lines).
    pub relative_path: Option<String>,
    pub exclude: Vec<String>,
    /// In file order: the first rule matching a file names its module.
    pub modules: Vec<ModuleRule>,
    pub python: PythonConfig,
    pub flags: FlagsConfig,
    pub thresholds: Thresholds,
    pub forbid: Vec<ForbidRule>,
    pub layers: Vec<LayersRule>,
    pub independent: Vec<IndependentRule>,
    pub check: CheckConfig,
    pub dupes: DupesConfig,
    pub cache: CacheConfig,
}

/// The longest key or string vantage.toml may hold (Linux's PATH_MAX).
const MAX_STRING: usize = 4096;

/// The first key or string longer than [`MAX_STRING`], with its length.
fn overlong(value: &toml::Value, at: &str) -> Option<(String, usize)> {
    let clip = |key: &str| -> String { key.chars().take(60).collect() };
    match value {
        toml::Value::String(s) if s.chars().count() > MAX_STRING => {
            Some((clip(at), s.chars().count()))
        }
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| overlong(item, &format!("{at}[{i}]"))),
        toml::Value::Table(table) => table.iter().find_map(|(key, item)| {
            if key.chars().count() > MAX_STRING {
                return Some((format!("{}…", clip(key)), key.chars().count()));
            }
            let path = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            overlong(item, &path)
        }),
        _ => None,
    }
}

impl Config {
    /// Who vantage's FLAGs are from, and who completes one by default.
    pub fn flag_source(&self) -> String {
        self.flags
            .source
            .clone()
            .unwrap_or_else(|| crate::store::DEFAULT_SOURCE.to_string())
    }

    /// Loads `explicit`, else `<root>/vantage.toml` if present, else defaults.
    pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Config, Error> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => {
                let default = root.join("vantage.toml");
                if !default.is_file() {
                    return Ok(Config::default());
                }
                default
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|err| Error::Config {
            path: path.clone(),
            message: err.to_string(),
        })?;
        let mut config = Config::parse(&text, Some(path.clone()))?;
        config.relative_path = relative_to(root, &path);
        Ok(config)
    }

    pub fn parse(text: &str, path: Option<PathBuf>) -> Result<Config, Error> {
        let error = |message: String| Error::Config {
            path: path
                .clone()
                .unwrap_or_else(|| PathBuf::from("vantage.toml")),
            message,
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|err| error(suggest(&err.to_string())))?;
        // Globs are compiled to automata whose cost grows with their length
        // (a 100 KB path took a minute to compile): no key or string of the
        // file needs to be longer than a path may be.
        if let Ok(value) = toml::from_str::<toml::Value>(text)
            && let Some((key, length)) = overlong(&value, "")
        {
            return Err(error(format!(
                "`{key}` is {length} characters long; vantage.toml takes keys and strings of at most {MAX_STRING} (no path is longer)"
            )));
        }
        let mut modules = Vec::new();
        for (name, value) in &raw.modules {
            let patterns: Vec<&str> = match &value {
                toml::Value::String(s) => vec![s.as_str()],
                toml::Value::Array(items) => items.iter().filter_map(toml::Value::as_str).collect(),
                _ => Vec::new(),
            };
            if patterns.is_empty() {
                return Err(error(format!(
                    "module `{name}` needs a glob or a list of globs, e.g. {name} = [\"src/{name}/**\"]"
                )));
            }
            let mut set = GlobSetBuilder::new();
            // A glob said twice is one glob (50 000 copies of `/**` took
            // globset seconds).
            let mut seen = HashSet::new();
            for pattern in patterns {
                let pattern = pattern.trim_end_matches('/');
                if !seen.insert(pattern) {
                    continue;
                }
                // A plain folder name takes everything below it.
                for glob in [pattern.to_string(), format!("{pattern}/**")] {
                    set.add(
                        module_glob(&glob).map_err(|e| error(format!("module `{name}`: {e}")))?,
                    );
                }
            }
            let globs = set
                .build()
                .map_err(|e| error(format!("module `{name}`: {e}")))?;
            modules.push(ModuleRule {
                name: name.clone(),
                globs,
            });
        }
        let clean = |dir: &str| dir.trim_start_matches("./").trim_matches('/').to_string();
        let python = PythonConfig {
            roots: raw.python.roots.iter().map(|r| clean(r)).collect(),
            packages: raw
                .python
                .packages
                .iter()
                .map(|(name, dir)| (name.clone(), clean(dir)))
                .collect(),
        };
        if let Some(distance) = raw.thresholds.distance
            && !(0.0..=1.0).contains(&distance)
        {
            return Err(error(format!(
                "thresholds.distance is {distance}; a distance from the main sequence lies from 0 to 1"
            )));
        }
        let gap = raw.thresholds.instability_gap;
        if !(0.0..=1.0).contains(&gap) {
            return Err(error(format!(
                "thresholds.instability_gap is {gap}; it is a difference of instabilities, from 0 to 1"
            )));
        }
        if let Some(tokens) = raw.dupes.min_tokens
            && tokens < 5
        {
            return Err(error(format!(
                "dupes.min_tokens is {tokens}; a clone is at least 5 tokens long"
            )));
        }
        if let Some(ratio) = raw.dupes.near_similarity
            && !(0.5..=1.0).contains(&ratio)
        {
            return Err(error(format!(
                "dupes.near_similarity is {ratio}; it is a ratio from 0.5 to 1"
            )));
        }
        let dupes = if raw.dupes.exclude.is_empty() {
            DupesConfig {
                min_tokens: raw.dupes.min_tokens,
                near_similarity: raw.dupes.near_similarity,
                ..DupesConfig::default()
            }
        } else {
            let mut set = GlobSetBuilder::new();
            for pattern in &raw.dupes.exclude {
                let pattern = pattern.trim_end_matches('/');
                for glob in [pattern.to_string(), format!("{pattern}/**")] {
                    set.add(
                        module_glob(&glob)
                            .map_err(|e| error(format!("dupes.exclude `{pattern}`: {e}")))?,
                    );
                }
            }
            DupesConfig {
                exclude: Some(
                    set.build()
                        .map_err(|e| error(format!("dupes.exclude: {e}")))?,
                ),
                exclude_patterns: raw.dupes.exclude.clone(),
                min_tokens: raw.dupes.min_tokens,
                near_similarity: raw.dupes.near_similarity,
            }
        };
        let rules = Rules::parse(&raw, text).map_err(error)?;
        Ok(Config {
            dupes,
            path,
            relative_path: None,
            exclude: raw.exclude.clone(),
            modules,
            python,
            flags: raw.flags.clone(),
            thresholds: raw.thresholds.clone(),
            forbid: rules.forbid,
            layers: rules.layers,
            independent: rules.independent,
            check: rules.check,
            cache: raw.cache.clone(),
        })
    }

    /// Every module pattern a rule names, with where: each must match a
    /// module of the repository.
    pub fn module_patterns(&self) -> Vec<(String, &ModulePattern)> {
        let mut out = Vec::new();
        for rule in &self.forbid {
            out.push(("[[forbid]] from".to_string(), &rule.from));
            out.push(("[[forbid]] to".to_string(), &rule.to));
        }
        for rule in &self.layers {
            for pattern in rule.layers.iter().flatten() {
                out.push(("[[layers]] layers".to_string(), pattern));
            }
        }
        for rule in &self.independent {
            for pattern in &rule.modules {
                out.push(("[[independent]] modules".to_string(), pattern));
            }
        }
        for (key, limits) in [
            ("max_module_duplication", &self.check.max_module_duplication),
            ("max_instability", &self.check.max_instability),
        ] {
            for pattern in limits.iter().flat_map(PerModule::patterns) {
                if pattern.text != "*" {
                    out.push((format!("check.{key}"), pattern));
                }
            }
        }
        out
    }

    /// Checks that every module a rule names exists: a typo is an error,
    /// never a rule that silently judges nothing.
    pub fn check_module_names(&self, modules: &[String]) -> Result<(), Error> {
        for (key, pattern) in self.module_patterns() {
            if modules.iter().any(|m| pattern.matches(m)) {
                continue;
            }
            let hint = match closest(&pattern.text, modules.iter().map(String::as_str)) {
                Some(near) => format!("; did you mean `{near}`?"),
                None => String::new(),
            };
            return Err(Error::Config {
                path: self
                    .path
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("vantage.toml")),
                message: format!(
                    "{key} names `{}`, which matches no module (the modules: {}){hint}",
                    pattern.text,
                    modules.join(", ")
                ),
            });
        }
        Ok(())
    }
}

/// The dependency rules and `[check]`, checked and compiled.
struct Rules {
    forbid: Vec<ForbidRule>,
    layers: Vec<LayersRule>,
    independent: Vec<IndependentRule>,
    check: CheckConfig,
}

impl Rules {
    fn parse(raw: &RawConfig, text: &str) -> Result<Rules, String> {
        let patterns = |key: &str, items: &[String]| -> Result<Vec<ModulePattern>, String> {
            items
                .iter()
                .map(|p| ModulePattern::new(p).map_err(|e| format!("{key}: {e}")))
                .collect()
        };
        let headers = |table: &str| table_lines(text, table);
        let forbid_lines = headers("forbid");
        let forbid = raw
            .forbid
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                Ok(ForbidRule {
                    from: ModulePattern::new(&rule.from)
                        .map_err(|e| format!("[[forbid]] from: {e}"))?,
                    to: ModulePattern::new(&rule.to).map_err(|e| format!("[[forbid]] to: {e}"))?,
                    private: rule.private,
                    scope: RuleScope {
                        reason: rule.reason.clone(),
                        type_only: rule.type_only,
                        line: forbid_lines.get(i).copied(),
                    },
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let layer_lines = headers("layers");
        let mut layers = Vec::new();
        for (i, rule) in raw.layers.iter().enumerate() {
            if rule.layers.len() < 2 {
                return Err(format!(
                    "[[layers]] needs at least two layers, top first, e.g. layers = [\"api\", \"domain\", \"infra\"]; found {}",
                    rule.layers.len()
                ));
            }
            let compiled = rule
                .layers
                .iter()
                .map(|layer| match layer {
                    RawLayer::One(p) => patterns("[[layers]] layers", std::slice::from_ref(p)),
                    RawLayer::Several(ps) => patterns("[[layers]] layers", ps),
                })
                .collect::<Result<Vec<_>, String>>()?;
            layers.push(LayersRule {
                name: rule.name.clone(),
                layers: compiled,
                scope: RuleScope {
                    reason: rule.reason.clone(),
                    type_only: rule.type_only,
                    line: layer_lines.get(i).copied(),
                },
            });
        }
        let independent_lines = headers("independent");
        let mut independent = Vec::new();
        for (i, rule) in raw.independent.iter().enumerate() {
            let modules = patterns("[[independent]] modules", &rule.modules)?;
            if modules.len() < 2 && modules.iter().all(ModulePattern::is_name) {
                return Err(
                    "[[independent]] needs two modules or more (or a glob), e.g. modules = [\"plugins/*\"]"
                        .to_string(),
                );
            }
            independent.push(IndependentRule {
                name: rule.name.clone(),
                modules,
                scope: RuleScope {
                    reason: rule.reason.clone(),
                    type_only: rule.type_only,
                    line: independent_lines.get(i).copied(),
                },
            });
        }
        Ok(Rules {
            forbid,
            layers,
            independent,
            check: CheckConfig::parse(&raw.check, text)?,
        })
    }
}

impl CheckConfig {
    fn parse(raw: &RawCheck, text: &str) -> Result<CheckConfig, String> {
        let percent = |key: &str, value: f64| -> Result<f64, String> {
            if (0.0..=100.0).contains(&value) {
                Ok(value)
            } else {
                Err(format!(
                    "check.{key} is {value}; it is a percentage of code lines, from 0 to 100 (e.g. {key} = 3.0)"
                ))
            }
        };
        let fraction = |key: &str, value: f64| -> Result<f64, String> {
            if (0.0..=1.0).contains(&value) {
                Ok(value)
            } else {
                Err(format!(
                    "check.{key} is {value}; it lies from 0 to 1 (e.g. {key} = 0.7)"
                ))
            }
        };
        let per_module = |key: &str,
                          raw: &Option<RawPerModule>,
                          check: &dyn Fn(&str, f64) -> Result<f64, String>|
         -> Result<Option<PerModule>, String> {
            let Some(raw) = raw else { return Ok(None) };
            Ok(Some(match raw {
                RawPerModule::All(limit) => PerModule::All(check(key, *limit)?),
                RawPerModule::Each(table) => {
                    let mut limits = Vec::new();
                    for (module, value) in table {
                        let limit = match value {
                            toml::Value::Float(f) => *f,
                            toml::Value::Integer(i) => *i as f64,
                            other => {
                                return Err(format!(
                                    "check.{key}.{module} is {other}; expected a number, e.g. {key} = {{ {module} = 0.5 }}"
                                ));
                            }
                        };
                        let pattern =
                            ModulePattern::new(module).map_err(|e| format!("check.{key}: {e}"))?;
                        limits.push((pattern, check(key, limit)?));
                    }
                    PerModule::Each(limits)
                }
            }))
        };
        let policy = |key: &str, value: &Option<String>| -> Result<Policy, String> {
            match value.as_deref() {
                None | Some("allow") => Ok(Policy::Allow),
                Some("forbid") => Ok(Policy::Forbid),
                Some(other) => Err(format!(
                    "check.{key} is \"{other}\"; expected \"forbid\" or \"allow\""
                )),
            }
        };
        if raw.max_clone_lines == Some(0) {
            return Err("check.max_clone_lines is 0; a clone has one line or more (e.g. max_clone_lines = 80)".to_string());
        }
        let lines = table_keys(text, "check")
            .into_iter()
            .filter_map(|(key, line)| CHECK_KEYS.iter().find(|k| **k == key).map(|k| (*k, line)))
            .collect();
        Ok(CheckConfig {
            max_duplication: raw
                .max_duplication
                .map(|v| percent("max_duplication", v))
                .transpose()?,
            max_near_duplication: raw
                .max_near_duplication
                .map(|v| percent("max_near_duplication", v))
                .transpose()?,
            max_module_duplication: per_module(
                "max_module_duplication",
                &raw.max_module_duplication,
                &percent,
            )?,
            max_clone_lines: raw.max_clone_lines,
            module_cycles: policy("module_cycles", &raw.module_cycles)?,
            max_cycle_files: raw.max_cycle_files,
            max_instability: per_module("max_instability", &raw.max_instability, &fraction)?,
            max_distance: raw
                .max_distance
                .map(|v| fraction("max_distance", v))
                .transpose()?,
            distance_min_files: raw.distance_min_files.unwrap_or(5),
            dangling_imports: policy("dangling_imports", &raw.dangling_imports)?,
            baseline: raw
                .baseline
                .as_deref()
                .map(|b| b.trim_start_matches("./").to_string()),
            lines,
        })
    }
}

/// The keys of `[check]`.
const CHECK_KEYS: &[&str] = &[
    "max_duplication",
    "max_module_duplication",
    "max_near_duplication",
    "max_clone_lines",
    "module_cycles",
    "max_cycle_files",
    "max_instability",
    "max_distance",
    "distance_min_files",
    "dangling_imports",
];

/// The 1-based lines of the `[[name]]` headers of a TOML text, in order.
fn table_lines(text: &str, name: &str) -> Vec<u32> {
    let header = format!("[[{name}]]");
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim();
            line.strip_prefix(&header)
                .is_some_and(|rest| rest.trim().is_empty() || rest.trim().starts_with('#'))
        })
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

/// The keys written under a `[name]` table (until the next header), with
/// their 1-based lines; a `[name.key]` subtable (per-module limits) is the
/// key, at its header's line.
fn table_keys(text: &str, name: &str) -> Vec<(String, u32)> {
    let header = format!("[{name}]");
    let subtable = format!("[{name}.");
    let mut inside = false;
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line
                .strip_prefix(&header)
                .is_some_and(|rest| rest.trim().is_empty() || rest.trim().starts_with('#'));
            if let Some((key, _)) = line
                .strip_prefix(&subtable)
                .and_then(|rest| rest.split_once(']'))
            {
                keys.push((key.trim().trim_matches('"').to_string(), i as u32 + 1));
            }
            continue;
        }
        if inside && let Some((key, _)) = line.split_once('=') {
            keys.push((key.trim().trim_matches('"').to_string(), i as u32 + 1));
        }
    }
    keys
}

/// The candidate nearest to a misspelt `word`, if one is near enough.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

/// A TOML error, with "did you mean" for an unknown key.
fn suggest(message: &str) -> String {
    // toml: "unknown field `x`, expected one of `a`, `b`".
    let Some(rest) = message.split("unknown field `").nth(1) else {
        return message.trim_end().to_string();
    };
    let Some((field, expected)) = rest.split_once('`') else {
        return message.trim_end().to_string();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match closest(field, candidates) {
        Some(near) => format!("{}\ndid you mean `{near}`?", message.trim_end()),
        None => message.trim_end().to_string(),
    }
}

/// `path` relative to `root`, `/`-separated, when it lies inside it.
fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let path = std::fs::canonicalize(path).ok()?;
    let relative = path.strip_prefix(&root).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

fn module_glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_longer_than_a_path_are_refused_before_any_glob_is_built() {
        // Found by fuzzing: a 100 KB module glob took a minute to compile.
        let long = "a/".repeat(5000);
        let error = Config::parse(&format!("[modules]\napi = \"{long}\"\n"), None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`modules.api` is 10000 characters long"),
            "{error}"
        );
        let error = Config::parse(&format!("exclude = [\"x\", \"{long}\"]\n"), None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("`exclude[1]`"), "{error}");
        let fine = "a/".repeat(2000);
        assert!(Config::parse(&format!("[modules]\napi = \"{fine}\"\n"), None).is_ok());
    }

    #[test]
    fn modules_keep_file_order_and_take_folders() {
        let config = Config::parse(
            "[modules]\nzeta = \"src/z\"\nalpha = [\"src/a/*.py\", \"lib/a/**\"]\n",
            None,
        )
        .unwrap();
        let names: Vec<&str> = config.modules.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha"]);
        assert!(config.modules[0].globs.is_match("src/z/deep/x.py"));
        assert!(config.modules[1].globs.is_match("src/a/x.py"));
        assert!(!config.modules[1].globs.is_match("src/a/deep/x.py"));
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = Config::parse("modlues = 1\n", None).unwrap_err();
        assert!(err.to_string().contains("modlues"), "{err}");
        let err = Config::parse("[modules]\nauth = 3\n", None).unwrap_err();
        assert!(err.to_string().contains("auth"), "{err}");
    }
}
