//! Modules: the units agents and architects talk about ("auth", "payments").
//!
//! A file's module is, in order: the first `[modules]` rule of vantage.toml
//! whose globs match it; the workspace package that holds it (package.json
//! `workspaces`, pnpm-workspace.yaml, lerna.json, Cargo `[workspace]
//! members`); else the layout decides.
//!
//! Layout detection descends from the repository root while all code sits
//! in a single folder, then picks the *source root*: a `src/`, `app/` or
//! `lib/` folder, or the lone top-level Python package when every other
//! folder is auxiliary (tests, docs, scripts, ...). Each folder directly
//! below the source root is a module, named by its path (`src/auth`); files
//! directly in the source root form a module named after it; every other
//! top-level folder is one module; loose files at the top form `(root)`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use globset::{GlobBuilder, GlobSetBuilder};
use serde_json::Value;

use crate::config::Config;
use crate::project::{ProjectFiles, below, child, file_name, parent};

/// Module name for files directly in the repository root.
pub const ROOT_MODULE: &str = "(root)";

pub type ModuleId = usize;

#[derive(Clone, Debug)]
pub struct ModuleMap {
    /// Module names, sorted.
    pub names: Vec<String>,
    /// The module of each file, by `FileId`.
    pub of_file: Vec<ModuleId>,
}

impl ModuleMap {
    pub fn name(&self, id: ModuleId) -> &str {
        &self.names[id]
    }

    pub fn id(&self, name: &str) -> Option<ModuleId> {
        self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()
    }
}

/// Folders that hold code around the product rather than the product.
const AUXILIARY_DIRS: &[&str] = &[
    "tests",
    "test",
    "testing",
    "docs",
    "doc",
    "scripts",
    "script",
    "examples",
    "example",
    "benchmarks",
    "benchmark",
    "bench",
    "tools",
    "extras",
    "js_tests",
    "e2e",
    "fixtures",
    "samples",
    "contrib",
    "bin",
];

/// Folders that hold one package, crate or service per child folder
/// (`packages/*`, `crates/*`, Symfony's `Component/*`): each child is a
/// module.
const CONTAINER_DIRS: &[&str] = &[
    "packages",
    "package",
    "crates",
    "crate",
    "libs",
    "modules",
    "module",
    "services",
    "service",
    "apps",
    "components",
    "component",
    "plugins",
    "plugin",
    "bundles",
    "bundle",
    "bridges",
    "bridge",
    "extensions",
    "extension",
];

/// Conventional source roots, in order of preference.
const SOURCE_DIRS: &[&str] = &["src", "app", "lib"];

pub fn detect(project: &ProjectFiles, config: &Config) -> ModuleMap {
    let paths: Vec<&str> = project.files().iter().map(|f| f.path.as_str()).collect();
    let mut assigned: Vec<Option<String>> = paths
        .iter()
        .map(|path| {
            config
                .modules
                .iter()
                .find(|rule| rule.globs.is_match(path))
                .map(|rule| rule.name.clone())
        })
        .collect();

    let workspaces = workspace_dirs(project);
    for (slot, path) in assigned.iter_mut().zip(&paths) {
        if slot.is_none() {
            *slot = workspaces
                .iter()
                .filter(|dir| {
                    path.starts_with(dir.as_str()) && path.as_bytes().get(dir.len()) == Some(&b'/')
                })
                .max_by_key(|dir| dir.len())
                .cloned();
        }
    }

    // The layout is the repository's, whatever the rules took: a rule for
    // one folder does not move the source root of the rest.
    // Files a change deleted (kept for impact) do not shape it.
    let present: Vec<&str> = project
        .files()
        .iter()
        .filter(|f| f.skipped != Some(crate::discover::SkipReason::Deleted))
        .map(|f| f.path.as_str())
        .collect();
    let layout = Layout::detect(project, &present);
    for (slot, path) in assigned.iter_mut().zip(&paths) {
        if slot.is_none() {
            *slot = Some(layout.module_of(path));
        }
    }

    let names: BTreeSet<String> = assigned.iter().flatten().cloned().collect();
    let names: Vec<String> = names.into_iter().collect();
    let index: HashMap<&str, ModuleId> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let of_file = assigned
        .iter()
        .map(|name| index[name.as_deref().unwrap_or(ROOT_MODULE)])
        .collect();
    ModuleMap { names, of_file }
}

/// The outcome of layout detection.
struct Layout {
    /// Where all the code sits ("" for the repository root).
    top: String,
    /// The source root, under `top`, if one was found.
    source: Option<String>,
}

impl Layout {
    fn detect(project: &ProjectFiles, paths: &[&str]) -> Layout {
        let mut top = String::new();
        loop {
            let (direct, children) = code_below(paths, &top);
            if direct == 0 && children.len() == 1 {
                top = children.keys().next().cloned().unwrap_or_default();
                continue;
            }
            let source = SOURCE_DIRS
                .iter()
                .map(|name| child(&top, name))
                .find(|dir| children.contains_key(dir))
                .or_else(|| lone_python_package(project, &children));
            let source = source.map(|mut dir| {
                loop {
                    let (direct, children) = code_below(paths, &dir);
                    if direct > 0 || children.len() != 1 {
                        return dir;
                    }
                    dir = children.into_keys().next().unwrap_or_default();
                }
            });
            return Layout { top, source };
        }
    }

    fn module_of(&self, path: &str) -> String {
        if let Some(source) = &self.source
            && let Some(rest) = below(path, source)
        {
            return match first_folder(rest) {
                Some(first) => child(source, first),
                None => source.clone(),
            };
        }
        match below(path, &self.top).and_then(first_folder) {
            Some(first) => child(&self.top, first),
            None if self.top.is_empty() => ROOT_MODULE.to_string(),
            None => self.top.clone(),
        }
    }
}

/// The first folder of a relative path, two deep through a container
/// folder (`packages/auth/src/x.ts` → `packages/auth`); `None` for a file
/// directly there.
fn first_folder(relative: &str) -> Option<&str> {
    let (first, rest) = relative.split_once('/')?;
    if CONTAINER_DIRS.contains(&first.to_lowercase().as_str())
        && let Some((second, _)) = rest.split_once('/')
    {
        return Some(&relative[..first.len() + 1 + second.len()]);
    }
    Some(first)
}

/// Counts code files directly in `dir`, and per child folder below it.
fn code_below(paths: &[&str], dir: &str) -> (usize, BTreeMap<String, usize>) {
    let mut direct = 0;
    let mut children = BTreeMap::new();
    for path in paths {
        let Some(rest) = below(path, dir) else {
            continue;
        };
        match rest.split_once('/') {
            Some((first, _)) => *children.entry(child(dir, first)).or_insert(0) += 1,
            None => direct += 1,
        }
    }
    (direct, children)
}

/// The one child folder that is a regular Python package, when every other
/// child is auxiliary.
fn lone_python_package(
    project: &ProjectFiles,
    children: &BTreeMap<String, usize>,
) -> Option<String> {
    let is_package = |dir: &str| crate::lang::python::has_init(project, dir);
    let packages: Vec<&String> = children.keys().filter(|dir| is_package(dir)).collect();
    let [package] = packages.as_slice() else {
        return None;
    };
    let others_auxiliary = children
        .keys()
        .filter(|dir| dir != package)
        .all(|dir| AUXILIARY_DIRS.contains(&file_name(dir)));
    others_auxiliary.then(|| (*package).clone())
}

/// Folders of the workspace packages the root manifests declare: JavaScript
/// (package.json `workspaces`, pnpm-workspace.yaml, lerna.json) and Cargo
/// (`[workspace] members`).
fn workspace_dirs(project: &ProjectFiles) -> Vec<String> {
    let mut patterns: Vec<String> = Vec::new();
    let json = |path: &str| {
        project
            .read_text(path)
            .and_then(|t| jsonc_parser::parse_to_serde_value::<Value>(&t, &Default::default()).ok())
    };
    let strings = |value: Option<&Value>| -> Vec<String> {
        value
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    if project.is_other("package.json")
        && let Some(manifest) = json("package.json")
    {
        let workspaces = manifest.get("workspaces");
        patterns.extend(strings(workspaces));
        patterns.extend(strings(workspaces.and_then(|w| w.get("packages"))));
    }
    if project.is_other("lerna.json")
        && let Some(lerna) = json("lerna.json")
    {
        patterns.extend(strings(lerna.get("packages")));
    }
    if project.is_other("pnpm-workspace.yaml")
        && let Some(text) = project.read_text("pnpm-workspace.yaml")
    {
        patterns.extend(pnpm_packages(&text));
    }
    let mut dirs = package_dirs(project, "package.json", &patterns);
    dirs.extend(cargo_members(project));
    dirs.sort();
    dirs.dedup();
    dirs
}

/// Folders of the crates a Cargo `[workspace]` lists in `members` (globs
/// allowed), wherever the workspace's Cargo.toml is.
fn cargo_members(project: &ProjectFiles) -> Vec<String> {
    let mut dirs = Vec::new();
    for manifest in project.others_named("Cargo.toml") {
        let Some(table) = project.read_toml(manifest) else {
            continue;
        };
        let members: Vec<String> = table
            .get("workspace")
            .and_then(|w| w.get("members"))
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_str)
            .filter_map(|m| crate::project::join(parent(manifest), m))
            .collect();
        dirs.extend(package_dirs(project, "Cargo.toml", &members));
    }
    dirs
}

/// Folders holding a `manifest` file that the globs match (`!glob` excludes).
fn package_dirs(project: &ProjectFiles, manifest: &str, patterns: &[String]) -> Vec<String> {
    if patterns.is_empty() {
        return Vec::new();
    }
    let mut include = GlobSetBuilder::new();
    let mut exclude = GlobSetBuilder::new();
    for pattern in patterns {
        let (set, pattern) = match pattern.strip_prefix('!') {
            Some(negated) => (&mut exclude, negated),
            None => (&mut include, pattern.as_str()),
        };
        let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
        if let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() {
            set.add(glob);
        }
    }
    let (Ok(include), Ok(exclude)) = (include.build(), exclude.build()) else {
        return Vec::new();
    };
    let mut dirs: Vec<String> = project
        .others_named(manifest)
        .map(parent)
        .filter(|dir| !dir.is_empty() && include.is_match(dir) && !exclude.is_match(dir))
        .map(str::to_string)
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// The `packages:` list of a pnpm-workspace.yaml (a YAML subset: one
/// `- glob` per line).
fn pnpm_packages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_packages = false;
    for line in text.lines() {
        let trimmed = line.split(" #").next().unwrap_or_default().trim();
        if !line.starts_with([' ', '\t', '-']) && !trimmed.is_empty() {
            in_packages = trimmed == "packages:";
            continue;
        }
        if in_packages && let Some(item) = trimmed.strip_prefix('-') {
            out.push(item.trim().trim_matches(['\'', '"']).to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::project::SourceFile;
    use std::path::PathBuf;

    fn modules_of(paths: &[&str]) -> Vec<(String, String)> {
        let mut sorted: Vec<&str> = paths.to_vec();
        sorted.sort();
        let files = sorted
            .iter()
            .map(|p| SourceFile {
                path: p.to_string(),
                language: Language::from_path(p).unwrap(),
                skipped: None,
            })
            .collect();
        let project = ProjectFiles::new(PathBuf::from("/nonexistent"), files, Vec::new());
        let map = detect(&project, &Config::default());
        sorted
            .iter()
            .zip(&map.of_file)
            .map(|(p, m)| (p.to_string(), map.name(*m).to_string()))
            .collect()
    }

    fn module<'a>(found: &'a [(String, String)], path: &str) -> &'a str {
        &found.iter().find(|(p, _)| p == path).unwrap().1
    }

    #[test]
    fn django_like_layout_splits_the_lone_package() {
        let found = modules_of(&[
            "django/__init__.py",
            "django/shortcuts.py",
            "django/db/__init__.py",
            "django/db/models/base.py",
            "django/http/request.py",
            "tests/runtests.py",
            "tests/admin_checks/tests.py",
            "docs/conf.py",
            "setup.py",
        ]);
        assert_eq!(module(&found, "django/shortcuts.py"), "django");
        assert_eq!(module(&found, "django/db/models/base.py"), "django/db");
        assert_eq!(module(&found, "django/http/request.py"), "django/http");
        assert_eq!(module(&found, "tests/admin_checks/tests.py"), "tests");
        assert_eq!(module(&found, "docs/conf.py"), "docs");
        assert_eq!(module(&found, "setup.py"), ROOT_MODULE);
    }

    #[test]
    fn src_layout_descends_into_a_single_package() {
        let found = modules_of(&[
            "src/shop/__init__.py",
            "src/shop/auth/login.py",
            "src/shop/payments/card.py",
            "tests/test_auth.py",
        ]);
        assert_eq!(module(&found, "src/shop/auth/login.py"), "src/shop/auth");
        assert_eq!(module(&found, "src/shop/__init__.py"), "src/shop");
        assert_eq!(module(&found, "tests/test_auth.py"), "tests");
    }

    #[test]
    fn a_single_folder_of_services_is_descended() {
        let found = modules_of(&[
            "services/py/__init__.py",
            "services/py/a.py",
            "services/ts/src/index.ts",
        ]);
        assert_eq!(module(&found, "services/py/a.py"), "services/py");
        assert_eq!(module(&found, "services/ts/src/index.ts"), "services/ts");
    }

    #[test]
    fn two_packages_are_not_a_lone_package() {
        let found = modules_of(&["a/__init__.py", "a/x/y.py", "b/__init__.py"]);
        assert_eq!(module(&found, "a/x/y.py"), "a");
    }

    #[test]
    fn cargo_workspace_members_are_modules() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"server\", \"tools/*\"]\n",
        );
        write("server/Cargo.toml", "[package]\nname = \"server\"\n");
        write("tools/gen/Cargo.toml", "[package]\nname = \"gen\"\n");
        let paths = [
            "server/src/main.rs",
            "tools/gen/src/lib.rs",
            "tools/gen/src/parse.rs",
        ];
        let files = paths
            .iter()
            .map(|p| SourceFile {
                path: p.to_string(),
                language: Language::Rust,
                skipped: None,
            })
            .collect();
        let others = vec![
            "Cargo.toml".into(),
            "server/Cargo.toml".into(),
            "tools/gen/Cargo.toml".into(),
        ];
        let project = ProjectFiles::new(dir.path().to_path_buf(), files, others);
        let map = detect(&project, &Config::default());
        let names: Vec<&str> = map.of_file.iter().map(|&m| map.name(m)).collect();
        assert_eq!(names, ["server", "tools/gen", "tools/gen"]);
    }

    #[test]
    fn pnpm_workspace_lists() {
        let yaml = "packages:\n  - 'packages/*'\n  - \"apps/**\" # apps\n  - '!**/test/**'\ncatalog:\n  - x\n";
        assert_eq!(
            pnpm_packages(yaml),
            ["packages/*", "apps/**", "!**/test/**"]
        );
    }
}
