//! What the parse stage keeps of a file once its syntax tree is dropped.
//!
//! Only these facts cross the boundary between parse and resolve: the tree,
//! which costs 13-35x the source in memory, never leaves `parse`.

use serde::{Deserialize, Serialize};

/// How an import takes effect. Ordered from the strongest runtime dependency
/// to the weakest, so that the kind of an edge with several sites is the
/// minimum of its sites' kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// `extends` (PHP): the parent class loads with the class.
    Extends,
    /// `implements` (PHP): the interface loads with the class.
    Implements,
    /// A module-level import that runs when the importing file loads (and,
    /// for PHP and Rust, a name used in code: `new \A\B`, `crate::a::f()`).
    Static,
    /// `export ... from` (TS/JS), `pub use` (Rust): a static import that also
    /// re-exports.
    Reexport,
    /// CommonJS `require('x')`; PHP `require`/`include` of a file.
    Require,
    /// A Django model named by a string (`ForeignKey("auth.User")`,
    /// `settings.AUTH_USER_MODEL`, `get_user_model()`): resolved when the
    /// app registry loads, so it breaks at start-up like an import, yet it
    /// exists to avoid an import: it closes no cycle.
    ModelRef,
    /// `import('x')` or `importlib.import_module('x')` with a literal.
    Dynamic,
    /// An import inside a function body: runs only when the function is called.
    Lazy,
    /// Needed by the type checker only (`import type`, `if TYPE_CHECKING:`;
    /// PHP type declarations, `instanceof`, attributes and bare `use`
    /// aliases, none of which loads a class).
    TypeOnly,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Extends => "extends",
            ImportKind::Implements => "implements",
            ImportKind::Static => "static",
            ImportKind::Reexport => "reexport",
            ImportKind::Require => "require",
            ImportKind::ModelRef => "model_ref",
            ImportKind::Dynamic => "dynamic",
            ImportKind::Lazy => "lazy",
            ImportKind::TypeOnly => "type_only",
        }
    }

    /// Whether the import exists at run time (everything but type-only).
    pub fn is_runtime(self) -> bool {
        self != ImportKind::TypeOnly
    }

    /// Whether the import runs when the importing file loads: `extends`,
    /// `implements`, static imports, re-exports, top-level `require` (and a
    /// Django model reference, resolved when the app starts). Lazy (inside
    /// a function), dynamic and type-only imports do not. `--runtime-only`
    /// counts these alone, in `impact` and `cycles` alike.
    pub fn loads(self) -> bool {
        self <= ImportKind::ModelRef
    }
}

/// One import statement as written, before resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawImport {
    /// The module specifier as written: `a.b`, `..pkg` (Python), `./x`,
    /// `@scope/pkg/sub` (TS/JS).
    pub specifier: String,
    /// Names imported from the specifier (`from x import a, b`); `*` for a
    /// wildcard. Python resolves each name, as it may be a submodule.
    pub names: Vec<String>,
    /// 1-based line of the statement.
    pub line: u32,
    pub kind: ImportKind,
    /// A qualified name used in code (`new \A\B`, `crate::a::f()`), not an
    /// import statement: it makes an edge when it resolves to another file of
    /// the repository, and is reported only when it looks internal and does
    /// not resolve.
    pub reference: bool,
    /// An export of what it imports (`export ... from`, `export type ...
    /// from`, Rust `pub use`): importers of this file see the names too.
    pub reexport: bool,
    /// Names brought in under another name, as (name, alias): `from x import
    /// A as B`, `export { A as B } from`, `pub use x::A as B`. Symbol-level
    /// impact follows a re-exported symbol under its new name.
    pub aliases: Vec<(String, String)>,
}

/// A top-level definition: what a symbol-level analysis can point at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub name: String,
    /// `class`, `abstract_class`, `interface`, `trait`, `struct`,
    /// `function`, `type`, `enum`, `constant`, `namespace`, `macro`,
    /// `module`, `impl` (a Rust `impl` block, named after its type): the
    /// capture suffix in `definitions.scm`.
    pub kind: String,
    pub start_line: u32,
    pub end_line: u32,
    /// Whether the definition is abstract (interface, abstract class,
    /// Protocol/ABC subclass): input to the abstractness metric.
    pub is_abstract: bool,
}

/// Everything the later stages know about one parsed file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    pub imports: Vec<RawImport>,
    pub definitions: Vec<Definition>,
    /// Number of lines in the file.
    pub lines: u32,
    /// First line holding a syntax error, when the tree has any. Facts are
    /// still extracted from the rest of the tree.
    pub syntax_error_line: Option<u32>,
    /// The file held bytes that are not UTF-8; they were parsed as they are
    /// and replaced in extracted text.
    pub non_utf8: bool,
    /// Modules this file declares at an explicit path (Rust
    /// `#[path = "x.rs"] mod name;`): (name, path as written).
    pub module_files: Vec<(String, String)>,
    /// Which top-level definitions mention which others of this file, as
    /// (user, used) indexes into `definitions`, sorted (full extraction
    /// only).
    pub local_uses: Vec<(u32, u32)>,
    /// The token stream, for duplicate detection (only when asked for:
    /// it holds a token per word of the file).
    pub tokens: Option<crate::lang::tokens::TokenStream>,
}
