; Python definitions at every depth, what they use, and what names stand
; for: the facts of the symbol graph (src/lang/symbols.rs reads them).
;
; Captures shared by every language's symbols.scm:
;   @def.<kind>     a definition's name; <kind>: function, class, interface,
;                   trait, struct, enum, type, variable, namespace, impl
;                   (a function inside a class is a method, a variable
;                   in capitals a constant: decided in Rust)
;   @def.span       the whole definition, decorators included
;   @def.body       a function's body: what runs when it is called, not
;                   when the module loads
;   @def.params     the parameter list (the signature, with @def.returns)
;   @def.returns    the return annotation
;   @def.returned   what a `return` or `yield` gives (the first one read
;                   types an unannotated function's result)
;   @def.decorator  a decorator of the definition holding it
;   @param          a parameter's name (pytest fixtures, shadowing)
;   @body.anonymous a lambda's body: runs when called
;   @use.call       the callee of a call, a decorator
;   @use.new        the class of an explicit instantiation
;   @use.inherit    a base class
;   @use.type       a type annotation (every name in it is a type use)
;   @use.ref        an attribute chain read without a call
;   @use.name       a bare name read without a call (kept when the module
;                   binds it: an import, a definition, a module variable)
;   @use.parent     the parent of a @use.ref or @use.name (which decides
;                   whether it is a read)
;   @use.dunder.object, @use.dunder.callee   `repr(x)`, `len(x)`,
;                   `copy.deepcopy(x)`: a call of x's special method
;                   (`__repr__`, `__len__`, `__deepcopy__`), named by
;                   the callee
;   @use.format     an f-string's interpolated value: its `__str__` runs
;                   (`__repr__` with @use.format.conversion `!r`)
;   @use.operator.* an operand whose special method an operator runs
;   @use.attr.object, @use.attr.name   `getattr(x, "name")` (and has-,
;                   set-, delattr): a read of x.name
;   @def.metaclass  a class's `metaclass=`: called when the class is made
;   @use.target     the object of an attribute written to: read
;   @bind.name      a name given a value, with @bind.value (an
;                   expression), @bind.type (an annotation) or nothing
;                   (opaque: it only hides outer names); @bind.receiver is
;                   `self` in `self.x = ...`

; Definitions.

(function_definition
  name: (identifier) @def.function
  body: (block) @def.body) @def.span

(decorated_definition
  definition: (function_definition
    name: (identifier) @def.function
    body: (block) @def.body)) @def.span

(class_definition name: (identifier) @def.class) @def.span

(decorated_definition
  definition: (class_definition name: (identifier) @def.class)) @def.span

; Module and class variables (`X = ...`, `name: str`).
(module
  (expression_statement
    (assignment left: (identifier) @def.variable)) @def.span)

(class_definition
  body: (block
    (expression_statement
      (assignment left: (identifier) @def.variable)) @def.span))

(function_definition parameters: (parameters) @def.params)

(function_definition return_type: (type) @def.returns)

(return_statement (_) @def.returned)

(yield (_) @def.returned)

(decorator (_) @def.decorator)

(parameters
  [
    (identifier) @param
    (default_parameter name: (identifier) @param)
    (typed_parameter (identifier) @param)
    (typed_default_parameter name: (identifier) @param)
    (list_splat_pattern (identifier) @param)
    (dictionary_splat_pattern (identifier) @param)
  ])

(lambda body: (_) @body.anonymous)

; Uses.

(call function: [(identifier) (attribute)] @use.call)

(decorator [(identifier) (attribute)] @use.call)

(class_definition
  superclasses: (argument_list [(identifier) (attribute)] @use.inherit))

(class_definition
  superclasses: (argument_list
    (keyword_argument
      name: (identifier) @_metaclass
      value: [(identifier) (attribute)] @def.metaclass)
    (#eq? @_metaclass "metaclass")))

(call
  function: (identifier) @use.dunder.callee
  arguments: (argument_list . (_) @use.dunder.object)
  (#any-of? @use.dunder.callee "repr" "str" "len" "bool" "iter" "hash" "format" "reversed" "abs" "next" "copy" "deepcopy"))

(call
  function: (attribute
    object: (identifier) @_copy
    attribute: (identifier) @use.dunder.callee)
  arguments: (argument_list . (_) @use.dunder.object)
  (#eq? @_copy "copy")
  (#any-of? @use.dunder.callee "copy" "deepcopy"))

(interpolation
  expression: (_) @use.format
  type_conversion: (type_conversion)? @use.format.conversion)

; Operators run special methods: `a in b` is `b.__contains__`, `a == b`
; `a.__eq__`, `a |= b` `a.__ior__`.
(comparison_operator
  (_)
  operators: "in"
  (_) @use.operator.contains)

(comparison_operator
  .
  (_) @use.operator.eq
  operators: ["==" "!="])

(augmented_assignment
  left: (_) @use.operator.inplace
  operator: _ @use.operator.symbol)

(call
  function: (identifier) @_getattr
  arguments: (argument_list
    .
    (_) @use.attr.object
    .
    (string . (string_start) . (string_content) @use.attr.name . (string_end) .))
  (#any-of? @_getattr "getattr" "hasattr" "setattr" "delattr"))

(type) @use.type

(_ (attribute) @use.ref) @use.parent

; The object written to is read (`fn.alters_data = True`, `x.y += 1`).
(assignment left: (attribute object: [(identifier) (attribute)] @use.target))
(augmented_assignment left: (attribute object: [(identifier) (attribute)] @use.target))

(_ (identifier) @use.name) @use.parent

; Bindings.

(assignment left: (identifier) @bind.name right: (_) @bind.value)

(assignment left: (identifier) @bind.name type: (type) @bind.type)

(assignment
  left: (attribute object: (identifier) @bind.receiver attribute: (identifier) @bind.name)
  right: (_) @bind.value)

(assignment
  left: (attribute object: (identifier) @bind.receiver attribute: (identifier) @bind.name)
  type: (type) @bind.type)

(typed_parameter (identifier) @bind.name type: (type) @bind.type)

(typed_default_parameter name: (identifier) @bind.name type: (type) @bind.type)

(with_item
  value: (as_pattern
    (_) @bind.value
    alias: (as_pattern_target (identifier) @bind.name)))

(assignment left: [(pattern_list) (tuple_pattern)] @bind.opaque)

(except_clause
  value: (as_pattern
    (_) @bind.type
    alias: (as_pattern_target (identifier) @bind.name)))

(named_expression name: (identifier) @bind.name value: (_) @bind.value)

(for_in_clause left: (identifier) @bind.name)

(for_statement left: (identifier) @bind.name)

(for_statement left: [(pattern_list) (tuple_pattern)] @bind.opaque)

; Registrations, read with their arguments (src/routes/): every
; decorator; calls made as statements whose name registers or mounts
; something; what `urlpatterns` is given; the router and application
; objects a registration names; lists of `path()` patterns.
;   @route.decorator   a decorator (its definition is its scope)
;   @route.call        a call written as a statement
;   @route.target      the name given @route.value (`+=` with
;                      @route.augmented)

(decorator (_) @route.decorator)

(expression_statement
  (call
    function: (attribute attribute: (identifier) @_registers)) @route.call
  (#any-of? @_registers
    "register" "add_url_rule" "register_blueprint" "include_router"
    "add_api_route" "add_api_websocket_route" "mount" "append" "extend"
    "insert" "route" "add_route"))

(assignment
  left: (identifier) @route.target
  right: (_) @route.value
  (#eq? @route.target "urlpatterns"))

(augmented_assignment
  left: (identifier) @route.target
  operator: "+=" @route.augmented
  right: (_) @route.value
  (#eq? @route.target "urlpatterns"))

(assignment
  left: (identifier) @route.target
  right: (call
    function: [
      (identifier) @_object
      (attribute attribute: (identifier) @_object)
    ]) @route.value
  (#any-of? @_object
    "Flask" "Blueprint" "FastAPI" "APIRouter" "DefaultRouter" "SimpleRouter"
    "Quart" "APIBlueprint" "APIFlask"))

(assignment
  left: (identifier) @route.target
  right: [
    (list (call function: (identifier) @_pattern))
    (binary_operator (list (call function: (identifier) @_pattern)))
  ] @route.value
  (#any-of? @_pattern "path" "re_path" "url"))

; What a class says of itself: a view its guards, methods and lookup; a
; model its columns, relations and options (`Meta`, `__tablename__`), an
; annotated column (`name: Mapped[str]`) with its type.
(class_definition
  body: (block
    (expression_statement
      (assignment
        left: (identifier) @route.target
        type: (_)? @route.annotation
        right: (_)? @route.value))))

; The same under a condition of the class body (`if connection.vendor ==
; 'postgresql': search_vector = ...`): each branch's assignment.
(class_definition
  body: (block
    (if_statement
      [
        consequence: (block
          (expression_statement
            (assignment
              left: (identifier) @route.target
              type: (_)? @route.annotation
              right: (_)? @route.value)))
        alternative: (_
          (block
            (expression_statement
              (assignment
                left: (identifier) @route.target
                type: (_)? @route.annotation
                right: (_)? @route.value))))
      ])))

; `api_patterns = router.urls`: a router's patterns given a name.
(assignment
  left: (identifier) @route.target
  right: (attribute attribute: (identifier) @_urls) @route.value
  (#eq? @_urls "urls"))

(augmented_assignment
  left: (identifier) @route.target
  operator: "+=" @route.augmented
  right: (list (call function: (identifier) @_pattern)) @route.value
  (#any-of? @_pattern "path" "re_path" "url"))

; Module-level values a registration may name: objects made by a call
; (an application, a router, a blueprint of a class of the repository),
; lists and tuples of them, strings (a prefix kept in a constant).
(module
  (expression_statement
    (assignment
      left: (identifier) @route.target
      right: [(call) (list) (tuple) (string) (concatenated_string) (binary_operator)] @route.value)))

; A table name or table arguments a SQLAlchemy class computes
; (`@declared_attr def __tablename__(cls): return cls.__name__.lower()`):
; what it returns.
(function_definition
  name: (identifier) @_tablename
  body: (block
    (return_statement (_) @route.value))
  (#any-of? @_tablename "__tablename__" "__table_args__"))

; A loop over registrations: `for router in API_ROUTERS:`.
(for_statement
  left: (identifier) @route.target
  right: (_) @route.value
  body: (block
    (expression_statement
      (call
        function: (attribute attribute: (identifier) @_loop_registers)))) @route.iterates
  (#any-of? @_loop_registers
    "register" "add_url_rule" "register_blueprint" "include_router"
    "add_api_route" "mount" "append" "extend"))

; `kwargs.setdefault('url_prefix', '/' + name)` in a framework class's
; constructor.
(expression_statement
  (call
    function: (attribute
      object: (identifier) @_kwargs
      attribute: (identifier) @_setdefault)
    arguments: (argument_list . (string) @_key)) @route.call
  (#eq? @_setdefault "setdefault")
  (#match? @_key "prefix"))
