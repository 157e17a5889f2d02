; JSX elements (TSX and JavaScript): rendering a component is a call of
; it. Lowercase names are the host's elements (`div`), not definitions.

(jsx_self_closing_element name: (identifier) @use.call (#match? @use.call "^[A-Z]"))

(jsx_opening_element name: (identifier) @use.call (#match? @use.call "^[A-Z]"))

(jsx_self_closing_element name: (member_expression) @use.call)

(jsx_opening_element name: (member_expression) @use.call)
