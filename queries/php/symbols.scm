; PHP definitions at every depth, what they use, and what names stand for.
; Captures as in queries/python/symbols.scm; here also:
;   @namespace      a namespace declaration's name: names written in code
;                   are qualified against it and the file's `use` table
;                   when they are resolved (src/symbols/resolve.rs)
; A use of a member call, a static call or a `new` captures the whole
; expression; its written path ends at the member (`$this.repo.find`,
; `Str.upper`, `\App\Models\User`). Variables keep their `$`; members
; (`->repo`, `::$count`) are named without it, as properties are.

(namespace_definition name: (namespace_name) @namespace)

; Definitions.

(class_declaration name: (name) @def.class) @def.span

(interface_declaration name: (name) @def.interface) @def.span

(trait_declaration name: (name) @def.trait) @def.span

(enum_declaration name: (name) @def.enum) @def.span

(function_definition name: (name) @def.function body: (compound_statement) @def.body) @def.span

(method_declaration name: (name) @def.function body: (compound_statement) @def.body) @def.span

(method_declaration name: (name) @def.function) @def.span

(property_declaration (property_element name: (variable_name (name) @def.variable))) @def.span

(const_declaration (const_element (name) @def.constant)) @def.span

(enum_case name: (name) @def.constant) @def.span

[
  (function_definition parameters: (formal_parameters) @def.params)
  (method_declaration parameters: (formal_parameters) @def.params)
]

[
  (function_definition return_type: (_) @def.returns)
  (method_declaration return_type: (_) @def.returns)
]

(return_statement (_) @def.returned)

(attribute_list (attribute_group (attribute) @def.decorator))

; An abstract class says so among its decorators (`abstract`): models
; list it as an abstract base, never as a table.
(class_declaration (abstract_modifier) @def.decorator)

(formal_parameters
  [
    (simple_parameter name: (variable_name) @param)
    (property_promotion_parameter name: (variable_name) @param)
    (variadic_parameter name: (variable_name) @param)
  ])

(anonymous_function body: (_) @body.anonymous)

(arrow_function body: (_) @body.anonymous)

; Uses.

(function_call_expression function: [(name) (qualified_name)] @use.call)

[
  (member_call_expression)
  (nullsafe_member_call_expression)
  (scoped_call_expression)
] @use.call

(object_creation_expression) @use.new

(attribute [(name) (qualified_name)] @use.new)

(base_clause [(name) (qualified_name)] @use.inherit)

(class_interface_clause [(name) (qualified_name)] @use.inherit)

(use_declaration [(name) (qualified_name)] @use.inherit)

(named_type) @use.type

(binary_expression
  operator: "instanceof"
  right: [(name) (qualified_name)] @use.type)

(_ [
  (member_access_expression)
  (nullsafe_member_access_expression)
  (class_constant_access_expression)
  (scoped_property_access_expression)
] @use.ref) @use.parent

; Bindings.

(assignment_expression left: (variable_name) @bind.name right: (_) @bind.value)

(assignment_expression
  left: (member_access_expression
    object: (variable_name) @bind.receiver
    name: (name) @bind.name)
  right: (_) @bind.value)

(simple_parameter type: (_) @bind.type name: (variable_name) @bind.name)

(property_promotion_parameter type: (_) @bind.type name: (variable_name) @bind.name)

(property_promotion_parameter
  visibility: (visibility_modifier) @bind.on_self
  type: (_) @bind.type
  name: (variable_name) @bind.name)

(property_declaration
  type: (_) @bind.type
  (property_element name: (variable_name (name) @bind.name)))

(property_element name: (variable_name (name) @bind.name) default_value: (_) @bind.value)

(catch_clause type: (type_list . (named_type) @bind.type) name: (variable_name) @bind.name)

(foreach_statement (_) (variable_name) @bind.name)

; ---------------------------------------------------------------------
; What models read (the `@route.*` captures, see the Python query): an
; attribute with its arguments (`#[ORM\Column(length: 180)]`) on its class
; or property; a property's default (`$fillable`, `$table`) with its type;
; what a method returns (`$this->hasMany(Comment::class)`, `casts()`).

(attribute_list (attribute_group (attribute) @route.decorator))

(property_declaration
  type: (_)? @route.annotation
  (property_element
    name: (variable_name (name) @route.target)
    default_value: (_)? @route.value))

(method_declaration
  body: (compound_statement
    (return_statement
      [(member_call_expression) (array_creation_expression)] @route.value)))

; Laravel's route registrations: a statement whose call chain starts at
; the `Route` facade (`Route::get(...)->name(...)`, `Route::prefix('api')
; ->middleware('auth')->group(function () { ... })`), at any depth of
; closures; chains up to six calls long.
(expression_statement
  [
    (scoped_call_expression scope: (name) @_route)
    (member_call_expression
      object: (scoped_call_expression scope: (name) @_route))
    (member_call_expression
      object: (member_call_expression
        object: (scoped_call_expression scope: (name) @_route)))
    (member_call_expression
      object: (member_call_expression
        object: (member_call_expression
          object: (scoped_call_expression scope: (name) @_route))))
    (member_call_expression
      object: (member_call_expression
        object: (member_call_expression
          object: (member_call_expression
            object: (scoped_call_expression scope: (name) @_route)))))
    (member_call_expression
      object: (member_call_expression
        object: (member_call_expression
          object: (member_call_expression
            object: (member_call_expression
              object: (scoped_call_expression scope: (name) @_route))))))
  ] @route.call
  (#eq? @_route "Route"))

; Laravel 11's `bootstrap/app.php`: `return Application::configure(...)
; ->withRouting(web: ..., api: ..., apiPrefix: ...)->...->create();`.
(program
  (return_statement (member_call_expression) @route.value))
