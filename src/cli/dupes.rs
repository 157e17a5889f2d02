//! `vantage dupes`: clone classes and duplication.

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::analysis::duplicates::{
    CloneClass, CloneInput, DupeMode, DupeOptions, FileDuplication, duplication, find_clones,
    lines_covered,
};
use crate::analysis::near::{DEFAULT_SIMILARITY, NearClass, NearOptions, find_near};
use crate::lang::Extraction;
use crate::pipeline::{Analysis, analyze};
use crate::report::{self, ClassCounts, DupesView, NearView};

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

    /// Also list near-miss clones: functions and methods copied and then
    /// edited (a statement added, removed or changed, names renamed).
    #[arg(long)]
    pub near: bool,

    /// Least similarity of a near-miss pair, from 0.5 to 1
    /// [default: [dupes] near_similarity, else 0.8].
    #[arg(long, value_name = "RATIO", requires = "near", value_parser = similarity_ratio)]
    pub similarity: Option<f64>,

    /// Output format; json is the versioned contract in docs/output.md.
    #[arg(long, value_enum, default_value_t = DupesFormat::Text)]
    pub format: DupesFormat,
}

fn similarity_ratio(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if (0.5..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("{text} is not a ratio from 0.5 to 1")),
    }
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
    let near = args.near.then(|| NearOptions {
        min_tokens: options.min_tokens,
        similarity: args
            .similarity
            .or(config.near_similarity)
            .unwrap_or(DEFAULT_SIMILARITY),
    });
    let found = find(&analysis, options, near);
    let searched = clock.elapsed();

    let classes: Vec<CloneClass> = found
        .classes
        .iter()
        .filter(|c| !args.cross_module || spans_modules(&analysis, c))
        .take(args.top.unwrap_or(usize::MAX))
        .cloned()
        .collect();
    let near_classes: Vec<NearClass> = found
        .near
        .iter()
        .flat_map(|n| &n.classes)
        .filter(|c| !args.cross_module || near_spans_modules(&analysis, c))
        .take(args.top.unwrap_or(usize::MAX))
        .cloned()
        .collect();
    args.common.print_stats(&analysis);
    if args.common.stats {
        eprintln!("{:>10} {:>9.1} ms", "clones", searched.as_secs_f64() * 1e3);
        if let Some(near) = &found.near {
            eprintln!(
                "{:>10} {:>9.1} ms",
                "near",
                near.searched.as_secs_f64() * 1e3
            );
        }
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
    let mut view = found.view(&analysis, &classes, filter, fragments);
    view.near = found
        .near
        .as_ref()
        .map(|n| n.view(&analysis, &near_classes));
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
    pub files: Vec<FileDuplication>,
    /// Near-miss clones, when asked for.
    pub near: Option<NearFound>,
}

/// Near-miss classes of one run and the lines their members cover.
pub struct NearFound {
    pub options: NearOptions,
    pub classes: Vec<NearClass>,
    pub files: Vec<FileDuplication>,
    pub searched: std::time::Duration,
}

pub fn find(analysis: &Analysis, options: DupeOptions, near: Option<NearOptions>) -> Found<'_> {
    let input = CloneInput::of(analysis);
    let classes = find_clones(&input.streams, &input.paths, options);
    let files = duplication(&input.streams, &classes);
    let near = near.map(|options| {
        let clock = std::time::Instant::now();
        let classes = find_near(&input.streams, &input.paths, options);
        let files = lines_covered(
            &input.streams,
            classes
                .iter()
                .flat_map(|c| c.members.iter().map(|m| &m.unit)),
        );
        NearFound {
            options,
            classes,
            files,
            searched: clock.elapsed(),
        }
    });
    Found {
        input,
        options,
        classes,
        files,
        near,
    }
}

/// Whether a near-miss class has members in two modules or more.
pub fn near_spans_modules(analysis: &Analysis, class: &NearClass) -> bool {
    in_modules(analysis, class.members.iter().map(|m| m.unit.file))
}

/// Whether files lie in two modules or more.
fn in_modules(analysis: &Analysis, mut files: impl Iterator<Item = usize>) -> bool {
    let module_of = |f: usize| analysis.modules.of_file[f];
    let first = files.next().map(module_of);
    files.any(|f| Some(module_of(f)) != first)
}

impl NearFound {
    pub fn view<'a>(&'a self, analysis: &Analysis, classes: &'a [NearClass]) -> NearView<'a> {
        NearView {
            options: self.options,
            classes,
            found: ClassCounts::of(&self.classes, |c| near_spans_modules(analysis, c)),
            files: &self.files,
        }
    }
}

/// Whether a class has copies in two modules or more.
pub fn spans_modules(analysis: &Analysis, class: &CloneClass) -> bool {
    in_modules(analysis, class.members.iter().map(|m| m.file))
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
            found: ClassCounts::of(&self.classes, |c| spans_modules(analysis, c)),
            filter,
            files: &self.files,
            generated: self.input.generated.clone(),
            excluded: self.input.excluded.clone(),
            unclosed,
            fragments,
            near: None,
        }
    }
}
