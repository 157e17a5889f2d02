; Rust: `use` trees, `extern crate`, `#[path]` modules, and paths used in
; code (expressions, types, macro names, and the tokens of macro arguments).
;
; Captures read by src/lang/rust.rs:
;   @import.use        the argument of a `use` declaration (a use tree,
;                      flattened by the reader); @import.visibility makes it
;                      a re-export (`pub use`)
;   @import.extern     `extern crate name`
;   @import.alias      `bar` in `extern crate foo as bar`
;   @import.path       a path in code (the reader keeps the outermost one)
;   @import.tokens     the tokens of a macro argument, read for paths
;   @mod.attribute, @mod.path   `#[path = "x.rs"]` before a `mod name;`
;   @scope.module, @scope.module.name   an inline `mod name { ... }`

(use_declaration
  (visibility_modifier)? @import.visibility
  argument: (_) @import.use) @import.statement

(extern_crate_declaration name: (identifier) @import.extern alias: (identifier)? @import.alias) @import.statement

[
  (scoped_identifier path: (_))
  (scoped_type_identifier path: (_))
] @import.path

(token_tree) @import.tokens

; `#[path = "..."]`; the reader pairs it with the `mod name;` it stands
; before (other attributes may come between).
((attribute_item
   (attribute (identifier) @_path value: (string_literal (string_content) @mod.path))) @mod.attribute
 (#eq? @_path "path"))

(mod_item name: (identifier) @scope.module.name body: (declaration_list) @scope.module)
