//! A lexical pass over Python source that finds the statements which may
//! hold an import, so that a graph-only run parses those alone.
//!
//! Python makes this cheap. A *logical line* starts at the first code byte
//! of a physical line that is not inside brackets, a string or a backslash
//! continuation; its indentation says which block it belongs to. A
//! *statement* at some indentation is a logical line there, with the more
//! indented lines after it (its body) and the `else`/`elif`/`except`/
//! `finally` branches that continue it; a decorator line glues to what it
//! decorates. The scan knows strings and comments, so a docstring that says
//! `import os` is not a hit.
//!
//! The statements kept are those holding an import word. A kept `class` is
//! not kept whole: its header is, and then only those statements of its body
//! that hold an import (most lazy imports sit in a few methods of a large
//! class). What is kept is valid Python on its own, with the file's own
//! positions.
//!
//! It is a filter, not a parser: the statements it returns are parsed by
//! tree-sitter (as included ranges of the file), and a parse with any error
//! falls back to parsing the whole file, so a scan mistake costs time, not
//! imports. `tests/queries.rs` checks that both ways find the same imports.

use std::ops::Range;

/// Identifiers that mark a statement as holding an import.
const IMPORT_WORDS: &[&[u8]] = &[
    b"import",
    b"__import__",
    b"import_module",
    // Django models named by strings (queries/python/imports.scm).
    b"ForeignKey",
    b"OneToOneField",
    b"ManyToManyField",
    b"ForeignObject",
    b"AUTH_USER_MODEL",
    b"get_user_model",
    b"AppConfig",
    b"label",
];

/// Keywords that continue the compound statement above them.
const CONTINUATIONS: &[&[u8]] = &[b"else", b"elif", b"except", b"finally"];

#[derive(Clone, Copy, Debug)]
struct LogicalLine {
    /// Offset of the start of its first physical line (its indentation
    /// included).
    start: usize,
    /// Bytes of indentation.
    indent: usize,
    /// It starts with `else`, `elif`, `except` or `finally`.
    continuation: bool,
    decorator: bool,
    class_header: bool,
    has_import: bool,
}

/// Byte ranges to parse, sorted and disjoint, or `None` when the file does
/// not scan cleanly (an unterminated triple-quoted string): then the caller
/// parses it whole.
pub(crate) fn import_statements(source: &[u8]) -> Option<Vec<Range<usize>>> {
    let lines = logical_lines(source)?;
    let mut ranges = Vec::new();
    keep_statements(&lines, 0, lines.len(), source.len(), &mut ranges);
    Some(ranges)
}

/// Walks the statements of one block (`lines[from..to]`, which ends at byte
/// `end`) and keeps those holding an import; recurses into kept classes.
fn keep_statements(
    lines: &[LogicalLine],
    from: usize,
    to: usize,
    end: usize,
    out: &mut Vec<Range<usize>>,
) {
    let Some(first) = lines.get(from).filter(|_| from < to) else {
        return;
    };
    let indent = first.indent;
    // Indices of the lines that start a statement of this block.
    let starts: Vec<usize> = (from..to)
        .filter(|&i| {
            let line = &lines[i];
            line.indent == indent
                && !line.continuation
                && !(i > from && lines[i - 1].decorator && lines[i - 1].indent == indent)
        })
        .collect();
    for (k, &s) in starts.iter().enumerate() {
        let next = starts.get(k + 1).copied().unwrap_or(to);
        if !lines[s..next].iter().any(|l| l.has_import) {
            continue;
        }
        let statement_end = lines
            .get(next)
            .filter(|_| next < to)
            .map_or(end, |l| l.start);
        let header = (s..next).find(|&i| !lines[i].decorator).unwrap_or(s);
        let body = header + 1;
        let only_body_imports = !lines[s..=header].iter().any(|l| l.has_import);
        if lines[header].class_header
            && body < next
            && lines[body].indent > indent
            && only_body_imports
        {
            out.push(lines[s].start..lines[body].start);
            keep_statements(lines, body, next, statement_end, out);
        } else {
            out.push(lines[s].start..statement_end);
        }
    }
}

/// The logical lines of a file, or `None` if a triple-quoted string never
/// closes.
fn logical_lines(source: &[u8]) -> Option<Vec<LogicalLine>> {
    let mut lines: Vec<LogicalLine> = Vec::new();
    let n = source.len();
    let mut depth: usize = 0;
    let mut line_start = 0;
    let mut at_line_start = true;
    let mut continued = false;
    let mut i = 0;
    while i < n {
        let c = source[i];
        if at_line_start {
            // Indentation, then the first code byte, if any.
            let mut j = i;
            while j < n && matches!(source[j], b' ' | b'\t' | b'\x0c') {
                j += 1;
            }
            at_line_start = false;
            let code = j < n && !matches!(source[j], b'\r' | b'\n' | b'#');
            if code && depth == 0 && !continued {
                lines.push(LogicalLine {
                    start: line_start,
                    indent: j - line_start,
                    continuation: CONTINUATIONS.iter().any(|k| word_at(source, j, k)),
                    decorator: source[j] == b'@',
                    class_header: word_at(source, j, b"class"),
                    has_import: false,
                });
            }
            continued = false;
            i = j;
            continue;
        }
        match c {
            b'\n' => {
                i += 1;
                line_start = i;
                at_line_start = true;
            }
            b'\\' => {
                // A backslash-newline joins the next line to this one.
                let newline = if source[i + 1..].starts_with(b"\n") {
                    1
                } else if source[i + 1..].starts_with(b"\r\n") {
                    2
                } else {
                    0
                };
                i += 1 + newline;
                if newline > 0 {
                    continued = true;
                    line_start = i;
                    at_line_start = true;
                }
            }
            b'#' => i = memchr::memchr(b'\n', &source[i..]).map_or(n, |at| i + at),
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'\'' | b'"' => i = skip_string(source, i)?,
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let start = i;
                while i < n
                    && (source[i].is_ascii_alphanumeric() || source[i] == b'_' || source[i] >= 0x80)
                {
                    i += 1;
                }
                let word = &source[start..i];
                if i < n && matches!(source[i], b'\'' | b'"') && is_string_prefix(word) {
                    i = skip_string(source, i)?;
                } else if IMPORT_WORDS.contains(&word)
                    && let Some(line) = lines.last_mut()
                {
                    line.has_import = true;
                }
            }
            _ => i += 1,
        }
    }
    Some(lines)
}

/// Whether `word` stands at `at` as a whole word.
fn word_at(source: &[u8], at: usize, word: &[u8]) -> bool {
    source[at..].starts_with(word)
        && source
            .get(at + word.len())
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
}

/// `r`, `b`, `u`, `f`, `t` and their two-letter combinations, any case.
fn is_string_prefix(word: &[u8]) -> bool {
    word.len() <= 2
        && word
            .iter()
            .all(|b| matches!(b.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f' | b't'))
}

/// The offset just past the string literal whose opening quote is at
/// `start`. A single-quoted string ends at its line's end if unclosed (the
/// parser will flag it); an unclosed triple-quoted string makes the scan
/// untrustworthy.
fn skip_string(source: &[u8], start: usize) -> Option<usize> {
    let quote = source[start];
    let triple = source[start..].starts_with(&[quote, quote, quote]);
    let mut i = start + if triple { 3 } else { 1 };
    let n = source.len();
    while i < n {
        match source[i] {
            b'\\' => i += 2,
            b'\n' if !triple => return Some(i),
            c if c == quote => {
                if !triple {
                    return Some(i + 1);
                }
                if source[i..].starts_with(&[quote, quote, quote]) {
                    return Some(i + 3);
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if triple { None } else { Some(n) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(source: &str) -> Vec<&str> {
        import_statements(source.as_bytes())
            .unwrap()
            .into_iter()
            .map(|r| &source[r])
            .collect()
    }

    #[test]
    fn keeps_top_level_statements_with_imports() {
        let source =
            "import os\nx = 1\ndef f():\n    import json\n    return 1\n\nclass C:\n    y = 2\n";
        assert_eq!(
            kept(source),
            ["import os\n", "def f():\n    import json\n    return 1\n\n"]
        );
    }

    #[test]
    fn strings_and_comments_hide_the_word() {
        let source =
            "\"\"\"Use:\nimport os\n\"\"\"\n# import sys\nx = 'import json'\ny = f\"import {z}\"\n";
        assert!(kept(source).is_empty());
    }

    #[test]
    fn brackets_continuations_and_else_keep_one_statement() {
        let source = "from a import (\nb,\n)\nif TYPE_CHECKING:\n    import c\nelse:\n    import d\nx = 1 + \\\nimport_module('e')\ny = 2\n";
        assert_eq!(
            kept(source),
            [
                "from a import (\nb,\n)\n",
                "if TYPE_CHECKING:\n    import c\nelse:\n    import d\n",
                "x = 1 + \\\nimport_module('e')\n"
            ]
        );
    }

    #[test]
    fn decorators_stay_with_what_they_decorate() {
        let source = "@decorator\n@other(1)\ndef f():\n    import x\nz = 3\n";
        assert_eq!(
            kept(source),
            ["@decorator\n@other(1)\ndef f():\n    import x\n"]
        );
    }

    #[test]
    fn a_class_keeps_its_header_and_the_methods_that_import() {
        let source = "@dataclass\nclass C(\n    Base,\n):\n    \"\"\"Doc.\"\"\"\n    x = 1\n\n    def a(self):\n        return 1\n\n    @property\n    def b(self):\n        from m import y\n        return y\n\n    class Inner:\n        def c(self):\n            import z\n\nw = 2\n";
        assert_eq!(
            kept(source),
            [
                "@dataclass\nclass C(\n    Base,\n):\n",
                "    @property\n    def b(self):\n        from m import y\n        return y\n\n",
                "    class Inner:\n",
                "        def c(self):\n            import z\n\n",
            ]
        );
    }

    #[test]
    fn an_unclosed_triple_quote_gives_up() {
        assert_eq!(import_statements(b"import os\ns = '''never closed\n"), None);
    }

    #[test]
    fn prefixed_strings_are_strings() {
        let source = "x = rb'import \\'q'\nimport y\n";
        assert_eq!(kept(source), ["import y\n"]);
    }
}
