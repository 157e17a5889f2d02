//! `vantage init`: a starting vantage.toml measured on the repository as it
//! is today: its modules pinned, limits at today's values, the module
//! layering today's graph has, and a baseline of the violations today's
//! code already holds, so that `vantage check` passes now and fails on the
//! next regression.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{CommonArgs, EXIT_OK, write_atomically};
use crate::Error;
use crate::analysis::baseline::{BaselineFile, Status};
use crate::analysis::measures::Measures;
use crate::analysis::rules::RuleSet;
use crate::config::Config;
use crate::facts::ImportKind;
use crate::lang::Extraction;
use crate::pipeline::{Analysis, analyze};
use crate::project::parent;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The repository, the analysis options, and `--output` for where the
    /// configuration goes [default: <PATH>/vantage.toml].
    #[command(flatten)]
    pub common: CommonArgs,

    /// Where the baseline of today's violations goes [default:
    /// <PATH>/vantage-baseline.json].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Replace an existing configuration (the old one is kept beside it as
    /// `.bak`) and baseline. The old configuration's modules, excludes,
    /// [python] and [dupes] shape the measures and are carried over.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &InitArgs) -> Result<i32, Error> {
    let root = &args.common.path;
    let config_path = args
        .common
        .output
        .clone()
        .unwrap_or_else(|| root.join("vantage.toml"));
    let baseline_path = args
        .baseline
        .clone()
        .unwrap_or_else(|| root.join("vantage-baseline.json"));
    if !args.force {
        for path in [&config_path, &baseline_path] {
            if path.exists() {
                return Err(Error::Usage {
                    message: format!(
                        "{} exists; `vantage init --force` replaces it (a configuration is kept as .bak), `--output FILE` writes the proposal elsewhere",
                        path.display()
                    ),
                });
            }
        }
    }
    // An existing configuration (with --force, or an --output elsewhere)
    // shapes the analysis: its modules and roots are the user's.
    let mut common = args.common.clone();
    if common.config.is_none() && config_path.exists() {
        common.config = Some(config_path.clone());
    }
    let mut analysis = analyze(root, &common.options(Extraction::FullWithTokens))?;
    common.print_stats(&analysis);

    let baseline_name = relative_name(root, &baseline_path);
    let proposal = propose(&analysis, &baseline_name);
    if config_path.exists() {
        let mut backup = config_path.clone().into_os_string();
        backup.push(".bak");
        std::fs::copy(&config_path, &backup).map_err(|source| Error::Output {
            path: PathBuf::from(backup),
            source,
        })?;
    }
    write_atomically(&config_path, proposal.text.as_bytes())?;

    // The gate as `check` will run it, on this very analysis: whatever it
    // finds today is the baseline.
    let config = Config::load(root, Some(&config_path))?;
    let same_modules =
        crate::modules::detect(&analysis.project, &config).of_file == analysis.modules.of_file;
    analysis.config = config;
    let rule_set = RuleSet::check(&analysis.config);
    let gate = super::check::gate(&analysis, &rule_set, None);
    let file = BaselineFile::of(&gate.findings);
    let text = serde_json::to_string_pretty(&file).expect("a baseline serialises") + "\n";
    write_atomically(&baseline_path, text.as_bytes())?;
    let known = super::check::read_baseline(&baseline_path)?;
    let recheck = super::check::gate(&analysis, &rule_set, Some(&known));
    let passes = recheck.statuses.iter().all(|s| *s == Status::Known);

    println!(
        "vantage init: wrote {} ({} modules pinned, {} rules: {}) and {} ({} violation{} known today)",
        config_path.display(),
        analysis.modules.names.len(),
        gate.measured.len(),
        gate.measured
            .iter()
            .map(|(rule, _)| rule.id())
            .collect::<Vec<_>>()
            .join(", "),
        baseline_path.display(),
        file.violations.len(),
        if file.violations.len() == 1 { "" } else { "s" },
    );
    if proposal.layers > 1 {
        println!(
            "  layering: {} layers from today's module graph, top first, in [[layers]]; edit or delete it",
            proposal.layers
        );
    }
    if !same_modules {
        eprintln!(
            "vantage init: warning: the pinned [modules] do not give every file the module it had; check them"
        );
    }
    if passes {
        println!(
            "  `vantage check {}` passes today and fails on the next regression",
            root.display()
        );
    } else {
        eprintln!(
            "vantage init: warning: `vantage check` does not pass on today's code with the written baseline; please report it"
        );
    }
    Ok(EXIT_OK)
}

/// `path` as vantage.toml names it: relative to the root when inside it.
fn relative_name(root: &Path, path: &Path) -> String {
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .map(|p| p.components().collect::<PathBuf>())
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (root, path) = (absolute(root), absolute(path));
    match path.strip_prefix(&root) {
        Ok(rest) => rest
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

/// The proposed configuration.
struct Proposal {
    text: String,
    /// Layers in the [[layers]] rule (0: none written).
    layers: usize,
}

/// A TOML string (keys and values alike).
fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The smallest value of `step`s at or above `value`.
fn ceil_to(value: f64, step: f64) -> f64 {
    // The epsilon keeps 2.3 (stored as 2.2999…) from becoming 2.4.
    let steps = ((value / step) - 1e-6).ceil();
    // `ceil` of a small negative is -0.0, which `max` may keep and which
    // would print as "-0.0" in the proposed file.
    if steps > 0.0 { steps * step } else { 0.0 }
}

fn propose(analysis: &Analysis, baseline: &str) -> Proposal {
    let config = &analysis.config;
    let measures = Measures::new(analysis);
    let names = &analysis.modules.names;
    let mut out = String::new();
    let files = analysis.project.files();
    let mut languages: BTreeMap<&str, usize> = BTreeMap::new();
    for file in files.iter().filter(|f| f.skipped.is_none()) {
        *languages
            .entry(file.language.family().as_str())
            .or_default() += 1;
    }
    let languages: Vec<String> = languages
        .iter()
        .map(|(language, n)| format!("{language} {n}"))
        .collect();
    let _ = writeln!(
        out,
        "# vantage.toml, written by `vantage init` (vantage {}) from the repository\n# as it was: {} source files ({}), {} modules.\n# docs/configuration.md has every key; docs/rules.md every rule.",
        env!("CARGO_PKG_VERSION"),
        files.len(),
        if languages.is_empty() {
            "none".to_string()
        } else {
            languages.join(", ")
        },
        names.len()
    );
    if !config.exclude.is_empty() {
        let _ = writeln!(out, "\nexclude = {}", list(&config.exclude));
    }

    // Modules, pinned as detected: renaming a folder or adding a package
    // later does not rename the modules the rules below name.
    let covers = module_globs(analysis);
    let mut sizes = vec![0usize; names.len()];
    for &m in &analysis.modules.of_file {
        sizes[m] += 1;
    }
    out.push_str(
        "\n# The modules vantage found (README, \"Modules\"), pinned so that the rules\n# below keep naming them as the code moves. A file belongs to the first\n# module with a matching glob; a folder takes everything below it.\n[modules]\n",
    );
    for (m, globs) in covers.iter().enumerate() {
        let value = if globs.len() == 1 {
            quote(&globs[0])
        } else {
            list(globs)
        };
        let _ = writeln!(
            out,
            "{} = {value}  # {} file{}",
            quote(&names[m]),
            sizes[m],
            if sizes[m] == 1 { "" } else { "s" }
        );
    }
    if !config.python.roots.is_empty() || !config.python.packages.is_empty() {
        out.push_str("\n[python]\n");
        if !config.python.roots.is_empty() {
            let _ = writeln!(out, "roots = {}", list(&config.python.roots));
        }
        if !config.python.packages.is_empty() {
            let packages: Vec<String> = config
                .python
                .packages
                .iter()
                .map(|(k, v)| format!("{} = {}", quote(k), quote(v)))
                .collect();
            let _ = writeln!(out, "packages = {{ {} }}", packages.join(", "));
        }
    }
    if !config.dupes.exclude_patterns.is_empty() || config.dupes.min_tokens.is_some() {
        out.push_str("\n[dupes]\n");
        if !config.dupes.exclude_patterns.is_empty() {
            let _ = writeln!(out, "exclude = {}", list(&config.dupes.exclude_patterns));
        }
        if let Some(tokens) = config.dupes.min_tokens {
            let _ = writeln!(out, "min_tokens = {tokens}");
        }
    }

    // Limits at today's values: what is here passes, more fails.
    let clones = measures.clones();
    let total = clones.total().percent();
    let longest = clones
        .classes
        .iter()
        .map(|c| clones.lines(c))
        .max()
        .unwrap_or(0);
    let largest_cycle = measures
        .file_cycles()
        .iter()
        .filter(|c| c.kind == crate::analysis::cycles::CycleKind::Cycle)
        .map(|c| c.members.len())
        .max()
        .unwrap_or(0);
    let _ = write!(
        out,
        "\n# The gate's limits, set at today's values: `vantage check` fails when one\n# grows. Lower them as the code improves. Violations today's code already\n# has are in the baseline, so they fail only when they grow.\n[check]\nbaseline = {}\n",
        quote(baseline)
    );
    let _ = writeln!(
        out,
        "max_duplication = {:.1}  # % of code lines in clones of {} tokens or more (today {total:.2})",
        ceil_to(total, 0.1),
        clones.options.min_tokens
    );
    let _ = writeln!(
        out,
        "max_clone_lines = {}  # {}",
        longest.max(1),
        if longest == 0 {
            "no clone today: any new one fails".to_string()
        } else {
            format!("the longest clone today has {longest} lines")
        }
    );
    let _ = writeln!(
        out,
        "max_cycle_files = {}  # {}",
        largest_cycle.max(1),
        if largest_cycle == 0 {
            "no file imports itself through others today".to_string()
        } else {
            format!("the largest import cycle today has {largest_cycle} files")
        }
    );
    out.push_str("module_cycles = \"forbid\"  # today's module cycles are in the baseline\n");
    out.push_str(
        "dangling_imports = \"forbid\"  # imports of internal files or names that do not exist\n",
    );

    let shares = clones.by_module(analysis);
    let duplicated: Vec<(usize, f64)> = shares
        .iter()
        .enumerate()
        .filter(|(_, s)| s.code_lines > 0)
        .map(|(m, s)| (m, s.percent()))
        .collect();
    if !duplicated.is_empty() {
        out.push_str("\n# Duplicated % of each module's code lines, today's value rounded up.\n[check.max_module_duplication]\n");
        for (m, percent) in &duplicated {
            let _ = writeln!(out, "{} = {:.1}", quote(&names[*m]), ceil_to(*percent, 0.1));
        }
    }
    let coupling = measures.coupling();
    let unstable: Vec<(usize, f64)> = coupling
        .modules
        .iter()
        .filter_map(|m| Some((m.module, m.instability?)))
        .filter(|(_, i)| *i < 1.0 - 1e-9)
        .collect();
    if !unstable.is_empty() {
        out.push_str("\n# Instability Ce / (Ca + Ce) of each module, today's value rounded up: a\n# module taking on new dependencies fails. Modules at 1.0 have no limit.\n[check.max_instability]\n");
        for (m, instability) in &unstable {
            let _ = writeln!(
                out,
                "{} = {:.2}",
                quote(&names[*m]),
                ceil_to(*instability, 0.01)
            );
        }
    }

    let layering = layering(analysis);
    if layering.len() > 1 {
        let layers: Vec<String> = layering
            .iter()
            .map(|layer| {
                if layer.len() == 1 {
                    quote(&layer[0])
                } else {
                    list(layer)
                }
            })
            .collect();
        let _ = write!(
            out,
            "\n# The order today's module graph has, top first: each module uses only\n# modules of layers below its own (and its own layer's). A proposal: edit\n# it into the architecture you mean, or delete it. Modules that import\n# none of the others and are imported by none are left free.\n"
        );
        let cycles = measures
            .module_cycles()
            .iter()
            .filter(|c| c.kind == crate::analysis::cycles::CycleKind::Cycle);
        for cycle in cycles {
            let _ = writeln!(
                out,
                "# {} modules import each other in a cycle and so share a layer;\n# `vantage cycles --level module` shows the imports that cut it.",
                cycle.members.len()
            );
        }
        out.push_str("[[layers]]\nname = \"today\"\nlayers = [\n");
        for layer in &layers {
            let _ = writeln!(out, "  {layer},");
        }
        out.push_str("]\nreason = \"the dependency order `vantage init` found\"\n");
    }
    out.push_str(
        "\n# More rules to consider (docs/configuration.md): [[forbid]] between\n# modules, `private = true` to keep modules to each other's public\n# definitions, [[independent]] modules, max_distance from the main sequence.\n",
    );
    Proposal {
        text: out,
        layers: if layering.len() > 1 {
            layering.len()
        } else {
            0
        },
    }
}

/// A glob with its metacharacters matched literally.
fn literal(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '*' | '?' | '[' | ']' | '{' | '}' | '\\' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Each module's files as globs: for each file, its highest folder that
/// holds files of that module only, else the file itself.
fn module_globs(analysis: &Analysis) -> Vec<Vec<String>> {
    let of_file = &analysis.modules.of_file;
    let mut under: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (file, source) in analysis.project.files().iter().enumerate() {
        let mut dir = parent(&source.path);
        loop {
            under.entry(dir).or_default().insert(of_file[file]);
            if dir.is_empty() {
                break;
            }
            dir = parent(dir);
        }
    }
    let mut globs: Vec<BTreeSet<String>> = vec![BTreeSet::new(); analysis.modules.names.len()];
    for (file, source) in analysis.project.files().iter().enumerate() {
        let module = of_file[file];
        let pure = |dir: &str| under.get(dir).is_some_and(|m| m.len() == 1);
        let mut best: Option<&str> = None;
        let mut dir = parent(&source.path);
        while pure(dir) {
            best = Some(dir);
            if dir.is_empty() {
                break;
            }
            dir = parent(dir);
        }
        globs[module].insert(match best {
            Some("") => "**".to_string(),
            Some(dir) => literal(dir),
            None => literal(&source.path),
        });
    }
    globs.into_iter().map(|g| g.into_iter().collect()).collect()
}

/// Modules by layer, top first: a module's layer is one above the highest
/// layer of what it imports at run time (type-only imports are exempt from
/// layering rules); modules in a cycle share one. (Cutting a cycle by its
/// fewest import sites was tried: on Django it put django/urls below
/// django/utils, an order nobody means, with 155 violations to baseline.)
/// Modules without any dependency either way are left out.
fn layering(analysis: &Analysis) -> Vec<Vec<String>> {
    use petgraph::graph::{DiGraph, NodeIndex};
    let names = &analysis.modules.names;
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..names.len()).map(|m| graph.add_node(m)).collect();
    let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (from, to, dependency) in analysis.file_graph.edges() {
        let (a, b) = (analysis.modules.of_file[from], analysis.modules.of_file[to]);
        if a != b
            && dependency
                .sites
                .iter()
                .any(|s| s.kind != ImportKind::TypeOnly)
        {
            edges.insert((a, b));
        }
    }
    for &(a, b) in &edges {
        graph.add_edge(nodes[a], nodes[b], ());
    }
    let mut connected = vec![false; names.len()];
    for &(a, b) in &edges {
        connected[a] = true;
        connected[b] = true;
    }
    // Sinks first: a component comes after every component it reaches
    // (Kosaraju's order, as Tarjan's, without its recursion: cycles.rs).
    let components = petgraph::algo::kosaraju_scc(&graph);
    let mut component_of = vec![0usize; names.len()];
    for (c, members) in components.iter().enumerate() {
        for node in members {
            component_of[graph[*node]] = c;
        }
    }
    let mut level = vec![0usize; components.len()];
    for (c, members) in components.iter().enumerate() {
        let mut here = 0;
        for node in members {
            for target in graph.neighbors(*node) {
                let t = component_of[graph[target]];
                if t != c {
                    here = here.max(level[t] + 1);
                }
            }
        }
        level[c] = here;
    }
    let glob_like = |name: &str| name.contains(['*', '?', '[', ']', '{', '}']);
    let mut layers: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (m, name) in names.iter().enumerate() {
        if connected[m] && !glob_like(name) {
            layers
                .entry(level[component_of[m]])
                .or_default()
                .push(name.clone());
        }
    }
    layers.into_values().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::ceil_to;

    #[test]
    fn limits_round_up_to_their_step() {
        assert_eq!(format!("{:.1}", ceil_to(2.3, 0.1)), "2.3");
        assert_eq!(format!("{:.1}", ceil_to(2.31, 0.1)), "2.4");
        assert_eq!(format!("{:.1}", ceil_to(0.0, 0.1)), "0.0");
        assert_eq!(format!("{:.2}", ceil_to(0.571, 0.01)), "0.58");
        assert_eq!(format!("{:.2}", ceil_to(0.5, 0.01)), "0.50");
    }
}
