; PHP: namespaces, `use` declarations, names used in code, include/require.
;
; Captures read by src/lang/php.rs, which resolves every name to a fully
; qualified one against the current namespace and `use` table:
;   @namespace.definition / @namespace.name   `namespace A\B;` or `namespace A\B { }`
;   @use.declaration   a `use` statement (its `type:` says function or const)
;   @use.prefix        the common prefix of a grouped use, `use A\{B, C}`
;   @use.clause        one imported name; @use.name its name, @use.alias its alias
;   @ref.new, @ref.static, @ref.trait, @ref.function   names that load code
;   @ref.extends, @ref.implements                      class hierarchy
;   @ref.type, @ref.attribute                          names that load nothing
;   @include.statement, @include.path   require/include of a literal path,
;                                       @include.dir when prefixed by __DIR__ .

(namespace_definition name: (namespace_name) @namespace.name) @namespace.definition

; The name is the clause's first child (`.`): the alias is a (name) too.
(namespace_use_declaration
  (namespace_use_clause
    .
    [(name) (qualified_name)] @use.name
    alias: (name)? @use.alias) @use.clause) @use.declaration

(namespace_use_declaration
  (namespace_name) @use.prefix
  body: (namespace_use_group
    (namespace_use_clause
      .
      [(name) (qualified_name)] @use.name
      alias: (name)? @use.alias) @use.clause)) @use.declaration

(object_creation_expression [(name) (qualified_name) (relative_name)] @ref.new)
(scoped_call_expression scope: [(name) (qualified_name) (relative_name)] @ref.static)
(class_constant_access_expression . [(name) (qualified_name) (relative_name)] @ref.static)
(scoped_property_access_expression scope: [(name) (qualified_name) (relative_name)] @ref.static)
(function_call_expression function: [(qualified_name) (relative_name)] @ref.function)
(base_clause [(name) (qualified_name) (relative_name)] @ref.extends)
(class_interface_clause [(name) (qualified_name) (relative_name)] @ref.implements)
(declaration_list (use_declaration [(name) (qualified_name) (relative_name)] @ref.trait))
(named_type [(name) (qualified_name) (relative_name)] @ref.type)
(binary_expression operator: "instanceof" right: [(name) (qualified_name) (relative_name)] @ref.type)
(attribute [(name) (qualified_name) (relative_name)] @ref.attribute)

; Single- or double-quoted; a double-quoted path with a variable in it is
; no literal and is left out.
[
  (include_expression [(string (string_content) @include.path) (encapsed_string . (string_content) @include.path .)])
  (include_once_expression [(string (string_content) @include.path) (encapsed_string . (string_content) @include.path .)])
  (require_expression [(string (string_content) @include.path) (encapsed_string . (string_content) @include.path .)])
  (require_once_expression [(string (string_content) @include.path) (encapsed_string . (string_content) @include.path .)])
] @include.statement

([
  (include_expression
    (binary_expression left: (name) @include.dir right: [(string (string_content) @include.path) (encapsed_string . (string_content) @include.path .)]))
  (include_once_expression
    (binary_expression left: (name) @include.dir right: [(string (string_content) @include.path) (encapsed_string . (string_content) @include.path .)]))
  (require_expression
    (binary_expression left: (name) @include.dir right: [(string (string_content) @include.path) (encapsed_string . (string_content) @include.path .)]))
  (require_once_expression
    (binary_expression left: (name) @include.dir right: [(string (string_content) @include.path) (encapsed_string . (string_content) @include.path .)]))
 ] @include.statement
 (#eq? @include.dir "__DIR__"))
