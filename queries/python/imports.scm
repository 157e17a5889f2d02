; Python import sites.
;
; Captures read by src/lang/python.rs:
;   @import.statement  the whole statement (one RawImport per statement node)
;   @import.module     `import a.b` / `import a.b as c`: the dotted module
;   @import.from       `from X import ...`: X, a dotted_name or relative_import
;   @import.name       a name imported by `from X import name`
;   @import.alias      `B` in `from X import A as B`, `c` in `import a.b as c`
;   @import.wildcard   `from X import *`
;   @import.dynamic    the literal argument of importlib.import_module / __import__
;   @import.model      a Django model named by a string: ForeignKey("app.Model"),
;                      OneToOneField, ManyToManyField, ForeignObject (first
;                      argument or `to=`)
;   @import.user_model `settings.AUTH_USER_MODEL` or `get_user_model()`: the user model
;   @import.user_model_setting  the value of `AUTH_USER_MODEL = "app.Model"`
;   @import.app_label  the value of `label = "x"` in an AppConfig subclass
;   @scope.lazy        a function body: imports inside run only when called
;   @scope.type_only   the body of `if TYPE_CHECKING:` (never runs)

(import_statement
  name: [
    (dotted_name) @import.module
    (aliased_import name: (dotted_name) @import.module alias: (identifier) @import.alias)
  ]) @import.statement

(import_from_statement
  module_name: (_) @import.from
  name: [
    (dotted_name) @import.name
    (aliased_import name: (dotted_name) @import.name alias: (identifier) @import.alias)
  ]) @import.statement

(import_from_statement
  module_name: (_) @import.from
  (wildcard_import) @import.wildcard) @import.statement

(call
  function: [
    (identifier) @_fn
    (attribute attribute: (identifier) @_fn)
  ]
  ; One plain literal: a piece of an f-string (`f"{app}.models"`) is no
  ; module name.
  arguments: (argument_list . (string . (string_start) @_start . (string_content) @import.dynamic . (string_end) .) .)
  (#any-of? @_fn "import_module" "__import__")
  (#not-match? @_start "[fFtT]")) @import.statement

; Django: models named by strings, resolved through the app's label.
(call
  function: [
    (identifier) @_field
    (attribute attribute: (identifier) @_field)
  ]
  arguments: (argument_list . (string . (string_start) . (string_content) @import.model . (string_end) .))
  (#any-of? @_field "ForeignKey" "OneToOneField" "ManyToManyField" "ForeignObject")) @import.statement

(call
  function: [
    (identifier) @_field
    (attribute attribute: (identifier) @_field)
  ]
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @_to
      value: (string . (string_start) . (string_content) @import.model . (string_end) .)))
  (#eq? @_to "to")
  (#any-of? @_field "ForeignKey" "OneToOneField" "ManyToManyField" "ForeignObject")) @import.statement

(attribute
  object: (identifier) @_settings
  attribute: (identifier) @import.user_model
  (#eq? @_settings "settings")
  (#eq? @import.user_model "AUTH_USER_MODEL")) @import.statement

(call
  function: [
    (identifier) @import.user_model
    (attribute attribute: (identifier) @import.user_model)
  ]
  (#eq? @import.user_model "get_user_model")) @import.statement

(expression_statement
  (assignment
    left: (identifier) @_setting
    right: (string . (string_start) . (string_content) @import.user_model_setting . (string_end) .))
  (#eq? @_setting "AUTH_USER_MODEL")) @import.statement

(class_definition
  superclasses: (argument_list) @_bases
  body: (block
    (expression_statement
      (assignment
        left: (identifier) @_label
        right: (string . (string_start) . (string_content) @import.app_label . (string_end) .))))
  (#eq? @_label "label")
  (#match? @_bases "AppConfig")) @import.statement

(function_definition body: (block) @scope.lazy)

; `if TYPE_CHECKING:` and `if typing.TYPE_CHECKING:`; the else branch runs, so
; only the consequence is a type-only scope.
(if_statement
  condition: [
    (identifier) @_tc
    (attribute attribute: (identifier) @_tc)
  ]
  consequence: (block) @scope.type_only
  (#eq? @_tc "TYPE_CHECKING"))
