//! Token streams for duplicate detection, read from the leaves of the tree
//! the parse already built (no second parse, no lexer of our own).
//!
//! Comments and whitespace are dropped. String and number literals are one
//! token each, whatever their inner structure, unless a string spans lines
//! or reaches [`LONG_LITERAL`] bytes, and a third of it or more is words:
//! then its words are tokens, compared as written (a copied SQL query or
//! template is a clone); a string that is a statement of its own (a
//! docstring) stays one token. What must never be part of
//! a clone becomes a barrier token, a sentinel that matches nothing: each
//! import statement (`import`, `use`, `from x import`, `export ... from`,
//! `require(...)` calls, PHP's `require` and `include`), and every region
//! between `vantage-ignore-start` and `vantage-ignore-end` comments. A Rust
//! `use` inside a function body is part of the code around it: left out,
//! no barrier, so a copied body is one clone across it. A file
//! whose header says it is generated keeps its tokens but is marked.

use std::sync::OnceLock;

use tree_sitter::{Node, TreeCursor};
use xxhash_rust::xxh3::xxh3_64;

use super::{Language, LanguageFamily};

/// What a token is, for normalisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum TokenClass {
    /// Keywords, operators, punctuation: compared as written.
    Plain,
    /// A name: renamed consistently in the default mode.
    Identifier,
    /// A string, number or other literal: like a name.
    Literal,
    /// A sentinel in place of an import statement or an ignored region.
    Barrier,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    /// xxh3 of the text (of the kind, for anonymous tokens).
    pub text: u64,
    /// Byte range in the file.
    pub start: u32,
    pub end: u32,
    pub class: TokenClass,
}

/// A file's tokens and what locating them needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TokenStream {
    pub tokens: Vec<Token>,
    /// Byte offset of each line's start; line `n` (1-based) starts at
    /// `line_starts[n - 1]`.
    pub line_starts: Vec<u32>,
    /// The header says the file is generated (`@generated`, `DO NOT EDIT`,
    /// ...): it takes part in no clone.
    pub generated: bool,
    /// The line of a `vantage-ignore-start` no `vantage-ignore-end` closes:
    /// the rest of the file is ignored, which its author may not mean.
    pub unclosed_ignore: Option<u32>,
    /// Functions, methods and closures as token ranges `[start, end)`, in
    /// the order they start (outer before inner): the units near-miss
    /// clone detection compares whole.
    pub units: Vec<(u32, u32)>,
}

impl TokenStream {
    /// 1-based line and column (in bytes) of a byte offset.
    pub fn position(&self, offset: u32) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let column = offset - self.line_starts[line - 1];
        (line as u32, column + 1)
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: u32) -> u32 {
        self.position(offset).0
    }
}

/// Node kinds per grammar.
struct Kinds {
    /// xxh3 of each kind's name: for anonymous tokens (keywords,
    /// punctuation) the name is the text, so `mut` hashes alike whether the
    /// grammar made it a keyword or a named leaf (inside a macro).
    text: Vec<u64>,
    identifier: Vec<bool>,
    literal: Vec<bool>,
    comment: Vec<bool>,
    barrier: Vec<bool>,
    /// Statements that are imports when they have a `source` field
    /// (`export ... from`).
    reexport: Vec<bool>,
    /// Calls that are imports when they call `require` (CommonJS).
    call: Vec<bool>,
    /// Blocks of code in which an import is part of the code around it
    /// (a Rust `use` inside a function body): left out, not a barrier, so
    /// that a copied body is one clone across it.
    body: Vec<bool>,
    /// Functions, methods and closures: units of near-miss detection.
    unit: Vec<bool>,
    /// Rust's `fn` keyword and token trees: a function written inside a
    /// macro call (`rt_test! { fn f() {...} }`) is a unit too, though the
    /// grammar leaves it unparsed.
    fn_keyword: Option<u16>,
    token_tree: Option<u16>,
}

impl Kinds {
    fn build(language: &tree_sitter::Language, family: LanguageFamily) -> Kinds {
        let (identifiers, literals, comments, barriers): (&[&str], &[&str], &[&str], &[&str]) =
            match family {
                LanguageFamily::Python => (
                    &["identifier"],
                    &["string", "concatenated_string", "integer", "float"],
                    &["comment"],
                    &[
                        "import_statement",
                        "import_from_statement",
                        "future_import_statement",
                    ],
                ),
                LanguageFamily::TypeScript | LanguageFamily::JavaScript => (
                    &[
                        "identifier",
                        "property_identifier",
                        "shorthand_property_identifier",
                        "shorthand_property_identifier_pattern",
                        "private_property_identifier",
                        "statement_identifier",
                        "type_identifier",
                    ],
                    &["string", "template_string", "number", "regex"],
                    &["comment", "html_comment"],
                    &["import_statement"],
                ),
                LanguageFamily::Php => (
                    &["name", "variable_name"],
                    &[
                        "string",
                        "encapsed_string",
                        "integer",
                        "float",
                        "heredoc",
                        "nowdoc",
                    ],
                    &["comment"],
                    &[
                        "namespace_use_declaration",
                        "require_expression",
                        "require_once_expression",
                        "include_expression",
                        "include_once_expression",
                    ],
                ),
                LanguageFamily::Rust => (
                    &[
                        "identifier",
                        "type_identifier",
                        "field_identifier",
                        "shorthand_field_identifier",
                    ],
                    &[
                        "string_literal",
                        "raw_string_literal",
                        "char_literal",
                        "integer_literal",
                        "float_literal",
                    ],
                    &["line_comment", "block_comment"],
                    &["use_declaration", "extern_crate_declaration"],
                ),
            };
        let count = language.node_kind_count();
        let table = |names: &[&str]| {
            let mut set = vec![false; count];
            for id in 0..count as u16 {
                if language.node_kind_is_named(id)
                    && language
                        .node_kind_for_id(id)
                        .is_some_and(|k| names.contains(&k))
                {
                    set[id as usize] = true;
                }
            }
            set
        };
        // Statements that import only with a `source` (`export ... from`),
        // and calls that import only when they call `require`.
        let (reexports, calls): (&[&str], &[&str]) = match family {
            LanguageFamily::TypeScript | LanguageFamily::JavaScript => {
                (&["export_statement"], &["call_expression"])
            }
            LanguageFamily::Python | LanguageFamily::Php | LanguageFamily::Rust => (&[], &[]),
        };
        // Only Rust for now: a Python or TypeScript import inside a
        // function is a lazy load, which the barrier keeps apart.
        let bodies: &[&str] = match family {
            LanguageFamily::Rust => &["block"],
            _ => &[],
        };
        let units: &[&str] = match family {
            LanguageFamily::Python => &["function_definition", "lambda"],
            LanguageFamily::TypeScript | LanguageFamily::JavaScript => &[
                "function_declaration",
                "function_expression",
                "function",
                "generator_function_declaration",
                "generator_function",
                "arrow_function",
                "method_definition",
            ],
            LanguageFamily::Php => &[
                "function_definition",
                "method_declaration",
                "anonymous_function",
                "anonymous_function_creation_expression",
                "arrow_function",
            ],
            LanguageFamily::Rust => &["function_item", "closure_expression"],
        };
        let rust = family == LanguageFamily::Rust;
        Kinds {
            fn_keyword: rust.then(|| language.id_for_node_kind("fn", false)),
            token_tree: rust.then(|| language.id_for_node_kind("token_tree", true)),
            unit: table(units),
            body: table(bodies),
            reexport: table(reexports),
            call: table(calls),
            text: (0..count as u16)
                .map(|id| xxh3_64(language.node_kind_for_id(id).unwrap_or("").as_bytes()))
                .collect(),
            identifier: table(identifiers),
            literal: table(literals),
            comment: table(comments),
            barrier: table(barriers),
        }
    }
}

fn kinds(language: Language) -> &'static Kinds {
    static KINDS: [OnceLock<Kinds>; Language::COUNT] = [const { OnceLock::new() }; Language::COUNT];
    KINDS[language.index()].get_or_init(|| Kinds::build(&language.grammar(), language.family()))
}

/// The `text` of the barrier standing for an ignored region (an import's
/// is 0): the region holds no code lines either.
pub const IGNORED: u64 = 1;

/// Header markers of generated code, looked for in the comments before the
/// first token, in the first lines.
const GENERATED_MARKERS: &[&str] = &[
    "@generated",
    "do not edit",
    "auto-generated",
    "autogenerated",
    "automatically generated",
    "code generated by",
    "this file is generated",
    "this file was generated",
];

/// Comments starting in the first lines may mark the file generated.
const HEADER_LINES: usize = 10;

/// Whether a header comment says the file is generated: one of the
/// markers, or a comment opening with "Generated by" (Django's migrations,
/// protoc); "token streams generated by the lexer" in a sentence is not.
fn is_generated(comment: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&comment[..comment.len().min(2048)]).to_lowercase();
    let opening = text.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '/' | '*' | '#' | '!' | '-' | '<' | '{')
    });
    opening.starts_with("generated by") || GENERATED_MARKERS.iter().any(|m| text.contains(m))
}

/// `require('x')`: a call of `require` with one string (AMD's
/// `require([...], function () {...})` holds code, and is read).
fn is_require(call: Node, source: &[u8]) -> bool {
    let callee = call.child_by_field_name("function");
    if callee.is_none_or(|f| &source[f.start_byte()..f.end_byte()] != b"require") {
        return false;
    }
    let Some(arguments) = call.child_by_field_name("arguments") else {
        return false;
    };
    arguments.named_child_count() == 1
        && arguments
            .named_child(0)
            .is_some_and(|a| matches!(a.kind(), "string" | "template_string"))
}

fn line_starts(source: &[u8]) -> Vec<u32> {
    let mut starts = Vec::with_capacity(source.len() / 32 + 1);
    starts.push(0);
    starts.extend(memchr::memchr_iter(b'\n', source).map(|i| i as u32 + 1));
    starts
}

/// The token stream of a parsed file. Iterative: deep nesting cannot
/// overflow the stack.
/// A literal from this many bytes, or spanning lines, is code in its own
/// right (a query, a template, a payload, an expected output): its words
/// are tokens, so that a copied one is found.
pub const LONG_LITERAL: usize = 100;

fn is_long(text: &[u8]) -> bool {
    text.len() >= LONG_LITERAL || memchr::memchr(b'\n', text).is_some()
}

/// Whether a third or more of the literal's tokens are words: a query, a
/// template or a payload is; a regular expression or an escaped table
/// (`(?:(?:[\t]*...`, which repeats itself inside one line) is not, and
/// stays one token.
fn is_wordy(text: &[u8]) -> bool {
    let mut words = 0;
    let mut others = 0;
    let mut in_word = false;
    for &b in text {
        let word = b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
        if word && !in_word {
            words += 1;
        } else if !word && !b.is_ascii_whitespace() {
            others += 1;
        }
        in_word = word;
    }
    words * 3 >= words + others
}

/// A string that is a statement of its own: a docstring, a directive.
/// Documentation stays one token, as comments stay out.
fn is_documentation(node: Node) -> bool {
    node.parent().is_some_and(|parent| {
        parent.kind() == "expression_statement" && parent.named_child_count() == 1
    })
}

/// The words of a long literal as plain tokens, compared as written (a
/// renamed query is another query): runs of letters, digits and `_`, and
/// every other byte that is not white space.
fn push_words(tokens: &mut Vec<Token>, offset: usize, text: &[u8]) {
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            while i < text.len()
                && (text[i].is_ascii_alphanumeric() || text[i] == b'_' || text[i] >= 0x80)
            {
                i += 1;
            }
        } else {
            i += 1;
        }
        tokens.push(Token {
            text: xxh3_64(&text[start..i]),
            start: (offset + start) as u32,
            end: (offset + i) as u32,
            class: TokenClass::Plain,
        });
    }
}

/// Byte ranges as ranges of the tokens lying inside them (tokens are in
/// order of their start); empty ones are dropped.
fn token_ranges(tokens: &[Token], bytes: &[(u32, u32)]) -> Vec<(u32, u32)> {
    bytes
        .iter()
        .filter_map(|&(from, to)| {
            let start = tokens.partition_point(|t| t.start < from);
            let end = tokens.partition_point(|t| t.start < to);
            (end > start).then_some((start as u32, end as u32))
        })
        .collect()
}

/// The end of a function written in a macro's token tree: the first
/// `{...}` tree after its `fn`, unless a `;` comes first (a declaration).
fn macro_fn_end(fn_keyword: Node, token_tree: Option<u16>, source: &[u8]) -> Option<u32> {
    let mut next = fn_keyword.next_sibling();
    while let Some(n) = next {
        if Some(n.kind_id()) == token_tree && source.get(n.start_byte()) == Some(&b'{') {
            return Some(n.end_byte() as u32);
        }
        if n.kind() == ";" {
            return None;
        }
        next = n.next_sibling();
    }
    None
}

pub fn read_tokens(language: Language, root: Node, source: &[u8]) -> TokenStream {
    let kinds = kinds(language);
    let mut tokens = Vec::with_capacity(source.len() / 8);
    let mut ignoring = false;
    // The line of the comment that started the ignored region.
    let mut ignored_from = 0;
    let mut generated = false;
    // Byte ranges of the units, mapped to token ranges at the end.
    let mut unit_bytes: Vec<(u32, u32)> = Vec::new();
    let mut cursor: TreeCursor = root.walk();
    let push = |tokens: &mut Vec<Token>, node: Node, class: TokenClass, text: u64| {
        tokens.push(Token {
            text,
            start: node.start_byte() as u32,
            end: node.end_byte() as u32,
            class,
        });
    };
    let text_of = |node: Node| &source[node.start_byte()..node.end_byte()];
    loop {
        let node = cursor.node();
        let kind = node.kind_id() as usize;
        let flag = |table: &Vec<bool>| table.get(kind).copied().unwrap_or(false);
        // Whether the node's children are to be read.
        let mut descend = true;
        if flag(&kinds.unit) {
            unit_bytes.push((node.start_byte() as u32, node.end_byte() as u32));
        } else if Some(node.kind_id()) == kinds.fn_keyword
            && node.parent().map(|p| p.kind_id()) == kinds.token_tree
            && let Some(end) = macro_fn_end(node, kinds.token_tree, source)
        {
            unit_bytes.push((node.start_byte() as u32, end));
        }
        if flag(&kinds.comment) {
            let text = text_of(node);
            if memchr::memmem::find(text, b"vantage-ignore-start").is_some() {
                if !ignoring {
                    push(&mut tokens, node, TokenClass::Barrier, IGNORED);
                    ignored_from = node.start_position().row as u32 + 1;
                }
                ignoring = true;
            } else if memchr::memmem::find(text, b"vantage-ignore-end").is_some() {
                ignoring = false;
            } else if tokens.len() <= 1 // `<?php`
                && tokens.iter().all(|t| t.class == TokenClass::Plain)
                && node.start_position().row < HEADER_LINES
                && is_generated(text)
            {
                generated = true;
            }
            descend = false;
        } else if ignoring {
            // Inside an ignored region: nothing but its end comment counts.
        } else if flag(&kinds.barrier)
            && node
                .parent()
                .is_some_and(|parent| kinds.body.get(parent.kind_id() as usize) == Some(&true))
        {
            descend = false;
        } else if flag(&kinds.barrier)
            || (flag(&kinds.reexport) && node.child_by_field_name("source").is_some())
            || (flag(&kinds.call) && is_require(node, source))
        {
            push(&mut tokens, node, TokenClass::Barrier, 0);
            descend = false;
        } else if flag(&kinds.literal) {
            let text = text_of(node);
            if is_long(text) && !is_documentation(node) && is_wordy(text) {
                push_words(&mut tokens, node.start_byte(), text);
            } else {
                push(&mut tokens, node, TokenClass::Literal, xxh3_64(text));
            }
            descend = false;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        // A leaf (no child to go to), outside ignored regions.
        if descend && !ignoring && node.end_byte() > node.start_byte() {
            if flag(&kinds.identifier) {
                push(
                    &mut tokens,
                    node,
                    TokenClass::Identifier,
                    xxh3_64(text_of(node)),
                );
            } else if node.is_named() {
                push(&mut tokens, node, TokenClass::Plain, xxh3_64(text_of(node)));
            } else {
                // Keywords and punctuation: the kind says it all.
                push(&mut tokens, node, TokenClass::Plain, kinds.text[kind]);
            }
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return TokenStream {
                    units: token_ranges(&tokens, &unit_bytes),
                    tokens,
                    line_starts: line_starts(source),
                    generated,
                    unclosed_ignore: ignoring.then_some(ignored_from),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(language: Language, source: &str) -> TokenStream {
        crate::lang::extract_with(language, source.as_bytes(), crate::lang::Extraction::Tokens)
            .unwrap()
            .tokens
            .unwrap()
    }

    #[test]
    fn generated_headers_are_comments_in_the_first_lines() {
        assert!(
            stream(
                Language::Rust,
                "// Code generated by protoc. DO NOT EDIT.\nfn f() {}\n"
            )
            .generated
        );
        assert!(stream(Language::Php, "<?php\n/**\n * @generated\n */\n").generated);
        assert!(
            stream(
                Language::Python,
                "# Generated by Django 4.2 on 2023-04-01\nx = 1\n"
            )
            .generated
        );
        let late = format!("{}# do not edit\n", "x = 1\n".repeat(12));
        assert!(!stream(Language::Python, &late).generated);
        // Code and strings that name the markers are no header.
        assert!(
            !stream(
                Language::Python,
                "AUTOGENERATED_FIELDS = ['auto-generated']\n"
            )
            .generated
        );
        // Nor are comments after code, or sentences that mention it.
        assert!(
            !stream(
                Language::Python,
                "x = uuid4()  # do not edit: generated by uuid\n"
            )
            .generated
        );
        assert!(
            !stream(
                Language::Rust,
                "//! Parses token streams generated by the lexer.\nfn f() {}\n"
            )
            .generated
        );
    }

    #[test]
    fn a_rust_use_in_a_body_is_left_out_not_a_barrier() {
        use TokenClass::*;
        let classes = |source: &str| -> Vec<TokenClass> {
            stream(Language::Rust, source)
                .tokens
                .iter()
                .map(|t| t.class)
                .collect()
        };
        // At the top of a file or module: a barrier, as every import.
        assert_eq!(classes("use a::b;\nfn f() {}\n")[0], Barrier);
        assert_eq!(
            classes("mod m { use a::b; }\n"),
            [Plain, Identifier, Plain, Barrier, Plain]
        );
        // In a function body: part of the code, which runs on across it
        // (tokio's tests copy bodies that `use` what they need).
        let body = classes("fn f() { g(); use std::sync::Arc; h(); }\n");
        assert!(!body.contains(&Barrier), "{body:?}");
        assert_eq!(
            body,
            classes("fn f() { g(); h(); }\n"),
            "the use leaves no token"
        );
    }

    #[test]
    fn units_are_functions_methods_and_closures_in_every_language() {
        // The first and last token of each unit, as written.
        let units = |language: Language, source: &str| -> Vec<String> {
            let stream = stream(language, source);
            stream
                .units
                .iter()
                .map(|&(s, e)| {
                    let (first, last) =
                        (&stream.tokens[s as usize], &stream.tokens[e as usize - 1]);
                    format!(
                        "{}..{}",
                        &source[first.start as usize..first.end as usize],
                        &source[last.start as usize..last.end as usize]
                    )
                })
                .collect()
        };
        assert_eq!(
            units(
                Language::Python,
                "class A:\n    @property\n    def f(self):\n        return lambda x: x\n"
            ),
            ["def..x", "lambda..x"]
        );
        assert_eq!(
            units(
                Language::TypeScript,
                "class A { m() { return [1].map((x) => x + 1); } }\nfunction g() {}\n"
            ),
            ["m..}", "(..1", "function..}"]
        );
        assert_eq!(
            units(
                Language::Php,
                "<?php class A { public function m() { return fn($x) => $x; } }\nfunction g() {}\n"
            ),
            ["public..}", "fn..x", "function..}"]
        );
        // A function written inside a macro call is a unit, though the
        // grammar leaves it a token tree; a declaration (`;`) is not.
        assert_eq!(
            units(
                Language::Rust,
                "m! { fn a() -> u8 { 1 } fn b(); }\nfn c() { let f = |x| x; }\n"
            ),
            ["fn..}", "fn..}", "|..x"]
        );
    }

    #[test]
    fn comments_go_literals_are_one_token_imports_are_barriers() {
        let tokens = stream(Language::Python, "import os\nx = 'a b c'  # note\n").tokens;
        let classes: Vec<TokenClass> = tokens.iter().map(|t| t.class).collect();
        use TokenClass::*;
        assert_eq!(classes, [Barrier, Identifier, Plain, Literal]);
        let ts = stream(
            Language::TypeScript,
            "export { a } from './a';\nexport const b = 1;\n",
        )
        .tokens;
        assert_eq!(ts[0].class, Barrier, "a re-export is an import");
        let js = stream(Language::JavaScript, "const a = require('a');\n").tokens;
        let classes: Vec<TokenClass> = js.iter().map(|t| t.class).collect();
        assert_eq!(classes, [Plain, Identifier, Plain, Barrier, Plain]);
        let amd = stream(
            Language::JavaScript,
            "require(['a'], function (a) { a(); });\n",
        )
        .tokens;
        assert!(amd.iter().all(|t| t.class != Barrier), "{amd:?}");
        let php = stream(Language::Php, "<?php require_once __DIR__ . '/x.php';\n").tokens;
        let classes: Vec<TokenClass> = php.iter().map(|t| t.class).collect();
        assert_eq!(classes, [Plain, Barrier, Plain]);
        assert_eq!(ts.len(), 7, "{ts:?}");
    }

    #[test]
    fn long_literals_are_words_docstrings_are_not() {
        let source = "def f():\n    \"\"\"Fetch the orders.\n\n    Many lines of documentation.\n    \"\"\"\n    return run(\"\"\"SELECT id, total\n    FROM orders WHERE id = %s\"\"\")\n";
        let tokens = stream(Language::Python, source).tokens;
        let literals = tokens
            .iter()
            .filter(|t| t.class == TokenClass::Literal)
            .count();
        assert_eq!(literals, 1, "the docstring, one token: {tokens:?}");
        let words: Vec<&str> = tokens
            .iter()
            .filter(|t| t.start as usize > source.find("run(").unwrap() + 3)
            .map(|t| &source[t.start as usize..t.end as usize])
            .collect();
        assert_eq!(
            words,
            [
                "\"", "\"", "\"", "SELECT", "id", ",", "total", "FROM", "orders", "WHERE", "id",
                "=", "%", "s", "\"", "\"", "\"", ")"
            ]
        );
        // Short ones stay one token, as do long ones that are not words.
        let short = stream(Language::TypeScript, "const q = 'SELECT 1';\n").tokens;
        assert_eq!(
            short
                .iter()
                .filter(|t| t.class == TokenClass::Literal)
                .count(),
            1
        );
        let pattern = format!("const p = '{}';\n", "(?:[\\t]*(?:\\r\\n))?".repeat(8));
        let tokens = stream(Language::TypeScript, &pattern).tokens;
        assert_eq!(
            tokens
                .iter()
                .filter(|t| t.class == TokenClass::Literal)
                .count(),
            1,
            "{pattern}"
        );
    }

    #[test]
    fn positions_are_one_based() {
        let stream = TokenStream {
            line_starts: line_starts(b"ab\ncd\n"),
            ..TokenStream::default()
        };
        assert_eq!(stream.position(0), (1, 1));
        assert_eq!(stream.position(4), (2, 2));
    }
}
