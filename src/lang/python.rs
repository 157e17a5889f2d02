//! Python: reading import matches, and resolving imports the way the import
//! system would find them on `sys.path`, without running anything.
//!
//! Roots (the directories that would be on `sys.path`), in search order for
//! a file: the directory above its top-level package (walking up while
//! `__init__.py` exists; a loose script's own folder); the other directories
//! above it that hold a top-level regular package; then, for every file, the
//! configured roots, `src/` and the repository root. The standard library
//! comes after the file's own root only. A regular package or module found in
//! the first root that has it wins; namespace packages (directories without
//! `__init__.py`) merge across roots, as PEP 420 says. `[python.packages]`
//! maps a top-level name to a folder of another name.

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Query};

use crate::config::Config;
use crate::facts::{FileFacts, ImportKind, RawImport};
use crate::lang::{Language, Scan, Scope, apply_scopes, each_match, line_of, node_text, stdlib};
use crate::project::{FileId, ProjectFiles, file_name, join, parent};
use crate::resolve::{Resolution, Resolve};

/// Reads the matches of `queries/python/imports.scm`.
pub(crate) fn read_imports(
    query: &Query,
    root: Node,
    source: &[u8],
    scan: &Scan,
    facts: &mut FileFacts,
) {
    let names = query.capture_names();
    let mut imports: Vec<(usize, RawImport)> = Vec::new();
    // `from x import a, b` yields one match per name; they join one import.
    let mut from_statements: HashMap<usize, usize> = HashMap::new();
    let mut scopes = Vec::new();
    each_match(query, root, source, scan, |m| {
        let mut statement = None;
        let mut module = None;
        let mut from = None;
        let mut name = None;
        let mut alias = None;
        let mut wildcard = false;
        let mut dynamic = None;
        let mut django = None;
        for capture in m.captures() {
            let node = capture.node;
            match names[capture.index as usize] {
                "import.statement" => statement = Some(node),
                "import.module" => module = Some(node),
                "import.from" => from = Some(node),
                "import.name" => name = Some(node),
                "import.alias" => alias = Some(node),
                "import.wildcard" => wildcard = true,
                "import.dynamic" => dynamic = Some(node),
                "import.model" => django = Some((node, None)),
                "import.user_model" => django = Some((node, Some(USER_MODEL))),
                "import.user_model_setting" => django = Some((node, Some(USER_MODEL_SETTING))),
                "import.app_label" => django = Some((node, Some(APP_LABEL))),
                "scope.lazy" => scopes.push(Scope::of(node, ImportKind::Lazy)),
                "scope.type_only" => scopes.push(Scope::of(node, ImportKind::TypeOnly)),
                _ => {}
            }
        }
        let Some(statement) = statement else { return };
        let offset = statement.start_byte();
        let line = line_of(statement);
        if let Some(module) = module {
            let mut import = raw(dotted(module, source), Vec::new(), line, ImportKind::Static);
            if let Some(alias) = alias {
                import
                    .aliases
                    .push((import.specifier.clone(), node_text(alias, source)));
            }
            imports.push((offset, import));
        } else if let Some(from) = from {
            let imported = if wildcard {
                "*".to_string()
            } else if let Some(name) = name {
                dotted(name, source)
            } else {
                return;
            };
            let i = *from_statements.entry(offset).or_insert_with(|| {
                let specifier = dotted(from, source);
                imports.push((offset, raw(specifier, Vec::new(), line, ImportKind::Static)));
                imports.len() - 1
            });
            let import = &mut imports[i].1;
            if let Some(alias) = alias {
                import
                    .aliases
                    .push((imported.clone(), node_text(alias, source)));
            }
            import.names.push(imported);
        } else if let Some((node, tag)) = django {
            let text = node_text(node, source);
            // A model reference names the model, so that symbol-level impact
            // finds it by name; the declarations carry their tag.
            let (specifier, names) = match tag {
                None => {
                    let model = text.rsplit('.').next().unwrap_or(&text).to_string();
                    (text.clone(), vec![model])
                }
                Some(USER_MODEL) => (USER_MODEL.to_string(), Vec::new()),
                Some(tag) => (text.clone(), vec![tag.to_string()]),
            };
            if !specifier.is_empty() {
                let mut import = raw(specifier, names, line, ImportKind::ModelRef);
                import.reference = true;
                imports.push((offset, import));
            }
        } else if let Some(literal) = dynamic {
            let specifier = node_text(literal, source);
            if !specifier.is_empty() {
                imports.push((
                    offset,
                    raw(specifier, Vec::new(), line, ImportKind::Dynamic),
                ));
            }
        }
    });
    apply_scopes(scopes, &mut imports);
    facts.imports = imports.into_iter().map(|(_, import)| import).collect();
}

/// The specifier of a use of Django's user model (`settings.AUTH_USER_MODEL`,
/// `get_user_model()`), and the tags of the declarations the resolver reads:
/// the `AUTH_USER_MODEL` setting and an AppConfig's `label`.
const USER_MODEL: &str = "settings.AUTH_USER_MODEL";
const USER_MODEL_SETTING: &str = "AUTH_USER_MODEL";
const APP_LABEL: &str = "label";

fn raw(specifier: String, names: Vec<String>, line: u32, kind: ImportKind) -> RawImport {
    RawImport {
        specifier,
        names,
        line,
        kind,
        reference: false,
        reexport: false,
        aliases: Vec::new(),
    }
}

/// A dotted name as written, without the spaces and line continuations
/// Python allows between its parts.
fn dotted(node: Node, source: &[u8]) -> String {
    node_text(node, source)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\\')
        .collect()
}

/// A Python module found under a root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Found {
    File(FileId),
    /// A directory of Python files without `__init__.py`.
    Namespace,
}

pub struct PythonResolver<'a> {
    project: &'a ProjectFiles,
    /// Directories holding Python files, at any depth (namespace packages).
    python_dirs: HashSet<String>,
    /// `[python] roots`, as paths (`"."` is `""`).
    configured_roots: Vec<String>,
    /// On `sys.path` for every file: configured roots, `src/`, the root.
    global_roots: Vec<String>,
    /// Directories above a top-level regular package, deepest first: on
    /// `sys.path` for the files below them (`tests/` for its test packages).
    package_roots: Vec<String>,
    /// `[python.packages]`: a top-level import name kept in a folder of
    /// another name.
    mapped_packages: HashMap<String, String>,
    /// Import names of the declared third-party dependencies, lowercase.
    declared: HashSet<String>,
    /// Django apps by label: the folder holding each app's models.
    apps: HashMap<String, String>,
    /// `AUTH_USER_MODEL` as a settings module sets it, else `auth.User`.
    user_model: String,
}

impl<'a> PythonResolver<'a> {
    pub fn new(project: &'a ProjectFiles, config: &Config, facts: &[FileFacts]) -> Self {
        let mut python_dirs = HashSet::new();
        let mut package_roots = Vec::new();
        for file in project
            .files()
            .iter()
            .filter(|f| f.language == Language::Python)
        {
            let mut dir = parent(&file.path);
            while python_dirs.insert(dir.to_string()) && !dir.is_empty() {
                dir = parent(dir);
            }
            if is_init(&file.path) {
                let package = parent(&file.path);
                if !has_init(project, parent(package)) {
                    package_roots.push(parent(package).to_string());
                }
            }
        }
        package_roots.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        package_roots.dedup();
        // `"."` and `"./lib/"` name the root and `lib` as paths do.
        let configured_roots: Vec<String> = config
            .python
            .roots
            .iter()
            .map(|root| {
                let root = root.trim_end_matches('/');
                let root = root.strip_prefix("./").unwrap_or(root);
                if root == "." { "" } else { root }.to_string()
            })
            .collect();
        let mut global_roots = configured_roots.clone();
        if project.is_dir("src") {
            global_roots.push("src".to_string());
        }
        // Analysing a package folder itself (`vantage graph django/`): the
        // folder on sys.path is above the repository, and holds nothing but
        // the package, named after the root folder.
        let root_is_package = has_init(project, "");
        if !root_is_package {
            global_roots.push(String::new());
        }
        let mut seen = HashSet::new();
        global_roots.retain(|root| seen.insert(root.clone()));
        let mut mapped_packages: HashMap<String, String> =
            config.python.packages.clone().into_iter().collect();
        if root_is_package && let Some(name) = root_name(project) {
            mapped_packages.entry(name).or_default();
        }
        let (apps, user_model) = django_apps(project, facts);
        PythonResolver {
            project,
            python_dirs,
            configured_roots,
            global_roots,
            package_roots,
            mapped_packages,
            declared: declared_dependencies(project),
            apps,
            user_model,
        }
    }

    /// A Django model named by a string: `label.Model`, or `Model` of the
    /// importing file's own app; the setting of the user model for its
    /// uses. Resolves to the app's models module (where Django loads the
    /// model from); a label no app of the repository has is outside it
    /// (Django's contrib apps, a third-party app): nothing to report.
    fn resolve_model(&self, path: &str, import: &RawImport) -> Resolution {
        if import
            .names
            .iter()
            .any(|n| n == USER_MODEL_SETTING || n == APP_LABEL)
        {
            return Resolution::Local;
        }
        let spec = if import.specifier == USER_MODEL {
            self.user_model.as_str()
        } else {
            import.specifier.as_str()
        };
        let (label, model) = match spec.split_once('.') {
            Some((label, model)) => (Some(label), model),
            None => (None, spec),
        };
        if model == "self" || model.is_empty() {
            return Resolution::Local;
        }
        let app = match label {
            Some(label) => self.apps.get(label).map(String::as_str),
            // The importing file's app: the nearest app folder above it.
            None => self
                .apps
                .values()
                .filter(|dir| dir.is_empty() || path.starts_with(&format!("{dir}/")))
                .max_by_key(|dir| dir.len())
                .map(String::as_str),
        };
        let Some(app) = app else {
            return Resolution::Local;
        };
        match self.module_at(&module_path(app, "models")) {
            // A model of the same file: no edge.
            Some(Found::File(id)) if self.project.path(id) == path => Resolution::Local,
            Some(Found::File(id)) => Resolution::Files(vec![id]),
            _ => Resolution::Unresolved,
        }
    }

    /// The directory that would be on `sys.path` for this file: above its
    /// top-level package, or its own directory for a loose script. `None`
    /// when that is above the repository (the root is a package).
    fn own_root<'p>(&self, path: &'p str) -> Option<&'p str> {
        let mut dir = parent(path);
        while has_init(self.project, dir) {
            if dir.is_empty() {
                return None;
            }
            dir = parent(dir);
        }
        Some(dir)
    }

    /// The module or package at a path without extension.
    fn module_at(&self, base: &str) -> Option<Found> {
        for candidate in [
            format!("{base}.py"),
            format!("{base}.pyi"),
            format!("{base}/__init__.py"),
            format!("{base}/__init__.pyi"),
        ] {
            if let Some(id) = self.project.file(candidate.trim_start_matches('/')) {
                return Some(Found::File(id));
            }
        }
        self.python_dirs.contains(base).then_some(Found::Namespace)
    }

    /// `[python] roots`, as paths (`"."` is `""`).
    pub fn configured_roots(&self) -> &[String] {
        &self.configured_roots
    }

    /// The roots on `sys.path` for a file, in search order: its own root,
    /// the package roots above it, then the global roots.
    fn roots_for<'r>(&'r self, path: &'r str) -> Vec<&'r str> {
        let mut roots: Vec<&str> = self.own_root(path).into_iter().collect();
        let above = self
            .package_roots
            .iter()
            .filter(|root| root.is_empty() || path.starts_with(&format!("{root}/")));
        for root in above.chain(&self.global_roots) {
            if !roots.contains(&root.as_str()) {
                roots.push(root);
            }
        }
        roots
    }

    /// The roots where a top-level name is found, following the import
    /// system: the first regular package or module wins; else every
    /// namespace portion, in order.
    fn roots_with<'r>(&self, roots: &[&'r str], top: &str) -> Vec<&'r str> {
        let mut namespaces = Vec::new();
        for &root in roots {
            match self.module_at(&module_path(root, top)) {
                Some(Found::File(_)) => return vec![root],
                Some(Found::Namespace) => namespaces.push(root),
                None => {}
            }
        }
        namespaces
    }

    /// What the import system finds at the first of `paths` (one per
    /// portion of a namespace package): the first regular module or
    /// package wins, wherever it is; else a namespace portion.
    fn first_found(&self, paths: impl Iterator<Item = String>) -> Option<Found> {
        let mut namespace = false;
        for path in paths {
            match self.module_at(&path) {
                Some(Found::File(id)) => return Some(Found::File(id)),
                Some(Found::Namespace) => namespace = true,
                None => {}
            }
        }
        namespace.then_some(Found::Namespace)
    }

    fn resolve_absolute(&self, path: &str, import: &RawImport) -> Resolution {
        let (top, rest) = import
            .specifier
            .split_once('.')
            .unwrap_or((&import.specifier, ""));
        if let Some(dir) = self.mapped_packages.get(top) {
            let base = if rest.is_empty() {
                dir.clone()
            } else {
                module_path(dir, rest)
            };
            return self.resolve_in(&[base], &import.names);
        }
        let roots = self.roots_for(path);
        // A module next to a script shadows the stdlib; nothing else does.
        let shadowed = || {
            self.own_root(path)
                .is_some_and(|own| self.module_at(&module_path(own, top)).is_some())
        };
        if stdlib::is_python_stdlib(top) && !shadowed() {
            return Resolution::Stdlib;
        }
        let found = self.roots_with(&roots, top);
        if found.is_empty() {
            return self.classify_external(top);
        }
        let bases: Vec<String> = found
            .iter()
            .map(|root| module_path(root, &import.specifier))
            .collect();
        self.resolve_in(&bases, &import.names)
    }

    fn resolve_relative(&self, path: &str, import: &RawImport) -> Resolution {
        let level = import.specifier.chars().take_while(|c| *c == '.').count();
        let rest = &import.specifier[level..];
        let mut base = Some(parent(path).to_string());
        for _ in 1..level {
            base = base.and_then(|b| join(&b, ".."));
        }
        let Some(base) = base else {
            return Resolution::Unresolved;
        };
        let base = if rest.is_empty() {
            base
        } else {
            module_path(&base, rest)
        };
        self.resolve_in(&[base], &import.names)
    }

    /// Resolves `import X` (no names) or `from X import names`, where `bases`
    /// are the paths of X in each root it may live in.
    fn resolve_in(&self, bases: &[String], names: &[String]) -> Resolution {
        let package = self.first_found(bases.iter().cloned());
        if names.is_empty() {
            return match package {
                Some(Found::File(id)) => Resolution::Files(vec![id]),
                Some(Found::Namespace) => Resolution::Namespace,
                None => Resolution::Unresolved,
            };
        }
        let mut targets = Vec::new();
        let mut missing = false;
        for name in names {
            let submodule = (name != "*")
                .then(|| self.first_found(bases.iter().map(|b| module_path(b, name))))
                .flatten();
            match (submodule, package) {
                (Some(Found::File(id)), _) => targets.push(id),
                // A name that is not a submodule is defined in the package;
                // a namespace subpackage has no file, its package's runs.
                (None | Some(Found::Namespace), Some(Found::File(id))) => targets.push(id),
                // A namespace subpackage of a namespace package: found, but
                // no file to point at.
                (Some(Found::Namespace), _) => {}
                (None, _) => missing = true,
            }
        }
        targets.sort_unstable();
        targets.dedup();
        match (targets.is_empty(), package) {
            (false, _) => Resolution::Files(targets),
            // Only namespace subpackages: found, with no file to point at.
            (true, _) if !missing => Resolution::Namespace,
            _ => Resolution::Unresolved,
        }
    }

    /// A top-level name no root holds: third-party, declared or not.
    fn classify_external(&self, top: &str) -> Resolution {
        let package = top.to_string();
        if self.declared.contains(&top.to_lowercase()) {
            Resolution::External { package }
        } else {
            Resolution::Undeclared { package }
        }
    }
}

impl Resolve for PythonResolver<'_> {
    fn resolve(&self, from: FileId, import: &RawImport) -> Resolution {
        let path = self.project.path(from);
        if import.kind == ImportKind::ModelRef {
            self.resolve_model(path, import)
        } else if import.specifier.starts_with('.') {
            self.resolve_relative(path, import)
        } else {
            self.resolve_absolute(path, import)
        }
    }
}

/// Django apps by label, and the user model. An app is a folder holding
/// a `models.py` or a `models/` package; its label is the folder's name,
/// or the `label` its AppConfig sets in the folder's `apps.py`. Two apps of
/// one label: the one outside test folders wins, then the shallower.
fn django_apps(project: &ProjectFiles, facts: &[FileFacts]) -> (HashMap<String, String>, String) {
    let mut apps: HashMap<String, String> = HashMap::new();
    let offer = |label: &str, dir: &str, apps: &mut HashMap<String, String>| {
        let rank = |d: &str| {
            let test = d
                .split('/')
                .any(|part| part == "tests" || part == "test" || part.ends_with("_tests"));
            (test, d.matches('/').count(), d.to_string())
        };
        match apps.get(label) {
            Some(kept) if rank(kept) <= rank(dir) => {}
            _ => {
                apps.insert(label.to_string(), dir.to_string());
            }
        }
    };
    let mut labelled: HashSet<String> = HashSet::new();
    let mut user_models: Vec<(bool, &str)> = Vec::new();
    for (id, file) in project.files().iter().enumerate() {
        if file.language != Language::Python {
            continue;
        }
        for import in facts[id]
            .imports
            .iter()
            .filter(|i| i.kind == ImportKind::ModelRef)
        {
            if import.names.iter().any(|n| n == APP_LABEL) && file_name(&file.path) == "apps.py" {
                let dir = parent(&file.path);
                labelled.insert(dir.to_string());
                offer(&import.specifier, dir, &mut apps);
            }
            if import.names.iter().any(|n| n == USER_MODEL_SETTING) {
                let test = file.path.split('/').any(|p| p == "tests" || p == "test");
                user_models.push((test, import.specifier.as_str()));
            }
        }
    }
    for file in project.files() {
        let dir = match file_name(&file.path) {
            "models.py" => parent(&file.path),
            "__init__.py" if file_name(parent(&file.path)) == "models" => {
                parent(parent(&file.path))
            }
            _ => continue,
        };
        if !labelled.contains(dir) {
            offer(file_name(dir), dir, &mut apps);
        }
    }
    user_models.sort();
    let user_model = user_models
        .first()
        .map_or("auth.User", |(_, model)| model)
        .to_string();
    (apps, user_model)
}

/// The name of the repository root's folder (`.` resolved).
pub(crate) fn root_name(project: &ProjectFiles) -> Option<String> {
    let root = project.root();
    let named = root.file_name().map(|n| n.to_string_lossy().into_owned());
    named
        .or_else(|| {
            std::fs::canonicalize(root)
                .ok()
                .and_then(|r| r.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .filter(|n| !n.is_empty() && n != "." && n != "..")
}

fn module_path(base: &str, dotted: &str) -> String {
    let relative = dotted.replace('.', "/");
    if base.is_empty() {
        relative
    } else {
        format!("{base}/{relative}")
    }
}

fn is_init(path: &str) -> bool {
    matches!(file_name(path), "__init__.py" | "__init__.pyi")
}

/// Whether `dir` is a regular package (has an `__init__.py` or `.pyi`).
pub(crate) fn has_init(project: &ProjectFiles, dir: &str) -> bool {
    if dir.is_empty() {
        return project.file("__init__.py").is_some() || project.file("__init__.pyi").is_some();
    }
    project.file(&format!("{dir}/__init__.py")).is_some()
        || project.file(&format!("{dir}/__init__.pyi")).is_some()
}

/// Import names of the distributions that the repository's Python manifests
/// declare (pyproject.toml, requirements*.txt, setup.cfg), lowercase.
fn declared_dependencies(project: &ProjectFiles) -> HashSet<String> {
    let mut distributions = Vec::new();
    for path in project.others_named("pyproject.toml") {
        if let Some(text) = project.read_text(path) {
            pyproject_dependencies(&text, &mut distributions);
        }
    }
    let is_requirements = |path: &str| {
        let name = file_name(path);
        name.ends_with(".txt")
            && (name.starts_with("requirements") || file_name(parent(path)) == "requirements")
    };
    for path in project.others_where(is_requirements) {
        if let Some(text) = project.read_text(path) {
            for line in text.lines() {
                let line = line.split('#').next().unwrap_or_default().trim();
                if !line.is_empty() && !line.starts_with('-') {
                    distributions.push(requirement_name(line).to_string());
                }
            }
        }
    }
    for path in project.others_named("setup.cfg") {
        if let Some(text) = project.read_text(path) {
            setup_cfg_dependencies(&text, &mut distributions);
        }
    }
    let mut names = HashSet::new();
    for distribution in distributions {
        let normalised = distribution.to_lowercase().replace(['-', '.'], "_");
        if let Some(import) = known_import_name(&normalised) {
            names.insert(import.to_lowercase());
        }
        names.insert(normalised);
    }
    names
}

/// The distribution name at the start of a PEP 508 requirement.
fn requirement_name(requirement: &str) -> &str {
    let end = requirement
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(requirement.len());
    &requirement[..end]
}

fn pyproject_dependencies(text: &str, out: &mut Vec<String>) {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return;
    };
    let strings = |value: Option<&toml::Value>, out: &mut Vec<String>| {
        for item in value.and_then(toml::Value::as_array).into_iter().flatten() {
            if let Some(req) = item.as_str() {
                out.push(requirement_name(req).to_string());
            }
        }
    };
    let project = doc.get("project");
    strings(project.and_then(|p| p.get("dependencies")), out);
    if let Some(optional) = project
        .and_then(|p| p.get("optional-dependencies"))
        .and_then(toml::Value::as_table)
    {
        for group in optional.values() {
            strings(Some(group), out);
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(toml::Value::as_table) {
        for group in groups.values() {
            strings(Some(group), out);
        }
    }
    let poetry = doc.get("tool").and_then(|t| t.get("poetry"));
    let keys = |table: Option<&toml::Value>, out: &mut Vec<String>| {
        for key in table
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(|t| t.keys())
        {
            if key != "python" {
                out.push(key.clone());
            }
        }
    };
    keys(poetry.and_then(|p| p.get("dependencies")), out);
    keys(poetry.and_then(|p| p.get("dev-dependencies")), out);
    if let Some(groups) = poetry
        .and_then(|p| p.get("group"))
        .and_then(toml::Value::as_table)
    {
        for group in groups.values() {
            keys(group.get("dependencies"), out);
        }
    }
}

/// `install_requires` and `extras_require` of a setup.cfg: indented
/// continuation lines after the key.
fn setup_cfg_dependencies(text: &str, out: &mut Vec<String>) {
    let mut in_list = false;
    let mut in_extras = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_extras = trimmed == "[options.extras_require]";
            in_list = false;
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if let Some((key, value)) = trimmed.split_once('=').filter(|_| !indented) {
            in_list = key.trim() == "install_requires" || in_extras;
            let value = value.trim();
            if in_list && !value.is_empty() {
                out.push(requirement_name(value).to_string());
            }
        } else if in_list && indented && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push(requirement_name(trimmed).to_string());
        } else if !indented {
            in_list = false;
        }
    }
}

/// Distributions whose import name differs from their name (normalised).
fn known_import_name(distribution: &str) -> Option<&'static str> {
    Some(match distribution {
        "pyyaml" => "yaml",
        "beautifulsoup4" => "bs4",
        "pillow" => "PIL",
        "scikit_learn" => "sklearn",
        "scikit_image" => "skimage",
        "python_dateutil" => "dateutil",
        "opencv_python" | "opencv_python_headless" => "cv2",
        "pyjwt" => "jwt",
        "psycopg2_binary" => "psycopg2",
        "psycopg_binary" => "psycopg",
        "attrs" => "attr",
        "protobuf" => "google",
        "python_dotenv" => "dotenv",
        "djangorestframework" => "rest_framework",
        "mysqlclient" => "MySQLdb",
        "pyzmq" => "zmq",
        "python_magic" => "magic",
        "setuptools" => "pkg_resources",
        "pymupdf" => "fitz",
        "pycryptodome" => "Crypto",
        "google_cloud_storage" => "google",
        "python_multipart" => "multipart",
        "argon2_cffi" => "argon2",
        "pyopenssl" => "OpenSSL",
        "faiss_cpu" => "faiss",
        "docker_py" => "docker",
        "typing_extensions" => "typing_extensions",
        "tzdata" => "tzdata",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names() {
        assert_eq!(requirement_name("Django>=4.2"), "Django");
        assert_eq!(requirement_name("asgiref >= 3.8.1"), "asgiref");
        assert_eq!(
            requirement_name("argon2-cffi[x]; python_version<'3'"),
            "argon2-cffi"
        );
        assert_eq!(requirement_name("zope.interface"), "zope.interface");
    }

    #[test]
    fn setup_cfg_lists() {
        let mut out = Vec::new();
        setup_cfg_dependencies(
            "[options]\ninstall_requires =\n    asgiref >= 3\n    sqlparse\npython_requires = >=3.10\n\n[options.extras_require]\nargon2 = argon2-cffi >= 19\nbcrypt = bcrypt\n",
            &mut out,
        );
        assert_eq!(out, ["asgiref", "sqlparse", "argon2-cffi", "bcrypt"]);
    }

    #[test]
    fn pyproject_tables() {
        let mut out = Vec::new();
        pyproject_dependencies(
            "[project]\ndependencies = [\"asgiref>=3.8\", \"sqlparse\"]\n[project.optional-dependencies]\nargon2 = [\"argon2-cffi>=19\"]\n[tool.poetry.dependencies]\npython = \"^3.10\"\nrequests = \"*\"\n",
            &mut out,
        );
        assert_eq!(out, ["asgiref", "sqlparse", "argon2-cffi", "requests"]);
    }
}
