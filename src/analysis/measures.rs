//! The analyses of one run, each computed once, when first asked for, so
//! that findings, reports and long-lived servers share them instead of
//! walking the graph again.

use std::cell::OnceCell;

use super::coupling::Coupling;
use super::cycles::{Component, CycleOptions, find_cycles};
use super::duplicates::{
    CloneClass, CloneInput, DupeOptions, FileDuplication, LineShare, duplication, find_clones,
    module_shares, total_share,
};
use crate::pipeline::Analysis;

/// Clone classes and the duplicated lines they make.
pub struct Clones<'a> {
    pub input: CloneInput<'a>,
    pub options: DupeOptions,
    /// Longest first.
    pub classes: Vec<CloneClass>,
    /// By `FileId`.
    pub files: Vec<FileDuplication>,
}

impl Clones<'_> {
    pub fn total(&self) -> LineShare {
        total_share(&self.files)
    }

    /// By `ModuleId`.
    pub fn by_module(&self, analysis: &Analysis) -> Vec<LineShare> {
        module_shares(&self.files, &analysis.modules)
    }

    /// The lines of each member of a class, as (file, first, last).
    pub fn places(&self, class: &CloneClass) -> Vec<(usize, u32, u32)> {
        class
            .members
            .iter()
            .map(|m| {
                let stream = self.input.streams[m.file].expect("clone members have tokens");
                let (first, last) = m.lines(stream);
                (m.file, first, last)
            })
            .collect()
    }

    /// The longest member of a class, in lines.
    pub fn lines(&self, class: &CloneClass) -> u32 {
        self.places(class)
            .iter()
            .map(|(_, first, last)| last - first + 1)
            .max()
            .unwrap_or(0)
    }
}

pub struct Measures<'a> {
    pub analysis: &'a Analysis,
    module_cycles: OnceCell<Vec<Component>>,
    file_cycles: OnceCell<Vec<Component>>,
    coupling: OnceCell<Coupling>,
    clones: OnceCell<Clones<'a>>,
    near: OnceCell<Near>,
    clone_options: DupeOptions,
}

/// Near-miss clones of the files read with tokens, with `[dupes]
/// near_similarity` (else 0.8) and the clone size.
pub struct Near {
    pub options: crate::analysis::near::NearOptions,
    pub classes: Vec<crate::analysis::near::NearClass>,
    /// By `FileId`: code lines and those inside a member.
    pub files: Vec<FileDuplication>,
}

impl<'a> Measures<'a> {
    /// Clone detection with `[dupes] min_tokens` (else 50), renamed mode.
    pub fn new(analysis: &'a Analysis) -> Self {
        let clone_options = DupeOptions {
            min_tokens: analysis.config.dupes.min_tokens.unwrap_or(50),
            ..DupeOptions::default()
        };
        Measures::with_clone_options(analysis, clone_options)
    }

    pub fn with_clone_options(analysis: &'a Analysis, clone_options: DupeOptions) -> Self {
        Measures {
            analysis,
            module_cycles: OnceCell::new(),
            file_cycles: OnceCell::new(),
            coupling: OnceCell::new(),
            clones: OnceCell::new(),
            near: OnceCell::new(),
            clone_options,
        }
    }

    /// Cyclic components of the module graph (every import but type-only
    /// ones counts; type-only components are reported apart).
    pub fn module_cycles(&self) -> &[Component] {
        self.module_cycles
            .get_or_init(|| find_cycles(&self.analysis.module_graph.graph, CycleOptions::default()))
    }

    /// Cyclic components of the file graph, as `module_cycles`.
    pub fn file_cycles(&self) -> &[Component] {
        self.file_cycles
            .get_or_init(|| find_cycles(&self.analysis.file_graph, CycleOptions::default()))
    }

    pub fn coupling(&self) -> &Coupling {
        self.coupling.get_or_init(|| {
            let analysis = self.analysis;
            analysis.coupling()
        })
    }

    /// Near-miss clones (`check.max_near_duplication`).
    pub fn near(&self) -> &Near {
        self.near.get_or_init(|| {
            let input = CloneInput::of(self.analysis);
            let options = crate::analysis::near::NearOptions {
                min_tokens: self.clone_options.min_tokens,
                similarity: self
                    .analysis
                    .config
                    .dupes
                    .near_similarity
                    .unwrap_or(crate::analysis::near::DEFAULT_SIMILARITY),
            };
            let classes = crate::analysis::near::find_near(&input.streams, &input.paths, options);
            let files = crate::analysis::duplicates::lines_covered(
                &input.streams,
                classes
                    .iter()
                    .flat_map(|c| c.members.iter().map(|m| &m.unit)),
            );
            Near {
                options,
                classes,
                files,
            }
        })
    }

    /// Clones of the files read with tokens (none without them).
    pub fn clones(&self) -> &Clones<'a> {
        self.clones.get_or_init(|| {
            let input = CloneInput::of(self.analysis);
            let classes = find_clones(&input.streams, &input.paths, self.clone_options);
            let files = duplication(&input.streams, &classes);
            Clones {
                input,
                options: self.clone_options,
                classes,
                files,
            }
        })
    }
}
