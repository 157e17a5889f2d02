//! `vantage report`: one document about the whole system, for architects
//! (HTML, self-contained) or a pull request (Markdown).

use clap::{Args, ValueEnum};

use super::{CommonArgs, EXIT_OK};
use crate::Error;
use crate::analysis::debt::{HotSpot, hot_spots};
use crate::analysis::decoupling::{self, PairAdvice};
use crate::analysis::measures::Measures;
use crate::analysis::rules::RuleSet;
use crate::lang::Extraction;
use crate::pipeline::{Analysis, analyze};
use crate::report::html::{CLONES_WITH_CODE, FRAGMENT_LINES, NEAR_WITH_CODE, NearSide, ReportView};
use crate::report::{self, CheckView, Comparison};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained page: graph, matrix, coupling, cycles, clones,
    /// impact explorer, debt, decoupling.
    Html,
    /// A summary fit for a pull-request comment or a wiki.
    Markdown,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format (write HTML to a file with -o report.html).
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,

    /// Commits of git history read for churn (0: none).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub churn_commits: usize,
}

pub fn run(args: &ReportArgs) -> Result<i32, Error> {
    let root = &args.common.path;
    let analysis = analyze(root, &args.common.options(Extraction::SymbolsWithTokens))?;
    args.common.print_stats(&analysis);
    let measures = Measures::new(&analysis);

    // The check, when vantage.toml has rules.
    let rule_set = RuleSet::check(&analysis.config);
    let checked = !rule_set.rules(&analysis.config).is_empty();
    if checked {
        args.common.check_rules(&analysis)?;
    }
    let gate = checked.then(|| super::check::gate(&analysis, &rule_set, None));
    let check = gate.as_ref().map(|gate| CheckView {
        analysis: &analysis,
        findings: &gate.findings,
        statuses: &gate.statuses,
        measured: &gate.measured,
        gone: &[],
        comparison: Comparison::default(),
        root_label: root.display().to_string(),
    });

    // What only the page shows.
    let page = match args.format {
        ReportFormat::Html => Page::of(&analysis, &measures, args.churn_commits),
        ReportFormat::Markdown => Page::default(),
    };
    let view = ReportView {
        analysis: &analysis,
        measures: &measures,
        hot_spots: &page.spots,
        advice: &page.advice,
        check: check.as_ref(),
        fragments: &page.fragments,
        near_sides: &page.near_sides,
        churn: page.churn,
        label: crate::project::display_name(root),
    };
    args.common.write_output(|out| match args.format {
        ReportFormat::Html => report::html::write_html(out, &view),
        ReportFormat::Markdown => report::markdown::write_markdown(out, &view),
    })?;
    Ok(EXIT_OK)
}

/// The HTML page's own sections: hot spots (with churn), decoupling
/// advice, the code of the largest clones.
#[derive(Default)]
struct Page {
    spots: Vec<HotSpot>,
    advice: Vec<PairAdvice>,
    fragments: Vec<Vec<String>>,
    near_sides: Vec<[NearSide; 2]>,
    churn: bool,
}

impl Page {
    fn of(analysis: &Analysis, measures: &Measures, churn_commits: usize) -> Page {
        let root = analysis.project.root();
        let project = &analysis.project;
        let sources = super::source_reader(project);
        let churn = (churn_commits > 0)
            .then(|| crate::changes::churn(root, churn_commits))
            .flatten()
            .map(|counts| {
                project
                    .files()
                    .iter()
                    .map(|f| counts.get(&f.path).copied().unwrap_or(0))
                    .collect::<Vec<usize>>()
            });
        let clones = measures.clones();
        let spots = hot_spots(
            analysis,
            measures.file_cycles(),
            Some(&clones.files),
            churn.as_deref(),
        );
        let advice = decoupling::suggest(analysis, measures.coupling());

        // The code of the first two copies of the largest classes.
        let fragments = clones
            .classes
            .iter()
            .take(CLONES_WITH_CODE)
            .map(|class| {
                clones
                    .places(class)
                    .iter()
                    .take(2)
                    .map(|&(file, first, last)| {
                        let text = sources(file).unwrap_or_default();
                        let mut fragment = shown_lines(&text, first, last).join("\n");
                        if (last - first + 1) as usize > FRAGMENT_LINES {
                            fragment.push_str(&format!("\n… ({} lines in all)", last - first + 1));
                        }
                        fragment
                    })
                    .collect()
            })
            .collect();
        // The first member of the largest near-miss classes beside the
        // second, each with the lines that differ from the other.
        let near_sides = measures
            .near()
            .classes
            .iter()
            .take(NEAR_WITH_CODE)
            .map(|class| {
                let (first, second) = (&class.members[0], &class.members[1]);
                [(first, &second.first_differs), (second, &second.differs)].map(
                    |(member, differs)| {
                        let (from, to) = analysis.lines_of(&member.unit);
                        let text = sources(member.unit.file).unwrap_or_default();
                        NearSide {
                            first_line: from,
                            lines: shown_lines(&text, from, to)
                                .into_iter()
                                .map(str::to_string)
                                .collect(),
                            differs: differs.clone(),
                            total: to - from + 1,
                        }
                    },
                )
            })
            .collect();
        Page {
            spots,
            advice,
            fragments,
            near_sides,
            churn: churn.is_some(),
        }
    }
}

/// Lines `first` to `last` (1-based) of a text, at most `FRAGMENT_LINES`:
/// what the page shows of a copy.
fn shown_lines(text: &str, first: u32, last: u32) -> Vec<&str> {
    text.lines()
        .skip(first as usize - 1)
        .take(((last - first + 1) as usize).min(FRAGMENT_LINES))
        .collect()
}
