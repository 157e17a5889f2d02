; Top-level JavaScript definitions, exported or not. Matched at depth 1
; only (see queries/typescript/definitions.scm for the capture names).

[
  (class_declaration name: (_) @definition.class)
  (function_declaration name: (_) @definition.function)
  (generator_function_declaration name: (_) @definition.function)
  (lexical_declaration (variable_declarator name: (identifier) @definition.constant))
  (variable_declaration (variable_declarator name: (identifier) @definition.constant))
] @definition.span

(export_statement
  declaration: [
    (class_declaration name: (_) @definition.class)
    (function_declaration name: (_) @definition.function)
    (generator_function_declaration name: (_) @definition.function)
    (lexical_declaration (variable_declarator name: (identifier) @definition.constant))
    (variable_declaration (variable_declarator name: (identifier) @definition.constant))
  ]) @definition.span
