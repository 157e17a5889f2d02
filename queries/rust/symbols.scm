; Rust items at every depth, what they use, and what names stand for.
; Captures as in queries/python/symbols.scm. An `impl` block is a
; definition named after its type (its methods are the type's members; a
; node of the symbol graph with the type's own), an attribute (`#[test]`)
; belongs to the item after it (src/lang/symbols.rs), and a path's `::`
; and a field's `.` are one separator in a written path.

; Definitions.

(function_item name: (identifier) @def.function body: (block) @def.body) @def.span

(function_signature_item name: (identifier) @def.function) @def.span

[
  (struct_item name: (type_identifier) @def.struct)
  (union_item name: (type_identifier) @def.struct)
] @def.span

(enum_item name: (type_identifier) @def.enum) @def.span

(enum_variant name: (identifier) @def.constant) @def.span

(trait_item name: (type_identifier) @def.trait) @def.span

(impl_item
  type: [
    (type_identifier) @def.impl
    (generic_type type: (type_identifier) @def.impl)
    (scoped_type_identifier name: (type_identifier) @def.impl)
    (generic_type type: (scoped_type_identifier name: (type_identifier) @def.impl))
  ]) @def.span

(mod_item name: (identifier) @def.namespace body: (declaration_list)) @def.span

[
  (const_item name: (identifier) @def.constant)
  (static_item name: (identifier) @def.constant)
] @def.span

(type_item name: (type_identifier) @def.type) @def.span

(macro_definition name: (identifier) @def.function) @def.span

(field_declaration name: (field_identifier) @def.variable) @def.span

[
  (function_item parameters: (parameters) @def.params)
  (function_signature_item parameters: (parameters) @def.params)
]

[
  (function_item return_type: (_) @def.returns)
  (function_signature_item return_type: (_) @def.returns)
]

(function_item body: (block (_) @def.returned .))

(return_expression (_) @def.returned)

(attribute_item (attribute) @def.decorator)

(parameters
  [
    (parameter pattern: (identifier) @param)
    (parameter pattern: (self) @param)
    (self_parameter (self) @param)
  ])

(closure_expression body: (_) @body.anonymous)

; Uses.

(call_expression
  function: [
    (identifier)
    (scoped_identifier)
    (field_expression)
    (generic_function)
  ] @use.call)

(struct_expression
  name: [(type_identifier) (scoped_type_identifier) (generic_type_with_turbofish)] @use.new)

(macro_invocation macro: [(identifier) (scoped_identifier)] @use.call)

(impl_item trait: (_) @use.inherit)

(trait_item bounds: (trait_bounds [(type_identifier) (scoped_type_identifier) (generic_type)] @use.inherit))

[
  (parameter type: (_) @use.type)
  (let_declaration type: (_) @use.type)
  (field_declaration type: (_) @use.type)
  (function_item return_type: (_) @use.type)
  (function_signature_item return_type: (_) @use.type)
  (type_item type: (_) @use.type)
  (const_item type: (_) @use.type)
  (static_item type: (_) @use.type)
]

(_ [(field_expression) (scoped_identifier)] @use.ref) @use.parent

(_ (identifier) @use.name) @use.parent

; Bindings.

(let_declaration pattern: (identifier) @bind.name type: (_) @bind.type)

(let_declaration pattern: (identifier) @bind.name value: (_) @bind.value)

(let_declaration pattern: (mut_pattern (identifier) @bind.name) type: (_) @bind.type)

(let_declaration pattern: (mut_pattern (identifier) @bind.name) value: (_) @bind.value)

(parameter pattern: (identifier) @bind.name type: (_) @bind.type)

(parameter pattern: (mut_pattern (identifier) @bind.name) type: (_) @bind.type)


(for_expression pattern: (identifier) @bind.name)

; A macro's arguments: a token tree, read token by token.
(macro_invocation (token_tree) @use.tokens)

(field_declaration name: (field_identifier) @bind.name type: (_) @bind.type)

; `if let Some(x) = value`, `match value { Ok(x) => .. }`: `x` is what
; the value holds (a type's principal already looks through `Option`
; and `Result`).
(let_condition
  pattern: (tuple_struct_pattern type: (identifier) @_wrap (identifier) @bind.name)
  value: (_) @bind.value
  (#any-of? @_wrap "Some" "Ok"))

(match_expression
  value: (_) @bind.value
  body: (match_block
    (match_arm
      pattern: (match_pattern
        (tuple_struct_pattern type: (identifier) @_wrap (identifier) @bind.name))))
  (#any-of? @_wrap "Some" "Ok"))

; Type parameters: any type a caller picks.
(type_parameters (type_parameter name: (type_identifier) @bind.generic))

; Names bound by patterns: match arms, `if let`, closures, `for`, `let`.
(match_arm pattern: (match_pattern) @bind.pattern)

(let_condition pattern: (_) @bind.pattern)

(closure_parameters) @bind.pattern

(for_expression pattern: [(tuple_pattern) (tuple_struct_pattern) (struct_pattern)] @bind.pattern)

(let_declaration pattern: [(tuple_pattern) (tuple_struct_pattern) (struct_pattern) (slice_pattern)] @bind.pattern)

(let_declaration
  pattern: (tuple_struct_pattern type: (identifier) @_wrap (identifier) @bind.name)
  value: (_) @bind.value
  (#any-of? @_wrap "Some" "Ok"))

; A struct literal's and a struct pattern's fields: members of the type.
(struct_expression
  name: (_) @use.attr.object
  body: (field_initializer_list
    [
      (field_initializer field: (field_identifier) @use.attr.name)
      (shorthand_field_initializer (identifier) @use.attr.name)
    ]))

(struct_pattern
  type: (_) @use.attr.object
  (field_pattern name: (_) @use.attr.name))

; Variants and types a pattern names (`Operation::Seek(_)`, `Status::Open`).
(tuple_struct_pattern type: [(identifier) (scoped_identifier)] @use.reference)

(struct_pattern type: [(type_identifier) (scoped_type_identifier)] @use.reference)

(match_pattern (scoped_identifier) @use.reference)

; Traits bounding a type parameter, types of a tuple struct's fields and
; of a turbofish.
[
  (type_parameter bounds: (trait_bounds (_) @use.type))
  (where_predicate bounds: (trait_bounds (_) @use.type))
  (ordered_field_declaration_list type: (_) @use.type)
  (generic_function type_arguments: (type_arguments (_) @use.type))
]

; ---------------------------------------------------------------------
; What models read (the `@route.*` captures, see the Python query):
; Diesel's schema macros, with their tokens.
((macro_invocation
   macro: [
     (identifier) @_macro
     (scoped_identifier name: (identifier) @_macro)
   ]) @route.value
  (#any-of? @_macro "table" "joinable"))
