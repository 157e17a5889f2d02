"""SQLAlchemy's own view of a project's mapped classes, in the shape of `vantage models --format json`.

Shared by check_fixtures.py (fixtures/models/sqlalchemy_*) and
sqlalchemy_oracle.py (a real project). Call after the model modules are
imported. What a model *is* comes from SQLAlchemy: the registries of the
declarative bases defined under the root, each mapper's local table
(columns, primary key, unique, index, nullable, foreign keys, indexes and
unique constraints not made by a column flag), its relationships
(direction, uselist, target mapper, secondary, back_populates / backref)
and `inherits`. Lines, and the text the schema wants "as written" (a
column's type, `secondary=`), come from the source; the written type is
returned beside SQLAlchemy's so that the checker can hold one against the
other.

Values follow docs/output.md (the `vantage models` section) (see bench/models/README.md) with
SQLAlchemy's answer where SQLAlchemy defines it:
  * "null" is Column.nullable: a Column() / mapped_column() without
    nullable= and without an annotation is nullable unless primary key
    (SQLAlchemy docs, Column.nullable);
  * "kind": MANYTOMANY -> many_to_many; ONETOMANY with uselist False ->
    one_to_one, else one_to_many; MANYTOONE -> many_to_one. SQLAlchemy 2.0
    makes `Mapped["X"]` on the side without the foreign key a scalar
    one-to-many, i.e. one_to_one;
  * a relation's "column" is null (the schema names no SQLAlchemy case);
    its "index" is true for a many-to-one whose local foreign key column is
    a primary key, unique, index=True, or the first column of a declared
    index / unique constraint;
  * "fields" of a class are the columns of its own table that its body (or
    an unmapped base: __abstract__ class, mixin, the declarative base)
    declares, inherited ones first; a joined-inheritance child does not
    repeat its mapped parent's columns;
  * single-table inheritance: the child's "table" is its parent's (the
    schema's rule), its "primary_key" the mapper's (the parent's key
    columns), its "fields" only the columns its own body adds to that table,
    which are in turn not the parent's fields (the parent's mapper does not
    map them).
"""
import ast
import os
import sys

import source_lines as src

COLUMN_CALLS = {"Column", "mapped_column", "column_property"}
NOT_TYPES = {"ForeignKey", "Sequence", "Identity", "Computed", "FetchedValue", "DefaultClause", "text"}


def symbol(cls):
    return f"{cls.__module__}.{cls.__qualname__.replace('.<locals>', '')}"


def real_name(name):
    """A constraint's name when one was given (not SQLAlchemy's placeholder)."""
    if name is None or type(name).__name__ in ("_NoneName", "_defer_none_name", "_defer_name"):
        return None
    return str(name)


def annotation_type(node):
    """`Mapped[Optional[str]]` -> "str"; `Mapped[int]` -> "int"; None if not Mapped."""
    if not isinstance(node, ast.Subscript):
        return None
    head = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", None)
    if head != "Mapped":
        return None
    inner = node.slice
    while True:
        if isinstance(inner, ast.Subscript):
            h = inner.value.attr if isinstance(inner.value, ast.Attribute) else getattr(inner.value, "id", None)
            if h in ("Optional", "Annotated"):
                inner = inner.slice.elts[0] if isinstance(inner.slice, ast.Tuple) else inner.slice
                continue
            if h == "Union" and isinstance(inner.slice, ast.Tuple):
                rest = [e for e in inner.slice.elts if not (isinstance(e, ast.Constant) and e.value is None)]
                inner = rest[0]
                continue
            return ast.unparse(inner.value).split(".")[-1]
        if isinstance(inner, ast.BinOp):  # str | None
            sides = [inner.left, inner.right]
            rest = [e for e in sides if not (isinstance(e, ast.Constant) and e.value is None)]
            inner = rest[0]
            continue
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            return inner.value.split(".")[-1]
        return ast.unparse(inner).split(".")[-1]


def written_type(stmt, column_call):
    """The column type as the schema reads it: the type argument of
    Column()/mapped_column() (`String(50)` -> "String"), else the Mapped[...]
    annotation's (`Mapped[int]` -> "int")."""
    if column_call is not None:
        for arg in column_call.args:
            if isinstance(arg, ast.Constant):  # Column("name", ...)
                continue
            name = src.callee_name(arg) if isinstance(arg, ast.Call) else (
                arg.attr if isinstance(arg, ast.Attribute) else getattr(arg, "id", None)
            )
            if name and name not in NOT_TYPES:
                return name
    if isinstance(stmt, ast.AnnAssign):
        return annotation_type(stmt.annotation)
    return None


class Dumper:
    def __init__(self, root, bases=()):
        self.root = os.path.realpath(root)
        self.problems = []
        # Declarative bases not bound to a name of the root's modules
        # (Flask-SQLAlchemy's `db.Model`, an attribute of the `db` object).
        self.extra_bases = list(bases)

    def inside(self, obj):
        path = src.source_file(obj)
        return bool(path) and path.startswith(self.root + os.sep)

    def rel(self, path):
        if not path:
            return None
        if path.startswith(self.root + os.sep):
            return os.path.relpath(path, self.root).replace(os.sep, "/")
        return path

    def problem(self, file, line, msg):
        self.problems.append((file, line, msg))

    def root_modules(self):
        for name, module in list(sys.modules.items()):
            path = getattr(module, "__file__", None)
            if path and os.path.realpath(path).startswith(self.root + os.sep):
                yield name, module

    # ------------------------------------------------------------- models

    def models(self):
        from sqlalchemy.orm import configure_mappers, registry

        configure_mappers()
        self.bases, abstract = list(self.extra_bases), []
        for name, module in self.root_modules():
            for obj in list(vars(module).values()):
                if not isinstance(obj, type):
                    continue
                if isinstance(obj.__dict__.get("registry"), registry):
                    # A declarative base, not a model (declarative_base() makes
                    # one whose __module__ is SQLAlchemy's: found by where it is bound).
                    if obj not in self.bases:
                        self.bases.append(obj)
                elif obj.__module__ != name:
                    continue
                elif (
                    obj.__dict__.get("__abstract__") is True
                    and isinstance(getattr(obj, "registry", None), registry)
                    and obj not in abstract  # bound to two names
                ):
                    abstract.append(obj)
        self.mappers = []
        for reg in {id(b.registry): b.registry for b in self.bases}.values():
            self.mappers.extend(m for m in reg.mappers if self.inside(m.class_))
        # Relationships a backref= made on the other side are not declared there.
        self.generated = set()
        for reg in {id(b.registry): b.registry for b in self.bases}.values():
            for m in reg.mappers:
                for r in m.relationships:
                    if r.backref:
                        name = r.backref if isinstance(r.backref, str) else r.backref[0]
                        self.generated.add((id(r.mapper), name))
        self.entries = {}
        for m in self.mappers:
            self.entries[m.class_] = self.mapped(m)
        out = list(self.entries.values()) + [self.abstract(a) for a in abstract]
        out.sort(key=lambda m: (m["file"] or "", m["line"] or 0))
        return out

    def origin(self, cls, key, mapped_ok=False):
        """(class, statement) declaring attribute `key`: cls, an unmapped base, or
        (mapped_ok) a mapped parent."""
        for k in cls.__mro__:
            if k is object:
                continue
            if k is not cls and "__mapper__" in k.__dict__ and not mapped_ok:
                continue
            stmt = src.assigned(src.class_node(k), key)
            if stmt is not None:
                return k, stmt
        return None, None

    def table_column_call(self, cls, name):
        """Column("name", ...) inside `__table__ = Table(...)`."""
        stmt = src.assigned(src.class_node(cls), "__table__")
        call = src.call_of(stmt) if stmt else None
        if call is None:
            return None
        for arg in call.args:
            if isinstance(arg, ast.Call) and src.callee_name(arg) == "Column" and arg.args:
                if isinstance(arg.args[0], ast.Constant) and arg.args[0].value == name:
                    return arg
        return None

    def indexed_columns(self, table):
        """Column names a declared index / unique constraint starts with."""
        from sqlalchemy import UniqueConstraint

        first = set()
        for ix in table.indexes:
            cols = list(ix.columns)
            if cols:
                first.add(cols[0].name)
        for c in table.constraints:
            if isinstance(c, UniqueConstraint):
                cols = list(c.columns)
                if cols:
                    first.add(cols[0].name)
        return first

    def mapped(self, m):
        cls = m.class_
        node = src.class_node(cls)
        table = m.local_table
        single = m.inherits is not None and m.local_table is m.inherits.local_table
        mro = [k for k in cls.__mro__ if k is not object]
        fields = []
        for col in table.columns:
            try:
                key = m.get_property_by_column(col).key
            except Exception:
                if any(d is not m and col in d.columns.values() for d in m.self_and_descendants):
                    continue  # a single-table subclass's column, added to this table
                key = col.key
            o, stmt = self.origin(cls, key, mapped_ok=True)
            if o is not None and o is not cls and "__mapper__" in o.__dict__:
                continue  # a mapped parent's column (single-table inheritance)
            if o is None and single:
                continue
            if o is None:
                o = cls
                call = self.table_column_call(cls, col.name)
                line = call.lineno if call is not None else None
                wtype = written_type(None, call)
            else:
                call = src.unwrap_call(src.call_of(stmt)) if not isinstance(stmt, ast.FunctionDef) else None
                if call is not None and src.callee_name(call) not in COLUMN_CALLS:
                    call = None
                line = stmt.lineno
                wtype = written_type(stmt, call)
            fields.append((0 if o is not cls else 1, mro.index(o) if o in mro else 0, line or 0, self.field(col, key, o, cls, line, wtype)))
        fields.sort(key=lambda r: (r[0], -r[1], r[2]))
        fields = [f for *_, f in fields]
        by_column = {f["_column"]: f for f in fields}
        first = self.indexed_columns(table)
        relations = []
        for r in m.relationships:
            if r.parent is not m or (id(m), r.key) in self.generated:
                continue
            o, stmt = self.origin(cls, r.key)
            o = o or cls
            relations.append((0 if o is not cls else 1, stmt.lineno if stmt else 0, self.relation(cls, r, o, stmt, by_column, first)))
        relations.sort(key=lambda r: (r[0], r[1]))
        pk_cols = {c.name for c in table.primary_key.columns}
        if single:
            # The schema: "a single-table child has its parent's" table; its key
            # is the mapper's, the parent's key columns (the child declares none).
            primary_key = [m.get_property_by_column(c).key for c in m.primary_key]
        else:
            primary_key = [f["name"] for f in fields if f["_column"] in pk_cols]
        entry = {
            "name": cls.__name__,
            "symbol": symbol(cls),
            "orm": "sqlalchemy",
            "table": table.name,
            "abstract": False,
            "file": self.rel(src.source_file(cls)),
            "line": node.lineno if node else None,
            "primary_key": primary_key,
            "parents": [symbol(m.inherits.class_)] if m.inherits is not None else [],
            "fields": fields,
            "relations": [r for *_, r in relations],
            "indexes": [] if single else self.indexes(cls, table),
        }
        if single:
            entry["single_table"] = True  # not in the schema
        return entry

    def field(self, col, key, origin, cls, line, wtype):
        try:
            python_type = col.type.python_type.__name__
        except (NotImplementedError, AttributeError):
            python_type = None
        fks = sorted(fk.target_fullname for fk in col.foreign_keys)
        return {
            "name": key,
            "type": type(col.type).__name__,
            "line": line,
            "primary_key": bool(col.primary_key),
            "unique": bool(col.unique),
            "index": bool(col.index or col.primary_key or col.unique),
            "null": bool(col.nullable),
            "references": fks[0] if fks else None,
            "inherited_from": symbol(origin) if origin is not cls else None,
            "_file": self.rel(src.source_file(origin)),
            "_column": col.name,
            "_type_written": wtype,
            "_type_names": [k.__name__ for k in type(col.type).__mro__],
            "_python_type": python_type,
        }

    def relation(self, cls, r, origin, stmt, by_column, first):
        from sqlalchemy.orm.interfaces import MANYTOMANY, MANYTOONE, ONETOMANY

        where = (self.rel(src.source_file(origin)), stmt.lineno if stmt else None)
        if r.direction is MANYTOMANY:
            kind = "many_to_many"
        elif r.direction is ONETOMANY:
            kind = "one_to_many" if r.uselist else "one_to_one"
        else:
            kind = "many_to_one"
        call = src.call_of(stmt) if stmt is not None else None
        through = None
        if r.secondary is not None:
            through = r.secondary.name
            node = src.keyword(call, "secondary") if call is not None else None
            if node is not None:
                through = src.written(node)
                if isinstance(node, ast.Constant):
                    ok = node.value in (r.secondary.name, r.secondary.fullname)
                else:
                    module = sys.modules.get(origin.__module__)
                    try:
                        ok = eval(compile(ast.Expression(node), "<secondary>", "eval"), vars(module)) is r.secondary
                    except Exception:
                        ok = True  # a lambda or a name SQLAlchemy evaluates in its registry
                if not ok:
                    self.problem(*where, f"{cls.__name__}.{r.key}: secondary `{through}` is not table {r.secondary.name}")
        related = r.back_populates
        if not related and r.backref:
            related = r.backref if isinstance(r.backref, str) else r.backref[0]
        index = False
        if r.direction is MANYTOONE:
            for col in r.local_columns:
                f = by_column.get(col.name)
                if (f and f["index"]) or col.name in first:
                    index = True
        target = r.mapper.class_
        return {
            "name": r.key,
            "kind": kind,
            "type": "relationship",
            "target": symbol(target),
            "resolved": self.inside(target),
            "line": where[1],
            "column": None,
            "through": through,
            "related_name": related or None,
            "index": index,
            "inherited_from": symbol(origin) if origin is not cls else None,
            "_file": where[0],
            "_direction": r.direction.name,
            "_uselist": bool(r.uselist),
        }

    def indexes(self, cls, table):
        from sqlalchemy import Index, UniqueConstraint

        declared = [ix for ix in table.indexes if not getattr(ix, "_column_flag", False)]
        declared += [c for c in table.constraints if isinstance(c, UniqueConstraint) and not getattr(c, "_column_flag", False)]
        # Index(...) / UniqueConstraint(...) calls written in the class (or an unmapped base).
        calls = []
        for k in cls.__mro__:
            if k is object or (k is not cls and "__mapper__" in k.__dict__):
                continue
            node = src.class_node(k)
            if node is None:
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call) and src.callee_name(sub) in ("Index", "UniqueConstraint"):
                    sub = src.unwrap_call(sub)
                    if isinstance(sub.func, ast.Attribute) and sub.func.attr not in ("Index", "UniqueConstraint"):
                        continue
                    calls.append(sub)
        out = []
        for c in declared:
            unique = isinstance(c, UniqueConstraint) or bool(getattr(c, "unique", False))
            cols = [getattr(e, "name", None) or str(e) for e in (c.expressions if isinstance(c, Index) else c.columns)]
            name = real_name(c.name)
            line = None
            for call in calls:
                is_index = src.callee_name(call) == "Index"
                if is_index != isinstance(c, Index):
                    continue
                wname = src.written(src.argument(call, 0, "name")) if is_index else src.written(src.keyword(call, "name"))
                args = [src.written(a) for a in (call.args[1:] if is_index else call.args)]
                if (wname is not None and wname == name) or (wname is None and args == cols):
                    # Unnamed in the source: the name a MetaData naming_convention
                    # gives it is SQLAlchemy's, not written (null, as in Django).
                    line, name = call.lineno, wname
                    break
            entry = {"name": name, "fields": cols, "unique": unique, "line": line}
            if name != real_name(c.name):
                entry["_name_orm"] = real_name(c.name)
            out.append(entry)
        out.sort(key=lambda r: (r["line"] is None, r["line"] or 0, r["name"] or ""))
        return out

    def abstract(self, cls):
        """An __abstract__ class: its columns and relationships as its mapped
        subclasses got them (SQLAlchemy copies them into each table)."""
        node = src.class_node(cls)
        mro = set(k for k in cls.__mro__ if k is not object)
        fields, relations = {}, {}
        for sub, entry in self.entries.items():
            if not issubclass(sub, cls):
                continue
            for kind, bucket in (("fields", fields), ("relations", relations)):
                for f in entry[kind]:
                    o = self.origin_by_symbol(f["inherited_from"])
                    if o in mro and f["name"] not in bucket:
                        g = dict(f)
                        g["inherited_from"] = None if o is cls else symbol(o)
                        bucket[f["name"]] = g
        order = [k for k in reversed(cls.__mro__) if k is not object]

        def key(f):
            o = self.origin_by_symbol(f["inherited_from"]) or cls
            return (0 if o is not cls else 1, order.index(o) if o in order else 0, f["line"] or 0)

        fields = sorted(fields.values(), key=key)
        return {
            "name": cls.__name__,
            "symbol": symbol(cls),
            "orm": "sqlalchemy",
            "table": None,
            "abstract": True,
            "file": self.rel(src.source_file(cls)),
            "line": node.lineno if node else None,
            "primary_key": [f["name"] for f in fields if f["primary_key"]],
            "parents": [],
            "fields": fields,
            "relations": sorted(relations.values(), key=key),
            "indexes": [],
        }

    def origin_by_symbol(self, sym):
        if sym is None:
            return None
        mod, _, name = sym.rpartition(".")
        return getattr(sys.modules.get(mod), name, None)


def dump(root, bases=()):
    """(models, problems) for the mapped classes defined under root; `bases`
    adds declarative bases that no module of the root binds to a name."""
    d = Dumper(root, bases)
    return d.models(), d.problems
