//! `vantage impact`: what depends on files, symbols, modules, or on what
//! changed since a git revision.

use clap::{ArgGroup, Args, ValueEnum};

use super::{CommonArgs, EXIT_OK, FlagArgs, FlagPlan};
use crate::Error;
use std::path::Path;

use crate::analysis::impact::{
    ImpactLevel, ImpactOptions, Seed, declared_members, exposed_names, find_members, find_module,
    find_symbols, impact, seeds_for_change,
};
use crate::changes::{FileChange, Status, changed_since, merge_base};
use crate::config::closest;
use crate::discover::SkipReason;
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report::{self, ImpactView, Target};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImpactFormat {
    Text,
    Json,
}

/// What an impact cascade follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CascadeLevel {
    Symbol,
    File,
}

impl From<CascadeLevel> for ImpactLevel {
    fn from(level: CascadeLevel) -> ImpactLevel {
        match level {
            CascadeLevel::Symbol => ImpactLevel::Symbol,
            CascadeLevel::File => ImpactLevel::File,
        }
    }
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("targets").required(true).multiple(true).args(["file", "symbol", "module", "since"])))]
pub struct ImpactArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// A file, relative to PATH (or absolute, inside it): what imports it
    /// (repeatable).
    #[arg(long, value_name = "FILE")]
    pub file: Vec<String>,

    /// A definition, by name or qualified name (`QuerySet`,
    /// `app.models.User`, `App\Models\User`, `crate::rt::Handle`): what
    /// imports that name; or a member of a type (`Order.cancel`): the
    /// files importing the type that mention the member, a heuristic
    /// (repeatable).
    #[arg(long, value_name = "NAME")]
    pub symbol: Vec<String>,

    /// A module (as `vantage analyze` lists them, or dotted, or a folder):
    /// what outside it depends on it (repeatable).
    #[arg(long, value_name = "MODULE")]
    pub module: Vec<String>,

    /// What changed since the merge base with this git revision (commits,
    /// staged and unstaged edits), mapped to the definitions it touches.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,

    /// Deepest level reported (1 = direct dependents only).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub depth: Option<u16>,

    /// Count only imports that run when a file loads (static, re-export,
    /// top-level require, extends/implements), as `cycles --runtime-only`
    /// does: lazy, dynamic and type-only reach is left out instead of
    /// listed apart.
    #[arg(long)]
    pub runtime_only: bool,

    /// What the cascade follows: definitions and their uses (callers of
    /// callers) where the language has a symbol layer, or imports only
    /// (every importer of an impacted file).
    #[arg(long, value_enum, default_value_t = CascadeLevel::Symbol)]
    pub level: CascadeLevel,

    /// Print only the tests to run, one per line: test files, or test
    /// cases by the runner's id (`path::Class::test_x`), as pytest,
    /// vitest, jest and phpunit take them.
    #[arg(long)]
    pub tests: bool,

    /// Output format; json is the versioned contract in docs/output.md.
    #[arg(long, value_enum, default_value_t = ImpactFormat::Text)]
    pub format: ImpactFormat,

    /// With --since: an origin FLAG for the change and one, chained to it,
    /// for each other module it reaches.
    #[command(flatten)]
    pub flags: FlagArgs,
}

pub fn run(args: &ImpactArgs) -> Result<i32, Error> {
    if args.flags.flags && args.since.is_none() {
        return Err(Error::Usage {
            message: "--flags writes the impact of a change: it needs --since REV".to_string(),
        });
    }
    let root = &args.common.path;
    let changes = match &args.since {
        Some(revision) => changed_since(root, revision)?,
        None => Vec::new(),
    };
    // Symbols need every file's definitions: each file is read whole.
    let mut options = args.common.options(match args.level {
        CascadeLevel::Symbol => Extraction::Symbols,
        CascadeLevel::File => Extraction::Full,
    });
    // A deleted file (or a renamed one's old path) stays a node, so that
    // the files still importing it are found.
    options.deleted = deleted_by(&changes);
    let analysis = analyze(root, &options)?;
    let texts = Texts::new(&analysis.project);
    let question = Question {
        files: &args.file,
        symbols: &args.symbol,
        modules: &args.module,
        since: args.since.as_deref().map(|revision| (revision, changes)),
    };
    let (seeds, targets) = ask(root, &analysis, &texts, question)?;

    let options = ImpactOptions {
        depth: args.depth.map(usize::from),
        runtime_only: args.runtime_only,
        level: args.level.into(),
    };
    let set = answer(&analysis, &texts, &seeds, options);
    args.common.print_stats(&analysis);
    let view = ImpactView {
        analysis: &analysis,
        targets: &targets,
        set: &set,
        options,
    };
    let label = root.display().to_string();
    // `[flags] write` applies to changes only: other targets are questions.
    let flagged = match &args.since {
        Some(revision) if args.flags.wanted(&analysis.config) => {
            let build = |agents: &[String]| report::flags::impact_flags(&view, revision, agents);
            // A newer run for the same revision supersedes the chains of an
            // earlier one that no longer hold.
            let plan = FlagPlan {
                complete_kinds: vec!["change_origin", "change_impact"],
                complete_scope: vec![("revision", revision.clone())],
                gone_note: format!(
                    "Superseded: a later `vantage impact --since {revision}` no longer finds this change or its reach."
                ),
            };
            Some(args.flags.write(&analysis, &args.common, plan, build)?)
        }
        _ => None,
    };
    args.common.write_output(|out| match args.format {
        ImpactFormat::Text if args.tests => {
            report::text::write_test_selection(out, &analysis, &set)
        }
        ImpactFormat::Text => report::text::write_impact(out, &view, &label),
        ImpactFormat::Json => report::json::write_impact(out, &view, flagged.as_ref()),
    })?;
    if let Some(flagged) = &flagged {
        flagged.print(args.format != ImpactFormat::Text)?;
    }
    Ok(EXIT_OK)
}

/// What an impact question names: files, symbols, modules, and a change
/// (the revision and what changed since its merge base).
pub struct Question<'q> {
    pub files: &'q [String],
    pub symbols: &'q [String],
    pub modules: &'q [String],
    pub since: Option<(&'q str, Vec<FileChange>)>,
}

/// The files a change deleted (and renamed files' old paths): nodes the
/// analysis must keep for the files still importing them.
pub fn deleted_by(changes: &[FileChange]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|change| match &change.status {
            Status::Deleted => Some(change.path.clone()),
            Status::Renamed(from) => Some(from.clone()),
            _ => None,
        })
        .collect()
}

/// The seeds and targets of a question; an unknown target is an error
/// with the nearest name.
pub fn ask(
    root: &Path,
    analysis: &crate::pipeline::Analysis,
    texts: &Texts,
    question: Question,
) -> Result<(Vec<Seed>, Vec<Target>), Error> {
    let project = &analysis.project;
    let mut seeds: Vec<Seed> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();

    for given in question.files {
        let path = relative_path(root, given);
        let file = project.file(&path).ok_or_else(|| Error::Target {
            what: "source file",
            query: given.clone(),
            suggestion: closest(&path, project.files().iter().map(|f| f.path.as_str()))
                .map(str::to_string),
        })?;
        seeds.push(Seed::File(file));
        targets.push(Target::file(&path, file));
    }
    for query in question.symbols {
        // The symbol graph first: it knows methods and nested definitions.
        let nodes: Vec<usize> = analysis
            .symbols
            .find(query)
            .into_iter()
            .filter(|&n| analysis.symbols.nodes[n].kind != crate::symbols::NodeKind::Module)
            .collect();
        if !nodes.is_empty() {
            seeds.extend(nodes.iter().map(|&n| Seed::Definition(n)));
            targets.push(Target::symbol_nodes(query, &analysis.symbols, nodes));
            continue;
        }
        let found = find_symbols(project, &analysis.facts, query);
        if !found.is_empty() {
            for &(file, index) in &found {
                seeds.push(Seed::Symbol {
                    file,
                    name: analysis.facts[file].definitions[index].name.clone(),
                });
            }
            targets.push(Target::symbol(query, found));
            continue;
        }
        // `Order.cancel`: a member of a type.
        let members = find_members(project, &analysis.facts, query, &|f| texts.get(f));
        if members.is_empty() {
            let last = query.rsplit(['.', ':', '\\']).next().unwrap_or(query);
            let owner = query[..query.len() - last.len()].trim_end_matches(['.', ':', '\\']);
            // A type that exists: its members; else every definition.
            let declared = if owner.is_empty() {
                Vec::new()
            } else {
                declared_members(project, &analysis.facts, owner, &|f| texts.get(f))
            };
            let suggestion = if declared.is_empty() {
                let names = analysis
                    .facts
                    .iter()
                    .flat_map(|f| f.definitions.iter().map(|d| d.name.as_str()));
                closest(last, names).map(str::to_string)
            } else {
                closest(last, declared.iter().map(String::as_str)).map(|m| format!("{owner}.{m}"))
            };
            return Err(Error::Target {
                what: "definition or member",
                query: query.clone(),
                suggestion,
            });
        }
        let mut target = Target::symbol(
            query,
            members
                .iter()
                .filter_map(|(file, class, _)| {
                    let index = analysis.facts[*file]
                        .definitions
                        .iter()
                        .position(|d| &d.name == class && d.kind != "impl")?;
                    Some((*file, index))
                })
                .collect(),
        );
        target.member = members.first().map(|(_, _, m)| m.clone());
        for (file, class, member) in members {
            seeds.push(Seed::Member {
                file,
                class,
                member,
            });
        }
        targets.push(target);
    }
    for query in question.modules {
        let (name, files) =
            find_module(project, &analysis.modules, query).ok_or_else(|| Error::Target {
                what: "module or folder",
                query: query.clone(),
                suggestion: closest(query, analysis.modules.names.iter().map(String::as_str))
                    .map(str::to_string),
            })?;
        seeds.extend(files.iter().map(|&f| Seed::File(f)));
        targets.push(Target::module(query, name, files));
    }
    if let Some((revision, changes)) = question.since {
        let base = merge_base(root, revision)?;
        for change in changes {
            let change_seeds = change_seeds(analysis, &change, &base)?;
            // Whoever still imports the old path (apart from the change's
            // own seeds: the rename is not a change of the whole file).
            if let Status::Renamed(from) = &change.status {
                seeds.extend(vanished(project, from, &base)?);
            }
            seeds.extend(change_seeds.iter().cloned());
            let file = project.file(&change.path);
            targets.push(Target::change(change, file, change_seeds, &analysis.facts));
        }
    }
    seeds.sort();
    seeds.dedup();
    Ok((seeds, targets))
}

/// What depends on the seeds, members found by reading the files' texts.
pub fn answer(
    analysis: &crate::pipeline::Analysis,
    texts: &Texts,
    seeds: &[Seed],
    options: ImpactOptions,
) -> crate::analysis::impact::ImpactSet {
    impact(
        &analysis.project,
        &analysis.facts,
        &analysis.file_graph,
        &analysis.modules,
        &analysis.symbols,
        seeds,
        options,
        &|file, member| texts.mentions(file, member),
    )
}

/// A node kept for a file the change deleted (not one of the same path on
/// disk again).
fn gone(project: &crate::project::ProjectFiles, path: &str) -> Option<usize> {
    project
        .file(path)
        .filter(|&f| project.get(f).skipped == Some(SkipReason::Deleted))
}

/// What one changed file seeds: the definitions its changed lines touch
/// (or the whole file), and the names it offered before the change and no
/// longer does (removed: whoever imports them is broken).
fn change_seeds(
    analysis: &crate::pipeline::Analysis,
    change: &FileChange,
    base: &str,
) -> Result<Vec<Seed>, Error> {
    let project = &analysis.project;
    let root = project.root();
    let file = match (&change.status, project.file(&change.path)) {
        // Whoever still imports it; and whoever names what it offered is
        // broken.
        (Status::Deleted, _) => return vanished(project, &change.path, base),
        (_, None) => return Ok(Vec::new()),
        (_, Some(file)) => file,
    };
    // The changed lines are read to tell comments and attributes from
    // code; unreadable, the file counts whole.
    let text = std::fs::read_to_string(root.join(&change.path)).unwrap_or_default();
    let lines = if text.is_empty() {
        &[][..]
    } else {
        &change.lines[..]
    };
    let added = change.status == Status::Added;
    if analysis.symbols.module_of[file].is_some() {
        return symbol_change_seeds(analysis, change, base, file, &text);
    }
    let facts = &analysis.facts[file];
    // A new file, or one moved or changed without a line to show for it,
    // counts whole; lines only deleted are read below.
    let mut seeds = if added || !lines.is_empty() || change.deletions.is_empty() {
        seeds_for_change(facts, file, lines, added, &text)
    } else {
        Vec::new()
    };
    let old_path = match &change.status {
        Status::Modified => Some(change.path.as_str()),
        Status::Renamed(from) => Some(from.as_str()),
        _ => None,
    };
    let language = project.get(file).language;
    let old = match old_path {
        Some(old_path) => crate::changes::file_at(root, base, old_path)?,
        None => None,
    };
    let old_facts = old
        .as_deref()
        .and_then(|old| crate::lang::extract_facts(language, old).ok());
    match (old_facts, old) {
        (Some(old_facts), Some(old)) => {
            let before = exposed_names(language, &old_facts);
            let after = exposed_names(language, facts);
            seeds.extend(before.difference(&after).map(|name| Seed::Removed {
                file,
                name: name.clone(),
            }));
            // Lines only deleted are read in the old version: inside a
            // definition that is still here, it changed; a whole definition
            // gone is a removed name (above); blank lines and comments are
            // nothing; other code at the top level changes the whole file.
            let old_text = String::from_utf8_lossy(&old);
            let ranges: Vec<std::ops::RangeInclusive<u32>> = change
                .deletions
                .iter()
                .map(|(_, old)| old.clone())
                .collect();
            if !ranges.is_empty() {
                let still = |name: &str| facts.definitions.iter().any(|d| d.name == name);
                for seed in seeds_for_change(&old_facts, file, &ranges, false, &old_text) {
                    match seed {
                        Seed::Symbol { name, .. } if !still(&name) => {}
                        other => seeds.push(other),
                    }
                }
            }
        }
        _ => {
            // No old version to read: a deletion counts at the line it
            // happened after.
            let markers: Vec<std::ops::RangeInclusive<u32>> =
                change.deletions.iter().map(|(at, _)| *at..=*at).collect();
            if !markers.is_empty() && !text.is_empty() {
                seeds.extend(seeds_for_change(facts, file, &markers, false, &text));
            }
        }
    }
    if seeds.contains(&Seed::File(file)) {
        seeds.retain(|s| matches!(s, Seed::File(_) | Seed::Removed { .. }));
    }
    seeds.sort();
    seeds.dedup();
    Ok(seeds)
}

/// What a changed file seeds where the symbol graph covers it: the
/// innermost definition each changed line is in (the module for top-level
/// code; blank and comment lines are nothing), the definitions it removed
/// (named in their module or class) and those whose signature changed,
/// read against the file at the merge base. A new file, or one changed
/// without lines to show, changes whole.
fn symbol_change_seeds(
    analysis: &crate::pipeline::Analysis,
    change: &FileChange,
    base: &str,
    file: usize,
    text: &str,
) -> Result<Vec<Seed>, Error> {
    let graph = &analysis.symbols;
    let facts = &analysis.facts[file];
    let Some(symbols) = facts.symbols.as_ref() else {
        return Ok(vec![Seed::File(file)]);
    };
    if change.status == Status::Added || (change.lines.is_empty() && change.deletions.is_empty()) {
        return Ok(vec![Seed::File(file)]);
    }
    let module = graph.module_of[file].expect("a file of the symbol graph");
    let source_lines: Vec<&str> = text.lines().collect();
    let is_code = |lines: &[&str], line: u32| {
        let content = lines.get(line as usize - 1).map_or("", |l| l.trim());
        let comment = ["//", "/*", "*", "--"]
            .iter()
            .any(|c| content.starts_with(c))
            || (content.starts_with('#') && !content.starts_with("#["));
        !(content.is_empty() || comment)
    };
    let mut seeds = Vec::new();
    for range in &change.lines {
        for line in range.clone() {
            if is_code(&source_lines, line)
                && let Some(node) = graph.at_line(facts, file, line)
            {
                seeds.push(Seed::Definition(node));
            }
        }
    }
    // A definition made inside a function (a closure, a getter of an
    // object literal it returns) is that function's doing: the function
    // changes too, and what calls it sees the change.
    let nested: Vec<usize> = seeds
        .iter()
        .filter_map(|seed| match seed {
            Seed::Definition(node) => Some(*node),
            _ => None,
        })
        .flat_map(|node| graph.nodes[node].defs.clone())
        .filter_map(|d| {
            std::iter::successors(symbols.defs[d as usize].parent, |&p| {
                symbols.defs[p as usize].parent
            })
            .find(|&p| symbols.defs[p as usize].kind.is_callable())
        })
        .filter_map(|holder| graph.node(file, holder))
        .collect();
    seeds.extend(nested.into_iter().map(Seed::Definition));
    let old_path = match &change.status {
        Status::Renamed(from) => from.as_str(),
        _ => change.path.as_str(),
    };
    let language = analysis.project.get(file).language;
    let old = crate::changes::file_at(analysis.project.root(), base, old_path)?;
    let old_symbols = old.as_deref().and_then(|bytes| {
        crate::lang::extract_with(language, bytes, Extraction::Symbols)
            .ok()
            .and_then(|f| f.symbols)
    });
    // A module-level name whose value is computed by a call runs that call
    // as the module loads: changing it changes the load.
    let load_time: Vec<usize> = seeds
        .iter()
        .filter_map(|seed| match seed {
            Seed::Definition(node) => Some(*node),
            _ => None,
        })
        .filter(|&node| {
            graph.nodes[node].defs.iter().any(|&d| {
                let def = &symbols.defs[d as usize];
                def.parent.is_none()
                    && matches!(
                        def.kind,
                        crate::facts::DefKind::Variable | crate::facts::DefKind::Constant
                    )
                    && symbols.uses.iter().any(|u| {
                        u.scope == Some(d)
                            && u.load
                            && matches!(
                                u.kind,
                                crate::facts::UseKind::Call | crate::facts::UseKind::New
                            )
                    })
            })
        })
        .collect();
    if !load_time.is_empty() {
        seeds.push(Seed::Definition(module));
    }
    let Some(old_symbols) = old_symbols else {
        // No old version to read: a deletion counts where it happened.
        for (at, _) in &change.deletions {
            if let Some(node) = graph.at_line(facts, file, *at) {
                seeds.push(Seed::Definition(node));
            }
        }
        seeds.sort();
        seeds.dedup();
        return Ok(seeds);
    };
    let old_text = String::from_utf8_lossy(old.as_deref().unwrap_or_default()).into_owned();
    let old_lines: Vec<&str> = old_text.lines().collect();
    let old_names = crate::symbols::local_names(&old_symbols);
    let new_names = crate::symbols::local_names(symbols);
    // A definition by its name, name space and which of that name it is
    // (a property's getter and setter share a name).
    let keyed = |names: &[String], defs: &[crate::facts::SymbolDef]| {
        let mut seen: std::collections::HashMap<(String, crate::facts::Namespace), usize> =
            std::collections::HashMap::new();
        names
            .iter()
            .zip(defs)
            .map(|(n, d)| {
                let count = seen.entry((n.clone(), d.namespace)).or_insert(0);
                *count += 1;
                (n.clone(), d.namespace, *count)
            })
            .collect::<Vec<_>>()
    };
    let old_keys = keyed(&old_names, &old_symbols.defs);
    let new_keys = keyed(&new_names, &symbols.defs);
    let new_index: std::collections::HashMap<&(String, crate::facts::Namespace, usize), usize> =
        new_keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let node_named = |local: &str| -> Option<usize> {
        new_names
            .iter()
            .position(|n| n == local)
            .and_then(|i| graph.node(file, i as u32))
    };
    for (i, old_def) in old_symbols.defs.iter().enumerate() {
        match new_index.get(&old_keys[i]) {
            Some(&j) => {
                let new_def = &symbols.defs[j];
                if old_def.kind.is_callable()
                    && old_def.signature != new_def.signature
                    && let Some(node) = graph.node(file, j as u32)
                {
                    seeds.push(Seed::Signature(node));
                }
            }
            // One of several of a name is gone (a property's setter):
            // the name is still there, changed.
            None if new_keys
                .iter()
                .any(|k| (&k.0, k.1) == (&old_keys[i].0, old_keys[i].1)) =>
            {
                if let Some(node) = node_named(&old_names[i]) {
                    seeds.push(Seed::Definition(node));
                }
            }
            None => {
                // Named in its parent, which is still here (else the
                // parent is the removed one).
                let container = match old_def.parent {
                    None => Some(module),
                    Some(p) => node_named(&old_names[p as usize]),
                };
                if let Some(container) = container {
                    seeds.push(Seed::Missing {
                        container,
                        name: old_def.name.clone(),
                    });
                }
            }
        }
    }
    // Lines only deleted: the definition that held them, if it is still
    // here.
    for (_, old_range) in &change.deletions {
        for line in old_range.clone() {
            if !is_code(&old_lines, line) {
                continue;
            }
            let innermost = old_symbols
                .defs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.start_line <= line && line <= d.end_line)
                .max_by_key(|(i, d)| (d.start_line, *i));
            match innermost {
                Some((i, _)) => {
                    if let Some(node) = node_named(&old_names[i]) {
                        seeds.push(Seed::Definition(node));
                    }
                }
                None => seeds.push(Seed::Definition(module)),
            }
        }
    }
    seeds.sort();
    seeds.dedup();
    Ok(seeds)
}

/// Seeds for a file gone from `path` (deleted, or the old path of a
/// rename): its node, and the names it offered at the base, removed.
fn vanished(
    project: &crate::project::ProjectFiles,
    path: &str,
    base: &str,
) -> Result<Vec<Seed>, Error> {
    let Some(node) = gone(project, path) else {
        return Ok(Vec::new());
    };
    let mut seeds = vec![Seed::File(node)];
    let language = project.get(node).language;
    if let Some(old) = crate::changes::file_at(project.root(), base, path)?
        && let Ok(old_facts) = crate::lang::extract_facts(language, &old)
    {
        seeds.extend(
            exposed_names(language, &old_facts)
                .into_iter()
                .map(|name| Seed::Removed { file: node, name }),
        );
    }
    Ok(seeds)
}

/// `given` relative to the root: as given, or an absolute path (or one
/// relative to the working folder) that lies inside the root.
fn relative_path(root: &Path, given: &str) -> String {
    let plain = given.trim_start_matches("./").to_string();
    let inside = std::fs::canonicalize(given)
        .ok()
        .zip(std::fs::canonicalize(root).ok())
        .and_then(|(path, root)| {
            let rest = path.strip_prefix(&root).ok()?;
            Some(
                rest.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        });
    match inside {
        Some(relative) if Path::new(given).is_absolute() || !root.join(&plain).exists() => relative,
        _ => plain,
    }
}

/// Source texts read on demand (member targets), once each.
pub struct Texts<'a> {
    project: &'a crate::project::ProjectFiles,
    cache: std::sync::Mutex<std::collections::HashMap<usize, Option<String>>>,
}

impl<'a> Texts<'a> {
    pub fn new(project: &'a crate::project::ProjectFiles) -> Self {
        Texts {
            project,
            cache: Default::default(),
        }
    }

    pub fn get(&self, file: usize) -> Option<String> {
        let mut cache = self.cache.lock().expect("not poisoned");
        cache
            .entry(file)
            .or_insert_with(|| {
                std::fs::read_to_string(self.project.root().join(self.project.path(file))).ok()
            })
            .clone()
    }

    /// Whether the file names `member` after `.`, `->` or `::`.
    pub fn mentions(&self, file: usize, member: &str) -> bool {
        let Some(text) = self.get(file) else {
            return false;
        };
        let mut from = 0;
        while let Some(at) = text[from..].find(member).map(|i| i + from) {
            from = at + member.len();
            let before = &text[..at];
            let ends = text[from..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if ends && (before.ends_with('.') || before.ends_with("->") || before.ends_with("::")) {
                return true;
            }
        }
        false
    }
}
