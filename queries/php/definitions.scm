; Top-level PHP definitions: at the top of the file or directly in a
; namespace block (not inside a conditional such as `if (!class_exists(..))`).
; Names are qualified with their namespace by src/lang/php.rs.
;
; Captures: @definition.<kind> (class, abstract_class, interface, trait, enum,
; function, constant) and @definition.span.

[
  (class_declaration name: (name) @definition.class)
  (interface_declaration name: (name) @definition.interface)
  (trait_declaration name: (name) @definition.trait)
  (enum_declaration name: (name) @definition.enum)
  (function_definition name: (name) @definition.function)
  (const_declaration (const_element (name) @definition.constant))
] @definition.span

(class_declaration (abstract_modifier) name: (name) @definition.abstract_class) @definition.span

(namespace_definition
  body: (compound_statement
    [
      (class_declaration name: (name) @definition.class)
      (interface_declaration name: (name) @definition.interface)
      (trait_declaration name: (name) @definition.trait)
      (enum_declaration name: (name) @definition.enum)
      (function_definition name: (name) @definition.function)
      (const_declaration (const_element (name) @definition.constant))
    ] @definition.span))

(namespace_definition
  body: (compound_statement
    (class_declaration (abstract_modifier) name: (name) @definition.abstract_class) @definition.span))

; Declared inside an `if` (polyfills, compatibility layers: `if (...) {
; trait T { } } else { trait T { } }`), at the top or in a namespace.
(if_statement
  body: (compound_statement
    [
      (class_declaration name: (name) @definition.class)
      (interface_declaration name: (name) @definition.interface)
      (trait_declaration name: (name) @definition.trait)
      (enum_declaration name: (name) @definition.enum)
    ] @definition.span))

(if_statement
  alternative: (else_clause
    body: (compound_statement
      [
        (class_declaration name: (name) @definition.class)
        (interface_declaration name: (name) @definition.interface)
        (trait_declaration name: (name) @definition.trait)
        (enum_declaration name: (name) @definition.enum)
      ] @definition.span)))
