"""Django's own view of a project's models, in the shape of `vantage models --format json`.

Shared by check_fixtures.py (fixtures/models/django_*) and django_oracle.py
(a real project). Call after django.setup(). What a model *is* comes from
Django (`apps.get_models()`, `_meta`: field classes, primary_key, unique,
db_index, null, related_model, through, column, db_table, indexes,
constraints, unique_together, parents); only lines and the text the schema
wants "as written" (a relation's target when it is not a model of the
repository, `through=`, `related_name=` before Django formats `%(class)s`)
come from the source, and each of those is checked against what Django
resolved (a disagreement is returned as a problem).

Every value follows docs/output.md (the `vantage models` section) (kept in bench/models/README.md),
with Django's answer where Django defines it:
  * field "unique" is Field.unique (a primary key is unique: Django docs,
    "primary_key=True implies null=False and unique=True");
  * field "index" is db_index or primary_key or unique (SlugField's db_index
    defaults to True: Django docs, "Implies setting Field.db_index to True");
  * "primary_key" of a multi-table child is its parent link (`order_ptr`),
    of an abstract model its primary_key=True field, else ["id"];
  * the implicit `id` and a multi-table child's `<parent>_ptr` are not
    listed as fields (they are not declared).
"""
import ast
import os
import sys

import source_lines as src


def symbol(cls):
    return f"{cls.__module__}.{cls.__qualname__.replace('.<locals>', '')}"


class Dumper:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        self.problems = []  # (file, line, message)

    # ------------------------------------------------------------ helpers

    def inside(self, obj):
        path = src.source_file(obj)
        return bool(path) and path.startswith(self.root + os.sep)

    def rel(self, path):
        if not path:
            return None
        if path.startswith(self.root + os.sep):
            return os.path.relpath(path, self.root).replace(os.sep, "/")
        return path  # outside the root: absolute

    def problem(self, file, line, msg):
        self.problems.append((file, line, msg))

    def resolve_model(self, cls, value):
        """A relation's `to` as Django reads it: a model class or a string."""
        from django.apps import apps
        from django.db import models

        if isinstance(value, type) and issubclass(value, models.Model):
            return value
        if value == "self":
            return cls
        if isinstance(value, str):
            if "." in value:
                return apps.get_model(value)
            return apps.get_model(cls._meta.app_label, value)
        return None

    def evaluate(self, node, cls):
        """The value of an argument written as an expression, in its module."""
        if isinstance(node, ast.Constant):
            return node.value
        module = sys.modules.get(cls.__module__)
        try:
            return eval(compile(ast.Expression(node), "<argument>", "eval"), vars(module) if module else {})
        except Exception:
            return None

    # ------------------------------------------------------------- models

    def models(self):
        from django.apps import apps
        from django.db import models

        found = [m for m in apps.get_models() if self.inside(m)]
        seen = set(found)
        # Abstract models are not registered: read them off the modules.
        for name, module in list(sys.modules.items()):
            path = getattr(module, "__file__", None)
            if not path or not os.path.realpath(path).startswith(self.root + os.sep):
                continue
            for obj in list(vars(module).values()):
                if (
                    isinstance(obj, type)
                    and issubclass(obj, models.Model)
                    and obj.__module__ == name
                    and obj._meta.abstract
                    and obj not in seen
                ):
                    found.append(obj)
                    seen.add(obj)
        out = [self.model(m) for m in found]
        out.sort(key=lambda m: (m["file"] or "", m["line"] or 0))
        return out

    def origin(self, cls, name):
        """The class whose body declares field `name`: cls itself or an abstract base."""
        from django.db import models

        for k in cls.__mro__:
            if not (isinstance(k, type) and issubclass(k, models.Model)) or k is models.Model:
                continue
            if k is not cls and not k._meta.abstract:
                continue  # a concrete parent's fields are in the parent's table
            if src.assigned(src.class_node(k), name) is not None:
                return k
        return cls

    def model(self, cls):
        opts = cls._meta
        node = src.class_node(cls)
        file = self.rel(src.source_file(cls))
        own = [f for f in list(opts.local_fields) + list(opts.local_many_to_many) if not f.auto_created]
        rows = []
        for f in own:
            o = self.origin(cls, f.name)
            rows.append((0 if o is not cls else 1, f.creation_counter, f, o))
        rows.sort(key=lambda r: (r[0], r[1]))
        fields, relations = [], []
        for _, _, f, o in rows:
            written_as = type(f).__name__
            stmt = src.assigned(
                src.class_node(o), f.name, prefer=lambda s: (src.call_of(s) and src.callee_name(src.call_of(s))) == written_as
            )
            where = (self.rel(src.source_file(o)), stmt.lineno if stmt else None)
            inherited = symbol(o) if o is not cls else None
            if f.is_relation:
                relations.append(self.relation(cls, f, o, stmt, where, inherited))
            else:
                fields.append(
                    {
                        "name": f.name,
                        "type": type(f).__name__,
                        "line": where[1],
                        "primary_key": bool(f.primary_key),
                        "unique": bool(f.unique),
                        "index": bool(f.db_index or f.primary_key or f.unique),
                        "null": bool(f.null),
                        "references": None,
                        "inherited_from": inherited,
                        "_file": where[0],
                    }
                )
        if opts.abstract:
            pk = [f.name for f in own if f.primary_key] or ["id"]
        else:
            pk = [opts.pk.name]
        entry = {
            "name": cls.__name__,
            "symbol": symbol(cls),
            "orm": "django",
            "table": None if opts.abstract else opts.db_table,
            "abstract": bool(opts.abstract),
            "file": file,
            "line": node.lineno if node else None,
            "primary_key": pk,
            "parents": [symbol(p) for p in opts.parents],
            "fields": fields,
            "relations": relations,
            "indexes": self.indexes(cls, file),
        }
        if opts.proxy:
            entry["proxy"] = True  # not in the schema: a proxy shares its parent's table
        return entry

    def relation(self, cls, f, origin, stmt, where, inherited):
        call = src.call_of(stmt) if stmt else None
        to_node = src.argument(call, 0, "to") if call else None
        target_model = f.related_model
        if isinstance(target_model, str):  # an abstract model's lazy reference
            try:
                target_model = self.resolve_model(cls, target_model)
            except LookupError:
                target_model = None
        # The text as written, checked against what Django resolved.
        written = src.written(to_node)
        if to_node is not None and target_model is not None:
            value = self.evaluate(to_node, origin)
            try:
                got = self.resolve_model(cls, value)
            except LookupError:
                got = None
            if got is not target_model:
                self.problem(*where, f"{cls.__name__}.{f.name}: `{written}` does not resolve to {target_model} as written")
        inside = target_model is not None and self.inside(target_model)
        if inside:
            target = symbol(target_model)
        else:
            target = written if written is not None else getattr(target_model, "_meta", None) and target_model._meta.label
        if f.many_to_many:
            kind = "many_to_many"
        elif f.one_to_one:
            kind = "one_to_one"
        else:
            kind = "many_to_one"
        through = None
        if f.many_to_many:
            model = f.remote_field.through
            through_node = src.keyword(call, "through") if call else None
            if isinstance(model, str):  # abstract: not resolved
                through = model
            elif not model._meta.auto_created:
                through = src.written(through_node) if through_node is not None else model.__name__
                if through_node is not None:
                    try:
                        got = self.resolve_model(cls, self.evaluate(through_node, origin))
                    except LookupError:
                        got = None
                    if got is not model:
                        self.problem(*where, f"{cls.__name__}.{f.name}: through `{through}` is not {model}")
            elif through_node is not None:
                self.problem(*where, f"{cls.__name__}.{f.name}: through= written but Django made the table")
        # related_name as written; Django formats %(class)s etc. on concrete models.
        orm_rn = f.remote_field.related_name
        rn_node = src.keyword(call, "related_name") if call else None
        related_name = src.written(rn_node) if rn_node is not None else None
        if related_name is not None and not isinstance(rn_node, ast.Constant):
            related_name = orm_rn  # an expression: keep Django's value
        if rn_node is None and orm_rn is not None:
            self.problem(*where, f"{cls.__name__}.{f.name}: Django has related_name {orm_rn!r}, none written")
            related_name = orm_rn
        elif related_name is not None and orm_rn is not None:
            expected = related_name
            if not cls._meta.abstract:
                expected = related_name % {
                    "class": cls.__name__.lower(),
                    "model_name": cls._meta.model_name,
                    "app_label": cls._meta.app_label.lower(),
                }
            if expected != orm_rn:
                self.problem(*where, f"{cls.__name__}.{f.name}: related_name {related_name!r} is {orm_rn!r} in Django")
        return {
            "name": f.name,
            "kind": kind,
            "type": type(f).__name__,
            "target": target,
            "resolved": bool(inside),
            "line": where[1],
            "column": None if f.many_to_many else f.column,
            "through": through,
            "related_name": related_name,
            "index": False if f.many_to_many else bool(f.db_index or f.unique),
            "inherited_from": inherited,
            "_file": where[0],
            "_target_model": symbol(target_model) if isinstance(target_model, type) else None,
            "_target_written": written,
        }

    # ------------------------------------------------------------ indexes

    def meta_items(self, cls, attr):
        """(file, element nodes or None, value node) of Meta.<attr>, from the
        first class of the MRO whose Meta writes it."""
        for k in cls.__mro__:
            meta = src.inner_class(src.class_node(k), "Meta")
            stmt = src.assigned(meta, attr)
            if stmt is not None:
                return self.rel(src.source_file(k)), src.list_items(stmt.value), stmt.value
            if k is cls and meta is not None and not any(
                isinstance(b, ast.Attribute) or isinstance(b, ast.Name) for b in meta.bases
            ):
                return None, None, None  # its own Meta inherits nothing
        return None, None, None

    def indexes(self, cls, file):
        from django.db.models import UniqueConstraint

        opts = cls._meta
        out = []

        def line_of(items, i):
            return items[i].lineno if items is not None and len(items) > i else None

        _, items, _ = self.meta_items(cls, "indexes")
        for i, ix in enumerate(opts.indexes):
            node = items[i] if items is not None and len(items) > i else None
            named = node is not None and isinstance(node, ast.Call) and src.keyword(node, "name") is not None
            fields = list(ix.fields) or [str(e) for e in ix.expressions]
            out.append({"name": ix.name if named else None, "fields": fields, "unique": False, "line": line_of(items, i)})
        _, items, _ = self.meta_items(cls, "constraints")
        for i, c in enumerate(opts.constraints):
            if isinstance(c, UniqueConstraint) and c.fields:
                out.append({"name": c.name, "fields": list(c.fields), "unique": True, "line": line_of(items, i)})
        for attr, unique in (("unique_together", True), ("index_together", False)):
            groups = getattr(opts, attr, ()) or ()
            _, items, value = self.meta_items(cls, attr)
            if items is not None and items and not isinstance(items[0], (ast.List, ast.Tuple)):
                items = [value]  # unique_together = ("a", "b"): one group
            for i, g in enumerate(groups):
                out.append({"name": None, "fields": list(g), "unique": unique, "line": line_of(items, i)})
        out.sort(key=lambda r: (r["line"] is None, r["line"] or 0))
        return out


def dump(root):
    """(models, problems) for the models whose class is defined under root."""
    d = Dumper(root)
    return d.models(), d.problems
