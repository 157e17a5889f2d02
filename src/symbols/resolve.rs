//! Following a written path (`self.repo.get().save`) to the definition it
//! names: names bound first (scopes, the module, its imports), then
//! members through what is known of each receiver (a class and its bases
//! in method resolution order, a module's names, a call's return
//! annotation).
//!
//! Everything here reads facts only; a file's uses are resolved on their
//! own (in parallel), each with its own memo of class linearisations.

use foldhash::HashMap;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use crate::facts::{
    Binding, BindingKind, DefKind, FileFacts, ImportKind, Namespace, RawImport, SymbolDef,
    SymbolFacts, UseKind,
};
use crate::lang::LanguageFamily;
use crate::project::{FileId, ProjectFiles, file_name, parent};
use crate::resolve::{Resolution, Resolvers};

use super::{EdgeKind, UnresolvedReason, UseSite};

/// What resolving one file gave, in terms of definitions (not yet nodes):
/// a warm session keeps it per file and resolves again only the files an
/// edit may change.
#[derive(Clone, Debug, Default)]
pub(crate) struct FileRaw {
    pub(super) edges: Vec<RawEdge>,
    pub(super) unresolved: Vec<RawUnresolved>,
    /// Other files whose facts the answer read, sorted.
    pub(super) reads: Vec<FileId>,
    /// Classes of the file with a base outside the repository or unknown.
    pub(super) open_classes: Vec<u32>,
}

/// An edge from a definition of the file (`None`: its module) to a
/// definition `(file, index)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct RawEdge {
    pub(super) from: Option<u32>,
    pub(super) to: (FileId, u32),
    pub(super) kind: EdgeKind,
    pub(super) site: UseSite,
}

/// An unresolved use of the file; `missing` names the module (`None`) or
/// the class asked, by `(file, definition)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RawUnresolved {
    pub(super) from: Option<u32>,
    pub(super) path: String,
    pub(super) line: u32,
    pub(super) kind: UseKind,
    pub(super) load: bool,
    pub(super) reason: UnresolvedReason,
    pub(super) missing: Option<((FileId, Option<u32>), String)>,
}

/// A definition: its file and index.
pub(super) type DefRef = (FileId, u32);

/// How deep one resolution may go (bindings of bindings, bases of bases,
/// wildcard re-exports of wildcard re-exports): past it, a value is
/// unknown. Real code needs a few; cycles need a stop.
const MAX_DEPTH: u8 = 24;

/// What a name an import binds stands for.
#[derive(Clone, Debug)]
enum Imported {
    /// A module (`import a.b as m`, `import * as m`).
    Module(FileId),
    /// A name of a module (`from m import x`, `import { x } from`).
    Name(FileId, String),
    /// `import a.b` binds `a`: modules below it are found by name.
    Package(String),
    /// Outside the repository (standard library, a dependency).
    External,
    /// An import that resolves to nothing.
    Unresolved,
}

/// A file's names, indexed once. Keys are hashes of names (the index owns
/// no text, so a warm session keeps it across edits); a lookup checks the
/// name of each candidate.
#[derive(Default)]
pub(super) struct FileIndex {
    /// Top-level definitions by name, in source order.
    top: HashMap<u64, Vec<u32>>,
    /// Definitions by (parent, name).
    children: HashMap<(u32, u64), Vec<u32>>,
    /// Bindings (not on `self`) by (scope, name), in source order.
    bound: HashMap<(Option<u32>, u64), Vec<u32>>,
    /// `self.x = ...` bindings by (class, name).
    on_self: HashMap<(u32, u64), Vec<u32>>,
    /// What the file's imports bind, by local name.
    imports: HashMap<String, Imported>,
    /// Modules whose names the file takes or passes on whole
    /// (`from m import *`, `export * from`).
    stars: Vec<FileId>,
    /// PHP: the class names its `use` statements bind, lowercase alias →
    /// fully qualified name.
    php_uses: std::collections::HashMap<String, String>,
    /// PHP: the functions `use function` binds, the same way.
    php_functions_used: std::collections::HashMap<String, String>,
    /// Parameters of functions passed to calls, by (scope, name): each
    /// names its value inside its function only (`BindingKind::Callback`).
    passed: HashMap<(Option<u32>, u64), Vec<u32>>,
    /// What other files can read of this one, lines left out: its
    /// definitions, bindings, imports and where they resolve. An edit
    /// that keeps it (a body, a comment) changes no other file's answer.
    pub(super) interface: u64,
}

fn name_key(name: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(name.as_bytes())
}

/// The candidates of a lookup whose name is `name`.
fn named<'s>(
    candidates: Option<&'s Vec<u32>>,
    name_of: impl Fn(u32) -> &'s str + 's,
    name: &'s str,
) -> impl DoubleEndedIterator<Item = u32> + 's {
    candidates
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .copied()
        .filter(move |&i| name_of(i) == name)
}

impl FileIndex {
    /// The modules whose names the file takes or passes on whole.
    pub(super) fn stars(&self) -> &[FileId] {
        &self.stars
    }

    fn top<'s>(
        &'s self,
        symbols: &'s SymbolFacts,
        name: &'s str,
    ) -> impl DoubleEndedIterator<Item = u32> + 's {
        named(
            self.top.get(&name_key(name)),
            |d| &symbols.defs[d as usize].name,
            name,
        )
    }

    fn children<'s>(
        &'s self,
        symbols: &'s SymbolFacts,
        parent: u32,
        name: &'s str,
    ) -> impl DoubleEndedIterator<Item = u32> + 's {
        named(
            self.children.get(&(parent, name_key(name))),
            |d| &symbols.defs[d as usize].name,
            name,
        )
    }

    fn bound<'s>(
        &'s self,
        symbols: &'s SymbolFacts,
        scope: Option<u32>,
        name: &'s str,
    ) -> impl DoubleEndedIterator<Item = u32> + 's {
        named(
            self.bound.get(&(scope, name_key(name))),
            |b| &symbols.bindings[b as usize].name,
            name,
        )
    }

    fn on_self<'s>(
        &'s self,
        symbols: &'s SymbolFacts,
        class: u32,
        name: &'s str,
    ) -> impl DoubleEndedIterator<Item = u32> + 's {
        named(
            self.on_self.get(&(class, name_key(name))),
            |b| &symbols.bindings[b as usize].name,
            name,
        )
    }
}

/// The value of an expression, as far as the facts tell.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Module(FileId),
    /// A dotted module prefix bound by `import a.b` in `from`.
    Package {
        from: FileId,
        dotted: String,
    },
    Def(FileId, u32),
    /// An instance of the class (or struct) `Def(file, def)`.
    Instance(FileId, u32),
    /// `super()` in a method of `class`: its members are looked up in
    /// the class's linearisation after `after`.
    SuperOf {
        file: FileId,
        class: u32,
        after: (FileId, u32),
    },
    /// A Rust path not bound in the file (`crate::a`, `models`, a crate):
    /// the rest of it is walked with the module tree.
    RustPath {
        from: FileId,
        path: String,
    },
    External,
    /// A method from outside whose call gives back the instance it is
    /// called on (Rust's `unwrap`, `lock`, `as_ref` on a value whose
    /// principal type looks through `Option`, `Mutex`, `Arc`).
    Yields(FileId, u32),
    Unknown,
    /// A name a module of the repository does not have (an import of a
    /// removed definition).
    Missing {
        module: FileId,
        name: String,
    },
}

impl Value {
    /// The failure a missing name is.
    fn failure(&self) -> Option<Failure> {
        match self {
            Value::Missing { module, name } => Some(Failure {
                reason: UnresolvedReason::Missing,
                missing: Some((Value::Module(*module), name.clone())),
            }),
            _ => None,
        }
    }
}

/// Why a walk stopped.
struct Failure {
    reason: UnresolvedReason,
    /// The module or class asked, and the name it lacks.
    missing: Option<(Value, String)>,
}

/// A path followed: its value, or where it failed, and the definitions
/// met on the way (segment by segment).
struct Walk {
    result: Result<Value, Failure>,
    /// Each with whether it was looked up on an instance (its use may
    /// reach an override: `self.FUNCS` of a subclass).
    met: Vec<(FileId, u32, bool)>,
    /// The last member was looked up on an instance (a call of it may
    /// dispatch to an override).
    dispatch: bool,
}

pub(super) struct World<'a> {
    project: &'a ProjectFiles,
    facts: &'a [FileFacts],
    resolvers: &'a Resolvers<'a>,
    index: Vec<Arc<FileIndex>>,
    fixtures: super::tests::Fixtures,
    /// Names of the repository's properties: a read of one on a value of
    /// unknown type is kept as unresolved (it may run the property).
    properties: foldhash::HashSet<&'a str>,
    /// PHP's classes (and interfaces, traits, enums) and functions by
    /// lowercase fully qualified name; a name declared twice is left out.
    php_types: foldhash::HashMap<String, Option<(FileId, u32)>>,
    php_functions: foldhash::HashMap<String, Option<(FileId, u32)>>,
    /// Rust's `impl` blocks by the name of their type: a type's methods
    /// and traits are those of the blocks whose name finds it.
    rust_impls: foldhash::HashMap<&'a str, Vec<(FileId, u32)>>,
    /// Rust's `macro_rules!` by name (scoped by text or exported at the
    /// crate root, never imported by path inside their crate).
    rust_macros: foldhash::HashMap<&'a str, Vec<(FileId, u32)>>,
}

impl<'a> World<'a> {
    /// The world of these files, with each file's index (see
    /// [`index_file`]).
    pub(super) fn new(
        project: &'a ProjectFiles,
        facts: &'a [FileFacts],
        resolvers: &'a Resolvers<'a>,
        index: Vec<Arc<FileIndex>>,
    ) -> Self {
        let properties = facts
            .iter()
            .filter_map(|f| f.symbols.as_ref())
            .flat_map(|s| s.defs.iter())
            .filter(|d| d.kind.is_callable() && is_property(d))
            .map(|d| d.name.as_str())
            .collect();
        let mut php_types: foldhash::HashMap<String, Option<(FileId, u32)>> = Default::default();
        let mut php_functions: foldhash::HashMap<String, Option<(FileId, u32)>> =
            Default::default();
        let mut rust_impls: foldhash::HashMap<&str, Vec<(FileId, u32)>> = Default::default();
        let mut rust_macros: foldhash::HashMap<&str, Vec<(FileId, u32)>> = Default::default();
        for (file, f) in facts.iter().enumerate() {
            let Some(symbols) = f.symbols.as_ref() else {
                continue;
            };
            if project.get(file).language.family() == LanguageFamily::Rust {
                for (i, def) in symbols.defs.iter().enumerate() {
                    if def.kind == DefKind::Impl {
                        rust_impls
                            .entry(&def.name)
                            .or_default()
                            .push((file, i as u32));
                    }
                    // A `macro_rules!`: a function without parameters.
                    if def.kind == DefKind::Function && def.signature.is_empty() {
                        rust_macros
                            .entry(&def.name)
                            .or_default()
                            .push((file, i as u32));
                    }
                }
                continue;
            }
            if project.get(file).language.family() != LanguageFamily::Php {
                continue;
            }
            for (i, def) in symbols.defs.iter().enumerate() {
                if def.parent.is_some() {
                    continue;
                }
                let table = if def.kind.is_type() {
                    &mut php_types
                } else if def.kind.is_callable() {
                    &mut php_functions
                } else {
                    continue;
                };
                let namespace = symbols.namespace_at(def.start_line);
                let fqn = if namespace.is_empty() {
                    def.name.to_ascii_lowercase()
                } else {
                    format!("{}\\{}", namespace, def.name).to_ascii_lowercase()
                };
                table
                    .entry(fqn)
                    .and_modify(|found| *found = None)
                    .or_insert(Some((file, i as u32)));
            }
        }
        World {
            project,
            facts,
            resolvers,
            index,
            fixtures: super::tests::Fixtures::new(project, facts),
            properties,
            php_types,
            php_functions,
            rust_impls,
            rust_macros,
        }
    }

    /// A hash of what the world knows from every file at once (the names
    /// of properties, PHP's declarations): when an edit changes it, every
    /// file's answer may change.
    pub(super) fn globals_key(&self) -> u64 {
        let mut properties: Vec<&str> = self.properties.iter().copied().collect();
        properties.sort_unstable();
        let mut php: Vec<(&String, &Option<(FileId, u32)>)> =
            self.php_types.iter().chain(&self.php_functions).collect();
        php.sort();
        let mut impls: Vec<_> = self.rust_impls.iter().chain(&self.rust_macros).collect();
        impls.sort();
        let text = format!("{properties:?}{php:?}{impls:?}");
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }

    /// A fresh resolution context for uses written in `file`.
    fn ctx(&self, file: FileId) -> Ctx<'_, 'a> {
        Ctx {
            world: self,
            file,
            mro: RefCell::new(HashMap::default()),
            reads: RefCell::new(Vec::new()),
            php_member: std::cell::Cell::new(None),
        }
    }

    pub(super) fn project(&self) -> &'a ProjectFiles {
        self.project
    }

    pub(super) fn facts(&self) -> &'a [FileFacts] {
        self.facts
    }

    pub(super) fn fixtures(&self) -> &super::tests::Fixtures {
        &self.fixtures
    }

    fn symbols(&self, file: FileId) -> Option<&'a SymbolFacts> {
        self.facts[file].symbols.as_ref()
    }

    fn def(&self, file: FileId, def: u32) -> &'a SymbolDef {
        &self.facts[file]
            .symbols
            .as_ref()
            .expect("a file with definitions")
            .defs[def as usize]
    }

    fn family(&self, file: FileId) -> LanguageFamily {
        self.project.get(file).language.family()
    }

    /// For each class of a file, the definitions its members of these
    /// names are (its own or a base's).
    pub(super) fn members_of_classes(
        &self,
        ctx: &Ctx,
        file: FileId,
        classes: &[u32],
        names: &[&str],
    ) -> Vec<Vec<(FileId, u32)>> {
        classes
            .iter()
            .map(|&class| {
                names
                    .iter()
                    .filter_map(|name| {
                        match ctx.class_member(file, class, name, Namespace::Value, 0) {
                            Ok(Value::Def(f, d)) => Some((f, d)),
                            _ => None,
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// What a written path names from `scope` of `file`, after the graph
    /// is built (routes name views and routers this way): the last
    /// definition met on the way, and the path's value.
    pub(super) fn follow(
        &self,
        file: FileId,
        scope: Option<u32>,
        path: &str,
        line: u32,
    ) -> (Option<DefRef>, super::Followed<DefRef>) {
        use super::Followed;
        let ctx = self.ctx(file);
        let walk = ctx.walk(file, scope, path, line, Namespace::Value, 0, false);
        let met = walk.met.last().map(|&(f, d, _)| (f, d));
        let value = match walk.result {
            Ok(Value::Def(f, d)) => Followed::Def((f, d)),
            Ok(Value::Instance(f, d)) => Followed::Instance((f, d)),
            Ok(Value::Module(f)) => Followed::Module(f),
            Ok(Value::External) => Followed::External,
            _ => Followed::Unknown,
        };
        (met, value)
    }

    /// A class's linearisation (itself first, then its bases in the
    /// repository, in method resolution order), and whether a base is
    /// outside the repository or unknown.
    pub(super) fn linearisation(&self, file: FileId, class: u32) -> (Vec<(FileId, u32)>, bool) {
        let ctx = self.ctx(file);
        let mro = ctx.mro(file, class, 0);
        (mro.0.clone(), mro.1)
    }

    /// Records that the answer for the file being resolved read `file`.
    pub(super) fn note_read(&self, ctx: &Ctx, file: FileId) {
        ctx.read(file);
    }

    /// Every use of a file resolved (its uses, its imports' names, its
    /// tests' fixtures): edges, what could not be followed, and which
    /// other files the answer read.
    pub(super) fn resolve_file(&self, file: FileId) -> FileRaw {
        let Some(symbols) = self.symbols(file) else {
            return FileRaw::default();
        };
        let ctx = self.ctx(file);
        let mut out = FileRaw::default();
        for u in &symbols.uses {
            // A base may be a class (a value) or an interface (a type).
            let ns = match u.kind {
                UseKind::Type => Namespace::Type,
                UseKind::Inherit => Namespace::Both,
                _ => Namespace::Value,
            };
            let calls = matches!(u.kind, UseKind::Call | UseKind::New);
            let walk = ctx.walk(file, u.scope, &u.path, u.line, ns, 0, calls);
            let site = UseSite {
                line: u.line,
                load: u.load,
                dispatch: walk.dispatch && matches!(u.kind, UseKind::Call | UseKind::Reference),
            };
            let last = walk.met.len().checked_sub(1);
            let final_def = match &walk.result {
                Ok(Value::Def(f, d)) => Some((*f, *d)),
                _ => None,
            };
            for (i, &(f, d, on_instance)) in walk.met.iter().enumerate() {
                let (kind, site) = if Some(i) == last && final_def == Some((f, d)) {
                    (EdgeKind::of(u.kind, ctx.def(f, d).kind), site)
                } else {
                    // A member on the way (`self.FUNCS` of
                    // `self.FUNCS.get(..)`): read through the instance.
                    let site = UseSite {
                        dispatch: on_instance,
                        ..site
                    };
                    (EdgeKind::Reference, site)
                };
                out.edges.push(RawEdge {
                    from: u.scope,
                    to: (f, d),
                    kind,
                    site,
                });
                // An instantiation calls the constructor (its own or a
                // base's).
                if kind == EdgeKind::Instantiate {
                    for init in self.constructors(&ctx, f, d) {
                        out.edges.push(RawEdge {
                            from: u.scope,
                            to: init,
                            kind: EdgeKind::Call,
                            site: UseSite {
                                dispatch: false,
                                ..site
                            },
                        });
                    }
                }
            }
            // Calling an instance calls its class's `__call__`.
            if u.kind == UseKind::Call
                && let Ok(Value::Instance(f, c)) = &walk.result
                && let Ok(Value::Def(g, m)) =
                    ctx.class_member(*f, *c, "__call__", Namespace::Value, 0)
            {
                out.edges.push(RawEdge {
                    from: u.scope,
                    to: (g, m),
                    kind: EdgeKind::Call,
                    site,
                });
            }
            let Err(failure) = walk.result else { continue };
            // Attribute reads on values of unknown type are everywhere and
            // say nothing; a name a known module or class lacks does.
            let last = u.path.rsplit('.').next().unwrap_or(&u.path);
            let counts = u.kind != UseKind::Reference
                || failure.reason == UnresolvedReason::Missing
                || (failure.reason == UnresolvedReason::UnknownReceiver
                    && self.properties.contains(last));
            if !counts {
                continue;
            }
            let missing = failure.missing.and_then(|(container, name)| {
                let at = match container {
                    Value::Module(f) => (f, None),
                    Value::Def(f, d) | Value::Instance(f, d) => (f, Some(d)),
                    _ => return None,
                };
                Some((at, name))
            });
            out.unresolved.push(RawUnresolved {
                from: u.scope,
                path: u.path.clone(),
                line: u.line,
                kind: u.kind,
                load: u.load,
                reason: failure.reason,
                missing,
            });
        }
        self.definition_edges(&ctx, file, symbols, &mut out);
        self.import_edges(&ctx, file, &mut out);
        out.edges
            .extend(super::tests::file_implicit_edges(self, &ctx, file));
        let mut reads = ctx.reads.into_inner();
        reads.sort_unstable();
        reads.dedup();
        out.reads = reads;
        out
    }

    /// What instantiating a class calls: `__new__` and `__init__`
    /// (Python), `constructor` (TypeScript), its own or a base's.
    fn constructors(&self, ctx: &Ctx, file: FileId, class: u32) -> Vec<(FileId, u32)> {
        let names: &[&str] = match self.family(file) {
            LanguageFamily::Python => &["__new__", "__init__"],
            LanguageFamily::TypeScript | LanguageFamily::JavaScript => &["constructor"],
            LanguageFamily::Php => &["__construct"],
            LanguageFamily::Rust => &[],
        };
        names
            .iter()
            .filter_map(
                |name| match ctx.class_member(file, class, name, Namespace::Value, 0) {
                    Ok(Value::Def(f, d)) if ctx.def(f, d).kind.is_callable() => Some((f, d)),
                    _ => None,
                },
            )
            .collect()
    }

    /// What making a class runs (Python): its metaclass (its own or a
    /// base's: instantiated, its `__new__` and `__init__` called) and the
    /// bases' `__init_subclass__`.
    fn class_creation(
        &self,
        ctx: &Ctx,
        file: FileId,
        class: u32,
    ) -> Vec<(EdgeKind, (FileId, u32))> {
        if self.family(file) != LanguageFamily::Python {
            return Vec::new();
        }
        let mro = ctx.mro(file, class, 0);
        let mut out = Vec::new();
        for (i, &(f, k)) in mro.0.iter().enumerate() {
            let def = ctx.def(f, k);
            if let Some(metaclass) = &def.metaclass
                && let Value::Def(g, m) =
                    ctx.value_of(f, def.parent, metaclass, def.start_line, Namespace::Type, 0)
                && ctx.def(g, m).kind.is_type()
            {
                out.push((EdgeKind::Instantiate, (g, m)));
                out.extend(
                    self.constructors(ctx, g, m)
                        .into_iter()
                        .map(|c| (EdgeKind::Call, c)),
                );
                break;
            }
            if i > 0
                && let Some(hook) = ctx
                    .index(f)
                    .children(
                        ctx.symbols(f).expect("a class's file has symbols"),
                        k,
                        "__init_subclass__",
                    )
                    .next()
            {
                out.push((EdgeKind::Call, (f, hook)));
            }
        }
        out
    }

    /// What running a definition statement runs: making a class runs its
    /// metaclass and its bases' `__init_subclass__` (at load, or when the
    /// function around it runs); a class or a decorated function defined
    /// inside a function is made each time the function runs (an edge
    /// from the function to it: what reaches its body or decorators
    /// reaches the function).
    fn definition_edges(&self, ctx: &Ctx, file: FileId, symbols: &SymbolFacts, out: &mut FileRaw) {
        for (i, def) in symbols.defs.iter().enumerate() {
            let i = i as u32;
            let mut enclosing = def.parent;
            while let Some(p) = enclosing
                && !symbols.defs[p as usize].kind.is_callable()
            {
                enclosing = symbols.defs[p as usize].parent;
            }
            let site = UseSite {
                line: def.start_line,
                load: enclosing.is_none(),
                dispatch: false,
            };
            // A class whose own base is outside the repository (not a
            // plain one): that base may call its methods back.
            let open = def.kind.is_type()
                && def.kind != DefKind::Impl
                && def.bases.iter().any(|base| {
                    !is_plain_base(base)
                        && matches!(
                            ctx.value_of(
                                file,
                                def.parent,
                                base,
                                def.start_line,
                                Namespace::Type,
                                0
                            ),
                            Value::External
                        )
                });
            if open {
                out.open_classes.push(i);
            }
            if def.kind == DefKind::Class {
                for (kind, to) in self.class_creation(ctx, file, i) {
                    out.edges.push(RawEdge {
                        from: Some(i),
                        to,
                        kind,
                        site,
                    });
                }
            }
            let made_by_parent = def
                .parent
                .is_some_and(|p| symbols.defs[p as usize].kind.is_callable());
            if made_by_parent && (def.kind.is_type() || !def.decorators.is_empty()) {
                out.edges.push(RawEdge {
                    from: def.parent,
                    to: (file, i),
                    kind: EdgeKind::Reference,
                    site,
                });
            }
        }
    }

    /// A name an import statement brings from a module of the repository
    /// is a use by the importing module, where the import is written
    /// (`from m import f` fails when `f` is gone); a name the module lacks
    /// is unresolved.
    fn import_edges(&self, ctx: &Ctx, file: FileId, out: &mut FileRaw) {
        let index = &self.index[file];
        for import in &self.facts[file].imports {
            if import.reference || matches!(import.kind, ImportKind::ModelRef | ImportKind::Dynamic)
            {
                continue;
            }
            for name in import.names.iter().filter(|n| *n != "*") {
                let local = import
                    .aliases
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(name.as_str(), |(_, a)| a.as_str());
                let Some(Imported::Name(f, imported)) = index.imports.get(local) else {
                    continue;
                };
                let site = UseSite {
                    line: import.line,
                    load: import.kind.loads(),
                    dispatch: false,
                };
                match self.module_member(ctx, *f, imported, Namespace::Both, 0) {
                    Some(Value::Def(g, d)) => out.edges.push(RawEdge {
                        from: None,
                        to: (g, d),
                        kind: EdgeKind::Import,
                        site,
                    }),
                    None => out.unresolved.push(RawUnresolved {
                        from: None,
                        path: local.to_string(),
                        line: import.line,
                        kind: UseKind::Reference,
                        load: site.load,
                        reason: UnresolvedReason::Missing,
                        missing: Some(((*f, None), imported.clone())),
                    }),
                    _ => {}
                }
            }
        }
    }

    /// The value a module gives a name: a definition, a module-level
    /// binding, an import, a submodule of a package, a wildcard's name.
    fn module_member(
        &self,
        ctx: &Ctx,
        file: FileId,
        name: &str,
        ns: Namespace,
        depth: u8,
    ) -> Option<Value> {
        self.module_member_of(ctx, file, name, ns, depth, true)
    }

    /// [`World::module_member`]; `getattr`: whether the module's own
    /// `__getattr__` may answer (not through `from m import *`, which
    /// copies the names the module has, never asks it for more).
    fn module_member_of(
        &self,
        ctx: &Ctx,
        file: FileId,
        name: &str,
        ns: Namespace,
        depth: u8,
        getattr: bool,
    ) -> Option<Value> {
        if depth > MAX_DEPTH {
            return Some(Value::Unknown);
        }
        let index = ctx.index(file);
        let symbols = ctx.symbols(file)?;
        // A Rust `impl` block is named after its type but binds no name.
        let fits = |d: u32| {
            let def = &symbols.defs[d as usize];
            def.namespace.serves(ns) && def.kind != DefKind::Impl
        };
        if let Some(d) = index.top(symbols, name).find(|&d| fits(d)) {
            return Some(Value::Def(file, d));
        }
        if let Some(b) = index.bound(symbols, None, name).next_back() {
            return Some(ctx.binding_value(file, &symbols.bindings[b as usize], depth + 1));
        }
        if let Some(imported) = index.imports.get(name) {
            return Some(self.imported_value(ctx, file, imported, ns, depth + 1));
        }
        if self.family(file) == LanguageFamily::Python
            && let Some(sub) = self.submodule(file, name)
        {
            return Some(Value::Module(sub));
        }
        for &star in &index.stars {
            if star != file
                && let Some(value) = self.module_member_of(ctx, star, name, ns, depth + 1, false)
            {
                return Some(value);
            }
        }
        // A module `__getattr__` (PEP 562) answers any other name.
        if getattr && let Some(getattr) = index.top(symbols, "__getattr__").next() {
            return Some(Value::Def(file, getattr));
        }
        // A Rust module's child modules (`mod models;`), else an item of
        // an inline module of the file (`mod sync { pub struct Mutex }`,
        // reached through a `pub use` of that module the path does not
        // spell).
        if self.family(file) == LanguageFamily::Rust {
            if let Some(child) = self.rust_child(file, name) {
                return Some(Value::Module(child));
            }
            let inline = symbols.defs.iter().position(|d| {
                d.name == name
                    && d.kind != DefKind::Impl
                    && d.parent
                        .is_some_and(|p| symbols.defs[p as usize].kind == DefKind::Namespace)
            });
            return inline.map(|d| Value::Def(file, d as u32));
        }
        None
    }

    /// The file of a Rust module's child module `name`.
    fn rust_child(&self, file: FileId, name: &str) -> Option<FileId> {
        match self.rust_resolve(file, &format!("self::{name}")) {
            Resolution::Files(files) => files
                .into_iter()
                .find(|&f| f != file && self.rust_module_is(f, name)),
            _ => None,
        }
    }

    /// Whether a Rust file is the module named `name` (its path's last
    /// segment).
    fn rust_module_is(&self, file: FileId, name: &str) -> bool {
        self.resolvers
            .rust_module_name(file)
            .is_some_and(|m| m.rsplit("::").next() == Some(name))
    }

    /// What the Rust resolver makes of a path written in `from`.
    fn rust_resolve(&self, from: FileId, path: &str) -> Resolution {
        let import = RawImport::of(path, ImportKind::Static, 0);
        self.resolvers.resolve_import(self.project, from, &import)
    }

    /// A Rust path written in `from` (`crate::a::B`, `super::x`,
    /// `models::Order`), whose last segment is `name`: a module, the
    /// value the module before the last segment gives `name` (through its
    /// `use` items, so `pub use a::B as C` is followed), outside the
    /// repository, or a name that module is missing.
    fn rust_path(&self, ctx: &Ctx, from: FileId, path: &str, name: &str, depth: u8) -> Value {
        if depth > MAX_DEPTH {
            return Value::Unknown;
        }
        let whole = self.rust_resolve(from, path);
        if let Resolution::Files(files) = &whole
            && let Some(&module) = files.iter().find(|&&f| self.rust_module_is(f, name))
        {
            return Value::Module(module);
        }
        let parent = path.rsplit_once("::").map(|(p, _)| p);
        let holders = match parent.map(|p| self.rust_resolve(from, p)) {
            Some(Resolution::Files(files)) => files,
            _ => Vec::new(),
        };
        // The module may be any of several files (`#[cfg]` alternatives):
        // the first that has the name.
        if let Some(&first) = holders.first() {
            return holders
                .iter()
                .find_map(|&h| self.module_member(ctx, h, name, Namespace::Both, depth + 1))
                .unwrap_or(Value::Missing {
                    module: first,
                    name: name.to_string(),
                });
        }
        match whole {
            Resolution::Files(files) => files
                .iter()
                .find_map(|&f| self.module_member(ctx, f, name, Namespace::Both, depth + 1))
                .unwrap_or(Value::Unknown),
            Resolution::Stdlib | Resolution::External { .. } | Resolution::Undeclared { .. } => {
                Value::External
            }
            _ => Value::Unknown,
        }
    }

    /// `pkg/name.py` or `pkg/name/__init__.py` beside a package's
    /// `__init__.py`.
    fn submodule(&self, package: FileId, name: &str) -> Option<FileId> {
        let path = self.project.path(package);
        if !matches!(file_name(path), "__init__.py" | "__init__.pyi") {
            return None;
        }
        let dir = parent(path);
        let base = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        ["py", "pyi"]
            .iter()
            .find_map(|ext| self.project.file(&format!("{base}.{ext}")))
            .or_else(|| self.project.file(&format!("{base}/__init__.py")))
    }

    fn imported_value(
        &self,
        ctx: &Ctx,
        file: FileId,
        imported: &Imported,
        ns: Namespace,
        depth: u8,
    ) -> Value {
        match imported {
            Imported::Module(f) => Value::Module(*f),
            Imported::Name(f, name) => {
                self.module_member(ctx, *f, name, ns, depth)
                    .unwrap_or_else(|| Value::Missing {
                        module: *f,
                        name: name.clone(),
                    })
            }
            Imported::Package(dotted) => Value::Package {
                from: file,
                dotted: dotted.clone(),
            },
            Imported::External => Value::External,
            Imported::Unresolved => Value::Unknown,
        }
    }

    /// A Python module by dotted name, as `file` would import it.
    fn python_module(&self, file: FileId, dotted: &str) -> Value {
        let import = RawImport::of(dotted, ImportKind::Static, 0);
        match self.resolvers.resolve_import(self.project, file, &import) {
            Resolution::Files(files) => Value::Module(files[0]),
            Resolution::Namespace => Value::Package {
                from: file,
                dotted: dotted.to_string(),
            },
            Resolution::Stdlib | Resolution::External { .. } | Resolution::Undeclared { .. } => {
                Value::External
            }
            _ => Value::Unknown,
        }
    }
}

/// A class's method resolution order, and whether a base is outside the
/// repository or unknown.
type Linearisation = Rc<(Vec<(FileId, u32)>, bool)>;

/// One file's resolution: the world, and a memo of linearisations.
pub(super) struct Ctx<'w, 'a> {
    world: &'w World<'a>,
    /// The file whose uses are resolved.
    file: FileId,
    /// Other files whose facts were read (a warm session resolves a file
    /// again when one of them changes).
    reads: RefCell<Vec<FileId>>,
    /// PHP: whether the member looked up now is called (a method) or
    /// read (a property or constant).
    php_member: std::cell::Cell<Option<bool>>,
    /// Class → (its method resolution order, whether a base was left
    /// unknown or external).
    mro: RefCell<HashMap<(FileId, u32), Linearisation>>,
}

impl<'w, 'a> Ctx<'w, 'a> {
    fn read(&self, file: FileId) {
        if file != self.file {
            self.reads.borrow_mut().push(file);
        }
    }

    fn symbols(&self, file: FileId) -> Option<&'a SymbolFacts> {
        self.read(file);
        self.world.facts[file].symbols.as_ref()
    }

    fn def(&self, file: FileId, def: u32) -> &'a SymbolDef {
        self.read(file);
        self.world.def(file, def)
    }

    fn index(&self, file: FileId) -> &'w FileIndex {
        self.read(file);
        &self.world.index[file]
    }

    /// Follows `path` from `scope` of `file`.
    /// Follows `path` from `scope` of `file`; `calls`: the use calls
    /// what the path names (a PHP name is then a function, a member a
    /// method).
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        file: FileId,
        scope: Option<u32>,
        path: &str,
        line: u32,
        ns: Namespace,
        depth: u8,
        calls: bool,
    ) -> Walk {
        let mut met = Vec::new();
        let mut segments = path.split('.').map(|s| match s.strip_suffix("()") {
            Some(name) => (name, true),
            None => (s, false),
        });
        let Some((root, called)) = segments.next() else {
            return Walk {
                result: Err(Failure {
                    reason: UnresolvedReason::UnknownName,
                    missing: None,
                }),
                met,
                dispatch: false,
            };
        };
        let more = path.contains('.');
        // The root is looked up as a value unless it is the whole path.
        let root_ns = if more { Namespace::Value } else { ns };
        let root_called = called || (!more && calls);
        let mut value = match self.root(file, scope, root, root_called, line, root_ns, depth) {
            Some(v) => v,
            None => {
                return Walk {
                    result: Err(Failure {
                        reason: UnresolvedReason::UnknownName,
                        missing: None,
                    }),
                    met,
                    dispatch: false,
                };
            }
        };
        if let Some(failure) = value.failure() {
            return Walk {
                result: Err(failure),
                met,
                dispatch: false,
            };
        }
        // A segment called on the way (`a.b().c`) is a call of its own,
        // recorded by that call's use; `cls`, `self::`, `static::` name
        // the enclosing class, no use of it.
        let receiver = matches!(
            root,
            "cls" | "self" | "static" | "parent" | "$this" | "this"
        );
        if let Value::Def(f, d) = value
            && !called
            && !receiver
        {
            met.push((f, d, false));
        }
        if called && !root_is_special(root) {
            value = self.call(value, depth);
        }
        // PHP names a static property with its `$` (`X::$count`), a
        // property without it.
        let php = self.world.family(file) == LanguageFamily::Php;
        let segments: Vec<(&str, bool)> = segments
            .map(|(name, called)| {
                if php {
                    (name.trim_start_matches('$'), called)
                } else {
                    (name, called)
                }
            })
            .collect();
        let count = segments.len();
        let mut dispatch = false;
        for (i, (name, called)) in segments.into_iter().enumerate() {
            let segment_ns = if i + 1 == count { ns } else { Namespace::Value };
            dispatch = matches!(value, Value::Instance(..));
            // PHP keeps methods and properties apart (`$x->name` and
            // `$x->name()` may be two members).
            self.php_member
                .set(php.then_some(called || (i + 1 == count && calls)));
            let found = self.member(&value, name, segment_ns, depth);
            self.php_member.set(None);
            match found {
                Ok(next) => {
                    if let Some(failure) = next.failure() {
                        return Walk {
                            result: Err(failure),
                            met,
                            dispatch: false,
                        };
                    }
                    value = next;
                    if let Value::Def(f, d) = value {
                        if !called {
                            met.push((f, d, dispatch));
                        }
                        // A property reads as the value it returns.
                        let def = self.def(f, d);
                        if !called && i + 1 < count && def.kind.is_callable() && is_property(def) {
                            value = self.returns(f, d, depth + 1);
                        }
                    }
                }
                Err(failure) => {
                    return Walk {
                        result: Err(failure),
                        met,
                        dispatch: false,
                    };
                }
            }
            if called {
                value = self.call(value, depth);
            }
        }
        Walk {
            result: match value {
                Value::Unknown => Err(Failure {
                    reason: UnresolvedReason::UnknownReceiver,
                    missing: None,
                }),
                Value::Missing { .. } => Err(value.failure().expect("a missing name")),
                v => Ok(v),
            },
            met,
            dispatch,
        }
    }

    /// The value of a walk, or `Unknown`.
    fn value_of(
        &self,
        file: FileId,
        scope: Option<u32>,
        path: &str,
        line: u32,
        ns: Namespace,
        depth: u8,
    ) -> Value {
        if depth > MAX_DEPTH {
            return Value::Unknown;
        }
        match self
            .walk(file, scope, path, line, ns, depth + 1, false)
            .result
        {
            Ok(Value::Missing { .. }) | Err(_) => Value::Unknown,
            Ok(v) => v,
        }
    }

    /// What the first name of a path stands for in `scope` of `file`.
    #[allow(clippy::too_many_arguments)]
    fn root(
        &self,
        file: FileId,
        scope: Option<u32>,
        name: &str,
        called: bool,
        line: u32,
        ns: Namespace,
        depth: u8,
    ) -> Option<Value> {
        let world = self.world;
        let symbols = self.symbols(file)?;
        let family = world.family(file);
        // The instance or class of the enclosing method.
        if let Some(value) = self.receiver(file, scope, name, called, family) {
            return Some(value);
        }
        // PHP's classes and functions are global, by qualified name.
        if family == LanguageFamily::Php && !name.starts_with('$') {
            return self.php_name(file, name, line, called);
        }
        let index = self.index(file);
        // A parameter of a function passed to a call, inside that
        // function: the innermost one holding the line. (Most files pass
        // none: the lookup is skipped, it runs for every name.)
        if !index.passed.is_empty() {
            let key = name_key(name);
            let mut at = scope;
            loop {
                let passed = index
                    .passed
                    .get(&(at, key))
                    .into_iter()
                    .flatten()
                    .map(|&b| &symbols.bindings[b as usize])
                    .filter(|b| {
                        b.name == name
                            && matches!(b.kind, BindingKind::Callback { last, .. } if b.line <= line && line <= last)
                    })
                    .max_by_key(|b| b.line);
                if let Some(binding) = passed {
                    return Some(self.binding_value(file, binding, depth + 1));
                }
                match at {
                    Some(d) => at = symbols.defs[d as usize].parent,
                    None => break,
                }
            }
        }
        let mut current = scope;
        // A class body's names are seen in the class body (its variables'
        // values too), not from its methods.
        let mut in_callable = false;
        while let Some(d) = current {
            let def = &symbols.defs[d as usize];
            let hidden = def.kind.is_type() && in_callable;
            in_callable |= def.kind.is_callable();
            if !hidden {
                // A nested definition first (`const f = () => ...` also
                // binds `f` to a value that is no path).
                // (A Rust `impl` block is named after its type but binds
                // no name; and a Rust type's members are never in scope
                // unqualified, in its body or its methods: `Self::x`,
                // `self.x`.)
                let members_hidden = family == LanguageFamily::Rust && def.kind.is_type();
                if let Some(c) = index.children(symbols, d, name).find(|&c| {
                    let child = &symbols.defs[c as usize];
                    child.namespace.serves(ns) && child.kind != DefKind::Impl && !members_hidden
                }) {
                    return Some(Value::Def(file, c));
                }
                // The last binding before the use, else the first. A Rust
                // type's path names no local value (`fmt: &mut
                // fmt::Formatter`): only type parameters.
                let local = |b: u32| {
                    let generic = symbols.bindings[b as usize].kind == BindingKind::Generic;
                    !(family == LanguageFamily::Rust
                        && (ns == Namespace::Type || members_hidden)
                        && !generic)
                };
                // A Rust `let` binds from where it is written on, never
                // before (a closure may read a later Python or
                // JavaScript binding).
                let rust = family == LanguageFamily::Rust;
                let before = |b: u32| symbols.bindings[b as usize].line <= line;
                let chosen = index
                    .bound(symbols, Some(d), name)
                    .filter(|&b| local(b))
                    .rev()
                    .find(|&b| before(b))
                    .or_else(|| {
                        if rust {
                            None
                        } else {
                            index.bound(symbols, Some(d), name).find(|&b| local(b))
                        }
                    });
                if let Some(b) = chosen {
                    return Some(self.binding_value(
                        file,
                        &symbols.bindings[b as usize],
                        depth + 1,
                    ));
                }
                if def.params.iter().any(|p| p == name)
                    && !(family == LanguageFamily::Rust && ns == Namespace::Type)
                {
                    // A pytest test or fixture gets the fixture of that
                    // name: what the fixture returns.
                    if super::tests::Fixtures::takes_fixtures(world.project, symbols, file, def) {
                        let class = def
                            .parent
                            .filter(|&p| symbols.defs[p as usize].kind.is_type());
                        for holder in super::tests::Fixtures::visible(world.project, file) {
                            self.read(holder);
                        }
                        if let Some((f, fx)) = world.fixtures.find(world.project, file, class, name)
                        {
                            return Some(self.returns(f, fx, depth + 1));
                        }
                    }
                    return Some(Value::Unknown);
                }
            }
            current = def.parent;
        }
        // A global of the module itself: its `__getattr__` answers only
        // `module.name` from outside, never a bare name inside.
        if let Some(value) = world.module_member_of(self, file, name, ns, depth + 1, false) {
            return Some(value);
        }
        let builtin = match family {
            LanguageFamily::Python => super::python::is_builtin(name),
            LanguageFamily::TypeScript | LanguageFamily::JavaScript => is_script_global(name),
            LanguageFamily::Rust => is_rust_prelude(name),
            LanguageFamily::Php => false,
        };
        if builtin {
            return Some(Value::External);
        }
        // A Rust path's first segment: `crate`, `super`, a module, a crate.
        if family == LanguageFamily::Rust {
            // `super` in an inline `mod tests { .. }` is the file's module.
            let inline = std::iter::successors(scope, |&d| symbols.defs[d as usize].parent)
                .any(|d| symbols.defs[d as usize].kind == DefKind::Namespace);
            if name == "super" && inline {
                return Some(Value::Module(file));
            }
            return match name {
                "crate" | "super" | "self" => Some(Value::RustPath {
                    from: file,
                    path: name.to_string(),
                }),
                // A macro of the crate (`cfg_rt! { .. }`): by name.
                _ if world.rust_macros.get(name).is_some_and(|m| m.len() == 1) => {
                    let (f, d) = world.rust_macros[name][0];
                    self.read(f);
                    Some(Value::Def(f, d))
                }
                _ => match world.rust_path(self, file, name, name, depth + 1) {
                    Value::Unknown | Value::Missing { .. } => None,
                    Value::Module(_) | Value::External => Some(Value::RustPath {
                        from: file,
                        path: name.to_string(),
                    }),
                    value => Some(value),
                },
            };
        }
        None
    }

    /// `self`, `cls` (Python), `this` (TypeScript), and `super()`: the
    /// enclosing method's class. Python's `self` is a method's first
    /// parameter (not a static method's), `cls` a class method's (or
    /// `__new__`'s, `__init_subclass__`'s); a parameter of that name
    /// elsewhere is an ordinary one.
    fn receiver(
        &self,
        file: FileId,
        scope: Option<u32>,
        name: &str,
        called: bool,
        family: LanguageFamily,
    ) -> Option<Value> {
        let symbols = self.symbols(file)?;
        match (family, name, called) {
            (LanguageFamily::Python, "super", true) => self.super_of(file, scope, None),
            (LanguageFamily::Python, _, true) if name.starts_with("super[") => {
                let explicit = name["super[".len()..]
                    .trim_end_matches(']')
                    .replace(':', ".");
                self.super_of(file, scope, Some(&explicit))
            }
            (LanguageFamily::Python, "self" | "cls", false) => {
                // The method whose first parameter it is.
                let mut current = scope;
                while let Some(d) = current {
                    let def = &symbols.defs[d as usize];
                    if def.kind.is_callable() && def.params.first().is_some_and(|p| p == name) {
                        let class = def
                            .parent
                            .filter(|&p| symbols.defs[p as usize].kind.is_type())?;
                        let static_method = def.decorators.iter().any(|d| d == "staticmethod");
                        let class_method = def.decorators.iter().any(|d| d == "classmethod")
                            || matches!(
                                def.name.as_str(),
                                "__new__" | "__init_subclass__" | "__class_getitem__"
                            );
                        return match (static_method, class_method) {
                            (true, _) => None,
                            (false, true) => Some(Value::Def(file, class)),
                            (false, false) => Some(Value::Instance(file, class)),
                        };
                    }
                    current = def.parent;
                }
                None
            }
            (LanguageFamily::TypeScript | LanguageFamily::JavaScript, "this", false) => {
                // A function may declare what `this` is (`this: T`).
                let index = self.index(file);
                let mut current = scope;
                while let Some(d) = current {
                    let def = &symbols.defs[d as usize];
                    if def.kind.is_type() {
                        return Some(Value::Instance(file, d));
                    }
                    if let Some(b) = index.bound(symbols, Some(d), "this").next() {
                        return Some(self.binding_value(file, &symbols.bindings[b as usize], 1));
                    }
                    current = def.parent;
                }
                None
            }
            (LanguageFamily::TypeScript | LanguageFamily::JavaScript, "super", _) => {
                self.super_of(file, scope, None)
            }
            (LanguageFamily::Rust, "self", false) => {
                // In a method taking `self`: an instance of the impl's type.
                let method = self.enclosing_callable(file, scope)?;
                if !symbols.defs[method as usize]
                    .params
                    .iter()
                    .any(|p| p == "self")
                {
                    return None;
                }
                let imp = symbols.defs[method as usize].parent?;
                let (f, t) = self.rust_type_of(file, imp);
                Some(Value::Instance(f, t))
            }
            (LanguageFamily::Rust, "Self", _) => {
                let imp = self.enclosing_class(file, scope)?;
                let (f, t) = self.rust_type_of(file, imp);
                Some(Value::Def(f, t))
            }
            (LanguageFamily::Php, "$this", _) => {
                Some(Value::Instance(file, self.enclosing_class(file, scope)?))
            }
            (LanguageFamily::Php, _, _) => match name.to_ascii_lowercase().as_str() {
                "self" | "static" => Some(Value::Def(file, self.enclosing_class(file, scope)?)),
                "parent" => self.super_of(file, scope, None),
                _ => None,
            },
            _ => None,
        }
    }

    /// A PHP class or function name as written at `line` of `file`: its
    /// fully qualified name under the file's namespace and `use` table,
    /// looked up among the repository's declarations (a function falls
    /// back to the global one of that name, as PHP does); outside the
    /// repository, external.
    fn php_name(&self, file: FileId, name: &str, line: u32, called: bool) -> Option<Value> {
        let symbols = self.symbols(file)?;
        let index = self.index(file);
        let namespace = symbols.namespace_at(line);
        let fqn = crate::lang::php::qualify(name, namespace, &index.php_uses)?.to_ascii_lowercase();
        let world = self.world;
        // A call is of a function (`use function` names them apart), else
        // of a class (`new X()` is written `X()`); a function falls back
        // to the global one.
        let function = || {
            let qualified = index
                .php_functions_used
                .get(&name.to_ascii_lowercase())
                .map(|f| f.to_ascii_lowercase())
                .unwrap_or_else(|| fqn.clone());
            world.php_functions.get(&qualified).copied().or_else(|| {
                (!name.contains('\\'))
                    .then(|| world.php_functions.get(&name.to_ascii_lowercase()).copied())
                    .flatten()
            })
        };
        let class = || world.php_types.get(&fqn).copied();
        let found = if called {
            function().or_else(class)
        } else {
            class()
        };
        Some(match found {
            Some(Some((f, d))) => {
                self.read(f);
                Value::Def(f, d)
            }
            // Declared twice: not guessed.
            Some(None) => Value::Unknown,
            None => Value::External,
        })
    }

    /// The function or method holding `scope`, nearest first.
    fn enclosing_callable(&self, file: FileId, scope: Option<u32>) -> Option<u32> {
        let symbols = self.symbols(file)?;
        let mut current = scope;
        while let Some(d) = current {
            if symbols.defs[d as usize].kind.is_callable() {
                return Some(d);
            }
            current = symbols.defs[d as usize].parent;
        }
        None
    }

    /// The type a Rust `impl` block is for (a struct, enum or trait of the
    /// repository), else the block itself.
    fn rust_type_of(&self, file: FileId, imp: u32) -> (FileId, u32) {
        let def = self.def(file, imp);
        if def.kind != DefKind::Impl {
            return (file, imp);
        }
        match self.value_of(
            file,
            def.parent,
            &def.name,
            def.start_line,
            Namespace::Type,
            1,
        ) {
            Value::Def(f, t)
                if self.def(f, t).kind.is_type() && self.def(f, t).kind != DefKind::Impl =>
            {
                (f, t)
            }
            _ => (file, imp),
        }
    }

    /// The class whose method holds `scope`.
    fn enclosing_class(&self, file: FileId, scope: Option<u32>) -> Option<u32> {
        let symbols = self.symbols(file)?;
        let mut current = scope;
        while let Some(d) = current {
            let def = &symbols.defs[d as usize];
            if def.kind.is_type() {
                return Some(d);
            }
            current = def.parent;
        }
        None
    }

    /// `super()`: the enclosing class's linearisation after the class
    /// itself; `super(C, self)`: after `C`.
    fn super_of(&self, file: FileId, scope: Option<u32>, explicit: Option<&str>) -> Option<Value> {
        let class = self.enclosing_class(file, scope)?;
        let symbols = self.symbols(file)?;
        let after = match explicit {
            None => (file, class),
            Some(written) => {
                match self.value_of(
                    file,
                    symbols.defs[class as usize].parent,
                    written,
                    0,
                    Namespace::Type,
                    1,
                ) {
                    Value::Def(f, c) if self.def(f, c).kind.is_type() => (f, c),
                    _ => return Some(Value::Unknown),
                }
            }
        };
        Some(Value::SuperOf { file, class, after })
    }

    /// What a binding gives its name.
    fn binding_value(&self, file: FileId, binding: &Binding, depth: u8) -> Value {
        if depth > MAX_DEPTH {
            return Value::Unknown;
        }
        match binding.kind {
            BindingKind::Opaque => Value::Unknown,
            BindingKind::Generic => Value::External,
            BindingKind::Value => self.value_of(
                file,
                binding.scope,
                &binding.value,
                binding.line,
                Namespace::Value,
                depth,
            ),
            BindingKind::Type => {
                match self.value_of(
                    file,
                    binding.scope,
                    &binding.value,
                    binding.line,
                    Namespace::Type,
                    depth,
                ) {
                    Value::Def(f, d) if self.def(f, d).kind.is_type() => Value::Instance(f, d),
                    Value::External => Value::External,
                    _ => Value::Unknown,
                }
            }
            BindingKind::Callback {
                argument,
                parameter,
                new,
                ..
            } => self.callback_parameter(file, binding, (argument, parameter, new), depth),
            BindingKind::Require => {
                let import = RawImport::of(&binding.value, ImportKind::Require, binding.line);
                match self
                    .world
                    .resolvers
                    .resolve_import(self.world.project, file, &import)
                {
                    Resolution::Files(files) => Value::Module(files[0]),
                    Resolution::Stdlib
                    | Resolution::External { .. }
                    | Resolution::Undeclared { .. } => Value::External,
                    _ => Value::Unknown,
                }
            }
        }
    }

    /// What a parameter of a function passed to a call holds: the type
    /// the callee's signature gives it (the constructor's, for `new`).
    fn callback_parameter(
        &self,
        file: FileId,
        binding: &Binding,
        (argument, parameter, new): (u32, u32, bool),
        depth: u8,
    ) -> Value {
        let callee = self.value_of(
            file,
            binding.scope,
            &binding.value,
            binding.line,
            Namespace::Value,
            depth + 1,
        );
        let (f, d) = match callee {
            Value::Def(f, d) if new && self.def(f, d).kind.is_type() => {
                match self.class_member(f, d, "constructor", Namespace::Value, depth + 1) {
                    Ok(Value::Def(g, m)) => (g, m),
                    _ => return Value::Unknown,
                }
            }
            Value::Def(f, d) if self.def(f, d).kind.is_callable() => (f, d),
            Value::External => return Value::External,
            _ => return Value::Unknown,
        };
        let def = self.def(f, d);
        let Some(written) = def
            .callbacks
            .iter()
            .find(|(i, _)| *i == argument)
            .and_then(|(_, types)| types.get(parameter as usize))
            .filter(|t| !t.is_empty())
        else {
            return Value::Unknown;
        };
        match self.value_of(
            f,
            def.parent,
            written,
            def.start_line,
            Namespace::Type,
            depth + 1,
        ) {
            Value::Def(g, c) if self.def(g, c).kind.is_type() => Value::Instance(g, c),
            Value::External => Value::External,
            _ => Value::Unknown,
        }
    }

    /// The value a variable definition holds.
    fn def_value(&self, file: FileId, def: u32, depth: u8) -> Value {
        let Some(symbols) = self.symbols(file) else {
            return Value::Unknown;
        };
        let d = &symbols.defs[def as usize];
        let index = self.index(file);
        // The annotation if there is one, else the first value.
        let chosen = index
            .bound(symbols, d.parent, &d.name)
            .find(|&i| symbols.bindings[i as usize].kind == BindingKind::Type)
            .or_else(|| index.bound(symbols, d.parent, &d.name).next());
        match chosen {
            Some(b) => self.binding_value(file, &symbols.bindings[b as usize], depth + 1),
            None => Value::Unknown,
        }
    }

    /// The result of calling a value: an instance of a class, a function's
    /// return annotation.
    fn call(&self, value: Value, depth: u8) -> Value {
        match value {
            Value::Def(f, d) => {
                let def = self.def(f, d);
                match def.kind {
                    k if k.is_type() => Value::Instance(f, d),
                    k if k.is_callable() => self.returns(f, d, depth),
                    DefKind::Variable | DefKind::Constant => {
                        let held = self.def_value(f, d, depth + 1);
                        self.call(held, depth + 1)
                    }
                    _ => Value::Unknown,
                }
            }
            // Calling an instance calls its class's `__call__`.
            Value::Instance(f, c) => {
                match self.class_member(f, c, "__call__", Namespace::Value, depth + 1) {
                    Ok(Value::Def(g, m)) if self.def(g, m).kind.is_callable() => {
                        self.returns(g, m, depth + 1)
                    }
                    Ok(Value::External) => Value::External,
                    _ => Value::Unknown,
                }
            }
            Value::External => Value::External,
            Value::Yields(f, c) => Value::Instance(f, c),
            _ => Value::Unknown,
        }
    }

    /// An instance of what a function's return annotation names.
    fn returns(&self, file: FileId, def: u32, depth: u8) -> Value {
        if depth > MAX_DEPTH {
            return Value::Unknown;
        }
        let d = self.def(file, def);
        let Some(written) = &d.returns else {
            // `return OrderService()`: the value of what it returns, read
            // in the function itself.
            let Some(value) = &d.returned else {
                return Value::Unknown;
            };
            // `return $this->request`: what the property holds, not the
            // property (a caller's `$r = $e->getRequest(); $r->x()` never
            // reads `request`).
            return match self.value_of(
                file,
                Some(def),
                value,
                d.end_line,
                Namespace::Value,
                depth + 1,
            ) {
                Value::Def(f, v)
                    if matches!(self.def(f, v).kind, DefKind::Variable | DefKind::Constant) =>
                {
                    self.def_value(f, v, depth + 1)
                }
                other => other,
            };
        };
        match self.value_of(
            file,
            d.parent,
            written,
            d.start_line,
            Namespace::Type,
            depth + 1,
        ) {
            Value::Def(f, c) if self.def(f, c).kind.is_type() => Value::Instance(f, c),
            Value::External => Value::External,
            _ => Value::Unknown,
        }
    }

    /// `value.name`.
    fn member(
        &self,
        value: &Value,
        name: &str,
        ns: Namespace,
        depth: u8,
    ) -> Result<Value, Failure> {
        let world = self.world;
        let missing = |container: Value| Failure {
            reason: UnresolvedReason::Missing,
            missing: Some((container, name.to_string())),
        };
        let unknown = Failure {
            reason: UnresolvedReason::UnknownReceiver,
            missing: None,
        };
        if depth > MAX_DEPTH {
            return Err(unknown);
        }
        match value {
            Value::Module(f) => world
                .module_member(self, *f, name, ns, depth + 1)
                .ok_or_else(|| missing(value.clone())),
            Value::Package { from, dotted } => {
                let below = format!("{dotted}.{name}");
                if let Value::Module(p) = world.python_module(*from, dotted)
                    && let Some(v) = world.module_member(self, p, name, ns, depth + 1)
                {
                    return Ok(v);
                }
                match world.python_module(*from, &below) {
                    Value::Unknown => Err(unknown),
                    v => Ok(v),
                }
            }
            Value::Def(f, d) => {
                let def = world.def(*f, *d);
                if def.kind.is_type()
                    && name == "prototype"
                    && world.family(*f) != LanguageFamily::Python
                {
                    return Ok(Value::Instance(*f, *d));
                }
                if def.kind.is_type() {
                    return self.class_member(*f, *d, name, ns, depth);
                }
                if matches!(def.kind, DefKind::Variable | DefKind::Constant) {
                    let held = self.def_value(*f, *d, depth + 1);
                    return self.member(&held, name, ns, depth + 1);
                }
                // A TypeScript `namespace util { export const x }` or an
                // inline Rust `mod`: its definitions, then its bindings.
                if def.kind == DefKind::Namespace
                    && let Some(symbols) = self.symbols(*f)
                {
                    let index = self.index(*f);
                    if let Some(c) = index
                        .children(symbols, *d, name)
                        .find(|&c| symbols.defs[c as usize].namespace.serves(ns))
                    {
                        return Ok(Value::Def(*f, c));
                    }
                    if let Some(b) = index.bound(symbols, Some(*d), name).next() {
                        return Ok(self.binding_value(
                            *f,
                            &symbols.bindings[b as usize],
                            depth + 1,
                        ));
                    }
                    // TypeScript merges namespaces of one name: another
                    // block may have it.
                    if world.family(*f) == LanguageFamily::Rust {
                        return Err(Failure {
                            reason: UnresolvedReason::Missing,
                            missing: Some((value.clone(), name.to_string())),
                        });
                    }
                }
                Err(unknown)
            }
            Value::Instance(f, d) => self.class_member(*f, *d, name, ns, depth),
            Value::SuperOf { file, class, after } => {
                let mro = self.mro(*file, *class, depth);
                let start = mro.0.iter().position(|c| c == after).map_or(1, |i| i + 1);
                self.class_member_from(*file, *class, name, ns, depth, start)
            }
            Value::RustPath { from, path } => {
                match world.rust_path(self, *from, &format!("{path}::{name}"), name, depth + 1) {
                    Value::Module(_) | Value::External => Ok(Value::RustPath {
                        from: *from,
                        path: format!("{path}::{name}"),
                    }),
                    Value::Unknown => Err(unknown),
                    found => Ok(found),
                }
            }
            Value::External | Value::Yields(..) => Ok(Value::External),
            Value::Unknown => Err(unknown),
            Value::Missing { .. } => Err(value.failure().unwrap_or(unknown)),
        }
    }

    /// A member of a class: its own or its bases', in method resolution
    /// order; a class with a base outside the repository may have it
    /// there.
    fn class_member(
        &self,
        file: FileId,
        class: u32,
        name: &str,
        ns: Namespace,
        depth: u8,
    ) -> Result<Value, Failure> {
        self.class_member_from(file, class, name, ns, depth, 0)
    }

    /// [`Ctx::class_member`] from the `start`th class of the
    /// linearisation on (`super()` starts after the class itself).
    /// Definitions and class attributes of every class come before what
    /// methods assign to `self`: a property defined by a base is what
    /// `self.x` reads even where a subclass assigns `self.x = ...` (the
    /// property's setter takes it).
    fn class_member_from(
        &self,
        file: FileId,
        class: u32,
        name: &str,
        ns: Namespace,
        depth: u8,
        start: usize,
    ) -> Result<Value, Failure> {
        let php_member = self.php_member.get();
        let mro = self.mro(file, class, depth);
        let classes = mro.0.get(start..).unwrap_or_default();
        for &(f, c) in classes {
            let index = self.index(f);
            let Some(symbols) = self.symbols(f) else {
                continue;
            };
            let fits = |m: u32| {
                let def = &symbols.defs[m as usize];
                def.namespace.serves(ns)
                    && php_member.is_none_or(|called| called == def.kind.is_callable())
            };
            if let Some(m) = index.children(symbols, c, name).find(|&m| fits(m)) {
                return Ok(Value::Def(f, m));
            }
            if let Some(b) = index.bound(symbols, Some(c), name).next() {
                return Ok(self.binding_value(f, &symbols.bindings[b as usize], depth + 1));
            }
        }
        for &(f, c) in classes {
            let index = self.index(f);
            let Some(symbols) = self.symbols(f) else {
                continue;
            };
            // An annotation first, then a value, then whatever hides it.
            let kind = |b: u32| symbols.bindings[b as usize].kind;
            let chosen = index
                .on_self(symbols, c, name)
                .find(|&b| kind(b) == BindingKind::Type)
                .or_else(|| {
                    index
                        .on_self(symbols, c, name)
                        .find(|&b| kind(b) != BindingKind::Opaque)
                })
                .or_else(|| index.on_self(symbols, c, name).next());
            if let Some(b) = chosen {
                return Ok(self.binding_value(f, &symbols.bindings[b as usize], depth + 1));
            }
        }
        if mro.1 {
            // Perhaps the base outside has it.
            return Ok(Value::External);
        }
        if self.world.family(file) == LanguageFamily::Rust {
            if RUST_WRAPPER_METHODS.contains(&name) {
                return Ok(Value::Yields(file, class));
            }
            if classes
                .iter()
                .any(|&(f, c)| rust_outside_member(self.def(f, c), name))
            {
                return Ok(Value::External);
            }
        }
        Err(Failure {
            reason: UnresolvedReason::Missing,
            missing: Some((Value::Def(file, class), name.to_string())),
        })
    }

    /// The class and its bases in C3 order (Python's), and whether a base
    /// is outside the repository or unknown (then a member not found may
    /// still exist).
    fn mro(&self, file: FileId, class: u32, depth: u8) -> Linearisation {
        if let Some(known) = self.mro.borrow().get(&(file, class)) {
            return known.clone();
        }
        // A class met again while its bases are worked out: a cycle of
        // bases (or a name shadowing its base), which stops here.
        self.mro
            .borrow_mut()
            .insert((file, class), Rc::new((vec![(file, class)], false)));
        let def = self.def(file, class);
        let mut open = false;
        let mut bases: Vec<(FileId, u32)> = Vec::new();
        if depth <= MAX_DEPTH {
            for base in &def.bases {
                match self.value_of(
                    file,
                    def.parent,
                    base,
                    def.start_line,
                    Namespace::Type,
                    depth + 1,
                ) {
                    Value::Def(f, d)
                        if self.def(f, d).kind.is_type() && (f, d) != (file, class) =>
                    {
                        bases.push((f, d));
                    }
                    // `object`, `Generic[T]`, `Protocol`: outside, but they
                    // add no member the code calls as its own.
                    Value::External if is_plain_base(base) => {}
                    _ => open = true,
                }
            }
        } else {
            open = true;
        }
        // Rust: a type's members are its `impl` blocks' (each followed
        // by its trait).
        if self.world.family(file) == LanguageFamily::Rust
            && def.kind.is_type()
            && def.kind != DefKind::Impl
        {
            let impls = self.world.rust_impls.get(def.name.as_str());
            for &(f, imp) in impls.into_iter().flatten() {
                if self.rust_type_of(f, imp) == (file, class) {
                    bases.push((f, imp));
                }
            }
        }
        // PHP: a trait's methods come before the parent's.
        if self.world.family(file) == LanguageFamily::Php {
            bases.sort_by_key(|&(f, d)| self.def(f, d).kind != DefKind::Trait);
        }
        let mut sequences: Vec<Vec<(FileId, u32)>> = Vec::new();
        for &(f, d) in &bases {
            let base_mro = self.mro(f, d, depth + 1);
            open |= base_mro.1;
            sequences.push(base_mro.0.clone());
        }
        sequences.push(bases.clone());
        let order = c3_merge((file, class), sequences).unwrap_or_else(|| {
            // Inconsistent: depth-first, left to right, each class once.
            let mut order = vec![(file, class)];
            for &(f, d) in &bases {
                for c in &self.mro(f, d, depth + 1).0 {
                    if !order.contains(c) {
                        order.push(*c);
                    }
                }
            }
            order
        });
        let result = Rc::new((order, open));
        self.mro.borrow_mut().insert((file, class), result.clone());
        result
    }
}

/// C3: the class, then the merge of its bases' linearisations and the
/// base list; `None` when they disagree.
fn c3_merge(
    head: (FileId, u32),
    mut sequences: Vec<Vec<(FileId, u32)>>,
) -> Option<Vec<(FileId, u32)>> {
    let mut out = vec![head];
    loop {
        sequences.retain(|s| !s.is_empty());
        if sequences.is_empty() {
            return Some(out);
        }
        let candidate = sequences
            .iter()
            .map(|s| s[0])
            .find(|c| sequences.iter().all(|s| !s[1..].contains(c)))?;
        out.push(candidate);
        for s in &mut sequences {
            if s[0] == candidate {
                s.remove(0);
            }
        }
    }
}

/// Bases outside the repository that bring no members of their own the
/// code would call (`object`, typing's generics and protocols).
fn is_plain_base(written: &str) -> bool {
    let last = written.rsplit('.').next().unwrap_or(written);
    matches!(last, "object" | "Generic" | "Protocol" | "ABC" | "ABCMeta")
}

fn is_property(def: &SymbolDef) -> bool {
    def.decorators.iter().any(|d| {
        let name = d.split('(').next().unwrap_or(d);
        // Python's decorators; a TypeScript or JavaScript getter is marked
        // `get` (queries/typescript/symbols.scm).
        d == "get"
            || matches!(
                name.rsplit('.').next(),
                Some("property" | "cached_property")
            )
    })
}

/// The globals of JavaScript runtimes and test runners: a use of one the
/// file does not bind is outside the repository.
fn is_script_global(name: &str) -> bool {
    const GLOBALS: &[&str] = &[
        "Array",
        "ArrayBuffer",
        "BigInt",
        "Boolean",
        "Buffer",
        "DataView",
        "Date",
        "Error",
        "EvalError",
        "Function",
        "Infinity",
        "Intl",
        "JSON",
        "Map",
        "Math",
        "NaN",
        "Number",
        "Object",
        "Promise",
        "Proxy",
        "RangeError",
        "ReferenceError",
        "Reflect",
        "RegExp",
        "Set",
        "String",
        "Symbol",
        "SyntaxError",
        "TypeError",
        "URIError",
        "URL",
        "URLSearchParams",
        "WeakMap",
        "WeakRef",
        "WeakSet",
        "Uint8Array",
        "Int32Array",
        "Float64Array",
        "TextEncoder",
        "TextDecoder",
        "AbortController",
        "AbortSignal",
        "Headers",
        "Request",
        "Response",
        "fetch",
        "console",
        "process",
        "globalThis",
        "window",
        "document",
        "navigator",
        "require",
        "module",
        "exports",
        "__dirname",
        "__filename",
        "setTimeout",
        "clearTimeout",
        "setInterval",
        "clearInterval",
        "setImmediate",
        "clearImmediate",
        "queueMicrotask",
        "structuredClone",
        "parseInt",
        "parseFloat",
        "isNaN",
        "isFinite",
        "encodeURIComponent",
        "decodeURIComponent",
        "encodeURI",
        "decodeURI",
        "undefined",
        "describe",
        "it",
        "test",
        "expect",
        "beforeEach",
        "afterEach",
        "beforeAll",
        "afterAll",
        "jest",
        "vi",
        "Record",
        "Partial",
        "Readonly",
        "Required",
        "Pick",
        "Omit",
        "Exclude",
        "Extract",
        "NonNullable",
        "ReturnType",
        "Parameters",
        "InstanceType",
        "Awaited",
        "PromiseLike",
        "Iterable",
        "Iterator",
        "AsyncIterable",
        "AsyncIterator",
        "IterableIterator",
        "ArrayLike",
        "PropertyKey",
        "Uppercase",
        "Lowercase",
        "Capitalize",
        "Uncapitalize",
        "ThisType",
        "ReadonlyArray",
        "TemplateStringsArray",
        "NodeJS",
        "Event",
        "EventTarget",
        "HTMLElement",
        "Element",
    ];
    GLOBALS.contains(&name)
}

/// Methods of `Option`, `Result`, smart pointers and locks that give
/// back (a guard or reference to) what they hold: called on a value whose
/// type lacks them, they yield that value (a declared `Mutex<Inner>` is an
/// `Inner`, so `self.inner.lock().unwrap().x()` is `Inner::x`).
const RUST_WRAPPER_METHODS: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or_default",
    "unwrap_unchecked",
    "as_ref",
    "as_mut",
    "as_deref",
    "as_deref_mut",
    "borrow",
    "borrow_mut",
    "lock",
    "try_lock",
    "get_mut",
    "clone",
    "deref",
    "deref_mut",
    "as_pin_mut",
    "as_pin_ref",
];

/// Whether a method a Rust type lacks in the repository comes from
/// outside: a trait it derives (`#[derive(Clone)]`: `clone`; a derive not
/// known here may add anything), or the standard library's blanket
/// implementations every type has (`into`, `to_owned`, ...).
fn rust_outside_member(def: &SymbolDef, name: &str) -> bool {
    // Blanket implementations, and `Option`'s and `Result`'s own methods
    // (a declared `Option<Order>` is looked up as an `Order`).
    const BLANKET: &[&str] = &[
        "into",
        "try_into",
        "from",
        "try_from",
        "to_owned",
        "clone_into",
        "to_string",
        "type_id",
        "is_some",
        "is_none",
        "is_ok",
        "is_err",
        "map",
        "map_err",
        "and_then",
        "or_else",
        "ok",
        "err",
        "ok_or",
        "ok_or_else",
        "unwrap_or",
        "unwrap_or_else",
        "take",
        "replace",
        "get_or_insert_with",
        "filter",
        "flatten",
        "iter",
        "is_some_and",
        "is_none_or",
    ];
    if BLANKET.contains(&name) {
        return true;
    }
    def.decorators.iter().any(|d| {
        let Some(list) = d.strip_prefix("derive") else {
            return false;
        };
        list.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace())
            .split(',')
            .map(|t| t.trim().rsplit("::").next().unwrap_or(""))
            .filter(|t| !t.is_empty())
            .any(|derived| {
                let methods: &[&str] = match derived {
                    "Debug" => &["fmt"],
                    "Clone" => &["clone", "clone_from"],
                    "Copy" | "Eq" => &[],
                    "PartialEq" => &["eq", "ne"],
                    "PartialOrd" => &["partial_cmp", "lt", "le", "gt", "ge"],
                    "Ord" => &["cmp", "max", "min", "clamp"],
                    "Hash" => &["hash"],
                    "Default" => &["default"],
                    "Serialize" => &["serialize"],
                    "Deserialize" => &["deserialize"],
                    // A derive of its own may add any method.
                    _ => return true,
                };
                methods.contains(&name)
            })
    })
}

/// Names Rust's prelude and standard macros bring into every module.
fn is_rust_prelude(name: &str) -> bool {
    const PRELUDE: &[&str] = &[
        "Option",
        "Some",
        "None",
        "Result",
        "Ok",
        "Err",
        "Vec",
        "String",
        "Box",
        "ToString",
        "ToOwned",
        "Clone",
        "Copy",
        "Default",
        "Drop",
        "Iterator",
        "IntoIterator",
        "DoubleEndedIterator",
        "ExactSizeIterator",
        "Extend",
        "From",
        "Into",
        "TryFrom",
        "TryInto",
        "AsRef",
        "AsMut",
        "Send",
        "Sync",
        "Sized",
        "Unpin",
        "Fn",
        "FnMut",
        "FnOnce",
        "PartialEq",
        "Eq",
        "PartialOrd",
        "Ord",
        "Hash",
        "Debug",
        "Display",
        "std",
        "core",
        "alloc",
        "format",
        "println",
        "print",
        "eprintln",
        "eprint",
        "write",
        "writeln",
        "panic",
        "vec",
        "assert",
        "assert_eq",
        "assert_ne",
        "debug_assert",
        "debug_assert_eq",
        "debug_assert_ne",
        "unreachable",
        "unimplemented",
        "todo",
        "matches",
        "dbg",
        "include_str",
        "include_bytes",
        "concat",
        "stringify",
        "env",
        "cfg",
        "line",
        "file",
        "column",
        "module_path",
        "format_args",
        "thread_local",
        "drop",
        "char",
        "str",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "f32",
        "f64",
        "bool",
    ];
    PRELUDE.contains(&name)
}

/// Names that are resolved as receivers, not looked up.
fn root_is_special(name: &str) -> bool {
    name == "super" || name.starts_with("super[")
}

/// A file's index: its definitions, bindings and what its imports bind.
/// [`FileIndex::interface`]: a hash of everything of a file another
/// file's resolution may read, without line numbers.
fn interface(facts: &FileFacts, resolutions: &[Resolution]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut put = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    // Where a line sits among the definitions (how many start at or
    // before it, how many end before it): lookups compare the lines of
    // bindings and imports with definitions' (a `use` inside an inline
    // `mod`, a binding before or after a nested function), never the
    // numbers themselves.
    let (mut starts, mut ends): (Vec<u32>, Vec<u32>) = facts
        .symbols
        .iter()
        .flat_map(|s| &s.defs)
        .map(|d| (d.start_line, d.end_line))
        .unzip();
    starts.sort_unstable();
    ends.sort_unstable();
    let place = |line: u32| {
        let started = starts.partition_point(|&s| s <= line) as u64;
        let ended = ends.partition_point(|&e| e < line) as u64;
        [started.to_le_bytes(), ended.to_le_bytes()].concat()
    };
    if let Some(symbols) = &facts.symbols {
        for d in &symbols.defs {
            put(d.name.as_bytes());
            put(d.kind.as_str().as_bytes());
            put(&d.parent.map_or(u64::MAX, u64::from).to_le_bytes());
            for text in d.bases.iter().chain(&d.params).chain(&d.decorators) {
                put(text.as_bytes());
            }
            for text in [&d.returns, &d.returned, &d.metaclass] {
                put(text.as_deref().unwrap_or("\0").as_bytes());
            }
            put(d.signature.as_bytes());
            put(&[d.namespace as u8, u8::from(d.private)]);
            for (parameter, types) in &d.callbacks {
                put(&parameter.to_le_bytes());
                for t in types {
                    put(t.as_bytes());
                }
            }
        }
        for b in &symbols.bindings {
            put(&b.scope.map_or(u64::MAX, u64::from).to_le_bytes());
            put(b.name.as_bytes());
            put(b.value.as_bytes());
            match b.kind {
                BindingKind::Callback {
                    argument,
                    parameter,
                    new,
                    last,
                } => {
                    put(format!("callback {argument} {parameter} {new}").as_bytes());
                    put(&place(last));
                }
                kind => put(format!("{kind:?}").as_bytes()),
            }
            put(&[u8::from(b.on_self)]);
            put(&place(b.line));
        }
        for (_, name) in &symbols.namespaces {
            put(name.as_bytes());
        }
    }
    for (import, resolved) in facts.imports.iter().zip(resolutions) {
        put(import.specifier.as_bytes());
        put(format!(
            "{:?}{:?}{:?}{}{}",
            import.names, import.aliases, import.kind, import.reexport, import.reference
        )
        .as_bytes());
        put(format!("{resolved:?}").as_bytes());
        put(&place(import.line));
    }
    h.digest()
}

pub(super) fn index_file(
    project: &ProjectFiles,
    facts: &[FileFacts],
    resolutions: &[Vec<Resolution>],
    resolvers: &Resolvers,
    file: FileId,
) -> FileIndex {
    let Some(symbols) = facts[file].symbols.as_ref() else {
        return FileIndex::default();
    };
    let mut index = FileIndex {
        interface: interface(&facts[file], &resolutions[file]),
        ..FileIndex::default()
    };
    for (i, d) in symbols.defs.iter().enumerate() {
        match d.parent {
            None => index
                .top
                .entry(name_key(&d.name))
                .or_default()
                .push(i as u32),
            Some(p) => index
                .children
                .entry((p, name_key(&d.name)))
                .or_default()
                .push(i as u32),
        }
    }
    for (i, b) in symbols.bindings.iter().enumerate() {
        if b.on_self {
            // The class of the method the binding is written in.
            let mut class = b.scope;
            while let Some(c) = class
                && !symbols.defs[c as usize].kind.is_type()
            {
                class = symbols.defs[c as usize].parent;
            }
            if let Some(c) = class {
                index
                    .on_self
                    .entry((c, name_key(&b.name)))
                    .or_default()
                    .push(i as u32);
            }
        } else if matches!(b.kind, BindingKind::Callback { .. }) {
            index
                .passed
                .entry((b.scope, name_key(&b.name)))
                .or_default()
                .push(i as u32);
        } else {
            index
                .bound
                .entry((b.scope, name_key(&b.name)))
                .or_default()
                .push(i as u32);
        }
    }
    let family = project.get(file).language.family();
    for (import, resolution) in facts[file].imports.iter().zip(&resolutions[file]) {
        if import.reference || matches!(import.kind, ImportKind::ModelRef | ImportKind::Dynamic) {
            continue;
        }
        match family {
            LanguageFamily::Python => {
                python_import(project, resolvers, file, import, resolution, &mut index)
            }
            LanguageFamily::TypeScript | LanguageFamily::JavaScript => {
                script_import(import, resolution, &mut index)
            }
            LanguageFamily::Php => {
                let function = import.names.first().is_some_and(|n| n == "function");
                if !import.reference && function {
                    let alias = php_alias(import);
                    index
                        .php_functions_used
                        .insert(alias.to_ascii_lowercase(), import.specifier.clone());
                }
                if !import.reference
                    && import.names.is_empty()
                    && import.kind == ImportKind::TypeOnly
                {
                    let alias = php_alias(import);
                    index
                        .php_uses
                        .insert(alias.to_ascii_lowercase(), import.specifier.clone());
                }
            }
            LanguageFamily::Rust => rust_import(
                project, facts, resolvers, file, import, resolution, &mut index,
            ),
        }
    }
    index
}

fn outside(resolution: &Resolution) -> Option<Imported> {
    match resolution {
        Resolution::Stdlib | Resolution::External { .. } | Resolution::Undeclared { .. } => {
            Some(Imported::External)
        }
        Resolution::Files(_) | Resolution::Namespace | Resolution::Local => None,
        _ => Some(Imported::Unresolved),
    }
}

/// What a Python import binds: `import a.b` binds `a` (a package walked
/// by name), `import a.b as m` the module, `from x import y` the module
/// `x.y` when there is one, else the name `y` of `x`.
fn python_import(
    project: &ProjectFiles,
    resolvers: &Resolvers,
    file: FileId,
    import: &RawImport,
    resolution: &Resolution,
    index: &mut FileIndex,
) {
    let resolve = |specifier: &str| {
        let raw = RawImport::of(specifier, import.kind, import.line);
        resolvers.resolve_import(project, file, &raw)
    };
    let as_module = |r: &Resolution, dotted: &str| match r {
        Resolution::Files(files) => Imported::Module(files[0]),
        Resolution::Namespace => Imported::Package(dotted.to_string()),
        other => outside(other).unwrap_or(Imported::Unresolved),
    };
    let alias = |name: &str| {
        import
            .aliases
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| a.clone())
    };
    if import.names.is_empty() {
        match alias(&import.specifier) {
            Some(local) => {
                let bound = as_module(resolution, &import.specifier);
                index.imports.insert(local, bound);
            }
            None => {
                let top = import.specifier.split('.').next().unwrap_or_default();
                let bound = if top == import.specifier {
                    as_module(resolution, top)
                } else if let Some(outside) = outside(resolution) {
                    outside
                } else {
                    Imported::Package(top.to_string())
                };
                index.imports.insert(top.to_string(), bound);
            }
        }
        return;
    }
    if let Some(outside) = outside(resolution) {
        for name in import.names.iter().filter(|n| *n != "*") {
            index
                .imports
                .insert(alias(name).unwrap_or_else(|| name.clone()), outside.clone());
        }
        return;
    }
    let package = resolve(&import.specifier);
    for name in &import.names {
        if name == "*" {
            if let Resolution::Files(files) = &package {
                index.stars.push(files[0]);
            }
            continue;
        }
        let below = if import.specifier.ends_with('.') {
            format!("{}{name}", import.specifier)
        } else {
            format!("{}.{name}", import.specifier)
        };
        let bound = match resolve(&below) {
            Resolution::Files(files) => Imported::Module(files[0]),
            _ => match &package {
                Resolution::Files(files) => Imported::Name(files[0], name.clone()),
                other => outside(other).unwrap_or(Imported::Unresolved),
            },
        };
        index
            .imports
            .insert(alias(name).unwrap_or_else(|| name.clone()), bound);
    }
}

/// The name a PHP `use` gives: its alias (`use A\\B as C`), else the last
/// segment of what it names.
fn php_alias(import: &RawImport) -> String {
    import
        .aliases
        .iter()
        .find(|(n, _)| n == &import.specifier)
        .map(|(_, a)| a.clone())
        .unwrap_or_else(|| {
            import
                .specifier
                .rsplit('\\')
                .next()
                .unwrap_or_default()
                .to_string()
        })
}

/// What a Rust `use` binds: `use a::B` (or `as C`) the name `B` of the
/// module `a`, looked up there when asked (so `a`'s own `pub use` and
/// child modules are followed), `use a::*` every name of `a`; a path
/// outside the repository binds an outside name.
fn rust_import(
    project: &ProjectFiles,
    facts: &[FileFacts],
    resolvers: &Resolvers,
    file: FileId,
    import: &RawImport,
    resolution: &Resolution,
    index: &mut FileIndex,
) {
    let Some(local) = import.names.first() else {
        return;
    };
    let symbols = facts[file].symbols.as_ref();
    let inline = symbols.is_some_and(|s| {
        s.defs.iter().any(|d| {
            d.kind == DefKind::Namespace && d.start_line < import.line && import.line <= d.end_line
        })
    });
    if local == "*" {
        // `use super::*` in an inline `mod tests`: the file's own names,
        // in scope already.
        if let Resolution::Files(files) = resolution
            && !(inline && import.specifier.starts_with("super"))
        {
            index.stars.push(files[0]);
        }
        return;
    }
    let (module, item) = match import.specifier.rsplit_once("::") {
        Some((module, item)) => (Some(module), item),
        None => (None, import.specifier.as_str()),
    };
    // A `use` inside an inline `mod tests { .. }`: its `super` is the
    // file's own module.
    let relative;
    let module = match module {
        // `use super::X`: the file's own `X`, in scope already.
        Some("super") if inline => return,
        Some(m) if inline && m.starts_with("super::") => {
            relative = format!("self::{}", &m["super::".len()..]);
            Some(relative.as_str())
        }
        other => other,
    };
    let holder = module.and_then(|module| {
        let parent = RawImport {
            specifier: module.to_string(),
            names: Vec::new(),
            ..import.clone()
        };
        let Resolution::Files(files) = resolvers.resolve_import(project, file, &parent) else {
            return None;
        };
        // `#[cfg]` alternatives of one module: the file that has the name.
        let has = |f: FileId| {
            facts[f].symbols.as_ref().is_some_and(|s| {
                s.defs
                    .iter()
                    .any(|d| d.name == item && d.kind != DefKind::Impl)
            }) || facts[f].imports.iter().any(|i| {
                i.names.iter().any(|n| n == item) || i.specifier.ends_with(&format!("::{item}"))
            })
        };
        files
            .iter()
            .copied()
            .find(|&f| has(f))
            .or(files.first().copied())
    });
    let bound = match (holder, resolution) {
        (Some(holder), _) => Imported::Name(holder, item.to_string()),
        (None, Resolution::Files(files)) => Imported::Module(files[0]),
        (None, Resolution::Local) => return,
        (None, other) => outside(other).unwrap_or(Imported::Unresolved),
    };
    index.imports.insert(local.clone(), bound);
}

/// What a TypeScript or JavaScript import binds: `import { a as b }` the
/// name `a` of the module as `b`, `import x` its `default`, `import * as
/// m` the module; `export * from` passes every name on.
fn script_import(import: &RawImport, resolution: &Resolution, index: &mut FileIndex) {
    let target = match resolution {
        Resolution::Files(files) => Some(files[0]),
        _ => None,
    };
    let outside = outside(resolution);
    for name in &import.names {
        let alias = import
            .aliases
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| a.clone());
        let bound = match (&outside, target) {
            (Some(o), _) => o.clone(),
            (None, Some(t)) if name == "*" => match alias {
                Some(_) => Imported::Module(t),
                None => {
                    index.stars.push(t);
                    continue;
                }
            },
            (None, Some(t)) => Imported::Name(t, name.clone()),
            (None, None) => continue,
        };
        let local = match alias {
            Some(a) => a,
            None if name == "*" || name == "default" => continue,
            None => name.clone(),
        };
        index.imports.insert(local, bound);
    }
}
