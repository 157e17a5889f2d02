//! What changed since a revision, from git: the files and line ranges that
//! differ between the merge base with the revision and the working tree
//! (commits since then, staged and unstaged changes, untracked files that
//! are not ignored).
//!
//! Runs the `git` program on the repository (read-only commands, no
//! network). Paths are made relative to the analysed root; changes outside
//! it are left out.

use std::ops::RangeInclusive;
use std::path::Path;
use std::process::Command;

use crate::Error;

/// How a file changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Added,
    Modified,
    Deleted,
    /// Renamed (and maybe edited) from this path.
    Renamed(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Relative to the analysed root, `/`-separated; the old path for a
    /// deleted file.
    pub path: String,
    pub status: Status,
    /// Lines of the new version that changed (1-based, inclusive).
    pub lines: Vec<RangeInclusive<u32>>,
    /// Pure deletions: the line of the new version they happened after
    /// (or 1), and the lines of the old version they removed.
    pub deletions: Vec<(u32, RangeInclusive<u32>)>,
}

fn git(root: &Path, args: &[&str]) -> Result<String, Error> {
    git_bytes(root, args).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn git_bytes(root: &Path, args: &[&str]) -> Result<Vec<u8>, Error> {
    // The repository is not trusted: its config must not make git run
    // anything (an fsmonitor hook runs on diff and ls-files, a filter
    // driver's clean command on diff and its smudge on archive, gpg on a
    // log that shows signatures), nor reach the network (a partial clone
    // fetches missing objects on demand). Textconv and external diff
    // drivers are turned off by `diff`'s own flags.
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotePath=false", "-c", "core.fsmonitor=false"])
        .args(["-c", "log.showSignature=false"])
        .args(filters_off(root))
        .arg("--no-pager")
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .output()
        .map_err(|err| Error::Git {
            message: format!("cannot run git: {err}"),
        })?;
    if !output.status.success() {
        return Err(Error::Git {
            message: format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        });
    }
    Ok(output.stdout)
}

/// `-c filter.NAME.KEY=` for every filter command the configuration of
/// the repository at `root` names (read once per root: reading the config
/// runs nothing): an empty command is no filter, and the bytes are read as
/// committed.
fn filters_off(root: &Path) -> Vec<String> {
    static SEEN: std::sync::Mutex<Vec<(std::path::PathBuf, Vec<String>)>> =
        std::sync::Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(|poison| poison.into_inner());
    if let Some((_, args)) = seen.iter().find(|(r, _)| r == root) {
        return args.clone();
    }
    let listed = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["config", "--null", "--name-only", "--get-regexp"])
        .arg(r"^filter\..*\.(clean|smudge|process)$")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    let args: Vec<String> = String::from_utf8_lossy(&listed)
        .split('\0')
        .filter(|key| !key.is_empty())
        .flat_map(|key| ["-c".to_string(), format!("{key}=")])
        .collect();
    seen.push((root.to_path_buf(), args.clone()));
    args
}

/// The top of the git work tree holding `root`, when it is in one.
pub fn toplevel(root: &Path) -> Option<std::path::PathBuf> {
    let top = git(root, &["rev-parse", "--show-toplevel"]).ok()?;
    let top = top.trim();
    (!top.is_empty()).then(|| std::fs::canonicalize(top).unwrap_or_else(|_| top.into()))
}

/// Commits touching each file in the last `commits` commits of the
/// history (paths relative to `root`); `None` outside a git repository.
pub fn churn(root: &Path, commits: usize) -> Option<std::collections::HashMap<String, usize>> {
    let log = git(
        root,
        &[
            "log",
            &format!("--max-count={commits}"),
            "--no-renames",
            "--format=",
            "--name-only",
            "--relative",
            "--",
            ".",
        ],
    )
    .ok()?;
    let mut counts = std::collections::HashMap::new();
    for path in log.lines().filter(|l| !l.is_empty()) {
        *counts.entry(path.to_string()).or_insert(0) += 1;
    }
    Some(counts)
}

/// The commit where the current branch left `revision`.
pub fn merge_base(root: &Path, revision: &str) -> Result<String, Error> {
    // Said by a user or an agent: never an option of git's.
    if revision.starts_with('-') || revision.is_empty() {
        return Err(Error::Git {
            message: format!("`{revision}` is no git revision"),
        });
    }
    Ok(git(root, &["merge-base", revision, "HEAD"])?
        .trim()
        .to_string())
}

/// Writes the files of the analysed root as they were at `commit` into
/// `dest` (`git archive`, unpacked in-process: read-only on the
/// repository). Returns false, writing nothing, when the root did not
/// exist at that commit.
pub fn export_tree(root: &Path, commit: &str, dest: &Path) -> Result<bool, Error> {
    let prefix = git(root, &["rev-parse", "--show-prefix"])?;
    let tree = format!("{commit}:{}", prefix.trim());
    let kind = git(root, &["cat-file", "-t", &tree]).unwrap_or_default();
    if kind.trim() != "tree" {
        return Ok(false);
    }
    // From a subfolder, `git archive` keeps only that subfolder's paths,
    // which a subtree's entries do not start with: run it from the top.
    let top = git(root, &["rev-parse", "--show-toplevel"])?;
    let archive = git_bytes(Path::new(top.trim()), &["archive", "--format=tar", &tree])?;
    tar::Archive::new(archive.as_slice())
        .unpack(dest)
        .map_err(|err| Error::Git {
            message: format!("cannot unpack the tree of {commit}: {err}"),
        })?;
    Ok(true)
}

/// A file's bytes at `commit`, `path` relative to the analysed root;
/// `None` when the file is not there.
pub fn file_at(root: &Path, commit: &str, path: &str) -> Result<Option<Vec<u8>>, Error> {
    let object = format!("{commit}:./{path}");
    let kind = git(root, &["cat-file", "-t", &object]).unwrap_or_default();
    if kind.trim() != "blob" {
        return Ok(None);
    }
    git_bytes(root, &["cat-file", "blob", &object]).map(Some)
}

/// Files and lines changed between the merge base of `revision` and HEAD,
/// and the working tree.
pub fn changed_since(root: &Path, revision: &str) -> Result<Vec<FileChange>, Error> {
    let base = merge_base(root, revision)?;
    let base = base.as_str();
    let diff = git(
        root,
        &[
            "diff",
            "--no-color",
            "--no-ext-diff",
            // A textconv driver of the repository's config is a command.
            "--no-textconv",
            "--unified=0",
            "--find-renames",
            "--relative",
            // A user's diff.noprefix or diff.mnemonicPrefix would change
            // the headers parse_diff reads.
            "--src-prefix=a/",
            "--dst-prefix=b/",
            base,
            "--",
        ],
    )?;
    let mut changes = parse_diff(&diff);
    // New files not yet added are changes of the working tree too.
    let untracked = git(root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    for path in untracked.split('\0').filter(|p| !p.is_empty()) {
        changes.push(FileChange {
            path: path.to_string(),
            status: Status::Added,
            lines: Vec::new(),
            deletions: Vec::new(),
        });
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

/// Reads a `git diff --unified=0` patch.
pub fn parse_diff(diff: &str) -> Vec<FileChange> {
    let mut changes: Vec<FileChange> = Vec::new();
    let mut old_path: Option<String> = None;
    for line in diff.lines() {
        if line.starts_with("diff --git ") {
            old_path = None;
            continue;
        }
        if let Some(path) = line.strip_prefix("--- ") {
            old_path = path.strip_prefix("a/").map(str::to_string);
            continue;
        }
        if let Some(path) = line.strip_prefix("+++ ") {
            let change = match path.strip_prefix("b/") {
                Some(new) => {
                    let status = match &old_path {
                        None => Status::Added,
                        Some(old) if old != new => Status::Renamed(old.clone()),
                        Some(_) => Status::Modified,
                    };
                    FileChange {
                        path: new.to_string(),
                        status,
                        lines: Vec::new(),
                        deletions: Vec::new(),
                    }
                }
                None => FileChange {
                    path: old_path.clone().unwrap_or_default(),
                    status: Status::Deleted,
                    lines: Vec::new(),
                    deletions: Vec::new(),
                },
            };
            changes.push(change);
            continue;
        }
        if let Some(hunk) = line.strip_prefix("@@ ")
            && let Some(change) = changes.last_mut()
        {
            // `@@ -a,b +c,d @@`: the new side is c..c+d-1 (d = 0: a deletion
            // of a..a+b-1 after line c).
            let side = |sign: char| {
                let range = hunk
                    .split_whitespace()
                    .find(|part| part.starts_with(sign))
                    .map(|p| &p[1..])?;
                Some(match range.split_once(',') {
                    Some((s, c)) => (s.parse::<u32>().unwrap_or(0), c.parse::<u32>().unwrap_or(0)),
                    None => (range.parse::<u32>().unwrap_or(0), 1),
                })
            };
            if let Some((start, count)) = side('+') {
                if count == 0 {
                    let (old_start, old_count) = side('-').unwrap_or((start, 1));
                    change.deletions.push((
                        start.max(1),
                        old_start.max(1)..=(old_start + old_count.max(1) - 1).max(1),
                    ));
                } else {
                    change.lines.push(start..=start + count - 1);
                }
            }
        }
    }
    // A rename without edits has no hunk, nor `---`/`+++` lines: read the
    // `rename from/to` header instead.
    let mut rename_from: Option<String> = None;
    for line in diff.lines() {
        if let Some(from) = line.strip_prefix("rename from ") {
            rename_from = Some(from.to_string());
        } else if let (Some(to), Some(from)) = (line.strip_prefix("rename to "), rename_from.take())
            && !changes.iter().any(|c| c.path == to)
        {
            changes.push(FileChange {
                path: to.to_string(),
                status: Status::Renamed(from),
                lines: Vec::new(),
                deletions: Vec::new(),
            });
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_become_new_side_line_ranges() {
        let diff = "diff --git a/app/models.py b/app/models.py\nindex 1..2 100644\n--- a/app/models.py\n+++ b/app/models.py\n@@ -3,0 +4,2 @@ class User:\n+    a = 1\n+    b = 2\n@@ -10 +12 @@\n-x\n+y\n@@ -20,3 +21,0 @@\n-a\n-b\n-c\ndiff --git a/new.py b/new.py\nnew file mode 100644\n--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,3 @@\n+1\n+2\n+3\ndiff --git a/old.py b/old.py\ndeleted file mode 100644\n--- a/old.py\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-1\n-2\n";
        let changes = parse_diff(diff);
        assert_eq!(
            changes,
            [
                FileChange {
                    path: "app/models.py".into(),
                    status: Status::Modified,
                    lines: vec![4..=5, 12..=12],
                    deletions: vec![(21, 20..=22)],
                },
                FileChange {
                    path: "new.py".into(),
                    status: Status::Added,
                    lines: vec![1..=3],
                    deletions: Vec::new(),
                },
                FileChange {
                    path: "old.py".into(),
                    status: Status::Deleted,
                    lines: Vec::new(),
                    deletions: vec![(1, 1..=2)],
                },
            ]
        );
    }

    #[test]
    fn a_pure_rename_is_read_from_its_header() {
        let diff =
            "diff --git a/a.py b/b.py\nsimilarity index 100%\nrename from a.py\nrename to b.py\n";
        assert_eq!(
            parse_diff(diff),
            [FileChange {
                path: "b.py".into(),
                status: Status::Renamed("a.py".into()),
                lines: Vec::new(),
                deletions: Vec::new(),
            }]
        );
    }
}
