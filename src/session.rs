//! A warm analysis: built once, then brought up to date before each
//! question by re-reading only what changed (`vantage mcp`).
//!
//! Before every question each source file's stamp (size, modification
//! and status-change times, inode) is compared with the one it was read
//! with, and each folder's, whose stamp moves when an entry is added or
//! removed; so are the stamps of the manifests the resolvers read, the
//! ignore files and the files discovery skipped. A file whose stamp moved
//! is hashed; only new bytes are parsed again. A folder that moved, or a
//! created or removed path, discovers the tree again (reusing the facts
//! of every unchanged file); a changed manifest, ignore file or skipped
//! file assembles the graph again; a changed vantage.toml reloads
//! everything. The stamps alone are complete; a file watcher (`notify`)
//! adds what they cannot see: an edit within one clock tick that keeps
//! size and times.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use crate::Error;
use crate::cache::content_hash;
use crate::discover::{Candidate, DiscoverOptions, Discovery, SkipReason, discover};
use crate::facts::FileFacts;
use crate::lang;
use crate::pipeline::{self, Analysis, Options, Parse};

/// What a file looked like when it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// The status-change time and inode (Unix): a write that restores the
    /// modification time still moves the status-change time.
    changed: (i64, i64, u64),
}

/// A file changed this recently may change again within the same clock
/// tick, leaving its stamp as it was: it is hashed on every refresh until
/// it is older (git's "racily clean" entries).
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

impl Stamp {
    fn racy(&self, now: SystemTime) -> bool {
        let recent = |time: SystemTime| now.duration_since(time).map_or(true, |age| age < RACY);
        #[cfg(unix)]
        let changed_recently = {
            let ctime = std::time::UNIX_EPOCH
                + std::time::Duration::new(
                    self.changed.0.max(0) as u64,
                    self.changed.1.clamp(0, 999_999_999) as u32,
                );
            recent(ctime)
        };
        #[cfg(not(unix))]
        let changed_recently = false;
        self.modified.is_none_or(recent) || changed_recently
    }
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let changed = {
        use std::os::unix::fs::MetadataExt;
        (meta.ctime(), meta.ctime_nsec(), meta.ino())
    };
    #[cfg(not(unix))]
    let changed = (0, 0, 0);
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        changed,
    })
}

/// One candidate as last read.
#[derive(Clone)]
struct Tracked {
    stamp: Option<Stamp>,
    /// Stamped within [`RACY`] of its last change: read again regardless.
    racy: bool,
    hash: Option<i64>,
    /// Why it has no facts, if it has none.
    skip: Option<SkipReason>,
}

/// What the last refresh did, for the answer's `freshness`.
#[derive(Clone, Debug, Default)]
pub struct Refreshed {
    /// Files read again because they changed (sorted).
    pub reparsed: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// The graph was assembled again from the kept facts.
    pub reassembled: bool,
    /// The configuration changed: everything was read again.
    pub reloaded: bool,
    pub millis: f64,
}

impl Refreshed {
    pub fn changed(&self) -> bool {
        self.reloaded
            || !self.reparsed.is_empty()
            || !self.added.is_empty()
            || !self.removed.is_empty()
    }
}

/// A candidate read again: its index, how it was read, and its new facts
/// (`None`: the bytes were the same).
type Reread = (usize, Tracked, Option<Result<FileFacts, SkipReason>>);

pub struct Session {
    root: PathBuf,
    options: Options,
    discover_options: DiscoverOptions,
    config_path: PathBuf,
    config_stamp: Option<Stamp>,
    candidates: Vec<Candidate>,
    tracked: Vec<Tracked>,
    /// Everything discovery found besides the candidates.
    rest: Discovery,
    /// The root and every folder walked, with stamps: one moves when an
    /// entry is added or removed.
    dirs: Vec<(PathBuf, Option<Stamp>)>,
    /// Files besides the sources whose change changes the graph: the
    /// manifests read, ignore files, skipped files.
    inputs: Vec<Input>,
    analysis: Analysis,
    /// The deleted files the analysis keeps as nodes (`impact --since`).
    deleted: Vec<String>,
    watcher: Option<Watch>,
    /// Counts the analyses built: answers of one generation agree.
    pub generation: u64,
}

struct Watch {
    _watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

impl Session {
    /// Analyses `root` (the facts cache speeds this up as for any run)
    /// and starts watching it. Runs in the current rayon pool.
    pub fn open(root: &Path, options: Options, watch: bool) -> Result<Session, Error> {
        Session::open_keeping(root, options, watch, &[])
    }

    /// [`Session::open`], keeping `deleted` as nodes.
    fn open_keeping(
        root: &Path,
        options: Options,
        watch: bool,
        deleted: &[String],
    ) -> Result<Session, Error> {
        let (config, discover_options) = pipeline::prepare(root, &options)?;
        let config_path = config
            .path
            .clone()
            .unwrap_or_else(|| root.join("vantage.toml"));
        let config_stamp = stamp(&config_path);
        let watcher = if watch { start_watch(root) } else { None };
        let mut discovery = discover(root, &discover_options)?;
        let candidates = std::mem::take(&mut discovery.candidates);
        let stamps: Vec<Option<Stamp>> = candidates
            .par_iter()
            .map(|c| stamp(&root.join(&c.path)))
            .collect();
        let cache = options.cache_options(root, &config);
        let parse = Parse {
            extraction: options.extraction,
            cache: cache.as_ref(),
            progress: options.progress,
        };
        let reads = pipeline::parse_all(root, &candidates, parse, &mut |_| {});
        // A warm cache compiled no query; the first edit should not wait
        // for them.
        let mut languages: Vec<lang::Language> = candidates.iter().map(|c| c.language).collect();
        languages.sort();
        languages.dedup();
        lang::warm_queries(&languages, options.extraction);
        let mut tracked = Vec::with_capacity(reads.len());
        let mut parsed = Vec::with_capacity(reads.len());
        let now = SystemTime::now();
        for ((candidate, read), stamp) in candidates.iter().zip(reads).zip(stamps) {
            tracked.push(Tracked {
                stamp,
                racy: stamp.is_none_or(|s| s.racy(now)),
                hash: read.hash,
                skip: read.result.as_ref().err().cloned(),
            });
            parsed.push((candidate.clone(), read.result));
        }
        let dirs = folders(root, &discovery);
        let analysis = pipeline::assemble(
            root,
            config,
            discovery.clone(),
            parsed,
            (deleted, &discover_options.excludes),
        );
        let inputs = inputs(root, &discovery, &analysis);
        Ok(Session {
            root: root.to_path_buf(),
            options,
            discover_options,
            config_path,
            config_stamp,
            candidates,
            tracked,
            rest: discovery,
            dirs,
            inputs,
            analysis,
            deleted: deleted.to_vec(),
            watcher,
            generation: 1,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    pub fn watching(&self) -> bool {
        self.watcher.is_some()
    }

    /// Brings the analysis up to date with the files on disk, keeping
    /// `deleted` (files a change removed) as nodes.
    pub fn refresh(&mut self, deleted: &[String]) -> Result<Refreshed, Error> {
        let clock = Instant::now();
        let mut refreshed = Refreshed::default();
        let (mut rediscover, touched) = self.drain_events();
        if stamp(&self.config_path) != self.config_stamp {
            // Opened before the old session goes: a broken vantage.toml
            // leaves the session serving, and watching, as it was.
            let mut fresh =
                Session::open_keeping(&self.root, self.options.clone(), false, deleted)?;
            fresh.watcher = self.watcher.take();
            fresh.generation = self.generation + 1;
            *self = fresh;
            refreshed.reloaded = true;
            refreshed.millis = clock.elapsed().as_secs_f64() * 1e3;
            return Ok(refreshed);
        }
        rediscover |= self
            .dirs
            .par_iter()
            .any(|(dir, before)| stamp(dir) != *before);
        let now = SystemTime::now();
        let root = &self.root;
        let mut reassemble = self
            .inputs
            .par_iter_mut()
            .map(|input| input.moved(root, now, &touched))
            .reduce(|| false, |a, b| a || b);
        rediscover |= reassemble;

        // Which candidates to read again, and the new file list.
        let old: Vec<Candidate> = self.candidates.clone();
        let (candidates, previous): (Vec<Candidate>, Vec<Option<usize>>) = if rediscover {
            let mut discovery = discover(&self.root, &self.discover_options)?;
            let candidates = std::mem::take(&mut discovery.candidates);
            let index: HashMap<&str, usize> = old
                .iter()
                .enumerate()
                .map(|(i, c)| (c.path.as_str(), i))
                .collect();
            let previous = candidates
                .iter()
                .map(|c| {
                    index
                        .get(c.path.as_str())
                        .copied()
                        .filter(|&i| old[i].language == c.language)
                })
                .collect();
            self.dirs = folders(&self.root, &discovery);
            // Other files, skipped ones or excluded folders that came or
            // went change what the resolvers see.
            reassemble |= discovery != self.rest;
            self.inputs = inputs(&self.root, &discovery, &self.analysis);
            self.rest = discovery;
            (candidates, previous)
        } else {
            let previous = (0..old.len()).map(Some).collect();
            (old.clone(), previous)
        };
        let root = &self.root;
        let tracked = &self.tracked;
        let stamps: Vec<Option<Stamp>> = candidates
            .par_iter()
            .map(|c| stamp(&root.join(&c.path)))
            .collect();
        let extraction = self.options.extraction;
        // (index, tracked, new facts) for every candidate read again.
        let reread: Vec<Reread> = candidates
            .par_iter()
            .enumerate()
            .filter(|(i, c)| match previous[*i] {
                None => true,
                Some(p) => {
                    stamps[*i] != tracked[p].stamp || tracked[p].racy || touched.contains(&c.path)
                }
            })
            .map(|(i, c)| {
                let before = previous[i].map(|p| &tracked[p]);
                let bytes = pipeline::read_source(root, c);
                let hash = bytes.as_ref().ok().map(|b| content_hash(b));
                let same =
                    before.is_some_and(|b| b.skip.is_none() && b.hash.is_some() && b.hash == hash);
                let result = match bytes {
                    _ if same => None,
                    Err(reason) => Some(Err(reason)),
                    Ok(bytes) => Some(
                        lang::extract_with(c.language, &bytes, extraction)
                            .map_err(SkipReason::from),
                    ),
                };
                let stamp = stamps[i];
                let racy = stamp.is_none_or(|s| s.racy(now));
                // Bytes as they were: `same` held only for a file with facts.
                let skip = match &result {
                    Some(Err(reason)) => Some(reason.clone()),
                    _ => None,
                };
                (
                    i,
                    Tracked {
                        stamp,
                        racy,
                        hash,
                        skip,
                    },
                    result,
                )
            })
            .collect();

        let kept: HashSet<usize> = previous.iter().flatten().copied().collect();
        refreshed.removed = (0..old.len())
            .filter(|i| !kept.contains(i))
            .map(|i| old[i].path.clone())
            .collect();
        let mut new_facts: HashMap<usize, Result<FileFacts, SkipReason>> = HashMap::new();
        let mut new_tracked: Vec<Option<Tracked>> = vec![None; candidates.len()];
        for (i, track, result) in reread {
            if let Some(result) = result {
                match previous[i] {
                    None => refreshed.added.push(candidates[i].path.clone()),
                    Some(_) => refreshed.reparsed.push(candidates[i].path.clone()),
                }
                new_facts.insert(i, result);
            }
            new_tracked[i] = Some(track);
        }
        let tracked: Vec<Tracked> = new_tracked
            .into_iter()
            .enumerate()
            .map(|(i, t)| t.unwrap_or_else(|| self.tracked[previous[i].expect("kept")].clone()))
            .collect();
        self.tracked = tracked;
        let same_deleted = self.deleted == deleted;
        if !refreshed.changed() && same_deleted && !reassemble {
            self.candidates = candidates;
            refreshed.millis = clock.elapsed().as_secs_f64() * 1e3;
            return Ok(refreshed);
        }
        // The same files with new bytes: their imports alone are resolved
        // again, when the resolvers' inputs stayed the same.
        if same_deleted && !reassemble && refreshed.added.is_empty() && refreshed.removed.is_empty()
        {
            let mut changed = Vec::new();
            let mut all_facts = true;
            for (i, result) in new_facts.drain() {
                match (result, self.analysis.project.file(&candidates[i].path)) {
                    (Ok(facts), Some(id)) => changed.push((id, facts)),
                    _ => all_facts = false,
                }
            }
            changed.sort_by_key(|(id, _)| *id);
            let outcome = if all_facts {
                pipeline::update(&mut self.analysis, changed)
            } else {
                Err(changed)
            };
            match outcome {
                Ok(()) => {
                    self.generation += 1;
                    self.candidates = candidates;
                    refreshed.millis = clock.elapsed().as_secs_f64() * 1e3;
                    return Ok(refreshed);
                }
                Err(changed) => {
                    // Back by candidate index, for the whole assembly.
                    let index: HashMap<&str, usize> = candidates
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (c.path.as_str(), i))
                        .collect();
                    for (id, facts) in changed {
                        let path = self.analysis.project.path(id);
                        new_facts.insert(index[path], Ok(facts));
                    }
                    // Files that failed to read or parse again.
                    for (i, track) in self.tracked.iter().enumerate() {
                        if let (Some(reason), true) = (
                            &track.skip,
                            refreshed.reparsed.contains(&candidates[i].path),
                        ) {
                            new_facts.entry(i).or_insert_with(|| Err(reason.clone()));
                        }
                    }
                }
            }
        }
        // Facts of unchanged files move from the old analysis.
        let mut old_facts = self.take_facts(&old);
        let parsed: Vec<Result<FileFacts, SkipReason>> = (0..candidates.len())
            .map(|i| match new_facts.remove(&i) {
                Some(result) => result,
                None => {
                    let p = previous[i].expect("unread files were kept");
                    match &self.tracked[i].skip {
                        Some(reason) => Err(reason.clone()),
                        None => Ok(std::mem::take(&mut old_facts[p])),
                    }
                }
            })
            .collect();
        self.candidates = candidates;
        self.reassemble(parsed, deleted.to_vec());
        refreshed.reassembled = true;
        refreshed.millis = clock.elapsed().as_secs_f64() * 1e3;
        Ok(refreshed)
    }

    /// Every candidate's facts, by candidate index, moved out of the
    /// analysis (which is rebuilt right after).
    fn take_facts(&mut self, candidates: &[Candidate]) -> Vec<FileFacts> {
        let analysis = &mut self.analysis;
        candidates
            .iter()
            .map(|c| {
                analysis
                    .project
                    .file(&c.path)
                    .map(|id| std::mem::take(&mut analysis.facts[id]))
                    .unwrap_or_default()
            })
            .collect()
    }

    /// Rebuilds the analysis from `parsed` (by candidate).
    fn reassemble(&mut self, parsed: Vec<Result<FileFacts, SkipReason>>, deleted: Vec<String>) {
        let config = self.analysis.config.clone();
        let mut rest = self.rest.clone();
        rest.candidates = Vec::new();
        self.analysis = pipeline::assemble(
            &self.root,
            config,
            rest,
            self.candidates.iter().cloned().zip(parsed).collect(),
            (&deleted, &self.discover_options.excludes),
        );
        self.inputs = inputs(&self.root, &self.rest, &self.analysis);
        self.deleted = deleted;
        self.generation += 1;
    }

    /// Paths the watcher saw change (relative, `/`-separated), and whether
    /// one was created, removed or renamed (or events were lost).
    fn drain_events(&self) -> (bool, HashSet<String>) {
        let mut structure = false;
        let mut touched = HashSet::new();
        let Some(watch) = &self.watcher else {
            return (false, touched);
        };
        let excluded = &self.rest.excluded_dirs;
        while let Ok(event) = watch.events.try_recv() {
            let Ok(event) = event else {
                structure = true;
                continue;
            };
            if event.need_rescan() {
                structure = true;
            }
            use notify::EventKind;
            for path in &event.paths {
                let Some(relative) = relative(&self.root, path) else {
                    continue;
                };
                // Hidden folders (.git, vantage's own .vantage) and the
                // default-excluded ones are never analysed.
                if relative.split('/').any(|part| part.starts_with('.'))
                    || excluded
                        .iter()
                        .any(|dir| relative == *dir || relative.starts_with(&format!("{dir}/")))
                {
                    continue;
                }
                match event.kind {
                    EventKind::Access(_) => {}
                    EventKind::Modify(notify::event::ModifyKind::Data(_))
                    | EventKind::Modify(notify::event::ModifyKind::Metadata(_)) => {
                        touched.insert(relative);
                    }
                    _ => {
                        structure = true;
                        touched.insert(relative);
                    }
                }
            }
        }
        (structure, touched)
    }
}

fn start_watch(root: &Path) -> Option<Watch> {
    use notify::Watcher;
    let (sender, events) = channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = sender.send(event);
    })
    .ok()?;
    watcher
        .watch(root, notify::RecursiveMode::Recursive)
        .map_err(|err| {
            eprintln!(
                "vantage: not watching {} ({err}); each call re-checks every file instead",
                root.display()
            )
        })
        .ok()?;
    Some(Watch {
        _watcher: watcher,
        events,
    })
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The root and every folder walked, with stamps.
fn folders(root: &Path, discovery: &Discovery) -> Vec<(PathBuf, Option<Stamp>)> {
    std::iter::once(root.to_path_buf())
        .chain(discovery.folders.iter().map(|dir| root.join(dir)))
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|path| {
            let stamp = stamp(&path);
            (path, stamp)
        })
        .collect()
}

/// A file besides the sources whose edit changes the graph.
struct Input {
    path: String,
    stamp: Option<Stamp>,
    /// Of the bytes read; `None` when unreadable or not read: a skipped
    /// file (which may be huge) matters by its stamp alone — its size,
    /// mode or kind decide whether it becomes a source, never its bytes.
    hash: Option<i64>,
    by_content: bool,
}

impl Input {
    fn read(root: &Path, path: String, by_content: bool) -> Input {
        let full = root.join(&path);
        let stamp = stamp(&full);
        let hash = by_content.then(|| hash_of(&full)).flatten();
        Input {
            path,
            stamp,
            hash,
            by_content,
        }
    }

    /// Whether it changed: for a file read by content, hashed again when
    /// its stamp moved, is racy, or the watcher saw it.
    fn moved(&mut self, root: &Path, now: SystemTime, touched: &HashSet<String>) -> bool {
        let full = root.join(&self.path);
        let after = stamp(&full);
        if !self.by_content {
            let moved = after != self.stamp;
            self.stamp = after;
            return moved;
        }
        if after == self.stamp
            && !after.is_some_and(|s| s.racy(now))
            && !touched.contains(&self.path)
        {
            return false;
        }
        let hash = hash_of(&full);
        let moved = hash != self.hash || after.map(|s| s.len) != self.stamp.map(|s| s.len);
        self.stamp = after;
        self.hash = hash;
        moved
    }
}

fn hash_of(path: &Path) -> Option<i64> {
    std::fs::read(path).ok().map(|b| content_hash(&b))
}

/// The files besides sources whose edit changes the graph:
/// the manifests the analysis read, every ignore file discovery obeyed
/// (a new one moves its folder's stamp), and the skipped files (one cut
/// down below the size limit becomes a source).
fn inputs(root: &Path, discovery: &Discovery, analysis: &Analysis) -> Vec<Input> {
    let folders = std::iter::once("").chain(discovery.folders.iter().map(String::as_str));
    let ignores = folders.flat_map(|dir| {
        [".gitignore", ".ignore"]
            .into_iter()
            .map(move |name| crate::project::child(dir, name))
    });
    // (path, read by content); a manifest that was also skipped is read.
    let mut paths: Vec<(String, bool)> = analysis
        .project
        .read_so_far()
        .into_iter()
        .chain(std::iter::once(".git/info/exclude".to_string()))
        .chain(ignores.filter(|path| root.join(path).is_file()))
        .map(|path| (path, true))
        .chain(discovery.skipped.iter().map(|s| (s.path.clone(), false)))
        .collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    paths.dedup_by(|later, kept| later.0 == kept.0);
    paths
        .into_par_iter()
        .map(|(path, by_content)| Input::read(root, path, by_content))
        .collect()
}
