//! `vantage impact`: what depends on files, symbols, modules, or on what
//! changed since a git revision.

use clap::{ArgGroup, Args, ValueEnum};

use super::{CommonArgs, EXIT_OK, FlagArgs, FlagPlan};
use crate::Error;
use crate::analysis::impact::{
    ImpactOptions, Seed, find_module, find_symbols, impact, seeds_for_change,
};
use crate::changes::{Status, changed_since};
use crate::discover::SkipReason;
use crate::lang::Extraction;
use crate::pipeline::analyze;
use crate::report::{self, ImpactView, Target};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImpactFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("targets").required(true).multiple(true).args(["file", "symbol", "module", "since"])))]
pub struct ImpactArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// A file, relative to PATH: what imports it (repeatable).
    #[arg(long, value_name = "FILE")]
    pub file: Vec<String>,

    /// A definition, by name or qualified name (`QuerySet`,
    /// `app.models.User`, `App\Models\User`, `crate::rt::Handle`): what
    /// imports that name (repeatable).
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

    /// Leave type-only imports out.
    #[arg(long)]
    pub runtime_only: bool,

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
    let mut options = args.common.options(Extraction::Full);
    // A deleted file (or a renamed one's old path) stays a node, so that
    // the files still importing it are found.
    options.deleted = changes
        .iter()
        .filter_map(|change| match &change.status {
            Status::Deleted => Some(change.path.clone()),
            Status::Renamed(from) => Some(from.clone()),
            _ => None,
        })
        .collect();
    let analysis = analyze(root, &options)?;
    let project = &analysis.project;
    let mut seeds: Vec<Seed> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();

    for path in &args.file {
        let path = path.trim_start_matches("./");
        let file = project.file(path).ok_or_else(|| Error::Target {
            what: "source file",
            query: path.to_string(),
        })?;
        seeds.push(Seed::File(file));
        targets.push(Target::file(path, file));
    }
    for query in &args.symbol {
        let found = find_symbols(project, &analysis.facts, query);
        if found.is_empty() {
            return Err(Error::Target {
                what: "definition",
                query: query.clone(),
            });
        }
        for &(file, index) in &found {
            seeds.push(Seed::Symbol {
                file,
                name: analysis.facts[file].definitions[index].name.clone(),
            });
        }
        targets.push(Target::symbol(query, found));
    }
    for query in &args.module {
        let (name, files) =
            find_module(project, &analysis.modules, query).ok_or_else(|| Error::Target {
                what: "module or folder",
                query: query.clone(),
            })?;
        seeds.extend(files.iter().map(|&f| Seed::File(f)));
        targets.push(Target::module(query, name, files));
    }
    // A node kept for a file the change deleted (not one of the same path
    // on disk again).
    let gone = |path: &str| {
        project
            .file(path)
            .filter(|&f| project.get(f).skipped == Some(SkipReason::Deleted))
    };
    if args.since.is_some() {
        for change in changes {
            let file = project.file(&change.path);
            let change_seeds = match (&change.status, file) {
                // Whoever still imports it.
                (Status::Deleted, _) => gone(&change.path).map(Seed::File).into_iter().collect(),
                (_, None) => Vec::new(),
                (status, Some(file)) => {
                    // The changed lines are read to tell comments and
                    // attributes from code; unreadable, the file counts whole.
                    let text = std::fs::read_to_string(root.join(&change.path)).unwrap_or_default();
                    let lines = if text.is_empty() {
                        &[][..]
                    } else {
                        &change.lines[..]
                    };
                    seeds_for_change(
                        &analysis.facts[file],
                        file,
                        lines,
                        *status == Status::Added,
                        &text,
                    )
                }
            };
            // Whoever still imports the old path (apart from the change's
            // own seeds: the rename is not a change of the whole file).
            if let Status::Renamed(from) = &change.status
                && let Some(old) = gone(from)
            {
                seeds.push(Seed::File(old));
            }
            seeds.extend(change_seeds.iter().cloned());
            targets.push(Target::change(change, file, change_seeds, &analysis.facts));
        }
    }
    seeds.sort();
    seeds.dedup();

    let options = ImpactOptions {
        depth: args.depth.map(usize::from),
        runtime_only: args.runtime_only,
    };
    let set = impact(
        project,
        &analysis.facts,
        &analysis.file_graph,
        &analysis.modules,
        &seeds,
        options,
    );
    args.common.print_stats(&analysis);
    let view = ImpactView {
        analysis: &analysis,
        targets: &targets,
        set: &set,
        options,
    };
    let label = root.display().to_string();
    args.common.write_output(|out| match args.format {
        ImpactFormat::Text => report::text::write_impact(out, &view, &label),
        ImpactFormat::Json => report::json::write_impact(out, &view),
    })?;
    // `[flags] write` applies to changes only: other targets are questions.
    if args.flags.wanted(&analysis.config)
        && let Some(revision) = &args.since
    {
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
        let json_on_stdout = args.format != ImpactFormat::Text;
        args.flags
            .write(&analysis, &args.common, plan, build, json_on_stdout)?;
    }
    Ok(EXIT_OK)
}
