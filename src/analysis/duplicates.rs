//! Duplicate code: clone classes from a Rabin–Karp rolling hash over
//! normalised tokens.
//!
//! **What it finds.** Fragments of at least `min_tokens` tokens that occur
//! more than once, grouped into clone classes (every place the same
//! fragment occurs). Modes: `strict` compares tokens as written (type-1
//! clones); the default also accepts names and literals renamed
//! consistently across the fragment (type-2: `a`→`x` everywhere, never `a`
//! to `x` here and `y` there); `blind` takes every name and literal as the
//! same.
//!
//! **Why it matters.** Copied code is changed in one place and forgotten in
//! the other; clones shared by two modules are candidates for a shared
//! library.
//!
//! **How.** Each file's tokens are normalised (per mode) and every window
//! of `min_tokens` tokens is hashed with a rolling hash; windows with a
//! barrier (import statements, ignored regions) are skipped, so no clone
//! spans one. Regions repeating themselves with a period of up to
//! [`MAX_PERIOD`] tokens, or half a window if less (tables of similar
//! entries), are compared as written; where they repeat even so, a window
//! equal to one a period before it is not hashed, so that the region is no
//! clone of itself; its copy elsewhere is found from the windows that are
//! (its first period, those reaching in from before it or out past its
//! end), and matches extend through it.
//! Equal hashes are grouped by sorting, after a bitmap of hashes seen
//! twice has left out the windows that occur once (memory is one entry
//! per token position: no all-pairs structure). Each pair of equal windows
//! is taken back to where its match starts (skipped when the pair one
//! token before was paired already; a window left unhashed was not),
//! extended while tokens agree (and, in the default mode, split where the
//! renaming stops being one-to-one, the longest consistent part first); a
//! match that runs into its own copy in one file is a region repeating
//! itself, cut into its copies, starting where a line starts. Matches become classes, longest first: a match at
//! the same offset in two members of a class is part of it, a match inside
//! one member of a class also takes the same offset in the class's other
//! members, and a fragment never overlaps another member of its class.
//! A match overlapping longer ones between the same two files (or within
//! one) by `min_tokens` or more on both sides at other shifts (copies of
//! a region repeating itself, aligned a period apart) is left out unless
//! `min_tokens` of its offsets lie outside them in both files. Classes
//! may overlap (a fragment repeated inside a copied one).
//!
//! **Example.** `def f(a): return a + 1` and `def g(b): return b + 1` are
//! one class in the default mode, none in `strict`.
//!
//! **Limits.** Groups of more than [`GROUP_PAIRS`] equal windows (boiler
//! plate repeated everywhere) are paired with their first member only; the
//! others join its class through it. A region repeating itself with a
//! period too long to be masked and shorter than `min_tokens` is no clone
//! of itself. The partial last copy of a region repeating itself is left
//! out. In the default mode a region counts as repeating with the shortest
//! period of its normalised tokens, even where the renaming would hold
//! only for a longer one.
//! Near-miss clones (type-3: a statement added) are reported as separate
//! shorter clones, or not at all when the pieces are short.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use foldhash::fast::FixedState;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::lang::tokens::{Token, TokenClass, TokenStream};
use crate::project::FileId;

/// (hash, file, start) of a window.
type Window = (u64, u32, u32);

/// Spans `[start, end)` of token positions, in order.
type Spans = Vec<(usize, usize)>;

/// Keys here are token hashes and places: a fast hash is enough.
type FastMap<K, V> = HashMap<K, V, FixedState>;

const IN_STAR: u8 = 1;
const STAR_CENTRE: u8 = 2;
/// A window inside a region repeating itself that was not hashed (equal to
/// one a period before it): never paired.
const UNHASHED: u8 = 3;

/// Groups of equal windows paired all with all up to this size.
pub const GROUP_PAIRS: usize = 32;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DupeMode {
    /// Names and literals renamed consistently (type-2).
    #[default]
    Renamed,
    /// Tokens as written (type-1).
    Strict,
    /// Every name and literal the same.
    Blind,
}

impl DupeMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DupeMode::Renamed => "renamed",
            DupeMode::Strict => "strict",
            DupeMode::Blind => "blind",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DupeOptions {
    pub min_tokens: usize,
    pub mode: DupeMode,
}

impl Default for DupeOptions {
    fn default() -> Self {
        DupeOptions {
            min_tokens: 50,
            mode: DupeMode::Renamed,
        }
    }
}

/// A run of tokens of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fragment {
    pub file: FileId,
    /// Index of the first token.
    pub start: usize,
    pub len: usize,
}

impl Fragment {
    /// First and last line, 1-based, in its file's token stream.
    pub fn lines(&self, stream: &TokenStream) -> (u32, u32) {
        let first = &stream.tokens[self.start];
        let last = &stream.tokens[self.start + self.len - 1];
        (
            stream.line(first.start),
            stream.line(last.end.max(last.start + 1) - 1),
        )
    }

    fn end(&self) -> usize {
        self.start + self.len
    }

    pub(crate) fn overlaps(&self, other: &Fragment) -> bool {
        self.file == other.file && self.start < other.end() && other.start < self.end()
    }

    /// Tokens the two share.
    fn overlap(&self, other: &Fragment) -> usize {
        if self.file != other.file {
            return 0;
        }
        self.end()
            .min(other.end())
            .saturating_sub(self.start.max(other.start))
    }

    fn contains(&self, other: &Fragment) -> bool {
        self.file == other.file && self.start <= other.start && other.end() <= self.end()
    }
}

#[derive(Clone, Debug)]
pub struct CloneClass {
    /// Sorted by (file, start); all of `tokens` tokens.
    pub members: Vec<Fragment>,
    pub tokens: usize,
    /// Stable across runs and moves of the fragments within their files:
    /// the mode, the normalised tokens and the member files.
    pub fingerprint: String,
}

const BARRIER: u64 = 0;
const NAME: u64 = 0x9E37_79B9_7F4A_7C15;
const LITERAL: u64 = 0xC2B2_AE3D_27D4_EB4F;
/// The rolling hash's base (odd, so multiplication is invertible mod 2^64).
const BASE: u64 = 0x100_0000_01B3;

fn normalise(token: &Token, mode: DupeMode) -> u64 {
    let value = match (token.class, mode) {
        (TokenClass::Barrier, _) => return BARRIER,
        (TokenClass::Plain, _) | (_, DupeMode::Strict) => token.text,
        (TokenClass::Identifier, _) => NAME,
        (TokenClass::Literal, _) => LITERAL,
    };
    // 0 is the barrier.
    value.max(1)
}

/// Longest period of a self-repeating window that is masked (a window
/// holding at least two copies of a run of up to this many tokens).
pub const MAX_PERIOD: usize = 25;

/// Per position: whether it lies in a window of `k` tokens that repeats
/// itself with a short period (a table of `'key' => 'value',` entries,
/// `$this->a = $a;` assignments, runs of zeros). Such windows are alike
/// wherever they are, so they are compared as written, and where they
/// repeat even so they start no match inside themselves (see
/// [`mask_periodic`]).
fn periodic_cover(values: &[u64], k: usize) -> Vec<bool> {
    let n = values.len();
    let mut covered = vec![false; n];
    for period in 1..=MAX_PERIOD.min(k / 2) {
        // A window is periodic when `need` positions in a row agree with
        // the one `period` further; any such run holds a multiple of
        // `need`, so only those are looked at, and the runs grown from them.
        let need = k - period;
        let same = |i: usize| values[i] == values[i + period] && values[i] != BARRIER;
        let mut at = need - 1;
        while at + period < n {
            if !same(at) {
                at += need;
                continue;
            }
            let mut start = at;
            while start > 0 && same(start - 1) {
                start -= 1;
            }
            let mut end = at + 1;
            while end + period < n && same(end) {
                end += 1;
            }
            if end - start >= need {
                // The windows starting up to `end - need` are periodic.
                covered[start..end + period].fill(true);
            }
            at = (end / need + 1) * need - 1;
        }
    }
    covered
}

/// Self-repeating regions: where the normalised tokens repeat with a short
/// period (a table of `'key' => 'value',` entries once literals are
/// renamed), the tokens are compared as written (`strict`) instead, so
/// that two tables match only when their entries are the same. Returns
/// the spans where even the written tokens repeat (`0, 0, 0, ...`, one
/// statement over and over): there a window equal to one a period before
/// it is not hashed (see [`for_each_window`]), so that such a region is no
/// clone of itself, while a copy elsewhere, of any length, is found from
/// the windows that are (its first period, those reaching in from before
/// it or out past its end) and extends through it.
fn mask_periodic(values: &mut [u64], strict: impl Fn(usize) -> u64, k: usize) -> Spans {
    let cover = periodic_cover(values, k);
    if !cover.contains(&true) {
        return Vec::new();
    }
    let mut changed = false;
    for (i, _) in cover.iter().enumerate().filter(|(_, c)| **c) {
        let written = strict(i);
        changed |= values[i] != written;
        values[i] = written;
    }
    // Unchanged tokens repeat as they did.
    let cover = if changed {
        periodic_cover(values, k)
    } else {
        cover
    };
    let mut spans = Spans::new();
    for (i, _) in cover.iter().enumerate().filter(|(_, c)| **c) {
        match spans.last_mut() {
            Some((_, end)) if *end == i => *end += 1,
            _ => spans.push((i, i + 1)),
        }
    }
    spans
}

/// A token as `blind` mode compares it: names and literals alike.
pub(crate) fn blind(token: &Token) -> u64 {
    normalise(token, DupeMode::Blind)
}

/// (hash, file, start) of the windows [`for_each_window`] hashes.
#[cfg(test)]
fn windows(file: FileId, values: &[u64], repeating: &[(usize, usize)], k: usize) -> Vec<Window> {
    let mut out = Vec::new();
    for_each_window(
        values,
        repeating,
        k,
        |hash, start| out.push((hash, file as u32, start as u32)),
        |_| {},
    );
    out
}

/// Windows remembered to tell a window equal to one a period before it.
const RECENT: usize = (MAX_PERIOD + 1).next_power_of_two();

/// Calls `each(hash, start)` for every barrier-free window of `k` tokens,
/// and `unhashed(start)` instead for those inside a span of `repeating`
/// (from [`mask_periodic`]) whose hash equals that of a window at most
/// min([`MAX_PERIOD`], k / 2) tokens before them (the periods
/// [`periodic_cover`] looks for): such a window is the one a period
/// before it again.
fn for_each_window(
    values: &[u64],
    repeating: &[(usize, usize)],
    k: usize,
    mut each: impl FnMut(u64, usize),
    mut unhashed: impl FnMut(usize),
) {
    if values.len() < k || k == 0 {
        return;
    }
    let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut hash = 0u64;
    // Tokens since the last barrier.
    let mut clean = 0usize;
    let mut recent = [0u64; RECENT];
    let mut spans = repeating.iter().peekable();
    let periods = MAX_PERIOD.min(k / 2);
    for (i, &v) in values.iter().enumerate() {
        if i >= k {
            hash = hash.wrapping_sub(values[i - k].wrapping_mul(top));
        }
        hash = hash.wrapping_mul(BASE).wrapping_add(v);
        clean = if v == BARRIER { 0 } else { clean + 1 };
        if i + 1 < k {
            continue;
        }
        let start = i + 1 - k;
        recent[start % RECENT] = hash;
        if clean < k {
            continue;
        }
        while spans.next_if(|&&(_, end)| end <= start).is_some() {}
        let repeats = spans.peek().is_some_and(|&&(from, _)| from <= start)
            && (1..=periods.min(start)).any(|p| recent[(start - p) % RECENT] == hash);
        if repeats {
            unhashed(start);
        } else {
            each(hash, start);
        }
    }
}

/// Sub-runs of `[0, len)` over which names and literals map one to one
/// between the two fragments, at least `k` long and not overlapping: the
/// longest maximal run first, then the longest parts of the others left
/// uncovered (taking them from the left would let a run that begins by
/// chance cut the real copy short).
fn consistent_runs(a: &[Token], b: &[Token], len: usize, k: usize) -> Vec<(usize, usize)> {
    let renamable = |t: &Token| matches!(t.class, TokenClass::Identifier | TokenClass::Literal);
    let mut forward: FastMap<u64, (u64, usize)> = FastMap::default();
    let mut backward: FastMap<u64, (u64, usize)> = FastMap::default();
    // Maximal consistent windows [from, to), by a sliding window.
    let mut maximal: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for end in 0..len {
        let (x, y) = (&a[end], &b[end]);
        if !renamable(x) {
            continue;
        }
        let clashes = |forward: &FastMap<u64, (u64, usize)>,
                       backward: &FastMap<u64, (u64, usize)>| {
            forward.get(&x.text).is_some_and(|(v, _)| *v != y.text)
                || backward.get(&y.text).is_some_and(|(v, _)| *v != x.text)
        };
        if clashes(&forward, &backward) {
            maximal.push((start, end));
            while clashes(&forward, &backward) {
                // Drop the oldest token from the window.
                let (ox, oy) = (&a[start], &b[start]);
                if renamable(ox) {
                    for (map, key) in [(&mut forward, ox.text), (&mut backward, oy.text)] {
                        if let Some(entry) = map.get_mut(&key) {
                            entry.1 -= 1;
                            if entry.1 == 0 {
                                map.remove(&key);
                            }
                        }
                    }
                }
                start += 1;
            }
        }
        forward.entry(x.text).or_insert((y.text, 0)).1 += 1;
        backward.entry(y.text).or_insert((x.text, 0)).1 += 1;
    }
    maximal.push((start, len));
    maximal.retain(|(from, to)| to - from >= k);
    if maximal.len() <= 1 {
        return maximal
            .into_iter()
            .map(|(from, to)| (from, to - from))
            .collect();
    }
    // Longest first (the earliest of equals); each keeps what no longer
    // one took, at most one part on each side of the runs taken.
    maximal.sort_by_key(|&(from, to)| (std::cmp::Reverse(to - from), from));
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    for (from, to) in maximal {
        // The runs taken that overlap [from, to), right to left (taken
        // runs do not overlap each other).
        let overlapping: Vec<(usize, usize)> = taken
            .range(..to)
            .rev()
            .map(|(&f, &t)| (f, t))
            .take_while(|&(_, t)| t > from)
            .collect();
        // The uncovered parts, between them.
        let mut cursor = from;
        for (f, t) in overlapping.into_iter().rev().chain([(to, to)]) {
            if f >= cursor + k {
                taken.insert(cursor, f);
            }
            cursor = cursor.max(t);
        }
    }
    taken
        .into_iter()
        .map(|(from, to)| (from, to - from))
        .collect()
}

/// What a pair of equal windows extends to.
struct Extended {
    /// Tokens agreeing from the pair's start on (past the second place,
    /// in a region repeating itself).
    agreeing: usize,
    /// The least period of the agreeing region when it repeats itself.
    period: usize,
    /// The renaming held over all the agreeing tokens.
    consistent: bool,
    pairs: Vec<(Fragment, Fragment)>,
}

/// A pair of equal windows extended to maximal length, split where the
/// renaming stops being one to one, and, in a region repeating itself,
/// cut into its copies.
fn extend(
    values: &[Vec<u64>],
    streams: &[Option<&TokenStream>],
    mode: DupeMode,
    k: usize,
    a: Fragment,
    b: Fragment,
) -> Extended {
    let (va, vb) = (&values[a.file], &values[b.file]);
    let agree = |len: usize| {
        a.start + len < va.len()
            && b.start + len < vb.len()
            && va[a.start + len] != BARRIER
            && va[a.start + len] == vb[b.start + len]
    };
    let mut agreeing = k;
    while agree(agreeing) {
        agreeing += 1;
    }
    // Places of one file come in order: b after a.
    let d = if a.file == b.file {
        b.start - a.start
    } else {
        0
    };
    let period = if a.file == b.file && a.start + agreeing >= b.start {
        least_period(&va[a.start..b.start + agreeing], d)
    } else {
        d
    };
    // Where the renaming stays one to one (the whole match when names are
    // compared as written or not at all).
    let runs = if mode == DupeMode::Renamed {
        let ta = &streams[a.file].expect("a file with windows").tokens[a.start..];
        let tb = &streams[b.file].expect("a file with windows").tokens[b.start..];
        consistent_runs(ta, tb, agreeing, k)
    } else {
        vec![(0, agreeing)]
    };
    let consistent = runs == [(0, agreeing)];
    let mut pairs = Vec::new();
    for (offset, len) in runs {
        let (a, b) = (
            Fragment {
                file: a.file,
                start: a.start + offset,
                len,
            },
            Fragment {
                file: b.file,
                start: b.start + offset,
                len,
            },
        );
        if a.file != b.file || a.end() < b.start {
            pairs.push((a, b));
            continue;
        }
        // The match runs into its own copy: the region from a to b's end
        // repeats itself with period d >= k (no two equal windows of one
        // file overlap: see `match_start`). Each full copy is a clone of
        // the next. With a shorter period, the pair of places that far
        // apart makes the clone (or, shorter than k, there is none).
        let region = &va[a.start..b.end()];
        if least_period(region, d) < d {
            continue;
        }
        let copies = region.len() / d;
        let first = copy_start(
            streams[a.file].expect("a file with windows"),
            a.start,
            region.len() - copies * d,
        );
        let at = |j: usize| Fragment {
            file: a.file,
            start: first + j * d,
            len: d,
        };
        pairs.extend((0..copies - 1).map(|j| (at(j), at(j + 1))));
    }
    Extended {
        agreeing,
        period,
        consistent,
        pairs,
    }
}

/// The least period of a region that repeats itself with period `d`: a
/// divisor of d (a region at least twice d long with periods d and q has
/// period gcd(d, q)). Checking q on the first d + q tokens is enough: the
/// rest follows from period d.
fn least_period(region: &[u64], d: usize) -> usize {
    let mut divisors: Vec<usize> = (1..)
        .take_while(|m| m * m <= d)
        .filter(|&m| d.is_multiple_of(m))
        .flat_map(|m| [m, d / m])
        .filter(|&q| q < d)
        .collect();
    divisors.sort_unstable();
    divisors
        .into_iter()
        .find(|&q| {
            let head = &region[..(d + q).min(region.len())];
            head.iter().zip(&head[q..]).all(|(x, y)| x == y)
        })
        .unwrap_or(d)
}

/// Where the first copy of a self-repeating region starts, `slack` tokens
/// at most after the region's start: the region may begin with tokens that
/// agree by chance (the end of a similar function before it), and cutting
/// the copies there would cut every one across two functions. Taken: the
/// first token to start a line with the least indentation (not a closing
/// bracket), else the region's start.
fn copy_start(stream: &TokenStream, start: usize, slack: usize) -> usize {
    let closers: [u64; 3] = [xxh3_64(b"}"), xxh3_64(b")"), xxh3_64(b"]")];
    let tokens = &stream.tokens;
    (start..=start + slack)
        .filter_map(|p| {
            let token = &tokens[p];
            let (line, column) = stream.position(token.start);
            let starts_line =
                p == 0 || stream.line(tokens[p - 1].end.max(tokens[p - 1].start + 1) - 1) < line;
            (starts_line && !closers.contains(&token.text)).then_some((column, p))
        })
        .min()
        .map_or(start, |(_, p)| p)
}

/// Clone classes over the token streams of the files given (`None`: left
/// out). Deterministic: the same classes in the same order at any thread
/// count.
pub fn find_clones(
    streams: &[Option<&TokenStream>],
    paths: &[&str],
    options: DupeOptions,
) -> Vec<CloneClass> {
    let k = options.min_tokens.max(1);
    let repeats = Repeats::new(streams.iter().flatten().map(|s| s.tokens.len()).sum());
    let (values, repeating): (Vec<Vec<u64>>, Vec<Spans>) = streams
        .par_iter()
        .map(|s| {
            s.map(|s| {
                let mut values: Vec<u64> = s
                    .tokens
                    .iter()
                    .map(|t| normalise(t, options.mode))
                    .collect();
                let strict = |i: usize| normalise(&s.tokens[i], DupeMode::Strict);
                let repeating = mask_periodic(&mut values, strict, k);
                repeats.see(&values, &repeating, k);
                (values, repeating)
            })
            .unwrap_or_default()
        })
        .unzip();
    let per_file: Vec<(Vec<Window>, Vec<u32>)> = values
        .par_iter()
        .zip(&repeating)
        .enumerate()
        .map(|(file, (v, r))| repeats.kept(file, v, r, k))
        .collect();
    drop(repeating);
    drop(repeats);
    let mut entries = Vec::with_capacity(per_file.iter().map(|(w, _)| w.len()).sum());
    let mut unhashed = Vec::with_capacity(per_file.len());
    for (windows, skipped) in per_file {
        entries.extend(windows);
        unhashed.push(skipped);
    }
    entries.par_sort_unstable();

    // Per token position: whether its window is in a group too big to
    // pair all with all (IN_STAR), and the group's first member, the only
    // one paired with the others (STAR_CENTRE).
    let mut star: Vec<Vec<u8>> = values.iter().map(|v| vec![0u8; v.len()]).collect();
    for group in entries.chunk_by(|x, y| x.0 == y.0) {
        if group.len() > GROUP_PAIRS {
            for &(_, file, start) in group {
                star[file as usize][start as usize] = IN_STAR;
            }
            star[group[0].1 as usize][group[0].2 as usize] = STAR_CENTRE;
        }
    }
    // (No unhashed window is in a group.)
    for (file, starts) in unhashed.into_iter().enumerate() {
        for start in starts {
            star[file][start as usize] = UNHASHED;
        }
    }

    // Starts of maximal matches, found per group of equal windows.
    let mut candidates: Vec<(Fragment, Fragment)> = entries
        .par_chunk_by(|x, y| x.0 == y.0)
        .filter(|group| group.len() > 1)
        .flat_map_iter(|group| {
            let mut pairs = Vec::new();
            if group.len() > GROUP_PAIRS {
                pairs.extend(group[1..].iter().map(|second| (group[0], *second)));
            } else {
                for (i, first) in group.iter().enumerate() {
                    pairs.extend(group[i + 1..].iter().map(|second| (*first, *second)));
                }
            }
            pairs
                .into_iter()
                .filter_map(|((_, fa, pa), (_, fb, pb))| {
                    match_start(
                        &values,
                        &star,
                        k,
                        (fa as usize, pa as usize),
                        (fb as usize, pb as usize),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();

    // Matches extended to their start from several windows.
    candidates.par_sort_unstable();
    candidates.dedup();

    // Extend to maximal length, split at inconsistent renamings.
    // Candidates come sorted: those of one start together, the nearest
    // place of the same file first.
    let mut pairs: Vec<(Fragment, Fragment)> = candidates
        .par_chunk_by(|x, y| x.0 == y.0)
        .flat_map_iter(|chunk| {
            let mut matched = Vec::new();
            // A region repeating itself from this start: (period, end, and
            // whether the renaming held over all of it).
            let mut repeating: Option<(usize, usize, bool)> = None;
            for &(a, b) in chunk {
                if let Some((period, end, consistent)) = repeating
                    && a.file == b.file
                    && (b.start - a.start) % period == 0
                    && b.start < end
                    // Where the renaming broke between neighbours, the
                    // copy after next may still match this one.
                    && (consistent || b.start - a.start > 2 * period)
                {
                    // A further copy of the region: its pairs were made
                    // from the nearest one (a table of 20,000 rows makes
                    // one such pair, not 20,000, each as long as the table).
                    continue;
                }
                let found = extend(&values, streams, options.mode, k, a, b);
                if a.file == b.file && a.start + found.agreeing >= b.start {
                    repeating = Some((found.period, b.start + found.agreeing, found.consistent));
                }
                matched.extend(found.pairs);
            }
            matched
        })
        .collect();
    pairs.par_sort_unstable_by(|x, y| y.0.len.cmp(&x.0.len).then(x.cmp(y)));
    pairs.dedup();
    let pairs = without_shifted(pairs, k);

    let classes = build_classes(&pairs, streams.len());
    let mut finished: Vec<CloneClass> = classes
        .into_iter()
        .map(|class| {
            let mut members = class.members;
            members.sort();
            let first = members[0];
            let mut text: Vec<u8> = options.mode.as_str().as_bytes().to_vec();
            for v in &values[first.file][first.start..first.end()] {
                text.extend_from_slice(&v.to_le_bytes());
            }
            let files: BTreeSet<&str> = members.iter().map(|m| paths[m.file]).collect();
            for path in files {
                text.push(0);
                text.extend_from_slice(path.as_bytes());
            }
            CloneClass {
                tokens: first.len,
                members,
                fingerprint: format!("{:016x}", xxh3_64(&text)),
            }
        })
        .collect();
    // Biggest first (tokens times places), then by first place.
    finished.sort_by(|x, y| {
        (y.tokens * y.members.len())
            .cmp(&(x.tokens * x.members.len()))
            .then_with(|| {
                let (fx, fy) = (x.members[0], y.members[0]);
                (paths[fx.file], fx.start).cmp(&(paths[fy.file], fy.start))
            })
    });
    // Two classes of the same tokens in the same files (under renaming, not
    // renamings of each other): numbered in the order above.
    number_repeats(finished.iter_mut().map(|c| &mut c.fingerprint));
    finished
}

/// Fingerprints met again get `-2`, `-3`... in the order given.
pub(crate) fn number_repeats<'f>(fingerprints: impl Iterator<Item = &'f mut String>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for fingerprint in fingerprints {
        let count = seen.entry(fingerprint.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            *fingerprint = format!("{fingerprint}-{count}");
        }
    }
}

/// The pairs (longest first) without those that overlap longer pairs of
/// the same two files (or of one file) by `k` tokens or more on both sides
/// at other shifts, unless `k` of their offsets in a row lie outside those
/// in both files: two copies of a region repeating itself match at every
/// shift by a period (the same five statements four times over in two
/// tests), and only the longest alignment is their copy; the others say
/// again what it and the region's own clone class say. (Two matches that
/// merely touch, and a match that goes on past the longer one in both
/// files, are copies of their own.)
fn without_shifted(pairs: Vec<(Fragment, Fragment)>, k: usize) -> Vec<(Fragment, Fragment)> {
    /// Pairs kept between two files (or within one), by the start of their
    /// first fragment, and the longest one's length (the first kept): how
    /// far before a fragment an overlapping one may start.
    struct Between {
        by_start: BTreeMap<usize, Vec<(Fragment, Fragment)>>,
        longest: usize,
    }
    let mut between: FastMap<(FileId, FileId), Between> = FastMap::default();
    let mut kept = Vec::with_capacity(pairs.len());
    for (a, b) in pairs {
        let (x, y) = if (a.file, a.start) <= (b.file, b.start) {
            (a, b)
        } else {
            (b, a)
        };
        let taken = between.entry((x.file, y.file)).or_insert_with(|| Between {
            by_start: BTreeMap::new(),
            longest: x.len,
        });
        let shift = |x: &Fragment, y: &Fragment| y.start as i64 - x.start as i64;
        // Offsets of the pair inside a longer one at another shift, on
        // either side.
        let mut inside: Vec<(usize, usize)> = Vec::new();
        let earliest = x.start.saturating_sub(taken.longest);
        for (tx, ty) in taken.by_start.range(earliest..x.end()).flat_map(|(_, v)| v) {
            if tx.overlap(&x) >= k && ty.overlap(&y) >= k && shift(tx, ty) != shift(&x, &y) {
                for (t, f) in [(tx, &x), (ty, &y)] {
                    inside.push((
                        t.start.max(f.start) - f.start,
                        t.end().min(f.end()) - f.start,
                    ));
                }
            }
        }
        if inside.is_empty() || longest_gap(inside, x.len) >= k {
            taken.by_start.entry(x.start).or_default().push((x, y));
            kept.push((a, b));
        }
    }
    kept
}

/// The longest run of `[0, len)` outside every span.
fn longest_gap(mut spans: Vec<(usize, usize)>, len: usize) -> usize {
    spans.sort_unstable();
    let (mut longest, mut reached) = (0, 0);
    for (from, to) in spans {
        longest = longest.max(from.saturating_sub(reached));
        reached = reached.max(to);
    }
    longest.max(len.saturating_sub(reached))
}

/// Which window hashes occur twice, roughly: most windows occur once, and
/// a bitmap of hashes seen (and seen again) leaves them out before the
/// sort, keeping a few by chance (slots shared by two hashes), never
/// dropping a repeated one. Windows are hashed twice rather than kept: most
/// are gone after the first pass, and rolling a hash costs less than
/// storing it.
struct Repeats {
    seen: Vec<AtomicU64>,
    again: Vec<AtomicU64>,
    shift: u32,
}

impl Repeats {
    /// For up to `windows` windows.
    fn new(windows: usize) -> Repeats {
        // About one slot in eight taken: few singletons share a slot.
        let bits = (windows.max(64) * 8).next_power_of_two();
        let words = || (0..bits / 64).map(|_| AtomicU64::new(0)).collect();
        Repeats {
            seen: words(),
            again: words(),
            shift: 64 - bits.trailing_zeros(),
        }
    }

    fn slot(&self, hash: u64) -> (usize, u64) {
        let at = (hash >> self.shift) as usize;
        (at / 64, 1u64 << (at % 64))
    }

    fn see(&self, values: &[u64], repeating: &[(usize, usize)], k: usize) {
        for_each_window(
            values,
            repeating,
            k,
            |hash, _| {
                let (word, bit) = self.slot(hash);
                if self.seen[word].fetch_or(bit, Relaxed) & bit != 0 {
                    self.again[word].fetch_or(bit, Relaxed);
                }
            },
            |_| {},
        )
    }

    /// (hash, file, start) of the windows of a file whose hash may occur
    /// twice, once every file was seen; and the starts of the windows left
    /// unhashed in regions repeating themselves.
    fn kept(
        &self,
        file: FileId,
        values: &[u64],
        repeating: &[(usize, usize)],
        k: usize,
    ) -> (Vec<Window>, Vec<u32>) {
        let mut kept = Vec::new();
        let mut unhashed = Vec::new();
        for_each_window(
            values,
            repeating,
            k,
            |hash, start| {
                let (word, bit) = self.slot(hash);
                if self.again[word].load(Relaxed) & bit != 0 {
                    kept.push((hash, file as u32, start as u32));
                }
            },
            |start| unhashed.push(start as u32),
        );
        (kept, unhashed)
    }
}

/// Where the match holding two equal windows starts, or `None` when the
/// windows are no match (a hash collision, or overlapping places of one
/// file: a self-repeating region) or the match was found from the windows
/// before them already (a pair that was made: neither window unhashed,
/// and all paired with all or one of them a group's centre).
fn match_start(
    values: &[Vec<u64>],
    star: &[Vec<u8>],
    k: usize,
    (fa, pa): (usize, usize),
    (fb, pb): (usize, usize),
) -> Option<(Fragment, Fragment)> {
    let (va, vb) = (&values[fa], &values[fb]);
    if fa == fb && pb < pa + k {
        return None;
    }
    let before = |pa: usize, pb: usize| {
        pa > 0 && pb > 0 && va[pa - 1] != BARRIER && va[pa - 1] == vb[pb - 1]
    };
    // Whether the windows one token before, equal too, were paired: when
    // both were hashed and their group paired all with all (or paired
    // them with its first member).
    let paired = |pa: usize, pb: usize| {
        !matches!(star[fa][pa - 1], IN_STAR | UNHASHED) && star[fb][pb - 1] != UNHASHED
    };
    // Most pairs continue one found a token before: looked at first, as
    // it is cheaper than comparing the windows.
    if before(pa, pb) && paired(pa, pb) {
        return None;
    }
    if va[pa..pa + k] != vb[pb..pb + k] {
        return None; // a hash collision
    }
    let (mut pa, mut pb) = (pa, pb);
    while before(pa, pb) {
        // Back at a pair that was paired: the match is found from there.
        if paired(pa, pb) {
            return None;
        }
        pa -= 1;
        pb -= 1;
    }
    Some((
        Fragment {
            file: fa,
            start: pa,
            len: k,
        },
        Fragment {
            file: fb,
            start: pb,
            len: k,
        },
    ))
}

/// A class being built: its members, and their spans by place.
struct Building {
    members: Vec<Fragment>,
    /// (file, start) -> end of each member; members never overlap.
    spans: BTreeMap<(FileId, usize), usize>,
}

impl Building {
    fn overlaps(&self, f: &Fragment) -> bool {
        // Members do not overlap, so the last one starting before f ends
        // reaches furthest.
        self.spans
            .range(..(f.file, f.end()))
            .next_back()
            .is_some_and(|(&(file, _), &end)| file == f.file && end > f.start)
    }

    fn add(&mut self, f: Fragment) {
        self.members.push(f);
        self.spans.insert((f.file, f.start), f.end());
    }
}

/// The fragments `len` tokens long at the given (class, offset) in each
/// member of those classes.
fn slices(classes: &[Building], around: &BTreeSet<(usize, usize)>, len: usize) -> Vec<Fragment> {
    around
        .iter()
        .flat_map(|&(class, offset)| {
            classes[class].members.iter().map(move |m| Fragment {
                file: m.file,
                start: m.start + offset,
                len,
            })
        })
        .collect()
}

/// Longest matches first: a match extends a class holding one of its
/// fragments, is dropped when its fragments lie at the same offset in two
/// members of one class (the longer clone holds it), else starts a class.
fn build_classes(pairs: &[(Fragment, Fragment)], files: usize) -> Vec<Building> {
    let mut classes: Vec<Building> = Vec::new();
    let mut of_fragment: FastMap<Fragment, usize> = FastMap::default();
    let mut by_file: Vec<Vec<(Fragment, usize)>> = vec![Vec::new(); files];
    // (class, offset in the member) of each member holding f.
    let inside =
        |by_file: &Vec<Vec<(Fragment, usize)>>, f: &Fragment| -> BTreeSet<(usize, usize)> {
            by_file[f.file]
                .iter()
                .filter(|(m, _)| m.contains(f))
                .map(|(m, c)| (*c, f.start - m.start))
                .collect()
        };
    for &(a, b) in pairs {
        match (of_fragment.get(&a).copied(), of_fragment.get(&b).copied()) {
            (Some(_), Some(_)) => {}
            (Some(class), None) | (None, Some(class)) => {
                let new = if of_fragment.contains_key(&a) { b } else { a };
                if classes[class].overlaps(&new) {
                    continue;
                }
                let around = inside(&by_file, &new);
                for f in [new].into_iter().chain(slices(&classes, &around, new.len)) {
                    if !of_fragment.contains_key(&f) && !classes[class].overlaps(&f) {
                        classes[class].add(f);
                        of_fragment.insert(f, class);
                        by_file[f.file].push((f, class));
                    }
                }
            }
            (None, None) => {
                if a.overlaps(&b) {
                    continue;
                }
                let (around_a, around_b) = (inside(&by_file, &a), inside(&by_file, &b));
                if !around_a.is_disjoint(&around_b) {
                    continue; // part of a longer clone already reported
                }
                // A fragment inside a member of a longer clone is at the
                // same offset in each of its other members: those are
                // places of this clone too (its first member may have been
                // the only one paired, in a big group).
                let mut places = vec![a, b];
                places.extend(slices(&classes, &around_a, a.len));
                places.extend(slices(&classes, &around_b, b.len));
                let class = classes.len();
                let mut building = Building {
                    members: Vec::new(),
                    spans: BTreeMap::new(),
                };
                for f in places {
                    if !of_fragment.contains_key(&f) && !building.overlaps(&f) {
                        building.add(f);
                        of_fragment.insert(f, class);
                        by_file[f.file].push((f, class));
                    }
                }
                classes.push(building);
            }
        }
    }
    classes
}

/// Code and duplicated lines of one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileDuplication {
    /// Lines holding at least one token.
    pub code_lines: usize,
    /// Code lines inside a member of a clone class.
    pub duplicated_lines: usize,
}

/// Duplicated over code lines, for a module or the whole run.
#[derive(Clone, Copy, Debug, Default)]
pub struct LineShare {
    pub code_lines: usize,
    pub duplicated_lines: usize,
}

impl LineShare {
    /// Percent, rounded to 2 decimals; 0 without code.
    pub fn percent(&self) -> f64 {
        if self.code_lines == 0 {
            0.0
        } else {
            (self.duplicated_lines as f64 * 10000.0 / self.code_lines as f64).round() / 100.0
        }
    }
}

/// The share of duplicated code lines over all files.
pub fn total_share(files: &[FileDuplication]) -> LineShare {
    files.iter().fold(LineShare::default(), |t, f| LineShare {
        code_lines: t.code_lines + f.code_lines,
        duplicated_lines: t.duplicated_lines + f.duplicated_lines,
    })
}

/// The share of duplicated code lines per module, by `ModuleId`.
pub fn module_shares(
    files: &[FileDuplication],
    modules: &crate::modules::ModuleMap,
) -> Vec<LineShare> {
    let mut shares = vec![LineShare::default(); modules.names.len()];
    for (file, f) in files.iter().enumerate() {
        let share = &mut shares[modules.of_file[file]];
        share.code_lines += f.code_lines;
        share.duplicated_lines += f.duplicated_lines;
    }
    shares
}

/// Per file: code lines and duplicated lines.
pub fn duplication(
    streams: &[Option<&TokenStream>],
    classes: &[CloneClass],
) -> Vec<FileDuplication> {
    lines_covered(streams, classes.iter().flat_map(|c| &c.members))
}

/// Per file: code lines, and those the fragments cover.
pub fn lines_covered<'f>(
    streams: &[Option<&TokenStream>],
    fragments: impl Iterator<Item = &'f Fragment>,
) -> Vec<FileDuplication> {
    let mut members: BTreeMap<FileId, Vec<&Fragment>> = BTreeMap::new();
    for m in fragments {
        members.entry(m.file).or_default().push(m);
    }
    streams
        .iter()
        .enumerate()
        .map(|(file, stream)| {
            let Some(stream) = stream else {
                return FileDuplication::default();
            };
            let lines = stream.line_starts.len() + 1;
            let mut code = vec![false; lines + 1];
            // Tokens come in order: the line of each is found by walking the
            // line starts along with them.
            let starts = &stream.line_starts;
            let mut line = 0usize; // 0-based: starts[line] <= offset
            let mut line_of = |offset: u32| {
                if starts.get(line).is_some_and(|&s| s > offset) {
                    line = 0; // out of order: start again
                }
                while starts.get(line + 1).is_some_and(|&s| s <= offset) {
                    line += 1;
                }
                line + 1
            };
            // An ignored region counts for nothing, not even code.
            for t in stream.tokens.iter().filter(|t| {
                !(t.class == TokenClass::Barrier && t.text == crate::lang::tokens::IGNORED)
            }) {
                let first = line_of(t.start);
                let last = line_of(t.end.max(t.start + 1) - 1);
                code[first..=last].iter_mut().for_each(|c| *c = true);
            }
            let mut duplicated = vec![false; lines + 1];
            for m in members.get(&file).into_iter().flatten() {
                let first = stream.line(stream.tokens[m.start].start);
                let last_token = &stream.tokens[m.end() - 1];
                let last = stream.line(last_token.end.max(last_token.start + 1) - 1);
                for line in first..=last {
                    duplicated[line as usize] = true;
                }
            }
            FileDuplication {
                code_lines: code.iter().filter(|c| **c).count(),
                duplicated_lines: code
                    .iter()
                    .zip(&duplicated)
                    .filter(|(c, d)| **c && **d)
                    .count(),
            }
        })
        .collect()
}

/// The token streams clone detection compares: generated files and those
/// `[dupes] exclude` names are left out (and listed).
pub struct CloneInput<'a> {
    /// By `FileId`; `None` for files without tokens or left out.
    pub streams: Vec<Option<&'a TokenStream>>,
    pub paths: Vec<&'a str>,
    pub generated: Vec<FileId>,
    pub excluded: Vec<FileId>,
}

impl<'a> CloneInput<'a> {
    pub fn of(analysis: &'a crate::pipeline::Analysis) -> Self {
        let project = &analysis.project;
        let config = &analysis.config.dupes;
        let (mut generated, mut excluded) = (Vec::new(), Vec::new());
        let streams = analysis
            .facts
            .iter()
            .enumerate()
            .map(|(file, facts)| {
                let stream = facts.tokens.as_ref()?;
                if config.excludes(project.path(file)) {
                    excluded.push(file);
                    None
                } else if stream.generated {
                    generated.push(file);
                    None
                } else {
                    Some(stream)
                }
            })
            .collect();
        CloneInput {
            streams,
            paths: (0..project.files().len())
                .map(|f| project.path(f))
                .collect(),
            generated,
            excluded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(text: u64, class: TokenClass) -> Token {
        Token {
            text,
            start: 0,
            end: 1,
            class,
        }
    }

    /// Clone classes as (tokens, [(file, start)]) of files given as tokens.
    fn clones(files: &[Vec<Token>], mode: DupeMode, k: usize) -> Vec<(usize, Vec<(usize, usize)>)> {
        let streams: Vec<TokenStream> = files
            .iter()
            .map(|tokens| TokenStream {
                tokens: tokens.clone(),
                line_starts: vec![0],
                generated: false,
                unclosed_ignore: None,
                units: Vec::new(),
            })
            .collect();
        let refs: Vec<Option<&TokenStream>> = streams.iter().map(Some).collect();
        let names: Vec<String> = (0..files.len()).map(|i| format!("f{i:03}")).collect();
        let paths: Vec<&str> = names.iter().map(String::as_str).collect();
        let options = DupeOptions {
            min_tokens: k,
            mode,
        };
        find_clones(&refs, &paths, options)
            .into_iter()
            .map(|c| {
                (
                    c.tokens,
                    c.members.iter().map(|m| (m.file, m.start)).collect(),
                )
            })
            .collect()
    }

    fn plain(texts: impl IntoIterator<Item = u64>) -> Vec<Token> {
        texts
            .into_iter()
            .map(|t| token(t, TokenClass::Plain))
            .collect()
    }

    #[test]
    fn groups_bigger_than_pairing_all_with_all_keep_every_place() {
        // A 61-token fragment (a lead token and 60 more) in 40 files; in
        // one file its 50th token differs. The windows at the lead are one
        // group of 40, paired with file 0's window only.
        let common: Vec<u64> = (1000..1060).collect();
        for odd in [0, 39] {
            let files: Vec<Vec<Token>> = (0..40u64)
                .map(|i| {
                    let mut body = common.clone();
                    if i == odd {
                        body[49] = 9999;
                    }
                    plain([200 + i, 7].into_iter().chain(body))
                })
                .collect();
            const { assert!(39 > GROUP_PAIRS) };
            let found = clones(&files, DupeMode::Strict, 50);
            let long: Vec<(usize, usize)> = (0..40)
                .filter(|&f| f != odd as usize)
                .map(|f| (f, 1))
                .collect();
            let short: Vec<(usize, usize)> = (0..40).map(|f| (f, 1)).collect();
            // Odd file 0: the next window's group of 39 is paired with file
            // 1's, whose match starts a token earlier. Odd file 39: the
            // 50 tokens file 39 shares with file 0 are in every copy of the
            // longer clone, at the same offset.
            assert_eq!(found, [(61, long), (50, short)], "odd file {odd}");
        }
    }

    #[test]
    fn a_table_of_many_rows_is_no_clone_of_itself() {
        use TokenClass::{Literal as L, Plain as P};
        // 20,000 rows of 26 tokens, literals only changing: a period
        // longer than the masked ones (25) and shorter than a window.
        let rows: Vec<Token> = (0..20_000u64)
            .flat_map(|row| {
                (0..26u64).map(move |t| match t % 2 {
                    1 => token(row * 100 + t, L),
                    _ => token(t, P),
                })
            })
            .collect();
        assert_eq!(clones(&[rows], DupeMode::Renamed, 50), []);
    }

    #[test]
    fn copies_side_by_side_in_one_file_are_one_class() {
        use TokenClass::{Identifier as I, Plain as P};
        // `def f_j(x_j): return x_j + ...` three times in a row, 60 tokens
        // each, every copy with its own names.
        let copy = |j: u64| -> Vec<Token> {
            (0..60u64)
                .map(|t| match t % 3 {
                    0 => token(500 + j * 10 + t % 2, I),
                    _ => token(t, P),
                })
                .collect()
        };
        let file: Vec<Token> = [token(1, P)]
            .into_iter()
            .chain(copy(0))
            .chain(copy(1))
            .chain(copy(2))
            .chain([token(2, P)])
            .collect();
        let found = clones(std::slice::from_ref(&file), DupeMode::Renamed, 50);
        assert_eq!(found, [(60, vec![(0, 1), (0, 61), (0, 121)])]);
        // Written as they are, the copies differ.
        assert_eq!(clones(&[file], DupeMode::Strict, 50), []);
    }

    #[test]
    fn copies_side_by_side_start_where_a_line_starts() {
        // Lines of (indentation, token texts); each token one byte apart.
        let layout = |lines: &[(u32, Vec<u64>)]| {
            let (mut tokens, mut line_starts, mut at) = (Vec::new(), Vec::new(), 0u32);
            for (indent, texts) in lines {
                line_starts.push(at);
                at += indent;
                for &text in texts {
                    tokens.push(Token {
                        text,
                        start: at,
                        end: at + 1,
                        class: TokenClass::Plain,
                    });
                    at += 2;
                }
                at += 1;
            }
            TokenStream {
                tokens,
                line_starts,
                generated: false,
                unclosed_ignore: None,
                units: Vec::new(),
            }
        };
        let close = xxh3_64(b"}");
        // A function of 60 tokens: its head, a body, and a tail of five
        // tokens and `}` that the function before it ends with too.
        let function = |lines: &mut Vec<(u32, Vec<u64>)>| {
            lines.push((0, vec![10, 11, 12]));
            lines.extend((0..10).map(|i| (4, (100 + i * 5..105 + i * 5).collect())));
            lines.push((4, vec![20, 21, 22, 23, 24]));
            lines.push((0, vec![close]));
        };
        let mut lines = vec![
            (0, vec![1, 2]),
            (4, vec![20, 21, 22, 23, 24]),
            (0, vec![close]),
        ];
        function(&mut lines);
        function(&mut lines);
        lines.push((0, vec![3]));
        let stream = layout(&lines);
        let found = find_clones(
            &[Some(&stream)],
            &["f"],
            DupeOptions {
                min_tokens: 50,
                mode: DupeMode::Strict,
            },
        );
        // The match begins with the tail before the first function; the
        // copies begin with the functions' heads (tokens 8 and 67).
        let places: Vec<(usize, usize)> = found
            .iter()
            .flat_map(|c| c.members.iter().map(|m| (m.start, m.len)))
            .collect();
        assert_eq!(places, [(8, 59), (67, 59)]);
    }

    #[test]
    fn the_copy_after_next_matches_when_the_middle_one_renames_otherwise() {
        use TokenClass::{Identifier as I, Plain as P};
        // Ten statements `x = y + z;` (x and y one name in copies 0 and 2,
        // two in copy 1): under renaming, copy 1 matches neither.
        let copy = |middle: bool| -> Vec<Token> {
            (0..10u64)
                .flat_map(|s| {
                    let y = if middle { 30 + s } else { 10 + s };
                    [
                        token(10 + s, I),
                        token(100 + s, P),
                        token(y, I),
                        token(200 + s, P),
                        token(50 + s, I),
                        token(300 + s, P),
                    ]
                })
                .collect()
        };
        let file: Vec<Token> = [token(1, P)]
            .into_iter()
            .chain(copy(false))
            .chain(copy(true))
            .chain(copy(false))
            .chain([token(2, P)])
            .collect();
        assert_eq!(
            clones(&[file], DupeMode::Renamed, 50),
            [(60, vec![(0, 1), (0, 121)])]
        );
    }

    #[test]
    fn tables_of_entries_twenty_tokens_long_match_only_as_written() {
        use TokenClass::{Literal as L, Plain as P};
        // Ten entries of 20 tokens: literals vary, the rest repeats.
        let table = |seed: u64| -> Vec<Token> {
            (0..10u64)
                .flat_map(|e| {
                    (0..20u64).map(move |t| match t % 4 {
                        1 => token(seed + e * 100 + t, L),
                        _ => token(t, P),
                    })
                })
                .collect()
        };
        let a = table(10_000);
        let b = table(20_000);
        assert_eq!(
            clones(std::slice::from_ref(&a), DupeMode::Renamed, 50),
            [],
            "no self-clone"
        );
        assert_eq!(
            clones(&[a.clone(), b], DupeMode::Renamed, 50),
            [],
            "other values"
        );
        assert_eq!(
            clones(&[a.clone(), a], DupeMode::Renamed, 50),
            [(200, vec![(0, 0), (1, 0)])]
        );
    }

    #[test]
    fn a_fragment_twice_inside_a_copied_one_is_its_own_class() {
        // f = g, ten other tokens, g again; f is in two files.
        let g: Vec<u64> = (1000..1060).collect();
        let f: Vec<u64> = g
            .iter()
            .copied()
            .chain(2000..2010)
            .chain(g.iter().copied())
            .collect();
        let a = plain([1].into_iter().chain(f.iter().copied()).chain([2]));
        let b = plain([3, 4].into_iter().chain(f.iter().copied()).chain([5]));
        let found = clones(&[a, b], DupeMode::Strict, 50);
        assert_eq!(
            found,
            [
                (130, vec![(0, 1), (1, 2)]),
                (60, vec![(0, 1), (0, 71), (1, 2), (1, 72)]),
            ]
        );
    }

    #[test]
    fn rolling_windows_match_hashing_each_window_anew() {
        let values: Vec<u64> = (1..40).map(|v| v * 7919).collect();
        let rolled = windows(0, &values, &[], 5);
        for &(hash, _, start) in &rolled {
            let direct = values[start as usize..start as usize + 5]
                .iter()
                .fold(0u64, |h, &v| h.wrapping_mul(BASE).wrapping_add(v));
            assert_eq!(hash, direct);
        }
        assert_eq!(rolled.len(), 35);
        let mut with_barrier = values.clone();
        with_barrier[10] = BARRIER;
        // Windows holding index 10 (starts 6..=10) are gone.
        assert_eq!(windows(0, &with_barrier, &[], 5).len(), 30);
    }

    #[test]
    fn periodic_cover_agrees_with_checking_every_window() {
        // Every window checked for every period, the plain way.
        let reference = |values: &[u64], k: usize| {
            let mut covered = vec![false; values.len()];
            for i in 0..values.len().saturating_sub(k - 1) {
                let window = &values[i..i + k];
                let periodic = (1..=MAX_PERIOD.min(k / 2)).any(|p| {
                    window[..k - p]
                        .iter()
                        .zip(&window[p..])
                        .all(|(x, y)| x == y && *x != BARRIER)
                });
                if periodic {
                    covered[i..i + k].fill(true);
                }
            }
            covered
        };
        // Pseudo-random runs over a small alphabet, with planted repeats.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..200 {
            let mut values: Vec<u64> = (0..300).map(|_| next() % 3).collect();
            let period = (next() % 30 + 1) as usize;
            let at = (next() % 200) as usize;
            for i in at..(at + 60 + round % 40).min(300) {
                values[i] = values[i - period.min(i)];
            }
            for k in [6, 12, 20, 50] {
                assert_eq!(
                    periodic_cover(&values, k),
                    reference(&values, k),
                    "k {k}, round {round}"
                );
            }
        }
    }

    #[test]
    fn self_repeating_windows_are_masked() {
        // `'k' => 'v',` four times over: period 4 (under renaming).
        // `'k' => 'v',` ten times, keys and values renamed: period 4.
        let mut table: Vec<u64> = (0..40).map(|i| [3, 5, 3, 7][i % 4]).collect();
        // As written, every key and value differs: compared so.
        let written: Vec<u64> = (0..40)
            .map(|i| {
                if i % 2 == 0 {
                    100 + i
                } else {
                    [5, 7][i as usize / 2 % 2]
                }
            })
            .collect();
        assert_eq!(mask_periodic(&mut table, |i| written[i], 12), []);
        assert_eq!(table, written);
        // Written as repeating too (`0, 0, 0`): kept as written, the span
        // returned.
        let mut zeros: Vec<u64> = (0..40).map(|i| [9, 4][i % 2]).collect();
        let same = zeros.clone();
        assert_eq!(mask_periodic(&mut zeros, |i| same[i], 12), [(0, 40)]);
        assert_eq!(zeros, same);
        // Varied code is left as it is.
        let mut code: Vec<u64> = (1..40).map(|v| v * 7919 % 97 + 1).collect();
        let before = code.clone();
        assert_eq!(mask_periodic(&mut code, |i| before[i], 12), []);
        assert_eq!(code, before);
    }

    #[test]
    fn a_region_repeating_as_written_starts_windows_in_its_first_period_only() {
        // Six varied tokens, then `9 4` twenty times, then six more.
        let mut values: Vec<u64> = (1..=6).map(|v| v * 101).collect();
        values.extend((0..40).map(|i| [9, 4][i % 2]));
        values.extend((7..=12).map(|v| v * 101));
        let same = values.clone();
        let spans = mask_periodic(&mut values, |i| same[i], 12);
        assert_eq!(spans, [(6, 46)]);
        let starts: Vec<u32> = windows(0, &values, &spans, 12)
            .into_iter()
            .map(|(_, _, start)| start)
            .collect();
        // Windows reaching in from before (0..=5), the region's first
        // period (6, 7), and those reaching out past its end (35..=40);
        // 8..=34 repeat the window two tokens before them.
        let expected: Vec<u32> = (0..=7).chain(35..=40).collect();
        assert_eq!(starts, expected);
    }

    #[test]
    fn shifted_alignments_give_way_to_the_longest() {
        let f = |file, start, len| Fragment { file, start, len };
        let pairs = vec![
            // The copy: file 0 from 10, file 1 from 20.
            (f(0, 10, 90), f(1, 20, 90)),
            // The same copies aligned a period (30) apart: dropped.
            (f(0, 40, 60), f(1, 20, 60)),
            (f(1, 50, 60), f(0, 10, 60)),
            // Overlapping on one side only: another copy of file 1's code.
            (f(0, 200, 60), f(1, 20, 60)),
            // One file's own repetition stays.
            (f(0, 10, 60), f(0, 40, 60)),
            // Two regions of one file: the same rule.
            (f(2, 0, 100), f(2, 200, 100)),
            (f(2, 30, 60), f(2, 200, 60)),
        ];
        assert_eq!(
            without_shifted(pairs.clone(), 50),
            [pairs[0], pairs[3], pairs[4], pairs[5]]
        );
        // Touching at their ends (40 tokens shared, under k): two copies.
        let touching = vec![(f(0, 10, 90), f(1, 20, 90)), (f(0, 60, 60), f(1, 75, 60))];
        assert_eq!(without_shifted(touching.clone(), 50), touching);
        // At another shift (15, not 10), overlapping by 60 and 55, but
        // going on 70 tokens past the longer pair in both files (offsets
        // 60..130): a copy of its own.
        let past = vec![
            (f(0, 10, 140), f(1, 20, 140)),
            (f(0, 90, 130), f(1, 105, 130)),
        ];
        assert_eq!(without_shifted(past.clone(), 50), past);
        // Going on only 40 past it: dropped.
        let short = vec![
            (f(0, 10, 140), f(1, 20, 140)),
            (f(0, 90, 100), f(1, 105, 100)),
        ];
        assert_eq!(without_shifted(short.clone(), 50), [short[0]]);
    }

    #[test]
    fn renamings_must_be_one_to_one() {
        use TokenClass::{Identifier as I, Plain as P};
        // a = a + b   vs   x = x + y : consistent.
        let a = [
            token(1, I),
            token(9, P),
            token(1, I),
            token(8, P),
            token(2, I),
        ];
        let b = [
            token(5, I),
            token(9, P),
            token(5, I),
            token(8, P),
            token(6, I),
        ];
        assert_eq!(consistent_runs(&a, &b, 5, 3), [(0, 5)]);
        // a = a + a   vs   x = x + y : `a` would map to both x and y.
        let c = [
            token(1, I),
            token(9, P),
            token(1, I),
            token(8, P),
            token(1, I),
        ];
        assert_eq!(consistent_runs(&c, &b, 5, 3), [(0, 4)]);
        // Too short once split.
        assert_eq!(consistent_runs(&c, &b, 5, 5), []);
        // `1 _ 1 _ 2 _ 2 ...` vs `5 _ 6 _ 6 _ 6 ...`: the runs [0, 2),
        // [1, 4) and [3, 12) are maximal; the longest is taken whole, not
        // cut short by the shorter one before it.
        let texts = |t: [u64; 12]| t.map(|v| token(v, if v == 9 { P } else { I }));
        let d = texts([1, 9, 1, 9, 2, 9, 2, 9, 2, 9, 2, 9]);
        let e = texts([5, 9, 6, 9, 6, 9, 6, 9, 6, 9, 6, 9]);
        assert_eq!(consistent_runs(&d, &e, 12, 3), [(3, 9)]);
    }
}
