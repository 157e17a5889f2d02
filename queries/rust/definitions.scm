; Top-level Rust items (depth 1).
;
; Captures: @definition.<kind> (struct, enum, trait, function, constant,
; type, macro, module, impl) and @definition.span. An `impl` block is
; named after its type, so that a change to a method maps to the type
; (`vantage impact --since`); it defines nothing for resolution.

[
  (struct_item name: (type_identifier) @definition.struct)
  (union_item name: (type_identifier) @definition.struct)
  (enum_item name: (type_identifier) @definition.enum)
  (trait_item name: (type_identifier) @definition.trait)
  (function_item name: (identifier) @definition.function)
  (const_item name: (identifier) @definition.constant)
  (static_item name: (identifier) @definition.constant)
  (type_item name: (type_identifier) @definition.type)
  (macro_definition name: (identifier) @definition.macro)
  (mod_item name: (identifier) @definition.module)
  (impl_item type: [
    (type_identifier) @definition.impl
    (generic_type type: (type_identifier) @definition.impl)
    (scoped_type_identifier name: (type_identifier) @definition.impl)
  ])
] @definition.span
