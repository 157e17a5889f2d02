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
use crate::lang::{LanguageFamily, python::PythonResolver, typescript::TsResolver};
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
}

/// The classes of imports that name no source file, as reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportClass {
    Stdlib,
    External,
    Undeclared,
    Unresolved,
}

impl ImportClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportClass::Stdlib => "stdlib",
            ImportClass::External => "external",
            ImportClass::Undeclared => "undeclared",
            ImportClass::Unresolved => "unresolved",
        }
    }
}

impl Resolution {
    /// The class to report, for imports that reach no source file and are
    /// not internal either.
    pub fn class(&self) -> Option<ImportClass> {
        match self {
            Resolution::Files(_) | Resolution::Namespace | Resolution::Asset(_) => None,
            Resolution::Stdlib => Some(ImportClass::Stdlib),
            Resolution::External { .. } => Some(ImportClass::External),
            Resolution::Undeclared { .. } => Some(ImportClass::Undeclared),
            Resolution::Unresolved => Some(ImportClass::Unresolved),
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
}

impl<'a> Resolvers<'a> {
    pub fn new(project: &'a ProjectFiles, config: &Config) -> Self {
        Resolvers {
            python: PythonResolver::new(project, config),
            typescript: TsResolver::new(project),
        }
    }

    fn for_family(&self, family: LanguageFamily) -> &dyn Resolve {
        match family {
            LanguageFamily::Python => &self.python,
            LanguageFamily::TypeScript | LanguageFamily::JavaScript => &self.typescript,
        }
    }

    /// Resolves every import of every file; `result[file][i]` answers
    /// `facts[file].imports[i]`.
    pub fn resolve_all(&self, project: &ProjectFiles, facts: &[FileFacts]) -> Vec<Vec<Resolution>> {
        facts
            .par_iter()
            .enumerate()
            .map(|(id, file_facts)| {
                let resolver = self.for_family(project.get(id).language.family());
                file_facts
                    .imports
                    .iter()
                    .map(|import| resolver.resolve(id, import))
                    .collect()
            })
            .collect()
    }
}
