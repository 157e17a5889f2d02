//! The repository as the resolvers see it: every discovered path, by
//! repository-relative `/`-separated name, and the directories that hold them.
//!
//! Resolvers probe this index instead of the file system, so that resolution
//! agrees with discovery (excludes, .gitignore) and costs no system calls.
//! Manifests (package.json, tsconfig.json, pyproject.toml) are the only files
//! read again, through [`ProjectFiles::read_text`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::discover::SkipReason;
use crate::lang::Language;

/// Dense index of a parsed source file; assigned in path order.
pub type FileId = usize;

/// A source file of the repository: a node of the file graph.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Repository-relative, `/`-separated.
    pub path: String,
    pub language: Language,
    /// Why the file was not parsed (too large, binary, unreadable, a link
    /// not followed). It stays a node, so that imports of it resolve; it
    /// has no facts and no imports of its own.
    pub skipped: Option<SkipReason>,
}

pub struct ProjectFiles {
    root: PathBuf,
    /// Source files, sorted by path; the index is the `FileId`.
    files: Vec<SourceFile>,
    by_path: HashMap<String, FileId>,
    /// Files that were discovered but are not parsed (manifests, assets,
    /// `.json`), for specifiers that name them.
    others: HashSet<String>,
    /// Every directory holding a discovered file, at any depth; `""` is the
    /// root.
    dirs: HashSet<String>,
    /// The manifests read, whose edits a warm session must see.
    read: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl ProjectFiles {
    /// `files` must be sorted by path and unique (discovery guarantees it).
    pub fn new(root: PathBuf, files: Vec<SourceFile>, others: Vec<String>) -> Self {
        debug_assert!(files.windows(2).all(|w| w[0].path < w[1].path));
        let by_path = files
            .iter()
            .enumerate()
            .map(|(id, f)| (f.path.clone(), id))
            .collect();
        let mut dirs = HashSet::new();
        dirs.insert(String::new());
        for path in files
            .iter()
            .map(|f| f.path.as_str())
            .chain(others.iter().map(String::as_str))
        {
            let mut dir = parent(path);
            while !dir.is_empty() && dirs.insert(dir.to_string()) {
                dir = parent(dir);
            }
        }
        ProjectFiles {
            root,
            files,
            by_path,
            others: others.into_iter().collect(),
            dirs,
            read: Default::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Gives files the names `renamed` returns, keeping their ids: a
    /// finished analysis of an older tree seen under today's names (files a
    /// change moved), so that its findings compare with today's. Resolution
    /// is over by then; file order no longer follows the paths.
    pub fn rename(&mut self, renamed: impl Fn(&str) -> Option<String>) {
        for file in &mut self.files {
            if let Some(new) = renamed(&file.path) {
                file.path = new;
            }
        }
        self.by_path = self
            .files
            .iter()
            .enumerate()
            .map(|(id, f)| (f.path.clone(), id))
            .collect();
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.files[id].path
    }

    /// The source file at `path`.
    pub fn file(&self, path: &str) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// Whether a discovered file is at `path` that vantage does not parse.
    pub fn is_other(&self, path: &str) -> bool {
        self.others.contains(path)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path)
    }

    /// Non-source files whose name is `name` (`package.json`), sorted.
    pub fn others_named<'a>(&'a self, name: &'a str) -> std::vec::IntoIter<&'a str> {
        self.others_where(move |path| file_name(path) == name)
    }

    /// Non-source files whose path satisfies `keep`, sorted.
    pub fn others_where(&self, keep: impl Fn(&str) -> bool) -> std::vec::IntoIter<&str> {
        let mut found: Vec<&str> = self
            .others
            .iter()
            .map(String::as_str)
            .filter(|p| keep(p))
            .collect();
        found.sort_unstable();
        found.into_iter()
    }

    /// Reads a manifest the discovery found. `None` when it is missing,
    /// unreadable, excluded (a tsconfig `extends` into node_modules) or
    /// outside the root: manifests are advisory, never fatal.
    pub fn read_text(&self, path: &str) -> Option<String> {
        if !self.is_other(path) && self.file(path).is_none() {
            return None;
        }
        self.read
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .insert(path.to_string());
        std::fs::read_to_string(self.root.join(path)).ok()
    }

    /// Every file [`ProjectFiles::read_text`] was asked for, sorted.
    pub fn read_so_far(&self) -> Vec<String> {
        let read = self
            .read
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        read.iter().cloned().collect()
    }

    /// A TOML manifest (Cargo.toml) as [`ProjectFiles::read_text`] finds
    /// it; `None` too when it does not parse.
    pub fn read_toml(&self, path: &str) -> Option<toml::Table> {
        self.read_text(path)?.parse().ok()
    }
}

/// The directory part of a relative path (`""` at the top).
pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// The last component of a path.
pub fn file_name(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// `path` relative to `dir` when it lies strictly below it (`""` is the
/// top: everything lies below it).
pub fn below<'p>(path: &'p str, dir: &str) -> Option<&'p str> {
    if dir.is_empty() {
        return Some(path);
    }
    path.strip_prefix(dir)?.strip_prefix('/')
}

/// `dir/name`, or `name` at the top; no normalisation (see [`join`]).
pub fn child(dir: &str, name: &str) -> String {
    match (dir.is_empty(), name.is_empty()) {
        (true, _) => name.to_string(),
        (_, true) => dir.to_string(),
        _ => format!("{dir}/{name}"),
    }
}

/// Joins a relative path onto a directory and normalises `.` and `..`.
/// `None` when the result would leave the repository.
pub fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_normalises_and_refuses_to_escape() {
        assert_eq!(join("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(join("a/b", "./c/./d").as_deref(), Some("a/b/c/d"));
        assert_eq!(join("", "x").as_deref(), Some("x"));
        assert_eq!(join("a", "..").as_deref(), Some(""));
        assert_eq!(join("a", "../.."), None);
        assert_eq!(join("a/", "b/").as_deref(), Some("a/b"));
    }

    #[test]
    fn parent_and_file_name() {
        assert_eq!(parent("a/b/c.py"), "a/b");
        assert_eq!(parent("c.py"), "");
        assert_eq!(file_name("a/b/c.py"), "c.py");
        assert_eq!(file_name("c.py"), "c.py");
    }

    #[test]
    fn directories_are_indexed_at_every_depth() {
        let files = vec![SourceFile {
            path: "a/b/c.py".into(),
            language: Language::Python,
            skipped: None,
        }];
        let project = ProjectFiles::new(PathBuf::from("/r"), files, vec!["d/e.json".into()]);
        for dir in ["", "a", "a/b", "d"] {
            assert!(project.is_dir(dir), "{dir}");
        }
        assert!(!project.is_dir("a/b/c.py"));
        assert!(project.is_other("d/e.json"));
        assert_eq!(below("a/b/c.py", "a"), Some("b/c.py"));
        assert_eq!(below("ab/c.py", "a"), None);
        assert_eq!(child("", "x"), "x");
        assert_eq!(project.file("a/b/c.py"), Some(0));
    }
}

/// A name as line-oriented text shows it: control characters written as
/// escapes (`\n`, `\u{1b}`), so that a hostile name stays on its line and
/// cannot drive the terminal. Machine formats keep names as they are.
pub fn shown(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What to call the repository at `root` in a report's title: the name its
/// manifest gives the project (pyproject.toml, package.json, composer.json,
/// Cargo.toml, in that order), else its folder's name, else the path as
/// given. `.` is never a name.
pub fn display_name(root: &Path) -> String {
    let read = |name: &str| std::fs::read_to_string(root.join(name)).ok();
    let toml_name = |text: String, tables: &[&str]| -> Option<String> {
        let value: toml::Table = toml::from_str(&text).ok()?;
        tables.iter().find_map(|table| {
            let mut at = value.get(table.split('.').next()?)?;
            for key in table.split('.').skip(1) {
                at = at.get(key)?;
            }
            at.get("name")?.as_str().map(str::to_string)
        })
    };
    let json_name = |text: String| -> Option<String> {
        let value: serde_json::Value = serde_json::from_str(&text).ok()?;
        value.get("name")?.as_str().map(str::to_string)
    };
    // A name is one line of text, whatever a manifest holds.
    let usable = |name: String| {
        let name = name.trim();
        (!name.is_empty() && !name.contains(['\n', '\r']) && name.chars().count() <= 200)
            .then(|| name.to_string())
    };
    read("pyproject.toml")
        .and_then(|t| toml_name(t, &["project", "tool.poetry"]))
        .and_then(usable)
        .or_else(|| read("package.json").and_then(json_name).and_then(usable))
        .or_else(|| read("composer.json").and_then(json_name).and_then(usable))
        .or_else(|| {
            read("Cargo.toml")
                .and_then(|t| toml_name(t, &["package"]))
                .and_then(usable)
        })
        .or_else(|| {
            let canonical = std::fs::canonicalize(root).ok()?;
            usable(canonical.file_name()?.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| root.display().to_string())
}

#[cfg(test)]
mod name_tests {
    use super::display_name;

    #[test]
    fn a_manifest_names_the_project_else_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("shop-backend");
        std::fs::create_dir(&root).unwrap();
        assert_eq!(display_name(&root), "shop-backend");
        // `.` is the folder's own name.
        assert_eq!(display_name(&root.join(".")), "shop-backend");
        std::fs::write(root.join("Cargo.toml"), "[package]\nname = \"inventory\"\n").unwrap();
        assert_eq!(display_name(&root), "inventory");
        std::fs::write(root.join("package.json"), r#"{"name": "@shop/gateway"}"#).unwrap();
        assert_eq!(display_name(&root), "@shop/gateway");
        std::fs::write(
            root.join("pyproject.toml"),
            "[tool.poetry]\nname = \"shop\"\n",
        )
        .unwrap();
        assert_eq!(display_name(&root), "shop");
        // A manifest without a usable name falls through to the next.
        std::fs::write(root.join("pyproject.toml"), "[project]\nname = \"\"\n").unwrap();
        assert_eq!(display_name(&root), "@shop/gateway");
        std::fs::write(root.join("package.json"), "{ not json").unwrap();
        assert_eq!(display_name(&root), "inventory");
    }
}
