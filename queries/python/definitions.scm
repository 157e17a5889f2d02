; Top-level Python definitions.
;
; Patterns match only at the top level: the cursor starts matches at depth
; 1 (the children of the module) and no deeper, which also keeps it from
; walking function bodies.
;
; Captures read by src/lang/mod.rs (shared by every language):
;   @definition.<kind>  the defined name; <kind> is class, function or constant
;   @definition.span    the whole definition (its line span)
;   @definition.bases   the superclass list, kept as text (Protocols, ABCs)

(class_definition
  name: (identifier) @definition.class
  superclasses: (argument_list)? @definition.bases) @definition.span

(decorated_definition
  definition: (class_definition
    name: (identifier) @definition.class
    superclasses: (argument_list)? @definition.bases)) @definition.span

(function_definition name: (identifier) @definition.function) @definition.span

(decorated_definition
  definition: (function_definition name: (identifier) @definition.function)) @definition.span

(expression_statement
  (assignment left: (identifier) @definition.constant)) @definition.span
