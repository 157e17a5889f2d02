; Top-level TypeScript / TSX definitions, exported or not.
;
; Patterns match only at the top level: the cursor starts matches at depth
; 1 (the children of the program) and no deeper.
;
; Captures (shared meaning across languages, see queries/python/definitions.scm):
;   @definition.<kind>  the defined name; kind: class, abstract_class, interface,
;                       function, type, enum, constant, namespace
;   @definition.span    the whole definition

[
  (class_declaration name: (_) @definition.class)
  (abstract_class_declaration name: (_) @definition.abstract_class)
  (interface_declaration name: (_) @definition.interface)
  (function_declaration name: (_) @definition.function)
  (generator_function_declaration name: (_) @definition.function)
  (function_signature name: (_) @definition.function)
  (type_alias_declaration name: (_) @definition.type)
  (enum_declaration name: (_) @definition.enum)
  (lexical_declaration (variable_declarator name: (identifier) @definition.constant))
  (internal_module name: (_) @definition.namespace)
] @definition.span

(export_statement
  declaration: [
    (class_declaration name: (_) @definition.class)
    (abstract_class_declaration name: (_) @definition.abstract_class)
    (interface_declaration name: (_) @definition.interface)
    (function_declaration name: (_) @definition.function)
    (generator_function_declaration name: (_) @definition.function)
    (function_signature name: (_) @definition.function)
    (type_alias_declaration name: (_) @definition.type)
    (enum_declaration name: (_) @definition.enum)
    (lexical_declaration (variable_declarator name: (identifier) @definition.constant))
    (internal_module name: (_) @definition.namespace)
  ]) @definition.span

(ambient_declaration
  [
    (class_declaration name: (_) @definition.class)
    (abstract_class_declaration name: (_) @definition.abstract_class)
    (interface_declaration name: (_) @definition.interface)
    (function_signature name: (_) @definition.function)
    (type_alias_declaration name: (_) @definition.type)
    (enum_declaration name: (_) @definition.enum)
    (lexical_declaration (variable_declarator name: (identifier) @definition.constant))
  ]) @definition.span
