//! Near-miss clones: functions copied and then edited.
//!
//! **What it finds.** Pairs of units (functions, methods, closures) of at
//! least `min_tokens` tokens whose normalised token sequences are alike:
//! similarity `2·M / (|A| + |B|)` of at least `similarity` (default 0.8),
//! where `M` counts the tokens of a longest common subsequence, less each
//! aligned name or literal that breaks a one-to-one renaming. A copy with a
//! statement added, removed, changed or moved, with names renamed or
//! literals changed, is one (type-3 clones); the exact copies `dupes`
//! reports are left to it. Pairs are grouped into classes around a first
//! member, each other member with its similarity to the first and the
//! lines that differ on both sides.
//!
//! **Why it matters.** Business logic is copied and then adapted: a
//! validation with one more rule, an error handler with another message.
//! Token-for-token clone detection misses exactly those copies, which are
//! the ones most likely to have drifted apart by mistake.
//!
//! **How.** Each unit's tokens are normalised as in `blind` mode (names and
//! literals alike, keywords and punctuation as written). Candidates come
//! from SourcererCC's filters over bags of token trigrams, never from all
//! pairs: each trigram's `k`-th occurrence is an element of its own (bags
//! are sets), elements are ordered rarest first across the run, and two
//! units are compared only when their sizes allow the similarity
//! (`|B| >= θ|A| / (2 - θ)`) and the prefixes of their bags share an
//! element (PPJoin's prefix and positional filters; the prefix of a bag is
//! as long as a pair with it needs for an overlap of `θ - 0.1`). The
//! trigram overlap is no strict bound of the common subsequence: a
//! subsequence in `r` runs shares all but `2r` of its trigrams, and the
//! slack of 0.1 is what edits scattered one token at a time may cost. A
//! candidate is then verified by a sketch of its bags (counts per hash
//! bucket), by the exact overlap of its bags, by the length of a longest
//! common subsequence (Hyyrö's bit-parallel recurrence, which does not
//! slow down with the distance), by a bound of the names it may keep (see
//! below), and, when near, by Myers' diff: the
//! aligned names and literals are paired, pairs are accepted most frequent
//! first while neither side is mapped yet (a one-to-one renaming), and the
//! aligned tokens of pairs left over count as differences. At least half
//! of the aligned names and literals must be written alike: code of the
//! same shape with other names throughout (constructors storing their
//! arguments, getters, class maps) is not a copy.
//!
//! **Classes.** Units are taken by number of near copies (then size, then
//! place). A pair is covered once both its units are members of one class;
//! a unit with near copies it does not yet share a class with becomes the
//! first member of a class holding them, so that every near pair is in a
//! class, and a unit may be in several. A class whose other members are
//! all copies of the first under renaming is left out: `dupes` reports it.
//!
//! **Example.** `def total(o): s = 0; for i in o.items: s += i.price;
//! return s` and the same with `if i.active:` before the addition.
//!
//! **Limits.** Only whole units are compared: a block copied out of one
//! function into another is found when it is a clone token for token, not
//! when it was edited. A unit whose only child unit covers nearly all of it
//! (a function returning one closure) is compared through the outer one.
//! Units holding an ignored region take no part. The similarity is that of
//! a common subsequence: two statements swapped cost the shorter of them,
//! and deleting three statements of eight is no near copy. A copy renamed
//! throughout and edited is found only when half of its names survive.
//! Two members of a class are near the first, not always near each other.

use std::collections::{BTreeSet, HashMap};

use foldhash::fast::FixedState;
use rayon::prelude::*;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use xxhash_rust::xxh3::xxh3_64;

use super::duplicates::{Fragment, blind, number_repeats};
use crate::lang::tokens::{IGNORED, Token, TokenClass, TokenStream};

type FastMap<K, V> = HashMap<K, V, FixedState>;

/// Default least similarity of a near-miss pair.
pub const DEFAULT_SIMILARITY: f64 = 0.8;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NearOptions {
    /// Least tokens of a unit.
    pub min_tokens: usize,
    /// Least similarity, in `(0, 1]`.
    pub similarity: f64,
}

impl Default for NearOptions {
    fn default() -> Self {
        NearOptions {
            min_tokens: 50,
            similarity: DEFAULT_SIMILARITY,
        }
    }
}

/// One unit of a near-miss class.
#[derive(Clone, Debug, PartialEq)]
pub struct NearMember {
    pub unit: Fragment,
    /// To the class's first member (1 for the first member itself).
    pub similarity: f64,
    /// Lines of this unit that differ from the first member (none for the
    /// first member itself), 1-based, in order.
    pub differs: Vec<u32>,
    /// Lines of the first member that differ from this unit.
    pub first_differs: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NearClass {
    /// The first member (similarity 1), then the others by place.
    pub members: Vec<NearMember>,
    /// Stable across runs and moves within files: the first member's
    /// normalised tokens and the member files.
    pub fingerprint: String,
}

impl NearClass {
    /// Least similarity of a member to the first.
    pub fn similarity(&self) -> f64 {
        self.members[1..]
            .iter()
            .map(|m| m.similarity)
            .fold(1.0, f64::min)
    }

    /// Tokens of all members.
    pub fn tokens(&self) -> usize {
        self.members.iter().map(|m| m.unit.len).sum()
    }
}

struct Unit<'a> {
    fragment: Fragment,
    tokens: &'a [Token],
    values: Vec<u64>,
    /// Its names and literals as written, receivers aside, sorted: what
    /// the names-kept rule counts.
    names: Vec<u64>,
    receivers: usize,
}

/// The units compared: long enough, without an ignored region, and not
/// nearly all of an enclosing unit.
fn units<'a>(streams: &[Option<&'a TokenStream>], options: NearOptions) -> Vec<Unit<'a>> {
    let inner_share = options.similarity / (2.0 - options.similarity);
    streams
        .par_iter()
        .enumerate()
        .map(|(file, stream)| {
            let Some(stream) = stream else {
                return Vec::new();
            };
            let mut kept: Vec<Unit> = Vec::new();
            // Kept units enclosing the current one, innermost last.
            let mut open: Vec<(u32, u32)> = Vec::new();
            for &(start, end) in &stream.units {
                let (s, e) = (start as usize, end as usize);
                if e > stream.tokens.len() || e - s < options.min_tokens {
                    continue;
                }
                let tokens = &stream.tokens[s..e];
                if tokens
                    .iter()
                    .any(|t| t.class == TokenClass::Barrier && t.text == IGNORED)
                {
                    continue;
                }
                while open.last().is_some_and(|&(_, oe)| oe <= start) {
                    open.pop();
                }
                if let Some(&(os, oe)) = open.last()
                    && (end - start) as f64 >= inner_share * (oe - os) as f64
                {
                    continue;
                }
                open.push((start, end));
                kept.push(Unit {
                    fragment: Fragment {
                        file,
                        start: s,
                        len: e - s,
                    },
                    tokens,
                    values: tokens.iter().map(blind).collect(),
                    names: {
                        let mut names: Vec<u64> = tokens
                            .iter()
                            .filter(|t| t.class != TokenClass::Plain && !receiver(t.text))
                            .map(|t| t.text)
                            .collect();
                        names.sort_unstable();
                        names
                    },
                    receivers: tokens
                        .iter()
                        .filter(|t| t.class != TokenClass::Plain && receiver(t.text))
                        .count(),
                });
            }
            kept
        })
        .flatten()
        .collect()
}

/// Tokens per gram of the bags that choose candidates: longer grams are
/// rarer (fewer candidates), and each change breaks more of them.
const GRAM: usize = 3;

/// How much lower than the similarity the overlap of grams may be: a
/// common subsequence in `r` runs shares all but `(GRAM - 1)·r` of its
/// grams, so scattered one-token changes (`&` to `&mut` in three places)
/// cost more grams than tokens.
const SLACK: f64 = 0.1;

/// Buckets of a bag's sketch.
const SKETCH: usize = 64;

/// A bag's grams counted per bucket of their hash: two bags share at most
/// the sum over buckets of the lesser count, a bound read in `SKETCH`
/// steps before the bags are merged.
/// A sketch is 64 bytes, read for every candidate. Counts saturate: a
/// bucket two bags both fill past `u8::MAX` (a long list of one repeated
/// gram, a unit of some ten thousand tokens) bounds nothing.
type Sketch = [u8; SKETCH];

fn sketch_bound(a: &Sketch, b: &Sketch) -> usize {
    // Branch-free, so that it runs as vector instructions: the bound is
    // read for every candidate.
    let sum: u32 = a.iter().zip(b).map(|(x, y)| u32::from(*x.min(y))).sum();
    // A bucket both filled past the counts adds u8::MAX: look only then.
    if sum >= u32::from(u8::MAX) && a.iter().zip(b).any(|(x, y)| *x == u8::MAX && *y == u8::MAX) {
        return usize::MAX;
    }
    sum as usize
}

/// Each unit's bag as elements (q-gram, occurrence) hashed to one number,
/// and its sketch.
fn bag(values: &[u64]) -> (Vec<u64>, Sketch) {
    let mut seen: FastMap<u64, u64> = FastMap::default();
    let mut sketch = [0u8; SKETCH];
    let elements = values
        .windows(GRAM)
        .map(|w| {
            let mut gram = [0u8; 8 * GRAM];
            for (bytes, v) in gram.chunks_exact_mut(8).zip(w) {
                bytes.copy_from_slice(&v.to_le_bytes());
            }
            let g = xxh3_64(&gram);
            let bucket = &mut sketch[(g >> 58) as usize];
            *bucket = bucket.saturating_add(1);
            let n = seen.entry(g).or_insert(0);
            *n += 1;
            let mut element = [0u8; 16];
            element[..8].copy_from_slice(&g.to_le_bytes());
            element[8..].copy_from_slice(&n.to_le_bytes());
            xxh3_64(&element)
        })
        .collect();
    (elements, sketch)
}

/// Aligned tokens of two units, and the names and literals whose renaming
/// is not one-to-one, as (index in a, index in b) pairs.
struct Alignment {
    ops: Vec<DiffOp>,
    matched: usize,
    broken: Vec<(usize, usize)>,
    /// Names and literals aligned, and those of them written the same on
    /// both sides.
    names: usize,
    same_names: usize,
}

/// Least share of aligned names and literals written alike (receivers
/// aside): code written to the same shape with other names throughout
/// (constructors storing their arguments, one getter after another, class
/// maps) is not a copy of one another. A copy renamed throughout is a
/// clone `dupes` finds.
const NAMES_KEPT: f64 = 0.5;

/// Set in a name's value when names are aligned as written: a name and a
/// keyword or a word of a long string written alike (`order`, `type`)
/// are different tokens, so that every aligned pair is of one class (what
/// `names_may_be_kept` rests on).
const NAMED: u64 = 0x5851_F42D_4C95_7F2D;

/// The better of two alignments: of the blind tokens, and of the tokens
/// with names as written. Blind sequences have many longest common
/// subsequences where statements repeat or move, and Myers' diff may take
/// one pairing a name with another statement's; aligning names as written
/// keeps a copy's statements together, while a renamed copy aligns blind.
fn align(a: &Unit, b: &Unit) -> Alignment {
    let blind = pair_names(
        a,
        b,
        capture_diff_slices(Algorithm::Myers, &a.values, &b.values),
    );
    if blind.broken.is_empty() {
        return blind; // a longest common subsequence, renamed one to one
    }
    let named = |u: &Unit| -> Vec<u64> {
        u.tokens
            .iter()
            .zip(&u.values)
            .map(|(t, &v)| {
                if t.class == TokenClass::Identifier {
                    t.text ^ NAMED
                } else {
                    v
                }
            })
            .collect()
    };
    let ops = capture_diff_slices(Algorithm::Myers, &named(a), &named(b));
    let named = pair_names(a, b, ops);
    if named.matched > blind.matched {
        named
    } else {
        blind
    }
}

/// Names every method writes (Python's `self` and `cls`, PHP's `$this`):
/// kept by any two methods, they say nothing of a copy.
fn receiver(text: u64) -> bool {
    static RECEIVERS: std::sync::OnceLock<[u64; 3]> = std::sync::OnceLock::new();
    RECEIVERS
        .get_or_init(|| [xxh3_64(b"self"), xxh3_64(b"cls"), xxh3_64(b"this")])
        .contains(&text)
}

/// The renaming of an alignment's names and literals.
fn pair_names(a: &Unit, b: &Unit, ops: Vec<DiffOp>) -> Alignment {
    let mut matched = 0;
    let mut counts: FastMap<(u64, u64), usize> = FastMap::default();
    let mut renamed = Vec::new();
    let (mut names, mut same_names) = (0, 0);
    for op in &ops {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        {
            matched += len;
            for i in 0..len {
                let (x, y) = (&a.tokens[old_index + i], &b.tokens[new_index + i]);
                if x.class != TokenClass::Plain && !receiver(x.text) {
                    names += 1;
                    same_names += usize::from(x.text == y.text);
                }
                if x.class != TokenClass::Plain {
                    *counts.entry((x.text, y.text)).or_insert(0) += 1;
                    renamed.push((old_index + i, new_index + i));
                }
            }
        }
    }
    // One-to-one, most frequent pairs first (then by value: deterministic).
    let mut pairs: Vec<((u64, u64), usize)> = counts.into_iter().collect();
    pairs.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let (mut from, mut to): (FastMap<u64, u64>, FastMap<u64, u64>) = Default::default();
    for ((x, y), _) in pairs {
        if !from.contains_key(&x) && !to.contains_key(&y) {
            from.insert(x, y);
            to.insert(y, x);
        }
    }
    let broken: Vec<(usize, usize)> = renamed
        .into_iter()
        .filter(|&(i, j)| from.get(&a.tokens[i].text) != Some(&b.tokens[j].text))
        .collect();
    Alignment {
        ops,
        matched: matched - broken.len(),
        broken,
        names,
        same_names,
    }
}

/// A sequence's bit masks for bit-parallel LCS: per value, the positions
/// holding it.
struct Masks {
    words: usize,
    len: usize,
    of: FastMap<u64, usize>,
    bits: Vec<u64>,
}

impl Masks {
    fn new(values: &[u64]) -> Masks {
        let words = values.len().div_ceil(64);
        let mut of: FastMap<u64, usize> = FastMap::default();
        let mut bits: Vec<u64> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let at = *of.entry(*v).or_insert_with(|| {
                bits.resize(bits.len() + words, 0);
                bits.len() - words
            });
            bits[at + i / 64] |= 1 << (i % 64);
        }
        Masks {
            words,
            len: values.len(),
            of,
            bits,
        }
    }

    /// The length of a longest common subsequence with `other`, by
    /// Hyyrö's bit-vector recurrence: `O(|other| · |self| / 64)`, whatever
    /// the pair's distance (Myers' diff, which slows with the distance,
    /// is kept for the pairs that are near).
    fn lcs(&self, other: &[u64], v: &mut Vec<u64>) -> usize {
        v.clear();
        v.resize(self.words, !0);
        for b in other {
            let Some(&at) = self.of.get(b) else {
                continue; // no match: the row is unchanged
            };
            let mask = &self.bits[at..at + self.words];
            let mut carry = 0u64;
            for (w, &m) in v.iter_mut().zip(mask) {
                let u = *w & m;
                let (sum, c1) = w.overflowing_add(u);
                let (sum, c2) = sum.overflowing_add(carry);
                carry = (c1 | c2) as u64;
                *w = sum | (*w & !m);
            }
        }
        // Zeros among the first `len` bits.
        let mut zeros = 0;
        for (i, w) in v.iter().enumerate() {
            let valid = if (i + 1) * 64 <= self.len {
                !0u64
            } else {
                (1u64 << (self.len % 64)) - 1
            };
            zeros += (!w & valid).count_ones() as usize;
        }
        zeros
    }
}

fn similarity(matched: usize, a: usize, b: usize) -> f64 {
    2.0 * matched as f64 / (a + b) as f64
}

/// Every near pair (a, b, similarity, exact) with a < b.
/// A near pair: `old` and `new` are the sides of its alignment.
struct NearPair {
    old: usize,
    new: usize,
    similarity: f64,
    /// A copy under a one-to-one renaming.
    exact: bool,
    alignment: Alignment,
}

fn pairs(units: &[Unit], options: NearOptions) -> Vec<NearPair> {
    let theta = options.similarity;
    let filter = (theta - SLACK).max(0.05);
    let (bags, sketches): (Vec<Vec<u64>>, Vec<Sketch>) =
        units.par_iter().map(|u| bag(&u.values)).unzip();
    // How many units hold each element: rarest first orders the bags.
    let mut frequency: FastMap<u64, u32> = FastMap::default();
    for b in &bags {
        for &e in b {
            *frequency.entry(e).or_insert(0) += 1;
        }
    }
    let ordered: Vec<Vec<(u32, u64)>> = bags
        .into_par_iter()
        .map(|b| {
            let mut b: Vec<(u32, u64)> = b.into_iter().map(|e| (frequency[&e], e)).collect();
            b.sort_unstable();
            b
        })
        .collect();
    drop(frequency);
    // Units by size: a posting list is in this order, so the units too
    // small to be near copies are skipped by a binary search.
    let mut by_size: Vec<usize> = (0..units.len()).collect();
    by_size.sort_by_key(|&u| (units[u].values.len(), u));
    let mut rank = vec![0usize; units.len()];
    for (r, &u) in by_size.iter().enumerate() {
        rank[u] = r;
    }
    // PPJoin's prefixes: probing with a unit, every unit indexed before it
    // is no bigger, so the pair needs an overlap of `f·m` at least for the
    // smaller side (`m` its grams) and of `f·m / (2 - f)` for the bigger.
    let grams_needed = |ma: usize, mb: usize| filter * (ma + mb) as f64 / 2.0 - 1e-9;
    let index_prefix = |u: usize| {
        let m = ordered[u].len();
        m - ((filter * m as f64 - 1e-9).ceil().max(1.0) as usize).min(m) + 1
    };
    let smallest = |n: usize| (theta * n as f64 / (2.0 - theta) - 1e-9).ceil() as usize;
    let probe_prefix = |u: usize| {
        let m = ordered[u].len();
        let partner = smallest(units[u].values.len()).saturating_sub(GRAM - 1);
        let least = (grams_needed(m, partner).ceil().max(1.0) as usize).min(m);
        m - least + 1
    };
    // Entries are (rank, elements of the bag after this one, elements of
    // the bag): ranks follow sizes, so a list is in order of size, and a
    // probe reads only the entries of the units ranked below it that are
    // big enough. The entry holds what the positional filter reads: it
    // runs some fifty million times on a large repository.
    let mut postings: FastMap<u64, Vec<(u32, u32, u32)>> = FastMap::default();
    for (r, &u) in by_size.iter().enumerate() {
        let m = ordered[u].len() as u32;
        for (j, &(_, e)) in ordered[u][..index_prefix(u)].iter().enumerate() {
            postings
                .entry(e)
                .or_default()
                .push((r as u32, m - j as u32 - 1, m));
        }
    }
    let sizes: Vec<usize> = by_size.iter().map(|&u| units[u].values.len()).collect();
    let mut found: Vec<NearPair> = (0..units.len())
        .into_par_iter()
        .map_init(
            || (vec![0u32; units.len()], Vec::new(), Vec::new()),
            |(shared, touched, row), a| {
                let ma = ordered[a].len();
                let own = rank[a] as u32;
                // The first rank big enough: sizes ascend with ranks.
                let least = sizes.partition_point(|&s| s < smallest(units[a].values.len())) as u32;
                // Shared prefix elements per candidate (`shared`, by rank, with
                // the ranks `touched`); `u32::MAX` once the positions show the
                // overlap cannot be reached.
                for (i, &(_, e)) in ordered[a][..probe_prefix(a)].iter().enumerate() {
                    let Some(list) = postings.get(&e) else {
                        continue;
                    };
                    let from = list.partition_point(|&(r, _, _)| r < least);
                    for &(r, after, mb) in &list[from..] {
                        if r >= own {
                            break;
                        }
                        let count = &mut shared[r as usize];
                        if *count == u32::MAX {
                            continue;
                        }
                        if *count == 0 {
                            touched.push(r);
                        }
                        let bound = *count as usize + 1 + (ma - i - 1).min(after as usize);
                        if (bound as f64) < grams_needed(ma, mb as usize) {
                            *count = u32::MAX;
                        } else {
                            *count += 1;
                        }
                    }
                }
                let mut candidates: Vec<usize> = Vec::with_capacity(touched.len());
                for r in touched.drain(..) {
                    if shared[r as usize] != u32::MAX {
                        candidates.push(by_size[r as usize]);
                    }
                    shared[r as usize] = 0;
                }
                candidates.sort_unstable();
                let mut masks: Option<Masks> = None;
                candidates
                    .into_iter()
                    .filter_map(|b| {
                        let (ua, ub) = (&units[a], &units[b]);
                        if ua.fragment.overlaps(&ub.fragment) {
                            return None; // one inside the other
                        }
                        let (na, nb) = (ua.values.len(), ub.values.len());
                        let need = theta * (na + nb) as f64 / 2.0 - 1e-9;
                        let grams = grams_needed(ordered[a].len(), ordered[b].len());
                        if (sketch_bound(&sketches[a], &sketches[b]) as f64) < grams {
                            return None;
                        }
                        if !overlap(&ordered[a], &ordered[b], grams) {
                            return None;
                        }
                        let masks = masks.get_or_insert_with(|| Masks::new(&ua.values));
                        if (masks.lcs(&ub.values, row) as f64) < need {
                            return None;
                        }
                        if !names_may_be_kept(ua, ub, need) {
                            return None;
                        }
                        let alignment = align(ua, ub);
                        if (alignment.matched as f64) < need
                            || (alignment.same_names as f64) < NAMES_KEPT * alignment.names as f64
                        {
                            return None;
                        }
                        Some(NearPair {
                            old: a,
                            new: b,
                            similarity: similarity(alignment.matched, na, nb),
                            exact: alignment.matched == na && na == nb,
                            alignment,
                        })
                    })
                    .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect();
    found.sort_by_key(|p| (p.old.min(p.new), p.old.max(p.new)));
    found
}

/// Whether an alignment of `need` tokens or more may keep half its names
/// (`NAMES_KEPT`), read before the alignment: names written alike are at
/// most those both units write, and a unit aligns all its names but those
/// among the tokens it may leave out (every aligned pair is of one class:
/// blind values and `NAMED` keep names apart from the rest). Most pairs
/// of one shape and other names stop here, before two diffs.
fn names_may_be_kept(a: &Unit, b: &Unit, need: f64) -> bool {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.names.len() && j < b.names.len() {
        match a.names[i].cmp(&b.names[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    // The rule counts `a`'s side: a name of `b` may be aligned with one of
    // `a`'s receivers.
    let aligned = |u: &Unit| u.names.len() as f64 - (u.values.len() as f64 - need);
    let least = aligned(a).max(aligned(b) - a.receivers as f64);
    shared as f64 >= NAMES_KEPT * least - 1e-9
}

/// Elements two bags share; both are in the global order.
fn overlap(a: &[(u32, u64)], b: &[(u32, u64)], need: f64) -> bool {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        // Stop as soon as what is left cannot make up the overlap needed.
        if ((n + (a.len() - i).min(b.len() - j)) as f64) < need {
            return false;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n as f64 >= need
}

/// Where a run of tokens only one side has may start instead, sliding it
/// over tokens written alike (deleting `; log(x)` or `log(x);` after a `;`
/// is one edit): the first place between `low` and `high` where it starts
/// a line, else where the diff put it.
fn at_line_start(
    unit: &Unit,
    stream: &TokenStream,
    run: std::ops::Range<usize>,
    low: usize,
    high: usize,
) -> usize {
    let tokens = unit.tokens;
    let same =
        |x: usize, y: usize| tokens[x].text == tokens[y].text && tokens[x].class == tokens[y].class;
    let starts_line = |p: usize| {
        p == 0
            || stream.line(tokens[p].start)
                != stream.line(tokens[p - 1].end.max(tokens[p - 1].start + 1) - 1)
    };
    let len = run.len();
    let mut first = run.start;
    while first > low && same(first - 1, first - 1 + len) {
        first -= 1;
    }
    let mut last = run.start;
    while last + len < high && same(last, last + len) {
        last += 1;
    }
    (first..=last)
        .find(|&p| starts_line(p))
        .unwrap_or(run.start)
}

/// Lines of each side holding a token that differs: inserted, deleted or
/// replaced, a name renamed other than one-to-one, a literal changed.
fn differing_lines(
    a: &Unit,
    b: &Unit,
    alignment: &Alignment,
    streams: &[Option<&TokenStream>],
) -> (Vec<u32>, Vec<u32>) {
    let (mut in_a, mut in_b) = (Vec::new(), Vec::new());
    let ops = &alignment.ops;
    for (k, op) in ops.iter().enumerate() {
        let (old, new) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => {
                for (i, j) in old.zip(new) {
                    let (x, y) = (&a.tokens[i], &b.tokens[j]);
                    if x.class == TokenClass::Literal && x.text != y.text {
                        in_a.push(i);
                        in_b.push(j);
                    }
                }
            }
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => {
                // Between the equal runs around it, where a line starts.
                let deleted = !old.is_empty();
                let (unit, run, at) = if deleted {
                    (a, old, &mut in_a)
                } else {
                    (b, new, &mut in_b)
                };
                let side = |o: &DiffOp| {
                    if deleted {
                        o.old_range()
                    } else {
                        o.new_range()
                    }
                };
                let low = k
                    .checked_sub(1)
                    .filter(|&p| matches!(ops[p], DiffOp::Equal { .. }))
                    .map_or(run.start, |p| side(&ops[p]).start);
                let high = ops
                    .get(k + 1)
                    .filter(|o| matches!(o, DiffOp::Equal { .. }))
                    .map_or(run.end, |o| side(o).end);
                let stream = streams[unit.fragment.file].expect("units have tokens");
                let start = at_line_start(unit, stream, run.clone(), low, high);
                at.extend(start..start + run.len());
            }
            DiffOp::Replace { .. } => {
                in_a.extend(old);
                in_b.extend(new);
            }
        }
    }
    for &(i, j) in &alignment.broken {
        in_a.push(i);
        in_b.push(j);
    }
    let lines = |unit: &Unit, at: Vec<usize>| -> Vec<u32> {
        let stream = streams[unit.fragment.file].expect("units have tokens");
        let set: BTreeSet<u32> = at
            .into_iter()
            .flat_map(|i| {
                let t = &unit.tokens[i];
                stream.line(t.start)..=stream.line(t.end.max(t.start + 1) - 1)
            })
            .collect();
        set.into_iter().collect()
    };
    (lines(b, in_b), lines(a, in_a))
}

/// Near-miss classes, biggest first (tokens of all members), then by the
/// first member's place.
pub fn find_near(
    streams: &[Option<&TokenStream>],
    paths: &[&str],
    options: NearOptions,
) -> Vec<NearClass> {
    let options = NearOptions {
        min_tokens: options.min_tokens.max(5),
        similarity: options.similarity.clamp(0.05, 1.0),
    };
    let units = units(streams, options);
    let found = pairs(&units, options);
    let mut near: Vec<Vec<(usize, f64, bool)>> = vec![Vec::new(); units.len()];
    let mut aligned: FastMap<(usize, usize), &NearPair> = FastMap::default();
    for pair in &found {
        near[pair.old].push((pair.new, pair.similarity, pair.exact));
        near[pair.new].push((pair.old, pair.similarity, pair.exact));
        aligned.insert((pair.old, pair.new), pair);
    }
    let place = |u: usize| {
        let f = units[u].fragment;
        (paths[f.file], f.start)
    };
    let mut order: Vec<usize> = (0..units.len()).filter(|&u| !near[u].is_empty()).collect();
    order.sort_by(|&x, &y| {
        near[y]
            .len()
            .cmp(&near[x].len())
            .then(units[y].values.len().cmp(&units[x].values.len()))
            .then_with(|| place(x).cmp(&place(y)))
    });
    // A pair is covered once both its units are members of one class.
    let mut covered: std::collections::HashSet<(usize, usize), FixedState> = Default::default();
    let key = |x: usize, y: usize| (x.min(y), x.max(y));
    let mut groups: Vec<(usize, Vec<(usize, f64)>)> = Vec::new();
    for first in order {
        let mut others: Vec<(usize, f64, bool)> = near[first]
            .iter()
            .copied()
            .filter(|&(u, _, _)| !covered.contains(&key(first, u)))
            .collect();
        if others.is_empty() {
            continue;
        }
        if others.iter().all(|&(_, _, exact)| exact) {
            // Copies under renaming: `dupes` reports them.
            for &(u, _, _) in &others {
                covered.insert(key(first, u));
            }
            continue;
        }
        let members: BTreeSet<usize> = others.iter().map(|&(u, _, _)| u).chain([first]).collect();
        for &m in &members {
            for &(u, _, _) in &near[m] {
                if members.contains(&u) {
                    covered.insert(key(m, u));
                }
            }
        }
        others.sort_by(|x, y| place(x.0).cmp(&place(y.0)));
        groups.push((first, others.into_iter().map(|(u, s, _)| (u, s)).collect()));
    }
    let mut classes: Vec<NearClass> = groups
        .into_par_iter()
        .map(|(first, others)| {
            let a = &units[first];
            let mut members = vec![NearMember {
                unit: a.fragment,
                similarity: 1.0,
                differs: Vec::new(),
                first_differs: Vec::new(),
            }];
            for (u, similarity) in others {
                let b = &units[u];
                // The alignment of the pair, from whichever side it was made.
                let (differs, first_differs) = match aligned.get(&(first, u)) {
                    Some(pair) => differing_lines(a, b, &pair.alignment, streams),
                    None => {
                        let (of_first, of_member) =
                            differing_lines(b, a, &aligned[&(u, first)].alignment, streams);
                        (of_member, of_first)
                    }
                };
                members.push(NearMember {
                    unit: b.fragment,
                    similarity,
                    differs,
                    first_differs,
                });
            }
            let mut text = b"near".to_vec();
            for v in &a.values {
                text.extend_from_slice(&v.to_le_bytes());
            }
            let files: BTreeSet<&str> = members.iter().map(|m| paths[m.unit.file]).collect();
            for path in files {
                text.push(0);
                text.extend_from_slice(path.as_bytes());
            }
            NearClass {
                members,
                fingerprint: format!("{:016x}", xxh3_64(&text)),
            }
        })
        .collect();
    classes.sort_by(|x, y| {
        y.tokens().cmp(&x.tokens()).then_with(|| {
            let (fx, fy) = (x.members[0].unit, y.members[0].unit);
            (paths[fx.file], fx.start).cmp(&(paths[fy.file], fy.start))
        })
    });
    number_repeats(classes.iter_mut().map(|c| &mut c.fingerprint));
    classes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{Extraction, Language, extract_with};

    /// The longest common subsequence by the textbook table.
    fn lcs_table(a: &[u64], b: &[u64]) -> usize {
        let mut row = vec![0usize; b.len() + 1];
        for x in a {
            let mut diagonal = 0;
            for (j, y) in b.iter().enumerate() {
                let above = row[j + 1];
                row[j + 1] = if x == y {
                    diagonal + 1
                } else {
                    above.max(row[j])
                };
                diagonal = above;
            }
        }
        row[b.len()]
    }

    #[test]
    fn bit_parallel_lcs_agrees_with_the_table() {
        let mut rng = fastrand::Rng::with_seed(25);
        let mut row = Vec::new();
        for round in 0..400 {
            // Lengths across word boundaries; small alphabets make long
            // common subsequences, big ones short.
            let alphabet = [2, 4, 30][round % 3];
            let a: Vec<u64> = (0..rng.usize(0..150))
                .map(|_| rng.u64(0..alphabet))
                .collect();
            let b: Vec<u64> = (0..rng.usize(0..150))
                .map(|_| rng.u64(0..alphabet))
                .collect();
            assert_eq!(
                Masks::new(&a).lcs(&b, &mut row),
                lcs_table(&a, &b),
                "{a:?} {b:?}"
            );
        }
    }

    /// The bound read before the alignment never drops a pair the rule
    /// keeps, and drops some it does not: Python methods (receivers) with
    /// names drawn from windows of a pool, statements dropped at random,
    /// and a long string whose words are the pool's names (plain tokens
    /// written as some names are).
    #[test]
    fn the_names_bound_keeps_every_pair_the_rule_keeps() {
        let mut rng = fastrand::Rng::with_seed(7);
        let pool = [
            "self", "order", "item", "line", "row", "cart", "x", "y", "type", "total",
        ];
        let (mut kept, mut dropped) = (0, 0);
        for _ in 0..400 {
            let variant = |rng: &mut fastrand::Rng| {
                // A window of the pool: two variants share from all their
                // names to few.
                let from = rng.usize(0..pool.len() - 4);
                let width = rng.usize(3..=4);
                let name = |rng: &mut fastrand::Rng| pool[from + rng.usize(0..width)];
                let mut text = String::from("class C:\n    def f(self):\n");
                for _ in 0..8 {
                    let names = [name(rng), name(rng), name(rng), name(rng), name(rng)];
                    if rng.u8(0..10) > 1 {
                        text.push_str(&format!(
                            "        {} = {}({}, {}.{} * 2)\n",
                            names[0], names[1], names[2], names[3], names[4]
                        ));
                    }
                }
                let words: Vec<&str> = (0..24).map(|_| name(rng)).collect();
                text.push_str(&format!("        log(\"{}\")\n", words.join(" ")));
                text
            };
            let (x, y) = (variant(&mut rng), variant(&mut rng));
            let streams = streams(&[(Language::Python, &x), (Language::Python, &y)]);
            let refs: Vec<Option<&TokenStream>> = streams.iter().map(Some).collect();
            let units = units(&refs, NearOptions::default());
            for (a, b) in [(0, 1), (1, 0)] {
                let (Some(ua), Some(ub)) = (units.get(a), units.get(b)) else {
                    continue;
                };
                for theta in [0.5, 0.7, 0.8, 0.9] {
                    let need = theta * (ua.values.len() + ub.values.len()) as f64 / 2.0 - 1e-9;
                    let alignment = align(ua, ub);
                    let passes = alignment.matched as f64 >= need
                        && alignment.same_names as f64 >= NAMES_KEPT * alignment.names as f64;
                    let bound = names_may_be_kept(ua, ub, need);
                    if passes {
                        kept += 1;
                        assert!(bound, "{x}\n{y}\n{theta}");
                    } else if !bound {
                        dropped += 1;
                    }
                }
            }
        }
        assert!(
            kept > 100 && dropped > 100,
            "kept {kept}, dropped {dropped}"
        );
    }

    fn streams(files: &[(Language, &str)]) -> Vec<TokenStream> {
        files
            .iter()
            .map(|(language, source)| {
                extract_with(*language, source.as_bytes(), Extraction::Tokens)
                    .unwrap()
                    .tokens
                    .unwrap()
            })
            .collect()
    }

    fn near(files: &[(Language, &str)], min_tokens: usize) -> Vec<NearClass> {
        let streams = streams(files);
        let refs: Vec<Option<&TokenStream>> = streams.iter().map(Some).collect();
        let paths: Vec<String> = (0..files.len()).map(|i| format!("f{i}")).collect();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        find_near(
            &refs,
            &paths,
            NearOptions {
                min_tokens,
                similarity: DEFAULT_SIMILARITY,
            },
        )
    }

    /// Eight statements of 13 tokens, in `function f ( ) {` (5) and `}`:
    /// 5 + 104 + 1 = 110 tokens.
    fn body(names: &[&str]) -> String {
        let mut text = String::from("function f() {\n");
        for name in names {
            text.push_str(&format!("  total = add(total, {name}.price * 2);\n"));
        }
        text.push_str("}\n");
        text
    }

    #[test]
    fn a_statement_moved_costs_the_shorter_of_the_two() {
        // `log(total);` (5 tokens) moved above the statement before it (13
        // tokens): a common subsequence keeps the longer one. 5 + 7·13 + 5
        // + 1 = 102 tokens each, 97 in common.
        let statement = |name: &str| format!("  total = add(total, {name}.price * 2);\n");
        let lines = |order: &[&str]| {
            let mut text = String::from("function f() {\n");
            for line in order {
                if *line == "log" {
                    text.push_str("  log(total);\n");
                } else {
                    text.push_str(&statement(line));
                }
            }
            text + "}\n"
        };
        let first = lines(&["a", "b", "c", "d", "e", "log", "f", "g"]);
        let moved = lines(&["a", "b", "c", "d", "log", "e", "f", "g"]);
        let found = near(
            &[
                (Language::TypeScript, &first),
                (Language::TypeScript, &moved),
            ],
            50,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].members[0].unit.len, 102);
        let other = &found[0].members[1];
        assert_eq!(other.similarity, 2.0 * 97.0 / 204.0, "{other:?}");
        assert_eq!(other.differs, [6]);
        assert_eq!(other.first_differs, [7]);
    }

    #[test]
    fn copies_renamed_throughout_and_shapes_alone_are_not_near() {
        let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let first = body(&names);
        // Every name other, one to one: a type-2 clone, left to `dupes`.
        let renamed = first
            .replace("total", "sum")
            .replace("add", "plus")
            .replace("price", "cost");
        assert!(
            near(
                &[
                    (Language::TypeScript, &first),
                    (Language::TypeScript, &renamed)
                ],
                50
            )
            .is_empty()
        );
        // The same shape with a statement more and other names throughout:
        // 8 of 49 aligned names and literals written alike (the `2`s).
        let mut shape = renamed.replace("function f", "function g");
        for n in names {
            shape = shape.replace(&format!(" {n}."), &format!(" x{n}."));
        }
        shape = shape.replace("}\n", "  sum = 0;\n}\n");
        assert!(
            near(
                &[
                    (Language::TypeScript, &first),
                    (Language::TypeScript, &shape)
                ],
                50
            )
            .is_empty()
        );
        // Under the size: nothing.
        let inserted = first.replace("}\n", "  total = 0;\n}\n");
        assert!(
            near(
                &[
                    (Language::TypeScript, &first),
                    (Language::TypeScript, &inserted)
                ],
                200
            )
            .is_empty()
        );
        assert_eq!(
            near(
                &[
                    (Language::TypeScript, &first),
                    (Language::TypeScript, &inserted)
                ],
                50
            )
            .len(),
            1
        );
    }

    #[test]
    fn receivers_are_no_names_a_copy_kept() {
        // Six `self.a = self.b + self.c` (11 tokens) of other attributes
        // each, 72 tokens with `def f(self):` (6), the second with `return
        // None` (2) more:
        // `self` is 19 of the 38 aligned names, the attributes none.
        let method = |name: &str, attributes: &[&str], end: &str| {
            let mut text = format!("def {name}(self):\n");
            for t in attributes.chunks(3) {
                text.push_str(&format!(
                    "    self.{} = self.{} + self.{}\n",
                    t[0], t[1], t[2]
                ));
            }
            text + end
        };
        let first: Vec<String> = (0..18).map(|i| format!("a{i}")).collect();
        let other: Vec<String> = (0..18).map(|i| format!("b{i}")).collect();
        let first: Vec<&str> = first.iter().map(String::as_str).collect();
        let other: Vec<&str> = other.iter().map(String::as_str).collect();
        let a = method("f", &first, "");
        let shape = method("g", &other, "    return None\n");
        assert!(near(&[(Language::Python, &a), (Language::Python, &shape)], 50).is_empty());
        // The attributes kept: a copy (18 of 19 names alike, `f` renamed).
        let copy = method("g", &first, "    return None\n");
        let found = near(&[(Language::Python, &a), (Language::Python, &copy)], 50);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].members[1].similarity, 2.0 * 72.0 / (72.0 + 74.0));
    }

    #[test]
    fn an_outer_unit_nearly_all_closure_is_compared_once() {
        // `outer` is 5 tokens around its closure: the closure is left out,
        // so the copy pairs outer with outer, not also with the closure.
        let source = |extra: &str| {
            format!(
                "function outer() {{ return () => {{\n{}{extra}}}; }}\n",
                "  total = add(total, a.price * 2);\n".repeat(6)
            )
        };
        let found = near(
            &[
                (Language::TypeScript, &source("")),
                (Language::TypeScript, &source("  total = 0;\n")),
            ],
            50,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].members.len(), 2);
        assert!(found[0].members.iter().all(|m| m.unit.start == 0));
    }
}
