//! Definitions at every depth, the names each uses, and what local names
//! stand for: a file's [`SymbolFacts`], read from the matches of
//! `queries/<lang>/symbols.scm`.
//!
//! The query says what is a definition, a use or a binding; this file
//! places each capture in the innermost definition around it (by byte
//! position: definitions nest as the syntax does), decides kinds, and
//! turns expression nodes into written paths (`self.repo.get().save`)
//! through the language's [`SymbolSyntax`]. It reads the captured nodes
//! and their children (a path, the names of a type), never searches the
//! tree.

use std::collections::HashSet;
use std::ops::Range;

use tree_sitter::{Node, Query, QueryCursor, StreamingIterator};

use crate::facts::{
    Binding, BindingKind, CallFact, DefKind, Expr, Namespace, SymbolDef, SymbolFacts, Use, UseKind,
};
use crate::lang::{line_of, node_text};

/// The names a type mentions, with how each is used.
pub(crate) type TypeNames = Vec<(String, UseKind)>;

/// What the symbol reader needs to know of a language's syntax.
pub(crate) struct SymbolSyntax {
    /// The written path of an expression (`a.b().c`), or `None` when it
    /// is not a chain of names, members and calls.
    pub path: fn(Node, &[u8]) -> Option<String>,
    /// Every name a type annotation mentions, as written paths: type uses,
    /// or value uses (`typeof x` in TypeScript) as references.
    pub type_names: fn(Node, &[u8], &mut TypeNames),
    /// The type an annotation gives its name (`Optional[User]`: `User`).
    pub principal: fn(Node, &[u8]) -> Option<String>,
    /// Whether a `@use.ref` or `@use.name` capture (with its parent,
    /// `@use.parent`) is a read of its own: not a segment of a longer
    /// chain, a callee, a definition's name or an assignment's target.
    pub is_read: fn(Node, Node) -> bool,
    /// The names of the instance inside a method (`self`, `this`).
    pub receivers: &'static [&'static str],
    /// Whether types and values have separate names (TypeScript).
    pub two_namespaces: bool,
    /// The uses a `@use.tokens` capture holds, read from its tokens (a
    /// Rust macro's arguments are a token tree, not a syntax tree): paths
    /// with the kind of each and its line.
    pub token_uses: Option<TokenReader>,
    /// Whether a definition is private to where it is written, by the
    /// language (`private`, Rust without `pub`), its convention (Python's
    /// `_name`) or its documentation (`@internal`, `#[doc(hidden)]`): given
    /// the definition's name and span.
    pub private: fn(Node, Node, &[u8]) -> bool,
    /// The parameters of a parameter list typed as functions, with the
    /// types of their own parameters (TypeScript's callbacks).
    pub callbacks: Option<CallbackReader>,
    /// An expression as written, for registrations (`@route.*`
    /// captures); `None` where no framework is read yet.
    pub expr: Option<fn(Node, &[u8]) -> Expr>,
}

/// Reads the parameters typed as functions of a parameter list:
/// [`crate::facts::SymbolDef::callbacks`].
pub(crate) type CallbackReader = fn(Node, &[u8]) -> Vec<(u32, Vec<String>)>;

/// The doc comment written right before a definition (past attributes and
/// the statements that wrap it: `export`, `const`), if any.
fn doc_comment<'s>(span: Node, source: &'s [u8]) -> Option<&'s str> {
    let mut node = span;
    while let Some(parent) = node.parent() {
        if matches!(
            parent.kind(),
            "export_statement"
                | "lexical_declaration"
                | "variable_declaration"
                | "ambient_declaration"
        ) {
            node = parent;
        } else {
            break;
        }
    }
    let mut before = node.prev_sibling();
    while let Some(b) = before {
        if matches!(b.kind(), "attribute_item" | "decorator" | "attribute_list") {
            before = b.prev_sibling();
            continue;
        }
        break;
    }
    let comment = before?;
    if !comment.kind().contains("comment") {
        return None;
    }
    std::str::from_utf8(&source[comment.byte_range()]).ok()
}

/// Whether a doc comment marks its definition internal (`@internal`, and
/// JSDoc's `@private`).
fn marked_internal(span: Node, source: &[u8], tags: &[&str]) -> bool {
    doc_comment(span, source).is_some_and(|text| {
        (text.starts_with("/**") || text.starts_with("///") || text.starts_with("//!"))
            && tags.iter().any(|tag| {
                text.match_indices(tag).any(|(at, _)| {
                    !text[at + tag.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
            })
    })
}

/// A use read from tokens: its path, kind and line.
pub(crate) type TokenUse = (String, UseKind, u32);

/// Reads the uses in a token tree.
pub(crate) type TokenReader = fn(Node, &[u8], &mut Vec<TokenUse>);

/// Longest path kept: deeper chains are generated code, and a path is
/// built without recursion.
const MAX_SEGMENTS: usize = 64;

/// A definition as the query found it.
struct RawDef<'t> {
    name: Node<'t>,
    kind: &'t str,
    span: Range<usize>,
    /// First and last line of the span, 1-based.
    lines: (u32, u32),
    body: Option<Range<usize>>,
    private: bool,
}

/// A capture placed by position.
enum Item<'t> {
    Use(UseKind, Node<'t>),
    /// A chain (`a.b`) or a bare name read, with its parent.
    Read {
        node: Node<'t>,
        parent: Node<'t>,
        bare: bool,
    },
    Params(Node<'t>),
    Returns(Node<'t>),
    Returned(Node<'t>),
    Decorator(Node<'t>),
    Metaclass(Node<'t>),
    /// A use of a member of a value not written as `x.member`: `repr(x)`
    /// (`x.__repr__`), an f-string's `{x}` (`x.__str__`), `getattr(x,
    /// "y")` (`x.y`).
    Member {
        object: Node<'t>,
        member: MemberName<'t>,
        kind: UseKind,
    },
    Param(Node<'t>),
    Bind {
        name: BoundName<'t>,
        value: Option<Node<'t>>,
        ty: Option<Node<'t>>,
        receiver: Option<Node<'t>>,
        require: Option<Node<'t>>,
        /// A constructor parameter that is also an attribute.
        on_self: bool,
        /// Destructured (`const { a } = x`): the member of the value the
        /// name holds.
        member: Option<Node<'t>>,
    },
    Opaque(Node<'t>),
    /// Tokens the language's `token_uses` reads.
    Tokens(Node<'t>),
    /// A type parameter's name.
    Generic(Node<'t>),
    /// A function passed as an argument: its untyped parameters.
    Callback(Node<'t>),
    /// A Rust pattern (`(tx, rx)`, `Err(e)`, `Point { x, .. }`): every
    /// name it binds hides an outer one.
    Pattern(Node<'t>),
    /// A registration: a call, a decorator or an assigned value, read
    /// with its arguments.
    Call {
        /// `None`: an annotated name given no value.
        value: Option<Node<'t>>,
        decorator: bool,
        target: Option<Node<'t>>,
        augmented: bool,
        iterates: bool,
        annotation: Option<Node<'t>>,
    },
}

/// How a member use names its member.
#[derive(Clone, Copy)]
enum MemberName<'t> {
    /// The special method a builtin calls (`repr` calls `__repr__`).
    Dunder(Node<'t>),
    Fixed(&'static str),
    /// A string literal's text (`getattr(x, "name")`).
    Text(Node<'t>),
}

/// The special method a builtin or `copy` function calls on its argument.
fn dunder(callee: &str) -> Option<&'static str> {
    Some(match callee {
        "repr" => "__repr__",
        "str" => "__str__",
        "len" => "__len__",
        "bool" => "__bool__",
        "iter" => "__iter__",
        "hash" => "__hash__",
        "format" => "__format__",
        "reversed" => "__reversed__",
        "abs" => "__abs__",
        "next" => "__next__",
        "copy" => "__copy__",
        "deepcopy" => "__deepcopy__",
        _ => return None,
    })
}

/// The special method an augmented assignment runs.
fn in_place(operator: &str) -> Option<&'static str> {
    Some(match operator {
        "+=" => "__iadd__",
        "-=" => "__isub__",
        "*=" => "__imul__",
        "|=" => "__ior__",
        "&=" => "__iand__",
        "^=" => "__ixor__",
        _ => return None,
    })
}

/// The name a binding gives a value.
#[derive(Clone, Copy)]
enum BoundName<'t> {
    Node(Node<'t>),
    /// `export default x`.
    Default,
}

/// Reads a file's symbol facts. `imported` holds the names the file's
/// imports bind at its top level: a bare name read without a call is
/// kept only when the module binds it.
pub(crate) fn read_symbols(
    syntax: &SymbolSyntax,
    query: &Query,
    root: Node,
    source: &[u8],
    imported: &HashSet<String>,
) -> SymbolFacts {
    let names = query.capture_names();
    let mut raw: Vec<RawDef> = Vec::new();
    let mut items: Vec<(usize, Item)> = Vec::new();
    let mut anonymous: Vec<Range<usize>> = Vec::new();
    let mut namespaces: Vec<(u32, String)> = Vec::new();
    let mut cursor = QueryCursor::new();
    let mut progress = super::query_progress;
    let options = tree_sitter::QueryCursorOptions::new().progress_callback(&mut progress);
    let mut matches = cursor.matches_with_options(query, root, source, options);
    while let Some(m) = matches.next() {
        let mut def: Option<(Node, &str)> = None;
        let mut span = None;
        let mut read: Option<(Node, bool)> = None;
        let mut read_parent = None;
        let mut body = None;
        let mut bind_name = None;
        let mut value = None;
        let mut ty = None;
        let mut receiver = None;
        let mut require = None;
        let mut on_self = false;
        let mut default = None;
        let mut member_object = None;
        let mut member_name = None;
        let mut member_of = None;
        let mut key = None;
        let mut call: Option<(Node, bool)> = None;
        let mut call_target = None;
        let mut augmented = false;
        let mut iterates = false;
        let mut annotation = None;
        for capture in m.captures() {
            let node = capture.node;
            let at = node.start_byte();
            match names[capture.index as usize] {
                "def.span" => span = Some(node),
                "def.body" => body = Some(node.byte_range()),
                "def.params" => items.push((at, Item::Params(node))),
                "def.returns" => items.push((at, Item::Returns(node))),
                "def.returned" => items.push((at, Item::Returned(node))),
                "def.decorator" => items.push((at, Item::Decorator(node))),
                "def.metaclass" => items.push((at, Item::Metaclass(node))),
                "use.dunder.object" | "use.attr.object" => member_object = Some(node),
                "use.target" => items.push((at, Item::Use(UseKind::Reference, node))),
                "bind.member_of" => member_of = Some(node),
                "bind.key" => key = Some(node),
                "use.dunder.callee" => member_name = Some(MemberName::Dunder(node)),
                "use.attr.name" => member_name = Some(MemberName::Text(node)),
                "use.format" => {
                    member_object = Some(node);
                    member_name = member_name.or(Some(MemberName::Fixed("__str__")));
                }
                "use.format.conversion" => {
                    if node_text(node, source) == "!r" {
                        member_name = Some(MemberName::Fixed("__repr__"));
                    }
                }
                "use.operator.contains" => {
                    member_object = Some(node);
                    member_name = Some(MemberName::Fixed("__contains__"));
                }
                "use.operator.eq" => {
                    member_object = Some(node);
                    member_name = Some(MemberName::Fixed("__eq__"));
                }
                "use.operator.inplace" => member_object = Some(node),
                "use.operator.symbol" => {
                    member_name = in_place(&node_text(node, source)).map(MemberName::Fixed);
                }
                "param" => items.push((at, Item::Param(node))),
                "body.anonymous" => anonymous.push(node.byte_range()),
                "namespace" => namespaces.push((
                    line_of(node),
                    node_text(node, source)
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect(),
                )),
                "use.call" => items.push((at, Item::Use(UseKind::Call, node))),
                "use.new" => items.push((at, Item::Use(UseKind::New, node))),
                "use.inherit" => items.push((at, Item::Use(UseKind::Inherit, node))),
                "use.type" => items.push((at, Item::Use(UseKind::Type, node))),
                "use.reference" => items.push((at, Item::Use(UseKind::Reference, node))),
                "use.ref" => read = Some((node, false)),
                "use.name" => read = Some((node, true)),
                "use.parent" => read_parent = Some(node),
                "bind.name" => bind_name = Some(node),
                "bind.value" => value = Some(node),
                "bind.type" => ty = Some(node),
                "bind.receiver" => receiver = Some(node),
                "bind.require" => require = Some(node),
                "bind.on_self" => on_self = true,
                "bind.default" => default = Some(node),
                "bind.opaque" => items.push((at, Item::Opaque(node))),
                "use.tokens" => items.push((at, Item::Tokens(node))),
                "bind.generic" => items.push((at, Item::Generic(node))),
                "bind.callback" => items.push((at, Item::Callback(node))),
                "bind.pattern" => items.push((at, Item::Pattern(node))),
                "route.call" | "route.value" => call = Some((node, false)),
                "route.decorator" => call = Some((node, true)),
                "route.target" => call_target = Some(node),
                "route.augmented" => augmented = true,
                "route.iterates" => iterates = true,
                "route.annotation" => annotation = Some(node),
                other => {
                    if let Some(kind) = other.strip_prefix("def.") {
                        def = Some((node, kind));
                    }
                }
            }
        }
        if let (Some(object), Some(member)) = (member_object, member_name) {
            let kind = match member {
                MemberName::Text(_) => UseKind::Reference,
                _ => UseKind::Call,
            };
            items.push((
                object.start_byte(),
                Item::Member {
                    object,
                    member,
                    kind,
                },
            ));
        }
        let call = match (call, call_target, annotation) {
            (Some((value, decorator)), _, _) => Some((Some(value), decorator)),
            (None, Some(_), Some(_)) => Some((None, false)),
            _ => None,
        };
        if let Some((value, decorator)) = call {
            let Some(at) = call_target.or(value).map(|n| n.start_byte()) else {
                continue;
            };
            items.push((
                at,
                Item::Call {
                    value,
                    decorator,
                    target: call_target,
                    augmented,
                    iterates,
                    annotation,
                },
            ));
        }
        if let (Some((node, bare)), Some(parent)) = (read, read_parent) {
            items.push((node.start_byte(), Item::Read { node, parent, bare }));
        }
        if let (Some((name, kind)), Some(span)) = (def, span) {
            let row = |p: tree_sitter::Point| u32::try_from(p.row + 1).unwrap_or(u32::MAX);
            // A span ending at the start of a line ends on the line before.
            let end = span.end_position();
            let end_row = if end.column == 0 && end.row > span.start_position().row {
                row(end) - 1
            } else {
                row(end)
            };
            raw.push(RawDef {
                name,
                kind,
                private: (syntax.private)(name, span, source),
                span: span.byte_range(),
                lines: (row(span.start_position()), end_row),
                body,
            });
        }
        if let Some(name) = bind_name {
            items.push((
                name.start_byte(),
                Item::Bind {
                    name: BoundName::Node(name),
                    value: value.or(member_of),
                    ty,
                    receiver,
                    require,
                    on_self: false,
                    member: member_of.map(|_| key.unwrap_or(name)),
                },
            ));
            if on_self {
                // Also an attribute of the instance.
                items.push((
                    name.start_byte(),
                    Item::Bind {
                        name: BoundName::Node(name),
                        value,
                        ty,
                        receiver: None,
                        require: None,
                        on_self: true,
                        member: None,
                    },
                ));
            }
        } else if let Some(statement) = default {
            items.push((
                statement.start_byte(),
                Item::Bind {
                    name: BoundName::Default,
                    value,
                    ty,
                    receiver: None,
                    require: None,
                    on_self: false,
                    member: None,
                },
            ));
        }
    }
    let Definitions {
        mut defs,
        spans,
        bodies,
    } = definitions(syntax, raw, source);
    items.sort_by_key(|(at, _)| *at);
    // A callable's own body is no anonymous function.
    let own_bodies: HashSet<(usize, usize)> =
        bodies.iter().flatten().map(|b| (b.start, b.end)).collect();
    anonymous.retain(|r| !own_bodies.contains(&(r.start, r.end)));
    anonymous.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let remap = decorated_targets(&items);
    let parents: Vec<Option<u32>> = defs.iter().map(|d| d.parent).collect();
    let place = Placer {
        spans: &spans,
        parents: &parents,
    };
    // A bare name read counts when the file binds it somewhere: an import,
    // a definition at any depth (a nested function passed by name), a
    // module variable.
    let defined: HashSet<String> = defs.iter().map(|d| d.name.clone()).collect();
    let mut uses = Vec::new();
    let mut bindings = Vec::new();
    let mut calls = Vec::new();
    let mut module_names: foldhash::HashSet<&[u8]> =
        imported.iter().map(|n| n.as_bytes()).collect();
    module_names.extend(defined.iter().map(|n| n.as_bytes()));
    let mut module_bound: foldhash::HashSet<Vec<u8>> = foldhash::HashSet::default();
    let mut open: Vec<Range<usize>> = Vec::new();
    let mut next_anonymous = 0;
    for (at, item) in &items {
        // The anonymous bodies around `at`, for load-time uses.
        while next_anonymous < anonymous.len() && anonymous[next_anonymous].start <= *at {
            open.push(anonymous[next_anonymous].clone());
            next_anonymous += 1;
        }
        open.retain(|r| r.end > *at);
        // Inside a decorator written before its definition: placed there.
        let placed = remapped(&remap, *at);
        let scope = place.innermost(placed);
        let load = open.is_empty() && !place.in_body(scope, placed, &bodies);
        // An anonymous function inside the scope: its `return` is not
        // the scope's.
        let in_anonymous = open
            .iter()
            .any(|r| scope.is_none_or(|s| r.start > spans[s as usize].start));
        let line = |node: Node| line_of(node);
        match item {
            Item::Use(UseKind::Type, node) => {
                let mut found = Vec::new();
                (syntax.type_names)(*node, source, &mut found);
                for (path, kind) in found {
                    uses.push(Use {
                        scope,
                        path,
                        kind,
                        line: line(*node),
                        load,
                    });
                }
            }
            Item::Use(kind, node) => {
                if let Some(path) = (syntax.path)(*node, source) {
                    // A captured call (PHP's `$a->b()`, `new X()`) is the
                    // call of its path, not of its result.
                    let path = match kind {
                        UseKind::Call | UseKind::New => {
                            path.strip_suffix("()").map(str::to_string).unwrap_or(path)
                        }
                        _ => path,
                    };
                    uses.push(Use {
                        scope,
                        path,
                        kind: *kind,
                        line: line(*node),
                        load,
                    });
                }
            }
            Item::Tokens(node) => {
                let Some(read) = syntax.token_uses else {
                    continue;
                };
                // Items in a macro call are read as items (lang/mod.rs).
                if node.parent().is_some_and(rust::is_item_macro) {
                    continue;
                }
                let mut found = Vec::new();
                read(*node, source, &mut found);
                for (path, kind, at) in found {
                    // A bare name counts when the module binds it.
                    let bare = !path.contains('.') && kind == UseKind::Reference;
                    if bare
                        && !(module_names.contains(path.as_bytes())
                            || module_bound.contains(path.as_bytes()))
                    {
                        continue;
                    }
                    uses.push(Use {
                        scope,
                        path,
                        kind,
                        line: at,
                        load,
                    });
                }
            }
            Item::Read { node, parent, bare } => {
                if !(syntax.is_read)(*node, *parent) {
                    continue;
                }
                let path = if *bare {
                    // A bare name counts when the module binds it.
                    let text = &source[node.byte_range()];
                    if !(module_names.contains(text) || module_bound.contains(text)) {
                        continue;
                    }
                    Some(String::from_utf8_lossy(text).into_owned())
                } else {
                    (syntax.path)(*node, source)
                };
                if let Some(path) = path {
                    uses.push(Use {
                        scope,
                        path,
                        kind: UseKind::Reference,
                        line: line(*node),
                        load,
                    });
                }
            }
            Item::Member {
                object,
                member,
                kind,
            } => {
                let name = match member {
                    MemberName::Fixed(name) => (*name).to_string(),
                    MemberName::Dunder(callee) => match dunder(&node_text(*callee, source)) {
                        Some(name) => name.to_string(),
                        None => continue,
                    },
                    MemberName::Text(text) => node_text(*text, source),
                };
                let valid = name.chars().all(|c| c.is_alphanumeric() || c == '_');
                if let Some(path) = (syntax.path)(*object, source)
                    && valid
                    && !name.is_empty()
                {
                    uses.push(Use {
                        scope,
                        path: format!("{path}.{name}"),
                        kind: *kind,
                        line: line(*object),
                        load,
                    });
                }
            }
            Item::Params(node) => {
                if let Some(def) = scope.map(|s| &mut defs[s as usize]) {
                    def.signature.push_str(&collapse(&node_text(*node, source)));
                    if let Some(callbacks) = syntax.callbacks {
                        def.callbacks = callbacks(*node, source);
                    }
                }
            }
            Item::Returns(node) => {
                if let Some(def) = scope.map(|s| &mut defs[s as usize]) {
                    def.returns = (syntax.principal)(*node, source);
                    def.signature.push_str(" -> ");
                    def.signature.push_str(&collapse(&node_text(*node, source)));
                }
            }
            Item::Returned(node) => {
                if let Some(def) = scope.map(|s| &mut defs[s as usize])
                    && def.returned.is_none()
                    && !in_anonymous
                {
                    def.returned = (syntax.path)(*node, source);
                }
            }
            Item::Metaclass(node) => {
                if let Some(def) = scope.map(|s| &mut defs[s as usize]) {
                    def.metaclass = (syntax.path)(*node, source);
                }
            }
            Item::Decorator(node) => {
                if let Some(def) = scope.map(|s| &mut defs[s as usize]) {
                    def.decorators.push(collapse(&node_text(*node, source)));
                }
            }
            Item::Param(node) => {
                // The innermost definition, when its own parameter list
                // holds it (not a function passed inside it: `(x) =>
                // run((y) => y)` gives `f` no `y`).
                let function = std::iter::successors(node.parent(), |n| n.parent())
                    .take(4)
                    .find(|n| {
                        n.child_by_field_name("body").is_some() || n.kind().ends_with("signature")
                    });
                let own = |s: u32| match (
                    &bodies[s as usize],
                    function.and_then(|f| f.child_by_field_name("body")),
                ) {
                    (Some(body), Some(theirs)) => theirs.byte_range() == *body,
                    (None, None) => true,
                    _ => false,
                };
                if let Some(s) = scope.filter(|&s| own(s)) {
                    defs[s as usize].params.push(node_text(*node, source));
                }
            }
            Item::Bind {
                name,
                value,
                ty,
                receiver,
                require,
                on_self,
                member,
            } => {
                let on_self = match receiver {
                    None => *on_self,
                    Some(r) => {
                        let text = node_text(*r, source);
                        if !syntax.receivers.contains(&text.as_str()) {
                            continue;
                        }
                        true
                    }
                };
                let (kind, written) = if let Some(ty) = ty {
                    match (syntax.principal)(*ty, source) {
                        Some(t) => (BindingKind::Type, t),
                        None => (BindingKind::Opaque, String::new()),
                    }
                } else if let Some(specifier) = require {
                    let text = node_text(*specifier, source);
                    (
                        BindingKind::Require,
                        text.trim_matches(['"', '\'', '`']).to_string(),
                    )
                } else if let Some(value) = value {
                    match ((syntax.path)(*value, source), member) {
                        (Some(p), Some(m)) => {
                            (BindingKind::Value, format!("{p}.{}", node_text(*m, source)))
                        }
                        (Some(p), None) => (BindingKind::Value, p),
                        (None, _) => (BindingKind::Opaque, String::new()),
                    }
                } else {
                    (BindingKind::Opaque, String::new())
                };
                // `X = ...` is itself a definition: the binding lives where
                // the definition does.
                let mut scope = scope;
                while let Some(s) = scope
                    && matches!(defs[s as usize].kind, DefKind::Variable | DefKind::Constant)
                {
                    scope = defs[s as usize].parent;
                }
                let (bound, at) = match name {
                    // An attribute is named without PHP's `$`.
                    BoundName::Node(n) if on_self => (
                        node_text(*n, source).trim_start_matches('$').to_string(),
                        line(*n),
                    ),
                    BoundName::Node(n) => (node_text(*n, source), line(*n)),
                    BoundName::Default => ("default".to_string(), line_at(source, *at)),
                };
                if scope.is_none() && !on_self {
                    module_bound.insert(bound.as_bytes().to_vec());
                }
                bindings.push(Binding {
                    scope,
                    name: bound,
                    on_self,
                    value: written,
                    kind,
                    line: at,
                });
            }
            Item::Callback(function) => {
                if let Some((callee, argument, new)) = script::callee_of(*function, source) {
                    let last = u32::try_from(function.end_position().row + 1).unwrap_or(u32::MAX);
                    for (parameter, name) in script::untyped_parameters(*function) {
                        bindings.push(Binding {
                            scope,
                            name: node_text(name, source),
                            on_self: false,
                            value: callee.clone(),
                            kind: BindingKind::Callback {
                                argument,
                                parameter,
                                new,
                                last,
                            },
                            line: line(name),
                        });
                    }
                }
            }
            Item::Generic(node) => bindings.push(Binding {
                scope,
                name: node_text(*node, source),
                on_self: false,
                value: String::new(),
                kind: BindingKind::Generic,
                line: line(*node),
            }),
            Item::Pattern(node) => {
                for name in rust::pattern_names(*node, source) {
                    bindings.push(Binding {
                        scope,
                        name: node_text(name, source),
                        on_self: false,
                        value: String::new(),
                        kind: BindingKind::Opaque,
                        line: line(name),
                    });
                }
            }
            Item::Call {
                value,
                decorator,
                target,
                augmented,
                iterates,
                annotation,
            } => {
                if let Some(read) = syntax.expr {
                    let Some(at) = value.or(*target) else {
                        continue;
                    };
                    calls.push(CallFact {
                        scope,
                        line: line(at),
                        decorator: *decorator,
                        target: target.map(|t| node_text(t, source)),
                        augmented: *augmented,
                        iterates: *iterates,
                        annotation: annotation.map(|a| collapse(&node_text(a, source))),
                        value: value.map_or(Expr::Other(String::new()), |v| read(v, source)),
                    });
                }
            }
            Item::Opaque(node) => {
                // Every name of a pattern (`a, b = ...`) hides an outer one.
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "identifier" {
                        bindings.push(Binding {
                            scope,
                            name: node_text(child, source),
                            on_self: false,
                            value: String::new(),
                            kind: BindingKind::Opaque,
                            line: line(child),
                        });
                    }
                }
            }
        }
    }
    for def in &mut defs {
        def.namespace = namespace(syntax, def.kind);
    }
    // Base classes are the definition's inherit uses.
    for u in uses.iter().filter(|u| u.kind == UseKind::Inherit) {
        if let Some(s) = u.scope {
            defs[s as usize].bases.push(u.path.clone());
        }
    }
    namespaces.sort();
    namespaces.dedup();
    // A registration matched by two patterns (a list of `path()` given to
    // `urlpatterns`) is read once.
    calls.dedup();
    SymbolFacts {
        defs,
        uses,
        bindings,
        namespaces,
        calls,
    }
}

/// The last line of a node, 1-based.
fn end_line(node: Node) -> u32 {
    u32::try_from(node.end_position().row + 1).unwrap_or(u32::MAX)
}

/// An expression a registration reader does not read: its text, cut
/// short (kept so that a report can say what was not read).
fn unread_expr(node: Node, source: &[u8]) -> Expr {
    /// How much of it is kept.
    const MAX_OTHER: usize = 120;
    let text = collapse(&node_text(node, source));
    Expr::Other(match text.char_indices().nth(MAX_OTHER) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    })
}

/// The definitions, one per name node (a decorated definition matches
/// twice: the widest span wins), in source order with their parents;
/// their spans and callable bodies by index.
fn definitions(syntax: &SymbolSyntax, mut raw: Vec<RawDef>, source: &[u8]) -> Definitions {
    raw.sort_by_key(|d| (d.name.start_byte(), std::cmp::Reverse(d.span.len())));
    let mut kept: Vec<RawDef> = Vec::with_capacity(raw.len());
    for d in raw {
        match kept.last_mut() {
            Some(last) if last.name.start_byte() == d.name.start_byte() => {
                // One name, two patterns (`const f = () => ...` is a
                // variable and a function): the one with a body decides.
                if last.body.is_none() && d.body.is_some() {
                    last.body = d.body;
                    last.kind = d.kind;
                }
            }
            _ => kept.push(d),
        }
    }
    kept.sort_by_key(|d| (d.span.start, std::cmp::Reverse(d.span.end)));
    let mut defs: Vec<SymbolDef> = Vec::with_capacity(kept.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, d) in kept.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|&top| kept[top].span.end <= d.span.start)
        {
            stack.pop();
        }
        let parent = stack.last().copied();
        let name = node_text(d.name, source);
        let parent_kind = parent.map(|p| defs[p].kind);
        // What is inside a private definition is private with it; not
        // what a private module holds (Rust's `mod imp { pub fn x() }`
        // with `pub use imp::x`): the item's own visibility decides.
        let private = d.private
            || parent.is_some_and(|p| defs[p].private && defs[p].kind != DefKind::Namespace);
        defs.push(SymbolDef {
            private,
            callbacks: Vec::new(),
            kind: def_kind(d.kind, &name, parent_kind),
            name,
            parent: parent.map(|p| p as u32),
            start_line: d.lines.0,
            end_line: d.lines.1,
            name_line: line_of(d.name),
            bases: Vec::new(),
            returns: None,
            returned: None,
            params: Vec::new(),
            signature: String::new(),
            decorators: Vec::new(),
            metaclass: None,
            namespace: Namespace::Both,
        });
        stack.push(i);
    }
    let _ = syntax;
    Definitions {
        spans: kept.iter().map(|d| d.span.clone()).collect(),
        bodies: kept.iter().map(|d| d.body.clone()).collect(),
        defs,
    }
}

/// The definitions of a file, with the byte span of each and the body of
/// each callable one.
struct Definitions {
    defs: Vec<SymbolDef>,
    spans: Vec<Range<usize>>,
    bodies: Vec<Option<Range<usize>>>,
}

/// The 1-based line of a byte offset.
fn line_at(source: &[u8], at: usize) -> u32 {
    let at = at.min(source.len());
    u32::try_from(memchr::memchr_iter(b'\n', &source[..at]).count() + 1).unwrap_or(u32::MAX)
}

fn def_kind(capture: &str, name: &str, parent: Option<DefKind>) -> DefKind {
    let in_type = parent.is_some_and(DefKind::is_type);
    match capture {
        "function" if in_type => DefKind::Method,
        "function" => DefKind::Function,
        "method" => DefKind::Method,
        "class" => DefKind::Class,
        "interface" => DefKind::Interface,
        "trait" => DefKind::Trait,
        "struct" => DefKind::Struct,
        "enum" => DefKind::Enum,
        "type" => DefKind::Type,
        "namespace" => DefKind::Namespace,
        "impl" => DefKind::Impl,
        "constant" => DefKind::Constant,
        _ if is_constant_name(name) => DefKind::Constant,
        _ => DefKind::Variable,
    }
}

/// `MAX_SIZE`, `DEBUG`: a name in capitals (and digits, underscores).
fn is_constant_name(name: &str) -> bool {
    name.bytes().any(|b| b.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

fn namespace(syntax: &SymbolSyntax, kind: DefKind) -> Namespace {
    if !syntax.two_namespaces {
        return Namespace::Both;
    }
    match kind {
        DefKind::Interface | DefKind::Type => Namespace::Type,
        DefKind::Function | DefKind::Method | DefKind::Constant | DefKind::Variable => {
            Namespace::Value
        }
        _ => Namespace::Both,
    }
}

/// Whitespace runs made one space.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Places byte offsets in the innermost definition around them.
struct Placer<'a> {
    spans: &'a [Range<usize>],
    parents: &'a [Option<u32>],
}

impl Placer<'_> {
    fn innermost(&self, at: usize) -> Option<u32> {
        // The last definition starting at or before `at`, then out through
        // its parents to one that still holds it.
        let mut i = self
            .spans
            .partition_point(|s| s.start <= at)
            .checked_sub(1)?;
        loop {
            if self.spans[i].contains(&at) {
                return Some(i as u32);
            }
            i = self.parents[i]? as usize;
        }
    }

    /// Whether `at` lies in the body of a callable definition around it.
    fn in_body(&self, scope: Option<u32>, at: usize, bodies: &[Option<Range<usize>>]) -> bool {
        let mut current = scope;
        while let Some(i) = current {
            if bodies[i as usize].as_ref().is_some_and(|b| b.contains(&at)) {
                return true;
            }
            current = self.parents[i as usize];
        }
        false
    }
}

/// Where the decorators written before their definition belong: a
/// decorator in a class body (TypeScript) to the member after it, one on
/// an export statement to the declaration it exports. As (the
/// decorator's bytes, the position its captures are placed at), sorted.
fn decorated_targets(items: &[(usize, Item)]) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    for (_, item) in items {
        let Item::Decorator(node) = item else {
            continue;
        };
        let Some(decorator) = node
            .parent()
            .filter(|p| matches!(p.kind(), "decorator" | "attribute_item"))
        else {
            continue;
        };
        let Some(holder) = decorator.parent() else {
            continue;
        };
        let target = match holder.kind() {
            // TypeScript's class members; Rust's items, fields, variants.
            "class_body"
            | "source_file"
            | "declaration_list"
            | "field_declaration_list"
            | "enum_variant_list" => {
                let mut next = decorator.next_named_sibling();
                while let Some(n) = next
                    && matches!(
                        n.kind(),
                        "decorator"
                            | "comment"
                            | "attribute_item"
                            | "line_comment"
                            | "block_comment"
                    )
                {
                    next = n.next_named_sibling();
                }
                next
            }
            "export_statement" => holder.child_by_field_name("declaration"),
            _ => None,
        };
        if let Some(target) = target {
            out.push((decorator.byte_range(), target.start_byte()));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out.dedup_by_key(|(r, _)| r.start);
    out
}

/// `at`, or the position its decorator is placed at.
fn remapped(remap: &[(Range<usize>, usize)], at: usize) -> usize {
    let i = remap.partition_point(|(r, _)| r.start <= at);
    match i.checked_sub(1).map(|i| &remap[i]) {
        Some((range, target)) if range.contains(&at) => *target,
        _ => at,
    }
}

/// Builds a path from the outside in: `segments` holds (text, called) from
/// the last segment to the root.
pub(crate) fn join_path(mut segments: Vec<(String, bool)>) -> Option<String> {
    if segments.is_empty() || segments.len() > MAX_SEGMENTS {
        return None;
    }
    segments.reverse();
    let mut out = String::new();
    for (i, (text, called)) in segments.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(text);
        if *called {
            out.push_str("()");
        }
    }
    Some(out)
}

pub(crate) mod python {
    //! Python's paths, types and reads.

    use super::{MAX_SEGMENTS, SymbolSyntax, TypeNames, join_path};
    use crate::facts::{Arg, Expr, UseKind};
    use crate::lang::node_text;
    use tree_sitter::Node;

    /// How deep an expression is read; deeper parts are kept as text.
    const MAX_EXPR_DEPTH: u8 = 12;

    fn expr(node: Node, source: &[u8]) -> Expr {
        read_expr(node, source, 0)
    }

    fn other(node: Node, source: &[u8]) -> Expr {
        super::unread_expr(node, source)
    }

    fn read_expr(node: Node, source: &[u8], depth: u8) -> Expr {
        if depth > MAX_EXPR_DEPTH {
            return other(node, source);
        }
        let next = |n: Node| read_expr(n, source, depth + 1);
        let mut cursor = node.walk();
        match node.kind() {
            "string" => string(node, source).map_or_else(|| other(node, source), Expr::Str),
            "concatenated_string" => {
                let mut text = String::new();
                for part in node.named_children(&mut cursor) {
                    match string(part, source) {
                        Some(s) => text.push_str(&s),
                        None => return other(node, source),
                    }
                }
                Expr::Str(text)
            }
            "identifier" | "attribute" => match path(node, source) {
                // `f().x` is no path of names.
                Some(p) if !p.contains("()") => Expr::Path(p),
                _ => other(node, source),
            },
            "call" => {
                let Some(function) = node.child_by_field_name("function") else {
                    return other(node, source);
                };
                let (receiver, name) = match function.kind() {
                    "identifier" => (None, node_text(function, source)),
                    "attribute" => match (
                        function.child_by_field_name("object"),
                        function.child_by_field_name("attribute"),
                    ) {
                        (Some(object), Some(attribute)) => {
                            (Some(Box::new(next(object))), node_text(attribute, source))
                        }
                        _ => return other(node, source),
                    },
                    _ => (Some(Box::new(next(function))), String::new()),
                };
                let mut args = Vec::new();
                if let Some(list) = node.child_by_field_name("arguments") {
                    for a in list.named_children(&mut cursor) {
                        match a.kind() {
                            "comment" => {}
                            "keyword_argument" => {
                                if let (Some(n), Some(v)) = (
                                    a.child_by_field_name("name"),
                                    a.child_by_field_name("value"),
                                ) {
                                    args.push(Arg {
                                        name: Some(node_text(n, source)),
                                        value: next(v),
                                    });
                                }
                            }
                            "list_splat" | "dictionary_splat" => {
                                let spread = if a.kind() == "list_splat" { "*" } else { "**" };
                                if let Some(v) = a.named_child(0) {
                                    args.push(Arg {
                                        name: Some(spread.to_string()),
                                        value: next(v),
                                    });
                                }
                            }
                            _ => args.push(Arg {
                                name: None,
                                value: next(a),
                            }),
                        }
                    }
                }
                Expr::Call {
                    receiver,
                    name,
                    args,
                    line: crate::lang::line_of(node),
                }
            }
            "list" | "tuple" | "set" => Expr::List(
                node.named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment")
                    .map(next)
                    .collect(),
            ),
            "dictionary" => {
                let mut pairs = Vec::new();
                for pair in node.named_children(&mut cursor) {
                    if let (Some(k), Some(v)) = (
                        pair.child_by_field_name("key"),
                        pair.child_by_field_name("value"),
                    ) {
                        pairs.push((next(k), next(v)));
                    }
                }
                Expr::Map(pairs)
            }
            "binary_operator"
                if node
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.kind() == "+") =>
            {
                let mut parts = Vec::new();
                for side in ["left", "right"] {
                    match node.child_by_field_name(side).map(next) {
                        Some(Expr::Concat(inner)) => parts.extend(inner),
                        Some(e) => parts.push(e),
                        None => return other(node, source),
                    }
                }
                Expr::Concat(parts)
            }
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => next(inner),
                None => other(node, source),
            },
            "lambda" => Expr::Function(crate::lang::line_of(node), super::end_line(node)),
            _ => other(node, source),
        }
    }

    /// A string literal's text between its quotes, escapes as written;
    /// `None` for an f-string with a value in it, or bytes.
    fn string(node: Node, source: &[u8]) -> Option<String> {
        if node.kind() != "string" {
            return None;
        }
        let mut text = String::new();
        let mut cursor = node.walk();
        for part in node.named_children(&mut cursor) {
            match part.kind() {
                "string_start" => {
                    let prefix = node_text(part, source).to_ascii_lowercase();
                    if prefix.contains('b') {
                        return None;
                    }
                }
                "string_content" | "escape_sequence" => text.push_str(&node_text(part, source)),
                "string_end" => {}
                _ => return None,
            }
        }
        Some(text)
    }

    pub(crate) const SYNTAX: SymbolSyntax = SymbolSyntax {
        path,
        type_names,
        principal,
        is_read,
        receivers: &["self", "cls"],
        two_namespaces: false,
        token_uses: None,
        private,
        callbacks: None,
        expr: Some(expr),
    };

    /// `_name` (PEP 8's "internal use"), not a `__special__` name.
    fn private(name: Node, _span: Node, source: &[u8]) -> bool {
        let name = &source[name.byte_range()];
        name.starts_with(b"_")
            && !(name.len() > 4 && name.starts_with(b"__") && name.ends_with(b"__"))
    }

    /// `a.b().c` from `identifier`, `attribute`, `call`, `await` and
    /// parentheses; the segment before a `()` was called.
    fn path(node: Node, source: &[u8]) -> Option<String> {
        let mut segments: Vec<(String, bool)> = Vec::new();
        let mut current = node;
        let mut called = false;
        loop {
            if segments.len() > MAX_SEGMENTS {
                return None;
            }
            match current.kind() {
                "identifier" => {
                    segments.push((node_text(current, source), called));
                    return join_path(segments);
                }
                "attribute" => {
                    let attribute = current.child_by_field_name("attribute")?;
                    segments.push((node_text(attribute, source), called));
                    called = false;
                    current = current.child_by_field_name("object")?;
                }
                "call" => {
                    if called {
                        // `f()()`: the result of a call's result.
                        return None;
                    }
                    called = true;
                    let function = current.child_by_field_name("function")?;
                    // `super(C, self)`: the class after C in self's order,
                    // written `super[C]` (a dotted C with `:`).
                    if node_text(function, source) == "super"
                        && let Some(class) = current
                            .child_by_field_name("arguments")
                            .and_then(|a| a.named_child(0))
                            .and_then(|c| path(c, source))
                    {
                        segments.push((format!("super[{}]", class.replace('.', ":")), true));
                        return join_path(segments);
                    }
                    current = function;
                }
                "await" | "parenthesized_expression" => {
                    current = current.named_child(0)?;
                }
                _ => return None,
            }
        }
    }

    /// The names in an annotation: identifiers and dotted names at this
    /// level (nested `type` nodes are captured on their own), and a string
    /// holding a dotted name (a forward reference).
    fn type_names(node: Node, source: &[u8], out: &mut TypeNames) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "identifier" | "attribute" => {
                    if let Some(p) = path(n, source) {
                        out.push((p, UseKind::Type));
                    }
                }
                "string" => {
                    if let Some(name) = forward_reference(n, source) {
                        out.push((name, UseKind::Type));
                    }
                }
                "type" if n != node => {}
                _ => {
                    let mut cursor = n.walk();
                    stack.extend(n.named_children(&mut cursor));
                }
            }
        }
    }

    /// `"User"` or `"app.models.User"` as an annotation.
    fn forward_reference(node: Node, source: &[u8]) -> Option<String> {
        let text = node_text(node, source);
        let inner = text.trim_matches(['"', '\'']);
        let dotted = !inner.is_empty()
            && inner.split('.').all(|part| {
                part.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && part.chars().all(|c| c.is_alphanumeric() || c == '_')
            });
        dotted.then(|| inner.to_string())
    }

    /// `User` for `User`, `Optional[User]`, `User | None`, `"User"`,
    /// `list[User]` gives `list`.
    fn principal(node: Node, source: &[u8]) -> Option<String> {
        let mut current = node;
        for _ in 0..MAX_SEGMENTS {
            match current.kind() {
                "type" | "parenthesized_expression" => current = current.named_child(0)?,
                "identifier" | "attribute" => return path(current, source),
                "string" => return forward_reference(current, source),
                "union_type" | "binary_operator" => {
                    let mut cursor = current.walk();
                    current = current
                        .named_children(&mut cursor)
                        .find(|c| !is_none(*c, source))?;
                }
                "generic_type" | "subscript" => {
                    let base = current.named_child(0)?;
                    let name = node_text(base, source);
                    let last = name.rsplit('.').next().unwrap_or(&name);
                    if matches!(
                        last,
                        "Optional" | "Union" | "Annotated" | "Final" | "ClassVar"
                    ) {
                        // The first argument that is not None.
                        let mut cursor = current.walk();
                        let args = current.named_children(&mut cursor).skip(1).find_map(|c| {
                            let mut inner = c.walk();
                            let first = c.named_children(&mut inner).find(|a| !is_none(*a, source));
                            if c.kind() == "type_parameter" {
                                first
                            } else {
                                Some(c)
                            }
                        });
                        current = args?;
                    } else {
                        return path(base, source);
                    }
                }
                _ => return None,
            }
        }
        None
    }

    fn is_none(node: Node, source: &[u8]) -> bool {
        match node.kind() {
            "none" => true,
            "type" => node.named_child(0).is_some_and(|c| is_none(c, source)),
            _ => node_text(node, source) == "None",
        }
    }

    /// A chain read as a value: not the object of a longer chain, not a
    /// callee, decorator or base (captured as those), not a target, a
    /// definition's name, a parameter or a keyword.
    fn is_read(node: Node, parent: Node) -> bool {
        let field = |name: &str| parent.child_by_field_name(name) == Some(node);
        match parent.kind() {
            "attribute" => false,
            "call" => !field("function"),
            "decorator"
            | "type"
            | "dotted_name"
            | "aliased_import"
            | "import_statement"
            | "import_from_statement"
            | "global_statement"
            | "nonlocal_statement"
            | "parameters"
            | "lambda_parameters"
            | "default_parameter"
            | "typed_parameter"
            | "typed_default_parameter"
            | "function_definition"
            | "class_definition"
            | "as_pattern_target"
            | "pattern_list"
            | "tuple_pattern"
            | "list_splat_pattern"
            | "dictionary_splat_pattern"
            | "keyword_pattern"
            | "generic_type"
            | "member_type"
            | "union_type" => {
                parent.kind() == "default_parameter" && field("value")
                    || parent.kind() == "typed_default_parameter" && field("value")
            }
            "keyword_argument" => field("value"),
            "assignment" => !field("left"),
            // `x += 1` reads x.
            "augmented_assignment" => true,
            "for_statement" | "for_in_clause" => !field("left"),
            "argument_list" => parent
                .parent()
                .is_none_or(|p| p.kind() != "class_definition"),
            _ => true,
        }
    }
}

pub(crate) mod script {
    //! TypeScript's and JavaScript's paths, types and reads.

    use super::{MAX_SEGMENTS, SymbolSyntax, TypeNames, join_path};
    use crate::facts::{Arg, Expr, UseKind};
    use crate::lang::node_text;
    use tree_sitter::Node;

    pub(crate) const TYPESCRIPT: SymbolSyntax = SymbolSyntax {
        path,
        type_names,
        principal,
        is_read,
        receivers: &["this"],
        two_namespaces: true,
        token_uses: None,
        private,
        callbacks: Some(callbacks),
        expr: Some(expr),
    };

    /// How deep an expression is read; deeper parts are kept as text.
    const MAX_EXPR_DEPTH: u8 = 16;

    fn expr(node: Node, source: &[u8]) -> Expr {
        read_expr(node, source, 0)
    }

    fn other(node: Node, source: &[u8]) -> Expr {
        super::unread_expr(node, source)
    }

    fn read_expr(node: Node, source: &[u8], depth: u8) -> Expr {
        if depth > MAX_EXPR_DEPTH {
            return other(node, source);
        }
        let next = |n: Node| read_expr(n, source, depth + 1);
        let mut cursor = node.walk();
        match node.kind() {
            "string" => {
                let mut text = String::new();
                for part in node.named_children(&mut cursor) {
                    text.push_str(&node_text(part, source));
                }
                Expr::Str(text)
            }
            "template_string" => {
                let mut text = String::new();
                for part in node.named_children(&mut cursor) {
                    match part.kind() {
                        "string_fragment" | "escape_sequence" => {
                            text.push_str(&node_text(part, source))
                        }
                        _ => return other(node, source),
                    }
                }
                Expr::Str(text)
            }
            "identifier" | "member_expression" | "this" => match path(node, source) {
                Some(p) if !p.contains("()") => Expr::Path(p),
                _ => other(node, source),
            },
            "call_expression" | "new_expression" => {
                let field = if node.kind() == "call_expression" {
                    "function"
                } else {
                    "constructor"
                };
                let Some(function) = node.child_by_field_name(field) else {
                    return other(node, source);
                };
                // A chained call's line is its method's (`.get(h)` on its
                // own line), not the chain's first.
                let (receiver, name, line) = match function.kind() {
                    "identifier" => (
                        None,
                        node_text(function, source),
                        crate::lang::line_of(function),
                    ),
                    "member_expression" => match (
                        function.child_by_field_name("object"),
                        function.child_by_field_name("property"),
                    ) {
                        (Some(object), Some(property)) => (
                            Some(Box::new(next(object))),
                            node_text(property, source),
                            crate::lang::line_of(property),
                        ),
                        _ => return other(node, source),
                    },
                    _ => (
                        Some(Box::new(next(function))),
                        String::new(),
                        crate::lang::line_of(node),
                    ),
                };
                let mut args = Vec::new();
                if let Some(list) = node.child_by_field_name("arguments") {
                    for a in list.named_children(&mut cursor) {
                        match a.kind() {
                            "comment" => {}
                            "spread_element" => {
                                if let Some(v) = a.named_child(0) {
                                    args.push(Arg {
                                        name: Some("*".to_string()),
                                        value: next(v),
                                    });
                                }
                            }
                            _ => args.push(Arg {
                                name: None,
                                value: next(a),
                            }),
                        }
                    }
                }
                Expr::Call {
                    receiver,
                    name,
                    args,
                    line,
                }
            }
            "array" => Expr::List(
                node.named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment")
                    .map(next)
                    .collect(),
            ),
            "object" => {
                let mut pairs = Vec::new();
                for pair in node.named_children(&mut cursor) {
                    match pair.kind() {
                        "pair" => {
                            if let (Some(k), Some(v)) = (
                                pair.child_by_field_name("key"),
                                pair.child_by_field_name("value"),
                            ) {
                                let key = match k.kind() {
                                    "property_identifier" => Expr::Str(node_text(k, source)),
                                    _ => next(k),
                                };
                                pairs.push((key, next(v)));
                            }
                        }
                        "shorthand_property_identifier" => {
                            let name = node_text(pair, source);
                            pairs.push((Expr::Str(name.clone()), Expr::Path(name)));
                        }
                        _ => {}
                    }
                }
                Expr::Map(pairs)
            }
            "binary_expression"
                if node
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.kind() == "+") =>
            {
                let mut parts = Vec::new();
                for side in ["left", "right"] {
                    match node.child_by_field_name(side).map(next) {
                        Some(Expr::Concat(inner)) => parts.extend(inner),
                        Some(e) => parts.push(e),
                        None => return other(node, source),
                    }
                }
                Expr::Concat(parts)
            }
            "parenthesized_expression"
            | "await_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression" => match node.named_child(0) {
                Some(inner) => next(inner),
                None => other(node, source),
            },
            "arrow_function" | "function_expression" | "function" => {
                Expr::Function(crate::lang::line_of(node), super::end_line(node))
            }
            _ => other(node, source),
        }
    }

    /// A `private` or `#name` member, or a definition documented
    /// `@internal` (TypeScript's own convention, stripped from its
    /// declarations) or `@private`. `protected` members are for subclasses,
    /// wherever they live.
    fn private(name: Node, span: Node, source: &[u8]) -> bool {
        name.kind() == "private_property_identifier"
            || (0..span.named_child_count()).any(|i| {
                span.named_child(i as u32).is_some_and(|c| {
                    c.kind() == "accessibility_modifier" && &source[c.byte_range()] == b"private"
                })
            })
            || super::marked_internal(span, source, &["@internal", "@private"])
    }

    /// The parameters of a list, `this` left out (it is no argument).
    fn parameters<'t>(list: Node<'t>) -> impl Iterator<Item = Node<'t>> {
        (0..list.named_child_count())
            .filter_map(move |i| list.named_child(i as u32))
            // (JavaScript's are bare names.)
            .filter(|p| {
                matches!(
                    p.kind(),
                    "required_parameter" | "optional_parameter" | "identifier"
                )
            })
            .filter(|p| {
                p.child_by_field_name("pattern")
                    .is_none_or(|pattern| pattern.kind() != "this")
            })
    }

    /// The function type an annotation gives, through parentheses and a
    /// union with `undefined`.
    fn function_type(node: Node) -> Option<Node> {
        let mut current = node;
        for _ in 0..MAX_SEGMENTS {
            match current.kind() {
                "function_type" => return Some(current),
                "type_annotation" | "parenthesized_type" => current = current.named_child(0)?,
                "union_type" => {
                    current = (0..current.named_child_count())
                        .filter_map(|i| current.named_child(i as u32))
                        .find(|c| c.kind() != "literal_type" && c.kind() != "predefined_type")?;
                }
                _ => return None,
            }
        }
        None
    }

    /// Each parameter typed as a function, with the types of that
    /// function's parameters: `init: (source: Observable<T>, subscriber:
    /// Subscriber<R>) => void` gives `(0, ["Observable", "Subscriber"])`.
    fn callbacks(list: Node, source: &[u8]) -> Vec<(u32, Vec<String>)> {
        let mut out = Vec::new();
        for (index, parameter) in parameters(list).enumerate() {
            let Some(function) = parameter
                .child_by_field_name("type")
                .and_then(function_type)
            else {
                continue;
            };
            let Some(inner) = function.child_by_field_name("parameters") else {
                continue;
            };
            let types = parameters(inner)
                .map(|p| {
                    p.child_by_field_name("type")
                        .and_then(|t| principal(t, source))
                        .unwrap_or_default()
                })
                .collect();
            out.push((index as u32, types));
        }
        out
    }

    /// For a function passed as an argument: the callee's written path,
    /// the argument's index, and whether the call is `new`.
    pub(crate) fn callee_of(function: Node, source: &[u8]) -> Option<(String, u32, bool)> {
        let arguments = function.parent()?;
        let call = arguments.parent()?;
        let (callee, new) = match call.kind() {
            "call_expression" => (call.child_by_field_name("function")?, false),
            "new_expression" => (call.child_by_field_name("constructor")?, true),
            _ => return None,
        };
        let index = (0..arguments.named_child_count())
            .filter_map(|i| arguments.named_child(i as u32))
            .filter(|a| !a.kind().contains("comment"))
            .position(|a| a.id() == function.id())?;
        Some((path(callee, source)?, index as u32, new))
    }

    /// A passed function's parameters without a type: (index, name).
    pub(crate) fn untyped_parameters(function: Node) -> Vec<(u32, Node)> {
        if let Some(single) = function.child_by_field_name("parameter") {
            return vec![(0, single)];
        }
        let Some(list) = function.child_by_field_name("parameters") else {
            return Vec::new();
        };
        parameters(list)
            .enumerate()
            .filter(|(_, p)| p.child_by_field_name("type").is_none())
            .filter_map(|(i, p)| {
                let pattern = if p.kind() == "identifier" {
                    p
                } else {
                    p.child_by_field_name("pattern")?
                };
                (pattern.kind() == "identifier").then_some((i as u32, pattern))
            })
            .collect()
    }

    pub(crate) const JAVASCRIPT: SymbolSyntax = SymbolSyntax {
        two_namespaces: false,
        ..TYPESCRIPT
    };

    /// `a.b().c` from identifiers, `this`, `super`, member accesses,
    /// calls, `new`, and the wrappers that keep a value (`await`, `!`,
    /// `as`, parentheses).
    fn path(node: Node, source: &[u8]) -> Option<String> {
        let mut segments: Vec<(String, bool)> = Vec::new();
        let mut current = node;
        let mut called = false;
        loop {
            if segments.len() > MAX_SEGMENTS {
                return None;
            }
            match current.kind() {
                "identifier"
                | "this"
                | "super"
                | "property_identifier"
                | "shorthand_property_identifier"
                | "type_identifier" => {
                    segments.push((node_text(current, source), called));
                    return join_path(segments);
                }
                "member_expression" => {
                    let property = current.child_by_field_name("property")?;
                    if property.kind() == "private_property_identifier" {
                        // `this.#x`: the name with its `#`.
                    }
                    segments.push((node_text(property, source), called));
                    called = false;
                    current = current.child_by_field_name("object")?;
                }
                "call_expression" => {
                    if called {
                        return None;
                    }
                    called = true;
                    current = current.child_by_field_name("function")?;
                    if current.kind() == "import" {
                        return None;
                    }
                }
                "new_expression" => {
                    if called {
                        return None;
                    }
                    called = true;
                    current = current.child_by_field_name("constructor")?;
                }
                "await_expression"
                | "parenthesized_expression"
                | "non_null_expression"
                | "as_expression"
                | "satisfies_expression"
                | "type_assertion" => {
                    current = current.named_child(0)?;
                }
                "nested_type_identifier" => {
                    let name = current.child_by_field_name("name")?;
                    segments.push((node_text(name, source), called));
                    called = false;
                    current = current.child_by_field_name("module")?;
                }
                "nested_identifier" => {
                    // `a.b.c` in a type or namespace position.
                    let text = node_text(current, source);
                    let mut parts: Vec<&str> = text.split('.').map(str::trim).collect();
                    let last = parts.pop()?;
                    segments.push((last.to_string(), called));
                    for part in parts.into_iter().rev() {
                        segments.push((part.to_string(), false));
                    }
                    return join_path(segments);
                }
                "generic_type" => {
                    current = current.child_by_field_name("name")?;
                }
                _ => return None,
            }
        }
    }

    /// The names of a type: type identifiers, qualified ones, and the
    /// values of `typeof x` (a value use).
    fn type_names(node: Node, source: &[u8], out: &mut TypeNames) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "type_identifier" | "nested_type_identifier" => {
                    if let Some(p) = path(n, source) {
                        out.push((p, UseKind::Type));
                    }
                }
                "type_query" => {
                    if let Some(p) = n.named_child(0).and_then(|c| path(c, source)) {
                        out.push((p, UseKind::Reference));
                    }
                }
                // Captured on their own.
                "type_annotation" | "type_arguments" if n != node => {}
                _ => {
                    let mut cursor = n.walk();
                    stack.extend(n.named_children(&mut cursor));
                }
            }
        }
    }

    /// `User` for `User`, `Promise<User>`, `User | undefined`,
    /// `Readonly<User>`; an array or a literal has none.
    fn principal(node: Node, source: &[u8]) -> Option<String> {
        let mut current = node;
        for _ in 0..MAX_SEGMENTS {
            match current.kind() {
                "type_annotation" | "parenthesized_type" => current = current.named_child(0)?,
                "type_identifier" | "nested_type_identifier" => return path(current, source),
                // `string`: its methods are `String`'s (outside); `any`
                // may be anything.
                "predefined_type" => {
                    let wrapper = match &source[current.byte_range()] {
                        b"string" => "String",
                        b"number" => "Number",
                        b"boolean" => "Boolean",
                        b"bigint" => "BigInt",
                        b"symbol" => "Symbol",
                        _ => return None,
                    };
                    return Some(wrapper.to_string());
                }
                "union_type" => {
                    let mut cursor = current.walk();
                    current = current
                        .named_children(&mut cursor)
                        .find(|c| !matches!(c.kind(), "literal_type" | "predefined_type"))?;
                }
                "generic_type" => {
                    let name = current.child_by_field_name("name")?;
                    let text = node_text(name, source);
                    if matches!(
                        text.as_str(),
                        "Promise"
                            | "PromiseLike"
                            | "Readonly"
                            | "Partial"
                            | "Required"
                            | "NonNullable"
                    ) {
                        current = current
                            .child_by_field_name("type_arguments")?
                            .named_child(0)?;
                    } else {
                        return path(name, source);
                    }
                }
                _ => return None,
            }
        }
        None
    }

    /// A chain read as a value: not the object of a longer chain, not a
    /// callee or constructor (captured as those), not a target, a
    /// declaration's name, a parameter, an import or export name.
    fn is_read(node: Node, parent: Node) -> bool {
        let field = |name: &str| parent.child_by_field_name(name) == Some(node);
        match parent.kind() {
            "member_expression" => false,
            "call_expression" => !field("function"),
            "new_expression" => !field("constructor"),
            "assignment_expression" | "augmented_assignment_expression" => field("right"),
            "variable_declarator" => field("value"),
            "decorator"
            | "extends_clause"
            | "class_heritage"
            | "import_specifier"
            | "export_specifier"
            | "namespace_import"
            | "namespace_export"
            | "import_clause"
            | "function_declaration"
            | "generator_function_declaration"
            | "class_declaration"
            | "function_expression"
            | "formal_parameters"
            | "rest_pattern"
            | "labeled_statement"
            | "break_statement"
            | "continue_statement"
            | "catch_clause"
            | "jsx_opening_element"
            | "jsx_closing_element"
            | "jsx_self_closing_element"
            | "type_query"
            | "nested_identifier"
            | "internal_module"
            | "enum_declaration"
            | "method_definition"
            | "pair_pattern"
            | "object_pattern"
            | "array_pattern"
            | "function_signature"
            | "method_signature"
            | "abstract_method_signature"
            | "type_alias_declaration"
            | "interface_declaration"
            | "abstract_class_declaration"
            | "property_signature" => false,
            // A field's value is read (`augment = this.extend`), its name
            // is not.
            "public_field_definition" | "field_definition" => field("value"),
            // A default value is read; the parameter's own name is not.
            "required_parameter" | "optional_parameter" => field("value"),
            "arrow_function" => field("body"),
            "assignment_pattern" => field("right"),
            "for_in_statement" => field("right"),
            _ => true,
        }
    }
}

pub(crate) mod php {
    //! PHP's paths, types and reads. Names are kept as written; the
    //! resolver qualifies them against the namespace and the `use` table.

    use super::{MAX_SEGMENTS, SymbolSyntax, TypeNames, join_path};
    use crate::facts::{Arg, Expr, UseKind};
    use crate::lang::node_text;
    use tree_sitter::Node;

    pub(crate) const SYNTAX: SymbolSyntax = SymbolSyntax {
        path,
        type_names,
        principal,
        is_read,
        receivers: &["$this"],
        two_namespaces: false,
        token_uses: None,
        private,
        callbacks: None,
        expr: Some(expr),
    };

    /// How deep an expression is read; deeper parts are kept as text.
    const MAX_EXPR_DEPTH: u8 = 12;

    fn expr(node: Node, source: &[u8]) -> Expr {
        read_expr(node, source, 0)
    }

    /// What models and routes read of PHP: strings, names (`X::class` is
    /// the class's name), calls with named arguments, attributes (a call
    /// of the attribute's name), arrays (a map when keyed).
    fn read_expr(node: Node, source: &[u8], depth: u8) -> Expr {
        if depth > MAX_EXPR_DEPTH {
            return super::unread_expr(node, source);
        }
        let next = |n: Node| read_expr(n, source, depth + 1);
        let mut cursor = node.walk();
        match node.kind() {
            "string" | "encapsed_string" => {
                string(node, source).map_or_else(|| super::unread_expr(node, source), Expr::Str)
            }
            "name" | "qualified_name" | "relative_name" | "variable_name" => {
                Expr::Path(node_text(node, source))
            }
            "class_constant_access_expression" => {
                match (node.named_child(0), node.named_child(1)) {
                    (Some(class), Some(constant)) if node_text(constant, source) == "class" => {
                        Expr::Path(node_text(class, source))
                    }
                    _ => Expr::Path(node_text(node, source)),
                }
            }
            "member_call_expression"
            | "nullsafe_member_call_expression"
            | "scoped_call_expression" => {
                let receiver = node
                    .child_by_field_name("object")
                    .or_else(|| node.child_by_field_name("scope"));
                let (Some(receiver), Some(name)) = (receiver, node.child_by_field_name("name"))
                else {
                    return super::unread_expr(node, source);
                };
                // The line of the method's name: a chain written over
                // several lines (`Route::prefix('x')\n->middleware('auth')`)
                // has each call on its own line.
                Expr::Call {
                    receiver: Some(Box::new(next(receiver))),
                    name: node_text(name, source),
                    args: arguments(node.child_by_field_name("arguments"), source, depth),
                    line: crate::lang::line_of(name),
                }
            }
            "function_call_expression" => match node.child_by_field_name("function") {
                Some(function) if matches!(function.kind(), "name" | "qualified_name") => {
                    Expr::Call {
                        receiver: None,
                        name: node_text(function, source),
                        args: arguments(node.child_by_field_name("arguments"), source, depth),
                        line: crate::lang::line_of(node),
                    }
                }
                _ => super::unread_expr(node, source),
            },
            "attribute" => {
                let Some(name) = node
                    .named_children(&mut cursor)
                    .find(|c| matches!(c.kind(), "name" | "qualified_name" | "relative_name"))
                else {
                    return super::unread_expr(node, source);
                };
                Expr::Call {
                    receiver: None,
                    name: node_text(name, source),
                    args: arguments(node.child_by_field_name("parameters"), source, depth),
                    line: crate::lang::line_of(node),
                }
            }
            "array_creation_expression" => {
                let elements: Vec<Node> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "array_element_initializer")
                    .collect();
                let keyed = |e: &Node| {
                    let mut c = e.walk();
                    e.children(&mut c).any(|t| t.kind() == "=>")
                };
                if !elements.is_empty() && elements.iter().all(keyed) {
                    let mut pairs = Vec::new();
                    for e in &elements {
                        match (e.named_child(0), e.named_child(1)) {
                            (Some(k), Some(v)) => pairs.push((next(k), next(v))),
                            _ => return super::unread_expr(node, source),
                        }
                    }
                    Expr::Map(pairs)
                } else if elements.iter().any(keyed) {
                    super::unread_expr(node, source)
                } else {
                    Expr::List(
                        elements
                            .iter()
                            .filter_map(|e| e.named_child(0))
                            .map(next)
                            .collect(),
                    )
                }
            }
            "binary_expression"
                if node
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.kind() == ".") =>
            {
                let mut parts = Vec::new();
                for side in ["left", "right"] {
                    match node.child_by_field_name(side).map(next) {
                        Some(Expr::Concat(inner)) => parts.extend(inner),
                        Some(e) => parts.push(e),
                        None => return super::unread_expr(node, source),
                    }
                }
                Expr::Concat(parts)
            }
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => next(inner),
                None => super::unread_expr(node, source),
            },
            "anonymous_function" | "arrow_function" => {
                Expr::Function(crate::lang::line_of(node), super::end_line(node))
            }
            _ => super::unread_expr(node, source),
        }
    }

    /// A call's or an attribute's arguments, PHP 8's named ones with
    /// their names.
    fn arguments(list: Option<Node>, source: &[u8], depth: u8) -> Vec<Arg> {
        let Some(list) = list else {
            return Vec::new();
        };
        let mut cursor = list.walk();
        let mut args = Vec::new();
        for a in list.named_children(&mut cursor) {
            if a.kind() != "argument" {
                continue;
            }
            let name = a.child_by_field_name("name");
            let mut c = a.walk();
            let Some(value) = a
                .named_children(&mut c)
                .find(|v| Some(*v) != name && v.kind() != "reference_modifier")
            else {
                continue;
            };
            let spread = value.kind() == "variadic_unpacking";
            args.push(Arg {
                name: if spread {
                    Some("*".to_string())
                } else {
                    name.map(|n| node_text(n, source))
                },
                value: read_expr(
                    if spread {
                        value.named_child(0).unwrap_or(value)
                    } else {
                        value
                    },
                    source,
                    depth + 1,
                ),
            });
        }
        args
    }

    /// A string literal's text between its quotes; `None` when a value
    /// is interpolated into it.
    fn string(node: Node, source: &[u8]) -> Option<String> {
        let mut cursor = node.walk();
        let mut text = String::new();
        for part in node.named_children(&mut cursor) {
            match part.kind() {
                "string_content" | "escape_sequence" => text.push_str(&node_text(part, source)),
                _ => return None,
            }
        }
        Some(unescape(&text, node.kind() == "encapsed_string"))
    }

    /// A PHP string's escapes read: in single quotes only `\\` and `\'`
    /// (`'App\\Http\\Controllers'` names `App\Http\Controllers`); in
    /// double quotes also `\"`, `\$`, `\n`, `\t`, `\r`. Others stay as
    /// written.
    fn unescape(text: &str, double: bool) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match (chars.peek().copied(), double) {
                (Some('\\'), _) => out.push('\\'),
                (Some('\''), false) => out.push('\''),
                (Some('"'), true) => out.push('"'),
                (Some('$'), true) => out.push('$'),
                (Some('n'), true) => out.push('\n'),
                (Some('t'), true) => out.push('\t'),
                (Some('r'), true) => out.push('\r'),
                _ => {
                    out.push(c);
                    continue;
                }
            }
            chars.next();
        }
        out
    }

    /// A `private` member, or a definition documented `@internal` (what
    /// Symfony and PHPUnit mark as not theirs to call).
    fn private(_name: Node, span: Node, source: &[u8]) -> bool {
        (0..span.named_child_count()).any(|i| {
            span.named_child(i as u32).is_some_and(|c| {
                c.kind() == "visibility_modifier"
                    && source[c.byte_range()].eq_ignore_ascii_case(b"private")
            })
        }) || super::marked_internal(span, source, &["@internal"])
    }

    fn text(node: Node, source: &[u8]) -> String {
        node_text(node, source)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    /// `$a.b().c` from variables, names, `->` and `::` accesses and calls,
    /// `new`, and parentheses; a member is named without its `$`.
    fn path(node: Node, source: &[u8]) -> Option<String> {
        let mut segments: Vec<(String, bool)> = Vec::new();
        let mut current = node;
        loop {
            if segments.len() > MAX_SEGMENTS {
                return None;
            }
            let member = |n: Node, field: &str| -> Option<String> {
                let name = n.child_by_field_name(field)?;
                matches!(name.kind(), "name" | "variable_name")
                    .then(|| text(name, source).trim_start_matches('$').to_string())
            };
            match current.kind() {
                "variable_name" | "name" | "qualified_name" | "relative_scope" => {
                    segments.push((text(current, source), false));
                    return join_path(segments);
                }
                "member_access_expression" | "nullsafe_member_access_expression" => {
                    segments.push((member(current, "name")?, false));
                    current = current.child_by_field_name("object")?;
                }
                "member_call_expression" | "nullsafe_member_call_expression" => {
                    segments.push((member(current, "name")?, true));
                    current = current.child_by_field_name("object")?;
                }
                "scoped_call_expression" => {
                    segments.push((member(current, "name")?, true));
                    current = current.child_by_field_name("scope")?;
                }
                "scoped_property_access_expression" => {
                    segments.push((member(current, "name")?, false));
                    current = current.child_by_field_name("scope")?;
                }
                "class_constant_access_expression" => {
                    let name = current.named_child(1)?;
                    if name.kind() != "name" {
                        return None;
                    }
                    // `X::class` names the class itself, never a member.
                    let name = text(name, source);
                    if !name.eq_ignore_ascii_case("class") {
                        segments.push((name, false));
                    }
                    current = current.named_child(0)?;
                }
                "object_creation_expression" => {
                    let mut cursor = current.walk();
                    let class = current.named_children(&mut cursor).find(|c| {
                        matches!(c.kind(), "name" | "qualified_name" | "relative_scope")
                    })?;
                    segments.push((text(class, source), true));
                    return join_path(segments);
                }
                "function_call_expression" => {
                    let function = current.child_by_field_name("function")?;
                    if !matches!(function.kind(), "name" | "qualified_name") {
                        return None;
                    }
                    segments.push((text(function, source), true));
                    return join_path(segments);
                }
                "parenthesized_expression" => current = current.named_child(0)?,
                _ => return None,
            }
        }
    }

    /// The class names of a type (`?User`, `A|B`, `A&B`).
    fn type_names(node: Node, source: &[u8], out: &mut TypeNames) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "name" | "qualified_name" => out.push((text(n, source), UseKind::Type)),
                "primitive_type" => {}
                _ => {
                    let mut cursor = n.walk();
                    stack.extend(n.named_children(&mut cursor));
                }
            }
        }
    }

    /// The class a declared type names: `User`, `?User`, `User|null`.
    fn principal(node: Node, source: &[u8]) -> Option<String> {
        let mut current = node;
        for _ in 0..MAX_SEGMENTS {
            match current.kind() {
                "named_type" | "optional_type" | "type_list" => current = current.named_child(0)?,
                "name" | "qualified_name" => {
                    let name = text(current, source);
                    let lower = name.to_ascii_lowercase();
                    return match lower.as_str() {
                        "mixed" | "null" => None,
                        "self" | "static" => Some(lower),
                        _ => Some(name),
                    };
                }
                "union_type" | "intersection_type" => {
                    let mut cursor = current.walk();
                    current = current.named_children(&mut cursor).find(|c| {
                        c.kind() != "primitive_type"
                            && !text(*c, source).eq_ignore_ascii_case("null")
                    })?;
                }
                _ => return None,
            }
        }
        None
    }

    /// A chain read as a value: not the object of a longer chain, not a
    /// target.
    fn is_read(node: Node, parent: Node) -> bool {
        let field = |name: &str| parent.child_by_field_name(name) == Some(node);
        match parent.kind() {
            "member_access_expression"
            | "nullsafe_member_access_expression"
            | "member_call_expression"
            | "nullsafe_member_call_expression" => !field("object"),
            "scoped_call_expression" | "scoped_property_access_expression" => !field("scope"),
            "class_constant_access_expression" => false,
            "assignment_expression" | "augmented_assignment_expression" => !field("left"),
            _ => true,
        }
    }
}

pub(crate) mod rust {
    //! Rust's paths, types and reads: `a::b` and `x.y` are both segments
    //! of a written path.

    use super::{MAX_SEGMENTS, SymbolSyntax, TypeNames, join_path};
    use crate::facts::{SymbolFacts, UseKind};
    use crate::lang::node_text;
    use tree_sitter::Node;

    pub(crate) const SYNTAX: SymbolSyntax = SymbolSyntax {
        path,
        type_names,
        principal,
        is_read,
        receivers: &["self"],
        two_namespaces: false,
        token_uses: Some(token_uses),
        private,
        callbacks: None,
        expr: Some(expr),
    };

    /// A macro a model is read from (`diesel::table! { ... }`): a call of
    /// the macro's path with its tokens as the one argument.
    fn expr(node: Node, source: &[u8]) -> crate::facts::Expr {
        use crate::facts::{Arg, Expr};
        let (Some(name), Some(tree)) = (
            node.child_by_field_name("macro"),
            node.named_children(&mut node.walk())
                .find(|c| c.kind() == "token_tree"),
        ) else {
            return super::unread_expr(node, source);
        };
        let mut tokens = Vec::new();
        macro_tokens(tree, source, &mut tokens);
        Expr::Call {
            receiver: None,
            name: node_text(name, source),
            args: vec![Arg {
                name: None,
                value: Expr::Tokens(tokens),
            }],
            line: crate::lang::line_of(node),
        }
    }

    /// A token tree's tokens in order, its brackets included, comments
    /// left out; a literal is one token.
    fn macro_tokens(tree: Node, source: &[u8], out: &mut Vec<(u32, String)>) {
        let mut cursor = tree.walk();
        for child in tree.children(&mut cursor) {
            let line = crate::lang::line_of(child);
            match child.kind() {
                "line_comment" | "block_comment" => {}
                "string_literal" | "raw_string_literal" | "char_literal" => {
                    out.push((line, node_text(child, source)));
                }
                _ if child.child_count() == 0 => out.push((line, node_text(child, source))),
                _ => macro_tokens(child, source, out),
            }
        }
    }

    /// An item without plain `pub` (`pub(crate)`, `pub(super)` and none at
    /// all), a `#[doc(hidden)]` one, a `macro_rules!` without
    /// `#[macro_export]`. A trait's items and a trait impl's methods are as
    /// public as the trait; a variant as its enum.
    fn private(_name: Node, span: Node, source: &[u8]) -> bool {
        let mut attributes = Vec::new();
        let mut before = span.prev_sibling();
        while let Some(b) = before {
            match b.kind() {
                "attribute_item" => {
                    attributes.push(node_text(b, source).split_whitespace().collect::<String>())
                }
                "line_comment" | "block_comment" => {}
                _ => break,
            }
            before = b.prev_sibling();
        }
        if attributes.iter().any(|a| a == "#[doc(hidden)]") {
            return true;
        }
        match span.kind() {
            "macro_definition" => !attributes.iter().any(|a| a.starts_with("#[macro_export")),
            "enum_variant" | "impl_item" => false,
            _ => {
                let container = span.parent().and_then(|list| list.parent());
                let in_trait = container.is_some_and(|c| {
                    c.kind() == "trait_item"
                        || (c.kind() == "impl_item" && c.child_by_field_name("trait").is_some())
                });
                if in_trait {
                    return false;
                }
                let visibility = (0..span.named_child_count())
                    .filter_map(|i| span.named_child(i as u32))
                    .find(|c| c.kind() == "visibility_modifier");
                visibility.is_none_or(|v| &source[v.byte_range()] != b"pub")
            }
        }
    }

    /// The paths a macro's token tree (`assert_eq!(a.total(), 1)`,
    /// `format!("{}", x.y)`) spells: `a.b::c` chains of names, calls when
    /// a parenthesised group follows, reads otherwise. A name followed by
    /// `!` is a macro, and a chain broken by anything else ends there.
    fn token_uses(node: Node, source: &[u8], out: &mut Vec<super::TokenUse>) {
        let mut trees = vec![node];
        let mut count = 0usize;
        while let Some(tree) = trees.pop() {
            let mut chain = Chain::default();
            let mut cursor = tree.walk();
            for child in tree.children(&mut cursor) {
                count += 1;
                if count > 1 << 16 {
                    return;
                }
                match child.kind() {
                    // `(a + b).c`, `x[0].y`, `"s".len()`: a member of
                    // something that is no chain of names.
                    "identifier" if chain.orphan => chain.orphan = false,
                    "identifier" | "self" | "crate" | "super" => {
                        let text = node_text(child, source);
                        if chain.segments.is_empty() || !chain.joined {
                            chain.flush(out);
                            chain.line = child.start_position().row as u32 + 1;
                        }
                        chain.segments.push((text, false));
                        chain.joined = false;
                    }
                    "." | "::" if !chain.segments.is_empty() && !chain.joined => {
                        chain.joined = true;
                    }
                    "." => {
                        chain.flush(out);
                        chain.orphan = true;
                    }
                    // `a.b()?.c()`: the chain goes on through `?`.
                    "?" if !chain.segments.is_empty() && !chain.joined => {}
                    "token_tree" => {
                        trees.push(child);
                        let parenthesised = child.child(0).is_some_and(|c| c.kind() == "(");
                        if parenthesised && !chain.segments.is_empty() && !chain.joined {
                            out.push((chain.text(), UseKind::Call, chain.line));
                            if let Some(last) = chain.segments.last_mut() {
                                last.1 = true;
                            }
                        } else {
                            chain.flush(out);
                        }
                    }
                    "!" => chain = Chain::default(),
                    _ => chain.flush(out),
                }
            }
            chain.flush(out);
        }
    }

    /// The token trees of item-level macro calls (in a file, a `mod`, an
    /// `impl` or a trait): `cfg_rt! { ... }` holds items.
    pub(crate) fn item_macro_bodies(root: Node) -> Vec<Node> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "macro_invocation" => {
                        let body =
                            child.named_child(child.named_child_count().saturating_sub(1) as u32);
                        if let Some(body) = body.filter(|b| b.kind() == "token_tree") {
                            out.push(body);
                        }
                    }
                    "mod_item" | "impl_item" | "trait_item" => {
                        if let Some(body) = child.child_by_field_name("body") {
                            stack.push(body);
                        }
                    }
                    _ => {}
                }
            }
        }
        out.sort_by_key(|n| n.start_byte());
        out
    }

    /// Whether a macro call's arguments are items (expanded and read as
    /// such, not as tokens).
    pub(crate) fn is_item_macro(call: Node) -> bool {
        call.parent()
            .is_some_and(|p| matches!(p.kind(), "source_file" | "declaration_list"))
    }

    /// The symbols read from a macro call's items, joined to the file's:
    /// their definitions under the definition holding the call.
    pub(crate) fn merge_expansion(outer: &mut SymbolFacts, inner: SymbolFacts, body: Node) {
        let first = body.start_position().row as u32 + 1;
        let last = body.end_position().row as u32 + 1;
        let holder = outer
            .defs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.start_line <= first && d.end_line >= last)
            .max_by_key(|(i, d)| (d.start_line, *i))
            .map(|(i, _)| i as u32);
        let shift = outer.defs.len() as u32;
        let place = |scope: Option<u32>| scope.map(|s| s + shift).or(holder);
        for mut def in inner.defs {
            def.parent = place(def.parent);
            outer.defs.push(def);
        }
        for mut u in inner.uses {
            u.scope = place(u.scope);
            outer.uses.push(u);
        }
        for mut b in inner.bindings {
            b.scope = place(b.scope);
            outer.bindings.push(b);
        }
    }

    /// The names a pattern binds: its identifiers, but not a variant's or
    /// a struct's name (`Some`, `Point`), a path, a type, or a capitalised
    /// name (a unit variant or a constant by Rust's conventions); and not
    /// the `x` of `Some(x)` / `Ok(x)`, which the query binds to the
    /// matched value.
    pub(crate) fn pattern_names<'t>(pattern: Node<'t>, source: &[u8]) -> Vec<Node<'t>> {
        let mut out = Vec::new();
        let mut stack = vec![pattern];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "identifier" | "shorthand_field_identifier" => {
                    let lower = source
                        .get(node.start_byte())
                        .is_some_and(|c| c.is_ascii_lowercase() || *c == b'_');
                    if lower {
                        out.push(node);
                    }
                }
                "scoped_identifier" | "type_identifier" | "generic_type" | "field_identifier" => {}
                _ => {
                    let wrapper = node
                        .child_by_field_name("type")
                        .map(|w| &source[w.byte_range()]);
                    let named = node.named_child_count();
                    // `Some(x)`, `Ok(x)`: bound to the matched value.
                    if node.kind() == "tuple_struct_pattern"
                        && matches!(wrapper, Some(b"Some" | b"Ok"))
                        && named == 2
                        && node
                            .named_child(1)
                            .is_some_and(|a| a.kind() == "identifier")
                    {
                        continue;
                    }
                    for i in 0..named {
                        if matches!(
                            node.field_name_for_named_child(i as u32),
                            Some("type" | "name")
                        ) {
                            continue;
                        }
                        stack.extend(node.named_child(i as u32));
                    }
                }
            }
        }
        out.sort_by_key(|n| n.start_byte());
        out
    }

    /// A chain of names being read from a token tree.
    #[derive(Default)]
    struct Chain {
        segments: Vec<(String, bool)>,
        /// The last token was `.` or `::`: a name continues the chain.
        joined: bool,
        /// The last token was a `.` after no chain: the name after it is
        /// a member of an unknown value.
        orphan: bool,
        line: u32,
    }

    impl Chain {
        fn text(&self) -> String {
            let mut out = String::new();
            for (i, (name, called)) in self.segments.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(name);
                if *called {
                    out.push_str("()");
                }
            }
            out
        }

        /// Ends the chain: a read of it, unless it ended in a call (then
        /// the call was its use).
        fn flush(&mut self, out: &mut Vec<super::TokenUse>) {
            if self.segments.len() <= super::MAX_SEGMENTS
                && self.segments.last().is_some_and(|(_, called)| !called)
            {
                out.push((self.text(), UseKind::Reference, self.line));
            }
            *self = Chain::default();
        }
    }

    /// `a.b().c` from identifiers, `self`/`Self`/`crate`/`super`, paths,
    /// fields, calls, struct literals, and the wrappers that keep a value
    /// (`?`, `.await`, `&`, `*`, parentheses, turbofish).
    fn path(node: Node, source: &[u8]) -> Option<String> {
        let mut segments: Vec<(String, bool)> = Vec::new();
        let mut current = node;
        let mut called = false;
        loop {
            if segments.len() > MAX_SEGMENTS {
                return None;
            }
            match current.kind() {
                "identifier" | "self" | "super" | "crate" | "type_identifier"
                | "field_identifier" => {
                    segments.push((node_text(current, source), called));
                    return join_path(segments);
                }
                "scoped_identifier" | "scoped_type_identifier" => {
                    let name = current.child_by_field_name("name")?;
                    segments.push((node_text(name, source), called));
                    called = false;
                    current = current.child_by_field_name("path")?;
                }
                "field_expression" => {
                    let field = current.child_by_field_name("field")?;
                    if field.kind() != "field_identifier" {
                        return None;
                    }
                    segments.push((node_text(field, source), called));
                    called = false;
                    current = current.child_by_field_name("value")?;
                }
                "call_expression" => {
                    if called {
                        return None;
                    }
                    called = true;
                    current = current.child_by_field_name("function")?;
                }
                "struct_expression" => {
                    if called {
                        return None;
                    }
                    called = true;
                    current = current.child_by_field_name("name")?;
                }
                "generic_function" => current = current.child_by_field_name("function")?,
                "generic_type" | "generic_type_with_turbofish" => {
                    current = current.child_by_field_name("type")?
                }
                "try_expression"
                | "await_expression"
                | "parenthesized_expression"
                | "reference_expression"
                | "unary_expression" => {
                    current = current.named_child(0)?;
                }
                _ => return None,
            }
        }
    }

    /// The names of a type: its paths, without generics' own parameters.
    fn type_names(node: Node, source: &[u8], out: &mut TypeNames) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "type_identifier" | "scoped_type_identifier" => {
                    if let Some(p) = path(n, source) {
                        out.push((p, UseKind::Type));
                    }
                }
                "primitive_type" | "lifetime" => {}
                _ => {
                    let mut cursor = n.walk();
                    stack.extend(n.named_children(&mut cursor));
                }
            }
        }
    }

    /// The type a declared type names: `&User`, `Option<User>`,
    /// `Result<User, E>`, `Box<User>`, `Arc<User>` all give `User`.
    fn principal(node: Node, source: &[u8]) -> Option<String> {
        let mut current = node;
        for _ in 0..MAX_SEGMENTS {
            match current.kind() {
                "reference_type" | "pointer_type" => {
                    current = current.child_by_field_name("type")?
                }
                // `dyn Repository`, `impl Repository`: the trait.
                "dynamic_type" | "abstract_type" => {
                    current = current.child_by_field_name("trait")?
                }
                "type_identifier" | "scoped_type_identifier" => return path(current, source),
                // `u64`, `str`: outside the repository.
                "primitive_type" => return Some(node_text(current, source)),
                "generic_type" => {
                    let base = current.child_by_field_name("type")?;
                    let name = node_text(base, source);
                    let last = name.rsplit("::").next().unwrap_or(&name);
                    if matches!(
                        last,
                        "Option" | "Result" | "Box" | "Rc" | "Arc" | "RefCell" | "Mutex" | "RwLock"
                    ) {
                        current = current
                            .child_by_field_name("type_arguments")?
                            .named_child(0)?;
                    } else {
                        return path(base, source);
                    }
                }
                _ => return None,
            }
        }
        None
    }

    /// A path read as a value: not a segment of a longer one, not a
    /// callee, not a pattern or a definition's name.
    fn is_read(node: Node, parent: Node) -> bool {
        let field = |name: &str| parent.child_by_field_name(name) == Some(node);
        match parent.kind() {
            "field_expression" => !field("value"),
            "call_expression" => !field("function"),
            "let_declaration" => field("value"),
            "assignment_expression" => !field("left"),
            "for_expression" => field("value"),
            "field_initializer" => field("value"),
            "scoped_identifier"
            | "scoped_type_identifier"
            | "scoped_use_list"
            | "use_list"
            | "use_as_clause"
            | "use_declaration"
            | "use_wildcard"
            | "generic_function"
            | "macro_invocation"
            | "struct_expression"
            | "function_item"
            | "function_signature_item"
            | "parameter"
            | "closure_parameters"
            | "struct_item"
            | "enum_item"
            | "enum_variant"
            | "trait_item"
            | "mod_item"
            | "const_item"
            | "static_item"
            | "type_item"
            | "macro_definition"
            | "field_declaration"
            | "shorthand_field_initializer"
            | "tuple_pattern"
            | "struct_pattern"
            | "tuple_struct_pattern"
            | "mut_pattern"
            | "ref_pattern"
            | "captured_pattern"
            | "or_pattern"
            | "field_pattern"
            | "match_pattern"
            | "label"
            | "lifetime"
            | "attribute"
            | "token_tree"
            | "extern_crate_declaration"
            | "macro_rule" => false,
            _ => true,
        }
    }
}
