; JavaScript / JSX import sites (ESM and CommonJS).
;
; Same captures as queries/typescript/imports.scm, minus the TypeScript-only
; forms; read by src/lang/typescript.rs.

(import_statement
  source: (string (string_fragment) @import.source)) @import.statement

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

; A require() inside a function runs only when the function is called.
[
  (function_declaration)
  (function_expression)
  (generator_function_declaration)
  (arrow_function)
  (method_definition)
] @scope.lazy
