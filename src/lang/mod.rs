//! The language table: one entry per grammar, with its extensions, its
//! compiled-in queries and the function that reads import matches.
//!
//! Adding a language means one `LanguageSpec` entry in [`SPECS`], its
//! `queries/<lang>/*.scm` files, an import reader and a resolver in its own
//! file. Everything shared (parsers per thread, definitions, scopes, syntax
//! errors) lives here.

mod js_scan;
pub mod php;
pub mod python;
mod python_scan;
pub mod rust;
pub mod stdlib;
pub(crate) mod symbols;
pub mod tokens;
pub mod typescript;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;
use tree_sitter::{
    Node, Parser, Query, QueryCursor, QueryCursorOptions, QueryMatch, StreamingIterator, Tree,
};

use crate::facts::{Definition, FileFacts, ImportKind, RawImport};

/// A grammar vantage parses with. TSX is its own grammar, but reports as
/// TypeScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Python,
    TypeScript,
    Tsx,
    JavaScript,
    Php,
    Rust,
}

/// The languages as users name them in output and summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageFamily {
    Python,
    TypeScript,
    JavaScript,
    Php,
    Rust,
}

impl LanguageFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            LanguageFamily::Python => "python",
            LanguageFamily::TypeScript => "typescript",
            LanguageFamily::JavaScript => "javascript",
            LanguageFamily::Php => "php",
            LanguageFamily::Rust => "rust",
        }
    }
}

/// Reads the matches of a language's `imports.scm` into raw imports, within
/// the given byte ranges of the file.
type ImportReader = fn(&Query, Node, &[u8], &Scan, &mut FileFacts);

/// Finds the byte ranges of the statements that may hold an import; `None`
/// when the file cannot be scanned (then it is parsed whole).
type StatementScan = fn(&[u8]) -> Option<Vec<Range<usize>>>;

/// Rewrites definitions once read, with the tree at hand.
type Qualify = fn(Node, &[u8], &mut [Definition]);

/// One row of the language table.
pub struct LanguageSpec {
    pub language: Language,
    pub family: LanguageFamily,
    /// File name endings, without the dot, matched case-sensitively.
    pub extensions: &'static [&'static str],
    grammar: fn() -> tree_sitter::Language,
    /// `queries/<lang>/imports.scm`: import sites and the scopes that change
    /// their kind (function bodies, type-only blocks).
    pub imports_query: &'static str,
    /// `queries/<lang>/definitions.scm`: top-level definitions.
    pub definitions_query: &'static str,
    /// Words that every import form contains. A top-level statement without
    /// any of them holds no import, so the imports query skips it: this
    /// keeps the query from walking most of the tree (see
    /// [`import_ranges`]).
    pub import_keywords: &'static [Keyword],
    read_imports: ImportReader,
    /// A lexical scan finding the statements that may hold an import, for
    /// imports-only runs (see [`Extraction::ImportsOnly`]); `None` parses
    /// the whole file.
    import_statements: Option<StatementScan>,
    /// The resolver needs the definitions (PHP's class index, Rust's
    /// re-exports), so they are read even by imports-only runs.
    resolves_with_definitions: bool,
    /// Rewrites definition names once read (PHP: qualified with their
    /// namespace).
    qualify_definitions: Option<Qualify>,
    /// Node kinds at which the imports query's patterns are rooted, when
    /// imports are everywhere (PHP names, Rust paths): then the tree is
    /// walked, entering only nodes that meet a keyword's extent, and the
    /// query runs at each node of these kinds (see [`Scan::Pruned`]).
    /// `tests/queries.rs` checks the list against the query.
    pub pattern_roots: &'static [&'static str],
    /// `queries/<lang>/symbols.scm` and the syntax its reader needs:
    /// definitions at every depth, uses and bindings (the symbol graph).
    /// `None`: the language has no symbol layer yet.
    pub symbols: Option<Symbols>,
    /// Definition kinds that are types for Martin's abstractness, as the
    /// language's reference tool counts them (PHP_Depend: classes and
    /// interfaces, not traits, which are mixins of code; Rust: traits are
    /// the interfaces).
    pub type_kinds: &'static [&'static str],
}

/// A language's symbol layer: its query and what its reader needs.
pub struct Symbols {
    pub query: &'static str,
    pub(crate) syntax: &'static symbols::SymbolSyntax,
}

/// Every JS/TS import form has one of: `from '...'` (static imports and
/// re-exports), `import '...'` / `import(...)` (side-effect and dynamic
/// imports), `require(...)`.
/// TypeScript's types: classes, abstract classes, interfaces, enums.
const TS_TYPE_KINDS: &[&str] = &["class", "abstract_class", "interface", "enum"];

const JS_IMPORT_KEYWORDS: &[Keyword] = &[
    Keyword::followed_by("from", b"'\"`"),
    Keyword::followed_by("import", b"'\"`("),
    Keyword::followed_by("require", b"("),
    // `/// <reference path="..." />`, which lives in a comment.
    Keyword {
        word: "<reference",
        then: b"p",
        in_comment: true,
        extent: Extent::Statement,
        after_lowercase: false,
    },
];

/// How much text around a keyword the imports query must see.
#[derive(Clone, Copy, Debug)]
pub enum Extent {
    /// The top-level statement holding it: Python and JS/TS, whose scope
    /// patterns need whole functions and blocks (see [`import_ranges`]).
    Statement,
    /// Its line (see [`keyword_ranges`]).
    Line,
    /// From the start of its line to the first of these bytes after it: a
    /// signature up to its `{`, a `use` up to its `;`.
    Until(&'static [u8]),
}

/// PHP: every form the imports query matches holds one of these words, or
/// sits in a signature, property or header they start.
const PHP_IMPORT_KEYWORDS: &[Keyword] = &[
    Keyword::line("new"),
    Keyword::line("::"),
    Keyword::line("\\"),
    Keyword::line("extends"),
    Keyword::line("implements"),
    Keyword::line("instanceof"),
    Keyword::line("namespace"),
    Keyword::line("#["),
    // `catch (\n  A\n  | B $e) {`: the types may follow on other lines.
    Keyword::until("catch", b"{"),
    Keyword::line("require"),
    Keyword::line("require_once"),
    Keyword::line("include"),
    Keyword::line("include_once"),
    Keyword::until("use", b";"),
    Keyword::until("function", b"{;"),
    Keyword::until("fn", b";"),
    Keyword::until("class", b"{"),
    Keyword::until("interface", b"{"),
    Keyword::until("trait", b"{"),
    Keyword::until("enum", b"{"),
    Keyword::until("public", b"{;"),
    Keyword::until("protected", b"{;"),
    Keyword::until("private", b"{;"),
    Keyword::until("var", b";"),
    Keyword::until("readonly", b"{;"),
];

/// Node kinds at which the PHP imports query's patterns are rooted.
const PHP_PATTERN_ROOTS: &[&str] = &[
    "namespace_definition",
    "namespace_use_declaration",
    "object_creation_expression",
    "scoped_call_expression",
    "class_constant_access_expression",
    "scoped_property_access_expression",
    "function_call_expression",
    "base_clause",
    "class_interface_clause",
    "declaration_list",
    "named_type",
    "binary_expression",
    "attribute",
    "include_expression",
    "include_once_expression",
    "require_expression",
    "require_once_expression",
];

/// Rust: the paths vantage resolves hold `::` after a module-like name; the
/// rest are declarations.
const RUST_IMPORT_KEYWORDS: &[Keyword] = &[
    Keyword::path_separator(),
    // `cfg_rt! { ... }`: macro arguments may declare modules and items.
    Keyword {
        word: "!",
        then: b"{",
        in_comment: true,
        extent: Extent::Line,
        after_lowercase: false,
    },
    Keyword::until("use", b";"),
    Keyword::line("extern"),
    Keyword::line("mod"),
    Keyword::line("path"),
    Keyword::line("macro_rules"),
];

/// Node kinds at which the Rust imports query's patterns are rooted.
const RUST_PATTERN_ROOTS: &[&str] = &[
    "use_declaration",
    "extern_crate_declaration",
    "scoped_identifier",
    "scoped_type_identifier",
    "token_tree",
    "attribute_item",
    "mod_item",
];

/// A word that marks where imports may be: see [`import_ranges`] and
/// [`keyword_ranges`].
pub struct Keyword {
    pub word: &'static str,
    /// When not empty, the word counts only when the next byte after
    /// optional whitespace is one of these.
    pub then: &'static [u8],
    /// Whether the word counts inside a comment (else comments and string
    /// literals are passed over: doc comments quote imports in examples).
    pub in_comment: bool,
    pub extent: Extent,
    /// The word counts only right after a name starting with a lowercase
    /// letter or `_`: a Rust `::` after a module or crate (`io::`,
    /// `crate::`), not after a type (`Vec::new`), whose paths vantage does
    /// not resolve, nor after `std`, `core` or `alloc`.
    pub after_lowercase: bool,
}

impl Keyword {
    const fn word(word: &'static str) -> Keyword {
        Keyword {
            word,
            then: b"",
            in_comment: false,
            extent: Extent::Statement,
            after_lowercase: false,
        }
    }

    const fn followed_by(word: &'static str, then: &'static [u8]) -> Keyword {
        Keyword {
            word,
            then,
            in_comment: false,
            extent: Extent::Statement,
            after_lowercase: false,
        }
    }

    const fn line(word: &'static str) -> Keyword {
        Keyword {
            word,
            then: b"",
            in_comment: true,
            extent: Extent::Line,
            after_lowercase: false,
        }
    }

    /// A Rust path separator after a module-like name.
    const fn path_separator() -> Keyword {
        Keyword {
            word: "::",
            then: b"",
            in_comment: true,
            extent: Extent::Line,
            after_lowercase: true,
        }
    }

    const fn until(word: &'static str, stops: &'static [u8]) -> Keyword {
        Keyword {
            word,
            then: b"",
            in_comment: true,
            extent: Extent::Until(stops),
            after_lowercase: false,
        }
    }

    /// Whether the keyword stands at `at` in `source`.
    fn stands_at(&self, source: &[u8], at: usize) -> bool {
        let end = at + self.word.len();
        let before = at.checked_sub(1).map(|i| source[i]);
        // Words made of letters must stand alone; `__import__` may not.
        let plain = self.word.bytes().all(|b| b.is_ascii_alphabetic());
        let alone = !plain
            || !(before.is_some_and(is_ident_byte)
                || source.get(end).is_some_and(|b| is_ident_byte(*b)));
        if !alone {
            return false;
        }
        if self.after_lowercase {
            let name_start = source[..at]
                .iter()
                .rposition(|b| !is_ident_byte(*b))
                .map_or(0, |i| i + 1);
            let first = source.get(name_start).filter(|_| name_start < at);
            if !first.is_some_and(|b| b.is_ascii_lowercase() || *b == b'_' || *b == b'$') {
                return false;
            }
            // Standard-library paths in code name nothing of the repository.
            if matches!(&source[name_start..at], b"std" | b"core" | b"alloc") {
                return false;
            }
        }
        if self.then.is_empty() {
            return true;
        }
        next_significant(source, end).is_some_and(|b| self.then.contains(&b))
    }
}

/// The first byte from `at` that is neither whitespace nor inside a `/* */`
/// or `//` comment (`import x from /* why */ './y'`).
fn next_significant(source: &[u8], mut at: usize) -> Option<u8> {
    loop {
        while source.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        match source.get(at..at + 2) {
            Some(b"/*") => {
                let close = memchr::memmem::find(&source[at + 2..], b"*/")?;
                at += 2 + close + 2;
            }
            Some(b"//") => {
                let newline = memchr::memchr(b'\n', &source[at..])?;
                at += newline + 1;
            }
            _ => return source.get(at).copied(),
        }
    }
}

const SPECS: [LanguageSpec; Language::COUNT] = [
    LanguageSpec {
        language: Language::Python,
        family: LanguageFamily::Python,
        extensions: &["py", "pyi"],
        grammar: || tree_sitter_python::LANGUAGE.into(),
        imports_query: include_str!("../../queries/python/imports.scm"),
        definitions_query: include_str!("../../queries/python/definitions.scm"),
        import_keywords: &[
            Keyword::word("import"),
            Keyword::word("__import__"),
            Keyword::word("import_module"),
            Keyword::word("ForeignKey"),
            Keyword::word("OneToOneField"),
            Keyword::word("ManyToManyField"),
            Keyword::word("ForeignObject"),
            Keyword::word("AUTH_USER_MODEL"),
            Keyword::word("get_user_model"),
            Keyword::word("AppConfig"),
        ],
        read_imports: python::read_imports,
        import_statements: Some(python_scan::import_statements),
        resolves_with_definitions: false,
        qualify_definitions: None,
        pattern_roots: &[],
        symbols: Some(Symbols {
            query: include_str!("../../queries/python/symbols.scm"),
            syntax: &symbols::python::SYNTAX,
        }),
        type_kinds: &["class"],
    },
    LanguageSpec {
        language: Language::TypeScript,
        family: LanguageFamily::TypeScript,
        extensions: &["ts", "mts", "cts"],
        grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        imports_query: include_str!("../../queries/typescript/imports.scm"),
        definitions_query: include_str!("../../queries/typescript/definitions.scm"),
        import_keywords: JS_IMPORT_KEYWORDS,
        read_imports: typescript::read_imports,
        import_statements: Some(js_scan::import_statements),
        resolves_with_definitions: false,
        qualify_definitions: None,
        pattern_roots: &[],
        symbols: Some(Symbols {
            query: include_str!("../../queries/typescript/symbols.scm"),
            syntax: &symbols::script::TYPESCRIPT,
        }),
        type_kinds: TS_TYPE_KINDS,
    },
    LanguageSpec {
        language: Language::Tsx,
        family: LanguageFamily::TypeScript,
        extensions: &["tsx"],
        grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
        imports_query: include_str!("../../queries/typescript/imports.scm"),
        definitions_query: include_str!("../../queries/typescript/definitions.scm"),
        import_keywords: JS_IMPORT_KEYWORDS,
        read_imports: typescript::read_imports,
        import_statements: None,
        resolves_with_definitions: false,
        qualify_definitions: None,
        pattern_roots: &[],
        symbols: Some(Symbols {
            query: concat!(
                include_str!("../../queries/typescript/symbols.scm"),
                include_str!("../../queries/typescript/jsx.scm")
            ),
            syntax: &symbols::script::TYPESCRIPT,
        }),
        type_kinds: TS_TYPE_KINDS,
    },
    LanguageSpec {
        language: Language::JavaScript,
        family: LanguageFamily::JavaScript,
        extensions: &["js", "jsx", "mjs", "cjs"],
        grammar: || tree_sitter_javascript::LANGUAGE.into(),
        imports_query: include_str!("../../queries/javascript/imports.scm"),
        definitions_query: include_str!("../../queries/javascript/definitions.scm"),
        import_keywords: JS_IMPORT_KEYWORDS,
        read_imports: typescript::read_imports,
        // JSX text (`<p>don't</p>`) is not code; the pass reads its quote
        // as a string left open at the line end and parses the file whole.
        import_statements: Some(js_scan::import_statements),
        resolves_with_definitions: false,
        qualify_definitions: None,
        pattern_roots: &[],
        symbols: Some(Symbols {
            query: concat!(
                include_str!("../../queries/javascript/symbols.scm"),
                include_str!("../../queries/typescript/jsx.scm")
            ),
            syntax: &symbols::script::JAVASCRIPT,
        }),
        type_kinds: &["class"],
    },
    LanguageSpec {
        language: Language::Php,
        family: LanguageFamily::Php,
        extensions: &["php"],
        grammar: || tree_sitter_php::LANGUAGE_PHP.into(),
        imports_query: include_str!("../../queries/php/imports.scm"),
        definitions_query: include_str!("../../queries/php/definitions.scm"),
        import_keywords: PHP_IMPORT_KEYWORDS,
        read_imports: php::read_imports,
        import_statements: None,
        resolves_with_definitions: true,
        qualify_definitions: Some(php::qualify_definitions),
        pattern_roots: PHP_PATTERN_ROOTS,
        symbols: Some(Symbols {
            query: include_str!("../../queries/php/symbols.scm"),
            syntax: &symbols::php::SYNTAX,
        }),
        type_kinds: &["class", "abstract_class", "interface"],
    },
    LanguageSpec {
        language: Language::Rust,
        family: LanguageFamily::Rust,
        extensions: &["rs"],
        grammar: || tree_sitter_rust::LANGUAGE.into(),
        imports_query: include_str!("../../queries/rust/imports.scm"),
        definitions_query: include_str!("../../queries/rust/definitions.scm"),
        import_keywords: RUST_IMPORT_KEYWORDS,
        read_imports: rust::read_imports,
        import_statements: None,
        resolves_with_definitions: true,
        qualify_definitions: None,
        pattern_roots: RUST_PATTERN_ROOTS,
        symbols: Some(Symbols {
            query: include_str!("../../queries/rust/symbols.scm"),
            syntax: &symbols::rust::SYNTAX,
        }),
        type_kinds: &["struct", "enum", "trait"],
    },
];

impl Language {
    /// How many languages there are: the size of every per-language table.
    pub const COUNT: usize = 6;

    pub const ALL: [Language; Language::COUNT] = [
        Language::Python,
        Language::TypeScript,
        Language::Tsx,
        Language::JavaScript,
        Language::Php,
        Language::Rust,
    ];

    fn index(self) -> usize {
        self as usize
    }

    pub fn spec(self) -> &'static LanguageSpec {
        &SPECS[self.index()]
    }

    pub fn family(self) -> LanguageFamily {
        self.spec().family
    }

    pub fn grammar(self) -> tree_sitter::Language {
        (self.spec().grammar)()
    }

    /// The language of a file from its name, or `None` for files vantage
    /// does not parse.
    pub fn from_path(path: &str) -> Option<Language> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, ext) = name.rsplit_once('.')?;
        SPECS
            .iter()
            .find(|spec| spec.extensions.contains(&ext))
            .map(|spec| spec.language)
    }
}

/// A language's queries, compiled once per process and shared by threads.
pub struct CompiledQueries {
    pub imports: Query,
    pub definitions: Query,
    pub symbols: Option<Query>,
}

/// Compiles a language's queries. Fails only if a shipped query does not
/// match its grammar, which `tests/queries.rs` rules out for every release.
pub fn compile_queries(language: Language) -> Result<CompiledQueries, tree_sitter::QueryError> {
    let grammar = language.grammar();
    let spec = language.spec();
    Ok(CompiledQueries {
        imports: Query::new(&grammar, spec.imports_query)?,
        definitions: Query::new(&grammar, spec.definitions_query)?,
        symbols: spec
            .symbols
            .as_ref()
            .map(|symbols| Query::new(&grammar, symbols.query))
            .transpose()?,
    })
}

/// Which query of a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryKind {
    Imports,
    Definitions,
    Symbols,
}

/// A shipped query, compiled on first use. Compiling costs milliseconds
/// (tens for TypeScript), so [`warm_queries`] compiles them in parallel.
fn query(language: Language, kind: QueryKind) -> &'static Query {
    static IMPORTS: [OnceLock<Query>; Language::COUNT] =
        [const { OnceLock::new() }; Language::COUNT];
    static DEFINITIONS: [OnceLock<Query>; Language::COUNT] =
        [const { OnceLock::new() }; Language::COUNT];
    static SYMBOLS: [OnceLock<Query>; Language::COUNT] =
        [const { OnceLock::new() }; Language::COUNT];
    let (slot, source) = match kind {
        QueryKind::Imports => (&IMPORTS, language.spec().imports_query),
        QueryKind::Definitions => (&DEFINITIONS, language.spec().definitions_query),
        QueryKind::Symbols => (
            &SYMBOLS,
            language.spec().symbols.as_ref().map_or("", |s| s.query),
        ),
    };
    slot[language.index()].get_or_init(|| {
        Query::new(&language.grammar(), source).unwrap_or_else(|err| {
            panic!("shipped {kind:?} query for {language:?} does not compile: {err}")
        })
    })
}

/// Compiles the queries an extraction needs for these languages on the
/// current rayon pool, all at once, so that no worker later waits on
/// another's compilation.
pub fn warm_queries(languages: &[Language], extraction: Extraction) {
    use rayon::prelude::*;
    let jobs: Vec<(Language, QueryKind)> = languages
        .iter()
        .flat_map(|&l| {
            let definitions = extraction.definitions()
                || (extraction.imports() && l.spec().resolves_with_definitions);
            let symbols = extraction.symbols() && l.spec().symbols.is_some();
            let kinds: &[QueryKind] = match (extraction.imports(), definitions, symbols) {
                (false, _, _) => &[],
                (true, true, true) => &[
                    QueryKind::Imports,
                    QueryKind::Definitions,
                    QueryKind::Symbols,
                ],
                (true, true, false) => &[QueryKind::Imports, QueryKind::Definitions],
                (true, false, _) => &[QueryKind::Imports],
            };
            kinds.iter().map(move |&k| (l, k))
        })
        .collect();
    jobs.par_iter().for_each(|&(language, kind)| {
        query(language, kind);
    });
}

thread_local! {
    // A Parser cannot be shared across threads; one per thread per language
    // keeps its allocations warm across files.
    static PARSERS: RefCell<[Option<Parser>; Language::COUNT]> = const { RefCell::new([const { None }; Language::COUNT]) };
}

/// The longest one file's parse may take, in milliseconds (0: no limit).
static PARSE_TIMEOUT_MS: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(DEFAULT_PARSE_TIMEOUT_MS);

/// Ten seconds: the largest file under the default size cap parses in well
/// under one here; a parse past this is a grammar going pathological.
pub const DEFAULT_PARSE_TIMEOUT_MS: u64 = 10_000;

/// Sets the per-file parse time limit for the process (`--parse-timeout`);
/// zero means none. A file over it is skipped with the reason.
pub fn set_parse_timeout(limit: std::time::Duration) {
    let ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
    PARSE_TIMEOUT_MS.store(ms, std::sync::atomic::Ordering::Relaxed);
}

fn parse_timeout_ms() -> u64 {
    PARSE_TIMEOUT_MS.load(std::sync::atomic::Ordering::Relaxed)
}

thread_local! {
    // The file being read must be done by then, parse and queries alike;
    // and whether a query was stopped by it.
    static DEADLINE: Cell<Option<std::time::Instant>> = const { Cell::new(None) };
    static OVERRUN: Cell<bool> = const { Cell::new(false) };
}

/// Runs the reading of one file under the time limit. A query's cost is
/// not bounded by the file's size alone (tree-sitter's query cursor spends
/// time on each node in proportion to its siblings: 100 000 unclosed `(` in
/// a TypeScript file took 12 s to query, 20 ms to parse), so the parse and
/// every query share one deadline; a file past it yields no facts.
fn within_time_limit<T>(read: impl FnOnce() -> Result<T, ParseFailure>) -> Result<T, ParseFailure> {
    if DEADLINE.get().is_some() {
        // A fallback inside the same file's reading: the outer limit holds.
        return read();
    }
    let limit = parse_timeout_ms();
    let deadline =
        (limit > 0).then(|| std::time::Instant::now() + std::time::Duration::from_millis(limit));
    // Cleared on the way out however it is left: a panic caught above
    // (the MCP server's tools, the fuzzer) must not leave this thread's
    // next file under a deadline already past.
    struct Clear;
    impl Drop for Clear {
        fn drop(&mut self) {
            DEADLINE.set(None);
            OVERRUN.set(false);
        }
    }
    DEADLINE.set(deadline);
    OVERRUN.set(false);
    let clear = Clear;
    let result = read();
    let overrun = OVERRUN.get();
    drop(clear);
    match result {
        Ok(_) if overrun => Err(ParseFailure::TimedOut { limit_ms: limit }),
        other => other,
    }
}

/// Whether the file being read is past its deadline (said to the caller
/// through [`within_time_limit`]).
fn past_deadline() -> bool {
    let past = DEADLINE
        .get()
        .is_some_and(|deadline| std::time::Instant::now() >= deadline);
    if past {
        OVERRUN.set(true);
    }
    past
}

/// Query options that stop a query past the deadline.
pub(crate) fn query_progress(_: &tree_sitter::QueryCursorState) -> std::ops::ControlFlow<()> {
    if past_deadline() {
        std::ops::ControlFlow::Break(())
    } else {
        std::ops::ControlFlow::Continue(())
    }
}

/// Parses `source` with the thread's parser for `language`.
fn parse_tree(language: Language, source: &[u8]) -> Result<Tree, ParseFailure> {
    parse_ranges(language, source, &[])
}

/// Parses only `included` (the whole file when empty): positions in the tree
/// are still those of the whole file. A parse past the time limit is
/// cancelled: `ParseFailure::TimedOut`.
fn parse_ranges(
    language: Language,
    source: &[u8],
    included: &[tree_sitter::Range],
) -> Result<Tree, ParseFailure> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[language.index()];
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&language.grammar())
                .expect("grammar ABI is checked by the query test");
            *slot = Some(parser);
        }
        let parser = slot.as_mut().ok_or(ParseFailure::NoTree)?;
        // Ranges come sorted and disjoint; a refusal means a bug upstream,
        // and parsing the whole file is the safe answer.
        let ranged = !included.is_empty() && parser.set_included_ranges(included).is_ok();
        let limit = parse_timeout_ms();
        // Outside a file's reading (a tree for --tree, the benchmark's
        // floor), the parse has the whole limit to itself.
        let deadline = DEADLINE.get().or_else(|| {
            (limit > 0).then(|| std::time::Instant::now() + std::time::Duration::from_millis(limit))
        });
        let mut timed_out = false;
        let mut progress = |_: &tree_sitter::ParseState| {
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                timed_out = true;
                // Said to the file's reading too: a parse it chose to drop
                // (a macro body's) must not leave its facts looking whole.
                if DEADLINE.get().is_some() {
                    OVERRUN.set(true);
                }
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        };
        let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
        let len = source.len();
        let tree = parser.parse_with_options(
            &mut |offset, _| &source[offset.min(len)..],
            None,
            Some(options),
        );
        if ranged {
            parser
                .set_included_ranges(&[])
                .expect("the whole document is always a valid range");
        }
        match tree {
            Some(tree) => Ok(tree),
            None => {
                // A cancelled parse resumes on the next call unless reset.
                parser.reset();
                Err(if timed_out {
                    ParseFailure::TimedOut { limit_ms: limit }
                } else {
                    ParseFailure::NoTree
                })
            }
        }
    })
}

/// Why a file yielded no facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseFailure {
    /// tree-sitter returned no tree at all.
    NoTree,
    /// The parse ran past the time limit and was cancelled.
    TimedOut { limit_ms: u64 },
}

impl From<ParseFailure> for crate::discover::SkipReason {
    fn from(failure: ParseFailure) -> Self {
        match failure {
            ParseFailure::NoTree => crate::discover::SkipReason::ParseFailed,
            ParseFailure::TimedOut { limit_ms } => {
                crate::discover::SkipReason::ParseTimeout { limit_ms }
            }
        }
    }
}

/// How much of a file the parse stage extracts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Extraction {
    /// Imports, definitions, syntax errors: the whole file is parsed.
    #[default]
    Full,
    /// Imports only (a graph-only run). For languages with an
    /// `import_statements` scan, only the statements that may hold an import
    /// are parsed, so syntax errors elsewhere go unseen and no definitions
    /// are read.
    ImportsOnly,
    /// The token stream only (`vantage dupes`): no query runs.
    Tokens,
    /// [`Extraction::Full`] and the token stream, from the same tree.
    FullWithTokens,
    /// [`Extraction::Full`] and the symbol facts: definitions at every
    /// depth, their uses and bindings (the symbol graph).
    Symbols,
    /// [`Extraction::Symbols`] and the token stream.
    SymbolsWithTokens,
}

impl Extraction {
    fn definitions(self) -> bool {
        matches!(
            self,
            Extraction::Full
                | Extraction::FullWithTokens
                | Extraction::Symbols
                | Extraction::SymbolsWithTokens
        )
    }

    fn imports(self) -> bool {
        self != Extraction::Tokens
    }

    fn tokens(self) -> bool {
        matches!(
            self,
            Extraction::Tokens | Extraction::FullWithTokens | Extraction::SymbolsWithTokens
        )
    }

    /// Whether the symbol facts are read.
    pub fn symbols(self) -> bool {
        matches!(self, Extraction::Symbols | Extraction::SymbolsWithTokens)
    }

    /// This extraction with the symbol facts too.
    pub fn with_symbols(self) -> Extraction {
        match self {
            Extraction::Tokens | Extraction::FullWithTokens | Extraction::SymbolsWithTokens => {
                Extraction::SymbolsWithTokens
            }
            _ => Extraction::Symbols,
        }
    }
}

/// Parses a file and reduces it to its facts; the tree is dropped here.
pub fn extract_facts(language: Language, source: &[u8]) -> Result<FileFacts, ParseFailure> {
    within_time_limit(|| extract(language, source, true, Extraction::Full))
}

/// Reduces a file to what [`Extraction`] asks for.
pub fn extract_with(
    language: Language,
    source: &[u8],
    extraction: Extraction,
) -> Result<FileFacts, ParseFailure> {
    within_time_limit(|| match (extraction, language.spec().import_statements) {
        (Extraction::ImportsOnly, Some(scan)) => match scan(source) {
            Some(statements) => extract_imports_from(language, source, &statements),
            None => extract(language, source, true, extraction),
        },
        _ => extract(language, source, true, extraction),
    })
}

/// Parses just the given statements and reads their imports; any syntax
/// error in them (a real one, or a statement the scan cut wrongly) falls
/// back to the whole file.
fn extract_imports_from(
    language: Language,
    source: &[u8],
    statements: &[Range<usize>],
) -> Result<FileFacts, ParseFailure> {
    let mut facts = FileFacts {
        lines: count_lines(source),
        non_utf8: std::str::from_utf8(source).is_err(),
        ..FileFacts::default()
    };
    if statements.is_empty() {
        return Ok(facts);
    }
    let included = point_ranges(source, statements);
    let tree = parse_ranges(language, source, &included)?;
    let root = tree.root_node();
    if root.has_error() {
        return extract(language, source, true, Extraction::ImportsOnly);
    }
    (language.spec().read_imports)(
        query(language, QueryKind::Imports),
        root,
        source,
        &Scan::whole(root),
        &mut facts,
    );
    Ok(facts)
}

/// tree-sitter ranges (bytes and row/column points) for sorted byte ranges.
fn point_ranges(source: &[u8], ranges: &[Range<usize>]) -> Vec<tree_sitter::Range> {
    let mut row = 0;
    let mut line_start = 0;
    let mut scanned = 0;
    let mut point = |offset: usize| {
        for at in memchr::memchr_iter(b'\n', &source[scanned..offset]) {
            row += 1;
            line_start = scanned + at + 1;
        }
        scanned = offset;
        tree_sitter::Point::new(row, offset - line_start)
    };
    ranges
        .iter()
        .map(|r| {
            let start_point = point(r.start);
            let end_point = point(r.end);
            tree_sitter::Range {
                start_byte: r.start,
                end_byte: r.end,
                start_point,
                end_point,
            }
        })
        .collect()
}

/// [`extract_facts`] with the imports query run over the whole tree, not
/// only the statements holding an import keyword: the reference the tests
/// compare the keyword prefilter with.
#[doc(hidden)]
pub fn extract_facts_without_prefilter(
    language: Language,
    source: &[u8],
) -> Result<FileFacts, ParseFailure> {
    within_time_limit(|| extract(language, source, false, Extraction::Full))
}

fn extract(
    language: Language,
    source: &[u8],
    prefilter: bool,
    extraction: Extraction,
) -> Result<FileFacts, ParseFailure> {
    let tree = parse_tree(language, source)?;
    let root = tree.root_node();
    let spec = language.spec();
    let mut facts = FileFacts {
        lines: count_lines(source),
        syntax_error_line: first_error_line(root),
        non_utf8: std::str::from_utf8(source).is_err(),
        ..FileFacts::default()
    };
    if extraction.tokens() {
        facts.tokens = Some(tokens::read_tokens(language, root, source));
    }
    if !extraction.imports() {
        return Ok(facts);
    }
    let scan = if !prefilter || spec.import_keywords.is_empty() {
        Scan::whole(root)
    } else if !spec.pattern_roots.is_empty() {
        Scan::Pruned {
            ranges: keyword_ranges(source, spec.import_keywords),
            roots: pattern_root_ids(language),
        }
    } else {
        Scan::Ranges(import_ranges(root, source, spec.import_keywords))
    };
    (spec.read_imports)(
        query(language, QueryKind::Imports),
        root,
        source,
        &scan,
        &mut facts,
    );
    if extraction.definitions() || spec.resolves_with_definitions {
        // Readers may have found definitions the query cannot see (Rust
        // macros defined inside macro arguments): keep them.
        let mut definitions =
            read_definitions(query(language, QueryKind::Definitions), root, source);
        if let Some(qualify) = spec.qualify_definitions {
            qualify(root, source, &mut definitions);
        }
        definitions.append(&mut facts.definitions);
        definitions.sort_by(|a, b| (a.start_line, &a.name).cmp(&(b.start_line, &b.name)));
        facts.definitions = definitions;
        if extraction.definitions() {
            facts.local_uses = local_uses(source, &facts.definitions);
        }
    }
    if extraction.symbols()
        && let Some(layer) = &spec.symbols
    {
        let imported = imported_names(spec.family, &facts.imports);
        let mut read = symbols::read_symbols(
            layer.syntax,
            query(language, QueryKind::Symbols),
            root,
            source,
            &imported,
        );
        if spec.family == LanguageFamily::Rust {
            expand_item_macros(language, root, source, &imported, &mut read, 0);
        }
        facts.symbols = Some(read);
    }
    Ok(facts)
}

/// Rust items written inside an item-level macro call (`cfg_rt! { pub fn
/// spawn() {} }`, tokio's and many crates' way to gate code): the
/// braces' contents are parsed again as items, in place (positions stay
/// the file's), and read into the file's symbols under the definition
/// holding the call. Nested calls are expanded a few levels deep.
fn expand_item_macros(
    language: Language,
    root: tree_sitter::Node,
    source: &[u8],
    imported: &std::collections::HashSet<String>,
    symbols: &mut crate::facts::SymbolFacts,
    depth: u8,
) {
    let Some(layer) = &language.spec().symbols else {
        return;
    };
    for body in symbols::rust::item_macro_bodies(root) {
        let (start, end) = (body.start_position(), body.end_position());
        let range = tree_sitter::Range {
            start_byte: body.start_byte() + 1,
            end_byte: body.end_byte().saturating_sub(1).max(body.start_byte() + 1),
            start_point: tree_sitter::Point::new(start.row, start.column + 1),
            end_point: tree_sitter::Point::new(end.row, end.column.saturating_sub(1)),
        };
        let Ok(tree) = parse_ranges(language, source, &[range]) else {
            continue;
        };
        let mut inner = symbols::read_symbols(
            layer.syntax,
            query(language, QueryKind::Symbols),
            tree.root_node(),
            source,
            imported,
        );
        if depth < 3 {
            expand_item_macros(
                language,
                tree.root_node(),
                source,
                imported,
                &mut inner,
                depth + 1,
            );
        }
        symbols::rust::merge_expansion(symbols, inner, body);
    }
}

/// The names a file's imports bind at its top level: `import a.b` binds
/// `a`, `import a.b as c` and `from x import y as c` bind `c`, `import {
/// y as c }` binds `c`; a wildcard binds nothing it names.
fn imported_names(
    family: LanguageFamily,
    imports: &[RawImport],
) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for import in imports {
        if import.reference || matches!(import.kind, ImportKind::ModelRef | ImportKind::Dynamic) {
            continue;
        }
        let alias = |name: &str| {
            import
                .aliases
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, a)| a.clone())
        };
        match family {
            LanguageFamily::Python if import.names.is_empty() => {
                let top = import.specifier.split('.').next().unwrap_or_default();
                out.insert(alias(&import.specifier).unwrap_or_else(|| top.to_string()));
            }
            _ => {
                for name in &import.names {
                    match alias(name) {
                        Some(a) => {
                            out.insert(a);
                        }
                        None if name != "*" && name != "default" => {
                            out.insert(
                                name.rsplit(['.', ':', '\\'])
                                    .next()
                                    .unwrap_or(name)
                                    .to_string(),
                            );
                        }
                        None => {}
                    }
                }
            }
        }
    }
    out
}

/// Which top-level definitions mention which others of the same file, as
/// (user, used) indexes into `definitions`, sorted and unique: a change to
/// a private helper reaches the exported definitions that call it.
///
/// Read from the words of each definition's lines (its whole lines: two
/// definitions on one line mention each other), not from the tree: a name
/// in a comment or a string counts too, which errs on the side of reaching
/// more. A word after `.` or `->` is a member, not a top-level name.
/// PHP's qualified names are matched by their last segment.
fn local_uses(source: &[u8], definitions: &[crate::facts::Definition]) -> Vec<(u32, u32)> {
    if definitions.len() < 2 {
        return Vec::new();
    }
    let mut by_name: std::collections::HashMap<&[u8], Vec<u32>> = std::collections::HashMap::new();
    for (i, d) in definitions.iter().enumerate() {
        let short = d.name.rsplit('\\').next().unwrap_or(&d.name);
        by_name.entry(short.as_bytes()).or_default().push(i as u32);
    }
    let mut line_starts = vec![0usize];
    line_starts.extend(memchr::memchr_iter(b'\n', source).map(|at| at + 1));
    let line_start = |line: u32| {
        line_starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(source.len())
    };
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut uses = Vec::new();
    for (i, d) in definitions.iter().enumerate() {
        let (from, to) = (line_start(d.start_line), line_start(d.end_line + 1));
        let text = &source[from..to.max(from)];
        let mut at = 0;
        while at < text.len() {
            if !word(text[at]) || text[at].is_ascii_digit() {
                at += 1;
                continue;
            }
            let start = at;
            while at < text.len() && word(text[at]) {
                at += 1;
            }
            let member = text[..start].ends_with(b".") || text[..start].ends_with(b"->");
            if member {
                continue;
            }
            if let Some(used) = by_name.get(&text[start..at]) {
                uses.extend(
                    used.iter()
                        .filter(|&&j| j as usize != i)
                        .map(|&j| (i as u32, j)),
                );
            }
        }
    }
    uses.sort_unstable();
    uses.dedup();
    uses
}

/// The syntax tree of a file as an S-expression with field names (the
/// hidden `vantage facts --tree`, to write queries against).
pub fn syntax_tree(language: Language, source: &[u8]) -> Option<String> {
    let tree = parse_tree(language, source).ok()?;
    Some(tree.root_node().to_sexp())
}

/// Parses and drops the tree: the floor the benchmark compares the whole
/// pipeline with. Returns whether a tree was produced.
pub fn parse_only(language: Language, source: &[u8]) -> bool {
    parse_tree(language, source).is_ok()
}

/// Byte ranges of the runs of top-level statements that contain one of the
/// keywords.
///
/// Walking the whole tree costs about as much as parsing it; imports sit in
/// a few top-level statements (or in the functions and blocks that hold
/// them), so the imports query runs over those alone. The keywords are in
/// every form an import can take, so no import is missed; keywords inside
/// comments and string literals (examples in doc comments) are passed over.
pub(crate) fn import_ranges(root: Node, source: &[u8], keywords: &[Keyword]) -> Vec<Range<usize>> {
    let mut offsets = Vec::new();
    for keyword in keywords {
        let len = keyword.word.len();
        offsets.extend(
            memchr::memmem::find_iter(source, keyword.word.as_bytes())
                .filter(|&at| keyword.stands_at(source, at))
                // Doc comments and docstrings quote imports in examples.
                .filter(|&at| {
                    keyword.in_comment
                        || root
                            .descendant_for_byte_range(at, at + len)
                            .is_none_or(|node| !is_comment_or_string(node.kind()))
                }),
        );
    }
    if offsets.is_empty() {
        return Vec::new();
    }
    offsets.sort_unstable();
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut previous_was_hit = false;
    let mut next = 0;
    let mut cursor = root.walk();
    for child in root.children(&mut cursor) {
        let span = child.byte_range();
        while next < offsets.len() && offsets[next] < span.start {
            next += 1;
        }
        let hit = next < offsets.len() && offsets[next] < span.end;
        if hit {
            match ranges.last_mut() {
                Some(last) if previous_was_hit => last.end = span.end,
                _ => ranges.push(span),
            }
        }
        previous_was_hit = hit;
    }
    ranges
}

/// Comment and string-literal nodes of every grammar: no import keyword
/// inside one starts an import.
fn is_comment_or_string(kind: &str) -> bool {
    kind.contains("comment") || kind.contains("string")
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$'
}

/// Where the imports query runs in a tree.
pub enum Scan {
    /// Over each byte range (sorted, disjoint).
    Ranges(Vec<Range<usize>>),
    /// A walk that enters only nodes meeting one of the ranges, running the
    /// query at each node of a pattern-root kind (`roots`, kind ids) with no
    /// deeper start: the query engine does the matching, the walk skips
    /// the subtrees no keyword reaches.
    Pruned {
        ranges: Vec<Range<usize>>,
        roots: &'static [u16],
    },
}

impl Scan {
    /// The whole tree.
    pub fn whole(root: Node) -> Scan {
        Scan::Ranges(vec![root.byte_range()])
    }
}

/// Runs a query as `scan` says and hands every match to `f`.
pub(crate) fn each_match<'tree>(
    query: &Query,
    root: Node<'tree>,
    source: &[u8],
    scan: &Scan,
    mut f: impl FnMut(&QueryMatch<'_, 'tree>),
) {
    let mut cursor = QueryCursor::new();
    match scan {
        Scan::Ranges(ranges) => {
            for range in ranges {
                cursor.set_byte_range(range.clone());
                let mut progress = query_progress;
                let options = QueryCursorOptions::new().progress_callback(&mut progress);
                let mut matches = cursor.matches_with_options(query, root, source, options);
                while let Some(m) = matches.next() {
                    f(m);
                }
            }
        }
        Scan::Pruned { ranges, roots } => {
            cursor.set_max_start_depth(Some(0));
            let mut walk = root.walk();
            let mut next = 0;
            // Pre-order: nodes come in start order, so `next` only moves on.
            'walk: loop {
                let node = walk.node();
                while next < ranges.len() && ranges[next].end <= node.start_byte() {
                    next += 1;
                }
                if next < ranges.len() && ranges[next].start < node.end_byte() {
                    if roots.contains(&node.kind_id()) {
                        let mut progress = query_progress;
                        let options = QueryCursorOptions::new().progress_callback(&mut progress);
                        let mut matches = cursor.matches_with_options(query, node, source, options);
                        while let Some(m) = matches.next() {
                            f(m);
                        }
                    }
                    if walk.goto_first_child() {
                        continue;
                    }
                }
                while !walk.goto_next_sibling() {
                    if !walk.goto_parent() {
                        break 'walk;
                    }
                }
            }
        }
    }
}

/// Kind ids of a language's pattern roots, looked up once.
fn pattern_root_ids(language: Language) -> &'static [u16] {
    static IDS: [OnceLock<Vec<u16>>; Language::COUNT] =
        [const { OnceLock::new() }; Language::COUNT];
    IDS[language.index()].get_or_init(|| {
        let grammar = language.grammar();
        language
            .spec()
            .pattern_roots
            .iter()
            .map(|kind| grammar.id_for_node_kind(kind, true))
            .collect()
    })
}

/// Byte ranges around keywords with a [`Extent::Line`] or
/// [`Extent::Until`] extent, sorted and merged. A keyword inside a comment
/// or string only widens the ranges: they are not checked here.
pub(crate) fn keyword_ranges(source: &[u8], keywords: &[Keyword]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for keyword in keywords {
        let stops: &[u8] = match keyword.extent {
            Extent::Until(stops) => stops,
            _ => b"\n",
        };
        // Occurrences come in order, so the line start and the next stop
        // found for one serve the next until it passes them: each byte is
        // looked at once per keyword. (Searched afresh, 18 000 `class P;`
        // with no `{` after them took seconds.)
        let mut scanned = 0;
        let mut line_start = 0;
        let mut next_stop: Option<usize> = None;
        for at in memchr::memmem::find_iter(source, keyword.word.as_bytes()) {
            if !keyword.stands_at(source, at) {
                continue;
            }
            if let Some(newline) = memchr::memrchr(b'\n', &source[scanned..at]) {
                line_start = scanned + newline + 1;
            }
            scanned = at;
            let after = at + keyword.word.len();
            let stop = match next_stop {
                Some(stop) if stop >= after => stop,
                _ => {
                    let stop = source[after..]
                        .iter()
                        .position(|b| stops.contains(b))
                        .map_or(source.len(), |i| after + i);
                    next_stop = Some(stop);
                    stop
                }
            };
            ranges.push(line_start..(stop + 1).min(source.len()));
        }
    }
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

fn count_lines(source: &[u8]) -> u32 {
    if source.is_empty() {
        return 0;
    }
    let newlines = memchr::memchr_iter(b'\n', source).count();
    let last_unterminated = usize::from(!source.ends_with(b"\n"));
    u32::try_from(newlines + last_unterminated).unwrap_or(u32::MAX)
}

/// The first line with an ERROR or MISSING node, found by descending only
/// into subtrees that contain an error (no recursion: nesting can be deep).
fn first_error_line(root: Node) -> Option<u32> {
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return Some(line_of(node));
        }
        // Step into the first child that holds an error.
        if !cursor.goto_first_child() {
            return Some(line_of(node));
        }
        while !cursor.node().has_error() {
            if !cursor.goto_next_sibling() {
                // has_error on the parent but on no child: the parent is it.
                return Some(line_of(node));
            }
        }
    }
}

/// 1-based line of a node's start.
pub(crate) fn line_of(node: Node) -> u32 {
    u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX)
}

/// A match's captured nodes by capture name (the last, for a name that
/// captures several).
pub(crate) fn captures_by_name<'q, 'tree>(
    names: &[&'q str],
    m: &QueryMatch<'_, 'tree>,
) -> HashMap<&'q str, Node<'tree>> {
    m.captures()
        .iter()
        .map(|capture| (names[capture.index as usize], capture.node))
        .collect()
}

/// The text of a node; invalid UTF-8 is replaced, never fatal.
pub(crate) fn node_text(node: Node, source: &[u8]) -> String {
    String::from_utf8_lossy(&source[node.byte_range()]).into_owned()
}

fn read_definitions(query: &Query, root: Node, source: &[u8]) -> Vec<Definition> {
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    // Definitions are top-level: matches start at the root's children only,
    // so the cursor need not walk into bodies.
    cursor.set_max_start_depth(Some(1));
    let mut progress = query_progress;
    let options = QueryCursorOptions::new().progress_callback(&mut progress);
    let mut matches = cursor.matches_with_options(query, root, source, options);
    let mut out: Vec<Definition> = Vec::new();
    while let Some(m) = matches.next() {
        let mut name = None;
        let mut kind = "";
        let mut span = None;
        let mut bases = None;
        for capture in m.captures() {
            match names[capture.index as usize] {
                "definition.span" => span = Some(capture.node),
                "definition.bases" => bases = Some(capture.node),
                other => {
                    if let Some(k) = other.strip_prefix("definition.") {
                        kind = k;
                        name = Some(capture.node);
                    }
                }
            }
        }
        let (Some(name), Some(span)) = (name, span) else {
            continue;
        };
        let bases = bases.map(|b| node_text(b, source)).unwrap_or_default();
        out.push(Definition {
            name: node_text(name, source),
            kind: kind.to_string(),
            start_line: line_of(span),
            end_line: u32::try_from(span.end_position().row + 1).unwrap_or(u32::MAX),
            is_abstract: is_abstract(kind, &bases),
        });
    }
    out.sort_by(|a, b| (a.start_line, &a.name).cmp(&(b.start_line, &b.name)));
    // Two patterns may match one definition (a PHP class, and an abstract
    // one): keep one, abstract if either says so.
    out.dedup_by(|later, kept| {
        let same = later.start_line == kept.start_line && later.name == kept.name;
        if same && later.is_abstract && !kept.is_abstract {
            std::mem::swap(later, kept);
        }
        same
    });
    out
}

/// Interfaces, abstract classes, and classes deriving from a Protocol or an
/// ABC (`Protocol`, `typing.Protocol`, `ABC`, `metaclass=ABCMeta`).
fn is_abstract(kind: &str, bases: &str) -> bool {
    match kind {
        "interface" | "abstract_class" | "trait" => true,
        "class" => bases
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| matches!(word, "Protocol" | "ABC" | "ABCMeta")),
        _ => false,
    }
}

/// A scope that changes the kind of the imports inside it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope {
    pub start: usize,
    pub end: usize,
    pub kind: ImportKind,
}

impl Scope {
    pub fn of(node: Node, kind: ImportKind) -> Scope {
        Scope {
            start: node.start_byte(),
            end: node.end_byte(),
            kind,
        }
    }
}

/// Applies scopes to imports found at byte offsets: an import inside a
/// type-only scope is type-only, else inside a lazy scope it is lazy, else it
/// keeps its own kind. Scopes come from one syntax tree, so they nest and a
/// stack sweep decides containment in O((n + m) log(n + m)).
pub(crate) fn apply_scopes(mut scopes: Vec<Scope>, imports: &mut [(usize, RawImport)]) {
    if scopes.is_empty() {
        return;
    }
    scopes.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    imports.sort_by_key(|(offset, _)| *offset);
    let mut stack: Vec<Scope> = Vec::new();
    let mut next = 0;
    for (offset, import) in imports.iter_mut() {
        while next < scopes.len() && scopes[next].start <= *offset {
            stack.push(scopes[next]);
            next += 1;
        }
        stack.retain(|s| s.end > *offset);
        if stack.iter().any(|s| s.kind == ImportKind::TypeOnly) {
            import.kind = ImportKind::TypeOnly;
        } else if stack.iter().any(|s| s.kind == ImportKind::Lazy)
            && matches!(import.kind, ImportKind::Static | ImportKind::Require)
        {
            import.kind = ImportKind::Lazy;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_reading_leaves_no_deadline_behind() {
        // Caught above (the MCP server, the fuzzer), a panic must not leave
        // the thread's next file under a deadline already past.
        let caught = std::panic::catch_unwind(|| {
            within_time_limit::<()>(|| {
                assert!(DEADLINE.get().is_some() || parse_timeout_ms() == 0);
                panic!("a bug while reading a file")
            })
        });
        assert!(caught.is_err());
        assert_eq!(DEADLINE.get(), None);
        assert!(!OVERRUN.get());
    }

    #[test]
    fn keyword_ranges_equal_a_fresh_search_per_occurrence() {
        // The ranges as first written: every occurrence searched alone.
        fn fresh(source: &[u8], keywords: &[Keyword]) -> Vec<Range<usize>> {
            let mut ranges = Vec::new();
            for keyword in keywords {
                for at in memchr::memmem::find_iter(source, keyword.word.as_bytes()) {
                    if !keyword.stands_at(source, at) {
                        continue;
                    }
                    let line_start = memchr::memrchr(b'\n', &source[..at]).map_or(0, |i| i + 1);
                    let stops: &[u8] = match keyword.extent {
                        Extent::Until(stops) => stops,
                        _ => b"\n",
                    };
                    let after = at + keyword.word.len();
                    let end = source[after..]
                        .iter()
                        .position(|b| stops.contains(b))
                        .map_or(source.len(), |i| after + i + 1);
                    ranges.push(line_start..end);
                }
            }
            ranges.sort_by_key(|r| r.start);
            let mut merged: Vec<Range<usize>> = Vec::new();
            for range in ranges {
                match merged.last_mut() {
                    Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                    _ => merged.push(range),
                }
            }
            merged
        }
        let sources: [&[u8]; 6] = [
            b"<?php\nuse A\\B;\nclass P; class Q extends R { function f() {} }\nuse C;",
            b"<?php class P;\n\nclass P;\nclass P; use X",
            b"<?php\nfunction a($x)\n{\n}\nfunction b(); function c() { use D; }",
            b"use a::b;\nfn f() { crate::x::y(); }\nmod m; use c::{d,\ne};",
            b"import a\nfrom b import (c,\n d)\nx = __import__('e')",
            b"class P;class P;class P;use",
        ];
        for language in Language::ALL {
            let keywords = language.spec().import_keywords;
            for source in sources {
                assert_eq!(
                    keyword_ranges(source, keywords),
                    fresh(source, keywords),
                    "{language:?} {}",
                    String::from_utf8_lossy(source)
                );
            }
        }
    }

    #[test]
    fn language_from_path_uses_the_last_extension() {
        assert_eq!(Language::from_path("a/b.py"), Some(Language::Python));
        assert_eq!(Language::from_path("a/b.d.ts"), Some(Language::TypeScript));
        assert_eq!(Language::from_path("x.tsx"), Some(Language::Tsx));
        assert_eq!(Language::from_path("x.cjs"), Some(Language::JavaScript));
        assert_eq!(Language::from_path("Makefile"), None);
        assert_eq!(Language::from_path("a.d/b"), None);
        assert_eq!(Language::from_path("x.PY"), None);
    }

    #[test]
    fn lines_are_counted_with_or_without_a_final_newline() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a"), 1);
        assert_eq!(count_lines(b"a\n"), 1);
        assert_eq!(count_lines(b"a\nb"), 2);
    }

    #[test]
    fn abstractness_reads_bases() {
        assert!(is_abstract("class", "(Protocol)"));
        assert!(is_abstract("class", "(typing.Protocol[T])"));
        assert!(is_abstract("class", "(metaclass=ABCMeta)"));
        assert!(!is_abstract("class", "(ProtocolError)"));
        assert!(is_abstract("interface", ""));
        assert!(!is_abstract("function", "(Protocol)"));
    }
}
