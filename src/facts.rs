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

impl RawImport {
    /// An import of `specifier` alone, as a resolver is asked it: no
    /// names, no aliases, neither a qualified name nor a re-export.
    pub fn of(specifier: &str, kind: ImportKind, line: u32) -> RawImport {
        RawImport {
            specifier: specifier.to_string(),
            names: Vec::new(),
            line,
            kind,
            reference: false,
            reexport: false,
            aliases: Vec::new(),
        }
    }
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
    /// Definitions at every depth and what they use (only when asked for).
    pub symbols: Option<SymbolFacts>,
}

/// What a file defines at every depth and what each definition uses: the
/// input of the symbol graph (`src/symbols/`), read from
/// `queries/<lang>/symbols.scm` when [`crate::lang::Extraction`] asks for
/// symbols.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymbolFacts {
    /// Definitions in source order (outer before inner); an index into
    /// this list is a definition's local id.
    pub defs: Vec<SymbolDef>,
    /// Names used, in source order.
    pub uses: Vec<Use>,
    /// What local names stand for, where the file says it: annotations,
    /// assignments, `self.x = ...`, `export { a as b }`.
    pub bindings: Vec<Binding>,
    /// PHP: each namespace declaration, as (its first line, its name).
    pub namespaces: Vec<(u32, String)>,
    /// Calls and assignments a web framework may register endpoints
    /// with, and every decorator, their arguments as written (`routes`).
    pub calls: Vec<CallFact>,
}

/// A call as written, with its arguments: what `routes` reads of a
/// registration (`path('orders/', views.orders)`, `@app.get('/x')`,
/// `urlpatterns += [...]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFact {
    /// The innermost definition around it; for a decorator, the
    /// definition it decorates.
    pub scope: Option<u32>,
    pub line: u32,
    /// A decorator of `scope`.
    pub decorator: bool,
    /// `name = value` or `name += value`: the name.
    pub target: Option<String>,
    /// `+=`.
    pub augmented: bool,
    /// `for target in value:` (a loop whose body registers).
    pub iterates: bool,
    /// The type written for `target` (`Mapped[List["Item"]]`, `?string`),
    /// as written: models read columns from it.
    pub annotation: Option<String>,
    /// An annotated name given no value (`name: Mapped[str]`) has
    /// `Other("")`.
    pub value: Expr,
}

/// An expression as written, as far as registrations need it: anything
/// else is kept as its text (`Other`), so that what cannot be read is
/// reported, never guessed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expr {
    /// A string literal without interpolation, its text as written
    /// between the quotes.
    Str(String),
    /// A name or a chain of names (`views.order_list`).
    Path(String),
    /// `receiver.name(args)`, `name(args)`; a call of a call's result
    /// (`cache_page(60)(view)`) has that call as receiver and no name.
    Call {
        receiver: Option<Box<Expr>>,
        name: String,
        args: Vec<Arg>,
        line: u32,
    },
    /// A list, tuple or set.
    List(Vec<Expr>),
    /// A dictionary.
    Map(Vec<(Expr, Expr)>),
    /// `a + b`.
    Concat(Vec<Expr>),
    /// A function written in place (a lambda, an arrow function, a PHP
    /// closure), with its first and last lines (a Laravel route group's
    /// closure holds the routes written between them).
    Function(u32, u32),
    /// A macro's arguments (`diesel::table! { ... }`): its tokens, as
    /// written, with their lines, brackets included; comments left out.
    Tokens(Vec<(u32, String)>),
    /// Anything else: its text, cut short.
    Other(String),
}

/// An argument: positional (`name` is `None`), keyword, or `*`/`**`
/// spread (`name` is `"*"` or `"**"`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arg {
    pub name: Option<String>,
    pub value: Expr,
}

impl Expr {
    /// The literal string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The call's receiver, name, arguments and line, if it is a call.
    pub fn as_call(&self) -> Option<(Option<&Expr>, &str, &[Arg], u32)> {
        match self {
            Expr::Call {
                receiver,
                name,
                args,
                line,
            } => Some((receiver.as_deref(), name, args, *line)),
            _ => None,
        }
    }

    /// How it reads in a message.
    pub fn text(&self) -> String {
        match self {
            Expr::Str(s) => format!("'{s}'"),
            Expr::Path(p) => p.clone(),
            Expr::Call {
                receiver,
                name,
                args,
                ..
            } => {
                let callee = match (receiver, name.is_empty()) {
                    (Some(r), true) => r.text(),
                    (Some(r), false) => format!("{}.{name}", r.text()),
                    (None, _) => name.clone(),
                };
                let args: Vec<String> = args
                    .iter()
                    .map(|a| match &a.name {
                        Some(n) if n == "*" || n == "**" => format!("{n}{}", a.value.text()),
                        Some(n) => format!("{n}={}", a.value.text()),
                        None => a.value.text(),
                    })
                    .collect();
                format!("{callee}({})", args.join(", "))
            }
            Expr::List(items) => {
                let items: Vec<String> = items.iter().map(Expr::text).collect();
                format!("[{}]", items.join(", "))
            }
            Expr::Map(pairs) => {
                let pairs: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.text(), v.text()))
                    .collect();
                format!("{{{}}}", pairs.join(", "))
            }
            Expr::Concat(parts) => {
                let parts: Vec<String> = parts.iter().map(Expr::text).collect();
                parts.join(" + ")
            }
            Expr::Function(..) => "<inline function>".to_string(),
            Expr::Tokens(tokens) => tokens
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            Expr::Other(text) => text.clone(),
        }
    }
}

/// The arguments' named one, else the positional one at `index`.
pub fn argument<'a>(args: &'a [Arg], index: usize, name: &str) -> Option<&'a Expr> {
    args.iter()
        .find(|a| a.name.as_deref() == Some(name))
        .or_else(|| args.iter().filter(|a| a.name.is_none()).nth(index))
        .map(|a| &a.value)
}

/// The argument named `name`.
pub fn keyword<'a>(args: &'a [Arg], name: &str) -> Option<&'a Expr> {
    args.iter()
        .find(|a| a.name.as_deref() == Some(name))
        .map(|a| &a.value)
}

impl SymbolFacts {
    /// The namespace in force at a line (PHP), `""` for the global one.
    pub fn namespace_at(&self, line: u32) -> &str {
        self.namespaces
            .iter()
            .rev()
            .find(|(first, _)| *first <= line)
            .map_or("", |(_, name)| name.as_str())
    }
}

/// What a definition is. Methods are functions inside a class (or a Rust
/// `impl`/trait); fields are class-level names with a type or a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefKind {
    Function,
    Method,
    Class,
    Interface,
    Trait,
    Struct,
    Enum,
    /// A type alias (`type X = ...`).
    Type,
    /// A module-level name written in capitals, or `const`.
    Constant,
    /// Any other module-level name given a value.
    Variable,
    /// A namespace or an inline module (`namespace N {}`, `mod m {}`).
    Namespace,
    /// A Rust `impl` block, named after its type: it holds methods and
    /// defines no name of its own.
    Impl,
}

impl DefKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DefKind::Function => "function",
            DefKind::Method => "method",
            DefKind::Class => "class",
            DefKind::Interface => "interface",
            DefKind::Trait => "trait",
            DefKind::Struct => "struct",
            DefKind::Enum => "enum",
            DefKind::Type => "type",
            DefKind::Constant => "constant",
            DefKind::Variable => "variable",
            DefKind::Namespace => "namespace",
            DefKind::Impl => "impl",
        }
    }

    /// A definition whose body runs when called (its uses run then, not
    /// when the module loads).
    pub fn is_callable(self) -> bool {
        matches!(self, DefKind::Function | DefKind::Method)
    }

    /// A definition that holds members: a lookup of `X.m` looks inside it.
    pub fn is_type(self) -> bool {
        matches!(
            self,
            DefKind::Class
                | DefKind::Interface
                | DefKind::Trait
                | DefKind::Struct
                | DefKind::Enum
                | DefKind::Impl
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymbolDef {
    pub name: String,
    pub kind: DefKind,
    /// The enclosing definition, an index into [`SymbolFacts::defs`].
    pub parent: Option<u32>,
    pub start_line: u32,
    pub end_line: u32,
    /// The line of its name, below its decorators and attributes (where
    /// a reader looks for `class Order`).
    #[serde(default)]
    pub name_line: u32,
    /// Base classes, implemented interfaces, used traits, as written
    /// paths (`models.Model`, `Base`).
    pub bases: Vec<String>,
    /// The return annotation's principal type, as a written path
    /// (`Optional[User]` gives `User`).
    pub returns: Option<String>,
    /// What the first `return` (or `yield`) gives, as a written path
    /// (`OrderService()`), for a function without a return annotation.
    pub returned: Option<String>,
    /// Parameter names, in order (`self` included): pytest reads fixtures
    /// from them, and the signature compares them.
    pub params: Vec<String>,
    /// The parameter list and return annotation as written, whitespace
    /// collapsed: a change of it is a change of signature.
    pub signature: String,
    /// Decorators and attributes as written (`pytest.fixture(autouse=True)`,
    /// `property`, `test`), without the `@`/`#[`.
    pub decorators: Vec<String>,
    /// A class's metaclass, as a written path (`metaclass=SchemaMeta`).
    pub metaclass: Option<String>,
    /// In TypeScript, where the name lives: a type alias or interface is a
    /// type only, a `const` or function a value only, a class or enum
    /// both. Other languages: both.
    pub namespace: Namespace,
    /// Private to where it is written: by the language (`private`, Rust
    /// without plain `pub`), by convention (Python's `_name`) or by its
    /// documentation (`@internal`, `#[doc(hidden)]`); and everything inside
    /// a private definition. `[[forbid]] private = true` judges uses of it
    /// from other modules.
    #[serde(default)]
    pub private: bool,
    /// Parameters whose declared type is a function (TypeScript): (the
    /// parameter's index, `this` not counted; the principal type of each
    /// parameter of that function, `""` where it has none). A function
    /// passed there has its parameters typed by them.
    #[serde(default)]
    pub callbacks: Vec<(u32, Vec<String>)>,
}

/// TypeScript's two name spaces (a type and a value may share a name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Namespace {
    Both,
    Value,
    Type,
}

impl Namespace {
    /// Whether a name living here answers a lookup in `wanted`.
    pub fn serves(self, wanted: Namespace) -> bool {
        self == Namespace::Both || wanted == Namespace::Both || self == wanted
    }
}

/// How a name is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UseKind {
    /// Called (`f()`, `a.b()`, a decorator, a JSX element).
    Call,
    /// Instantiated with `new X` or a struct literal (a call of a class is
    /// a call that resolves to a class: an instantiation too).
    New,
    /// A base class, an implemented interface, a used trait.
    Inherit,
    /// In a type annotation.
    Type,
    /// Read without a call (passed, assigned, returned, compared).
    Reference,
}

impl UseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UseKind::Call => "call",
            UseKind::New => "instantiate",
            UseKind::Inherit => "inherit",
            UseKind::Type => "type",
            UseKind::Reference => "reference",
        }
    }
}

/// A name used in code, as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Use {
    /// The innermost definition holding the use; `None`: the module's own
    /// top-level code.
    pub scope: Option<u32>,
    /// The written path: segments joined by `.` (`self.repo.save`,
    /// `models.User`); a segment ending in `()` is the result of a call
    /// (`repo.get().save`).
    pub path: String,
    pub kind: UseKind,
    pub line: u32,
    /// Runs when the module loads (top-level code, a class body, a
    /// decorator, a default value, a base class), not when its scope is
    /// called.
    pub load: bool,
}

/// How a binding's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BindingKind {
    /// `x = <path>`: the name holds the path's value (`Foo()`: an
    /// instance of Foo).
    Value,
    /// `x: <type>`: the name holds an instance of the type.
    Type,
    /// `x = require("<specifier>")`: the name holds the module.
    Require,
    /// The name holds nothing vantage can follow (`x = 3`, a parameter
    /// without annotation): it still hides an outer name.
    Opaque,
    /// A type parameter (`T` of `fn f<T: Read>`): whatever type a caller
    /// picks, reached through its bounds, which vantage does not follow.
    Generic,
    /// A parameter, without a type, of a function passed as the
    /// `argument`th argument of a call of `value` (of `new value` when
    /// `new`): the type the callee's signature gives its `parameter`th
    /// parameter (`operate((source, subscriber) => ...)`). It names that
    /// value from its line to `last`, the passed function's last line,
    /// and nowhere else.
    Callback {
        argument: u32,
        parameter: u32,
        new: bool,
        last: u32,
    },
}

/// What a name stands for in a scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// Where the value is written (the method for `self.x = ...`); `None`:
    /// module level.
    pub scope: Option<u32>,
    /// The bound name.
    pub name: String,
    /// `self.x = ...`, `this.x = ...`, `$this->x = ...`: an attribute of
    /// the instance of the class holding `scope`.
    pub on_self: bool,
    pub value: String,
    pub kind: BindingKind,
    pub line: u32,
}
