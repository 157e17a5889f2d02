//! `vantage.toml`: what a repository tells vantage about itself.
//!
//! Read from `--config PATH`, else `<root>/vantage.toml` when it exists.
//! Unknown keys are errors, so that a typo never silently does nothing.

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
    forbid: Vec<ForbidRule>,
    dupes: RawDupes,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDupes {
    exclude: Vec<String>,
    min_tokens: Option<usize>,
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
}

impl DupesConfig {
    pub fn excludes(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }
}

/// `[flags]`: how findings reach the agents (../shared/flag-store.md).
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
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            instability_gap: 0.25,
            clone_tokens: 100,
            distance: None,
            distance_min_files: 5,
        }
    }
}

/// `[[forbid]]`: a module that must not depend on another.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForbidRule {
    pub from: String,
    pub to: String,
    /// Why, told to the agent who must remove the dependency.
    pub reason: Option<String>,
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
    pub exclude: Vec<String>,
    /// In file order: the first rule matching a file names its module.
    pub modules: Vec<ModuleRule>,
    pub python: PythonConfig,
    pub flags: FlagsConfig,
    pub thresholds: Thresholds,
    pub forbid: Vec<ForbidRule>,
    pub dupes: DupesConfig,
}

impl Config {
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
        Config::parse(&text, Some(path))
    }

    pub fn parse(text: &str, path: Option<PathBuf>) -> Result<Config, Error> {
        let error = |message: String| Error::Config {
            path: path
                .clone()
                .unwrap_or_else(|| PathBuf::from("vantage.toml")),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|err| error(err.to_string()))?;
        let mut modules = Vec::new();
        for (name, value) in raw.modules {
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
            for pattern in patterns {
                let pattern = pattern.trim_end_matches('/');
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
            modules.push(ModuleRule { name, globs });
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
        let dupes = if raw.dupes.exclude.is_empty() {
            DupesConfig {
                min_tokens: raw.dupes.min_tokens,
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
            }
        };
        Ok(Config {
            dupes,
            path,
            exclude: raw.exclude,
            modules,
            python,
            flags: raw.flags,
            thresholds: raw.thresholds,
            forbid: raw.forbid,
        })
    }
}

fn module_glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

#[cfg(test)]
mod tests {
    use super::*;

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
