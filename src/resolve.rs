//! The resolve stage: each raw import becomes target files, or a class that
//! says why it has none.
//!
//! Resolvers are pure functions of the project index and the manifests read
//! when they are built; they run in parallel over files, and their answers do
//! not depend on the order they run in.

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::facts::{FileFacts, RawImport};
use crate::lang::{
    LanguageFamily, php::PhpResolver, python::PythonResolver, rust::RustResolver,
    typescript::TsResolver,
};
use crate::project::{FileId, ProjectFiles};

/// What one import resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Source files of the repository, sorted and unique, never empty.
    Files(Vec<FileId>),
    /// A Python namespace package of the repository: internal, but no file.
    Namespace,
    /// A file of the repository that vantage does not parse (`.json`, `.css`).
    Asset(String),
    /// The language's standard library (Python stdlib, Node.js builtins).
    Stdlib,
    /// A third-party package declared in a manifest.
    External { package: String },
    /// A third-party package no manifest of the repository declares.
    Undeclared { package: String },
    /// Looks internal (relative, or under a package of the repository) but
    /// names nothing that exists.
    Unresolved,
    /// Declared by several files (a PHP class defined twice): reported, not
    /// guessed.
    Ambiguous(Vec<FileId>),
    /// Names something of the importing file itself, or is a reference (a
    /// name used in code, not an import) to something outside the
    /// repository: no edge, nothing to report.
    Local,
}

/// The classes of imports that name no source file, as reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportClass {
    Stdlib,
    External,
    Undeclared,
    Unresolved,
    Ambiguous,
}

impl ImportClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportClass::Stdlib => "stdlib",
            ImportClass::External => "external",
            ImportClass::Undeclared => "undeclared",
            ImportClass::Unresolved => "unresolved",
            ImportClass::Ambiguous => "ambiguous",
        }
    }
}

impl Resolution {
    /// The class to report, for imports that reach no source file and are
    /// not internal either.
    pub fn class(&self) -> Option<ImportClass> {
        match self {
            Resolution::Files(_)
            | Resolution::Namespace
            | Resolution::Asset(_)
            | Resolution::Local => None,
            Resolution::Stdlib => Some(ImportClass::Stdlib),
            Resolution::External { .. } => Some(ImportClass::External),
            Resolution::Undeclared { .. } => Some(ImportClass::Undeclared),
            Resolution::Unresolved => Some(ImportClass::Unresolved),
            Resolution::Ambiguous(_) => Some(ImportClass::Ambiguous),
        }
    }
}

/// A language's import resolver.
pub trait Resolve: Sync {
    fn resolve(&self, from: FileId, import: &RawImport) -> Resolution;
}

/// The resolvers of every language, built once per run.
pub struct Resolvers<'a> {
    python: PythonResolver<'a>,
    typescript: TsResolver<'a>,
    php: PhpResolver<'a>,
    rust: RustResolver<'a>,
}

impl<'a> Resolvers<'a> {
    /// Builds every language's resolver; PHP and Rust read the facts of all
    /// files (class index, re-exports).
    pub fn new(project: &'a ProjectFiles, config: &Config, facts: &'a [FileFacts]) -> Self {
        Resolvers {
            python: PythonResolver::new(project, config, facts),
            typescript: TsResolver::new(project),
            php: PhpResolver::new(project, facts),
            rust: RustResolver::new(project, facts),
        }
    }

    fn for_family(&self, family: LanguageFamily) -> &dyn Resolve {
        match family {
            LanguageFamily::Python => &self.python,
            LanguageFamily::TypeScript | LanguageFamily::JavaScript => &self.typescript,
            LanguageFamily::Php => &self.php,
            LanguageFamily::Rust => &self.rust,
        }
    }

    /// Resolves the imports of one file.
    pub fn resolve_file(
        &self,
        project: &ProjectFiles,
        id: FileId,
        facts: &FileFacts,
    ) -> Vec<Resolution> {
        let resolver = self.for_family(project.get(id).language.family());
        facts
            .imports
            .iter()
            .map(|import| resolver.resolve(id, import))
            .collect()
    }

    /// `[python] roots`, as paths.
    pub fn python_roots(&self) -> &[String] {
        self.python.configured_roots()
    }

    /// A Rust file's module path, under its crate's name.
    pub fn rust_module_name(&self, file: FileId) -> Option<String> {
        self.rust.module_name(file)
    }

    /// Resolves one import written in a file (the symbol layer asks for
    /// the modules a name may be).
    pub fn resolve_import(
        &self,
        project: &ProjectFiles,
        id: FileId,
        import: &RawImport,
    ) -> Resolution {
        self.for_family(project.get(id).language.family())
            .resolve(id, import)
    }

    /// Resolves every import of every file; `result[file][i]` answers
    /// `facts[file].imports[i]`.
    pub fn resolve_all(&self, project: &ProjectFiles, facts: &[FileFacts]) -> Vec<Vec<Resolution>> {
        facts
            .par_iter()
            .enumerate()
            .map(|(id, file_facts)| self.resolve_file(project, id, file_facts))
            .collect()
    }
}
