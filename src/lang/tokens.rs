//! Token streams for duplicate detection, read from the leaves of the tree
//! the parse already built (no second parse, no lexer of our own).
//!
//! Comments and whitespace are dropped. String and number literals are one
//! token each, whatever their inner structure. What must never be part of
//! a clone becomes a barrier token, a sentinel that matches nothing: each
//! import statement (`import`, `use`, `from x import`), and every region
//! between `vantage-ignore-start` and `vantage-ignore-end` comments. A file
//! whose header says it is generated keeps its tokens but is marked.

use std::sync::OnceLock;

use tree_sitter::{Node, TreeCursor};
use xxhash_rust::xxh3::xxh3_64;

use super::{Language, LanguageFamily};

/// What a token is, for normalisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// xxh3 of the text (of the kind, for anonymous tokens).
    pub text: u64,
    /// Byte range in the file.
    pub start: u32,
    pub end: u32,
    pub class: TokenClass,
}

/// A file's tokens and what locating them needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenStream {
    pub tokens: Vec<Token>,
    /// Byte offset of each line's start; line `n` (1-based) starts at
    /// `line_starts[n - 1]`.
    pub line_starts: Vec<u32>,
    /// The header says the file is generated (`@generated`, `DO NOT EDIT`,
    /// ...): it takes part in no clone.
    pub generated: bool,
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
                    &["namespace_use_declaration"],
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
        Kinds {
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
    static KINDS: [OnceLock<Kinds>; 6] = [const { OnceLock::new() }; 6];
    KINDS[language.index()].get_or_init(|| Kinds::build(&language.grammar(), language.family()))
}

/// The `text` of the barrier standing for an ignored region (an import's
/// is 0): the region holds no code lines either.
pub const IGNORED: u64 = 1;

/// Header markers of generated code, looked for in the first lines.
const GENERATED_MARKERS: &[&str] = &[
    "@generated",
    "do not edit",
    "auto-generated",
    "autogenerated",
    "automatically generated",
    "code generated by",
];

/// Whether the first lines of a file say it is generated.
fn is_generated(source: &[u8]) -> bool {
    let mut end = 0;
    for (lines, at) in memchr::memchr_iter(b'\n', source).enumerate() {
        end = at;
        if lines == 9 {
            break;
        }
    }
    if end == 0 {
        end = source.len();
    }
    let head = String::from_utf8_lossy(&source[..end.min(2048)]).to_lowercase();
    GENERATED_MARKERS.iter().any(|m| head.contains(m))
}

fn line_starts(source: &[u8]) -> Vec<u32> {
    let mut starts = Vec::with_capacity(source.len() / 32 + 1);
    starts.push(0);
    starts.extend(memchr::memchr_iter(b'\n', source).map(|i| i as u32 + 1));
    starts
}

/// The token stream of a parsed file. Iterative: deep nesting cannot
/// overflow the stack.
pub fn read_tokens(language: Language, root: Node, source: &[u8]) -> TokenStream {
    let kinds = kinds(language);
    let mut tokens = Vec::with_capacity(source.len() / 4);
    let mut ignoring = false;
    let mut cursor: TreeCursor = root.walk();
    let text_hash = |node: Node| xxh3_64(&source[node.start_byte()..node.end_byte()]);
    let push = |tokens: &mut Vec<Token>, node: Node, class: TokenClass, text: u64| {
        tokens.push(Token {
            text,
            start: node.start_byte() as u32,
            end: node.end_byte() as u32,
            class,
        });
    };
    loop {
        let node = cursor.node();
        let kind = node.kind_id() as usize;
        let mut descend = true;
        if kinds.comment.get(kind).copied().unwrap_or(false) {
            let text = &source[node.start_byte()..node.end_byte()];
            if memchr::memmem::find(text, b"vantage-ignore-start").is_some() {
                if !ignoring {
                    push(&mut tokens, node, TokenClass::Barrier, IGNORED);
                }
                ignoring = true;
            } else if memchr::memmem::find(text, b"vantage-ignore-end").is_some() {
                ignoring = false;
            }
            descend = false;
        } else if ignoring {
            // Inside an ignored region: nothing but its end comment counts.
        } else if kinds.barrier.get(kind).copied().unwrap_or(false) {
            push(&mut tokens, node, TokenClass::Barrier, 0);
            descend = false;
        } else if kinds.literal.get(kind).copied().unwrap_or(false) {
            push(&mut tokens, node, TokenClass::Literal, text_hash(node));
            descend = false;
        } else if node.child_count() == 0 && node.end_byte() > node.start_byte() {
            if kinds.identifier.get(kind).copied().unwrap_or(false) {
                push(&mut tokens, node, TokenClass::Identifier, text_hash(node));
            } else if node.is_named() {
                push(&mut tokens, node, TokenClass::Plain, text_hash(node));
            } else {
                // Keywords and punctuation: the kind says it all.
                push(&mut tokens, node, TokenClass::Plain, kinds.text[kind]);
            }
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return TokenStream {
                    tokens,
                    line_starts: line_starts(source),
                    generated: is_generated(source),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_headers_are_found_in_the_first_lines_only() {
        assert!(is_generated(
            b"// Code generated by protoc. DO NOT EDIT.\npackage x\n"
        ));
        assert!(is_generated(b"<?php\n/**\n * @generated\n */\n"));
        let late = format!("{}# do not edit\n", "x = 1\n".repeat(12));
        assert!(!is_generated(late.as_bytes()));
        assert!(!is_generated(b"def f():\n    return 1\n"));
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
