//! `vantage dupes`: clone classes and duplication.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::analysis::duplicates::{
    CloneClass, CloneInput, DupeMode, DupeOptions, duplication, find_clones,
};
use crate::lang::Extraction;
use crate::pipeline::{Analysis, analyze};
use crate::report::{self, ClassCounts, DupesView};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DupesFormat {
    Text,
    Json,
}

/// Exit code when the duplication is over `--max-percent`.
const EXIT_GATE: i32 = 1;

#[derive(Args, Debug)]
pub struct DupesArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Shortest clone, in tokens [default: [dupes] min_tokens, else 50].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(5..))]
    pub min_tokens: Option<u32>,

    /// renamed: names and literals may differ if renamed consistently
    /// (type-2); strict: tokens as written (type-1); blind: any names and
    /// literals.
    #[arg(long, value_enum, default_value_t = DupeMode::Renamed)]
    pub mode: DupeMode,

    /// Exit with 1 when the duplicated share of code lines is above this
    /// percentage (a CI gate).
    #[arg(long, value_name = "PERCENT")]
    pub max_percent: Option<f64>,

    /// List only the clone classes with copies in two modules or more.
    #[arg(long)]
    pub cross_module: bool,

    /// List only the N largest clone classes (tokens times copies); the
    /// duplication shares still count every class.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Output format; json is the versioned contract in docs/output.md.
    #[arg(long, value_enum, default_value_t = DupesFormat::Text)]
    pub format: DupesFormat,
}

pub fn run(args: &DupesArgs) -> Result<i32, Error> {
    let analysis = analyze(&args.common.path, &args.common.options(Extraction::Tokens))?;
    let config = &analysis.config.dupes;
    let options = DupeOptions {
        min_tokens: args
            .min_tokens
            .map(|n| n as usize)
            .or(config.min_tokens)
            .unwrap_or(50),
        mode: args.mode,
    };
    let project = &analysis.project;
    let clock = std::time::Instant::now();
    let found = find(&analysis, options);
    let searched = clock.elapsed();
    let classes: Vec<CloneClass> = found
        .classes
        .iter()
        .filter(|c| !args.cross_module || spans_modules(&analysis, c))
        .take(args.top.unwrap_or(usize::MAX))
        .cloned()
        .collect();
    args.common.print_stats(&analysis);
    if args.common.stats {
        eprintln!("{:>10} {:>9.1} ms", "clones", searched.as_secs_f64() * 1e3);
    }
    // The first place of each class, as written, for the text output.
    let fragments: Vec<String> = match args.format {
        DupesFormat::Json => Vec::new(),
        DupesFormat::Text => classes
            .iter()
            .take(30)
            .map(|class| {
                let first = class.members[0];
                let stream = found.input.streams[first.file].expect("members have tokens");
                let (from, to) = (
                    stream.tokens[first.start].start as usize,
                    stream.tokens[first.start + first.len - 1].end as usize,
                );
                let line_start = stream.line_starts[stream.line(from as u32) as usize - 1] as usize;
                std::fs::read(project.root().join(project.path(first.file)))
                    .ok()
                    .and_then(|bytes| {
                        bytes
                            .get(line_start..to)
                            .map(|b| String::from_utf8_lossy(b).into_owned())
                    })
                    .unwrap_or_default()
            })
            .collect(),
    };
    let filter = crate::report::ClassFilter {
        cross_module: args.cross_module,
        top: args.top,
    };
    let view = found.view(&analysis, &classes, filter, fragments);
    let label = args.common.path.display().to_string();
    args.common.write_output(|out| match args.format {
        DupesFormat::Text => report::text::write_dupes(out, &view, &label),
        DupesFormat::Json => report::json::write_dupes(out, &view),
    })?;
    let code = match args.max_percent {
        Some(limit) if view.total().percent() > limit => {
            eprintln!(
                "vantage: duplication {:.2}% is over --max-percent {limit}",
                view.total().percent()
            );
            EXIT_GATE
        }
        _ => EXIT_OK,
    };
    // The process ends now: freeing every token of every file one by one
    // would only delay the exit (the system takes the memory back at once).
    drop(view);
    std::mem::forget(found);
    std::mem::forget(analysis);
    Ok(code)
}

/// Clone detection over one analysis: every class, largest first, and
/// the duplicated lines of each file.
pub struct Found<'a> {
    pub input: CloneInput<'a>,
    pub options: DupeOptions,
    pub classes: Vec<CloneClass>,
    pub files: Vec<crate::analysis::duplicates::FileDuplication>,
}

pub fn find(analysis: &Analysis, options: DupeOptions) -> Found<'_> {
    let input = CloneInput::of(analysis);
    let classes = find_clones(&input.streams, &input.paths, options);
    let files = duplication(&input.streams, &classes);
    Found {
        input,
        options,
        classes,
        files,
    }
}

/// Whether a class has copies in two modules or more.
pub fn spans_modules(analysis: &Analysis, class: &CloneClass) -> bool {
    let module_of = |f: usize| analysis.modules.of_file[f];
    class
        .members
        .iter()
        .any(|m| module_of(m.file) != module_of(class.members[0].file))
}

impl<'a> Found<'a> {
    /// A view listing `classes` (a selection of this run's).
    pub fn view(
        &'a self,
        analysis: &'a Analysis,
        classes: &'a [CloneClass],
        filter: crate::report::ClassFilter,
        fragments: Vec<String>,
    ) -> DupesView<'a> {
        let unclosed = self
            .input
            .streams
            .iter()
            .enumerate()
            .filter_map(|(file, s)| Some((file, s.as_ref()?.unclosed_ignore?)))
            .collect();
        DupesView {
            analysis,
            options: self.options,
            classes,
            found: ClassCounts {
                classes: self.classes.len(),
                cross_module: self
                    .classes
                    .iter()
                    .filter(|c| spans_modules(analysis, c))
                    .count(),
            },
            filter,
            files: &self.files,
            generated: self.input.generated.clone(),
            excluded: self.input.excluded.clone(),
            unclosed,
            fragments,
        }
    }
}
