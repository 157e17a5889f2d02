; TypeScript / TSX import sites (the TSX grammar accepts the same query).
;
; Captures read by src/lang/typescript.rs:
;   @import.statement  `import ... from 'x'`, `import 'x'`, `import x = require('x')`
;   @import.reexport   `export ... from 'x'`
;   @import.call       `require('x')` or `import('x')` (also `import('x').T`
;                      in a type position), told apart by @import.function
;   @import.source     the string fragment holding the specifier
;   @name.of, @name.default, @name.imported, @name.all   the names a
;                      statement imports (`default`, `A`, `*` for `* as ns`)
;   @name.alias        the local name an import or re-export gives
;                      (`import { A as B }`, `export { A as B } from`)
;   @name.namespace    `ns` in `import * as ns`, `export * as ns from`
;   @import.reference  a `/// <reference path="x" />` directive (type-only)
;   @scope.lazy        functions: a require() inside one is lazy
;   @scope.type_only   type positions: an `import('x')` inside one is type-only

(import_statement
  source: (string (string_fragment) @import.source)) @import.statement

(import_statement
  (import_require_clause
    source: (string (string_fragment) @import.source))) @import.statement

(export_statement
  source: (string (string_fragment) @import.source)) @import.reexport

; The names an import or re-export brings in (symbol-level impact), read
; per statement: @name.of is the statement.
(import_statement (import_clause (identifier) @name.default)) @name.of
(import_statement (import_clause (named_imports (import_specifier name: (_) @name.imported alias: (_)? @name.alias)))) @name.of
(import_statement (import_clause (namespace_import (identifier) @name.namespace))) @name.of
(export_statement (export_clause (export_specifier name: (_) @name.imported alias: (_)? @name.alias)) source: (_)) @name.of
(export_statement (namespace_export (_) @name.namespace) source: (_)) @name.of

; `import('x')` and `require('x')` in one pattern: each pattern costs
; compile time, and both are calls with a literal first argument.
(call_expression
  function: [(import) (identifier)] @import.function
  arguments: (arguments . [
    (string (string_fragment) @import.source)
    (template_string . (string_fragment) @import.source .)
  ])
  (#any-of? @import.function "import" "require")) @import.call

((comment) @import.reference
  (#match? @import.reference "^///[ \t]*<reference[ \t]+path[ \t]*="))

[
  (type_annotation)
  (type_alias_declaration)
  (interface_declaration)
  (type_arguments)
  (ambient_declaration)
] @scope.type_only

; A require() inside a function runs only when the function is called.
[
  (function_declaration)
  (function_expression)
  (generator_function_declaration)
  (arrow_function)
  (method_definition)
] @scope.lazy
