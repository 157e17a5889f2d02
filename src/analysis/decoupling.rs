//! Decoupling: how two tightly coupled modules are coupled, and how to
//! cut them apart.
//!
//! ## What it finds
//! For each of the most coupled module pairs (import sites both ways): the
//! interface the pair really has — the names each side uses of the other,
//! with the file offering them, how many import sites name them and from
//! how many files — and, when the two depend on each other, the extraction
//! candidates: files whose move to the other module would remove the most
//! cross-module import sites (sites
//! between the file and the other module become internal; sites between
//! the file and its own module become crossings), best net gain first.
//!
//! ## Why it matters
//! "Decouple A from B" starts from what A actually uses of B: a short list
//! of names is an interface to extract; a file that talks mostly to the
//! other module is in the wrong place.
//!
//! ## Example
//! `orders` imports `payments.charge` at 6 sites from 2 files, naming
//! `charge` and `Refund`; `payments/hooks.py` imports `orders` at 4 sites
//! and nothing in `payments` imports it: moving it to `orders` removes 4
//! crossings and adds none (net 4).
//!
//! ## Limits
//! Names are read from import statements (`from x import a`, `import {a}`,
//! `use a\B`, `use crate::a::B`); an import of a whole module counts under
//! the module's name. A move is judged one file at a time, on import
//! sites, not on what the code does.

use std::collections::{BTreeMap, BTreeSet};

use super::coupling::Coupling;
use crate::pipeline::Analysis;
use crate::project::FileId;

/// Pairs advised on at most (the most coupled first).
pub const PAIRS: usize = 10;

/// A name one module uses of another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsedName {
    /// The module using it.
    pub user: usize,
    /// The file offering it.
    pub file: FileId,
    pub name: String,
    pub sites: usize,
    /// Files of `user` naming it.
    pub importers: Vec<FileId>,
}

/// A file and what moving it to the other module would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub file: FileId,
    pub to: usize,
    /// Crossing import sites that would become internal.
    pub removed: usize,
    /// Internal import sites that would become crossings.
    pub added: usize,
}

impl Move {
    pub fn net(&self) -> isize {
        self.removed as isize - self.added as isize
    }
}

#[derive(Clone, Debug)]
pub struct PairAdvice {
    /// `a < b`.
    pub a: usize,
    pub b: usize,
    pub a_to_b: usize,
    pub b_to_a: usize,
    /// Both depend on each other.
    pub cyclic: bool,
    /// Most sites first.
    pub interface: Vec<UsedName>,
    /// Best net gain first; only moves that remove more than they add, and
    /// only between modules that depend on each other.
    pub moves: Vec<Move>,
}

/// Advice for the most coupled pairs of `coupling`.
pub fn suggest(analysis: &Analysis, coupling: &Coupling) -> Vec<PairAdvice> {
    let module_of = &analysis.modules.of_file;
    coupling
        .pairs
        .iter()
        .take(PAIRS)
        .map(|pair| {
            let (a, b) = (pair.a, pair.b);
            let mut names: BTreeMap<(usize, FileId, String), (usize, BTreeSet<FileId>)> =
                BTreeMap::new();
            // Sites between each file and each of the two modules.
            let mut toward: BTreeMap<FileId, [usize; 2]> = BTreeMap::new();
            for (from, to, dependency) in analysis.file_graph.edges() {
                let (mf, mt) = (module_of[from], module_of[to]);
                let index = |m: usize| usize::from(m == b);
                if !(mf == a || mf == b) || !(mt == a || mt == b) || from == to {
                    continue;
                }
                let sites = dependency.sites.len();
                toward.entry(from).or_default()[index(mt)] += sites;
                toward.entry(to).or_default()[index(mf)] += sites;
                if mf == mt {
                    continue;
                }
                for site in &dependency.sites {
                    let import = &analysis.facts[from].imports[site.import];
                    let mut used: Vec<String> =
                        import.names.iter().filter(|n| *n != "*").cloned().collect();
                    if used.is_empty() {
                        let last = import
                            .specifier
                            .rsplit(['.', '/', '\\', ':'])
                            .find(|s| !s.is_empty())
                            .unwrap_or(&import.specifier);
                        used.push(last.to_string());
                    }
                    for name in used {
                        let entry = names.entry((mf, to, name)).or_default();
                        entry.0 += 1;
                        entry.1.insert(from);
                    }
                }
            }
            let mut interface: Vec<UsedName> = names
                .into_iter()
                .map(|((user, file, name), (sites, importers))| UsedName {
                    user,
                    file,
                    name,
                    sites,
                    importers: importers.into_iter().collect(),
                })
                .collect();
            interface.sort_by(|x, y| {
                y.sites
                    .cmp(&x.sites)
                    .then((x.user, x.file, &x.name).cmp(&(y.user, y.file, &y.name)))
            });
            let cyclic = pair.a_to_b > 0 && pair.b_to_a > 0;
            // One way only, the dependency is a direction, not a tangle:
            // moving files would only blur it.
            let mut moves: Vec<Move> = toward
                .into_iter()
                .map(|(file, [with_a, with_b])| {
                    let (own, other, to) = if module_of[file] == a {
                        (with_a, with_b, b)
                    } else {
                        (with_b, with_a, a)
                    };
                    Move {
                        file,
                        to,
                        removed: other,
                        added: own,
                    }
                })
                .filter(|m| cyclic && m.net() > 0)
                .collect();
            moves.sort_by(|x, y| y.net().cmp(&x.net()).then(x.file.cmp(&y.file)));
            PairAdvice {
                a,
                b,
                a_to_b: pair.a_to_b,
                b_to_a: pair.b_to_a,
                cyclic,
                interface,
                moves,
            }
        })
        .collect()
}
