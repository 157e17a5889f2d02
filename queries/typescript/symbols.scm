; TypeScript (and TSX) definitions at every depth, what they use, and what
; names stand for. Captures as in queries/python/symbols.scm; here also:
;   @bind.on_self   a constructor parameter with an accessibility modifier
;                   (`constructor(private repo: Repo)`): an attribute of
;                   the instance too
;   @bind.default   `export default x`: binds the name `default`
;   @bind.member_of a destructured value (`const { a } = x`): the name is
;                   its member (`x.a`; `@bind.key` when renamed)
; A decorator in a class body belongs to the member after it, and one on
; an export statement to the declaration it exports (src/lang/symbols.rs).

; Definitions.

(function_declaration name: (identifier) @def.function body: (statement_block) @def.body) @def.span

(generator_function_declaration name: (identifier) @def.function body: (statement_block) @def.body) @def.span

(function_signature name: (identifier) @def.function) @def.span

(class_declaration name: (type_identifier) @def.class) @def.span

(abstract_class_declaration name: (type_identifier) @def.class) @def.span

(interface_declaration name: (type_identifier) @def.interface) @def.span

(type_alias_declaration name: (type_identifier) @def.type) @def.span

(enum_declaration name: (identifier) @def.enum) @def.span

(internal_module name: (identifier) @def.namespace) @def.span

(method_definition name: (_) @def.function body: (statement_block) @def.body) @def.span

(method_signature name: (_) @def.function) @def.span

(abstract_method_signature name: (_) @def.function) @def.span

(public_field_definition name: (_) @def.variable) @def.span

; `const f = () => ...`, `const f = function () {}`: functions.
(variable_declarator
  name: (identifier) @def.function
  value: [
    (arrow_function body: (_) @def.body)
    (function_expression body: (_) @def.body)
  ]) @def.span

; `static create = (...): ZodString => ...`: a method held by a field.
(public_field_definition
  name: (_) @def.function
  value: [
    (arrow_function body: (_) @def.body)
    (function_expression body: (_) @def.body)
  ]) @def.span

(public_field_definition
  value: [
    (arrow_function parameters: (formal_parameters) @def.params)
    (function_expression parameters: (formal_parameters) @def.params)
  ])

(public_field_definition
  value: [
    (arrow_function return_type: (type_annotation) @def.returns)
    (function_expression return_type: (type_annotation) @def.returns)
  ])

; Other names a module declares.
(program (lexical_declaration (variable_declarator name: (identifier) @def.variable) @def.span))
(program (variable_declaration (variable_declarator name: (identifier) @def.variable) @def.span))
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @def.variable) @def.span)))
(program (export_statement (variable_declaration (variable_declarator name: (identifier) @def.variable) @def.span)))
(program (ambient_declaration (lexical_declaration (variable_declarator name: (identifier) @def.variable) @def.span)))

[
  (function_declaration parameters: (formal_parameters) @def.params)
  (generator_function_declaration parameters: (formal_parameters) @def.params)
  (method_definition parameters: (formal_parameters) @def.params)
  (function_signature parameters: (formal_parameters) @def.params)
  (method_signature parameters: (formal_parameters) @def.params)
  (abstract_method_signature parameters: (formal_parameters) @def.params)
]

(variable_declarator
  value: [
    (arrow_function parameters: (formal_parameters) @def.params)
    (function_expression parameters: (formal_parameters) @def.params)
  ])

[
  (function_declaration return_type: (type_annotation) @def.returns)
  (generator_function_declaration return_type: (type_annotation) @def.returns)
  (method_definition return_type: (type_annotation) @def.returns)
  (function_signature return_type: (type_annotation) @def.returns)
  (method_signature return_type: (type_annotation) @def.returns)
  (abstract_method_signature return_type: (type_annotation) @def.returns)
]

(variable_declarator
  value: [
    (arrow_function return_type: (type_annotation) @def.returns)
    (function_expression return_type: (type_annotation) @def.returns)
  ])

(return_statement (_) @def.returned)

(arrow_function body: (_) @def.returned @body.anonymous)

(function_expression body: (_) @body.anonymous)

(decorator (_) @def.decorator)

; A getter reads as a property (`x.size` runs `get size()`).
(method_definition "get" @def.decorator)

(formal_parameters
  [
    (required_parameter pattern: (identifier) @param)
    (optional_parameter pattern: (identifier) @param)
  ])

; Uses.

(call_expression function: [(identifier) (member_expression)] @use.call)

(new_expression constructor: [(identifier) (member_expression)] @use.new)

(decorator [(identifier) (member_expression)] @use.call)

(extends_clause value: [(identifier) (member_expression)] @use.inherit)

(implements_clause [(type_identifier) (nested_type_identifier) (generic_type)] @use.inherit)

(extends_type_clause type: (_) @use.inherit)

(type_annotation) @use.type

(type_arguments) @use.type

(type_alias_declaration value: (_) @use.type)

(constraint) @use.type

(type_predicate_annotation) @use.type

(as_expression (_) (_) @use.type)

(satisfies_expression (_) (_) @use.type)

(_ (member_expression) @use.ref) @use.parent

(_ [(identifier) (shorthand_property_identifier)] @use.name) @use.parent

; Bindings.

(variable_declarator name: (identifier) @bind.name type: (type_annotation) @bind.type)

(variable_declarator name: (identifier) @bind.name value: (_) @bind.value)

(variable_declarator
  name: (identifier) @bind.name
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @bind.require .))
  (#eq? @_require "require"))

(required_parameter pattern: (identifier) @bind.name type: (type_annotation) @bind.type)

; `function (this: Subscriber<T>)`: what `this` is in it.
(required_parameter pattern: (this) @bind.name type: (type_annotation) @bind.type)

; `const { a, b: c } = x`: `a` is `x.a`, `c` is `x.b`.
(variable_declarator
  name: (object_pattern (shorthand_property_identifier_pattern) @bind.name)
  value: (_) @bind.member_of)

(variable_declarator
  name: (object_pattern
    (pair_pattern key: (property_identifier) @bind.key value: (identifier) @bind.name))
  value: (_) @bind.member_of)

(optional_parameter pattern: (identifier) @bind.name type: (type_annotation) @bind.type)

(required_parameter
  (accessibility_modifier) @bind.on_self
  pattern: (identifier) @bind.name
  type: (type_annotation) @bind.type)

(public_field_definition name: (property_identifier) @bind.name type: (type_annotation) @bind.type)

(public_field_definition name: (property_identifier) @bind.name value: (_) @bind.value)

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
  (abstract_class_declaration name: (_) @bind.value)
  (function_declaration name: (_) @bind.value)
]) @bind.default

(for_in_statement left: (identifier) @bind.name)

; A function passed to a call: its untyped parameters take the types the
; callee's signature gives them (`operate((source, subscriber) => ...)`).
(arguments [(arrow_function) (function_expression)] @bind.callback)

; Registrations, read with their arguments (src/routes/): a class's and
; a member's decorators (not a parameter's); calls made as statements
; whose method registers, mounts or configures routes; the applications
; and routers made; module-level strings and arrays.
(class_body (decorator (_) @route.decorator))
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
