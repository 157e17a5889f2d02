"""Where things are written: the lines and the source text the ORMs do not keep.

Shared by django_dump.py and sqlalchemy_dump.py (standard library only, so it
runs under any venv's Python). The ORMs say what a model *is*; this module
says where its class, its attributes and its Meta / __table_args__ entries
are written, and the text of arguments the schema wants "as written".
"""
import ast
import functools
import inspect
import os


@functools.lru_cache(maxsize=None)
def module_ast(path):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read(), path)


def source_file(obj):
    try:
        path = inspect.getsourcefile(obj)
    except TypeError:
        return None
    return os.path.realpath(path) if path else None


def class_node(cls):
    """The ClassDef of `cls` (nested classes by __qualname__), or None."""
    path = source_file(cls)
    if not path or not os.path.exists(path):
        return None
    body = module_ast(path).body
    node = None
    for part in cls.__qualname__.split("."):
        if part == "<locals>":
            return None
        found = [n for n in body if isinstance(n, ast.ClassDef) and n.name == part]
        if not found:
            return None
        node = found[-1]  # a redefinition wins, as at runtime
        body = node.body
    return node


def _statements(body):
    """Statements of a class body, into if/else, try and with blocks (a field
    declared per database vendor, or under try/except ImportError)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _statements(stmt.body)
            yield from _statements(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            yield from _statements(stmt.body)
            for h in stmt.handlers:
                yield from _statements(h.body)
            yield from _statements(stmt.orelse)
            yield from _statements(stmt.finalbody)
        elif isinstance(stmt, ast.With):
            yield from _statements(stmt.body)


def assigned(node, name, prefer=None):
    """The statement of `node`'s body binding `name` (Assign / AnnAssign /
    def), or None. Of several (branches of an if), the last one `prefer`
    accepts, else the last one."""
    if node is None:
        return None
    hits = []
    for stmt in _statements(node.body):
        if isinstance(stmt, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
                hits.append(stmt)
        elif isinstance(stmt, ast.AnnAssign):
            if isinstance(stmt.target, ast.Name) and stmt.target.id == name:
                hits.append(stmt)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
            hits.append(stmt)  # @declared_attr def name(cls): ...
    if prefer is not None:
        chosen = [h for h in hits if prefer(h)]
        if chosen:
            return chosen[-1]
    return hits[-1] if hits else None


def inner_class(node, name):
    if node is None:
        return None
    found = [n for n in node.body if isinstance(n, ast.ClassDef) and n.name == name]
    return found[-1] if found else None


def call_of(stmt):
    """The call an assignment makes (`x = models.CharField(...)` -> the Call)."""
    value = getattr(stmt, "value", None)
    return value if isinstance(value, ast.Call) else None


def callee_name(call):
    """`models.ForeignKey(...)` -> "ForeignKey"; `sa.Index(...)` -> "Index"."""
    f = call.func
    if isinstance(f, ast.Attribute):
        return f.attr
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Call):  # sa.Index(...).ddl_if(...) is a Call on a Call
        return callee_name(f)
    return None


def keyword(call, name):
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call, index, name):
    """Positional argument `index`, else keyword `name`, else None."""
    if len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return keyword(call, name)


def written(node):
    """The text of an argument as written: a string constant's value, else the source."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.unparse(node)


def list_items(node):
    """Elements of a list/tuple literal, with their nodes (for lines)."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    return None


def unwrap_call(node):
    """`sa.Index(...).ddl_if(...)` -> the inner Index call."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
        node = node.func.value
    return node
