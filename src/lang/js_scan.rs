//! A lexical pass over TypeScript and JavaScript that finds the top-level
//! statements which may hold an import, so that a graph-only run parses
//! those alone (as `python_scan.rs` does for Python).
//!
//! The pass follows strings, template literals (and the code inside their
//! `${}`), comments and regular expressions well enough to know the
//! bracket depth. At depth 0 a new line may start a new top-level
//! statement: it does unless the line before leaves the statement open (an
//! operator, a comma, a decorator line) or the new line continues it (`(`,
//! `[`, a template, an operator, `else`, `catch`, `finally`). Those cuts
//! split the file into chunks of whole top-level statements; a chunk is
//! kept when an import word occurs in its code (`from` or `import` before
//! a quote, `import(`, `require(`) or `<reference` in a `//` comment; the
//! words in strings and in comments (documentation is full of examples)
//! do not count.
//! Whole top-level statements keep the scopes that decide an import's kind
//! (a `require` inside a function is lazy, an `import()` in a type is
//! type-only).
//!
//! It is a filter, not a parser: kept chunks are parsed by tree-sitter as
//! included ranges, and any syntax error falls back to the whole file. A
//! file the pass cannot follow (a string or regular expression left open at
//! a line end, brackets unbalanced at the end) is parsed whole.
//! `tests/queries.rs` and the corpus benchmark check that both ways find
//! the same imports.

use std::ops::Range;

/// Words before which a regular expression, not a division, follows `/`.
const BEFORE_REGEX: &[&[u8]] = &[
    b"return",
    b"typeof",
    b"instanceof",
    b"in",
    b"of",
    b"new",
    b"delete",
    b"void",
    b"throw",
    b"case",
    b"do",
    b"else",
    b"yield",
    b"await",
];

/// Line-leading words that continue the statement above.
const CONTINUING_WORDS: &[&[u8]] = &[b"else", b"catch", b"finally"];

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Byte ranges to parse, sorted and disjoint, or `None` when the file must
/// be parsed whole.
pub(crate) fn import_statements(source: &[u8]) -> Option<Vec<Range<usize>>> {
    // Most files hold no import word at all.
    if import_words(source).is_empty() {
        return Some(Vec::new());
    }
    let (cuts, hits) = lex(source)?;
    // Chunk k is cuts[k]..cuts[k + 1]; keep each holding a hit.
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for hit in hits {
        let k = cuts.partition_point(|&c| c <= hit) - 1;
        let chunk = cuts[k]..cuts.get(k + 1).copied().unwrap_or(source.len());
        match ranges.last_mut() {
            Some(last) if last.end >= chunk.start => last.end = last.end.max(chunk.end),
            _ => ranges.push(chunk),
        }
    }
    Some(ranges)
}

/// Offsets of every import word, in any context (strings and comments
/// too).
fn import_words(source: &[u8]) -> Vec<usize> {
    let mut hits = Vec::new();
    for (word, then) in [
        (&b"from"[..], &b"'\"`"[..]),
        (b"import", b"'\"`("),
        (b"require", b"("),
        (b"<reference", b""),
    ] {
        for at in memchr::memmem::find_iter(source, word) {
            let end = at + word.len();
            let starts_word = word[0] == b'<' || at == 0 || !is_ident(source[at - 1]);
            let ends_word = word[0] == b'<' || source.get(end).is_none_or(|&b| !is_ident(b));
            if !starts_word || !ends_word {
                continue;
            }
            let next = skip_blank(source, end);
            if then.is_empty() || source.get(next).is_some_and(|b| then.contains(b)) {
                hits.push(at);
            }
        }
    }
    hits.sort_unstable();
    hits
}

/// The first offset from `at` that is not whitespace or a comment.
fn skip_blank(source: &[u8], mut at: usize) -> usize {
    loop {
        while source.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        match (source.get(at), source.get(at + 1)) {
            (Some(b'/'), Some(b'/')) => {
                at = memchr::memchr(b'\n', &source[at..]).map_or(source.len(), |n| at + n);
            }
            (Some(b'/'), Some(b'*')) => {
                at = memchr::memmem::find(&source[at + 2..], b"*/")
                    .map_or(source.len(), |n| at + 2 + n + 2);
            }
            _ => return at,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    Template,
}

/// Offsets where a top-level statement may start (the first is 0), and
/// those of the import words in code (and of `<reference` in `//`
/// comments); `None` if the lexing goes wrong.
fn lex(source: &[u8]) -> Option<(Vec<usize>, Vec<usize>)> {
    let n = source.len();
    let mut cuts = vec![0];
    let mut hits = Vec::new();
    let mut depth: usize = 0;
    // The depth at which each open `${` of a template began.
    let mut templates: Vec<usize> = Vec::new();
    let mut state = State::Code;
    // The last significant byte of code, and where the last word began.
    let mut last: u8 = b';';
    let mut last_word: Range<usize> = 0..0;
    // The first significant byte of the current line was `@`.
    let mut line_is_decorator = false;
    let mut line_start_pending = false;
    let mut i = 0;
    while i < n {
        let b = source[i];
        if state == State::Template {
            match b {
                b'\\' => i += 2,
                b'`' => {
                    state = State::Code;
                    last = b'`';
                    i += 1;
                }
                b'$' if source.get(i + 1) == Some(&b'{') => {
                    templates.push(depth);
                    depth += 1;
                    state = State::Code;
                    last = b'{';
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match b {
            b'\n' => {
                if depth == 0 && templates.is_empty() {
                    line_start_pending = true;
                }
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                i += 1;
                continue;
            }
            b'/' if source.get(i + 1) == Some(&b'/') => {
                let end = memchr::memchr(b'\n', &source[i..]).map_or(n, |k| i + k);
                if let Some(at) = memchr::memmem::find(&source[i..end], b"<reference") {
                    hits.push(i + at);
                }
                i = end;
                continue;
            }
            b'/' if source.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&source[i + 2..], b"*/").map(|k| i + 2 + k + 2)?;
                continue;
            }
            _ => {}
        }
        // A significant byte: the first of its line may start a statement.
        if line_start_pending {
            line_start_pending = false;
            let line_start = source[..i]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |k| k + 1);
            if starts_statement(source, i)
                && ends_statement(last, source, &last_word)
                && !line_is_decorator
            {
                cuts.push(line_start);
            }
            line_is_decorator = b == b'@';
        }
        match b {
            b'\'' | b'"' => {
                i = string_end(source, i)?;
                last = b;
            }
            b'`' => {
                state = State::Template;
                i += 1;
            }
            b'/' => {
                if regex_follows(last, source, &last_word) {
                    i = regex_end(source, i)?;
                    // An operand, as a name is: `/x/.test(s)`.
                    last = b'r';
                } else {
                    last = b'/';
                    i += 1;
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                last = b;
                i += 1;
            }
            b'}' if depth > 0 && templates.last() == Some(&(depth - 1)) => {
                templates.pop();
                depth -= 1;
                state = State::Template;
                i += 1;
            }
            b'}' | b')' | b']' => {
                depth = depth.checked_sub(1)?;
                last = b;
                i += 1;
            }
            _ if is_ident(b) => {
                let start = i;
                while i < n && is_ident(source[i]) {
                    i += 1;
                }
                let then: &[u8] = match &source[start..i] {
                    b"from" => b"'\"`",
                    b"import" => b"'\"`(",
                    b"require" => b"(",
                    _ => b"",
                };
                if !then.is_empty()
                    && source
                        .get(skip_blank(source, i))
                        .is_some_and(|b| then.contains(b))
                {
                    hits.push(start);
                }
                last_word = start..i;
                last = b'a';
            }
            _ => {
                last = b;
                i += 1;
            }
        }
    }
    (depth == 0 && templates.is_empty() && state == State::Code).then_some((cuts, hits))
}

/// Whether the statement before a line break may end there.
fn ends_statement(last: u8, source: &[u8], last_word: &Range<usize>) -> bool {
    match last {
        b';' | b'}' | b')' | b']' | b'\'' | b'"' | b'`' | b'r' => true,
        b'a' => !BEFORE_REGEX.contains(&&source[last_word.clone()]),
        _ => false,
    }
}

/// Whether code starting at `at` (a line's first significant byte) starts
/// a statement rather than continuing one.
fn starts_statement(source: &[u8], at: usize) -> bool {
    let b = source[at];
    if b == b'@' || b == b'\'' || b == b'"' {
        return true;
    }
    if !is_ident(b) {
        return false;
    }
    let end = source[at..]
        .iter()
        .position(|&c| !is_ident(c))
        .map_or(source.len(), |k| at + k);
    !CONTINUING_WORDS.contains(&&source[at..end])
}

/// Whether a `/` after `last` starts a regular expression.
fn regex_follows(last: u8, source: &[u8], last_word: &Range<usize>) -> bool {
    match last {
        b')' | b']' | b'\'' | b'"' | b'`' | b'r' => false,
        b'a' => BEFORE_REGEX.contains(&&source[last_word.clone()]),
        _ => true,
    }
}

/// The offset after a string literal opening at `at`; `None` if a line
/// ends inside it.
fn string_end(source: &[u8], at: usize) -> Option<usize> {
    let quote = source[at];
    let mut i = at + 1;
    while i < source.len() {
        match source[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The offset after a regular expression opening at `at` (flags included);
/// `None` if a line ends inside it.
fn regex_end(source: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    let mut class = false;
    while i < source.len() {
        match source[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b'[' => {
                class = true;
                i += 1;
            }
            b']' => {
                class = false;
                i += 1;
            }
            b'/' if !class => {
                i += 1;
                while i < source.len() && is_ident(source[i]) {
                    i += 1;
                }
                return Some(i);
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(source: &str) -> Vec<&str> {
        import_statements(source.as_bytes())
            .expect("scans")
            .into_iter()
            .map(|r| &source[r])
            .collect()
    }

    #[test]
    fn keeps_import_statements_and_skips_the_rest() {
        let source = "import a from './a';\nconst x = 1;\nfunction f() {\n  return x / 2;\n}\nexport { b } from './b';\n";
        assert_eq!(
            kept(source),
            ["import a from './a';\n", "export { b } from './b';\n"]
        );
    }

    #[test]
    fn keeps_the_whole_top_level_statement_around_a_nested_require() {
        let source = "const y = 2;\nfunction g() {\n  const m = require('./m');\n  return m;\n}\nconst z = 3;\n";
        assert_eq!(
            kept(source),
            ["function g() {\n  const m = require('./m');\n  return m;\n}\n"]
        );
    }

    #[test]
    fn follows_templates_regexes_and_continued_lines() {
        let source = "const t = `a ${ {b: 1}.b } c`;\nconst r = /[/}]/g.test(s);\nconst q = a\n  + require('./q');\nimport('./d');\n";
        assert_eq!(
            kept(source),
            ["const q = a\n  + require('./q');\nimport('./d');\n"]
        );
    }

    #[test]
    fn words_in_comments_and_strings_keep_nothing_but_references_do() {
        let source = "/// <reference path=\"./globals.d.ts\" />\nconst a = 1;\n/**\n * import { x } from 'rxjs';\n */\nexport function f() {\n  return \"require('y')\" + `import('z')`;\n}\n";
        assert_eq!(
            kept(source),
            ["/// <reference path=\"./globals.d.ts\" />\n"]
        );
    }

    #[test]
    fn a_file_it_cannot_follow_is_parsed_whole() {
        assert_eq!(
            import_statements(b"import a from './a';\nconst s = 'open\n"),
            None
        );
        assert_eq!(
            import_statements(b"import a from './a';\nfunction f() {\n"),
            None
        );
        assert_eq!(import_statements(b"const x = 1;\n"), Some(Vec::new()));
    }
}
