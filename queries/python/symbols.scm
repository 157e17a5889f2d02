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

(type) @use.type

(_ (attribute) @use.ref) @use.parent

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

(for_statement left: (identifier) @bind.name)

(for_statement left: [(pattern_list) (tuple_pattern)] @bind.opaque)
