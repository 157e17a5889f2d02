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
//! spans one. Equal hashes are grouped by sorting (memory is one entry per
//! token position: no all-pairs structure). A pair of equal windows whose
//! preceding tokens differ starts a match, extended while tokens agree (and,
//! in the default mode, while the renaming stays one-to-one); matches
//! become classes, longest first: a match inside fragments of an
//! already-reported class is part of it and not reported again, and a
//! fragment never overlaps another member of its class.
//!
//! **Example.** `def f(a): return a + 1` and `def g(b): return b + 1` are
//! one class in the default mode, none in `strict`.
//!
//! **Limits.** Groups of more than [`GROUP_PAIRS`] equal windows (boiler
//! plate repeated everywhere) are paired with their first member only.
//! Near-miss clones (type-3: a statement added) are reported as separate
//! shorter clones, or not at all when the pieces are short.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::lang::tokens::{Token, TokenClass, TokenStream};
use crate::project::FileId;

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
    fn end(&self) -> usize {
        self.start + self.len
    }

    fn overlaps(&self, other: &Fragment) -> bool {
        self.file == other.file && self.start < other.end() && other.start < self.end()
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

/// Longest period of a self-repeating window that is masked.
const MAX_PERIOD: usize = 16;

/// Per start: whether the window of `k` tokens there repeats itself with a
/// short period (a table of `'key' => 'value',` entries, `$this->a = $a;`
/// assignments, runs of zeros). Such windows are alike wherever they are:
/// they make no clone, as low-complexity regions make no match in sequence
/// search.
fn periodic(values: &[u64], k: usize) -> Vec<bool> {
    let n = values.len();
    let mut masked = vec![false; n];
    for period in 1..=MAX_PERIOD.min(k / 3) {
        // Agreeing positions from i on: values[j] == values[j + period].
        let mut run = 0usize;
        for i in (0..n.saturating_sub(period)).rev() {
            run = if values[i] == values[i + period] && values[i] != BARRIER {
                run + 1
            } else {
                0
            };
            if run + period >= k {
                masked[i] = true;
            }
        }
    }
    masked
}

/// Per position: whether it lies in a self-repeating window.
fn periodic_cover(values: &[u64], k: usize) -> Vec<bool> {
    let starts = periodic(values, k);
    let mut covered = vec![false; values.len()];
    let mut covered_until = 0;
    for i in 0..values.len() {
        if starts[i] {
            covered_until = covered_until.max(i + k);
        }
        covered[i] = i < covered_until;
    }
    covered
}

/// Self-repeating regions: where the normalised tokens repeat with a short
/// period (a table of `'key' => 'value',` entries once literals are
/// renamed), the tokens are compared as written instead, so that two
/// tables match only when their entries are the same; where even the
/// written tokens repeat (`0, 0, 0, ...`), they become barriers: such
/// regions neither start a clone nor extend one.
fn mask_periodic(values: &mut [u64], strict: &[u64], k: usize) {
    for (i, repeats) in periodic_cover(values, k).into_iter().enumerate() {
        if repeats {
            values[i] = strict[i];
        }
    }
    for (i, repeats) in periodic_cover(values, k).into_iter().enumerate() {
        if repeats {
            values[i] = BARRIER;
        }
    }
}

/// (hash, file, start) of every barrier-free window of `k` tokens.
fn windows(file: FileId, values: &[u64], k: usize) -> Vec<(u64, u32, u32)> {
    let mut out = Vec::new();
    if values.len() < k || k == 0 {
        return out;
    }
    let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut hash = 0u64;
    // Tokens since the last barrier.
    let mut clean = 0usize;
    for (i, &v) in values.iter().enumerate() {
        if i >= k {
            hash = hash.wrapping_sub(values[i - k].wrapping_mul(top));
        }
        hash = hash.wrapping_mul(BASE).wrapping_add(v);
        clean = if v == BARRIER { 0 } else { clean + 1 };
        if i + 1 >= k && clean >= k {
            out.push((hash, file as u32, (i + 1 - k) as u32));
        }
    }
    out
}

/// Maximal sub-runs of `[0, len)` over which names and literals map one to
/// one between the two fragments, at least `k` long and not overlapping.
fn consistent_runs(a: &[Token], b: &[Token], len: usize, k: usize) -> Vec<(usize, usize)> {
    let renamable = |t: &Token| matches!(t.class, TokenClass::Identifier | TokenClass::Literal);
    let mut forward: HashMap<u64, (u64, usize)> = HashMap::new();
    let mut backward: HashMap<u64, (u64, usize)> = HashMap::new();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut emitted_end = 0;
    let emit = |runs: &mut Vec<(usize, usize)>, from: usize, to: usize, emitted_end: &mut usize| {
        let from = from.max(*emitted_end);
        if to >= from + k {
            runs.push((from, to - from));
            *emitted_end = to;
        }
    };
    for end in 0..len {
        let (x, y) = (&a[end], &b[end]);
        if !renamable(x) {
            continue;
        }
        loop {
            let clash = forward.get(&x.text).is_some_and(|(v, _)| *v != y.text)
                || backward.get(&y.text).is_some_and(|(v, _)| *v != x.text);
            if !clash {
                break;
            }
            emit(&mut runs, start, end, &mut emitted_end);
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
        forward.entry(x.text).or_insert((y.text, 0)).1 += 1;
        backward.entry(y.text).or_insert((x.text, 0)).1 += 1;
    }
    emit(&mut runs, start, len, &mut emitted_end);
    runs
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
    let values: Vec<Vec<u64>> = streams
        .par_iter()
        .map(|s| {
            s.map(|s| {
                let mut values: Vec<u64> = s
                    .tokens
                    .iter()
                    .map(|t| normalise(t, options.mode))
                    .collect();
                let strict: Vec<u64> = s
                    .tokens
                    .iter()
                    .map(|t| normalise(t, DupeMode::Strict))
                    .collect();
                mask_periodic(&mut values, &strict, k);
                values
            })
            .unwrap_or_default()
        })
        .collect();
    let mut entries: Vec<(u64, u32, u32)> = values
        .par_iter()
        .enumerate()
        .flat_map_iter(|(file, v)| windows(file, v, k))
        .collect();
    entries.par_sort_unstable();

    // Starts of maximal matches, found per group of equal windows.
    let candidates: Vec<(Fragment, Fragment)> = entries
        .par_chunk_by(|x, y| x.0 == y.0)
        .filter(|group| group.len() > 1)
        .flat_map_iter(|group| {
            let mut pairs = Vec::new();
            let star = group.len() > GROUP_PAIRS;
            for (i, first) in group.iter().enumerate() {
                for second in &group[i + 1..] {
                    pairs.push((*first, *second));
                }
                if star {
                    break;
                }
            }
            pairs
                .into_iter()
                .filter_map(|((_, fa, pa), (_, fb, pb))| {
                    let (fa, pa, fb, pb) = (fa as usize, pa as usize, fb as usize, pb as usize);
                    let (va, vb) = (&values[fa], &values[fb]);
                    if fa == fb && pb < pa + k {
                        return None; // overlapping windows of one file
                    }
                    // Not a start when the tokens before agree too.
                    if pa > 0 && pb > 0 && va[pa - 1] != BARRIER && va[pa - 1] == vb[pb - 1] {
                        return None;
                    }
                    if va[pa..pa + k] != vb[pb..pb + k] {
                        return None; // a hash collision
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
                })
                .collect::<Vec<_>>()
        })
        .collect();

    // Extend to maximal length, split at inconsistent renamings.
    let mut pairs: Vec<(Fragment, Fragment)> = candidates
        .par_iter()
        .flat_map_iter(|&(a, b)| {
            let (va, vb) = (&values[a.file], &values[b.file]);
            let agree = |len: usize| {
                a.start + len < va.len()
                    && b.start + len < vb.len()
                    && va[a.start + len] != BARRIER
                    && va[a.start + len] == vb[b.start + len]
            };
            let mut len = k;
            while agree(len) && (a.file != b.file || a.start + len < b.start) {
                len += 1;
            }
            // A run that repeats itself (a table of similar entries) still
            // agrees past the point where the two fragments meet: it is one
            // self-repeating region, not a copy.
            if a.file == b.file && a.start + len == b.start && (len..len + k).all(agree) {
                return Vec::new().into_iter();
            }
            let runs = if options.mode == DupeMode::Renamed {
                let ta = &streams[a.file].expect("a file with windows").tokens[a.start..];
                let tb = &streams[b.file].expect("a file with windows").tokens[b.start..];
                consistent_runs(ta, tb, len, k)
            } else {
                vec![(0, len)]
            };
            runs.into_iter()
                .map(|(offset, len)| {
                    (
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
                    )
                })
                .collect::<Vec<_>>()
                .into_iter()
        })
        .collect();
    pairs.sort_unstable_by(|x, y| y.0.len.cmp(&x.0.len).then(x.cmp(y)));
    pairs.dedup();

    let mut classes = build_classes(&pairs, streams.len());
    for class in &mut classes {
        class.members.sort();
    }
    let mut finished: Vec<CloneClass> = classes
        .into_iter()
        .map(|class| {
            let first = class.members[0];
            let mut text: Vec<u8> = options.mode.as_str().as_bytes().to_vec();
            for v in &values[first.file][first.start..first.end()] {
                text.extend_from_slice(&v.to_le_bytes());
            }
            let files: BTreeSet<&str> = class.members.iter().map(|m| paths[m.file]).collect();
            for path in files {
                text.push(0);
                text.extend_from_slice(path.as_bytes());
            }
            CloneClass {
                tokens: first.len,
                members: class.members,
                fingerprint: String::new(),
            }
            .with_print(xxh3_64(&text))
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
    finished
}

impl CloneClass {
    fn with_print(mut self, hash: u64) -> Self {
        self.fingerprint = format!("{hash:016x}");
        self
    }
}

struct Building {
    members: Vec<Fragment>,
}

/// Longest matches first: a match extends a class holding one of its
/// fragments, is dropped when both fragments lie inside members of one
/// class, else starts a class.
fn build_classes(pairs: &[(Fragment, Fragment)], files: usize) -> Vec<Building> {
    let mut classes: Vec<Building> = Vec::new();
    let mut of_fragment: HashMap<Fragment, usize> = HashMap::new();
    let mut by_file: Vec<Vec<(Fragment, usize)>> = vec![Vec::new(); files];
    let inside = |by_file: &Vec<Vec<(Fragment, usize)>>, f: &Fragment| -> BTreeSet<usize> {
        by_file[f.file]
            .iter()
            .filter(|(m, _)| m.contains(f))
            .map(|(_, c)| *c)
            .collect()
    };
    for &(a, b) in pairs {
        match (of_fragment.get(&a).copied(), of_fragment.get(&b).copied()) {
            (Some(_), Some(_)) => {}
            (Some(class), None) | (None, Some(class)) => {
                let new = if of_fragment.contains_key(&a) { b } else { a };
                if classes[class].members.iter().any(|m| m.overlaps(&new)) {
                    continue;
                }
                classes[class].members.push(new);
                of_fragment.insert(new, class);
                by_file[new.file].push((new, class));
            }
            (None, None) => {
                if a.overlaps(&b) {
                    continue;
                }
                let (around_a, around_b) = (inside(&by_file, &a), inside(&by_file, &b));
                if around_a.intersection(&around_b).next().is_some() {
                    continue; // part of a longer clone already reported
                }
                let class = classes.len();
                classes.push(Building {
                    members: vec![a, b],
                });
                for f in [a, b] {
                    of_fragment.insert(f, class);
                    by_file[f.file].push((f, class));
                }
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

/// Per file: code lines and duplicated lines.
pub fn duplication(
    streams: &[Option<&TokenStream>],
    classes: &[CloneClass],
) -> Vec<FileDuplication> {
    let mut members: BTreeMap<FileId, Vec<&Fragment>> = BTreeMap::new();
    for class in classes {
        for m in &class.members {
            members.entry(m.file).or_default().push(m);
        }
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
            // An ignored region counts for nothing, not even code.
            for t in stream.tokens.iter().filter(|t| {
                !(t.class == TokenClass::Barrier && t.text == crate::lang::tokens::IGNORED)
            }) {
                let (first, last) = (
                    stream.line(t.start),
                    stream.line(t.end.max(t.start + 1) - 1),
                );
                for line in first..=last {
                    code[line as usize] = true;
                }
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

    #[test]
    fn rolling_windows_match_hashing_each_window_anew() {
        let values: Vec<u64> = (1..40).map(|v| v * 7919).collect();
        let rolled = windows(0, &values, 5);
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
        assert_eq!(windows(0, &with_barrier, 5).len(), 30);
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
        mask_periodic(&mut table, &written, 12);
        assert_eq!(table, written);
        // Written as repeating too (`0, 0, 0`): barriers.
        let mut zeros: Vec<u64> = (0..40).map(|i| [9, 4][i % 2]).collect();
        let same = zeros.clone();
        mask_periodic(&mut zeros, &same, 12);
        assert!(zeros.iter().all(|&v| v == BARRIER));
        // Varied code is left as it is.
        let mut code: Vec<u64> = (1..40).map(|v| v * 7919 % 97 + 1).collect();
        let before = code.clone();
        mask_periodic(&mut code, &before, 12);
        assert_eq!(code, before);
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
    }
}
