; JavaScript definitions at every depth, what they use, and what names
; stand for. Captures as in queries/typescript/symbols.scm, without types
; (queries/typescript/jsx.scm is read after this file for JSX).

; Definitions.

(function_declaration name: (identifier) @def.function body: (statement_block) @def.body) @def.span

(generator_function_declaration name: (identifier) @def.function body: (statement_block) @def.body) @def.span

(class_declaration name: (identifier) @def.class) @def.span

(method_definition name: (_) @def.function body: (statement_block) @def.body) @def.span

(field_definition property: (_) @def.variable) @def.span

; `static create = (...) => ...`: a method held by a field.
(field_definition
  property: (_) @def.function
  value: [
    (arrow_function body: (_) @def.body)
    (function_expression body: (_) @def.body)
  ]) @def.span

(field_definition
  value: [
    (arrow_function parameters: (formal_parameters) @def.params)
    (function_expression parameters: (formal_parameters) @def.params)
  ])

(variable_declarator
  name: (identifier) @def.function
  value: [
    (arrow_function body: (_) @def.body)
    (function_expression body: (_) @def.body)
  ]) @def.span

(program (lexical_declaration (variable_declarator name: (identifier) @def.variable) @def.span))
(program (variable_declaration (variable_declarator name: (identifier) @def.variable) @def.span))
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @def.variable) @def.span)))
(program (export_statement (variable_declaration (variable_declarator name: (identifier) @def.variable) @def.span)))

[
  (function_declaration parameters: (formal_parameters) @def.params)
  (generator_function_declaration parameters: (formal_parameters) @def.params)
  (method_definition parameters: (formal_parameters) @def.params)
]

(variable_declarator
  value: [
    (arrow_function parameters: (formal_parameters) @def.params)
    (function_expression parameters: (formal_parameters) @def.params)
  ])

(return_statement (_) @def.returned)

(arrow_function body: (_) @def.returned @body.anonymous)

(function_expression body: (_) @body.anonymous)

(decorator (_) @def.decorator)

; A getter reads as a property (`x.size` runs `get size()`).
(method_definition "get" @def.decorator)

(formal_parameters
  [
    (identifier) @param
    (assignment_pattern left: (identifier) @param)
  ])

; Uses.

(call_expression function: [(identifier) (member_expression)] @use.call)

(new_expression constructor: [(identifier) (member_expression)] @use.new)

(decorator [(identifier) (member_expression)] @use.call)

(class_heritage [(identifier) (member_expression)] @use.inherit)

(_ (member_expression) @use.ref) @use.parent

(_ [(identifier) (shorthand_property_identifier)] @use.name) @use.parent

; Bindings.

(variable_declarator name: (identifier) @bind.name value: (_) @bind.value)

(variable_declarator
  name: (identifier) @bind.name
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @bind.require .))
  (#eq? @_require "require"))

(field_definition property: (property_identifier) @bind.name value: (_) @bind.value)

(variable_declarator
  name: (object_pattern (shorthand_property_identifier_pattern) @bind.name)
  value: (_) @bind.member_of)

(variable_declarator
  name: (object_pattern
    (pair_pattern key: (property_identifier) @bind.key value: (identifier) @bind.name))
  value: (_) @bind.member_of)

(assignment_expression
  left: (member_expression object: (this) @bind.receiver property: (property_identifier) @bind.name)
  right: (_) @bind.value)

(export_statement
  (export_clause
    (export_specifier name: (identifier) @bind.value alias: (identifier) @bind.name))
  !source)

(export_statement "default" value: [(identifier) (member_expression) (call_expression) (new_expression)] @bind.value) @bind.default

(export_statement "default" declaration: [
  (class_declaration name: (_) @bind.value)
  (function_declaration name: (_) @bind.value)
]) @bind.default

(for_in_statement left: (identifier) @bind.name)

; `module.exports = { a, b }`, `module.exports.x = y`, `exports.x = y`.
(assignment_expression
  left: (member_expression
    object: (member_expression object: (identifier) @_module property: (property_identifier) @_exports)
    property: (property_identifier) @bind.name)
  right: (_) @bind.value
  (#eq? @_module "module")
  (#eq? @_exports "exports"))

(assignment_expression
  left: (member_expression object: (identifier) @_exports property: (property_identifier) @bind.name)
  right: (_) @bind.value
  (#eq? @_exports "exports"))

; A function passed to a call: its untyped parameters take the types the
; callee's signature gives them (`operate((source, subscriber) => ...)`).
(arguments [(arrow_function) (function_expression)] @bind.callback)

; Registrations, read with their arguments (src/routes/): a class's and
; a member's decorators (JavaScript's grammar holds a member's inside
; it); calls made as statements
; whose method registers, mounts or configures routes; the applications
; and routers made; module-level strings and arrays.
(method_definition (decorator (_) @route.decorator))
(field_definition (decorator (_) @route.decorator))
(class_declaration (decorator (_) @route.decorator))
(export_statement (decorator (_) @route.decorator))

(expression_statement
  (call_expression
    function: (member_expression property: (property_identifier) @_registers)) @route.call
  (#any-of? @_registers
    "get" "post" "put" "patch" "delete" "all" "use" "options" "head"
    "route" "setGlobalPrefix" "register"))

(variable_declarator
  name: (identifier) @route.target
  value: (call_expression
    function: [
      (identifier) @_object
      (member_expression property: (property_identifier) @_object)
    ]) @route.value
  (#any-of? @_object "express" "Router" "Koa"))

(program
  (lexical_declaration
    (variable_declarator
      name: (identifier) @route.target
      value: [(string) (template_string) (array) (binary_expression)] @route.value)))

(program
  (export_statement
    (lexical_declaration
      (variable_declarator
        name: (identifier) @route.target
        value: [(string) (template_string) (array) (binary_expression)] @route.value))))
