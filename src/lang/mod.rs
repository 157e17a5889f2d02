//! The language table: one entry per grammar, with its extensions, its
//! compiled-in queries and the function that reads import matches.
//!
//! Adding a language means one `LanguageSpec` entry in [`SPECS`], its
//! `queries/<lang>/*.scm` files, an import reader and a resolver in its own
//! file. Everything shared (parsers per thread, definitions, scopes, syntax
//! errors) lives here.

pub mod python;
mod python_scan;
pub mod stdlib;
pub mod typescript;

use std::cell::RefCell;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;
use tree_sitter::{Node, Parser, Query, QueryCursor, QueryMatch, StreamingIterator, Tree};

use crate::facts::{Definition, FileFacts, ImportKind, RawImport};

/// A grammar vantage parses with. TSX is its own grammar, but reports as
/// TypeScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Python,
    TypeScript,
    Tsx,
    JavaScript,
}

/// The languages as users name them in output and summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageFamily {
    Python,
    TypeScript,
    JavaScript,
}

impl LanguageFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            LanguageFamily::Python => "python",
            LanguageFamily::TypeScript => "typescript",
            LanguageFamily::JavaScript => "javascript",
        }
    }
}

/// Reads the matches of a language's `imports.scm` into raw imports, within
/// the given byte ranges of the file.
type ImportReader = fn(&Query, Node, &[u8], &[Range<usize>]) -> Vec<RawImport>;

/// Finds the byte ranges of the statements that may hold an import; `None`
/// when the file cannot be scanned (then it is parsed whole).
type StatementScan = fn(&[u8]) -> Option<Vec<Range<usize>>>;

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
}

/// Every JS/TS import form has one of: `from '...'` (static imports and
/// re-exports), `import '...'` / `import(...)` (side-effect and dynamic
/// imports), `require(...)`.
const JS_IMPORT_KEYWORDS: &[Keyword] = &[
    Keyword::followed_by("from", b"'\"`"),
    Keyword::followed_by("import", b"'\"`("),
    Keyword::followed_by("require", b"("),
    // `/// <reference path="..." />`, which lives in a comment.
    Keyword {
        word: "<reference",
        then: b"p",
        in_comment: true,
    },
];

/// A word that marks where imports may be: see [`import_ranges`].
pub struct Keyword {
    pub word: &'static str,
    /// When not empty, the word counts only when the next byte after
    /// optional whitespace is one of these.
    pub then: &'static [u8],
    /// Whether the word counts inside a comment (else comments and string
    /// literals are passed over: doc comments quote imports in examples).
    pub in_comment: bool,
}

impl Keyword {
    const fn word(word: &'static str) -> Keyword {
        Keyword {
            word,
            then: b"",
            in_comment: false,
        }
    }

    const fn followed_by(word: &'static str, then: &'static [u8]) -> Keyword {
        Keyword {
            word,
            then,
            in_comment: false,
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
        if self.then.is_empty() {
            return true;
        }
        let next = source[end..].iter().find(|b| !b.is_ascii_whitespace());
        next.is_some_and(|b| self.then.contains(b))
    }
}

const SPECS: [LanguageSpec; 4] = [
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
        ],
        read_imports: python::read_imports,
        import_statements: Some(python_scan::import_statements),
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
        import_statements: None,
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
        import_statements: None,
    },
];

impl Language {
    pub const ALL: [Language; 4] = [
        Language::Python,
        Language::TypeScript,
        Language::Tsx,
        Language::JavaScript,
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
}

/// Compiles a language's queries. Fails only if a shipped query does not
/// match its grammar, which `tests/queries.rs` rules out for every release.
pub fn compile_queries(language: Language) -> Result<CompiledQueries, tree_sitter::QueryError> {
    let grammar = language.grammar();
    let spec = language.spec();
    Ok(CompiledQueries {
        imports: Query::new(&grammar, spec.imports_query)?,
        definitions: Query::new(&grammar, spec.definitions_query)?,
    })
}

/// Which query of a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryKind {
    Imports,
    Definitions,
}

/// A shipped query, compiled on first use. Compiling costs milliseconds
/// (tens for TypeScript), so [`warm_queries`] compiles them in parallel.
fn query(language: Language, kind: QueryKind) -> &'static Query {
    static IMPORTS: [OnceLock<Query>; 4] = [const { OnceLock::new() }; 4];
    static DEFINITIONS: [OnceLock<Query>; 4] = [const { OnceLock::new() }; 4];
    let (slot, source) = match kind {
        QueryKind::Imports => (&IMPORTS, language.spec().imports_query),
        QueryKind::Definitions => (&DEFINITIONS, language.spec().definitions_query),
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
    let kinds: &[QueryKind] = match extraction {
        Extraction::Full => &[QueryKind::Imports, QueryKind::Definitions],
        Extraction::ImportsOnly => &[QueryKind::Imports],
    };
    let jobs: Vec<(Language, QueryKind)> = languages
        .iter()
        .flat_map(|&l| kinds.iter().map(move |&k| (l, k)))
        .collect();
    jobs.par_iter().for_each(|&(language, kind)| {
        query(language, kind);
    });
}

thread_local! {
    // A Parser cannot be shared across threads; one per thread per language
    // keeps its allocations warm across files.
    static PARSERS: RefCell<[Option<Parser>; 4]> = const { RefCell::new([None, None, None, None]) };
}

/// Parses `source` with the thread's parser for `language`.
fn parse_tree(language: Language, source: &[u8]) -> Option<Tree> {
    parse_ranges(language, source, &[])
}

/// Parses only `included` (the whole file when empty): positions in the tree
/// are still those of the whole file.
fn parse_ranges(
    language: Language,
    source: &[u8],
    included: &[tree_sitter::Range],
) -> Option<Tree> {
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
        let parser = slot.as_mut()?;
        if included.is_empty() {
            return parser.parse(source, None);
        }
        // Ranges come sorted and disjoint; a refusal means a bug upstream,
        // and parsing the whole file is the safe answer.
        if parser.set_included_ranges(included).is_err() {
            return parser.parse(source, None);
        }
        let tree = parser.parse(source, None);
        parser
            .set_included_ranges(&[])
            .expect("the whole document is always a valid range");
        tree
    })
}

/// Why a file yielded no facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseFailure {
    /// tree-sitter returned no tree at all.
    NoTree,
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
}

/// Parses a file and reduces it to its facts; the tree is dropped here.
pub fn extract_facts(language: Language, source: &[u8]) -> Result<FileFacts, ParseFailure> {
    extract(language, source, true, Extraction::Full)
}

/// Reduces a file to what [`Extraction`] asks for.
pub fn extract_with(
    language: Language,
    source: &[u8],
    extraction: Extraction,
) -> Result<FileFacts, ParseFailure> {
    match (extraction, language.spec().import_statements) {
        (Extraction::ImportsOnly, Some(scan)) => match scan(source) {
            Some(statements) => extract_imports_from(language, source, &statements),
            None => extract(language, source, true, extraction),
        },
        _ => extract(language, source, true, extraction),
    }
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
    let tree = parse_ranges(language, source, &included).ok_or(ParseFailure::NoTree)?;
    let root = tree.root_node();
    if root.has_error() {
        return extract(language, source, true, Extraction::ImportsOnly);
    }
    let whole = [root.byte_range()];
    facts.imports =
        (language.spec().read_imports)(query(language, QueryKind::Imports), root, source, &whole);
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
    extract(language, source, false, Extraction::Full)
}

fn extract(
    language: Language,
    source: &[u8],
    prefilter: bool,
    extraction: Extraction,
) -> Result<FileFacts, ParseFailure> {
    let tree = parse_tree(language, source).ok_or(ParseFailure::NoTree)?;
    let root = tree.root_node();
    let spec = language.spec();
    let ranges = if prefilter {
        import_ranges(root, source, spec.import_keywords)
    } else {
        vec![root.byte_range()]
    };
    let imports = (spec.read_imports)(query(language, QueryKind::Imports), root, source, &ranges);
    let definitions = match extraction {
        Extraction::Full => read_definitions(query(language, QueryKind::Definitions), root, source),
        Extraction::ImportsOnly => Vec::new(),
    };
    Ok(FileFacts {
        imports,
        definitions,
        lines: count_lines(source),
        syntax_error_line: first_error_line(root),
        non_utf8: std::str::from_utf8(source).is_err(),
    })
}

/// Parses and drops the tree: the floor the benchmark compares the whole
/// pipeline with. Returns whether a tree was produced.
pub fn parse_only(language: Language, source: &[u8]) -> bool {
    parse_tree(language, source).is_some()
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

/// Runs a query over each range and hands every match to `f`.
pub(crate) fn each_match(
    query: &Query,
    root: Node,
    source: &[u8],
    ranges: &[Range<usize>],
    mut f: impl FnMut(&QueryMatch),
) {
    let mut cursor = QueryCursor::new();
    for range in ranges {
        cursor.set_byte_range(range.clone());
        let mut matches = cursor.matches(query, root, source);
        while let Some(m) = matches.next() {
            f(m);
        }
    }
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
    let mut matches = cursor.matches(query, root, source);
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
    out.dedup_by(|a, b| a.start_line == b.start_line && a.name == b.name);
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
